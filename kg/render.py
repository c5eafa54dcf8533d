"""A party graph -> one self-contained, offline HTML page (pyvis + vis-network, inlined).

The page needs no network: vis-network's script (shipped inside the pyvis wheel) and kg's
own script and styles are inline, and a Content-Security-Policy forbids every fetch and
allows only those scripts (by hash). Positions come from a networkx layout and physics is
off, so a 250-party, 10,000-edge graph draws in seconds and does not move.

Article text is untrusted. Nothing from the graph is pasted into markup: the heading is
escaped by the template, the data travels as JSON (with ``<``, ``>`` and ``&`` escaped) and
the page script shows it through text nodes only; only http(s) URLs become links.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import math
import os
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from kg.files import write_atomic
from kg.network import partners_graph
from kg.text import without_bidi_controls
from kg.records import AGREEMENT_TYPES, STATUS_TERMS, STATUSES, TYPE_TERMS

#: Edge colour per agreement type (from :data:`kg.records.TYPE_TERMS`).
TYPE_COLORS: dict[str, str] = {kind.value: term.color for kind, term in TYPE_TERMS.items()}
#: Colour of agreements that no longer hold, whatever their type: one per ended status (grey
#: for terminated, olive for suspended), from :data:`kg.records.STATUS_TERMS`.
STATUS_COLORS: dict[str, str] = {status.value: term.color for status, term in STATUS_TERMS.items() if term.ended}
#: vis-network ``dashes`` per status, one style each (from :data:`kg.records.STATUS_TERMS`):
#: False is a solid line, a list is [dash, gap, ...].
STATUS_DASHES: dict[str, bool | list[int]] = {
    status.value: list(term.dashes) or False
    for status, term in STATUS_TERMS.items()
}
#: Labels of types and statuses (the ontology's ``skos:prefLabel``).
_LABELS: dict[str, str] = {
    **{kind.value: term.label for kind, term in TYPE_TERMS.items()},
    **{status.value: term.label for status, term in STATUS_TERMS.items()},
}
#: How a conflicting agreement is marked on its edge: a red "!" badge at its middle and a red
#: glow along it (vis-network edge options).
CONFLICT_MARK: dict[str, Any] = {
    "label": " ! ",
    "font": {"color": "#ffffff", "background": "#C62828", "size": 16, "strokeWidth": 0, "align": "horizontal"},
    "shadow": {"enabled": True, "color": "rgba(198, 40, 40, 0.75)", "size": 9, "x": 0, "y": 0},
}
#: Node shape and colour per party kind (colours far from every edge colour: see the tests).
KIND_STYLE: dict[str, dict[str, str]] = {
    "country": {"shape": "dot", "color": "#37474F", "label": "Country"},
    "organisation": {"shape": "diamond", "color": "#5E3C99", "label": "Organisation"},
}

#: Node labels' font size in canvas pixels (:mod:`kg.geo` makes room for labels of this size).
FONT_SIZE = 14


def node_size(agreements: int) -> float:
    """A party's node size (its radius) in canvas pixels: it grows with the square root of the
    party's agreements, so a hub stands out without covering its neighbours."""
    return 8 + 5 * math.sqrt(agreements)


_VIS_VERSION = "9.1.2"
_VIS_JS = Path(pyvis.__file__).parent / "lib" / f"vis-{_VIS_VERSION}" / "vis-network.min.js"


def _label(code: str) -> str:
    label = _LABELS.get(code) or code.replace("_", " ")
    return label[:1].upper() + label[1:]


