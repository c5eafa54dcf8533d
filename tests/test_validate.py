"""kg.validate and `kg validate`: the SHACL shapes pass on good graphs and explain broken ones."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import build_graph_corpus

from kg.cli import cli
from kg.store import open_store
from kg.validate import validate

PREFIXES = "PREFIX kg: <https://w3id.org/kg/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"

# Breakages of a store holding the graph corpus (conftest.graph_corpus), and what the report says.
BREAKAGES = {
    "unknown status": (
        """DELETE { GRAPH ?g { ?a kg:status ?s } } INSERT { GRAPH ?g { ?a kg:status kg:Maybe } }
           WHERE { GRAPH ?g { ?a a kg:Agreement ; kg:status ?s }
                   FILTER(CONTAINS(STR(?a), "FRA-NATO-defense_cooperation")) }""",
        "agreement FRA-NATO defense_cooperation: kg:status: the status is not one of the status scheme",
    ),
    "claim without evidence": (
        """DELETE { GRAPH ?g { ?c kg:evidence ?e } }
           WHERE { GRAPH ?g { ?c a kg:Claim ; kg:evidence ?e ; kg:party <https://w3id.org/kg/party/NATO> } }""",
        "a claim needs its evidence sentence",
    ),
    "agreement with one party": (
        """DELETE { GRAPH ?g { ?a kg:party ?p } }
           WHERE { GRAPH ?g { ?a a kg:Agreement ; kg:party ?p } FILTER(CONTAINS(STR(?a), "KOR-PRK"))
                   FILTER(CONTAINS(STR(?p), "PRK")) }""",
        "agreement KOR mutual_defense: kg:party: an agreement needs at least two parties",
    ),
    "party of unknown kind": (
        """DELETE { GRAPH ?g { ?p a ?kind } } WHERE { GRAPH ?g { ?p a ?kind ; kg:code "PRK" }
           FILTER(?kind != kg:Party) }""",
        "agreement KOR-PRK mutual_defense: kg:party: a party of this agreement is not a known country or "
        "organisation",
    ),
    "parties out of order": (
        """DELETE { GRAPH ?g { ?a kg:partyA ?x ; kg:partyB ?y } } INSERT { GRAPH ?g { ?a kg:partyA ?y ; kg:partyB ?x } }
           WHERE { GRAPH ?g { ?a kg:partyA ?x ; kg:partyB ?y } FILTER(CONTAINS(STR(?a), "KOR-PRK")) }""",
        "agreement KOR-PRK mutual_defense: kg:partyA and kg:partyB must be two different kg:party values of the "
        "agreement, kg:partyA the one whose IRI sorts first (value: party:PRK)",
    ),
    "first party not a party": (
        """DELETE { GRAPH ?g { ?a kg:partyA ?x } } INSERT { GRAPH ?g { ?a kg:partyA <https://w3id.org/kg/party/FRA> } }
           WHERE { GRAPH ?g { ?a kg:partyA ?x } FILTER(CONTAINS(STR(?a), "KOR-PRK")) }""",
        "agreement KOR-PRK mutual_defense: kg:partyA and kg:partyB must be two different kg:party values of the "
        "agreement, kg:partyA the one whose IRI sorts first (value: party:FRA)",
    ),
    "agreement without a second party": (
        """DELETE { GRAPH ?g { ?a kg:partyB ?x } } WHERE { GRAPH ?g { ?a kg:partyB ?x } FILTER(CONTAINS(STR(?a), "KOR-PRK")) }""",
        "agreement KOR-PRK mutual_defense: kg:partyB: an agreement needs exactly one second party (kg:partyB)",
    ),
    "agreement without claims": (
        """DELETE { GRAPH ?g { ?a prov:wasDerivedFrom ?c } }
           WHERE { GRAPH ?g { ?a a kg:Agreement ; prov:wasDerivedFrom ?c } FILTER(CONTAINS(STR(?a), "KOR-PRK")) }""",
        "agreement KOR-PRK mutual_defense: prov:wasDerivedFrom: an agreement needs at least one supporting claim",
    ),
}


@pytest.fixture()
def graph_copy(tmp_path):
    """A store on disk holding the graph corpus, for a test to break."""
    store = open_store(tmp_path / "st")
    build_graph_corpus(store)
    yield store
    store.close()


def test_the_graph_corpus_conforms(graph_store):
    report = validate(graph_store)
    assert report.conforms, report.text()
    assert report.violations == []


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_broken_graph_fails_with_a_readable_message(graph_copy, breakage):
    update, expected = BREAKAGES[breakage]
    graph_copy.oxigraph.update(PREFIXES + update)
    report = validate(graph_copy)
    assert not report.conforms
    text = report.text()
    assert expected in text, text
    assert "does not conform" in text.splitlines()[0]


def test_cli_validate_exit_codes(graph_copy, tmp_path):
    spec = str(tmp_path / "st")
    graph_copy.close()
    ok = CliRunner().invoke(cli, ["validate", "--store", spec])
    assert ok.exit_code == 0 and "conforms" in ok.stdout
    with open_store(spec) as store:
        store.oxigraph.update(PREFIXES + BREAKAGES["claim without evidence"][0])
    bad = CliRunner().invoke(cli, ["validate", "--store", spec])
    assert bad.exit_code == 1
    assert "claim FRA-NATO defense_cooperation in g1.txt" in bad.stdout
    assert "Traceback" not in bad.output


def test_every_problem_is_in_words_with_no_raw_pyshacl_text(graph_copy):
    graph_copy.oxigraph.update(PREFIXES + BREAKAGES["unknown status"][0])
    text = validate(graph_copy).text()
    assert "not in list" not in text and "Value <" not in text, text
    assert text.splitlines()[0] == "the graph does not conform: 1 problem(s)"


SHAPE_WITHOUT_MESSAGES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
[] a sh:NodeShape ; sh:targetClass kg:Thing ;
   sh:property [ sh:path kg:colour ; sh:in ( kg:red kg:blue ) ] ;
   sh:property [ sh:path kg:size ; sh:minCount 1 ; sh:datatype xsd:integer ] .
"""


def test_a_shape_without_a_message_is_explained_in_words():
    import rdflib

    from kg.validate import validate_graph

    data = rdflib.Graph().parse(data="""@prefix kg: <https://w3id.org/kg/ontology#> .
        kg:x a kg:Thing ; kg:colour kg:green .""", format="turtle")
    shapes = rdflib.Graph().parse(data=SHAPE_WITHOUT_MESSAGES, format="turtle")
    lines = validate_graph(data, shapes).text().splitlines()[1:]
    assert lines == [
        "  - kg:x: kg:colour: the value is not one of blue, red (value: kg:green)",
        "  - kg:x: kg:size: needs at least 1 value(s)",
    ]
