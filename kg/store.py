"""Open a store by name: on-disk Oxigraph (default), in-process memory, or a SPARQL 1.1 endpoint.

Every store has the same small interface (:class:`Store`), in the manner of rdflib's stores:
SPARQL queries, quad patterns, :meth:`Store.apply` (replace or patch named graphs, drop others),
load and dump; and it declares what it can do: ``transactional`` (one ``apply`` is all or
nothing) and ``indexed`` (quad patterns and counts are index reads, cheap at any size). The
two backends:

* :class:`LocalStore` wraps ``pyoxigraph.Store`` (a directory, or memory). Queries see the
  union of all graphs as their default graph. An atomic ``apply`` is one SPARQL update: each
  graph given whole is written as its difference from what it holds, each patch as given; a
  first write into an empty store goes through ``bulk_extend`` (much faster) and empties the
  store again if it fails. A write in parts deletes in one update and then bulk-loads in parts
  of :data:`LocalStore.BULK_QUADS` (the caller marks the store pending first). Deleting is
  Oxigraph's slow operation (about 25 us a quad). Read commands open it read-only (no file of
  the store changes), and not while another kg command writes it (:func:`being_written`): they
  would read it half written. A read that meets the changes of a writer that began later fails
  in one line too.
* :class:`RemoteStore` speaks the SPARQL 1.1 protocol and the Graph Store HTTP Protocol with
  ``http.client``: queries to the query URL, each named graph written with its own ``PUT``
  (never into the default graph), with time limits on connecting and on each answer. The update
  and graph-store URLs default to Oxigraph's convention (``.../query`` -> ``.../update`` and
  ``.../store``).

Loading RDF files (:meth:`Store.load_files`, ``kg load``) is all or nothing: files are checked
before anything is opened (size, DTD entity declarations in RDF/XML), parsed as they are
written in one transaction, and may not write kg's derived graphs unless asked.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import http.client
import os
import re
import shutil
import socket
import sys
import time
import urllib.parse
import weakref
import xml.parsers.expat
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import vocab
from kg.errors import KgError

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

#: What a SPARQL query returns: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT).
#: Typed ``Any``: the caller knows which form it asked for (a SELECT's rows are iterated).
QueryResult = Any

#: RDF formats by the names the CLI accepts.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}

DEFAULT_STORE = "kg-store"

#: The most bytes one load reads, all its files together. A load is one transaction that
#: Oxigraph holds in memory, about 12 times the size of the N-Quads it reads (an 80 MB file
#: takes 1 GB), so this keeps a load within about 3 GB; bigger data is loaded in parts.
MAX_LOAD_BYTES = 256 * 1024 * 1024

#: The graphs kg build writes itself: merged agreements and parties (derived from the article
#: graphs) and the ontology. A load may not write them unless asked (``allow_kg_graphs``): a
#: loaded agreement that no article makes would be reported, and kept by later builds.
DERIVED_GRAPHS = frozenset(
    ox.NamedNode(str(graph)) for graph in (vocab.AGREEMENTS_GRAPH, vocab.PARTIES_GRAPH, vocab.ONTOLOGY_GRAPH)
)

#: A store URL: a scheme and ``://`` (anything else is a directory).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(spec: str) -> bool:
    """Whether a store given as ``spec`` is an endpoint's URL (``scheme://...``), not a folder.

    >>> is_url("http://127.0.0.1:7878/query"), is_url("kg-store"), is_url("memory")
    (True, False, False)
    """
    return bool(_URL.match(spec))


class StoreError(KgError):
    """A store that cannot be opened, read or written; ``str()`` is one line for the user."""


class InvalidQuery(StoreError):
    """SPARQL text the store cannot parse: the asker's mistake (an endpoint answers 400), not
    the store's."""


def rdf_format(name_or_path: str | Path) -> ox.RdfFormat:
    """The RDF format of a format name (``ttl``, ``trig``, ``nq``, ``jsonld``) or file name."""
    text = str(name_or_path)
    if text in RDF_FORMATS:
        return RDF_FORMATS[text]
    suffix = Path(text).suffix.lstrip(".").lower()
    for candidate in (suffix, {"turtle": "ttl", "json": "jsonld", "owl": "rdf", "xml": "rdf"}.get(suffix, "")):
        if candidate in RDF_FORMATS:
            return RDF_FORMATS[candidate]
    raise StoreError(
        f"cannot tell the RDF format of {text!r}: use one of {', '.join(RDF_FORMATS)} "
        "(or a file ending in one of them)"
    )


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _ntriples(quads: Iterable[ox.Quad]) -> bytes:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _graph_block(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """``GRAPH <g> { ... }`` holding the quads' triples, for INSERT DATA and DELETE DATA."""
    return f"GRAPH {graph} {{\n{_ntriples(quads).decode('utf-8')}}}"


def write_error(err: OSError, where: str, *, committed: bool = False) -> StoreError | None:
    """The one-line error for a store write that failed on a full disk or a read-only folder.

    ``committed``: the failure came after a transaction was committed (flushing to disk), so
    the store may hold it or not; otherwise the failed transaction left the store unchanged.
    None for any other ``OSError`` (pyoxigraph gives no errno: its message is read).
    """
    text = str(err)
    if err.errno == errno.ENOSPC or "No space left on device" in text:
        state = "it holds all of this command's changes or none" if committed else "the store is unchanged"
        return StoreError(f"no space left on the disk of {where}: free some space and run the command again; {state}")
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM) or any(
        reason in text for reason in ("Read-only file system", "Permission denied", "Operation not permitted")
    ):
        return StoreError(
            f"cannot write into the store in {where} ({_one_line(err)}): it is read-only; read commands "
            "(query, export, render, stats, validate) still work, to build or load give a writable --store"
        )
    return None


