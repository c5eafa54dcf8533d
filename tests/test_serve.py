"""kg serve: a store read-only over the SPARQL 1.1 Protocol, its query page and view, its refusals."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import GRAPH_AGREEMENTS

from kg import vocab
from kg.cli import cli
from kg.query import execute, load_query, prepare, query_params, query_text, run, shipped_queries, to_frame
from kg import serve
from kg.serve import ServeError, make_server, negotiate, parse_bind, store_state
from kg.store import open_store

pytestmark = pytest.mark.server

#: Values for the shipped queries' required parameters, in the graph corpus.
PARAMS = {"party": "FRA", "date": "2024-02-10"}
SELECT = "SELECT ?agreement ?status WHERE { ?agreement a kg:Agreement ; kg:status ?status } ORDER BY ?agreement"
CONSTRUCT = "CONSTRUCT { ?agreement kg:status ?status } WHERE { ?agreement a kg:Agreement ; kg:status ?status }"
#: Four unrelated triple patterns over the corpus's 700-odd quads: hours of counting.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
INSERTED = "<https://example.org/s> <https://example.org/p> <https://example.org/o>"

#: urllib without any proxy the environment names: the server is on loopback.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _default_sigint() -> None:
    """In the kg process: SIGINT as a terminal delivers it, even where the tests run with it
    ignored (a shell's background job), which the child would inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Served:
    """A ``kg serve`` process on 127.0.0.1 (any free port), its output in files."""

    def __init__(self, store: Path, folder: Path, *args: str) -> None:
        self.out, self.err = folder / "serve.out", folder / "serve.err"
        with open(self.out, "w") as out, open(self.err, "w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg", "serve", "--store", str(store), "--bind", "127.0.0.1:0", *args],
                stdout=out, stderr=err, preexec_fn=_default_sigint)
        deadline = time.monotonic() + 60
        while "http://" not in self.out.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"kg serve did not start: {self.err.read_text()[-500:]}")
            time.sleep(0.05)
        self.url = self.out.read_text().split(" at ", 1)[1].split()[0]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def served(graph_store_dir, tmp_path_factory):
    server = Served(graph_store_dir, tmp_path_factory.mktemp("serve"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def local(graph_store_dir):
    """The served store, open read-only in the tests' process (kg.query.run's side)."""
    with open_store(graph_store_dir, read_only=True) as store:
        yield store


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP exchange: (status, headers, body), error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _get(served: Served, text: str, accept: str = "application/sparql-results+json", **extra: str):
    query = urllib.parse.urlencode({"query": text, **extra})
    return _request(f"{served.url}query?{query}", headers={"Accept": accept})


def _form(served: Served, fields: dict[str, str], path: str = "query"):
    return _request(served.url + path, urllib.parse.urlencode(fields).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"})


def _frame(body: bytes, fmt=ox.QueryResultsFormat.JSON) -> pd.DataFrame:
    return to_frame(ox.parse_query_results(body, format=fmt))


def _one_line(body: bytes) -> str:
    text = body.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text.strip()


# ---- the SPARQL 1.1 Protocol --------------------------------------------------------------


@pytest.mark.parametrize("name", list(shipped_queries()))
def test_every_shipped_query_over_http_gives_what_kg_query_gives(served, local, name):
    params = {k: v for k, v in PARAMS.items() if query_params(load_query(name)).get(k)}
    # as kg query --store URL sends it: prefixes declared, values bound, '# param' lines kept
    status, headers, body = _get(served, prepare(name, params))
    assert status == 200, body
    assert headers["Content-Type"] == "application/sparql-results+json"
    expected = run(local, name, params)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(_frame(body), expected)


def test_a_shipped_query_sent_with_a_required_parameter_unbound_runs_as_sent(served, local):
    text = load_query("partners")  # "# param party: required", and ?party left unbound
    status, _, body = _get(served, text)
    assert status == 200, body
    expected = run(local, query_text(text))
    assert len(expected) > len(run(local, "partners", {"party": PARAMS["party"]}))
    pd.testing.assert_frame_equal(_frame(body), expected)


def test_a_query_sent_by_get_by_post_and_as_a_form_gives_the_same_rows(served, local):
    expected = run(local, SELECT)
    assert len(expected) == len(GRAPH_AGREEMENTS)
    answers = [
        _get(served, SELECT),
        _request(served.url + "query", SELECT.encode(), {"Content-Type": "application/sparql-query; charset=utf-8"}),
        _form(served, {"query": SELECT}),
    ]
    for status, _, body in answers:
        assert status == 200, body
        pd.testing.assert_frame_equal(_frame(body), expected)


def test_kg_query_reads_the_served_store_as_an_endpoint(served, graph_store_dir):
    args = ["query", "partners", "--param", "party=FRA", "--format", "csv"]
    remote = CliRunner().invoke(cli, [*args, "--store", served.url + "query"])
    direct = CliRunner().invoke(cli, [*args, "--store", str(graph_store_dir)])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == direct.stdout and remote.stdout.count("\n") == 6


@pytest.mark.parametrize("accept, media, fmt", [
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
    ("*/*", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("text/html, application/sparql-results+xml;q=0.5, text/csv;q=0.9", "text/csv; charset=utf-8",
     ox.QueryResultsFormat.CSV),
])
def test_select_results_come_in_the_format_the_client_accepts(served, local, accept, media, fmt):
    status, headers, body = _get(served, SELECT, accept)
    assert status == 200 and headers["Content-Type"] == media
    if fmt == ox.QueryResultsFormat.CSV:  # CSV keeps no term types: the values as text
        assert body.decode().split("\r\n")[0] == "agreement,status"
        assert body.decode().count("\r\n") == len(GRAPH_AGREEMENTS) + 1
    else:
        pd.testing.assert_frame_equal(_frame(body, fmt), run(local, SELECT))


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/sparql-results+json, */*;q=0.1", ox.RdfFormat.TURTLE),
])
def test_construct_results_come_as_the_rdf_the_client_accepts(served, local, accept, fmt):
    status, headers, body = _get(served, CONSTRUCT, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == fmt.media_type
    served_triples = {quad.triple for quad in ox.parse(body, format=fmt)}
    assert served_triples == set(execute(local, CONSTRUCT))
    assert len(served_triples) == len(GRAPH_AGREEMENTS)


def test_a_format_the_query_cannot_come_in_is_406(served):
    status, _, body = _get(served, SELECT, "text/turtle")
    assert status == 406
    assert "application/sparql-results+json" in _one_line(body)


def test_negotiate_prefers_the_highest_quality_then_the_first_listed():
    formats = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)
    assert negotiate("application/n-triples;q=0.4, text/turtle;q=0.3", formats) == ox.RdfFormat.N_TRIPLES
    assert negotiate("text/turtle;q=0, application/*", formats) == ox.RdfFormat.N_TRIPLES
    assert negotiate("text/turtle;q=0", formats) is None
    assert negotiate(None, formats) == ox.RdfFormat.TURTLE


# ---- the Graph Store Protocol (read-only) ---------------------------------------------------


def _graph_url(served: Served, graph: ox.NamedNode | None) -> str:
    return served.url + "store?" + ("default" if graph is None else urllib.parse.urlencode({"graph": graph.value}))


@pytest.mark.parametrize("accept, fmt", [
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("*/*", ox.RdfFormat.TURTLE),
])
def test_the_graph_store_gives_each_graph_as_the_store_holds_it(served, local, accept, fmt):
    graphs = local.named_graphs()
    assert len(graphs) > 3
    for graph in [None, *graphs]:  # None: the store's own default graph, not the union
        status, headers, body = _request(_graph_url(served, graph), headers={"Accept": accept})
        assert status == 200 and headers["Content-Type"].split(";")[0] == fmt.media_type
        held = local.oxigraph.quads_for_pattern(None, None, None, graph or ox.DefaultGraph())
        assert {quad.triple for quad in ox.parse(body, format=fmt)} == {quad.triple for quad in held}


@pytest.mark.parametrize("accept, fmt", [("", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)])
def test_the_graph_store_without_a_graph_gives_the_whole_dataset(served, local, accept, fmt):
    status, headers, body = _request(served.url + "store", headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].split(";")[0] == fmt.media_type
    assert set(ox.parse(body, format=fmt)) == set(local.quads())


def test_kg_export_graph_validate_and_to_rdflib_read_the_served_store_as_its_folder(served, graph_store_dir, tmp_path):
    specs = {"remote": served.url + "query", "local": str(graph_store_dir)}
    for name, spec in specs.items():
        exported = CliRunner().invoke(cli, ["export", "graph", "--store", spec, "-o", str(tmp_path / f"{name}.nq")])
        assert exported.exit_code == 0, exported.output
    remote, local = (set(ox.parse(path=tmp_path / f"{name}.nq")) for name in specs)
    assert remote == local and len(local) > 500
    validated = {name: CliRunner().invoke(cli, ["validate", "--store", spec]) for name, spec in specs.items()}
    assert validated["remote"].exit_code == validated["local"].exit_code == 0, validated["remote"].output
    assert validated["remote"].stdout == validated["local"].stdout
    with open_store(specs["remote"]) as remote_store, open_store(graph_store_dir, read_only=True) as local_store:
        assert set(remote_store.to_rdflib().quads()) == set(local_store.to_rdflib().quads())


def _held(graph_store_dir: Path) -> set[ox.Quad]:
    with open_store(graph_store_dir, read_only=True) as store:  # opened again: as it is now
        return set(store.quads())


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_every_graph_store_write_is_refused_in_one_line(served, graph_store_dir, method):
    before = _held(graph_store_dir)
    data = None if method == "DELETE" else f"{INSERTED} .\n".encode()
    for graph in (vocab.PARTIES_GRAPH, None):
        url = served.url + "store" + (f"?{urllib.parse.urlencode({'graph': str(graph)})}" if graph else "")
        status, _, body = _request(url, data, {"Content-Type": "application/n-triples"}, method=method)
        assert status == 403 and _one_line(body) == READ_ONLY
    assert _held(graph_store_dir) == before


def test_kg_build_into_the_served_store_is_refused_in_one_line_and_changes_nothing(served, graph_store_dir, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "pact.txt").write_text("Published 2024-05-02.\n\nChile and Peru signed a logistics pact on 1 May 2024.\n")
    before = _held(graph_store_dir)
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(articles), "--store", served.url + "query"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"kg: {served.url}store?graph=") and last.endswith(f" answered 403 Forbidden: {READ_ONLY}")
    assert _held(graph_store_dir) == before


# ---- refusals -----------------------------------------------------------------------------


UPDATE = f"INSERT DATA {{ GRAPH <https://example.org/g> {{ {INSERTED} }} }}"
READ_ONLY = ("kg serve is read-only: build into the store folder instead "
             "(kg build or kg load with --store DIR, the folder kg serve serves)")


def test_every_kind_of_update_is_refused_and_the_store_is_unchanged(served, local, graph_store_dir):
    before = len(local)
    attempts = [
        _request(served.url + "update", UPDATE.encode(), {"Content-Type": "application/sparql-update"}),
        _form(served, {"update": UPDATE}, "update"),
        _form(served, {"update": UPDATE}),
        _request(served.url + "query", UPDATE.encode(), {"Content-Type": "application/sparql-update"}),
        _get(served, UPDATE),
        _get(served, "# a comment\nPREFIX ex: <https://example.org/#x>\nDELETE WHERE { ?s ?p ?o }"),
        _form(served, {"query": "  load <https://example.org/data.ttl>"}),
        _request(served.url + "update", method="GET"),
    ]
    for status, headers, body in attempts:
        assert status == 403, body
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        assert _one_line(body) == READ_ONLY
    with open_store(graph_store_dir, read_only=True) as store:  # opened again: as it is now
        assert len(store) == before
    status, _, body = _get(served, f"ASK {{ {INSERTED} }}")
    assert status == 200 and b'"boolean":false' in body


@pytest.mark.parametrize("text, start", [
    ("SELECT * WHERE { ?s ?p", "invalid SPARQL: error at line 1"),
    ("SELECT ?x WHERE {\n  ?x kg:nope ?y\n  FILTER(\n}", "invalid SPARQL: error at line 4"),
    ("partners", "invalid SPARQL: a query starts with"),  # a shipped query's name is no query here
    ("how many pacts?", "invalid SPARQL: a query starts with"),
])
def test_a_malformed_query_is_400_in_one_line(served, text, start):
    status, headers, body = _get(served, text)
    assert status == 400 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert _one_line(body).startswith(start)


def test_a_file_path_sent_as_the_query_is_not_read(served, tmp_path):
    secret = tmp_path / "secret.rq"
    secret.write_text('SELECT ("leaked" AS ?x) WHERE {}')
    status, _, body = _get(served, str(secret))
    assert status == 400 and b"leaked" not in body


@pytest.mark.parametrize("request_args, status, start", [
    ({"path": "query?" + urllib.parse.urlencode({"query": SELECT, "default-graph-uri": "https://e.org/g"})},
     400, "default-graph-uri and named-graph-uri are not supported"),
    ({"path": "query?" + urllib.parse.urlencode({"query": SELECT, "named-graph-uri": "https://e.org/g"})},
     400, "default-graph-uri and named-graph-uri are not supported"),
    ({"path": "query"}, 400, "give one query"),
    ({"path": "query?" + urllib.parse.urlencode([("query", SELECT), ("query", SELECT)])}, 400, "give one query"),
    ({"path": "query?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})},
     403, "the query has a SERVICE clause"),
    ({"path": "query", "data": b"query=x", "headers": {"Content-Type": "text/plain"}}, 415, "cannot read a text/plain"),
    ({"path": "query", "method": "PUT", "data": b"x"}, 405, "PUT is not allowed on /query"),
    ({"path": "view", "method": "POST", "data": b"x"}, 405, "POST is not allowed on /view"),
    ({"path": "store?default&graph=https://e.org/g"}, 400, "name one graph: /store?default or /store?graph=IRI"),
    ({"path": "store?graph=g1.txt"}, 400, "graph='g1.txt' is not an IRI"),
    ({"path": "store?graph=https://e.org/none"}, 404, "the store has no graph https://e.org/none"),
    ({"path": "store?default", "headers": {"Accept": "application/sparql-results+json"}}, 406,
     "cannot answer in the formats the Accept header asks for; a graph comes as text/turtle"),
    ({"path": "sparql"}, 404, "nothing at /sparql"),
    ({"path": "query/"}, 404, "nothing at /query/"),
])
def test_requests_kg_serve_does_not_take_get_a_status_and_one_line(served, request_args, status, start):
    args = dict(request_args)
    answer = _request(served.url + args.pop("path"), **args)
    assert answer[0] == status
    assert _one_line(answer[2]).startswith(start)


def test_on_loopback_only_requests_to_a_loopback_name_are_answered(served):
    port = served.url.rsplit(":", 1)[1].strip("/")
    query = "query?" + urllib.parse.urlencode({"query": SELECT})
    for host in ("localhost", "127.0.0.1", "LOCALHOST"):
        assert _request(served.url + query, headers={"Host": f"{host}:{port}"})[0] == 200
    for path in ("", query, "view"):  # a rebound name: a page elsewhere reading the store
        status, _, body = _request(served.url + path, headers={"Host": f"kg.example.net:{port}"})
        assert status == 403
        assert _one_line(body).startswith("the Host header names kg.example.net: kg serve on a loopback address")


def _raw(served: Served, request: str) -> bytes:
    """All the server sends back for one request written by hand, read until it closes."""
    url = urllib.parse.urlsplit(served.url)
    with socket.create_connection((url.hostname, url.port), timeout=60) as sock:
        sock.sendall(request.encode("ascii"))
        chunks = []
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["", "view", "query?" + urllib.parse.urlencode({"query": SELECT}),
                                  "query?" + urllib.parse.urlencode({"query": "partners"}), "nothing",
                                  "store?" + urllib.parse.urlencode({"graph": str(vocab.PARTIES_GRAPH)})])
def test_head_is_answered_as_get_without_a_body(served, path):
    status, headers, body = _request(served.url + path)
    assert len(body) == int(headers["Content-Length"]) > 0
    answer = _raw(served, f"HEAD /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    head, _, rest = answer.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    got = dict(field.split(": ", 1) for field in fields)
    assert int(status_line.split()[1]) == status
    assert rest == b""
    for name in ("Content-Type", "Content-Length"):
        assert got[name] == headers[name]


def test_a_method_not_allowed_names_head_with_get(served):
    for path, allowed, use in (("", "GET, HEAD", "use GET or HEAD"), ("view", "GET, HEAD", "use GET or HEAD"),
                               ("query", "GET, HEAD, POST", "use GET, HEAD or POST")):
        status, headers, body = _request(served.url + path, b"x", method="PUT")
        assert status == 405 and headers["Allow"] == allowed
        assert _one_line(body) == f"PUT is not allowed on /{path}: {use}"


def test_a_query_past_the_time_limit_is_stopped(graph_store_dir, tmp_path):
    server = Served(graph_store_dir, tmp_path, "--timeout", "1")
    try:
        started = time.monotonic()
        status, _, body = _get(server, CARTESIAN)
        assert time.monotonic() - started < 20
    finally:
        server.stop()
    assert status == 503
    assert _one_line(body).startswith("the query stopped after 1 s, the time limit of this server")


# ---- starting and stopping ----------------------------------------------------------------


def _kg_serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "serve", *args], capture_output=True, text=True, timeout=60)


