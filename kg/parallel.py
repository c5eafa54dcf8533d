"""Load and extract files in worker processes: the ``--jobs N`` of ``kg extract``, ``kg eval``
and ``kg build``.

The unit of work is a file, loaded and extracted in one worker (loading HTML costs about as
much as extracting it). Results come back in the order of :func:`kg.loaders.iter_files`, with
the file's load errors and notes, which the calling process reports in that order: N jobs give
the output of one. Workers ignore Ctrl-C; the calling process gets it and ends the pool.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.extract import Analysis, Extractor
from kg.gazetteer import Gazetteer
from kg.loaders import (
    LoadError,
    error_reporter,
    in_line_order,
    iter_files,
    load_file_with_errors,
    no_date_note,
    runs,
)
from kg.records import Article

#: How a pool starts its workers: from a server process that has imported kg (fast, and safe
#: while the calling process has threads: a store's, a progress bar's), where there is one.
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"

#: The most files a worker takes at once: enough that a small file costs little in messages,
#: few enough that the workers finish together.
MAX_CHUNK = 64


@dataclass(frozen=True)
class FileTask:
    """A file to read and the folder its articles' ``file`` is relative to (None: the file was
    named by the user)."""

    path: Path
    root: Path | None


@dataclass(frozen=True)
class FileResult:
    """What one file gave: its load errors as ``(path, reason, hint)`` (a
    :class:`~kg.loaders.LoadError` does not survive pickling), and each article with its
    analysis (None for an article skipped as known)."""

    errors: list[tuple[str, str, str]]
    articles: list[tuple[Article, Analysis | None]]


def worker_count(jobs: int) -> int:
    """The processes ``--jobs`` asks for: ``0`` is one per core this process may use.

    >>> worker_count(3)
    3
    >>> worker_count(0) >= 1
    True
    """
    if jobs > 0:
        return jobs
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def file_tasks(paths: Iterable[str | Path]) -> Iterator[FileTask | LoadError]:
    """The files under ``paths`` as :func:`kg.loaders.iter_files` orders them, each with the
    folder it was found in; a path that gives no file is its :class:`~kg.loaders.LoadError`."""
    for given in paths:
        root = Path(given) if Path(given).is_dir() else None
        for item in iter_files([given]):
            yield item if isinstance(item, LoadError) else FileTask(item, root)


def analyse_tasks(tasks: Iterable[FileTask], extractor: Extractor, skip: Collection[str] = ()) -> Iterator[FileResult]:
    """Load each file and analyse its articles, except those whose id is in ``skip``: each file's
    result, in order. A run of files is loaded before it is analysed, as
    :func:`kg.loaders.load_paths` does (:func:`kg.loaders.runs`)."""
    loaded = (load_file_with_errors(task.path, task.root) for task in tasks)
    for run in runs(loaded, lambda file: sum(len(article.text) for article in file[1])):
        for file in run:
            yield _analysed(file, extractor, skip)


def _analysed(loaded: tuple[list[LoadError], list[Article]], extractor: Extractor, skip: Collection[str]) -> FileResult:
    errors, articles = loaded
    return FileResult(
        [(err.path, err.reason, err.hint) for err in errors],
        [(article, None if article.id in skip else extractor.analyse(article)) for article in articles],
    )


def analyse_files(
    paths: Iterable[str | Path],
    jobs: int = 1,
    *,
    on_error: Callable[[LoadError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    gazetteer: Gazetteer | None = None,
    skip: Collection[str] = (),
) -> Generator[tuple[Article, Analysis | None], None, None]:
    """Load every article under ``paths`` and analyse it, in ``jobs`` processes.

    Args:
        paths: files and folders, as for :func:`kg.loaders.load_paths`.
        jobs: worker processes; 1 runs in this process, 0 uses every core.
        on_error: called with each :class:`~kg.loaders.LoadError`, after which the rest goes
            on. None: the first one is raised.
        on_note: called once per article without a publication date, as by
            :func:`kg.loaders.load_paths`.
        gazetteer: the parties to find; None: the packaged gazetteer.
        skip: article ids not to analyse (a build's known articles): they come with None.

    Yields:
        ``(article, analysis)`` in the order :func:`kg.loaders.load_paths` gives the articles.
    """
    tasks = list(file_tasks(paths))
    files = [task for task in tasks if isinstance(task, FileTask)]
    results = _results(files, worker_count(jobs), gazetteer, frozenset(skip))
    report = error_reporter(on_error)
    try:
        for task in tasks:
            if isinstance(task, LoadError):
                report(task)
                continue
            result = next(results)
            errors = [LoadError(path, reason, hint) for path, reason, hint in result.errors]
            for item in in_line_order(errors, result.articles, lambda pair: pair[0]):
                if isinstance(item, LoadError):
                    report(item)
                    continue
                article, analysis = item
                if on_note is not None and article.date is None:
                    on_note(no_date_note(task.path, article))
                yield article, analysis
    finally:
        results.close()  # ends the pool now, whether the caller stopped early or Ctrl-C came


def extract_paths(
    paths: Iterable[str | Path],
    jobs: int = 1,
    *,
    on_error: Callable[[LoadError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Generator[tuple[Article, Analysis], None, None]:
    """:func:`kg.extract.extract_paths` in ``jobs`` processes (see :func:`analyse_files`)."""
    with contextlib.closing(analyse_files(paths, jobs, on_error=on_error, on_note=on_note, gazetteer=gazetteer)) as analysed:
        for article, analysis in analysed:
            assert analysis is not None  # nothing is skipped
            yield article, analysis


def _results(files: list[FileTask], workers: int, gazetteer: Gazetteer | None,
             skip: frozenset[str]) -> Generator[FileResult, None, None]:
    """Each file's result, in order: here for one worker (or one file), else from a pool."""
    if min(workers, len(files)) <= 1:
        yield from analyse_tasks(files, Extractor(gazetteer), skip)
        return
    workers = min(workers, len(files))
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(["kg._preload", __name__])
    chunk = max(1, min(MAX_CHUNK, len(files) // (workers * 8)))
    chunks = [files[i:i + chunk] for i in range(0, len(files), chunk)]
    # Leaving the block (done, closed early, Ctrl-C) terminates the workers. A Ctrl-C while the
    # pool starts them waits until the block is entered: a worker left behind by a pool cut off
    # half made would start after this process ended and fail with a traceback.
    mask = _hold_interrupts()
    try:
        pool = context.Pool(workers, initializer=_start_worker, initargs=(gazetteer, skip))
    except BaseException:
        _release_interrupts(mask)
        raise
    with pool:
        _release_interrupts(mask)  # a Ctrl-C held back is raised here, and the block ends the workers
        for results in pool.imap(_work, chunks):
            yield from results


def _hold_interrupts() -> set[int | signal.Signals] | None:
    """Block Ctrl-C (SIGINT) in this thread; the mask to restore (None where signals cannot be
    masked)."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hasattr(signal, "pthread_sigmask") else None


def _release_interrupts(mask: set[int | signal.Signals] | None) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


# The worker's side: its extractor and the ids to skip, set once when it starts.
_worker: tuple[Extractor, frozenset[str]] | None = None


def _start_worker(gazetteer: Gazetteer | None, skip: frozenset[str]) -> None:
    # Ctrl-C reaches every process of the terminal's group: the calling process ends the pool,
    # a worker must not die on its own with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker
    _worker = (Extractor(gazetteer), skip)


def _work(tasks: list[FileTask]) -> list[FileResult]:
    assert _worker is not None, "a worker is started by _start_worker"
    return list(analyse_tasks(tasks, *_worker))
