"""The read side: what a store holds, as typed records.

Every module that needs the articles, claims, partner counts, merged agreements or parties of
a store (the build, the network projection and so the view and the exports, the notebook)
reads them here, so what maps the graph back to :mod:`kg.records` is written once:

* :func:`articles` -> id -> :class:`~kg.records.Article` (metadata only: ``text`` is ``""``,
  the store keeps no article text; ``date`` a :class:`datetime.date` or None);
* :func:`claims` (all, or those between given pairs of parties) -> :class:`~kg.records.Claim`;
* :func:`partner_counts` -> :class:`~kg.records.PartnerCount`;
* :func:`agreements` -> :class:`~kg.records.Agreement`, each with its claims;
* :func:`parties` -> code -> :class:`~kg.records.Party` (the ``graph/parties`` graph).

The queries use ``GRAPH`` patterns rather than the default graph, since a remote endpoint need
not expose the union of its named graphs as its default graph. A few questions only the build
asks (which parties some articles mention, whether a party is mentioned elsewhere, the pending
mark) are here too, so that no other module maps rows back to codes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV, RDF

from kg import vocab
from kg.model import node
from kg.records import Agreement, Article, Claim, Evidence, PartnerCount, Party
from kg.store import Store


def _q(body: str) -> str:
    return vocab.sparql_prologue() + body


# The body of a claim pattern (?claim, its article and evidence). Without the evidence
# sentence for the build, whose merge needs only the offsets (sentences are most of the bytes
# a claim has).
def _claim_body(sentences: bool = True) -> str:
    evidence = "?ev kg:sentence ?sentence ; kg:startOffset ?start ; kg:endOffset ?end ." if sentences \
        else "?ev kg:startOffset ?start ; kg:endOffset ?end ."
    return f"""
    ?claim a kg:Claim ; kg:agreementType ?type ; kg:status ?status ;
           prov:wasDerivedFrom ?article ; kg:evidence ?ev .
    {evidence}
    ?article dct:identifier ?id .
    OPTIONAL {{ ?article kg:file ?file }}
    OPTIONAL {{ ?article dct:issued ?issued }}
    OPTIONAL {{ ?claim kg:statusDate ?date }}
    OPTIONAL {{ ?claim kg:hedged ?hedged }}
    OPTIONAL {{ ?ev kg:inTitle ?inTitle }}"""


def _pair_claims(sentences: bool) -> str:
    # One pair's claims, with the parties as constants: Oxigraph then starts from the index of
    # the parties (with the pairs in a VALUES block it scanned every claim once per pair).
    return _q(
        """SELECT ?id ?file ?issued ?a ?b ?type ?status ?date ?sentence ?start ?end ?hedged ?inTitle WHERE {
  BIND(<%(a)s> AS ?a)
  BIND(<%(b)s> AS ?b)
  GRAPH ?g {
    ?claim kg:party <%(a)s> . ?claim kg:party <%(b)s> ."""
        + _claim_body(sentences)
        + """
  }
}"""
    )


_PAIR_CLAIMS = {sentences: _pair_claims(sentences) for sentences in (True, False)}

# One article by its identifier, or the articles read from one file (by its absolute path, or
# by its name for an article stored without a path): constants, so the index answers.
_ARTICLE_BY = _q(
    """SELECT ?id ?file ?path ?title ?issued ?url WHERE {
  GRAPH ?g {
    ?article %(pattern)s .
    ?article a kg:Article ; dct:identifier ?id .
    OPTIONAL { ?article kg:file ?file }
    OPTIONAL { ?article kg:path ?path }
    OPTIONAL { ?article dct:title ?title }
    OPTIONAL { ?article dct:issued ?issued }
    OPTIONAL { ?article schema:url ?url }
  }
}"""
)

_ARTICLES = _ARTICLE_BY % {"pattern": "a kg:Article"}

_COUNT_ARTICLES = _q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?article a kg:Article } }")

_COUNT_CLAIMS = _q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?claim a kg:Claim } }")
_COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

_COUNT_AGREEMENTS = _q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:agreements { ?ag a kg:Agreement } }")
_COUNT_CONFLICTS = _q(
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:agreements { ?ag kg:conflict true . ?ag a kg:Agreement } }"
)

_COUNTS = _q(
    """SELECT ?count ?id ?file ?party ?n ?type ?status ?named ?sentence ?start ?end WHERE {
  GRAPH ?g {
    ?count a kg:PartnerCount ; kg:party ?party ; kg:partnerCount ?n ; kg:agreementType ?type ;
           kg:status ?status ; prov:wasDerivedFrom ?article ; kg:evidence ?ev .
    ?ev kg:sentence ?sentence ; kg:startOffset ?start ; kg:endOffset ?end .
    ?article dct:identifier ?id .
    OPTIONAL { ?article kg:file ?file }
    OPTIONAL { ?count kg:namedPartner ?named }
  }
}"""
)

_PARTIES = _q(
    """SELECT ?party ?label ?org ?same WHERE {
  GRAPH kgg:parties {
    ?party a kg:Party .
    OPTIONAL { ?party rdfs:label ?label }
    BIND(EXISTS { ?party a kg:InternationalOrganisation } AS ?org)
    OPTIONAL { ?party owl:sameAs ?same }
  }
}"""
)

_PARTY_CODES = _q("SELECT ?code WHERE { GRAPH kgg:parties { ?party a kg:Party ; kg:code ?code } }")

_MENTIONS = _q(
    """SELECT DISTINCT ?a ?b ?p WHERE {
  VALUES ?g { %s }
  GRAPH ?g {
    { ?claim a kg:Claim ; kg:party ?a, ?b . FILTER(STR(?a) < STR(?b)) }
    UNION { ?count a kg:PartnerCount ; kg:party ?p }
    UNION { ?count a kg:PartnerCount ; kg:namedPartner ?p }
  }
}"""
)

# One ASK per party, with the party as a constant: Oxigraph starts from its index entries
# (with the parties in a VALUES block it scanned every claim of the store).
_MENTIONED_OUTSIDE = _q(
    """ASK {
  GRAPH ?g {
    { ?claim kg:party <%(p)s> . ?claim a kg:Claim ; kg:party ?other . FILTER(?other != <%(p)s>) }
    UNION { ?count kg:party <%(p)s> . ?count a kg:PartnerCount }
    UNION { ?count kg:namedPartner <%(p)s> . ?count a kg:PartnerCount }
  }
  FILTER(?g NOT IN (%(graphs)s))
}"""
)

_PENDING = _q(
    """SELECT ?id WHERE { GRAPH kgg:build { kgg:build kg:derivationPending true
  OPTIONAL { kgg:build kg:pendingArticle ?id } } }"""
)


def _text(row: Any, name: str) -> str:
    term = row[name]
    return "" if term is None else str(term.value)


def _true(row: Any, name: str) -> bool:
    return _is_true(_text(row, name))


def _is_true(lexical: str) -> bool:
    """Whether an ``xsd:boolean``'s lexical form (``""`` when absent) says true."""
    return lexical in ("true", "1")


