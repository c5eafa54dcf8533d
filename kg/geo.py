"""A map layout for the network view: each country at its capital, organisations in a line below.

The coordinates are GeoNames' (``data/capitals.csv``, made by ``scripts/make_capitals.py``;
see ``data/SOURCES-capitals.md``). The projection is equirectangular with north up
(vis-network's y grows downward), drawn up to twice as tall as wide per degree when the map is
much wider than the view (:func:`stretch`).

The page zooms to fit the whole graph, labels included, into its drawing area, so the layout's
extent decides how large every label is on screen. The layout therefore works in the page's own
units: each party is a box (its node and the label under it, sized as :mod:`kg.render` draws
them), and the map gets the most pixels per degree at which those boxes, pushed apart until no two
overlap, still fit a small window (:data:`VIEW`) at a zoom where labels read (:data:`LABEL_PX`).
A box is pushed along the axis that clears it soonest, and back toward its capital a little every
round, so west stays left of east and north above south for capitals far enough apart.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import numpy as np

from kg.render import FONT_SIZE, node_size

#: The shipped table of capitals (iso3, capital, lat, lon).
CAPITALS_CSV = Path(__file__).parent / "data" / "capitals.csv"
#: Screen pixels that the page's fit gives the graph in a 1024x700 window: the canvas left of the
#: side panel (about 672 x 658) less graph.js's 16 px margin on each side.
VIEW = (640.0, 620.0)
#: Label height on screen at that fit that the layout aims for: vis-network does not draw labels
#: under 5 px, and 9 px is about the least that reads.
LABEL_PX = 10.0
#: graph.js never zooms in further than this to fit a graph.
MAX_ZOOM = 2.0
#: Canvas pixels kept between two parties' boxes (4-5 screen pixels at the aimed zoom).
GAP = 8.0
#: A map much wider than the view (most maps of the world) is drawn up to this many times taller
#: than it is wide per degree, as Mercator draws 60 degrees north: the view is about square, and
#: the room above and below is what wide labels need to stack up.
MAX_STRETCH = 2.0
#: Pixels per degree are searched between these: at 20 a handful of neighbours (Benelux) keep
#: their own places; under 0.5 a map has no geography left to keep.
MIN_SCALE = 0.5
MAX_SCALE = 20.0
#: Capitals more than this many degrees apart east-west (north-south) are far enough apart that
#: the map must keep their order; it may turn this share of such pairs round at most.
FAR = 10.0
TOLERANCE = 0.03
#: Scales tried at most, each this many times the last (or a fraction of it).
TRIES = 8
STEP = 1.25
#: Rounds of pushing with the pull home, then at most twice as many without it to clear the rest.
ROUNDS = 200
#: Share of its distance from its capital that a box goes back each round.
PULL = 0.02
#: A line of organisations sinks parties under agreements only up to this many (agreements
#: between its parties times parties): kg knows 16 organisations, and a line of hundreds of
#: unknown parties with thousands of agreements between them would take minutes and sink deeper
#: than the map is tall.
SINK_WORK = 5_000
#: And no party sinks further than this (canvas pixels): the agreements of a dense line would
#: take it ever deeper, and cross as many parties.
SINK_DEPTH = 300.0
#: Canvas pixels between the map's lowest box and the line of organisations (half as many
#: between two lines of them).
ROW_GAP = 80.0

#: Arial's advance widths in em, by character (vis-network's default face is "arial"; Liberation
#: Sans, which Linux draws for it, has the same metrics). Any other character counts 0.556 (most
#: lower-case letters), or a whole em if it is wide (CJK).
_EM_WIDTHS = {0.191: "'", 0.222: "ijl", 0.278: " !,./:;I[]\\ft", 0.333: "()-`r", 0.5: "Jcksvxyz",
              0.611: "FTZ", 0.667: "&ABEKPSVXY", 0.722: "CDHNRUw", 0.778: "GOQ", 0.833: "Mm", 0.944: "W"}
_EM = {char: em for em, chars in _EM_WIDTHS.items() for char in chars}


class Capital(NamedTuple):
    """A country's capital as GeoNames records it."""

    name: str
    lat: float
    lon: float


class Box(NamedTuple):
    """A party as drawn, in canvas pixels from its position: the node and the label under it."""

    half_width: float
    above: float
    below: float


