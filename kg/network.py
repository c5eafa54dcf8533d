"""Merged agreements -> one networkx graph of parties, and metrics as pure functions over it.

The projection is done once (:func:`to_networkx` over plain records, :func:`from_store` over a
store); everything after it (centrality, components, communities, ego networks, shared
partners, the summary that ``kg stats`` prints, the exports) takes the graph and returns plain
Python values, so it runs the same in the CLI, the renderer and a notebook.

Graph schema (a :class:`networkx.MultiGraph`, one edge per agreement):

* node id: party code; attributes ``name``, ``kind`` (``country`` | ``organisation``), ``qid``.
* edge key: the agreement type; attributes ``agreement_type``, ``status``, ``date``,
  ``conflict``, ``sources`` (number of supporting articles), ``claims``, a list of dicts
  with ``article_title``, ``file``, ``article_date``, ``url``, ``sentence``, ``status``, ``date``
  and ``told`` (the day it was told, :func:`kg.model.known_on`; ``""`` for any day) in the
  order the articles told them, ``history``, the agreement through time as
  :func:`kg.model.history` tells it: dicts with ``day`` (ISO date from which it holds, ``""``
  for any day), ``status``, ``date`` and ``conflict``, the last one the edge's own state, and
  ``sources_history``, its number of sources through time as :func:`kg.model.as_of` counts
  them: dicts with ``day`` and ``sources``, one for each day on which the number changes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.files import write_atomic
from kg import model, read
from kg.records import AGREEMENT_TYPES, STATUSES, Agreement, Article, Claim, Party
from kg.store import require_store

#: Formats :func:`write_network` can write.
EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf", "json")


class NetworkError(KgError, ValueError):
    """A user-causable problem with a filter value, party or export format."""


# --------------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------------


def _iso(value: Any) -> str:
    """A date (or date-ish string, or None) as an ISO string; ``""`` when unknown."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _kind(code: str, party: Party | None) -> str:
    return (party or Party.unknown(code)).kind