def _write_failed(err: OSError, where: str, *, committed: bool = False) -> StoreError:
    return write_error(err, where, committed=committed) or StoreError(
        f"cannot write the store in {where}: {_one_line(err)}"
    )


# ---- loading RDF files ----------------------------------------------------------------------


@dataclass(frozen=True)
class RdfFile:
    """A file to load: its path, its RDF format, and the graph its triples go to.

    ``graph`` takes the triples of a graph format and the default graph of a dataset format
    (TriG, N-Quads, JSON-LD); None: the store's default graph.
    """

    path: Path
    format: ox.RdfFormat
    graph: ox.NamedNode | None = None


def rdf_files(
    paths: Iterable[str | Path], graph: ox.NamedNode | None = None, *, max_bytes: int | None = None
) -> list[RdfFile]:
    """The files ``kg load`` reads, checked (:func:`check_rdf_files`) before a store is opened.

    Triples go to ``graph``; without one, the triples of a graph format go to a graph named
    after their file (:func:`kg.vocab.loaded_graph`) and datasets keep their graphs.
    """
    files = []
    for path in map(Path, paths):
        fmt = rdf_format(path)
        target = graph
        if target is None and not fmt.supports_datasets:
            target = ox.NamedNode(str(vocab.loaded_graph(path.name)))
        files.append(RdfFile(path, fmt, target))
    check_rdf_files(files, max_bytes)
    return files


def check_rdf_files(files: Sequence[RdfFile], max_bytes: int | None = None) -> None:
    """Refuse what must not reach the parser, without parsing.

    Raises:
        StoreError: a file is missing; the files together are over ``max_bytes`` (default
            :data:`MAX_LOAD_BYTES`); an RDF/XML file declares DTD entities (nested entities
            expand a 1 KB file to gigabytes, and Oxigraph expands them).
    """
    limit = MAX_LOAD_BYTES if max_bytes is None else max_bytes
    total = 0
    for file in files:
        if not file.path.is_file():
            raise StoreError(f"{file.path}: {'not a regular file' if file.path.exists() else 'no such file'}")
        total += file.path.stat().st_size
        if total > limit:
            raise StoreError(_too_big(file.path, total, limit, several=len(files) > 1))
        if file.format == ox.RdfFormat.RDF_XML and _declares_entities(file.path):
            raise StoreError(
                f"{file.path}: RDF/XML with DTD entity declarations is refused "
                "(entity expansion can exhaust memory); expand them first"
            )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _too_big(path: Path, total: int, limit: int, several: bool) -> str:
    what = f"with the files before it, {path} makes {_megabytes(total)}" if several else f"{path} is {_megabytes(total)}"
    return (
        f"{what}, over the {_megabytes(limit)} one load may read (it is one transaction held in memory): "
        "load the files in separate runs, splitting big ones (N-Triples and N-Quads split by lines, "
        "e.g. split -l 1000000 FILE part-)"
    )


class _PrologEnd(Exception):
    """Ends the prolog scan of :func:`_declares_entities`."""


def _declares_entities(path: Path) -> bool:
    """Whether an XML file declares DTD entities, read with expat up to its root element.

    Only the prolog is parsed, and an entity is never expanded. Where expat gives up (XML that
    is not well-formed), the bytes read so far are searched for a declaration.
    """
    parser = xml.parsers.expat.ParserCreate()
    declared = False
    seen: list[bytes] = []

    def entity(*_: object) -> None:
        nonlocal declared
        declared = True
        raise _PrologEnd

    def root(*_: object) -> None:
        raise _PrologEnd

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 16):
                seen.append(chunk)
                parser.Parse(chunk, False)
    except _PrologEnd:
        pass
    except xml.parsers.expat.ExpatError:
        return b"<!entity" in b"".join(seen).lower()
    except OSError as err:
        raise StoreError(f"{path}: cannot read it: {_one_line(err)}") from None
    return declared


def _read_quads(files: Sequence[RdfFile], allow_kg_graphs: bool, counts: list[int]) -> Iterator[ox.Quad]:
    """The quads of the files in the graphs they go to, parsed as they are consumed.

    ``counts[i]`` counts the quads of ``files[i]``. Raises :class:`StoreError` for a file that
    is not valid RDF or writes one of :data:`DERIVED_GRAPHS` without ``allow_kg_graphs``.
    """
    from kg.model import pending_quads

    ours = False  # whether a quad uses kg's terms or graphs
    for index, file in enumerate(files):
        target = file.graph
        try:
            for quad in ox.parse(path=str(file.path), format=file.format):
                if target is not None and isinstance(quad.graph_name, ox.DefaultGraph):
                    quad = ox.Quad(quad.subject, quad.predicate, quad.object, target)
                if not allow_kg_graphs and quad.graph_name in DERIVED_GRAPHS:
                    raise StoreError(
                        f"{file.path}: writes {quad.graph_name}, a graph kg build writes itself (agreements, "
                        "parties, ontology; a loaded copy can report agreements no article makes): leave that "
                        "graph out, or give --allow-kg-graphs to restore a kg export as it is"
                    )
                counts[index] += 1
                ours = ours or _uses_kg_terms(quad)
                yield quad
        except (SyntaxError, ValueError, MemoryError, OSError) as err:
            raise _parse_error(file, err) from None
    if ours:
        # Loaded claims, articles or derived quads may not agree with the derived graphs: the
        # mark (in the same transaction) tells the next build to derive them again.
        yield from pending_quads()


