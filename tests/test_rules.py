"""Every rule of every extraction table fires on its own examples and not on its near misses.

Adding a construction is a row in a table plus its examples; this file then tests it without
change (in the manner of spaCy's pattern tests).
"""

from __future__ import annotations

import re

import pytest

from kg.extract.background import BACKGROUND_CUES
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
        # as RuleTable searches it: the lowercased copy with lowered_regex where the rule has one
        regex, subject = (rule.lowered_regex, text.lower()) if rule.lowered_regex else (rule.regex, text)
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


#: Sentences with agreement words where the pre-filter by the rules' own patterns may differ from
#: the one by anchors: words that only begin like a trigger, clauses that open with a pronoun for
#: the agreement, real triggers. Each follows a sentence that signs a pact (an anaphor continues it).
_ANCHOR_ONLY_TEXTS = [
    "Trade grew by ten percent, according to customs data.",
    "Several officials attended, and the treatment of detainees was raised.",
    "Conventional forces were discussed; dealers endorsed the plan.",
    "The visit went according to plan; it took effect in May.",
    "According to officials, which was confirmed on Friday, it took effect in May.",
    "The ministers met in Lima - it came into force on Tuesday.",
    "According to the minister’s office, it took effect in May.",
    "Chile severed military cooperation with Peru, according to officials.",
    "Both sides said the accords were signed, according to officials.",
    "Officials in Lima were dealing with a free trade zone, according to reports.",
]


@pytest.mark.parametrize("text", _ANCHOR_ONLY_TEXTS)
def test_relevance_by_own_patterns_skips_only_sentences_with_nothing_to_analyse(text: str, monkeypatch):
    """The extractor's relevance test uses the triggers' own patterns where they can stand in for
    them (words that only begin like one, 'according', are skipped): every article gives the
    same claims and counts as with the test by anchors alone, in five casings, ASCII or not."""
    from kg.extract import Extractor
    from kg.loaders import load_text

    def analysed(body: str) -> tuple:
        article = load_text("Chile and Peru signed a logistics pact on Monday. " + body, file="case.txt")
        got = Extractor().analyse(article)
        return got.claims, got.counts

    for casing in _casings(text):
        by_own_patterns = analysed(casing)
        with monkeypatch.context() as patched:
            patched.setattr(extractor, "_RELEVANT", extractor._AGREEMENT_WORDS)
            assert analysed(casing) == by_own_patterns, casing


def test_relevance_by_own_patterns_skips_words_that_only_begin_like_a_trigger():
    """'according', 'several', 'treatment': an anchor's word, not a trigger; 'accords' and a
    clause that opens with 'it took effect' stay relevant (the test above would pass on a
    relevance test that skipped nothing)."""
    def relevant(text: str) -> bool:
        return extractor._RELEVANT.search(text.lower()) is not None

    assert not relevant(_ANCHOR_ONLY_TEXTS[0]) and not relevant(_ANCHOR_ONLY_TEXTS[1])
    assert relevant(_ANCHOR_ONLY_TEXTS[3]) and relevant(_ANCHOR_ONLY_TEXTS[7]) and relevant(_ANCHOR_ONLY_TEXTS[8])


@pytest.mark.parametrize(("pattern", "stands"), [
    (r"\bpacts?\b", True), (r"\bfree[- ]trade\s+(?:area|zone)s?\b", True), (r"\bpact(?!\s+talks)", False),
    (r"(?<=[a-z] )pact", False), (r"^\W*these\s+are", False), (r"pact\B", False), (r"[^.]{0,9}pact", False),
    (r"\b(?-i:MOU)s?\b", False),
])
def test_a_rule_stands_for_itself_only_without_look_arounds_or_anchors(pattern: str, stands: bool):
    from kg.extract.rules import stands_for_itself

    assert stands_for_itself(Rule("r", "x", pattern, 1)) is stands
    assert stands_for_itself(Rule("r", "x", r"\bpacts?\b", 1, case_sensitive=True)) is False


def test_several_is_no_anchor_of_the_terminated_cue():
    """'sever' anchored 'severed', the cue's only word that begins so; 'several' (a frequent word)
    no longer makes the table search the costly terminated pattern."""
    assert "terminated" not in [r.id for r in STATUS_CUES._candidates("Chile signed pacts with several countries.")]
    assert "terminated" in [r.id for r in STATUS_CUES._candidates("Chile severed the pact with Peru.")]
    assert status_cue("Chile severed the pact with Peru.").status.value == "terminated"


