"""Every rule of every extraction table fires on its own examples and not on its near misses.

Adding a construction is a row in a table plus its examples; this file then tests it without
change (in the manner of spaCy's pattern tests).
"""

from __future__ import annotations

import re

import pytest

from kg.extract.rules import Rule, RuleTable, word_start_pattern
from kg.extract.status import MARKERS, STATUS_CUES, status_cue
from kg.extract.triggers import NOT_AGREEMENTS, TRIGGERS, find_triggers
from kg.extract.types import TYPE_KEYWORDS, keyword_spans
from kg.extract import extractor, parties
from kg.text import caseless

TABLES: list[RuleTable] = [TRIGGERS, NOT_AGREEMENTS, TYPE_KEYWORDS, STATUS_CUES, MARKERS]


def _cases(kind: str):
    for table in TABLES:
        for rule in table:
            for i, sentence in enumerate(getattr(rule, kind)):
                yield pytest.param(table, rule, sentence, id=f"{table.name}:{rule.id}:{i}")


def _decided_by(table: RuleTable, sentence: str) -> set[str]:
    """The ids of the rules that decide ``sentence`` the way the extractor applies ``table``."""
    if table is STATUS_CUES:
        hit = STATUS_CUES.decide(sentence)
        blockers = {h.rule.id for h in STATUS_CUES.masked(sentence) if h.label is None}
        cue = status_cue(sentence)
        return blockers | ({cue.rule} if cue else set()) | ({hit.rule.id} if hit else set())
    if table is TRIGGERS:
        return {h.rule.id for h in find_triggers(sentence)}
    if table is TYPE_KEYWORDS:
        kept = keyword_spans(sentence)
        return {r.id for r in TYPE_KEYWORDS
                if any(k.type == r.label and r.regex.fullmatch(sentence[k.start:k.end]) for k in kept)}
    return {r.id for r in table if r.regex.search(sentence)}


def test_every_rule_has_examples_both_ways():
    for table in TABLES:
        for rule in table:
            assert rule.fires_on and rule.not_on, f"{table.name}:{rule.id} needs a sentence it fires on and one it must not"


def test_rule_ids_are_unique_and_priorities_explicit():
    for table in TABLES:
        ids = [r.id for r in table]
        assert len(ids) == len(set(ids)), table.name
        assert all(isinstance(r.priority, int) for r in table)


@pytest.mark.parametrize(("table", "rule", "sentence"), list(_cases("fires_on")))
def test_rule_fires_on_its_examples(table: RuleTable, rule: Rule, sentence: str):
    assert rule.id in _decided_by(table, sentence)


@pytest.mark.parametrize(("table", "rule", "sentence"), list(_cases("not_on")))
def test_rule_does_not_fire_on_its_near_misses(table: RuleTable, rule: Rule, sentence: str):
    assert rule.id not in _decided_by(table, sentence)


def test_priority_not_list_order_decides():
    """A table's rules are applied by priority, whatever order they were written in."""
    low = Rule("low", "low", r"\bpact\b", priority=1, fires_on=("a pact",), not_on=("x",))
    high = Rule("high", "high", r"\bsigned\s+a\s+pact\b", priority=9, fires_on=("signed a pact",), not_on=("x",))
    for order in ([low, high], [high, low]):
        hit = RuleTable("t", order).decide("They signed a pact.")
        assert hit is not None and hit.rule.id == "high"


def test_duplicate_rule_ids_are_refused():
    rule = Rule("same", "x", r"x", priority=1)
    with pytest.raises(ValueError, match="duplicate"):
        RuleTable("t", [rule, rule])


@pytest.mark.parametrize(("table", "rule", "sentence"), [c for c in _cases("fires_on") if c.values[1].anchor])
def test_anchor_is_in_every_example_the_rule_fires_on(table: RuleTable, rule: Rule, sentence: str):
    """A rule's anchor pre-filters sentences: it must be found wherever the rule fires."""
    import re

    assert re.search(rf"\b(?:{rule.anchor})", sentence.lower())


