"""The HTML view as a person sees it: headless Chromium, file://, no network, hostile article."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.network import to_networkx
from kg.records import Agreement, Article, Claim, Evidence
from kg.render import render_html

pytestmark = pytest.mark.browser

HOSTILE_SENTENCE = "Arcadia and Borduria signed <img src=x onerror=alert(1)> the pact </script><script>alert(2)</script>."
HOSTILE_TITLE = "<img src=x onerror=alert('title')> Breaking </script>"


def _claim(article, a, b, kind, status, sentence):
    return Claim(article, f"{article}.txt", a, b, kind, status, "2024-02-01", Evidence(sentence, 0, len(sentence)))


def _graph():
    agreements = [
        Agreement("ARC", "BOR", "intelligence_sharing", "signed", "2024-02-01", [
            _claim("evil", "ARC", "BOR", "intelligence_sharing", "signed", HOSTILE_SENTENCE),
            _claim("fair", "ARC", "BOR", "intelligence_sharing", "signed", "Arcadia and Borduria will share intelligence."),
        ]),
        Agreement("ARC", "CAL", "logistics", "negotiating", "2024", [
            _claim("fair", "ARC", "CAL", "logistics", "negotiating", "Arcadia is negotiating a logistics pact with Calisota."),
        ]),
        Agreement("BOR", "PACT", "other", "agreed_in_principle", "", [
            _claim("fair", "BOR", "PACT", "other", "agreed_in_principle", "Borduria agreed in principle with the Pact."),
        ]),
        Agreement("CAL", "DRL", "mutual_defense", "terminated", "2019", [
            _claim("fair", "CAL", "DRL", "mutual_defense", "terminated", "Calisota ended its treaty with Drylands."),
        ]),
    ]
    articles = {
        "evil": Article("evil", "evil.txt", HOSTILE_TITLE, dt.date(2024, 2, 2), "javascript:alert('url')", ""),
        "fair": Article("fair", "fair.txt", "A fair report", dt.date(2024, 2, 3), "https://news.test/fair?a=1&b=2", ""),
    }

    class P:
        def __init__(self, code, name, kind):
            self.code, self.name, self.kind, self.qid, self.names = code, name, kind, "", ()

    # two names with a common part, for the search; a long one, for labels at the canvas edge
    parties = {p.code: p for p in [P("ARC", "Arcadia", "country"), P("BOR", "Borduria", "country"),
                                   P("CAL", "North Calisota", "country"), P("DRL", "South Calisota", "country"),
                                   P("PACT", "Northern Pact of the Seven Harbours", "organisation")]}
    return to_networkx(agreements, parties, articles)


def _open(browser, path, width=1280, height=800):
    """A page open in a fresh context, with every non-file request aborted and logged."""
    context = browser.new_context(viewport={"width": width, "height": height})
    attempted: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            attempted.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("networkidle")
    page.wait_for_function("window.kgReady === true", timeout=20_000)
    return context, page, attempted, dialogs, errors


@pytest.fixture()
def opened(browser, tmp_path):
    """The rendered page open in a fresh context, with every non-file request aborted and logged."""
    path = tmp_path / "graph.html"
    render_html(_graph(), path, title=HOSTILE_TITLE)
    context, page, attempted, dialogs, errors = _open(browser, path)
    yield page, attempted, dialogs, errors, tmp_path
    context.close()


EDGE_POINT = """(id) => {
  const e = kg.edges.get(id);
  const p = kg.network.getPositions([e.from, e.to]);
  const a = p[e.from], b = p[e.to];
  const d = kg.network.canvasToDOM({x: a.x + (b.x - a.x) * 0.45, y: a.y + (b.y - a.y) * 0.45});
  const r = document.getElementById('kg-network').getBoundingClientRect();
  return {x: d.x + r.left, y: d.y + r.top};
}"""


def test_page_opens_offline_with_all_parties_and_agreements(opened):
    page, attempted, dialogs, errors, _ = opened
    counts = page.evaluate("[kg.data.nodes.length, kg.data.edges.length, kg.nodeView.length, kg.edgeView.length]")
    assert counts == [5, 4, 5, 4]
    assert page.inner_text("#kg-counts") == "5 parties \u00b7 4 agreements"
    assert page.inner_text("#kg-heading") == HOSTILE_TITLE
    assert page.title() == HOSTILE_TITLE
    assert attempted == [] and dialogs == [] and errors == []


def test_edge_tooltip_and_details_show_hostile_text_as_text(opened):
    page, attempted, dialogs, errors, tmp_path = opened
    point = page.evaluate(EDGE_POINT, "ARC|BOR|intelligence_sharing")
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=5)
    tooltip = page.locator("#kg-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "Intelligence sharing" in text and "Arcadia \u2013 Borduria" in text
    assert HOSTILE_TITLE in text and "2 sources" in text
    assert HOSTILE_SENTENCE not in text  # the sentences are in the side panel: the tooltip stays small
    assert page.locator("#kg-tooltip img, #kg-tooltip script").count() == 0

    page.mouse.click(point["x"], point["y"])
    details = page.locator("#kg-details")
    assert HOSTILE_SENTENCE in details.inner_text()
    assert "javascript:alert('url')" in details.inner_text()  # shown, not linked
    hrefs = page.eval_on_selector_all("#kg-details a", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://news.test/fair?a=1&b=2"]
    assert page.locator("img").count() == 0
    page.screenshot(path=str(tmp_path / "tooltip.png"))
    assert (tmp_path / "tooltip.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert attempted == [] and dialogs == [] and errors == []
    assert page.evaluate("typeof window.__kgPwned") == "undefined"


def test_type_and_status_filters_hide_agreements_and_their_lone_parties(opened):
    page, *_ = opened
    page.locator('input[data-filter="type"][data-value="intelligence_sharing"]').uncheck()
    assert page.evaluate("[kg.nodeView.length, kg.edgeView.length]") == [5, 3]
    page.locator('input[data-filter="status"][data-value="terminated"]').uncheck()
    # CAL-DRL was the only agreement of DRL: DRL leaves the view with it
    assert page.evaluate("[kg.nodeView.length, kg.edgeView.length]") == [4, 2]
    assert page.evaluate("kg.nodeView.get('DRL')") is None
    assert page.inner_text("#kg-counts") == "4 parties \u00b7 2 agreements"
    page.locator('input[data-filter="type"][data-value="intelligence_sharing"]').check()
    assert page.evaluate("kg.edgeView.length") == 3


def test_search_box_selects_and_describes_a_party(opened):
    page, *_ = opened
    page.fill("#kg-search", "borduria")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kg.network.getSelectedNodes()") == ["BOR"]
    assert "Code: BOR" in page.inner_text("#kg-details")
    page.fill("#kg-search", "Atlantis")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-search-msg") == "no party matches"


def test_search_offers_every_match_and_an_exact_name_still_jumps(opened):
    page, *_ = opened
    page.fill("#kg-search", "calisota")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kg.network.getSelectedNodes()") == []
    choices = page.locator("#kg-details .kg-matches button")
    assert choices.all_inner_texts() == ["North Calisota (CAL)", "South Calisota (DRL)"]
    choices.nth(1).click()
    assert page.evaluate("kg.network.getSelectedNodes()") == ["DRL"]
    assert "Code: DRL" in page.inner_text("#kg-details")
    page.fill("#kg-search", "North Calisota")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kg.network.getSelectedNodes()") == ["CAL"]


def test_a_search_without_match_clears_the_previous_matches(opened):
    page, *_ = opened
    page.fill("#kg-search", "calisota")
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-details .kg-matches button").count() == 2
    page.fill("#kg-search", "zzz")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-search-msg") == "no party matches"
    assert page.locator("#kg-details .kg-matches").count() == 0
    assert "Calisota" not in page.inner_text("#kg-details")
    assert page.inner_text("#kg-details") == "Click an agreement or a party for its sources."


LABEL_BOXES = """() => {
  const r = document.getElementById('kg-network').getBoundingClientRect();
  return kg.nodeView.getIds().map(id => {
    const b = kg.network.getBoundingBox(id);
    const a = kg.network.canvasToDOM({x: b.left, y: b.top}), c = kg.network.canvasToDOM({x: b.right, y: b.bottom});
    return {id: id, left: a.x, top: a.y, right: c.x, bottom: c.y, width: r.width, height: r.height,
            pageRight: r.right, pageBottom: r.bottom};
  });
}"""


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1400, 900)])
def test_no_label_is_cut_off_at_the_canvas_edge(browser, tmp_path, width, height):
    path = tmp_path / "graph.html"
    render_html(_graph(), path)
    context, page, *_ = _open(browser, path, width, height)
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) == 5
    for box in boxes:
        assert box["left"] >= 0 and box["top"] >= 0, box
        assert box["right"] <= box["width"] and box["bottom"] <= box["height"], box
        # the canvas itself is inside the window, left of the side panel
        assert box["pageBottom"] <= height and box["pageRight"] <= page.evaluate(
            "document.querySelector('aside').getBoundingClientRect().left") + 1
    # the outermost labels reach close to an edge: the graph fills the canvas
    assert min(min(b["left"], b["top"], b["width"] - b["right"], b["height"] - b["bottom"]) for b in boxes) < 40
    # after a resize, still inside
    page.set_viewport_size({"width": 1024, "height": 700})
    page.wait_for_timeout(300)
    for box in page.evaluate(LABEL_BOXES):
        assert box["left"] >= 0 and box["right"] <= box["width"] and box["bottom"] <= box["height"], box
    context.close()


RECT = "s => { const r = document.querySelector(s).getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }"
PLACEHOLDER_FITS = """() => {
  const i = document.getElementById('kg-search'), style = getComputedStyle(i);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  return ctx.measureText(i.placeholder).width <=
         i.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}"""


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1280, 800)])
def test_page_fits_a_small_screen(browser, tmp_path, width, height):
    path = tmp_path / "graph.html"
    render_html(_graph(), path, title=HOSTILE_TITLE + " with a long heading" * 5)
    context, page, *_ = _open(browser, path, width, height)
    # nothing overflows the window; the header's search box shows its whole placeholder
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") \
        == [width, height]
    assert page.evaluate(PLACEHOLDER_FITS)
    # the whole legend, down to the conflict filter, is in the side panel's first screen
    aside = page.evaluate(RECT, "aside")
    assert page.evaluate(RECT, "#kg-legend-conflicts")["bottom"] <= aside["bottom"]

    # an agreement's details: the panel scrolls to them and the slider stays in sight
    point = page.evaluate(EDGE_POINT, "ARC|BOR|intelligence_sharing")
    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("document.querySelector('aside').scrollTop") > 0
    slider, details = page.evaluate(RECT, "#kg-slider"), page.evaluate(RECT, "#kg-details")
    assert aside["top"] <= slider["top"] and slider["bottom"] <= aside["bottom"]
    assert slider["bottom"] <= details["top"] < aside["bottom"] - 100
    assert page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.id; }",
                         [(slider["left"] + slider["right"]) / 2, (slider["top"] + slider["bottom"]) / 2]) \
        == "kg-slider"

    # the tooltip leaves the pointer and most of the graph in sight
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=5)
    page.locator("#kg-tooltip").wait_for(state="visible", timeout=5_000)
    tip, canvas = page.evaluate(RECT, "#kg-tooltip"), page.evaluate(RECT, "#kg-network")
    area = (tip["right"] - tip["left"]) * (tip["bottom"] - tip["top"])
    assert area <= 0.15 * (canvas["right"] - canvas["left"]) * (canvas["bottom"] - canvas["top"])
    assert not (tip["left"] <= point["x"] <= tip["right"] and tip["top"] <= point["y"] <= tip["bottom"])
    assert canvas["left"] <= tip["left"] and tip["right"] <= canvas["right"] and tip["bottom"] <= canvas["bottom"]

    # a long search message leaves the search box whole
    for kind in ("intelligence_sharing", "logistics", "other", "mutual_defense"):
        page.evaluate(f"kg.setFilter('type', '{kind}', false)")
    page.fill("#kg-search", "Arcadia")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-search-msg").startswith("Arcadia is not shown")
    assert page.evaluate(PLACEHOLDER_FITS)
    assert page.evaluate("document.documentElement.scrollWidth") == width
    context.close()


# ---- time: the slider shows what kg query as-of returns ----------------------------------------


@pytest.fixture(scope="module")
def time_store(tmp_path_factory):
    from conftest import TableExtractor
    from test_render import TIME_ARTICLES, TIME_CLAIMS

    from kg.build import build_articles
    from kg.store import open_store

    path = tmp_path_factory.mktemp("time") / "store"
    with open_store(str(path)) as store:
        build_articles(TIME_ARTICLES, store, TableExtractor(TIME_CLAIMS))
    return path


@pytest.fixture()
def time_page(browser, time_store, tmp_path):
    from kg.network import from_store
    from kg.store import open_store

    with open_store(str(time_store)) as store:
        graph = from_store(store)
    path = tmp_path / "time.html"
    render_html(graph, path)
    context, page, attempted, dialogs, errors = _open(browser, path)
    yield page
    assert attempted == [] and dialogs == [] and errors == []
    context.close()


SHOWN = "kg.edgeView.get().map(e => [e.id.split('|'), e.kg.status, e.kg.conflict])"


def _shown(page) -> set[tuple]:
    return {(a, b, kind, status, conflict) for (a, b, kind), status, conflict in page.evaluate(SHOWN)}


def _as_of(store_dir, day) -> set[tuple]:
    from kg import query
    from kg.store import open_store

    with open_store(str(store_dir)) as store:
        rows = query.run(store, "as-of", {"date": day})
    return {(r.party_a, r.party_b, r.agreement_type, r.status, str(r.conflict).lower() == "true")
            for r in rows.itertuples()}


def _slide_to(page, day):
    """Move the slider (as a person drags it) to the last position on or before ``day``."""
    position = page.evaluate("day => kg.data.days.filter(d => d <= day).length", day)
    page.evaluate("""p => { const s = document.getElementById('kg-slider');
                            s.value = String(p); s.dispatchEvent(new Event('input', {bubbles: true})); }""", position)


@pytest.mark.parametrize("day", ["2024-02-29", "2024-03-01", "2024-04-10", "2024-05-20"])
def test_slider_shows_the_statuses_kg_query_as_of_returns(time_page, time_store, day):
    page = time_page
    told = _as_of(time_store, day)
    assert len(told) >= 1
    _slide_to(page, day)
    assert _shown(page) == told
    assert page.inner_text("#kg-counts").endswith(f"{len(told)} agreement" + ("" if len(told) == 1 else "s"))
    counts = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('input[data-filter="status"]')]
                               .map(b => [b.dataset.value, Number(b.parentElement.querySelector('.n').textContent)]))""")
    assert {s: n for s, n in counts.items() if n} == {s: sum(1 for t in told if t[3] == s) for s in {t[3] for t in told}}
    # each edge drawn in its status's colour if it ended, else its type's
    from kg.render import STATUS_COLORS, TYPE_COLORS

    colours = page.evaluate("kg.edgeView.get().map(e => [e.kg.type, e.kg.status, e.color.color])")
    assert all(colour == STATUS_COLORS.get(status, TYPE_COLORS[kind]) for kind, status, colour in colours), colours


