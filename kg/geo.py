"""A map layout for the network view: each country at its capital, organisations in a row below.

The coordinates are GeoNames' (``data/capitals.csv``, made by ``scripts/make_capitals.py``;
see ``data/SOURCES-capitals.md``). The projection is equirectangular, one longitude degree as
wide as one latitude degree, with north up (vis-network's y grows downward). Capitals a few
degrees apart (most of Europe) would sit on each other, so a short, deterministic repulsion pass
pushes nodes apart to a minimum distance while a pull keeps each near its capital.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import numpy as np

#: The shipped table of capitals (iso3, capital, lat, lon).
CAPITALS_CSV = Path(__file__).parent / "data" / "capitals.csv"
#: Nodes closer than this (pixels) are pushed apart: two nodes and a label, one above the other.
MIN_DISTANCE = 55.0
#: Labels are wider than tall: side by side, nodes are kept this many times further apart.
ASPECT = 2.0
#: Pixels per degree, chosen per graph between these (see :func:`map_scale`): at 20 the world
#: is 7,200 pixels wide and every UN member fits with moves of 4 degrees at most; at 4 a
#: handful of countries around the world fits a screen with their labels readable.
MIN_SCALE = 4.0
MAX_SCALE = 20.0
#: Repulsion rounds; each moves overlapping nodes part of the way apart.
ROUNDS = 60
#: Share of its distance from its capital that a node goes back each round.
PULL = 0.02
#: The row below the map: its distance from the southernmost country, the space per party,
#: and its width when the map is narrower.
ROW_GAP = 120.0
ROW_SPACING = 110.0
ROW_WIDTH = 1200.0


class Capital(NamedTuple):
    """A country's capital as GeoNames records it."""

    name: str
    lat: float
    lon: float


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


def _pairs(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair's difference (n x n x 2) and distance (n x n, infinite from a point to itself)."""
    delta = points[:, None, :] - points[None, :, :]
    dist = np.hypot(delta[..., 0], delta[..., 1])
    np.fill_diagonal(dist, np.inf)
    return delta, dist


def spread(anchors: np.ndarray, min_distance: float = MIN_DISTANCE, rounds: int = ROUNDS) -> np.ndarray:
    """Anchored points (n x 2) pushed apart to about ``min_distance`` from each other, each
    pulled back a little toward its anchor every round (so a crowded node ends a few pixels
    short of the distance: the pull balances the last of the push).

    A pair pushes itself apart along the line between them, each by a quarter of the overlap
    per round: half of what would close it at once, because a node in a crowd is pushed by
    several neighbours and would overshoot. Points on the same spot start a hair apart in a
    fixed direction per index, so the result depends on the input only.

    Example:
        >>> moved = spread(np.array([[0.0, 0.0], [10.0, 0.0], [500.0, 0.0]]), min_distance=40.0)
        >>> float(moved[1, 0] - moved[0, 0]) > 38, bool(np.allclose(moved[2], [500.0, 0.0], atol=0.01))
        (True, True)
    """
    n = len(anchors)
    angles = np.arange(n) * math.pi * (3 - math.sqrt(5))
    pos = anchors + 1e-3 * np.column_stack((np.cos(angles), np.sin(angles)))
    for _ in range(rounds):
        delta, dist = _pairs(pos)
        overlap = np.clip(min_distance - dist, 0.0, None)
        if not overlap.any():
            break
        pos = pos + (delta * (overlap / (4 * dist))[..., None]).sum(axis=1)
        pos = pos + PULL * (anchors - pos)
    return pos


def map_scale(degrees: np.ndarray) -> float:
    """Pixels per degree for capitals at ``degrees`` (n x 2, longitude already divided by
    :data:`ASPECT`): the scale at which a typical capital (the median) is ``MIN_DISTANCE`` from
    its nearest neighbour, within ``MIN_SCALE``..``MAX_SCALE``.

    A few countries far apart then make a compact map whose labels read at the zoom that fits
    the screen, and many close ones (Europe) a wide map that needs only short pushes.

    Example:
        >>> map_scale(np.array([[0.0, 0.0], [0.0, 11.0], [0.0, 30.0]]))
        5.0
        >>> map_scale(np.array([[0.0, 0.0], [0.0, 1.0]])), map_scale(np.array([[0.0, 0.0], [0.0, 90.0]]))
        (20.0, 4.0)
    """
    if len(degrees) < 2:
        return MAX_SCALE
    typical = float(np.median(_pairs(degrees)[1].min(axis=1)))
    return float(np.clip(MIN_DISTANCE / typical, MIN_SCALE, MAX_SCALE)) if typical else MAX_SCALE


def _row(codes: list[str], top: float, centre: float, width: float) -> dict[str, tuple[float, float]]:
    """Parties in rows under ``top``, each row at most ``width`` wide, centred on ``centre``."""
    per_row = max(1, int(width // ROW_SPACING))
    out = {}
    for index, code in enumerate(codes):
        line, column = divmod(index, per_row)
        in_line = min(per_row, len(codes) - line * per_row)
        x = centre + (column - (in_line - 1) / 2) * ROW_SPACING
        out[code] = (x, top + line * ROW_SPACING)
    return out


def geo_layout(graph: nx.Graph, *, scale: float | None = None) -> dict[str, tuple[float, float]]:
    """Pixel positions for every party: countries at their capitals, the rest in a row below.

    A node is placed on the map when its ``kind`` is ``country`` and its code has a capital
    on record; organisations and countries without one (Antarctica, codes kg does not know)
    go to the row under the southernmost country, organisations first, each group by code.
    ``scale`` (pixels per degree) is :func:`map_scale`'s unless given.

    Example:
        >>> graph = nx.MultiGraph([("JPN", "AUS"), ("JPN", "NATO"), ("AUS", "XYZ")])
        >>> nx.set_node_attributes(graph, {"JPN": "country", "AUS": "country",
        ...                                "NATO": "organisation", "XYZ": "country"}, "kind")
        >>> pos = geo_layout(graph)
        >>> pos["JPN"][1] < pos["AUS"][1]  # Tokyo is north of Canberra: higher on the page
        True
        >>> pos["NATO"][1] == pos["XYZ"][1] > pos["AUS"][1], pos["NATO"][0] < pos["XYZ"][0]
        (True, True)
    """
    known = capitals()
    on_map = sorted(code for code, kind in graph.nodes(data="kind") if kind == "country" and code in known)
    mapped = set(on_map)
    rest = sorted((code for code in graph if code not in mapped),
                  key=lambda code: (graph.nodes[code].get("kind") != "organisation", code))
    out: dict[str, tuple[float, float]] = {}
    if on_map:
        # Spread in a space squashed sideways, so a label's width counts as its height.
        squash = np.array([1 / ASPECT, 1.0])
        degrees = np.array([project(known[code], 1.0) for code in on_map]) * squash
        placed = spread(degrees * (scale or map_scale(degrees))) / squash
        out.update({code: (round(float(x), 1), round(float(y), 1)) for code, (x, y) in zip(on_map, placed)})
    xs = [x for x, _ in out.values()] or [0.0]
    top = max((y for _, y in out.values()), default=0.0) + ROW_GAP
    width = max(max(xs) - min(xs), ROW_WIDTH)
    out.update(_row(rest, top, (min(xs) + max(xs)) / 2, width))
    return out