@cache
def capitals() -> dict[str, Capital]:
    """The capital of every country that has one on record, by ISO 3166-1 alpha-3 code.

    Read once per process (the table is shipped with the package and does not change).

    Example:
        >>> capitals()["JPN"].name
        'Tokyo'
    """
    with open(CAPITALS_CSV, encoding="utf-8", newline="") as handle:
        return {row["iso3"]: Capital(row["capital"], float(row["lat"]), float(row["lon"]))
                for row in csv.DictReader(handle)}


def project(capital: Capital, scale: float) -> tuple[float, float]:
    """Equirectangular pixels: east is right, north is up (a smaller y).

    Example:
        >>> project(Capital("Somewhere", 10.0, -20.0), scale=2.0)
        (-40.0, -20.0)
    """
    return capital.lon * scale, -capital.lat * scale


def label_width(text: str) -> float:
    """The width in canvas pixels of ``text`` as a label (:data:`FONT_SIZE` Arial), estimated
    from its characters; accents add nothing.

    Example:
        >>> round(label_width("Peru"), 1), round(label_width("Pérou"), 1)
        (29.6, 37.4)
    """
    ems = 0.0
    for char in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(char):
            ems += 1.0 if unicodedata.east_asian_width(char) in "WF" else _EM.get(char, 0.556)
    return ems * FONT_SIZE


def party_box(graph: nx.Graph, code: str) -> Box:
    """The box a party takes on the page: its node, and its label (name, else code) below it.

    Example:
        >>> party_box(nx.MultiGraph([("PER", "CHL")]), "PER")
        Box(half_width=14.392, above=13.0, below=27.0)
    """
    size = node_size(graph.degree(code))
    label = graph.nodes[code].get("name") or code
    return Box(max(size, label_width(label) / 2), size, size + FONT_SIZE)


