"""The cheap tests the clause stages make before a search (parties, status, types) answer as the
searches alone did: on phrases written for these tests, casing and non-ASCII text included."""

from __future__ import annotations

import re

import pytest

from kg.extract import parties, status, types
from kg.gazetteer import Mention
from kg.records import Status

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


# -- status: markers, future states --------------------------------------------------------------

#: Every word of the markers' patterns (a word left out of _MARKER_WORDS fails a test here).
_MARKER_PHRASES = [
    "not", "never", "no", "don't", "WON'T", "neither", "nor", "failed to", "fail to", "refused to", "refuses to",
    "declined to", "rejected", "rejects", "ruled out", "rules out", "yet to", "denied", "denies", "deny", "hardly",
    "without", "if", "unless", "whether", "could", "might", "may", "should", "must", "need to", "needs to",
    "required", "ever", "unlikely", "doubt", "doubts", "doubted", "doubtful", "threaten", "threatened",
    "threatens", "threatening", "before", "until", "once", "urged", "urges", "urging", "called on", "calls on",
    "pressed", "pressing", "encouraged", "encourages", "want", "wants", "wanted", "hope", "hopes", "hoped", "would",
]


@pytest.mark.parametrize("word", _MARKER_PHRASES)
@pytest.mark.parametrize("case", [str, str.upper, str.title])
def test_marker_words_hold_every_marker(word, case):
    text = case(f"Freedonia said {word} sign")
    marked = any(True for _ in status.MARKERS.finditer(text))
    assert marked or (word == "may" and case is not str)  # "May" is a month
    assert status._MARKER_WORDS.search(text.lower()) or not marked


def _negated_by_searches(clause: str, cue: status.Cue) -> bool:
    """negated as it was: the markers' patterns searched in every window."""
    window = clause[max(0, cue.start - 60):cue.end]
    window = status._RELATIVE_ASIDE.sub(lambda m: " " * len(m.group()), window)
    for hit in status.MARKERS.finditer(window):
        if hit.label == status.Marker.WOULD and status.REPORTED.search(window[:hit.start]):
            continue
        if cue.presupposed and hit.label != status.Marker.NEGATION:
            continue
        return True
    return False


@pytest.mark.parametrize("clause", [
    *(f"Freedonia {w} signed the pact with Sylvania" for w in _MARKER_PHRASES),
    "Freedonia signed the pact with Sylvania", "FREEDONIA HAS NOT SIGNED THE PACT", "Freedonia May sign the pact",
    "Freedonia may sign the pact", "In May, Freedonia signed the pact", "the first-ever pact was signed",
    "Freedonia, which has no army, signed the pact", "Freedonia, which is north, signed the pact",
    "Freedonia said on Monday it would terminate the pact", "Freedonia ſhould sign the pact",
    "Freedonia ne signe pas: it has not signed the pact", "Zürich hopes Freedonia signs the pact",
    "Freedonia İF signed the pact", "the envoy urged them to finish the talks",
])
def test_negated_answers_as_the_searches(clause):
    cue = status.status_cue(clause)
    assert cue is not None
    assert status.negated(clause, cue) == _negated_by_searches(clause, cue)


@pytest.mark.parametrize("clause", [
    "The pact will enter into force next year", "The pact entered into force", "Freedonia said it would terminate the pact",
    "Freedonia would terminate the pact", "Freedonia will sign the pact", "It is set to suspend the pact",
])
def test_future_state_answers_as_before(clause):
    cue = status.status_cue(clause)
    assert cue is not None
    future = status._FUTURE_BEFORE.search(clause[:cue.start])
    want = bool(future) and cue.status in (Status.IN_FORCE, Status.TERMINATED, Status.SUSPENDED) and (
        cue.status == Status.IN_FORCE or not status.REPORTED.search(clause[max(0, future.start() - 60):future.start()]))
    assert status.future_state(clause, cue) == want


# -- anchors: sharper words, every match still holds one ---------------------------------------

_ANCHORED = [
    (status.STATUS_CUES, "talks-agreed", [
        "The ministers agreed to start negotiations on a pact.", "THEY AGREED  TO  LAUNCH FORMAL TALKS",
        "The two decided to renegotiate the treaty.", "Seoul and Tokyo agreed on the commencement of talks.",
        "They agree\tto hold working-level meetings.", "Both decides to open consultations.",
        "They agreed on Monday night to begin discussions.", "Zürich agreed to negotiate"]),
    (status.STATUS_CUES, "ordinal-to-sign", [
        "Moldova is the first country to sign such a pact.", "the 3rd NATION  TO  RATIFY it",
        "the latest EU member state to sign", "the second Asian partner to conclude one",
        "the tenth government to ink it", "the fifth countries to sign"]),
    (status.STATUS_CUES, "block-signed-decree", [
        "The president signed decrees that ratify the pact.", "HE SIGNED A LAW on it", "signs the bill",
        "signed two executive orders", "signed the instruments of ratification", "signing  three\tdecrees"]),
    (types.TYPE_KEYWORDS, "mutual-defence-clause", [
        "each side will come to the other's aid", "COME TO EACH OTHER'S DEFENCE", "defend each other",
        "come to the aid of", "the aid of the other", "assist each other with military support",
        "if either is attacked", "an aggression against both", "an attack on one", "committed to their defence",
        "provide each other military help", "assist one another militarily", "in the event of an armed attack",
        "lend to one another assistance"]),
    (types.TYPE_KEYWORDS, "defence-industry", [
        "defence equipment", "DEFENSE TECHNOLOGY", "the stationing of troops", "the defence industry",
        "defense industrial ties", "military bases", "Military Equipment", "military technology", "arms", "WEAPONS"]),
]


