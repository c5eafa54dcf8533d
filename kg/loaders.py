"""Files -> Article: plain text, Markdown, HTML and JSON Lines, with date, source URL and clean text.

The loaders find article files (:func:`iter_files`), decode them whatever their encoding, read
the metadata news files carry (header lines, a dated URL path, HTML metadata), cut the page
clutter a pasted web page drags along, and hand back :class:`~kg.records.Article` records.
Anything a user can get wrong (a missing path, an empty, binary or huge file, a FIFO or device
in a folder, a bad JSON line) becomes a :class:`LoadError` whose message is one line naming the
file. Hostile input that can still be read is made safe instead: a file name that is not UTF-8
shows its odd bytes as ``\\xff`` (:func:`printable_name`), a lone surrogate escaped in JSON
Lines becomes U+FFFD, and a publication date no news article can have (year 1, year 9999) is
not taken as one (:func:`plausible_date`).

Example:
    >>> a = load_text("# Alpha and Beta sign pact\\ndate: 2024-06-19\\n\\nAlpha and Beta signed a pact.")
    >>> a.title, a.date.isoformat(), a.text
    ('Alpha and Beta sign pact', '2024-06-19', 'Alpha and Beta signed a pact.')
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple, TypeVar

from kg.errors import KgError
from kg.records import Article
from kg.text import BIDI_CONTROL_RANGES, caseless, trie_pattern

#: Extensions read when walking a folder, and the format each one is read as.
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

#: File stems skipped when walking a folder (a corpus folder's own documentation is not news);
#: a file named explicitly is read all the same.
SKIPPED_STEMS: tuple[str, ...] = ("readme", "license", "licence", "changelog", "contributing", "notice")

#: Largest file read, in bytes. A 50 MB text loads in about a second; beyond this we refuse
#: rather than hold hundreds of megabytes for what cannot be one news article.
MAX_BYTES: int = 64 * 1024 * 1024
#: Longest clean text one article may have. News articles are a few kB; a text file far longer
#: is a dump of many articles, which extraction would read as one (and slowly).
MAX_ARTICLE_CHARS: int = 5_000_000

#: Headings that open the tail of a web page pasted around a story (case-insensitive, the whole
#: line). Everything from the first one to the end is cut, if it comes after CLUTTER_MIN_FRACTION
#: of the text.
CLUTTER_HEADINGS: tuple[str, ...] = (
    "top stories",
    "top story",
    "most watched",
    "most watched today",
    "most viewed",
    "most read",
    "most popular",
    "popular now",
    "popular stories",
    "trending",
    "trending now",
    "trending stories",
    "more videos",
    "more stories",
    "more news",
    "more from this section",
    "related",
    "related stories",
    "related articles",
    "related content",
    "related coverage",
    "related news",
    "related topics",
    "related links",
    "read more",
    "read next",
    "what to read next",
    "recommended",
    "recommended for you",
    "recommended stories",
    "you may also like",
    "you might also like",
    "you may have missed",
    "latest news",
    "latest stories",
    "latest videos",
    "editor's picks",
    "editors' picks",
    "submit a correction",
    "report a correction or typo",
    "report an error",
    "accessibility feedback",
    "share this article",
    "share this story",
    "comments",
    "leave a comment",
    "join the conversation",
)

#: Line prefixes that open the same tail ('Sign up for our daily newsletter').
CLUTTER_PREFIXES: tuple[str, ...] = ("sign up for", "subscribe to", "follow us on", "download our app")

#: Clutter is only cut after this fraction of the text: a heading earlier than that is more
#: likely part of a short story than the start of the page's tail.
CLUTTER_MIN_FRACTION: float = 0.2

#: How many non-empty lines at the top of a text are searched for header lines.
HEADER_LINES: int = 15

#: Header keys giving the source URL / the title.
URL_KEYS: tuple[str, ...] = ("source", "url", "link", "source url", "original url", "canonical")
TITLE_KEYS: tuple[str, ...] = ("title", "headline")
#: Header keys giving the publication date, and the ones that only say when it was changed.
DATE_KEYS: tuple[str, ...] = (
    "date",
    "dated",
    "posted",
    "posted on",
    "published",
    "published on",
    "first published",
    "publication date",
    "date published",
    "pub date",
)
UPDATED_KEYS: tuple[str, ...] = ("updated", "updated on")
#: Changed-on lines: metadata to drop, but never the publication date.
IGNORED_DATE_KEYS: tuple[str, ...] = ("last updated", "last modified", "modified", "last update")
#: Values that say the date is not known.
UNKNOWN_VALUES: frozenset[str] = frozenset({"unknown", "n/a", "na", "none", "null", "-", "?", "not known"})

#: What the note about an article with no publication date says after the file's name: the
#: extractor resolves 'on Tuesday' against the publication date, so without one it cannot.
NO_DATE_NOTE: str = 'no publication date found; relative dates ("on Tuesday", "last month") left unresolved'

#: Share of control characters (in a decoded sample) above which a file is taken as binary.
MAX_CONTROL_RATIO: float = 0.01

#: The earliest publication date taken as one, and how far ahead of today the latest may be.
#: A header date outside them ('date: 0001-01-01', a placeholder or a typo) is metadata that
#: gives no date: the article loads without one (and gets the :data:`NO_DATE_NOTE`); in JSON
#: Lines such a "date" is a bad line, like any other value that is not a date.
EARLIEST_DATE: dt.date = dt.date(1900, 1, 1)
LATEST_AHEAD: dt.timedelta = dt.timedelta(days=366)


class LoadError(KgError):
    """A file that cannot be read as an article.

    ``str(e)`` is one line: ``'<path>: <reason>; <what to do>'``.

    Attributes:
        path: the file (``file:LINE`` for a line of a JSON Lines file), as the user gave it.
        reason: what is wrong.
        hint: what to do about it.
    """

    def __init__(self, path: str | Path, reason: str, hint: str = "") -> None:
        self.path = printable_name(path)
        self.reason = _one_line(reason)
        self.hint = _one_line(hint)
        message = f"{self.path}: {self.reason}"
        if self.hint:
            message += f"; {self.hint}"
        super().__init__(message)


def error_reporter(on_error: Callable[[LoadError], None] | None) -> Callable[[LoadError], None]:
    """What reports a load error where a caller takes ``on_error``: that callable, or for None
    one that raises the error (the first error ends the run)."""
    return on_error if on_error is not None else _raise


def _raise(err: LoadError) -> None:
    raise err


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable_name(path: str | Path) -> str:
    """A file name or path as text that UTF-8 can hold (a CSV cell, an RDF literal, a terminal).

    Python keeps a byte of a file name that is not UTF-8 as a lone surrogate, which no UTF-8
    writer accepts; here such a byte shows as ``\\xff``, so two names differing in it stay
    apart and the user sees what ``ls -b`` shows.

    >>> printable_name(os.fsdecode(b"story\\xff.txt"))
    'story\\\\xff.txt'
    """
    name = str(path)
    if _SURROGATE.search(name) is None:  # the usual case
        return name
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode(sys.getfilesystemencoding(), "backslashreplace")


# --------------------------------------------------------------------------------------------
# Finding files


class _Source(NamedTuple):
    """A file to read.

    Attributes:
        path: the path, written as ``str(Path(...))`` writes it (a Path costs more to make
            than reading a small file).
        name: the name its ``Article.file`` gets: the path relative to the folder the user
            gave, or the bare file name.
        folder: the folder :func:`os.walk` found it in, as it gives it; None for a file named
            by the user (then ``base`` and ``fmt`` are empty).
        base: the file's name in that folder.
        fmt: the format its extension says (:data:`EXTENSIONS`).
    """

    path: str
    name: str
    folder: str | None = None
    base: str = ""
    fmt: str = ""


def _walk(folder: Path) -> Iterator[_Source | LoadError]:
    errors: list[OSError] = []
    found: list[_Source] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        prefix: str | None = None
        for name in filenames:
            if name.startswith(".") or name.endswith("~"):
                continue
            stem, ext = os.path.splitext(name)
            fmt = EXTENSIONS.get(ext.lower())
            if fmt is None or stem.lower() in SKIPPED_STEMS:
                continue
            if prefix is None:  # once per folder: pathlib is slow
                base = Path(dirpath)
                relative = base.relative_to(folder).as_posix()
                prefix = "" if relative == "." else relative + "/"
                first = str(base / name)
                path_prefix = first[: len(first) - len(name)]  # str(base / any name): it and the name
            # (A name with an extension of EXTENSIONS has that extension as Path.suffix too.)
            found.append(_Source(path_prefix + name, prefix + name, dirpath, name, fmt))
    for err in errors:
        where = err.filename or folder
        if isinstance(err, PermissionError):
            yield LoadError(where, "permission denied", "check the folder's permissions")
        else:
            yield LoadError(where, f"cannot list folder ({err.strerror or err})", "check the path")
    if not found and not errors:
        yield LoadError(
            folder,
            "no article files in this folder",
            "add .txt, .md, .html or .jsonl files, or name the files explicitly",
        )
    # By relative path, which no two files share.
    found.sort(key=lambda source: source.name)
    yield from found


def _iter_sources(paths: Iterable[str | Path]) -> Iterator[_Source | LoadError]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield _Source(str(path), path.name)
        elif path.is_symlink():
            yield LoadError(path, "broken symbolic link", "fix or remove the link")
        else:
            yield LoadError(path, "no such file or directory", "check the path")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadError]:
    """Yield the article files under ``paths``, in a stable order.

    Folders are read recursively (sorted by relative path), picking files with an article
    extension (:data:`EXTENSIONS`) and skipping hidden files and folders and the folder's own
    documentation (:data:`SKIPPED_STEMS`: README.md, ...); a file named explicitly is read
    whatever its extension. Paths keep the order they were given in.

    Args:
        paths: files and folders.

    Yields:
        each file's path, or a :class:`LoadError` for a missing path, a folder that cannot be
        listed or holds no article file.
    """
    for item in _iter_sources(paths):
        yield item if isinstance(item, LoadError) else Path(item.path)


def load_paths(
    paths: Iterable[str | Path],
    on_error: Callable[[LoadError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> Iterator[Article]:
    """Yield the articles of every file under ``paths``.

    Args:
        paths: files and folders, as for :func:`iter_files`.
        on_error: called with each :class:`LoadError` (a bad file, a bad JSON line), after
            which loading goes on with the rest. None: the first error is raised.
        on_note: called once per article that loads but lacks something a user should know
            of, with a one-line note naming the file as the user gave it
            (``'<path>: no publication date found; ...'``, see :data:`NO_DATE_NOTE`).

    Yields:
        articles, files in the order of :func:`iter_files`, lines in file order; each file's
        errors and notes reported just before its articles, as they come. Up to
        :data:`READ_AHEAD` articles are loaded before the first of them is yielded, from the
        files of one folder, or of all ``paths`` when they are a list or tuple: an iterator of
        paths is never read ahead of the article it has given.
    """
    report = error_reporter(on_error)
    folders: dict[str, str] = {}  # each walked folder's real path, resolved once in this run
    groups = [paths] if isinstance(paths, (list, tuple)) else ([given] for given in paths)
    for group in groups:
        for run in runs((_loaded(item, folders) for item in _iter_sources(group)), _chars):
            for errors, articles, source in run:
                for item in in_line_order(errors, articles, lambda article: article):
                    if isinstance(item, LoadError):
                        report(item)
                        continue
                    if on_note is not None and item.date is None:
                        on_note(no_date_note(source, item))
                    yield item


def in_line_order(errors: list[LoadError], items: list[T], article: Callable[[T], Article]) -> list[LoadError | T]:
    """A file's errors and its articles (``items``, each holding the ``article``) in the order of
    their lines, for a JSON Lines file whose good and bad records alternate; any other file's
    errors come first (a file that fails has no article)."""
    if not errors or not items:
        return [*errors, *items]
    keyed: list[tuple[int, int, LoadError | T]] = [(_line_of(err.path), i, err) for i, err in enumerate(errors)]
    keyed += [(_line_of(article(item).file), len(errors) + i, item) for i, item in enumerate(items)]
    return [x for _, _, x in sorted(keyed, key=lambda k: k[:2])]


def _line_of(where: str) -> int:
    """The line a JSON Lines record's name ('feed.jsonl#3') or its error's path ('feed.jsonl:3')
    ends with; 0 for a whole file."""
    tail = where.rsplit("#", 1)[-1].rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def runs(items: Iterable[T], chars: Callable[[T], int]) -> Iterator[list[T]]:
    """``items`` in consecutive runs of :data:`READ_AHEAD`, or fewer when they reach
    :data:`READ_AHEAD_CHARS` by ``chars``."""
    run: list[T] = []
    total = 0
    for item in items:
        run.append(item)
        total += chars(item)
        if len(run) >= READ_AHEAD or total >= READ_AHEAD_CHARS:
            yield run
            run, total = [], 0
    if run:
        yield run


T = TypeVar("T")

#: Articles loaded in a run before any is yielded (and at most this many characters of them):
#: loading and extracting then each run over a batch of articles with their code and data in the
#: processor's caches, instead of taking turns article by article (load + extract of
#: benchmarks/bench_extract.py: about 7% less CPU time for text, 9% for web pages).
READ_AHEAD = 32
READ_AHEAD_CHARS = 2_000_000

#: One source as loaded: its errors (a bad file, bad JSON lines), its articles and its path.
_Loaded = tuple[list[LoadError], list[Article], str]


def _loaded(item: _Source | LoadError, folders: dict[str, str] | None) -> _Loaded:
    if isinstance(item, LoadError):
        return [item], [], str(item.path)
    errors: list[LoadError] = []
    try:
        articles = _load_file(item, folders, errors.append)
    except LoadError as err:
        errors.append(err)
        articles = []
    return errors, articles, item.path


def _chars(loaded: _Loaded) -> int:
    return sum(len(article.text) for article in loaded[1])


def is_bad_record(error: Exception) -> bool:
    """Whether a load error is that of one record of a JSON Lines file, named as its line
    (``feed.jsonl:3``): the file's other records still load.

    >>> is_bad_record(LoadError("news/feed.ndjson:3", "not valid JSON", "write one JSON object per line"))
    True
    >>> is_bad_record(LoadError("news/feed.jsonl", "empty file", "remove it or add the article text"))
    False
    """
    file, colon, line = str(getattr(error, "path", "")).rpartition(":")
    return bool(colon) and line.isdigit() and EXTENSIONS.get(Path(file).suffix.lower()) == "jsonl"


def no_date_note(path: str | Path, article: Article) -> str:
    """The note for an article without a publication date: the file as the user gave it, with
    the line of a JSON Lines record ('a.jsonl:3'), and :data:`NO_DATE_NOTE`."""
    _, hash_, line = article.file.rpartition("#")
    jsonl = EXTENSIONS.get(Path(path).suffix.lower()) == "jsonl"
    where = printable_name(path)
    return f"{where}:{line}: {NO_DATE_NOTE}" if jsonl and hash_ and line.isdigit() else f"{where}: {NO_DATE_NOTE}"


# --------------------------------------------------------------------------------------------
# Reading one file


def load_file(
    path: str | Path,
    root: Path | None = None,
    *,
    on_error: Callable[[LoadError], None] | None = None,
) -> list[Article]:
    """Read one file into articles (one, or one per line of a JSON Lines file).

    Args:
        path: the file.
        root: the folder the user gave; ``Article.file`` is relative to it. None: the bare
            file name.
        on_error: for JSON Lines, called with the :class:`LoadError` of each bad line while
            the good lines still load. None: a bad line raises.

    Returns:
        the file's articles, each with its ``path``: the file's absolute path, symbolic links
        resolved (and ``#LINE`` for a JSON Lines record), which keys the article of this file
        in a store whichever folder the file was named through.

    Raises:
        LoadError: the file cannot be read as an article (missing, unreadable, not a
            regular file (a FIFO, socket or device: refused before it is opened), too large,
            empty, binary, no article text).
    """
    return _load_file(_named(path, root), None, on_error)


def load_file_with_errors(path: str | Path, root: Path | None = None) -> tuple[list[LoadError], list[Article]]:
    """:func:`load_file`, its errors returned rather than raised: those of the file (then it has
    no article) or of its bad JSON Lines records, and its articles."""
    errors, articles, _ = _loaded(_named(path, root), None)
    return errors, articles


def _named(path: str | Path, root: Path | None) -> _Source:
    """The source of a file :func:`load_file` is given."""
    path = Path(path)
    return _Source(str(path), path.relative_to(root).as_posix() if root is not None else path.name)


def _load_file(
    source: _Source, folders: dict[str, str] | None, on_error: Callable[[LoadError], None] | None
) -> list[Article]:
    """:func:`load_file` of a source; ``folders`` keeps the real path of each folder a walk
    found a file in, which then need not be resolved again for each of its files."""
    path = source.path
    name = printable_name(source.name)
    data, is_link = _read_bytes(path)
    text = _decode(data, path)
    if not text or text.isspace():  # not text.strip(), without copying the text
        raise LoadError(path, "empty file", "remove it or add the article text")
    fmt = _format_of(source.fmt or EXTENSIONS.get(Path(path).suffix.lower(), "text"), text)
    if is_link or source.folder is None or folders is None:
        where = printable_name(os.path.realpath(path))
    else:
        # The real path of a file that is no symbolic link is its folder's and its name.
        real_folder = folders.get(source.folder)
        if real_folder is None:
            real_folder = folders[source.folder] = os.path.realpath(source.folder)
        where = printable_name(os.path.join(real_folder, source.base))
    if fmt == "jsonl":
        return _load_jsonl(text, path, name, where, on_error)
    try:
        return [_text_article(text, name, None, None, fmt, where)]
    except LoadError as err:
        # load_text names the article; the user needs the file's path as they typed it.
        raise LoadError(path, err.reason, err.hint) from None


def _read_bytes(path: str | Path) -> tuple[bytes, bool]:
    """The file's bytes, and whether ``path`` is a symbolic link."""
    try:
        # lstat, not stat: as fast, and it tells a link (then followed) from a file.
        status = os.lstat(path)
        is_link = stat.S_ISLNK(status.st_mode)
        if is_link:
            status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise LoadError(path, "is a folder, not a file", "name a file or the folder itself")
        if not stat.S_ISREG(status.st_mode):
            # A FIFO would block the read until something writes to it; a device never ends.
            raise LoadError(path, f"not a regular file ({_kind_of(status.st_mode)})", "give a regular file")
        size = status.st_size
        if size > MAX_BYTES:
            raise LoadError(
                path,
                f"file too large ({size / 2**20:.0f} MB, the limit is {MAX_BYTES // 2**20} MB)",
                "split it into one file per article",
            )
        # Non-blocking: should the file become a FIFO after the check, the read ends at once.
        # os.open and os.read rather than open(): a buffered file object costs more than the read.
        fd = _open_nonblocking(os.fspath(path), os.O_RDONLY)
        try:
            # The size it has and a byte more: read(MAX_BYTES + 1) would allocate 64 MB for every
            # file. One that grew since the check is read on, to the limit as before.
            data = _read_up_to(fd, size + 1)
            if len(data) > size:
                data += _read_up_to(fd, MAX_BYTES + 1 - len(data))
        finally:
            os.close(fd)
        return data, is_link
    except PermissionError:
        raise LoadError(path, "permission denied", "check the file's permissions") from None
    except FileNotFoundError:
        raise LoadError(path, "no such file or directory", "check the path") from None
    except IsADirectoryError:
        raise LoadError(path, "is a folder, not a file", "name a file or the folder itself") from None
    except OSError as err:
        raise LoadError(path, f"cannot read ({err.strerror or err})", "check the file") from None


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))


