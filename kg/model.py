"""Claims -> RDF (a named graph per article) and merged agreements, with provenance.

Merging is plain Python over records (:func:`merge`); the ``*_quads`` functions turn records
into pyoxigraph quads in the graphs that :mod:`kg.vocab` names:

* an article's named graph holds the article, its claims (with evidence) and its partner counts;
* ``graph/agreements`` holds the merged agreements and the direct party-to-party links;
* ``graph/parties`` holds the parties (label, kind, code, ``owl:sameAs`` Wikidata);
* ``graph/ontology`` holds ``kg/data/ontology.ttl`` (labels and notations of types and statuses);
* ``graph/build`` exists only while the derived graphs may be stale (``kg:derivationPending``).

The merge rule
--------------
Claims are grouped by the unordered pair of parties and the agreement type. Each claim is
ordered by its *effective date* (its status date, the first day of the month or year when
partial; else its article's publication date), then by its article's publication date. The
most recent claims give the status. When those most recent claims disagree, the agreement
keeps all of them, is marked ``conflict``, and takes the status that ranks highest in
:data:`STAGE_ORDER`: a later stage wins over an earlier one, and an end (suspended,
terminated) over any stage, because a report of an end is news about an agreement that exists.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, XSD

from kg import vocab
from kg.records import AGREEMENT_TYPES, STATUS_TERMS, Agreement, Article, Claim, PartnerCount, Party
from kg.vocab import KG

#: Rank of each status for the conflict rule (the highest wins; ``kg:stageOrder`` in the
#: ontology), from :data:`kg.records.STATUS_TERMS`.
STAGE_ORDER: dict[str, int] = {status.value: term.stage for status, term in STATUS_TERMS.items()}


# ---------------------------------------------------------------------------------------------
# Dates


def parse_claim_date(value: str) -> dt.date | None:
    """A claim date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``""``) as the first day it covers.

    >>> parse_claim_date("2024-06")
    datetime.date(2024, 6, 1)
    >>> parse_claim_date("") is None
    True
    """
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


def publication_dates(
    articles: Iterable[Article] | Mapping[str, Article | dt.date | str | None],
) -> dict[str, dt.date | None]:
    """Article id -> publication date, from articles or a mapping of id -> article (or date).

    The mapping form accepts what :func:`kg.read.articles` returns.
    """
    if not isinstance(articles, Mapping):
        return {a.id: a.date for a in articles}
    out: dict[str, dt.date | None] = {}
    for key, value in articles.items():
        if isinstance(value, Article):
            value = value.date
        out[key] = parse_claim_date(value) if isinstance(value, str) else value
    return out


def effective_date(claim: Claim, published: dt.date | None) -> dt.date | None:
    """The date a claim is ordered by: its status date, else its article's publication date."""
    return parse_claim_date(claim.date) or published


def _rank(claim: Claim, pub: Mapping[str, dt.date | None]) -> tuple[dt.date, dt.date]:
    published = pub.get(claim.article_id)
    return (effective_date(claim, published) or dt.date.min, published or dt.date.min)


# ---------------------------------------------------------------------------------------------
# Merging


def _latest(claims: Sequence[Claim], pub: Mapping[str, dt.date | None]) -> list[Claim]:
    best = max(_rank(c, pub) for c in claims)
    return [c for c in claims if _rank(c, pub) == best]


class Told(NamedTuple):
    """What the claims of an agreement tell: its status, status date and whether they conflict."""

    status: str
    date: str
    conflict: bool


