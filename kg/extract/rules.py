"""Rules as data: a pattern with an id, a label, an explicit priority and the sentences it must
and must not fire on, and the small engine that applies a table of them.

In the manner of spaCy's ``SpanRuler``: adding a construction is a row in a table (and its
examples), never a new branch in the engine. The examples of every table run as tests
(``tests/test_rules.py``).
"""

from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Callable, Generic, Iterable, Iterator, NamedTuple, TypeVar

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
            itself when none), searched in the lowercased text. A space in an alternative that
            is a plain word stands for any whitespace, as ``\\s+`` does in the patterns.

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
    def anchor_words(self) -> tuple[str, ...]:
        """The alternatives of the anchor that are plain words (letters, digits, spaces, hyphens),
        found by the search all tables share (:class:`_AnchorWords`)."""
        return tuple(a for a in _alternatives(self.anchor) if _ANCHOR_WORD.fullmatch(a)) if self.anchor else ()

    @cached_property
    def anchor_regex(self) -> re.Pattern[str] | None:
        """The other alternatives of the anchor, as a pattern searched from word beginnings."""
        rest = self._anchor_rest
        return re.compile(rf"\b(?:{rest})") if rest else None

    @cached_property
    def anchor_hint(self) -> re.Pattern[str] | None:
        """:attr:`anchor_regex` without its ``\\b``, searched first: where a pattern starts with a
        literal, ``re`` skips straight to it (a ``\\b`` before it makes ``re`` try every position)."""
        rest = self._anchor_rest
        return re.compile(f"(?:{rest})") if rest else None

    @cached_property
    def leading_words(self) -> tuple[str, ...] | None:
        """The anchor words every match starts with, when the pattern shows it: each of its
        alternatives starts with ``\\b`` and a literal word (its leading groups spread out) that
        begins with one of the anchor's plain words. None when it does not show it (the anchor
        stands later in a match, or in a look-around, or the pattern is too involved to tell).

        >>> Rule("r", "x", r"\\b(?:signed|inked)\\s+(?:the|an?)\\s+[A-Z]+|\\bpacts?\\b", 1, anchor="sign|ink|pact").leading_words
        ('sign', 'ink', 'pact')
        >>> Rule("r", "x", r"\\b(?:will|to)\\s+sign\\b", 1, anchor="sign").leading_words is None
        True
        """
        if not self.anchor_words:
            return None
        literals = [lit for a in _alternatives(self.pattern) for lit in _leading_literals(a)]
        if not literals or not all(lit is not None and lit.lower().startswith(self.anchor_words) for lit in literals):
            return None
        return self.anchor_words

    @cached_property
    def _anchor_rest(self) -> str:
        return "|".join(a for a in _alternatives(self.anchor) if not _ANCHOR_WORD.fullmatch(a)) if self.anchor else ""

    def may_match(self, lowered: str) -> bool:
        """False when the rule cannot match: its anchor does not stand at a word's beginning in
        the (lowercased) text."""
        return self._anchor_search is None or self._anchor_search(lowered) is not None

    @cached_property
    def _anchor_search(self) -> Callable[[str], re.Match[str] | None] | None:
        """``re.compile(rf"\\b(?:{anchor})").search``, compiled once and faster: the anchor's plain
        words form a trie whose first characters ``re`` skips to, each with a look-behind after
        it that does what ``\\b`` does before a word character (:func:`kg.text.trie_pattern`);
        the other alternatives are :attr:`anchor_regex`."""
        if not self.anchor:
            return None
        words = [trie_pattern(self.anchor_words, _anchor_atom, after_first=r"(?<!\w.)")] if self.anchor_words else []
        rest = [self.anchor_regex.pattern] if self.anchor_regex is not None else []
        return re.compile("|".join(words + rest)).search


#: An alternative of an anchor that is a plain word, found by the shared search for anchor words.
_ANCHOR_WORD = re.compile(r"[a-z0-9][a-z0-9 -]*")


def _anchor_atom(ch: str) -> str:
    """The pattern of one character of an anchor word: a space stands for any whitespace, as
    ``\\s+`` does in the rules' patterns ("in force" stands in "in\\nforce" of a wrapped line)."""
    return r"\s+" if ch == " " else re.escape(ch)


#: A run of whitespace in an anchor word found, written as the word is: one space.
_SPACES = re.compile(r"\s+")