def _day(value: dt.date | str) -> dt.date:
    """An ``as_of`` argument as a date."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise NetworkError(f"as-of {value!r} is not a date: use YYYY-MM-DD") from None


def _claim_dict(claim: Claim, article: Article | None, told: dt.date | None) -> dict[str, str]:
    """A claim as an edge lists it, with its article's title, date and address, and the day
    it was told (``told``, from :func:`kg.model.known_on`)."""
    return {
        "article_title": article.title if article else "",
        "file": claim.file,
        "article_date": _iso(article.date) if article else "",
        "url": (article.url or "") if article else "",
        "sentence": claim.evidence.sentence,
        "status": claim.status,
        "date": claim.date,
        "told": _iso(told),
    }


def _check_values(values: Iterable[str] | None, allowed: tuple[str, ...], what: str) -> set[str] | None:
    if values is None:
        return None
    # one value given alone (types="logistics") is that value, not a set of letters
    chosen = {values} if isinstance(values, str) else set(values)
    if not chosen:
        return None
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise NetworkError(f"unknown {what} {', '.join(unknown)!s}: use one of {', '.join(allowed)}")
    return chosen


def to_networkx(
    agreements: Iterable[Agreement],
    parties: Mapping[str, Party] | None = None,
    articles: Mapping[str, Article] | None = None,
    *,
    types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    as_of: dt.date | str | None = None,
) -> nx.MultiGraph:
    """Project merged agreements onto a graph of parties (see the module docstring for the schema).

    Args:
        agreements: merged agreements, each with its claims.
        parties: party code -> gazetteer party (name, kind, Wikidata QID); codes it lacks get
            their code as name.
        articles: article id -> article (:func:`kg.read.articles`): the sources of each edge
            and, with ``as_of``, the publication dates.
        types: keep only these agreement types (a type or several; None or empty: all).
        statuses: keep only agreements whose (as-of) status is one of these (one or several).
        as_of: the graph as the claims told by this date told it (:func:`kg.model.as_of`).

    Returns:
        A MultiGraph; parties without an agreement left after filtering are not in it.

    Raises:
        NetworkError: an unknown type or status, or a malformed ``as_of`` date.

    Example:
        >>> from kg.records import Agreement
        >>> g = to_networkx([Agreement("AAA", "BBB", "logistics", "signed", "2020")])
        >>> sorted(g.nodes), list(g.edges(keys=True))
        (['AAA', 'BBB'], [('AAA', 'BBB', 'logistics')])
    """
    parties = parties or {}
    articles = articles or {}
    keep_types = _check_values(types, AGREEMENT_TYPES, "agreement type")
    keep_statuses = _check_values(statuses, STATUSES, "status")
    agreements = [a for a in agreements if not keep_types or a.agreement_type in keep_types]
    if as_of:
        agreements = model.as_of(agreements, _day(as_of), articles)

    graph = nx.MultiGraph()
    for agreement in agreements:
        if keep_statuses and agreement.status not in keep_statuses:
            continue
        for code in (agreement.party_a, agreement.party_b):
            if code not in graph:
                party = parties.get(code)
                graph.add_node(
                    code,
                    name=getattr(party, "name", None) or code,
                    kind=_kind(code, party),
                    qid=getattr(party, "qid", None) or "",
                )
        # Only this agreement's articles: history() reads the dates of every article it is given.
        published = model.publication_dates({c.article_id: articles.get(c.article_id) for c in agreement.claims})
        known = [(model.known_on(c, published.get(c.article_id)), c) for c in agreement.claims]
        known.sort(key=lambda pair: _told_order(*pair))
        claims = [_claim_dict(c, articles.get(c.article_id), day) for day, c in known]
        graph.add_edge(
            agreement.party_a,
            agreement.party_b,
            key=agreement.agreement_type,
            agreement_type=agreement.agreement_type,
            status=agreement.status,
            date=agreement.date,
            conflict=bool(agreement.conflict),
            sources=agreement.sources,
            claims=claims,
            history=[{"day": _iso(day), "status": told.status, "date": told.date, "conflict": told.conflict}
                     for day, told in model.history(agreement, published)],
            sources_history=_sources_history(known),
        )
    return graph


def _told_order(day: dt.date | None, claim: Claim) -> tuple[dt.date, str, str, int]:
    """Claims in the order the articles told them (``day`` from :func:`kg.model.known_on`;
    claims told on any day first)."""
    return (day or dt.date.min, claim.date, claim.file, claim.evidence.start)


def _sources_history(told: Iterable[tuple[dt.date | None, Claim]]) -> list[dict[str, Any]]:
    """An agreement's number of sources through time, from its claims in the order they were
    told (:func:`_told_order`): on a day, the articles of the claims told by then, as
    :func:`kg.model.as_of` keeps them (a claim told on any day counts on every day). One
    entry per day on which the number changes; the last is the agreement's ``sources``."""
    counts: list[dict[str, Any]] = []
    articles: set[str] = set()
    for day, claim in told:
        articles.add(claim.article_id)
        if counts and counts[-1]["day"] == _iso(day):
            counts[-1]["sources"] = len(articles)
        elif not counts or counts[-1]["sources"] != len(articles):
            counts.append({"day": _iso(day), "sources": len(articles)})
    return counts


def from_store(
    store: Any,
    parties: Mapping[str, Party] | None = None,
    *,
    types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    as_of: dt.date | str | None = None,
) -> nx.MultiGraph:
    """Read the merged agreements, their claims and articles from a store, and project them.

    Args:
        store: a store opened with :func:`kg.store.open_store` (local, memory or remote).
        parties: party code -> party; None: the names, kinds and Wikidata IDs the store holds.
        types, statuses, as_of: as for :func:`to_networkx`.
    """
    agreements, store_parties, articles = read_store(store)
    return to_networkx(agreements, parties if parties is not None else store_parties, articles,
                       types=types, statuses=statuses, as_of=as_of)


