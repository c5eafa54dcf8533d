"""The record types every stage shares: Article, Evidence, Claim, PartnerCount, Agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class AgreementType(StrEnum):
    """Agreement kinds, in the order they are documented (values are the codes in files)."""

    INTELLIGENCE_SHARING = "intelligence_sharing"
    RECIPROCAL_ACCESS = "reciprocal_access"
    LOGISTICS = "logistics"
    DEFENSE_COOPERATION = "defense_cooperation"
    MUTUAL_DEFENSE = "mutual_defense"
    OTHER = "other"


class Status(StrEnum):
    """Statuses an agreement can be reported in (values are the codes in files)."""

    SIGNED = "signed"
    IN_FORCE = "in_force"
    AGREED_IN_PRINCIPLE = "agreed_in_principle"
    NEGOTIATING = "negotiating"
    TALKS_AGREED = "talks_agreed"
    PROPOSED = "proposed"
    TERMINATED = "terminated"
    SUSPENDED = "suspended"


#: Agreement kinds, in the order they are documented.
AGREEMENT_TYPES: tuple[str, ...] = tuple(t.value for t in AgreementType)

#: Statuses an agreement can be reported in.
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


@dataclass(frozen=True)
class Article:
    """One news article, cleaned: what the loaders hand to extraction.

    An article is identified by its content (``id``); ``path`` tells which file it was read
    from, so that a build replaces the article of a file whose content changed.

    Attributes:
        id: stable content hash (hex) of the clean text, title, date and URL.
        file: where it came from, relative to the path the user gave
            (``name.jsonl#3`` for the third line of a JSON Lines file): the name to show.
        title: headline, or ``""``.
        date: publication date, or ``None`` when the file does not say.
        url: source URL, or ``None``.
        text: clean body text (no scripts, navigation or page clutter).
        path: the file's absolute path, symbolic links resolved (``/data/name.jsonl#3`` for
            a line of a JSON Lines file), or ``""`` for text not read from a file.
    """

    id: str
    file: str
    title: str
    date: dt.date | None
    url: str | None
    text: str
    path: str = ""


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports a claim, with its character offsets in ``Article.text`` (in
    ``Article.title`` when ``in_title``: a claim the headline states and the body does not)."""

    sentence: str
    start: int
    end: int
    in_title: bool = False


@dataclass(frozen=True)
class Claim:
    """One agreement that one article states.

    ``party_a``/``party_b`` are party codes (ISO 3166-1 alpha-3 or an organisation's
    acronym), sorted so that ``party_a < party_b``. ``date`` is ``YYYY``, ``YYYY-MM``,
    ``YYYY-MM-DD`` or ``""`` when the article does not date the status. ``hedged`` marks a
    status the article does not state plainly ("actively pursuing agreements with ..."): such a
    claim supports the agreement but neither sets its status over a plain claim nor makes a
    conflict with one.
    """

    article_id: str
    file: str
    party_a: str
    party_b: str
    agreement_type: str
    status: str
    date: str
    evidence: Evidence
    hedged: bool = False

    @property
    def pair(self) -> tuple[str, str]:
        return (self.party_a, self.party_b)


@dataclass(frozen=True)
class PartnerCount:
    """A sentence that counts a party's partners ('agreements with eight other countries').

    ``count`` is the number the sentence gives; ``named`` the partners it names.
    """

    article_id: str
    file: str
    party: str
    count: int
    named: tuple[str, ...]
    agreement_type: str
    status: str
    evidence: Evidence


@dataclass
class Agreement:
    """An agreement merged from the claims of one or more articles.

    Keyed by the unordered pair of parties and the agreement type. ``status``/``date`` are
    the merged (most recent) ones; ``conflict`` is true when claims of the same date
    disagree on the status.
    """

    party_a: str
    party_b: str
    agreement_type: str
    status: str
    date: str
    claims: list[Claim] = field(default_factory=list)
    conflict: bool = False
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None

    @property
    def sources(self) -> int:
        return len({c.article_id for c in self.claims})