class Hit(NamedTuple, Generic[L]):
    """Where a rule matched. (A named tuple: the tables make one for every match, and a tuple is
    made in a third of the time a frozen dataclass takes.)"""

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

    kg no longer searches with it: :class:`WordStarts` (the extractor's sentence gates, faster
    still) are tested against it, as the plain form of what they answer.

    >>> test = word_start_pattern([r"pact|deal", r"\\d{1,2}th", r"^\\s*it\\s+was"])
    >>> [bool(test.search(t)) for t in ("a pact", "impact", "the 7th", "it was", " it was", "ideal")]
    [True, False, True, True, False, False]
    """
    alternatives = [a for p in patterns for a in _alternatives(p)]
    words = {a for a in alternatives if _ANCHOR_WORD.fullmatch(a)}
    rest = [a for a in alternatives if a not in words]
    branches = ([trie_pattern(words)] if words else []) + ([r"\b(?:" + "|".join(rest) + ")"] if rest else [])
    return re.compile(r"(?<!\w)(?:" + "|".join(branches) + ")")



#: A regular expression's special characters, and the quantifiers that can follow an atom.
_SPECIAL, _QUANTIFIERS = frozenset("\\.^$*+?{}[]|()"), frozenset("*+?{")
#: What a pattern must not hold for its alternatives to be spread out: a named group or a
#: back reference (copies of the rest would repeat or renumber them), a conditional.
_NOT_SPREAD = re.compile(r"\(\?P|\(\?\(|\\[1-9]")


def _first_literal(alternative: str) -> str | None:
    """The character an alternative starts with when it is a plain one, not quantified."""
    if alternative and alternative[0] not in _SPECIAL and alternative[1:2] not in _QUANTIFIERS:
        return alternative[0]
    return None


#: A leading ``\d`` that matches at least one digit (``\d+``, ``\d{1,2}``; not ``\d*``, ``\d?``, ``\d{0,2}``).
_DIGIT_FIRST = re.compile(r"\\d(?:[^*?{]|\{[1-9]|$)")


def _word_character_first(alternative: str) -> bool:
    """Whether an alternative starts with a plain letter, digit or "_", or with at least one ``\\d``."""
    c = _first_literal(alternative)
    return _DIGIT_FIRST.match(alternative) is not None or c is not None and c.isascii() and (c.isalnum() or c == "_")


def _spread(alternative: str, word_start: bool = False) -> list[str]:
    """Alternatives that, together, match where ``alternative`` does, with a leading group
    (optional or not) spread out: "(?:a|b)c" as "ac" and "bc", "(?:a)?b" as "ab" and "b". At a
    word's beginning (``word_start``), a leading ``\\b`` goes where each of them starts with a
    letter or a digit."""
    if word_start and alternative.startswith("\\b"):
        spread = _spread(alternative[2:], word_start)
        if all(_word_character_first(a) for a in spread):
            return spread  # at a word's beginning, a word character has \b before it
        return [alternative]
    if alternative.startswith("(?:") and not _NOT_SPREAD.search(alternative):
        inner, close = top_level(alternative, 3)
        after = alternative[close + 1:close + 2]
        if after == "?" and alternative[close + 2:close + 3] not in ("?", "+"):
            return [a for x in [*inner, ""] for a in _spread(x + alternative[close + 2:], word_start)]
        if after not in _QUANTIFIERS:
            return [a for x in inner for a in _spread(x + alternative[close + 1:], word_start)]
    return [alternative]


def _trie(alternatives: list[str], word_start: bool = False) -> str:
    """The alternatives as one pattern, those that start with the same plain character under
    one branch: ``re`` skips a branch by its first character without entering it."""
    branches: dict[str, list[str]] = {}
    others = []
    for a in dict.fromkeys(x for alternative in alternatives for x in _spread(alternative, word_start)):
        c = _first_literal(a)
        if c is None:
            others.append(a)
        else:
            branches.setdefault(c, []).append(a[1:])
    out = []
    for c, rests in branches.items():
        rest = _trie(rests) if len(rests) > 1 else rests[0]
        out.append(c + (f"(?:{rest})" if len(top_level(rest)[0]) > 1 else rest))
    return "|".join(out + others)


class WordStarts:
    """Whether a lowercased text has a match of one of some patterns at a word's beginning:
    ``word_start_pattern(patterns).search(lowered)``, three to four times faster.

    Why: ``re`` enters a pattern that starts with a look-behind at every character of the text.
    A pattern that starts with a space is entered only after the spaces (``re`` finds them as
    fast as ``str.find``); the words after other marks and at the start of the text are tried
    by two more patterns, the marks of an ASCII text by a class ``re`` tests as a bitmap. The
    alternatives form one trie, so that a word is tried only against those with its first
    letter.

    >>> gate = WordStarts([r"pact|deal", r"\\d{1,2}th", r"^\\s*it\\s+was"])
    >>> [bool(gate.search(t)) for t in ("a pact", "impact", "the 7th", "it was", " it was", "(deal", "ideal")]
    [True, False, True, True, False, True, False]
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        # word_start_pattern's \b before each (where it matters: "^\\s*it" does not match " it")
        body = _trie([rf"\b(?:{a})" for p in patterns for a in top_level(p)[0]], word_start=True)
        self.at_start = re.compile(f"(?:{body})")
        self.after_space = re.compile(f" (?:{body})")
        self.after_mark = re.compile(rf"[^\w ](?:{body})")
        self.after_ascii_mark = re.compile(rf"[\x00-\x1f!-/:-@\[-^`{{-\x7f](?:{body})")  # [^\w ] of ASCII

    def search(self, lowered: str) -> re.Match[str] | None:
        """A match at a word's beginning (with the space or mark before it, when there is one)."""
        return (self.at_start.match(lowered) or self.after_space.search(lowered)
                or (self.after_ascii_mark if lowered.isascii() else self.after_mark).search(lowered))


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern.

    >>> _alternatives(r"a|b(?:c|d)|[|(]e|\\|f")
    ['a', 'b(?:c|d)', '[|(]e', '\\\\|f']
    """
    return top_level(pattern)[0]


def top_level(pattern: str, start: int = 0) -> tuple[list[str], int]:
    """The top-level alternatives of ``pattern[start:]`` up to the parenthesis that closes the
    group it is in (or the end), and where that parenthesis is (or the end).

    >>> top_level(r"(?:a|b[)|]c)?d", 3)
    (['a', 'b[)|]c'], 11)
    """
    out, depth, i = [], 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":  # a class: its "|" and parentheses are literal
            i = _CLASS.match(pattern, i).end() - 1  # type: ignore[union-attr]
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:i]], i


_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")


def _leading_literals(alternative: str) -> list[str | None]:
    """The literal words an alternative of a pattern starts with, after a ``\\b``: one for each
    way its leading groups can begin (None for a way that starts with no ``\\b`` and letters).

    >>> _leading_literals(r"\\b(?:ended|end)\\s+(?:all\\s+)?co-?op"), _leading_literals(r"\\btreat(?:y|ies)\\b")
    (['ended', 'end'], ['treat'])
    >>> _leading_literals(r"\\b(?:(?:agreed|agree)\\s+)?to"), _leading_literals(r"(?<=[a-z] )[A-Z]"), _leading_literals(r"\\bpacts?")
    ([None], [None], ['pact'])
    """
    if not alternative.startswith("\\b"):
        return [None]
    return _literals_after_boundary(alternative[2:])


def _literals_after_boundary(rest: str) -> list[str | None]:
    if rest.startswith("(?:"):
        inner = _group_body(rest)
        if inner is None or rest[len(inner) + 4:len(inner) + 5] in ("?", "*", "+", "{"):
            return [None]  # an optional or repeated group: the literal may stand later
        after = rest[len(inner) + 4:]
        return [lit for branch in _alternatives(inner) for lit in _literals_after_boundary(branch + after)]
    word = _LITERAL_WORD.match(rest)
    literal = word.group() if word else ""
    if rest[len(literal):len(literal) + 1] in ("?", "*", "{"):
        literal = literal[:-1]  # the last letter is optional: the literal ends before it
    return [literal] if literal else [None]


#: Letters and digits a pattern matches literally (in either case: a case-sensitive rule's too).
_LITERAL_WORD = re.compile(r"[A-Za-z0-9]+")


def _group_body(pattern: str) -> str | None:
    """The body of the ``(?:...)`` group ``pattern`` starts with, or None when it does not close."""
    close = top_level(pattern, 3)[1]
    return pattern[3:close] if close < len(pattern) else None


def _matches_at(rx: re.Pattern[str], subject: str, starts: list[int]) -> list[re.Match[str]]:
    """``rx.finditer(subject)`` for a pattern whose every match starts at one of ``starts``: each
    tried there, the next after the end of the last match (as finditer goes on). Why: ``re``
    tries a pattern that starts with ``\\b`` at every position of a text; most texts hold one or
    two of the words its matches start with."""
    out = []
    end = 0
    for p in starts:
        if p >= end:
            m = rx.match(subject, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def _word_starts(lowered: str, word: str) -> list[int]:
    """Where ``word`` stands at a word's beginning in the lowercased copy of an ASCII text (a
    space in it: any whitespace)."""
    if " " in word:
        pattern = r"(?<!\w)" + "".join(map(_anchor_atom, word))
        return [m.start() for m in re.finditer(pattern, lowered)]
    out = []
    i = lowered.find(word)
    while i >= 0:
        if i == 0 or not (lowered[i - 1].isalnum() or lowered[i - 1] == "_"):
            out.append(i)
        i = lowered.find(word, i + 1)
    return out


def _span(m: re.Match[str], text: str, spanned: bool) -> tuple[int, int, str]:
    """Where a match covers ``text`` (its ``span`` group when its pattern has one, ``spanned``,
    and the group took part), and the text it covers there (the match may be of the lowercased
    copy)."""
    a, b = m.span("span") if spanned and m.start("span") >= 0 else m.span()
    return a, b, text[a:b]


class _Compiled(NamedTuple, Generic[L]):
    """A rule with what searching it needs: its pattern, the pattern for the lowercased copy of
    an ASCII text (:attr:`Rule.lowered_regex`), whether it has a ``span`` group and the anchor
    words its matches start with (:attr:`Rule.leading_words`)."""

    rule: Rule[L]
    regex: re.Pattern[str]
    lowered_regex: re.Pattern[str] | None
    spanned: bool
    leading: tuple[str, ...] | None


#: The most combinations of rules a table remembers (then it starts again).
_MAX_CHOSEN = 4096


class _Scan(NamedTuple):
    """A text as the rule tables search it: its lowercased copy, whether it is ASCII (then rules
    search the copy without ``re.I``) and the anchor words of every table that stand in it."""

    text: str
    lowered: str
    ascii: bool
    found: list[str]  # the longest anchor word at each word beginning where one stands (once each in a long text)
    long: bool  # an ASCII text long enough that rules are tried only where their matches can start
    starts: dict[tuple[str, ...], list[int]]  # where words with these beginnings begin (filled when asked)

    def starts_of(self, leading: tuple[str, ...]) -> list[int]:
        """Where the words found that begin with one of ``leading`` stand, in text order (an ASCII
        text's): where every match of a rule whose matches start with them starts."""
        at = self.starts.get(leading)
        if at is None:
            words = {w for w in self.found if w.startswith(leading)}
            at = [i for w in words for i in _word_starts(self.lowered, w)]
            if len(words) > 1:
                at = sorted(set(at))  # (a word found may begin another: "sign", "signed")
            self.starts[leading] = at
        return at


class _AnchorWords:
    """The anchor words of every rule table, found in a text by one search the tables share.

    Why: the extractor asks the triggers, the status cues and the type keywords about the same
    clause; one search for the words of all of them replaces one per table. The last text's
    scan is kept by the identity of the text object, not by its content: the next table asked
    about the same object reuses it, and any other text is scanned anew.

    The search finds the longest word at each word beginning (it stands for the words it
    begins with): it skips to the characters that are not word characters (a fifth of a text's,
    where ``re`` compares one set) and looks for the words only after them.
    """

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._finder: re.Pattern[str] | None = None
        self._last: _Scan | None = None

    def add(self, words: Iterable[str]) -> None:
        new = set(words) - self.words
        if new:
            self.words |= new
            self._finder = self._last = None

    @property
    def finder(self) -> re.Pattern[str] | None:
        """Finds the longest word at each word beginning of a lowercased text that starts with a
        space (``scan`` adds one, so the text's first word has a character before it too)."""
        if self._finder is None and self.words:
            self._finder = re.compile(rf"\W(?=({trie_pattern(self.words, _anchor_atom)}))")
        return self._finder

    def scan(self, text: str) -> _Scan:
        last = self._last
        if last is not None and last.text is text:
            return last
        lowered, finder = text.lower(), self.finder
        ascii = text.isascii()
        long = ascii and len(text) > _LONG
        found = finder.findall(" " + lowered) if finder is not None else []
        words = self.words
        found = [w if w in words else _SPACES.sub(" ", w) for w in found]  # "in\nforce" is "in force"
        if long:
            found = list(dict.fromkeys(found))  # (an article repeats its words: the tables go through them)
        self._last = last = _Scan(text, lowered, ascii, found, long, {})
        return last


_ANCHOR_WORDS = _AnchorWords()

#: A text longer than this is long: a rule whose matches start with its anchor words is tried
#: only where they stand (:meth:`_Scan.starts_of`; a whole article's agreement nouns, in
#: ``types.named_types``). In a clause, searching the pattern is as fast.
_LONG = 300

#: The characters ``re.I`` equates with an ASCII letter that lowering does not make that letter
#: ('İ' becomes 'i' and a combining dot, 'ı' and 'ſ' stay): an anchor word written with one of
#: them is not in the lowercased text, though the rule matches.
_UNLOWERED = re.compile("[\u0130\u0131\u017f]")

#: Every rule table made (weakly held): what :func:`prepare` compiles.
_TABLES: list[weakref.ref[RuleTable]] = []


def prepare() -> None:
    """Compile the patterns of every rule table and the shared search for their anchor words now,
    once (one-time setup: else the first texts searched pay for it)."""
    _TABLES[:] = [ref for ref in _TABLES if ref() is not None]
    for ref in _TABLES:
        table = ref()
        if table is not None:
            table._index
            table._compiled
            for word in _ANCHOR_WORDS.words:
                table._bits_of(word)
    _ANCHOR_WORDS.finder


@dataclass(frozen=True)
class _AnchorIndex:
    """Which rules of a table a text may match, by the places of the rules in the table."""

    words: dict[str, tuple[int, ...]]  # an anchor word of the table: the rules it anchors
    tested: tuple[tuple[int, re.Pattern[str], re.Pattern[str]], ...]  # rules with an anchor pattern: its hint and itself
    always: int  # rules without an anchor: a bit for each place
    unanchored: bool  # no rule has an anchor: every text is searched with every rule
    plain: bool  # every rule's anchor is only words: a text without them holds no match in any piece of it


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
        _ANCHOR_WORDS.add(w for r in self.rules for w in r.anchor_words)
        if not any(ref() is self for ref in _TABLES):
            _TABLES.append(weakref.ref(self))

    def __setstate__(self, state: dict) -> None:
        """Unpickled (sent to another process): its anchor words join that process's search."""
        self.__dict__.update(state)
        self.__post_init__()

    def add(self, rules: Iterable[Rule[L]]) -> None:
        self.rules = sorted([*self.rules, *rules], key=lambda r: -r.priority)
        for cached in ("_index", "_compiled", "_by_places", "_bits"):
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
        lowered, ascii, chosen, scan = self._prepared(text, exact=True)
        for rule, regex, lowered_regex, spanned, leading in chosen:
            rx, subject = (lowered_regex, lowered) if ascii and lowered_regex else (regex, text)
            if leading is not None and scan is not None and scan.long:
                m = next((m for m in map(rx.match, repeat(subject), scan.starts_of(leading)) if m), None)
            else:
                m = rx.search(subject)
            if m:
                return Hit(rule, *_span(m, text, spanned))
        return None

    def finditer(self, text: str) -> Iterator[Hit[L]]:
        """Every non-empty match of every rule (unordered, overlaps kept)."""
        lowered, ascii, chosen, scan = self._prepared(text)
        for rule, regex, lowered_regex, spanned, leading in chosen:
            rx, subject = (lowered_regex, lowered) if ascii and lowered_regex else (regex, text)
            matches = (_matches_at(rx, subject, scan.starts_of(leading)) if leading is not None and scan is not None
                       and scan.long else rx.finditer(subject))
            for m in matches:
                if m.end() > m.start():
                    yield Hit(rule, *_span(m, text, spanned))

    def masked(self, text: str, skip: tuple[int, int] | None = None) -> list[Hit[L]]:
        """Non-overlapping hits in text order: a higher-priority hit masks lower ones it
        overlaps; nothing inside ``skip`` is taken."""
        taken: list[Hit[L]] = []  # by start; they do not overlap, so their ends are in order too
        starts: list[int] = []
        lowered, ascii, chosen, scan = self._prepared(text)
        for rule, regex, lowered_regex, spanned, leading in chosen:
            rx, subject = (lowered_regex, lowered) if ascii and lowered_regex else (regex, text)
            matches = (_matches_at(rx, subject, scan.starts_of(leading)) if leading is not None and scan is not None
                       and scan.long else rx.finditer(subject))
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

    def may_match_within(self, text: str) -> bool:
        """False when no rule can match ``text`` or any piece of it: every rule's anchor is only
        words and none of them is in the text, even inside a word (a piece may begin there)."""
        index = self._index
        if not index.plain:
            return True
        scan = _ANCHOR_WORDS.scan(text)
        lowered = scan.lowered
        return (any(w in lowered if " " not in w else re.search("".join(map(_anchor_atom, w)), lowered) is not None
                    for w in index.words)
                or (not scan.ascii and _UNLOWERED.search(text) is not None))

    def _candidates(self, text: str) -> list[Rule[L]]:
        """The rules, by priority, whose anchor stands in ``text``."""
        return [c.rule for c in self._prepared(text)[2]]

    def _prepared(self, text: str, exact: bool = False) -> tuple[str, bool, list[_Compiled[L]], _Scan | None]:
        """The lowercased text, whether it is ASCII, the compiled rules, by priority, whose
        anchor stands in the lowercased text, and the scan that found them (None: every rule was
        chosen). One search finds the anchor words of every table at once (:class:`_AnchorWords`);
        the rules that follow from the words found are remembered by their places
        (:meth:`_choose`), not by the text.

        ``exact``: every rule where the lowercased text could hide an anchor from ``re.I``
        (:data:`_UNLOWERED`; ``masked`` and ``finditer`` have always left those out, so as not to
        change what they find)."""
        index = self._index
        if index.unanchored:
            return text.lower(), text.isascii(), self._compiled, None
        scan = _ANCHOR_WORDS.scan(text)
        if exact and not scan.ascii and _UNLOWERED.search(text):
            return scan.lowered, False, self._compiled, None
        tested = 0
        if index.tested:
            lowered = scan.lowered
            for i, hint, regex in index.tested:
                if hint.search(lowered) and regex.search(lowered):
                    tested |= 1 << i
        return scan.lowered, scan.ascii, self._choose(scan.found, tested), scan

    def _choose(self, found: list[str], tested: int) -> list[_Compiled[L]]:
        """The compiled rules, by priority, anchored by a word found (or by a word that one of
        them starts with: the longest word at each word beginning is found) or by a pattern found
        (``tested``, a bit for each place). They are remembered by their places, as bits: new
        texts bring new combinations of words, but few new combinations of rules."""
        places = self._index.always | tested
        bits = self._bits
        for w in found:
            b = bits.get(w)
            places |= self._bits_of(w) if b is None else b
        chosen = self._by_places.get(places)
        if chosen is None:
            if len(self._by_places) >= _MAX_CHOSEN:
                self._by_places.clear()
            chosen = self._by_places[places] = [c for i, c in enumerate(self._compiled) if places >> i & 1]
        return chosen

    def _bits_of(self, found: str) -> int:
        """A bit for the place of each rule anchored by a word that ``found`` (a word of any
        table) starts with."""
        bits = 0
        for w, places in self._index.words.items():
            if found.startswith(w):
                for i in places:
                    bits |= 1 << i
        self._bits[found] = bits
        return bits

    @cached_property
    def _compiled(self) -> list[_Compiled[L]]:
        """Each rule, by priority, with its patterns compiled once."""
        return [_Compiled(r, r.regex, r.lowered_regex, "span" in r.regex.groupindex, r.leading_words) for r in self.rules]

    @cached_property
    def _by_places(self) -> dict[int, list[_Compiled[L]]]:
        return {}

    @cached_property
    def _bits(self) -> dict[str, int]:
        return {}  # bounded by the anchor words of all tables

    @cached_property
    def _index(self) -> _AnchorIndex:
        words: dict[str, list[int]] = {}
        for i, r in enumerate(self.rules):
            for w in r.anchor_words:
                words.setdefault(w, []).append(i)
        return _AnchorIndex(
            {w: tuple(places) for w, places in words.items()},
            tuple((i, r.anchor_hint, r.anchor_regex) for i, r in enumerate(self.rules)
                  if r.anchor_hint is not None and r.anchor_regex is not None),
            sum(1 << i for i, r in enumerate(self.rules) if not r.anchor),
            all(not r.anchor for r in self.rules),
            all(r.anchor_words and r.anchor_regex is None for r in self.rules),
        )

    def decide(self, text: str, skip: tuple[int, int] | None = None) -> Hit[L] | None:
        """The deciding hit: the first in text order that is not masked by a higher-priority
        overlapping one, blockers (label ``None``) excluded; weak rules only when nothing else."""
        hits = [h for h in self.masked(text, skip) if h.label is not None]
        plain = [h for h in hits if not h.rule.weak]
        pool = plain or hits
        return pool[0] if pool else None