def test_slider_starts_at_all_reports_and_plays_through_the_days(time_page, time_store):
    page = time_page
    assert page.inner_text("#kg-day") == "all reports (to 2025-01-01)"
    assert _shown(page) == _as_of(time_store, "2025-01-01")
    page.click("#kg-play")
    assert page.inner_text("#kg-day") == "before 2024-03-01"
    seen = page.evaluate("""() => new Promise(done => {
        const days = [];
        const timer = setInterval(() => {
          const text = document.getElementById('kg-day').textContent;
          if (days[days.length - 1] !== text) days.push(text);
          if (kg.position() === kg.data.days.length) { clearInterval(timer); done(days); }
        }, 50);
    })""")
    assert seen == ["before 2024-03-01", "2024-03-01", "2024-04-10", "2024-05-20", "all reports (to 2025-01-01)"]
    # screen readers read the day, not the slider's index
    assert page.get_attribute("#kg-slider", "aria-valuetext") == "all reports (to 2025-01-01)"
    _slide_to(page, "2024-04-10")
    assert page.get_attribute("#kg-slider", "aria-valuetext") == "2024-04-10" == page.inner_text("#kg-day")
    assert page.get_attribute("#kg-play", "aria-label") == "Play"


def test_agreement_panel_shows_history_and_both_sides_of_a_conflict(time_page):
    page = time_page
    _slide_to(page, "2024-03-01")
    point = page.evaluate(EDGE_POINT, "ARC|BOR|intelligence_sharing")
    page.mouse.click(point["x"], point["y"])
    text = page.inner_text("#kg-details")
    assert "Sources disagree on the status" in text
    assert "Talks agreed: 1 claim" in text and "Negotiating: 1 claim" in text
    assert "2024-03-01: Negotiating (sources disagree)" in text and "2024-05-20: Signed (2024-05)" in text
    told = page.locator("#kg-details .kg-source:not(.kg-later .kg-source) .kg-title").all_inner_texts()
    assert told == ["Title t1", "Title t2"]
    # claims of articles published later are listed apart, greyed
    assert page.locator("#kg-details .kg-later .kg-source .kg-title").all_inner_texts() == ["Title t3", "Title t4"]
    assert "Told later: 2" in text and "Arcadia and Borduria signed in May." in text
    greyed = page.evaluate("""() => [...document.querySelectorAll('#kg-details .kg-later .kg-source *')]
                                .map(e => getComputedStyle(e).color)""")
    assert len(greyed) >= 8 and set(greyed) == {"rgb(153, 153, 153)"}  # titles, dates, links, sentences
    # moving the slider redraws the panel: no conflict once the signature is reported
    _slide_to(page, "2024-05-20")
    text = page.inner_text("#kg-details")
    assert "Status: Signed (2024-05)" in text and "Sources disagree on the status" not in text


