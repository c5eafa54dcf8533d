"""Discourse: what earlier sentences of an article established (the last pair, the last subject,
the last type, the last date), carried forward so that "the two leaders", "a similar deal" and
"the bloc" can be resolved. State changes only in :meth:`Discourse.after_clause` and
:meth:`Discourse.after_sentence`; the deciding functions only read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover
    from kg.records import AgreementType, Status

Pair = tuple[str, str]


@dataclass(frozen=True)
class ListContext:
    """A statement whose partners the lines or sentences after it list: a heading ("Norway has
    signed such agreements with:"), a count ("with six states") or an ordinal ("the second
    country with which Norway has such a pact")."""

    party: str
    types: tuple["AgreementType", ...]
    status: "Status"
    start: int  # where the statement starts in the article's text, for the evidence span


@dataclass
class Discourse:
    """What earlier clauses and sentences of the article established."""

    last_pair: Pair | None = None
    last_trio: tuple[str, ...] | None = None  # the last three parties named together ("the US, Japan and South Korea")
    trio_wanted: bool = False  # the article says "the three countries" somewhere: worth tracking trios
    last_hub: str | None = None
    last_partner: str | None = None
    last_org: str | None = None
    prev_sentence_types: list["AgreementType"] = field(default_factory=list)
    last_type: "AgreementType | None" = None
    last_weak_type: "AgreementType | None" = None  # of the last claim typed only by a hint
    topic_type: "AgreementType | None" = None
    last_date: str = ""
    claims_in_prev_sentence: bool = False
    #: how many of the article's claims so far name each party
    claimed: dict[str, int] = field(default_factory=dict)
    #: how many sentences so far named each party, in the order they were first named
    named: dict[str, int] = field(default_factory=dict)
    #: the type most of the article's agreement nouns name, found on first need
    article_type: "Callable[[], AgreementType | None] | None" = None
    #: an ordinal whose earlier partners the next sentence may name: (shared party, type)
    ordinal: "ListContext | None" = None
    #: a count of partners the next sentence may enumerate: (shared party, types, status)
    counted: "ListContext | None" = None
    #: "the agreements were signed on April 15": the status and date of the numbered items after it
    plural_status: "tuple[Status, str] | None" = None
    plural_status_heading: bool = False  # that statement ends with ':' and the lines after it list them
    plural_status_start: int = 0  # where that statement starts, for the evidence of the lines
    #: a heading ending in ':' whose lines list partners: (shared party, types, status)
    heading: "ListContext | None" = None

    def protagonist(self) -> str | None:
        """The party of the last pair (or the last subject) that the article's claims name most."""
        candidates = [c for c in (self.last_pair or ()) if c in self.claimed]
        if self.last_hub and self.last_hub not in candidates:
            candidates.append(self.last_hub)
        if not candidates:
            return None
        first = {c: i for i, c in enumerate(self.named)}  # its first sentence comes before the others'
        return max(candidates, key=lambda c: (self.claimed.get(c, 0), self.named.get(c, 0), -first.get(c, 0),
                                              c == self.last_hub))

    def leading_party(self) -> str | None:
        """The party most of the article's claims so far name."""
        return max(self.claimed, key=lambda c: self.claimed[c]) if self.claimed else None

    def saw_trio(self, codes: tuple[str, ...]) -> None:
        """Three parties were named together: "the three countries" may follow."""
        self.last_trio = codes

    def saw_parties(self, codes: list[str]) -> None:
        """A sentence named these parties."""
        for c in dict.fromkeys(codes):
            self.named[c] = self.named.get(c, 0) + 1

    def saw_organisation(self, code: str) -> None:
        """An organisation was named: "the bloc" and "the alliance" now point to it."""
        self.last_org = code

    def after_pairs(self, hub: str | None, partner: str | None) -> None:
        """A clause's subject (hub) and its one partner, once the parties of a clause are decided."""
        if hub is not None:
            self.last_hub = hub
        if partner is not None:
            self.last_partner = partner

    def after_clause(self, pairs: list[Pair], hub: str | None, date: str,
                     strong_types: list["AgreementType"], weak_types: Sequence["AgreementType"] = ()) -> None:
        """A clause gave claims for ``pairs`` of ``strong_types`` (and ``weak_types``), dated ``date``."""
        for t in weak_types:
            self.last_weak_type = t
        if date:
            self.last_date = date
        for t in strong_types:
            self.last_type = t
            self.topic_type = self.topic_type or t
        if hub:
            self.last_hub = hub
        if len(pairs) == 1:
            self.last_pair = pairs[0]
        for a, b in pairs:
            self.claimed[a] = self.claimed.get(a, 0) + 1
            self.claimed[b] = self.claimed.get(b, 0) + 1

    def after_sentence(self, had_claims: bool, strong_types: list["AgreementType"],
                       mentioned_pair: Pair | None, ordinal: "ListContext | None" = None,
                       heading: ListContext | None = None, list_item: bool = False,
                       counted: ListContext | None = None,
                       plural_status: "tuple[Status, str] | None" = None, items_only: bool = False,
                       plural_heading: bool = False, plural_start: int = 0) -> None:
        """A sentence ended; a sentence without claims may still name the pair the next ones
        talk about ("Japan and Australia are special strategic partners"), leave an ordinal whose
        earlier partners the next sentence names, or open (or continue) a list of partners."""
        if mentioned_pair is not None:
            self.last_pair = mentioned_pair
        self.claims_in_prev_sentence = had_claims
        self.prev_sentence_types = strong_types
        self.ordinal = ordinal
        self.counted = counted
        if plural_status is not None or (had_claims and not items_only):
            self.plural_status = plural_status
            self.plural_status_heading = plural_heading
            self.plural_status_start = plural_start
        if heading is not None:
            self.heading = heading
        elif not list_item:
            self.heading = None
