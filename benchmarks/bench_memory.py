"""Benchmark: peak memory of `kg build` as the corpus grows (it must not grow with the corpus
beyond the merged agreements).

Usage: python benchmarks/bench_memory.py [--sizes 10000 100000] [--claims 7]

Each size is built in a fresh process into a new on-disk store from generated articles, made
one at a time as the build asks for them (the generator holds no corpus), with the claims an
article's index gives (as in bench_graph.py: random pairs of gazetteer parties, hubs more
often, random types, statuses and dates). Prints build time, triples and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

from kg.records import AGREEMENT_TYPES, STATUSES, Article, Claim, Evidence, PartnerCount

HUBS = ("JPN", "USA", "GBR", "AUS", "IND", "FRA", "DEU", "KOR", "NATO", "EU")


def articles(n: int) -> Iterator[Article]:
    start = dt.date(2020, 1, 1)
    for i in range(n):
        rng = random.Random(i)
        yield Article(f"{i:08x}{rng.getrandbits(64):016x}", f"a{i}.txt", f"Article {i}",
                      start + dt.timedelta(days=rng.randrange(5 * 365)), f"https://news.example/{i}", "")


def extractor(codes: list[str], claims_per_article: int):
    hubs = [c for c in HUBS if c in codes]

    def extract(article: Article) -> tuple[list[Claim], list[PartnerCount]]:
        i = int(article.file[1:-4])
        rng = random.Random(-1 - i)
        claims = []
        for j in range(rng.randint(max(1, claims_per_article - 3), claims_per_article + 3)):
            a = rng.choice(hubs) if rng.random() < 0.6 else rng.choice(codes)
            b = rng.choice([c for c in codes if c != a])
            a, b = sorted((a, b))
            day = article.date or start_day
            date = rng.choice(["", "", day.isoformat(), day.isoformat()[:7], str(day.year)])
            sentence = f"Sentence {j} of article {i}: {a} and {b} agreement."
            claims.append(Claim(article.id, article.file, a, b, rng.choice(AGREEMENT_TYPES), rng.choice(STATUSES),
                                date, Evidence(sentence, j * 80, j * 80 + len(sentence))))
        counts = []
        if rng.random() < 0.1:
            party = rng.choice(hubs)
            named = tuple(sorted({rng.choice(codes) for _ in range(rng.randint(1, 5))} - {party}))
            sentence = f"{party} has such agreements with eight other countries."
            counts.append(PartnerCount(article.id, article.file, party, 8, named, "intelligence_sharing", "signed",
                                       Evidence(sentence, 0, len(sentence))))
        return claims, counts

    start_day = dt.date(2020, 1, 1)
    return extract


def run_one(n: int, claims: int) -> None:
    """Build n articles into a new store in this process and print one line of figures."""
    from kg.build import build_articles
    from kg.gazetteer import Gazetteer
    from kg.store import open_store

    gazetteer = Gazetteer.default()
    codes = sorted(code for code in gazetteer.parties if len(code) == 3)
    with tempfile.TemporaryDirectory() as folder, open_store(folder + "/store") as store:
        started = time.perf_counter()
        report = build_articles(articles(n), store, extractor(codes, claims), parties=gazetteer.parties)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"{n:>9} {report.claims:>9} {report.agreements:>10} {report.triples:>10} {seconds:>8.1f} "
          f"{n / seconds:>10.0f} {peak:>10.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--claims", type=int, default=7, help="average claims per article")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process's size
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.claims)
        return
    print(f"{'articles':>9} {'claims':>9} {'agreements':>10} {'triples':>10} {'build s':>8} {'articles/s':>10} "
          f"{'peak MB':>10}", flush=True)
    for n in args.sizes:
        subprocess.run([sys.executable, __file__, "--one", str(n), "--claims", str(args.claims)], check=True)


if __name__ == "__main__":
    main()
