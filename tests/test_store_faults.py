"""kg.store and the graph commands under hostile input and faults.

Entity bombs, oversized files and terms, files that write kg's derived graphs, loads that fail
half way, malformed store URLs, read-only stores, folders that are not stores, RocksDB log
pile-up, a full disk, a store that another command writes while it is read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import SEEDS

from kg import model, vocab
from kg.cli import cli
from kg.store import LocalStore, StoreError, open_store

EX = "https://example.org/"
RDF_XML_HEAD = '<?xml version="1.0"?>\n'
RDF_XML_BODY = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/">\n'
    ' <rdf:Description rdf:about="https://example.org/s"><ex:p>{value}</ex:p></rdf:Description>\n'
    "</rdf:RDF>\n"
)
#: A small "billion laughs": four levels of ten, 10 000 characters (the real one has nine levels).
ENTITY_BOMB = (
    RDF_XML_HEAD
    + "<!DOCTYPE rdf:RDF [\n"
    + ' <!ENTITY a "aaaaaaaaaa">\n'
    + ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
    + ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n'
    + ' <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n'
    + "]>\n"
    + RDF_XML_BODY.format(value="&d;")
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_line_error(result) -> str:
    """The error of a failed command: exit code 1, one line on stderr, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of a folder with its size and modification time."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def nquads(*values: str, graph: str = EX + "g") -> str:
    return "".join(f'<{EX}s> <{EX}p> "{v}" <{graph}> .\n' for v in values)


@pytest.fixture()
def filled_store(tmp_path) -> Path:
    """A store on disk holding one quad."""
    path = tmp_path / "st"
    data = tmp_path / "first.nq"
    data.write_text(nquads("first"))
    with open_store(path) as store:
        store.load(data)
    return path


def store_values(path: Path) -> list[str]:
    """The objects of every quad loaded into the store (not kg's mark that a load happened)."""
    mark = model.node(vocab.BUILD_GRAPH)
    with open_store(path, read_only=True) as store:
        return sorted(q.object.value for q in store.quads() if q.graph_name != mark)


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> Path:
    """A store built from seeds/ on disk (tests copy it before writing)."""
    path = tmp_path_factory.mktemp("seeds") / "kg-store"
    result = run("build", str(SEEDS), "--store", str(path), "-q")
    assert result.exit_code == 0, result.output
    return path