class _Tally:
    """The merge rule, one claim at a time: it keeps the most recent plain claims and the most
    recent claims of any kind, so the status after each claim costs no re-reading. Claims that
    state their status plainly decide it; hedged ones ("pursuing agreements with ...") only
    when nothing else does."""

    def __init__(self, pub: Mapping[str, dt.date | None]) -> None:
        self.pub = pub
        self.latest: dict[bool, tuple[tuple[dt.date, dt.date], list[Claim]]] = {}  # plain? -> (rank, claims)

    def add(self, claim: Claim) -> None:
        rank = _rank(claim, self.pub)
        for plain in {False, not claim.hedged}:
            best = self.latest.get(plain)
            if best is None or rank > best[0]:
                self.latest[plain] = (rank, [claim])
            elif rank == best[0]:
                best[1].append(claim)

    def told(self) -> Told:
        latest = (self.latest.get(True) or self.latest[False])[1]
        statuses = {c.status for c in latest}
        status = max(statuses, key=lambda s: (STAGE_ORDER.get(s, 0), s))
        # The most precise date any of the winning claims gives.
        date = max((c.date for c in latest if c.status == status), key=len, default="")
        return Told(status, date, len(statuses) > 1)


def merge(
    claims: Iterable[Claim], articles: Iterable[Article] | Mapping[str, Any]
) -> list[Agreement]:
    """Merge claims into agreements, one per unordered pair of parties and agreement type.

    Args:
        claims: claims of any number of articles.
        articles: the articles (or id -> publication date) the claims come from; a claim of an
            article not given is ordered as if its article had no date.

    Returns:
        agreements sorted by (party_a, party_b, agreement_type); see the module docstring for
        how status, date and conflict are chosen.

    >>> from kg.records import Evidence
    >>> ev = Evidence("...", 0, 3)
    >>> a = Claim("a1", "a.txt", "JPN", "UKR", "intelligence_sharing", "talks_agreed", "", ev)
    >>> b = Claim("b1", "b.txt", "JPN", "UKR", "intelligence_sharing", "negotiating", "", ev)
    >>> [m] = merge([a, b], {"a1": dt.date(2024, 6, 19), "b1": dt.date(2024, 6, 19)})
    >>> (m.status, m.conflict, m.sources)
    ('negotiating', True, 2)
    """
    pub = publication_dates(articles)
    groups: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        first, second = sorted((claim.party_a, claim.party_b))
        groups[(first, second, claim.agreement_type)].append(claim)

    merged = []
    for (party_a, party_b, agreement_type), group in sorted(groups.items()):
        tally = _Tally(pub)
        for claim in group:
            tally.add(claim)
        status, date, conflict = tally.told()
        reported = sorted(d for d in (pub.get(c.article_id) for c in group) if d is not None)
        merged.append(
            Agreement(
                party_a=party_a,
                party_b=party_b,
                agreement_type=agreement_type,
                status=status,
                date=date,
                claims=sorted(group, key=lambda c: (_rank(c, pub), c.file, c.evidence.start)),
                conflict=conflict,
                first_reported=reported[0] if reported else None,
                last_reported=reported[-1] if reported else None,
            )
        )
    return merged


def known_on(claim: Claim, published: dt.date | None) -> dt.date | None:
    """The first day on which a claim was told: the later of its article's publication and the
    first day of its status date (a claim dated 2025 was not told in 2024, whatever its
    article's date); None when neither is known (it counts on any day)."""
    days = [d for d in (published, parse_claim_date(claim.date)) if d is not None]
    return max(days, default=None)


def as_of(
    agreements: Iterable[Agreement], day: dt.date, articles: Iterable[Article] | Mapping[str, Any]
) -> list[Agreement]:
    """The agreements as the claims told by ``day`` (:func:`known_on`) tell them: each merged
    again from those claims by :func:`merge`; an agreement none of them tells is left out.

    >>> from kg.records import Evidence
    >>> ev = Evidence("...", 0, 3)
    >>> talks = Claim("a1", "a.txt", "DEU", "FRA", "logistics", "negotiating", "", ev)
    >>> signed = Claim("a2", "b.txt", "DEU", "FRA", "logistics", "signed", "2024-05", ev)
    >>> published = {"a1": dt.date(2024, 3, 1), "a2": dt.date(2024, 6, 1)}
    >>> [agreement] = merge([talks, signed], published)
    >>> [(a.status, a.sources) for a in as_of([agreement], dt.date(2024, 4, 1), published)]
    [('negotiating', 1)]
    >>> [a.status for a in as_of([agreement], dt.date(2024, 6, 1), published)]
    ['signed']
    """
    pub = publication_dates(articles)
    told = []
    for agreement in agreements:
        kept = [c for c in agreement.claims if (known_on(c, pub.get(c.article_id)) or day) <= day]
        if len(kept) == len(agreement.claims):
            told.append(agreement)
        elif kept:
            told += merge(kept, pub)
    return told


