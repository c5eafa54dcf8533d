"""kg.build and `kg build`: incremental, idempotent, atomic builds; the seeds' agreements."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from click.testing import CliRunner
from conftest import GRAPH_AGREEMENTS, SEEDS, TableExtractor, graph_corpus, make_article, make_claim, make_count
from test_store import same_dataset

from kg import build as build_module
from kg import model, read, vocab
from kg.build import build, build_articles
from kg.cli import cli
from kg.query import agreements, export_agreements
from kg.store import open_store


def _build(articles, store, extractor, **kw):
    return build_articles(articles, store, extractor, parties={}, **kw)


def test_build_writes_article_graphs_and_merged_agreements(memory_store, small_corpus):
    articles, extractor = small_corpus
    report = _build(articles, memory_store, extractor)
    assert (report.articles, report.added, report.claims, report.partner_counts) == (3, 3, 4, 1)
    names = {g.value for g in memory_store.named_graphs()}
    assert {str(vocab.article_graph(a.id)) for a in articles} <= names
    assert {str(vocab.AGREEMENTS_GRAPH), str(vocab.PARTIES_GRAPH), str(vocab.ONTOLOGY_GRAPH)} <= names
    frame = agreements(memory_store).set_index(["party_a", "party_b", "agreement_type"])
    # a3 is a week later and dated: signed wins, no conflict left
    assert frame.loc[("DEU", "FRA", "intelligence_sharing"), "status"] == "signed"
    assert frame.loc[("DEU", "FRA", "intelligence_sharing"), "sources"] == 3
    assert frame.loc[("FRA", "NATO", "logistics"), "date"] == "2023"


def test_the_graph_corpus_builds_the_agreements_its_docstring_gives(memory_store):
    articles, extractor = graph_corpus()
    report = _build(articles, memory_store, extractor)
    assert (report.articles, report.added, report.claims, report.partner_counts) == (5, 5, 10, 1)
    assert (report.agreements, report.conflicts) == (len(GRAPH_AGREEMENTS), 1)
    got = {(r.party_a, r.party_b, r.agreement_type): (r.status, r.date, r.sources, r.conflict)
           for r in agreements(memory_store).itertuples()}
    assert got == GRAPH_AGREEMENTS


def test_build_twice_gives_an_isomorphic_graph(small_corpus):
    articles, extractor = small_corpus
    with open_store("memory") as once, open_store("memory") as twice:
        _build(articles, once, extractor)
        _build(articles, twice, extractor)
        report = _build(articles, twice, extractor)
        assert (report.added, report.unchanged, report.claims) == (0, 3, 0)
        assert same_dataset(once, twice)


def test_forced_rebuild_re_extracts_and_stays_isomorphic(small_corpus):
    articles, extractor = small_corpus
    with open_store("memory") as once, open_store("memory") as forced:
        _build(articles, once, extractor)
        _build(articles, forced, extractor)
        extractor.calls.clear()
        report = _build(articles, forced, extractor, force=True)
        assert extractor.calls == ["a1", "a2", "a3"] and report.replaced == 3
        assert same_dataset(once, forced)


def test_incremental_add_equals_building_all_at_once(small_corpus):
    articles, extractor = small_corpus
    with open_store("memory") as all_at_once, open_store("memory") as step_by_step:
        _build(articles, all_at_once, extractor)
        _build(articles[:2], step_by_step, extractor)
        mid = agreements(step_by_step).set_index(["party_a", "party_b", "agreement_type"])
        assert mid.loc[("DEU", "FRA", "intelligence_sharing"), "conflict"]  # a1 vs a2, same day
        extractor.calls.clear()
        report = _build(articles, step_by_step, extractor)
        assert extractor.calls == ["a3"] and (report.added, report.unchanged) == (1, 2)
        assert same_dataset(all_at_once, step_by_step)


def test_changed_file_replaces_its_named_graph(memory_store):
    old = make_article("v1", file="news.txt")
    new = make_article("v2", file="news.txt")
    extractor = TableExtractor({
        "v1": [make_claim("v1", "JPN", "PHL", "negotiating", kind="reciprocal_access", file="news.txt")],
        "v2": [make_claim("v2", "JPN", "PHL", "signed", kind="reciprocal_access", file="news.txt")],
    })
    _build([old], memory_store, extractor)
    report = _build([new], memory_store, extractor)
    assert report.replaced == 1
    graphs = {g.value for g in memory_store.named_graphs()}
    assert str(vocab.article_graph("v2")) in graphs and str(vocab.article_graph("v1")) not in graphs
    claims = read.claims(memory_store)
    assert [(c.article_id, c.status) for c in claims] == [("v2", "signed")]
    [row] = agreements(memory_store).to_dict(orient="records")
    assert (row["status"], row["sources"]) == ("signed", 1)


# Incremental builds: each case is (first build, second build, what a from-scratch build gets).
# Articles are (id, file, day); the claims and counts of every id are in _CLAIMS and _COUNTS.
_DAY, _LATER = dt.date(2024, 3, 1), dt.date(2024, 3, 8)
_CLAIMS = {
    "base": [make_claim("base", "FRA", "DEU", "signed", sentence="They signed it."),
             make_claim("base", "JPN", "PHL", "negotiating", "reciprocal_access", start=30),
             make_claim("base", "JPN", "PHL", "signed", "logistics", start=60)],
    "other": [make_claim("other", "USA", "GBR", "in_force", "defense_cooperation")],
    "same_day": [make_claim("same_day", "DEU", "FRA", "negotiating", sentence="Talks go on.")],
    "later": [make_claim("later", "JPN", "PHL", "signed", "reciprocal_access", "2024-03-05")],
    "new_pair": [make_claim("new_pair", "IND", "AUS", "agreed_in_principle", "logistics")],
    "base_v2": [make_claim("base_v2", "FRA", "DEU", "signed", sentence="They signed it.", file="base.txt"),
                make_claim("base_v2", "JPN", "PHL", "signed", "logistics", start=60, file="base.txt")],
    "base_v3": [make_claim("base_v3", "FRA", "DEU", "signed", sentence="They signed it.", file="base.txt")],
}
_COUNTS = {"other": [make_count("other", "USA", 5, ("PHL", "KOR"))]}
_INCREMENTS = {
    "an added article makes an agreement conflicting": (["base"], ["base", "same_day"]),
    "a later article settles an agreement": (["base", "other"], ["base", "other", "later"]),
    "an added article brings a new pair": (["base"], ["new_pair"]),
    "a changed file removes one type of a pair": (["base", "other"], ["base_v2"]),
    "a changed file removes a pair and its parties": (["base"], ["base_v3"]),
    "a removed party is still counted elsewhere": (["base", "other"], ["base_v3", "other"]),
}


def _articles(ids):
    days = {"later": _LATER}
    files = {"base_v2": "base.txt", "base_v3": "base.txt"}
    return [make_article(i, days.get(i, _DAY), file=files.get(i)) for i in ids]


@pytest.mark.parametrize("first, second", list(_INCREMENTS.values()), ids=list(_INCREMENTS))
def test_incremental_build_is_isomorphic_to_a_build_from_scratch(first, second):
    extractor = TableExtractor(_CLAIMS, _COUNTS)
    with open_store("memory") as incremental, open_store("memory") as scratch:
        _build(_articles(first), incremental, extractor)
        before = agreements(incremental)
        report = _build(_articles(second), incremental, extractor)
        # what the store holds now: the second batch, and the first batch's other files
        files = {a.file for a in _articles(second)}
        final = [a for a in _articles(first) if a.file not in files] + _articles(second)
        expected = _build(final, scratch, extractor)
        assert same_dataset(incremental, scratch)
        assert (report.agreements, report.conflicts) == (expected.agreements, expected.conflicts)
        assert not agreements(incremental).equals(before)  # the case does change the agreements


@pytest.mark.parametrize("first, second", list(_INCREMENTS.values()), ids=list(_INCREMENTS))
def test_a_build_that_looks_stored_articles_up_one_by_one_gives_the_same_store(first, second, monkeypatch):
    """A big store is asked about each given article by index reads instead of being read
    whole: the store and the report are the same as with every article read at once."""
    extractor = TableExtractor(_CLAIMS, _COUNTS)
    with open_store("memory") as lazy, open_store("memory") as eager:
        _build(_articles(first), lazy, extractor)
        _build(_articles(first), eager, extractor)
        monkeypatch.setattr(build_module._Stored, "SMALL", 0)
        monkeypatch.setattr(build_module._Stored, "LOOKUPS", 10**6)
        monkeypatch.setattr(read, "articles", lambda store: pytest.fail("read every article"))
        report = _build(_articles(second), lazy, extractor)
        monkeypatch.undo()
        expected = _build(_articles(second), eager, extractor)
        assert same_dataset(lazy, eager)
        assert dataclasses.replace(report, seconds=0) == dataclasses.replace(expected, seconds=0)


def test_incremental_build_changes_the_status_and_conflict_of_an_existing_agreement(memory_store):
    extractor = TableExtractor(_CLAIMS, _COUNTS)
    _build(_articles(["base"]), memory_store, extractor)
    _build(_articles(["same_day"]), memory_store, extractor)
    frame = agreements(memory_store).set_index(["party_a", "party_b", "agreement_type"])
    assert frame.loc[("DEU", "FRA", "intelligence_sharing"), "conflict"]
    assert frame.loc[("DEU", "FRA", "intelligence_sharing"), "sources"] == 2
    _build(_articles(["later"]), memory_store, extractor)
    frame = agreements(memory_store).set_index(["party_a", "party_b", "agreement_type"])
    assert frame.loc[("JPN", "PHL", "reciprocal_access"), "status"] == "signed"


def test_changed_file_drops_the_direct_link_of_the_removed_type(memory_store):
    extractor = TableExtractor(_CLAIMS, _COUNTS)
    _build(_articles(["base"]), memory_store, extractor)
    _build(_articles(["base_v3"]), memory_store, extractor)
    links = {(q.subject.value, q.predicate.value, q.object.value) for q in memory_store.quads()
             if q.graph_name == model.node(vocab.AGREEMENTS_GRAPH)}
    jpn, phl = str(vocab.party_iri("JPN")), str(vocab.party_iri("PHL"))
    assert not [t for t in links if {t[0], t[2]} == {jpn, phl}]
    codes = set(read.parties(memory_store))
    assert codes == {"DEU", "FRA"}


def test_build_reads_only_the_claims_of_touched_pairs(memory_store, monkeypatch):
    extractor = TableExtractor(_CLAIMS, _COUNTS)
    _build(_articles(["base", "other"]), memory_store, extractor)
    real_claims = read.claims
    monkeypatch.setattr(read, "claims", lambda store, pairs=None: real_claims(store, pairs) if pairs is not None
                        else pytest.fail("read every claim"))
    queries = []
    real_query = memory_store.query
    monkeypatch.setattr(memory_store, "query", lambda text: queries.append(text) or real_query(text))
    _build(_articles(["new_pair"]), memory_store, extractor)
    [pair_query] = [q for q in queries if "BIND(<" in q]
    assert str(vocab.party_iri("IND")) in pair_query and str(vocab.party_iri("USA")) not in pair_query


@pytest.mark.parametrize("store_kind", ["empty", "non-empty"])
def test_interrupted_build_leaves_the_store_as_it_was(tmp_path, small_corpus, store_kind):
    articles, extractor = small_corpus
    with open_store(tmp_path / "st") as store:
        if store_kind == "non-empty":
            _build(articles[:1], store, extractor)
        before = sorted(map(str, store.quads()))

        def interrupting(article):
            if article.id == "a3":
                raise KeyboardInterrupt
            return extractor(article)

        with pytest.raises(KeyboardInterrupt):
            _build(articles, store, interrupting)
        assert sorted(map(str, store.quads())) == before


@pytest.mark.parametrize("store_kind", ["empty", "non-empty"])
def test_crash_while_writing_leaves_the_store_as_it_was(tmp_path, small_corpus, store_kind, monkeypatch):
    articles, extractor = small_corpus
    with open_store(tmp_path / "st") as store:
        if store_kind == "non-empty":
            _build(articles[:1], store, extractor)
        before = sorted(map(str, store.quads()))

        real = model.ontology_quads()

        class Exploding(list):
            # fails half-way through being written, like a Ctrl-C during the store write
            def __iter__(self):
                yield from real[:5]
                raise KeyboardInterrupt

        def exploding_quads():
            return Exploding(real)

        monkeypatch.setattr(build_module.model, "ontology_quads", exploding_quads)
        with pytest.raises(KeyboardInterrupt):
            _build(articles, store, extractor)
        assert sorted(map(str, store.quads())) == before


# ---- the seeds ----------------------------------------------------------------------------


def _gold_agreements():
    with open(SEEDS / "gold-agreements.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_seeds_agreements_match_the_gold_table(seed_store):
    rows = list(csv.DictReader(io.StringIO(export_agreements(seed_store).decode())))
    got = {(r["party_a"], r["party_b"], r["agreement_type"]): r for r in rows}
    gold = _gold_agreements()
    assert set(got) == {(g["party_a"], g["party_b"], g["agreement_type"]) for g in gold}
    for g in gold:
        row = got[(g["party_a"], g["party_b"], g["agreement_type"])]
        assert row["status"] in g["status"].split("|"), g
        assert int(row["sources"]) >= int(g["min_sources"]), g
        if g["date"]:
            assert row["date"] == g["date"], g
    assert got[("JPN", "UKR", "intelligence_sharing")]["conflict"] == "true"
    assert list(rows[0]) == ["party_a", "party_b", "agreement_type", "status", "date", "sources", "conflict",
                             "party_a_name", "party_b_name", "first_reported", "last_reported", "agreement"]


def test_seeds_build_is_idempotent_on_disk(tmp_path):
    with open_store(tmp_path / "st") as store:
        first = build([str(SEEDS)], store)
        dump = sorted(map(str, store.quads()))
        second = build([str(SEEDS)], store)
        assert (first.added, second.added, second.unchanged) == (3, 0, 3)
        assert sorted(map(str, store.quads())) == dump


# ---- CLI ----------------------------------------------------------------------------------


def test_cli_build_prints_the_agreements_table(tmp_path):
    store = tmp_path / "kg-store"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "JPN" in result.stdout and "intelligence_sharing" in result.stdout
    assert "3 added" in result.stderr
    assert store.is_dir()


def test_cli_build_reports_a_missing_file_and_builds_the_rest(tmp_path):
    store = tmp_path / "kg-store"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), str(tmp_path / "nope.txt"), "--store", str(store), "-q"])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr and "Traceback" not in result.output
    with open_store(store, create=False) as opened:
        assert len(agreements(opened)) > 0


def test_cli_build_against_unreachable_endpoint_fails_cleanly(tmp_path, monkeypatch):
    from conftest import _free_port

    monkeypatch.chdir(tmp_path)
    url = f"http://127.0.0.1:{_free_port()}/query"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", url])
    assert result.exit_code == 1
    assert url in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.server
def test_remote_build_gives_the_same_agreements_as_local(oxigraph_server, graph_store):
    articles, extractor = graph_corpus()
    remote = open_store(oxigraph_server)
    report = build_articles(articles, remote, extractor)
    assert (report.added, report.agreements, report.conflicts) == (5, 8, 1)
    assert export_agreements(remote) == export_agreements(graph_store)
    # each article is in a named graph of its own on the server
    article_graphs = {g.value for g in remote.named_graphs() if g.value.startswith(vocab.BASE + "graph/article/")}
    assert article_graphs == {str(vocab.article_graph(a.id)) for a in articles}
    # building again changes nothing
    again = build_articles(articles, remote, extractor)
    assert again.unchanged == 5 and export_agreements(remote) == export_agreements(graph_store)


@pytest.mark.server
def test_cli_remote_build_and_export(oxigraph_server, seed_store):
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(SEEDS), "--store", oxigraph_server, "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", "agreements", "--store", oxigraph_server])
    assert result.exit_code == 0 and result.stdout.encode() == export_agreements(seed_store)


def _paired_corpus(n: int, first: int = 0):
    """n articles, each with one claim between a pair of parties no other article names."""
    codes = ["ARG", "BRA", "CHL", "COL", "ECU", "MEX", "PER", "URY", "PRY", "BOL", "VEN", "CRI", "PAN", "CUB"]
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]]
    articles, claims = [], {}
    for i in range(first, first + n):
        article = make_article(f"p{i}", dt.date(2024, 1, 1) + dt.timedelta(days=i))
        articles.append(article)
        claims[article.id] = [make_claim(article.id, *pairs[i], "signed", date="2023")]
    return articles, TableExtractor(claims)


def _two_batches():
    """Two batches of 20 articles, their extractor, and a memory store built from both."""
    first, extractor = _paired_corpus(20)
    more, more_extractor = _paired_corpus(20, first=20)
    extractor.claims.update(more_extractor.claims)
    reference = open_store("memory")
    _build(first, reference, extractor)
    _build(more, reference, extractor)
    return first, more, extractor, reference


@pytest.mark.server
def test_a_remote_build_cut_off_by_the_server_dying_is_repaired_by_the_next_build(oxigraph, monkeypatch):
    """The endpoint is killed in the middle of a build; once it is back, the next build of the
    same articles gives the store a local build gives, and says it derived the agreements again."""
    from kg.store import RemoteStore, StoreError

    first, more, extractor, reference = _two_batches()

    remote = open_store(oxigraph.url)
    _build(first, remote, extractor)
    puts = []
    real_request = RemoteStore._request

    def dying(self, url, method, *args, **kwargs):
        if method == "PUT":
            puts.append(url)
            if len(puts) == 12:  # half way through the second build's article graphs
                oxigraph.kill()
        return real_request(self, url, method, *args, **kwargs)

    monkeypatch.setattr(RemoteStore, "_request", dying)
    with pytest.raises(StoreError):
        _build(more, remote, extractor)
    monkeypatch.undo()
    oxigraph.start()
    remote = open_store(oxigraph.url)
    report = _build(more, remote, extractor)
    # the articles the cut-off build was writing are dropped and added again
    assert report.rederived and report.added == len(more)
    assert export_agreements(remote) == export_agreements(reference)
    assert not build_module.derivation_pending(remote)
    again = _build(more, remote, extractor)
    assert not again.rederived and again.unchanged == len(more)


@pytest.mark.parametrize("crash", [False, True])
def test_a_big_local_build_in_parts_gives_the_same_store_and_survives_a_crash(tmp_path, monkeypatch, crash):
    """Over TRANSACTION_QUADS a local build writes in parts under the mark; a crash between the
    parts leaves the mark, and the next build gives the store one transaction would have."""
    first, more, extractor, reference = _two_batches()

    with open_store(tmp_path / "st") as store:
        _build(first, store, extractor)
        monkeypatch.setattr(build_module, "TRANSACTION_QUADS", 0)
        if crash:
            real_apply = store.apply

            def crashing(graphs, drop=(), *, atomic=True):
                if atomic:
                    return real_apply(graphs, drop)
                # the deletions are made and half of the article graphs written, then the process dies
                real_apply(dict(list(graphs.items())[:10]), drop, atomic=False)
                raise KeyboardInterrupt

            monkeypatch.setattr(store, "apply", crashing)
            with pytest.raises(KeyboardInterrupt):
                _build(more, store, extractor)
            # the mark names the articles of the batch that was being written
            assert read.pending_articles(store) == {more[0].id}
            monkeypatch.setattr(store, "apply", real_apply)
        report = _build(more, store, extractor)
        assert report.rederived == crash
        assert not build_module.derivation_pending(store)
        assert same_dataset(store, reference)


def test_a_build_too_big_for_one_transaction_streams_its_articles_in_batches(tmp_path, monkeypatch):
    """Over TRANSACTION_QUADS the article graphs go to the store as they come, so memory holds
    one batch: the store gets what one transaction gives, and a build cut off between batches
    leaves the mark naming the articles written so far, which the next build repairs."""
    first, more, extractor, reference = _two_batches()
    monkeypatch.setattr(build_module, "TRANSACTION_QUADS", 60)  # a few articles per batch
    writes = []
    with open_store(tmp_path / "st") as store:
        _build(first, store, extractor)
        real_apply = store.apply
        monkeypatch.setattr(store, "apply", lambda graphs, drop=(), *, atomic=True:
                            writes.append(len(graphs)) or real_apply(graphs, drop, atomic=atomic))
        seen = []

        def stopping(article):
            seen.append(article.id)
            if len(seen) == 12:
                raise KeyboardInterrupt
            return extractor(article)

        with pytest.raises(KeyboardInterrupt):
            _build(more, store, stopping)
        assert len(writes) >= 4  # batches were written before the end (a mark, a batch, ...)
        written = read.pending_articles(store)
        assert written and written < {a.id for a in more[:12]}
        assert written <= set(read.articles(store))
        report = _build(more, store, extractor)
        assert report.rederived
        assert not build_module.derivation_pending(store)
        assert same_dataset(store, reference)
    with open_store(tmp_path / "fresh") as fresh:  # streamed from the first article
        _build(first + more, fresh, extractor)
        assert same_dataset(fresh, reference)


def test_a_local_build_clears_the_pending_mark_in_its_transaction(memory_store):
    articles, extractor = _paired_corpus(3)
    _build(articles[:2], memory_store, extractor)
    memory_store.replace_graphs({model.node(vocab.BUILD_GRAPH): model.pending_quads()})
    assert build_module.derivation_pending(memory_store)
    report = _build(articles, memory_store, extractor)
    assert report.rederived and "derived again" in report.summary()
    assert not build_module.derivation_pending(memory_store)
    assert model.node(vocab.BUILD_GRAPH) not in memory_store.named_graphs()


def test_build_report_summary_is_one_line():
    report = build_module.BuildReport(articles=3, added=2, unchanged=1, agreements=4, conflicts=1, triples=10)
    text = report.summary()
    assert "\n" not in text and "2 added" in text and "1 conflicting" in text


def test_claim_dates_survive_the_store(memory_store):
    article = make_article("d1", dt.date(2024, 5, 2))
    claim = make_claim("d1", "IND", "USA", "signed", kind="logistics", date="2016-08")
    _build([article], memory_store, TableExtractor({"d1": [claim]}))
    [stored] = read.claims(memory_store)
    assert stored == claim and dataclasses.astuple(stored) == dataclasses.astuple(claim)


def test_headline_evidence_keeps_its_place_in_the_store(memory_store):
    """A claim only the headline states keeps 'in title' through the store, and validates."""
    from kg.loaders import make_article
    from kg.validate import validate

    article = make_article("h.txt", "Officials met on Monday to discuss security.", date=dt.date(2024, 6, 19),
                           title="Norway and Chile sign logistics pact")
    _build([article], memory_store, build_module.extract_article)
    (claim,) = read.claims(memory_store)
    assert (claim.party_a, claim.party_b, claim.agreement_type) == ("CHL", "NOR", "logistics")
    assert claim.evidence.in_title and claim.evidence.sentence == article.title
    assert validate(memory_store).conforms


# ---- article identity: content hash; a file is known by its absolute path ----------------------

STORY = "date: {day}\n\nChile and Peru signed a logistics support agreement on {weekday}, officials said.\n"


def _story(folder, day: str = "2023-05-10", weekday: str = "Tuesday", name: str = "story.txt"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(STORY.format(day=day, weekday=weekday), encoding="utf-8")
    return folder


def test_same_name_in_two_folders_gives_two_articles(tmp_path):
    y2023 = _story(tmp_path / "y2023", "2023-05-10")
    y2024 = _story(tmp_path / "y2024", "2024-05-14")
    with open_store("memory") as store:
        first = build([str(y2023)], store)
        second = build([str(y2024)], store)
        assert (first.added, first.replaced) == (1, 0)
        assert (second.added, second.replaced) == (1, 0)
        stored = read.articles(store)
    assert sorted((a.file, a.path) for a in stored.values()) == [
        ("story.txt", str((y2023 / "story.txt").resolve())),
        ("story.txt", str((y2024 / "story.txt").resolve())),
    ]


def test_cli_builds_two_folders_holding_the_same_file_name(tmp_path):
    store = str(tmp_path / "store")
    y2023 = _story(tmp_path / "y2023", "2023-05-10")
    y2024 = _story(tmp_path / "y2024", "2024-05-14")
    runner = CliRunner()
    first = runner.invoke(cli, ["build", "--store", store, "-q", str(y2023)])
    second = runner.invoke(cli, ["build", "--store", store, "-q", str(y2024)])
    assert first.exit_code == 0 and "1 added, 0 replaced" in first.stderr, first.output
    assert second.exit_code == 0 and "1 added, 0 replaced" in second.stderr, second.output
    both = runner.invoke(cli, ["build", "--store", str(tmp_path / "other"), "-q", str(y2023), str(y2024)])
    assert "2 articles (2 added, 0 replaced, 0 unchanged)" in both.stderr, both.output


def test_edited_file_replaces_its_article_whatever_path_names_it(tmp_path, monkeypatch):
    folder = _story(tmp_path / "news")
    with open_store("memory") as store:
        build([str(folder)], store)
        _story(folder, "2023-05-17")  # edited: new content, new id
        monkeypatch.chdir(tmp_path)
        report = build(["news/story.txt"], store)  # the same file, named another way
        assert (report.added, report.replaced) == (0, 1)
        (meta,) = read.articles(store).values()
    assert meta.date == dt.date(2023, 5, 17) and meta.path == str((folder / "story.txt").resolve())


def test_edited_json_lines_record_replaces_only_its_own_line(tmp_path):
    import json

    def feed(second: str) -> None:
        lines = [{"text": "Chile and Peru signed a logistics pact.", "date": "2023-05-10"},
                 {"text": second, "date": "2023-05-11"}]
        (tmp_path / "feed.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")

    feed("Chile and Bolivia signed a logistics pact.")
    with open_store("memory") as store:
        build([str(tmp_path / "feed.jsonl")], store)
        feed("Chile and Bolivia signed a mutual defence treaty.")
        report = build([str(tmp_path / "feed.jsonl")], store)
        assert (report.added, report.replaced, report.unchanged) == (0, 1, 1)
        paths = sorted(a.path for a in read.articles(store).values())
    where = str((tmp_path / "feed.jsonl").resolve())
    assert paths == [f"{where}#1", f"{where}#2"]


def test_stored_article_without_a_path_is_known_by_its_file(memory_store):
    old = make_article("v1", file="news.txt")  # as stored before articles had a path
    new = dataclasses.replace(make_article("v2", file="news.txt"), path="")
    _build([old], memory_store, TableExtractor({}))
    report = _build([new], memory_store, TableExtractor({}))
    assert (report.added, report.replaced) == (0, 1)
    assert list(read.articles(memory_store)) == ["v2"]


def test_article_path_is_in_its_graph():
    article = dataclasses.replace(make_article("p1"), path="/corpus/y2023/story.txt")
    quads = model.article_quads(article)
    assert [q.object.value for q in quads if q.predicate == model.node(vocab.KG.path)] == ["/corpus/y2023/story.txt"]
    assert not [q for q in model.article_quads(make_article("p2")) if q.predicate == model.node(vocab.KG.path)]
