"""The `kg` command line: thin commands over the Python API."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import sys
import warnings
from collections import Counter
from pathlib import Path

import click

from kg.errors import KgError
from kg.records import AgreementType, Status

#: Above this many input files, extraction shows a progress bar on stderr.
PROGRESS_FILES = 5

#: The most rows `kg query` shows as a table (a bigger one takes minutes to draw).
TABLE_ROWS = 10_000


def _err(message: str) -> None:
    click.echo(f"kg: {message}", err=True)


def _note(message: str) -> None:
    """A note: something the user should know that is not an error (the exit code stays)."""
    click.echo(f"note: {message}", err=True)


def _counted(count: int, one: str, many: str, width: int = 0) -> str:
    """``count`` and the noun in its number: "1 party", "2 parties" (the count right-aligned in
    ``width``)."""
    return f"{count:>{width}} {one if count == 1 else many}"


class _UsageLine(click.ClickException):
    """A usage error as one ``kg: ...`` line with click's exit code 2 (its own takes three lines)."""

    exit_code = 2


def _stdout_if_dash(output: str | None) -> str | None:
    """An ``-o`` value with ``-`` as standard output (None), as Unix tools read it."""
    return None if output == "-" else output


def _given(ctx: click.Context, name: str) -> bool:
    """Whether the user gave the option ``name`` (its default was not used)."""
    return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT


class _Failures:
    """Collects one-line load errors, prints each at once, and remembers that a file failed (or
    a record of a JSON Lines file, :func:`kg.loaders.is_bad_record`)."""

    def __init__(self) -> None:
        self.count = 0
        self.lines = 0

    def __call__(self, error: Exception) -> None:
        from kg.loaders import is_bad_record

        self.count += 1
        if is_bad_record(error):
            self.lines += 1
        _err(str(error))

    def summary(self) -> str:
        """'2 file(s) failed, 3 bad line(s) skipped', or '' when nothing failed."""
        files = self.count - self.lines
        return ", ".join(([f"{files} file(s) failed"] if files else []) + ([f"{self.lines} bad line(s) skipped"] if self.lines else []))


def _progress(paths: tuple[str, ...]):
    """A rich progress bar on stderr when there are more than a few files, else None."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from kg.loaders import iter_files

    total = sum(1 for item in iter_files(paths) if isinstance(item, Path))
    console = Console(stderr=True)
    if total <= PROGRESS_FILES or not console.is_terminal:
        return None, total
    # Redrawn by this thread as files complete, not by rich's refresh thread: Ctrl-C can land
    # while this thread holds the bar's lock, and stopping would then wait for that thread forever.
    bar = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=console, transient=True, auto_refresh=False,
        redirect_stdout=False,  # rich would send the rows written to stdout to its console: stderr
    )
    return bar, total


def _run_extraction(paths: tuple[str, ...], failures: _Failures, jobs: int = 1):
    """Yield (article, analysis) for every article, advancing a progress bar per file.

    Load errors go to ``failures``; an article without a publication date gets one note.
    ``jobs`` worker processes load and extract (:mod:`kg.parallel`); the order is the same.
    """
    from kg.parallel import extract_paths

    bar, total = _progress(paths)
    with contextlib.closing(extract_paths(paths, jobs, on_error=failures, on_note=_note)) as analysed:
        if bar is None:
            yield from analysed
            return
        with bar:
            task = bar.add_task("extracting", total=total)
            seen: set[str] = set()
            for article, analysis in analysed:
                name = article.file.split("#", 1)[0]
                if name not in seen:
                    seen.add(name)
                    bar.update(task, completed=len(seen), refresh=True)
                yield article, analysis


def _jobs_option(command):
    """--jobs, shared by the commands that extract."""
    return click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
                        help="load and extract in N worker processes (0: one per core); same output")(command)


class _Command(click.Command):
    """A command whose summary in its group's list is its whole first sentence (click cuts it
    at 45 characters with "..."), and whose user errors end it as one line."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(limit=1_000)

    def invoke(self, ctx: click.Context):
        """Run the command; a :class:`kg.errors.KgError` is one ``kg: ...`` line and exit code 1."""
        try:
            return super().invoke(ctx)
        except KgError as err:
            _err(str(err))
            sys.exit(1)


