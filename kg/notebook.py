"""Jupyter: a store and the network view that show themselves, rdflib conversion, project paths.

Small functions and light wrappers over the rest of kg, for what rdflib, networkx and pandas
users expect in a notebook: ``store`` as the last line of a cell shows its counts and first
agreements (``Store._repr_html_`` calls :func:`store_html`); ``View(graph)`` shows the
interactive view inline (``kg render``'s page in a sandboxed frame); ``store.to_rdflib()``
(:func:`to_rdflib`) and ``store.to_networkx()`` convert; the typed DataFrames are
:func:`kg.query.agreements` (``typed=True``), :func:`kg.query.claims` and
:func:`kg.query.run` (``typed=True``).

A notebook runs in its own folder, so a relative store path would point into ``notebooks/``;
:func:`open_for_reading` and :func:`project_path` resolve it from the project root
(:func:`project_root`) instead.
"""

from __future__ import annotations

import html
import inspect
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg import query, read
from kg.errors import KgError
from kg.render import iframe_html, render_html

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

    from kg.store import Store

#: How many agreements a store shows of itself.
SHOWN_AGREEMENTS = 5

#: The columns of those agreements.
SHOWN_COLUMNS = ["party_a", "party_b", "agreement_type", "status", "date", "sources", "conflict"]


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The project's folder: the nearest one holding ``pyproject.toml`` at or above ``start``
    (default: the working directory), else at or above kg's own source (an editable install
    run from elsewhere).

    Raises:
        KgError: neither is inside a project.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for origin in (here, Path(__file__).resolve().parent):
        for folder in (origin, *origin.parents):
            if (folder / "pyproject.toml").is_file():
                return folder
    raise KgError(f"no pyproject.toml in {here} or a folder above it: give an absolute path instead")


def project_path(path: str | os.PathLike[str], start: str | os.PathLike[str] | None = None) -> Path:
    """``path`` resolved from the project root (:func:`project_root`) when it is relative; a
    leading ``~`` is the home folder, as in a shell.

    >>> project_path("/data/kg-store")
    PosixPath('/data/kg-store')
    >>> project_path("kg-store") == project_root() / "kg-store"
    True
    >>> project_path("~/kg-store") == Path.home() / "kg-store"
    True
    """
    path = Path(path).expanduser()
    return path if path.is_absolute() else project_root(start) / path


def open_for_reading(spec: str | os.PathLike[str]) -> Store:
    """Open a store read-only as a notebook does: a directory relative to the project root
    (:func:`project_path`), an endpoint URL or ``"memory"`` as :func:`kg.store.open_store` takes
    them. Read-only takes no lock, so ``kg serve`` and ``kg query`` can read the store at the
    same time; one that a kg build or kg load is writing is refused in one line (StoreError).
    """
    from kg.store import is_url, open_store

    if not isinstance(spec, (str, os.PathLike)):
        raise TypeError(f"open_for_reading takes a store folder, 'memory' or an endpoint URL (a str or a path), "
                        f"not {type(spec).__name__}")
    text = os.fspath(spec)
    if not text.strip():  # the project root itself, which is no store
        raise KgError("open_for_reading takes a store folder, 'memory' or an endpoint URL, not an empty name: "
                      "give the folder kg build wrote, e.g. open_for_reading('kg-store')")
    return open_store(text if text == "memory" or is_url(text) else project_path(text), read_only=True)


def counts(store: Store) -> dict[str, int]:
    """What a store holds: articles, claims, agreements (and conflicting ones), parties, quads."""
    query.require_store(store)
    agreements, conflicts = read.agreement_counts(store)
    return {
        "articles": read.article_count(store),
        "claims": read.claim_count(store),
        "agreements": agreements,
        "conflicts": conflicts,
        "parties": len(read.party_codes(store)),
        "quads": read.quad_count(store),
    }


def store_html(store: Store, rows: int = SHOWN_AGREEMENTS) -> str:
    """A store as HTML: where it is, its :func:`counts`, and its first ``rows`` agreements.

    Every value is escaped (a party code or a store path may hold ``<``). Dates are shown as
    told ("2024-02"), not as the first day of a typed frame.
    """
    figures = counts(store)
    first = query.agreements(store).head(rows)[SHOWN_COLUMNS]
    cells = "".join(f"<th>{html.escape(name)}</th>" for name in figures)
    values = "".join(f"<td>{value:,}</td>" for value in figures.values())
    more = f"<p>first {len(first)} of {figures['agreements']:,} agreements:</p>" if len(first) else ""
    return (
        f'<div class="kg-store"><p><b>kg store</b> <code>{html.escape(store.spec)}</code></p>'
        f"<table><tr>{cells}</tr><tr>{values}</tr></table>"
        f"{more}{first.to_html(index=False, escape=True, na_rep='') if len(first) else ''}</div>"
    )


