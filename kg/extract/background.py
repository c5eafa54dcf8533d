"""Background agreements: earlier partners an article lists beside its main event.

* ordinals: "Sweden became the seventh logistics partner, after Chile, Peru and Ghana"; "the
  third such agreement for Norway, following the ones with Chile and Peru"; "Sweden is the
  second country with which Norway has such a pact. The only predecessor is Chile.";
* partner lists with dates: "accords with 12 countries: Chile (signed in 1990), Peru (1994)";
  "following Chile and Peru, which signed agreements on March 3 and 9, respectively";
* reference lists under a heading, one partner per line with a date;
* enumerations after a count: "Norway has such agreements with three states. These are Chile,
  Peru and Ghana."

Each listed partner gets a claim of its own (signed: the text tells it as an existing
agreement) with the party they all share, and its own date when the list gives one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.extract.dates import find_dates
from kg.extract.parties import MAX_PARTIES_PER_LIST
from kg.extract.rules import Rule, RuleTable
from kg.gazetteer import Mention

_ORDINALS = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
             r"|fourteenth|fifteenth|\d{1,2}(?:st|nd|rd|th)|latest|newest")

#: Cues of a background list. ``ordinal`` places one party in a row of partners; ``predecessor``
#: names the earlier ones of an ordinal told in the sentence before.
BACKGROUND_CUES: RuleTable[str] = RuleTable("background-cues", [
    Rule("ordinal-partner", "ordinal",
         rf"\b(?:the\s+)?(?:{_ORDINALS})\s+(?:[\w-]+\s+){{0,3}}?(?:partners?|countr(?:y|ies)|nations?|states?|signator(?:y|ies)"
         r"|(?:such\s+|similar\s+)?(?:agreements?|pacts?|deals?|accords?|treat(?:y|ies)|arrangements?))\b",
         priority=20, anchor=rf"{_ORDINALS}",
         fires_on=("For Norway, Sweden became the seventh logistics partner, after Chile, Peru and Ghana.",
                   "It is the third such agreement for Norway, following the ones with Chile and Peru."),
         not_on=("Sweden is the largest trading partner of Norway.",)),
    Rule("enumeration", "enumeration",
         r"^\W*(?:these|they|those)\s+(?:are|were|include[sd]?|being)\s+(?:the\s+)?",
         priority=15, anchor=r"these|they|those",
         fires_on=("These are Chile, Peru and Ghana.",),
         not_on=("They said the talks went well.",)),
    Rule("predecessor", "predecessor",
         r"^\W*(?:the\s+)?(?:only\s+|other\s+|two\s+|three\s+|earlier\s+|previous\s+)?(?:predecessors?|others?|earlier\s+ones?|previous\s+ones?)"
         r"\s+(?:is|are|was|were|being|include[sd]?)\s+",
         priority=10, anchor=r"predecessor|other|earlier|previous",
         fires_on=("The only predecessor is Chile, a close partner.",),
         not_on=("Officials said the predecessor government had refused.",)),
])

_PEER_LEAD = re.compile(
    r"\b(?:following|after|besides|joining|alongside)\s+(?:the\s+ones?\s+with\s+|those\s+with\s+"
    r"|(?:similar\s+|such\s+)?(?:deals|agreements|pacts|accords)\s+with\s+)?(?:the\s+)?$", re.I)
_HUB_LEAD = re.compile(r"(?:\bfor|\bwith|\bwith\s+which|\bwith\s+whom|\bof)\s+(?:the\s+)?$", re.I)
_ITEM_GLUE = re.compile(r"(?:\s*\([^()]{0,60}\))?\s*(?:,\s*(?:and\s+)?|,?\s+(?:and|as\s+well\s+as)\s+)(?:the\s+)?$", re.I)
_PAREN = re.compile(r"\s*\(([^()]{0,60})\)")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_DAY_RUN = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2})((?:\s*,\s*\d{1,2})*)\s*,?\s+and\s+(\d{1,2})\b(?!\s*(?:[A-Z]|,?\s*\d{4}))")
_YEAR_RUN = re.compile(r"\b((?:19|20)\d{2})((?:\s*,\s*(?:19|20)\d{2})*)\s*,?\s+and\s+((?:19|20)\d{2})\b")
_LIST_ITEM = re.compile(r"^\W{0,3}$")


@dataclass(frozen=True)
class Listed:
    """A party named in a list, with the date the list gives it ('' when none)."""

    code: str
    date: str = ""


def party_list(sentence: str, mentions: list[Mention], first: int, published: dt.date | None) -> tuple[list[Listed], int]:
    """The run of parties that starts at ``mentions[first]`` ("Chile (1990), Peru and Ghana
    (2001), and Italy"), each with the date of its own parenthetical, or of the next one when
    several share it (the first MAX_PARTIES_PER_LIST of them: a longer run is a roster); and the
    offset where the run ends."""
    run = [mentions[first]]
    for nxt in mentions[first + 1:]:
        if _ITEM_GLUE.fullmatch(sentence[run[-1].end:nxt.start]) and not run[-1].possessive:
            run.append(nxt)
        else:
            break
    pending: list[Mention] = []
    out: list[Listed] = []
    for m in run:
        pending.append(m)
        paren = _PAREN.match(sentence, m.end)
        if paren:
            found = find_dates(f"in {paren.group(1)}" if re.fullmatch(r"\s*(?:19|20)\d{2}\s*", paren.group(1)) else paren.group(1), published)
            value = found[0].value if found else ""
            out.extend(Listed(p.code, value) for p in pending)
            pending = []
    out.extend(Listed(p.code) for p in pending)
    end = run[-1].end
    paren = _PAREN.match(sentence, end)
    return _dedupe(out)[:MAX_PARTIES_PER_LIST], paren.end() if paren else end


def respectively(sentence: str, after: int, listed: list[Listed], published: dt.date | None) -> list[Listed]:
    """Dates told after a list with 'respectively' ("which signed on Dec. 18 and 19,
    respectively"), given to the parties in order when the counts agree."""
    tail = sentence[after:]
    if not _RESPECTIVELY.search(tail):
        return listed
    values: list[str] = []
    days = _DAY_RUN.search(tail)
    years = _YEAR_RUN.search(tail)
    if days:
        first = find_dates(f"{days.group(1)} {days.group(2)}", published)
        rest = [d for d in re.findall(r"\d{1,2}", days.group(3))] + [days.group(4)]
        if first and len(first[0].value) == 10:
            base = first[0].value[:8]
            values = [first[0].value] + [f"{base}{int(d):02d}" for d in rest]
    elif years:
        values = [years.group(1), *re.findall(r"\d{4}", years.group(2)), years.group(3)]
    if len(values) != len(listed):
        return listed
    return [Listed(p.code, p.date or v) for p, v in zip(listed, values)]


def peers_after(sentence: str, mentions: list[Mention], start: int, end: int,
                published: dt.date | None) -> tuple[list[Listed], int]:
    """The parties listed after 'following' or 'after' between ``start`` and ``end``."""
    for i, m in enumerate(mentions):
        if start <= m.start < end and _PEER_LEAD.search(sentence[max(start, m.start - 40):m.start]):
            listed, stop = party_list(sentence, mentions, i, published)
            return respectively(sentence, stop, listed, published), stop
    return [], start


def shared_party(sentence: str, mentions: list[Mention], ordinal_end: int, exclude: set[str]) -> str | None:
    """The party every listed partner shares, named around an ordinal: "For Norway, Sweden
    became ...", "... such agreement for Norway", "the 11th country to have an ACSA with Norway",
    "the second country with which Norway has such a pact"."""
    for m in mentions:
        if m.code in exclude:
            continue
        if m.start >= ordinal_end - 80 and _HUB_LEAD.search(sentence[max(0, m.start - 20):m.start]):
            return m.code
        if re.match(r"\W*for\s+(?:the\s+)?$", sentence[:m.start], re.I):
            return m.code
    return None


def item_party(sentence: str, mentions: list[Mention], published: dt.date | None) -> Listed | None:
    """A list line that names one party and perhaps its date: "- Chile (2004)", "Peru, 12 March
    2010", "Ghana: signed 1998"."""
    if not mentions or len(sentence) > 90 or not _LIST_ITEM.match(sentence[:mentions[0].start]):
        return None
    codes = {m.code for m in mentions}
    if len(codes) != 1:
        return None
    rest = sentence[mentions[-1].end:]
    if re.search(r"\b(?:is|are|was|were|has|have|had|will|said|says)\b", rest, re.I):
        return None  # a sentence, not a list line
    found = find_dates(rest if not re.fullmatch(r"\W*(?:19|20)\d{2}\W*", rest) else f"in {rest.strip(' ()-–,.:')}", published)
    return Listed(mentions[0].code, found[0].value if found else "")


def _dedupe(items: list[Listed]) -> list[Listed]:
    seen: dict[str, Listed] = {}
    for it in items:
        if it.code not in seen or (not seen[it.code].date and it.date):
            seen[it.code] = it
    return list(seen.values())