def history(
    agreement: Agreement, articles: Iterable[Article] | Mapping[str, Any]
) -> list[tuple[dt.date | None, Told]]:
    """How the claims told an agreement over time: (first day, what the claims told by then
    tell, as :func:`as_of` gives it), one entry for each day on which the status, date or
    conflict changed, in order. The first day is None when some claim has no date at all (it
    counts on any day). The last entry is the agreement as all its claims tell it.

    >>> from kg.records import Evidence
    >>> ev = Evidence("...", 0, 3)
    >>> talks = Claim("a1", "a.txt", "DEU", "FRA", "logistics", "negotiating", "", ev)
    >>> signed = Claim("a2", "b.txt", "DEU", "FRA", "logistics", "signed", "2024-05", ev)
    >>> published = {"a1": dt.date(2024, 3, 1), "a2": dt.date(2024, 6, 1)}
    >>> [agreement] = merge([talks, signed], published)
    >>> [(str(day), told.status) for day, told in history(agreement, published)]
    [('2024-03-01', 'negotiating'), ('2024-06-01', 'signed')]
    """
    return _history(agreement, publication_dates(articles))


def _history(agreement: Agreement, pub: Mapping[str, dt.date | None]) -> list[tuple[dt.date | None, Told]]:
    known = sorted(((known_on(c, pub.get(c.article_id)), c) for c in agreement.claims),
                   key=lambda pair: (pair[0] is not None, pair[0] or dt.date.min))
    tally = _Tally(pub)
    states: list[tuple[dt.date | None, Told]] = []
    for i, (day, claim) in enumerate(known):
        tally.add(claim)
        if i + 1 < len(known) and known[i + 1][0] == day:
            continue  # the day's other claims first
        told = tally.told()
        if not states or states[-1][1] != told:
            states.append((day, told))
    return states


def conflicting_claims(
    agreement: Agreement, articles: Iterable[Article] | Mapping[str, Any]
) -> list[Claim]:
    """The most recent claims of a conflicting agreement (both sides); ``[]`` if no conflict."""
    return _conflicting(agreement, publication_dates(articles))


def _conflicting(agreement: Agreement, pub: Mapping[str, dt.date | None]) -> list[Claim]:
    if not agreement.conflict or not agreement.claims:
        return []
    return _latest(agreement.claims, pub)


# ---------------------------------------------------------------------------------------------
# RDF terms


@functools.lru_cache(maxsize=65536)
def node(iri: str) -> ox.NamedNode:
    """A pyoxigraph named node for an rdflib URIRef (or IRI string from :mod:`kg.vocab`);
    cached, since the same terms (classes, properties, parties) make up most quads."""
    return ox.NamedNode(str(iri))


def _string(value: str) -> ox.Literal:
    return ox.Literal(value)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=node(XSD.integer))


def _boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=node(XSD.boolean))


#: ``true`` as :func:`_boolean` writes it.
TRUE = _boolean(True)


def _date(value: dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=node(XSD.date))


_PARTIAL_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def status_date_literal(value: str) -> ox.Literal | None:
    """A claim date as a literal of its own precision (xsd:gYear, xsd:gYearMonth, xsd:date)."""
    datatype = _PARTIAL_DATE_TYPES.get(len(value))
    if not value or datatype is None or parse_claim_date(value) is None:
        return None
    return ox.Literal(value, datatype=node(datatype))


