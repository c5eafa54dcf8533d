"""The HTML view as a person sees it: headless Chromium, file://, no network, hostile article."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from kg.network import to_networkx
from kg.records import Agreement, Article, Claim, Evidence
from kg.render import render_html

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
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

    parties = {p.code: p for p in [P("ARC", "Arcadia", "country"), P("BOR", "Borduria", "country"),
                                   P("CAL", "Calisota", "country"), P("DRL", "Drylands", "country"),
                                   P("PACT", "Northern Pact", "organisation")]}
    return to_networkx(agreements, parties, articles)


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium not found at {CHROMIUM}: run 'make browser' (apt-get install chromium) "
                    "or set KG_CHROMIUM to a Chromium binary")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")
    sync_playwright = sync_api.sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def opened(browser, tmp_path):
    """The rendered page open in a fresh context, with every non-file request aborted and logged."""
    path = tmp_path / "graph.html"
    render_html(_graph(), path, title=HOSTILE_TITLE)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
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
    assert HOSTILE_SENTENCE in text and HOSTILE_TITLE in text
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