def _code(row: Any, name: str) -> str:
    return vocab.party_code(_text(row, name)) or ""


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Records

# Reading every claim or agreement is done one property at a time (one quad pattern each, the
# nodes joined here in dictionaries): Oxigraph joins a many-property pattern with one index
# look-up per node and property, which took 13 s for 21,000 claims.


def _graph(graph: Any) -> ox.NamedNode | None:
    return node(graph) if graph is not None else None


def _values(store: Store, predicate: Any, subjects: set, graph: Any = None) -> dict[Any, Any]:
    """Subject -> object of a property, for ``subjects`` (in ``graph`` only, if given)."""
    quads = store.quads_for_pattern(None, node(predicate), None, _graph(graph))
    return {q.subject: q.object for q in quads if q.subject in subjects}


def _value(values: dict[Any, Any], subject: Any) -> str:
    """The lexical value :func:`_values` found for a subject, or ``""``."""
    return values[subject].value if subject in values else ""


def _subjects(store: Store, kind: Any, graph: Any = None) -> set:
    return {q.subject for q in store.quads_for_pattern(None, node(RDF.type), node(kind), _graph(graph))}


def _parties_of(store: Store, subjects: set, graph: Any = None) -> dict[Any, list[str]]:
    """Subject -> its party codes, sorted."""
    found: dict[Any, list[str]] = defaultdict(list)
    for q in store.quads_for_pattern(None, node(vocab.KG.party), None, _graph(graph)):
        if q.subject in subjects:
            found[q.subject].append(vocab.party_code(str(getattr(q.object, "value", ""))) or "")
    return {subject: sorted(codes) for subject, codes in found.items()}