class _Group(click.Group):
    """A group listing its commands' whole summaries; its commands and subgroups do the same."""

    command_class = _Command

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(limit=1_000)


_Group.group_class = _Group

_EXAMPLES = """Examples:

\b
  kg extract seeds/ -o claims.csv        claims to a CSV
  kg build seeds/                        the graph into ./kg-store; prints the agreements
  kg query partners --param party=JPN    a shipped query (kg query lists them)
  kg render -o graph.html                the network as one offline HTML page

Shell completion, in ~/.bashrc (zsh: zsh_source in ~/.zshrc):

\b
  eval "$(_KG_COMPLETE=bash_source kg)"
"""


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EXAMPLES)
@click.version_option(package_name="kg-pacts", prog_name="kg")
def cli() -> None:
    """Turn news articles into a knowledge graph of bilateral agreements.

    Articles are .txt, .md, .html or .jsonl files (or folders of them); the graph lives in a
    store (--store: a folder, default ./kg-store, or a SPARQL endpoint URL).
    """


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True,
              help="Output format: csv, one row per claim; jsonl, everything a build needs (kg build --claims).")
@click.option("-o", "--output", type=click.Path(writable=True, allow_dash=True),
              help="Write here instead of stdout ('-': stdout; with --dask: a folder of Parquet files).")
@_jobs_option
@click.option("--dask", "scheduler", metavar="local|ADDRESS",
              help="extract on a Dask cluster into Parquet files in the -o folder: 'local' starts one on this "
                   "machine (--jobs workers, default one per core), or a scheduler address (tcp://host:8786)")
@click.pass_context
def extract_cmd(ctx: click.Context, paths: tuple[str, ...], fmt: str, output: str | None, jobs: int,
                scheduler: str | None) -> None:
    """Extract agreement claims from articles (files or folders) into CSV or JSON Lines.

    One CSV row per claim: file, party_a, party_b (codes, alphabetical), agreement_type, status,
    date (YYYY, YYYY-MM or YYYY-MM-DD, empty when unknown) and the evidence sentence. JSON Lines
    and --dask's Parquet files add offsets, the article's metadata, partner counts and articles with
    no claim: all that kg build --claims needs. A file that cannot be read is reported on
    stderr and the run goes on; the exit code is 1 when any file failed. An article with no
    publication date gets a note on stderr (its relative dates, "on Tuesday", stay unresolved).
    """
    failures = _Failures()
    if scheduler is not None:
        stats = _extract_on_cluster(ctx, paths, output, jobs, scheduler, failures)
    else:
        output = _stdout_if_dash(output)
        stats = _extract_to_text(paths, fmt, output, jobs, failures)
    summary = f"{stats.articles} article(s), {stats.claims} claim(s)"
    if stats.by_type:
        summary += "; by type: " + ", ".join(f"{k} {v}" for k, v in Counter(stats.by_type).most_common())
        summary += "; by status: " + ", ".join(f"{k} {v}" for k, v in Counter(stats.by_status).most_common())
    if failures.count:
        summary += f"; {failures.summary()}"
    if output is not None:
        summary += f"; written to {output}"
    click.echo(summary, err=True)
    if failures.count:
        sys.exit(1)


def _extract_to_text(paths: tuple[str, ...], fmt: str, output: str | None, jobs: int, failures: _Failures):
    """kg extract in this machine's processes: CSV or JSON Lines to stdout (article by article)
    or to the -o file (written whole at the end)."""
    from kg.claim_files import ClaimStats, rows
    from kg.extract import CLAIM_COLUMNS, claim_row
    from kg.files import write_atomic

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CLAIM_COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    stats = ClaimStats()
    for article, analysis in _run_extraction(paths, failures, jobs):
        stats.add(analysis)
        if writer:
            writer.writerows(claim_row(claim) for claim in analysis.claims)
        else:
            buffer.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(article, analysis))
        if output is None:
            sys.stdout.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    if output is not None:
        write_atomic(output, buffer.getvalue())
    return stats


