"""The map layout: countries at their capitals (north up), organisations and unknown parties on an
arc below, crowded capitals pushed apart until no two parties' node and label overlap, at a scale
where the page's fit draws labels readable; the shipped capitals table; kg render --layout."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from kg.geo import (CAPITALS_CSV, FONT_SIZE, MAX_SCALE, TOLERANCE, VIEW, Box, capitals, fit_zoom, flipped,
                    geo_layout, label_width, party_box, project)

DATA = Path(CAPITALS_CSV).parent
#: The least label height on screen (px) the page must give at its fit in a 1024x700 window.
READABLE_PX = 9.0
#: With every UN member drawn, the stated minimum (vis-network draws no label under 5 px).
WORLD_PX = 6.0
ORGANISATIONS = ("NATO", "EU", "AU", "ASEAN")


def _codes(name: str, column: str = "code", **where: str) -> list[str]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if all(row[k] == v for k, v in where.items())]


NAMES = dict(zip(_codes("parties.csv"), _codes("parties.csv", "name")))


def _graph(kinds: dict[str, str | None], edges: list[tuple[str, str]] = ()) -> nx.MultiGraph:
    """Parties with the given kinds (None: no kind attribute) and their gazetteer names, and an
    agreement per pair in ``edges``."""
    graph = nx.MultiGraph()
    for code, kind in kinds.items():
        graph.add_node(code, **({} if kind is None else {"kind": kind}), **({"name": NAMES[code]} if code in NAMES else {}))
    graph.add_edges_from(edges, agreement_type="logistics")
    return graph


def _world() -> nx.MultiGraph:
    """Every UN member and observer, and four organisations."""
    kinds: dict[str, str | None] = {code: "country" for code in _codes("un_members.csv")}
    kinds.update({code: "organisation" for code in ORGANISATIONS})
    return _graph(kinds)


def _few() -> nx.MultiGraph:
    """A dozen parties around the world, close neighbours among them (Ottawa and Washington;
    Seoul, Pyongyang and Tokyo; Kyiv and Moscow), one of them in every agreement."""
    codes = ("USA", "CAN", "GBR", "UKR", "RUS", "IND", "JPN", "KOR", "PRK", "AUS", "NZL")
    kinds: dict[str, str | None] = {code: "country" for code in codes}
    kinds["NATO"] = "organisation"
    return _graph(kinds, [("KOR", code) for code in kinds if code != "KOR"] + [("AUS", "NZL"), ("NZL", "GBR")])


def _many(parties: int, agreements: int, seed: int = 1) -> nx.MultiGraph:
    """``parties`` - 4 UN members picked at random and four organisations, ``agreements`` between
    them, a few parties in many (as in real alliance graphs)."""
    rng = random.Random(seed)
    codes = rng.sample(_codes("un_members.csv"), parties - len(ORGANISATIONS)) + list(ORGANISATIONS)
    graph = _graph({code: "organisation" if code in ORGANISATIONS else "country" for code in codes})
    weights = [1 / (i + 1) ** 0.6 for i in range(len(codes))]
    while graph.number_of_edges() < agreements:
        a, b = rng.choices(codes, weights, k=2)
        kind = rng.choice(("logistics", "mutual_defense", "intelligence_sharing"))
        if a != b and not graph.has_edge(a, b, kind):
            graph.add_edge(a, b, kind, agreement_type=kind)
    return graph


def _boxes(graph: nx.Graph, pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float, float, float]]:
    """Each party's node and label as left, top, right, bottom (canvas pixels)."""
    out = {}
    for code, (x, y) in pos.items():
        box = party_box(graph, code)
        out[code] = (x - box.half_width, y - box.above, x + box.half_width, y + box.below)
    return out


def _overlapping(boxes: dict[str, tuple[float, float, float, float]]) -> list[tuple[str, str]]:
    codes = sorted(boxes)
    return [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]
            if boxes[a][0] < boxes[b][2] and boxes[b][0] < boxes[a][2]
            and boxes[a][1] < boxes[b][3] and boxes[b][1] < boxes[a][3]]


def _zoom(graph: nx.Graph, pos: dict[str, tuple[float, float]]) -> float:
    return fit_zoom(np.array([pos[code] for code in graph]), np.array([party_box(graph, code) for code in graph]))