def _scanned_claims(store: Store) -> tuple[list[Claim], dict[str, dt.date | None]]:
    """Every claim, and its article's publication date, property by property."""
    kg = vocab.KG
    nodes = _subjects(store, kg.Claim)
    parties = _parties_of(store, nodes)
    types, statuses = _values(store, kg.agreementType, nodes), _values(store, kg.status, nodes)
    article_of, evidence_of = _values(store, PROV.wasDerivedFrom, nodes), _values(store, kg.evidence, nodes)
    status_dates, hedged = _values(store, kg.statusDate, nodes), _values(store, kg.hedged, nodes)
    evidence = set(evidence_of.values())
    sentences, starts = _values(store, kg.sentence, evidence), _values(store, kg.startOffset, evidence)
    ends, in_title = _values(store, kg.endOffset, evidence), _values(store, kg.inTitle, evidence)
    articles = set(article_of.values())
    ids, files = _values(store, DCTERMS.identifier, articles), _values(store, kg.file, articles)
    issued = _values(store, DCTERMS.issued, articles)

    found, dates = [], {}
    for claim in nodes:
        pair, article, ev = parties.get(claim), article_of.get(claim), evidence_of.get(claim)
        if pair is None or len(pair) != 2 or article not in ids or ev not in starts or claim not in types:
            continue  # not a whole claim
        article_id = ids[article].value
        found.append(Claim(
            article_id=article_id,
            file=_value(files, article),
            party_a=pair[0],
            party_b=pair[1],
            agreement_type=vocab.type_name(types[claim].value) or "",
            status=vocab.status_name(_value(statuses, claim)) or "",
            date=_value(status_dates, claim),
            evidence=Evidence(_value(sentences, ev), int(starts[ev].value), int(_value(ends, ev) or 0),
                              in_title=_is_true(_value(in_title, ev))),
            hedged=_is_true(_value(hedged, claim)),
        ))
        dates[article_id] = _date(_value(issued, article))
    return found, dates


def _article(row: Any) -> Article:
    return Article(
        id=_text(row, "id"),
        file=_text(row, "file"),
        title=_text(row, "title"),
        date=_date(_text(row, "issued")),
        url=_text(row, "url") or None,
        text="",
        path=_text(row, "path"),
    )


def articles(store: Store) -> dict[str, Article]:
    """Article id -> the article's metadata (``text`` is ``""``; ``path`` ``""`` when stored
    without one, ``url`` None when unknown)."""
    return {article.id: article for article in map(_article, store.query(_ARTICLES))}


def article(store: Store, article_id: str) -> Article | None:
    """One article by its identifier (content hash), or None."""
    pattern = f"dct:identifier {ox.Literal(article_id)}"
    return next(map(_article, store.query(_ARTICLE_BY % {"pattern": pattern})), None)


def articles_of_file(store: Store, key: str) -> list[Article]:
    """The articles read from one file: those whose absolute path is ``key``, and those stored
    without a path whose file name is ``key``."""
    by_path = store.query(_ARTICLE_BY % {"pattern": f"kg:path {ox.Literal(key)}"})
    by_name = store.query(_ARTICLE_BY % {"pattern": f"kg:file {ox.Literal(key)}"})
    return [a for a in map(_article, by_path)] + [a for a in map(_article, by_name) if not a.path]


def article_count(store: Store) -> int:
    """How many articles the store holds."""
    return _count(store, _COUNT_ARTICLES)


def agreement_counts(store: Store) -> tuple[int, int]:
    """(merged agreements, conflicting ones) in the store, counted by the store."""
    return _count(store, _COUNT_AGREEMENTS), _count(store, _COUNT_CONFLICTS)