def _extract_on_cluster(ctx: click.Context, paths: tuple[str, ...], output: str | None, jobs: int, scheduler: str,
                        failures: _Failures):
    """kg extract --dask: Parquet files in the -o folder (:mod:`kg.cluster`)."""
    from kg.cluster import extract_to_parquet

    if output is None or output == "-":  # (not _stdout_if_dash: mypy then knows output is a str)
        raise _UsageLine("--dask writes Parquet files into a folder, not to stdout: give the folder with -o, "
                         "e.g. -o claims/")
    if _given(ctx, "fmt"):
        raise click.UsageError("--dask writes Parquet files: leave out --format")
    explicit = _given(ctx, "jobs")
    if explicit and scheduler != "local":
        raise click.UsageError("--jobs sets the workers of --dask local; a cluster at an address has its own")
    # Ctrl-C cancels the cluster's tasks, which asyncio would log at exit as never retrieved
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    return extract_to_parquet(paths, output, scheduler, workers=jobs if explicit else None, on_error=failures,
                              on_note=_note)


@cli.command("eval")
@click.option("--gold", required=True, help="Gold table (CSV as seeds/gold-claims.csv).")
@click.argument("paths", nargs=-1, required=True)
@_jobs_option
def eval_cmd(gold: str, paths: tuple[str, ...], jobs: int) -> None:
    """Score extraction against a gold table: precision, recall, F1; every miss and extra.

    Levels: strict (pair + type + status), typed (pair + type), pair (pair only). A gold
    status 'any' accepts every status.
    """
    from kg.evaluate import evaluate, read_gold

    rows = read_gold(gold)
    failures = _Failures()
    claims, files = [], []
    for article, analysis in _run_extraction(paths, failures, jobs):
        files.append(article.file)
        claims.extend(analysis.claims)
    result = evaluate(claims, rows, files)
    click.echo(f"{result.files} file(s) scored against {gold}")
    click.echo(f"{'level':<8} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for level, s in result.scores.items():
        click.echo(f"{level:<8} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f}  {s.tp:3d} {s.fp:3d} {s.fn:3d}")
    for g in result.misses:
        click.echo(f"MISS  {g.file}: {g.party_a}-{g.party_b} {g.agreement_type} {g.status} {g.date}  ({g.note})")
    for c in result.extras:
        click.echo(f"EXTRA {c.file}: {c.party_a}-{c.party_b} {c.agreement_type} {c.status} {c.date}  "
                   f"| {' '.join(c.evidence.sentence.split())}")
    if failures.count:
        sys.exit(1)


# ---- the graph: kg build, export, load, validate, query (kg.build, kg.store, kg.query) ------


def _store_options(command):
    """--store and the two remote-endpoint URL options, shared by the graph commands."""
    command = click.option("--graph-store-url", metavar="URL", default=None,
                           help="remote store: Graph Store Protocol URL (default: .../query -> .../store)")(command)
    command = click.option("--update-url", metavar="URL", default=None,
                           help="remote store: SPARQL update URL (default: .../query -> .../update)")(command)
    return click.option("--store", "store_spec", default="kg-store", show_default=True, envvar="KG_STORE",
                        help=_GRAPH_STORE_HELP)(command)


_GRAPH_STORE_HELP = ("a store directory (Oxigraph on disk), 'memory', or a SPARQL 1.1 query endpoint URL "
                     "(e.g. http://127.0.0.1:7878/query); env KG_STORE")


def _refuse_memory(store_spec: str) -> None:
    """A read command on ``--store memory`` would read a new, empty store: say so instead."""
    if store_spec == "memory":
        raise click.ClickException(
            "--store memory: a memory store lives only in the process that builds it, so this "
            "command would read an empty graph; give the folder of a built store (kg build ... "
            "--store DIR) or a SPARQL endpoint URL")


@contextlib.contextmanager
def _open_store(store_spec: str, update_url: str | None, graph_store_url: str | None, create: bool):
    """The --store, open for the ``with`` block; its errors end the command with one line.

    create=True is for the commands that write (build, load): a missing store is created.
    create=False is for the read commands: the store must exist and is opened read-only, so no
    file of it changes (it can be read in a read-only folder, or while a build writes it).
    A :class:`kg.store.StoreError`, or a disk that fills up, anywhere in the block (closing
    included) becomes a ``kg: ...`` line and exit code 1.
    """
    from kg.store import open_store, write_error

    if not create:
        _refuse_memory(store_spec)
    try:
        with open_store(store_spec, create=create, read_only=not create, update_url=update_url,
                        store_url=graph_store_url) as store:
            if not create:
                _note_unfinished(store, store_spec)
            yield store
    except OSError as err:
        # A store write that failed (a build writes through pyoxigraph, whose errors carry no
        # errno): a full disk, a read-only folder. Any other OSError is a bug to show in full.
        mapped = write_error(err, store_spec) if err.errno is None else None
        if mapped is None:
            raise
        raise click.ClickException(str(mapped)) from None


def _note_unfinished(store, store_spec: str) -> None:
    """A note when the store's last build was cut off (Ctrl-C, a crash) after it began to write
    its articles: what a read finds then is part of that build, the agreements not yet derived
    from it. (A build in progress holds the store: reading it is refused before this.)"""
    from kg import read

    if read.pending_articles(store):
        _note(f"the last kg build of {store_spec} did not finish (it was interrupted): what follows may be "
              "incomplete; run that kg build again to finish it")


def _console(wide: bool = False):
    """A console for tables: a terminal's width, or (--wide, or output that is not a terminal)
    as wide as the table needs, so that no cell is cut."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() and not wide else 100_000)


_WIDE_HELP = "show every cell whole (by default a table fits the terminal and long cells end in ...)"


#: ``kg query -o FILE`` without --format: the results format that the file's suffix names.
_RESULTS_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".srj": "json",
                     ".xml": "xml", ".srx": "xml"}


def _results_format(ctx: click.Context, fmt: str, output: str | None) -> str:
    """The format of ``kg query``'s results: a table is for the terminal, so ``-o FILE`` without
    --format writes the format of the file's suffix (CSV for any other), and --format table
    with ``-o FILE`` is refused rather than printed elsewhere than asked."""
    output = _stdout_if_dash(output)
    if fmt != "table" or output is None:
        return fmt
    if _given(ctx, "fmt"):
        raise click.UsageError(f"--format table is for the terminal: to write {output}, "
                               "give --format csv, tsv, json or xml")
    return _RESULTS_SUFFIXES.get(Path(output).suffix.lower(), "csv")


def _write_output(data: bytes, output: str | None, what: str) -> None:
    """``data`` to stdout (``output`` None or ``-``), or to the file ``output``, saying on stderr
    what it wrote there."""
    from kg.files import write_atomic

    output = _stdout_if_dash(output)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(output, data)
    click.echo(f"wrote {output} ({what})", err=True)


@cli.command("build")
@click.argument("paths", nargs=-1)
@_store_options
@click.option("--force", is_flag=True, help="re-extract articles the store already has (after an upgrade)")
@click.option("-q", "--quiet", is_flag=True, help="do not print the agreements table")
@click.option("--wide", is_flag=True, help=_WIDE_HELP)
@_jobs_option
@click.option("--claims", "claim_paths", multiple=True, metavar="PATH",
              help="build from claim files instead of articles (repeatable): a folder of kg extract --dask, "
                   "or .parquet, .jsonl (kg extract --format jsonl) or .csv files with the same columns")
def build_cmd(paths, store_spec, update_url, graph_store_url, force, quiet, wide, jobs, claim_paths):
    """Build (or update) the knowledge graph from articles (files or folders), or from claim files.

    Incremental and idempotent: articles the store has are skipped, a file whose content
    changed replaces its named graph, and the merged agreements are recomputed. The whole
    build is one transaction on a local store. Prints the agreements table; exit code 1 when
    any file could not be read. An article with no publication date gets a note on stderr.
    --claims builds what kg extract wrote elsewhere (--format jsonl, --dask) the same way.
    """
    from kg.build import build, build_claims
    from kg.claim_files import check_files
    from kg.query import agreements, table

    if bool(paths) == bool(claim_paths):
        raise click.UsageError("give articles (PATH...) or --claims PATH, one of the two")
    if claim_paths and jobs != 1:
        raise click.UsageError("--jobs extracts articles in parallel; --claims reads claims already "
                               "extracted: leave out --jobs")
    if claim_paths:
        claim_files = check_files(claim_paths)  # before the store is opened, like the paths below
    elif not any(Path(path).exists() for path in paths):
        # before the store is opened: a build with nothing to read creates no store
        raise click.ClickException(f"nothing to build from: no such file or folder: {', '.join(paths)}")
    failures = _Failures()
    with _open_store(store_spec, update_url, graph_store_url, create=True) as store:
        if claim_paths:
            report = build_claims(claim_files, store, progress=sys.stderr.isatty(), force=force)
        else:
            report = build(paths, store, on_error=failures, progress=sys.stderr.isatty(), force=force,
                           on_note=_note, jobs=jobs)
        frame = None if quiet else agreements(store)
    if frame is not None:
        columns = ["party_a", "party_b", "agreement_type", "status", "date", "sources", "conflict"]
        console = _console(wide)
        console.print(table(frame[columns], title=f"Agreements in {store_spec}", width=None if wide else console.width))
    click.echo(report.summary(), err=True)
    if failures.count:
        sys.exit(1)


@cli.group("export")
def export_group() -> None:
    """Export the graph (RDF) or tables from a store."""


@export_group.command("graph")
@_store_options
@click.option("--format", "fmt", type=click.Choice(["trig", "nq", "ttl", "jsonld", "nt"]), default=None,
              help="RDF format (default: from the -o file name, else trig). ttl/nt hold the union of all graphs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of stdout ('-': stdout).")
def export_graph(store_spec, update_url, graph_store_url, fmt, output):
    """Export every graph of the store as RDF."""
    from kg.store import RDF_FORMATS, rdf_format

    output = _stdout_if_dash(output)
    rdf = RDF_FORMATS[fmt] if fmt else (rdf_format(output) if output else RDF_FORMATS["trig"])
    with _open_store(store_spec, update_url, graph_store_url, create=False) as store:
        data = store.dump(rdf)
    _write_output(data, output, f"the graph as {rdf.name}")


@export_group.command("agreements")
@_store_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of stdout ('-': stdout).")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="the agreements as the articles published by DATE (YYYY-MM-DD) told them")
def export_agreements_cmd(store_spec, update_url, graph_store_url, fmt, output, as_of):
    """One row per merged agreement, the columns of the shipped agreements query.

    party_a, party_b, agreement_type, status, date, sources, conflict, party_a_name,
    party_b_name, first_reported, last_reported, agreement (its IRI). With --as-of, the
    agreements as the claims told by that date tell them (the rule of the as-of query).
    """
    from kg.query import export_agreements

    with _open_store(store_spec, update_url, graph_store_url, create=False) as store:
        data = export_agreements(store, fmt, as_of.date() if as_of else None)
    rows = len(json.loads(data)) if fmt == "json" else data.count(b"\n") - 1
    _write_output(data, output, f"{rows} agreement(s) as {fmt}")


@cli.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_store_options
@click.option("--graph", "graph_iri", metavar="IRI", default=None,
              help="named graph for files of triples (ttl, nt); default: one graph per file name")
@click.option("--allow-kg-graphs", is_flag=True,
              help="let the files write the graphs kg build derives (agreements, parties, ontology), "
                   "e.g. to restore a kg export")
def load_cmd(files, store_spec, update_url, graph_store_url, graph_iri, allow_kg_graphs):
    """Load RDF files (trig, nq, ttl, nt, jsonld, rdf) into a store, all or nothing.

    Quads keep their graphs; triples go to --graph or to a graph named after the file. The
    files are one transaction on a local store: one that fails leaves the store as it was.
    Refused: RDF/XML that declares DTD entities, more than 256 MB in one run (kg.store.MAX_LOAD_BYTES;
    split bigger data), and without --allow-kg-graphs quads in the graphs kg build writes itself.
    """
    import pyoxigraph as ox

    from kg.store import StoreError, rdf_files

    try:
        graph = ox.NamedNode(graph_iri) if graph_iri else None
    except ValueError:
        raise click.ClickException(f"--graph {graph_iri!r} is not an IRI: give an absolute IRI like https://example.org/g") from None
    checked = rdf_files(files, graph)  # before the store is opened: a refused file creates nothing
    with _open_store(store_spec, update_url, graph_store_url, create=True) as store:
        try:
            counts = store.load_files(checked, allow_kg_graphs=allow_kg_graphs)
        except StoreError:
            if getattr(store, "created", False):
                store.remove()  # a new store that a failed load would leave empty
            raise
    for file, count in zip(files, counts):
        click.echo(f"{file}: {count} quads loaded into {store_spec}", err=True)


@cli.command("validate")
@_store_options
def validate_cmd(store_spec, update_url, graph_store_url):
    """Check the graph against the SHACL shapes (kg/data/shapes.ttl); exit code 1 if it does not conform."""
    from kg.validate import validate

    with _open_store(store_spec, update_url, graph_store_url, create=False) as store:
        report = validate(store)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


def _shipped_queries_text(width: int | None = None) -> str:
    """The shipped queries, each with its whole description and its parameters."""
    from kg.query import describe, load_query, query_params, shipped_queries

    formatter = click.HelpFormatter(width=width)
    rows: list[tuple[str, str]] = []
    for name in shipped_queries():
        declared = query_params(load_query(name))
        rows.append((name, describe(name)))
        if declared:
            rows.append(("", " ".join(f"--param {p}=..." if req else f"[--param {p}=...]"
                                      for p, req in declared.items())))
    with formatter.section("Shipped queries"):
        formatter.write_dl(rows)
    return formatter.getvalue()


class _QueryCommand(_Command):
    """kg query: its help ends with the shipped queries and their parameters."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        formatter.write(_shipped_queries_text(formatter.width))
        with formatter.section("Parameter values"):
            formatter.write_dl([
                ("party", "a code or a name: JPN, Japan, NATO"),
                ("type", ", ".join(t.value for t in AgreementType)),
                ("status", ", ".join(s.value for s in Status)),
                ("date", "YYYY-MM-DD"),
            ])


@cli.command("query", cls=_QueryCommand)
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="bind ?NAME to VALUE (repeatable); party accepts a code or a name")
@click.option("--wide", is_flag=True, help=_WIDE_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table",
              show_default=True, help="a readable table, or a standard SPARQL results format")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of stdout ('-': stdout); without --format, in the format its suffix "
                   "names (.csv, .tsv, .json, .xml; CSV for any other).")
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
              help="stop the query after SECONDS (0: no limit); for an endpoint, how long to wait for it")
