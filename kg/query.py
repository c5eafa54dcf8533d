"""SPARQL over a store: shipped queries, parameters bound as RDF terms, DataFrames and exports.

A query is SPARQL text, a ``.rq`` file, or the name of a query shipped in ``kg/queries``
(:func:`shipped_queries`). Parameters (``--param party=JPN``) become RDF terms (a party IRI,
a type or status concept, an ``xsd:date``, else an ``xsd:string`` literal) and are bound with a
``VALUES`` block that opens the query's WHERE group and that of every sub-select using them: the
value is data, never query text, so a value with quotes or braces cannot change the query.

Hostile queries: a ``SERVICE`` clause (a network call to another endpoint) is refused unless
``allow_service=True``; ``FROM`` / ``FROM NAMED`` choose the graphs as SPARQL says (without them
the default graph is the union of all graphs); and with ``timeout=`` a query on a local store
runs in a child process that is killed at the time limit or on Ctrl-C (see :func:`execute`).

>>> from kg.store import open_store
>>> store = open_store("memory")
>>> run(store, "SELECT ?x WHERE { BIND(?name AS ?x) }", {"name": 'a "quoted" {value}'}).x[0]
'a "quoted" {value}'
"""

from __future__ import annotations

import contextlib

import datetime as dt
import io
import json
import multiprocessing
import multiprocessing.connection
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyoxigraph as ox
from rdflib.namespace import XSD

from kg import model, read, vocab
from kg.errors import KgError
from kg.records import AGREEMENT_TYPES, STATUSES
from kg.store import InvalidQuery, LocalStore, QueryResult, RemoteStore, Store, StoreError, require_store
from kg.text import without_bidi_controls

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

#: Columns of ``kg export agreements`` and of the shipped ``agreements`` query.
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
    "first_reported",
    "last_reported",
    "agreement",
)


class QueryError(KgError, ValueError):
    """A user-causable problem with a query or a parameter; ``str()`` is one line."""