def _error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kg: ")
    return line


@pytest.mark.parametrize("bind", ["7878", "127.0.0.1:99999", "127.0.0.1:port", ":7878"])
def test_a_bad_bind_is_one_line(graph_store_dir, bind):
    assert "write it as HOST:PORT" in _error_line(_kg_serve("--store", str(graph_store_dir), "--bind", bind))


def test_a_port_in_use_is_one_line(graph_store_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _error_line(_kg_serve("--store", str(graph_store_dir), "--bind", f"127.0.0.1:{port}"))
    assert line == (f"kg: --bind 127.0.0.1:{port}: the port is in use; stop what uses it or give another port "
                    "(--bind 127.0.0.1:0 takes any free one)")


@pytest.mark.parametrize("make, expected", [
    ("missing", "kg: no store in {spec}: build one first with 'kg build PATH --store {spec}'"),
    ("empty", "kg: no store in {spec}: build one first with 'kg build PATH --store {spec}'"),
    ("memory", "kg: --store memory: kg serve serves a store folder, the one kg build wrote (--store DIR)"),
    ("url", "kg: --store http://127.0.0.1:9/query: kg serve serves a store folder, the one kg build wrote"),
    ("file", "kg: --store {spec} is a file: kg serve serves a store folder, the one kg build wrote (--store DIR)"),
])
def test_no_store_to_serve_is_one_line_saying_what_kg_serve_takes(tmp_path, make, expected):
    spec = {"memory": "memory", "url": "http://127.0.0.1:9/query"}.get(make, str(tmp_path / "kg-store"))
    if make == "empty":
        Path(spec).mkdir()
    if make == "file":
        Path(spec).write_text("a,b\n")
    line = _error_line(_kg_serve("--store", spec, "--bind", "127.0.0.1:0"))
    assert line.startswith(expected.format(spec=spec)) and "'memory' or a URL" not in line


@pytest.fixture()
def writer(graph_store_dir, tmp_path):
    """A copy of the graph store and a function that opens it for writing in another process
    (as a running kg build holds it), returning that process."""
    copy = tmp_path / "kg-store"
    shutil.copytree(graph_store_dir, copy)
    started: list[subprocess.Popen] = []

    def hold() -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
                                   "print('open', flush=True); time.sleep(120)", str(copy)],
            stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout.readline().strip() == "open"
        return process

    yield copy, hold
    for process in started:
        process.kill()
        process.wait()