@click.option("--allow-service", is_flag=True,
              help="let SERVICE clauses call other SPARQL endpoints over the network (refused by default)")
@_store_options
@click.pass_context
def query_cmd(ctx, query_text, params, wide, fmt, output, timeout, allow_service, store_spec, update_url,
              graph_store_url):
    """Run QUERY: SPARQL text, a .rq file, or the name of a shipped query.

    Without QUERY, lists the shipped queries and their parameters. A query runs in a separate
    process that --timeout or Ctrl-C stop at once. SPARQL text may use kg's prefixes (kg:,
    party:, agreement:, ...) without declaring them.
    """
    from kg.query import run, table, write_results
    from kg.store import open_store

    if not query_text:
        click.echo(_shipped_queries_text(), nl=False)
        return
    bound = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.ClickException(f"--param {item!r}: write it as NAME=VALUE, e.g. --param party=JPN")
        bound[name.strip()] = value
    fmt = _results_format(ctx, fmt, output)
    limits = {"timeout": timeout, "allow_service": allow_service}
    _refuse_memory(store_spec)
    try:
        with open_store(store_spec, create=False, read_only=True, update_url=update_url, store_url=graph_store_url,
                        timeout=timeout) as store:
            _note_unfinished(store, store_spec)
            if fmt == "table":
                frame = run(store, query_text, bound, max_rows=TABLE_ROWS, **limits)
                console = _console(wide)
                console.print(table(frame, width=None if wide else console.width))
                if frame.attrs.get("more"):
                    _note(f"only the first {TABLE_ROWS} rows are shown: --format csv (or tsv, json) gives all")
                click.echo(f"{len(frame)} row(s)", err=True)
                return
            if _stdout_if_dash(output) is None:  # streamed: the results need not fit in memory
                write_results(store, query_text, fmt, sys.stdout.buffer, bound, **limits)
                sys.stdout.flush()
                return
            buffer = io.BytesIO()
            write_results(store, query_text, fmt, buffer, bound, **limits)
        _write_output(buffer.getvalue(), output, f"the results as {fmt}")
    except KeyboardInterrupt:
        # click would print "Aborted!" and exit 1; the query's process is already stopped
        _err("interrupted")
        sys.exit(130)