def _map_flipped(graph: nx.Graph, pos: dict[str, tuple[float, float]]) -> float:
    on_map = [code for code in graph if code in capitals() and graph.nodes[code].get("kind") == "country"]
    return flipped(np.array([project(capitals()[code], 1.0) for code in on_map]), np.array([pos[code] for code in on_map]))


@pytest.fixture(scope="module")
def world() -> dict[str, tuple[float, float]]:
    return geo_layout(_world())


# ---- the data -----------------------------------------------------------------------------


def test_every_un_member_and_observer_has_a_capital():
    missing = sorted(set(_codes("un_members.csv")) - set(capitals()))
    assert missing == []


def test_capitals_are_countries_of_the_gazetteer_with_coordinates_on_earth():
    countries = set(_codes("parties.csv", kind="country"))
    assert set(capitals()) <= countries
    for code, capital in capitals().items():
        assert capital.name, code
        assert -90 <= capital.lat <= 90 and -180 <= capital.lon <= 180, code


# ---- the size of what the page draws -------------------------------------------------------


# Widths Chromium measures for these labels (canvas measureText, 14px arial: Liberation Sans, which
# has Arial's metrics); the estimate is within 0-5% above it for every name of parties.csv.
@pytest.mark.parametrize(("text", "pixels"), [
    ("Peru", 29.57), ("Iceland", 45.14), ("C\u00f4te d'Ivoire", 78.16), ("Saint Barth\u00e9lemy", 106.61),
    ("Association of Southeast Asian Nations", 244.36), ("Organization for Security and Co-operation in Europe", 329.96),
])
def test_label_width_is_the_width_chromium_draws(text, pixels):
    assert pixels <= label_width(text) + 0.05 and label_width(text) <= 1.05 * pixels


def test_label_width_of_wide_and_narrow_letters():
    assert label_width("\u65e5\u672c") == 2 * FONT_SIZE  # a CJK character is an em wide
    assert label_width("MMMM") > 3 * label_width("ilil")


def test_a_party_box_holds_its_node_by_degree_and_its_label_below():
    graph = _graph({"PER": "country", "CHL": "country", "BOL": "country", "ECU": "country"},
                   [("PER", "CHL"), ("PER", "BOL"), ("PER", "ECU"), ("PER", "CHL")])
    peru, bolivia = party_box(graph, "PER"), party_box(graph, "BOL")
    assert peru == Box(18.0, 18.0, 18.0 + FONT_SIZE)  # 8 + 5 * sqrt(4): wider than its label
    assert bolivia == Box(label_width("Bolivia") / 2, 13.0, 13.0 + FONT_SIZE)


# ---- where countries land -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("west", "east"),
    [("USA", "JPN"), ("BRA", "ZAF"), ("GBR", "RUS"), ("CAN", "FRA"), ("IND", "AUS"), ("MEX", "ARG"),
     ("PRT", "POL"), ("FRA", "DEU")],
)
def test_a_country_west_of_another_is_left_of_it(world, west, east):
    assert world[west][0] < world[east][0]


@pytest.mark.parametrize(
    ("north", "south"),
    [("KOR", "AUS"), ("CAN", "BRA"), ("NOR", "ZAF"), ("JPN", "IDN"), ("FRA", "NGA"), ("EGY", "NZL"),
     ("SWE", "ITA"), ("RUS", "TUR")],
)
def test_a_country_north_of_another_is_above_it(world, north, south):
    assert world[north][1] < world[south][1]


def test_a_country_alone_sits_at_its_capital():
    pos = geo_layout(_graph({"BRA": "country", "KOR": "country"}), scale=10.0)
    assert pos["BRA"][0] == round(project(capitals()["BRA"], 10.0)[0], 1)
    assert pos["BRA"][1] > 0 > pos["KOR"][1]  # south of the equator: below it


def test_the_layout_is_deterministic(world):
    assert geo_layout(_world()) == world


# ---- readable at the page's fit -------------------------------------------------------------


@pytest.mark.parametrize("graph", [_few(), _many(40, 120), _many(60, 200)], ids=["few", "40", "60"])
def test_labels_read_and_no_two_parties_overlap_at_the_fit(graph):
    pos = geo_layout(graph)
    assert _overlapping(_boxes(graph, pos)) == []
    assert _zoom(graph, pos) * FONT_SIZE >= READABLE_PX
    assert _map_flipped(graph, pos) <= TOLERANCE