@pytest.mark.parametrize(("day", "status", "conflict"), [
    ("2024-02-29", "Status: not reported before 2024-03-01", False),
    ("2024-03-01", "Status: Negotiating, as reported by 2024-03-01", True),
    ("2024-05-20", "Status: Signed (2024-05), as reported by 2024-05-20", False),
    ("2025-01-01", "Status: Signed (2024-05)\n", False),
])
def test_agreement_panel_says_by_when_its_status_was_reported(time_page, day, status, conflict):
    page = time_page
    _slide_to(page, "2024-04-10")  # the sources disagree then
    point = page.evaluate(EDGE_POINT, "ARC|BOR|intelligence_sharing")
    page.mouse.click(point["x"], point["y"])
    assert "Sources disagree on the status" in page.inner_text("#kg-details")
    _slide_to(page, day)
    text = page.inner_text("#kg-details")
    assert status in text and "by before" not in text
    told = day != "2024-02-29"
    assert ("Sources disagree" in text) is conflict and ("Both sides" in text) is conflict
    assert ("0 sources \u00b7 told later: 4" in text) is not told
    assert page.evaluate("kg.edgeView.get('ARC|BOR|intelligence_sharing') !== null") is told


@pytest.mark.parametrize(("day", "sources", "later"), [("2024-03-01", 2, 2), ("2024-04-10", 3, 1), ("2025-01-01", 4, 0)])
def test_edge_width_sources_and_claims_follow_the_slider(time_page, day, sources, later):
    page = time_page
    _slide_to(page, "2024-03-01")
    _slide_to(page, day)
    edge = page.evaluate("kg.edges.get('ARC|BOR|intelligence_sharing')")
    assert edge["kg"]["sources"] == sources
    assert edge["width"] == page.evaluate("n => kg.data.widths[n]", sources)
    point = page.evaluate(EDGE_POINT, "ARC|BOR|intelligence_sharing")
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=5)
    page.locator("#kg-tooltip").wait_for(state="visible", timeout=5_000)
    tip = page.inner_text("#kg-tooltip")
    assert f"{sources} sources" in tip and "in all" not in tip
    assert (f"told later: {later}" in tip) == bool(later)
    # the tooltip names the first two claims told by the day and counts the others told by then
    assert "Title t1" in tip and "Title t3" not in tip and "Title t4" not in tip
    assert (f"+{sources - 2} more" in tip) == (sources > 2) and "+" not in tip.replace(f"+{sources - 2} more", "")
    page.mouse.click(point["x"], point["y"])
    assert page.locator("#kg-details .kg-later .kg-source").count() == later


