"""Extraction on a Dask cluster (``kg extract --dask``; the ``dask`` extra): the files as a Dask
bag, loaded and extracted on the workers, each partition written as one Parquet claim file
(:mod:`kg.claim_files`) that ``kg build --claims`` builds from.

Partitions are named by their first file's place in :func:`kg.parallel.file_tasks` order, so
reading the folder in name order gives the articles in the order one process gives them. The
folder appears whole or not at all: partitions go to a hidden folder beside it, renamed at the end.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.claim_files import ClaimStats, rows, write_parquet
from kg.errors import KgError
from kg.extract import Extractor
from kg.loaders import LoadError, error_reporter, no_date_note
from kg.parallel import FileTask, analyse_tasks, file_tasks, worker_count

#: Partitions per worker: enough to balance uneven files, few enough that each file is large.
PARTITIONS_PER_WORKER = 4


class ClusterError(KgError):
    """The cluster cannot be used (no dask installed, no scheduler at the address)."""


class ClaimTargetError(KgError):
    """An output folder kg will not write claims into."""


def extract_to_parquet(
    paths: Iterable[str | Path],
    out: str | Path,
    scheduler: str = "local",
    *,
    workers: int | None = None,
    on_error: Callable[[LoadError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> ClaimStats:
    """Load and extract every article under ``paths`` on a Dask cluster into Parquet files in
    the folder ``out``.

    Args:
        paths: files and folders, as for :func:`kg.loaders.load_paths`.
        out: the folder to write (created; a previous claims folder there is replaced).
        scheduler: ``local`` (a LocalCluster of ``workers`` processes on this machine) or a
            scheduler's address (``tcp://host:8786``) whose workers can read ``paths`` and
            write ``out`` at the same paths.
        workers: processes of a local cluster; None: one per core.
        on_error: called with each :class:`~kg.loaders.LoadError` (in file order, once the
            cluster is done); None: the first is raised.
        on_note: called with each note (an article without a publication date).

    Returns:
        the articles and claims written.
    """
    out = Path(out)
    _check_target(out)
    tasks = list(file_tasks(paths))
    files = [(i, task) for i, task in enumerate(tasks) if isinstance(task, FileTask)]
    partial = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    partial.mkdir(parents=True)
    try:
        with _client(scheduler, workers) as client:
            count = len(client.scheduler_info().get("workers", {})) or 1
            results = _run(files, partial, count * PARTITIONS_PER_WORKER)
        stats = _report(tasks, results, on_error, on_note)
        _replace(partial, out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return stats


def _run(files: list[tuple[int, FileTask]], folder: Path, partitions: int) -> list[tuple[int, Any]]:
    """The files as a bag over the cluster: each partition extracted and written by a worker."""
    import dask.bag as db

    if not files:
        return []
    bag = db.from_sequence(files, npartitions=min(len(files), partitions))
    return bag.map_partitions(_write_partition, str(folder)).compute()


def _write_partition(files: Iterable[tuple[int, FileTask]], folder: str) -> list[tuple[int, Any]]:
    """On a worker: load and extract a partition's files and write their rows as one Parquet
    file; for each file, ``(place, (errors, notes, stats))`` to report back."""
    table: list[dict[str, Any]] = []
    done: list[tuple[int, Any]] = []
    files = list(files)
    for (place, task), result in zip(files, analyse_tasks([task for _, task in files], _extractor())):
        stats = ClaimStats()
        notes = []
        for article, analysis in result.articles:
            assert analysis is not None
            stats.add(analysis)
            table += rows(article, analysis)
            if article.date is None:
                notes.append(no_date_note(task.path, article))
        done.append((place, (result.errors, notes, stats)))
    if done:
        write_parquet(table, Path(folder) / f"part.{done[0][0]:06d}.parquet")
    return done


@lru_cache(maxsize=1)
def _extractor() -> Extractor:
    """One extractor per worker process, made on its first partition."""
    return Extractor()


def _report(tasks: list[FileTask | LoadError], results: list[tuple[int, Any]],
            on_error: Callable[[LoadError], None] | None, on_note: Callable[[str], None] | None) -> ClaimStats:
    """Each file's errors and notes in file order (as one process reports them); the totals."""
    by_place = dict(results)
    stats = ClaimStats()
    report = error_reporter(on_error)
    for place, task in enumerate(tasks):
        errors: list[LoadError] = [task] if isinstance(task, LoadError) else []
        notes: list[str] = []
        if place in by_place:
            found, notes, file_stats = by_place[place]
            errors += [LoadError(*error) for error in found]
            stats.merge(file_stats)
        for err in errors:
            report(err)
        if on_note is not None:
            for note in notes:
                on_note(note)
    return stats


@contextlib.contextmanager
def _client(scheduler: str, workers: int | None) -> Iterator[Any]:
    """A distributed Client on a new LocalCluster (closed with the client) or at an address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--dask needs dask and distributed: pip install 'kg-pacts[dask]'") from None
    if scheduler == "local":
        # Only critical log lines from the cluster: kg reports what fails itself (a file's error,
        # a task's), and on Ctrl-C a worker whose heartbeat meets the stopped scheduler logs an
        # error with a traceback, which the user did nothing to cause.
        with _workers_ignore_ctrl_c():
            cluster = LocalCluster(n_workers=worker_count(workers or 0), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"--dask {scheduler}: cannot reach a Dask scheduler there ({err}); start one with "
                           "'dask scheduler' and give its address, e.g. tcp://host:8786, or use --dask local") from None
    with client:
        yield client


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start worker processes with Ctrl-C ignored (a process inherits that, and Python then
    leaves it so): Ctrl-C reaches the terminal's whole process group, and this process, which
    closes the cluster, is the one to handle it; a worker would die with a traceback. A Ctrl-C
    while the workers start is lost."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_target(out: Path) -> None:
    """``out`` must be new, empty, or a claims folder written before (only ``part.*.parquet``)."""
    if out.exists() and not out.is_dir():
        raise ClaimTargetError(f"{out}: is a file; with --dask, -o names a folder for the Parquet files")
    if out.is_dir() and any(not (p.name.startswith("part.") and p.suffix == ".parquet") for p in out.iterdir()):
        raise ClaimTargetError(f"{out}: holds other files than claim partitions; give a new or empty folder")


def _replace(partial: Path, out: Path) -> None:
    """The finished partitions become ``out`` (a claims folder there before is removed)."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        out.rename(old)
    partial.rename(out)
    if old is not None:
        shutil.rmtree(old)
