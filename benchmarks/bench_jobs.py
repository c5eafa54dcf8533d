"""Benchmark: load + extract the generated corpus of bench_extract.py in 1 and N processes.

Usage: python benchmarks/bench_jobs.py [N_ARTICLES] [--jobs 1 2] [--rounds 3] [--dask] [--keep DIR]

Each round times every --jobs value in turn (interleaved, so a busy machine slows them alike)
through kg.parallel.analyse_files, pool start-up included; with --dask, also `kg extract
--dask local` to Parquet (a LocalCluster of as many processes as the largest --jobs, its
start-up included). Prints articles/s per setting (the best round) and the speed-up over the
first --jobs value, and the first round's: the one in which the pool's forkserver starts (a Python
process that imports kg, loads the gazetteer and compiles the rule tables; this process has them
already). Check `uptime` first: the figures mean something only on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench_extract import generate

from kg.parallel import analyse_files


def time_jobs(folder: Path, jobs: int) -> tuple[float, int, int]:
    """Seconds to load and extract every article of ``folder``; articles and claims found."""
    started = time.perf_counter()
    articles = claims = 0
    for _, analysis in analyse_files([folder], jobs):
        articles += 1
        claims += len(analysis.claims) if analysis else 0
    return time.perf_counter() - started, articles, claims


def time_dask(folder: Path, workers: int, out: Path) -> tuple[float, int, int]:
    """Seconds for the Dask path on a LocalCluster of ``workers`` processes (start-up included)."""
    from kg.cluster import extract_to_parquet

    started = time.perf_counter()
    summary = extract_to_parquet([folder], out, "local", workers=workers, on_error=print)
    return time.perf_counter() - started, summary.articles, summary.claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=5000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dask", action="store_true", help="also time kg extract --dask local")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "corpus"
        folder.mkdir(parents=True, exist_ok=True)
        size = generate(folder, args.n)
        settings = [f"--jobs {j}" for j in args.jobs] + (["--dask local"] if args.dask else [])
        best: dict[str, float] = {}
        first: dict[str, float] = {}  # the first round: gazetteer and rule tables not made yet
        found: dict[str, tuple[int, int]] = {}
        for round_ in range(args.rounds):
            for setting in settings:
                if setting.startswith("--dask"):
                    seconds, *counts = time_dask(folder, max(args.jobs), Path(tmp) / f"claims-{round_}")
                else:
                    seconds, *counts = time_jobs(folder, int(setting.split()[1]))
                best[setting] = min(best.get(setting, seconds), seconds)
                first.setdefault(setting, seconds)
                found[setting] = (counts[0], counts[1])
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"corpus: {args.n} articles, {size / 1e6:.2f} MB; best of {args.rounds} rounds")
    base = best[settings[0]]
    for setting in settings:
        articles, claims = found[setting]
        rate = articles / best[setting]
        print(f"{setting:<14} {best[setting]:6.2f} s  {rate:7.0f} articles/s  {claims} claims  "
              f"x{base / best[setting]:.2f}  (first round {first[setting]:.2f} s, x{first[settings[0]] / first[setting]:.2f})")


if __name__ == "__main__":
    main()
