"""kg.store: opening stores by name, atomic graph writes, load/dump, the remote endpoint."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from conftest import _free_port
from rdflib.compare import isomorphic

from kg import model, vocab
from kg.store import LocalStore, RemoteStore, StoreError, open_store, rdf_format
from kg.build import derivation_pending

G1 = ox.NamedNode("https://example.org/g1")
G2 = ox.NamedNode("https://example.org/g2")
S = ox.NamedNode("https://example.org/s")
P = ox.NamedNode("https://example.org/p")


def quad(value: str, graph: ox.NamedNode = G1) -> ox.Quad:
    return ox.Quad(S, P, ox.Literal(value), graph)


def same_dataset(a, b) -> bool:
    """Graph by graph isomorphism of two stores, less kg's mark that a load happened
    (``graph/build``: the next build derives the agreements again)."""
    mark = str(model.node(vocab.BUILD_GRAPH))
    names_a = {str(q.graph_name) for q in a.quads()} - {mark}
    names_b = {str(q.graph_name) for q in b.quads()} - {mark}
    if names_a != names_b:
        return False
    for name in names_a:
        ga = [q for q in a.quads() if str(q.graph_name) == name]
        gb = [q for q in b.quads() if str(q.graph_name) == name]
        if not isomorphic(_g(ga), _g(gb)):
            return False
    return True


def _g(quads) -> rdflib.Graph:
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def test_open_store_by_name(tmp_path):
    assert isinstance(open_store("memory"), LocalStore)
    with open_store(tmp_path / "st") as store:
        assert isinstance(store, LocalStore) and store.is_empty()
    assert (tmp_path / "st").is_dir()


def test_read_only_commands_do_not_create_a_store(tmp_path):
    with pytest.raises(StoreError, match="no store in .*kg build"):
        open_store(tmp_path / "missing", create=False)
    assert not (tmp_path / "missing").exists()


def test_a_file_is_not_a_store(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(tmp_path / "f.txt")


def test_a_store_in_use_gives_a_one_line_error(tmp_path):
    with open_store(tmp_path / "st"):
        with pytest.raises(StoreError) as err:
            open_store(tmp_path / "st")
    assert "\n" not in str(err.value) and "another kg command" in str(err.value)


def test_disk_store_keeps_data_after_close(tmp_path):
    with open_store(tmp_path / "st") as store:
        store.replace_graphs({G1: [quad("1")]})
    with open_store(tmp_path / "st", create=False) as store:
        assert len(store) == 1


def test_replace_graphs_replaces_and_drops(memory_store):
    memory_store.replace_graphs({G1: [quad("1"), quad("2")], G2: [quad("x", G2)]})
    memory_store.replace_graphs({G1: [quad("3")]}, drop=[G2])
    assert sorted(q.object.value for q in memory_store.quads()) == ["3"]
    assert memory_store.named_graphs() == [G1]


def test_graph_quads_gives_one_named_graph(memory_store):
    memory_store.replace_graphs({G1: [quad("1"), quad("2")], G2: [quad("x", G2)]})
    assert sorted(q.object.value for q in memory_store.graph_quads(G1)) == ["1", "2"]
    assert [q.graph_name for q in memory_store.graph_quads(G2)] == [G2]


def test_replace_graphs_is_one_transaction(memory_store, monkeypatch):
    memory_store.replace_graphs({G1: [quad("1")]})
    before = memory_store.quads()
    calls = []

    def failing(quads):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(quads)

    from kg import store as store_module

    original = store_module._ntriples
    monkeypatch.setattr(store_module, "_ntriples", failing)
    with pytest.raises(KeyboardInterrupt):
        memory_store.replace_graphs({G1: [quad("new")], G2: [quad("other", G2)]})
    assert memory_store.quads() == before


def test_first_write_into_an_empty_store_is_undone_on_failure(tmp_path):
    def quads():
        yield quad("1")
        yield quad("2")
        raise KeyboardInterrupt

    class Exploding(list):
        def __iter__(self):
            return quads()

    with open_store(tmp_path / "st") as store:
        with pytest.raises(KeyboardInterrupt):
            store.replace_graphs({G1: Exploding([None])})
        assert store.is_empty()


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_dump_and_load_round_trip_named_graphs(graph_store, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(graph_store.dump(rdf_format(fmt)))
    with open_store("memory") as copy:
        copy.load(path, allow_kg_graphs=True)
        assert same_dataset(graph_store, copy)
        names = {g.value for g in copy.named_graphs()}
        assert {str(vocab.article_graph(f"g{i}")) for i in range(1, 6)} | {str(vocab.AGREEMENTS_GRAPH)} <= names
        assert derivation_pending(copy) and not derivation_pending(graph_store)


def test_turtle_dump_is_the_union_of_the_graphs(graph_store):
    union = rdflib.Graph().parse(data=graph_store.dump(rdf_format("ttl")), format="turtle")
    expected = {(q.subject.value, q.predicate.value) for q in graph_store.quads()}
    assert {(str(s), str(p)) for s, p, _ in union} == expected


def test_load_reports_bad_rdf_in_one_line(tmp_path, memory_store):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(StoreError) as err:
        memory_store.load(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)


def test_unknown_rdf_format_is_explained():
    with pytest.raises(StoreError, match="cannot tell the RDF format"):
        rdf_format("graph.docx")


def test_unreachable_endpoint_names_the_url_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(StoreError) as err:
        open_store(url)
    message = str(err.value)
    assert url in message and "\n" not in message and "cannot reach" in message
    assert list(tmp_path.iterdir()) == []


def test_remote_urls_follow_oxigraph_convention():
    remote = RemoteStore("http://127.0.0.1:7878/query")
    assert (remote.update_url, remote.store_url) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    explicit = RemoteStore("http://h/sparql", update_url="http://h/up", store_url="http://h/gsp")
    assert (explicit.update_url, explicit.store_url) == ("http://h/up", "http://h/gsp")


@pytest.mark.server
def test_remote_store_writes_named_graphs_explicitly(oxigraph_server):
    store = open_store(oxigraph_server)
    store.replace_graphs({G1: [quad("1"), quad("2")], G2: [quad("x", G2)]})
    store.replace_graphs({G1: [quad("3")]}, drop=[G2])
    assert store.named_graphs() == [G1]
    assert [q.object.value for q in store.quads()] == ["3"]
    # nothing in the default graph, nor in rdflib's hidden default-graph substitute
    assert not bool(store.query("ASK { ?s ?p ?o }"))
    assert not bool(store.query("ASK { GRAPH <urn:x-rdflib:default> { ?s ?p ?o } }"))


@pytest.mark.server
def test_remote_store_answers_every_query_form(oxigraph_server):
    store = open_store(oxigraph_server)
    store.replace_graphs({G1: [quad("1")]})
    rows = list(store.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert [r["o"].value for r in rows] == ["1"]
    assert bool(store.query("ASK { GRAPH ?g { ?s ?p \"1\" } }"))
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [t.object.value for t in triples] == ["1"]


@pytest.mark.server
def test_remote_load_keeps_quads_in_their_graphs(oxigraph_server, tmp_path):
    path = tmp_path / "data.nq"
    path.write_bytes(ox.serialize([quad("1"), quad("y", G2)], format=ox.RdfFormat.N_QUADS))
    store = open_store(oxigraph_server)
    assert store.load(path) == 2
    assert store.named_graphs() == [G1, G2]


def test_ontology_graph_quads_are_in_their_graph():
    quads = model.ontology_quads()
    assert quads and {q.graph_name for q in quads} == {model.node(vocab.ONTOLOGY_GRAPH)}

