"""One merge rule through time: `kg query as-of`, `kg render --as-of` and `kg export agreements`
agree on every date, with conflicting, hedged, future-dated and undated claims."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import TableExtractor, make_article, make_claim

import pyoxigraph as ox

from kg import model, read, vocab
from kg.build import build_articles
from kg.cli import cli
from kg.records import Claim
from kg.store import open_store
from kg.vocab import KG

ARTICLES = [
    make_article("p1", dt.date(2024, 3, 1)),
    make_article("p2", dt.date(2024, 3, 1)),
    make_article("p3", dt.date(2024, 4, 10)),
    make_article("p4", dt.date(2024, 5, 20)),
    make_article("p5", None),  # no publication date: its undated claims count on any day
]


def _hedged(claim: Claim) -> Claim:
    return dataclasses.replace(claim, hedged=True)


CLAIMS = {
    "p1": [make_claim("p1", "ARC", "BOR", "talks_agreed"),
           make_claim("p1", "BOR", "CAL", "signed", "other", date="2025", start=20)],  # told in 2025
    "p2": [make_claim("p2", "ARC", "BOR", "negotiating"),  # same day as p1: a conflict
           make_claim("p2", "ARC", "PACT", "proposed", "reciprocal_access", start=20)],
    "p3": [_hedged(make_claim("p3", "ARC", "BOR", "signed")),  # hedged: does not beat plain claims
           _hedged(make_claim("p3", "ARC", "CAL", "negotiating", "logistics", start=20))],
    "p4": [make_claim("p4", "ARC", "BOR", "signed", date="2024-05"),
           make_claim("p4", "ARC", "PACT", "terminated", "reciprocal_access", date="2024-05-02", start=20)],
    "p5": [make_claim("p5", "CAL", "DRL", "signed", "mutual_defense")],
}

DATES = ["2024-02-29", "2024-03-01", "2024-04-10", "2024-05-19", "2024-05-20", "2024-12-31", "2025-06-01"]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("as-of") / "store"
    with open_store(str(path)) as store:
        build_articles(ARTICLES, store, TableExtractor(CLAIMS))
    return path


def _kg(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


Row = tuple[str, str, str, str, str, bool]


def _csv_rows(text: str) -> set[Row]:
    return {(r["party_a"], r["party_b"], r["agreement_type"], r["status"], r["date"], r["conflict"] == "true")
            for r in csv.DictReader(text.splitlines())}


def _query(store: str, day: str) -> set[Row]:
    return _csv_rows(_kg("query", "as-of", "--store", store, "--param", f"date={day}", "--format", "csv"))


def _export(store: str, *args: str) -> set[Row]:
    return _csv_rows(_kg("export", "agreements", "--store", store, "--format", "csv", *args))


class _Data(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside, self.data = False, ""

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("id", "kg-data") in attrs

    def handle_data(self, data):
        if self.inside:
            self.data += data


def _render(store: str, day: str, tmp_path) -> set[Row]:
    out = tmp_path / f"view-{day}.html"
    _kg("render", "--store", store, "--as-of", day, "-o", str(out))
    page = _Data()
    page.feed(out.read_text(encoding="utf-8"))
    edges = json.loads(page.data)["edges"]
    return {(*sorted((e["from"], e["to"])), e["kg"]["type"], e["kg"]["status"], e["kg"]["date"], e["kg"]["conflict"])
            for e in edges}


@pytest.mark.parametrize("day", DATES)
def test_query_view_and_export_agree_on_every_date(store_dir, tmp_path, day):
    store = str(store_dir)
    told = _query(store, day)
    assert told == _export(store, "--as-of", day)
    assert told == _render(store, day, tmp_path)


def test_the_graph_as_it_stood(store_dir):
    store = str(store_dir)
    undated = ("CAL", "DRL", "mutual_defense", "signed", "", False)
    assert _query(store, "2024-02-29") == {undated}
    # p1 and p2 disagree on one day: a conflict; the later stage stands
    assert ("ARC", "BOR", "intelligence_sharing", "negotiating", "", True) in _query(store, "2024-03-01")
    on_april_10 = _query(store, "2024-04-10")
    # p3's hedged 'signed' does not beat the plain claims; its hedged logistics claim stands alone
    assert ("ARC", "BOR", "intelligence_sharing", "negotiating", "", True) in on_april_10
    assert ("ARC", "CAL", "logistics", "negotiating", "", False) in on_april_10
    # p4 is published on 20 May: signed in May, terminated on 2 May; nothing of it the day before
    assert ("ARC", "PACT", "reciprocal_access", "proposed", "", False) in _query(store, "2024-05-19")
    on_may_20 = _query(store, "2024-05-20")
    assert ("ARC", "BOR", "intelligence_sharing", "signed", "2024-05", False) in on_may_20
    assert ("ARC", "PACT", "reciprocal_access", "terminated", "2024-05-02", False) in on_may_20
    # a claim dated 2025 in an article of 2024 is told from 2025 on
    assert not any(row[:2] == ("BOR", "CAL") for row in _query(store, "2024-12-31"))
    assert ("BOR", "CAL", "other", "signed", "2025", False) in _query(store, "2025-06-01")


def test_as_of_after_every_claim_is_the_merged_graph(store_dir):
    store = str(store_dir)
    assert _export(store) == _query(store, "2030-01-01") == _export(store, "--as-of", "2030-01-01")


def test_exported_agreements_are_the_agreements_query(store_dir):
    store = str(store_dir)
    exported = _kg("export", "agreements", "--store", store, "--format", "csv")
    queried = _kg("query", "agreements", "--store", store, "--format", "csv")
    assert list(csv.DictReader(exported.splitlines())) == list(csv.DictReader(queried.splitlines()))


def test_stored_states_are_the_model_history(store_dir):
    def day(node, prop) -> str:
        found = store.quads_for_pattern(node, ox.NamedNode(str(getattr(KG, prop))), None, graph)
        return found[0].object.value if found else ""

    graph = ox.NamedNode(str(vocab.AGREEMENTS_GRAPH))
    with open_store(str(store_dir)) as store:
        articles = read.articles(store)
        for agreement in read.agreements(store):
            changes = [d.isoformat() if d else "" for d, _ in model.history(agreement, articles)]
            node = ox.NamedNode(str(vocab.agreement_iri(agreement.party_a, agreement.party_b, agreement.agreement_type)))
            states = [q.object for q in store.quads_for_pattern(node, ox.NamedNode(str(KG.state)), None, graph)]
            spans = sorted((day(s, "validFrom"), day(s, "validUntil")) for s in states) + [(day(node, "validFrom"), "")]
            # each earlier state ends where the next begins; the agreement holds from the last change
            assert spans == [(d, changes[i + 1] if i + 1 < len(changes) else "") for i, d in enumerate(changes)]
            assert len(changes) > 1 or not states


def test_history_is_as_of_on_every_day_of_random_claims():
    """model.history tallies claims one day at a time; on each day it must give what
    model.as_of (a merge of the claims told by then) gives, whatever order claims come in."""
    import random

    rng = random.Random(3)
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(60)) for _ in range(12)]
    published = {f"r{i}": day for i, day in enumerate(days)} | {"undated": None}
    statuses = ["proposed", "negotiating", "signed", "terminated"]
    for _ in range(200):
        claims = [
            dataclasses.replace(
                make_claim(rng.choice(list(published)), "ARC", "BOR", rng.choice(statuses), start=k,
                           date=rng.choice(["", "", "2024", "2024-02", "2024-01-15"])),
                hedged=rng.random() < 0.2)
            for k in range(rng.randint(1, 8))
        ]
        [agreement] = model.merge(claims, published)
        states = model.history(agreement, published)
        assert states[-1][1] == (agreement.status, agreement.date, agreement.conflict)
        for day in sorted({d for d in days} | {dt.date(2023, 12, 31), dt.date(2024, 12, 31)}):
            told = model.as_of([agreement], day, published)
            current = [t for since, t in states if since is None or since <= day]
            if not told:
                assert not current
            else:
                assert current[-1] == (told[0].status, told[0].date, told[0].conflict), (day, claims)