# ---- the network view: kg render, kg stats, kg export network (kg.network, kg.render) -------


def _network(store_spec, update_url, graph_store_url, types=(), statuses=(), as_of=None):
    """The party graph of a store, with user errors as one-line messages, and a note when the
    filters leave nothing (a page or file with no party would otherwise look like a fault)."""
    from kg.network import from_store

    with _open_store(store_spec, update_url, graph_store_url, create=False) as store:
        graph = from_store(store, types=types, statuses=statuses, as_of=as_of)
    filters = [*(f"--type {t}" for t in types), *(f"--status {s}" for s in statuses),
               *([f"--as-of {as_of}"] if as_of else [])]
    if filters and not graph.number_of_nodes():
        _note(f"no agreement in {store_spec} matches {' '.join(filters)}: the output has no party")
    return graph


def _graph_counts(graph) -> str:
    """What a page or a network file holds: "12 parties, 1 agreement"."""
    return (f"{_counted(graph.number_of_nodes(), 'party', 'parties')}, "
            f"{_counted(graph.number_of_edges(), 'agreement', 'agreements')}")


def _filter_options(command):
    """--type, --status and --as-of, shared by render and export network."""
    command = click.option("--as-of", metavar="DATE",
                           help="the graph as the articles published by DATE (YYYY-MM-DD) told it")(command)
    command = click.option("--status", "statuses", multiple=True, metavar="STATUS",
                           help="only agreements in this status (repeatable): "
                                + ", ".join(s.value for s in Status))(command)
    return click.option("--type", "types", multiple=True, metavar="TYPE",
                        help="only agreements of this type (repeatable): "
                             + ", ".join(t.value for t in AgreementType))(command)


