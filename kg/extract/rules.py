"""Rules as data: a pattern with an id, a label, an explicit priority and the sentences it must
and must not fire on, and the small engine that applies a table of them.

In the manner of spaCy's ``SpanRuler``: adding a construction is a row in a table (and its
examples), never a new branch in the engine. The examples of every table run as tests
(``tests/test_rules.py``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, Iterable, Iterator, NamedTuple, TypeVar

from kg.text import caseless, trie_pattern

L = TypeVar("L")


@dataclass(frozen=True)
class Rule(Generic[L]):
    """One pattern of a rule table.

    Attributes:
        id: unique name, used in tests and in explanations.
        label: what the rule decides (a status, an agreement type, a marker kind, ``None`` for
            a blocker that only masks other rules).
        pattern: a regular expression.
        priority: where two rules of a table match overlapping text, the higher priority wins;
            ties go to the rule listed first.
        fires_on: sentences the rule must decide.
        not_on: near misses the rule must not decide.
        weak: a fallback: it decides only when no other rule of the table matched at all.
        case_sensitive: by default patterns ignore case.
        presupposed: the status is presupposed by the words the rule matches ("finish the talks"
            says talks are under way), so urging or hoping for something does not undo it.
        anchor: a cheap pattern of lowercase word beginnings, one of which every text the rule
            matches contains; a table's pre-filter is the union of its anchors (the pattern
            itself when none), searched in the lowercased text.

    A pattern with a group named ``span`` matches with its context but covers only that group
    (a look-behind of any width: "signed the (?P<span>[A-Z]{3,8})").
    """

    id: str
    label: L
    pattern: str
    priority: int
    fires_on: tuple[str, ...] = ()
    not_on: tuple[str, ...] = ()
    weak: bool = False
    case_sensitive: bool = False
    anchor: str = ""
    presupposed: bool = False

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, 0 if self.case_sensitive else re.I)

    @cached_property
    def lowered_regex(self) -> re.Pattern[str] | None:
        """The pattern for the lowercased copy of an ASCII text, where ``re.I`` can be left out
        (:func:`kg.text.caseless`; None for a case-sensitive rule or one it cannot prove)."""
        return None if self.case_sensitive else caseless(self.pattern)

    @cached_property
    def anchor_regex(self) -> re.Pattern[str] | None:
        return re.compile(rf"\b(?:{self.anchor})") if self.anchor else None

    @cached_property
    def anchor_words(self) -> tuple[str, ...] | None:
        """The anchor as plain substrings, when it is only an alternation of words."""
        if not self.anchor or not re.fullmatch(r"[a-z -]+(?:\|[a-z -]+)*", self.anchor):
            return None
        return tuple(self.anchor.split("|"))

    def may_match(self, lowered: str) -> bool:
        """False when the rule cannot match: its anchor is not in the (lowercased) text."""
        if self.anchor_words is not None:  # substring tests: fast, and never wrongly False
            return any(w in lowered for w in self.anchor_words)
        return self.anchor_regex is None or self.anchor_regex.search(lowered) is not None


@dataclass(frozen=True)
class Hit(Generic[L]):
    """Where a rule matched."""

    rule: Rule[L]
    start: int
    end: int
    text: str

    @property
    def label(self) -> L:
        return self.rule.label


def stands_for_itself(rule: Rule[L]) -> bool:
    """Whether a pre-filter of the lowercased text can use the rule's own pattern, searched without
    ``re.I`` in a text that holds the one the rule is searched in (a sentence for a clause):
    it ignores case and lowering an ASCII text keeps its matches (:func:`kg.text.caseless`),
    and it has no look-around and no start or end anchor, so a match in a piece of a text cut
    where a word ends or starts (at a space or a punctuation mark) is a match in the text.

    >>> stands_for_itself(Rule("r", "x", r"\\bpacts?\\b", 1)), stands_for_itself(Rule("r", "x", r"\\bpact(?!\\s+talks)", 1))
    (True, False)
    """
    return (not rule.case_sensitive and rule.lowered_regex is not None
            and _SEES_PAST_ITS_MATCH.search(rule.pattern) is None)


#: A look-around, a start or end anchor or a non-boundary: what a pattern with one matches
#: depends on text outside its match. (Any '^' counts, a class's too: a pattern is refused
#: sooner than wrongly accepted.)
_SEES_PAST_ITS_MATCH = re.compile(r"\(\?<?[=!]|\\[ABZ]|[$^]")


def word_start_pattern(patterns: Iterable[str]) -> re.Pattern[str]:
    """``re.compile(r"\\b(?:p1|p2|...)")`` for a lowercased text, made faster, where each
    alternative of the patterns starts with a word character or ``^`` (where ``\\b`` and
    ``(?<!\\w)`` are the same).

    Why: ``re`` tries every alternative at every word boundary, the end of each word included.
    ``(?<!\\w)`` rejects the ends of words first, and the alternatives that are plain words
    (``pact``, ``free-trade``) form one trie (:func:`kg.text.trie_pattern`) instead of being tried
    one by one; the others keep a ``\\b`` of their own.

    >>> test = word_start_pattern([r"pact|deal", r"\\d{1,2}th", r"^\\s*it\\s+was"])
    >>> [bool(test.search(t)) for t in ("a pact", "impact", "the 7th", "it was", " it was", "ideal")]
    [True, False, True, True, False, False]
    """
    alternatives = [a for p in patterns for a in _alternatives(p)]
    words = {a for a in alternatives if _PLAIN_WORD.fullmatch(a)}
    rest = [a for a in alternatives if a not in words]
    branches = ([trie_pattern(words)] if words else []) + ([r"\b(?:" + "|".join(rest) + ")"] if rest else [])
    return re.compile(r"(?<!\w)(?:" + "|".join(branches) + ")")


#: An alternative that is a plain word: a letter, then letters, spaces or hyphens.
_PLAIN_WORD = re.compile(r"[a-z][a-z -]*")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern.

    >>> _alternatives(r"a|b(?:c|d)|[|(]e|\\|f")
    ['a', 'b(?:c|d)', '[|(]e', '\\\\|f']
    """
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":  # a class: its "|" and parentheses are literal
            i = _CLASS.match(pattern, i).end() - 1  # type: ignore[union-attr]
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")


