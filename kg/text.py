"""Text that is safe to show (no Unicode controls that reorder what a reader sees), and fast
case-insensitive search (:func:`caseless`).

The bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) make
a line display in another order than it is stored ("Trojan Source", CVE-2021-42574): a
sentence in a CSV cell or in the view could read as something the article did not say. News
text never needs them (right-to-left scripts display correctly without them), so loaders drop
them from articles and every export and the view drop them from what they show. The marks
U+200E/U+200F/U+061C, which only nudge neutral characters, are kept.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

#: The embedding, override and isolate controls, as ranges for a regular expression class.
BIDI_CONTROL_RANGES = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROL_RANGES}]")


def without_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override and isolate controls.

    >>> without_bidi_controls("signed (\\u202etxet\\u202c)")
    'signed (txet)'
    """
    return BIDI_CONTROLS.sub("", text)


# -- fast case-insensitive matching -----------------------------------------------------------

_ESCAPE = re.compile(r"\\(.)", re.S)
_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")
_CHARACTER_CLASS = re.compile(r"\[\^?\]?[^\]]*\]")


def caseless(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` compiled without ``re.I``, to search the lowercased copy of an ASCII text, or
    None when that could find other matches than ``re.compile(pattern, re.I)`` in the text itself.

    Why: Python's ``re`` under ``re.I`` folds every character it compares and cannot skip ahead
    to a literal, so the same search is two to four times slower. Lowercasing an ASCII text
    keeps every offset, and a pattern whose letters are all lowercase literals (or classes
    lowering does not change: ``\\w``, ``\\s``, ``[a-z]``) matches the lowercased text exactly
    where it matches the text case-insensitively. The test is conservative: an uppercase
    letter, an inline flag, a numeric escape, a range outside ``a-z`` and ``0-9`` or a
    non-ASCII character that ``re.I`` equates with an ASCII one each give None.

    >>> caseless(r"\\bsign(?:ed|s)?\\s+(?P<span>[a-z]+)").search("Tokyo SIGNED IT".lower()).span()
    (6, 15)
    >>> caseless(r"(?-i:MOU)s?") is None, caseless(r"[A-Z]\\w+") is None
    (True, True)
    """
    if re.search(r"\\[0-9NuUx]", pattern):
        return None  # a character by its number: it could be an uppercase letter
    bare = _ESCAPE.sub(lambda m: "_" if m.group(1).isascii() else m.group(1), _GROUP_NAME.sub("(", pattern))
    if _INLINE_FLAGS.search(bare) or re.search(r"[A-Z]", bare):
        return None
    if not all(_lowercase_ranges(c.group()) for c in _CHARACTER_CLASS.finditer(bare)):
        return None
    if any(not c.isascii() and _equates_with_ascii(c) for c in set(bare)):
        return None
    return re.compile(pattern)


class IgnoreCase:
    """A case-insensitive pattern for yes-or-no tests: :meth:`found` searches the lowercased copy
    of an ASCII text without ``re.I`` when :func:`caseless` allows (two to four times faster),
    else the text with ``re.I``; both give the same answer.

    >>> host = IgnoreCase(r"\\btroops\\s+in\\s+$")
    >>> host.found("US TROOPS in "), host.found("Troupes in "), host.found("Zürich's TROOPS in ")
    (True, False, True)
    """

    def __init__(self, pattern: str) -> None:
        self.regex = re.compile(pattern, re.I)
        self._lowered = caseless(pattern)

    def found(self, text: str) -> bool:
        if self._lowered is not None and text.isascii():
            return self._lowered.search(text.lower()) is not None
        return self.regex.search(text) is not None


def _lowercase_ranges(character_class: str) -> bool:
    """Every range of a ``[...]`` class (its escapes made ``_``) lies in ``a-z`` or ``0-9``."""
    body = character_class[1:-1].removeprefix("^")
    body = body[1:] if body.startswith("]") else body
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = body[i], body[i + 2]
            if not ("a" <= low <= high <= "z" or "0" <= low <= high <= "9"):
                return False
            i += 3
        else:
            i += 1
    return True


def _equates_with_ascii(char: str) -> bool:
    """``re.I`` matches ``char`` with some ASCII character ('ſ' with 's', the Kelvin sign with 'k')."""
    pattern = re.compile(re.escape(char), re.I)
    return any(pattern.fullmatch(chr(code)) for code in range(128))


def trie_pattern(keys: Iterable[str], atom: Callable[[str], str] = re.escape, after_first: str = "") -> str:
    """One regex alternation of many literal keys, shaped as a trie so it is fast (Python's
    ``re`` tries the branches of a plain alternation one by one at every position).

    Greedy optional branches make it match the longest key at each position; ``atom`` gives
    the pattern of one character of a key; ``after_first`` stands after the first character of
    every key (a look-behind there, rather than before the keys, lets ``re`` skip straight to
    the characters a key starts with).

    >>> trie_pattern(["sign", "signed", "ink"])
    '(?:ink|sign(?:ed)?)'
    >>> trie_pattern(["UK", "US"], after_first="(?<!x.)")
    'U(?<!x.)(?:K|S)'
    """
    trie: dict = {}
    for key in sorted(keys):
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict, head: str = "") -> str:
        terminal = "" in node
        branches = [atom(ch) + head + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return "(?:" + body + ")?"
        return body

    return emit(trie, after_first)