@pytest.mark.parametrize("text", [
    "under the Agreement signed between Chile and Peru on May 2, 2012, the two",
    "the treaty of friendship concluded by Chile and Peru in 2000 remains",
    "the MoU inked last year", "a pact ratified in 2001 has lapsed", "it was signed by both sides",
    "Chile signed the pact with Peru", "the accord signed in Zürich’s old town", "signed\nby the ministers",
    "the deal, concluded by the two governments, took effect", "",
])
def test_reduced_relative_cue_finds_what_the_pattern_alone_finds(text: str):
    """reduced_relative_cue searches the full pattern only where its verb and the word after it
    stand: the same match (span and groups) as the pattern alone, in five casings."""
    from kg.extract.status import REDUCED_RELATIVE_CUE, reduced_relative_cue

    def key(m: re.Match[str] | None) -> tuple | None:
        return m and (m.span(), m.groups())

    for casing in _casings(text):
        assert key(reduced_relative_cue(casing)) == key(REDUCED_RELATIVE_CUE.search(casing)), casing
    assert (reduced_relative_cue(text) is not None) == (text[:5] in ("under", "the t", "the M", "a pac", "the a"))


# -- the shared search for anchor words, and the tests it allows --------------------------------

#: Phrases written for these tests: anchor words inside other words ("design", "impact",
#: "nothing"), at a text's edges, in capitals, with non-ASCII letters (among them the three that
#: re.I equates with an ASCII letter lowering does not give: 'İ', 'ı', 'ſ').
_ANCHOR_PHRASES = [
    "Chile signed a pact with Peru.", "The design had an impact on the ideal retreat.", "pact", "",
    "The seventh partner, after Chile and Peru.", "These are Chile, Peru and Ghana.", "The only predecessor is Chile.",
    "The 21st such agreement, not a treaty.", "They reached no agreement with the view of Peru.",
    "The leaders issued a joint statement, rather than an accord.", "Nothing in the SECOND deal was signed.",
    "Zürich hosted the signing of the pact, not a treaty.", "Chile and Peru issued a JOİNT STATEMENT.",
    "Chile and Peru issued a joınt ſtatement, inſtead of a pact.", "The ſeventh partner, after Peru.",
    "ThEſe are Chile and Peru.", "The pact was signed. Nothing else was signed.",
]


def _every_rule_search(table: RuleTable, text: str) -> tuple | None:
    """RuleTable.search without any pre-filter: every rule, by priority, searched with re.I."""
    for rule in table:
        m = rule.regex.search(text)
        if m:
            a, b = m.span("span") if "span" in rule.regex.groupindex and m.start("span") >= 0 else m.span()
            return rule.id, a, b
    return None


@pytest.mark.parametrize("text", _ANCHOR_PHRASES)
def test_search_by_anchors_finds_what_every_rule_finds(text: str):
    """search() tries only the rules whose anchor stands in the text (where lowering cannot hide
    one): the hit of searching every rule, in five casings."""
    for table in (BACKGROUND_CUES, NOT_AGREEMENTS, *TABLES):
        for casing in _casings(text):
            hit = table.search(casing)
            assert (hit and (hit.rule.id, hit.start, hit.end)) == _every_rule_search(table, casing), (table.name, casing)


@pytest.mark.parametrize("text", _ANCHOR_PHRASES)
def test_find_triggers_tests_the_clause_once_as_each_window_did(text: str):
    """find_triggers skips the windows around its triggers when the clause holds no anchor word of
    a non-agreement phrase: the triggers of searching every window with every rule."""
    for casing in _casings(text):
        every_window = [h for h in TRIGGERS.masked(casing)
                        if _every_rule_search(NOT_AGREEMENTS, casing[max(0, h.start - 20):h.end + 20]) is None]
        assert find_triggers(casing) == every_window, casing


def test_a_phrase_the_clause_test_lets_through_is_still_masked():
    """The test that would fail if may_match_within said no too often, or find_triggers ignored it."""
    assert NOT_AGREEMENTS.may_match_within("a truce, not a peace treaty")
    assert not NOT_AGREEMENTS.may_match_within("a truce and a peace treaty")
    assert NOT_AGREEMENTS.may_match_within("a truce, ınſtead of a treaty")  # lowering keeps 'ı' and 'ſ'
    assert [h.text for h in find_triggers("The war ended in a truce, not a peace treaty, and a pact.")] == ["pact"]
    assert [h.text for h in find_triggers("They issued a joınt ſtatement and a pact.")] == ["pact"]


