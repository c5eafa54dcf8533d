"""kg extract --dask on a real distributed.LocalCluster (2 worker processes on 127.0.0.1), and
kg build --claims from what kg extract wrote (Parquet, JSON Lines, CSV): the claims are those of
one process, the graph the one a build from the articles gives."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from kg.claim_files import COLUMNS

pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")

from test_parallel import _article, _dump, _kg, write_corpus  # noqa: E402  (after the skips: needs no dask, but is a test module)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def _parquet_rows(folder: Path) -> list[dict]:
    return [row for part in sorted(folder.glob("*.parquet")) for row in pq.read_table(part).to_pylist()]


def _jsonl(corpus: Path, out: Path):
    result = _kg("extract", str(corpus), "--format", "jsonl", "-o", str(out))
    return result, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_claims_on_a_cluster_equal_the_single_process_run(cluster, corpus, tmp_path):
    on_cluster = _kg("extract", str(corpus), "--dask", cluster, "-o", str(tmp_path / "claims"))
    single, rows = _jsonl(corpus, tmp_path / "claims.jsonl")
    assert on_cluster.exit_code == single.exit_code == 1  # the empty file, the bad JSON line
    assert _parquet_rows(tmp_path / "claims") == rows
    assert {row["record"] for row in rows} == {"claim", "count", "article"}
    assert any(row["hedged"] for row in rows) and any(row["in_title"] for row in rows)
    # the same errors and notes, in the same order, and the same counts (the progress bar aside)
    lines = [[line.replace(str(out), "OUT") for line in result.stderr.splitlines() if line.strip()]
             for result, out in ((on_cluster, tmp_path / "claims"), (single, tmp_path / "claims.jsonl"))]
    assert lines[0] == lines[1]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial folder left


def test_build_from_cluster_claims_gives_the_graph_of_the_articles(cluster, corpus, tmp_path):
    assert _kg("extract", str(corpus), "--dask", cluster, "-o", str(tmp_path / "claims")).exit_code == 1
    from_articles = _kg("build", str(corpus), "--store", str(tmp_path / "a"), "-q")
    from_claims = _kg("build", "--claims", str(tmp_path / "claims"), "--store", str(tmp_path / "b"), "-q")
    assert from_claims.exit_code == 0, from_claims.output
    assert _dump(tmp_path / "a") == _dump(tmp_path / "b")
    assert from_articles.stderr.splitlines()[-1].split(" in ")[0].replace(", 2 unreadable", "") == \
        from_claims.stderr.splitlines()[-1].split(" in ")[0]


def test_dask_local_starts_its_own_cluster_and_replaces_its_folder(corpus, tmp_path):
    out = tmp_path / "claims"
    first = _kg("extract", str(corpus), "--dask", "local", "--jobs", "2", "-o", str(out))
    again = _kg("extract", str(corpus), "--dask", "local", "--jobs", "2", "-o", str(out))
    assert first.exit_code == again.exit_code == 1
    assert _parquet_rows(out) == _jsonl(corpus, tmp_path / "c.jsonl")[1]


def test_incremental_builds_from_claims_are_those_from_articles(corpus, tmp_path):
    """A first build, then one where a file changed and one was added: the same reports and
    the same store whether the articles or their claims (JSON Lines) are given."""
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    (work / "empty.txt").unlink()
    stores = {"articles": tmp_path / "a", "claims": tmp_path / "b"}
    reports: dict[str, list[str]] = {"articles": [], "claims": []}
    for step in range(2):
        if step:
            (work / "part1" / "001.txt").write_text(_article(40), encoding="utf-8")
            (work / "part2" / "new.txt").write_text(_article(41), encoding="utf-8")
        _jsonl(work, tmp_path / f"claims{step}.jsonl")
        for how, args in (("articles", [str(work)]), ("claims", ["--claims", str(tmp_path / f"claims{step}.jsonl")])):
            result = _kg("build", *args, "--store", str(stores[how]), "-q")
            reports[how].append(result.stderr.splitlines()[-1].split(" in ")[0].replace(", 1 unreadable", ""))
    assert reports["articles"] == reports["claims"]
    assert "(1 added, 1 replaced, 27 unchanged)" in reports["claims"][1]
    assert _dump(stores["articles"]) == _dump(stores["claims"])


def test_a_complete_csv_builds_like_the_json_lines(corpus, tmp_path):
    _, rows = _jsonl(corpus, tmp_path / "claims.jsonl")
    with (tmp_path / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({**row, "named": " ".join(row["named"] or ())} for row in rows)
    for fmt in ("jsonl", "csv"):
        built = _kg("build", "--claims", str(tmp_path / f"claims.{fmt}"), "--store", str(tmp_path / fmt), "-q")
        assert built.exit_code == 0, built.output
    assert _dump(tmp_path / "jsonl") == _dump(tmp_path / "csv")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_claims_file_without_a_column_a_build_needs_is_one_line(corpus, tmp_path, fmt):
    _, rows = _jsonl(corpus, tmp_path / "full.jsonl")
    rows = [{k: v for k, v in row.items() if k != "sentence"} for row in rows]
    path = tmp_path / f"claims.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    elif fmt == "csv":  # kg extract's own CSV lacks it too
        path.write_text(_kg("extract", str(corpus)).stdout, encoding="utf-8")
    else:
        import pyarrow as pa

        pq.write_table(pa.Table.from_pylist(rows), str(path))
    result = _kg("build", "--claims", str(path), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1
    missing = "start" if fmt == "csv" else "sentence"
    where = f"{path}:1" if fmt == "jsonl" else str(path)
    assert result.stderr.startswith(f"kg: {where}: no column '{missing}'") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("args", [[], ["ARTICLES", "--claims", "CLAIMS"]])
def test_build_takes_articles_or_claims_not_both_nor_neither(corpus, tmp_path, args):
    _jsonl(corpus, tmp_path / "claims.jsonl")
    args = [str(corpus) if a == "ARTICLES" else str(tmp_path / "claims.jsonl") if a == "CLAIMS" else a for a in args]
    result = _kg("build", *args, "--store", str(tmp_path / "store"))
    assert result.exit_code == 2 and "give articles (PATH...) or --claims PATH" in result.output
    assert not (tmp_path / "store").exists()


def test_build_from_claims_refuses_jobs_rather_than_ignoring_it(corpus, tmp_path):
    _jsonl(corpus, tmp_path / "claims.jsonl")
    result = _kg("build", "--claims", str(tmp_path / "claims.jsonl"), "--jobs", "2", "--store", str(tmp_path / "store"))
    assert result.exit_code == 2 and "leave out --jobs" in result.output
    assert not (tmp_path / "store").exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
def test_ctrl_c_stops_a_local_cluster_run_cleanly(tmp_path):
    """Ctrl-C to the terminal's process group (kg, its scheduler and workers) once a worker has
    written its first partition: exit code 130, one line, no traceback, no process left, and
    neither the claims folder nor its partial folder left behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from test_parallel import _group_alive

    folder = write_corpus(tmp_path / "corpus", n=6000, undated_every=1000)
    out = tmp_path / "claims"
    # SIGINT's default restored: where the tests run as a shell's background job it is ignored,
    # and the ignore would be inherited
    kg = subprocess.Popen([sys.executable, "-m", "kg", "extract", str(folder), "--dask", "local", "--jobs", "2",
                           "-o", str(out)], stderr=subprocess.PIPE, text=True, start_new_session=True,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".claims.partial-*/part.*.parquet")):
        assert kg.poll() is None and time.monotonic() < deadline, "no partition written while running"
        time.sleep(0.02)
    os.killpg(kg.pid, signal.SIGINT)
    _, err = kg.communicate(timeout=60)
    assert kg.returncode == 130, err
    assert err.splitlines()[-1] == "kg: interrupted" and "Traceback" not in err, err
    deadline = time.monotonic() + 20
    while _group_alive(kg.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _group_alive(kg.pid)
    assert not out.exists() and not list(tmp_path.glob(".claims.*"))