def test_close_neighbours_keep_their_sides():
    pos = geo_layout(_few())
    assert pos["PRK"][1] < pos["KOR"][1] and pos["KOR"][0] < pos["JPN"][0]
    assert pos["CAN"][1] < pos["USA"][1] and pos["UKR"][0] < pos["RUS"][0]
    assert pos["AUS"][0] < pos["NZL"][0] and pos["AUS"][1] < pos["NZL"][1]


def test_every_un_member_fits_without_overlap_at_a_stated_minimum(world):
    graph = _world()
    assert _overlapping(_boxes(graph, world)) == []
    assert _zoom(graph, world) * FONT_SIZE >= WORLD_PX
    assert _map_flipped(graph, world) <= TOLERANCE
    # Rome and the Vatican share a spot; both now have room of their own.
    assert world["VAT"] != world["ITA"]


def test_a_few_countries_fit_the_view_and_two_neighbours_get_the_largest_scale():
    few = _few()
    boxes = _boxes(few, geo_layout(few)).values()
    width = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    height = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    assert width <= VIEW[0] * FONT_SIZE / READABLE_PX and height <= VIEW[1] * FONT_SIZE / READABLE_PX
    two = geo_layout(_graph({"FRA": "country", "DEU": "country"}))
    assert two["DEU"][0] - two["FRA"][0] == pytest.approx((capitals()["DEU"].lon - capitals()["FRA"].lon) * MAX_SCALE,
                                                          abs=0.2)


# ---- the line under the map --------------------------------------------------------------------------


def _with_organisations(edges: list[tuple[str, str]]) -> nx.MultiGraph:
    """Three countries close together, and organisations with ``edges`` between them."""
    organisations = {code for edge in edges for code in edge}
    return _graph({"FRA": "country", "BEL": "country", "JOR": "country", **dict.fromkeys(organisations, "organisation")},
                  [*edges, ("FRA", "BEL"), ("BEL", "NATO"), ("JOR", "EU")])


def _through(graph: nx.Graph, pos: dict[str, tuple[float, float]], a: str, b: str) -> list[str]:
    """The parties whose node or label the straight line from ``a`` to ``b`` passes through."""
    boxes = _boxes(graph, pos)
    (ax, ay), (bx, by) = pos[a], pos[b]
    steps = int(np.hypot(bx - ax, by - ay)) + 1
    points = [(ax + (bx - ax) * t / steps, ay + (by - ay) * t / steps) for t in range(steps + 1)]
    return sorted(code for code, (left, top, right, bottom) in boxes.items() if code not in (a, b)
                  and any(left <= x <= right and top <= y <= bottom for x, y in points))


@pytest.mark.parametrize("edges", [
    [("ASEAN", "EU"), ("AU", "NATO")],
    [("EU", "NATO"), ("EU", "AU"), ("EU", "ASEAN"), ("EU", "OSCE"), ("OSCE", "AU")],
    [(a, b) for i, a in enumerate(ORGANISATIONS) for b in ORGANISATIONS[i + 1:]],
], ids=["pairs", "star", "clique"])
def test_an_agreement_between_organisations_passes_through_no_third_party(edges):
    organisations = {code for edge in edges for code in edge}
    graph = _with_organisations(edges)
    pos = geo_layout(graph)
    assert _overlapping(_boxes(graph, pos)) == []
    assert {edge: _through(graph, pos, *edge) for edge in edges} == {edge: [] for edge in edges}
    lowest_country = max(pos[code][1] + party_box(graph, code).below for code in ("FRA", "BEL", "JOR"))
    assert min(pos[code][1] - party_box(graph, code).above for code in organisations) > lowest_country


def test_organisations_sit_under_their_partners():
    graph = _graph({"CHL": "country", "JPN": "country", "OAS": "organisation", "ASEAN": "organisation"},
                   [("CHL", "OAS"), ("JPN", "ASEAN"), ("CHL", "JPN")])
    pos = geo_layout(graph)
    assert pos["OAS"][0] < pos["ASEAN"][0]


def test_unknown_codes_and_kinds_go_under_the_map():
    pos = geo_layout(_graph({"FRA": "country", "NATO": "organisation", "ZZZ": "country",
                             "ATA": "country", "QQQQ": None, "DEU": None}))
    assert min(pos[code][1] for code in ("NATO", "ATA", "DEU", "QQQQ", "ZZZ")) > pos["FRA"][1]


