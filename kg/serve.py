"""``kg serve``: a local store, read-only, over the SPARQL 1.1 Protocol, with a query page and the view.

Routes:

* ``/query``: the SPARQL 1.1 Protocol's query operation: ``GET ?query=``, ``POST`` of
  ``application/sparql-query`` or of a ``application/x-www-form-urlencoded`` form with ``query=``.
  Results in the format the ``Accept`` header asks for, written by pyoxigraph's serializers:
  SPARQL results JSON (the default), XML, CSV or TSV for SELECT and ASK; Turtle (the default),
  N-Triples, N-Quads or RDF/XML for CONSTRUCT and DESCRIBE. ``default-graph-uri`` and
  ``named-graph-uri`` are refused (400): a query chooses its graphs with ``FROM`` and ``FROM
  NAMED``, and without them its default graph is the union of all graphs, as in ``kg query``.
* ``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, read-only: ``GET ?default`` (the store's
  own default graph, not the union) and ``GET ?graph=IRI`` (404 for a graph the store does not
  hold) in Turtle (the default), N-Triples, N-Quads or RDF/XML; ``GET`` without either, the whole
  dataset in N-Quads (the default) or TriG. What ``kg export graph --store URL``, ``kg validate``
  and ``Store.to_rdflib`` read through :class:`kg.store.RemoteStore`.
* Writes: ``PUT``, ``POST``, ``DELETE`` or ``PATCH`` on ``/store``, ``/update`` (any method), an
  ``update=`` form field, an ``application/sparql-update`` body or an update sent as a query: 403
  in one line, the store untouched (it is open read-only anyway); ``kg build --store URL`` gets it.
* ``/``: the query page (``kg/templates/query.html``): a text box, the shipped queries as examples,
  results as a table. ``/view``: the network view (:func:`kg.render.render_html`) of the store.
* ``HEAD`` on ``/``, ``/query``, ``/store`` and ``/view``: the status and headers a ``GET`` would get, no body.

Every query runs as ``kg query`` runs one (:func:`kg.query.execute`), but as text only
(:class:`kg.query.QueryText`: never a shipped query's name or a file's path, and its ``# param``
lines are comments): kg's prefixes may be left undeclared, ``SERVICE`` is refused, and it is
evaluated in a child process killed at the time limit. The store is opened read-only, which
takes no lock; a store that a build is writing is told apart by the lock that build holds
(:func:`being_written`), at start and at each request.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import shlex
import socket
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from markupsafe import Markup

from kg import vocab
from kg.errors import KgError
from kg.query import (
    QueryError,
    QueryText,
    QueryTimeout,
    calls_service,
    describe,
    execute,
    is_update,
    load_query,
    prepare,
    query_params,
    query_text,
    shipped_queries,
)
from kg.render import csp_hash, environment
from kg.store import InvalidQuery, LocalStore, StoreError, being_written, is_url, open_store

DEFAULT_BIND = "127.0.0.1:7878"

#: The largest request body read (a query, or a form holding one).
MAX_BODY_BYTES = 1024 * 1024

#: Formats for SELECT and ASK results, and for CONSTRUCT and DESCRIBE triples; the first of
#: each is the one sent when the client accepts anything.
RESULTS_FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                   ox.QueryResultsFormat.TSV)
TRIPLES_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.RDF_XML)
#: Formats for the whole dataset (``GET /store`` without a graph).
DATASET_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)

#: The host names a request to a server on a loopback address may give.
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})

#: The answer to every write: a SPARQL update, or a Graph Store write (as kg build --store URL sends).
_READ_ONLY = ("kg serve is read-only: build into the store folder instead "
              "(kg build or kg load with --store DIR, the folder kg serve serves)")


class ServeError(KgError):
    """A server that cannot start (bad address, port in use, store missing or being written)."""


class _Refused(Exception):
    """A request answered with an HTTP error status and a one-line plain-text reason."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


# ---------------------------------------------------------------------------------------------
# Starting