def test_a_store_a_build_is_writing_is_not_served(writer):
    copy, hold = writer
    hold()
    line = _error_line(_kg_serve("--store", str(copy), "--bind", "127.0.0.1:0"))
    assert line == (f"kg: the store in {copy} is being written by another process (a kg build or kg load): "
                    "wait for it to finish, then serve it")


def test_while_a_build_writes_the_served_store_queries_wait_for_it(writer, tmp_path):
    copy, hold = writer
    server = Served(copy, tmp_path)
    try:
        assert _get(server, SELECT)[0] == 200
        build = hold()
        status, headers, body = _get(server, SELECT)
        assert status == 503 and headers["Retry-After"] == "10"
        assert _one_line(body) == (f"the store in {copy} is being written by another process (a kg build or kg load): "
                                   "ask again when it has finished (this server goes on)")
        assert _request(server.url + "view")[0] == 503
        build.kill()
        build.wait()
        assert _get(server, SELECT)[0] == 200  # the probe left no lock behind: a build can open it
        hold().kill()
    finally:
        server.stop()


def test_store_state_changes_when_the_store_is_written_not_when_it_is_read(graph_store_dir, tmp_path):
    copy = tmp_path / "kg-store"
    shutil.copytree(graph_store_dir, copy)
    before = store_state(copy)
    with open_store(copy, read_only=True) as store:
        store.quads()
    assert store_state(copy) == before
    with open_store(copy) as store:
        store.oxigraph.add(ox.Quad(*(ox.NamedNode(f"https://example.org/{n}") for n in "spog")))
    assert store_state(copy) != before


