"""The notebook API (kg.notebook, typed frames of kg.query, the Store's conversions and HTML),
read-only sharing of a store, and notebooks/explore.ipynb: stored without outputs, run headless."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import networkx as nx
import pandas as pd
import pyoxigraph as ox
import pytest
import rdflib
from conftest import GRAPH_AGREEMENTS, build_graph_corpus
from nbclient import NotebookClient

from kg import network, query, vocab
from kg.errors import KgError
from kg.model import node
from kg.notebook import View, counts, open_for_reading, project_path, project_root, store_html
from kg.render import render_html
from kg.store import GraphPatch, open_store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
KEYS = ["party_a", "party_b", "agreement_type"]


# ---- typed frames ---------------------------------------------------------------------------


def test_typed_agreements_have_dates_counts_and_flags(graph_store):
    frame = query.agreements(graph_store, typed=True).set_index(KEYS)
    assert len(frame) == len(GRAPH_AGREEMENTS) and not frame.index.duplicated().any()
    for column in ("date", "first_reported", "last_reported"):
        assert pd.api.types.is_datetime64_dtype(frame[column]), column
    assert str(frame["sources"].dtype) == "Int64" and str(frame["conflict"].dtype) == "boolean"
    assert frame.loc[("BRA", "KOR", "defense_cooperation"), "date"] == pd.Timestamp("2024-02-01")
    assert frame.loc[("DEU", "FRA", "intelligence_sharing"), "date"] == pd.Timestamp("2023-11-20")
    assert pd.isna(frame.loc[("CAN", "FRA", "intelligence_sharing"), "date"])
    assert frame.loc[("CAN", "FRA", "intelligence_sharing"), "last_reported"] == pd.Timestamp("2024-02-20")
    assert frame["conflict"].sum() == 1


def test_typed_agreements_as_of_after_the_last_claim_are_the_query_s(graph_store):
    """The two paths (SPARQL; records merged again) give the same typed frame."""
    pd.testing.assert_frame_equal(query.agreements(graph_store, dt.date(2030, 1, 1), typed=True),
                                  query.agreements(graph_store, typed=True))


def test_untyped_agreements_and_the_cli_keep_dates_as_told(graph_store, graph_store_dir):
    frame = query.agreements(graph_store).set_index(KEYS)
    assert frame.loc[("BRA", "KOR", "defense_cooperation"), "date"] == "2024-02"
    assert frame.loc[("CAN", "FRA", "intelligence_sharing"), "date"] == ""
    written = query.export_agreements(graph_store).decode()
    assert ",2024-02," in written and "2024-02-01" not in written


def test_typed_frames_of_an_empty_store_keep_their_dtypes():
    store = open_store("memory")
    agreements, claims = query.agreements(store, typed=True), query.claims(store)
    assert str(agreements["date"].dtype) == str(claims["published"].dtype) == "datetime64[us]"
    assert str(agreements["sources"].dtype) == "Int64" and str(claims["hedged"].dtype) == "boolean"


def test_run_typed_takes_types_from_the_results():
    store = open_store("memory")
    sparql = """SELECT ?n ?day ?flag ?name ?told WHERE { VALUES (?n ?day ?flag ?name ?told) {
        (2 "2024-03-01"^^xsd:date true "a" "2024") (UNDEF UNDEF UNDEF "b" "") } }"""
    frame = query.run(store, sparql, typed=True)
    assert [str(t) for t in frame.dtypes] == ["Int64", "datetime64[us]", "boolean", "str", "datetime64[us]"]
    assert frame["n"].tolist()[0] == 2 and pd.isna(frame["n"][1])
    assert frame["day"][0] == pd.Timestamp("2024-03-01") and pd.isna(frame["day"][1])
    assert frame["told"][0] == pd.Timestamp("2024-01-01") and pd.isna(frame["told"][1])
    plain = query.run(store, sparql)
    assert plain["day"][0] == "2024-03-01" and pd.isna(plain["day"][1])
    assert plain["told"].tolist() == ["2024", ""]


def test_run_typed_keeps_max_rows_and_text_that_is_not_a_date():
    store = open_store("memory")
    frame = query.run(store, 'SELECT ?x WHERE { VALUES ?x { "2024" "FRA" "2025" } }', typed=True, max_rows=2)
    assert frame["x"].tolist() == ["2024", "FRA"] and frame.attrs["more"] is True


def test_claims_are_one_row_each_and_join_the_agreements(graph_store):
    claims = query.claims(graph_store)
    assert len(claims) == 10
    assert str(claims["date"].dtype) == str(claims["published"].dtype) == "datetime64[us]"
    hedged = claims[claims["hedged"]]
    assert hedged[KEYS + ["article_id"]].values.tolist() == [["CAN", "FRA", "intelligence_sharing", "g4"]]
    agreements = query.agreements(graph_store, typed=True).set_index(KEYS)
    sources = claims.groupby(KEYS)["article_id"].nunique()
    assert sources.to_dict() == agreements["sources"].to_dict()


# ---- the store in a notebook ----------------------------------------------------------------


def test_store_counts(graph_store):
    assert counts(graph_store) == {"articles": 5, "claims": 10, "agreements": 8, "conflicts": 1, "parties": 9,
                                   "quads": len(graph_store)}


@pytest.mark.server
def test_an_endpoint_counts_without_reading_every_quad(oxigraph_server, graph_store, monkeypatch):
    with open_store(oxigraph_server) as remote:
        build_graph_corpus(remote)
        monkeypatch.setattr(remote, "quads", lambda: pytest.fail("every quad read over HTTP"))
        assert counts(remote) == counts(graph_store)
        assert "<td>BRA</td>" in remote._repr_html_()


def test_a_store_shows_its_counts_and_first_agreements(graph_store):
    page = graph_store._repr_html_()
    assert "<td>5</td><td>10</td><td>8</td><td>1</td><td>9</td>" in page
    assert page.count("<tr") == 2 + 1 + 5  # counts (2 rows), the agreements' header and five of them
    assert "<td>BRA</td>" in page and "<td>2024-02</td>" in page


def test_a_store_s_html_escapes_its_path_and_values(tmp_path):
    path = tmp_path / "a<b>&c"
    with open_store(path) as store:
        build_graph_corpus(store)
        fra = node(vocab.party_iri("FRA"))
        code = node(vocab.KG.code)
        parties = node(vocab.PARTIES_GRAPH)
        store.apply({parties: GraphPatch(delete=[ox.Quad(fra, code, ox.Literal("FRA"), parties)],
                                         insert=[ox.Quad(fra, code, ox.Literal("<i>FRA</i>"), parties)])})
        page = store_html(store)
    assert "a&lt;b&gt;&amp;c" in page and "<b>&c" not in page
    assert "&lt;i&gt;FRA&lt;/i&gt;" in page and "<i>FRA" not in page


def test_to_networkx_is_the_network_projection(graph_store):
    graph = graph_store.to_networkx()
    assert sorted(graph.edges(keys=True)) == sorted(network.from_store(graph_store).edges(keys=True))
    signed = graph_store.to_networkx(statuses=["signed"])
    assert {data["status"] for _, _, data in signed.edges(data=True)} == {"signed"}
    assert signed.number_of_edges() < graph.number_of_edges()


def test_to_rdflib_has_the_same_named_graphs_and_quads(tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text('<http://example.org/a> <http://example.org/says> "in the default graph" .\n')
    store = open_store("memory")
    build_graph_corpus(store)
    store.load(extra)
    dataset = store.to_rdflib()

    assert sum(1 for _ in dataset.quads()) == len(store)
    named = {str(g.identifier) for g in dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
    assert named == {g.value for g in store.named_graphs()}
    for graph in store.named_graphs():
        assert len(dataset.graph(rdflib.URIRef(graph.value))) == len(store.graph_quads(graph)), graph
    assert (rdflib.URIRef("http://example.org/a"), rdflib.URIRef("http://example.org/says"),
            rdflib.Literal("in the default graph")) in dataset.default_graph
    agreements = dataset.graph(rdflib.URIRef(str(vocab.AGREEMENTS_GRAPH)))
    bra_kor = rdflib.URIRef(str(vocab.agreement_iri("BRA", "KOR", "defense_cooperation")))
    assert (bra_kor, vocab.KG.status, rdflib.URIRef(str(vocab.status_iri("terminated")))) in agreements
    assert (bra_kor, vocab.KG.statusDate, rdflib.Literal("2024-02", datatype=rdflib.XSD.gYearMonth)) in agreements
    assert (bra_kor, vocab.KG.status, None) not in dataset.default_graph


def test_a_view_shows_the_page_inline_and_saves_it(graph_store, tmp_path):
    graph = graph_store.to_networkx()
    view = View(graph, height="300px", title="Pacts <b>")
    frame = view._repr_html_()
    assert frame.startswith('<div class="kg-view"><iframe srcdoc=') and "height: 300px" in frame
    assert "Pacts &amp;lt;b&amp;gt;" in frame  # the title escaped in the page, the page in the attribute
    saved = view.save(tmp_path / "view.html")
    assert saved.read_text(encoding="utf-8") == render_html(graph, title="Pacts <b>") == view.html()


def test_a_view_saved_into_a_missing_folder_names_that_path(tmp_path):
    target = tmp_path / "no" / "view.html"
    with pytest.raises(KgError) as caught:
        View(nx.MultiGraph()).save(target)
    assert str(caught.value) == f"cannot write {target}: No such file or directory; check the folder exists"


@pytest.mark.parametrize("wrong", [None, "graph", pd.DataFrame(), 3], ids=["None", "str", "DataFrame", "int"])
def test_a_view_of_what_is_not_a_graph_says_what_to_pass(wrong):
    with pytest.raises(TypeError, match=r"^View shows a party graph \(store.to_networkx\(\), .*, not "):
        View(wrong)


@pytest.mark.parametrize(("graph", "message"), [
    (nx.path_graph(2), "nodes are party codes: 0 is not one"),
    (nx.MultiGraph([("AAA", "BBB")]), "the edge AAA-BBB has no agreement_type"),
])
def test_a_view_of_a_graph_that_is_not_kg_s_says_how_to_make_one(graph, message):
    with pytest.raises(TypeError, match=f"{message}; make it with store.to_networkx()"):
        View(graph)


@pytest.mark.parametrize("convert", [nx.Graph, nx.DiGraph], ids=["Graph", "DiGraph"])
def test_a_view_takes_a_simple_graph_of_parties_as_a_multigraph(graph_store, convert):
    party_graph = graph_store.to_networkx()
    view = View(convert(party_graph))
    assert type(view.graph) is nx.MultiGraph
    assert set(view.graph.edges()) <= set(party_graph.edges()) | {(b, a) for a, b in party_graph.edges()}
    assert {n: d["name"] for n, d in view.graph.nodes(data=True)} == {n: d["name"] for n, d in party_graph.nodes(data=True)}
    assert "<iframe srcdoc=" in view._repr_html_()
    assert View(nx.Graph()).graph.number_of_nodes() == 0


def test_a_view_of_a_store_is_its_whole_graph(graph_store):
    assert View(graph_store).html() == View(graph_store.to_networkx()).html()


@pytest.mark.parametrize("call", [
    lambda where: query.agreements(where),
    lambda where: query.agreements(where, dt.date(2030, 1, 1)),
    lambda where: query.claims(where),
    lambda where: query.run(where, "agreements"),
    lambda where: query.export_agreements(where),
    lambda where: network.from_store(where),
    lambda where: counts(where),
    lambda where: store_html(where),
], ids=["agreements", "agreements-as-of", "claims", "run", "export", "from_store", "counts", "store_html"])
def test_a_store_s_path_where_the_store_is_meant_says_how_to_open_it(call, tmp_path):
    where = str(tmp_path / "kg-store")
    with pytest.raises(TypeError) as caught:
        call(where)
    assert str(caught.value) == f"expected an open store, not str: open one with kg.notebook.open_for_reading({where!r})"


@pytest.mark.parametrize(("arguments", "message"), [
    ((None,), r"^a query is SPARQL text, a \.rq file's path or a shipped query's name \(a str\), not NoneType$"),
    (("partners", "JPN"), r"^params are a mapping of names to values, e\.g\. \{'party': 'JPN'\}, not str$"),
])
def test_run_with_a_query_or_params_of_the_wrong_kind_says_what_to_pass(graph_store, arguments, message):
    with pytest.raises(TypeError, match=message):
        query.run(graph_store, *arguments)


@pytest.mark.parametrize(("params", "message"), [
    ({}, "query 'partners' needs --param party=... (params={'party': ...} in Python)"),
    ({"party": "Atlantis"}, "unknown party 'Atlantis': give a code (JPN, NATO) or a name (Japan)"),
    ({"party": "JPN", "nosuch": "1"}, "parameter nosuch: the query has no variable ?nosuch"),
])
def test_query_messages_read_in_python_and_in_the_shell(graph_store, params, message):
    with pytest.raises(query.QueryError) as caught:
        query.run(graph_store, "partners", params)
    assert str(caught.value) == message


def test_a_network_filter_given_one_value_alone_is_that_value(graph_store):
    one = network.from_store(graph_store, types="logistics")
    assert one.number_of_edges() and {t for *_, t in one.edges(keys=True)} == {"logistics"}
    with pytest.raises(network.NetworkError, match="^as-of 2024 is not a date: use YYYY-MM-DD$"):
        network.from_store(graph_store, as_of=2024)


def test_project_paths_resolve_from_the_project_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "notebooks").mkdir()
    assert project_root(tmp_path / "notebooks") == tmp_path
    assert project_path("kg-store", tmp_path / "notebooks") == tmp_path / "kg-store"
    assert project_path(tmp_path / "elsewhere", tmp_path / "notebooks") == tmp_path / "elsewhere"


def test_open_for_reading_resolves_a_store_from_the_root_and_opens_it_read_only(graph_store_dir, tmp_path,
                                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_for_reading(os.path.relpath(graph_store_dir, ROOT)) as store:
        assert store.read_only and counts(store)["agreements"] == len(GRAPH_AGREEMENTS)
    with open_for_reading("memory") as store:
        assert store.is_empty()


def test_open_for_reading_expands_the_home_folder(graph_store_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(graph_store_dir.parent))
    with open_for_reading(f"~/{graph_store_dir.name}") as store:
        assert counts(store)["agreements"] == len(GRAPH_AGREEMENTS)


@pytest.mark.parametrize("wrong", [None, 123])
def test_open_for_reading_of_no_path_says_what_to_pass(wrong):
    with pytest.raises(TypeError, match="^open_for_reading takes a store folder, 'memory' or an endpoint URL"):
        open_for_reading(wrong)


def test_outside_a_project_the_root_is_kg_s_own_or_an_error(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    assert project_root(outside) == ROOT  # kg runs from this checkout (an editable install)
    monkeypatch.setattr("kg.notebook.__file__", str(outside / "kg" / "notebook.py"))
    with pytest.raises(KgError, match="no pyproject.toml"):
        project_root(outside)


# ---- one store, several readers -------------------------------------------------------------


HOLDER = """
import sys
from kg.store import open_store
store = open_store(sys.argv[1], read_only=True)
print(len(store), flush=True)
sys.stdin.read()  # hold the store open until the test closes stdin
store.close()
"""


def test_kg_query_runs_while_another_process_reads_the_store(graph_store_dir):
    # (while one writes it, every reader refuses it in one line: tests/test_store_faults.py)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(graph_store_dir)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert int(holder.stdout.readline()) > 0  # the store is open in the other process
        result = subprocess.run([sys.executable, "-m", "kg", "query", "agreements", "--format", "csv",
                                 "--store", str(graph_store_dir)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.strip().splitlines()) == 1 + len(GRAPH_AGREEMENTS)
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0


# ---- notebooks/explore.ipynb ----------------------------------------------------------------


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.fixture()
def this_python_kernel(tmp_path, monkeypatch) -> str:
    """A kernel spec for the interpreter running the tests (not whatever 'python3' is installed)."""
    spec = tmp_path / "kernels" / "kg-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the chart
    monkeypatch.delenv("KG_STORE", raising=False)
    return "kg-test"


def run_notebook(kernel: str, cwd: Path) -> list[nbformat.NotebookNode]:
    """Execute the notebook in ``cwd``; its outputs."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name=kernel, resources={"metadata": {"path": str(cwd)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return outputs