@cli.command("render")
@_store_options
@click.option("-o", "--output", default="graph.html", show_default=True,
              type=click.Path(dir_okay=False, allow_dash=True), help="HTML file to write ('-': stdout)")
@_filter_options
@click.option("--focus", metavar="PARTY", help="only this party (code or name) and its neighbourhood")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True,
              help="with --focus: how many agreements away")
@click.option("--title", default=None, help="page heading")
@click.option("--layout", "layout_name", metavar="[spring|geo]", default="spring", show_default=True,
              help="spring: a force layout; geo: countries at their capitals, organisations in a row below")
@click.pass_context
def render_cmd(ctx, store_spec, update_url, graph_store_url, output, types, statuses, as_of, focus, depth, title,
               layout_name):
    """Write the agreements network as one offline HTML page (open it in any browser)."""
    from kg.geo import LAYOUTS, positions
    from kg.network import ego_network, find_party
    from kg.render import render_html

    # Checked here, not by click.Choice, whose usage error is several lines.
    if layout_name not in LAYOUTS:
        raise click.ClickException(f"--layout {layout_name!r} is not a layout: use {' or '.join(LAYOUTS)}")
    if focus is not None and not focus.strip():
        raise _UsageLine("--focus is empty: give a party's code or name, e.g. --focus JPN")
    if focus is None and _given(ctx, "depth"):
        raise _UsageLine("--depth counts agreements away from the --focus party: give --focus PARTY too")
    graph = _network(store_spec, update_url, graph_store_url, types, statuses, as_of)
    if focus is not None:
        graph = ego_network(graph, find_party(graph, focus), depth)
    if title is None:
        title = "Security cooperation agreements" + (f" as of {as_of}" if as_of else "")
    page = render_html(graph, title=title, positions=positions(graph, layout_name))
    _write_output(page.encode("utf-8"), output, _graph_counts(graph))


