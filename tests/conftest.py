"""Shared fixtures: record factories, a fixed corpus of claims for the graph layer, stores
(memory, on disk, seeds) and an Oxigraph server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.records import Article, Claim, Evidence, PartnerCount

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# ---- records written for the tests --------------------------------------------------------


def make_article(article_id: str, day: dt.date | None = dt.date(2024, 3, 1), file: str | None = None,
                 text: str = "Example text.") -> Article:
    """An article with an id, a publication day and a file name derived from the id."""
    return Article(id=article_id, file=file or f"{article_id}.txt", title=f"Title {article_id}",
                   date=day, url=f"https://news.example/{article_id}", text=text)


def make_claim(article_id: str, a: str, b: str, status: str = "signed", kind: str = "intelligence_sharing",
               date: str = "", sentence: str = "A sentence.", start: int = 0, file: str | None = None,
               hedged: bool = False) -> Claim:
    """A claim of an article; parties are sorted as the extractor sorts them."""
    first, second = sorted((a, b))
    return Claim(article_id, file or f"{article_id}.txt", first, second, kind, status, date,
                 Evidence(sentence, start, start + len(sentence)), hedged)


def make_count(article_id: str, party: str, count: int, named: tuple[str, ...],
               sentence: str = "It has such agreements with five other countries.") -> PartnerCount:
    return PartnerCount(article_id, f"{article_id}.txt", party, count, named, "intelligence_sharing", "signed",
                        Evidence(sentence, 0, len(sentence)))


class TableExtractor:
    """An extractor that returns prepared claims and counts by article id (no NLP involved)."""

    def __init__(self, claims: dict[str, list[Claim]], counts: dict[str, list[PartnerCount]] | None = None):
        self.claims = claims
        self.counts = counts or {}
        self.calls: list[str] = []

    def __call__(self, article: Article):
        self.calls.append(article.id)
        return self.claims.get(article.id, []), self.counts.get(article.id, [])


@pytest.fixture()
def records():
    """The factories above, for tests that build their own corpora."""
    return type("Records", (), {"article": staticmethod(make_article), "claim": staticmethod(make_claim),
                                "count": staticmethod(make_count), "extractor": TableExtractor})


@pytest.fixture()
def small_corpus():
    """Three articles about an imaginary set of agreements, and an extractor for them.

    a1 and a2 (same day) disagree about FRA-DEU intelligence sharing (talks_agreed vs
    negotiating); a3, a week later, says it was signed on a date. a1 also counts partners.
    """
    articles = [make_article("a1", dt.date(2024, 3, 1)), make_article("a2", dt.date(2024, 3, 1)),
                make_article("a3", dt.date(2024, 3, 8))]
    claims = {
        "a1": [make_claim("a1", "FRA", "DEU", "talks_agreed", sentence="France agreed to start talks."),
               make_claim("a1", "FRA", "NATO", "signed", "logistics", "2023", start=40)],
        "a2": [make_claim("a2", "DEU", "FRA", "negotiating", sentence="Talks are under way.")],
        "a3": [make_claim("a3", "FRA", "DEU", "signed", date="2024-03-07", sentence="They signed it.")],
    }
    counts = {"a1": [make_count("a1", "FRA", 5, ("DEU", "ITA", "NATO"),
                                "France has such agreements with five other countries, including Germany "
                                "and Italy, as well as NATO.")]}
    return articles, TableExtractor(claims, counts)


# ---- the graph layer's corpus: fixed claims, no extractor ---------------------------------


def graph_corpus() -> tuple[list[Article], TableExtractor]:
    """Five invented articles and their claims, for tests of what the graph layer does with
    claims (build, store, queries, exports, validation) whatever today's extractor says.

    Articles (files ``g1.txt`` ... ``g5.txt``) and claims:

    * g1, 2024-01-10: DEU-FRA intelligence_sharing signed, dated 2023-11-20; FRA-ITA logistics
      negotiating; FRA-NATO defense_cooperation in_force, dated "2022" (a partial date; NATO is
      an organisation); CAN-FRA intelligence_sharing negotiating. A partner count: FRA has
      intelligence-sharing agreements (signed) with 6 countries, naming DEU, ITA and NATO (NATO
      is not one of the countries counted: 2 named, 4 unnamed).
    * g2 and g3, both 2024-02-05: FRA-POL reciprocal_access, talks_agreed in g2 and
      negotiating in g3 (a conflict).
    * g4, 2024-02-20: CAN-FRA intelligence_sharing signed, hedged (it decides nothing over
      g1's plain negotiating); DEU-ITA logistics agreed_in_principle.
    * g5, 2024-03-01: BRA-KOR defense_cooperation terminated, dated 2024-02; KOR-PRK
      mutual_defense proposed.

    The merged agreements (:data:`GRAPH_AGREEMENTS`) follow; FRA's partners are CAN, DEU, ITA,
    NATO and POL, KOR's are BRA and PRK.
    """
    day = {"g1": dt.date(2024, 1, 10), "g2": dt.date(2024, 2, 5), "g3": dt.date(2024, 2, 5),
           "g4": dt.date(2024, 2, 20), "g5": dt.date(2024, 3, 1)}
    articles = [make_article(article_id, date) for article_id, date in day.items()]
    claims = {
        "g1": [make_claim("g1", "FRA", "DEU", "signed", date="2023-11-20",
                          sentence="France and Germany signed an intelligence-sharing pact on 20 November 2023."),
               make_claim("g1", "FRA", "ITA", "negotiating", "logistics", start=100,
                          sentence="France and Italy are negotiating a logistics agreement."),
               make_claim("g1", "FRA", "NATO", "in_force", "defense_cooperation", "2022", start=200,
                          sentence="A defence cooperation accord between France and NATO has been in force "
                                   "since 2022."),
               make_claim("g1", "CAN", "FRA", "negotiating", start=300,
                          sentence="Canada and France are negotiating an intelligence-sharing agreement.")],
        "g2": [make_claim("g2", "FRA", "POL", "talks_agreed", "reciprocal_access",
                          sentence="France and Poland agreed to open talks on a reciprocal access agreement.")],
        "g3": [make_claim("g3", "POL", "FRA", "negotiating", "reciprocal_access",
                          sentence="Poland and France are negotiating a reciprocal access agreement.")],
        "g4": [make_claim("g4", "CAN", "FRA", "signed", hedged=True,
                          sentence="Canada is said to be close to an intelligence-sharing pact with France."),
               make_claim("g4", "DEU", "ITA", "agreed_in_principle", "logistics", start=100,
                          sentence="Germany and Italy agreed in principle on a logistics pact.")],
        "g5": [make_claim("g5", "BRA", "KOR", "terminated", "defense_cooperation", "2024-02",
                          sentence="Brazil ended its defence cooperation agreement with South Korea in "
                                   "February 2024."),
               make_claim("g5", "KOR", "PRK", "proposed", "mutual_defense", start=100,
                          sentence="South Korea proposed a mutual defence pact to North Korea.")],
    }
    count = make_count("g1", "FRA", 6, ("DEU", "ITA", "NATO"),
                       "France has intelligence-sharing agreements with six other countries, including Germany "
                       "and Italy, as well as with NATO.")
    counts = {"g1": [dataclasses.replace(count, counted_kind="country")]}
    return articles, TableExtractor(claims, counts)


#: The agreements :func:`graph_corpus` merges into: (party_a, party_b, type) -> (status, date,
#: sources, conflict).
GRAPH_AGREEMENTS = {
    ("BRA", "KOR", "defense_cooperation"): ("terminated", "2024-02", 1, False),
    ("CAN", "FRA", "intelligence_sharing"): ("negotiating", "", 2, False),
    ("DEU", "FRA", "intelligence_sharing"): ("signed", "2023-11-20", 1, False),
    ("DEU", "ITA", "logistics"): ("agreed_in_principle", "", 1, False),
    ("FRA", "ITA", "logistics"): ("negotiating", "", 1, False),
    ("FRA", "NATO", "defense_cooperation"): ("in_force", "2022", 1, False),
    ("FRA", "POL", "reciprocal_access"): ("negotiating", "", 2, True),
    ("KOR", "PRK", "mutual_defense"): ("proposed", "", 1, False),
}


def build_graph_corpus(store) -> None:
    """Write :func:`graph_corpus` into a store (parties named by the packaged gazetteer)."""
    from kg.build import build_articles

    articles, extractor = graph_corpus()
    build_articles(articles, store, extractor)


# ---- stores -------------------------------------------------------------------------------


@pytest.fixture()
def memory_store():
    from kg.store import open_store

    with open_store("memory") as store:
        yield store


@pytest.fixture(scope="module")
def graph_store():
    """A memory store holding :func:`graph_corpus` (read-only use)."""
    from kg.store import open_store

    store = open_store("memory")
    build_graph_corpus(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def graph_store_dir(tmp_path_factory) -> Path:
    """A store on disk holding :func:`graph_corpus`, closed, for commands run on it (read-only
    use: copy it before writing)."""
    from kg.store import open_store

    path = tmp_path_factory.mktemp("graph") / "kg-store"
    with open_store(path) as store:
        build_graph_corpus(store)
    return path


@pytest.fixture(scope="module")
def seed_store():
    """A memory store built from seeds/ with the real loaders and extractor (read-only use), for
    the tests of the end-to-end run on the seeds; graph-layer tests use :func:`graph_store`."""
    from kg.build import build
    from kg.store import open_store

    store = open_store("memory")
    build([str(SEEDS)], store)
    yield store
    store.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """A real ``oxigraph serve`` on 127.0.0.1 over a database folder; it can be killed and
    started again on the same folder and port."""

    def __init__(self, location: Path) -> None:
        self.binary = Path(sys.executable).parent / "oxigraph"
        assert self.binary.exists(), f"{self.binary} missing: install the test extras (pip install -e '.[test]')"
        self.location = location
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}?query=ASK%7B%7D", timeout=1).read()
                return self.url
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {self.process.stderr.read().decode()[-500:]}")
                time.sleep(0.1)

    def kill(self) -> None:
        """Stop the server at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture()
def oxigraph(tmp_path):
    """An :class:`OxigraphServer` on a fresh database, started."""
    server = OxigraphServer(tmp_path / "server-db")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def oxigraph_server(oxigraph):
    """A real ``oxigraph serve`` on 127.0.0.1 (a fresh database); yields its query URL."""
    return oxigraph.url


# ---- headless Chromium, for the tests of pages (Debian's chromium; no browser is downloaded) --

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through Playwright, for a test module; skipped where it is missing."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium not found at {CHROMIUM}: run 'make browser' (apt-get install chromium) "
                    "or set KG_CHROMIUM to a Chromium binary")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