def copy_of(store: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(store, target)
    return target


# ---- 1. entity bombs, file size, terms over the parser's limit ------------------------------


def test_rdf_xml_entity_bomb_is_refused_before_parsing(filled_store, tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(ENTITY_BOMB)
    with open_store(filled_store) as store:
        with pytest.raises(StoreError) as err:
            store.load(bomb)
    message = str(err.value)
    assert str(bomb) in message and "entity" in message and "\n" not in message
    assert store_values(filled_store) == ["first"]


def test_cli_load_of_an_entity_bomb_creates_no_store(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(ENTITY_BOMB)
    message = one_line_error(run("load", str(bomb), "--store", str(tmp_path / "st")))
    assert "DTD entity declarations" in message and "bomb.rdf" in message
    assert not (tmp_path / "st").exists()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rdf:RDF [ <!ENTITY % p "x"> ]>',  # a parameter entity
        '<!DOCTYPE rdf:RDF [ <!-- <ex:p> --> <!ENTITY e "x"> ]>',  # a start tag inside a comment
        '<!DOCTYPE rdf:RDF [ <!ELEMENT ex:p ANY> <!ENTITY e "x"> ]>',  # after another declaration
        '<?pi <ex:p> ?>\n<!DOCTYPE rdf:RDF [ <!ENTITY e "x"> ]>',  # a start tag inside a PI
    ],
)
def test_entity_declarations_are_found_wherever_the_doctype_puts_them(memory_store, tmp_path, doctype):
    path = tmp_path / "data.rdf"
    path.write_text(RDF_XML_HEAD + doctype + "\n" + RDF_XML_BODY.format(value="v"))
    with pytest.raises(StoreError, match="DTD entity declarations"):
        memory_store.load(path)


def test_rdf_xml_without_entity_declarations_loads(memory_store, tmp_path):
    path = tmp_path / "data.rdf"
    path.write_text(RDF_XML_HEAD + "<!DOCTYPE rdf:RDF>\n<!-- <!ENTITY x 'in a comment'> -->\n"
                    + RDF_XML_BODY.format(value="&amp; plain"))
    assert memory_store.load(path) == 1
    assert [q.object.value for q in memory_store.quads()] == ["& plain"]


def test_load_over_the_size_limit_is_refused_and_the_store_untouched(filled_store, tmp_path, monkeypatch):
    from kg import store as store_module

    monkeypatch.setattr(store_module, "MAX_LOAD_BYTES", 1000)
    big = tmp_path / "big.nq"
    big.write_text(nquads(*(f"value {i}" for i in range(100))))
    before = snapshot(filled_store)
    message = one_line_error(run("load", str(big), "--store", str(filled_store)))
    assert "big.nq" in message and "split" in message
    assert snapshot(filled_store) == before


def test_files_of_one_load_count_together_against_the_limit(memory_store, tmp_path):
    files = []
    for name in ("a", "b"):
        files.append(tmp_path / f"{name}.nq")
        files[-1].write_text(nquads(*(f"{name} {i}" for i in range(10))))
    limit = files[0].stat().st_size + 10
    from kg.store import rdf_files

    with pytest.raises(StoreError, match="b.nq"):
        memory_store.load_files(rdf_files(files), max_bytes=limit)
    assert memory_store.is_empty()


def test_a_literal_over_the_parser_limit_is_one_line_and_the_store_untouched(filled_store, tmp_path):
    path = tmp_path / "long.nt"
    path.write_text(f'<{EX}s> <{EX}p> "{"x" * (17 * 1024 * 1024)}" .\n')
    message = one_line_error(run("load", str(path), "--store", str(filled_store)))
    assert "long.nt" in message and "16 MB" in message
    assert store_values(filled_store) == ["first"]


# ---- 2. kg's derived graphs, atomic loads ---------------------------------------------------


def made_up_agreement(graph: str = str(vocab.AGREEMENTS_GRAPH)) -> str:
    """TriG with an agreement between Iceland and Japan that no article makes."""
    agreement = vocab.agreement_iri("ISL", "JPN", "logistics")
    kg = vocab.KG
    return (
        f"GRAPH <{graph}> {{\n"
        f"  <{agreement}> a <{kg.Agreement}> ;\n"
        f"    <{kg.party}> <{vocab.party_iri('ISL')}>, <{vocab.party_iri('JPN')}> ;\n"
        f"    <{kg.agreementType}> <{vocab.type_iri('logistics')}> ;\n"
        f"    <{kg.status}> <{vocab.status_iri('signed')}> ;\n"
        f"    <{kg.sourceCount}> 1 .\n"
        "}\n"
    )


@pytest.mark.parametrize("graph", [vocab.AGREEMENTS_GRAPH, vocab.PARTIES_GRAPH, vocab.ONTOLOGY_GRAPH])
def test_load_refuses_quads_into_kg_derived_graphs(filled_store, tmp_path, graph):
    path = tmp_path / "forged.trig"
    path.write_text(made_up_agreement(str(graph)))
    message = one_line_error(run("load", str(path), "--store", str(filled_store)))
    assert "forged.trig" in message and str(graph) in message and "--allow-kg-graphs" in message
    assert store_values(filled_store) == ["first"]


def test_load_refuses_a_derived_graph_given_as_graph_option(filled_store, tmp_path):
    path = tmp_path / "extra.nt"
    path.write_text(f'<{EX}s> <{EX}p> "x" .\n')
    message = one_line_error(run("load", str(path), "--graph", str(vocab.PARTIES_GRAPH), "--store", str(filled_store)))
    assert str(vocab.PARTIES_GRAPH) in message
    assert store_values(filled_store) == ["first"]


def test_load_with_allow_kg_graphs_writes_them(filled_store, tmp_path):
    path = tmp_path / "restore.trig"
    path.write_text(made_up_agreement())
    result = run("load", str(path), "--allow-kg-graphs", "--store", str(filled_store))
    assert result.exit_code == 0, result.output
    with open_store(filled_store, read_only=True) as store:
        assert ox.NamedNode(str(vocab.AGREEMENTS_GRAPH)) in store.named_graphs()


def test_load_of_several_files_is_one_transaction(filled_store, tmp_path):
    good = tmp_path / "good.nq"
    good.write_text(nquads("good 1", "good 2"))
    bad = tmp_path / "bad.nq"
    bad.write_text(nquads("bad 1", "bad 2") + "<broken\n")
    message = one_line_error(run("load", str(good), str(bad), "--store", str(filled_store)))
    assert "bad.nq" in message
    assert store_values(filled_store) == ["first"]


def test_failed_load_into_a_new_store_leaves_no_store(tmp_path):
    bad = tmp_path / "bad.nq"
    bad.write_text(nquads("1") + "<broken\n")
    one_line_error(run("load", str(bad), "--store", str(tmp_path / "st")))
    assert not (tmp_path / "st").exists()


def test_load_counts_the_quads_of_each_file(tmp_path):
    first, second = tmp_path / "a.nq", tmp_path / "b.ttl"
    first.write_text(nquads("1", "2"))
    second.write_text(f'<{EX}s> <{EX}p> "3" .\n')
    result = run("load", str(first), str(second), "--store", str(tmp_path / "st"))
    assert result.exit_code == 0, result.output
    assert "a.nq: 2 quads" in result.stderr and "b.ttl: 1 quads" in result.stderr
    assert store_values(tmp_path / "st") == ["1", "2", "3"]


def partners_of_iceland(store: Path) -> str:
    result = run("query", "partners", "--param", "party=ISL", "--format", "csv", "--store", str(store))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_build_after_loading_a_made_up_agreement_derives_agreements_from_claims(seeds_store, tmp_path):
    store = copy_of(seeds_store, tmp_path)
    forged = tmp_path / "forged.trig"
    forged.write_text(made_up_agreement())
    assert run("load", str(forged), "--allow-kg-graphs", "--store", str(store)).exit_code == 0
    assert "JPN" in partners_of_iceland(store)
    first = run("build", str(SEEDS), "--store", str(store), "-q")
    assert first.exit_code == 0 and "derived again" in first.output
    assert "JPN" not in partners_of_iceland(store)
    again = run("build", str(SEEDS), "--store", str(store), "-q")
    assert again.exit_code == 0 and "derived again" not in again.output


def test_a_forced_build_after_loading_a_made_up_agreement_drops_it(seeds_store, tmp_path):
    store = copy_of(seeds_store, tmp_path)
    forged = tmp_path / "forged.trig"
    forged.write_text(made_up_agreement())
    assert run("load", str(forged), "--allow-kg-graphs", "--store", str(store)).exit_code == 0
    assert "JPN" in partners_of_iceland(store)
    assert run("build", str(SEEDS), "--force", "--store", str(store), "-q").exit_code == 0
    assert "JPN" not in partners_of_iceland(store)


# ---- 3. malformed store URLs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://[::1/query", "http://", "http://:99999/query", "http://127.0.0.1:99999/query", "http://h:port/query",
     "ftp://x", "https://exa mple.org/query"],
)
def test_a_malformed_store_url_is_one_line_and_creates_nothing(tmp_path, monkeypatch, url):
    monkeypatch.chdir(tmp_path)
    for args in (["query", "partners", "--param", "party=JPN"], ["build", str(SEEDS), "-q"]):
        message = one_line_error(run(*args, "--store", url))
        # the URL itself is wrong: no request is tried, and the message does not blame a server
        assert url in message and "cannot reach" not in message
    assert list(tmp_path.iterdir()) == []


