"""Projection of merged agreements onto a party graph, its metrics and its exports."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass

import networkx as nx
import pytest

from kg import network
from kg.network import NetworkError, to_networkx
from kg.records import Agreement, Article, Claim, Evidence


@dataclass(frozen=True)
class Party:
    """Stands in for kg.gazetteer.Party (same attributes)."""

    code: str
    qid: str
    name: str
    kind: str
    names: tuple[str, ...] = ()


PARTIES = {
    "ARC": Party("ARC", "Q101", "Arcadia", "country"),
    "BOR": Party("BOR", "Q102", "Borduria", "country"),
    "CAL": Party("CAL", "Q103", "Calisota", "country"),
    "DRL": Party("DRL", "Q104", "Drylands", "country"),
    "PACT": Party("PACT", "Q105", "Northern Pact", "organisation"),
}

ARTICLES = {
    "a1": Article("a1", "a1.txt", "Arcadia and Borduria sign deal", dt.date(2023, 3, 1), "https://news.test/1", ""),
    "a2": Article("a2", "a2.txt", "Talks continue", dt.date(2024, 6, 10), "https://news.test/2", ""),
    "a3": Article("a3", "a3.txt", "Calisota joins", dt.date(2022, 1, 5), None, ""),
}


def claim(article: str, a: str, b: str, kind: str, status: str, date: str, sentence: str = "") -> Claim:
    sentence = sentence or f"{a} and {b} {status} a {kind} agreement."
    return Claim(article, f"{article}.txt", a, b, kind, status, date, Evidence(sentence, 0, len(sentence)))


def agreements() -> list[Agreement]:
    return [
        Agreement("ARC", "BOR", "intelligence_sharing", "signed", "2023-02-28",
                  [claim("a1", "ARC", "BOR", "intelligence_sharing", "signed", "2023-02-28"),
                   claim("a2", "ARC", "BOR", "intelligence_sharing", "signed", "2023-02-28")]),
        Agreement("ARC", "BOR", "logistics", "negotiating", "2024-06",
                  [claim("a1", "ARC", "BOR", "logistics", "proposed", "2023"),
                   claim("a2", "ARC", "BOR", "logistics", "negotiating", "2024-06")]),
        Agreement("ARC", "CAL", "reciprocal_access", "agreed_in_principle", "2022",
                  [claim("a3", "ARC", "CAL", "reciprocal_access", "agreed_in_principle", "2022")]),
        Agreement("BOR", "CAL", "defense_cooperation", "signed", "2024-06-01",
                  [claim("a2", "BOR", "CAL", "defense_cooperation", "signed", "2024-06-01"),
                   claim("a2", "BOR", "CAL", "defense_cooperation", "negotiating", "2024-06-01")],
                  conflict=True),
        Agreement("DRL", "PACT", "other", "terminated", "2021",
                  [claim("a3", "DRL", "PACT", "other", "terminated", "2021")]),
    ]


@pytest.fixture()
def graph() -> nx.MultiGraph:
    return to_networkx(agreements(), PARTIES, ARTICLES)


def test_parties_become_nodes_with_name_kind_and_qid(graph):
    assert sorted(graph) == ["ARC", "BOR", "CAL", "DRL", "PACT"]
    assert graph.nodes["PACT"] == {"name": "Northern Pact", "kind": "organisation", "qid": "Q105"}
    assert graph.nodes["ARC"]["kind"] == "country"


def test_each_agreement_is_an_edge_keyed_by_type_with_its_sources(graph):
    assert graph.number_of_edges() == 5
    assert set(graph["ARC"]["BOR"]) == {"intelligence_sharing", "logistics"}
    edge = graph.edges["ARC", "BOR", "intelligence_sharing"]
    assert edge["status"] == "signed" and edge["date"] == "2023-02-28"
    assert edge["sources"] == 2 and edge["conflict"] is False
    first = edge["claims"][0]
    assert first == {
        "article_title": "Arcadia and Borduria sign deal",
        "file": "a1.txt",
        "article_date": "2023-03-01",
        "url": "https://news.test/1",
        "sentence": "ARC and BOR signed a intelligence_sharing agreement.",
        "status": "signed",
        "date": "2023-02-28",
        "told": "2023-03-01",
    }


def test_sources_history_counts_the_articles_as_of_counts_them():
    from conftest import make_article, make_claim

    from kg import model

    articles = {a.id: a for a in [make_article("early", dt.date(2024, 3, 1)), make_article("late", dt.date(2024, 6, 1)),
                                  make_article("undated", None), make_article("ahead", dt.date(2024, 3, 1))]}
    claims = [make_claim("early", "ARC", "BOR", "negotiating"),
              make_claim("early", "ARC", "BOR", "signed", date="2024-04", start=30),  # same article, told later
              make_claim("late", "ARC", "BOR", "signed"),
              make_claim("undated", "ARC", "BOR", "negotiating"),  # told on any day
              make_claim("ahead", "ARC", "BOR", "signed", date="2024-05-10")]  # told when its date comes
    [agreement] = model.merge(claims, articles)
    edge = to_networkx([agreement], {}, articles).edges["ARC", "BOR", "intelligence_sharing"]
    assert edge["sources_history"] == [{"day": "", "sources": 1}, {"day": "2024-03-01", "sources": 2},
                                       {"day": "2024-05-10", "sources": 3}, {"day": "2024-06-01", "sources": 4}]
    assert [c["told"] for c in edge["claims"]] == ["", "2024-03-01", "2024-04-01", "2024-05-10", "2024-06-01"]
    for day in (dt.date(2024, 2, 1) + dt.timedelta(days=n) for n in range(0, 150, 3)):
        counted = [c["sources"] for c in edge["sources_history"] if c["day"] <= day.isoformat()]
        assert counted[-1] == model.as_of([agreement], day, articles)[0].sources, day


def test_party_unknown_to_the_gazetteer_is_named_by_its_code():
    g = to_networkx([Agreement("ZZZ", "XYZORG", "other", "signed", "")], {}, {})
    assert g.nodes["ZZZ"] == {"name": "ZZZ", "kind": "country", "qid": ""}
    assert g.nodes["XYZORG"]["kind"] == "organisation"


def test_missing_article_metadata_gives_empty_fields():
    g = to_networkx([Agreement("ARC", "BOR", "other", "signed", "", [claim("gone", "ARC", "BOR", "other", "signed", "")])])
    c = g.edges["ARC", "BOR", "other"]["claims"][0]
    assert (c["article_title"], c["article_date"], c["url"]) == ("", "", "")


@pytest.mark.parametrize(
    ("kwargs", "edges"),
    [
        ({"types": ["logistics"]}, {("ARC", "BOR", "logistics")}),
        ({"statuses": ["signed"]}, {("ARC", "BOR", "intelligence_sharing"), ("BOR", "CAL", "defense_cooperation")}),
        ({"types": ["intelligence_sharing", "other"], "statuses": ["terminated"]}, {("DRL", "PACT", "other")}),
        ({"types": [], "statuses": []}, None),  # empty filters keep everything
    ],
)
def test_filters_by_type_and_status(kwargs, edges):
    g = to_networkx(agreements(), PARTIES, ARTICLES, **kwargs)
    got = {tuple(sorted((a, b))) + (k,) for a, b, k in g.edges(keys=True)}
    assert got == (edges if edges is not None else {tuple(sorted((a.party_a, a.party_b))) + (a.agreement_type,) for a in agreements()})
    # parties left without an agreement are dropped
    assert set(g) == {p for e in got for p in e[:2]}


def test_as_of_keeps_what_articles_published_by_then_said():
    g = to_networkx(agreements(), PARTIES, ARTICLES, as_of="2023-12-31")
    # a2 (2024) is not yet published: logistics was only 'proposed' then; BOR-CAL not reported
    assert g.edges["ARC", "BOR", "logistics"]["status"] == "proposed"
    assert g.edges["ARC", "BOR", "logistics"]["sources"] == 1
    assert g.edges["ARC", "BOR", "intelligence_sharing"]["sources"] == 1
    assert not g.has_edge("BOR", "CAL")
    assert g.has_edge("ARC", "CAL") and g.has_edge("DRL", "PACT")


def test_as_of_before_everything_gives_an_empty_graph():
    g = to_networkx(agreements(), PARTIES, ARTICLES, as_of=dt.date(2000, 1, 1))
    assert g.number_of_nodes() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"types": ["spying"]}, "unknown agreement type spying"),
        ({"statuses": ["maybe"]}, "unknown status maybe"),
        ({"as_of": "last week"}, "is not a date"),
    ],
)
def test_bad_filter_values_raise_a_clear_error(kwargs, message):
    with pytest.raises(NetworkError, match=message):
        to_networkx(agreements(), PARTIES, ARTICLES, **kwargs)


def test_degree_centrality_counts_partners_not_agreements(graph):
    centrality = network.degree_centrality(graph)
    # ARC has 3 agreements but 2 partners (BOR, CAL) out of 4 other parties
    assert centrality["ARC"] == pytest.approx(0.5)
    assert network.agreement_counts(graph)["ARC"] == 3
    assert centrality["DRL"] == pytest.approx(0.25)


def test_betweenness_is_highest_for_the_broker():
    g = nx.MultiGraph([("A", "B", "other"), ("B", "C", "other"), ("C", "D", "other")])
    between = network.betweenness_centrality(g)
    assert between["A"] == 0.0 and between["B"] > 0 and between["B"] == between["C"]


def test_components_largest_first(graph):
    assert network.components(graph) == [["ARC", "BOR", "CAL"], ["DRL", "PACT"]]


def test_communities_separate_two_cliques_joined_by_one_edge():
    edges = [(a, b, "other") for a, b in [("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F"), ("C", "D")]]
    assert network.communities(nx.MultiGraph(edges)) == [["A", "B", "C"], ["D", "E", "F"]]


def test_communities_of_a_graph_without_edges_are_single_parties():
    g = nx.MultiGraph()
    g.add_nodes_from(["B", "A"])
    assert network.communities(g) == [["A"], ["B"]]


@pytest.mark.parametrize(("depth", "parties"), [(0, ["DRL"]), (1, ["DRL", "PACT"])])
def test_ego_network_of_a_party(graph, depth, parties):
    assert sorted(network.ego_network(graph, "DRL", depth)) == parties


def test_ego_network_keeps_every_agreement_among_its_parties(graph):
    ego = network.ego_network(graph, "CAL", 1)
    assert sorted(ego) == ["ARC", "BOR", "CAL"]
    assert ego.number_of_edges() == 4  # both ARC-BOR agreements as well
    ego.remove_node("CAL")
    assert "CAL" in graph  # a copy, not a view


def test_ego_network_of_an_unknown_party_names_it():
    with pytest.raises(NetworkError, match="'XXX' has no agreement"):
        network.ego_network(nx.MultiGraph([("A", "B", "x")]), "XXX")


def test_shared_partners_found_with_sets(graph):
    rows = network.shared_partners(graph)
    pairs = {(r["party_a"], r["party_b"]): r for r in rows}
    assert pairs[("ARC", "BOR")]["shared"] == ["CAL"] and pairs[("ARC", "BOR")]["linked"] is True
    assert pairs[("ARC", "CAL")]["shared"] == ["BOR"]
    assert ("DRL", "PACT") not in pairs
    assert network.shared_partners(graph, min_shared=2) == []


def test_conflicts_list_the_statuses_each_side_claims(graph):
    assert network.conflicts(graph) == [{
        "party_a": "BOR", "party_b": "CAL", "agreement_type": "defense_cooperation",
        "status": "signed", "claimed": ["negotiating", "signed"],
    }]


def test_summary_counts_by_type_and_status_and_ranks_parties(graph):
    s = network.summary(graph, top=2)
    assert (s["parties"], s["agreements"], s["components"]) == (5, 5, 2)
    assert s["by_type"] == {"intelligence_sharing": 1, "reciprocal_access": 1, "logistics": 1,
                            "defense_cooperation": 1, "other": 1}
    assert s["by_status"] == {"signed": 2, "agreed_in_principle": 1, "negotiating": 1, "terminated": 1}
    assert [p["party"] for p in s["top_parties"]] == ["ARC", "BOR"]
    assert s["top_parties"][0] == {"party": "ARC", "name": "Arcadia", "agreements": 3, "partners": 2}
    assert len(s["conflicts"]) == 1


def test_graphml_export_reads_back_with_claims_as_json(graph, tmp_path):
    out = tmp_path / "g.graphml"
    network.write_network(graph, "graphml", out)
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.number_of_nodes() == 5 and back.number_of_edges() == 5
    assert back.nodes["PACT"]["name"] == "Northern Pact"
    data = [d for a, b, d in back.edges(data=True) if d["agreement_type"] == "defense_cooperation"][0]
    assert data["conflict"] is True and data["sources"] == 1
    assert {c["status"] for c in json.loads(data["claims"])} == {"signed", "negotiating"}
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]  # no temp file left


def test_gexf_export_reads_back(graph):
    back = nx.read_gexf(io.BytesIO(network.network_to_text(graph, "gexf").encode()))
    assert back.number_of_nodes() == 5 and back.number_of_edges() == 5


def test_json_export_is_d3_node_link(graph):
    data = json.loads(network.network_to_text(graph, "json"))
    assert {n["id"] for n in data["nodes"]} == set(graph)
    assert len(data["links"]) == 5
    link = next(e for e in data["links"] if e["agreement_type"] == "intelligence_sharing")
    assert {link["source"], link["target"]} == {"ARC", "BOR"}
    assert link["claims"][0]["article_date"] == "2023-03-01"


def test_unknown_export_format_is_refused(graph):
    with pytest.raises(NetworkError, match="unknown network format 'png'"):
        network.network_to_text(graph, "png")


# ---- from the store ---------------------------------------------------------------------


def _store_with(claims: list[Claim], articles: list, parties: dict, spec: str = "memory"):
    """A store holding the articles, claims, merged agreements and parties (as kg build writes them)."""
    from collections import defaultdict

    from kg import model
    from kg.store import open_store

    store = open_store(spec)
    by_article = defaultdict(list)
    for c in claims:
        by_article[c.article_id].append(c)
    quads = []
    for article in articles:
        quads += model.article_quads(article, by_article[article.id])
    quads += model.agreement_quads(model.merge(claims, articles), articles)
    quads += model.party_quads(model.party_codes(claims), parties)
    graphs = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(q)
    store.replace_graphs(graphs)
    return store


def test_from_store_reads_agreements_claims_articles_and_parties():
    from kg.records import Article

    hostile = 'Arcadia "signed" </script> {x} a pact with Borduria.'
    articles = [
        Article("a1", "a1.txt", "Pact signed", dt.date(2024, 5, 2), "https://news.test/1", "..."),
        Article("a2", "a2.txt", "Still talking", dt.date(2024, 5, 2), None, "..."),
    ]
    claims = [
        claim("a1", "ARC", "BOR", "intelligence_sharing", "signed", "2024-05", hostile),
        claim("a2", "ARC", "BOR", "intelligence_sharing", "negotiating", "2024-05"),
        claim("a2", "BOR", "PACT", "other", "proposed", ""),
    ]
    store = _store_with(claims, articles, PARTIES)
    g = network.from_store(store)
    assert sorted(g) == ["ARC", "BOR", "PACT"]
    assert g.nodes["PACT"] == {"name": "Northern Pact", "kind": "organisation", "qid": "Q105"}
    assert g.nodes["ARC"] == {"name": "Arcadia", "kind": "country", "qid": "Q101"}
    edge = g.edges["ARC", "BOR", "intelligence_sharing"]
    # same date, different statuses: the model keeps both sides and flags the conflict
    assert edge["conflict"] is True and edge["sources"] == 2
    assert edge["status"] in {"signed", "negotiating"} and edge["date"] == "2024-05"
    by_title = {c["article_title"]: c for c in edge["claims"]}
    assert by_title["Pact signed"] == {"article_title": "Pact signed", "file": "a1.txt", "article_date": "2024-05-02",
                                       "url": "https://news.test/1", "sentence": hostile,
                                       "status": "signed", "date": "2024-05", "told": "2024-05-02"}
    assert by_title["Still talking"]["url"] == ""
    other = g.edges["BOR", "PACT", "other"]
    assert (other["status"], other["date"], other["sources"]) == ("proposed", "", 1)
    assert network.from_store(store, types=["other"]).number_of_edges() == 1


def test_from_an_empty_store_is_an_empty_graph():
    from kg.store import open_store

    assert network.from_store(open_store("memory")).number_of_nodes() == 0


# ---- kg stats ---------------------------------------------------------------------------


@pytest.fixture()
def store_dir(tmp_path):
    from kg.records import Article

    articles = [Article("a1", "a1.txt", "Report", dt.date(2024, 5, 2), "https://news.test/1", "..."),
                Article("a2", "a2.txt", "Other report", dt.date(2024, 5, 2), None, "...")]
    claims = [
        claim("a1", "ARC", "BOR", "intelligence_sharing", "signed", "2024-05"),
        claim("a2", "ARC", "BOR", "intelligence_sharing", "negotiating", "2024-05"),
        claim("a1", "ARC", "CAL", "logistics", "negotiating", "2024"),
        claim("a2", "ARC", "PACT", "other", "agreed_in_principle", ""),
    ]
    path = tmp_path / "store"
    _store_with(claims, articles, PARTIES, str(path)).close()
    return path


def test_stats_prints_counts_top_parties_and_conflicts(store_dir):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["stats", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "4 parties, 3 agreements, 1 connected group"
    assert any(re.fullmatch(r"\s+logistics\s+1", line) for line in lines)
    assert any(re.fullmatch(r"\s+agreed_in_principle\s+1", line) for line in lines)
    top = lines[lines.index("Top parties by degree:") + 1]
    assert top.split()[:2] == ["ARC", "Arcadia"] and "3 agreements" in top
    assert "Conflicts (1):" in lines
    assert "ARC-BOR intelligence_sharing" in result.output


def test_stats_as_json(store_dir):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["stats", "--store", str(store_dir), "--json", "--top", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["agreements"] == 3 and [p["party"] for p in data["top_parties"]] == ["ARC"]


def test_stats_on_a_missing_store_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["stats", "--store", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "no store in" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "nope").exists()


# ---- kg export network ------------------------------------------------------------------


def _export(*args):
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, ["export", "network", *args])


def test_export_network_graphml_file_opens_in_networkx(store_dir, tmp_path):
    out = tmp_path / "net.graphml"
    result = _export("--store", str(store_dir), "-o", str(out))
    assert result.exit_code == 0, result.output
    back = nx.read_graphml(out, force_multigraph=True)
    assert sorted(back) == ["ARC", "BOR", "CAL", "PACT"] and back.number_of_edges() == 3
    assert back.nodes["PACT"]["kind"] == "organisation"


@pytest.mark.parametrize(("args", "links"), [([], 3), (["--type", "logistics"], 1), (["--status", "signed", "--status", "negotiating"], 2)])
def test_export_network_json_to_stdout_for_d3(store_dir, args, links):
    result = _export("--store", str(store_dir), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["links"]) == links
    assert all({"source", "target", "agreement_type", "status", "claims"} <= set(e) for e in data["links"])


def test_export_network_gexf(store_dir):
    result = _export("--store", str(store_dir), "--format", "gexf")
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(io.BytesIO(result.output.encode())).number_of_edges() == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "dot"], "Invalid value for '--format'"),
    (["--type", "spying"], "unknown agreement type spying"),
])
def test_export_network_bad_values(store_dir, args, message):
    result = _export("--store", str(store_dir), *args)
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


def test_as_of_uses_the_models_merge_rule_with_hedged_claims():
    ev = Evidence("...", 0, 3)
    signed = Claim("a1", "a.txt", "CHL", "PER", "logistics", "signed", "", ev)
    hedged = Claim("b1", "b.txt", "CHL", "PER", "logistics", "negotiating", "", ev, hedged=True)
    later = Claim("c1", "c.txt", "CHL", "PER", "logistics", "terminated", "2024-06-01", ev)
    agreement = Agreement("CHL", "PER", "logistics", "terminated", "2024-06-01", [signed, hedged, later])
    articles = {key: Article(key, f"{key}.txt", "", day, None, "")
                for key, day in (("a1", dt.date(2024, 1, 5)), ("b1", dt.date(2024, 1, 5)), ("c1", dt.date(2024, 6, 2)))}
    graph = to_networkx([agreement], articles=articles, as_of="2024-03-01")
    (edge,) = graph.edges(data=True)
    assert (edge[2]["status"], edge[2]["conflict"], edge[2]["sources"]) == ("signed", False, 2)
