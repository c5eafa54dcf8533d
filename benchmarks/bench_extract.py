"""Benchmark: load + extract a generated corpus of news-like articles; prints articles/s and MB/s.

Usage: python benchmarks/bench_extract.py [N_ARTICLES] [--keep DIR] [--html] [--profile N]

The corpus is generated from templates with random pairs of gazetteer parties, so it has the
shape of news (a dated header, a lead with an agreement, background with distractors, a partner
list) without copying any real article. Run on one core (the extractor is single-threaded).
``--html`` writes each article as a small web page instead (loaded through trafilatura), and
``--profile N`` prints cProfile's N most expensive functions (by their own time) after the figures.

The background sentences come from a dozen templates, so most sentences recur across articles
(about 70% of the rule-table calls see a text seen before): a cache keyed by sentence text would
look fast here and not on real news. Judge a speed-up by work each sentence no longer does.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import html
import pstats
import random
import resource
import tempfile
import time
from pathlib import Path

from kg.extract import Extractor
from kg.gazetteer import Gazetteer
from kg.loaders import load_paths

LEADS = [
    "{A} and {B} signed an intelligence-sharing pact on {weekday}, officials said.",
    "{A} and {B} agreed in principle on a reciprocal access agreement for their forces.",
    "{A} is negotiating a logistics agreement with {B}, the defence ministry said.",
    "The two governments of {A} and {B} agreed to start talks on a status of forces agreement.",
    "{A} has terminated its defence cooperation agreement with {B}.",
    "Leaders of {A} and {B} held a phone call to discuss regional security.",
]
BACKGROUND = [
    "Trade between the two countries reached $12 billion last year, according to customs data.",
    "The ministers also discussed the situation in {C} and threats from {D}.",
    "Analysts said the move reflects growing concern about the security environment in the region.",
    "The agreement allows the exchange of classified information between the two militaries.",
    "Officials declined to say when the deal would be ratified by parliament.",
    "{A} has signed similar agreements with several other countries including {C}, {D} and {E}.",
    "A joint statement released after the meeting stressed the importance of a rules-based order.",
    "The prime minister told reporters that the two sides would continue to work closely on maritime security, "
    "cyber defence and disaster relief, and that further meetings were planned for later in the year.",
    "Opposition lawmakers criticised the government for moving too quickly, saying the public had not been "
    "consulted, while business groups welcomed the prospect of closer economic ties and new investment.",
    "The visit comes weeks after a summit in {C} at which leaders discussed supply chains, energy security and "
    "the humanitarian situation, according to a statement from the foreign ministry.",
    "Military officials from both countries are expected to hold joint exercises next spring, involving "
    "several thousand troops, naval vessels and aircraft operating from bases across the region.",
    "Experts noted that {D} has expanded its military presence in nearby waters, prompting concern among "
    "neighbours who fear an accidental clash could escalate into a wider confrontation.",
]


def generate(directory: Path, n: int, seed: int = 7, as_html: bool = False) -> int:
    """Write ``n`` articles into ``directory`` (plain text, or web pages); return the total bytes
    written."""
    rng = random.Random(seed)
    gaz = Gazetteer.default()
    names = [p.name for p in gaz.parties.values() if p.kind == "country"]
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    total = 0
    for i in range(n):
        A, B, C, D, E = rng.sample(names, 5)
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        paragraphs = [rng.choice(LEADS)] + rng.sample(BACKGROUND, 10) + [rng.choice(LEADS)] + rng.sample(BACKGROUND, 6)
        body = "\n\n".join(p.format(A=A, B=B, C=C, D=D, E=E, weekday=rng.choice(weekdays)) for p in paragraphs)
        title = f"{A} and {B} deepen security ties"
        if as_html:
            text = _page(title, f"https://news.example.org/{i}", day, body.split("\n\n"))
        else:
            text = f"{title}\n\nsource: https://news.example.org/{i}\ndate: {day}\n\n{body}\n"
        path = directory / f"{i:05d}.{'html' if as_html else 'txt'}"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def _page(title: str, url: str, day: dt.date, paragraphs: list[str]) -> str:
    """A news page: head metadata, navigation and footer around the article's paragraphs."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><title>{html.escape(title)}</title>'
            f'<meta property="og:url" content="{url}"><meta property="article:published_time" content="{day}">'
            f'</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>'
            f'<h1>{html.escape(title)}</h1>{body}</article><footer>Copyright News Example</footer></body></html>\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--html", action="store_true", help="write the articles as web pages")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile load + extract and print the N functions with the most own time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        size = generate(folder, args.n, as_html=args.html)
        t0 = time.perf_counter()
        extractor = Extractor(Gazetteer.from_path())  # a fresh load and the rule tables compiled: one-time setup, timed on its own
        t_gaz = time.perf_counter() - t0
        profile = cProfile.Profile() if args.profile else None
        t1, cpu1 = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        articles = claims = 0
        for article in load_paths([folder]):
            articles += 1
            claims += len(extractor.analyse(article).claims)
        if profile:
            profile.disable()
        elapsed, cpu = time.perf_counter() - t1, time.process_time() - cpu1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles:        {articles}")
    print(f"corpus size:     {size / 1e6:.2f} MB")
    print(f"claims:          {claims}")
    print(f"setup:           {t_gaz:.2f} s (gazetteer loaded, rule tables compiled; once per process)")
    print(f"load+extract:    {elapsed:.2f} s")
    print(f"throughput:      {articles / elapsed:.0f} articles/s, {size / 1e6 / elapsed:.2f} MB/s")
    # on a shared machine the wall time counts the other processes too; the CPU time does not
    print(f"on CPU time:     {cpu:.2f} s, {articles / cpu:.0f} articles/s")
    print(f"peak RSS:        {rss:.0f} MB")
    if profile:
        print("(profiled: the figures above include cProfile's overhead)")
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
