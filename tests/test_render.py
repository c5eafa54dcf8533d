"""The offline HTML page: self-contained, escaped, styled by type/status/kind, positioned."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import math
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from conftest import make_article, make_claim

from kg import model
from kg.network import to_networkx
from kg.records import STATUS_TERMS, STATUSES, Agreement, Article, Claim, Evidence
from kg.render import (CONFLICT_MARK, KIND_STYLE, STATUS_COLORS, STATUS_DASHES, TYPE_COLORS, page_data,
                       render_html)

HOSTILE_SENTENCE = 'Arcadia and Borduria signed <img src=x onerror=alert(1)> a pact </script><script>alert(2)</script>.'
HOSTILE_TITLE = '<img src=x onerror=alert("title")> & </script>'


class _Page(HTMLParser):
    """Collects the page's elements, attributes and script bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: dict[str, str] = {}
        self._current: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._current = (tag, attrs)

    def handle_data(self, data):
        if self._current is None:
            return
        tag, attrs = self._current
        if tag == "script":
            self.scripts.append((attrs, data))
        elif tag in ("h1", "title"):
            self.text[tag] = self.text.get(tag, "") + data

    def handle_endtag(self, tag):
        self._current = None


def _claim(a, b, kind, status, sentence="They agreed.", article="a1"):
    return Claim(article, "f.txt", a, b, kind, status, "2024-01-02", Evidence(sentence, 0, len(sentence)))


def _graph() -> nx.MultiGraph:
    agreements = [
        Agreement("ARC", "BOR", "intelligence_sharing", "signed", "2024-01-02",
                  [_claim("ARC", "BOR", "intelligence_sharing", "signed", HOSTILE_SENTENCE, "evil")]),
        Agreement("ARC", "BOR", "logistics", "negotiating", "2024",
                  [_claim("ARC", "BOR", "logistics", "negotiating")]),
        Agreement("ARC", "CAL", "reciprocal_access", "agreed_in_principle", "",
                  [_claim("ARC", "CAL", "reciprocal_access", "agreed_in_principle")]),
        Agreement("BOR", "PACT", "other", "terminated", "2020", [_claim("BOR", "PACT", "other", "terminated")]),
    ]
    articles = {
        "evil": Article("evil", "evil.txt", HOSTILE_TITLE, dt.date(2024, 1, 3), "javascript:alert(3)", ""),
        "a1": Article("a1", "a1.txt", "A fair report", dt.date(2024, 1, 4), "https://news.test/a?x=1&y=2", ""),
    }
    return to_networkx(agreements, {}, articles)


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(_graph(), title=HOSTILE_TITLE)


@pytest.fixture(scope="module")
def page(html) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def _data(page: _Page) -> dict:
    return json.loads(next(body for attrs, body in page.scripts if attrs.get("id") == "kg-data"))


def test_page_loads_nothing_from_the_network(html, page):
    for tag, attrs in page.tags:
        assert not (tag == "script" and attrs.get("src")), attrs
        assert tag != "link", attrs
        assert not (tag in ("img", "iframe", "object", "embed") and attrs.get("src")), attrs
    assert not re.search(r"url\(\s*['\"]?https?:", html, re.I)
    assert "@import" not in html
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html


def test_vis_network_and_page_script_are_inline(page):
    bodies = [body for attrs, body in page.scripts if not attrs.get("type")]
    assert len(bodies) == 2
    assert "vis-network" in bodies[0][:300] and len(bodies[0]) > 100_000
    assert "kg-data" in bodies[1]


def test_content_security_policy_allows_only_the_inline_scripts_by_hash(page):
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for attrs, body in page.scripts if not attrs.get("type")
    }
    assert set(script_src) == expected


def test_heading_and_title_are_escaped(html, page):
    assert page.text["h1"] == HOSTILE_TITLE
    assert page.text["title"] == HOSTILE_TITLE
    assert '<img src=x onerror=alert("title")>' not in html


def test_hostile_article_text_cannot_leave_the_data_block(html, page):
    # only the three real script elements close; the evidence's </script> is escaped in JSON
    assert html.count("</script>") == 3
    assert "<img src=x onerror=alert(1)>" not in html
    data = _data(page)
    claims = [c for e in data["edges"] for c in e["kg"]["claims"]]
    assert HOSTILE_SENTENCE in {c["sentence"] for c in claims}
    assert HOSTILE_TITLE in {c["article_title"] for c in claims}


