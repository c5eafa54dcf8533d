"""Article -> claims: which agreements between which parties an article states, with evidence.

A rule-based pipeline, one module per stage (read them in this order):

* :mod:`~kg.extract.sentences` splits the text into sentences, :mod:`~kg.extract.clauses` a
  sentence into clauses;
* :mod:`~kg.extract.dates` finds date expressions and resolves them against the publication date;
* :mod:`~kg.extract.triggers` finds the words that name an agreement (a rule table);
* :mod:`~kg.extract.status` decides the status from cues, negation and hypothetical markers
  (rule tables);
* :mod:`~kg.extract.types` decides the agreement type from keywords (a rule table) or a reference
  to an agreement named before;
* :mod:`~kg.extract.parties` decides which pairs of parties a clause is about;
* :mod:`~kg.extract.discourse` carries what earlier sentences established;
* :mod:`~kg.extract.extractor` runs them and merges an article's claims.

Rules are data (:mod:`~kg.extract.rules`): each row has an id, a label, an explicit priority and
the sentences it must and must not fire on, which run as tests. Nothing here knows any
particular country: parties come from the gazetteer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from kg.extract.dates import DateMention, find_dates
from kg.extract.extractor import Analysis, Extractor
from kg.extract.sentences import split_sentences
from kg.gazetteer import Gazetteer
from kg.loaders import LoadError, load_paths
from kg.records import Article, Claim, PartnerCount

CLAIM_COLUMNS = ("file", "party_a", "party_b", "agreement_type", "status", "date", "evidence")


def claim_row(claim: Claim) -> dict[str, str]:
    """A claim as one output row (``CLAIM_COLUMNS``); the evidence with its whitespace folded."""
    return {
        "file": claim.file, "party_a": claim.party_a, "party_b": claim.party_b,
        "agreement_type": claim.agreement_type, "status": claim.status, "date": claim.date,
        "evidence": " ".join(claim.evidence.sentence.split()),
    }


@lru_cache(maxsize=1)
def _default_extractor() -> Extractor:
    return Extractor()


def _extractor(gazetteer: Gazetteer | None) -> Extractor:
    return Extractor(gazetteer) if gazetteer else _default_extractor()


def extract_paths(
    paths: Iterable[str | Path], on_error: Callable[[LoadError], None] | None = None,
    gazetteer: Gazetteer | None = None, on_note: Callable[[str], None] | None = None,
) -> Iterator[tuple[Article, Analysis]]:
    """Load every article under ``paths`` and analyse it; load errors go to ``on_error``, notes
    (an article without a publication date) to ``on_note``."""
    extractor = _extractor(gazetteer)
    for article in load_paths(paths, on_error=on_error, on_note=on_note):
        yield article, extractor.analyse(article)


def analyse(article: Article, gazetteer: Gazetteer | None = None) -> Analysis:
    """Claims and partner counts of one article in one pass."""
    return _extractor(gazetteer).analyse(article)


def extract(article: Article, gazetteer: Gazetteer | None = None) -> list[Claim]:
    """The agreement claims one article states."""
    return analyse(article, gazetteer).claims


def partner_counts(article: Article, gazetteer: Gazetteer | None = None) -> list[PartnerCount]:
    """Sentences that count a party's partners ('intelligence agreements with eight other countries')."""
    return analyse(article, gazetteer).counts


__all__: Sequence[str] = (
    "CLAIM_COLUMNS", "Analysis", "DateMention", "Extractor", "analyse", "claim_row", "extract", "extract_paths",
    "find_dates", "partner_counts", "split_sentences",
)
