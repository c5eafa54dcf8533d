"""The extract and eval commands, through click's CliRunner and as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

ARTICLE = (
    "source: https://news.example.org/2023/05/10/pact\n"
    "date: 2023-05-10\n\n"
    "Chile and Peru deepen defence ties\n\n"
    "Chile and Peru signed a logistics support agreement on Tuesday, the defence ministries said.\n"
    "Trade between the two countries grew last year.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_extract_writes_csv_to_stdout_with_the_documented_columns(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert list(rows[0]) == ["file", "party_a", "party_b", "agreement_type", "status", "date", "evidence"]
    assert [(r["file"], r["party_a"], r["party_b"], r["agreement_type"], r["status"], r["date"]) for r in rows] == [
        ("a.txt", "CHL", "PER", "logistics", "signed", "2023-05-09")
    ]
    assert rows[0]["evidence"].startswith("Chile and Peru signed a logistics support agreement")


def test_extract_jsonl_to_file_has_offsets_into_the_article(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    from kg.loaders import load_paths

    (article,) = load_paths([tmp_path / "a.txt"])
    assert article.text[row["start"]:row["end"]] == row["evidence"]
    assert row["article_id"] == article.id
    assert "1 claim(s)" in result.stderr


def test_extract_seeds_gives_the_gold_claims(runner):
    result = runner.invoke(cli, ["extract", str(SEEDS)])
    assert result.exit_code == 0
    got = {(r["file"], r["party_a"], r["party_b"], r["agreement_type"]) for r in _rows(result.stdout)}
    gold = {(r["file"], r["party_a"], r["party_b"], r["agreement_type"])
            for r in csv.DictReader((SEEDS / "gold-claims.csv").open(encoding="utf-8"))}
    assert got == gold


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \t\n", "empty file"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("script.html", b"<html><head><script>var x = 1;</script></head><body><script>alert(1)</script></body></html>",
         "no article text"),
    ],
)
def test_extract_bad_file_is_one_line_and_the_rest_goes_on(runner, tmp_path, name, content, reason):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: ")]
    assert len(errors) == 1 and name in errors[0] and reason in errors[0]
    assert "Traceback" not in result.output + result.stderr
    assert [r["party_a"] for r in _rows(result.stdout)] == ["CHL"]


@pytest.mark.parametrize("feed", ["feed.jsonl", "feed.ndjson", "FEED.JSONL"])
def test_extract_summary_counts_failed_files_and_bad_lines_apart(runner, tmp_path, feed):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / feed).write_text(json.dumps({"text": ARTICLE}) + "\nnot json\n" + '{"nope": 1}\n', encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert "; 1 file(s) failed, 2 bad line(s) skipped" in result.stderr.splitlines()[-1]


def test_extract_reads_other_encodings(runner, tmp_path):
    text = ARTICLE.replace("defence ties", "défense et coopération")
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert [r["file"] for r in _rows(result.stdout)] == ["latin.txt", "utf16.txt"]


def test_extract_missing_path_fails_with_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip() .splitlines()[0] == f"kg: {tmp_path / 'nope.txt'}: no such file or directory; check the path"


def test_extract_unwritable_output_is_an_error_not_a_traceback(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "such" / "dir.csv")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "dir.csv" in result.output


def test_extract_output_file_is_left_alone_when_writing_fails(runner, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "claims.csv"
    out.write_text("previous results\n")
    import kg.files

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.files.os, "replace", boom)
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.txt"), "-o", str(out)])
    assert result.exit_code != 0
    assert out.read_text() == "previous results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_eval_seeds_scores_one_at_every_level(runner):
    result = runner.invoke(cli, ["eval", "--gold", str(SEEDS / "gold-claims.csv"), str(SEEDS)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:4] for line in result.stdout.splitlines() if line.split()[:1] in (["strict"], ["typed"], ["pair"])}
    assert lines == {level: ["1.00", "1.00", "1.00"] for level in ("strict", "typed", "pair")}
    assert "MISS" not in result.stdout and "EXTRA" not in result.stdout


def test_eval_lists_misses_and_extras_with_evidence(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "file,party_a,party_b,agreement_type,status,date,note\n"
        "a.txt,CHL,PER,logistics,negotiating,,wrong status on purpose\n"
        "a.txt,BOL,CHL,other,signed,,not in the text\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["eval", "--gold", str(gold), str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "MISS  a.txt: BOL-CHL other signed" in result.stdout
    assert "MISS  a.txt: CHL-PER logistics negotiating" in result.stdout
    assert "EXTRA a.txt: CHL-PER logistics signed 2023-05-09  | Chile and Peru signed" in result.stdout
    strict = next(line for line in result.stdout.splitlines() if line.startswith("strict"))
    assert strict.split()[1:4] == ["0.00", "0.00", "0.00"]
    typed = next(line for line in result.stdout.splitlines() if line.startswith("typed"))
    assert typed.split()[1:4] == ["1.00", "0.50", "0.67"]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "gold table not found"),
        ("a,b\n1,2\n", "not a gold table"),
        ("file,party_a,party_b,agreement_type,status,date\nx.txt,CHL,PER,naval,signed,\n", "unknown agreement_type 'naval'"),
    ],
)
def test_eval_bad_gold_table_is_one_line(runner, tmp_path, content, message):
    gold = tmp_path / "gold.csv"
    if content is not None:
        gold.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["eval", "--gold", str(gold), str(SEEDS)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_python_dash_m_kg_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "kg", "extract", str(SEEDS / "002_2121913f5b2ad286.txt")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "JPN,NZL,intelligence_sharing,agreed_in_principle" in result.stdout


def test_progress_bar_goes_to_stderr_only(runner, tmp_path, monkeypatch):
    for i in range(8):
        (tmp_path / f"{i}.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0
    assert len(_rows(result.stdout)) == 8
    assert "extracting" not in result.stderr  # not a terminal: no bar
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws on stderr as on a terminal
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0
    assert len(_rows(result.stdout)) == 8 and "extracting" not in result.stdout
    assert "extracting" in result.stderr


# ---- notes and warnings on stderr ------------------------------------------------------------

UNDATED = (
    "Gamma and Delta agree on joint patrols\n\n"
    "Gamma and Delta agreed on Tuesday to begin talks on a reciprocal access agreement, their "
    "ministries said.\n"
)
NO_DATE = 'no publication date found; relative dates ("on Tuesday", "last month") left unresolved'


@pytest.mark.parametrize(
    "command",
    [
        ["extract"],
        ["eval", "--gold", str(SEEDS / "gold-claims.csv")],
        ["build", "--store", "memory", "-q"],
    ],
)
def test_article_without_publication_date_gets_one_note_and_the_exit_code_stays(runner, tmp_path, command):
    (tmp_path / "dated.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "undated.txt").write_text(UNDATED, encoding="utf-8")
    result = runner.invoke(cli, [*command, str(tmp_path)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [f"note: {tmp_path / 'undated.txt'}: {NO_DATE}"]


def test_dated_articles_get_no_note(runner, tmp_path):
    (tmp_path / "dated.txt").write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr


def test_note_does_not_turn_a_failed_run_into_a_good_one(runner, tmp_path):
    (tmp_path / "undated.txt").write_text(UNDATED, encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path), str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: ")]
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert len(errors) == 1 and "nope.txt" in errors[0]
    assert notes == [f"note: {tmp_path / 'undated.txt'}: {NO_DATE}"]


def test_library_warnings_do_not_reach_the_user(monkeypatch):
    import warnings

    import kg.cli

    class NoisyCli:
        def main(self, **kwargs) -> None:
            warnings.warn("a library's warning", DeprecationWarning, stacklevel=1)

    monkeypatch.setattr(kg.cli, "cli", NoisyCli())
    monkeypatch.setattr(sys, "warnoptions", [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kg.cli.main()
    assert [str(w.message) for w in caught] == []


def test_time_zone_names_in_a_date_line_print_no_warning(tmp_path):
    article = tmp_path / "tz.txt"
    article.write_text(f"15:03 JST, March 12, 2024\nUpdated: 2024-03-12 09:30 KST\n\n{ARTICLE}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "extract", str(article)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "note:" not in result.stderr
    assert "CHL,PER,logistics,signed" in result.stdout


def test_ctrl_c_stops_any_command_with_one_line_and_exit_130(tmp_path):
    """Ctrl-C during a long extraction: 'kg: interrupted', exit code 130, no output file."""
    import signal
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    # long enough that extraction still runs after 2 s on a fast machine (about 30 s of work)
    body = "".join(f"Norway and Chile signed an intelligence-sharing pact on {1 + k % 28} May 2024. "
                   "Peru and Chile are negotiating a logistics agreement.\n\n" for k in range(30))
    for i in range(3000):
        (folder / f"{i:05d}.txt").write_text(f"Story {i}\n\n{body}")
    out = tmp_path / "claims.csv"
    # Ctrl-C as a terminal delivers it, even when these tests run where SIGINT is ignored (a
    # shell's background job: the ignore would be inherited and Python would never see it).
    process = subprocess.Popen([sys.executable, "-m", "kg", "extract", str(folder), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(2.0)
    assert process.poll() is None, "the extraction ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.decode().strip().splitlines()[-1] == "kg: interrupted"
    assert not out.exists()


def test_a_command_error_is_one_kg_line_from_the_installed_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg", "export", "agreements", "--store", str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and result.stderr.startswith("kg: no store in")


# ---- a newcomer's first hour: tables, messages, helps ---------------------------------------


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> str:
    store = tmp_path_factory.mktemp("cli") / "kg-store"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return str(store)


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { ?x foo:bar ?y }",
    "SELECT ?x WHERE { ?x kg:status 1.2.3 }",
    "SELECT ?",
])
def test_sparql_syntax_error_is_one_readable_line(runner, seeds_store, query):
    result = runner.invoke(cli, ["query", query, "--store", seeds_store])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kg: invalid SPARQL: error at line 1, column ")
    assert "\\u{" not in line and "..=" not in line and "[_]" not in line, line


def test_undeclared_prefix_error_names_the_declared_ones(runner, seeds_store):
    result = runner.invoke(cli, ["query", "SELECT ?x WHERE { ?x foo:bar ?y }", "--store", seeds_store])
    assert 'near "SELECT ?x WHERE { ?x foo:bar"' in result.stderr and "kg declares kg:, party:" in result.stderr


def test_agreements_query_and_export_give_the_same_columns(runner, seeds_store):
    queried = runner.invoke(cli, ["query", "agreements", "--format", "csv", "--store", seeds_store])
    exported = runner.invoke(cli, ["export", "agreements", "--store", seeds_store])
    assert queried.exit_code == exported.exit_code == 0
    assert queried.stdout.splitlines()[0] == exported.stdout.splitlines()[0]
    assert len(queried.stdout.splitlines()) == len(exported.stdout.splitlines()) == 12


def test_query_list_gives_each_description_whole(runner):
    from kg.query import describe, shipped_queries

    result = runner.invoke(cli, ["query"])
    assert result.exit_code == 0
    listed = " ".join(result.stdout.split())
    for name in shipped_queries():
        assert " ".join(describe(name).split()) in listed
    assert "the most recent claims disagreed." in listed  # the last words of as-of's four-line description


def test_table_fits_the_terminal_and_cuts_long_cells(seeds_store, monkeypatch):
    from rich.console import Console

    from kg.cli import _console
    from kg.query import run, table
    from kg.store import open_store

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert _console().width == 80 and _console(wide=True).width > 1000
    with open_store(seeds_store, create=False, read_only=True) as store:
        frame = run(store, "conflicts")
    console = Console(width=80, file=io.StringIO(), color_system=None)
    console.print(table(frame, width=80))
    lines = console.file.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert sum("│ JPN " in line for line in lines) == len(frame) == 3  # one line per row, codes whole
    assert "…" in console.file.getvalue()


def test_wide_table_shows_every_cell_whole(runner, seeds_store):
    result = runner.invoke(cli, ["query", "conflicts", "--wide", "--store", seeds_store])
    assert result.exit_code == 0, result.output
    assert "Japan is also negotiating with Canada over a similar deal and has agreed with Ukraine" in result.stdout
    assert "…" not in result.stdout


def test_booleans_read_the_same_in_table_and_csv(runner, seeds_store):
    table = runner.invoke(cli, ["query", "agreements", "--store", seeds_store]).stdout
    csv_text = runner.invoke(cli, ["query", "agreements", "--format", "csv", "--store", seeds_store]).stdout
    assert "true" in table and "false" in table and "True" not in table and "False" not in table
    assert {r["conflict"] for r in _rows(csv_text)} == {"true", "false"}


@pytest.mark.parametrize(("args", "said"), [
    (["export", "agreements"], "(11 agreement(s) as csv)"),
    (["export", "graph", "--format", "nq"], "(the graph as N-Quads)"),
    (["export", "network", "--format", "json"], "(12 parties, 11 agreements as json)"),
    (["query", "partners", "--param", "party=JPN", "--format", "csv"], "(the results as csv)"),
])
def test_every_command_that_writes_a_file_says_what_it_wrote(runner, seeds_store, tmp_path, args, said):
    out = tmp_path / "out.file"
    result = runner.invoke(cli, [*args, "--store", seeds_store, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert result.stderr.strip().splitlines()[-1] == f"wrote {out} {said}"


def test_query_help_shows_query_optional_and_lists_shipped_queries_with_parameters(runner):
    result = runner.invoke(cli, ["query", "--help"])
    assert result.exit_code == 0
    assert "Usage: cli query [OPTIONS] [QUERY]" in result.output or "query [OPTIONS] [QUERY]" in result.output
    text = " ".join(result.output.split())
    assert "partners every party that has an agreement with PARTY" in text
    assert "--param party=... [--param type=...] [--param status=...]" in text
    assert "talks_agreed" in text and "mutual_defense" in text


@pytest.mark.parametrize("command", [["render"], ["export", "network"]])
def test_type_and_status_helps_list_their_values(runner, command):
    from kg.records import AgreementType, Status

    text = " ".join(runner.invoke(cli, [*command, "--help"]).output.split())
    assert all(t.value in text for t in AgreementType) and all(s.value in text for s in Status)


def test_main_help_has_whole_summaries_an_example_and_dash_h(runner):
    result = runner.invoke(cli, ["-h"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Extract agreement claims from articles (files or folders) into CSV or JSON Lines." in text
    assert "..." not in text.split("Commands:")[1].split("Examples:")[0]
    assert "kg build seeds/" in text and "_KG_COMPLETE=bash_source kg" in text
    assert runner.invoke(cli, ["query", "-h"]).exit_code == 0


# ---- counts, filters that leave nothing, -o - ------------------------------------------------


@pytest.mark.parametrize(("args", "said"), [
    (["--type", "mutual_defense"], "(2 parties, 1 agreement)"),
    (["--focus", "PRK", "--depth", "0"], "(1 party, 0 agreements)"),
])
def test_render_counts_in_their_number(runner, graph_store_dir, tmp_path, args, said):
    out = tmp_path / "g.html"
    result = runner.invoke(cli, ["render", "--store", str(graph_store_dir), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"wrote {out} {said}"


def test_stats_of_one_agreement_says_it_in_the_singular(runner, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = str(tmp_path / "store")
    assert runner.invoke(cli, ["build", str(tmp_path / "a.txt"), "--store", store, "-q"]).exit_code == 0
    lines = runner.invoke(cli, ["stats", "--store", store]).stdout.splitlines()
    assert lines[0] == "2 parties, 1 agreement, 1 connected group"
    top = lines[lines.index("Top parties by degree:") + 1]
    assert top.split()[-4:] == ["1", "agreement,", "1", "partner"]


@pytest.mark.parametrize("command", [["render", "-o", "{out}"], ["export", "network", "-o", "{out}"]])
def test_filters_that_leave_nothing_say_so_on_stderr(runner, graph_store_dir, tmp_path, command):
    out = str(tmp_path / "out")
    args = [part.replace("{out}", out) for part in command]
    result = runner.invoke(cli, [*args, "--store", str(graph_store_dir), "--status", "signed", "--type", "logistics"])
    assert result.exit_code == 0, result.output
    assert (f"note: no agreement in {graph_store_dir} matches --type logistics --status signed: "
            "the output has no party") in result.stderr.splitlines()
    unfiltered = runner.invoke(cli, [*args, "--store", str(graph_store_dir), "--type", "logistics"])
    assert "note:" not in unfiltered.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--depth", "2"], "kg: --depth counts agreements away from the --focus party: give --focus PARTY too"),
    (["--focus", ""], "kg: --focus is empty: give a party's code or name, e.g. --focus JPN"),
    (["--focus", " ", "--depth", "2"], "kg: --focus is empty: give a party's code or name, e.g. --focus JPN"),
])
def test_render_focus_and_depth_misused_are_one_line(graph_store_dir, tmp_path, args, message):
    out = tmp_path / "g.html"
    result = subprocess.run([sys.executable, "-m", "kg", "render", "--store", str(graph_store_dir), "-o", str(out),
                             *args], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr, result.stdout) == (2, message + "\n", "")
    assert not out.exists()


@pytest.mark.parametrize(("command", "starts"), [
    (["render"], "<!DOCTYPE html>"),
    (["export", "agreements"], "party_a,party_b,agreement_type"),
    (["export", "graph"], "@prefix"),
    (["export", "network", "--format", "json"], "{"),
    (["query", "partners", "--param", "party=FRA", "--format", "csv"], "partner,"),
    (["extract", "{article}"], "file,party_a,party_b"),
])
def test_dash_as_output_is_stdout(graph_store_dir, tmp_path, monkeypatch, command, starts):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    command = [part.replace("{article}", str(article)) for part in command]
    store = [] if command[0] == "extract" else ["--store", str(graph_store_dir)]
    result = CliRunner().invoke(cli, [*command, *store, "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(starts)
    assert "wrote" not in result.stderr
    assert list(work.iterdir()) == []  # no file named '-'


def test_dash_as_output_with_dask_is_refused_in_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "extract", str(tmp_path / "a.txt"), "--dask", "local",
                             "-o", "-"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("kg: --dask writes Parquet files into a folder, not to stdout: give the folder "
                             "with -o, e.g. -o claims/\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize(("name", "starts"), [
    ("agreements.csv", "party_a,party_b,"),
    ("agreements.TSV", "?party_a\t?party_b\t"),
    ("agreements.json", '{"head":'),
    ("agreements.srx", "<?xml"),
    ("agreements.out", "party_a,party_b,"),
])
def test_query_to_a_file_without_format_writes_the_format_of_its_suffix(runner, graph_store_dir, tmp_path,
                                                                         name, starts):
    """-o FILE with the default table format wrote nothing and printed the table instead."""
    out = tmp_path / name
    result = runner.invoke(cli, ["query", "agreements", "--store", str(graph_store_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and out.read_text(encoding="utf-8").startswith(starts)
    assert f"wrote {out}" in result.stderr


def test_query_table_format_to_a_file_is_refused_in_one_line(runner, graph_store_dir, tmp_path):
    out = tmp_path / "agreements.txt"
    result = runner.invoke(cli, ["query", "agreements", "--store", str(graph_store_dir), "--format", "table",
                                 "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "--format table is for the terminal" in result.stderr and "--format csv" in result.stderr


def test_query_table_to_stdout_dash_is_still_the_table(runner, graph_store_dir):
    result = runner.invoke(cli, ["query", "agreements", "--store", str(graph_store_dir), "-o", "-"])
    assert result.exit_code == 0 and "party_a" in result.stdout and "," not in result.stdout.splitlines()[1]


@pytest.mark.parametrize("command", [["stats"], ["query", "agreements"], ["export", "agreements"], ["render", "-o", "-"],
                                     ["validate"]])
def test_a_store_whose_last_build_was_cut_off_is_read_with_a_note(runner, graph_store_dir, tmp_path, command):
    """A build cut off after it began writing leaves its pending mark naming the articles; a read
    showed what was there (an empty graph, for a first build) without a word (QA)."""
    import shutil

    from kg import model, vocab
    from kg.store import open_store

    store = tmp_path / "st"
    shutil.copytree(graph_store_dir, store)
    result = runner.invoke(cli, [*command, "--store", str(store)])
    assert "did not finish" not in result.stderr
    with open_store(store) as writable:
        writable.replace_graphs({model.node(vocab.BUILD_GRAPH): model.pending_quads(["an-article-id"])})
    result = runner.invoke(cli, [*command, "--store", str(store)])
    note = [line for line in result.stderr.splitlines() if "did not finish" in line]
    assert note == [f"note: the last kg build of {store} did not finish (it was interrupted): what follows may be "
                    "incomplete; run that kg build again to finish it"]


@pytest.mark.parametrize("update", ["INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }",
                                    "PREFIX ex: <http://ex/>\n# tidy\nDELETE WHERE { ?s ?p ?o }"])
def test_an_update_given_to_kg_query_says_kg_query_reads_only(runner, graph_store_dir, update):
    """It said 'invalid SPARQL: ... expected CONSTRUCT', as if the text were a broken query."""
    result = runner.invoke(cli, ["query", update, "--store", str(graph_store_dir)])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("kg: the query is an update (INSERT, DELETE, ...): kg runs read queries only; "
                                     "change a store with kg build or kg load")