#: kg:sortKey packs this many digits, each below SORT_KEY_RADIX (the largest digit of
#: :func:`_key_digit` is 40), into one xsd:integer under 2**63: two codes of up to four
#: characters, each ended by a digit, and the type.
SORT_KEY_DIGITS, SORT_KEY_RADIX = 11, 41
#: The digit after a party's code: before any character, as the end of a string sorts.
_END_OF_CODE = 1
#: The agreement types in the order of their names, as SPARQL sorts them.
_TYPES_BY_NAME = sorted(AGREEMENT_TYPES)


def _key_digit(char: str) -> tuple[int, bool]:
    """A character's sort-key digit (in the order of the characters) and whether no other
    character has it: digits and capitals, what codes are written in, each have their own;
    every other character shares one with its neighbours."""
    if "0" <= char <= "9":
        return 3 + ord(char) - ord("0"), True
    if "A" <= char <= "Z":
        return 14 + ord(char) - ord("A"), True
    return (2 if char < "0" else 13 if char < "A" else 40), False


def sort_key(party_a: str, party_b: str, agreement_type: str) -> int:
    """An integer in the order of an agreement's (party A code, party B code, type), for
    ``ORDER BY ?sort_key ?party_a ?party_b ?agreement_type``: Oxigraph compares two integers
    much faster than three strings, and the strings decide only between equal keys.

    Never out of order (a smaller tuple never gets a larger key): the key holds the codes'
    first characters, each code ended by a digit below every character, then the type; it
    stops at the first character that shares its digit (what follows could not order it) and
    after :data:`SORT_KEY_DIGITS` digits. Equal keys are left to the strings.

    >>> sort_key("AUS", "JPN", "logistics") < sort_key("AUS", "JPNX", "defense_cooperation")
    True
    >>> sort_key("AUS", "a1", "other") == sort_key("AUS", "b0", "other")
    True
    """
    digits: list[int] = []
    for code in (party_a, party_b):
        for char in code:
            digit, exact = _key_digit(char)
            digits.append(digit)
            if not exact:
                return _pack(digits)
        digits.append(_END_OF_CODE)
    digits.append(_TYPES_BY_NAME.index(agreement_type))
    return _pack(digits)


def _pack(digits: Sequence[int]) -> int:
    """The first :data:`SORT_KEY_DIGITS` digits as one integer, missing ones 0."""
    digits = [*digits[:SORT_KEY_DIGITS], *[0] * (SORT_KEY_DIGITS - len(digits))]
    return functools.reduce(lambda key, digit: key * SORT_KEY_RADIX + digit, digits, 0)


def _evidence_quads(subject: ox.NamedNode, evidence, graph: ox.NamedNode) -> list[ox.Quad]:
    ev = node(vocab.evidence_iri(subject.value))
    return [
        ox.Quad(subject, node(KG.evidence), ev, graph),
        ox.Quad(ev, node(RDF.type), node(KG.Evidence), graph),
        ox.Quad(ev, node(KG.sentence), _string(evidence.sentence), graph),
        ox.Quad(ev, node(KG.startOffset), _integer(evidence.start), graph),
        ox.Quad(ev, node(KG.endOffset), _integer(evidence.end), graph),
    ] + ([ox.Quad(ev, node(KG.inTitle), _boolean(True), graph)] if evidence.in_title else [])