def test_a_long_row_wraps_under_the_map():
    organisations = _codes("parties.csv", kind="organisation")
    graph = _graph({"JPN": "country", **dict.fromkeys(organisations, "organisation")})
    pos = geo_layout(graph)
    assert _overlapping(_boxes(graph, pos)) == []
    assert _zoom(graph, pos) * FONT_SIZE >= READABLE_PX
    assert len({round(y, -1) for code, (x, y) in pos.items() if code != "JPN"}) > 1


def test_many_unknown_parties_with_many_agreements_between_them_stay_readable():
    rng = random.Random(3)
    codes = [f"Q{i:02d}" for i in range(60)]
    graph = _graph(dict.fromkeys(codes), [tuple(rng.sample(codes, 2)) for _ in range(400)])
    pos = geo_layout(graph)
    assert _overlapping(_boxes(graph, pos)) == []
    assert _zoom(graph, pos) * FONT_SIZE >= READABLE_PX


def test_organisations_alone_and_an_empty_graph():
    assert geo_layout(nx.MultiGraph()) == {}
    graph = _graph({"NATO": "organisation", "EU": "organisation"})
    pos = geo_layout(graph)
    assert _overlapping(_boxes(graph, pos)) == []


# ---- in the browser -----------------------------------------------------------------------

VIS_BOXES = """() => kg.nodeView.getIds().map(id => {
  const b = kg.network.getBoundingBox(id);
  const a = kg.network.canvasToDOM({x: b.left, y: b.top}), c = kg.network.canvasToDOM({x: b.right, y: b.bottom});
  return [id, [a.x, a.y, c.x, c.y]];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("graph", [_few(), _many(40, 120), _with_organisations([("ASEAN", "EU"), ("AU", "NATO")])],
                         ids=["few", "40", "organisations"])
def test_the_page_fits_the_map_with_labels_readable_and_apart_at_1024x700(browser, tmp_path, graph):
    """What vis-network itself draws: its zoom after the page's fit, and each node's box with its
    label as it measures them."""
    from test_browser import _open

    from kg.render import render_html

    path = tmp_path / "map.html"
    render_html(graph, path, positions=geo_layout(graph))
    context, page, attempted, dialogs, errors = _open(browser, path, 1024, 700)
    scale = page.evaluate("kg.network.getScale()")
    boxes = dict(page.evaluate(VIS_BOXES))
    context.close()
    assert errors == [] and attempted == []
    assert len(boxes) == graph.number_of_nodes()
    assert scale * FONT_SIZE >= READABLE_PX
    assert _overlapping({code: tuple(box) for code, box in boxes.items()}) == []


# ---- kg render --layout -------------------------------------------------------------------


def _render(*args: str):
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, ["render", *args])


def _positions(page: Path) -> dict[str, tuple[float, float]]:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                      page.read_text(encoding="utf-8"), re.S)
    assert found, "no kg-data block in the page"
    return {node["id"]: (node["x"], node["y"]) for node in json.loads(found.group(1))["nodes"]}


def test_render_layout_geo_puts_the_parties_on_the_map(graph_store_dir, tmp_path):
    out = tmp_path / "map.html"
    result = _render("--store", str(graph_store_dir), "-o", str(out), "--layout", "geo")
    assert result.exit_code == 0, result.output
    pos = _positions(out)
    assert set(pos) == {"BRA", "CAN", "DEU", "FRA", "ITA", "KOR", "NATO", "POL", "PRK"}
    assert pos["CAN"][0] < pos["FRA"][0] < pos["POL"][0] < pos["KOR"][0]  # west to east
    assert pos["PRK"][1] < pos["KOR"][1] < pos["BRA"][1]  # north to south
    assert pos["NATO"][1] > max(y for code, (x, y) in pos.items() if code != "NATO")


def test_render_layout_spring_is_the_default(graph_store_dir, tmp_path):
    default, spring, geo = tmp_path / "d.html", tmp_path / "s.html", tmp_path / "g.html"
    for out, args in ((default, ()), (spring, ("--layout", "spring")), (geo, ("--layout", "geo"))):
        result = _render("--store", str(graph_store_dir), "-o", str(out), *args)
        assert result.exit_code == 0, result.output
    assert _positions(default) == _positions(spring) != _positions(geo)


def test_render_unknown_layout_is_one_line(graph_store_dir, tmp_path):
    result = _render("--store", str(graph_store_dir), "-o", str(tmp_path / "x.html"), "--layout", "map")
    assert result.exit_code != 0
    assert "--layout" in result.output and "'map'" in result.output and "geo" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()
