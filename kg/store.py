"""Open a store by name: on-disk Oxigraph (default), in-process memory, or a SPARQL 1.1 endpoint.

Every store has the same small interface (:class:`Store`): SPARQL queries, an atomic
"replace these named graphs" write, load and dump. The two backends:

* :class:`LocalStore` wraps ``pyoxigraph.Store`` (a directory, or memory). Queries see the
  union of all graphs as their default graph. Writes are one transaction: a SPARQL update that
  drops the replaced graphs and inserts the new ones; a first write into an empty store goes
  through ``bulk_extend`` (much faster) and empties the store again if it fails.
* :class:`RemoteStore` speaks the SPARQL 1.1 protocol and the Graph Store HTTP Protocol with
  ``urllib``: queries to the query URL, each named graph written with its own ``PUT`` (never
  into the default graph). The update and graph-store URLs default to Oxigraph's convention
  (``.../query`` -> ``.../update`` and ``.../store``).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Union

import pyoxigraph as ox

from kg import vocab

#: What a SPARQL query returns: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT).
QueryResult = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples, list]

#: RDF formats by the names the CLI accepts.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}

DEFAULT_STORE = "kg-store"


class StoreError(Exception):
    """A store that cannot be opened, read or written; ``str()`` is one line for the user."""


def rdf_format(name_or_path: str | Path) -> ox.RdfFormat:
    """The RDF format of a format name (``ttl``, ``trig``, ``nq``, ``jsonld``) or file name."""
    text = str(name_or_path)
    if text in RDF_FORMATS:
        return RDF_FORMATS[text]
    suffix = Path(text).suffix.lstrip(".").lower()
    for candidate in (suffix, {"turtle": "ttl", "json": "jsonld", "owl": "rdf", "xml": "rdf"}.get(suffix, "")):
        if candidate in RDF_FORMATS:
            return RDF_FORMATS[candidate]
    raise StoreError(
        f"cannot tell the RDF format of {text!r}: use one of {', '.join(RDF_FORMATS)} "
        "(or a file ending in one of them)"
    )


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _ntriples(quads: Iterable[ox.Quad]) -> bytes:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class Store:
    """What every backend offers. Open one with :func:`open_store`."""

    spec: str

    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
        raise NotImplementedError

    def replace_graphs(
        self,
        graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]],
        drop: Iterable[ox.NamedNode] = (),
    ) -> None:
        """Drop the ``drop`` graphs and replace each of ``graphs`` with its quads."""
        raise NotImplementedError

    def named_graphs(self) -> list[ox.NamedNode]:
        """The names of all named graphs, sorted."""
        raise NotImplementedError

    def quads(self) -> list[ox.Quad]:
        """Every quad of the store."""
        raise NotImplementedError

    def load(self, path: str | Path, fmt: ox.RdfFormat | None = None, graph: ox.NamedNode | None = None) -> int:
        """Add the RDF of a file; triples go to ``graph`` (default graph if None). Returns #quads."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        return not self.quads()

    def __len__(self) -> int:
        return len(self.quads())

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """Serialise the store. Formats without named graphs (Turtle, N-Triples) get the union."""
        quads = self.quads()
        if fmt.supports_datasets:
            return ox.serialize(quads, format=fmt, prefixes=_prefixes(fmt)) or b""
        triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        return ox.serialize(triples, format=fmt, prefixes=_prefixes(fmt)) or b""

    def optimize(self) -> None:
        """Compact the store after a large write (a no-op where the backend has none)."""

    def close(self) -> None:
        """Release the store (the on-disk lock)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _prefixes(fmt: ox.RdfFormat) -> dict[str, str] | None:
    # N-Triples/N-Quads have no prefixes; JSON-LD output is fine without a context.
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML):
        return dict(vocab.PREFIXES)
    return None


class LocalStore(Store):
    """An Oxigraph store in a directory, or in memory (``path=None``)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.spec = str(path) if path is not None else "memory"
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as err:
            raise StoreError(
                f"cannot open the store in {path}: {_one_line(err)} "
                "(is another kg command using it? wait for it, or give another --store)"
            ) from None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for oxrdflib or direct use)."""
        return self._store

    def query(self, sparql: str) -> QueryResult:
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise StoreError(f"invalid SPARQL: {_one_line(err)}") from None

    def replace_graphs(self, graphs, drop=()) -> None:
        drop = [g for g in drop if g not in graphs]
        if self.is_empty():
            self._bulk_write(graphs)
            return
        # One SPARQL update is one transaction: all of it is applied, or none. Each replaced
        # graph is written as a difference from what it holds, because rewriting a large
        # derived graph (the agreements) when one article is added costs seconds.
        parts = [f"DROP SILENT GRAPH {g}" for g in drop]
        removed, added = [], []
        for graph, quads in graphs.items():
            old = set(self._store.quads_for_pattern(None, None, None, graph))
            new = set(quads)
            gone = old - new
            if any(isinstance(t, ox.BlankNode) for q in gone for t in (q.subject, q.object)):
                # DELETE DATA cannot name blank nodes: replace the whole graph
                parts.append(f"DROP SILENT GRAPH {graph}")
                fresh = new
            else:
                fresh = new - old
                if gone:
                    removed.append(f"GRAPH {graph} {{\n{_ntriples(gone).decode('utf-8')}}}")
            if fresh:
                added.append(f"GRAPH {graph} {{\n{_ntriples(fresh).decode('utf-8')}}}")
        if removed:
            parts.append("DELETE DATA {\n" + "\n".join(removed) + "\n}")
        if added:
            parts.append("INSERT DATA {\n" + "\n".join(added) + "\n}")
        if parts:
            self._store.update(" ;\n".join(parts))

    def _bulk_write(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        # bulk_extend is not transactional: the store was empty, so on any failure (Ctrl-C
        # included) empty it again, which is the state it was in.
        try:
            self._store.bulk_extend(q for quads in graphs.values() for q in quads)
        except BaseException:
            self._store.clear()
            raise

    def named_graphs(self) -> list[ox.NamedNode]:
        return sorted((g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)

    def quads(self) -> list[ox.Quad]:
        return list(self._store)

    def is_empty(self) -> bool:
        return next(iter(self._store), None) is None

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        if fmt.supports_datasets:
            return self._store.dump(format=fmt, prefixes=_prefixes(fmt)) or b""
        return super().dump(fmt)

    def load(self, path, fmt=None, graph=None) -> int:
        fmt = fmt or rdf_format(path)
        before = len(self._store)
        try:
            self._store.load(path=str(path), format=fmt, to_graph=graph)
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{path}: not valid {fmt.name}: {_one_line(err)}") from None
        except OSError as err:
            raise StoreError(f"{path}: cannot read it: {_one_line(err)}") from None
        return len(self._store) - before

    def optimize(self) -> None:
        if self.path is not None:
            self._store.optimize()

    def close(self) -> None:
        if self._store is None:
            return
        if self.path is not None:
            self._store.flush()
        # pyoxigraph releases the directory lock when the object goes away.
        self._store = None  # type: ignore[assignment]


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint: protocol for queries, Graph Store Protocol for writes.

    Args:
        query_url: the query endpoint, e.g. ``http://127.0.0.1:7878/query``.
        update_url: the update endpoint; default: ``query_url`` with ``/query`` -> ``/update``.
        store_url: the graph-store endpoint; default: ``/query`` -> ``/store``.
        timeout: seconds to wait for an answer.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 600.0,
    ) -> None:
        self.spec = self.query_url = query_url
        base = query_url[: -len("/query")] if query_url.rstrip("/").endswith("/query") else None
        self.update_url = update_url or (base + "/update" if base else query_url)
        self.store_url = store_url or (base + "/store" if base else None)
        self.timeout = timeout

    # -- HTTP -----------------------------------------------------------------------------

    def _request(self, url: str, method: str, body: bytes | None, headers: dict[str, str]) -> tuple[bytes, str]:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            detail = _one_line(err.read().decode("utf-8", "replace"))[:300]
            raise StoreError(f"{url} answered {err.code} {err.reason}: {detail}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(
                f"cannot reach the SPARQL endpoint {url}: {_one_line(reason)} "
                "(is the server running? check the --store URL)"
            ) from None

    def _graph_url(self, graph: ox.NamedNode | None) -> str:
        if self.store_url is None:
            raise StoreError(
                f"no graph-store URL for {self.query_url}: give --graph-store-url "
                "(the endpoint does not end in /query, so it cannot be derived)"
            )
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph.value})
        return f"{self.store_url}?{query}"

    def ping(self) -> None:
        """Raise :class:`StoreError` if the endpoint does not answer a trivial query."""
        self.query("ASK { }")

    # -- Store interface ------------------------------------------------------------------

    def query(self, sparql: str) -> QueryResult:
        data, content_type = self._request(
            self.query_url,
            "POST",
            sparql.encode("utf-8"),
            {
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
            },
        )
        media = content_type.split(";")[0].strip().lower()
        if media == "application/n-triples":
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        fmt = ox.QueryResultsFormat.from_media_type(media) if media else ox.QueryResultsFormat.JSON
        if fmt is None:
            raise StoreError(f"{self.query_url} answered in an unexpected format {media!r}")
        return ox.parse_query_results(data, format=fmt)

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update on the update endpoint."""
        self._request(
            self.update_url,
            "POST",
            sparql.encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def replace_graphs(self, graphs, drop=()) -> None:
        # The Graph Store Protocol has no multi-graph transaction: article graphs are written
        # first and the derived graphs (agreements, parties) last, so an interrupted write
        # leaves at worst stale derived graphs that the next build recomputes.
        for graph in drop:
            if graph not in graphs:
                self._delete(graph)
        for graph, quads in graphs.items():
            if quads:
                self._request(
                    self._graph_url(graph), "PUT", _ntriples(quads), {"Content-Type": "application/n-triples"}
                )
            else:
                self._delete(graph)

    def _delete(self, graph: ox.NamedNode) -> None:
        try:
            self._request(self._graph_url(graph), "DELETE", None, {})
        except StoreError as err:
            if " 404 " not in str(err):
                raise

    def named_graphs(self) -> list[ox.NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted((row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)), key=str)

    def quads(self) -> list[ox.Quad]:
        quads = []
        for graph in [None, *self.named_graphs()]:
            data, _ = self._request(self._graph_url(graph), "GET", None, {"Accept": "application/n-triples"})
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, graph or ox.DefaultGraph())
                for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            ]
        return quads

    def is_empty(self) -> bool:
        return not bool(self.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))

    def load(self, path, fmt=None, graph=None) -> int:
        fmt = fmt or rdf_format(path)
        try:
            parsed = list(ox.parse(path=str(path), format=fmt))
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{path}: not valid {fmt.name}: {_one_line(err)}") from None
        except OSError as err:
            raise StoreError(f"{path}: cannot read it: {_one_line(err)}") from None
        by_graph: dict[ox.NamedNode | None, list[ox.Quad]] = defaultdict(list)
        for item in parsed:
            name = getattr(item, "graph_name", None)
            target = name if isinstance(name, ox.NamedNode) else graph
            by_graph[target].append(item)
        for target, quads in by_graph.items():
            self._request(self._graph_url(target), "POST", _ntriples(quads), {"Content-Type": "application/n-triples"})
        return len(parsed)