def _uses_kg_terms(quad: ox.Quad) -> bool:
    """Whether a quad goes into an article's graph or a derived one, or uses a term of kg's
    ontology (a claim or an article loaded into any graph is read by the next build)."""
    graph = quad.graph_name
    if graph in DERIVED_GRAPHS or (isinstance(graph, ox.NamedNode) and graph.value.startswith(_ARTICLE_GRAPHS)):
        return True
    return quad.predicate.value.startswith(_ONTOLOGY) or (
        isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(_ONTOLOGY)
    )


_ARTICLE_GRAPHS = str(vocab.article_graph(""))
_ONTOLOGY = str(vocab.KG._NS)


def _parse_error(file: RdfFile, err: Exception) -> StoreError:
    if isinstance(err, MemoryError):
        if "buffer maximal size" in str(err):
            # oxrdfio reads one term (a literal, an IRI) into a buffer of at most 16 MB.
            return StoreError(
                f"{file.path}: holds a literal or IRI over 16 MB, more than the RDF parser reads in one "
                "piece: shorten it (keep long texts in files and link to them)"
            )
        return StoreError(f"{file.path}: out of memory while reading it: load it in smaller parts")
    if isinstance(err, OSError):
        return StoreError(f"{file.path}: cannot read it: {_one_line(err)}")
    return StoreError(f"{file.path}: not valid {file.format.name}: {_one_line(err)}")


@dataclass(frozen=True)
class GraphPatch:
    """A change to a named graph for :meth:`Store.apply`: the quads ``delete`` go, then the
    quads ``insert`` are added; the rest of the graph stays."""

    delete: Sequence[ox.Quad] = ()
    insert: Sequence[ox.Quad] = ()


#: The new content of a named graph for :meth:`Store.apply`: all of its quads, or a patch.
#: An iterator of quads (not a sequence) is read once, as the store writes it.
GraphChange = Iterable[ox.Quad] | GraphPatch


def inserted(change: GraphChange) -> int:
    """How many quads a change writes; an iterator of quads, whose length is not known before
    it is read, counts as more than any transaction holds."""
    if isinstance(change, GraphPatch):
        return len(change.insert)
    return len(change) if isinstance(change, Sized) else sys.maxsize


class Store:
    """What every backend offers. Open one with :func:`open_store`."""

    spec: str
    #: Whether one :meth:`apply` (or :meth:`replace_graphs`) call is all-or-nothing. When it is
    #: not (an endpoint's Graph Store Protocol), a build marks the derived graphs pending first.
    transactional: bool = True
    #: Whether :meth:`quads_for_pattern` and ``len()`` are index reads, cheap at any size (a
    #: local store); an endpoint answers them with a query each, and counting reads everything.
    indexed: bool = False

    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
        raise NotImplementedError

    def replace_graphs(
        self,
        graphs: Mapping[ox.NamedNode, Iterable[ox.Quad]],
        drop: Iterable[ox.NamedNode] = (),
    ) -> None:
        """Drop the ``drop`` graphs and replace each of ``graphs`` with its quads."""
        raise NotImplementedError

    def named_graphs(self) -> list[ox.NamedNode]:
        """The names of all named graphs, sorted."""
        raise NotImplementedError

    def quads(self) -> list[ox.Quad]:
        """Every quad of the store."""
        raise NotImplementedError

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,  # noqa: A002 (pyoxigraph's name)
        graph: ox.NamedNode | None = None,
    ) -> list[ox.Quad]:
        """The quads of the named graphs that match a pattern (None: any term)."""
        given = [(subject, "?s"), (predicate, "?p"), (object, "?o"), (graph, "?g")]
        s, p, o, g = (str(term) if term is not None else var for term, var in given)
        rows = self.query(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}")
        return [
            ox.Quad(
                subject if subject is not None else row["s"],
                predicate if predicate is not None else row["p"],
                object if object is not None else row["o"],
                graph if graph is not None else row["g"],
            )
            for row in rows
        ]

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """Every quad of one named graph."""
        return self.quads_for_pattern(graph=graph)

    def apply(
        self, changes: Mapping[ox.NamedNode, GraphChange], drop: Iterable[ox.NamedNode] = (), *, atomic: bool = True
    ) -> None:
        """Drop the ``drop`` graphs, replace each graph of ``changes`` given as quads with them,
        and patch each one given as a :class:`GraphPatch`.

        ``atomic``: one transaction where the store has them (see ``transactional``). False
        lets a store write a large change faster in parts; the caller then marks it pending.
        Here (an endpoint): a patched graph is read, patched and written whole.
        """
        whole: dict[ox.NamedNode, Iterable[ox.Quad]] = {}
        for graph, change in changes.items():
            if isinstance(change, GraphPatch):
                gone = set(change.delete)
                kept = [q for q in self.graph_quads(graph) if q not in gone]
                whole[graph] = list(dict.fromkeys([*kept, *change.insert]))
            else:
                whole[graph] = change
        self.replace_graphs(whole, drop)

    def load(
        self,
        path: str | Path,
        fmt: ox.RdfFormat | None = None,
        graph: ox.NamedNode | None = None,
        *,
        allow_kg_graphs: bool = False,
    ) -> int:
        """Add the RDF of a file as :meth:`load_files` does; triples go to ``graph`` (default
        graph if None). Returns the number of quads read."""
        path = Path(path)
        (count,) = self.load_files([RdfFile(path, fmt or rdf_format(path), graph)], allow_kg_graphs=allow_kg_graphs)
        return count

    def load_files(
        self, files: Sequence[RdfFile], *, allow_kg_graphs: bool = False, max_bytes: int | None = None
    ) -> list[int]:
        """Add RDF files (see :func:`rdf_files`), all or nothing; the number of quads of each.

        A local store adds them in one transaction: a file that fails half way leaves the store
        as it was. An endpoint gets them once every file is parsed.

        Args:
            files: the files, with their formats and target graphs.
            allow_kg_graphs: let the files write :data:`DERIVED_GRAPHS` (restoring a kg export).
            max_bytes: the most bytes the files may hold together (default :data:`MAX_LOAD_BYTES`).

        Raises:
            StoreError: see :func:`check_rdf_files`; a file that is not valid RDF or writes
                kg's derived graphs; a store that cannot be written.
        """
        check_rdf_files(files, max_bytes)
        counts = [0] * len(files)
        self._add(_read_quads(files, allow_kg_graphs, counts))
        return counts

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads, in one transaction where the backend has them."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        return not self.quads()

    def __len__(self) -> int:
        return len(self.quads())

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """Serialise the store. Formats without named graphs (Turtle, N-Triples) get the union."""
        quads = self.quads()
        if fmt.supports_datasets:
            return ox.serialize(quads, format=fmt, prefixes=_prefixes(fmt)) or b""
        triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        return ox.serialize(triples, format=fmt, prefixes=_prefixes(fmt)) or b""

    def optimize(self) -> None:
        """Compact the store after a large write (a no-op where the backend has none)."""

    def close(self) -> None:
        """Release the store (the on-disk lock)."""

    # For notebooks, as rdflib, networkx and pandas users expect; the work is done by the
    # modules below the store (imported when asked: they import this one).

    def to_networkx(self, **filters: Any) -> nx.MultiGraph:
        """The merged agreements as a networkx graph; ``filters`` (``types``, ``statuses``,
        ``as_of``) as for :func:`kg.network.from_store`."""
        from kg.network import from_store

        return from_store(self, **filters)

    def to_rdflib(self) -> rdflib.Dataset:
        """A copy as an rdflib ``Dataset`` with the same named graphs (:func:`kg.notebook.to_rdflib`)."""
        from kg.notebook import to_rdflib

        return to_rdflib(self)

    def _repr_html_(self) -> str:
        """Jupyter's view of a store: its counts and first agreements (:func:`kg.notebook.store_html`)."""
        from kg.notebook import store_html

        return store_html(self)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            self.close()
        except StoreError:
            if exc_type is None:
                raise
            # closing failed after another error (a full disk fails both): report the first