def parse_bind(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) -> (host, port); port 0 takes any free port.

    >>> parse_bind("127.0.0.1:7878"), parse_bind("[::1]:0")
    (('127.0.0.1', 7878), ('::1', 0))
    """
    host, sep, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ServeError(f"--bind {text!r}: write it as HOST:PORT with a port up to 65535, e.g. {DEFAULT_BIND}")
    return host, int(port)


def _written_message(spec: str, *, serving: bool = False) -> str:
    """The one line for a store a build is writing: at start, serve it after; while serving,
    ask again after (the server goes on)."""
    then = "ask again when it has finished (this server goes on)" if serving else \
        "wait for it to finish, then serve it"
    return f"the store in {spec} is being written by another process (a kg build or kg load): {then}"


def open_served_store(spec: str) -> LocalStore:
    """The store folder ``spec``, open read-only; refused with one line when it is ``memory``, an
    endpoint URL or a file (which other commands take, or suggest), missing, empty, or being written."""
    path = Path(spec)
    if spec == "memory" or is_url(spec) or path.is_file():
        kind = " is a file:" if path.is_file() else ":"
        raise ServeError(f"--store {spec}{kind} kg serve serves a store folder, the one kg build wrote (--store DIR)")
    if path.is_dir() and being_written(path):
        raise ServeError(_written_message(spec))
    store = open_store(spec, create=False, read_only=True)
    assert isinstance(store, LocalStore)  # neither a URL nor "memory", refused before
    return store


def store_state(path: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a build or load writes the store in ``path``: the name, size and
    modification time of each of its files. RocksDB appends every write to a ``*.log`` file and
    records new table files in its ``MANIFEST``, so a write changes at least one of them; the info
    logs (``LOG*``) and the lock are left out, as a read-only opening may touch them. A listing
    of some tens of files: cheap beside reading the store."""
    entries = [entry for entry in path.iterdir() if not entry.name.startswith(("LOG", "LOCK"))]
    return tuple(sorted((entry.name, (info := entry.stat()).st_size, info.st_mtime_ns) for entry in entries))


@dataclass
class PageCache:
    """The last page rendered and the store state it shows (:func:`store_state`): the view is
    rendered again only when the store has changed (seconds on a dense store)."""

    state: tuple[tuple[str, int, int], ...] | None = None
    page: bytes = b""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, state: tuple[tuple[str, int, int], ...], render: Callable[[], bytes]) -> bytes:
        """The page for ``state``, rendered by ``render`` if the cached one shows another state;
        a request that comes while it renders waits for that page rather than rendering it too."""
        with self.lock:
            if self.state != state:
                self.page, self.state = render(), state
            return self.page


@dataclass
class App:
    """What every request reads: the store, the time limit of a query, the query page and the
    last view rendered."""

    store: LocalStore
    timeout: float
    page: bytes
    page_policy: str
    view: PageCache = field(default_factory=PageCache)


class Server(ThreadingHTTPServer):
    """The HTTP server: a thread per request, each query in its own child process."""

    daemon_threads = True  # Ctrl-C does not wait for a request being answered

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily, app: App) -> None:
        self.address_family = family
        self.app = app
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The server's base URL, ending in ``/``."""
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    @property
    def loopback(self) -> bool:
        """Whether only this machine can reach the server."""
        return ipaddress.ip_address(str(self.server_address[0]).split("%")[0]).is_loopback

    stopping = False  # set on closing: the answers cut short then are not logged

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is no error of the server's; the rest are bugs."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        self.stopping = True
        super().server_close()
        self.app.store.close()


def make_server(store_spec: str, bind: str = DEFAULT_BIND, *, timeout: float = 60) -> Server:
    """A server for the store folder ``store_spec`` listening on ``bind`` (``HOST:PORT``), not yet
    serving: call ``serve_forever()``. ``timeout``: seconds each query may run (0: no limit).

    Raises:
        ServeError, StoreError: one line, for a bad address, a port in use, a store missing or
            being written.
    """
    host, port = parse_bind(bind)
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError) as err:
        raise ServeError(f"--bind {bind}: cannot use host {host!r} ({err}); give an address such as 127.0.0.1") from None
    store = open_served_store(store_spec)
    app = App(store, timeout, *query_page(store_spec))
    try:
        return Server((host, port), family, app)
    except OSError as err:
        store.close()
        if err.errno == errno.EADDRINUSE:
            raise ServeError(f"--bind {bind}: the port is in use; stop what uses it or give another port "
                             f"(--bind {host}:0 takes any free one)") from None
        raise ServeError(f"--bind {bind}: cannot listen there ({err.strerror or err}); "
                         f"give an address of this machine, e.g. {DEFAULT_BIND}") from None


# ---------------------------------------------------------------------------------------------
# The query page


def _example_params(text: str) -> dict[str, str]:
    """The parameters of a shipped query's ``# example: kg query NAME --param k=v ...`` line."""
    line = re.search(r"^#\s*example:\s*(.*)$", text, re.M)
    words = shlex.split(line.group(1)) if line else []
    pairs = [value for flag, value in zip(words, words[1:]) if flag in ("--param", "-p")]
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