@pytest.mark.parametrize(("table", "rule_id", "text"), [(t, r, x) for t, r, xs in _ANCHORED for x in xs])
def test_sharper_anchor_stands_in_every_match(table, rule_id, text):
    rule = next(r for r in table if r.id == rule_id)
    assert rule.regex.search(text)
    assert rule.may_match(text.lower())
    assert re.search(rf"\b(?:{rule.anchor})", text.lower())  # at a word's beginning, as Rule.anchor says
    assert any(h.rule.id == rule_id for h in table.finditer(text))


# -- parties: leads before a partner, prepositions, "between" ----------------------------------

_LEADS = [
    "signed pacts with ", "signed pacts WITH THE ", "agreements with eight other countries including ",
    "with several other nations such as the ", "the fourth, following ", "FOLLOWING ", "after the ",
    "besides ", "alongside ", "like ", "joining the ", "following similar agreements with ",
    "after such deals with the ", "besides those with ", "like the ones with ", "Following Deals With ",
    "signed pacts and ", "a pact between ", "an Agreement between the ", "a treaty signed between ",
    "a deal, between ", "troops from ", "OF THE ", "for ", "to ", "by the ", "in ", "at ", "on ", "under ",
    "over ", "against the ", "about ", "forces from Zürich ", "wıth ", "agreements wıth ", "FOLLOWİNG ",
    "pacts with  ", "pacts with\u00a0", "", "with", "withdrawn ", "herewith ", "unlike ", "a deal between\t",
]


@pytest.mark.parametrize("lead", _LEADS)
def test_lead_tests_answer_as_the_searches(lead):
    assert parties._with_lead(lead) == bool(parties.WITH_LEAD.search(lead))
    assert parties._peer_lead(lead) == bool(parties._PEER_LEAD.search(lead))
    assert parties._peer_lead(lead, parties._PEERS_WITH) == bool(parties._PEERS_WITH.search(lead))
    assert parties._last_words(lead, parties._PREPOSITIONS) or not parties._PREPOSITION_BEFORE.search(lead)
    assert parties._last_words(lead, ("between",)) or not parties._TRIGGER_BETWEEN.search(lead)


def test_lead_tests_find_every_kind():
    # the phrases above reach every pattern (a word left out of a test fails one of them)
    assert sum(bool(parties.WITH_LEAD.search(x)) for x in _LEADS) >= 8
    assert sum(bool(parties._PEER_LEAD.search(x)) for x in _LEADS) >= 8
    assert sum(bool(parties._PEERS_WITH.search(x)) for x in _LEADS) >= 4
    assert sum(bool(parties._PREPOSITION_BEFORE.search(x)) for x in _LEADS) >= 12
    assert sum(bool(parties._TRIGGER_BETWEEN.search(x)) for x in _LEADS) >= 3


def _mentions(sentence: str, names: dict[str, str]) -> list[Mention]:
    return sorted((Mention(sentence.index(n), sentence.index(n) + len(n), code, n, "name", False)
                   for n, code in names.items()), key=lambda m: m.start)


@pytest.mark.parametrize(("sentence", "cue", "want"), [
    # a relative clause before the cue is no place for the subject (the search needs a comma)
    ("Freedonia, which signed a pact with Sylvania, has agreed to talks.", "agreed", {"FR"}),
    ("Freedonia , WHICH signed a pact with Sylvania , has agreed to talks.", "agreed", {"FR"}),
    ("Freedonia which signed a pact with Sylvania has agreed to talks.", "agreed", None),
    # a participle after a comma shares the clause's first subject
    ("Freedonia has sought ties with Sylvania,  entering into similar agreements.", "entering", {"FR"}),
    ("Freedonia has sought ties with Sylvania entering into similar agreements.", "entering", None),
])
def test_subject_skips_asides_and_finds_participles(sentence, cue, want):
    mentions = _mentions(sentence, {"Freedonia": "FR", "Sylvania": "SY"})
    assert parties.subject(sentence, 0, sentence.index(cue), mentions) == want
