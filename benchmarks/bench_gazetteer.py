"""Benchmark Gazetteer.mentions: sentences/s and MB/s over a generated corpus.

Run: .venv/bin/python benchmarks/bench_gazetteer.py [ARTICLES]
     .venv/bin/python benchmarks/bench_gazetteer.py --corpus DIR [ROUNDS]
The second form times mentions() over every sentence of the articles in DIR (split as the
extractor splits them, each with its article's date), CPU time, best of ROUNDS, each round on a
fresh gazetteer (nothing remembered). Prints figures; it is not a test.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from kg.extract.sentences import split_sentences
from kg.gazetteer import Gazetteer
from kg.loaders import load_paths

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


def corpus_sentences(directory: Path, rounds: int) -> None:
    items = [(article.text[a:b], article.date)
             for article in load_paths([directory]) for a, b in split_sentences(article.text)]
    best, count = float("inf"), 0
    for _ in range(rounds):
        gaz = Gazetteer.from_path()
        started = time.process_time()
        count = sum(len(gaz.mentions(text, on=on)) for text, on in items)
        best = min(best, time.process_time() - started)
    size = sum(len(text) for text, _ in items)
    print(f"{directory}: {len(items)} sentences, {size / 1e6:.2f} M characters, {count} mentions")
    print(f"mentions(): best CPU {best:.4f} s of {rounds} = {best / len(items) * 1e6:.2f} us a sentence")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--corpus":
        corpus_sentences(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 5)
        return
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
