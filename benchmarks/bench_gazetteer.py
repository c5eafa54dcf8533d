"""Benchmark Gazetteer.mentions: sentences/s and MB/s over a generated corpus.

Run: .venv/bin/python benchmarks/bench_gazetteer.py [ARTICLES]
Prints figures; it is not a test.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from kg.gazetteer import Gazetteer

TEMPLATES = (
    "{a} and {b} signed a reciprocal access agreement on Wednesday, officials in {c} said.",
    "The {d} defence minister met her counterpart from {b} to discuss the South China Sea.",
    "{e} said the two countries would start talks on an information security pact with {a}.",
    "Trade between {a} and {b} grew 4 percent last year, according to the ministry of finance.",
    "Analysts said the deal reflects growing concern about us and our partners in the region.",
    "The U.S. and {a}'s coast guards held joint drills, while {c} watched closely.",
)


def corpus(articles: int, seed: int = 7) -> list[list[str]]:
    gaz = Gazetteer.default()
    rng = random.Random(seed)
    names = [p.name for p in gaz.parties.values() if p.kind == "country"]
    words = ["Japanese", "Australian", "Philippine", "British", "Indian", "South Korean", "German"]
    caps = ["Tokyo", "Canberra", "Manila", "Seoul", "Washington", "New Delhi", "Wellington"]
    leaders = ["Putin", "Marcos", "Albanese", "Kishida", "Macron", "Kim Jong Un", "Modi"]
    out = []
    for _ in range(articles):
        sentences = []
        for _ in range(30):  # ~30 sentences, ~3 KB: a typical news article
            template = rng.choice(TEMPLATES)
            sentences.append(template.format(a=rng.choice(names), b=rng.choice(names),
                                             c=rng.choice(caps), d=rng.choice(words),
                                             e=rng.choice(leaders)))
        out.append(sentences)
    return out


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    started = time.perf_counter()
    gaz = Gazetteer.from_path()
    load = time.perf_counter() - started
    docs = corpus(articles)
    size = sum(len(s.encode("utf-8")) for doc in docs for s in doc)
    count = sentences = 0
    on = dt.date(2024, 6, 1)
    started = time.perf_counter()
    for doc in docs:
        for sentence in doc:
            count += len(gaz.mentions(sentence, on=on))
            sentences += 1
    elapsed = time.perf_counter() - started
    print(f"load: {load * 1000:.0f} ms ({len(gaz.parties)} parties)")
    print(f"{articles} articles, {sentences} sentences, {size / 1e6:.2f} MB, {count} mentions")
    print(f"mentions(): {elapsed:.3f} s = {articles / elapsed:,.0f} articles/s, "
          f"{sentences / elapsed:,.0f} sentences/s, {size / 1e6 / elapsed:.1f} MB/s")


if __name__ == "__main__":
    main()