@pytest.mark.parametrize("hide", ["slider", "filter"])
def test_every_party_fits_after_a_resize_while_some_were_hidden(browser, time_store, tmp_path, hide):
    from kg.network import from_store
    from kg.store import open_store

    with open_store(str(time_store)) as store:
        path = tmp_path / "time.html"
        render_html(from_store(store), path)
    context, page, *_ = _open(browser, path, 1024, 700)
    if hide == "slider":
        _slide_to(page, "2024-02-29")  # only Calisota and Drylands are told by then
    else:
        page.evaluate("kg.setFilter('status', 'signed', false)")
    hidden = page.evaluate("kg.data.nodes.length - kg.nodeView.length")
    assert hidden >= 2
    page.set_viewport_size({"width": 1100, "height": 720})
    page.wait_for_timeout(300)
    if hide == "slider":
        _slide_to(page, "2025-01-01")
    else:
        page.evaluate("kg.setFilter('status', 'signed', true)")
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) == 5
    for box in boxes:
        assert box["left"] >= 0 and box["top"] >= 0, box
        assert box["right"] <= box["width"] and box["bottom"] <= box["height"], box
    context.close()


DRAWS = """() => { window.kgDraws = 0; kg.network.on('afterDrawing', () => { window.kgDraws += 1; });
                   window.kgUpdated = []; kg.edges.on('update', (e, p) => { window.kgUpdated.push(...p.items); }); }"""