def test_no_html_tooltips_reach_pyvis_or_vis_network(page):
    # a 'title' string would be vis-network's tooltip, and one containing 'href' makes pyvis
    # switch to a popup that sets innerHTML; the page builds its tooltips from text instead
    data = _data(page)
    assert not [item for item in data["nodes"] + data["edges"] if "title" in item]


def test_page_data_has_every_party_and_agreement_with_positions(page):
    data = _data(page)
    assert sorted(n["id"] for n in data["nodes"]) == ["ARC", "BOR", "CAL", "PACT"]
    assert len(data["edges"]) == 4
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 4
    assert data["options"]["physics"]["enabled"] is False


@pytest.mark.parametrize(
    ("edge_type", "status", "color", "dashes"),
    [
        ("intelligence_sharing", "signed", TYPE_COLORS["intelligence_sharing"], STATUS_DASHES["signed"]),
        ("logistics", "negotiating", TYPE_COLORS["logistics"], STATUS_DASHES["negotiating"]),
        ("reciprocal_access", "agreed_in_principle", TYPE_COLORS["reciprocal_access"], STATUS_DASHES["agreed_in_principle"]),
        ("other", "terminated", STATUS_COLORS["terminated"], STATUS_DASHES["terminated"]),
    ],
)
def test_edge_colour_by_type_and_line_by_status(page, edge_type, status, color, dashes):
    edge = next(e for e in _data(page)["edges"] if e["kg"]["type"] == edge_type)
    assert edge["kg"]["status"] == status
    assert edge["color"]["color"] == color
    assert edge["dashes"] == dashes


def test_each_status_has_its_own_line_style():
    assert STATUS_DASHES["in_force"] is False
    styles = [str(dashes) for dashes in STATUS_DASHES.values()]
    assert len(set(styles)) == len(styles) == len(STATUSES)
    assert len(set(TYPE_COLORS.values())) == len(TYPE_COLORS)


def _lab(colour: str) -> tuple[float, float, float]:
    """An sRGB ``#rrggbb`` colour in CIELAB (D65), where distance follows what the eye sees."""
    linear = [(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
              for c in (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))]
    matrix = ((0.4124, 0.3576, 0.1805, 0.95047), (0.2126, 0.7152, 0.0722, 1.0), (0.0193, 0.1192, 0.9505, 1.08883))
    x, y, z = (sum(m * c for m, c in zip(row[:3], linear)) / row[3] for row in matrix)
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _delta_e(one: str, other: str) -> float:
    return sum((a - b) ** 2 for a, b in zip(_lab(one), _lab(other))) ** 0.5


def test_lab_distance_tells_near_colours_from_far_ones():
    # the old country blue and the reciprocal-access blue looked alike: 11.7 apart
    assert _delta_e("#4C78A8", "#0072B2") < 15 < 90 < _delta_e("#000000", "#ffffff")


EDGE_COLOURS = {**TYPE_COLORS, **STATUS_COLORS}


def test_each_status_draws_its_own_colour_and_line():
    # a status's (colour, dashes): ended statuses have a colour of their own, the others the type's
    styles = [(STATUS_COLORS.get(s, "type"), str(STATUS_DASHES[s])) for s in STATUSES]
    assert len(set(styles)) == len(STATUSES)
    ended = {s.value for s, term in STATUS_TERMS.items() if term.ended}
    assert set(STATUS_COLORS) == ended == {"terminated", "suspended"}
    # ended agreements tell how they ended: colours far apart, and far from every type's colour
    for one, other in itertools.combinations(sorted(ended), 2):
        assert _delta_e(STATUS_COLORS[one], STATUS_COLORS[other]) > 30
        assert STATUS_DASHES[one] != STATUS_DASHES[other]
    for status, kind in itertools.product(sorted(ended), TYPE_COLORS):
        assert _delta_e(STATUS_COLORS[status], TYPE_COLORS[kind]) > 30, (status, kind)


@pytest.mark.parametrize(("kind", "edge"), [(k, e) for k in sorted(KIND_STYLE) for e in EDGE_COLOURS])
def test_no_node_colour_is_near_an_edge_colour(kind, edge):
    assert _delta_e(KIND_STYLE[kind]["color"], EDGE_COLOURS[edge]) > 30


def test_node_kinds_differ_in_colour():
    country, organisation = (KIND_STYLE[k]["color"] for k in ("country", "organisation"))
    assert _delta_e(country, organisation) > 30