def test_tables_asked_about_one_text_after_another_see_each_text():
    """The last text's scan is kept by the object, not its content: a table asked about a second
    text (equal or not) gets that text's rules, and a table made later adds its words."""
    first, second = "Chile signed a pact.", "Talks on the treaty continue."
    assert TRIGGERS._candidates(first) and STATUS_CUES._candidates(first)
    signed = [r.id for r in STATUS_CUES._candidates(first)]
    assert [r.id for r in STATUS_CUES._candidates(second)] == [r.id for r in STATUS_CUES if r.may_match(second.lower())] != signed
    assert [r.id for r in STATUS_CUES._candidates("".join(["Chile signed ", "a pact."]))] == signed
    late = RuleTable("late", [Rule("zebra", "z", r"\bzebras?\b", 1, anchor="zebra")])
    assert [r.id for r in late._candidates(first)] == [] and [r.id for r in late._candidates("A ZEBRA.")] == ["zebra"]
    assert late.search("two zebras").text == "zebras" and late.search(first) is None


def test_an_anchor_of_words_and_a_pattern_picks_the_rule_by_either():
    """An anchor with plain words and a pattern: the words go to the shared search, the pattern
    is searched on its own."""
    table = RuleTable("mixed", [Rule("year", "y", r"\b(?:in|of)\s+(?:19|20)\d\d\b|\bin\s+the\s+\d+[-–]", 1,
                                     anchor=r"in |of |the\s+\d")])
    rule = table.rules[0]
    assert rule.anchor_words == ("in ", "of ") and rule.anchor_regex is not None
    assert [r.id for r in table._candidates("signed in 2019")] == ["year"]
    assert [r.id for r in table._candidates("the 1990-")] == ["year"]
    assert table._candidates("signed 2019") == [] and table._candidates("breathe 5 times") == []  # not where a word begins


def _every_rule_masked(table: RuleTable, text: str) -> list[tuple]:
    """RuleTable.masked without any pre-filter: every rule, by priority, searched with re.I."""
    taken: list[tuple] = []
    for rule in table:
        for m in rule.regex.finditer(text):
            a, b = m.span("span") if "span" in rule.regex.groupindex and m.start("span") >= 0 else m.span()
            if b > a and not any(s < b and a < e for _, s, e in taken):
                taken.append((rule.id, a, b))
    return sorted(taken, key=lambda t: t[1])


#: ('İ', 'ı' and 'ſ' hide an anchor word from the lowercased text: masked() has always left out the
#: rules of such a word, and still does, so those phrases are not among these.)
_WORD_START_PHRASES = [
    *(p for p in _ANCHOR_PHRASES if not re.search("[\u0130\u0131\u017f]", p)), "(pact) signed", "co-signed the pact", "the pact's terms", "signed in 2019 and in 1990s",
    "Freedonia—signed—a treaty", "the treaty in force since 2001", "they put off signing; talks resumed",
    "the unsigned agreement", "a defence-cooperation agreement", "They are close to an agreement in principle.",
]


@pytest.mark.parametrize("text", _WORD_START_PHRASES)
def test_masked_by_anchor_words_at_word_beginnings_finds_what_every_rule_finds(text: str):
    """The shared search finds anchor words only where a word begins (after a character that is
    not a word character, or at the start): the rules it leaves out match nothing, in five casings."""
    for table in (*TABLES, BACKGROUND_CUES):
        for casing in _casings(text):
            got = [(h.rule.id, h.start, h.end) for h in table.masked(casing)]
            assert got == _every_rule_masked(table, casing), (table.name, casing)
            assert table._candidates(casing) == [r for r in table if r.may_match(casing.lower())], (table.name, casing)


def test_prepare_compiles_every_table_once():
    """rules.prepare() (called by Extractor()) compiles every table's patterns and the shared search
    up front, so the first article does not pay for them; a table made later is compiled too."""
    from kg.extract import rules

    late = RuleTable("late-prepared", [Rule("walrus", "w", r"\bwalrus\b", 1, anchor="walrus")])
    rules.prepare()
    for table in (*TABLES, BACKGROUND_CUES, late):
        assert "_compiled" in table.__dict__ and "_index" in table.__dict__, table.name
        assert all("regex" in r.__dict__ for r in table), table.name
    assert rules._ANCHOR_WORDS._finder is not None and "walrus" in rules._ANCHOR_WORDS.words


