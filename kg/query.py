"""SPARQL over a store: shipped queries, parameters bound as RDF terms, DataFrames and exports.

A query is SPARQL text, a ``.rq`` file, or the name of a query shipped in ``kg/queries``
(:func:`shipped_queries`). Parameters (``--param party=JPN``) become RDF terms (a party IRI,
a type or status concept, an ``xsd:date``, else an ``xsd:string`` literal) and are bound with a
``VALUES`` block that opens the query's WHERE group and that of every sub-select using them: the
value is data, never query text, so a value with quotes or braces cannot change the query.

>>> from kg.store import open_store
>>> store = open_store("memory")
>>> run(store, "SELECT ?x WHERE { BIND(?name AS ?x) }", {"name": 'a "quoted" {value}'}).x[0]
'a "quoted" {value}'
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyoxigraph as ox
from rdflib.namespace import XSD

from kg import build, model, vocab
from kg.records import AGREEMENT_TYPES, STATUSES, Agreement, Claim
from kg.store import QueryResult, Store, StoreError

QUERY_DIR = Path(__file__).resolve().parent / "queries"

#: Output formats of ``kg query``: a readable table, or a standard SPARQL results format.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

#: Parameter names whose value is a party (code or name, resolved by the gazetteer).
PARTY_PARAMS = ("party", "partner", "party_a", "party_b")

#: Columns of ``kg export agreements``.
AGREEMENT_COLUMNS = (
    "party_a",
    "party_b",
    "agreement_type",
    "status",
    "date",
    "sources",
    "conflict",
    "party_a_name",
    "party_b_name",
)


class QueryError(ValueError):
    """A user-causable problem with a query or a parameter; ``str()`` is one line."""


# ---------------------------------------------------------------------------------------------
# Finding the query


def shipped_queries() -> dict[str, Path]:
    """Name -> file of every query shipped with kg (``partners``, ``as-of``, ...)."""
    return {path.stem: path for path in sorted(QUERY_DIR.glob("*.rq"))}


_SPARQL_START = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(select|ask|construct|describe|prefix|base)\b", re.I)


def load_query(query_or_name: str) -> str:
    """The SPARQL text of a shipped query name, a ``.rq`` file, or SPARQL text itself."""
    shipped = shipped_queries()
    if query_or_name in shipped:
        return shipped[query_or_name].read_text(encoding="utf-8")
    if _SPARQL_START.match(query_or_name) or "{" in query_or_name:
        return query_or_name
    path = Path(query_or_name)
    if path.suffix == ".rq" or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"cannot read query file {query_or_name}: {err.__class__.__name__}: {err}") from None
    raise QueryError(
        f"unknown query {query_or_name!r}: give SPARQL text, a .rq file, or one of the shipped "
        f"queries: {', '.join(shipped)}"
    )


def query_params(text: str) -> dict[str, bool]:
    """The parameters a query documents (``# param NAME: required. ...``) -> whether required."""
    params = {}
    for match in re.finditer(r"^#\s*param\s+(\w+)\s*:\s*(\w+)", text, re.M):
        params[match.group(1)] = match.group(2).lower() == "required"
    return params


def describe(name: str) -> str:
    """The first comment line of a shipped query (what it answers)."""
    for line in load_query(name).splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").split(":", 1)[-1].strip()
    return ""


# ---------------------------------------------------------------------------------------------
# Parameters


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    from kg.gazetteer import Gazetteer

    return Gazetteer.default()


def param_term(name: str, value: str, gazetteer: Any = None) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for.

    ``party``/``partner``/``party_a``/``party_b``: a party code or name -> the party IRI;
    ``type``: an agreement type; ``status``: a status; ``date``: ``YYYY-MM-DD`` -> xsd:date;
    any other name: a plain string literal.
    """
    if name in PARTY_PARAMS:
        code = (gazetteer or _gazetteer()).resolve(value)
        if code is None:
            raise QueryError(
                f"unknown party {value!r} for --param {name}: give a code (JPN, NATO) or a name (Japan)"
            )
        return model.node(vocab.party_iri(code))
    if name == "type":
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in AGREEMENT_TYPES:
            raise QueryError(f"unknown agreement type {value!r}: use one of {', '.join(AGREEMENT_TYPES)}")
        return model.node(vocab.type_iri(key))
    if name == "status":
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in STATUSES:
            raise QueryError(f"unknown status {value!r}: use one of {', '.join(STATUSES)}")
        return model.node(vocab.status_iri(key))
    if name == "date":
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise QueryError(f"--param date={value!r} is not a date: write it as YYYY-MM-DD") from None
        return ox.Literal(day.isoformat(), datatype=model.node(XSD.date))
    return ox.Literal(value)


_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<word>[A-Za-z_][\w-]*)'
    r'|(?P<open>\{)|(?P<close>\})'
    r'|(?P<other>.)',
    re.S,
)


def _where_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of the WHERE group of the query and of each sub-select, ``start`` just
    after its ``{`` and ``end`` at its ``}``."""
    depth = 0
    pending: list[int] = []  # depths at which a query form waits for its WHERE group
    template_at: int | None = None  # CONSTRUCT: the first group is the template
    opened: dict[int, int] = {}  # depth -> start offset of a WHERE group open at that depth
    groups: list[tuple[int, int]] = []
    expect_template = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("comment", "string", "iri") or (kind == "other" and match.group().isspace()):
            continue
        if expect_template:
            expect_template = False
            if kind == "word" and match.group().upper() == "WHERE":
                raise QueryError(
                    "parameters cannot be bound in the short 'CONSTRUCT WHERE { ... }' form: "
                    "write 'CONSTRUCT { ... } WHERE { ... }'"
                )
            if kind == "open":
                template_at = depth
        if kind == "word" and match.group().upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            if match.group().upper() == "CONSTRUCT" and depth == 0:
                expect_template = True
            pending.append(depth)
            continue
        if kind == "open":
            if template_at == depth:
                template_at = None  # the template: not a pattern
            elif pending and pending[-1] == depth:
                pending.pop()
                opened[depth] = match.end()
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth in opened:
                groups.append((opened.pop(depth), match.start()))
    if not groups:
        raise QueryError("cannot find the query's WHERE { ... } group to bind the parameters in")
    return groups


def bind_params(text: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with each ``?name`` bound to its term by a VALUES block that opens the WHERE
    group of the query and of every sub-select that uses the variable."""
    if not terms:
        return text
    for name in terms:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise QueryError(f"--param {name!r}: a parameter name is a SPARQL variable name (letters, digits, _)")
        if not re.search(rf"[?$]{name}\b", text):
            raise QueryError(f"--param {name}: the query has no variable ?{name}")
    groups = sorted(_where_groups(text), reverse=True)
    outer = min(start for start, _ in groups)
    for start, end in groups:  # from the last, so that earlier offsets stay valid
        used = {
            name: term
            for name, term in terms.items()
            if start == outer or re.search(rf"[?$]{name}\b", text[start:end])
        }
        if not used:
            continue
        names = " ".join(f"?{name}" for name in used)
        # str() of a pyoxigraph term is its N-Triples form, with every quote and control
        # character escaped: the value stays one RDF term.
        values = " ".join(str(term) for term in used.values())
        text = f"{text[:start]}\n  VALUES ({names}) {{ ({values}) }}\n{text[start:]}"
    return text


def prepare(query_or_name: str, params: Mapping[str, str] | None = None, gazetteer: Any = None) -> str:
    """The SPARQL text to run: the query, its missing prefixes and its parameters bound."""
    text = load_query(query_or_name)
    params = dict(params or {})
    declared = query_params(text)
    missing = [name for name, required in declared.items() if required and name not in params]
    if missing:
        example = " ".join(f"--param {name}=..." for name in missing)
        raise QueryError(f"query {query_or_name!r} needs {example}")
    terms = {name: param_term(name, value, gazetteer) for name, value in params.items()}
    return vocab.sparql_prologue(text) + bind_params(text, terms)


def execute(
    store: Store, query_or_name: str, params: Mapping[str, str] | None = None, gazetteer: Any = None
) -> QueryResult:
    """Run a query on a store; returns pyoxigraph results (solutions, boolean or triples)."""
    text = load_query(query_or_name)
    prologue_lines = vocab.sparql_prologue(text).count("\n")
    try:
        return store.query(prepare(query_or_name, params, gazetteer))
    except StoreError as err:
        # report positions in the user's query, not in the text with kg's prefixes before it
        message = re.sub(r"error at (\d+):(\d+)",
                         lambda m: f"error at line {max(1, int(m.group(1)) - prologue_lines)}, column {m.group(2)}",
                         str(err))
        raise StoreError(message) from None


# ---------------------------------------------------------------------------------------------
# Results


_NUMERIC = {
    str(XSD.integer): int,
    str(XSD.int): int,
    str(XSD.long): int,
    str(XSD.decimal): float,
    str(XSD.double): float,
    str(XSD.float): float,
}


def term_value(term: Any) -> Any:
    """A result term as a Python value: IRIs as strings, numbers and booleans typed."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _NUMERIC:
            try:
                return _NUMERIC[datatype](term.value)
            except ValueError:
                return term.value
        if datatype == str(XSD.boolean):
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def to_frame(result: QueryResult) -> pd.DataFrame:
    """Query results as a DataFrame (one column per variable; ASK: ``result``; CONSTRUCT: s/p/o)."""
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[term_value(row[c]) for c in columns] for row in result]
        return pd.DataFrame(rows, columns=columns)
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"result": [bool(result)]})
    rows = [[term_value(t.subject), term_value(t.predicate), term_value(t.object)] for t in result]
    return pd.DataFrame(rows, columns=["subject", "predicate", "object"])