def claim_quads(
    claim: Claim, published: dt.date | None, graph: ox.NamedNode | None = None
) -> list[ox.Quad]:
    """The quads of one claim and its evidence, in its article's graph."""
    graph = graph or node(vocab.article_graph(claim.article_id))
    subject = node(vocab.claim_iri(claim))
    quads = [
        ox.Quad(subject, node(RDF.type), node(KG.Claim), graph),
        ox.Quad(subject, node(KG.party), node(vocab.party_iri(claim.party_a)), graph),
        ox.Quad(subject, node(KG.party), node(vocab.party_iri(claim.party_b)), graph),
        ox.Quad(subject, node(KG.agreementType), node(vocab.type_iri(claim.agreement_type)), graph),
        ox.Quad(subject, node(KG.status), node(vocab.status_iri(claim.status)), graph),
        ox.Quad(subject, node(PROV.wasDerivedFrom), node(vocab.article_iri(claim.article_id)), graph),
    ]
    status_date = status_date_literal(claim.date)
    if status_date is not None:
        quads.append(ox.Quad(subject, node(KG.statusDate), status_date, graph))
    if claim.hedged:
        quads.append(ox.Quad(subject, node(KG.hedged), _boolean(True), graph))
    ordered = effective_date(claim, published)
    if ordered is not None:
        quads.append(ox.Quad(subject, node(KG.effectiveDate), _date(ordered), graph))
    quads.extend(_evidence_quads(subject, claim.evidence, graph))
    return quads


def counted_named(count: PartnerCount, parties: Mapping[str, Party] | None = None) -> list[str]:
    """The named partners that are among the ones counted.

    'agreements with eight other countries including A, B and C, as well as with NATO' counts
    countries (``count.counted_kind``, decided by the extractor): NATO is named but not one of
    the eight, so three of them are named.
    """
    parties = parties or {}
    named = sorted(set(count.named))
    wanted = {"country": KG.Country, "organisation": KG.InternationalOrganisation}.get(count.counted_kind)
    if wanted is None:
        return named
    return [c for c in named if _party_class(parties.get(c) or Party.unknown(c)) == wanted]


def partner_count_quads(
    count: PartnerCount,
    graph: ox.NamedNode | None = None,
    parties: Mapping[str, Party] | None = None,
) -> list[ox.Quad]:
    """The quads of a partner-count statement: party, count, named partners, evidence.

    ``kg:namedPartner`` lists every partner the sentence names; ``kg:namedCount`` counts those
    that are among the counted ones (:func:`counted_named`).
    """
    graph = graph or node(vocab.article_graph(count.article_id))
    subject = node(vocab.partner_count_iri(count))
    named = sorted(set(count.named))
    quads = [
        ox.Quad(subject, node(RDF.type), node(KG.PartnerCount), graph),
        ox.Quad(subject, node(KG.party), node(vocab.party_iri(count.party)), graph),
        ox.Quad(subject, node(KG.partnerCount), _integer(count.count), graph),
        ox.Quad(subject, node(KG.namedCount), _integer(len(counted_named(count, parties))), graph),
        ox.Quad(subject, node(KG.agreementType), node(vocab.type_iri(count.agreement_type)), graph),
        ox.Quad(subject, node(KG.status), node(vocab.status_iri(count.status)), graph),
        ox.Quad(subject, node(PROV.wasDerivedFrom), node(vocab.article_iri(count.article_id)), graph),
    ]
    quads += [
        ox.Quad(subject, node(KG.namedPartner), node(vocab.party_iri(code)), graph) for code in named
    ]
    quads.extend(_evidence_quads(subject, count.evidence, graph))
    return quads