# The legend's numbers and the parties shown, counted again from every agreement as the page holds it.
RECOUNT = """() => {
  const told = kg.edges.get().filter(e => e.kg.at >= 0), at = kg.position() >= kg.data.days.length;
  const count = (items, key) => items.reduce((n, i) => (n[key(i)] = (n[key(i)] || 0) + 1, n), {});
  const present = new Set(told.flatMap(e => [e.from, e.to]));
  const shown = new Set(kg.edgeView.get().flatMap(e => [e.from, e.to]));
  const legend = group => Object.fromEntries([...document.querySelectorAll(`input[data-filter="${group}"]`)]
      .map(b => [b.dataset.value, Number(b.parentElement.querySelector('.n').textContent)]).filter(([, n]) => n));
  const kinds = Object.fromEntries([...document.querySelectorAll('#kg-legend-kinds label')]
      .map((l, i) => [kg.data.kinds[i].id, Number(l.querySelector('.n').textContent)]).filter(([, n]) => n));
  return {legend: {type: legend('type'), status: legend('status'), conflict: legend('conflict'), kind: kinds},
          recount: {type: count(told, e => e.kg.type), status: count(told, e => e.kg.status),
                    conflict: count(told.filter(e => e.kg.conflict), () => 'conflict'),
                    kind: count(kg.data.nodes.filter(n => at || present.has(n.id)), n => n.kg.kind)},
          nodes: kg.nodeView.getIds().sort(), withShownEdges: [...shown].sort(), every: kg.data.nodes.length};
}"""