def _read_up_to(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the file (or of what a FIFO has now)."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        try:
            chunk = os.read(fd, left)
        except BlockingIOError:  # a FIFO with nothing written yet
            break
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "a special file")


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY = ("binary file, not text", "give a text, Markdown, HTML or JSON Lines file")


def _decode(data: bytes, path: str | Path) -> str:
    """Bytes -> str: a BOM, then strict UTF-8, then charset-normalizer's best guess."""
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                reason = f"not valid {encoding} despite its byte-order mark"
                raise LoadError(path, reason, _BINARY[1]) from None
            break
    if text is None:
        sample = data[:65536]
        if b"\x00" in sample:
            text = _decode_utf16_without_bom(data)
            if text is None:
                raise LoadError(path, *_BINARY)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = _guess_decode(data)
                if text is None:
                    raise LoadError(path, *_BINARY) from None
    if _looks_binary(text):
        raise LoadError(path, *_BINARY)
    return text


def _decode_utf16_without_bom(data: bytes) -> str | None:
    # UTF-16 text of a Latin-script language has a NUL in every other byte; other binary
    # data has them scattered.
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd > 0.3 * half and even == 0:
        encoding = "utf-16-le"
    elif even > 0.3 * half and odd == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _guess_decode(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    text = str(best)
    # On a short Western text charset-normalizer cannot tell cp1252 from its neighbours
    # (cp1250, cp1257) and may pick one that turns 'à' into 'ŕ'. News files in a legacy
    # single-byte encoding are most often Windows-1252, so it wins a tie: same chaos and
    # no more stray symbols ('³' inside a word is Polish 'ł' read as cp1252).
    if best.encoding != "cp1252":
        for match in matches:
            if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01:
                other = str(match)
                if _stray_symbols(other) <= _stray_symbols(text):
                    return other
    return text


#: Non-ASCII punctuation a news text has; any other non-letter is a sign of a wrong code page.
_TYPOGRAPHY = frozenset("‘’‚“”„–—…•€£¥©®°±·«»¡¿§¶×÷")


def _stray_symbols(text: str) -> int:
    return sum(1 for ch in text if ch > "\x7f" and not ch.isalpha() and ch not in _TYPOGRAPHY)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")


#: The characters of _CONTROL that ASCII has, as bytes: an ASCII text counts them faster by deleting them.
_ASCII_CONTROLS = bytes(c for c in range(128) if _CONTROL.match(chr(c)))


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    if sample.isascii():
        raw = sample.encode("ascii")
        controls = len(raw) - len(raw.translate(None, _ASCII_CONTROLS))
    else:
        controls = len(_CONTROL.findall(sample))
    return controls / len(sample) > MAX_CONTROL_RATIO


def _format_of(fmt: str, text: str) -> str:
    """The format a file is read as, from the one its extension says and its text."""
    if fmt == "text" and _HTML_START.match(text):
        # A page saved as .txt (or with no extension) is still a page.
        return "html"
    return fmt


_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S
)


