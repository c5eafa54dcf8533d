"""Sentences: split an article's text into sentence spans (abbreviations, initials and
hard-wrapped lines kept together)."""

from __future__ import annotations

import calendar
import re
from typing import Iterable

Span = tuple[int, int]

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "jr", "sr", "st", "hon", "gen", "lt", "col", "maj", "sgt", "capt",
    "adm", "gov", "sen", "rep", "rev", "prof", "no", "nos", "co", "corp", "inc", "ltd", "vs",
    "etc", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "h.e", "h.m", "approx",
    "dept", "est", "fig", "op", "vol", "art", "sept",
} | {m.lower()[:3] for m in calendar.month_name if m} | {m.lower() for m in calendar.month_abbr if m}

#: The longest span analysed as one sentence. The longest real sentence in the corpora has about
#: 600 characters; a longer span is a list or a text without punctuation, and is cut (after a
#: comma or semicolon, else at a space) so that the work spent on one sentence stays bounded and
#: the time to analyse a text grows with its length only.
MAX_SENTENCE_CHARS = 2000

#: From the first mark of a run only: "!!!!" is tried once, not from each of its marks.
_AFTER_MARK = r"(?<![.!?]{2})[.!?]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])"
_SENT_END = re.compile(r"[.!?]" + _AFTER_MARK)
_SENT_END_DOT = re.compile(r"\." + _AFTER_MARK)  # the same in a text without '!' or '?'
_LINE_JOIN_WORDS = {"and", "the", "of", "with", "a", "an", "to", "in", "on", "for", "between", "by"}


def _protected(text: str, dot: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation or an initial, not a sentence."""
    j = dot
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower().strip(".")
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    if word.isdigit() and len(word) <= 2 and (j == 0 or text[j - 1] == "\n"):
        return True  # a numbered list item: "1. Agreement between ..."
    # single-letter initials ("Ferdinand R. Marcos") and dotted acronyms ("U.S.", "H.E.")
    return len(word) == 1 and word.isalpha() or ("." in word and len(word) <= 5)


def _blocks(text: str) -> Iterable[tuple[int, int]]:
    """Spans of text between line breaks, joining hard-wrapped lines of one paragraph; a blank
    line is none (a line before a blank one is never wrapped: a blank line is a block of its own)."""
    start = pos = 0
    lines = text.split("\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        end = pos + len(line)
        pos = end + 1 if i < last else end  # after the line break
        stripped = line.rstrip()
        if not stripped:
            start = pos
        # (the tests of a wrapped line in the order of their cost)
        elif (
            i == last
            or stripped[-1] in ".!?:\"”’)]"
            or not (nxt := lines[i + 1].lstrip())  # (a blank line next)
            or not (
                (len(stripped) > 50 and nxt[:1].islower())
                or stripped.rsplit(" ", 1)[-1].lower() in _LINE_JOIN_WORDS
            )
        ):
            yield start, end
            start = pos
        if pos >= len(text):
            break
    if start < len(text):
        yield start, len(text)


def _pieces(text: str, a: int, b: int, limit: int) -> Iterable[Span]:
    """``text[a:b]`` in pieces of at most ``limit`` characters, each cut in its second half after a
    comma or semicolon when there is one, else after a space."""
    while b - a > limit:
        low, high = a + limit // 2, a + limit
        cut = max(text.rfind(", ", low, high), text.rfind("; ", low, high)) + 1
        if cut <= 0:
            cut = max(text.rfind(" ", low, high), text.rfind("\n", low, high)) + 1
        if cut <= 0:
            cut = high  # no space at all: a hard cut
        yield a, cut
        a = cut
    yield a, b


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """Character spans of the sentences of ``text``, stripped of surrounding whitespace; a
    sentence longer than ``max_chars`` comes in pieces no longer than that.

    >>> t = "Mr. Kim met Ms. Lee. They signed the U.S. pact in Tokyo.\\nNext line"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Mr. Kim met Ms. Lee.', 'They signed the U.S. pact in Tokyo.', 'Next line']
    """
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        pos = b_start
        block = text[b_start:b_end]
        # a block whose only mark is '.' (most) is searched for '.' first: ``re`` finds a literal
        # first character fast, a class of three one character at a time; only for a '.' before its
        # last two characters (a sentence's end is followed by a space and a character)
        ends = (_SENT_END if "!" in block or "?" in block
                else _SENT_END_DOT if block.find(".", 0, len(block) - 2) >= 0 else None)
        if ends is not None:
            for m in ends.finditer(block):
                dot = b_start + m.start()
                if text[dot] == "." and _protected(text, dot):
                    continue
                spans.append((pos, b_start + m.end()))
                pos = b_start + m.end()
        spans.append((pos, b_end))
    out = []
    for span in spans:
        for a, b in _pieces(text, *span, max_chars) if span[1] - span[0] > max_chars else (span,):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((a, b))
    return out

