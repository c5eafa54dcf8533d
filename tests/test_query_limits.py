"""Hostile queries: time limits and Ctrl-C, SERVICE, FROM / FROM NAMED, silent endpoints."""

from __future__ import annotations

import io
import multiprocessing
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import _free_port

from kg.cli import cli
from kg.query import QueryError, QueryTimeout, calls_service, execute, run, write_results
from kg.store import RemoteStore, StoreError, open_store

EX = "https://example.org/"
G1 = ox.NamedNode(EX + "g1")
G2 = ox.NamedNode(EX + "g2")

#: Four unrelated triple patterns over a few thousand triples: ~10^14 rows to count.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _quads(count: int, graph: ox.NamedNode = G1) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p{i % 7}"), ox.Literal(i), graph)
            for i in range(count)]


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> str:
    """An on-disk store of 3000 triples, closed (for subprocesses)."""
    path = tmp_path_factory.mktemp("limits") / "kg-store"
    with open_store(path) as store:
        store.replace_graphs({G1: _quads(3000)})
    return str(path)


@pytest.fixture()
def two_graphs(memory_store):
    """A store with one triple in each of two named graphs."""
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    memory_store.replace_graphs({
        G1: [ox.Quad(ox.NamedNode(EX + "a"), label, ox.Literal("in g1"), G1)],
        G2: [ox.Quad(ox.NamedNode(EX + "b"), label, ox.Literal("in g2"), G2)],
    })
    return memory_store


def _kg(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """`python -m kg ARGS`; fails the test rather than hanging when kg does not stop."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=timeout)


# ---- time limit and Ctrl-C ----------------------------------------------------------------


#: The same rows, not counted but listed: results stream out as pyoxigraph finds them.
CARTESIAN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("query, fmt", [(CARTESIAN, "table"), (CARTESIAN, "csv"), (CARTESIAN, "json"),
                                        (CARTESIAN_ROWS, "tsv"), (CARTESIAN_ROWS, "table")])
def test_an_endless_query_stops_at_its_timeout_in_one_line(big_store, query, fmt):
    result = _kg("query", query, "--store", big_store, "--timeout", "1", "--format", fmt)
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kg: query stopped after 1 s (--timeout)") and "raise --timeout" in line
    assert result.stdout == ""


def _children(pid: int) -> list[str]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return path.read_text().split() if path.exists() else []


def test_ctrl_c_stops_a_running_query_at_once(big_store):
    # SIGINT's default restored in the child: where the tests run as a background job it is ignored
    process = subprocess.Popen([sys.executable, "-m", "kg", "query", CARTESIAN, "--store", big_store],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        started = time.monotonic()
        while not _children(process.pid) and time.monotonic() - started < 20:  # the query is running
            time.sleep(0.1)
        time.sleep(1)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130
    assert stderr.strip() == "kg: interrupted"


def test_execute_with_a_timeout_stops_and_leaves_no_process(memory_store):
    memory_store.replace_graphs({G1: _quads(3000)})
    with pytest.raises(QueryTimeout, match=r"^query stopped after 0.5 s \(--timeout\)"):
        execute(memory_store, CARTESIAN, timeout=0.5)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("query, expected", [
    ("SELECT ?s ?n WHERE { GRAPH ?g { ?s ?p ?n } } ORDER BY ?n LIMIT 2",
     [[EX + "s0", 0], [EX + "s1", 1]]),
    ("ASK { ?s ?p 2999 }", [[True]]),
    ("CONSTRUCT { ?s <https://example.org/q> ?n } WHERE { ?s ?p ?n FILTER(?n = 5) }",
     [[EX + "s5", EX + "q", 5]]),
])
def test_a_limited_query_answers_as_an_unlimited_one(memory_store, query, expected):
    memory_store.replace_graphs({G1: _quads(3000)})
    limited = run(memory_store, query, timeout=30)
    assert limited.values.tolist() == expected
    assert limited.equals(run(memory_store, query))


def test_a_table_shows_its_first_rows_and_says_there_are_more(big_store, monkeypatch):
    monkeypatch.setattr("kg.cli.TABLE_ROWS", 3)
    result = CliRunner().invoke(cli, ["query", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", "--store", big_store])
    assert result.exit_code == 0, result.output
    assert "s0" in result.stdout and "s10 " in result.stdout and "s100 " not in result.stdout
    assert "only the first 3 rows" in result.stderr and "3 row(s)" in result.stderr


def test_a_limited_query_reads_an_on_disk_store_while_it_is_open(big_store, tmp_path):
    buffer = io.BytesIO()
    with open_store(big_store, create=False) as store:
        write_results(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "csv", buffer, timeout=30)
    assert buffer.getvalue().decode().split() == ["n", "3000"]


def test_malformed_query_is_one_line_from_a_limited_query(memory_store):
    with pytest.raises(StoreError) as err:
        execute(memory_store, "SELECT ?x WHERE {\n  ?x ?y ?z .\n  ?x ( }", timeout=30)
    assert str(err.value).startswith("invalid SPARQL: error at line 3,") and "\n" not in str(err.value)


def test_timeout_zero_means_no_limit(big_store):
    result = CliRunner().invoke(cli, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv",
                                      "--timeout", "0", "--store", big_store])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "3000"]


# ---- SERVICE ------------------------------------------------------------------------------


@pytest.mark.parametrize("query, calls", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", True),
    ("select * where { ?x ?y ?z . service silent ?endpoint { ?s ?p ?o } }", True),
    ("SELECT * WHERE {?s ?p ?o .SERVICE<http://127.0.0.1:1/sparql>{?s ?p ?o}}", True),
    ('SELECT * WHERE { ?s ?p ?o FILTER(?o != "SERVICE <http://127.0.0.1:1/> { }") }', False),
    ("SELECT * WHERE { ?s ?p ?o }  # SERVICE <http://127.0.0.1:1/sparql> { }", False),
    ("SELECT ?SERVICE WHERE { ?SERVICE ?p $service }", False),
    ("PREFIX service: <https://example.org/> SELECT * WHERE { ?s service:SERVICE ?o ; :SERVICE ?x }", False),
    ('SELECT * WHERE { ?s ?p "x"@service . ?s <https://example.org/SERVICE> _:SERVICE }', False),
])
def test_service_is_found_by_its_keyword_not_a_substring(query, calls):
    assert calls_service(query) is calls


def test_service_is_refused_without_allow_service(big_store):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    result = CliRunner().invoke(cli, ["query", query, "--store", big_store])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "SERVICE" in line and "--allow-service" in line
    with pytest.raises(QueryError, match="SERVICE"):
        execute(open_store("memory"), query)
    # the word alone, in a string, is data
    frame = run(open_store("memory"), 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/> { }" AS ?x) }')
    assert frame.x.tolist() == ["SERVICE <http://127.0.0.1:1/> { }"]


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_an_unreachable_service_is_one_line_with_allow_service(big_store, fmt):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{_free_port()}/sparql> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["query", query, "--allow-service", "--format", fmt, "--store", big_store])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kg: ") and "SERVICE" in line and "Traceback" not in result.output


# ---- FROM and FROM NAMED ------------------------------------------------------------------


BOTH_PARTS = "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@pytest.mark.parametrize("dataset, expected", [
    ("", {("in g1", None), ("in g2", None), ("in g1", EX + "g1"), ("in g2", EX + "g2")}),
    (f"FROM <{EX}g1>", {("in g1", None)}),
    (f"FROM NAMED <{EX}g2>", {("in g2", EX + "g2")}),
    (f"FROM <{EX}g1> FROM NAMED <{EX}g2>", {("in g1", None), ("in g2", EX + "g2")}),
    (f"FROM <{EX}g1> FROM <{EX}g2>", {("in g1", None), ("in g2", None)}),
])
@pytest.mark.parametrize("timeout", [None, 30], ids=["in-process", "limited"])
def test_from_and_from_named_choose_the_graphs(two_graphs, dataset, expected, timeout):
    frame = run(two_graphs, f"SELECT ?o ?g {dataset} {BOTH_PARTS}", timeout=timeout)
    assert {(o, g if isinstance(g, str) else None) for o, g in frame.itertuples(index=False)} == expected


def test_cli_query_honours_from(tmp_path):
    path = tmp_path / "st"
    with open_store(path) as store:
        store.replace_graphs({G1: _quads(2), G2: _quads(3, G2)})
    result = CliRunner().invoke(cli, ["query", f"SELECT (COUNT(*) AS ?n) FROM <{EX}g2> WHERE {{ ?s ?p ?o }}",
                                      "--format", "csv", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "3"]


# ---- remote endpoints ---------------------------------------------------------------------


@pytest.fixture()
def silent_endpoint():
    """A server on 127.0.0.1 that accepts connections and never answers; yields its query URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/query"
    server.close()
    for connection in accepted:
        connection.close()


def test_a_silent_endpoint_is_a_one_line_error_after_the_timeout(silent_endpoint):
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        RemoteStore(silent_endpoint, timeout=1).query("ASK { }")
    assert time.monotonic() - started < 30
    message = str(err.value)
    assert message.startswith(f"the SPARQL endpoint {silent_endpoint} did not answer within 1 s;")
    assert "\n" not in message
    with pytest.raises(StoreError, match="did not answer within 1 s"):
        open_store(silent_endpoint, timeout=1)


def test_cli_query_on_a_silent_endpoint_stops_at_timeout(silent_endpoint):
    result = _kg("query", "ASK { }", "--store", silent_endpoint, "--timeout", "1")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"kg: the SPARQL endpoint {silent_endpoint} did not answer within 1 s;")