def _casings(sentence: str) -> list[str]:
    return [sentence, sentence.upper(), sentence.lower(), sentence.title(), sentence.swapcase()]


@pytest.mark.parametrize(("table", "rule", "sentence"), list(_cases("fires_on")) + list(_cases("not_on")))
def test_a_rule_finds_the_same_spans_in_the_lowercased_text(table: RuleTable, rule: Rule, sentence: str):
    """Rules are searched in an ASCII text's lowercased copy without re.I where kg.text.caseless
    allows it: the spans must be those of the case-insensitive pattern, in any casing."""
    for text in filter(str.isascii, _casings(sentence)):
        regex, subject = rule.searcher(text, text.lower())
        assert [m.span() for m in regex.finditer(subject)] == [m.span() for m in rule.regex.finditer(text)]


@pytest.mark.parametrize("pattern", [r"[A-Z]\w+", r"(?-i:MOU)s?", r"(?i)pact", r"\x41", r"[!-~]+", "\u017f", "\u212a"])
def test_caseless_refuses_a_pattern_lowering_could_change(pattern: str):
    """An uppercase letter, an inline flag, a character by number, a range beyond a-z, and the
    long s and Kelvin sign (which re.I equates with 's' and 'k') keep re.I."""
    assert caseless(pattern) is None


@pytest.mark.parametrize(("table", "rule", "sentence"), list(_cases("fires_on")) + list(_cases("not_on")))
def test_candidates_are_the_rules_whose_anchor_stands_in_the_text(table: RuleTable, rule: Rule, sentence: str):
    """The table's one search for all anchor words picks the rules that testing each anchor picks."""
    for text in _casings(sentence):
        assert table._candidates(text) == [r for r in table if r.may_match(text.lower())]


@pytest.mark.parametrize("text", ["US troops stationed in the ", "the military junta in ", "threats posed by ",
                                  "after a visit to ", "the war in ", "Zürich's troops in ", "signed on Monday in ",
                                  "tensions with ", "imports of grain from ", " LNG exports", " national team",
                                  " Zürich team", "  oil giant", "It took effect in May", " it was signed",
                                  "and another with Chile", "agreed in principle", "Negotiations — in Zürich", ""])
def test_a_yes_or_no_pattern_answers_as_re_i_does(text: str):
    """IgnoreCase.found searches an ASCII text's lowercased copy without re.I: the same answer
    as the case-insensitive pattern, in any casing."""
    for pattern in (parties._HOST, parties._RULERS_IN, parties._LOCATION_BEFORE, parties._COMPANY_NOUN,
                    extractor._ANAPHOR, extractor._TALKS):
        for casing in _casings(text):
            assert pattern.found(casing) == (pattern.regex.search(casing) is not None), (pattern.regex.pattern, casing)


_RELEVANCE_TEXTS = [
    "Freedonia and Sylvania signed a pact.", "The impact was small.", "It was done in 2019.", " it was done.",
    "Sylvania became the 7th partner.", "an ideal partner", "a free-trade zone", "They held talks.", "one with Chile",
    "Nothing here at all.", "the deal's terms", "(it) took effect", "It took effect.", "a pre-deal meeting", "",
]


@pytest.mark.parametrize("text", _RELEVANCE_TEXTS)
def test_word_start_pattern_finds_what_the_plain_alternation_finds(text: str):
    """The extractor's relevance test (one trie of anchor words behind (?<!\\w)) answers as the
    plain r"\\b(?:...)" alternation of the same patterns does."""
    patterns = (TRIGGERS.prefilter(), r"\d{1,2}(?:st|nd|rd|th)|latest", r"\b(?:talks|in\s+principle)",
                r"\b(?:one|another)\s+(?:with|to)\b|^\s*(?:it|which)\s+(?:\w+\s+)?(?:has|was|took)\b")
    plain = re.compile(r"\b(?:" + "|".join(patterns) + ")")
    for casing in _casings(text):
        lowered = casing.lower()
        assert (word_start_pattern(patterns).search(lowered) is None) == (plain.search(lowered) is None), lowered