def test_a_slider_move_draws_once_and_restyles_only_what_changed(time_page):
    page = time_page
    page.evaluate(DRAWS)
    for day in ["2024-04-10", "2024-02-29", "2025-01-01", "2024-03-01", "2024-03-01", "2024-05-20"]:
        before = page.evaluate("kg.edges.get().map(e => [e.id, e.kg.at, e.kg.s.length && e.kg.sources])")
        page.evaluate("window.kgDraws = 0; window.kgUpdated = []")
        _slide_to(page, day)
        after = page.evaluate("kg.edges.get().map(e => [e.id, e.kg.at, e.kg.s.length && e.kg.sources])")
        changed = sorted(b[0] for b, a in zip(before, after) if a != b)
        assert page.evaluate("window.kgDraws") == 1, day  # vis-network drew after each change before
        assert sorted(page.evaluate("window.kgUpdated")) == changed, day


# Counts the edges vis-network builds (kgBuilt) and, after a change, which it draws.
BUILDS = """() => { window.kgBuilt = 0; const create = kg.network.edgesHandler.create.bind(kg.network.edgesHandler);
                    kg.network.edgesHandler.create = item => { window.kgBuilt += 1; return create(item); }; }"""
DRAWN = "[kg.network.body.edgeIndices.slice().sort(), kg.edgeView.getIds().sort(), kg.network.body.nodeIndices.length]"