class View:
    """The interactive network view of a graph, shown inline by Jupyter.

    Args:
        graph: a party graph (``store.to_networkx()``, :func:`kg.network.from_store`, or a
            subgraph of one), or a store, whose whole graph is shown. A graph that is not an
            undirected ``MultiGraph`` (``nx.Graph(party_graph)``) is taken as one.
        height: CSS height of the frame in the notebook.
        layout: ``"spring"`` (kg render's default) or ``"geo"`` (countries at their capitals,
            :func:`kg.geo.geo_layout`, as ``kg render --layout geo``).
        options: passed to :func:`kg.render.render_html` (``title``, ``seed``, ``positions``, ...);
            another name is refused at once, not when the view is shown.

    >>> view = View(__import__("networkx").MultiGraph(), title="<none>")
    >>> "<iframe srcdoc=" in view._repr_html_() and "&amp;lt;none&amp;gt;" in view._repr_html_()
    True
    """

    def __init__(self, graph: nx.Graph | Store, *, height: str = "620px", layout: str = "spring",
                 **options: Any) -> None:
        unknown = sorted(set(options) - _VIEW_OPTIONS)
        if unknown:
            raise TypeError(f"View takes {', '.join(sorted(_VIEW_OPTIONS | {'height', 'layout'}))}, "
                            f"not {', '.join(unknown)}")
        from kg.geo import LAYOUTS, positions

        if layout not in LAYOUTS:
            raise ValueError(f"layout {layout!r} is not a layout: use {' or '.join(map(repr, LAYOUTS))}")
        self.graph = _party_graph(graph)
        self.height = height
        self.options = options if layout == "spring" else {**options, "positions": positions(self.graph, layout)}

    def html(self) -> str:
        """The page, as ``kg render`` writes it."""
        return render_html(self.graph, **self.options)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (one offline HTML file); returns the path."""
        render_html(self.graph, path, **self.options)
        return Path(path)

    def _repr_html_(self) -> str:
        return iframe_html(self.html(), height=self.height)


#: What :class:`View` passes on to :func:`kg.render.render_html`.
_VIEW_OPTIONS = frozenset(inspect.signature(render_html).parameters) - {"graph", "path"}


def _party_graph(graph: object) -> nx.MultiGraph:
    """What :class:`View` shows for ``graph``; refused in one line when it cannot be a party
    graph (the page would fail later, inside Jupyter's display, with an ``AttributeError``)."""
    import networkx as nx

    from kg.store import Store

    if isinstance(graph, Store):
        return graph.to_networkx()
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"View shows a party graph (store.to_networkx(), kg.network.from_store(store)) "
                        f"or a store, not {type(graph).__name__}")
    made = "make it with store.to_networkx() or kg.network.to_networkx()"
    for node in graph:
        if not isinstance(node, str):
            raise TypeError(f"View shows a party graph, whose nodes are party codes: {node!r} is not one; {made}")
    for a, b, data in graph.edges(data=True):
        if "agreement_type" not in data:
            raise TypeError(f"View shows a party graph, whose edges are agreements: the edge {a}-{b} has no "
                            f"agreement_type; {made}")
    # a simple or directed graph as kg's undirected MultiGraph, with its attributes
    return graph if graph.is_multigraph() and not graph.is_directed() else nx.MultiGraph(graph)


def to_rdflib(store: Store) -> rdflib.Dataset:
    """A copy of the store as an rdflib ``Dataset``: the same named graphs and quads (those of
    the default graph in its default graph), for rdflib's API, SPARQL engine or serialisers.

    Read through N-Quads, which both libraries write and parse as the standard says; the copy
    is in memory, so it suits a store of up to a few hundred thousand quads.
    """
    import rdflib

    query.require_store(store)
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():
        # rdflib's own N-Quads parser uses its deprecated Dataset.default_context: its warning,
        # about rdflib's code, is no news to a kg user
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        dataset.parse(data=store.dump(ox.RdfFormat.N_QUADS), format="nquads")
    return dataset