#: A VALUES line as :func:`kg.query.bind_params` writes it, just after its group's brace and
#: two spaces in, and what follows it: a blank line when the group's text went on a new line.
_BOUND_LINE = re.compile(r"\{\n  (VALUES \([^\n]*)\n\n?([ \t]*)")


def _indented(text: str) -> str:
    """``text`` with each bound VALUES line indented as the line after it, the blank line gone:
    the page shows the query to be read and edited."""
    return _BOUND_LINE.sub(lambda match: f"{{\n{match[2]}{match[1]}\n{match[2]}", text)


def _values_lines(text: str, name: str) -> int:
    return len(re.findall(rf"^[ \t]*VALUES \([^)]*\?{name}\b", text, re.M))


def example(name: str) -> dict[str, str]:
    """A shipped query as the page offers it, run as ``kg query NAME`` runs it: its optional
    parameters unbound; each required one bound by VALUES lines to its value on the query's
    ``# example:`` line, which ``bound`` says (the page shows it: edit the value to ask about
    another). Without the PREFIX lines :func:`kg.query.prepare` puts first: the endpoint adds
    those that a query leaves out."""
    text = load_query(name)
    required = [param for param, needed in query_params(text).items() if needed]
    values = {param: value for param, value in _example_params(text).items() if param in required}
    prepared = _indented(prepare(name, values))[len(vocab.sparql_prologue(text)):]
    notes = []
    for param, value in values.items():
        lines = _values_lines(prepared, param) - _values_lines(text, param)
        where = "its VALUES line" if lines == 1 else f"each of its {lines} VALUES lines"
        notes.append(f"{param} bound to {value} (required): edit {where} to ask about another")
    return {"name": name, "about": describe(name), "text": prepared, "bound": "; ".join(notes)}