# --------------------------------------------------------------------------------------------
# Building an article from text


def load_text(
    text: str,
    file: str = "<text>",
    url: str | None = None,
    date: dt.date | None = None,
    fmt: str = "text",
) -> Article:
    """Build one article from a string.

    Args:
        text: the file's content.
        file: the name ``Article.file`` gets.
        url: the source URL; overrides one found in the text.
        date: the publication date; overrides one found in the text.
        fmt: ``"text"``, ``"markdown"`` or ``"html"``.

    Returns:
        the article, its metadata read from the text (header lines, URL, HTML metadata).

    Raises:
        LoadError: nothing is left of the text once metadata and clutter are removed.
    """
    return _text_article(text, file, url, date, fmt, "")


def _text_article(text: str, file: str, url: str | None, date: dt.date | None, fmt: str, path: str) -> Article:
    """:func:`load_text`, the article's ``path`` given (no second Article made to set it)."""
    if fmt not in ("text", "markdown", "html"):
        raise ValueError(f"unknown format {fmt!r}; use text, markdown or html")
    if not text or text.isspace():
        raise LoadError(file, "empty file", "remove it or add the article text")
    if fmt == "html":
        meta = _read_html(text)
    else:
        meta = _read_plain(_normalise(text), markdown=fmt == "markdown")
    if url is not None:
        meta.url = url
    if date is not None:
        meta.date = date
    if meta.date is None and meta.url:
        meta.date = date_from_url(meta.url)
    if meta.date is None and fmt == "html":
        # No date in the page's markup or URL: a byline or dateline atop the story may say.
        meta.date = _publication_date(_top_dates(meta.body), meta.url)
    body = _tidy(_cut_clutter(meta.body))
    if not body:
        raise LoadError(file, "no article text", "check that the file holds the article itself")
    if len(body) > MAX_ARTICLE_CHARS:
        raise LoadError(
            file,
            f"too long for one article ({len(body) / 1e6:.0f} million characters, the limit is "
            f"{MAX_ARTICLE_CHARS / 1e6:.0f} million)",
            "split it into one file per article, or one JSON Lines record per article",
        )
    return _article(file, body, meta.title, meta.date, meta.url, path)