def article_quads(
    article: Article,
    claims: Sequence[Claim] = (),
    counts: Sequence[PartnerCount] = (),
    parties: Mapping[str, Party] | None = None,
) -> list[ox.Quad]:
    """The named graph of one article: its metadata, claims and partner counts.

    ``parties`` (code -> gazetteer party) tells countries from organisations for partner
    counts; without it, three-letter upper-case codes are countries.
    """
    graph = node(vocab.article_graph(article.id))
    subject = node(vocab.article_iri(article.id))
    quads = [
        ox.Quad(subject, node(RDF.type), node(KG.Article), graph),
        ox.Quad(subject, node(DCTERMS.identifier), _string(article.id), graph),
        ox.Quad(subject, node(KG.file), _string(article.file), graph),
    ]
    if article.path:
        quads.append(ox.Quad(subject, node(KG.path), _string(article.path), graph))
    if article.title:
        quads.append(ox.Quad(subject, node(DCTERMS.title), _string(article.title), graph))
    if article.date is not None:
        quads.append(ox.Quad(subject, node(DCTERMS.issued), _date(article.date), graph))
    if article.url:
        quads.append(
            ox.Quad(subject, node(SDO.url), ox.Literal(article.url, datatype=node(XSD.anyURI)), graph)
        )
    for claim in claims:
        quads += claim_quads(claim, article.date, graph)
    for count in counts:
        quads += partner_count_quads(count, graph, parties)
    return quads


def agreement_quads(
    agreements: Iterable[Agreement], articles: Iterable[Article] | Mapping[str, Any]
) -> list[ox.Quad]:
    """The ``graph/agreements`` graph: merged agreements with provenance, and direct links."""
    pub = publication_dates(articles)
    graph = node(vocab.AGREEMENTS_GRAPH)
    quads: list[ox.Quad] = []
    for agreement in agreements:
        subject = node(vocab.agreement_iri(agreement.party_a, agreement.party_b, agreement.agreement_type))
        # kg:partyA / kg:partyB: the parties in the order of their IRIs, so that a query reads
        # each agreement once without joining kg:party with itself and comparing strings.
        (party_a, code_a), (party_b, code_b) = sorted(
            ((node(vocab.party_iri(code)), code) for code in (agreement.party_a, agreement.party_b)),
            key=lambda party: party[0].value,
        )
        quads += [
            ox.Quad(subject, node(RDF.type), node(KG.Agreement), graph),
            ox.Quad(subject, node(KG.party), party_a, graph),
            ox.Quad(subject, node(KG.party), party_b, graph),
            ox.Quad(subject, node(KG.partyA), party_a, graph),
            ox.Quad(subject, node(KG.partyB), party_b, graph),
            ox.Quad(subject, node(KG.agreementType), node(vocab.type_iri(agreement.agreement_type)), graph),
            ox.Quad(subject, node(KG.status), node(vocab.status_iri(agreement.status)), graph),
            ox.Quad(subject, node(KG.sourceCount), _integer(agreement.sources), graph),
            ox.Quad(subject, node(KG.conflict), _boolean(agreement.conflict), graph),
            ox.Quad(subject, node(KG.sortKey), _integer(sort_key(code_a, code_b, agreement.agreement_type)), graph),
        ]
        status_date = status_date_literal(agreement.date)
        if status_date is not None:
            quads.append(ox.Quad(subject, node(KG.statusDate), status_date, graph))
        if agreement.first_reported is not None:
            quads.append(ox.Quad(subject, node(KG.firstReported), _date(agreement.first_reported), graph))
        if agreement.last_reported is not None:
            quads.append(ox.Quad(subject, node(KG.lastReported), _date(agreement.last_reported), graph))
        quads += _state_quads(subject, _history(agreement, pub), graph)
        for claim in agreement.claims:
            quads.append(ox.Quad(subject, node(PROV.wasDerivedFrom), node(vocab.claim_iri(claim)), graph))
        for claim in _conflicting(agreement, pub):
            quads.append(ox.Quad(subject, node(KG.conflictingClaim), node(vocab.claim_iri(claim)), graph))
        direct = node(vocab.DIRECT_PROPERTY[agreement.agreement_type])
        for left, right in ((party_a, party_b), (party_b, party_a)):
            quads.append(ox.Quad(left, direct, right, graph))
            quads.append(ox.Quad(left, node(KG.agreementWith), right, graph))
    # Two agreements of different types between the same pair give the same kg:agreementWith
    # link: keep one.
    return list(dict.fromkeys(quads))