def claim_count(store: Store) -> int:
    """How many claims the store holds."""
    return _count(store, _COUNT_CLAIMS)


def quad_count(store: Store) -> int:
    """How many quads the store's named graphs hold (where kg writes everything): an index
    count on a local store; a query on an endpoint, whose default graph may be their union and
    whose quads ``len()`` would read over HTTP."""
    return len(store) if store.indexed else _count(store, _COUNT_QUADS)


def _count(store: Store, query: str) -> int:
    return int(_text(next(iter(store.query(query))), "n") or 0)


def _claim(row: Any) -> Claim:
    return Claim(
        article_id=_text(row, "id"),
        file=_text(row, "file"),
        party_a=_code(row, "a"),
        party_b=_code(row, "b"),
        agreement_type=vocab.type_name(_text(row, "type")) or "",
        status=vocab.status_name(_text(row, "status")) or "",
        date=_text(row, "date"),
        evidence=Evidence(_text(row, "sentence"), int(_text(row, "start") or 0), int(_text(row, "end") or 0),
                          in_title=_true(row, "inTitle")),
        hedged=_true(row, "hedged"),
    )


def _pair_query(pair: frozenset[str], sentences: bool) -> str:
    # The IRIs in order, so a claim's parties come back sorted as every reader gives them.
    first, second = sorted(str(vocab.party_iri(code)) for code in pair)
    return _PAIR_CLAIMS[sentences] % {"a": first, "b": second}


def claims(store: Store, pairs: Iterable[frozenset[str]] | None = None) -> list[Claim]:
    """The claims in the store, sorted by file and offset.

    ``pairs``: only the claims between these unordered pairs of party codes (any type), read
    with one query per pair; None: every claim, read property by property.
    """
    return dated_claims(store, pairs)[0]


def dated_claims(
    store: Store, pairs: Iterable[frozenset[str]] | None = None, *, sentences: bool = True
) -> tuple[list[Claim], dict[str, dt.date | None]]:
    """:func:`claims`, and the publication date of each of their articles (what the merge
    orders them by), read with them. ``sentences``: False leaves the evidence sentences
    empty (given pairs only), which the merge does not need."""
    found: list[Claim]
    if pairs is None:
        found, dates = _scanned_claims(store)
    else:
        wanted = sorted((p for p in set(pairs) if len(p) == 2), key=sorted)
        found, dates = [], {}
        for row in (row for pair in wanted for row in store.query(_pair_query(pair, sentences))):
            claim = _claim(row)
            found.append(claim)
            dates[claim.article_id] = _date(_text(row, "issued"))
    found.sort(key=lambda c: (c.file, c.evidence.start, c.party_a, c.party_b, c.agreement_type, c.status))
    return found, dates


def partner_counts(store: Store) -> list[PartnerCount]:
    """Every partner-count statement in the store, sorted by file and offset."""
    rows: dict[str, tuple[Any, set[str]]] = {}
    for row in store.query(_COUNTS):
        _, named = rows.setdefault(_text(row, "count"), (row, set()))
        if row["named"] is not None:
            named.add(_code(row, "named"))
    counts = [
        PartnerCount(
            article_id=_text(row, "id"),
            file=_text(row, "file"),
            party=_code(row, "party"),
            count=int(_text(row, "n")),
            named=tuple(sorted(named)),
            agreement_type=vocab.type_name(_text(row, "type")) or "",
            status=vocab.status_name(_text(row, "status")) or "",
            evidence=Evidence(_text(row, "sentence"), int(_text(row, "start")), int(_text(row, "end"))),
        )
        for row, named in rows.values()
    ]
    counts.sort(key=lambda c: (c.file, c.evidence.start))
    return counts