def _span(m: re.Match[str], text: str, spanned: bool) -> tuple[int, int, str]:
    """Where a match covers ``text`` (its ``span`` group when its pattern has one, ``spanned``,
    and the group took part), and the text it covers there (the match may be of the lowercased
    copy)."""
    a, b = m.span("span") if spanned and m.start("span") >= 0 else m.span()
    return a, b, text[a:b]


class _Compiled(NamedTuple, Generic[L]):
    """A rule with what searching it needs: its pattern, the pattern for the lowercased copy of
    an ASCII text (:attr:`Rule.lowered_regex`) and whether it has a ``span`` group."""

    rule: Rule[L]
    regex: re.Pattern[str]
    lowered_regex: re.Pattern[str] | None
    spanned: bool


#: The most anchor combinations a table remembers the rules of (then it starts again).
_MAX_CHOSEN = 4096


@dataclass(frozen=True)
class _AnchorIndex:
    """Which rules of a table a text may match, by the places of the rules in the table."""

    finder: re.Pattern[str] | None  # finds the longest anchor word at each position of a text
    places_of: dict[str, frozenset[int]]  # a word found: the rules anchored by it or by a word it starts with
    tested: frozenset[int]  # rules whose anchor is a pattern, searched one by one
    always: frozenset[int]  # rules without an anchor


