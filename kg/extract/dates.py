"""Dates: date expressions of a sentence, resolved against the publication date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from dateutil import parser as dateparser

from kg.text import IgnoreCase

_MONTHS = "|".join(
    sorted({m for m in calendar.month_name if m} | {m for m in calendar.month_abbr if m}, key=len, reverse=True)
)
_WEEKDAYS = [d for d in calendar.day_name]
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "ymd"),
    (re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"), "ymd"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}\b"), "ymd"),
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), "dmy"),
    (re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\s*\d)"), "md"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b(?!\.?,?\s*\d)"), "md"),
    (re.compile(rf"\b(?:{_MONTHS})\s+(?:of\s+)?\d{{4}}\b"), "ym"),
    (re.compile(rf"\b(?i:in|since|from|last|this|early|late|mid-?)\s+(?:{'|'.join(m for m in calendar.month_name if m)})\b(?!\s+\d)"), "m"),
    (re.compile(r"(?:\b[Ii]n\s+|\b[Ss]ince\s+|\(|\bof\s+|\bback\s+to\s+|\bdating\s+from\s+|\bdates\s+from\s+"
                r"|\b(?:[Tt]he|[Aa]|[Aa]n|[Ii]ts|[Tt]heir)\s+)(?:19|20)\d{2}\b(?!\s*(?:-|to)\s*\d)"), "y"),
    (re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening|earlier in the day|earlier today)\b", re.I), "today"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(rf"\b(?:last\s+|on\s+)?(?:{'|'.join(_WEEKDAYS)})\b"), "weekday"),
    (re.compile(r"\blast\s+(week|month|year)\b", re.I), "last"),
    (re.compile(r"\bthis\s+(month|year)\b", re.I), "this"),
]


#: The kinds of date whose patterns all need a digit; the others need one of these words.
_NUMERIC_KINDS = frozenset({"ymd", "dmy", "md", "ym", "y"})
_DIGIT = re.compile(r"\d")
#: Month and weekday names as written, and the words of relative dates in any case; two tests,
#: as one pattern with a case-insensitive group makes ``re`` try every name at every position.
_DATE_NAME = re.compile("|".join(m for m in calendar.month_name if m) + "|" + "|".join(_WEEKDAYS))
_RELATIVE_DATE_WORD = IgnoreCase("today|tonight|this|earlier|yesterday|last")

_RECURRING = re.compile(r"\b(?:each|every)\s+(?:year|month|week)\s*,?\s*$|\bannually\s*,?\s*$", re.I)


class LazyDates:
    """The date mentions of a sentence, found only when a claim needs them."""

    def __init__(self, sentence: str, published: dt.date | None) -> None:
        self.sentence, self.published = sentence, published
        self._found: list[DateMention] | None = None

    def __iter__(self) -> Iterator[DateMention]:
        if self._found is None:
            self._found = find_dates(self.sentence, self.published)
        return iter(self._found)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD


def _month_number(name: str) -> int:
    name = name.strip(".").lower()[:3]
    return [m.lower() for m in calendar.month_abbr].index(name)


def find_dates(sentence: str, published: dt.date | None) -> list[DateMention]:
    """Date expressions in a sentence, resolved against the publication date.

    >>> [d.value for d in find_dates("They met on Wednesday and signed it in April.", dt.date(2024, 6, 19))]
    ['2024-06-19', '2024-04']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    # most sentences have no date: a pattern that cannot match is not run
    numeric = _DIGIT.search(sentence) is not None
    worded = _DATE_NAME.search(sentence) is not None or _RELATIVE_DATE_WORD.found(sentence)
    for pattern, kind in _DATE_PATTERNS:
        if not (numeric if kind in _NUMERIC_KINDS else worded):
            continue
        for m in pattern.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if _RECURRING.search(sentence, 0, m.start()):
                continue  # "renewed each year in August": no one date
            value = _resolve_date(m.group(), kind, published)
            if value:
                found.append(DateMention(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve_date(text: str, kind: str, pub: dt.date | None) -> str:
    try:
        if kind == "ymd":
            return dateparser.parse(text, fuzzy=True).date().isoformat()
        if kind == "dmy":
            return dateparser.parse(text, dayfirst=True).date().isoformat()
        if kind == "ym":
            d = dateparser.parse(text, fuzzy=True, default=dt.datetime(2000, 1, 1))
            return f"{d.year:04d}-{d.month:02d}"
        if kind == "y":
            year = re.search(r"\d{4}", text)
            return year.group() if year else ""
    except (ValueError, OverflowError, AttributeError):
        return ""
    if pub is None:
        return ""
    try:
        return _resolve_relative(text, kind, pub)
    except (ValueError, OverflowError):
        # A publication date at the edge of the calendar (0001-01-01, 9999-12-31): the day
        # before or the year before does not exist, so the expression stays unresolved.
        return ""


def _resolve_relative(text: str, kind: str, pub: dt.date) -> str:
    """A relative date expression ('yesterday', 'last month') resolved against ``pub``.

    Raises:
        ValueError, OverflowError: the date it gives falls outside years 1 to 9999.
    """
    if kind == "md":
        d = dateparser.parse(text, fuzzy=True, default=dt.datetime(pub.year, 1, 1)).date()
        if d > pub + dt.timedelta(days=31):  # "December 30" read in a January article
            d = d.replace(year=pub.year - 1)
        return d.isoformat()
    if kind == "m":
        month = _month_number(text.split()[-1])
        year = pub.year - 1 if month > pub.month and not text.lower().startswith("this") else pub.year
        return dt.date(year, month, 1).isoformat()[:7]
    if kind == "today":
        return pub.isoformat()
    if kind == "yesterday":
        return (pub - dt.timedelta(days=1)).isoformat()
    if kind == "weekday":
        target = _WEEKDAYS.index(text.split()[-1])
        back = (pub.weekday() - target) % 7
        if text.lower().startswith("last") and back == 0:
            back = 7
        return (pub - dt.timedelta(days=back)).isoformat()
    if kind == "last":
        unit = text.split()[-1].lower()
        if unit == "year":
            return dt.date(pub.year - 1, 1, 1).isoformat()[:4]
        if unit == "month":
            first = pub.replace(day=1) - dt.timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}"
        week = pub - dt.timedelta(days=7)
        return f"{week.year:04d}-{week.month:02d}"
    if kind == "this":
        return f"{pub.year:04d}" if text.lower().endswith("year") else f"{pub.year:04d}-{pub.month:02d}"
    return ""


def date_for(dates: Iterable[DateMention], c_start: int, c_end: int, cue_pos: int) -> str:
    """The date of a status cue at ``cue_pos`` in the clause ``c_start:c_end``: the nearest date
    of the clause, else the nearest of the clauses before it (a later clause's date does not
    carry back: "On 22 March, ...: the agreement was signed")."""
    dates = list(dates)
    in_clause = [d for d in dates if c_start <= d.start and d.end <= c_end]
    pool = in_clause or [d for d in dates if d.end <= c_start]
    if not pool:
        return ""
    return min(pool, key=lambda d: abs(d.start - cue_pos)).value