def query_page(store_spec: str) -> tuple[bytes, str]:
    """The query page and its Content-Security-Policy: its one script and one style are inline,
    allowed by their hashes; it may fetch from its own server only (the endpoint)."""
    script = (resources.files("kg") / "templates" / "query.js").read_text(encoding="utf-8")
    data = {
        "examples": [example(name) for name in shipped_queries()],
        "prefixes": vocab.PREFIXES,
    }
    page = environment().get_template("query.html").render(store=store_spec, data=data, script=Markup(script))
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    policy = (f"default-src 'none'; script-src {csp_hash(script)}; "
              f"style-src {' '.join(csp_hash(style) for style in styles)}; connect-src 'self'; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return page.encode("utf-8"), policy


# ---------------------------------------------------------------------------------------------
# Answering


def negotiate(accept: str | None, formats: tuple[Any, ...]) -> Any:
    """The format of ``formats`` that an ``Accept`` header prefers (its first when it accepts
    anything, None when it accepts none of them), media types read by pyoxigraph.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULTS_FORMATS).name
    'SPARQL Results in XML'
    """
    if not accept or not accept.strip():
        return formats[0]
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    for _, _, media in sorted(ranges):
        if media == "*/*":
            return formats[0]
        if media.endswith("/*"):
            found = [f for f in formats if f.media_type.startswith(media[:-1])]
        else:
            kind = type(formats[0])
            found = [f for f in formats if f == kind.from_media_type(media)]
        if found:
            return found[0]
    return None


def _prefixes(fmt: ox.RdfFormat) -> dict[str, str] | None:
    """kg's prefixes for the RDF formats that have prefixes (not N-Triples or N-Quads)."""
    return None if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else vocab.PREFIXES


def _write(result: Any, fmt: Any, output: IO[bytes]) -> None:
    """Results (solutions, a boolean or triples) in ``fmt``, by pyoxigraph's serializers."""
    if isinstance(fmt, ox.QueryResultsFormat):
        result.serialize(output, format=fmt)
        return
    ox.serialize(result, output, format=fmt, prefixes=_prefixes(fmt))


def checked_query(text: str) -> QueryText:
    """A query the endpoint runs, as :class:`kg.query.QueryText`: never read as a shipped
    query's name or a file's path, its ``# param`` lines comments (a client such as
    ``kg query --store URL`` sends a shipped query with its values bound and those lines kept).
    An update, a SERVICE call or text that is not SPARQL is refused (:class:`_Refused`)."""
    if is_update(text):
        raise _Refused(403, _READ_ONLY)
    try:
        query = query_text(text)
    except QueryError as err:
        raise _Refused(400, str(err)) from None
    if calls_service(query):
        raise _Refused(403, "the query has a SERVICE clause (a call to another endpoint): kg serve refuses it")
    return query


def _requested_graph(query: str) -> ox.NamedNode | ox.DefaultGraph | None:
    """The graph a Graph Store request names in its URL's query: ``default``, ``graph=IRI``, or
    None for neither (the whole dataset); two names, or an IRI that is not one, are refused."""
    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    named = params.get("graph", [])
    if len(named) + ("default" in params) > 1:
        raise _Refused(400, "name one graph: /store?default or /store?graph=IRI (or neither for the whole dataset)")
    if "default" in params:
        return ox.DefaultGraph()
    if not named:
        return None
    try:
        return ox.NamedNode(named[0])
    except ValueError as err:
        raise _Refused(400, f"graph={named[0]!r} is not an IRI ({err}): give the graph's full IRI") from None


def _render_view(spec: str) -> bytes:
    """The network view of the store in ``spec`` as it is now: opened again, so that it shows
    what a build wrote after kg serve started."""
    from kg.network import from_store
    from kg.render import render_html

    try:
        with open_store(spec, create=False, read_only=True) as store:
            graph = from_store(store)
    except StoreError as err:
        raise _Refused(500, str(err)) from None
    return render_html(graph).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    """One request: routes, the SPARQL 1.1 Protocol's query operation, refusals as one line."""

    server: Server
    server_version = "kg-serve"
    # HTTP/1.1: every answer has a Content-Length, and a client may keep its connection for the
    # next request; an idle one is closed after a minute.
    protocol_version = "HTTP/1.1"
    timeout = 60
    wbufsize = 64 * 1024  # pyoxigraph writes results in many small pieces

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- the base class's name
        if not self.server.stopping:
            super().log_message(format, *args)

    def version_string(self) -> str:
        return self.server_version  # not Python's version

    def _route(self) -> None:
        """Every method, told apart by ``self.command`` as :meth:`_send` and :meth:`_params` tell
        it: HEAD as GET without the body (link checkers and some SPARQL clients ask this way
        first), the writes refused."""
        method = self.command
        path = urllib.parse.urlsplit(self.path).path
        routes = {"/": (("GET", "HEAD"), self._page), "/query": (("GET", "HEAD", "POST"), self._query),
                  "/store": (("GET", "HEAD"), self._graph_store), "/view": (("GET", "HEAD"), self._view)}
        try:
            self._check_host()
            if path == "/update" or (path == "/store" and method in ("PUT", "POST", "DELETE", "PATCH")):
                raise _Refused(403, _READ_ONLY)
            if path not in routes:
                raise _Refused(404, f"nothing at {path}: / is the query page, /query the SPARQL endpoint, "
                                    "/store the graphs (Graph Store Protocol), /view the network view")
            methods, answer = routes[path]
            if method not in methods:
                raise _Refused(405, f"{method} is not allowed on {path}: use {', '.join(methods[:-1])} or "
                                    f"{methods[-1]}",
                               {"Allow": ", ".join(methods)})
            answer()
        except _Refused as refused:
            self.close_connection = True  # a body it did not read must not be taken for a request
            self._send(refused.status, "text/plain; charset=utf-8", (refused.reason + "\n").encode("utf-8"),
                       refused.headers)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _route

    def _send(self, status: int, content_type: str, body: bytes | IO[bytes], headers: dict[str, str] | None = None,
              length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if isinstance(body, bytes) else length))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        if isinstance(body, bytes):
            self.wfile.write(body)
        else:
            while chunk := body.read(64 * 1024):
                self.wfile.write(chunk)

    def _check_host(self) -> None:
        """On a loopback address, a request must name a loopback host: a page elsewhere whose
        name is made to resolve to 127.0.0.1 (DNS rebinding) could otherwise read the store."""
        host = urllib.parse.urlsplit(f"//{self.headers.get('Host', '')}").hostname or ""
        if self.server.loopback and host not in _LOOPBACK_NAMES:
            raise _Refused(403, f"the Host header names {host or 'nothing'}: kg serve on a loopback address "
                                "answers requests to 127.0.0.1, localhost or [::1] only")

    def _page(self) -> None:
        app = self.server.app
        self._send(200, "text/html; charset=utf-8", app.page, {"Content-Security-Policy": app.page_policy})

    def _check_not_written(self) -> None:
        store = self.server.app.store
        if store.path is not None and being_written(store.path):
            raise _Refused(503, _written_message(store.spec, serving=True), {"Retry-After": "10"})

    def _view(self) -> None:
        self._check_not_written()
        store = self.server.app.store
        assert store.path is not None  # kg serve serves a folder
        try:
            state = store_state(store.path)
        except OSError as err:
            raise _Refused(500, f"cannot read the store in {store.spec}: {err.strerror or err}") from None
        page = self.server.app.view.get(state, lambda: _render_view(store.spec))
        self._send(200, "text/html; charset=utf-8", page)

    def _params(self) -> dict[str, list[str]]:
        """The request's parameters: the URL's, and a POSTed form's or query body."""
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        if self.command != "POST":
            return params
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            raise _Refused(403, _READ_ONLY)
        if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            raise _Refused(415, f"cannot read a {media or 'body without Content-Type'}: POST a query as "
                                "application/sparql-query or as a form (application/x-www-form-urlencoded, query=...)")
        body = self._body()
        if media == "application/sparql-query":
            if "query" in params:
                raise _Refused(400, "the query is in the body: leave query= out of the URL")
            params["query"] = [body]
        else:
            for name, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
        return params

    def _body(self) -> str:
        """The request body as text (UTF-8), at most :data:`MAX_BODY_BYTES`."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise _Refused(411, "a POST needs a Content-Length header")
        if int(length) > MAX_BODY_BYTES:
            raise _Refused(413, f"the request body is over {MAX_BODY_BYTES // 1024} KB: send a shorter query")
        try:
            return self.rfile.read(int(length)).decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(400, "the request body is not UTF-8 text") from None

    def _query_text(self) -> QueryText:
        params = self._params()
        if "update" in params:
            raise _Refused(403, _READ_ONLY)
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise _Refused(400, "default-graph-uri and named-graph-uri are not supported: name the graphs in the "
                                "query with FROM and FROM NAMED (without them the default graph is every graph)")
        queries = params.get("query", [])
        if len(queries) != 1:
            raise _Refused(400, "give one query: GET /query?query=..., or POST it as application/sparql-query "
                                "or as a form field query=")
        return checked_query(queries[0])

    def _graph_store(self) -> None:
        """The Graph Store Protocol's GET: one graph (``?default``, ``?graph=IRI``) or, without
        either, the whole dataset, serialized by pyoxigraph from the served store."""
        graph = _requested_graph(urllib.parse.urlsplit(self.path).query)
        self._check_not_written()
        store = self.server.app.store.oxigraph
        if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
            raise _Refused(404, f"the store has no graph {graph.value}: list its graphs with "
                                "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } on /query")
        formats, what = (DATASET_FORMATS, "the dataset comes") if graph is None else (TRIPLES_FORMATS, "a graph comes")
        self._send_negotiated(formats, what, lambda buffer, fmt: store.dump(buffer, format=fmt, from_graph=graph,
                                                                             prefixes=_prefixes(fmt)))

    def _send_negotiated(self, formats: tuple[Any, ...], what: str, write: Callable[[IO[bytes], Any], object]) -> None:
        """A 200 in the format of ``formats`` the Accept header prefers (a 406 saying ``what``
        comes in which, when it accepts none), written whole by ``write(buffer, format)`` before
        the status is sent, so that a failure while writing is still an error status."""
        fmt = negotiate(self.headers.get("Accept"), formats)
        if fmt is None:
            raise _Refused(406, "cannot answer in the formats the Accept header asks for; "
                                f"{what} as {', '.join(f.media_type for f in formats)}")
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, prefix="kg-serve-") as buffer:
            write(buffer, fmt)
            length = buffer.tell()
            buffer.seek(0)
            self._send(200, fmt.media_type, buffer, length=length)

    def _query(self) -> None:
        text = self._query_text()
        self._check_not_written()
        app = self.server.app
        try:
            result = execute(app.store, text, timeout=app.timeout)
        except QueryTimeout:
            raise _Refused(503, f"the query stopped after {app.timeout:g} s, the time limit of this server "
                                "(kg serve --timeout): narrow it (more specific patterns, a LIMIT)") from None
        except QueryError as err:
            raise _Refused(400, str(err)) from None
        except StoreError as err:
            raise _Refused(400 if isinstance(err, InvalidQuery) else 500, str(err)) from None
        formats = RESULTS_FORMATS if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)) else TRIPLES_FORMATS
        self._send_negotiated(formats, "this query's results come", lambda buffer, fmt: _write(result, fmt, buffer))