@dataclass
class RuleTable(Generic[L]):
    """An ordered-by-priority set of rules with unique ids."""

    name: str
    rules: list[Rule[L]] = field(default_factory=list)

    def __post_init__(self) -> None:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError(f"rule table {self.name}: duplicate rule ids")
        # highest priority first; stable for ties, so a table's order breaks them
        self.rules = sorted(self.rules, key=lambda r: -r.priority)

    def add(self, rules: Iterable[Rule[L]]) -> None:
        self.rules = sorted([*self.rules, *rules], key=lambda r: -r.priority)
        for cached in ("_anchors", "_compiled", "_chosen"):
            self.__dict__.pop(cached, None)
        self.__post_init__()

    def prefilter(self, own_patterns: bool = False) -> str:
        """A pattern (case-insensitive) found in every text some rule of the table matches.

        Each rule stands in it by its anchor, or with ``own_patterns`` by its own pattern where
        that pattern can stand for it (:func:`stands_for_itself`): an anchor is only a word's
        beginning, and 'accord' begins 'according' as well as 'accords'.
        """
        return "|".join(r.pattern.replace("(?P<span>", "(?:") if (own_patterns and stands_for_itself(r)) or not r.anchor
                        else r.anchor for r in self.rules)

    def __iter__(self) -> Iterator[Rule[L]]:
        return iter(self.rules)

    def search(self, text: str) -> Hit[L] | None:
        """The first hit of the highest-priority rule that matches anywhere in ``text``."""
        lowered, caseless = text.lower(), text.isascii()
        for rule, regex, lowered_regex, spanned in self._compiled:
            m = lowered_regex.search(lowered) if caseless and lowered_regex else regex.search(text)
            if m:
                return Hit(rule, *_span(m, text, spanned))
        return None

    def finditer(self, text: str) -> Iterator[Hit[L]]:
        """Every non-empty match of every rule (unordered, overlaps kept)."""
        lowered, caseless = text.lower(), text.isascii()
        for rule, regex, lowered_regex, spanned in self._candidates_in(lowered):
            matches = lowered_regex.finditer(lowered) if caseless and lowered_regex else regex.finditer(text)
            for m in matches:
                if m.end() > m.start():
                    yield Hit(rule, *_span(m, text, spanned))

    def masked(self, text: str, skip: tuple[int, int] | None = None) -> list[Hit[L]]:
        """Non-overlapping hits in text order: a higher-priority hit masks lower ones it
        overlaps; nothing inside ``skip`` is taken."""
        taken: list[Hit[L]] = []  # by start; they do not overlap, so their ends are in order too
        starts: list[int] = []
        lowered, caseless = text.lower(), text.isascii()
        for rule, regex, lowered_regex, spanned in self._candidates_in(lowered):
            matches = lowered_regex.finditer(lowered) if caseless and lowered_regex else regex.finditer(text)
            for m in matches:
                a, b, covered = _span(m, text, spanned)
                if b == a or (skip and skip[0] < b and a < skip[1]):
                    continue
                i = bisect.bisect_left(starts, b)  # taken[i - 1] is the last that starts before b
                if i and taken[i - 1].end > a:
                    continue
                taken.insert(i, Hit(rule, a, b, covered))
                starts.insert(i, a)
        return taken

    def _candidates(self, text: str) -> list[Rule[L]]:
        """The rules, by priority, whose anchor stands in ``text``."""
        return [c.rule for c in self._candidates_in(text.lower())]

    def _candidates_in(self, lowered: str) -> list[_Compiled[L]]:
        """The compiled rules, by priority, whose anchor stands in the lowercased text: one search
        finds every anchor word of the table at once. The rules that follow from the anchors
        found are remembered by those anchors (a table has few of them), not by the text."""
        anchors = self._anchors
        if anchors.finder is None and not anchors.tested:
            return self._compiled
        found = frozenset(anchors.finder.findall(lowered)) if anchors.finder is not None else frozenset()
        key = (found, tuple(i for i in anchors.tested if self.rules[i].may_match(lowered)))
        chosen = self._chosen.get(key)
        if chosen is None:
            if len(self._chosen) >= _MAX_CHOSEN:
                self._chosen.clear()
            places = set(anchors.always).union(key[1], *(anchors.places_of[w] for w in found))
            chosen = self._chosen[key] = [self._compiled[i] for i in sorted(places)]
        return chosen

    @cached_property
    def _compiled(self) -> list[_Compiled[L]]:
        """Each rule, by priority, with its patterns compiled once."""
        return [_Compiled(r, r.regex, r.lowered_regex, "span" in r.regex.groupindex) for r in self.rules]

    @cached_property
    def _chosen(self) -> dict[tuple[frozenset[str], tuple[int, ...]], list[_Compiled[L]]]:
        return {}

    @cached_property
    def _anchors(self) -> _AnchorIndex:
        words = {w for r in self.rules for w in (r.anchor_words or ())}
        return _AnchorIndex(
            re.compile(f"(?=({trie_pattern(words)}))") if words else None,
            {w: frozenset(i for i, r in enumerate(self.rules) if any(w.startswith(v) for v in r.anchor_words or ()))
             for w in words},
            frozenset(i for i, r in enumerate(self.rules) if r.anchor and r.anchor_words is None),
            frozenset(i for i, r in enumerate(self.rules) if not r.anchor),
        )

    def decide(self, text: str, skip: tuple[int, int] | None = None) -> Hit[L] | None:
        """The deciding hit: the first in text order that is not masked by a higher-priority
        overlapping one, blockers (label ``None``) excluded; weak rules only when nothing else."""
        hits = [h for h in self.masked(text, skip) if h.label is not None]
        plain = [h for h in hits if not h.rule.weak]
        pool = plain or hits
        return pool[0] if pool else None