def make_article(
    file: str, text: str, title: str = "", date: dt.date | None = None, url: str | None = None
) -> Article:
    """An Article whose id is the hash of its clean text, title, date and URL."""
    return _article(file, text, title, date, url, "")


def _article(file: str, text: str, title: str, date: dt.date | None, url: str | None, path: str) -> Article:
    key = "\x1f".join((text, title, date.isoformat() if date else "", url or ""))
    return Article(hashlib.sha256(key.encode("utf-8")).hexdigest()[:16], file, title, date, url, text, path)


@dataclass
class _Meta:
    body: str
    title: str = ""
    date: dt.date | None = None
    url: str | None = None


# Spaces that are not ' ' become ' '; invisible characters go; every line break becomes '\n'.
# (Regexes, not str.translate: translate with a dict runs per character in Python.)
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters, soft hyphens, and the bidirectional controls of kg.text.BIDI_CONTROLS.
_INVISIBLE = re.compile(f"[\u200b\u2060\ufeff\u00ad{BIDI_CONTROL_RANGES}]")
_ODD_BREAKS = re.compile("[\u2028\u2029\x85\x0b\x0c]")
_ANY_ODD = re.compile(
    "[\r\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u200b\u2060\ufeff\u00ad\u2028\u2029\x85\x0b\x0c"
    f"{BIDI_CONTROL_RANGES}]"
)
#: Those of them ASCII has ('\r', '\t', ...): searched for one by one in an ASCII text, faster.
_ASCII_ODD = "".join(chr(c) for c in range(128) if _ANY_ODD.match(chr(c)))


