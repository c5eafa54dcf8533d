"""The record types every stage shares: Party, Article, Evidence, Claim, PartnerCount, Agreement;
and the one table of agreement types and statuses (:data:`TYPE_TERMS`, :data:`STATUS_TERMS`)
that the vocabulary, the ontology, the shapes, the merge rule and the view derive from."""

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

    @property
    def term(self) -> TypeTerm:
        """This type's row of :data:`TYPE_TERMS` (label, definition, colour, ...)."""
        return TYPE_TERMS[self]


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

    @property
    def term(self) -> StatusTerm:
        """This status's row of :data:`STATUS_TERMS` (label, stage, line style, ...).

        >>> Status.SIGNED.term.stage < Status.IN_FORCE.term.stage
        True
        """
        return STATUS_TERMS[self]


@dataclass(frozen=True)
class TypeTerm:
    """What kg says about one agreement type, everywhere it says it.

    The ontology's SKOS concept (``kg/data/ontology.ttl``: label, alternative labels,
    definition, CAMEO codes), its direct party-to-party property (:data:`kg.vocab.DIRECT_PROPERTY`)
    and the view's edge colour all come from this one row; ``tests/test_vocab.py`` checks that
    the Turtle says exactly what :data:`TYPE_TERMS` says.
    """

    label: str
    definition: str
    cameo_codes: tuple[str, ...]
    direct_property: str
    direct_label: str
    color: str
    alt_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusTerm:
    """What kg says about one status, everywhere it says it.

    ``stage`` is the rank for the conflict rule (the highest wins: later stages over earlier
    ones, an end over any stage); ``dashes`` the view's line style (dash and gap lengths; ``()``
    is a solid line), one per status; ``ended`` marks statuses of
    agreements that no longer hold, drawn in their status's own ``color`` instead of their
    type's (one colour each, so that an ended agreement's line tells how it ended).
    """

    label: str
    definition: str
    cameo_code: str
    stage: int
    dashes: tuple[int, ...]
    ended: bool = False
    color: str = ""


#: The one table of agreement types (Okabe-Ito colours, readable by colour-blind users).
TYPE_TERMS: dict[AgreementType, TypeTerm] = {
    AgreementType.INTELLIGENCE_SHARING: TypeTerm(
        label="intelligence sharing",
        alt_labels=("information security agreement", "GSOMIA"),
        definition="Exchange and protection of classified information and intelligence "
        "(information security agreements, GSOMIA).",
        cameo_codes=("0314", "064"),
        direct_property="intelligenceSharingWith",
        direct_label="has an intelligence-sharing agreement with",
        color="#D55E00",
    ),
    AgreementType.RECIPROCAL_ACCESS: TypeTerm(
        label="reciprocal access",
        alt_labels=("RAA", "SOFA", "visiting forces agreement"),
        definition="The status of one party's forces on the other's territory (reciprocal "
        "access agreements, SOFA, visiting forces agreements).",
        cameo_codes=("0312", "062"),
        direct_property="reciprocalAccessWith",
        direct_label="has a reciprocal access agreement with",
        color="#0072B2",
    ),
    AgreementType.LOGISTICS: TypeTerm(
        label="logistics",
        alt_labels=("ACSA", "LEMOA", "MLSA"),
        definition="Mutual provision of logistical support, supplies and services "
        "(ACSA, LEMOA, MLSA).",
        cameo_codes=("0312", "062"),
        direct_property="logisticsWith",
        direct_label="has a logistics agreement with",
        color="#009E73",
    ),
    AgreementType.DEFENSE_COOPERATION: TypeTerm(
        label="defence cooperation",
        definition="General defence or security cooperation: equipment and technology "
        "transfer, exercises, training.",
        cameo_codes=("0312", "062"),
        direct_property="defenseCooperationWith",
        direct_label="has a defence cooperation agreement with",
        color="#CC79A7",
    ),
    AgreementType.MUTUAL_DEFENSE: TypeTerm(
        label="mutual defence",
        definition="A pledge of mutual aid if one party is attacked.",
        cameo_codes=("0312", "062"),
        direct_property="mutualDefenseWith",
        direct_label="has a mutual defence agreement with",
        color="#E69F00",
    ),
    AgreementType.OTHER: TypeTerm(
        label="other",
        definition="An agreement of another kind (trade, investment, ...).",
        cameo_codes=("031", "061"),
        direct_property="otherAgreementWith",
        direct_label="has another kind of agreement with",
        color="#56B4E9",
    ),
}