def _prefixes(fmt: ox.RdfFormat) -> dict[str, str] | None:
    # N-Triples/N-Quads have no prefixes; JSON-LD output is fine without a context.
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML):
        return dict(vocab.PREFIXES)
    return None


class LocalStore(Store):
    """An Oxigraph store in a directory, or in memory (``path=None``).

    Args:
        path: the store's directory (created if missing, unless ``read_only``); None: memory.
        read_only: open an existing store without writing any of its files: no lock is taken,
            so it opens in a read-only folder. A store being written (:func:`being_written`)
            is refused: it would be read half written. Opened, it is seen as it was then; a
            writer that begins later is not stopped (pyoxigraph calls reading while another
            process writes "undefined behaviour"), and a read that fails on its changes (a
            file it compacted away) says so in one line.

    ``created`` tells whether opening created the store (in a new or an empty directory).
    """

    indexed = True
    #: Quads per bulk load when ``apply`` is not atomic (each costs memory as it grows).
    BULK_QUADS = 100_000

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.spec = str(path) if path is not None else "memory"
        self.read_only = read_only and self.path is not None
        self._made_dir = self.path is not None and not self.path.exists()
        self.created = self._made_dir or (self.path is not None and not read_only and not any(self.path.iterdir()))
        self._opened_as = _manifest(self.path) if self.read_only and self.path is not None else ""
        try:
            if self.path is None:
                self._store = ox.Store()
            elif self.read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as err:
            raise self._written_error() or _open_failed(err, self.spec) from None
        except RuntimeError as err:  # read-only: the store lacks what its first opening writes
            raise self._written_error() or StoreError(
                f"cannot read the store in {self.spec}: {_one_line(err)} (its first write did not finish, "
                "e.g. on a full disk): run kg build or kg load on it again"
            ) from None
        written = self._written_error()  # a writer that began while this one opened
        if written is not None:
            raise written
        if self.path is not None and not self.read_only:
            _WRITERS[_key(self.path)] = self
            _prune_info_logs(self.path)

    def _written_error(self) -> StoreError | None:
        """The one line for a store opened read-only that a writer holds now or opened since
        this one was opened (None otherwise): what it read may be half written, and RocksDB's
        error on a read then is a file that writer compacted away ("Corruption: ... No such
        file"), which says nothing wrong of the store.

        Each writable opening names a new MANIFEST in ``CURRENT``: a change since this store was
        opened tells of a writer that came and went."""
        if not self.read_only or self.path is None:
            return None
        if being_written(self.path):
            return StoreError(_being_written(self.spec))
        if _manifest(self.path) != self._opened_as:
            return StoreError(_being_written(self.spec, while_reading=True))
        return None

    def _read_failed(self, err: Exception) -> Exception:
        """What a read that raised ``err`` raises instead: the one line of a writer's doing, or
        of the store's own error (an ``OSError``); ``err`` itself otherwise (a bug, in full)."""
        written = self._written_error()
        if written is not None:
            return written
        if isinstance(err, OSError):
            return StoreError(f"cannot read the store in {self.spec}: {_one_line(err)}")
        return err

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Map the errors of reads on a store opened read-only (:meth:`_read_failed`); a store
        open for writing has no other writer, and its errors stay as they are (``apply`` maps
        them)."""
        try:
            yield
        except (OSError, RuntimeError) as err:
            if not self.read_only:
                raise
            raise self._read_failed(err) from None

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store in {self.spec} is open read-only: open it with read_only=False to write")

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for oxrdflib or direct use)."""
        return self._store

    def query(self, sparql: str) -> QueryResult:
        """As :meth:`Store.query`. The rows of a read-only store's results are read as they are
        taken, so they map read errors themselves (:class:`_GuardedResults`)."""
        try:
            results = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise InvalidQuery(f"invalid SPARQL: {_one_line(err)}") from None
        except (OSError, RuntimeError) as err:
            raise self._read_failed(err) from None
        return self.guarded(results)

    def guarded(self, results: Any) -> Any:
        """Results of a query evaluated on :attr:`oxigraph` directly (as :mod:`kg.query` does, to
        choose the default graph), their read errors mapped as :meth:`query` maps them."""
        if self.read_only and not isinstance(results, ox.QueryBoolean):
            return _GuardedResults(results, self)
        return results

    def replace_graphs(self, graphs, drop=()) -> None:
        self.apply(graphs, drop)

    def _update(self, drops: list[ox.NamedNode], deletes: list[str], inserts: list[str]) -> None:
        """One SPARQL update, so one transaction: all of it is applied, or none."""
        parts = [f"DROP SILENT GRAPH {g}" for g in drops]
        if deletes:
            parts.append("DELETE DATA {\n" + "\n".join(deletes) + "\n}")
        if inserts:
            parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
        if parts:
            self._store.update(" ;\n".join(parts))

    def _difference(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> tuple[bool, set[ox.Quad], set[ox.Quad]]:
        """How to turn a graph into ``quads``: (drop it first?, quads to delete, to insert). A
        graph is written as a difference from what it holds, because rewriting a large derived
        graph when one article is added costs seconds; DELETE DATA cannot name blank nodes, so
        a graph that loses one is dropped and written whole."""
        old = set(self._store.quads_for_pattern(None, None, None, graph))
        new = set(quads)
        gone = old - new
        if any(isinstance(t, ox.BlankNode) for q in gone for t in (q.subject, q.object)):
            return True, set(), new
        return False, gone, new - old

    def _bulk_write(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        # bulk_extend is not transactional: the store was empty, so on any failure (Ctrl-C
        # included) empty it again, which is the state it was in.
        try:
            self._store.bulk_extend(q for quads in graphs.values() for q in quads)
        except BaseException:
            self._store.clear()
            raise

    def named_graphs(self) -> list[ox.NamedNode]:
        with self.reading():
            return sorted((g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)

    def quads(self) -> list[ox.Quad]:
        with self.reading():
            return list(self._store)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph=None) -> list[ox.Quad]:  # noqa: A002
        with self.reading():
            if graph is None:
                return [q for q in self._store.quads_for_pattern(subject, predicate, object)
                        if isinstance(q.graph_name, ox.NamedNode)]
            return list(self._store.quads_for_pattern(subject, predicate, object, graph))

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        return self.quads_for_pattern(graph=graph)

    def apply(self, changes, drop=(), *, atomic=True) -> None:
        """As :meth:`Store.apply`. Atomic: one SPARQL update, each graph given whole written as a
        difference from what it holds (into an empty store: one bulk load, undone on failure).
        Not atomic: the drops and deletions in one transaction, then the insertions as bulk
        loads of :data:`BULK_QUADS` (Oxigraph's transactions grow slower than linearly with
        their size: 400k quads take 13 s in one, 3 s in a bulk load)."""
        self._check_writable()
        try:
            if atomic:
                self._apply_atomic(changes, drop)
            else:
                self._apply_in_parts(changes, drop)
        except OSError as err:
            raise _write_failed(err, self.spec) from None

    def _apply_atomic(self, changes: Mapping[ox.NamedNode, GraphChange], drop: Iterable[ox.NamedNode]) -> None:
        drops = [g for g in drop if g not in changes]
        patched = any(isinstance(change, GraphPatch) for change in changes.values())
        if not patched and self.is_empty():
            self._bulk_write(changes)  # type: ignore[arg-type]
            return
        deletes, inserts = [], []
        for graph, change in changes.items():
            if isinstance(change, GraphPatch):
                gone, fresh = change.delete, change.insert
            else:
                whole, gone, fresh = self._difference(graph, change)  # type: ignore[assignment]
                if whole:
                    drops.append(graph)
            if gone:
                deletes.append(_graph_block(graph, gone))
            if fresh:
                inserts.append(_graph_block(graph, fresh))
        self._update(drops, deletes, inserts)

    def _apply_in_parts(self, changes: Mapping[ox.NamedNode, GraphChange], drop: Iterable[ox.NamedNode]) -> None:
        drops = [g for g in drop if g not in changes]
        deletes: list[str] = []
        inserts: list[Iterable[ox.Quad]] = []
        for graph, change in changes.items():
            if isinstance(change, GraphPatch):
                if change.delete:
                    deletes.append(_graph_block(graph, change.delete))
                inserts.append(change.insert)
            else:
                drops.append(graph)
                inserts.append(change)
        self._update(drops, deletes, [])
        # Oxigraph's bulk loader holds what one call gives it in memory: load in parts.
        stream = (q for quads in inserts for q in quads)
        while chunk := list(itertools.islice(stream, self.BULK_QUADS)):
            self._store.bulk_extend(chunk)

    def is_empty(self) -> bool:
        with self.reading():
            return next(iter(self._store), None) is None

    def __len__(self) -> int:
        with self.reading():
            return len(self._store)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        if fmt.supports_datasets:
            with self.reading():
                return self._store.dump(format=fmt, prefixes=_prefixes(fmt)) or b""
        return super().dump(fmt)

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        self._check_writable()
        # extend is one transaction, also over a generator that raises half way.
        try:
            self._store.extend(quads)
        except OSError as err:
            raise _write_failed(err, self.spec) from None

    def optimize(self) -> None:
        if self.path is not None and not self.read_only:
            try:
                self._store.optimize()
            except OSError as err:
                raise _write_failed(err, self.spec, committed=True) from None

    def close(self) -> None:
        if isinstance(self._store, _Closed):
            return
        store, self._store = self._store, _Closed(self.spec)  # type: ignore[assignment]
        if self.path is not None and _WRITERS.get(_key(self.path)) is self:
            del _WRITERS[_key(self.path)]
        if self.path is not None and not self.read_only:
            try:
                store.flush()
            except OSError as err:
                raise _write_failed(err, self.spec, committed=True) from None
        # pyoxigraph releases the directory lock when the object goes away.

    def remove(self) -> None:
        """Close the store and delete it (a new store that a failed load leaves empty); a
        directory that was there before opening stays, empty."""
        self.close()
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            if not self._made_dir:
                self.path.mkdir(exist_ok=True)


class _Closed:
    """What a closed :class:`LocalStore` holds instead of its pyoxigraph store: any use of it
    is one line (a notebook cell run again after ``store.close()`` met ``'NoneType' object has
    no attribute 'query'``)."""

    def __init__(self, spec: str) -> None:
        self._spec = spec

    def _closed(self) -> StoreError:
        return StoreError(f"the store in {self._spec} is closed: open it again (kg.store.open_store, "
                          "or kg.notebook.open_for_reading in a notebook)")

    def __getattr__(self, name: str) -> Any:
        raise self._closed()

    def __iter__(self) -> Any:
        raise self._closed()

    def __len__(self) -> int:
        raise self._closed()


class _GuardedResults:
    """The solutions or triples of a query on a store opened read-only, as pyoxigraph gives
    them, but for its errors: pyoxigraph reads rows as they are taken, so a file that a writer
    removed fails there, after :meth:`LocalStore.query` returned; taken here, it becomes the
    store's one line (:meth:`LocalStore._read_failed`). ``isinstance`` sees the results' own
    class, and their other attributes (``variables``) are theirs."""

    def __init__(self, results: Any, store: LocalStore) -> None:
        self._results = results
        self._store = store

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # what isinstance asks, as unittest.mock's spec answers it
        return type(self._results)

    def __iter__(self) -> _GuardedResults:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._results)
        except (OSError, RuntimeError) as err:  # not reading(): this runs for every row
            raise self._store._read_failed(err) from None

    def serialize(self, *args: Any, **kwargs: Any) -> Any:
        with self._store.reading():
            return self._results.serialize(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._results, name)


def _open_failed(err: OSError, where: str) -> StoreError:
    mapped = write_error(err, where)
    if mapped is not None:
        return mapped
    if "lock" in str(err).lower():
        return StoreError(
            f"cannot open the store in {where}: {_one_line(err)} "
            "(is another kg command writing it? wait for it, or give another --store)"
        )
    return StoreError(f"cannot open the store in {where}: {_one_line(err)}")


def _prune_info_logs(path: Path, keep: int = 1) -> None:
    """Delete all but the newest ``keep`` old RocksDB info logs of a store.

    RocksDB renames its info log to ``LOG.old.<time>`` each time a store opens for writing and
    keeps a thousand of them (about 136 KB each); they are not part of the data.
    """
    try:
        old = sorted(path.glob("LOG.old.*"), key=lambda log: log.stat().st_mtime_ns)
        for log in old[: max(len(old) - keep, 0)]:
            log.unlink()
    except OSError:
        pass  # a log that cannot be removed now is removed by a later command


def _read_until(response: http.client.HTTPResponse, sock: socket.socket, deadline: float | None) -> bytes:
    """The body of a response, read in chunks; ``TimeoutError`` once past the deadline (a server
    that sends a byte now and then does not keep a read going for ever).

    Read until the response is closed, not until an empty read: a response whose connection
    ends with it (HTTP/1.0, ``Connection: close``) closes ``sock`` as soon as its last byte is
    read, and a time-out set on it after that fails (EBADF). While the response is open, it
    holds the socket's file open (http.client's ``makefile``), even once the connection has
    let go of it."""
    chunks: list[bytes] = []
    while not response.isclosed():
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        chunk = response.read(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint: protocol for queries, Graph Store Protocol for writes.

    Args:
        query_url: the query endpoint, e.g. ``http://127.0.0.1:7878/query``.
        update_url: the update endpoint; default: ``query_url`` with ``/query`` -> ``/update``.
        store_url: the graph-store endpoint; default: ``/query`` -> ``/store``.
        timeout: seconds to wait for the whole answer to a request once connected
            (``None`` or 0: no limit); ``kg query`` sets it from ``--timeout``.
        connect_timeout: seconds to wait for the connection.
    """

    transactional = False
    #: Default seconds to wait for an answer, and for a connection.
    TIMEOUT = 60.0
    CONNECT_TIMEOUT = 10.0

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float | None = TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.spec = self.query_url = query_url
        base = query_url[: -len("/query")] if query_url.rstrip("/").endswith("/query") else None
        self.update_url = update_url or (base + "/update" if base else query_url)
        self.store_url = store_url or (base + "/store" if base else None)
        self.timeout = timeout
        self.connect_timeout = connect_timeout

    # -- HTTP -----------------------------------------------------------------------------

    def _request(
        self, url: str, method: str, body: bytes | None, headers: dict[str, str], timeout: float | None = None
    ) -> tuple[bytes, str]:
        """One HTTP exchange: connected within ``connect_timeout``, the whole answer read within
        ``timeout`` (default: the store's). http.client rather than urllib, whose one timeout
        covers both the connection and each read."""
        limit = (self.timeout if timeout is None else timeout) or None
        parts = urllib.parse.urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname or "", parts.port, timeout=self.connect_timeout)
        try:
            try:
                connection.connect()
            except TimeoutError:
                raise StoreError(
                    f"cannot reach the SPARQL endpoint {url}: no connection within {self.connect_timeout:g} s "
                    "(is the server running? check the --store URL)"
                ) from None
            deadline = None if limit is None else time.monotonic() + limit
            sock = connection.sock  # kept: http.client lets go of it once a response says "close"
            sock.settimeout(limit)
            connection.request(method, urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, "")),
                               body=body, headers=headers)
            response = connection.getresponse()
            data = _read_until(response, sock, deadline)
        except TimeoutError:
            raise StoreError(
                f"the SPARQL endpoint {url} did not answer within {limit:g} s; "
                "narrow the query, or raise --timeout (0: no limit) if the server is just slow"
            ) from None
        except (OSError, http.client.HTTPException) as err:
            raise StoreError(
                f"cannot reach the SPARQL endpoint {url}: {_one_line(err) or err.__class__.__name__} "
                "(is the server running? check the --store URL)"
            ) from None
        finally:
            connection.close()
        if response.status >= 400:
            detail = _one_line(data.decode("utf-8", "replace"))[:300]
            raise StoreError(f"{url} answered {response.status} {response.reason}: {detail}")
        return data, response.getheader("Content-Type", "")

    def _graph_url(self, graph: ox.NamedNode | None) -> str:
        if self.store_url is None:
            raise StoreError(
                f"no graph-store URL for {self.query_url}: give --graph-store-url "
                "(the endpoint does not end in /query, so it cannot be derived)"
            )
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph.value})
        return f"{self.store_url}?{query}"

    def ping(self) -> None:
        """Raise :class:`StoreError` if the endpoint does not answer a trivial query."""
        self.query("ASK { }")

    # -- Store interface ------------------------------------------------------------------

    def query(self, sparql: str, timeout: float | None = None) -> QueryResult:
        """Run a query; ``timeout``: seconds to wait for the answer (default: the store's)."""
        data, content_type = self._request(
            self.query_url,
            "POST",
            sparql.encode("utf-8"),
            {
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
            },
            timeout,
        )
        media = content_type.split(";")[0].strip().lower()
        if media == "application/n-triples":
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        fmt = ox.QueryResultsFormat.from_media_type(media) if media else ox.QueryResultsFormat.JSON
        if fmt is None:
            raise StoreError(f"{self.query_url} answered in an unexpected format {media!r}")
        return ox.parse_query_results(data, format=fmt)

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update on the update endpoint."""
        self._request(
            self.update_url,
            "POST",
            sparql.encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def replace_graphs(self, graphs, drop=()) -> None:
        # The Graph Store Protocol has no multi-graph transaction: article graphs are written
        # first and the derived graphs (agreements, parties) last, so an interrupted write
        # leaves at worst stale derived graphs that the next build recomputes.
        for graph in drop:
            if graph not in graphs:
                self._delete(graph)
        for graph, quads in graphs.items():
            if quads:
                self._request(
                    self._graph_url(graph), "PUT", _ntriples(quads), {"Content-Type": "application/n-triples"}
                )
            else:
                self._delete(graph)

    def _delete(self, graph: ox.NamedNode) -> None:
        try:
            self._request(self._graph_url(graph), "DELETE", None, {})
        except StoreError as err:
            if " 404 " not in str(err):
                raise

    def named_graphs(self) -> list[ox.NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted((row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)), key=str)

    def quads(self) -> list[ox.Quad]:
        quads = []
        for graph in [None, *self.named_graphs()]:
            data, _ = self._request(self._graph_url(graph), "GET", None, {"Accept": "application/n-triples"})
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, graph or ox.DefaultGraph())
                for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            ]
        return quads

    def is_empty(self) -> bool:
        return not bool(self.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        # Every file is parsed before the first request: a bad file sends nothing.
        by_graph: dict[ox.NamedNode | None, list[ox.Quad]] = defaultdict(list)
        for quad in quads:
            by_graph[quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else None].append(quad)
        # kg's mark that the derived graphs need deriving again goes first: a load cut off
        # half way leaves it (see kg.build).
        mark = ox.NamedNode(str(vocab.BUILD_GRAPH))
        for target in sorted(by_graph, key=lambda graph: graph != mark):
            group = by_graph[target]
            self._request(self._graph_url(target), "POST", _ntriples(group), {"Content-Type": "application/n-triples"})


def require_store(value: object) -> None:
    """Refuse, in one line that says how to open one, anything but an open store: a notebook
    may pass the store's path (or a frame) where the store is meant, which would otherwise fail
    deep inside with an ``AttributeError``.

    >>> require_store("kg-store")
    Traceback (most recent call last):
    TypeError: expected an open store, not str: open one with kg.notebook.open_for_reading('kg-store')
    """
    if isinstance(value, Store):
        return
    spec = repr(os.fspath(value)) if isinstance(value, (str, os.PathLike)) else "PATH"
    raise TypeError(f"expected an open store, not {type(value).__name__}: "
                    f"open one with kg.notebook.open_for_reading({spec})")


def open_store(
    spec: str | Path = DEFAULT_STORE,
    *,
    create: bool = True,
    read_only: bool = False,
    update_url: str | None = None,
    store_url: str | None = None,
    timeout: float | None = RemoteStore.TIMEOUT,
) -> Store:
    """Open a store by name.

    Args:
        spec: a directory (on-disk Oxigraph store, created if missing), ``"memory"``, or the
            ``http(s)://`` URL of a SPARQL 1.1 query endpoint.
        create: for a directory: create the store if it does not exist; if False, a missing
            directory is an error (read-only commands do not leave empty stores behind).
        read_only: for a directory: open an existing store without changing any of its files
            (see :class:`LocalStore`); the read commands do. Implies ``create=False``. A store
            that another kg command is writing is refused (:func:`being_written`).
        update_url, store_url: for an endpoint: its update and graph-store URLs, when they do
            not follow Oxigraph's ``/query`` -> ``/update``, ``/store`` convention.
        timeout: for an endpoint: seconds to wait for each answer (``None`` or 0: no limit).

    A directory that holds files but no Oxigraph store (a folder of articles given by mistake)
    is refused, whatever ``create`` says: nothing is written into it.

    Raises:
        StoreError: the store cannot be opened (or, read-only, is being written), the URL is
            malformed or the endpoint does not answer.

    >>> store = open_store("memory")
    >>> store.is_empty()
    True
    """
    text = str(spec)
    if text == "memory":
        return LocalStore(None)
    if is_url(text):
        for option, url in (("--store", text), ("--update-url", update_url), ("--graph-store-url", store_url)):
            if url is not None:
                _check_endpoint_url(option, url)
        remote = RemoteStore(text, update_url=update_url, store_url=store_url, timeout=timeout)
        remote.ping()
        return remote
    path = Path(text)
    try:
        if path.exists() and not path.is_dir():
            raise StoreError(f"--store {text} is a file, not a store directory: give a directory, 'memory' or a URL")
        if read_only and path.is_dir() and being_written(path):  # a build may not have made it all yet
            raise StoreError(_being_written(text))
        if path.is_dir() and not _is_oxigraph_store(path) and any(path.iterdir()):
            raise StoreError(
                f"--store {text} is not a kg store: the folder holds other files and no Oxigraph database; "
                "give the folder kg build wrote, or a new one"
            )
        if not _is_oxigraph_store(path) and (read_only or not create):
            raise StoreError(f"no store in {text}: build one first with 'kg build PATH --store {text}'")
    except OSError as err:
        raise StoreError(f"cannot read {text}: {err.strerror or err}; check its permissions") from None
    return LocalStore(path, read_only=read_only)


def _is_oxigraph_store(path: Path) -> bool:
    """Whether a directory holds a RocksDB database (as Oxigraph writes it)."""
    return (path / "CURRENT").is_file() and any(path.glob("MANIFEST-*"))


# ---- a store that another command writes --------------------------------------------------


#: The stores this process holds open for writing, by directory (:func:`_key`). RocksDB's lock
#: is an fcntl lock, which belongs to a process: :func:`being_written` cannot see this process's
#: own, and closing a handle on the lock file would drop it (another build could then open the
#: store while it is written), so it looks here instead.
_WRITERS: weakref.WeakValueDictionary[str, LocalStore] = weakref.WeakValueDictionary()


def _key(path: Path) -> str:
    return str(path.resolve())


def being_written(path: Path) -> bool:
    """Whether the store in ``path`` is open for writing (a kg build or kg load), in another
    process or in this one.

    A read-only open takes no lock, so nothing stops a build from writing while the store is
    read; but a writer holds RocksDB's fcntl lock on ``LOCK`` for as long as it has the store
    open. This asks for a shared lock on that file without waiting: refused means another
    process holds it. The lock, when granted, is let go at once (closing the file), so a build
    that starts after the probe is not stopped by it. This process's writers are looked up in
    :data:`_WRITERS` (a store opened here by pyoxigraph directly is not seen, and the probe
    drops its lock).
    """
    if _key(path) in _WRITERS:
        return True
    try:
        import fcntl
    except ImportError:  # not POSIX: there is no lock to ask about
        return False
    try:
        handle = open(path / "LOCK", "rb")  # noqa: SIM115 -- closed below, which lets the lock go
    except OSError:
        return False
    with handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as err:
            return err.errno in (errno.EAGAIN, errno.EACCES)
    return False


def _being_written(where: str, *, while_reading: bool = False) -> str:
    """The one line for a store that a writer holds (or wrote ``while_reading`` it)."""
    what = "was written by another kg command (kg build or kg load) while this one read it" if while_reading \
        else "is being written by another kg command (kg build or kg load)"
    return f"the store in {where} {what}: run this again when it finishes"


def _manifest(path: Path) -> str:
    """The MANIFEST a store's ``CURRENT`` names, which each writable opening renews ("" if unreadable)."""
    try:
        return (path / "CURRENT").read_text()
    except OSError:
        return ""


def _check_endpoint_url(option: str, url: str) -> None:
    """Refuse a URL that names no http(s) endpoint, before any request is tried."""
    example = "give one like http://127.0.0.1:7878/query"
    if not url.lower().startswith(("http://", "https://")):
        raise StoreError(
            f"{option} {url}: only http:// and https:// SPARQL endpoints are supported "
            "(a store is a directory, 'memory' or such a URL)"
        )
    if any(c.isspace() or not c.isprintable() for c in url):
        raise StoreError(f"{option} {url!r} holds spaces or control characters: {example}")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in 0-65535
    except ValueError as err:
        raise StoreError(f"{option} {url} is not a valid URL ({_one_line(err)}): {example}") from None
    if not parts.hostname:
        raise StoreError(f"{option} {url} names no host: {example}")