@cli.command("stats")
@_store_options
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="how many parties to rank")
@click.option("--json", "as_json", is_flag=True, help="print the figures as JSON")
def stats_cmd(store_spec, update_url, graph_store_url, top, as_json):
    """Counts by type and status, top parties by degree, conflicting agreements."""
    import json

    from kg.network import summary

    s = summary(_network(store_spec, update_url, graph_store_url), top=top)
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    click.echo(f"{_counted(s['parties'], 'party', 'parties')}, {_counted(s['agreements'], 'agreement', 'agreements')}, "
               f"{_counted(s['components'], 'connected group', 'connected groups')}")
    for heading, counts in (("By type", s["by_type"]), ("By status", s["by_status"])):
        click.echo(f"\n{heading}:")
        for name, count in counts.items():
            click.echo(f"  {name:<22} {count:>5}")
    click.echo("\nTop parties by degree:")
    width = max((len(p["name"]) for p in s["top_parties"]), default=0)
    for p in s["top_parties"]:
        agreements = _counted(p["agreements"], "agreement", "agreements", 3) + ","
        click.echo(f"  {p['party']:<6} {p['name']:<{width}}  {agreements:<15} {_counted(p['partners'], 'partner', 'partners', 3)}")
    click.echo(f"\nConflicts ({len(s['conflicts'])}):")
    for c in s["conflicts"]:
        click.echo(f"  {c['party_a']}-{c['party_b']} {c['agreement_type']}: {c['status']} "
                   f"(its sources report {', '.join(c['claimed'])})")
    if not s["conflicts"]:
        click.echo("  none")


