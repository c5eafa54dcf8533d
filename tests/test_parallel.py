"""--jobs N (kg.parallel): the output of N worker processes is the output of one; a bad file is
one line and the rest goes on; Ctrl-C ends the workers and leaves no file and no store
changed."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.parallel import analyse_files

PARTIES = ["Chile", "Peru", "Norway", "Japan", "Kenya", "Ghana", "Poland", "Brazil"]

SENTENCES = [
    "{A} and {B} signed a logistics support agreement on Tuesday, the defence ministries said.",
    "{A} and {B} began negotiating a status of forces agreement last month.",
    "{A} terminated its defence cooperation agreement with {B} in 2019.",
    "{A} is actively pursuing reciprocal access agreements with {B} and {C}.",
    "{A} has signed intelligence-sharing agreements with eight other countries including {B}, {C} "
    "and {D}, as well as with NATO.",
    "Trade between the two countries grew last year, according to customs data.",
]


def _article(i: int, dated: bool = True) -> str:
    """A short news-like article written for these tests: a headline that states a claim, a
    header, and sentences that give claims, hedged claims and a partner count."""
    a, b, c, d = (PARTIES[(i + k) % len(PARTIES)] for k in (0, 1, 3, 5))
    day = dt.date(2020, 1, 6) + dt.timedelta(days=37 * i)
    header = f"source: https://news.example.org/{i}\ndate: {day}\n\n" if dated else ""
    body = " ".join(SENTENCES[(i + k) % len(SENTENCES)].format(A=a, B=b, C=c, D=d) for k in range(3))
    return f"{header}{a} and {b} sign intelligence pact\n\n{body}\n"


def write_corpus(folder: Path, n: int = 24, undated_every: int = 5) -> Path:
    """``n`` articles in nested folders, one HTML page, a JSON Lines file (with a bad line), an
    article that states no agreement, and an empty file (unreadable); returns the folder."""
    for i in range(n):
        path = folder / f"part{i % 3}" / f"{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_article(i, dated=bool(i % undated_every)), encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Kenya and Ghana talks</title><meta name='date' content='2023-04-02'></head><body>"
        "<article><p>Kenya and Ghana began negotiating a logistics agreement last week, officials said.</p>"
        "<p>Trade between the two countries grew last year.</p></article></body></html>", encoding="utf-8")
    records = [
        {"text": "Poland and Brazil signed a defence cooperation agreement on Monday.", "date": "2022-09-14",
         "title": "Pact signed", "url": "https://news.example.org/j1"},
        "not json",
        {"text": "Norway and Japan agreed to start talks on a logistics agreement.", "title": "Talks"},
    ]
    (folder / "wire.jsonl").write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (folder / "quiet.txt").write_text("date: 2021-02-03\n\nThe weather was fine on the coast.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def _kg(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output + result.stderr, result.stderr
    return result


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_extract_gives_the_same_output_with_one_and_two_jobs(corpus, fmt):
    one, two = (_kg("extract", str(corpus), "--format", fmt, "--jobs", jobs) for jobs in ("1", "2"))
    assert one.exit_code == two.exit_code == 1  # the empty file and the bad JSON line
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr  # errors and notes in the same order, the same summary
    assert len(one.stdout.splitlines()) > 40


def test_extract_to_a_file_is_byte_identical_with_two_jobs(corpus, tmp_path):
    outputs = [tmp_path / "one.jsonl", tmp_path / "two.jsonl"]
    for jobs, out in zip(("1", "2"), outputs):
        _kg("extract", str(corpus), "--format", "jsonl", "-j", jobs, "-o", str(out))
    assert outputs[0].read_bytes() == outputs[1].read_bytes()


def test_a_bad_file_is_one_line_and_the_rest_goes_on_with_two_jobs(corpus):
    result = _kg("extract", str(corpus), "--jobs", "2")
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: ")]
    assert errors == [f"kg: {corpus / 'empty.txt'}: empty file; remove it or add the article text",
                      f"kg: {corpus / 'wire.jsonl'}:2: not valid JSON (Expecting value at column 1); "
                      "write one JSON object per line"]
    files = {line.split(",", 1)[0] for line in result.stdout.splitlines()[1:]}
    assert {"page.html", "wire.jsonl#1", "wire.jsonl#3", "part0/000.txt", "part2/023.txt"} <= files
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == len(set(notes)) == 5 + 1  # 000, 005, ..., 020 and the undated JSON line
    assert notes[0].startswith(f"note: {corpus / 'part0' / '000.txt'}: no publication date")


def test_eval_gives_the_same_scores_with_one_and_two_jobs(corpus, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("file,party_a,party_b,agreement_type,status,date\n"
                    "part0/003.txt,JPN,POL,logistics,signed,\n"
                    "page.html,GHA,KEN,logistics,negotiating,\n"
                    "quiet.txt,,,,,\n", encoding="utf-8")
    one, two = (_kg("eval", "--gold", str(gold), str(corpus), "-j", jobs) for jobs in ("1", "2"))
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert "EXTRA" in one.stdout


def _dump(store: Path) -> list[str]:
    """The store's quads, sorted (kg writes no blank nodes), and its agreements as CSV."""
    graph = _kg("export", "graph", "--store", str(store), "--format", "nq")
    agreements = _kg("export", "agreements", "--store", str(store))
    assert graph.exit_code == agreements.exit_code == 0
    assert "_:" not in graph.stdout
    return sorted(graph.stdout.splitlines()) + agreements.stdout.splitlines()