def read_store(store: Any) -> tuple[list[Agreement], dict[str, Party], dict[str, Article]]:
    """Merged agreements (with their claims), parties and articles of a store (:mod:`kg.read`).

    Returns:
        (agreements sorted by pair and type, code -> :class:`kg.records.Party`,
        article id -> :class:`kg.records.Article` without its text).
    """
    require_store(store)
    return read.agreements(store), read.parties(store), read.articles(store)


# --------------------------------------------------------------------------------------------
# Metrics: pure functions from a graph to plain values
# --------------------------------------------------------------------------------------------


def partners_graph(graph: nx.MultiGraph) -> nx.Graph:
    """The simple graph behind ``graph``: one edge per pair of parties with any agreement.

    Edge attribute ``agreements`` counts the agreements the pair has.

    Example:
        >>> g = nx.MultiGraph([("A", "B", "logistics"), ("A", "B", "other")])
        >>> partners_graph(g)["A"]["B"]["agreements"]
        2
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for a, b in graph.edges():
        if simple.has_edge(a, b):
            simple[a][b]["agreements"] += 1
        else:
            simple.add_edge(a, b, agreements=1)
    return simple


def agreement_counts(graph: nx.MultiGraph) -> dict[str, int]:
    """Number of agreements per party.

    Example:
        >>> g = nx.MultiGraph([("A", "B", "logistics"), ("A", "B", "other"), ("A", "C", "other")])
        >>> agreement_counts(g)
        {'A': 3, 'B': 2, 'C': 1}
    """
    return dict(graph.degree())


def degree_centrality(graph: nx.MultiGraph) -> dict[str, float]:
    """Share of the other parties each party has at least one agreement with.

    Example:
        >>> g = nx.MultiGraph([("A", "B", "logistics"), ("A", "B", "other"), ("A", "C", "other")])
        >>> degree_centrality(g)
        {'A': 1.0, 'B': 0.5, 'C': 0.5}
    """
    return nx.degree_centrality(partners_graph(graph))


def betweenness_centrality(graph: nx.MultiGraph) -> dict[str, float]:
    """Normalised betweenness of each party on the partner graph (brokers between groups).

    Example:
        >>> g = nx.MultiGraph([("A", "B", "other"), ("B", "C", "other")])
        >>> betweenness_centrality(g)
        {'A': 0.0, 'B': 1.0, 'C': 0.0}
    """
    return nx.betweenness_centrality(partners_graph(graph))


def _ranked(groups: Iterable[set[str]]) -> list[list[str]]:
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))


def components(graph: nx.MultiGraph) -> list[list[str]]:
    """Connected components as sorted lists of codes, largest first (ties by first code).

    Example:
        >>> components(nx.MultiGraph([("A", "B", "other"), ("C", "D", "other"), ("D", "E", "other")]))
        [['C', 'D', 'E'], ['A', 'B']]
    """
    return _ranked(nx.connected_components(graph))


def communities(graph: nx.MultiGraph, *, seed: int = 0) -> list[list[str]]:
    """Communities by Louvain modularity on the partner graph, largest first.

    Deterministic for a given ``seed``. Edge weight is the number of agreements of a pair.

    Example:
        >>> g = nx.MultiGraph([("A", "B", "x"), ("B", "C", "x"), ("A", "C", "x"),
        ...                    ("D", "E", "x"), ("E", "F", "x"), ("D", "F", "x"), ("C", "D", "x")])
        >>> communities(g)
        [['A', 'B', 'C'], ['D', 'E', 'F']]
    """
    simple = partners_graph(graph)
    if simple.number_of_edges() == 0:
        return [[n] for n in sorted(simple)]
    return _ranked(nx.community.louvain_communities(simple, weight="agreements", seed=seed))


def find_party(graph: nx.MultiGraph, text: str) -> str:
    """The code of the party ``text`` names in the graph: its code (any case) or its name.

    Raises:
        NetworkError: no party of the graph has that code or name.

    Example:
        >>> g = nx.MultiGraph([("JPN", "PHL", "x")])
        >>> g.nodes["PHL"]["name"] = "Philippines"
        >>> find_party(g, "jpn"), find_party(g, "the philippines")
        ('JPN', 'PHL')
    """
    wanted = text.strip()
    if wanted in graph:
        return wanted
    if wanted.upper() in graph:
        return wanted.upper()
    folded = wanted.casefold().removeprefix("the ")
    for code, data in graph.nodes(data=True):
        if str(data.get("name", "")).casefold().removeprefix("the ") == folded:
            return code
    raise NetworkError(f"party {text!r} has no agreement in this graph: use a party code such as "
                       f"{', '.join(sorted(graph)[:5]) or '(the graph is empty)'}")


def ego_network(graph: nx.MultiGraph, party: str, depth: int = 1) -> nx.MultiGraph:
    """The parties within ``depth`` agreements of ``party``, with every agreement among them.

    Raises:
        NetworkError: the party is not in the graph.

    Example:
        >>> g = nx.MultiGraph([("A", "B", "x"), ("B", "C", "x"), ("C", "D", "x")])
        >>> sorted(ego_network(g, "B"))
        ['A', 'B', 'C']
    """
    if party not in graph:
        raise NetworkError(f"party {party!r} has no agreement in this graph: use a party code such as "
                           f"{', '.join(sorted(graph)[:5]) or '(the graph is empty)'}")
    if depth < 0:
        raise NetworkError(f"depth {depth} must be 0 or more")
    return nx.ego_graph(graph, party, radius=depth).copy()


def shared_partners(graph: nx.MultiGraph, *, min_shared: int = 1) -> list[dict[str, Any]]:
    """Pairs of parties with partners in common, most shared first.

    Computed with sets over neighbourhoods (not a SPARQL join). Each row: ``party_a``,
    ``party_b`` (sorted), ``shared`` (sorted list of common partners) and ``linked`` (whether
    the pair has an agreement of its own).

    Example:
        >>> g = nx.MultiGraph([("A", "C", "x"), ("B", "C", "x"), ("A", "D", "x"), ("B", "D", "x"),
        ...                    ("A", "E", "x")])
        >>> [(r["party_a"], r["party_b"], r["shared"]) for r in shared_partners(g)]
        [('A', 'B', ['C', 'D']), ('C', 'D', ['A', 'B']), ('C', 'E', ['A']), ('D', 'E', ['A'])]
    """
    common: dict[tuple[str, str], set[str]] = defaultdict(set)
    for middle in graph:
        for a, b in combinations(sorted(set(graph.neighbors(middle)) - {middle}), 2):
            common[(a, b)].add(middle)
    rows = [
        {"party_a": a, "party_b": b, "shared": sorted(s), "linked": graph.has_edge(a, b)}
        for (a, b), s in common.items()
        if len(s) >= min_shared
    ]
    return sorted(rows, key=lambda r: (-len(r["shared"]), r["party_a"], r["party_b"]))


def conflicts(graph: nx.MultiGraph) -> list[dict[str, Any]]:
    """Agreements whose sources disagree on the status, with the statuses claimed.

    Example:
        >>> g = nx.MultiGraph()
        >>> g.add_edge("A", "B", "other", agreement_type="other", status="signed", conflict=True,
        ...            claims=[{"status": "signed"}, {"status": "negotiating"}])
        'other'
        >>> conflicts(g)
        [{'party_a': 'A', 'party_b': 'B', 'agreement_type': 'other', 'status': 'signed', 'claimed': ['negotiating', 'signed']}]
    """
    rows = []
    for a, b, data in graph.edges(data=True):
        if data.get("conflict"):
            a, b = sorted((a, b))
            rows.append({
                "party_a": a,
                "party_b": b,
                "agreement_type": data.get("agreement_type", ""),
                "status": data.get("status", ""),
                "claimed": sorted({c["status"] for c in data.get("claims", [])}),
            })
    return sorted(rows, key=lambda r: (r["party_a"], r["party_b"], r["agreement_type"]))


def summary(graph: nx.MultiGraph, *, top: int = 10) -> dict[str, Any]:
    """What ``kg stats`` prints: sizes, counts by type and status, top parties, conflicts.

    Example:
        >>> g = nx.MultiGraph()
        >>> _ = g.add_edge("A", "B", "logistics", agreement_type="logistics", status="signed")
        >>> s = summary(g)
        >>> s["parties"], s["agreements"], s["by_type"], s["by_status"]
        (2, 1, {'logistics': 1}, {'signed': 1})
    """
    by_type = Counter(d.get("agreement_type", k) for _, _, k, d in graph.edges(keys=True, data=True))
    by_status = Counter(d.get("status", "") for _, _, d in graph.edges(data=True))
    counts = agreement_counts(graph)
    partners = dict(partners_graph(graph).degree())
    ranked = sorted(graph, key=lambda n: (-counts[n], -partners[n], n))[:top]
    return {
        "parties": graph.number_of_nodes(),
        "agreements": graph.number_of_edges(),
        "by_type": {t: by_type[t] for t in (*AGREEMENT_TYPES, *sorted(set(by_type) - set(AGREEMENT_TYPES))) if by_type[t]},
        "by_status": {s: by_status[s] for s in (*STATUSES, *sorted(set(by_status) - set(STATUSES))) if by_status[s]},
        "top_parties": [
            {"party": n, "name": graph.nodes[n].get("name", n), "agreements": counts[n], "partners": partners[n]}
            for n in ranked
        ],
        "components": len(components(graph)) if graph.number_of_nodes() else 0,
        "conflicts": conflicts(graph),
    }


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _flat(graph: nx.MultiGraph) -> nx.MultiGraph:
    """A copy whose attributes GraphML/GEXF can hold: claims as a JSON string, no None."""
    flat = nx.MultiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: ("" if v is None else v) for k, v in data.items()})
    for a, b, key, data in graph.edges(keys=True, data=True):
        attrs = {}
        for k, v in data.items():
            if isinstance(v, (list, dict)):
                v = json.dumps(v, ensure_ascii=False)
            attrs[k] = "" if v is None else v
        flat.add_edge(a, b, key=key, **attrs)
    return flat


def network_to_text(graph: nx.MultiGraph, fmt: str) -> str:
    """The graph as GraphML, GEXF or node-link JSON (D3's ``nodes``/``links``).

    Example:
        >>> g = nx.MultiGraph()
        >>> _ = g.add_edge("A", "B", "other", agreement_type="other", claims=[])
        >>> json.loads(network_to_text(g, "json"))["links"][0]["agreement_type"]
        'other'
    """
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat(graph))) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(_flat(graph))) + "\n"
    raise NetworkError(f"unknown network format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")


def write_network(graph: nx.MultiGraph, fmt: str, path: str | os.PathLike | None = None) -> str:
    """Serialise the graph (see :func:`network_to_text`); write it atomically when ``path`` is given."""
    text = network_to_text(graph, fmt)
    if path is not None:
        write_atomic(path, text)
    return text


__all__ = [
    "EXPORT_FORMATS",
    "NetworkError",
    "agreement_counts",
    "betweenness_centrality",
    "communities",
    "components",
    "conflicts",
    "degree_centrality",
    "ego_network",
    "find_party",
    "from_store",
    "network_to_text",
    "partners_graph",
    "read_store",
    "shared_partners",
    "summary",
    "to_networkx",
    "write_network",
]
