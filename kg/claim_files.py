"""Claim files: what extraction gives a build, as rows (JSON Lines, CSV, Parquet), so that the
claims can be extracted elsewhere (``kg extract --format jsonl``, ``kg extract --dask``) and
built later (``kg build --claims``) into the graph a build from the articles gives.

A row is a claim, a partner count, or an article that gave neither (``record``: ``claim``,
``count``, ``article``); every row carries its article's metadata. The rows of one article
follow each other, claims first. The columns start with those of ``kg extract``'s CSV and
JSON Lines, in their order (:data:`COLUMNS`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.extract import CLAIM_COLUMNS, Analysis
from kg.records import AGREEMENT_TYPES, STATUSES, Article, Claim, Evidence, PartnerCount

#: Every column of a claim file: kg extract's CSV columns, the offsets and article id its JSON
#: Lines adds, then what a build needs besides.
COLUMNS: tuple[str, ...] = CLAIM_COLUMNS + ("start", "end", "in_title", "article_id") + (
    "record", "hedged", "sentence", "title", "published", "url", "path", "party", "count", "named", "counted_kind",
)

#: The columns a build reads (``evidence``, the sentence with its whitespace folded, is for people).
REQUIRED: tuple[str, ...] = tuple(c for c in COLUMNS if c != "evidence")

#: The file name extensions read as claim files, and their format.
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


class ClaimFileError(KgError):
    """A claim file that cannot be built from; ``str(e)`` is one line naming the file."""


@dataclass
class ClaimStats:
    """What some claim rows hold: articles, claims by type and status."""

    articles: int = 0
    claims: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, analysis: Analysis) -> None:
        self.articles += 1
        for claim in analysis.claims:
            self.claims += 1
            self.by_type[claim.agreement_type] = self.by_type.get(claim.agreement_type, 0) + 1
            self.by_status[claim.status] = self.by_status.get(claim.status, 0) + 1

    def merge(self, other: ClaimStats) -> None:
        self.articles += other.articles
        self.claims += other.claims
        for mine, theirs in ((self.by_type, other.by_type), (self.by_status, other.by_status)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


# ---- writing ------------------------------------------------------------------------------


def rows(article: Article, analysis: Analysis) -> list[dict[str, Any]]:
    """The rows of one article: its claims, its partner counts, or one ``article`` row when it
    gave neither. Every row has every column of :data:`COLUMNS`, in order (None where a
    column says nothing about the row)."""
    meta = {"title": article.title, "published": article.date.isoformat() if article.date else None,
            "url": article.url, "path": article.path}
    out = [_row(article, "claim", meta, c.evidence, party_a=c.party_a, party_b=c.party_b,
                agreement_type=c.agreement_type, status=c.status, date=c.date, hedged=c.hedged)
           for c in analysis.claims]
    out += [_row(article, "count", meta, c.evidence, agreement_type=c.agreement_type, status=c.status,
                 party=c.party, count=c.count, named=list(c.named), counted_kind=c.counted_kind)
            for c in analysis.counts]
    return out or [_row(article, "article", meta, None)]


def _row(article: Article, record: str, meta: Mapping[str, Any], evidence: Evidence | None,
         **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(file=article.file, article_id=article.id, record=record, **meta, **values)
    if evidence is not None:
        row.update(evidence=" ".join(evidence.sentence.split()), sentence=evidence.sentence, start=evidence.start,
                   end=evidence.end, in_title=evidence.in_title)
    return row


def parquet_schema():
    """The Arrow schema of a Parquet claim file (pyarrow, from the ``dask`` extra)."""
    import pyarrow as pa

    types = {"start": pa.int64(), "end": pa.int64(), "count": pa.int64(), "in_title": pa.bool_(),
             "hedged": pa.bool_(), "named": pa.list_(pa.string())}
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])


def write_parquet(table_rows: list[dict[str, Any]], path: str | Path) -> None:
    """Rows (of :func:`rows`) as one Parquet file (written whole, so a reader never sees part of it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(table_rows, schema=parquet_schema()), str(path))


# ---- reading ------------------------------------------------------------------------------