def agreements(store: Store, *, with_claims: bool = True) -> list[Agreement]:
    """The merged agreements, sorted by pair and type.

    ``with_claims``: fill each agreement's ``claims`` (the claims of its pair and type, by
    status date, article and offset); False leaves them empty and reads much less.
    """
    kg, graph = vocab.KG, vocab.AGREEMENTS_GRAPH
    nodes = _subjects(store, kg.Agreement, graph)
    parties = _parties_of(store, nodes, graph)
    types, statuses = _values(store, kg.agreementType, nodes, graph), _values(store, kg.status, nodes, graph)
    dates, conflicts = _values(store, kg.statusDate, nodes, graph), _values(store, kg.conflict, nodes, graph)
    first, last = _values(store, kg.firstReported, nodes, graph), _values(store, kg.lastReported, nodes, graph)

    found: dict[tuple[str, str, str], Agreement] = {}
    for agreement in nodes:
        pair = parties.get(agreement)
        if pair is None or len(pair) != 2 or agreement not in types:
            continue
        kind = vocab.type_name(types[agreement].value) or ""
        found[(pair[0], pair[1], kind)] = Agreement(
            party_a=pair[0],
            party_b=pair[1],
            agreement_type=kind,
            status=vocab.status_name(_value(statuses, agreement)) or "",
            date=_value(dates, agreement),
            conflict=_is_true(_value(conflicts, agreement)),
            first_reported=_date(_value(first, agreement)),
            last_reported=_date(_value(last, agreement)),
        )
    if with_claims:
        grouped: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
        for claim in claims(store):
            grouped[(claim.party_a, claim.party_b, claim.agreement_type)].append(claim)
        for key, agreement in found.items():
            agreement.claims = sorted(grouped.get(key, []), key=lambda c: (c.date, c.article_id, c.evidence.start))
    return [found[key] for key in sorted(found)]


def party_codes(store: Store) -> set[str]:
    """The codes of the parties of the ``graph/parties`` graph."""
    return {_text(row, "code") for row in store.query(_PARTY_CODES)}


def parties(store: Store) -> dict[str, Party]:
    """Code -> party (name, kind, Wikidata ID) for every party of the ``graph/parties`` graph."""
    out: dict[str, Party] = {}
    for row in store.query(_PARTIES):
        code = _code(row, "party")
        if not code:
            continue
        same = _text(row, "same")
        qid = same.rsplit("/", 1)[-1] if same.startswith(str(vocab.WD)) else ""
        old = out.get(code)
        out[code] = Party(
            code=code,
            qid=qid or (old.qid if old else ""),
            name=_text(row, "label") or (old.name if old else code),
            kind="organisation" if _true(row, "org") else "country",
        )
    return out


# ---------------------------------------------------------------------------------------------
# Questions of the build


def _graph_list(article_ids: Iterable[str]) -> list[str]:
    return [f"<{vocab.article_graph(a)}>" for a in sorted(article_ids)]


def mentions(store: Store, article_ids: Iterable[str]) -> tuple[set[frozenset[str]], set[str]]:
    """What the graphs of some articles mention: (the unordered pairs of their claims, every
    party code of their claims and partner counts)."""
    graphs = _graph_list(article_ids)
    pairs: set[frozenset[str]] = set()
    codes: set[str] = set()
    if not graphs:
        return pairs, codes
    for row in store.query(_MENTIONS % " ".join(graphs)):
        if row["a"] is not None:
            pair = frozenset((_code(row, "a"), _code(row, "b")))
            pairs.add(pair)
            codes |= pair
        if row["p"] is not None:
            codes.add(_code(row, "p"))
    return pairs, codes


def mentioned_outside(store: Store, code: str, article_ids: Iterable[str]) -> bool:
    """Whether a claim or partner count outside the given articles' graphs mentions a party."""
    graphs = ", ".join(_graph_list(article_ids)) or "<urn:kg:none>"
    return bool(store.query(_MENTIONED_OUTSIDE % {"p": vocab.party_iri(code), "graphs": graphs}))


def pending_articles(store: Store) -> set[str] | None:
    """None when the store has no pending mark (``kg:derivationPending`` in ``graph/build``);
    else the ids of the articles whose graphs a cut-off write may have left half written
    (empty after ``kg load``)."""
    rows = list(store.query(_PENDING))
    if not rows:
        return None
    return {_text(row, "id") for row in rows if row["id"] is not None}