@contextlib.contextmanager
def _serving(store: Path):
    """``kg serve`` in this process (its functions can be watched), on any free port."""
    server = make_server(str(store), "127.0.0.1:0")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_the_view_is_rendered_again_only_after_a_build_writes_the_store(graph_store_dir, tmp_path, monkeypatch):
    copy = tmp_path / "kg-store"
    shutil.copytree(graph_store_dir, copy)
    rendered = []
    render = serve._render_view
    monkeypatch.setattr(serve, "_render_view", lambda spec: rendered.append(spec) or render(spec))
    with _serving(copy) as server:
        first, second = (_request(server.url + "view") for _ in range(2))
        assert first[0] == second[0] == 200 and first[2] == second[2]
        assert rendered == [str(copy)] and b'"CHL"' not in first[2]
        articles = tmp_path / "articles"
        articles.mkdir()
        (articles / "pact.txt").write_text("Published 2024-05-02.\n\nChile and Peru signed a logistics pact on 1 May 2024.\n")
        built = subprocess.run([sys.executable, "-m", "kg", "build", str(articles), "--store", str(copy)],
                               capture_output=True, text=True, timeout=120)
        assert built.returncode == 0, built.stderr
        third, fourth = (_request(server.url + "view") for _ in range(2))
    assert third[0] == 200 and b'"CHL"' in third[2] and b'"PER"' in third[2] and fourth[2] == third[2]
    assert rendered == [str(copy)] * 2