def test_agreements_appearing_with_their_parties_are_built_once_and_drawn(time_page):
    page = time_page
    _slide_to(page, "2000-01-01")  # before the first report: only the agreement of no date
    assert page.evaluate("[kg.edgeView.length, kg.nodeView.length]") == [1, 2]
    page.evaluate(BUILDS)
    _slide_to(page, "2025-01-01")
    drawn, shown, parties = page.evaluate(DRAWN)
    # vis-network drops an edge whose parties it does not draw yet: shown before them, each was built twice
    assert page.evaluate("window.kgBuilt") == len(shown) - 1 == 4
    assert drawn == shown and parties == 5
    page.evaluate("kg.setFilter('conflict', 'conflict', true)")
    _slide_to(page, "2024-04-10")  # one conflict shown, with its two parties only
    assert page.evaluate("[kg.edgeView.length, kg.nodeView.length]") == [1, 2]
    page.evaluate("window.kgBuilt = 0")
    page.evaluate("kg.setFilter('conflict', 'conflict', false)")  # a filter brings agreements back
    drawn, shown, parties = page.evaluate(DRAWN)
    assert page.evaluate("window.kgBuilt") == len(shown) - 1 == 3
    assert drawn == shown and parties == page.evaluate("kg.nodeView.length") == 5


@pytest.mark.parametrize("filters", [False, True])
def test_legend_counts_and_parties_shown_equal_a_recount_after_moves(time_page, filters):
    page = time_page
    days = ["2024-04-10", "2024-02-29", "2025-01-01", "2024-03-01", "2024-05-20", "2024-02-29", "2025-01-01"]
    for step, day in enumerate(days):
        if filters and step == 2:
            page.evaluate("kg.setFilter('type', 'intelligence_sharing', false)")
        if filters and step == 5:
            page.evaluate("kg.setFilter('conflict', 'conflict', true)")
        _slide_to(page, day)
        counts = page.evaluate(RECOUNT)
        assert counts["legend"] == counts["recount"], (day, counts)
        every = step == len(days) - 1 and not filters
        assert counts["nodes"] == (sorted(page.evaluate("kg.nodes.getIds()")) if every else counts["withShownEdges"])


def test_conflict_is_marked_on_the_edge_and_can_be_shown_alone(time_page):
    page = time_page
    _slide_to(page, "2024-04-10")
    marks = page.evaluate("kg.edgeView.get().filter(e => e.label === kg.data.conflict.label).map(e => e.id)")
    assert marks == ["ARC|BOR|intelligence_sharing"]
    page.locator('input[data-filter="conflict"]').check()
    assert page.evaluate("kg.edgeView.getIds()") == ["ARC|BOR|intelligence_sharing"]
    assert page.evaluate("kg.nodeView.getIds().sort()") == ["ARC", "BOR"]
    _slide_to(page, "2024-05-20")  # the conflict is resolved: nothing left to show
    assert page.evaluate("[kg.edgeView.length, kg.nodeView.length]") == [0, 0]
    assert page.evaluate("kg.edges.get('ARC|BOR|intelligence_sharing').label === kg.data.conflict.label") is False


def test_screenshot_of_the_whole_page(opened):
    page, _, _, _, tmp_path = opened
    out = tmp_path / "screenshot.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000  # something was drawn, not a blank page