class QueryTimeout(QueryError):
    """A query stopped at its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"query stopped after {seconds:g} s (--timeout): it was still running; narrow it "
            "(more specific patterns, a LIMIT) or raise --timeout (0: no limit)"
        )


# ---------------------------------------------------------------------------------------------
# Finding the query


def shipped_queries() -> dict[str, Path]:
    """Name -> file of every query shipped with kg (``partners``, ``as-of``, ...)."""
    return {path.stem: path for path in sorted(QUERY_DIR.glob("*.rq"))}


_SPARQL_START = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(select|ask|construct|describe|prefix|base)\b", re.I)


#: An update: its first keyword after the prologue (comments, PREFIX and BASE declarations).
_UPDATE = re.compile(
    r"\A(?:\s|#[^\n]*\n|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.I,
)


def is_update(text: str) -> bool:
    r"""Whether SPARQL ``text`` is an update (INSERT, DELETE, LOAD, ...), not a query.

    >>> is_update("PREFIX ex: <http://ex/>\n# add one\nINSERT DATA { ex:a ex:b ex:c }"), is_update("SELECT * { }")
    (True, False)
    """
    return bool(_UPDATE.match(text))


def _reads_as_sparql(text: str) -> bool:
    """Whether ``text`` is SPARQL text rather than a name or a path: a ``{``, or a query form
    or prologue keyword first (after comments)."""
    return bool(_SPARQL_START.match(text)) or "{" in text


class QueryText(str):
    """SPARQL text taken as it is, from :func:`query_text`: never read as the name of a shipped
    query or the path of a file, and its ``# param NAME: required`` lines are comments, not
    parameters still to be given.

    For a query that comes whole from elsewhere: an endpoint's client sends one, and
    ``kg query --store URL`` sends a shipped query with its values bound and those lines kept
    (comments to any endpoint; without them, an error's line number would no longer be that
    of the user's file). Every function that takes ``query_or_name`` takes one: a marked
    string, as markupsafe's ``Markup`` marks text that is safe.
    """

    __slots__ = ()


def query_text(text: str) -> QueryText:
    """``text`` as :class:`QueryText` if it reads as SPARQL; else :class:`QueryError`.

    >>> bool(execute(LocalStore(None), query_text("# param x: required\\nASK { }")))
    True
    >>> query_text("partners")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.query.QueryError: invalid SPARQL: a query starts with SELECT, ASK, ... or file's path is read here)
    """
    if not _reads_as_sparql(text):
        raise QueryError("invalid SPARQL: a query starts with SELECT, ASK, CONSTRUCT, DESCRIBE, PREFIX or BASE; "
                         "give its text (no shipped query's name or file's path is read here)")
    return QueryText(text)


def load_query(query_or_name: str) -> str:
    """The SPARQL text of a shipped query name, a ``.rq`` file, or SPARQL text itself."""
    if not isinstance(query_or_name, str):
        raise TypeError(f"a query is SPARQL text, a .rq file's path or a shipped query's name (a str), "
                        f"not {type(query_or_name).__name__}")
    if isinstance(query_or_name, QueryText):
        return query_or_name
    shipped = shipped_queries()
    if query_or_name in shipped:
        return shipped[query_or_name].read_text(encoding="utf-8")
    if _reads_as_sparql(query_or_name):
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
    """What a shipped query answers: its leading comment, whole, up to its ``# param`` lines.

    >>> describe("partners")
    'every party that has an agreement with PARTY, one row per partner.'
    """
    lines = []
    for line in load_query(name).splitlines():
        if not line.startswith("#") or re.match(r"#\s*(param|example)\b", line):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines).split(":", 1)[-1].strip()


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
            where = "" if name == "party" else f" for {name}"
            raise QueryError(f"unknown party {value!r}{where}: give a code (JPN, NATO) or a name (Japan)")
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
            raise QueryError(f"date {value!r} is not a date: write it as YYYY-MM-DD") from None
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
            raise QueryError(f"parameter {name!r}: a parameter name is a SPARQL variable name (letters, digits, _)")
        if not re.search(rf"[?$]{name}\b", text):
            raise QueryError(f"parameter {name}: the query has no variable ?{name}")
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
    """The SPARQL text to run: the query, its missing prefixes and its parameters bound; the
    parameters it declares required must be given, unless it is :class:`QueryText`."""
    text = load_query(query_or_name)
    if params is not None and not isinstance(params, Mapping):
        raise TypeError(f"params are a mapping of names to values, e.g. {{'party': 'JPN'}}, "
                        f"not {type(params).__name__}")
    params = dict(params or {})
    declared = {} if isinstance(query_or_name, QueryText) else query_params(text)
    missing = [name for name, required in declared.items() if required and name not in params]
    if missing:
        example = " ".join(f"--param {name}=..." for name in missing)
        in_python = ", ".join(f"{name!r}: ..." for name in missing)
        raise QueryError(f"query {query_or_name!r} needs {example} (params={{{in_python}}} in Python)")
    terms = {name: param_term(name, value, gazetteer) for name, value in params.items()}
    return vocab.sparql_prologue(text) + bind_params(text, terms)


# ---------------------------------------------------------------------------------------------
# Running a query: SERVICE, FROM, time limits


def _keywords(text: str) -> Iterator[tuple[str, int]]:
    """The keywords of a query, upper-cased, each with its brace depth: the words outside
    comments, strings and IRIs that are no part of a prefixed name, variable or language tag."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            before = text[match.start() - 1] if match.start() else " "
            if before not in ":?$@" and not text.startswith(":", match.end()):
                yield match.group().upper(), depth


def calls_service(text: str) -> bool:
    """Whether a query has a ``SERVICE`` clause: a call to another SPARQL endpoint over the network.

    >>> calls_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> calls_service('SELECT * WHERE { ?s ?service "SERVICE" }  # SERVICE')
    False
    """
    return any(word == "SERVICE" for word, _ in _keywords(text))


def names_its_graphs(text: str) -> bool:
    """Whether a query chooses its graphs with ``FROM`` or ``FROM NAMED``."""
    return any(word == "FROM" and depth == 0 for word, depth in _keywords(text))


def _checked(query_or_name: str, params: Mapping[str, str] | None, gazetteer: Any, allow_service: bool) -> str:
    """:func:`prepare`, and a query that calls another endpoint refused unless allowed."""
    text = prepare(query_or_name, params, gazetteer)
    if is_update(text):
        raise QueryError("the query is an update (INSERT, DELETE, ...): kg runs read queries only; "
                         "change a store with kg build or kg load")
    if not allow_service and calls_service(text):
        raise QueryError(
            "the query has a SERVICE clause, which calls another SPARQL endpoint over the network: "
            "kg refuses it unless you pass --allow-service (allow_service=True in Python)"
        )
    return text


class _Deadline:
    """The moment a query must be done by; ``seconds`` None or 0: no limit."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise QueryTimeout(self.seconds or 0)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _expected(item: str) -> str | None:
    """One alternative of a SPARQL parser's "expected one of ..." in words (None: too vague)."""
    if item.startswith("["):  # a character class: name characters, digits, or anything ([_])
        if "'A'" in item:
            return "a name"
        return "a digit" if "'0'" in item else None
    if item == "Prefix not found":
        return "a declared prefix"
    if item == "IRI parsing failed":
        return "a valid IRI"
    return item


def syntax_error(error: BaseException, text: str) -> str:
    """A SPARQL parser's error as one readable line: where, near what, and what was expected
    (its lists of Unicode character ranges become "a name").

    >>> syntax_error(SyntaxError("error at 1:12: expected one of ['A' ..= 'Z' | 'a' ..= 'z'], [_], \\"}\\""),
    ...              "SELECT * { ?x }")
    'invalid SPARQL: error at 1:12 (near "SELECT * {"): expected a name, "}"'
    """
    message = _one_line(error)
    where = re.match(r"error at (\d+):(\d+): (?:expected (?:one of )?)?(.*)", message)
    if where is None:
        return f"invalid SPARQL: {message}"
    line, column, rest = int(where.group(1)), int(where.group(2)), where.group(3)
    lines = text.splitlines() or [""]
    source = lines[min(line, len(lines)) - 1]
    before = source[:column - 1].rstrip()
    if len(before) > 30:  # the last words before the error, whole
        before = "..." + before[-30:].split(" ", 1)[-1]
    near = before or source[column - 1:column + 14].strip()
    items = re.findall(r"\[[^\]]*(?:\]\s*\|[^\]]*)*\]|\"(?:[^\"\\\\]|\\\\.)*\"|[^,\s][^,]*", rest)
    words = list(dict.fromkeys(w for w in (_expected(i.strip()) for i in items) if w))
    if "a declared prefix" in words:
        said = "a prefix that is not declared (kg declares " + ", ".join(f"{p}:" for p in vocab.PREFIXES) + ")"
    elif words:
        said = "expected " + ", ".join(words[:12]) + (", ..." if len(words) > 12 else "")
    else:
        said = "unexpected text"
    return f"invalid SPARQL: error at {line}:{column}" + (f' (near "{near}")' if near else "") + f": {said}"


def _evaluate(store: ox.Store, text: str) -> QueryResult:
    """Evaluate a query on a pyoxigraph store. Its default graph is the union of all graphs,
    unless the query names its graphs (FROM / FROM NAMED): pyoxigraph then honours them."""
    try:
        return store.query(text, use_default_graph_as_union=not names_its_graphs(text))
    except SyntaxError as err:
        raise InvalidQuery(syntax_error(err, text)) from None
    except OSError as err:
        raise StoreError(_failure(err, text)) from None


def _guarded(store: LocalStore, results: QueryResult, text: str) -> QueryResult:
    """``results`` with the store's read errors mapped to its one line (a build that wrote the
    store while they were read, :meth:`kg.store.LocalStore.guarded`); a query that calls a
    SERVICE keeps its own errors, which are the network's (:func:`_failure`)."""
    return results if calls_service(text) else store.guarded(results)


def _reading(store: LocalStore, text: str) -> contextlib.AbstractContextManager[None]:
    """As :func:`_guarded`, for the work of writing the results out."""
    return contextlib.nullcontext() if calls_service(text) else store.reading()


def _failure(error: Exception, text: str) -> str:
    """The one-line message of an error met while evaluating ``text``."""
    if isinstance(error, (StoreError, QueryError)):
        return str(error)
    if isinstance(error, OSError) and calls_service(text):
        return (f"a SERVICE call failed: {_one_line(error)}; check the endpoint URL, "
                "or write SERVICE SILENT to go on without its answer")
    return f"the query failed: {error.__class__.__name__}: {_one_line(error)}"


#: Whether a query can run in a forked child process (POSIX); elsewhere ``timeout`` is not applied.
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def _isolated(store: LocalStore, text: str, fmt: str, deadline: _Deadline) -> tuple[str, IO[bytes]]:
    """Evaluate ``text`` in a child process that writes its results in ``fmt`` to a temporary file.

    Returns:
        (``"results"`` or ``"triples"``, the file at its start).

    Raises:
        QueryTimeout: past the deadline; the child is killed.
        KeyboardInterrupt: on Ctrl-C; the child is killed.
    """
    context = multiprocessing.get_context("fork")
    out = tempfile.TemporaryFile(prefix="kg-query-")
    receive, send = context.Pipe(duplex=False)
    inherited = store.oxigraph if store.path is None else None  # a memory store lives in this process
    child = context.Process(target=_child, args=(inherited, store.path, store.read_only, text, fmt, out, send),
                            daemon=True)
    answer = None
    try:
        child.start()
        send.close()
        wait = None if deadline.at is None else max(0.0, deadline.at - time.monotonic())
        if not multiprocessing.connection.wait([receive], wait):
            raise QueryTimeout(deadline.seconds or 0)
        try:
            answer = receive.recv()
        except EOFError:
            pass
    except BaseException:
        out.close()
        raise
    finally:
        if child.pid is not None:  # started (a fork can fail)
            child.join(timeout=5 if answer else 0)
            if child.is_alive():
                child.kill()
                child.join()
        receive.close()
    if answer is None:
        out.close()
        raise StoreError(
            f"the query's process ended without an answer (exit code {child.exitcode}), "
            "maybe out of memory: narrow the query"
        )
    kind, error, invalid = answer
    if error is not None:
        out.close()
        raise (InvalidQuery if invalid else StoreError)(error)
    out.seek(0)
    return kind, out


def _child(
    inherited: ox.Store | None, path: Path | None, reader: bool, text: str, fmt: str, out: IO[bytes], answer: Any
) -> None:
    """The child process of :func:`_isolated`: evaluate, write the results, send (kind, error).

    A parent that opened the store read-only is a reader: the child opens it as every reader
    does, so a build writing it is one line here too. A parent that holds the store for writing
    is its only writer, and the child reads what it wrote."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it kills this process
    try:
        if inherited is not None:
            kind = _dump(_evaluate(inherited, text), fmt, out)
        elif reader:
            store = LocalStore(path, read_only=True)
            with _reading(store, text):
                kind = _dump(_guarded(store, _evaluate(store.oxigraph, text), text), fmt, out)
        else:
            try:
                own = ox.Store.read_only(str(path))
            except OSError as err:
                raise StoreError(f"cannot read the store in {path}: {_one_line(err)}") from None
            kind = _dump(_evaluate(own, text), fmt, out)
        out.flush()
        answer.send((kind, None, False))
    except Exception as err:  # every failure goes back as one line for the user
        answer.send((None, _failure(err, text), isinstance(err, InvalidQuery)))


#: The format results come back from a child process in when they are to be read again: TSV
#: keeps every term exactly (triples come as N-Triples).
_HANDBACK = "tsv"


def _read_back(kind: str, handle: IO[bytes]) -> QueryResult:
    if kind == "triples":
        return (quad.triple for quad in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES))  # type: ignore[return-value]
    return ox.parse_query_results(handle, format=RESULT_FORMATS[_HANDBACK])


def _in_user_lines(error: StoreError, query_or_name: str) -> StoreError:
    """``error`` with syntax error positions in lines of the user's query, not of the text
    with kg's prefixes before it."""
    prologue_lines = vocab.sparql_prologue(load_query(query_or_name)).count("\n")
    return type(error)(re.sub(
        r"error at (\d+):(\d+)",
        lambda m: f"error at line {max(1, int(m.group(1)) - prologue_lines)}, column {m.group(2)}",
        str(error),
    ))


def execute(
    store: Store,
    query_or_name: str,
    params: Mapping[str, str] | None = None,
    gazetteer: Any = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run a query on a store; returns pyoxigraph results (solutions, boolean or triples).

    Args:
        timeout: ``None`` (the default): evaluate in this process, the fastest way, but nothing
            stops pyoxigraph until it is done, not even Ctrl-C. A number of seconds: on a local
            store, evaluate in a child process that is killed at that time limit
            (:class:`QueryTimeout`) or on Ctrl-C (``KeyboardInterrupt``); ``0``: no limit, still
            stopped by Ctrl-C. On a remote store: how long to wait for the endpoint's answer.
        allow_service: run ``SERVICE`` clauses (network calls); refused by default.

    Why a child process: pyoxigraph evaluates a query in Rust without looking at a clock or at
    signals, and an aggregate or an ORDER BY does all its work inside the one call that starts
    the query, so no check between rows can stop it. A thread could be abandoned but would go on
    using CPU and memory; a killed process stops and gives its memory back. The child is forked
    (a memory store comes with it; an on-disk store is opened read-only, which works while this
    process holds it open) and writes the results to a temporary file, read back from there.

    Raises:
        QueryError: a bad parameter, a refused SERVICE, or the time limit (:class:`QueryTimeout`).
        StoreError: invalid SPARQL, or a store or endpoint that fails; one line each.
    """
    require_store(store)
    text = _checked(query_or_name, params, gazetteer, allow_service)
    try:
        if isinstance(store, RemoteStore):
            return store.query(text, timeout=timeout)
        if not isinstance(store, LocalStore):
            return store.query(text)
        if timeout is None or not _CAN_FORK:
            return _guarded(store, _evaluate(store.oxigraph, text), text)
        return _read_back(*_isolated(store, text, _HANDBACK, _Deadline(timeout)))
    except StoreError as err:
        raise _in_user_lines(err, query_or_name) from None


def write_results(
    store: Store,
    query_or_name: str,
    fmt: str,
    output: IO[bytes],
    params: Mapping[str, str] | None = None,
    gazetteer: Any = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
) -> None:
    """Run a query and write its results to ``output`` in a standard format (see :func:`serialize`).

    ``timeout`` and ``allow_service`` as for :func:`execute`. With a time limit on a local store,
    the child process writes ``fmt`` itself, so the limit covers the writing too, and the file it
    wrote is copied to ``output`` in chunks: memory stays small whatever the size of the results.
    Nothing is written when the query fails or runs out of time.
    """
    require_store(store)
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}: use one of {', '.join(RESULT_FORMATS)}")
    if timeout is None or not _CAN_FORK or not isinstance(store, LocalStore):
        result = execute(store, query_or_name, params, gazetteer, timeout=timeout, allow_service=allow_service)
        output.write(serialize(result, fmt))
        return
    text = _checked(query_or_name, params, gazetteer, allow_service)
    try:
        _, handle = _isolated(store, text, fmt, _Deadline(timeout))
    except StoreError as err:
        raise _in_user_lines(err, query_or_name) from None
    with handle:
        shutil.copyfileobj(handle, output)


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


def to_frame(result: QueryResult, *, typed: bool = False) -> pd.DataFrame:
    """Query results as a DataFrame (one column per variable; ASK: ``result``; CONSTRUCT: s/p/o);
    ``typed``: with the dtypes of :func:`typed_frame`."""
    return _frame(result, _Deadline(None), typed=typed)


def _frame(
    result: QueryResult, deadline: _Deadline, max_rows: int | None = None, *, typed: bool = False
) -> pd.DataFrame:
    """:func:`to_frame`, checking the deadline at every row and keeping at most ``max_rows``
    (``frame.attrs["more"]`` is then True if there were more)."""
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"result": [bool(result)]})
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = ([term_value(row[c]) for c in columns] for row in result)
    else:
        columns = ["subject", "predicate", "object"]
        rows = ([term_value(t.subject), term_value(t.predicate), term_value(t.object)] for t in result)
    kept: list[list[Any]] = []
    more = False
    for row in rows:
        deadline.check()
        if max_rows is not None and len(kept) == max_rows:
            more = True
            break
        kept.append(row)
    frame = _rows_frame(kept, columns, typed=typed)
    if more:
        frame.attrs["more"] = True
    return frame


def _rows_frame(
    rows: Sequence[Sequence[Any]], columns: Sequence[str], *, typed: bool, dtypes: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A frame of rows of Python values; ``typed``: through :func:`typed_frame`, made of the values
    as they are (an integer column with a missing value would otherwise become floats first)."""
    if not typed:
        return pd.DataFrame(rows, columns=list(columns))
    return typed_frame(pd.DataFrame(rows, columns=list(columns), dtype=object), dtypes)


#: What pandas infers a column of Python values to hold -> the nullable dtype :func:`typed`
#: gives it (missing values stay missing: ``<NA>``).
_NULLABLE = {
    "integer": "Int64",
    "boolean": "boolean",
    "floating": "Float64",
    "mixed-integer-float": "Float64",
    "decimal": "Float64",
}

#: A date as the shipped queries and the records write it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}){0,2}")


def typed_frame(frame: pd.DataFrame, dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A frame of Python values (query results, records) with the dtypes pandas users expect.

    Integers become ``Int64``, booleans ``boolean`` and decimals ``Float64`` (missing values
    ``<NA>``, not floats); dates become ``datetime64[us]`` with ``NaT`` where there is none: the
    columns of ``datetime.date`` values, and the text columns whose every non-empty value is an
    ISO date (the shipped queries give their dates as text, ``""`` when there is none, so that
    ``kg query --format csv/json`` writes them as written; a date told as a year or a month
    becomes its first day). Other text stays text.

    ``dtypes``: the dtypes of columns known beforehand (:data:`COLUMN_DTYPES`), given rather
    than inferred, since a column without a single date, or a frame without rows, shows nothing
    to infer from.

    >>> frame = pd.DataFrame({"n": [1, None], "day": ["2024-02", ""], "ok": [True, None]}, dtype=object)
    >>> typed_frame(frame).dtypes.astype(str).tolist()
    ['Int64', 'datetime64[us]', 'boolean']
    >>> typed_frame(frame)["day"].tolist()
    [Timestamp('2024-02-01 00:00:00'), NaT]
    """
    out = frame.copy()
    for position, (name, column) in enumerate(frame.items()):
        out.isetitem(position, _typed_column(column, (dtypes or {}).get(str(name))))
    return out


def _typed_column(column: pd.Series, dtype: str | None) -> pd.Series:
    """One column of :func:`typed_frame`, as ``dtype`` if given, else as inferred."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if dtype is None and kind in _NULLABLE:
        dtype = _NULLABLE[kind]
    elif dtype is None and (kind in ("date", "datetime") or (kind == "string" and _iso_dates(column))):
        dtype = _DATES
    if dtype == _DATES:
        return pd.to_datetime(column.mask(column.eq("")), format="ISO8601").astype(_DATES)
    return column.infer_objects() if dtype is None else column.astype(dtype)


#: The dtype of the dates of :func:`typed_frame`.
_DATES = "datetime64[us]"


def _iso_dates(column: pd.Series) -> bool:
    """Whether every non-empty value of a text column is an ISO date, and one at least."""
    values = column.dropna()
    values = values[values != ""]
    return bool(len(values)) and all(_ISO_DATE.fullmatch(value) for value in values)


def run(
    store: Store,
    query_or_name: str,
    params: Mapping[str, str] | None = None,
    gazetteer: Any = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
    typed: bool = False,
) -> pd.DataFrame:
    """Run a query (text, .rq file or shipped name) with parameters; results as a DataFrame.

    ``timeout`` and ``allow_service`` as for :func:`execute`; the time limit covers reading the
    rows into the DataFrame too. ``max_rows``: keep the first rows only; ``frame.attrs["more"]``
    says whether there were more. ``typed``: dates as ``datetime64`` (``NaT`` when missing),
    integers and booleans as nullable ``Int64`` and ``boolean`` (see :func:`typed_frame`);
    without it, dates stay the text ``kg query`` prints.
    """
    deadline = _Deadline(timeout)
    result = execute(store, query_or_name, params, gazetteer, timeout=timeout, allow_service=allow_service)
    return _frame(result, deadline, max_rows, typed=typed)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Results in a standard format: SPARQL results csv/tsv/json/xml; CONSTRUCT results as RDF."""
    buffer = io.BytesIO()
    _dump(result, fmt, buffer)
    return buffer.getvalue()


def _dump(result: QueryResult, fmt: str, output: IO[bytes]) -> str:
    """Write results as :func:`serialize` gives them; returns ``"results"`` or ``"triples"``."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown result format {fmt!r}: use one of {', '.join(RESULT_FORMATS)}")
        result.serialize(output, format=RESULT_FORMATS[fmt])
        return "results"
    rdf = ox.RdfFormat.N_TRIPLES if fmt in ("csv", "tsv") else ox.RdfFormat.TURTLE
    triples = (getattr(t, "triple", t) for t in result)  # a remote store's CONSTRUCT gives quads
    ox.serialize(triples, output, format=rdf, prefixes=None if rdf == ox.RdfFormat.N_TRIPLES else vocab.PREFIXES)
    return "triples"


def _short(value: Any) -> str:
    """A table cell: IRIs as prefixed names, booleans as in CSV (true/false)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if pd.api.types.is_bool(value):
        return "true" if value else "false"
    text = str(value)
    for prefix, iri in vocab.PREFIXES.items():
        if text.startswith(iri) and len(text) > len(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text


def _cap(widths: list[int], room: int) -> int | None:
    """The largest cell width that fits columns of natural ``widths`` into ``room`` characters
    when only the columns wider than it are cut (None: all fit)."""
    if sum(widths) <= room:
        return None
    cap = max(widths)
    while cap > 3 and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return cap


def table(frame: pd.DataFrame, title: str | None = None, width: int | None = None) -> Any:
    """A rich Table of a DataFrame, IRIs shortened to prefixed names, booleans true/false.

    With a ``width`` (the terminal's), each row is one line of at most that many characters:
    the longest cells are cut and end in "...", short columns (codes, dates, counts) stay whole.
    Without one, every cell is whole.
    """
    from rich.table import Table

    rows = [[_short(v) for v in row] for row in frame.itertuples(index=False)]
    columns = [str(c) for c in frame.columns]
    natural = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]
    cap = None if width is None else _cap(natural, width - 3 * len(columns) - 1)
    out = Table(title=title, show_lines=False)
    for column in columns:
        if cap is None:
            out.add_column(column, no_wrap=width is not None, overflow="fold")
        else:
            out.add_column(column, no_wrap=True, overflow="ellipsis", max_width=cap)
    for row in rows:
        out.add_row(*row)
    return out


# ---------------------------------------------------------------------------------------------
# Agreements


def agreements(store: Store, as_of: dt.date | None = None, *, typed: bool = False) -> pd.DataFrame:
    """The merged agreements, one row each, columns :data:`AGREEMENT_COLUMNS`: the shipped
    ``agreements`` query's table.

    ``as_of``: the agreements as the claims told by that day tell them, read as records
    (:mod:`kg.read`) and merged again by :func:`kg.model.as_of` (the rule the ``as-of`` query's
    stored states follow); their sources, first and last reported dates are those of the
    claims told by then. A test keeps this table equal to the query's after the last claim.
    ``typed``: dates as ``datetime64`` (``NaT`` when missing; see :func:`typed_frame`) rather
    than the text ``kg export agreements`` writes. Each agreement's claims: :func:`claims`.
    """
    require_store(store)
    if as_of is None:
        frame = run(store, "agreements")[list(AGREEMENT_COLUMNS)]
        return typed_frame(frame.astype(object), COLUMN_DTYPES) if typed else frame
    records = model.as_of(read.agreements(store), as_of, read.articles(store))
    parties = read.parties(store)

    def name(code: str) -> str | None:
        party = parties.get(code)
        return party.name if party else None

    rows = [
        (a.party_a, a.party_b, a.agreement_type, a.status, a.date, a.sources, bool(a.conflict),
         name(a.party_a), name(a.party_b), _iso(a.first_reported), _iso(a.last_reported),
         str(vocab.agreement_iri(a.party_a, a.party_b, a.agreement_type)))
        for a in records
    ]
    return _rows_frame(rows, AGREEMENT_COLUMNS, typed=typed, dtypes=COLUMN_DTYPES)


#: The dtypes of the columns of :func:`agreements` and :func:`claims` when typed.
COLUMN_DTYPES = {
    **dict.fromkeys(("party_a", "party_b", "agreement_type", "status", "party_a_name", "party_b_name",
                     "agreement", "title", "file", "sentence", "article_id"), "str"),
    **dict.fromkeys(("date", "first_reported", "last_reported", "published"), _DATES),
    "sources": "Int64",
    "conflict": "boolean",
    "hedged": "boolean",
}

#: Columns of :func:`claims`: the agreement a claim supports (its key in :func:`agreements`),
#: what the claim says, and where it was told.
CLAIM_COLUMNS = (
    "party_a",
    "party_b",
    "agreement_type",
    "status",
    "date",
    "hedged",
    "published",
    "title",
    "file",
    "sentence",
    "article_id",
)


def claims(store: Store) -> pd.DataFrame:
    """Every claim, one row each, typed (:func:`typed_frame`: ``date`` and ``published`` are
    ``datetime64``), sorted by agreement (pair and type), then by date (undated last) and article.

    Joined to :func:`agreements` on ``party_a``, ``party_b`` and ``agreement_type``: one row
    per agreement there, one per claim here, rather than sources joined into one string.
    """
    require_store(store)
    articles = read.articles(store)
    rows = []
    for claim in read.claims(store):
        article = articles.get(claim.article_id)
        rows.append((
            claim.party_a, claim.party_b, claim.agreement_type, claim.status, claim.date, claim.hedged,
            article.date if article else None, article.title if article else "", claim.file,
            claim.evidence.sentence, claim.article_id,
        ))
    frame = _rows_frame(rows, CLAIM_COLUMNS, typed=True, dtypes=COLUMN_DTYPES)
    return frame.sort_values(["party_a", "party_b", "agreement_type", "date", "article_id"],
                             kind="stable", ignore_index=True)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def export_agreements(store: Store, fmt: str = "csv", as_of: dt.date | None = None) -> bytes:
    """``kg export agreements``: the agreements table (:func:`agreements`) as CSV or JSON (a
    list of objects)."""
    if fmt not in ("csv", "json"):
        raise QueryError(f"unknown format {fmt!r} for agreements: use csv or json")
    frame = agreements(store, as_of)
    if fmt == "csv":
        frame = frame.assign(conflict=frame["conflict"].map(lambda v: "true" if v else "false"))
        return without_bidi_controls(frame.to_csv(index=False, lineterminator="\n")).encode("utf-8")
    records = [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    return without_bidi_controls(json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def as_text(frame: pd.DataFrame) -> str:
    """A DataFrame as plain CSV text (for doctests and logs)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()