def test_build_gives_the_same_store_with_one_and_two_jobs(corpus, tmp_path):
    stores = [tmp_path / "one", tmp_path / "two"]
    for jobs, store in zip(("1", "2"), stores):
        result = _kg("build", str(corpus), "--store", str(store), "-q", "--jobs", jobs)
        assert result.exit_code == 1
    assert _dump(stores[0]) == _dump(stores[1])
    assert len(_dump(stores[0])) > 500


def test_a_build_with_two_jobs_adds_only_new_articles(corpus, tmp_path):
    store = tmp_path / "store"
    _kg("build", str(corpus), "--store", str(store), "-q", "-j", "2")
    (corpus / "part1" / "new.txt").write_text(_article(99), encoding="utf-8")
    try:
        again = _kg("build", str(corpus), "--store", str(store), "-q", "-j", "2")
    finally:
        (corpus / "part1" / "new.txt").unlink()
    assert "29 articles (1 added, 0 replaced, 28 unchanged)" in again.stderr


def test_workers_skip_the_articles_they_are_told_are_known(corpus):
    first = list(analyse_files([corpus], 2, on_error=lambda err: None))
    known = {article.id for article, _ in first[::2]}
    again = list(analyse_files([corpus], 2, on_error=lambda err: None, skip=known))
    assert [a.id for a, _ in again] == [a.id for a, _ in first]
    assert [analysis is None for _, analysis in again] == [i % 2 == 0 for i in range(len(first))]
    assert [x.claims for _, x in again if x] == [x.claims for _, x in first[1::2]]


def test_without_on_error_the_first_bad_file_is_raised(corpus):
    from kg.loaders import LoadError

    with pytest.raises(LoadError, match="empty.txt: empty file"):
        list(analyse_files([corpus], 2))


def test_workers_start_with_the_extractor_their_forkserver_preloaded():
    # kg._preload, imported by the forkserver, leaves the packaged gazetteer loaded and the rule
    # tables compiled; a worker forked from it makes its extractor without loading anything again
    script = (
        "import kg._preload, kg.parallel as p\n"
        "from kg.gazetteer import Gazetteer\n"
        "def refuse(*a, **k): raise AssertionError('the gazetteer was loaded again')\n"
        "Gazetteer.from_path = refuse\n"
        "p._start_worker(None, frozenset())\n"
        "print(p._worker[0].gazetteer is Gazetteer.default())\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


def test_the_pool_asks_its_forkserver_to_preload_the_extractor(corpus, monkeypatch):
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver on this platform: each worker builds its extractor")
    asked: list[list[str]] = []
    real = multiprocessing.context.ForkServerContext.set_forkserver_preload
    monkeypatch.setattr(multiprocessing.context.ForkServerContext, "set_forkserver_preload",
                        lambda self, names: (asked.append(list(names)), real(self, names))[1])
    assert sum(1 for _ in analyse_files([corpus], 2, on_error=lambda err: None)) > 0
    assert asked and "kg._preload" in asked[-1]


def test_ctrl_c_in_the_caller_ends_the_workers(tmp_path, request):
    """As the CLI reads them: Ctrl-C while the results come, the results closed on the way out."""
    folder = write_corpus(tmp_path, n=300)
    # Ctrl-C raises KeyboardInterrupt even where the tests run with SIGINT ignored (a background job)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, previous))
    with pytest.raises(KeyboardInterrupt):
        with contextlib.closing(analyse_files([folder], 2, on_error=lambda err: None)) as analysed:
            for _ in analysed:
                assert len(multiprocessing.active_children()) == 2
                os.kill(os.getpid(), signal.SIGINT)
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []


def _group_alive(group: int) -> bool:
    """Whether a process of this process group still runs (Linux /proc)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc")
@pytest.mark.parametrize("command", ["extract", "build"])
def test_ctrl_c_stops_a_run_with_two_jobs_cleanly(tmp_path, command):
    """Ctrl-C to the terminal's process group (the kg process and its workers) once the run has
    reported its first undated article: exit code 130, one line, no traceback, no worker left,
    no output file written and the store as it was."""
    folder = write_corpus(tmp_path / "corpus", n=1500, undated_every=1)
    out, store = tmp_path / "claims.csv", tmp_path / "store"
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "one.txt").write_text(_article(1), encoding="utf-8")
    assert _kg("build", str(seed), "--store", str(store), "-q").exit_code == 0
    before = _dump(store)
    args = ["extract", str(folder), "-o", str(out)] if command == "extract" else \
        ["build", str(folder), "--store", str(store), "-q"]
    # SIGINT's default restored: where the tests run as a shell's background job it is ignored,
    # and the ignore would be inherited
    kg = subprocess.Popen([sys.executable, "-m", "kg", *args, "--jobs", "2"], stderr=subprocess.PIPE, text=True,
                          start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert kg.stderr is not None
    line = kg.stderr.readline()
    while line.startswith("kg: "):  # the empty file comes first
        line = kg.stderr.readline()
    assert line.startswith("note: "), line
    os.killpg(kg.pid, signal.SIGINT)
    rest = kg.stderr.read()
    assert kg.wait(timeout=30) == 130
    assert rest.splitlines()[-1] == "kg: interrupted" and "Traceback" not in rest
    deadline = time.monotonic() + 10
    while _group_alive(kg.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(kg.pid)
    assert not out.exists()
    assert _dump(store) == before