def test_page_runs_inside_a_sandboxed_notebook_iframe(browser, tmp_path):
    from kg.render import iframe_html

    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body>" + iframe_html(render_html(_graph(), title=HOSTILE_TITLE))
                    + "</body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    attempted, dialogs = [], []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file://", "about:"))
                  else (attempted.append(r.request.url), r.abort()))
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(host.as_uri())
    frame = page.frame_locator("iframe")
    frame.locator("body[data-ready='true']").wait_for(timeout=20_000)
    assert frame.locator("#kg-counts").inner_text() == "5 parties \u00b7 4 agreements"
    assert frame.locator("#kg-heading").inner_text() == HOSTILE_TITLE
    # the sandbox keeps the frame's scripts away from the notebook page
    assert page.evaluate("() => { try { return !!document.querySelector('iframe').contentWindow.kg; } "
                         "catch (e) { return 'blocked'; } }") == "blocked"
    assert attempted == [] and dialogs == []
    context.close()


def test_a_partys_counts_follow_the_slider(time_page):
    page = time_page
    _slide_to(page, "2024-03-01")
    page.fill("#kg-search", "ARC")
    page.press("#kg-search", "Enter")
    text = page.inner_text("#kg-details")
    assert "2 agreements, 2 partners" in text and "Negotiating: 1, Proposed: 1" in text
    _slide_to(page, "2024-05-20")  # the panel follows: logistics with CAL told, PACT ended
    text = page.inner_text("#kg-details")
    assert "3 agreements, 3 partners" in text and "Signed: 1, Negotiating: 1, Terminated: 1" in text
    _slide_to(page, "2024-02-29")  # ARC had no agreement told yet
    page.fill("#kg-search", "ARC")
    page.press("#kg-search", "Enter")
    # the day alone says why (no filter is on), and the panel no longer shows ARC of another day
    assert page.inner_text("#kg-search-msg") == "ARC is not shown (before 2024-03-01)"
    assert "agreements" not in page.inner_text("#kg-details").replace("no agreement shown", "")
    assert "ARC has no agreement shown" in page.inner_text("#kg-details")


def test_the_tooltip_follows_the_slider_under_a_still_pointer(time_page):
    """A tooltip left open while the slider moves (keyboard, play) told the old day's status and
    sources: it is written again for the new day, and goes away when its agreement is hidden."""
    page = time_page
    _slide_to(page, "2024-03-01")
    point = page.evaluate(EDGE_POINT, "ARC|BOR|intelligence_sharing")
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=5)
    page.locator("#kg-tooltip").wait_for(state="visible", timeout=5_000)
    assert "2 sources" in page.inner_text("#kg-tooltip")
    _slide_to(page, "2024-04-10")
    assert page.locator("#kg-tooltip").is_visible() and "3 sources" in page.inner_text("#kg-tooltip")
    _slide_to(page, "2024-02-29")  # not told yet: hidden, and so is its tooltip
    assert not page.locator("#kg-tooltip").is_visible()
    _slide_to(page, "2025-01-01")
    assert not page.locator("#kg-tooltip").is_visible()  # until the pointer comes back to it


def test_a_blank_canvas_says_why(browser, time_page, tmp_path):
    """A page with nothing to draw was a blank canvas with no word (QA): no agreement at all,
    none matching the legend's filters, none told by the slider's day."""
    import networkx as nx

    path = tmp_path / "none.html"
    render_html(nx.MultiGraph(), path)
    context, page, *_ = _open(browser, path)
    assert page.locator("#kg-empty").is_visible() and page.inner_text("#kg-empty") == "No agreement in this graph."
    context.close()

    page = time_page
    assert not page.locator("#kg-empty").is_visible()
    kinds = page.evaluate("kg.data.types.map(t => t.id)")
    for kind in kinds:
        page.evaluate(f"kg.setFilter('type', '{kind}', false)")
    assert page.inner_text("#kg-empty").startswith("No agreement matches the filters (all reports")
    for kind in kinds:
        page.evaluate(f"kg.setFilter('type', '{kind}', true)")
    assert not page.locator("#kg-empty").is_visible()
    page.evaluate("kg.setPosition(0)")
    shown = page.evaluate("kg.edgeView.length")
    assert page.locator("#kg-empty").is_visible() == (shown == 0)