def _normalise(text: str) -> str:
    """NFC, '\\n' line ends, plain spaces; quotes and dashes are kept as they are."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    odd = any(c in text for c in _ASCII_ODD) if text.isascii() else _ANY_ODD.search(text) is not None
    if not odd:  # the usual case: one scan (of an ASCII text, a few character searches) instead of four
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD_BREAKS.sub("\n", text)
    text = _ODD_SPACES.sub(" ", text)
    return _INVISIBLE.sub("", text)


_SPACES = re.compile(r" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
# _tidy's guards. A regex search for a literal is about twice as fast as the 'in' test of a
# short string (and _SPACES, which starts with no literal, ten times slower).
_DOUBLE_SPACE = re.compile("  ")
# What _tidy has to do at a line break: a space before or after it, or two blank lines.
_LINE_EDGE_WORK = re.compile(r"\n(?:(?<= \n)| |\n\n)")


def _tidy(text: str) -> str:
    """One space between words, no spaces at line ends, at most one blank line between paragraphs."""
    # Guarded and line-wise rather than one multiline regex: a 50 MB file must stay fast.
    if _DOUBLE_SPACE.search(text) is not None:
        text = _SPACES.sub(" ", text)
    # Squeezing spaces gives no line a space at its edge that it had not, nor a blank line.
    if _LINE_EDGE_WORK.search(text) is not None or text[:1] == " " or text[-1:] == " ":
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
        if "\n\n\n" in text:
            text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


# Each line pattern starts with a literal '\n' (searched in '\n' + text) rather than using
# re.M's '^': the regex engine then skips ahead to line breaks, which keeps big files fast.
# The headings and prefixes as tries (kg.text.trie_pattern): re then tries the few that start
# with a line's first letter, not all fifty in turn at every line.
_CLUTTER_LINE = re.compile(
    r"\n[ \t]*(?:"
    + trie_pattern(CLUTTER_HEADINGS)
    + r"[ \t]*:?|"
    + trie_pattern(CLUTTER_PREFIXES)
    + r"\b[^\n]{0,80})[ \t]*(?=\n|$)",
    re.I,
)
#: The same for an ASCII text's lowercased copy, without re.I (kg.text.caseless): under re.I the
#: engine tries every heading at every line break, without it only those with the line's letter.
_CLUTTER_LINE_LOWERED = caseless(_CLUTTER_LINE.pattern)


def _cut_clutter(text: str) -> str:
    """Cut the page tail from the first clutter heading after the first fifth of the text."""
    start = int(len(text) * CLUTTER_MIN_FRACTION)
    if _CLUTTER_LINE_LOWERED is not None and text.isascii():  # lowering keeps its offsets
        match = _CLUTTER_LINE_LOWERED.search("\n" + text.lower(), start)
    else:
        match = _CLUTTER_LINE.search("\n" + text, start)
    return text if match is None else text[: match.start()]


# ---- plain text and Markdown ----------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]", re.I)
_KEY_VALUE = re.compile(r"^([A-Za-z][A-Za-z' ]{0,20}?)\s*:\s*(.*)$")
#: Key words that open a header line without a colon ('Posted June 19, 2024').
_SPACE_KEYS: tuple[str, ...] = ("date", "dated", "posted", "published", "updated", "last updated")
_KEY_SPACE = re.compile(rf"^({'|'.join(_SPACE_KEYS)})\s+(.*)$", re.I)
#: The letters such a line starts with, either case (no other character matches them under re.I).
_SPACE_KEY_STARTS = frozenset(k[0] for k in _SPACE_KEYS) | frozenset(k[0].upper() for k in _SPACE_KEYS)
# An ISO date, maybe with a time and a zone ('09:30 JST'), and the rest of the line
# ('2024-06-19 Japan and ...'). A zone name is only read after a time, and only one ending in
# T or UTC, so '2024-06-19 US and Japan ...' keeps its 'US'.
_ISO_START = re.compile(
    r"^(\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}|\s*\b(?:[A-Z]{1,4}T|UTC)\b)?)?"
    r"(?:\s+|$)(.*)$",
    re.S,
)
# A year: '\b(?:1[89]|20)\d{2}\b', with the word boundary before it written as a look-behind
# after the digits, so that the search skips ahead to a '1' or a '2' (about three times faster).
_YEAR = re.compile(r"(?:1[89]|20)\d{2}(?<!\w.{4})\b")
_ARTICLE_SOURCE = re.compile(r"\n[ \t]*article source[ \t]*:?[ \t]*(\S*)[ \t]*(?=\n|$)", re.I)

#: Italic, byline and dateline dates are only read from lines that start within this many
#: characters of the body (header lines not counted): lower down, a date belongs to the story.
TOP_CHARS: int = 600

# '*April 3, 2025*', '_3 April 2025_' alone on a line (the inner text must be wholly a date).
_ITALIC_LINE = re.compile(r"^(\*{1,2}|_{1,2})(?=\S)(.{4,60}?)(?<=\S)\1$")
# A byline: 'By Jane Doe | Published: 12 March 2024', 'Jakarta Post - October 23, 2020'. Split
# into parts at '|', '·', '•' or a spaced dash; a part may carry a key word before its date.
_BYLINE_SEPARATOR = re.compile(r"\s*[|·•]\s*|\s+[-–—]+\s+")
_BYLINE_KEY = re.compile(
    r"^(?:(first published|published|posted|updated|last updated|last modified|modified)"
    r"(?:\s+on)?\s*:?\s*)?(.+)$",
    re.I,
)
MAX_BYLINE_CHARS: int = 120
#: Longest line read as a bare date ('June 19, 2024').
BARE_DATE_CHARS: int = 40
#: Longest line with a year in it that can be a header: a bare date or a byline.
_YEAR_LINE_CHARS: int = max(BARE_DATE_CHARS, MAX_BYLINE_CHARS)
# A wire dateline: 'TOKYO, June 19 (Reuters) -', 'Tokyo, July 9 (Jiji Press)--', 'SEOUL, Aug. 22
# (Xinhua) --': a place of up to four capitalised words, a month and day (maybe a year), maybe
# the agency, then a dash. dateutil reads the date part.
_DATELINE = re.compile(
    r"^[A-Z][\w.'’]*(?:[ -][A-Z][\w.'’]*){0,3},\s+"
    r"((?:[A-Za-z]{3,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Za-z]{3,9}\.?)(?:,?\s+(?:19|20)\d{2})?)"
    r"\s*(?:\([^()\n]{1,40}\)\s*)?(?:-{1,2}|–|—)"
)
# A year (and month) in a URL path that gives no day: '/2018/10/story', '/2024/story'.
_URL_YEAR_MONTH = re.compile(r"/((?:19|20)\d{2})(?:[/-](0?[1-9]|1[0-2]))?(?=/)")


@dataclass
class _TopDates:
    """The dates found at the top of a text, one per source; the first of each kind is kept.

    :func:`_publication_date` ranks them.
    """

    header: dt.date | None = None  # 'date:', 'Published on ...', 'Posted ...'
    bare: dt.date | None = None  # a line that is only a date
    italic: dt.date | None = None  # '*April 3, 2025*'
    byline: dt.date | None = None  # 'By Jane Doe | Published: 12 March 2024'
    updated: dt.date | None = None  # 'Updated: ...', in a header or a byline
    dateline: _DateParts | None = None  # 'TOKYO, June 19 (Reuters) -': often no year
    partial: _DateParts | None = None  # a publication header without a day ('date: June 2024')

    def keep(self, slot: str, value: object) -> None:
        if value is not None and getattr(self, slot) is None:
            setattr(self, slot, value)


@dataclass(frozen=True)
class _DateParts:
    """The parts of a date a text gives; None where it gives none."""

    year: int | None
    month: int | None
    day: int | None


def _publication_date(dates: _TopDates, url: str | None) -> dt.date | None:
    """The most trusted date: a publication header, the URL path, a bare date line, an italic
    date line, a byline, an 'Updated' line, then a dateline given a year by another source."""
    found = (
        dates.header
        or (date_from_url(url) if url else None)
        or dates.bare
        or dates.italic
        or dates.byline
        or dates.updated
    )
    if found is None and dates.dateline is not None:
        found = _complete(dates.dateline, [dates.partial, _url_year_month(url) if url else None])
    return found


def _complete(parts: _DateParts, hints: Iterable[_DateParts | None]) -> dt.date | None:
    """A month and day made a date with the year of the first hint that agrees on the month.

    A dateline gives no year; without a hint there is none to give (and none is guessed).
    """
    if parts.month is None or parts.day is None:
        return None
    year = parts.year
    for hint in hints:
        if year is not None:
            break
        if hint is not None and hint.year is not None and hint.month in (None, parts.month):
            year = hint.year
    if year is None:
        return None
    try:
        return plausible_date(dt.date(year, parts.month, parts.day))
    except ValueError:
        return None


def _url_year_month(url: str) -> _DateParts | None:
    match = _URL_YEAR_MONTH.search(re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I))
    if match is None:
        return None
    return _DateParts(int(match[1]), int(match[2]) if match[2] else None, None)


def _read_plain(text: str, markdown: bool) -> _Meta:
    lines = text.split("\n")
    if markdown:
        lines = _strip_front_matter_fences(lines)
    meta = _Meta(body="")
    drop: list[int] = []
    dates = _TopDates()
    seen = 0
    body_chars = 0  # characters of body (non-header) lines above the current one
    title_checked = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        near_top = body_chars < TOP_CHARS
        if _may_be_header(line, near_top):
            rest = _read_header(line, meta, dates, near_top=near_top)
            if rest is None:
                drop.append(i)
                continue
            if rest != line:
                lines[i] = rest  # 'date 2024-06-19 The body ...': the header goes, the body stays
        else:
            rest = line
        body_chars += len(rest) + 1
        if not title_checked:
            title_checked = True
            title = _headline(rest, markdown)
            if title is not None and not meta.title and _has_more(lines, i):
                meta.title = title
                drop.append(i)
            elif title is not None and meta.title and _same_title(title, meta.title):
                drop.append(i)  # 'title:' header repeated as the first line
    for i in reversed(drop):  # in increasing order, each once
        del lines[i]
    body = "\n".join(lines)
    body, source = _take_article_source(body)
    if meta.url is None and source:
        meta.url = source
    meta.date = _publication_date(dates, meta.url)
    if markdown:
        body = _strip_markdown(body)
        meta.title = _strip_markdown(meta.title)
    meta.body = body
    return meta


def _may_be_header(line: str, near_top: bool) -> bool:
    """False when :func:`_read_header` would give ``line`` back unread, as most story lines: the
    cheap tests of what each of its readers needs, in a line that is not empty."""
    if ":" in line or line[0] in _SPACE_KEY_STARTS:  # 'key: value', 'Posted June 19, 2024'
        return True
    if not near_top:  # only a bare date is read
        return len(line) <= BARE_DATE_CHARS and _YEAR.search(line) is not None
    return (
        line[0] in "*_"  # an italic date
        or (len(line) <= _YEAR_LINE_CHARS and _YEAR.search(line) is not None)  # a bare date, a byline
        or ("," in line and _DATELINE.match(line) is not None)  # a dateline
    )


def _read_header(line: str, meta: _Meta, dates: _TopDates, near_top: bool = True) -> str | None:
    """Read one top line as a header: None when it is wholly metadata, else the body left of it.

    ``near_top``: the line starts within :data:`TOP_CHARS` of the body, where italic, byline
    and dateline dates are read too.
    """
    match = _KEY_VALUE.match(line)
    if match:
        key, value = match[1].strip().lower(), match[2].strip()
        if key in URL_KEYS:
            url = _URL.search(value)
            if url and meta.url is None:
                meta.url = url[0]
            if url or len(value) <= 100:
                return None
        elif key in TITLE_KEYS and value:
            meta.title = meta.title or value
            return None
        elif key in DATE_KEYS + UPDATED_KEYS + IGNORED_DATE_KEYS:
            slot = "header" if key in DATE_KEYS else "updated" if key in UPDATED_KEYS else None
            rest = _read_date_header(value, slot, dates, line)
            if rest != line:
                return rest
    match = _KEY_SPACE.match(line)
    if match:
        key = match[1].lower()
        slot = "header" if key in DATE_KEYS else "updated" if key in UPDATED_KEYS else None
        rest = _read_date_header(match[2].strip(), slot, dates, line, inline_body=True)
        if rest != line:
            return rest
    if len(line) <= BARE_DATE_CHARS and _YEAR.search(line):
        day = parse_date(line, fuzzy=False)
        if day is not None:
            dates.keep("bare", day)
            return None
    return _read_date_line(line, dates) if near_top else line


def _read_date_header(
    value: str, slot: str | None, dates: _TopDates, line: str, inline_body: bool = False
) -> str | None:
    if value.lower().rstrip(".") in UNKNOWN_VALUES:
        return None
    iso = _ISO_START.match(value)
    if iso:
        day = _calendar_date(iso[1])
        if day is not None:
            if slot:  # an implausible date is metadata all the same, but gives no date
                dates.keep(slot, plausible_date(day))
            return iso[2].strip() or None
    # Not ISO: only a short value that is wholly a date ('June 19, 2024 12:47 pm.').
    if len(value) <= 60 and _YEAR.search(value):
        parts = _date_parts(value.rstrip("."), fuzzy=not inline_body)
        day = _full_date(parts)
        if day is not None:
            if slot:
                dates.keep(slot, plausible_date(day))
            return None
        if slot == "header" and parts is not None and parts.year is not None and not inline_body:
            dates.keep("partial", parts)  # 'date: June 2024': a year for a dateline
            return None
    return line


def _read_date_line(line: str, dates: _TopDates) -> str | None:
    """Read an italic date line, a byline or a dateline: None when the line is wholly
    metadata (italic date, byline), else the line (a dateline opens the story)."""
    italic = _ITALIC_LINE.match(line)
    if italic:
        day = parse_date(italic[2], fuzzy=False)
        if day is not None:
            dates.keep("italic", day)
            return None
        line = italic[2]  # '*By Jane Doe | March 3, 2024*'
    if _read_byline(line, dates):
        return None
    dateline = _DATELINE.match(line)
    if dateline:
        parts = _date_parts(dateline[1], fuzzy=False)
        if parts is not None and parts.month is not None and parts.day is not None:
            dates.keep("dateline", parts)
    return line


def _read_byline(line: str, dates: _TopDates) -> bool:
    """Whether ``line`` is a byline with a date ('By Jane Doe | Published: 12 March 2024',
    'Jakarta Post - October 23, 2020'); its dates go to ``dates``."""
    if len(line) > MAX_BYLINE_CHARS or not _YEAR.search(line):
        return False
    parts = _BYLINE_SEPARATOR.split(line)
    published: dt.date | None = None
    updated: dt.date | None = None
    for part in parts:
        match = _BYLINE_KEY.match(part)
        if match is None:
            return False
        key = (match[1] or "").lower()
        day = parse_date(match[2].rstrip("."), fuzzy=False) if _YEAR.search(match[2]) else None
        if day is None:
            if key or part.endswith((".", "?", "!")) or len(part.split()) > 6:
                return False  # a sentence, or a key word with no date after it: not a byline
        elif key in ("", "published", "first published", "posted"):
            published = published or day
        elif key == "updated":
            updated = updated or day
    if published is None and updated is None:
        return False
    dates.keep("byline", published)
    dates.keep("updated", updated)
    return True


def _top_dates(text: str) -> _TopDates:
    """The dates of the lines that start within :data:`TOP_CHARS` of ``text`` (no headers)."""
    dates = _TopDates()
    offset = 0
    # Only the top is split: a JSON Lines text may be megabytes long. A line cut short here
    # started too late (or is too long) to be a byline or a bare date anyway.
    for raw in text[: TOP_CHARS + MAX_BYLINE_CHARS + 1].split("\n"):
        if offset >= TOP_CHARS:
            break
        offset += len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        if len(line) <= BARE_DATE_CHARS and _YEAR.search(line):
            dates.keep("bare", parse_date(line, fuzzy=False))
        _read_date_line(line, dates)
    return dates


def _iso_date(s: str) -> dt.date | None:
    """An ISO date that can be a publication date (:func:`plausible_date`), else None."""
    return plausible_date(_calendar_date(s))


def _calendar_date(s: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def plausible_date(day: dt.date | None) -> dt.date | None:
    """``day`` if a news article can have been published on it, else None.

    From :data:`EARLIEST_DATE` to :data:`LATEST_AHEAD` after today: outside that a date is a
    placeholder or a typo, and the extractor would resolve 'yesterday' against it.

    >>> plausible_date(dt.date(2024, 6, 19)), plausible_date(dt.date(1, 1, 1))
    (datetime.date(2024, 6, 19), None)
    """
    if day is None or not EARLIEST_DATE <= day <= dt.date.today() + LATEST_AHEAD:
        return None
    return day


def parse_date(value: str, fuzzy: bool = True) -> dt.date | None:
    """A full calendar date (day, month and year) in ``value``, or None.

    Parsed with dateutil; a value missing its day, month or year ('June 2024') gives None
    rather than a guessed day. Time zones are ignored: only the day is wanted.

    >>> parse_date("Posted June 19, 2024 12:47 pm"), parse_date("June 2024")
    (datetime.date(2024, 6, 19), None)
    """
    if not _YEAR.search(value):
        return None
    return plausible_date(_full_date(_date_parts(value, fuzzy)))


def _full_date(parts: _DateParts | None) -> dt.date | None:
    if parts is None or parts.year is None or parts.month is None or parts.day is None:
        return None
    return dt.date(parts.year, parts.month, parts.day)


def _date_parts(value: str, fuzzy: bool = True) -> _DateParts | None:
    """The year, month and day ``value`` gives (None for each it leaves out), or None if it
    is not a date. ``ignoretz``: a zone dateutil does not know ('JST') would warn."""
    from dateutil import parser

    value = value.strip()
    if not value:
        return None
    found = []
    # Two different defaults: a part missing from the value shows up as a difference.
    for default in (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2)):
        try:
            found.append(parser.parse(value, fuzzy=fuzzy, default=default, ignoretz=True))
        except (ValueError, OverflowError, TypeError):
            return None
    first, second = found
    return _DateParts(
        first.year if first.year == second.year else None,
        first.month if first.month == second.month else None,
        first.day if first.day == second.day else None,
    )


def _headline(line: str, markdown: bool) -> str | None:
    """The line as a title if it reads like a headline, else None."""
    heading = re.match(r"^#{1,2}\s+(.+?)\s*#*$", line)
    if heading:
        return heading[1].strip()
    if markdown and line.startswith("#"):
        return None
    if len(line) > 200 or len(line.split()) > 25 or line[-1] in ".,;:。．" or _URL.fullmatch(line):
        return None
    return line


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _has_more(lines: list[str], i: int) -> bool:
    return any(line.strip() for line in lines[i + 1 :])


def _take_article_source(body: str) -> tuple[str, str | None]:
    """Remove 'Article Source' lines (URL on the same or the next line); return the first URL."""
    url: str | None = None
    body = "\n" + body  # see _CLUTTER_LINE
    pos = 0
    while (match := _ARTICLE_SOURCE.search(body, pos)) is not None:
        start, end = match.start(), match.end()
        found = _URL.fullmatch(match[1]) if match[1] else None
        if not match[1]:
            nxt = _NEXT_LINE.match(body, end)
            if nxt and _URL.fullmatch(nxt[1]):
                found, end = _URL.fullmatch(nxt[1]), nxt.end()
        if found and url is None:
            url = found[0]
        body = body[:start] + body[end:]
        pos = start
    return body[1:], url


_NEXT_LINE = re.compile(r"\n[ \t]*\n?[ \t]*(\S+)[ \t]*(?=\n|$)")


def _strip_front_matter_fences(lines: list[str]) -> list[str]:
    # YAML front matter: its 'key: value' lines are read as headers, the fences go.
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return lines
    for j in range(first + 1, min(len(lines), first + 40)):
        if lines[j].strip() in ("---", "..."):
            return lines[:first] + lines[first + 1 : j] + lines[j + 1 :]
    return lines


# Line rules start with a literal '\n' (the text is wrapped in '\n' ... '\n') for speed, as
# _CLUTTER_LINE does.
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\n[ \t]*(?:`{3,}|~{3,})[^\n]*"), "\n"),  # code fences
    (re.compile(r"\n[ \t]*\[[^\]\n]+\]:[ \t]*\S+[^\n]*"), "\n"),  # link reference definitions
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"\n[ \t]{0,3}#{1,6}[ \t]+([^\n]*?)[ \t]*#*[ \t]*(?=\n)"), r"\n\1"),  # headings
    (re.compile(r"\n[ \t]{0,3}>[ \t]?"), "\n"),  # block quotes
    (re.compile(r"\n[ \t]*(?:[-*_][ \t]*){3,}(?=\n)"), "\n"),  # horizontal rules
    (re.compile(r"\n([ \t]*)[-*+][ \t]+"), r"\n\1"),  # bullets
    (re.compile(r"(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"(?<![\w_])_(?=\S)([^\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)


def _strip_markdown(text: str) -> str:
    text = "\n" + text + "\n"
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text[1:-1]


# ---- URL dates ---------------------------------------------------------------------------

_COMPACT_URL_DATE = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)")


def date_from_url(url: str) -> dt.date | None:
    """The date in a URL's path (``/2024/06/19/``, ``/2024-06-19/``, ``/20240619/``), or None.

    >>> date_from_url("https://example.org/world/2024/06/19/story.html")
    datetime.date(2024, 6, 19)
    """
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    found = _htmldate_url_date(path)
    if found is None:
        match = _COMPACT_URL_DATE.search(path)
        if match:
            try:
                found = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                found = None
    if found is not None and found > dt.date.today() + dt.timedelta(days=1):
        return None
    return found


def _htmldate_url_date(path: str) -> dt.date | None:
    """htmldate's URL patterns, through its public ``find_date`` on an empty page."""
    from htmldate import find_date

    latest = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time())
    found = find_date("<html><body></body></html>", url="http://host/" + path.lstrip("/"), extensive_search=False,
                      original_date=True, min_date=dt.datetime(1990, 1, 1), max_date=latest)
    return _iso_date(found) if found else None