def test_a_malformed_update_url_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = one_line_error(run("build", str(SEEDS), "--store", "http://127.0.0.1:1/query",
                                 "--update-url", "http://[::1/update"))
    assert "--update-url" in message


# ---- 4. read-only stores --------------------------------------------------------------------


READ_COMMANDS = [
    ["query", "partners", "--param", "party=JPN"],
    ["export", "graph", "--format", "nq"],
    ["export", "agreements"],
    ["export", "network"],
    ["stats"],
    ["validate"],
]


def test_read_commands_change_no_file_of_the_store(seeds_store, tmp_path):
    store = copy_of(seeds_store, tmp_path)
    before = snapshot(store)
    for args in READ_COMMANDS + [["render", "-o", str(tmp_path / "graph.html")]]:
        result = run(*args, "--store", str(store))
        assert result.exit_code == 0, (args, result.output)
        assert snapshot(store) == before, args


def test_a_store_written_in_this_process_is_not_opened_read_only_and_keeps_its_lock(filled_store):
    """fcntl locks do not conflict within a process, and closing any handle on the lock file
    drops them: probing the file here would see no writer and free the store for a second one."""
    with open_store(filled_store) as writer:
        with pytest.raises(StoreError) as refused:
            open_store(filled_store, read_only=True)
        assert str(refused.value) == being_written_line(filled_store)
        other = subprocess.run([sys.executable, "-c", "import sys, pyoxigraph as ox; ox.Store(sys.argv[1])",
                                str(filled_store)], capture_output=True, text=True)
        assert other.returncode != 0 and "lock" in other.stderr.lower()
        assert len(writer) == 1
    with open_store(filled_store, read_only=True) as reader:
        assert [q.object.value for q in reader.quads()] == ["first"]