#: The one table of statuses.
STATUS_TERMS: dict[Status, StatusTerm] = {
    Status.SIGNED: StatusTerm(
        label="signed",
        definition="The agreement has been signed.",
        cameo_code="057",
        stage=5,
        dashes=(18, 4),
    ),
    Status.IN_FORCE: StatusTerm(
        label="in force",
        definition="The agreement has been ratified or has entered into force.",
        cameo_code="064",
        stage=6,
        dashes=(),
    ),
    Status.AGREED_IN_PRINCIPLE: StatusTerm(
        label="agreed in principle",
        definition="The parties have agreed on the substance (a preliminary agreement) but "
        "not signed.",
        cameo_code="0314",
        stage=4,
        dashes=(12, 7),
    ),
    Status.NEGOTIATING: StatusTerm(
        label="negotiating",
        definition="Negotiations are under way.",
        cameo_code="046",
        stage=3,
        dashes=(6, 6),
    ),
    Status.TALKS_AGREED: StatusTerm(
        label="talks agreed",
        definition="The parties have agreed to start negotiations.",
        cameo_code="036",
        stage=2,
        dashes=(2, 6),
    ),
    Status.PROPOSED: StatusTerm(
        label="proposed",
        definition="One party has proposed the agreement; the other has not agreed to talks.",
        cameo_code="030",
        stage=1,
        dashes=(1, 11),
    ),
    Status.TERMINATED: StatusTerm(
        label="terminated",
        definition="The agreement has been terminated or a party has withdrawn from it.",
        cameo_code="16",
        stage=8,
        dashes=(14, 4, 2, 4, 2, 4),
        ended=True,
        color="#9E9E9E",
    ),
    Status.SUSPENDED: StatusTerm(
        label="suspended",
        definition="A party has suspended the agreement.",
        cameo_code="1622",
        stage=7,
        dashes=(8, 4, 2, 4),
        ended=True,
        color="#909040",
    ),
}

#: Agreement kinds, in the order they are documented.
AGREEMENT_TYPES: tuple[str, ...] = tuple(t.value for t in AgreementType)

#: Statuses an agreement can be reported in.
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


#: Kinds of party.
PARTY_KINDS: tuple[str, ...] = ("country", "organisation")


def is_country_code(code: str) -> bool:
    """Whether a party code the gazetteer does not know is a country's: ISO 3166-1 alpha-3
    codes are three capital letters; anything else is taken for an organisation's acronym.

    >>> is_country_code("JPN"), is_country_code("NATO"), is_country_code("Eu")
    (True, False, False)
    """
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


@dataclass(frozen=True)
class Party:
    """A country or organisation that can be party to an agreement: the one party record, read
    from the gazetteer's data (``kg.gazetteer``) or from a store's ``graph/parties``.

    Attributes:
        code: ISO 3166-1 alpha-3 code, or the organisation's acronym (``NATO``).
        qid: Wikidata item ID, or ``""`` when none is known (Quad, Five Eyes, AUKUS).
        name: display name.
        kind: ``country`` or ``organisation`` (:data:`PARTY_KINDS`).
        names: every surface form that names it (names, aliases, acronyms); informative,
            empty for a party read from a store.
    """

    code: str
    qid: str
    name: str
    kind: str
    names: tuple[str, ...] = ()

    @classmethod
    def unknown(cls, code: str) -> Party:
        """A party known only by its code: named by it, a country if :func:`is_country_code`.

        >>> Party.unknown("NATO")
        Party(code='NATO', qid='', name='NATO', kind='organisation', names=())
        """
        return cls(code, "", code, "country" if is_country_code(code) else "organisation")


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
    #: the kind of party the sentence counts ('country', 'organisation'; '' either), decided at extraction
    counted_kind: str = ""


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