def claim_files(paths: Iterable[str | Path]) -> list[Path]:
    """The claim files under ``paths``: files as given, a folder's ``*.parquet`` files (a
    ``kg extract --dask`` output) in name order."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            parts = sorted(p for p in path.rglob("*.parquet") if not p.name.startswith("."))
            if not parts:
                raise ClaimFileError(f"{path}: no .parquet files in this folder; give the folder "
                                     "kg extract --dask wrote, or claim files")
            found += parts
        elif path.exists():
            if path.suffix.lower() not in FORMATS:
                raise ClaimFileError(f"{path}: not a claim file; give .jsonl, .csv or .parquet files "
                                     "(kg extract --format jsonl, kg extract --dask)")
            found.append(path)
        else:
            raise ClaimFileError(f"{path}: no such file or folder; check the path")
    return found


def check_files(paths: Iterable[str | Path]) -> list[Path]:
    """The claim files under ``paths`` (:func:`claim_files`), each checked for every column a
    build needs (its header, schema or first line) before anything is built from them."""
    found = claim_files(paths)
    for path in found:
        next(_records(path), None)
    return found


def read_claims(paths: Iterable[str | Path]) -> Iterator[tuple[Article, Analysis]]:
    """Every article of the claim files under ``paths`` with its claims and partner counts, in
    file and row order. An article's rows must follow each other (a file split elsewhere gives
    the same article twice, which a build counts once)."""
    for path in claim_files(paths):
        for _, group in groupby(_records(path), key=lambda item: item[1]["article_id"]):
            yield _article(path, list(group))


def _records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, row)`` for each row of a file, ``where`` naming the file and the row."""
    fmt = FORMATS.get(path.suffix.lower(), "parquet")
    try:
        if fmt == "parquet":
            yield from _parquet_records(path)
        elif fmt == "csv":
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                _check_columns(path, reader.fieldnames or ())
                for number, row in enumerate(reader, 2):
                    yield f"{path}:{number}", row
        else:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        yield f"{path}:{number}", _json_record(path, number, line)
    except (OSError, UnicodeDecodeError) as err:
        raise ClaimFileError(f"{path}: cannot read ({getattr(err, 'strerror', None) or err}); "
                             "check the file") from None


def _parquet_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ClaimFileError(f"{path}: reading Parquet needs pyarrow; pip install 'kg-pacts[dask]'") from None
    try:
        parquet = pq.ParquetFile(str(path))
    except Exception as err:  # pyarrow's errors have no common base but Exception
        raise ClaimFileError(f"{path}: not a Parquet file ({err}); give the files kg extract --dask wrote") from None
    _check_columns(path, parquet.schema_arrow.names)
    number = 0
    for batch in parquet.iter_batches():
        for row in batch.to_pylist():
            number += 1
            yield f"{path}:row {number}", row


def _json_record(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise ClaimFileError(f"{path}:{number}: not valid JSON ({err.msg}); give kg extract's JSON Lines") from None
    if not isinstance(record, dict):
        raise ClaimFileError(f"{path}:{number}: not a JSON object; give kg extract's JSON Lines")
    _check_columns(path, record, f"{path}:{number}")
    return record


def _check_columns(path: Path, names: Iterable[str], where: str | None = None) -> None:
    missing = [c for c in REQUIRED if c not in set(names)]
    if missing:
        raise ClaimFileError(
            f"{where or path}: no column {missing[0]!r}, which a build needs; write the claims with "
            "kg extract --format jsonl or kg extract --dask")


def _article(path: Path, group: list[tuple[str, dict[str, Any]]]) -> tuple[Article, Analysis]:
    where, first = group[0]
    try:
        published = _text(first["published"])
        article = Article(id=_text(first["article_id"]), file=_text(first["file"]), title=_text(first["title"]),
                          date=dt.date.fromisoformat(published) if published else None,
                          url=_text(first["url"]) or None, text="", path=_text(first["path"]))
        analysis = Analysis()
        for where, row in group:
            _add(analysis, article, row)
    except (ValueError, TypeError) as err:
        raise ClaimFileError(f"{where}: {err}; write the claims with kg extract") from None
    return article, analysis


def _add(analysis: Analysis, article: Article, row: Mapping[str, Any]) -> None:
    """One row's claim or partner count, added to its article's analysis."""
    record = row["record"]
    if record == "article":
        return
    if record not in ("claim", "count"):
        raise ValueError(f"record {record!r} is not claim, count or article")
    kind, status = _text(row["agreement_type"]), _text(row["status"])
    if kind not in AGREEMENT_TYPES or status not in STATUSES:
        raise ValueError(f"unknown agreement_type {kind!r} or status {status!r}")
    evidence = Evidence(_text(row["sentence"]), int(row["start"]), int(row["end"]), _flag(row["in_title"]))
    if record == "claim":
        party_a, party_b = _text(row["party_a"]), _text(row["party_b"])
        if not party_a or not party_b:
            raise ValueError("a claim without party_a and party_b")
        analysis.claims.append(Claim(article.id, article.file, party_a, party_b, kind, status, _text(row["date"]),
                                     evidence, hedged=_flag(row["hedged"])))
    else:
        named = row["named"]
        codes = tuple(named.split() if isinstance(named, str) else named or ())
        analysis.counts.append(PartnerCount(article.id, article.file, _text(row["party"]), int(row["count"]), codes,
                                            kind, status, evidence, _text(row["counted_kind"])))


def _text(value: Any) -> str:
    """A text cell: None (JSON null, a Parquet null) and a CSV's empty cell are ``""``."""
    return "" if value is None else str(value)


def _flag(value: Any) -> bool:
    """A boolean cell: JSON and Parquet booleans, a CSV's True/False/true/false/1/0/empty."""
    if isinstance(value, str):
        if value.strip().lower() not in ("true", "false", "1", "0", ""):
            raise ValueError(f"{value!r} is not true or false")
        return value.strip().lower() in ("true", "1")
    return bool(value)
