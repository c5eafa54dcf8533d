"""The store interface the build relies on: declared capabilities, quad patterns and apply(),
the same on a local store and on a SPARQL endpoint (a real `oxigraph serve` on 127.0.0.1)."""

from __future__ import annotations

import http.server
import threading

import pyoxigraph as ox
import pytest

from kg.store import GraphPatch, LocalStore, RemoteStore, open_store

G = ox.NamedNode("https://example.org/graph/one")
H = ox.NamedNode("https://example.org/graph/two")
EX = "https://example.org/"


def _quad(s: str, p: str, o: str | ox.Literal, graph: ox.NamedNode = G) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(EX + o)
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), obj, graph)


START = {
    G: [_quad("a", "knows", "b"), _quad("a", "name", ox.Literal("Alpha")), _quad("b", "knows", "c")],
    H: [_quad("x", "knows", "y", H)],
}


def _contents(store) -> set[ox.Quad]:
    return {q for graph in (G, H) for q in store.graph_quads(graph)}


@pytest.fixture(params=["local", "remote"])
def store(request, tmp_path):
    if request.param == "local":
        opened = open_store(str(tmp_path / "store"))
    else:
        opened = open_store(request.getfixturevalue("oxigraph_server"))
    opened.apply(START)
    yield opened
    opened.close()


def test_capabilities_are_declared_by_each_store(tmp_path):
    with open_store(str(tmp_path / "s")) as local, open_store("memory") as memory:
        assert isinstance(local, LocalStore) and local.transactional and local.indexed
        assert memory.transactional and memory.indexed
    remote = RemoteStore("http://127.0.0.1:9/query")
    assert not remote.transactional and not remote.indexed


def test_quads_for_pattern_with_any_term_fixed(store):
    a, knows = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "knows")
    assert set(store.quads_for_pattern(a, None, None, G)) == set(START[G][:2])
    assert set(store.quads_for_pattern(None, knows, None, None)) == {START[G][0], START[G][2], START[H][0]}
    assert store.quads_for_pattern(None, None, ox.Literal("Alpha")) == [START[G][1]]
    assert store.quads_for_pattern(a, None, None, H) == []


def test_apply_patches_replaces_and_drops_in_one_call(store):
    patch = GraphPatch(delete=[START[G][0]], insert=[_quad("a", "knows", "d")])
    store.apply({G: patch}, drop=[H])
    assert _contents(store) == {START[G][1], START[G][2], _quad("a", "knows", "d")}
    store.apply({H: [_quad("z", "knows", "y", H)]})
    assert set(store.graph_quads(H)) == {_quad("z", "knows", "y", H)}
    assert len(store.graph_quads(G)) == 3  # the other graph stays


def test_apply_in_parts_gives_what_one_transaction_gives(tmp_path):
    changes = {G: GraphPatch(delete=[START[G][2]], insert=[_quad("c", "knows", "a")]), H: [_quad("n", "knows", "m", H)]}
    results = []
    for atomic in (True, False):
        with open_store(str(tmp_path / f"s{atomic}")) as local:
            local.apply(START)
            local.apply(changes, atomic=atomic)
            results.append(_contents(local))
    assert results[0] == results[1] == {START[G][0], START[G][1], _quad("c", "knows", "a"), _quad("n", "knows", "m", H)}


def test_a_read_only_store_refuses_apply_and_keeps_its_quads(tmp_path):
    from kg.store import StoreError

    path = str(tmp_path / "s")
    with open_store(path) as local:
        local.apply(START)
    with open_store(path, read_only=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.apply({G: GraphPatch(delete=[START[G][0]])})
        assert _contents(reader) == set(START[G] + START[H])


class _ClosingEndpoint(http.server.BaseHTTPRequestHandler):
    """An endpoint as the standard library writes one: HTTP/1.0 (the handler's default), so each
    answer ends by closing the connection. It answers every query with one solution, ?x = "yes",
    with a Content-Length or, if ``length`` is False, with the end of the connection alone."""

    length = True
    queries: list[str] = []

    def do_POST(self) -> None:
        self.queries.append(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "yes"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if self.length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.send_error(405)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "until-close"])
@pytest.mark.parametrize("timeout", [RemoteStore.TIMEOUT, None], ids=["timeout", "no-limit"])
def test_an_http_1_0_endpoint_that_closes_each_connection_answers_queries(length, timeout):
    handler = type("Handler", (_ClosingEndpoint,), {"length": length, "queries": []})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store = open_store(f"http://127.0.0.1:{server.server_address[1]}/query", timeout=timeout)
        rows = list(store.query("SELECT ?x WHERE { ?s ?p ?x }"))
        assert [row["x"] for row in rows] == [ox.Literal("yes")]
        assert handler.queries == ["ASK { }", "SELECT ?x WHERE { ?s ?p ?x }"]  # open_store pings first
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("use", ["query", "len", "quads", "to_networkx", "_repr_html_"])
def test_a_closed_store_says_so_in_one_line(tmp_path, use):
    """A notebook cell run again after store.close() met "'NoneType' object has no attribute
    'query'"."""
    from kg.store import StoreError, open_store

    store = open_store(tmp_path / "st")
    store.close()
    calls = {"query": lambda: store.query("ASK { }"), "len": lambda: len(store), "quads": store.quads,
             "to_networkx": store.to_networkx, "_repr_html_": store._repr_html_}
    with pytest.raises(StoreError, match=r"^the store in .*/st is closed: open it again"):
        calls[use]()
    store.close()  # closing again is harmless