@export_group.command("network")
@_store_options
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json"]), default="graphml",
              show_default=True, help="graphml (Gephi, Cytoscape), gexf (Gephi), json (D3 node-link)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of stdout ('-': stdout).")
@_filter_options
def export_network_cmd(store_spec, update_url, graph_store_url, fmt, output, types, statuses, as_of):
    """The party graph: parties as nodes, merged agreements (with their sources) as edges."""
    from kg.network import network_to_text

    graph = _network(store_spec, update_url, graph_store_url, types, statuses, as_of)
    _write_output(network_to_text(graph, fmt).encode("utf-8"), output, f"{_graph_counts(graph)} as {fmt}")


@cli.command("serve")
@click.option("--store", "store_spec", default="kg-store", show_default=True, envvar="KG_STORE",
              help="the store directory to serve (read-only); env KG_STORE")
@click.option("--bind", default="127.0.0.1:7878", show_default=True, metavar="HOST:PORT",
              help="the address to listen on (port 0: any free port)")
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
              help="stop each query after SECONDS (0: no limit)")
def serve_cmd(store_spec, bind, timeout):
    """Serve a store read-only over the SPARQL 1.1 protocol, with a query page and the network view.

    / is the query page, /query the SPARQL endpoint (kg query --store URL/query reads it), /view
    the network view. Updates are refused. Ctrl-C stops it.
    """
    from kg.serve import make_server

    server = make_server(store_spec, bind, timeout=timeout)
    with server:
        click.echo(f"serving {store_spec} read-only at {server.url} (SPARQL endpoint {server.url}query, "
                   f"network view {server.url}view); Ctrl-C stops it")
        sys.stdout.flush()
        if not server.loopback:
            _note(f"--bind {bind} is reachable from other machines: whoever reaches it can read the store")
        server.serve_forever()


def main() -> None:
    # A user gets kg's own one-line messages, not a library's warnings; -W or PYTHONWARNINGS
    # still shows them to whoever asks.
    if not sys.warnoptions:
        warnings.simplefilter("ignore")
    try:
        # Not click's standalone mode, which turns Ctrl-C into "Aborted!" with exit code 1.
        cli.main(prog_name="kg", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _err("interrupted")
        sys.exit(130)
    except click.UsageError as err:
        err.show()
        sys.exit(err.exit_code)
    except click.ClickException as err:
        _err(err.format_message())
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