def test_node_shape_by_kind_and_size_by_agreements(page):
    nodes = {n["id"]: n for n in _data(page)["nodes"]}
    assert nodes["PACT"]["shape"] == KIND_STYLE["organisation"]["shape"]
    assert nodes["ARC"]["shape"] == KIND_STYLE["country"]["shape"]
    assert nodes["ARC"]["shape"] != nodes["PACT"]["shape"]
    assert nodes["ARC"]["size"] > nodes["CAL"]["size"]  # 3 agreements against 1
    assert nodes["BOR"]["kg"] == {"name": "BOR", "code": "BOR", "kind": "country", "qid": ""}


def test_parallel_agreements_are_bent_apart(page):
    pair = [e for e in _data(page)["edges"] if {e["from"], e["to"]} == {"ARC", "BOR"}]
    assert len(pair) == 2
    assert sum(1 for e in pair if e.get("smooth", {}).get("enabled")) == 1


def test_legend_lists_types_and_statuses_with_counts(page):
    data = _data(page)
    types = {t["id"]: t["count"] for t in data["types"]}
    statuses = {s["id"]: s for s in data["statuses"]}
    assert types["logistics"] == 1 and types["mutual_defense"] == 0
    assert statuses["terminated"]["color"] == STATUS_COLORS["terminated"] and statuses["signed"]["color"] == ""


def test_render_is_deterministic_and_writes_the_file(tmp_path):
    out = tmp_path / "graph.html"
    first = render_html(_graph(), out, title="Agreements")
    assert out.read_text(encoding="utf-8") == first
    assert render_html(_graph(), title="Agreements") == first
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_given_positions_replace_the_layout():
    positions = {"ARC": (10.0, 20.0), "BOR": (-5.5, 0.0), "CAL": (300.0, 1.0), "PACT": (0.0, -40.0)}
    data = page_data(_graph(), positions=positions)
    assert {n["id"]: (n["x"], n["y"]) for n in data["nodes"]} == positions
    assert '"x":-5.5,"y":0.0' in render_html(_graph(), positions=positions)


def test_empty_graph_renders_a_page():
    data = page_data(nx.MultiGraph())
    assert data["nodes"] == [] and data["edges"] == []
    assert "<h1" in render_html(nx.MultiGraph())


# ---- time: the page's history of each agreement is kg.model's -------------------------------


def _hedged(claim: Claim) -> Claim:
    return dataclasses.replace(claim, hedged=True)


#: Articles and claims for the slider: two articles on one day that disagree, a hedged claim,
#: a claim dated after its article, a status date within its article's month, an undated article.
TIME_ARTICLES = [
    make_article("t1", dt.date(2024, 3, 1)),
    make_article("t2", dt.date(2024, 3, 1)),
    make_article("t3", dt.date(2024, 4, 10)),
    make_article("t4", dt.date(2024, 5, 20)),
    make_article("t5", None),
]
TIME_CLAIMS = {
    "t1": [make_claim("t1", "ARC", "BOR", "talks_agreed", sentence="Arcadia and Borduria agreed to hold talks."),
           make_claim("t1", "BOR", "CAL", "signed", "other", date="2025", start=50,
                      sentence="Borduria and Calisota will sign a pact next year.")],
    "t2": [make_claim("t2", "ARC", "BOR", "negotiating", sentence="Arcadia is negotiating with Borduria."),
           make_claim("t2", "ARC", "PACT", "proposed", "reciprocal_access", start=40,
                      sentence="Arcadia proposed an access deal to the Northern Pact.")],
    "t3": [_hedged(make_claim("t3", "ARC", "BOR", "signed", sentence="Arcadia hopes to have signed with Borduria.")),
           _hedged(make_claim("t3", "ARC", "CAL", "negotiating", "logistics", start=45,
                              sentence="Arcadia is said to be negotiating logistics with Calisota."))],
    "t4": [make_claim("t4", "ARC", "BOR", "signed", date="2024-05", sentence="Arcadia and Borduria signed in May."),
           make_claim("t4", "ARC", "PACT", "terminated", "reciprocal_access", date="2024-05-02", start=40,
                      sentence="The Arcadia access deal with the Pact ended on 2 May.")],
    "t5": [make_claim("t5", "CAL", "DRL", "signed", "mutual_defense", sentence="Calisota and Drylands are allies.")],
}


