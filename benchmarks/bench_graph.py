"""Benchmark: build the graph from generated corpora; time the shipped queries, Oxigraph vs rdflib.

Usage: python benchmarks/bench_graph.py [--sizes 1000 10000] [--claims 7] [--rdflib-timeout 60]
       python benchmarks/bench_graph.py --sizes 10000 --store /tmp/bench-10k [--queries agreements as-of]
       python benchmarks/bench_graph.py --grow 2000

The corpora are synthetic at the claim level (the graph part is what is measured here; see
bench_extract.py for extraction): each article gets a random number of claims between random
pairs of gazetteer parties, with random types, statuses and dates, and some partner counts.
For each size it times an on-disk build (``kg.build.build_articles``). On the largest graph
(about 1M triples at 10,000 articles) it times every shipped query on the Oxigraph store and on
rdflib's in-memory Dataset holding the same quads, in the same run, and the 'parties sharing
partners' analytic done in Python over the agreements vs as one SPARQL join. Prints tables and
ratios. Oxigraph's query times are the best and the median of --runs runs (wall clock, and the
best CPU time: the machine may be shared); rdflib queries run once in a forked process each,
stopped after --rdflib-timeout seconds. With --store DIR the largest graph is built into DIR
once and reused by later runs (the same corpus: same size and --claims), so a change to a query
is timed without building again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox

from kg import vocab
from kg.build import build_articles
from kg.gazetteer import Gazetteer
from kg.query import _TOKEN, prepare
from kg.records import AGREEMENT_TYPES, STATUSES, Article, Claim, Evidence, PartnerCount
from kg.store import open_store

PARAMS = {
    "partners": {"party": "JPN"},
    "agreements": {},
    "conflicts": {},
    "negotiations": {},
    "timeline": {"party": "JPN"},
    "as-of": {"date": "2023-06-30"},
    "unnamed-partners": {"party": "JPN"},
}

SHARED_PARTNERS_SPARQL = vocab.sparql_prologue() + """SELECT ?a ?b (COUNT(DISTINCT ?c) AS ?shared) WHERE {
  GRAPH ?g { ?a kg:agreementWith ?c . ?b kg:agreementWith ?c . FILTER(STR(?a) < STR(?b)) }
} GROUP BY ?a ?b"""


def corpus(n: int, claims_per_article: int, codes: list[str], seed: int = 7):
    """n synthetic articles and their claims/partner counts (an extractor that looks them up)."""
    rng = random.Random(seed)
    # A few hubs get most agreements, as in real news (Japan, the US, NATO...).
    hubs = [c for c in ("JPN", "USA", "GBR", "AUS", "IND", "FRA", "DEU", "KOR", "NATO", "EU") if c in codes]
    articles, claims, counts = [], {}, {}
    start = dt.date(2020, 1, 1)
    for i in range(n):
        article_id = f"{i:08x}{rng.getrandbits(64):016x}"
        day = start + dt.timedelta(days=rng.randrange(5 * 365))
        text_claims = []
        for j in range(rng.randint(max(1, claims_per_article - 3), claims_per_article + 3)):
            a = rng.choice(hubs) if rng.random() < 0.6 else rng.choice(codes)
            b = rng.choice(codes)
            while b == a:
                b = rng.choice(codes)
            a, b = sorted((a, b))
            date = rng.choice(["", "", day.isoformat(), day.isoformat()[:7], str(day.year)])
            sentence = f"Sentence {j} of article {i}: {a} and {b} agreement."
            text_claims.append(Claim(article_id, f"a{i}.txt", a, b, rng.choice(AGREEMENT_TYPES),
                                     rng.choice(STATUSES), date, Evidence(sentence, j * 80, j * 80 + len(sentence))))
        claims[article_id] = text_claims
        if rng.random() < 0.1:
            party = rng.choice(hubs)
            named = tuple(sorted({rng.choice(codes) for _ in range(rng.randint(1, 5))} - {party}))
            sentence = f"{party} has such agreements with eight other countries."
            counts[article_id] = [PartnerCount(article_id, f"a{i}.txt", party, 8, named, "intelligence_sharing",
                                               "signed", Evidence(sentence, 0, len(sentence)))]
        articles.append(Article(article_id, f"a{i}.txt", f"Article {i}", day, f"https://news.example/{i}", ""))
    return articles, lambda article: (claims[article.id], counts.get(article.id, []))


def union_variant(text: str) -> str:
    """The query without its ``GRAPH ... { }`` wrappers, for stores whose default graph is the union.

    rdflib evaluates ``GRAPH ?g`` by trying every named graph (one per article: thousands), so
    the shipped queries are compared on this variant, which both engines answer over the union.
    """
    out, drop_close, depth, pending = [], set(), 0, None
    for match in _TOKEN.finditer(text):
        token, kind = match.group(), match.lastgroup
        if pending is not None:
            # skip the graph name (a variable or an IRI) up to the group's brace
            if kind == "open":
                depth += 1
                drop_close.add(depth)
                pending = None
            continue
        if kind == "word" and token.upper() == "GRAPH":
            pending = "graph"
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            if depth in drop_close:
                drop_close.discard(depth)
                depth -= 1
                continue
            depth -= 1
        out.append(token)
    return "".join(out)


def _rdflib_worker(dataset, text, queue):
    started = time.perf_counter()
    try:
        rows = len(list(dataset.query(text)))
    except Exception as err:  # an rdflib limitation: report it in the table, not as a traceback
        queue.put((None, f"error: {type(err).__name__}"))
        return
    queue.put((time.perf_counter() - started, rows))


def time_rdflib(dataset, text: str, timeout: float) -> tuple[float | None, int | None]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_rdflib_worker, args=(dataset, text, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return None, None
    return queue.get() if not queue.empty() else (None, None)


def time_oxigraph(store, text: str, runs: int = 5) -> tuple[int, float, float, float]:
    """Rows, and the best and median wall-clock seconds and the best CPU seconds of ``runs``
    runs of a query: the machine is shared, and one run measures the other processes' load as
    much as the query."""
    walls, best_cpu = [], float("inf")
    rows = 0
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        rows = len(list(store.query(text)))
        walls.append(time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return rows, min(walls), statistics.median(walls), best_cpu


PAIRS_SPARQL = vocab.sparql_prologue() + """SELECT ?a ?b WHERE { GRAPH kgg:agreements { ?a kg:agreementWith ?b } }"""


def shared_partners_python(store) -> int:
    """Pairs of parties with a partner in common: the pairs read once, the rest in Python sets."""
    partners = defaultdict(set)
    for row in store.query(PAIRS_SPARQL):
        partners[row["a"].value].add(row["b"].value)
    pairs = 0
    for x, y in combinations(sorted(partners), 2):
        if partners[x] & partners[y]:
            pairs += 1
    return pairs


def grow(n: int, claims: int) -> None:
    """Print the time to add n articles to an n-article store and to build all 2n from scratch."""
    gazetteer = Gazetteer.default()
    articles, extractor = corpus(2 * n, claims, sorted(gazetteer.parties))
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        with open_store(Path(tmp) / "scratch") as store:
            started = time.perf_counter()
            build_articles(articles, store, extractor, parties=gazetteer.parties)
            scratch, triples = time.perf_counter() - started, len(store)
        with open_store(Path(tmp) / "grown") as store:
            build_articles(articles[:n], store, extractor, parties=gazetteer.parties)
            started = time.perf_counter()
            build_articles(articles[n:], store, extractor, parties=gazetteer.parties)
            grown = time.perf_counter() - started
            same = len(store) == triples
    print(f"{2 * n} articles from scratch: {scratch:.1f} s; {n} added to a {n}-article store: {grown:.1f} s "
          f"({triples} triples, {'same' if same else 'DIFFERENT'} store)", flush=True)


def build_and_add_one(n: int, claims: int, codes: list[str], gazetteer: Gazetteer, store) -> None:
    """Build an n-article corpus into the store and add one more article, printing both times."""
    articles, extractor = corpus(n, claims, codes)
    started = time.perf_counter()
    report = build_articles(articles, store, extractor, parties=gazetteer.parties)
    seconds = time.perf_counter() - started
    total = sum(len(extractor(a)[0]) for a in articles)
    print(f"{n:>9} {total:>8} {report.agreements:>10} {len(store):>9} {seconds:>8.1f} {n / seconds:>10.0f}")
    # incremental: one more article into the built store
    extra, extra_extractor = corpus(1, claims, codes, seed=n)
    started = time.perf_counter()
    build_articles(extra, store, extra_extractor, parties=gazetteer.parties)
    print(f"{'':>9} adding 1 article to it: {time.perf_counter() - started:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--claims", type=int, default=7, help="average claims per article")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--build-only", action="store_true",
                        help="time the builds and the one-article additions only, not the queries")
    parser.add_argument("--grow", type=int, metavar="N",
                        help="only compare adding N articles to an N-article store with building 2N from scratch")
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help="build the largest graph into DIR and keep it, or reuse the one already there")
    parser.add_argument("--queries", nargs="+", choices=list(PARAMS), metavar="NAME",
                        help=f"time only these shipped queries (of {', '.join(PARAMS)})")
    parser.add_argument("--runs", type=int, default=5, help="Oxigraph runs of each query (best and median)")
    args = parser.parse_args()
    # Every row as soon as it is printed, to a terminal, a pipe or a file alike.
    sys.stdout.reconfigure(line_buffering=True)
    if args.grow:
        grow(args.grow, args.claims)
        return

    gazetteer = Gazetteer.default()
    codes = sorted(gazetteer.parties)
    print(f"{'articles':>9} {'claims':>8} {'agreements':>10} {'triples':>9} {'build s':>8} {'articles/s':>10}")
    largest = None
    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-")
    for n in args.sizes:
        directory = Path(tmp.name) / f"store-{n}"
        if args.store is not None and n == args.sizes[-1]:
            directory = args.store
        if directory.is_dir() and any(directory.iterdir()):
            store = open_store(directory)
            print(f"{n:>9} {'':>8} {'':>10} {len(store):>9} reused from {directory} (built before, not timed)")
        else:
            store = open_store(directory)
            build_and_add_one(n, args.claims, codes, gazetteer, store)
        if largest is not None:
            largest.close()
        largest = store
    if args.build_only:
        largest.close()
        tmp.cleanup()
        return

    import rdflib

    print(f"\nQueries on {len(largest)} quads (Oxigraph on disk vs rdflib Dataset in memory, same data)")
    nquads = largest.dump(ox.RdfFormat.N_QUADS)
    started = time.perf_counter()
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    del dataset
    print(f"rdflib: parsing {len(nquads) / 1e6:.0f} MB of N-Quads took {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with open_store("memory") as scratch:
        scratch.oxigraph.load(nquads, format=ox.RdfFormat.N_QUADS)
        print(f"oxigraph: loading the same into memory took {time.perf_counter() - started:.1f} s")

    union = rdflib.Dataset(default_union=True)
    union.parse(data=nquads, format="nquads")
    print("\nOxigraph runs the shipped text (GRAPH ?g patterns); rdflib gets the same query without the GRAPH")
    print("wrappers over its union default graph (GRAPH ?g makes rdflib try each of thousands of graphs).")
    print(f"Oxigraph: best and median of {args.runs} runs, wall clock, and the best CPU time; rdflib: one run, "
          "wall clock; ratio: rdflib / Oxigraph's best.")
    print(f"{'query':<18} {'rows':>7} {'oxigraph s':>11} {'median s':>9} {'cpu s':>7} {'rdflib s':>10} {'ratio':>8}")
    for name, params in PARAMS.items():
        if args.queries and name not in args.queries:
            continue
        text = prepare(name, params, gazetteer)
        rows, ox_seconds, ox_median, ox_cpu = time_oxigraph(largest, text, args.runs)
        timed = f"{name:<18} {rows:>7} {ox_seconds:>11.3f} {ox_median:>9.3f} {ox_cpu:>7.3f}"
        rd_seconds, rd_rows = time_rdflib(union, union_variant(text), args.rdflib_timeout)
        if rd_seconds is None and isinstance(rd_rows, str):
            print(f"{timed} {rd_rows:>19}")
            continue
        if rd_seconds is None:
            limit = int(args.rdflib_timeout)
            print(f"{timed} {'>' + str(limit):>10} {'>' + str(int(limit / ox_seconds)) + 'x':>8}")
            continue
        flag = "" if rd_rows == rows else f"  (rdflib: {rd_rows} rows)"
        print(f"{timed} {rd_seconds:>10.3f} {rd_seconds / ox_seconds:>7.0f}x{flag}")

    started = time.perf_counter()
    pairs = shared_partners_python(largest)
    py_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = len(list(largest.query(SHARED_PARTNERS_SPARQL)))
    sparql_seconds = time.perf_counter() - started
    print(f"\nparties sharing partners: Python sets over the agreement pairs {py_seconds:.2f} s ({pairs} pairs); "
          f"one SPARQL join on Oxigraph {sparql_seconds:.2f} s ({rows} pairs)")
    largest.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
