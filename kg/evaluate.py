"""Claims against a gold table: precision, recall and F1 at three levels of strictness."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kg.errors import KgError
from kg.records import AGREEMENT_TYPES, STATUSES, Claim

#: Match levels: which fields of a claim must agree with a gold row.
LEVELS = ("strict", "typed", "pair")


class GoldError(KgError, ValueError):
    """A gold table that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class GoldRow:
    file: str
    party_a: str
    party_b: str
    agreement_type: str
    status: str  # a status, or "any"
    date: str
    note: str = ""

    def key(self, level: str) -> tuple[str, ...]:
        return _key(self.file, self.party_a, self.party_b, self.agreement_type, self.status, level)


@dataclass
class Score:
    level: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores per level, and the claims behind the strict misses and extras."""

    scores: dict[str, Score]
    misses: list[GoldRow] = field(default_factory=list)
    extras: list[Claim] = field(default_factory=list)
    files: int = 0


def _key(file: str, a: str, b: str, type_: str, status: str, level: str) -> tuple[str, ...]:
    a, b = sorted((a, b))
    if level == "pair":
        return (file, a, b)
    if level == "typed":
        return (file, a, b, type_)
    return (file, a, b, type_, status)


def read_gold(path: str | Path) -> list[GoldRow]:
    """Rows of a gold table (``file,party_a,party_b,agreement_type,status,date[,note]``).

    Rows with empty parties mark a file that states no agreement: they say the file was
    judged, and give no row to match.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GoldError(f"{path}: gold table not found; give the path of a CSV like seeds/gold-claims.csv") from None
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as e:
        raise GoldError(f"{path}: cannot read the gold table ({e.__class__.__name__}); give a UTF-8 CSV file") from None
    reader = csv.DictReader(text.splitlines())
    need = {"file", "party_a", "party_b", "agreement_type", "status"}
    if not reader.fieldnames or not need <= set(reader.fieldnames):
        raise GoldError(f"{path}: not a gold table; the header must name {', '.join(sorted(need))}")
    rows = []
    for line, r in enumerate(reader, start=2):
        row = GoldRow(
            file=(r["file"] or "").strip(), party_a=(r["party_a"] or "").strip(), party_b=(r["party_b"] or "").strip(),
            agreement_type=(r["agreement_type"] or "").strip(), status=(r["status"] or "").strip(),
            date=(r.get("date") or "").strip(), note=(r.get("note") or "").strip(),
        )
        if not row.file:
            raise GoldError(f"{path}:{line}: empty 'file' column")
        if row.party_a or row.party_b:
            if row.agreement_type not in AGREEMENT_TYPES:
                raise GoldError(f"{path}:{line}: unknown agreement_type {row.agreement_type!r}; use one of {', '.join(AGREEMENT_TYPES)}")
            if row.status != "any" and row.status not in STATUSES:
                raise GoldError(f"{path}:{line}: unknown status {row.status!r}; use one of {', '.join(STATUSES)} or 'any'")
        rows.append(row)
    return rows


def evaluate(claims: Iterable[Claim], gold: list[GoldRow], files: Iterable[str] | None = None) -> Evaluation:
    """Score claims against gold rows.

    Only files that appear in the gold table are scored (so a folder may hold other files);
    ``files`` restricts scoring further to the files that were actually read. A gold status
    ``any`` matches every status.
    """
    gold_files = {g.file for g in gold}
    if files is not None:
        gold_files &= set(files)
    gold = [g for g in gold if g.file in gold_files and (g.party_a or g.party_b)]
    claims = [c for c in claims if c.file in gold_files]
    scores: dict[str, Score] = {}
    misses: list[GoldRow] = []
    extras: list[Claim] = []
    for level in LEVELS:
        predicted = {_key(c.file, c.party_a, c.party_b, c.agreement_type, c.status, level) for c in claims}
        matched: set[tuple[str, ...]] = set()
        gold_keys: set[tuple[str, ...]] = set()
        tp = fn = 0
        for g in gold:
            if level == "strict" and g.status == "any":
                # 'any' accepts every status the extractor gives for that pair and type
                hits = {k for k in predicted if k[:4] == g.key("typed")}
            else:
                hits = {g.key(level)} & predicted
            key = g.key(level)
            if key in gold_keys:
                continue  # coarse levels fold several gold rows into one key
            gold_keys.add(key)
            if hits:
                tp += 1
                matched |= hits
            else:
                fn += 1
                if level == "strict":
                    misses.append(g)
        extra_keys = predicted - matched
        scores[level] = Score(level, tp, len(extra_keys), fn)
        if level == "strict":
            extras = [c for c in claims
                      if _key(c.file, c.party_a, c.party_b, c.agreement_type, c.status, "strict") in extra_keys]
    return Evaluation(scores, misses, extras, len(gold_files))