def open_store(
    spec: str | Path = DEFAULT_STORE,
    *,
    create: bool = True,
    update_url: str | None = None,
    store_url: str | None = None,
) -> Store:
    """Open a store by name.

    Args:
        spec: a directory (on-disk Oxigraph store, created if missing), ``"memory"``, or the
            ``http(s)://`` URL of a SPARQL 1.1 query endpoint.
        create: for a directory: create the store if it does not exist; if False, a missing
            directory is an error (read-only commands do not leave empty stores behind).
        update_url, store_url: for an endpoint: its update and graph-store URLs, when they do
            not follow Oxigraph's ``/query`` -> ``/update``, ``/store`` convention.

    Raises:
        StoreError: the store cannot be opened or the endpoint does not answer.

    >>> store = open_store("memory")
    >>> store.is_empty()
    True
    """
    text = str(spec)
    if text == "memory":
        return LocalStore(None)
    if text.startswith(("http://", "https://")):
        remote = RemoteStore(text, update_url=update_url, store_url=store_url)
        remote.ping()
        return remote
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise StoreError(f"--store {text} is a file, not a store directory: give a directory, 'memory' or a URL")
    if not path.exists() and not create:
        raise StoreError(f"no store in {text}: build one first with 'kg build PATH --store {text}'")
    return LocalStore(path)
