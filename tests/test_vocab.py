"""The vocabulary is defined once: the Turtle (ontology schemes, shapes) says exactly what the
Python table (kg.records.TYPE_TERMS, STATUS_TERMS) says, and the Python derives from it.

One way: the table is the source; the Turtle is hand-written and these tests fail on any
difference, naming it.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS

from kg import vocab
from kg.model import STAGE_ORDER
from kg.records import STATUS_TERMS, TYPE_TERMS, AgreementType, Status
from kg.vocab import KG

SH = "http://www.w3.org/ns/shacl#"
KGSH = "https://w3id.org/kg/shapes#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(vocab.ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(vocab.SHAPES_FILE)


def _en(*texts: str) -> set[Literal]:
    return {Literal(t, lang="en") for t in texts}


def _concepts(graph: Graph, cls: URIRef) -> set[URIRef]:
    return {URIRef(s) for s in graph.subjects(RDF.type, cls)}


def test_type_scheme_has_exactly_the_table_types(ontology):
    assert _concepts(ontology, KG.AgreementType) == {vocab.type_iri(t) for t in AgreementType}


def test_status_scheme_has_exactly_the_table_statuses(ontology):
    assert _concepts(ontology, KG.Status) == {vocab.status_iri(s) for s in Status}


@pytest.mark.parametrize("kind", list(AgreementType))
def test_type_concept_matches_the_table(ontology, kind):
    term, iri = kind.term, vocab.type_iri(kind)
    assert term is TYPE_TERMS[kind]
    assert set(ontology.objects(iri, SKOS.notation)) == {Literal(kind.value)}
    assert set(ontology.objects(iri, SKOS.prefLabel)) == _en(term.label)
    assert set(ontology.objects(iri, RDFS.label)) == _en(term.label)
    assert set(ontology.objects(iri, SKOS.altLabel)) == _en(*term.alt_labels)
    assert set(ontology.objects(iri, SKOS.definition)) == _en(term.definition)
    assert set(ontology.objects(iri, KG.cameoCode)) == {Literal(c) for c in term.cameo_codes}
    assert set(ontology.objects(iri, SKOS.inScheme)) == {KG.AgreementTypeScheme}


@pytest.mark.parametrize("kind", list(AgreementType))
def test_direct_property_matches_the_table(ontology, kind):
    term, prop = TYPE_TERMS[kind], vocab.DIRECT_PROPERTY[kind.value]
    assert prop == KG[term.direct_property]
    assert set(ontology.objects(prop, KG.agreementType)) == {vocab.type_iri(kind)}
    assert set(ontology.objects(prop, RDFS.label)) == _en(term.direct_label)
    assert set(ontology.objects(prop, RDFS.subPropertyOf)) == {KG.agreementWith}


def test_no_direct_property_outside_the_table(ontology):
    declared = {URIRef(p) for p in ontology.subjects(RDFS.subPropertyOf, KG.agreementWith)}
    assert declared == set(vocab.DIRECT_PROPERTY.values())


@pytest.mark.parametrize("status", list(Status))
def test_status_concept_matches_the_table(ontology, status):
    term, iri = status.term, vocab.status_iri(status)
    assert term is STATUS_TERMS[status]
    assert set(ontology.objects(iri, SKOS.notation)) == {Literal(status.value)}
    assert set(ontology.objects(iri, SKOS.prefLabel)) == _en(term.label)
    assert set(ontology.objects(iri, RDFS.label)) == _en(term.label)
    assert set(ontology.objects(iri, SKOS.definition)) == _en(term.definition)
    assert set(ontology.objects(iri, KG.cameoCode)) == {Literal(term.cameo_code)}
    assert [o.toPython() for o in ontology.objects(iri, KG.stageOrder)] == [term.stage]
    assert set(ontology.objects(iri, SKOS.inScheme)) == {KG.StatusScheme}


def test_merge_rule_ranks_statuses_by_the_table_stage_order():
    assert STAGE_ORDER == {s.value: t.stage for s, t in STATUS_TERMS.items()}
    assert sorted(STAGE_ORDER.values()) == list(range(1, len(Status) + 1))


@pytest.mark.parametrize(
    ("shape", "iris"),
    [
        ("AgreementTypeValue", [vocab.type_iri(t) for t in AgreementType]),
        ("StatusValue", [vocab.status_iri(s) for s in Status]),
    ],
)
def test_shape_value_lists_are_the_table_in_its_order(shapes, shape, iris):
    head = shapes.value(URIRef(KGSH + shape), URIRef(SH + "in"))
    assert list(Collection(shapes, head)) == iris


@pytest.mark.parametrize(
    ("shape", "names"),
    [
        ("AgreementTypeValue", [t.value for t in AgreementType]),
        ("StatusValue", [s.value for s in Status]),
    ],
)
def test_shape_messages_list_the_table_values(shapes, shape, names):
    messages = [
        str(m)
        for prop in shapes.subjects(URIRef(SH + "node"), URIRef(KGSH + shape))
        for m in shapes.objects(prop, URIRef(SH + "message"))
        if "(" in str(m)
    ]
    assert messages
    assert all(f"({', '.join(names)})" in m for m in messages), messages
