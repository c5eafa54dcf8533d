"""The map layout: countries at their capitals (north up), organisations and unknown parties in a
row below, crowded capitals pushed apart a little; the shipped capitals table; kg render --layout."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.geo import (ASPECT, CAPITALS_CSV, MAX_SCALE, MIN_DISTANCE, MIN_SCALE, ROW_SPACING, ROW_WIDTH, capitals,
                    geo_layout, project)

DATA = Path(CAPITALS_CSV).parent


def _codes(name: str, column: str = "code", **where: str) -> list[str]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if all(row[k] == v for k, v in where.items())]


def _graph(kinds: dict[str, str | None]) -> nx.MultiGraph:
    """Parties with the given kinds (None: no kind attribute), no agreements needed."""
    graph = nx.MultiGraph()
    for code, kind in kinds.items():
        graph.add_node(code, **({} if kind is None else {"kind": kind}))
    return graph


def _world() -> nx.MultiGraph:
    """Every UN member and observer, and four organisations."""
    kinds: dict[str, str | None] = {code: "country" for code in _codes("un_members.csv")}
    kinds.update({code: "organisation" for code in ("NATO", "EU", "AU", "ASEAN")})
    return _graph(kinds)


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


# ---- where countries land -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("west", "east"),
    [("USA", "JPN"), ("BRA", "ZAF"), ("GBR", "RUS"), ("CAN", "FRA"), ("IND", "AUS"), ("MEX", "ARG")],
)
def test_a_country_west_of_another_is_left_of_it(world, west, east):
    assert world[west][0] < world[east][0]


@pytest.mark.parametrize(
    ("north", "south"),
    [("KOR", "AUS"), ("CAN", "BRA"), ("NOR", "ZAF"), ("JPN", "IDN"), ("FRA", "NGA"), ("EGY", "NZL")],
)
def test_a_country_north_of_another_is_above_it(world, north, south):
    assert world[north][1] < world[south][1]


def test_a_country_alone_sits_exactly_at_its_capital():
    pos = geo_layout(_graph({"BRA": "country", "KOR": "country"}), scale=10.0)
    assert pos["BRA"] == tuple(round(v, 1) for v in project(capitals()["BRA"], 10.0))
    assert pos["BRA"][1] > 0 > pos["KOR"][1]  # south of the equator: below it


def test_a_few_countries_far_apart_make_a_small_map_and_many_a_wide_one(world):
    few = geo_layout(_graph({code: "country" for code in ("USA", "JPN", "AUS", "GBR", "IND", "NZL")}))
    lons = [capitals()[code].lon for code in few]
    assert max(x for x, _ in few.values()) - min(x for x, _ in few.values()) \
        == pytest.approx((max(lons) - min(lons)) * MIN_SCALE, abs=1)
    assert max(x for x, _ in world.values()) - min(x for x, _ in world.values()) > 300 * MAX_SCALE


def test_crowded_capitals_are_pushed_apart_but_stay_near_home(world):
    countries = _codes("un_members.csv")
    for i, a in enumerate(countries):
        for b in countries[i + 1:]:
            (ax, ay), (bx, by) = world[a], world[b]
            assert math.hypot((ax - bx) / ASPECT, ay - by) > 0.8 * MIN_DISTANCE, (a, b)
    drift = {code: math.dist(world[code], project(capitals()[code], MAX_SCALE)) for code in countries}
    assert max(drift.values()) < 2 * MIN_DISTANCE
    # Rome and the Vatican share a spot; both now have room of their own.
    assert world["VAT"] != world["ITA"]


def test_the_layout_is_deterministic(world):
    assert geo_layout(_world()) == world


# ---- the row apart ------------------------------------------------------------------------


def test_organisations_are_in_a_row_below_every_country(world):
    lowest_country = max(y for code, (x, y) in world.items() if code in capitals())
    rows = {world[code][1] for code in ("NATO", "EU", "AU", "ASEAN")}
    assert len(rows) == 1 and rows.pop() > lowest_country + MIN_DISTANCE
    xs = sorted(world[code][0] for code in ("NATO", "EU", "AU", "ASEAN"))
    assert all(b - a == pytest.approx(ROW_SPACING) for a, b in zip(xs, xs[1:]))
    assert [code for code in sorted(world, key=world.__getitem__) if code in ("NATO", "EU", "AU", "ASEAN")] \
        == ["ASEAN", "AU", "EU", "NATO"]


def test_unknown_codes_and_kinds_go_to_the_row_after_the_organisations():
    pos = geo_layout(_graph({"FRA": "country", "NATO": "organisation", "ZZZ": "country",
                             "ATA": "country", "QQQQ": None, "DEU": None}))
    row = sorted(("NATO", "ATA", "DEU", "QQQQ", "ZZZ"), key=lambda code: pos[code][0])
    assert row == ["NATO", "ATA", "DEU", "QQQQ", "ZZZ"]
    assert {pos[code][1] for code in row} == {pos["NATO"][1]} and pos["NATO"][1] > pos["FRA"][1]


def test_a_long_row_wraps_under_the_map():
    many = {f"ORG{i:02d}": "organisation" for i in range(100)}
    pos = geo_layout(_graph({"JPN": "country", **many}))
    lines = sorted({y for code, (x, y) in pos.items() if code != "JPN"})
    assert len(lines) > 1 and all(b - a == ROW_SPACING for a, b in zip(lines, lines[1:]))
    xs = [x for code, (x, y) in pos.items() if code != "JPN"]
    assert max(xs) - min(xs) <= ROW_WIDTH


def test_organisations_alone_and_an_empty_graph():
    assert geo_layout(nx.MultiGraph()) == {}
    pos = geo_layout(_graph({"NATO": "organisation", "EU": "organisation"}))
    assert pos["EU"][1] == pos["NATO"][1] and pos["EU"][0] < pos["NATO"][0]


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