def test_a_table_made_by_unpickling_finds_its_anchor_words():
    """A table sent to another process arrives without running its constructor: its anchor words
    join that process's shared search all the same."""
    import pickle

    from kg.extract import rules

    table = RuleTable("pickled", [Rule("okapi", "o", r"\bokapis?\b", 1, anchor="okapi")])
    assert table.search("an okapi") is not None  # used first: its index travels with it
    data = pickle.dumps(table)
    rules._ANCHOR_WORDS.words.discard("okapi")  # as in a process that never made the table
    rules._ANCHOR_WORDS._finder = rules._ANCHOR_WORDS._last = None
    assert [h.text for h in pickle.loads(data).masked("Two OKAPIS grazed.")] == ["OKAPIS"]


def test_texts_with_other_words_but_the_same_rules_share_the_rules_chosen():
    """The rules for a combination of words are remembered by their places: 'signed' and
    'signing' (both anchor words of the same rules, or not) give each text exactly the rules
    its words anchor."""
    table = RuleTable("bits", [Rule("sign", "s", r"\bsign\w*", 2, anchor="sign"),
                               Rule("pact", "p", r"\bpacts?\b", 1, anchor="pact|accord"),
                               Rule("any", "a", r"\bzz\b", 0)])
    assert [r.id for r in table._candidates("They signed.")] == ["sign", "any"]
    assert [r.id for r in table._candidates("A pact, signing it.")] == ["sign", "pact", "any"]
    assert [r.id for r in table._candidates("An accord, signed.")] == ["sign", "pact", "any"]
    assert [r.id for r in table._candidates("An accord.")] == ["pact", "any"]
    assert [r.id for r in table._candidates("Nothing.")] == ["any"]
    assert table._prepared("A pact, signing it.")[2] is table._prepared("An accord, signed.")[2]


#: Anchors written for the test: plain words (one a prefix of another, with a space, with a
#: hyphen, digits), a pattern, and both.
_MAY_MATCH_ANCHORS = ["pact", "sign|signed|ink", "each other|come|aid", "free-trade|19|20", r"the\s+\S+[-–]",
                      r"under|the\s+\S+[-–]|19"]


@pytest.mark.parametrize("anchor", _MAY_MATCH_ANCHORS)
def test_may_match_answers_as_the_anchor_searched_from_word_beginnings(anchor: str):
    """may_match searches a trie of the anchor's words, each with a look-behind after its first
    character: the answer of ``\\b(?:anchor)`` on phrases with the words inside other words, at
    the edges, after punctuation and non-ASCII letters, in five casings."""
    rule = Rule("r", "x", r"\bzz\b", 1, anchor=anchor)
    phrases = ["a pact", "impact", "pact", "(pact)", "ünpact", "_pact", "signed", "designed", "resign", "inked",
               "they come to each other's aid", "eachother", "welcome", "said", "a free-trade deal", "freetrade",
               "in 1990", "the 2019-2020 deal", "x1990", "under the Japan-US pact", "thunder", "the  UK–US", "",
               "sign", "in", "the", "Zürich\u00a0signed", "ıN 2019"]
    for phrase in phrases:
        for lowered in {c.lower() for c in _casings(phrase)}:
            assert rule.may_match(lowered) == (re.search(rf"\b(?:{anchor})", lowered) is not None), (anchor, lowered)


#: Phrases for the rules tried only where their leading words stand: a word found twice, inside
#: a match, inside other words ("cosigned", "impact"), one found word beginning another ("sign",
#: "signed"), matches next to each other, at the edges.
_LEADING_PHRASES = [
    "sign here, then signed it: cosigned, and SIGN", "pact pact pact", "pacts, pacts and impacts", "signed",
    "They signed the ACSA and signed an RAA.", "Talks ended military cooperation; it ended all security co-operation",
    "a pact that has a pact in it", "has an agreement, had agreements, have pacts", "x", "",
]


def test_rules_whose_matches_start_with_their_anchor_words_are_known():
    """leading_words is the anchor when each alternative starts with \\b and a literal beginning
    with an anchor word, and None when a match can start elsewhere."""
    assert next(r for r in TRIGGERS if r.id == "agreement-noun").leading_words is not None
    assert next(r for r in TRIGGERS if r.id == "signed-acronym").leading_words is not None
    for rule_id in ("will-sign", "talks-agreed", "ordinal-to-sign", "in-force", "existing-agreement"):
        assert next(r for r in STATUS_CUES if r.id == rule_id).leading_words is None, rule_id
    assert Rule("r", "x", r"\bpact|impact", 1, anchor="pact").leading_words is None
    assert Rule("r", "x", r"\b(?:co)?signed", 1, anchor="signed").leading_words is None
    assert Rule("r", "x", r"\bsigns?|\bs", 1, anchor="sign").leading_words is None
    assert Rule("r", "x", r"\b(?:signed|inked)", 1, anchor="sign").leading_words is None  # 'inked' is not anchored


