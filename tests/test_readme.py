"""The README's examples run and give what the README says.

Every `kg ...` line of a ``sh`` block runs (in README order, in a folder holding a copy of
seeds/, after the commands of `make demo`); the ones on a remote store run against a real
`oxigraph serve` started with the README's own options. Output blocks (untagged) hold what
the commands print.
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REMOTE = "http://127.0.0.1:7878/query"


def _blocks(language: str) -> list[str]:
    """The fenced blocks tagged ``language`` ("" for untagged ones)."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", README, re.M | re.S)
    return [text for tag, text in blocks if tag == language]


def _commands(block: str) -> list[list[str]]:
    """The shell commands of a block as argument lists: comments dropped, a quoted argument
    may span lines."""
    commands, pending = [], ""
    for line in block.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # an open quote: the command goes on on the next line
            continue
        pending = ""
        if words:
            commands.append(words)
    return commands


def _kg_commands() -> list[list[str]]:
    return [words for block in _blocks("sh") for words in _commands(block) if words[0] == "kg"]


def _demo_commands() -> list[list[str]]:
    """The kg commands of the Makefile's demo target, its variables filled in."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    values = {"$(BIN)/kg": "kg", "$(DEMO_STORE)": "out/demo-store", "$(OUT)": "out"}
    commands = []
    for line in recipe.splitlines():
        line = line.strip()
        if line.startswith("$(BIN)/kg "):
            for name, value in values.items():
                line = line.replace(name, value)
            commands.append(shlex.split(line))
    return commands


def _run(args: list[str]):
    result = CliRunner().invoke(cli, args[1:])
    assert result.exit_code == 0, f"{shlex.join(args)} failed: {result.output}"
    return result


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder with a copy of seeds/ in which `make demo` has run; the demo's output."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.delenv("KG_STORE", raising=False)
        (folder / "out").mkdir()  # the recipe's mkdir -p $(OUT)
        output = "".join(_run(args).output for args in _demo_commands())
        yield folder, output


def _words(line: str) -> list[str]:
    """The words of a line, without a table's box-drawing characters and timings."""
    line = re.sub(r" in [0-9.]+ s$", "", line.strip())
    return [word for word in line.split() if not set(word) <= set("│┃|")]


def test_make_demo_prints_what_the_readme_shows(workdir):
    _, output = workdir
    shown = _blocks("")[1]  # the block after "What `make demo` prints"
    printed = [_words(line) for line in output.splitlines()]
    for line in shown.splitlines():
        if line.strip() in ("", "...") or line.startswith(("3 article(s)", "kg is installed", "Try:")):
            continue
        assert _words(line) in printed, f"README line not printed by make demo: {line!r}"
    assert "3 article(s), 26 claim(s); by type: intelligence_sharing 21, logistics 3, mutual_defense 2" in output


def test_the_demo_store_is_its_own(workdir):
    folder, _ = workdir
    assert (folder / "out" / "demo-store").is_dir()
    assert not (folder / "kg-store").exists()


def test_every_offline_readme_command_runs(workdir):
    folder, _ = workdir
    commands = [args for args in _kg_commands() if REMOTE not in args]
    assert len(commands) >= 15
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.delenv("KG_STORE", raising=False)
        outputs = {shlex.join(args): _run(args).output for args in commands}
    partners = outputs["kg query partners --param party=JPN"]
    for code in ("AUS", "CAN", "GBR", "IND", "KOR", "NATO", "NZL", "UKR", "USA"):
        assert f"party:{code}" in partners or f" {code} " in partners, code
    assert "9 row(s)" in partners
    simple = next(out for cmd, out in outputs.items() if "intelligenceSharingWith party:JPN" in cmd)
    assert "0 row(s)" not in simple and "party:AUS" in simple
    provenance = next(out for cmd, out in outputs.items() if "JPN-UKR-intelligence_sharing" in cmd)
    assert "0 row(s)" not in provenance
    assert "conforms" in outputs["kg validate"]


def test_unnamed_partners_figures_are_the_readmes(workdir):
    import csv
    import io

    folder, _ = workdir
    assert "count of\neight names five countries" in README and "three are unnamed" in README
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        out = _run(["kg", "query", "unnamed-partners", "--param", "party=JPN", "--format", "csv",
                    "--store", "out/demo-store"]).output
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["count"], row["named"], row["unnamed"]) == ("8", "5", "3")
    assert "NATO" in row["named_partners"].split()


def test_the_python_api_example_runs(workdir):
    folder, _ = workdir
    (code,) = [block for block in _blocks("python") if "open_store" in block]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        scope: dict = {}
        exec(code, scope)  # noqa: S102 - the README's own example
        scope["store"].close()
    assert set(scope["frame"]["partner"].map(str).str.rsplit("/", n=1).str[-1]) >= {"AUS", "NATO", "USA"}
    assert scope["csv_bytes"].startswith(b"party_a,party_b,agreement_type")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.server
def test_the_remote_store_example_returns_rows(tmp_path, monkeypatch):
    (serve,) = [args for block in _blocks("sh") for args in _commands(block) if args[:2] == ["oxigraph", "serve"]]
    port = _free_port()
    args = [a.replace("127.0.0.1:7878", f"127.0.0.1:{port}").replace("server-db", str(tmp_path / "db"))
            for a in serve if a != "&"]
    binary = Path(sys.executable).parent / "oxigraph"
    server = subprocess.Popen([str(binary), *args[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.1)
        shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
        monkeypatch.chdir(tmp_path)
        outputs = [_run([a.replace(REMOTE, url) for a in cmd]).output
                   for cmd in _kg_commands() if REMOTE in cmd]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert len(outputs) == 3
    assert outputs[1].startswith("party_a,party_b,agreement_type")
    assert "party:AUS" in outputs[2] and "0 row(s)" not in outputs[2]


def test_the_header_example_gives_title_source_and_date(tmp_path):
    import datetime as dt

    from kg.loaders import load_paths

    (example,) = [block for block in _blocks("text") if block.startswith("title:")]
    (tmp_path / "a.txt").write_text(example, encoding="utf-8")
    (article,) = load_paths([tmp_path / "a.txt"])
    assert article.title == "Chile and Peru sign a logistics pact"
    assert article.url == "https://news.example.org/2023/05/10/pact"
    assert article.date == dt.date(2023, 5, 10)
    assert "date:" not in article.text and "source:" not in article.text


def test_the_gold_table_example_is_the_seeds_own_table():
    (example,) = [block for block in _blocks("text") if block.startswith("file,")]
    seeds = (ROOT / "seeds" / "gold-claims.csv").read_text(encoding="utf-8").splitlines()
    header, *rows = example.splitlines()
    assert header == seeds[0]
    for row in rows:
        start = row.split(',"', 1)[0]
        assert any(line.startswith(start) for line in seeds[1:]), row


def test_readme_names_every_extension_kg_reads():
    from kg.loaders import EXTENSIONS

    section = README.split("### What kg reads", 1)[1].split("###", 1)[0]
    assert all(f"`{ext}`" in section for ext in EXTENSIONS)
