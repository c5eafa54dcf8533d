"""Benchmark of the HTML view (a script, not a test): a generated graph of N parties and M agreements.

Reports the projection time, the HTML size, the render+write time and, in headless Chromium
(Debian's /usr/bin/chromium, no network), the time until the page has drawn its settled
layout (``window.kgReady``; positions are precomputed and physics is off, so the first
drawing is the final one), the time to apply one type filter and the time from a move of the
date slider to the next frame the browser shows (the claims have article dates over 15 years,
so statuses change and agreements appear as it moves), across the range and by one day (as an
arrow key moves it; a few agreements change), and the time to show only the conflicts and then
every agreement again. Targets: drawn in < 2 s, a slider move in < 0.5 s, the file under 12 MB.

    .venv/bin/python benchmarks/bench_render.py [--nodes 250] [--edges 10000] [--keep out.html]
    .venv/bin/python benchmarks/bench_render.py --screenshot graph.html docs/screenshot.png [--at DAY]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from kg.model import merge
from kg.network import to_networkx
from kg.records import AGREEMENT_TYPES, STATUSES, Agreement, Article, Claim, Evidence
from kg.render import render_html

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def generate(nodes: int, edges: int, seed: int = 1) -> tuple[list[Agreement], dict[str, dict]]:
    """Random agreements between ``nodes`` parties; a few hubs, as in real alliance graphs."""
    rng = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    # three capitals read as countries; every tenth party is an organisation
    codes = [f"ORG{i}" if i % 10 == 9 else letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]
             for i in range(nodes)]
    weights = [1.0 / (i + 1) ** 0.6 for i in range(nodes)]
    if edges > nodes * (nodes - 1) // 2 * len(AGREEMENT_TYPES):
        sys.exit(f"{edges} edges do not fit between {nodes} parties")
    seen: set[tuple[str, str, str]] = set()
    articles: dict[str, dict] = {}
    agreements = []
    while len(agreements) < edges:
        a, b = rng.choices(codes, weights, k=2)
        kind = rng.choice(AGREEMENT_TYPES)
        key = (min(a, b), max(a, b), kind)
        if a == b or key in seen:
            continue
        seen.add(key)
        claims = []
        for _ in range(rng.randint(1, 3)):
            # each report its own status and day (some with a status date), so the slider has work
            status = rng.choice(STATUSES)
            art = f"art{len(articles)}"
            day = dt.date(2010 + rng.randint(0, 14), rng.randint(1, 12), 1 + rng.randint(0, 27))
            articles[art] = Article(art, f"{art}.txt", f"Report {len(articles)} on {key[0]} and {key[1]}", day,
                                    f"https://news.test/{art}", "")
            sentence = f"{key[0]} and {key[1]} reached a {kind.replace('_', ' ')} agreement ({status})."
            when = rng.choice(["", "", day.isoformat()[:7], str(day.year - rng.randint(0, 3))])
            claims.append(Claim(art, f"{art}.txt", key[0], key[1], kind, status, when, Evidence(sentence, 0, len(sentence))))
        agreements.extend(merge(claims, {c.article_id: articles[c.article_id] for c in claims}))
    return agreements, articles


def _launch(p):
    if not os.path.isfile(CHROMIUM):
        sys.exit(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) or set KG_CHROMIUM")
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def _offline_page(browser, width=1400, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    return context.new_page()


def _thread_time(cdp) -> float:
    """CPU seconds of the page's main thread so far (Chromium's ThreadTime metric)."""
    return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "ThreadTime")


def _with_cpu(cdp, page, script: str, *args) -> dict:
    """The result of a timed script, with ``cpu_ms``: the main thread's CPU time meanwhile, which
    other processes on a loaded machine stretch less than the wall clock."""
    before = _thread_time(cdp)
    result = page.evaluate(script, *args)
    return {**result, "cpu_ms": (_thread_time(cdp) - before) * 1000}


def browser_times(path: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _launch(p)
        page = _offline_page(browser)
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("window.kgReady === true", timeout=300_000, polling=50)
        wall = time.perf_counter() - start
        ready_ms = page.evaluate("window.kgReadyMs")
        filter_ms = page.evaluate("""() => new Promise(done => {
            const t = performance.now();
            kg.setFilter('type', 'other', false);
            kg.network.once('afterDrawing', () => done(performance.now() - t));
            kg.network.redraw();
        })""")
        shown = page.evaluate("[kg.nodeView.length, kg.edgeView.length]")
        page.evaluate("kg.setFilter('type', 'other', true)")
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        slides = [_with_cpu(cdp, page, SLIDE, fraction) for fraction in (0.5, 0.0, 0.25, 1.0, 0.75, 0.0, 1.0)]
        page.evaluate(SLIDE, 0.5)
        steps = [_with_cpu(cdp, page, STEP) for _ in range(5)]
        page.evaluate(SLIDE, 1.0)
        conflicts = [_with_cpu(cdp, page, CONFLICTS_ONLY, on) for on in (True, False)]
        browser.close()
    return {"ready_s": ready_ms / 1000, "wall_s": wall, "filter_s": filter_ms / 1000,
            "after_filter": shown, "slides": slides, "steps": steps, "conflicts": conflicts}


#: Until the browser has run everything a move set off and shown its next frame (vis-network may
#: draw at once or on the next frame): the time a person waits for the picture.
PAINTED = "const painted = report => requestAnimationFrame(() => requestAnimationFrame(report));"

#: Move the slider (as a person drags it) to a fraction of its range; the time until the next
#: frame, the number of days and the agreements shown after it.
SLIDE = """fraction => new Promise(done => {
    %s
    const slider = document.getElementById('kg-slider');
    const position = Math.round(Number(slider.max) * fraction);
    const t = performance.now();
    slider.value = String(position);
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    painted(() => done({ms: performance.now() - t, position: position, days: Number(slider.max),
                        shown: kg.edgeView.length}));
})""" % PAINTED


#: Move the slider one day on (as the arrow key does): the time until the next frame and the
#: number of agreements whose status or sources change on that day.
STEP = """() => new Promise(done => {
    %s
    const slider = document.getElementById('kg-slider');
    const position = Number(slider.value);
    const changed = kg.data.edges.filter(e => e.kg.h.some(c => c[0] === position) ||
                                              e.kg.s.some(c => c[0] === position)).length;
    const t = performance.now();
    slider.value = String(position + 1);
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    painted(() => done({ms: performance.now() - t, position: position + 1, changed: changed}));
})""" % PAINTED


#: Tick (true) or untick the legend's "sources disagree (only these)" box: the time until the next
#: frame and the agreements and parties shown after it (unticked at the end of the range, every
#: agreement comes back with the parties the box had hidden).
CONFLICTS_ONLY = """on => new Promise(done => {
    %s
    const t = performance.now();
    kg.setFilter('conflict', 'conflict', on);
    painted(() => done({ms: performance.now() - t, shown: kg.edgeView.length, parties: kg.nodeView.length}));
})""" % PAINTED


def screenshot(html: Path, png: Path, day: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _launch(p)
        page = _offline_page(browser, 1280, 760)
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.kgReady === true", timeout=60_000)
        if day:
            page.evaluate("day => kg.setDate(day)", day)
        # Open a conflicting agreement (else the one with the most sources) in the side panel
        # and hover it, so the picture shows the history, both sides and a tooltip.
        point = page.evaluate("""() => {
          const edges = kg.edgeView.get().sort((a, b) => (b.kg.conflict - a.kg.conflict) || (b.kg.sources - a.kg.sources));
          if (!edges.length) return null;
          const e = edges[0], p = kg.network.getPositions([e.from, e.to]);
          const d = kg.network.canvasToDOM({x: (p[e.from].x * 3 + p[e.to].x * 2) / 5, y: (p[e.from].y * 3 + p[e.to].y * 2) / 5});
          const r = document.getElementById('kg-network').getBoundingClientRect();
          return {x: d.x + r.left, y: d.y + r.top};
        }""")
        if point:
            page.mouse.click(point["x"], point["y"])
        if point and day:
            # to the canvas's corner, off the edge, so no tooltip hides the graph
            corner = page.evaluate("(() => { const r = document.getElementById('kg-network')"
                                   ".getBoundingClientRect(); return {x: r.right - 4, y: r.bottom - 4}; })()")
            page.mouse.move(corner["x"], corner["y"], steps=5)
        if point and not day:
            # the click scrolls the side panel to the details: back to its top, legend in sight
            page.evaluate("document.querySelector('aside').scrollTop = 0")
            page.mouse.move(point["x"] - 15, point["y"] - 15)
            page.mouse.move(point["x"], point["y"], steps=5)
        page.wait_for_timeout(400)
        page.screenshot(path=str(png))
        browser.close()
    print(f"wrote {png}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=250)
    parser.add_argument("--edges", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the HTML file here")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--screenshot", nargs=2, type=Path, metavar=("HTML", "PNG"),
                        help="only save a screenshot of HTML to PNG")
    parser.add_argument("--at", metavar="DAY", help="with --screenshot: the date slider at DAY (YYYY-MM-DD), "
                        "the side panel at the agreement's details and history (no tooltip)")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(*args.screenshot, args.at)
        return

    t = time.perf_counter()
    agreements, articles = generate(args.nodes, args.edges)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    graph = to_networkx(agreements, {}, articles)
    t_project = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.html"
        t = time.perf_counter()
        html = render_html(graph, path, title=f"Benchmark: {args.nodes} parties, {args.edges} agreements")
        t_write = time.perf_counter() - t
        size = path.stat().st_size
        print(f"graph:              {graph.number_of_nodes()} parties, {graph.number_of_edges()} agreements "
              f"({sum(len(a.claims) for a in agreements)} claims; generated in {t_gen:.2f} s)")
        print(f"to_networkx:        {t_project:.2f} s")
        print(f"render + write:     {t_write:.2f} s (layout, page data, template, atomic write)")
        print(f"HTML size:          {size / 1e6:.2f} MB ({len(html):,} characters)")
        if not args.no_browser:
            b = browser_times(path)
            print(f"browser ready:      {b['ready_s']:.2f} s after navigation start (layout drawn, no physics)")
            print(f"goto -> ready:      {b['wall_s']:.2f} s wall clock")
            print(f"one type filter:    {b['filter_s']:.2f} s (now {b['after_filter'][0]} parties, "
                  f"{b['after_filter'][1]} agreements shown)")
            for slide in b["slides"]:
                print(f"slider move:        {slide['ms'] / 1000:.2f} s, CPU {slide['cpu_ms'] / 1000:.2f} s "
                      f"(to position {slide['position']} of "
                      f"{slide['days']} days, {slide['shown']} agreements shown)")
            print(f"slowest slider move: {max(s['ms'] for s in b['slides']) / 1000:.2f} s")
            for step in b["steps"]:
                print(f"one-day move:       {step['ms'] / 1000:.3f} s, CPU {step['cpu_ms'] / 1000:.3f} s "
                      f"(to position {step['position']}, "
                      f"{step['changed']} agreements change)")
            for name, change in zip(("conflicts only:", "and back:"), b["conflicts"]):
                print(f"{name:<20}{change['ms'] / 1000:.2f} s, CPU {change['cpu_ms'] / 1000:.2f} s "
                      f"(at the end, now {change['parties']} parties, {change['shown']} agreements shown)")


if __name__ == "__main__":
    main()
