"""Clauses: cut a sentence into clauses at subordinating conjunctions, strong punctuation and
coordinated verb phrases, so that each clause carries one status."""

from __future__ import annotations

import re

Span = tuple[int, int]

# Clause boundaries: subordinating conjunctions and strong punctuation. "as" only when it
# does not start "as well as", "as part of", ...; coordinated verb phrases ("... and has agreed").
#: Each boundary with the words a sentence must contain for it to be tried (a cheap test first).
_BREAKS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    ((";", ":", "—", "–"), re.compile(r"\s*[;:—–]\s+")),
    ((" -",), re.compile(r"\s+-{1,2}\s+")),
    ((" amid ", " while ", " whereas ", " although ", " though ", " despite ", " because ", " where ", " when ",
      " after which "),
     re.compile(r",?\s+(?:amid|while|whereas|although|though|despite|because|where|when|after\s+which)\s+")),
    ((" since ", " after ", " before ", " until "),
     re.compile(r",?\s+(?:since|after|before|until)\s+(?=(?:[A-Z][\w.-]*\s+(?:and\s+)?){1,4}(?:has|have|had|was|were|is|are|[a-z]+ed"
                r"|fought|won|met|held|began|took|came|went|made|struck|became|saw|left|led|sent|broke|lost)\b)")),
    ((" as ",),
     re.compile(r"(?<!such)(?<!so)(?<!as\swell)(?<!known)(?<!same)\s+as\s+(?!well\b|part\b|of\b|a\s+result\b|such\b|soon\b|long\b|much\b|many\b|far\b|if\b|though\b)(?=[a-z]+\s+(?:\w+\s+){0,3}?(?:has|have|had|is|are|was|were|shared|expressed|faces?|said|says|continue[sd]?)\b)")),
    ((" and ",),
     # one "and" before both look-aheads: re tries it once at each space, not once per look-ahead
     re.compile(r"\s+and\s+(?=(?:has|have|had|is|are|was|were|will|also|then|later|agreed|signed|reached|started|began|launched)\b"
                r"|(?:talks|negotiations|discussions)\s+(?:are|were|is|have|had|began|started|also|still)\b)")),
]
#: The same, each word list one search (faster than testing the words one by one).
_BREAK_TESTS = [(re.compile("|".join(map(re.escape, words))), pattern) for words, pattern in _BREAKS]
_COMMA_VP = re.compile(r",\s+(?=(?:is|are|has|have|had|was|were)\s+(?:also\s+|now\s+|already\s+|still\s+)?[a-z]+(?:ed|ing)\s)")
_HAS_VERB = re.compile(r"\b(?:is|are|has|have|had|was|were|will|signed|agreed|reached|concluded|negotiat\w+)\b", re.I)
_COMMA_AND = re.compile(r",\s+and\s+(?=(?:\S+\s+){0,4}?(?:has|have|had|is|are|was|were|will|agreed|signed|reached|started|began|said|says|told|added|took|came|went|became|[a-z]+ed)\b)")


#: A dash between two names inside an agreement's name: "the NATO - EU Agreement on ...", "the
#: Memorandum of Understanding Brazil – Sweden on Cooperation in Defence Matters".
_NAME_BEFORE_DASH = re.compile(r"(?:\b[A-Z][a-z]+|\b[A-Z]{2,})\s*$")
_NAME_AFTER_DASH = re.compile(
    r"[A-Z][\w.]*\s+(?:(?:[A-Z][\w.]*\s+){0,2}(?:Agreement|Treaty|Pact|Accord|agreement|treaty|pact|accord|deal)\b"
    r"|(?:on|of|for)\s+[A-Z])")


def _inside_name(sentence: str, a: int, b: int) -> bool:
    return (sentence[a:b].strip() in ("-", "–", "—", "--") and bool(_NAME_BEFORE_DASH.search(sentence, 0, a))
            and bool(_NAME_AFTER_DASH.match(sentence, b)))


def split_clauses(sentence: str) -> list[Span]:
    """Character spans of the clauses of a sentence.

    >>> s = "Spain has signed a pact with Portugal, is negotiating one with France; talks go on."
    >>> [s[a:b] for a, b in split_clauses(s)]
    ['Spain has signed a pact with Portugal', 'is negotiating one with France', 'talks go on.']
    """
    flat = sentence.replace("\n", " ").replace("\t", " ").replace("\r", " ")  # the tests look for spaced words
    cuts = {(m.start(), m.end()) for words, pattern in _BREAK_TESTS if words.search(flat)
            for m in pattern.finditer(sentence)}
    if ", and " in flat:
        cuts |= {(m.start(), m.end()) for m in _COMMA_AND.finditer(sentence)}
    if ", " in flat:
        # "Spain has signed ... with Portugal, is negotiating one with France": a second verb
        # phrase, but not "Tokyo, for its part, has concluded"
        cuts |= {(m.start(), m.end()) for m in _COMMA_VP.finditer(sentence)
                 if _HAS_VERB.search(sentence[:m.start()].rsplit(";", 1)[-1])}
    if not cuts:
        return [(0, len(sentence))] if sentence else []
    spans, pos = [], 0
    for a, b in sorted(cuts):
        if a < pos or _inside_name(sentence, a, b):
            continue
        spans.append((pos, a))
        pos = b
    spans.append((pos, len(sentence)))
    return [(a, b) for a, b in spans if b > a]