def test_a_read_only_store_refuses_writes_in_one_line(filled_store, tmp_path):
    data = tmp_path / "more.nq"
    data.write_text(nquads("more"))
    with open_store(filled_store, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.load(data)
    assert store_values(filled_store) == ["first"]


# ---- 5. RocksDB info logs -------------------------------------------------------------------


def test_commands_do_not_pile_up_rocksdb_logs(seeds_store, tmp_path):
    store = copy_of(seeds_store, tmp_path)
    extra = tmp_path / "extra.nq"
    extra.write_text(nquads("x"))

    def old_logs() -> int:
        return len(list(store.glob("LOG.old*")))

    commands = [["build", str(SEEDS), "-q"], ["load", str(extra)], ["query", "partners", "--param", "party=JPN"],
                ["stats"], ["build", str(SEEDS), "-q"]]
    run(*commands[0], "--store", str(store))
    after_one = old_logs()
    for args in commands:
        assert run(*args, "--store", str(store)).exit_code == 0, args
    assert old_logs() <= max(after_one, 1)


# ---- 6. folders that are not stores, builds with nothing to read ----------------------------


def test_read_command_on_a_folder_that_is_not_a_store_creates_nothing(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("An article written for this test.")
    before = snapshot(folder)
    for args in READ_COMMANDS:
        message = one_line_error(run(*args, "--store", str(folder)))
        assert str(folder) in message and "not a kg store" in message
    assert snapshot(folder) == before


def test_read_command_on_an_empty_folder_creates_nothing(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    message = one_line_error(run("query", "partners", "--param", "party=JPN", "--store", str(folder)))
    assert "kg build" in message
    assert list(folder.iterdir()) == []


def test_write_commands_refuse_a_folder_of_other_files(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("An article written for this test.")
    data = tmp_path / "x.nq"
    data.write_text(nquads("x"))
    before = snapshot(folder)
    for args in (["build", str(SEEDS), "-q"], ["load", str(data)]):
        message = one_line_error(run(*args, "--store", str(folder)))
        assert "not a kg store" in message
    assert snapshot(folder) == before


def test_build_with_only_missing_paths_creates_no_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = one_line_error(run("build", str(tmp_path / "nonexistent")))
    assert "nonexistent" in message
    assert list(tmp_path.iterdir()) == []


# ---- 7. a full disk -------------------------------------------------------------------------

NO_SPACE = "IO error: No space left on device: While appending to file: st/000024.log: No space left on device"


class _FullDisk:
    """A pyoxigraph store whose writes fail as they do on a full disk."""

    def __init__(self, real: ox.Store) -> None:
        self._real = real

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def __iter__(self):
        return iter(self._real)

    def __len__(self) -> int:
        return len(self._real)

    def _full(self, *args, **kwargs):
        raise OSError(NO_SPACE)

    extend = bulk_extend = update = load = bulk_load = flush = _full


@pytest.fixture()
def full_disk(monkeypatch):
    """Every local store opened for writing gets a full disk."""
    original = LocalStore.__init__

    def opened(self, path=None, **kwargs):
        original(self, path, **kwargs)
        if not kwargs.get("read_only"):
            self._store = _FullDisk(self._store)

    monkeypatch.setattr(LocalStore, "__init__", opened)


def test_load_on_a_full_disk_is_one_line(filled_store, tmp_path, full_disk):
    data = tmp_path / "more.nq"
    data.write_text(nquads("more"))
    message = one_line_error(run("load", str(data), "--store", str(filled_store)))
    assert "no space left" in message and str(filled_store) in message and "unchanged" in message


def test_build_on_a_full_disk_is_one_line(tmp_path, full_disk):
    message = one_line_error(run("build", str(SEEDS), "--store", str(tmp_path / "st"), "-q"))
    assert "no space left" in message and "free some space" in message


@pytest.fixture()
def small_disk(tmp_path):
    """A 16 MB tmpfs (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_real_full_disk_fails_in_one_line_and_a_retry_after_freeing_space_works(small_disk, tmp_path):
    store = small_disk / "st"
    assert run("build", str(SEEDS), "--store", str(store), "-q").exit_code == 0
    data = tmp_path / "more.nq"
    data.write_text(nquads(*(f"value number {i} with some padding text" for i in range(5000))))
    before = store_values(store)
    free = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 300_000))
    message = one_line_error(run("load", str(data), "--store", str(store)))
    assert "no space left" in message
    # reading needs no space
    assert run("stats", "--store", str(store)).exit_code == 0
    filler.unlink()
    assert store_values(store) == before
    result = run("load", str(data), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert len(store_values(store)) == len(before) + 5000


def test_a_first_build_on_a_full_disk_is_one_line_and_the_store_builds_after_freeing_space(small_disk):
    store = small_disk / "st"
    free = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 150_000))
    message = one_line_error(run("build", str(SEEDS), "--store", str(store), "-q"))
    assert "no space left" in message
    # the store the build began cannot be read, and says so in one line
    message = one_line_error(run("stats", "--store", str(store)))
    assert str(store) in message and "run kg build" in message
    filler.unlink()
    assert run("build", str(SEEDS), "--store", str(store), "-q").exit_code == 0
    assert run("stats", "--store", str(store)).exit_code == 0


# ---- 8. a store that another command writes -------------------------------------------------


def being_written_line(store: Path) -> str:
    return (f"the store in {store} is being written by another kg command (kg build or kg load): "
            "run this again when it finishes")


def written_while_read_line(store: Path) -> str:
    return (f"the store in {store} was written by another kg command (kg build or kg load) while this one "
            "read it: run this again when it finishes")


@pytest.fixture(params=["new store", "built store"])
def paused_build(request, seeds_store, tmp_path):
    """A real kg build of the seeds in another process, into a new store or again (--force)
    into a built one, stopped (SIGSTOP) as soon as it holds the store open for writing; the
    test lets it go on with ``resume()``."""
    from kg.store import being_written

    store, again = tmp_path / "kg-store", []
    if request.param == "built store":
        store, again = copy_of(seeds_store, tmp_path), ["--force"]
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store), "-q", *again],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def resume() -> None:
        build.send_signal(signal.SIGCONT)
        assert build.wait(timeout=120) == 0, build.stderr.read() if build.stderr else ""

    try:
        while not (store.is_dir() and being_written(store)):
            assert build.poll() is None, "the build ended before it was seen writing"
            time.sleep(0.001)
        build.send_signal(signal.SIGSTOP)
        yield store, resume
    finally:
        build.send_signal(signal.SIGCONT)
        build.kill()
        build.wait()


def test_read_commands_refuse_a_store_a_build_is_writing_in_one_line(paused_build, tmp_path):
    from kg.notebook import open_for_reading

    store, resume = paused_build
    page = tmp_path / "graph.html"
    for args in READ_COMMANDS + [["render", "-o", str(page)]]:
        assert one_line_error(run(*args, "--store", str(store))) == "kg: " + being_written_line(store), args
    assert not page.exists()
    with pytest.raises(StoreError) as refused:
        open_for_reading(store)
    assert str(refused.value) == being_written_line(store)
    resume()
    result = run("stats", "--store", str(store))
    assert result.exit_code == 0 and not result.output.startswith("0 parties"), result.output


class _FailingReads:
    """A pyoxigraph store whose reads fail as when a file they need is gone: each read calls
    ``fail`` (a query after its first row, as pyoxigraph reads rows as they are taken)."""

    def __init__(self, real: ox.Store, fail) -> None:
        self._real = real
        self._fail = fail

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def query(self, *args, **kwargs):
        results = self._real.query(*args, **kwargs)
        if isinstance(results, ox.QueryBoolean):
            self._fail()
        for row in results:  # the first row, if there is one, then the failure
            yield row
            break
        self._fail()

    def _read(self, *args, **kwargs):
        self._fail()

    __iter__ = __len__ = dump = quads_for_pattern = named_graphs = _read


GONE = "IO error: No such file or directory: While open a file for random read: {store}/000119.sst: No such file"


def writer_comes_and_goes(store: Path) -> None:
    """Open the store for writing in another process and close it, as a short build does."""
    subprocess.run([sys.executable, "-c", "import sys, pyoxigraph as ox; ox.Store(sys.argv[1])", str(store)],
                   check=True)


def hold_for_writing(store: Path) -> subprocess.Popen:
    """Another process that holds the store open for writing until it is killed."""
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(120)", str(store)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    return holder


READS = {
    "query": lambda store: [row["o"] for row in store.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")],
    "quads": lambda store: store.quads(),
    "len": len,
    "dump": lambda store: store.dump(ox.RdfFormat.N_QUADS),
    "pattern": lambda store: store.quads_for_pattern(),
    "named graphs": lambda store: store.named_graphs(),
    "empty": lambda store: store.is_empty(),
}


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("writer", ["came and went", "holds it"])
def test_a_read_that_fails_on_a_writer_s_changes_is_one_line(filled_store, read, writer):
    holders = []

    def fail() -> None:  # a writer began after the store was opened, and removed a file
        if writer == "came and went":
            writer_comes_and_goes(filled_store)
        else:
            holders.append(hold_for_writing(filled_store))
        raise FileNotFoundError(GONE.format(store=filled_store))

    try:
        with open_store(filled_store, read_only=True) as store:
            store._store = _FailingReads(store._store, fail)
            with pytest.raises(StoreError) as failed:
                READS[read](store)
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()
    expected = written_while_read_line if writer == "came and went" else being_written_line
    assert str(failed.value) == expected(filled_store)


def test_a_read_error_with_no_writer_is_the_store_s_own_one_line_and_a_bug_is_not_hidden(filled_store):
    with open_store(filled_store, read_only=True) as store:
        store._store = _FailingReads(store._store, lambda: (_ for _ in ()).throw(OSError("IO error: disk on fire")))
        with pytest.raises(StoreError) as failed:
            store.quads()
        assert str(failed.value) == f"cannot read the store in {filled_store}: IO error: disk on fire"
        store._store = _FailingReads(store._store, lambda: (_ for _ in ()).throw(RuntimeError("a bug")))
        with pytest.raises(RuntimeError, match="a bug"):
            READS["query"](store)


def test_kg_stats_that_meets_a_writer_s_changes_mid_read_is_one_line(seeds_store, tmp_path, monkeypatch):
    store = copy_of(seeds_store, tmp_path)
    original = LocalStore.__init__

    def fail() -> None:
        writer_comes_and_goes(store)
        raise FileNotFoundError(GONE.format(store=store))

    def opened(self, path=None, **kwargs):
        original(self, path, **kwargs)
        if kwargs.get("read_only"):
            self._store = _FailingReads(self._store, fail)

    monkeypatch.setattr(LocalStore, "__init__", opened)
    assert one_line_error(run("stats", "--store", str(store))) == "kg: " + written_while_read_line(store)


def test_an_opening_that_fails_after_a_writer_came_is_not_called_corruption(filled_store, monkeypatch):
    """RocksDB says "Corruption" when a file that its MANIFEST names is gone: a writer that
    compacted it away while the store was being opened."""
    real = ox.Store

    class Store:
        def __new__(cls, *args, **kwargs):
            return real(*args, **kwargs)

        @staticmethod
        def read_only(path: str) -> ox.Store:
            writer_comes_and_goes(filled_store)
            raise RuntimeError(f"Corruption: Corruption: {GONE.format(store=path)} The file {path}/MANIFEST-000005 "
                               "may be corrupted.")

    monkeypatch.setattr(ox, "Store", Store)
    with pytest.raises(StoreError) as failed:
        open_store(filled_store, read_only=True)
    assert str(failed.value) == written_while_read_line(filled_store)


def test_a_limited_query_after_a_writer_came_is_the_one_line(filled_store):
    """kg query runs a limited query in a child process that opens the store again: a build
    that began after the command opened the store is the one line there too (the child read the
    store under the writer's hands before)."""
    from kg import query

    with open_store(filled_store, read_only=True) as reader:
        holder = subprocess.Popen(
            [sys.executable, "-c", "import sys; from kg.store import open_store; s = open_store(sys.argv[1]); "
             "print('open', flush=True); sys.stdin.read()", str(filled_store)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            with pytest.raises(StoreError, match="is being written by another kg command"):
                query.run(reader, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=30)
        finally:
            holder.communicate("", timeout=30)
