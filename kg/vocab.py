"""The ontology's terms as one namespace, and every IRI kg mints (mirrors kg/data/ontology.ttl).

No other module writes an IRI as a string: ontology terms come from :class:`KG`, instance IRIs
from the helper functions below, W3C vocabularies from rdflib's namespaces.

>>> party_iri("JPN")
rdflib.term.URIRef('https://w3id.org/kg/party/JPN')
>>> agreement_iri("NZL", "JPN", "intelligence_sharing")
rdflib.term.URIRef('https://w3id.org/kg/agreement/JPN-NZL-intelligence_sharing')
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

from kg.records import AGREEMENT_TYPES, STATUSES, TYPE_TERMS, Claim, PartnerCount

#: Every IRI kg mints starts with this.
BASE = "https://w3id.org/kg/"

#: Where the ontology and the SHACL shapes live (package data, shipped in the wheel).
DATA_DIR = Path(__file__).resolve().parent / "data"
ONTOLOGY_FILE = DATA_DIR / "ontology.ttl"
SHAPES_FILE = DATA_DIR / "shapes.ttl"


class KG(DefinedNamespace):
    """Classes and properties of the kg ontology (``kg/data/ontology.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Party: URIRef
    Country: URIRef
    InternationalOrganisation: URIRef
    Agreement: URIRef
    AgreementState: URIRef
    Claim: URIRef
    Evidence: URIRef
    Article: URIRef
    PartnerCount: URIRef
    AgreementType: URIRef
    Status: URIRef
    AgreementTypeScheme: URIRef
    StatusScheme: URIRef
    # agreements and claims
    party: URIRef
    partyA: URIRef
    partyB: URIRef
    agreementType: URIRef
    status: URIRef
    statusDate: URIRef
    hedged: URIRef
    effectiveDate: URIRef
    evidence: URIRef
    sentence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    inTitle: URIRef
    sourceCount: URIRef
    firstReported: URIRef
    lastReported: URIRef
    conflict: URIRef
    conflictingClaim: URIRef
    sortKey: URIRef
    state: URIRef
    validFrom: URIRef
    validUntil: URIRef
    # partner counts
    partnerCount: URIRef
    namedPartner: URIRef
    namedCount: URIRef
    # parties, articles, concepts
    code: URIRef
    file: URIRef
    path: URIRef
    derivationPending: URIRef
    pendingArticle: URIRef
    stageOrder: URIRef
    cameoCode: URIRef
    # direct properties between parties
    agreementWith: URIRef
    intelligenceSharingWith: URIRef
    reciprocalAccessWith: URIRef
    logisticsWith: URIRef
    defenseCooperationWith: URIRef
    mutualDefenseWith: URIRef
    otherAgreementWith: URIRef


#: The ontology document itself.
ONTOLOGY = URIRef(BASE + "ontology")
#: Wikidata entities, for ``owl:sameAs``.
WD = Namespace("http://www.wikidata.org/entity/")
#: Concept IRIs of the two SKOS schemes.
TYPE = Namespace(BASE + "type/")
STATUS = Namespace(BASE + "status/")

#: Named graphs that are not an article's.
AGREEMENTS_GRAPH = URIRef(BASE + "graph/agreements")
PARTIES_GRAPH = URIRef(BASE + "graph/parties")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
#: Holds ``kg:derivationPending true`` while the derived graphs may not follow from the
#: article graphs (a write to an endpoint under way or cut off, RDF loaded by ``kg load``).
BUILD_GRAPH = URIRef(BASE + "graph/build")

#: The direct party-to-party property for each agreement type (from :data:`kg.records.TYPE_TERMS`).
DIRECT_PROPERTY: dict[str, URIRef] = {
    kind.value: KG[term.direct_property] for kind, term in TYPE_TERMS.items()
}

#: Prefixes for SPARQL and serialisations (shipped queries declare the ones they use).
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "party": BASE + "party/",
    "agreement": BASE + "agreement/",
    "claim": BASE + "claim/",
    "kgg": BASE + "graph/",
    "article": BASE + "article/",
    "type": str(TYPE),
    "status": str(STATUS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "schema": str(SDO),
    "wd": str(WD),
}


def sparql_prologue(text: str = "") -> str:
    """``PREFIX`` lines for every kg prefix that ``text`` does not declare itself."""
    lowered = text.lower()
    return "".join(
        f"PREFIX {name}: <{iri}>\n"
        for name, iri in PREFIXES.items()
        if f"prefix {name}:" not in lowered
    )


def _digest(*parts: object) -> str:
    # A content hash, so that the same claim from the same article gets the same IRI on
    # every build (rebuilding is idempotent).
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


@functools.lru_cache(maxsize=4096)
def _segment(text: str) -> str:
    """``text`` as one IRI path segment (codes and type names repeat: cached)."""
    return quote(text, safe="")


def party_iri(code: str) -> URIRef:
    """The IRI of a party, by its code (``JPN``, ``NATO``)."""
    return URIRef(BASE + "party/" + _segment(code))


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article, by its content hash."""
    return URIRef(BASE + "article/" + quote(article_id, safe=""))


def article_graph(article_id: str) -> URIRef:
    """The named graph that holds an article, its claims and partner counts."""
    return URIRef(BASE + "graph/article/" + quote(article_id, safe=""))


def loaded_graph(name: str) -> URIRef:
    """The named graph ``kg load`` puts a file of triples in, by the file's name."""
    return URIRef(BASE + "graph/loaded/" + quote(name, safe=""))


def claim_iri(claim: Claim) -> URIRef:
    """A stable IRI for a claim: a hash of the article, the claim and the evidence offsets."""
    return URIRef(
        BASE
        + "claim/"
        + _digest(
            claim.article_id,
            claim.party_a,
            claim.party_b,
            claim.agreement_type,
            claim.status,
            claim.date,
            claim.evidence.start,
            claim.evidence.end,
        )
    )


def partner_count_iri(count: PartnerCount) -> URIRef:
    """A stable IRI for a partner-count statement."""
    return URIRef(
        BASE
        + "count/"
        + _digest(
            count.article_id,
            count.party,
            count.count,
            count.agreement_type,
            count.status,
            count.evidence.start,
            count.evidence.end,
        )
    )


def evidence_iri(subject: str) -> URIRef:
    """The IRI of the evidence node of a claim or partner count."""
    return URIRef(str(subject) + "-evidence")


def agreement_iri(party_a: str, party_b: str, agreement_type: str) -> URIRef:
    """The IRI of a merged agreement: stable and independent of the order of the parties."""
    first, second = sorted((party_a, party_b))
    return URIRef(
        BASE + "agreement/" + "-".join(_segment(p) for p in (first, second, agreement_type))
    )


def state_iri(agreement: str, since: dt.date | None) -> URIRef:
    """The IRI of an agreement's state from a day on (``.../since/start`` for the first state
    when it holds from the start)."""
    return URIRef(f"{agreement}/since/{since.isoformat() if since else 'start'}")


def type_iri(name: str) -> URIRef:
    """The SKOS concept of an agreement type (``intelligence_sharing``)."""
    if name not in AGREEMENT_TYPES:
        raise ValueError(f"unknown agreement type {name!r}: use one of {', '.join(AGREEMENT_TYPES)}")
    return TYPE[name]


def status_iri(name: str) -> URIRef:
    """The SKOS concept of a status (``signed``)."""
    if name not in STATUSES:
        raise ValueError(f"unknown status {name!r}: use one of {', '.join(STATUSES)}")
    return STATUS[name]


def local_name(iri: str, namespace: str) -> str | None:
    """The part of ``iri`` after ``namespace`` (a party code, type or status), or None."""
    iri = str(iri)
    return iri[len(namespace) :] if iri.startswith(namespace) else None


def party_code(iri: str) -> str | None:
    """The code of a party IRI, or None for another IRI."""
    from urllib.parse import unquote

    name = local_name(iri, PREFIXES["party"])
    return unquote(name) if name is not None else None


def type_name(iri: str) -> str | None:
    """The agreement-type name of a type concept IRI, or None."""
    return local_name(iri, str(TYPE))


def status_name(iri: str) -> str | None:
    """The status name of a status concept IRI, or None."""
    return local_name(iri, str(STATUS))