def run(
    store: Store, query_or_name: str, params: Mapping[str, str] | None = None, gazetteer: Any = None
) -> pd.DataFrame:
    """Run a query (text, .rq file or shipped name) with parameters; results as a DataFrame."""
    return to_frame(execute(store, query_or_name, params, gazetteer))


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Results in a standard format: SPARQL results csv/tsv/json/xml; CONSTRUCT results as RDF."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown result format {fmt!r}: use one of {', '.join(RESULT_FORMATS)}")
        return result.serialize(format=RESULT_FORMATS[fmt]) or b""
    rdf = ox.RdfFormat.N_TRIPLES if fmt in ("csv", "tsv") else ox.RdfFormat.TURTLE
    return ox.serialize(list(result), format=rdf, prefixes=None if rdf == ox.RdfFormat.N_TRIPLES else vocab.PREFIXES) or b""


def _short(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    for prefix, iri in vocab.PREFIXES.items():
        if text.startswith(iri) and len(text) > len(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text


def table(frame: pd.DataFrame, title: str | None = None) -> Any:
    """A rich Table of a DataFrame, IRIs shortened to prefixed names."""
    from rich.table import Table

    out = Table(title=title, show_lines=False)
    for column in frame.columns:
        out.add_column(str(column), overflow="fold")
    for row in frame.itertuples(index=False):
        out.add_row(*(_short(v) for v in row))
    return out


# ---------------------------------------------------------------------------------------------
# Agreements


def agreements(store: Store) -> pd.DataFrame:
    """The merged agreements, one row each, columns :data:`AGREEMENT_COLUMNS` (+ report dates)."""
    frame = run(store, "agreements")
    return frame.drop(columns=["agreement"])


def export_agreements(store: Store, fmt: str = "csv") -> bytes:
    """``kg export agreements``: the agreements table as CSV or JSON (a list of objects)."""
    frame = agreements(store)[list(AGREEMENT_COLUMNS)]
    if fmt == "csv":
        frame = frame.assign(conflict=frame["conflict"].map(lambda v: "true" if v else "false"))
        return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "json":
        records = [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    raise QueryError(f"unknown format {fmt!r} for agreements: use csv or json")


_AGREEMENT_CLAIMS = vocab.sparql_prologue() + """SELECT ?agreement ?claim WHERE {
  GRAPH ?g { ?agreement a kg:Agreement ; prov:wasDerivedFrom ?claim . }
}"""


def read_agreements(store: Store) -> tuple[list[Agreement], dict[str, dict[str, Any]]]:
    """The merged agreements as records, each with its claims, and the articles' metadata.

    Returns:
        (agreements sorted by pair and type, article id -> ``{"file", "title", "date", "url"}``).
    """
    claims, articles = build.read_claims(store)
    by_iri: dict[str, Claim] = {str(vocab.claim_iri(c)): c for c in claims}
    supporting: dict[str, list[Claim]] = {}
    for row in store.query(_AGREEMENT_CLAIMS):
        claim = by_iri.get(row["claim"].value)
        if claim is not None:
            supporting.setdefault(row["agreement"].value, []).append(claim)
    out = []
    for row in run(store, "agreements").itertuples(index=False):
        out.append(
            Agreement(
                party_a=row.party_a,
                party_b=row.party_b,
                agreement_type=row.agreement_type,
                status=row.status,
                date=row.date,
                claims=supporting.get(row.agreement, []),
                conflict=bool(row.conflict),
                first_reported=dt.date.fromisoformat(row.first_reported) if row.first_reported else None,
                last_reported=dt.date.fromisoformat(row.last_reported) if row.last_reported else None,
            )
        )
    return out, articles


def as_text(frame: pd.DataFrame) -> str:
    """A DataFrame as plain CSV text (for doctests and logs)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()
