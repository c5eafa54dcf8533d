"""Articles -> claims -> RDF in a store: incremental, idempotent, one transaction per build.

A build reads what the store holds through :mod:`kg.read` (articles by content hash and file),
extracts only the articles it does not have yet (or all of them with ``force``), replaces the
named graph of an article whose file now has other content, merges again (:func:`kg.model.merge`)
only the agreements between the pairs of parties that an added or removed claim mentions
(reading just those pairs' claims; a first or ``force`` build recomputes all of them), and
writes all of that with one :meth:`kg.store.Store.apply`: the agreements graph of an indexed
store as a :class:`kg.store.GraphPatch`, everything else as whole graphs. All extraction
happens before the store is touched, so an error or Ctrl-C during a build leaves the store as
it was. A store that is not ``transactional``, or a write too large for one transaction, is
written in parts under the pending mark (:func:`build_articles`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg import model, read, vocab
from kg.records import Agreement, Article, Claim, Evidence, PartnerCount
from kg.store import GraphChange, GraphPatch, Store, inserted

#: Turns an article into its claims and partner counts.
Extractor = Callable[[Article], tuple[Sequence[Claim], Sequence[PartnerCount]]]


@dataclass
class BuildReport:
    """What a build did.

    Attributes:
        articles: articles read from the paths (duplicates included).
        added: articles new to the store.
        replaced: articles whose file was in the store with other content (graph replaced).
        unchanged: articles the store already had (same content hash); not re-extracted.
        claims: claims extracted from the added and replaced articles.
        partner_counts: partner-count statements extracted from them.
        agreements: merged agreements in the store after the build.
        conflicts: how many of them are conflicting.
        errors: files or lines that could not be read (reported through ``on_error``).
        triples: quads in the store after a first or large build (None for a remote store,
            or after adding a few articles: counting scans the whole store).
        seconds: wall time.
        rederived: the store was marked pending (a cut-off write, RDF loaded) and every
            agreement was derived again from the stored claims.
    """

    articles: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    claims: int = 0
    partner_counts: int = 0
    agreements: int = 0
    conflicts: int = 0
    errors: int = 0
    triples: int | None = None
    seconds: float = 0.0
    rederived: bool = False
    error_messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        parts = [
            f"{self.articles} articles ({self.added} added, {self.replaced} replaced, {self.unchanged} unchanged)",
            f"{self.claims} new claims",
            f"{self.agreements} agreements ({self.conflicts} conflicting)",
        ]
        if self.triples is not None:
            parts.append(f"{self.triples} triples")
        if self.errors:
            parts.append(f"{self.errors} unreadable")
        if self.rederived:
            parts.append("agreements derived again from every claim (an earlier write was cut off, or RDF was loaded)")
        return ", ".join(parts) + f" in {self.seconds:.1f} s"


# ---------------------------------------------------------------------------------------------
# Building


def extract_article(article: Article, gazetteer: Any = None) -> tuple[list[Claim], list[PartnerCount]]:
    """The claims and partner counts of one article, by :mod:`kg.extract` (one pass)."""
    from kg.extract import analyse

    analysis = analyse(article, gazetteer=gazetteer)
    return analysis.claims, analysis.counts


def _with_progress(articles: Iterable[Article], enabled: bool) -> Iterator[Article]:
    if not enabled:
        yield from articles
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield from articles
        return
    columns = (SpinnerColumn(), TextColumn("building: {task.completed} articles"), TimeElapsedColumn())
    # Redrawn by this thread (see kg.cli._progress: no refresh thread for Ctrl-C to deadlock with).
    with Progress(*columns, console=console, transient=True, auto_refresh=False, redirect_stdout=False) as bar:
        task = bar.add_task("build", total=None)
        for article in articles:
            yield article
            bar.advance(task)
            bar.refresh()


Pair = frozenset  # an unordered pair of party codes


#: Above this many touched pairs per stored article, a build derives every agreement again
#: rather than patching those of the touched pairs: it then reads every claim once instead of
#: each pair's (a query per pair costs about as much as reading 25 claims), and writes the
#: agreements graph whole instead of looking up and deleting the stale quads of each pair.
PAIRS_PER_ARTICLE_FOR_FULL_DERIVATION = 0.25


def _touched(store: Store, new_claims: Iterable[Claim], gone: set[str]) -> tuple[set[Pair], set[str]]:
    """The pairs of parties whose agreements a build changes (those of its new claims and of
    the removed articles' claims), and the parties the removed articles mention."""
    pairs: set[Pair] = {Pair((c.party_a, c.party_b)) for c in new_claims}
    gone_pairs, gone_codes = read.mentions(store, gone)
    return {pair for pair in pairs | gone_pairs if len(pair) == 2}, gone_codes


def _full_derived_graphs(
    store: Store,
    existing: Mapping[str, Article],
    new_claims: list[Claim],
    new_counts: list[PartnerCount],
    new_dates: Mapping[str, dt.date | None],
    gone: set[str],
    parties: Mapping[str, Any],
    report: BuildReport,
    *,
    lazy: bool = False,
) -> dict[ox.NamedNode, GraphChange]:
    """The agreements and parties graphs recomputed from every claim the store will hold.

    The stored claims are read only when the store held articles before this build (the new
    articles' graphs may be written already: their claims are the ones given). ``lazy``: the
    agreements graph as an iterator that makes its quads as the store writes them (a graph
    written in parts), so they are never all in memory at once."""
    gone = gone | set(new_dates)
    kept = {k: a.date for k, a in existing.items() if k not in gone}
    claims = [c for c in read.claims(store) if c.article_id in kept] if kept else []
    claims += new_claims
    dates = {**kept, **new_dates}
    agreements = model.merge(claims, dates)
    report.agreements = len(agreements)
    report.conflicts = sum(a.conflict for a in agreements)
    counts = [c for c in read.partner_counts(store) if c.article_id in kept] if kept else []
    counts += new_counts
    agreement_quads: GraphChange = (
        _quads_in_parts(agreements, dates) if lazy else model.agreement_quads(agreements, dates)
    )
    return {
        model.node(vocab.AGREEMENTS_GRAPH): agreement_quads,
        model.node(vocab.PARTIES_GRAPH): model.party_quads(model.party_codes(claims, counts), parties),
    }


def _quads_in_parts(agreements: list[Agreement], dates: Mapping[str, dt.date | None],
                    size: int = 5_000) -> Iterator[ox.Quad]:
    """:func:`kg.model.agreement_quads`, made ``size`` agreements at a time (a link that two parts
    both give is written twice: the store keeps one)."""
    for start in range(0, len(agreements), size):
        yield from model.agreement_quads(agreements[start:start + size], dates)


def _incremental_derived_graphs(
    store: Store,
    new_claims: list[Claim],
    new_counts: list[PartnerCount],
    new_dates: Mapping[str, dt.date | None],
    gone: set[str],
    touched: tuple[set[Pair], set[str]],
    parties: Mapping[str, Any],
) -> dict[ox.NamedNode, GraphChange]:
    """The agreements and parties graphs after adding ``new_*`` and removing ``gone`` articles
    (``touched``: as :func:`_touched` gives it).

    Only the agreements between the pairs of parties that a new or removed claim mentions are
    merged again (all agreement types of such a pair, because the ``kg:agreementWith`` link
    of a pair depends on all of them); the rest of the agreements graph is kept as it is.
    The result is the graph a full recompute gives (:func:`_full_derived_graphs`).
    """
    pairs, gone_codes = touched

    # Merge the claims of the touched pairs again, from what the store will hold.
    # (the new articles' graphs may be written already: their claims are the ones given)
    pair_claims, dates = read.dated_claims(store, pairs, sentences=False)
    claims = [c for c in pair_claims if c.article_id not in gone and c.article_id not in new_dates] + new_claims
    dates.update(new_dates)
    merged = model.merge(claims, dates)
    fresh = model.agreement_quads(merged, dates)

    # Keep every quad of the agreements graph that is not about a touched pair: the agreement
    # nodes of other pairs (with their states) and the direct links between other parties.
    touched_nodes: set[Any] = {
        model.node(vocab.agreement_iri(min(pair), max(pair), kind))
        for pair in pairs for kind in vocab.DIRECT_PROPERTY
    }
    touched_links = {
        (model.node(vocab.party_iri(a)), model.node(vocab.party_iri(b)))
        for pair in pairs for a, b in (sorted(pair), sorted(pair)[::-1])
    }
    graph = model.node(vocab.AGREEMENTS_GRAPH)
    state = model.node(vocab.KG.state)
    agreement_quads: GraphChange
    if store.indexed:
        # Patched in place: only the touched quads are read, by index lookups.
        touched_nodes |= {q.object for n in touched_nodes for q in store.quads_for_pattern(n, state, None, graph)}
        stale = [q for n in touched_nodes for q in store.quads_for_pattern(n, None, None, graph)]
        stale += [q for a, b in touched_links for q in store.quads_for_pattern(a, None, b, graph)]
        agreement_quads = GraphPatch(stale, fresh)
    else:
        # An endpoint: the graph is read once and written whole.
        stored = store.graph_quads(graph)
        touched_nodes |= {q.object for q in stored if q.predicate == state and q.subject in touched_nodes}
        kept = [q for q in stored if q.subject not in touched_nodes and (q.subject, q.object) not in touched_links]
        agreement_quads = list(dict.fromkeys(kept + fresh))

    # The parties graph: the parties it lists, plus the new ones, less those that only the
    # removed articles mentioned. Rewritten whole (it is small) so labels follow ``parties``.
    codes = read.party_codes(store)
    codes |= model.party_codes(new_claims, new_counts)
    candidates = gone_codes - model.party_codes(new_claims, new_counts)
    if candidates:
        codes -= {code for code in candidates if not read.mentioned_outside(store, code, gone)}
    return {
        graph: agreement_quads,
        model.node(vocab.PARTIES_GRAPH): model.party_quads(codes, parties),
    }


def derivation_pending(store: Store) -> bool:
    """Whether the store is marked as holding derived graphs that may not follow from its
    claims (``kg:derivationPending`` in ``graph/build``; see :func:`build_articles`)."""
    return read.pending_articles(store) is not None


#: Above this many quads to insert, a build writes in parts (``atomic=False``, a bulk load in a
#: local store) under the pending mark instead of in one transaction: Oxigraph's transactions
#: grow slower than linearly with their size (400k quads: 13 s in one, 3 s in a bulk load).
TRANSACTION_QUADS = 100_000


def _without_sentence(claim: Claim) -> Claim:
    evidence = claim.evidence
    return dataclasses.replace(claim, evidence=Evidence("", evidence.start, evidence.end, evidence.in_title))


def _write_batch(store: Store, graphs: Mapping[ox.NamedNode, GraphChange], articles: Sequence[str],
                 drop: set[ox.NamedNode]) -> None:
    """Write graphs in parts (a bulk load in a local store, graph by graph on an endpoint) under
    the pending mark, which names the articles first: a write cut off half way (the endpoint
    gone, Ctrl-C, a crash) leaves the mark for the next build to repair. A graph written here
    is no longer one to drop at the end."""
    mark = model.node(vocab.BUILD_GRAPH)
    store.apply({mark: GraphPatch(insert=model.pending_quads(articles))})
    store.apply(graphs, drop, atomic=False)
    drop.difference_update(graphs)
    drop.discard(mark)


class _Stored:
    """The articles a store holds, as a build asks about them: by identifier and by file.

    An indexed store of many articles answers each question with an index read, so adding a
    few articles to a big store reads nothing else; otherwise, and once a build has asked
    about many articles, every article is read once.
    """

    #: Up to this many stored articles, every article is read at once from the start.
    SMALL = 100
    #: Questions answered one by one before every article is read at once.
    LOOKUPS = 100

    def __init__(self, store: Store) -> None:
        self.store = store
        self.count = read.article_count(store)
        self._all: dict[str, Article] | None = None
        self._by_file: dict[str, str] = {}
        self._asked = 0
        self._removed: set[str] = set()
        self._known: dict[str, Article | None] = {}
        if not store.indexed or self.count <= self.SMALL:
            self._read_all()

    def __len__(self) -> int:
        return self.count

    def _read_all(self) -> None:
        self._all = {k: a for k, a in read.articles(self.store).items() if k not in self._removed}
        # The article a file gave last time, by the file's absolute path (by its name relative to
        # the folder given, for an article stored without a path).
        self._by_file = {a.path or a.file: k for k, a in self._all.items()}

    def _one_by_one(self) -> bool:
        self._asked += 1
        if self._all is None and self._asked > self.LOOKUPS:
            self._read_all()
        return self._all is None

    def get(self, article_id: str) -> Article | None:
        """The stored article with this identifier, or None."""
        if article_id in self._removed:
            return None
        if not self._one_by_one():
            return self._all.get(article_id)  # type: ignore[union-attr]
        if article_id not in self._known:
            self._known[article_id] = read.article(self.store, article_id)
        return self._known[article_id]

    def of_file(self, key: str) -> str | None:
        """The identifier of the article the file known as ``key`` gave last time, or None."""
        if self._one_by_one():
            found = next((a.id for a in read.articles_of_file(self.store, key)), None)
        else:
            found = self._by_file.get(key)
        return None if found in self._removed else found

    def remove(self, article_id: str) -> bool:
        """Count an article as gone from the store; whether it was there."""
        there = self.get(article_id) is not None
        self._removed.add(article_id)
        if self._all is not None:
            self._all.pop(article_id, None)
        self.count -= there
        return there

    def all(self) -> dict[str, Article]:
        """Every stored article (less the removed ones) by identifier."""
        if self._all is None:
            self._read_all()
        return self._all  # type: ignore[return-value]


def build_articles(
    articles: Iterable[Article],
    store: Store,
    extractor: Extractor,
    *,
    parties: Mapping[str, Any] | None = None,
    force: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Add articles to a store with a given extractor (:func:`build` with the real one).

    Args:
        articles: the articles to add.
        store: where to write.
        extractor: article -> (claims, partner counts).
        parties: code -> gazetteer party, for the parties graph; None: the packaged gazetteer.
        force: re-extract articles the store already has.
        progress: show a progress indicator on stderr.
    """
    started = time.perf_counter()
    report = BuildReport()
    if parties is None:
        from kg.gazetteer import Gazetteer

        parties = Gazetteer.default().parties
    existing = _Stored(store)
    graphs: dict[ox.NamedNode, GraphChange] = {}
    drop: set[ox.NamedNode] = set()
    gone: set[str] = set()  # article ids whose claims leave the store
    # A mark left by a write that was cut off: the articles it was writing may be half written,
    # so their graphs go (given again, they are added again) and every agreement is derived anew.
    interrupted = read.pending_articles(store)
    pending = interrupted is not None
    for article_id in interrupted or ():
        if existing.remove(article_id):
            drop.add(model.node(vocab.article_graph(article_id)))
            gone.add(article_id)

    new_claims: list[Claim] = []
    new_counts: list[PartnerCount] = []
    new_dates: dict[str, dt.date | None] = {}  # the new articles' publication dates
    mark = model.node(vocab.BUILD_GRAPH)
    batch: list[str] = []  # the new articles whose graphs are not written yet
    batched = 0  # their quads
    streamed = False
    for article in _with_progress(articles, progress):
        report.articles += 1
        stored = existing.get(article.id)
        if article.id in new_dates or (stored is not None and not force):
            report.unchanged += 1
            continue
        # a file's new content replaces the article it gave, while a file of the same name in
        # another folder is another article
        previous = existing.of_file(article.path or article.file)
        if previous is not None and previous != article.id:
            drop.add(model.node(vocab.article_graph(previous)))
            gone.add(previous)
            report.replaced += 1
        elif stored is not None:  # forced re-extraction: same graph, new content
            report.replaced += 1
        else:
            report.added += 1
        claims, counts = extractor(article)
        quads = model.article_quads(article, claims, counts, parties)
        graphs[model.node(vocab.article_graph(article.id))] = quads
        new_dates[article.id] = article.date
        new_claims += [_without_sentence(c) for c in claims]  # the merge needs no evidence text
        new_counts += counts
        report.claims += len(claims)
        batch.append(article.id)
        batched += len(quads)
        if batched > TRANSACTION_QUADS:
            # Too much for one transaction: the article graphs go to the store as they come,
            # in bulk loads under the pending mark (see below), so memory holds one batch.
            _write_batch(store, graphs, batch, drop)
            graphs, batch, batched, streamed = {}, [], 0, True
    report.partner_counts = len(new_counts)

    report.rederived = pending and not force and len(existing) > 0
    # Everything is (re)extracted, the store is new, its derived graphs may not follow from its
    # claims (a write cut off, RDF loaded), or the build touches many of its pairs: recompute
    # every derived graph. Otherwise merge again only the touched pairs' agreements.
    touched = None if force or not len(existing) or pending else _touched(store, new_claims, gone)
    if touched is not None and len(touched[0]) > max(50, PAIRS_PER_ARTICLE_FOR_FULL_DERIVATION * len(existing)):
        touched = None
    derive_all = touched is None
    if touched is None:
        graphs.update(_full_derived_graphs(store, existing.all(), new_claims, new_counts, new_dates, gone, parties,
                                           report, lazy=streamed))
    else:
        graphs.update(_incremental_derived_graphs(store, new_claims, new_counts, new_dates, gone, touched, parties))
    graphs[model.node(vocab.ONTOLOGY_GRAPH)] = model.ontology_quads()

    was_empty = not len(existing) and not streamed
    if not streamed and store.transactional and sum(inserted(change) for change in graphs.values()) <= TRANSACTION_QUADS:
        # One transaction: the mark of an earlier cut-off write goes with it.
        if pending:
            drop.add(mark)
        store.apply(graphs, drop)
    else:
        # In parts, the mark removed last (see _write_batch).
        _write_batch(store, graphs, batch, drop)
        store.apply({}, [mark])
    if not derive_all:
        report.agreements, report.conflicts = read.agreement_counts(store)
    if was_empty or len(new_dates) > 100:
        store.optimize()
        if store.indexed:  # counting scans the store: after a first or large build only
            report.triples = len(store)
    report.seconds = time.perf_counter() - started
    return report


def build(
    paths: Iterable[str],
    store: Store,
    on_error: Callable[[Exception], None] | None = None,
    progress: bool = False,
    *,
    gazetteer: Any = None,
    force: bool = False,
    on_note: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> BuildReport:
    """Load the articles under ``paths``, extract their claims and add them to ``store``.

    Args:
        paths: files and folders (see :func:`kg.loaders.load_paths`).
        store: a store from :func:`kg.store.open_store`.
        on_error: called with each :class:`kg.loaders.LoadError`; loading goes on with the
            rest. None: unreadable files are counted in the report and skipped.
        progress: show a progress indicator on stderr.
        gazetteer: a :class:`kg.gazetteer.Gazetteer`; None: the packaged one.
        force: re-extract articles the store already has (after an extractor upgrade).
        on_note: called with each one-line note about an article (no publication date
            found); see :func:`kg.loaders.load_paths`.
        jobs: worker processes that load and extract (:mod:`kg.parallel`; 0: one per core);
            the store gets what one process gives it.

    Returns:
        a :class:`BuildReport`.
    """
    from kg.gazetteer import Gazetteer
    from kg.loaders import load_paths
    from kg.parallel import analyse_files

    gazetteer = gazetteer or Gazetteer.default()
    errors: list[str] = []

    def report_error(err: Exception) -> None:
        errors.append(str(err))
        if on_error is not None:
            on_error(err)

    def one(article: Article) -> tuple[Sequence[Claim], Sequence[PartnerCount]]:
        return extract_article(article, gazetteer)

    extract: Extractor = one
    if jobs == 1:
        # build_articles extracts an article only when the store lacks it, and looks the store
        # up article by article: adding one file to a big store reads nothing else.
        articles: Iterable[Article] = load_paths(paths, on_error=report_error, on_note=on_note)
    else:
        # The workers skip the articles the store has; build_articles skips them too (it asks
        # this process for any other it wants, e.g. one a cut-off write left half written).
        known = () if force else read.articles(store).keys()
        analysed = analyse_files(paths, jobs, on_error=report_error, on_note=on_note, gazetteer=gazetteer, skip=known)
        extracted = Extracted(analysed, one)
        extract, articles = extracted, extracted.articles()
    report = build_articles(articles, store, extract, parties=gazetteer.parties, force=force, progress=progress)
    report.errors, report.error_messages = len(errors), errors
    return report


class Extracted:
    """Articles whose claims were worked out before the build (in worker processes, or read from
    claim files), with the :data:`Extractor` that hands :func:`build_articles` those claims.

    build_articles asks for an article's claims as soon as it has the article, so the last
    article given is the one asked for; any other is extracted by ``fallback``.
    """

    def __init__(self, analysed: Iterable[tuple[Article, Any]], fallback: Extractor | None = None) -> None:
        self._analysed = analysed
        self._fallback = fallback
        self._last: tuple[Article, Any] | None = None

    def articles(self) -> Iterator[Article]:
        """The articles, in order."""
        for article, analysis in self._analysed:
            self._last = (article, analysis)
            yield article

    def __call__(self, article: Article) -> tuple[Sequence[Claim], Sequence[PartnerCount]]:
        if self._last is not None and self._last[0] is article and self._last[1] is not None:
            return self._last[1].claims, self._last[1].counts
        if self._fallback is None:
            raise ValueError(f"{article.file}: no claims were given for this article")
        return self._fallback(article)


def build_claims(
    paths: Iterable[Any],
    store: Store,
    *,
    gazetteer: Any = None,
    force: bool = False,
    progress: bool = False,
) -> BuildReport:
    """Add the articles of claim files (:mod:`kg.claim_files`: ``kg extract --format jsonl`` or
    ``--dask``) to ``store``: the build their articles give, with claims extracted elsewhere.

    Args:
        paths: claim files, and folders of Parquet claim files.
        store: a store from :func:`kg.store.open_store`.
        gazetteer: a :class:`kg.gazetteer.Gazetteer` for the parties graph; None: the packaged one.
        force: take the claims of articles the store already has too.
        progress: show a progress indicator on stderr.

    Raises:
        kg.claim_files.ClaimFileError: a file that is not a claim file or lacks a column; the
            store is left as it was.
    """
    from kg.claim_files import read_claims
    from kg.gazetteer import Gazetteer

    gazetteer = gazetteer or Gazetteer.default()
    extracted = Extracted(read_claims(paths))
    return build_articles(extracted.articles(), store, extracted, parties=gazetteer.parties, force=force,
                          progress=progress)