def _children(pid: int) -> list[int]:
    """The child processes of ``pid``, started by any of its threads."""
    return [int(child) for path in Path(f"/proc/{pid}/task").glob("*/children") for child in path.read_text().split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")


def _answer_or_nothing(served: Served, text: str) -> None:
    """A query whose server may stop before it answers."""
    with contextlib.suppress(OSError):  # http.client.RemoteDisconnected is one
        _get(served, text)


def test_ctrl_c_stops_the_server_and_its_running_query(graph_store_dir, tmp_path):
    server = Served(graph_store_dir, tmp_path, "--timeout", "0")
    try:
        threading.Thread(target=_answer_or_nothing, args=(server, CARTESIAN), daemon=True).start()
        started = time.monotonic()
        while not _children(server.process.pid) and time.monotonic() - started < 20:
            time.sleep(0.05)
        (query,) = _children(server.process.pid)
        server.process.send_signal(signal.SIGINT)
        server.process.wait(timeout=10)
    finally:
        server.stop()
    assert server.process.returncode == 130
    stderr = server.err.read_text()
    assert stderr.strip().splitlines()[-1] == "kg: interrupted" and "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while _alive(query) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(query)


def test_parse_bind_reads_ipv6_and_refuses_ports_out_of_range():
    assert parse_bind("[::1]:8080") == ("::1", 8080)
    with pytest.raises(ServeError, match="up to 65535"):
        parse_bind("localhost:65536")


# ---- the query page's examples ------------------------------------------------------------


@pytest.fixture(scope="module")
def examples(served) -> dict[str, dict[str, str]]:
    """The shipped examples as the query page holds them, by name."""
    status, _, body = _request(served.url)
    assert status == 200
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', body.decode(), re.S)
    return {item["name"]: item for item in json.loads(data[1])["examples"]}


#: The values the shipped queries' '# example:' lines give their required parameters.
EXAMPLE_VALUES = {"as-of": {"date": "2024-06-30"}, "partners": {"party": "JPN"}, "timeline": {"party": "JPN"}}


@pytest.mark.parametrize("name", list(shipped_queries()))
def test_a_shipped_example_runs_as_kg_query_runs_it_its_required_values_said_bound(served, local, examples, name):
    item = examples[name]
    values = EXAMPLE_VALUES.get(name, {})
    assert {param for param, required in query_params(load_query(name)).items() if required} == set(values)
    status, _, body = _get(served, item["text"])
    assert status == 200, body
    pd.testing.assert_frame_equal(_frame(body), run(local, name, values))  # optional parameters unbound
    if not values:
        assert item["text"] == load_query(name) and item["bound"] == ""
    for param, value in values.items():
        assert f"{param} bound to {value} (required): edit " in item["bound"]


def test_optional_parameters_of_an_example_are_left_unbound(examples, local):
    # its '# example:' line names a party that the corpus does not hold: bound, it gives no row
    assert "--param party=Japan" in load_query("negotiations") and len(run(local, "negotiations", {"party": "Japan"})) == 0
    assert "VALUES (?party)" not in examples["negotiations"]["text"]
    assert len(run(local, query_text(examples["negotiations"]["text"]))) == len(run(local, "negotiations")) > 0


def test_an_example_says_how_many_values_lines_bind_a_parameter(examples):
    assert examples["as-of"]["bound"] == "date bound to 2024-06-30 (required): edit each of its 3 VALUES lines to ask about another"
    assert examples["partners"]["bound"] == "party bound to JPN (required): edit its VALUES line to ask about another"


@pytest.mark.parametrize("name", list(EXAMPLE_VALUES))
def test_a_bound_values_line_is_indented_as_the_line_after_it(examples, name):
    lines = examples[name]["text"].split("\n")
    bound = [number for number, line in enumerate(lines) if re.match(r"\s*VALUES \(\?(date|party)\)", line)]
    assert bound
    for number in bound:
        indent = re.match(r"\s*", lines[number])[0]
        assert lines[number + 1].strip() and re.match(r"\s*", lines[number + 1])[0] == indent, lines[number:number + 2]
        assert lines[number - 1].rstrip().endswith("{") and len(indent) > len(re.match(r"\s*", lines[number - 1])[0])


# ---- in the browser ---------------------------------------------------------------------


@pytest.fixture()
def page(browser, served):
    """A fresh page where every request outside the server is aborted and recorded, with the
    page's errors (CSP violations are console errors) and dialogs recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    seen = {"elsewhere": [], "errors": [], "dialogs": []}

    def route(r):
        if r.request.url.startswith(served.url):
            r.continue_()
        else:
            seen["elsewhere"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
    tab.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    tab.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    yield tab, seen
    context.close()


def _wait_ready(tab) -> None:
    """Wait for the page's script to be done. Polled from here: Playwright's own polling
    evaluates text in the page, which its Content-Security-Policy forbids (no 'unsafe-eval')."""
    deadline = time.monotonic() + 20
    while not tab.evaluate("window.kgReady === true"):
        assert time.monotonic() < deadline, "the page's script did not finish"
        time.sleep(0.05)


def _open_query_page(tab, served):
    tab.goto(served.url)
    _wait_ready(tab)


@pytest.mark.browser
def test_the_query_page_runs_a_shipped_example_into_a_table(page, served, local):
    tab, seen = page
    _open_query_page(tab, served)
    options = tab.eval_on_selector_all("#kg-example option", "els => els.map(e => e.value)")
    assert options == ["", *shipped_queries()]
    tab.select_option("#kg-example", "as-of")
    assert tab.is_visible("#kg-bound")
    assert tab.inner_text("#kg-bound").startswith("date bound to 2024-06-30 (required): edit each of its 3 VALUES")
    tab.select_option("#kg-example", "agreements")
    assert tab.input_value("#kg-query") == load_query("agreements")  # it binds no parameter
    assert not tab.is_visible("#kg-bound")
    tab.click("#kg-run")
    tab.wait_for_selector("#kg-results tbody tr")
    expected = run(local, "agreements")
    assert tab.eval_on_selector_all("#kg-results th", "els => els.map(e => e.textContent)") == list(expected.columns)
    assert tab.locator("#kg-results tbody tr").count() == len(expected) == len(GRAPH_AGREEMENTS)
    assert tab.inner_text("#kg-status").startswith(f"{len(expected)} row(s) in ")
    assert seen == {"elsewhere": [], "errors": [], "dialogs": []}


@pytest.mark.browser
def test_the_query_page_shows_store_text_as_text_and_errors_in_one_line(page, served):
    tab, seen = page
    _open_query_page(tab, served)
    hostile = "<img src=x onerror=alert(1)></td><script>alert(2)</script>"
    tab.fill("#kg-query", f'SELECT ?x WHERE {{ BIND("{hostile}" AS ?x) }}')
    tab.click("#kg-run")
    tab.wait_for_selector("#kg-results td")
    assert tab.inner_text("#kg-results td") == hostile
    assert tab.locator("#kg-results img, #kg-results script").count() == 0
    tab.fill("#kg-query", "SELECT * WHERE { ?s ?p")
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#kg-status.kg-error")
    assert tab.inner_text("#kg-status").startswith("400: invalid SPARQL: error at line 1")
    assert tab.locator("#kg-results *").count() == 0
    assert seen == {"elsewhere": [], "dialogs": [],
                    "errors": ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]}


@pytest.mark.browser
def test_the_query_page_links_to_the_view_of_the_served_store(page, served):
    tab, seen = page
    _open_query_page(tab, served)
    tab.click("text=Network view")
    tab.wait_for_url(served.url + "view")
    _wait_ready(tab)
    parties = {party for key in GRAPH_AGREEMENTS for party in key[:2]}
    assert tab.evaluate("[kg.data.nodes.length, kg.data.edges.length]") == [len(parties), len(GRAPH_AGREEMENTS)]
    assert seen == {"elsewhere": [], "errors": [], "dialogs": []}
