"""kg.model and kg.vocab: merging claims into agreements, and records -> RDF."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyoxigraph as ox
import pytest
import rdflib
from conftest import make_article, make_claim, make_count
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from kg import model, read, vocab
from kg.records import Party, is_country_code
from kg.vocab import KG

DAY = dt.date(2024, 3, 1)


def test_merge_one_agreement_told_by_three_articles_has_three_sources():
    claims = [make_claim(a, "JPN", "NZL", "agreed_in_principle", date="2024-03-01") for a in ("x", "y", "z")]
    [agreement] = model.merge(claims, {a: DAY for a in "xyz"})
    assert (agreement.party_a, agreement.party_b, agreement.status, agreement.date) == (
        "JPN", "NZL", "agreed_in_principle", "2024-03-01")
    assert agreement.sources == 3
    assert not agreement.conflict


def test_merge_key_is_unordered_pair_and_type():
    claims = [
        make_claim("x", "JPN", "NZL"),
        make_claim("y", "NZL", "JPN"),
        make_claim("y", "NZL", "JPN", kind="logistics", status="negotiating"),
    ]
    merged = model.merge(claims, {"x": DAY, "y": DAY})
    assert [(a.party_a, a.party_b, a.agreement_type, a.sources) for a in merged] == [
        ("JPN", "NZL", "intelligence_sharing", 2),
        ("JPN", "NZL", "logistics", 1),
    ]


def test_merge_most_recent_status_date_wins_over_later_publication():
    claims = [
        make_claim("old", "AUS", "JPN", "signed", date="2023-05-01"),
        # published later, but about an earlier stage
        make_claim("new", "AUS", "JPN", "negotiating", date="2022-01-10"),
    ]
    [agreement] = model.merge(claims, {"old": dt.date(2023, 5, 2), "new": dt.date(2024, 1, 1)})
    assert (agreement.status, agreement.date, agreement.conflict) == ("signed", "2023-05-01", False)


def test_merge_undated_claims_are_ordered_by_publication_date():
    claims = [make_claim("early", "CAN", "JPN", "negotiating"), make_claim("late", "CAN", "JPN", "signed")]
    [agreement] = model.merge(claims, {"early": dt.date(2024, 1, 1), "late": dt.date(2024, 6, 1)})
    assert (agreement.status, agreement.date, agreement.conflict) == ("signed", "", False)
    assert agreement.first_reported == dt.date(2024, 1, 1)
    assert agreement.last_reported == dt.date(2024, 6, 1)


def test_merge_same_status_date_then_later_publication_wins():
    claims = [make_claim("p1", "CAN", "JPN", "negotiating", date="2024-02"),
              make_claim("p2", "CAN", "JPN", "agreed_in_principle", date="2024-02")]
    [agreement] = model.merge(claims, {"p1": dt.date(2024, 3, 1), "p2": dt.date(2024, 3, 5)})
    assert (agreement.status, agreement.conflict) == ("agreed_in_principle", False)


@pytest.mark.parametrize(
    "statuses, expected",
    [
        (("talks_agreed", "negotiating"), "negotiating"),
        (("negotiating", "talks_agreed"), "negotiating"),
        (("signed", "agreed_in_principle"), "signed"),
        (("in_force", "signed"), "in_force"),
        (("signed", "terminated"), "terminated"),
        (("suspended", "in_force"), "suspended"),
        (("proposed", "talks_agreed", "negotiating"), "negotiating"),
    ],
)
def test_merge_same_day_disagreement_is_a_conflict_resolved_by_stage_order(statuses, expected):
    claims = [make_claim(f"s{i}", "JPN", "UKR", status) for i, status in enumerate(statuses)]
    [agreement] = model.merge(claims, {f"s{i}": DAY for i in range(len(statuses))})
    assert agreement.status == expected
    assert agreement.conflict
    sides = model.conflicting_claims(agreement, {f"s{i}": DAY for i in range(len(statuses))})
    assert {c.status for c in sides} == set(statuses)


def test_merge_conflict_only_among_the_most_recent_claims():
    claims = [
        make_claim("old", "JPN", "UKR", "proposed"),
        make_claim("a", "JPN", "UKR", "talks_agreed"),
        make_claim("b", "JPN", "UKR", "talks_agreed"),
    ]
    pub = {"old": dt.date(2023, 1, 1), "a": DAY, "b": DAY}
    [agreement] = model.merge(claims, pub)
    assert (agreement.status, agreement.conflict, agreement.sources) == ("talks_agreed", False, 3)
    assert model.conflicting_claims(agreement, pub) == []


def test_merge_keeps_the_most_precise_date_of_the_winning_claims():
    claims = [make_claim("a", "PRK", "RUS", date="2024-06-19"), make_claim("b", "PRK", "RUS")]
    [agreement] = model.merge(claims, {"a": dt.date(2024, 6, 19), "b": dt.date(2024, 6, 19)})
    assert (agreement.date, agreement.sources, agreement.conflict) == ("2024-06-19", 2, False)


@pytest.mark.parametrize("value, expected", [
    ("2024", dt.date(2024, 1, 1)), ("2024-06", dt.date(2024, 6, 1)), ("2024-06-19", dt.date(2024, 6, 19)),
    ("", None), ("2024-13", None), ("soon", None),
])
def test_parse_claim_date_gives_first_day_covered(value, expected):
    assert model.parse_claim_date(value) == expected


@pytest.mark.parametrize("value, datatype", [
    ("2024", "gYear"), ("2024-06", "gYearMonth"), ("2024-06-19", "date"),
])
def test_status_date_literal_keeps_its_precision(value, datatype):
    literal = model.status_date_literal(value)
    assert literal.value == value and literal.datatype.value.endswith("#" + datatype)


# ---- vocabulary ---------------------------------------------------------------------------


def test_agreement_iri_does_not_depend_on_party_order():
    assert vocab.agreement_iri("NZL", "JPN", "logistics") == vocab.agreement_iri("JPN", "NZL", "logistics")
    assert vocab.agreement_iri("JPN", "NZL", "logistics") != vocab.agreement_iri("JPN", "NZL", "other")


def test_vocab_rejects_unknown_terms():
    with pytest.raises(AttributeError):
        KG.notATerm  # noqa: B018
    with pytest.raises(ValueError, match="unknown status"):
        vocab.status_iri("maybe")


def test_ontology_defines_and_documents_every_vocab_term():
    ontology = rdflib.Graph().parse(vocab.ONTOLOGY_FILE)
    namespace = str(KG._NS)
    defined = {s for s in ontology.subjects() if str(s).startswith(namespace)}
    names = {name for name in KG.__annotations__}
    assert {str(s)[len(namespace):] for s in defined} == names
    for term in defined:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None or ontology.value(term, rdflib.URIRef(
            "http://www.w3.org/2004/02/skos/core#definition")) is not None, term


def test_ontology_types_and_statuses_are_skos_concepts_with_cameo_codes():
    from kg.records import AGREEMENT_TYPES, STATUSES

    ontology = rdflib.Graph().parse(vocab.ONTOLOGY_FILE)
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    for name in AGREEMENT_TYPES:
        concept = vocab.type_iri(name)
        assert (concept, skos.inScheme, KG.AgreementTypeScheme) in ontology
        assert str(ontology.value(concept, skos.notation)) == name
        assert ontology.value(concept, KG.cameoCode) is not None
    for name in STATUSES:
        concept = vocab.status_iri(name)
        assert (concept, skos.inScheme, KG.StatusScheme) in ontology
        assert int(ontology.value(concept, KG.stageOrder)) == model.STAGE_ORDER[name]
        assert ontology.value(concept, KG.cameoCode) is not None


# ---- RDF ----------------------------------------------------------------------------------


def _graph(quads) -> rdflib.Graph:
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def test_article_graph_round_trips_through_a_store(memory_store):
    article = make_article("r1", dt.date(2024, 6, 19))
    claims = [make_claim("r1", "JPN", "NZL", "agreed_in_principle", date="2024-06-19", sentence="They agreed.",
                         start=5),
              make_claim("r1", "CAN", "JPN", "negotiating", sentence="Talks with Canada \"continue\".", start=30)]
    counts = [make_count("r1", "JPN", 8, ("USA", "AUS"))]
    quads = model.article_quads(article, claims, counts)
    graph = model.node(vocab.article_graph("r1"))
    assert {q.graph_name for q in quads} == {graph}
    memory_store.replace_graphs({graph: quads})

    stored_claims = read.claims(memory_store)
    assert sorted(stored_claims, key=lambda c: c.evidence.start) == sorted(claims, key=lambda c: c.evidence.start)
    assert read.articles(memory_store)["r1"] == dataclasses.replace(article, text="")
    assert read.partner_counts(memory_store) == [dataclasses.replace(counts[0], named=("AUS", "USA"))]
    # and the stored graph is the one the model made
    stored = [q for q in memory_store.quads() if q.graph_name == graph]
    assert isomorphic(_graph(stored), _graph(quads))


def test_claim_iris_are_stable_across_builds():
    claim = make_claim("r1", "JPN", "NZL")
    assert model.claim_quads(claim, DAY) == model.claim_quads(make_claim("r1", "NZL", "JPN"), DAY)


def test_agreement_graph_has_provenance_counts_and_direct_links():
    claims = [make_claim("x", "JPN", "NZL"), make_claim("y", "JPN", "NZL")]
    pub = {"x": DAY, "y": DAY}
    g = _graph(model.agreement_quads(model.merge(claims, pub), pub))
    node = vocab.agreement_iri("JPN", "NZL", "intelligence_sharing")
    jpn, nzl = vocab.party_iri("JPN"), vocab.party_iri("NZL")
    assert (node, RDF.type, KG.Agreement) in g
    assert int(g.value(node, KG.sourceCount)) == 2
    assert set(g.objects(node, vocab.PROV.wasDerivedFrom)) == {vocab.claim_iri(c) for c in claims}
    assert g.value(node, KG.conflict).toPython() is False
    assert (jpn, KG.intelligenceSharingWith, nzl) in g and (nzl, KG.intelligenceSharingWith, jpn) in g
    assert (jpn, KG.agreementWith, nzl) in g
    assert g.value(node, KG.firstReported).toPython() == DAY


def test_conflicting_agreement_links_the_claims_on_each_side():
    claims = [make_claim("x", "JPN", "UKR", "talks_agreed"), make_claim("y", "JPN", "UKR", "negotiating")]
    pub = {"x": DAY, "y": DAY}
    g = _graph(model.agreement_quads(model.merge(claims, pub), pub))
    node = vocab.agreement_iri("JPN", "UKR", "intelligence_sharing")
    assert g.value(node, KG.conflict).toPython() is True
    assert set(g.objects(node, KG.conflictingClaim)) == {vocab.claim_iri(c) for c in claims}
    assert g.value(node, KG.status) == vocab.status_iri("negotiating")


def test_party_graph_gives_kind_label_code_and_wikidata():
    parties = {"JPN": Party("JPN", "Q17", "Japan", "country"), "NATO": Party("NATO", "Q7184", "NATO", "organisation")}
    g = _graph(model.party_quads(["JPN", "NATO", "XYZ"], parties))
    jpn, nato = vocab.party_iri("JPN"), vocab.party_iri("NATO")
    assert (jpn, RDF.type, KG.Country) in g and (nato, RDF.type, KG.InternationalOrganisation) in g
    assert (jpn, OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q17")) in g
    assert str(g.value(jpn, RDFS.label)) == "Japan" and str(g.value(jpn, KG.code)) == "JPN"
    # a code the gazetteer does not know still gets a node (label = code)
    assert str(g.value(vocab.party_iri("XYZ"), RDFS.label)) == "XYZ"


def test_one_party_record_for_gazetteer_store_and_model():
    from kg import gazetteer, network

    assert gazetteer.Party is Party
    assert isinstance(gazetteer.Gazetteer.default().parties["JPN"], Party)
    assert not hasattr(network, "StoredParty") and not hasattr(network, "PartyLike")
    assert not hasattr(model, "PartyLike")


@pytest.mark.parametrize(
    ("code", "kind", "cls"),
    [("ABC", "country", KG.Country), ("ABCD", "organisation", KG.InternationalOrganisation),
     ("Abc", "organisation", KG.InternationalOrganisation), ("AB1", "organisation", KG.InternationalOrganisation)],
)
def test_unknown_code_is_a_country_when_three_capital_letters(code, kind, cls):
    from kg.network import to_networkx

    assert is_country_code(code) is (kind == "country")
    assert Party.unknown(code) == Party(code, "", code, kind)
    assert (vocab.party_iri(code), RDF.type, cls) in _graph(model.party_quads([code], {}))
    agreement = model.merge([make_claim("a1", code, "ZZZZ")], {})[0]
    assert to_networkx([agreement], {}).nodes[code]["kind"] == kind


@pytest.mark.parametrize("sentence, expected", [
    ("Japan has signed such agreements with eight other countries, including the United States and "
     "Australia, as well as NATO.", ["AUS", "USA"]),
    ("Japan has signed such agreements with eight partners including the United States, Australia and NATO.",
     ["AUS", "NATO", "USA"]),
])
def test_partner_count_names_only_the_counted_kind(sentence, expected):
    from dataclasses import replace

    from kg.extract.parties import counted_kind

    count = replace(make_count("c1", "JPN", 8, ("USA", "AUS", "NATO"), sentence), counted_kind=counted_kind(sentence))
    assert model.counted_named(count) == expected
    g = _graph(model.partner_count_quads(count))
    node = vocab.partner_count_iri(count)
    assert int(g.value(node, KG.namedCount)) == len(expected)
    assert int(g.value(node, KG.partnerCount)) == 8
    assert len(set(g.objects(node, KG.namedPartner))) == 3


def test_hedged_claim_supports_but_does_not_conflict_or_decide():
    import datetime as _dt

    from kg.model import merge
    from kg.records import Claim as _Claim, Evidence as _Evidence

    ev = _Evidence("...", 0, 3)
    plain = _Claim("a1", "a.txt", "CHL", "PER", "logistics", "signed", "", ev)
    hedged = _Claim("b1", "b.txt", "CHL", "PER", "logistics", "negotiating", "", ev, hedged=True)
    [m] = merge([plain, hedged], {"a1": _dt.date(2024, 4, 2), "b1": _dt.date(2024, 4, 2)})
    assert (m.status, m.conflict, m.sources) == ("signed", False, 2)
    [only] = merge([hedged], {"b1": _dt.date(2024, 4, 2)})
    assert only.status == "negotiating"


def test_hedged_flag_survives_the_store(tmp_path):
    from kg.build import build
    from kg.store import open_store

    (tmp_path / "a.txt").write_text(
        "date: 2024-04-02\n\nChile has been actively pursuing logistics agreements with Peru.\n", encoding="utf-8")
    store = open_store("memory")
    build([tmp_path], store)
    claims = read.claims(store)
    assert [(c.pair, c.hedged) for c in claims] == [(("CHL", "PER"), True)]