def _state_quads(
    agreement: ox.NamedNode, states: Sequence[tuple[dt.date | None, Told]], graph: ox.NamedNode
) -> list[ox.Quad]:
    """An agreement's place in time (:func:`history`): ``kg:validFrom`` on the agreement itself,
    the first day its claims told it as it now stands, and one ``kg:state`` node for each
    earlier state, from its day (none: from the start) until the next one's. Most agreements
    never changed and get one quad."""
    quads = []
    for i, (since, told) in enumerate(states):
        last = i + 1 == len(states)
        state = agreement if last else node(vocab.state_iri(agreement.value, since))
        if since is not None:
            quads.append(ox.Quad(state, node(KG.validFrom), _date(since), graph))
        if last:
            break
        quads += [
            ox.Quad(agreement, node(KG.state), state, graph),
            ox.Quad(state, node(KG.status), node(vocab.status_iri(told.status)), graph),
            ox.Quad(state, node(KG.validUntil), _date(states[i + 1][0] or dt.date.min), graph),
        ]
        if told.conflict:
            quads.append(ox.Quad(state, node(KG.conflict), TRUE, graph))
        status_date = status_date_literal(told.date)
        if status_date is not None:
            quads.append(ox.Quad(state, node(KG.statusDate), status_date, graph))
    return quads


def _party_class(party: Party) -> str:
    return KG.InternationalOrganisation if party.kind == "organisation" else KG.Country


def party_quads(codes: Iterable[str], parties: Mapping[str, Party]) -> list[ox.Quad]:
    """The ``graph/parties`` graph: each party's kind, label, code and Wikidata entity."""
    graph = node(vocab.PARTIES_GRAPH)
    # the terms looked up once: rdflib's namespace attributes cost some 50 us each
    kind, code_of, label, same_as, any_party = (node(RDF.type), node(KG.code), node(RDFS.label), node(OWL.sameAs),
                                                node(KG.Party))
    classes: dict[str, ox.NamedNode] = {cls: node(cls) for cls in (KG.InternationalOrganisation, KG.Country)}
    quads = []
    for code in sorted(set(codes)):
        party = parties.get(code) or Party.unknown(code)
        subject = node(vocab.party_iri(code))
        quads += [
            ox.Quad(subject, kind, classes[_party_class(party)], graph),
            ox.Quad(subject, kind, any_party, graph),
            ox.Quad(subject, code_of, _string(code), graph),
            ox.Quad(subject, label, _string(party.name), graph),
        ]
        if party.qid:
            quads.append(ox.Quad(subject, same_as, node(vocab.WD[party.qid]), graph))
    return quads


def ontology_quads() -> list[ox.Quad]:
    """``kg/data/ontology.ttl`` in the ``graph/ontology`` graph."""
    return [
        ox.Quad(t.subject, t.predicate, t.object, node(vocab.ONTOLOGY_GRAPH))
        for t in ox.parse(path=str(vocab.ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    ]


def pending_quads(article_ids: Iterable[str] = ()) -> list[ox.Quad]:
    """The mark that the derived graphs may not follow from the claims (see ``vocab.BUILD_GRAPH``),
    with the articles whose graphs a write under way may have left half written."""
    graph = node(vocab.BUILD_GRAPH)
    quads = [ox.Quad(graph, node(vocab.KG.derivationPending), ox.Literal(True), graph)]
    article = node(vocab.KG.pendingArticle)
    quads += [ox.Quad(graph, article, ox.Literal(article_id), graph) for article_id in sorted(article_ids)]
    return quads


def party_codes(claims: Iterable[Claim], counts: Iterable[PartnerCount] = ()) -> set[str]:
    """Every party code the claims and partner counts mention."""
    codes: set[str] = set()
    for claim in claims:
        codes.update((claim.party_a, claim.party_b))
    for count in counts:
        codes.add(count.party)
        codes.update(count.named)
    return codes