def time_graph() -> tuple[list[Agreement], dict[str, Article]]:
    claims = [c for group in TIME_CLAIMS.values() for c in group]
    articles = {a.id: a for a in TIME_ARTICLES}
    return model.merge(claims, articles), articles


def _page_at(data: dict, position: int) -> set[tuple]:
    """What the page shows at a slider position: each edge's last change before it (as graph.js)."""
    shown = set()
    for edge in data["edges"]:
        told = [change for change in edge["kg"]["h"] if change[0] < position]
        if told:
            _, status, conflict, date = told[-1]
            shown.add((*sorted((edge["from"], edge["to"])), edge["kg"]["type"],
                       data["statuses"][status]["id"], date, bool(conflict)))
    return shown


def _as_of(agreements, day, articles) -> set[tuple]:
    return {(a.party_a, a.party_b, a.agreement_type, a.status, a.date, a.conflict)
            for a in model.as_of(agreements, day, articles)}


def test_page_history_is_the_models_as_of_on_every_day():
    agreements, articles = time_graph()
    data = page_data(to_networkx(agreements, {}, articles))
    days = [dt.date.fromisoformat(d) for d in data["days"]]
    assert data["days"] == ["2024-03-01", "2024-04-10", "2024-05-20", "2025-01-01"]
    # before the first day: only what undated articles told; then every day and the day before it
    assert _page_at(data, 0) == _as_of(agreements, days[0] - dt.timedelta(days=1), articles) == {
        ("CAL", "DRL", "mutual_defense", "signed", "", False)}
    for position, day in enumerate(days, start=1):
        assert _page_at(data, position) == _as_of(agreements, day, articles), day
        assert _page_at(data, position - 1) == _as_of(agreements, day - dt.timedelta(days=1), articles), day
    assert ("ARC", "BOR", "intelligence_sharing", "negotiating", "", True) in _page_at(data, 1)
    # the last position is the graph as built
    edges = {(*sorted((e["from"], e["to"])), e["kg"]["type"], e["kg"]["status"], e["kg"]["date"], e["kg"]["conflict"])
             for e in data["edges"]}
    assert _page_at(data, len(days)) == edges == _as_of(agreements, dt.date.max, articles)


def _told_at(data: dict, position: int) -> dict[str, tuple[int, float, int]]:
    """Per edge told at a slider position: its sources, width and claims told (as graph.js)."""
    told = {}
    for edge in data["edges"]:
        counts = [n for day, n in edge["kg"]["s"] if day < position]
        if counts:
            told[edge["id"]] = (counts[-1], data["widths"][counts[-1]],
                                sum(1 for c in edge["kg"]["claims"] if c["told"] < position))
    return told


def test_page_sources_widths_and_claims_are_the_models_as_of_on_every_day():
    agreements, articles = time_graph()
    data = page_data(to_networkx(agreements, {}, articles))
    days = [dt.date.fromisoformat(d) for d in data["days"]]
    for position, day in enumerate([days[0] - dt.timedelta(days=1), *days]):
        expected = {f"{a.party_a}|{a.party_b}|{a.agreement_type}": (a.sources, round(1.5 + math.log2(a.sources), 2),
                                                                    len(a.claims))
                    for a in model.as_of(agreements, day, articles)}
        assert _told_at(data, position) == expected, day
    assert _told_at(data, 1)["ARC|BOR|intelligence_sharing"] == (2, 2.5, 2)
    # the last position is the graph as built
    assert {e["id"]: (e["kg"]["sources"], e["width"]) for e in data["edges"]} == {
        key: (n, width) for key, (n, width, _) in _told_at(data, len(days)).items()}


def test_page_history_is_compact_indexes():
    agreements, articles = time_graph()
    data = page_data(to_networkx(agreements, {}, articles))
    edge = next(e for e in data["edges"] if e["id"] == "ARC|BOR|intelligence_sharing")
    negotiating, signed = STATUSES.index("negotiating"), STATUSES.index("signed")
    assert edge["kg"]["h"] == [[0, negotiating, 1, ""], [2, signed, 0, "2024-05"]]
    undated = next(e for e in data["edges"] if e["id"] == "CAL|DRL|mutual_defense")
    assert undated["kg"]["h"] == [[-1, signed, 0, ""]]