def check_outputs(outputs: list[nbformat.NotebookNode]) -> tuple[str, str]:
    """What every run shows: the store, typed frames, one inline view, a chart, the rdflib copy
    with as many quads as the store. Returns (the printed text, the store's HTML)."""
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    plain = "".join(o.data["text/plain"] for o in outputs if "text/plain" in o.get("data", {}))
    (store,) = [h for h in html if h.startswith('<div class="kg-store">')]
    views = [h for h in html if "<iframe srcdoc=" in h]
    assert len(views) == 1
    assert "&lt;script src=" not in views[0] and "https://cdn" not in views[0]
    assert re.search(r"[1-9]\d* parties, [1-9]\d* agreements", text), text
    assert "datetime64" in plain and "Int64" in plain, "no typed frame"
    assert any("party_a" in h and "<table" in h for h in html if h is not store), "no agreements table"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart"
    quads = re.search(r"<th>quads</th></tr><tr>(?:<td>[\d,]+</td>){5}<td>([\d,]+)</td>", store)
    assert quads and f"{quads.group(1)} quads in rdflib" in text, (store, text)
    return text, store


@pytest.mark.slow
def test_notebook_builds_the_seeds_when_given_no_store(this_python_kernel):
    text, _ = check_outputs(run_notebook(this_python_kernel, NOTEBOOK.parent))  # Jupyter's cwd
    assert re.search(r"\d+ articles .*\d+ agreements", text), text


