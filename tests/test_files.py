"""kg.files and every `-o`: the path the user names is written into, not replaced."""

from __future__ import annotations

import errno
import os
import stat
import threading

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KgError
from kg.files import WriteError, write_atomic

@pytest.fixture()
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "later.csv")
    write_atomic(link, "x\n")
    assert link.is_symlink() and (tmp_path / "later.csv").read_text() == "x\n"


def test_an_existing_file_keeps_its_mode(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    write_atomic(out, "new\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text() == "new\n"


def test_a_new_file_honours_the_umask(tmp_path, umask_022):
    out = write_atomic(tmp_path / "new.csv", "x\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, b"through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_device_is_written_to_not_replaced(tmp_path):
    # A null device of our own (never the machine's /dev/null: a broken writer would replace it).
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs root")
    before = device.stat()
    write_atomic(device, "nothing\n")
    after = device.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_no_temporary_file_is_left_when_the_write_fails(tmp_path, monkeypatch):
    out = tmp_path / "out.csv"
    out.write_text("kept\n")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(out, "new\n")
    assert out.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path, "x")
    assert caught.value.errno == errno.EISDIR
    assert str(caught.value) == f"cannot write {tmp_path}: it is a folder; give a file name"


def test_a_missing_folder_names_the_path_given_not_the_temporary_file(tmp_path):
    out = tmp_path / "no" / "view.html"
    with pytest.raises(WriteError) as caught:
        write_atomic(out, "x")
    assert str(caught.value) == f"cannot write {out}: No such file or directory; check the folder exists"
    assert isinstance(caught.value, KgError) and isinstance(caught.value, OSError)
    assert (caught.value.errno, caught.value.filename) == (errno.ENOENT, str(out))


def test_a_full_disk_is_one_line_and_keeps_the_cause(tmp_path, monkeypatch):
    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(WriteError) as caught:
        write_atomic(tmp_path / "out.csv", "x")
    assert str(caught.value) == f"cannot write {tmp_path / 'out.csv'}: No space left on device; free some space"
    assert caught.value.__cause__.errno == errno.ENOSPC


@pytest.mark.parametrize("command", [
    ["extract", "{article}"],
    ["query", "partners", "--param", "party=FRA", "--format", "csv"],
    ["export", "agreements"],
    ["export", "network"],
    ["render"],
])
def test_every_output_option_names_a_missing_folder_in_one_line(command, graph_store_dir, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Norway and Chile signed a logistics pact on 3 May 2024.\n", encoding="utf-8")
    command = [part.replace("{article}", str(article)) for part in command]
    store = [] if command[0] == "extract" else ["--store", str(graph_store_dir)]
    out = tmp_path / "no" / "out.txt"
    result = CliRunner().invoke(cli, [*command, *store, "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"kg: cannot write {out}: No such file or directory; check the folder exists"


@pytest.mark.parametrize("command", [
    ["extract", "{article}"],
    ["query", "partners", "--param", "party=FRA", "--format", "csv"],
    ["export", "agreements"],
    ["export", "graph", "--format", "nq"],
    ["export", "network"],
    ["render"],
])
def test_every_output_option_writes_through_links_and_keeps_modes(command, graph_store_dir, tmp_path, umask_022):
    article = tmp_path / "article.txt"
    article.write_text("Norway and Chile signed a logistics pact on 3 May 2024.\n", encoding="utf-8")
    command = [part.replace("{article}", str(article)) for part in command]
    store = [] if command[0] == "extract" else ["--store", str(graph_store_dir)]
    real = tmp_path / "real.out"
    real.write_text("old\n")
    real.chmod(0o600)
    link = tmp_path / "link.out"
    link.symlink_to(real)
    result = CliRunner().invoke(cli, [*command, *store, "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_text() not in ("", "old\n")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.out"
    assert CliRunner().invoke(cli, [*command, *store, "-o", str(fresh)]).exit_code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    fifo = tmp_path / "pipe.out"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert CliRunner().invoke(cli, [*command, *store, "-o", str(fifo)]).exit_code == 0
    reader.join(timeout=30)
    assert received and received[0] and stat.S_ISFIFO(fifo.stat().st_mode)


# ---- text that reorders itself: bidirectional controls -------------------------------------

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def test_bidi_controls_leave_the_article_the_csv_the_export_and_the_view(tmp_path):
    article = tmp_path / "bidi.txt"
    article.write_text(f"{RLO}Norway{PDF} and Chile signed an intelligence-sharing pact on 3 May 2024 "
                       f"({LRI}tcap{PDI}).\n", encoding="utf-8")
    runner = CliRunner()
    extracted = runner.invoke(cli, ["extract", str(article)])
    assert extracted.exit_code == 0 and "CHL,NOR" in extracted.stdout
    store = tmp_path / "store"
    assert runner.invoke(cli, ["build", str(article), "--store", str(store), "-q"]).exit_code == 0
    exported = runner.invoke(cli, ["export", "agreements", "--store", str(store)])
    page = tmp_path / "view.html"
    assert runner.invoke(cli, ["render", "--store", str(store), "-o", str(page), "--title", f"{RLO}view"]).exit_code == 0
    for text in (extracted.stdout, exported.stdout, page.read_text(encoding="utf-8")):
        assert not any(char in text for char in (RLO, PDF, LRI, PDI))
    assert "(tcap)" in extracted.stdout


def test_bidi_controls_loaded_as_rdf_stay_out_of_the_export_and_the_view(tmp_path):
    from conftest import build_graph_corpus

    from kg import vocab
    from kg.store import open_store

    data = tmp_path / "names.trig"
    party = vocab.party_iri("POL")  # a party of the graph corpus's agreements, given a second name
    data.write_text(
        f'<{vocab.PARTIES_GRAPH}> {{ <{party}> <http://www.w3.org/2000/01/rdf-schema#label> "{RLO}Polska" . }}\n',
        encoding="utf-8")
    store = tmp_path / "store"
    with open_store(store) as opened:
        build_graph_corpus(opened)
    runner = CliRunner()
    assert runner.invoke(cli, ["load", str(data), "--allow-kg-graphs", "--store", str(store)]).exit_code == 0
    page = tmp_path / "view.html"
    assert runner.invoke(cli, ["render", "--store", str(store), "-o", str(page)]).exit_code == 0
    exported = runner.invoke(cli, ["export", "agreements", "--store", str(store), "--format", "json"])
    assert exported.exit_code == 0
    texts = (exported.stdout, page.read_text(encoding="utf-8"))
    assert "Polska" in "".join(texts)  # the loaded name is shown, without its control
    for text in texts:
        assert RLO not in text