def _extent(points: np.ndarray, boxes: np.ndarray) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of every box (points n x 2, boxes n x 3 as :class:`Box`)."""
    return (float((points[:, 0] - boxes[:, 0]).min()), float((points[:, 1] - boxes[:, 1]).min()),
            float((points[:, 0] + boxes[:, 0]).max()), float((points[:, 1] + boxes[:, 2]).max()))


def fit_zoom(points: np.ndarray, boxes: np.ndarray, view: tuple[float, float] = VIEW) -> float:
    """The zoom at which the page fits every box into ``view`` screen pixels (at most
    :data:`MAX_ZOOM`): a label is then ``FONT_SIZE`` times this many pixels high.

    Example:
        >>> fit_zoom(np.array([[0.0, 0.0], [1000.0, 0.0]]), np.array([[10.0, 10.0, 30.0]] * 2), view=(510.0, 500.0))
        0.5
    """
    left, top, right, bottom = _extent(points, boxes)
    return min(view[0] / max(right - left, 1.0), view[1] / max(bottom - top, 1.0), MAX_ZOOM)


def spread(anchors: np.ndarray, boxes: np.ndarray, gap: float = GAP, rounds: int = ROUNDS) -> np.ndarray:
    """Points (n x 2) near their ``anchors`` whose boxes (n x 3, as :class:`Box`) do not overlap:
    about ``gap`` apart, and never less than half of it.

    Each round, every overlapping pair is pushed apart along the axis on which the overlap is
    smaller (wide labels stack up and down), each box by half of it, and every box goes back
    toward its anchor a little. Once that settles, or after ``rounds`` rounds, the pull stops
    and the push goes on (at most twice as many rounds) until no two boxes are closer than half
    the gap: the pull alone keeps a crowd slightly overlapping. A push only ever moves two boxes
    further apart along the axis that separates them, so a pair keeps its order there. Points on
    the same spot start a hair apart in a fixed direction per index, so the result depends on
    the input only.

    Example:
        >>> box = [40.0, 10.0, 25.0]  # 80 wide, 35 tall
        >>> moved = spread(np.array([[0.0, 0.0], [10.0, 5.0], [500.0, 0.0]]), np.array([box] * 3))
        >>> bool(moved[1, 1] - moved[0, 1] > 35), bool(np.allclose(moved[2], [500.0, 0.0], atol=0.01))
        (True, True)
    """
    n = len(anchors)
    angles = np.arange(n) * math.pi * (3 - math.sqrt(5))
    pos = anchors + 1e-3 * np.column_stack((np.cos(angles), np.sin(angles)))
    # Boxes are compared by their centres, which sit below the node by this much.
    centre = np.column_stack((np.zeros(n), (boxes[:, 2] - boxes[:, 1]) / 2))
    half_height = (boxes[:, 1] + boxes[:, 2]) / 2
    reach_x = boxes[:, 0][:, None] + boxes[:, 0][None, :] + gap
    reach_y = half_height[:, None] + half_height[None, :] + gap
    np.fill_diagonal(reach_x, -np.inf)  # a box does not push itself
    pulling, round_ = True, 0
    while round_ < 3 * rounds:
        x, y = (pos + centre).T
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        over_x, over_y = reach_x - np.abs(dx), reach_y - np.abs(dy)
        smaller = np.minimum(over_x, over_y)
        if not (smaller > (0 if pulling else gap / 2)).any():
            break
        push = np.where(smaller > 0, smaller / 2, 0.0)
        along_x = over_x <= over_y
        step = np.column_stack(((push * along_x * np.sign(dx)).sum(axis=1),
                                (push * ~along_x * np.sign(dy)).sum(axis=1)))
        if pulling:
            step += PULL * (anchors - pos - step)
            # Settled, or out of rounds: from now on only the push, to clear what the pull keeps.
            pulling = round_ + 1 < rounds and float(np.abs(step).max()) > 0.01
        pos = pos + step
        round_ += 1
    return pos


def _over(start: tuple[float, float], end: tuple[float, float], x: float, box: Box) -> tuple[float, float] | None:
    """The highest and lowest y of the line from ``start`` to ``end`` where it passes over a box
    (and half a gap on each side) at ``x``; None where it does not."""
    left = max(min(start[0], end[0]), x - box.half_width - GAP / 2)
    right = min(max(start[0], end[0]), x + box.half_width + GAP / 2)
    if left > right or start[0] == end[0]:
        return None
    slope = (end[1] - start[1]) / (end[0] - start[0])
    ys = (start[1] + slope * (left - start[0]), start[1] + slope * (right - start[0]))
    return min(ys), max(ys)


def _span(codes: list[str], boxes: dict[str, Box]) -> float:
    """How wide the parties ``codes`` are side by side in a line: each box and a gap."""
    return sum(2 * boxes[code].half_width + GAP for code in codes)


def _line(graph: nx.Graph, line: list[str], boxes: dict[str, Box], top: float,
          centre: float) -> dict[str, tuple[float, float]]:
    """Parties side by side, each as wide as its box, centred on ``centre``, tops at ``top``; a
    party whose box an agreement between two others of the line would pass through sinks below it
    (again while that moves a party: the line becomes a bowl, every such agreement above the
    parties between its ends). A line that would sink deeper than :data:`SINK_DEPTH`, or does not
    settle, stays flat."""
    widths = np.array([2 * boxes[code].half_width + GAP for code in line])
    xs = dict(zip(line, (centre - widths.sum() / 2 + np.cumsum(widths) - widths / 2).tolist()))
    ys = {code: top + boxes[code].above for code in line}
    pairs = sorted({(a, b) for a in line for b in graph.neighbors(a) if b in ys and a < b})
    flat = {code: (xs[code], ys[code]) for code in line}
    if len(pairs) * len(line) > SINK_WORK:
        return flat
    for _ in range(4 * len(line)):
        sunk = False
        for a, b in pairs:
            for code in (code for code in line if code not in (a, b)):
                over = _over((xs[a], ys[a]), (xs[b], ys[b]), xs[code], boxes[code])
                box = boxes[code]
                if over and over[0] < ys[code] + box.below + GAP / 2 and over[1] > ys[code] - box.above - GAP / 2:
                    ys[code], sunk = over[1] + box.above + GAP / 2 + 0.5, True
                    if ys[code] > top + box.above + SINK_DEPTH:
                        return flat  # too dense for a bowl: it would cross as much, only deeper
        if not sunk:
            return {code: (xs[code], ys[code]) for code in line}
    return flat


def _row_blocks(graph: nx.Graph, codes: list[str], placed: dict[str, tuple[float, float]],
                centre: float) -> list[list[str]]:
    """``codes`` in blocks of parties with agreements between them, the blocks from west to east
    by where their partners are on the map (the mean x; ``centre`` for none), so agreements with
    it run up rather than across; in a block each party next to the one it was reached from
    (breadth first from the westernmost), so most agreements within it join neighbours."""
    own = {}
    for code in codes:
        xs = [placed[p][0] for p in graph.neighbors(code) if p in placed]
        if xs:
            own[code] = sum(xs) / len(xs)
    row = graph.subgraph(codes)
    blocks = []
    for component in nx.connected_components(row):
        known = [own[code] for code in component if code in own]
        where = sum(known) / len(known) if known else centre
        key = {code: (own.get(code, where), code) for code in component}
        order = [min(component, key=key.__getitem__)]
        for code in order:  # grows while it is walked: breadth first
            order.extend(sorted(set(row.neighbors(code)) - set(order), key=key.__getitem__))
        blocks.append((where, min(component), order))
    return [order for *_, order in sorted(blocks)]


def _row(graph: nx.Graph, codes: list[str], placed: dict[str, tuple[float, float]], boxes: dict[str, Box],
         width: float) -> dict[str, tuple[float, float]]:
    """Positions for the parties off the map: in lines under the ``placed`` ones (:func:`_line`),
    each at most ``width`` wide. A block of parties with agreements between them stays in one
    line (up to twice that width), so none of those agreements runs from line to line."""
    if not codes:
        return {}
    points = np.array(list(placed.values())).reshape(-1, 2)
    if len(points):
        left, _, right, top = _extent(points, np.array([boxes[code] for code in placed]))
        centre, top = (left + right) / 2, top + ROW_GAP
    else:
        centre = top = 0.0
    lines: list[list[str]] = [[]]
    used = 0.0
    for block in _row_blocks(graph, codes, placed, centre):
        # A block over twice as wide as a line is cut where the line is full, as single parties are.
        parts = [block] if _span(block, boxes) <= 2 * width else [[code] for code in block]
        for part in parts:
            needed = _span(part, boxes)
            if lines[-1] and used + needed > width:
                lines.append([])
                used = 0.0
            lines[-1].extend(part)
            used += needed
    out: dict[str, tuple[float, float]] = {}
    for line in lines:
        out.update(_line(graph, line, boxes, top, centre))
        top = max(out[code][1] + boxes[code].below for code in line) + ROW_GAP / 2
    return out


def stretch(degrees: np.ndarray) -> float:
    """How many times taller than equirectangular to draw capitals at ``degrees`` (n x 2): as much
    as brings the map to the shape of :data:`VIEW`, within 1..:data:`MAX_STRETCH`.

    Example:
        >>> stretch(np.array([[-100.0, -30.0], [150.0, 60.0]])), stretch(np.array([[0.0, 0.0], [10.0, 40.0]]))
        (2.0, 1.0)
    """
    width, height = degrees.max(axis=0) - degrees.min(axis=0)
    return float(np.clip(width / height * VIEW[1] / VIEW[0], 1.0, MAX_STRETCH)) if height else 1.0


class Attempt(NamedTuple):
    """A layout at one scale: the positions, the page's zoom to fit them, and the share of
    capital pairs whose order it turns round (:func:`flipped`)."""

    placed: dict[str, tuple[float, float]]
    zoom: float
    flipped: float


def _choose(attempt: Callable[[float], Attempt], first: float, aim: float) -> dict[str, tuple[float, float]]:
    """The positions at the best scale from ``first``, the one at which the map fits before any
    push. Larger while the pushes turn more than :data:`TOLERANCE` of the pairs round (then half
    a step back if that keeps the order); else smaller while labels would be under ``aim`` (a
    zoom) and a smaller map keeps the order and gains over 2% of zoom (else a crowd, not the
    map, sets the zoom). :data:`TRIES` scales at most."""
    scale, tries = first, 1
    best = attempt(scale)
    while best.flipped > TOLERANCE and scale < MAX_SCALE and tries < TRIES:
        scale, tries = min(MAX_SCALE, scale * STEP), tries + 1
        best = attempt(scale)
    if scale > first and best.flipped <= TOLERANCE:
        between = attempt(scale / math.sqrt(STEP))  # the step may have gone further than needed
        if between.flipped <= TOLERANCE and between.zoom > best.zoom:
            best = between
    while scale == first and best.zoom < aim and scale > MIN_SCALE and tries < TRIES:
        first = scale = max(MIN_SCALE, scale * max(best.zoom / aim, 1 / STEP))
        tries += 1
        smaller = attempt(scale)
        if smaller.flipped > TOLERANCE or smaller.zoom <= best.zoom * 1.02:
            break
        best = smaller
    return best.placed


def _first_scale(degrees: np.ndarray, boxes: np.ndarray, zoom: float) -> float:
    """Pixels per degree at which the capitals, not yet pushed apart, fit :data:`VIEW` with their
    boxes at ``zoom``: the largest map worth trying."""
    room = np.array(VIEW) / zoom - np.array([2 * boxes[:, 0].max(), (boxes[:, 1] + boxes[:, 2]).max()])
    span = degrees.max(axis=0) - degrees.min(axis=0)
    with np.errstate(divide="ignore"):
        scale = float(np.min(np.where(span > 0, room / span, np.inf)))
    return float(np.clip(scale, MIN_SCALE, MAX_SCALE))


def flipped(degrees: np.ndarray, points: np.ndarray, far: float = FAR) -> float:
    """The share of the pairs of capitals more than ``far`` degrees apart east-west (north-south)
    that ``points`` (n x 2, pixels) draw the other way round or level: 0 for a true map.

    Example:
        >>> degrees = np.array([[0.0, 0.0], [20.0, 0.0], [40.0, -30.0]])
        >>> flipped(degrees, degrees * 5), flipped(degrees, np.array([[0.0, 0.0], [250.0, 0.0], [200.0, -150.0]]))
        (0.0, 0.2)
    """
    bad = total = 0
    for axis in (0, 1):
        apart = degrees[:, axis][:, None] - degrees[:, axis][None, :] > far
        total += int(apart.sum())
        bad += int((apart & (points[:, axis][:, None] <= points[:, axis][None, :])).sum())
    return bad / total if total else 0.0


def geo_layout(graph: nx.Graph, *, scale: float | None = None) -> dict[str, tuple[float, float]]:
    """Pixel positions for every party: countries at their capitals, the rest in a line below.

    A node is placed on the map when its ``kind`` is ``country`` and its code has a capital
    on record; organisations and countries without one (Antarctica, codes kg does not know) go
    under the southernmost country, west to east by where their partners are (:func:`_row`). North is
    up; a map far wider than tall is drawn taller (:func:`stretch`). ``scale`` (pixels per
    degree of longitude) is chosen unless given (:func:`_choose`): the page then draws labels
    :data:`LABEL_PX` high where the crowd allows, and keeps west and east, north and south.

    Example:
        >>> graph = nx.MultiGraph([("JPN", "AUS"), ("JPN", "NATO"), ("AUS", "XYZ")])
        >>> nx.set_node_attributes(graph, {"JPN": "country", "AUS": "country",
        ...                                "NATO": "organisation", "XYZ": "country"}, "kind")
        >>> pos = geo_layout(graph)
        >>> pos["JPN"][1] < pos["AUS"][1]  # Tokyo is north of Canberra: higher on the page
        True
        >>> min(pos["NATO"][1], pos["XYZ"][1]) > pos["AUS"][1]
        True
    """
    if not graph:
        return {}
    known = capitals()
    on_map = sorted(code for code, kind in graph.nodes(data="kind") if kind == "country" and code in known)
    rest = sorted(set(graph) - set(on_map))
    boxes = {code: party_box(graph, code) for code in graph}
    degrees = np.array([project(known[code], 1.0) for code in on_map]).reshape(-1, 2)
    drawn = degrees * [1.0, stretch(degrees) if len(on_map) > 1 else 1.0]
    map_boxes = np.array([boxes[code] for code in on_map]).reshape(-1, 3)
    aim = LABEL_PX / FONT_SIZE

    def attempt(pixels_per_degree: float) -> Attempt:
        points = spread(drawn * pixels_per_degree, map_boxes)
        placed = {code: (float(x), float(y)) for code, (x, y) in zip(on_map, points)}
        left, _, right, _ = _extent(drawn * pixels_per_degree, map_boxes) if on_map else (0.0, 0.0, 0.0, 0.0)
        placed.update(_row(graph, rest, placed, boxes, max(right - left, VIEW[0] / aim)))
        zoom = fit_zoom(np.array(list(placed.values())), np.array([boxes[code] for code in placed]))
        return Attempt(placed, zoom, flipped(degrees, points))

    if scale is not None or len(on_map) < 2:
        best = attempt(scale or MAX_SCALE).placed
    else:
        best = _choose(attempt, _first_scale(drawn, map_boxes, aim), aim)
    return {code: (round(x, 1), round(y, 1)) for code, (x, y) in best.items()}


#: The layouts a page is drawn with: ``spring`` (:func:`kg.render.layout`, the default) and
#: ``geo`` (:func:`geo_layout`).
LAYOUTS = ("spring", "geo")


def positions(graph: nx.Graph, layout: str) -> dict[str, tuple[float, float]] | None:
    """What :func:`kg.render.render_html` takes as ``positions`` for a layout of
    :data:`LAYOUTS`: the map for ``geo``, None (its own force layout) for ``spring``."""
    return geo_layout(graph) if layout == "geo" else None