# ---- HTML -----------------------------------------------------------------------------------

#: Elements that are never the article: dropped before trafilatura sees the page (on a tiny
#: page its baseline extractor would otherwise keep a menu) and by the fallback.
_NOISE_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg", "button",
)

#: Pages larger than this skip trafilatura (whose time grows faster than the page: ~2 s for
#: 3 MB) and are read by the plain <body> text fallback.
HTML_EXTRACT_MAX_BYTES: int = 4 * 1024 * 1024


def _read_html(html: str) -> _Meta:
    import trafilatura

    small = len(html) <= HTML_EXTRACT_MAX_BYTES
    # Metadata from the untouched page (JSON-LD sits in <script> elements); on a huge page
    # from its start only, where <head> is: trafilatura's metadata search is slow on big trees.
    head = _parse_html(html if small else html[:HTML_EXTRACT_MAX_BYTES])
    title, url, date = "", None, None
    if head is not None:
        meta = trafilatura.extract_metadata(head, date_config=dict(_DATE_CONFIG))
        title = (meta.title or "").strip()
        url = meta.url if meta.url and _URL.fullmatch(meta.url) else None
        date = _iso_date(meta.date) if meta.date else None
    if date is None and url:
        date = date_from_url(url)
    tree = _parse_html(html)
    if tree is None:
        return _Meta(body="", title=title, date=date, url=url)
    _drop_noise(tree)
    body = None
    if small:
        body = trafilatura.extract(
            copy.deepcopy(tree),  # trafilatura edits the tree it is given; the fallback needs it whole
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    if not body:
        body = _body_text(tree)
    body = _normalise(body)
    # trafilatura's text is one paragraph a line; a blank line between them keeps the
    # paragraph breaks the plain-text path has.
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    if title and paragraphs and _same_title(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    return _Meta(body="\n\n".join(paragraphs), title=_tidy(_normalise(title)), date=date, url=url)


#: htmldate's settings: the publication (not the last-modified) date, from the page's markup
#: and URL only, not guessed from dates in the running text.
_DATE_CONFIG: dict[str, object] = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%d",
}


def _parse_html(html: str):  # -> lxml.html.HtmlElement | None
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        # ValueError: a str with an XML encoding declaration; parse the bytes instead.
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except (lxml.etree.ParserError, ValueError):
            return None


def _drop_noise(tree) -> None:
    for element in list(tree.iter(*_NOISE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    # The page's header (masthead, menus), not an article's own <header>.
    for element in list(tree.iter("header")):
        in_story = any(a.tag in ("article", "main") for a in element.iterancestors())
        if element.getparent() is not None and not in_story:
            element.drop_tree()


_BLOCK_TAGS: tuple[str, ...] = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "section", "article", "pre",
)


def _body_text(tree) -> str:
    """Text of <body> without scripts, styles, navigation, headers, footers and asides."""
    _drop_noise(tree)
    body = tree.find(".//body")
    if body is None:
        body = tree
    for element in body.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return body.text_content()


# ---- JSON Lines -----------------------------------------------------------------------------


def _load_jsonl(
    text: str, path: str | Path, name: str, where: str, on_error: Callable[[LoadError], None] | None
) -> list[Article]:
    articles: list[Article] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            articles.append(replace(_jsonl_article(line, f"{name}#{number}"), path=f"{where}#{number}"))
        except LoadError as err:
            located = LoadError(f"{path}:{number}", err.reason, err.hint)
            if on_error is None:
                raise located from None
            on_error(located)
    return articles


def _jsonl_article(line: str, file: str) -> Article:
    """One JSON Lines record as an article.

    A lone surrogate (``"\\ud800"``, half of an escaped pair: valid JSON, but no character UTF-8
    can hold) in a string field becomes U+FFFD, the replacement character, and the article
    loads: one bad character is no reason to lose the article.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        reason = f"not valid JSON ({err.msg} at column {err.colno})"
        raise LoadError(file, reason, "write one JSON object per line") from None
    except RecursionError:
        raise LoadError(file, "not valid JSON (nested too deeply)", "write one JSON object per line") from None
    if not isinstance(record, dict):
        raise LoadError(file, f"a JSON {type(record).__name__}, not an object", 'write {"text": ...} objects')
    record = {key: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for key, v in record.items()}
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise LoadError(file, "no 'text' field with the article text", "add a non-empty \"text\" string")
    title = record.get("title") or ""
    url = record.get("url") or record.get("source") or None
    if not isinstance(title, str):
        raise LoadError(file, "'title' is not a string", "write the title as a string")
    if url is not None and not isinstance(url, str):
        raise LoadError(file, "'url' is not a string", "write the URL as a string")
    date = _jsonl_date(record.get("date"), file)
    if date is None and url:
        date = date_from_url(url)
    text = _tidy(_cut_clutter(_normalise(body)))
    if not text:
        raise LoadError(file, "no article text", "check the \"text\" field")
    if date is None:
        date = _publication_date(_top_dates(text), url)
    return make_article(file, text, title=_tidy(_normalise(title)), date=date, url=url)


def _jsonl_date(value: object, file: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in UNKNOWN_VALUES | {""}):
        return None
    if isinstance(value, str):
        iso = _ISO_START.match(value.strip())
        day = _calendar_date(iso[1]) if iso and not iso[2] else _full_date(_date_parts(value, fuzzy=False))
        if plausible_date(day) is not None:
            return day
        if day is not None:
            reason = (f"'date' {value!r} is not a plausible publication date (before {EARLIEST_DATE.year} "
                      "or more than a year ahead)")
            raise LoadError(file, reason, "correct it or leave it out")
    raise LoadError(file, f"'date' {value!r} is not a date", "write it as YYYY-MM-DD or leave it out")