@pytest.mark.slow
def test_notebook_reads_a_store_from_the_project_root_while_another_process_reads_it(
    this_python_kernel, graph_store_dir, tmp_path, monkeypatch
):
    """Another cwd, a store path relative to the project root, and the store open read-only here
    (as kg serve holds it; a store a build holds is refused: tests/test_store_faults.py)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("KG_STORE", os.path.relpath(graph_store_dir, ROOT))
    with open_store(graph_store_dir, read_only=True):
        text, store = check_outputs(run_notebook(this_python_kernel, elsewhere))
    assert "<td>5</td><td>10</td><td>8</td><td>1</td><td>9</td>" in store  # the graph corpus, not the seeds
    assert "articles" not in text  # nothing was built


def test_view_refuses_an_option_the_page_does_not_take_at_once(graph_store):
    """View(store, bogus=1) was taken, and failed only when Jupyter showed it (QA)."""
    with pytest.raises(TypeError, match=r"^View takes bgcolor, height, layout, positions, seed, title, not bogus$"):
        View(graph_store, bogus=1)
    with pytest.raises(ValueError, match="layout 'map' is not a layout: use 'spring' or 'geo'"):
        View(graph_store, layout="map")


def test_view_draws_the_map_layout_as_kg_render_does(graph_store):
    from kg.geo import geo_layout
    from kg.render import page_data

    view = View(graph_store, layout="geo")
    expected = geo_layout(view.graph)
    drawn = {n["id"]: (n["x"], n["y"]) for n in page_data(view.graph, positions=view.options["positions"])["nodes"]}
    assert drawn == expected  # the page places each party where the map layout put it
    assert "<iframe srcdoc=" in view._repr_html_()


@pytest.mark.parametrize("name", ["", "  "])
def test_open_for_reading_an_empty_name_says_what_to_give(name):
    """It opened the project root and said '--store /project is not a kg store' (QA)."""
    with pytest.raises(KgError, match=r"^open_for_reading takes a store folder, .* not an empty name: give the folder"):
        open_for_reading(name)


def test_to_rdflib_shows_no_warning_of_rdflib_s_own_parser(graph_store):
    """rdflib's N-Quads parser warns about its own deprecated API on every to_rdflib()."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(graph_store.to_rdflib()) > 0