def test_remote_store_has_a_connect_and_a_read_timeout():
    remote = RemoteStore("http://127.0.0.1:7878/query", timeout=5, connect_timeout=2)
    assert (remote.connect_timeout, remote.timeout) == (2, 5)
    default = RemoteStore("http://127.0.0.1:7878/query")
    assert 0 < default.connect_timeout <= default.timeout <= 60


@pytest.mark.server
def test_cli_query_on_a_real_endpoint_keeps_its_timeout_and_formats(oxigraph_server):
    store = open_store(oxigraph_server, timeout=5)
    store.replace_graphs({G1: _quads(3)})
    for fmt, expected in (("csv", ["n", "3"]), ("table", ["n", "3"])):
        result = CliRunner().invoke(cli, ["query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "--format", fmt, "--timeout", "5", "--store", oxigraph_server])
        assert result.exit_code == 0, result.output
        assert [w for w in result.stdout.split() if w.isalnum()][:2] == expected


@pytest.mark.parametrize("timeout", [None, 30])
def test_invalid_sparql_is_told_by_its_error_type_in_and_out_of_the_child_process(big_store, timeout):
    """kg serve told a client's mistake (400) from a store's failure (500) by the message's first
    words; the type says it, also from the child process a time limit runs the query in."""
    from kg.store import InvalidQuery

    with open_store(big_store, read_only=True) as store:
        with pytest.raises(InvalidQuery, match=r"^invalid SPARQL: error at line 1, column 9"):
            run(store, "SELECT ?", timeout=timeout)