def test_conflicting_agreement_is_marked_on_its_edge():
    agreements, articles = time_graph()
    on_march_1 = model.as_of(agreements, dt.date(2024, 3, 1), articles)
    edges = {e["id"]: e for e in page_data(to_networkx(on_march_1, {}, articles))["edges"]}
    conflicting = edges["ARC|BOR|intelligence_sharing"]
    assert conflicting["kg"]["conflict"] is True
    assert {k: conflicting[k] for k in CONFLICT_MARK} == CONFLICT_MARK
    assert not set(CONFLICT_MARK) & set(edges["ARC|PACT|reciprocal_access"])


def test_claims_are_listed_in_the_order_they_were_told():
    agreements, articles = time_graph()
    edge = next(e for e in page_data(to_networkx(agreements, {}, articles))["edges"]
                if e["id"] == "ARC|BOR|intelligence_sharing")
    assert [(c["article_title"], c["status"]) for c in edge["kg"]["claims"]] == [
        ("Title t1", "talks_agreed"), ("Title t2", "negotiating"), ("Title t3", "signed"), ("Title t4", "signed")]


# ---- kg render --------------------------------------------------------------------------


@pytest.fixture()
def store_dir(tmp_path):
    """An on-disk store with four agreements, written as kg build writes them."""
    import datetime as dt
    from collections import defaultdict

    from kg import model
    from kg.records import Article
    from kg.store import open_store

    articles = [Article("a1", "a1.txt", HOSTILE_TITLE, dt.date(2024, 1, 3), "https://news.test/1", "..."),
                Article("a2", "a2.txt", "Later report", dt.date(2025, 3, 1), None, "...")]
    claims = [
        _claim("ARC", "BOR", "intelligence_sharing", "signed", HOSTILE_SENTENCE, "a1"),
        _claim("ARC", "CAL", "logistics", "negotiating", "They talk.", "a1"),
        _claim("CAL", "DRL", "other", "proposed", "An idea.", "a2"),
        _claim("DRL", "EGY", "other", "signed", "Signed.", "a2"),
    ]
    quads = [q for a in articles for q in model.article_quads(a, [c for c in claims if c.article_id == a.id])]
    quads += model.agreement_quads(model.merge(claims, articles), articles)
    quads += model.party_quads(model.party_codes(claims), {})
    graphs = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(q)
    path = tmp_path / "store"
    with open_store(str(path)) as store:
        store.replace_graphs(graphs)
    return path


def _render(*args):
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, ["render", *args])


def _page_of(path) -> dict:
    parsed = _Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    return _data(parsed)


def test_render_command_writes_the_page(store_dir, tmp_path):
    out = tmp_path / "graph.html"
    result = _render("--store", str(store_dir), "-o", str(out), "--title", "Pacts")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out} (5 parties, 4 agreements)"
    data = _page_of(out)
    assert len(data["nodes"]) == 5 and len(data["edges"]) == 4
    assert HOSTILE_SENTENCE in {c["sentence"] for e in data["edges"] for c in e["kg"]["claims"]}
    assert "<h1 id=\"kg-heading\">Pacts</h1>" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "nodes", "edges"),
    [
        (["--type", "other"], {"CAL", "DRL", "EGY"}, 2),
        (["--status", "signed", "--status", "negotiating"], {"ARC", "BOR", "CAL", "DRL", "EGY"}, 3),
        (["--as-of", "2024-12-31"], {"ARC", "BOR", "CAL"}, 2),
        (["--focus", "arc"], {"ARC", "BOR", "CAL"}, 2),
        (["--focus", "DRL", "--depth", "2"], {"ARC", "CAL", "DRL", "EGY"}, 3),
        (["--focus", "EGY", "--depth", "0"], {"EGY"}, 0),
    ],
)
def test_render_command_filters(store_dir, tmp_path, args, nodes, edges):
    out = tmp_path / "g.html"
    result = _render("--store", str(store_dir), "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    data = _page_of(out)
    assert {n["id"] for n in data["nodes"]} == nodes
    assert len(data["edges"]) == edges


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "spying"], "unknown agreement type spying"),
        (["--status", "done"], "unknown status done"),
        (["--as-of", "yesterday"], "'yesterday' is not a date"),
        (["--focus", "Atlantis"], "party 'Atlantis' has no agreement"),
        (["-o", "/nonexistent-dir/g.html"], "cannot write /nonexistent-dir/g.html"),
    ],
)
def test_render_command_user_errors_are_one_line(store_dir, args, message):
    result = _render("--store", str(store_dir), *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