@pytest.mark.parametrize(("table", "rule", "sentence"), [c for c in list(_cases("fires_on")) + list(_cases("not_on"))
                                                         if c.values[1].leading_words is not None])
def test_every_match_starts_with_a_leading_word(table: RuleTable, rule: Rule, sentence: str):
    for text in [*_casings(sentence), *_LEADING_PHRASES]:
        for m in rule.regex.finditer(text):
            lowered = text.lower()
            assert lowered.startswith(rule.leading_words, m.start()) and (m.start() == 0 or not lowered[m.start() - 1].isalnum()), (rule.id, text)


@pytest.mark.parametrize("long", [0, 300])
@pytest.mark.parametrize("text", [*_LEADING_PHRASES, " and ".join(_LEADING_PHRASES * 2)])
def test_rules_tried_at_their_leading_words_find_what_every_rule_finds(text: str, long: int, monkeypatch):
    """In a long text, a rule whose matches start with its anchor words is tried only where they
    stand: the hits of searching every rule everywhere, in five casings, for the tables and for
    rules written for the test (one case-sensitive); every text counted as long, and as usual."""
    from kg.extract import rules

    monkeypatch.setattr(rules, "_LONG", long)
    rules._ANCHOR_WORDS._last = None
    made = RuleTable("leading", [Rule("two", "t", r"\bpact\w*\s+pacts?", 3, anchor="pact"),
                                 Rule("sign", "s", r"\b(?:signed|sign)\b\s*\w*", 2, anchor="sign"),
                                 Rule("caps", "c", r"\b(?:signed|sign)\s+(?P<span>[A-Z]+)", 1, anchor="sign", case_sensitive=True),
                                 Rule("has", "h", r"\b(?:has|had|have)\s+\w+", 0, anchor="has|had|have")])
    assert all(r.leading_words for r in made)
    for table in (made, TRIGGERS, STATUS_CUES, TYPE_KEYWORDS, NOT_AGREEMENTS):
        for casing in _casings(text):
            got = [(h.rule.id, h.start, h.end) for h in table.masked(casing)]
            assert got == _every_rule_masked(table, casing), (table.name, casing)
            every = sorted((r.id, *m.span()) for r in table for m in r.regex.finditer(casing) if m.end() > m.start()
                           and "span" not in r.regex.groupindex)
            assert sorted((h.rule.id, h.start, h.end) for h in table.finditer(casing)
                          if "span" not in h.rule.regex.groupindex) == every, (table.name, casing)
            hit = table.search(casing)
            assert (hit and (hit.rule.id, hit.start, hit.end)) == _every_rule_search(table, casing), (table.name, casing)


_SPACED = [(table, rule, word) for table in [*TABLES, BACKGROUND_CUES] for rule in table
           for word in rule.anchor_words if " " in word.strip()]


def test_some_anchor_words_have_a_space():
    assert _SPACED  # what the next test covers


@pytest.mark.parametrize("space", ["\n", "  ", "\t", " \n "])
@pytest.mark.parametrize(("table", "rule", "word"), _SPACED, ids=lambda x: getattr(x, "id", None) or str(x))
def test_an_anchor_word_with_a_space_stands_for_any_whitespace(table, rule, word, space):
    # "in force" is the anchor of a rule whose pattern says in\s+force: the line of a wrapped text
    # may end between the two words, or a page put two spaces there
    bare = f"they said {word.strip().replace(' ', space)} now"  # the anchor word alone tells the rule is a candidate
    assert rule in table._candidates(bare) and rule.may_match(bare.lower())
    examples = [e for e in rule.fires_on if word in e.lower()]
    for example in examples:
        i = example.lower().index(word)
        spaced = example[:i] + example[i:i + len(word)].replace(" ", space) + example[i + len(word):]
        assert any(h.rule.id == rule.id for h in table.finditer(example))
        assert any(h.rule.id == rule.id for h in table.finditer(spaced)), spaced
        assert rule.may_match(spaced.lower())


def test_a_wrapped_line_between_the_words_of_a_status_keeps_the_claim():
    from kg.extract import extract
    from kg.loaders import make_article

    lead = ("Officials from both governments met in the capital on Tuesday to review the\n"
            "progress of their work on maritime security and disaster relief.\n")
    for space in (" ", "\n", "  ", "\t"):
        text = lead + f"Chile and Peru said their logistics pact is now in{space}force, officials said."
        claims = extract(make_article("x.txt", text))
        assert [(c.party_a, c.party_b, c.status) for c in claims] == [("CHL", "PER", "in_force")], space