def _script_json(value: Any) -> str:
    """JSON that cannot end the ``<script>`` element holding it (no ``<``, ``>``, ``&`` left)."""
    text = without_bidi_controls(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def csp_hash(script: str) -> str:
    """A Content-Security-Policy source that allows the inline ``script`` (or style) by its hash."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _component_layout(component: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Positions of one connected component, centred on 0, radius growing with its size."""
    n = component.number_of_nodes()
    if n == 1:
        return {next(iter(component)): (0.0, 0.0)}
    try:
        raw = nx.spring_layout(component, seed=seed, iterations=60)
    except ImportError:
        # networkx needs scipy's sparse matrices above 500 nodes; ForceAtlas2 needs numpy only.
        raw = nx.rescale_layout_dict(nx.forceatlas2_layout(component, seed=seed, max_iter=100))
    radius = 40.0 + 100.0 * math.sqrt(n)
    return {node: (float(x) * radius, float(y) * radius) for node, (x, y) in raw.items()}


def layout(graph: nx.MultiGraph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Pixel positions for every party: a force layout per connected component, packed in rows.

    Laying out components apart keeps a force layout from pushing small groups to the far
    edges of the view; packing them largest first keeps the whole graph compact on screen.

    Example:
        >>> pos = layout(nx.MultiGraph([("A", "B", "x"), ("C", "D", "x")]))
        >>> sorted(pos), all(isinstance(v, float) for xy in pos.values() for v in xy)
        (['A', 'B', 'C', 'D'], True)
    """
    if graph.number_of_nodes() == 0:
        return {}
    simple = partners_graph(graph)
    margin = 120.0
    boxes = []
    for nodes in sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c))):
        pos = _component_layout(simple.subgraph(nodes), seed)
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        boxes.append((pos, min(xs), min(ys), max(xs) - min(xs) + margin, max(ys) - min(ys) + margin))
    row_limit = max(max(b[3] for b in boxes), math.sqrt(sum(b[3] * b[4] for b in boxes)) * 1.4)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, left, top, width, height in boxes:
        if x > 0 and x + width > row_limit:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in pos.items():
            out[node] = (round(px - left + x, 1), round(py - top + y, 1))
        x += width
        row_height = max(row_height, height)
    return out


def _told(edge: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An edge's history (:func:`kg.network.to_networkx` writes it with :func:`kg.model.history`);
    an edge made without one holds its own state on any day."""
    return edge.get("history") or [{"day": "", "status": edge.get("status", ""), "date": edge.get("date") or "",
                                    "conflict": bool(edge.get("conflict"))}]


def _sources_told(edge: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An edge's number of sources through time (``sources_history`` of
    :func:`kg.network.to_networkx`); an edge made without one has its own on any day."""
    return edge.get("sources_history") or [{"day": "", "sources": int(edge.get("sources") or 0)}]


def _day_index(day: str, days: list[str]) -> int:
    """A day as an index into the sorted ``days`` (-1: any day)."""
    return bisect.bisect_left(days, day) if day else -1


def _history(told: list[dict[str, Any]], days: list[str], statuses: list[str]) -> list[list[Any]]:
    """A history, compactly: ``[day, status, conflict, date]`` per change, ``day`` an index into
    ``days`` (-1: any day), ``status`` into ``statuses``, ``conflict`` 0 or 1. The page only
    picks, for a day, the last change on or before it: the merge rule stays in :mod:`kg.model`."""
    return [[_day_index(t["day"], days), statuses.index(t["status"]), int(bool(t["conflict"])), t["date"] or ""]
            for t in told]


def _width(sources: int) -> float:
    """An edge's width for its number of sources: more reports, a thicker line."""
    return round(1.5 + math.log2(max(sources, 1)), 2)


def page_data(
    graph: nx.MultiGraph,
    *,
    seed: int = 0,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """What the page draws: vis-network nodes and edges (with kg's attributes), legend, options.

    Node ``kg``: name, code, kind, qid (the page counts a party's agreements on the slider's
    day). Edge ``kg``: type, status, date, conflict, sources, claims (as in the graph, each
    claim's ``told`` day as an index into ``days``), ``h``, the agreement's history
    (:func:`_history`), and ``s``, its number of sources through time (``[day, sources]`` per
    change, ``day`` an index); ``days`` lists every day on which a claim was told, sorted, and
    ``widths`` the edge width for each number of sources. Both carry ``x``/``y`` or styling
    only; no HTML. ``positions`` (pixels per party code) replace :func:`layout`, so another
    layout (a map, say) can place the parties.
    """
    pos = layout(graph, seed=seed) if positions is None else positions
    kinds: Counter[str] = Counter()
    nodes = []
    for code, data in graph.nodes(data=True):
        kind = data.get("kind") if data.get("kind") in KIND_STYLE else "organisation"
        kinds[kind] += 1
        style = KIND_STYLE[kind]
        count = graph.degree(code)
        x, y = pos[code]
        nodes.append({
            "id": code,
            "label": data.get("name") or code,
            "shape": style["shape"],
            "color": style["color"],
            "size": round(node_size(count), 1),
            "x": x,
            "y": y,
            "kg": {
                "name": data.get("name") or code,
                "code": code,
                "kind": kind,
                "qid": data.get("qid") or "",
            },
        })

    types: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    histories = {(a, b, key): _told(data) for a, b, key, data in graph.edges(keys=True, data=True)}
    counts = {(a, b, key): _sources_told(data) for a, b, key, data in graph.edges(keys=True, data=True)}
    changes = [change for history in histories.values() for change in history]
    days = sorted({c["day"] for c in changes if c["day"]}
                  | {c["day"] for count in counts.values() for c in count if c["day"]}
                  | {c["told"] for _, _, data in graph.edges(data=True) for c in data.get("claims", [])
                     if c.get("told")})
    known_statuses = [*STATUSES, *sorted({c["status"] for c in changes} - set(STATUSES))]
    parallel: Counter = Counter()
    edges = []
    for a, b, key, data in graph.edges(keys=True, data=True):
        etype = data.get("agreement_type") or key
        status = data.get("status", "")
        types[etype] += 1
        statuses[status] += 1
        pair = tuple(sorted((a, b)))
        index = parallel[pair]
        parallel[pair] += 1
        color = STATUS_COLORS.get(status) or TYPE_COLORS.get(etype, "#777777")
        sources = int(data.get("sources") or 0)
        edge: dict[str, Any] = {
            "id": f"{pair[0]}|{pair[1]}|{etype}",
            "from": a,
            "to": b,
            "color": {"color": color, "highlight": color, "hover": color},
            "dashes": STATUS_DASHES.get(status, [2, 6]),
            "width": _width(sources),
            "kg": {
                "type": etype,
                "status": status,
                "date": data.get("date") or "",
                "conflict": bool(data.get("conflict")),
                "sources": sources,
                "claims": [{**c, "told": _day_index(c.get("told", ""), days)} for c in data.get("claims", [])],
                "h": _history(histories[(a, b, key)], days, known_statuses),
                "s": [[_day_index(c["day"], days), c["sources"]] for c in counts[(a, b, key)]],
            },
        }
        if data.get("conflict"):
            edge.update(CONFLICT_MARK)
        if index:
            # Several agreements between one pair: bend them apart so each can be hovered.
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if index % 2 else "curvedCCW",
                              "roundness": round(0.18 * ((index + 1) // 2), 2)}
        edges.append(edge)

    big = len(edges) > 2000
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
        "nodes": {"font": {"size": FONT_SIZE}, "borderWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False},
    }
    known_types = [*AGREEMENT_TYPES, *sorted(set(types) - set(AGREEMENT_TYPES))]
    return {
        "nodes": nodes,
        "edges": edges,
        "days": days,
        "widths": [_width(n) for n in range(max((e["kg"]["sources"] for e in edges), default=0) + 1)],
        "options": options,
        "conflict": CONFLICT_MARK,
        "kinds": [{"id": k, "label": s["label"], "shape": s["shape"], "color": s["color"], "count": kinds[k]}
                  for k, s in KIND_STYLE.items()],
        "types": [{"id": t, "label": _label(t), "color": TYPE_COLORS.get(t, "#777777"), "count": types[t]}
                  for t in known_types],
        "statuses": [{"id": s, "label": _label(s), "dashes": STATUS_DASHES.get(s, [2, 6]),
                      "color": STATUS_COLORS.get(s, ""), "count": statuses[s]}
                     for s in known_statuses],
    }


def environment() -> jinja2.Environment:
    """kg's page templates (``kg/templates``), every ``{{ }}`` escaped."""
    templates = resources.files("kg") / "templates"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_html(
    graph: nx.MultiGraph,
    path: str | os.PathLike | None = None,
    *,
    title: str = "Security cooperation agreements",
    height: str = "calc(100vh - 3em)",
    bgcolor: str = "#ffffff",
    seed: int = 0,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> str:
    """The graph as one offline HTML page; also written atomically to ``path`` when given.

    Args:
        graph: a party graph from :func:`kg.network.to_networkx` (or a subgraph of one).
        path: where to write the page, or None to only return it.
        title: page heading (escaped: any text is safe).
        height: CSS height of the drawing area.
        bgcolor: CSS background colour.
        seed: seed of the layout, so the same graph always draws the same way.
        positions: pixel positions per party code, used instead of :func:`layout`.

    Returns:
        The HTML text.

    Example:
        >>> html = render_html(nx.MultiGraph(), title="<b>none</b>")
        >>> "&lt;b&gt;none&lt;/b&gt;" in html and "<b>none</b>" not in html
        True
    """
    data = page_data(graph, seed=seed, positions=positions)
    vis_js = _VIS_JS.read_text(encoding="utf-8")
    app_js = (resources.files("kg") / "templates" / "graph.js").read_text(encoding="utf-8")

    # pyvis holds the node/edge lists and options and renders our template; the lists are
    # assigned directly because add_node/add_edge are quadratic in the graph size.
    net = Network(height=height, width="100%", heading=without_bidi_controls(title), bgcolor=bgcolor,
                  cdn_resources="in_line")
    net.nodes = data["nodes"]
    net.edges = data["edges"]
    net.options = data["options"]
    net.templateEnv = environment()
    net.path = "graph.html"
    net.templateEnv.globals.update(
        data_json=Markup(_script_json(data)),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        script_hashes=" ".join((csp_hash(vis_js), csp_hash(app_js))),
        pyvis_version=pyvis.__version__,
        vis_version=_VIS_VERSION,
    )
    html = net.generate_html()
    if path is not None:
        write_atomic(path, html)
    return html



def iframe_html(page: str, *, height: str = "640px") -> str:
    """An ``<iframe srcdoc>`` holding a page from :func:`render_html`, for Jupyter or any HTML.

    The page is HTML-escaped into the attribute, so it needs no file or server (JupyterLab,
    VS Code and classic notebooks show it), and the frame is sandboxed without
    ``allow-same-origin``: its scripts run, but cannot reach the notebook.

    Example:
        >>> frame = iframe_html('<p class="x">a & b</p>')
        >>> 'srcdoc="&lt;p class=&quot;x&quot;&gt;a &amp; b&lt;/p&gt;"' in frame
        True

    """
    import html as _html

    # Wrapped in a div: IPython warns about HTML that starts with an <iframe>.
    return (
        f'<div class="kg-view"><iframe srcdoc="{_html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {_html.escape(height)}; border: 1px solid #ddd" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe></div>'
    )


__all__ = [
    "CONFLICT_MARK",
    "KIND_STYLE",
    "STATUS_COLORS",
    "STATUS_DASHES",
    "TYPE_COLORS",
    "iframe_html",
    "layout",
    "page_data",
    "render_html",
]
