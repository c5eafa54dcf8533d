"""The cheap tests the clause stages make before a search (parties, status, types) answer as the
searches alone did: on phrases written for these tests, casing and non-ASCII text included."""

from __future__ import annotations

import re

import pytest

from kg.extract import parties
from kg.gazetteer import Mention

# -- parties: places, companies, former leaders ------------------------------------------------

#: Words before a name, ending with each word a place's or a host's pattern ends with, with and
#: without "the", in several casings, and words that end with none of them.
_BEFORE = [
    "US troops in ", "US TROOPS IN THE ", "the junta in ", "the Junta In the ", "forces stationed in the ",
    "talks in ", "a meeting at ", "flew into ", "a base near ", "a ship off ", "a drill across ",
    "a raid inside the ", "a war against ", "a push toward ", "moved towards ", "patrols around ",
    "will visit ", "visits ", "Visited ", "visiting THE ", "threats from ", "imports from the ",
    "a trip to ", "shipments to ", "threats posed by ", "the war on ", "the war with ", "a conflict with ",
    "tensions with ", "the invasion of ", "INVASION OF THE ", "the war in  ", "the war in\u00a0",
    "deliveries to\t", "Japan and ", "agreements including ", "signed by ", "the sale of ",
    "a begin ", "bathe ", "breathe ", "a tothe ", "ALL of\u2003", "(in ", "sit-in ",
    "troops in Zürich and in ", "the İN ", "near Köln, in the ", "regime\u00a0in ", "guests from ",
    "", " ", "the", "in", "the ",
]


def _is_location_by_searches(sentence: str, m: Mention) -> bool:
    """_is_location as it was: every search, no test before them."""
    before = sentence[max(0, m.start - 40):m.start]
    if before[-1:].isspace() and (parties._HOST.regex.search(before) or parties._RULERS_IN.regex.search(before)):
        return False
    if before[-1:].isspace() and parties._LOCATION_BEFORE.regex.search(before):
        return True
    if parties._DATELINE_DASH.match(sentence[m.end:m.end + 20]) and parties._DATELINE_PLACE.match(sentence, 0, m.start):
        return True
    return bool(parties._AGENCY_DASH.match(sentence[m.end:m.end + 12])) and sentence[m.start:m.end].isupper()


def _mention(sentence: str, name: str, form: str = "name") -> Mention:
    start = sentence.index(name)
    return Mention(start, start + len(name), "XX", name, form, False)


@pytest.mark.parametrize("before", _BEFORE)
@pytest.mark.parametrize("after", [" signed a pact.", " (AP) — Officials", " — The", ", said"])
def test_is_location_answers_as_the_searches(before, after):
    sentence = before + "Freedonia" + after
    m = _mention(sentence, "Freedonia")
    assert parties._is_location(sentence, m) == _is_location_by_searches(sentence, m)


def test_location_last_words_cover_the_patterns():
    # every phrase the patterns match passes the test before them (a word left out fails here)
    matched = [b for b in _BEFORE if parties._LOCATION_BEFORE.regex.search(b) or parties._HOST.regex.search(b)
               or parties._RULERS_IN.regex.search(b)]
    assert len(matched) > 30
    assert all(parties._last_words(b, parties._LOCATION_LAST_WORDS) for b in matched)
    assert not parties._last_words("Japan and ", parties._LOCATION_LAST_WORDS)
    assert parties._last_words("the İN ", ("at",))  # non-ASCII: always searched


def test_datelines_still_found():
    for sentence, name in [("TOKYO (AP) — Freedonia signed", "TOKYO"), ("NEWPORT, Freedonia — The", "Freedonia"),
                           ("FREEDONIA (Reuters) - The", "FREEDONIA")]:
        m = _mention(sentence, name)
        assert parties._is_location(sentence, m) and _is_location_by_searches(sentence, m)


@pytest.mark.parametrize("sentence", [
    "Signed in 2010 by then-President Obama.", "by THEN-PRESIDENT OBAMA", "the former Prime Minister",
    "the late leader", "the Late King", "ex-premier Lee", "EX PRESIDENT Lee", "then 4 more",
    "Tensions could escalate further.", "They strengthen ties.", "a complex deal", "the latest deal",
    "formerly known", "then-Président Hollande", "the late ökonom", "ÉX-PREMIER", "the former ſtate",
    "ex-\u212aing", "", "ex-", "then -president",
])
def test_names_former_answers_as_the_search(sentence):
    assert parties.names_former(sentence) == (parties.FORMER.search(sentence) is not None)


@pytest.mark.parametrize("after", [" oil giant", " OIL GIANT", " battery maker", " Fertilisers", ", the maker",
                                   "'s maker", "\u00a0firm", " and Sylvania", " ökonomie firms", " forward"])
@pytest.mark.parametrize("form", ["name", "demonym", "capital"])
def test_company_noun_answers_as_the_search(after, form):
    sentence = "Freedonia" + after
    m = _mention(sentence, "Freedonia", form)
    want = form in ("demonym", "name", "alias") and parties._COMPANY_NOUN.regex.search(sentence[m.end:m.end + 40])
    if form == "capital":
        want = bool(re.match(r"\s+[A-Z][a-z]", sentence[m.end:m.end + 40]))
    assert parties._company_or_club(sentence, m) == bool(want)
