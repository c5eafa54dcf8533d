"""Article -> claims: which agreements between which parties an article states, with evidence.

A rule-based pipeline over plain Python regular expressions. Each article is split into
sentences and each sentence into clauses; a clause gives claims when it has

* an agreement *trigger* (agreement, pact, treaty, RAA, ...) or, after an agreement was
  mentioned, talk of negotiations ("negotiations are also underway with Canada"),
* a *status cue* (signed, agreed in principle, negotiating, agreed to start talks, ...) that is
  not negated or hypothetical, and
* two parties: a coordinated subject ("Japan and New Zealand agreed"), a hyphenated compound
  ("the Japan-Philippines RAA"), a subject with a list of partners ("Japan has signed ... with
  the United States, Australia and NATO"), or a subject carried over from the previous clause
  or a pronoun ("we", "the two leaders") that points back to the last pair.

The agreement type comes from keywords near the trigger; "a similar deal" and "the memorandum"
take the type named earlier. Dates come from the sentence (absolute or relative to the
publication date). Nothing here knows any particular country: parties come from the gazetteer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from dateutil import parser as dateparser

from kg.gazetteer import Gazetteer, Mention
from kg.loaders import LoadError, load_paths
from kg.records import Article, Claim, Evidence, PartnerCount

# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "jr", "sr", "st", "hon", "gen", "lt", "col", "maj", "sgt", "capt",
    "adm", "gov", "sen", "rep", "rev", "prof", "no", "nos", "co", "corp", "inc", "ltd", "vs",
    "etc", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "h.e", "h.m", "approx",
    "dept", "est", "fig", "op", "vol", "art", "sept",
} | {m.lower()[:3] for m in calendar.month_name if m} | {m.lower() for m in calendar.month_abbr if m}

_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
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
    # single-letter initials ("Ferdinand R. Marcos") and dotted acronyms ("U.S.", "H.E.")
    return len(word) == 1 and word.isalpha() or ("." in word and len(word) <= 5)


def _blocks(text: str) -> Iterable[tuple[int, int]]:
    """Spans of text between line breaks, joining hard-wrapped lines of one paragraph."""
    start = 0
    lines = list(re.finditer(r"[^\n]*(?:\n|$)", text))
    for i, m in enumerate(lines):
        line = m.group().rstrip("\n")
        end = m.start() + len(line)
        nxt = lines[i + 1].group().lstrip() if i + 1 < len(lines) else ""
        stripped = line.rstrip()
        last_word = stripped.rsplit(" ", 1)[-1].lower() if stripped else ""
        wrapped = (
            bool(stripped)
            and bool(nxt.strip())
            and stripped[-1] not in ".!?:\"”’)]"
            and (
                (len(stripped) > 50 and nxt[:1].islower())
                or last_word in _LINE_JOIN_WORDS
            )
        )
        if not wrapped:
            yield start, end
            start = m.end()
        if m.end() >= len(text):
            break
    if start < len(text):
        yield start, len(text)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, stripped of surrounding whitespace.

    >>> t = "Mr. Kim met Ms. Lee. They signed the U.S. pact in Tokyo.\\nNext line"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Mr. Kim met Ms. Lee.', 'They signed the U.S. pact in Tokyo.', 'Next line']
    """
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        pos = b_start
        block = text[b_start:b_end]
        for m in _SENT_END.finditer(block):
            dot = b_start + m.start()
            if text[dot] == "." and _protected(text, dot):
                continue
            spans.append((pos, b_start + m.end()))
            pos = b_start + m.end()
        spans.append((pos, b_end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = "|".join(
    sorted({m for m in calendar.month_name if m} | {m for m in calendar.month_abbr if m}, key=len, reverse=True)
)
_WEEKDAYS = [d for d in calendar.day_name]
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "ymd"),
    (re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"), "ymd"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}\b"), "ymd"),
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), "dmy"),
    (re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\s*\d)"), "md"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b(?!\.?,?\s*\d)"), "md"),
    (re.compile(rf"\b(?:{_MONTHS})\s+(?:of\s+)?\d{{4}}\b"), "ym"),
    (re.compile(rf"\b(?:in|since|from|last|this|early|late|mid-?)\s+(?:{'|'.join(m for m in calendar.month_name if m)})\b(?!\s+\d)"), "m"),
    (re.compile(r"(?:\bin\s+|\bsince\s+|\(|\bof\s+|\b(?:the|a|an|its|their)\s+)(?:19|20)\d{2}\b(?!\s*(?:-|to)\s*\d)"), "y"),
    (re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening|earlier in the day|earlier today)\b", re.I), "today"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(rf"\b(?:last\s+|on\s+)?(?:{'|'.join(_WEEKDAYS)})\b"), "weekday"),
    (re.compile(r"\blast\s+(week|month|year)\b", re.I), "last"),
    (re.compile(r"\bthis\s+(month|year)\b", re.I), "this"),
]


class _LazyDates:
    """The date mentions of a sentence, found only when a claim needs them."""

    def __init__(self, sentence: str, published: dt.date | None) -> None:
        self.sentence, self.published = sentence, published
        self._found: list[DateMention] | None = None

    def __iter__(self):
        if self._found is None:
            self._found = find_dates(self.sentence, self.published)
        return iter(self._found)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD


def _month_number(name: str) -> int:
    name = name.strip(".").lower()[:3]
    return [m.lower() for m in calendar.month_abbr].index(name)


def find_dates(sentence: str, published: dt.date | None) -> list[DateMention]:
    """Date expressions in a sentence, resolved against the publication date.

    >>> [d.value for d in find_dates("They met on Wednesday and signed it in April.", dt.date(2024, 6, 19))]
    ['2024-06-19', '2024-04']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            value = _resolve_date(m.group(), kind, published)
            if value:
                found.append(DateMention(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve_date(text: str, kind: str, pub: dt.date | None) -> str:
    try:
        if kind == "ymd":
            return dateparser.parse(text, fuzzy=True).date().isoformat()
        if kind == "dmy":
            return dateparser.parse(text, dayfirst=True).date().isoformat()
        if kind == "ym":
            d = dateparser.parse(text, fuzzy=True, default=dt.datetime(2000, 1, 1))
            return f"{d.year:04d}-{d.month:02d}"
        if kind == "y":
            return re.search(r"\d{4}", text).group()
    except (ValueError, OverflowError, AttributeError):
        return ""
    if pub is None:
        return ""
    if kind == "md":
        d = dateparser.parse(text, fuzzy=True, default=dt.datetime(pub.year, 1, 1)).date()
        if d > pub + dt.timedelta(days=31):  # "December 30" read in a January article
            d = d.replace(year=pub.year - 1)
        return d.isoformat()
    if kind == "m":
        month = _month_number(text.split()[-1])
        year = pub.year - 1 if month > pub.month and not text.lower().startswith("this") else pub.year
        return f"{year:04d}-{month:02d}"
    if kind == "today":
        return pub.isoformat()
    if kind == "yesterday":
        return (pub - dt.timedelta(days=1)).isoformat()
    if kind == "weekday":
        target = _WEEKDAYS.index(text.split()[-1])
        back = (pub.weekday() - target) % 7
        if text.lower().startswith("last") and back == 0:
            back = 7
        return (pub - dt.timedelta(days=back)).isoformat()
    if kind == "last":
        unit = text.split()[-1].lower()
        if unit == "year":
            return f"{pub.year - 1:04d}"
        if unit == "month":
            first = pub.replace(day=1) - dt.timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}"
        week = pub - dt.timedelta(days=7)
        return f"{week.year:04d}-{week.month:02d}"
    if kind == "this":
        return f"{pub.year:04d}" if text.lower().endswith("year") else f"{pub.year:04d}-{pub.month:02d}"
    return ""


# ---------------------------------------------------------------------------------------------
# Lexicon: triggers, types, statuses. Patterns are matched case-insensitively unless noted.

#: The nouns several status cues need next to them ("has similar agreements", "under the pact").
_AGREEMENT_NOUN = r"(?:agreements?|pacts?|deals?|treat(?:y|ies)|accords?|arrangements?)"

_TRIGGER = re.compile(
    r"(?i:\b(?:agreements?|pacts?|deals?|treat(?:y|ies)|accords?|arrangements?|memorand(?:um|a|ums)|conventions?|protocols?)\b)"
    r"|\b(?:MOUs?|MoUs?|GSOMIA|RAAs?|SOFAs?|VFAs?|SOVFA|ACSAs?|LEMOA|MLSAs?|COMCASA|BECA)\b"
    r"|(?i:\bfree[- ]trade\s+(?:area|zone)s?\b)|\bDeclaration\s+(?:on|of)\b|(?<=[a-z] )[A-Z][a-z]+\s+Declaration\b"
    r"|(?i:\bdeclaration\b)(?=[^.;]{0,120}?(?i:\bmilitary\s+(?:assistance|aid|help)\b|\battacked\b|\bmutual\s+(?:defen[cs]e|aid|assistance)\b))",
)
# Nouns that look like triggers in phrases that are not agreements.
_NOT_TRIGGER = re.compile(
    r"\b(?:in|reached\s+no|without\s+(?:an?\s+)?)\s*agreement\s+(?:with\s+(?:the\s+)?(?:view|idea|statement))"
    r"|\bjoint\s+(?:statement|declaration|communiqu[eé])\b",
    re.I,
)

# (type, strong?, pattern); strong keywords name the kind outright, weak ones only hint at it.
_TYPE_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    ("intelligence_sharing", re.compile(
        r"\bintel(?:ligence)?\b|\binformation[- ]security\b|\bsecurity\s+of\s+(?:military\s+)?information\b"
        r"|\bclassified\s+(?:military\s+)?information\b|\bconfidential\s+information\b"
        r"|\binformation[- ]sharing\b|\bsharing\s+of\s+(?:classified|sensitive|military)\b"
        r"|\bprotection\s+of\s+(?:classified|military)\b|\bGSOMIA\b|\bmilitary\s+information\b"
        r"|\binformation\s+protection\b|\bexchange\s+of\s+(?:classified|sensitive|secret)\b|\bclassified\s+(?:data|material)\b", re.I)),
    ("reciprocal_access", re.compile(
        r"\breciprocal\s+access\b|\bvisiting\s+forces?\b|\bstatus[\s-]+of[\s-]+(?:visiting[\s-]+)?forces\b"
        r"|\bRAAs?\b|\bSOFAs?\b|\bVFAs?\b|\bSOVFA\b|\beach\s+other'?s\s+(?:soil|territory|territories|countries|country)\b|\bvisit\s+each\s+other\b"
        r"|\ballow\w*\s+(?:[\w.]+\s+){0,3}(?:military\s+)?(?:personnel|troops|soldiers)\s+(?:and\s+[\w\s]{0,40})?to\b"
        r"|\blegal\s+status\s+of\b|\bstatus[\s-]+of[\s-]+mission\b"
        r"|\bstatus\s+of\s+(?:[\w.]+\s+){0,3}(?:military\s+)?(?:personnel|troops|forces|soldiers|brigade)\b", re.I)),
    ("logistics", re.compile(
        r"\blogistic(?:s|al)?\b|\bcross[- ]servicing\b|\bACSAs?\b|\bLEMOA\b|\bMLSAs?\b"
        r"|\bsuppl(?:y|ies)\s+(?:sharing|support)\b|\bsupport\s+and\s+supplies\b|\bsharing\s+supplies\b", re.I)),
    ("mutual_defense", re.compile(
        r"\bmutual\s+(?:aid|defen[cs]e|assistance|military\s+assistance)\b|\bcollective\s+defen[cs]e\b"
        r"|\bdefend\s+each\s+other\b|\bcome\s+to\s+(?:each\s+other|the\s+other)'?s?\s+(?:aid|defen[cs]e)\b"
        r"|\bcome\s+to\s+(?:the\s+|each\s+other'?s?\s+)?aid\b|\baid\s+of\s+the\s+other\b|\beach\s+other\s+with\s+military\s+(?:assistance|aid|support|help)\b"
        r"|\bif\s+(?:either|one|it|one\s+of\s+them)\s+(?:side\s+|party\s+|country\s+)?(?:is|were|was|comes?\s+under)\s+(?:attacked|attack)\b"
        r"|\baggression\s+against\s+(?:either|one)\b|\battack\s+(?:on|against)\s+(?:one|either)\b"
        r"|\bcommit\w*\s+(?:[\w.]+\s+){0,4}to\s+(?:the\s+)?(?:[\w'’]+\s+)?defen[cs]e\b|\bmutual\s+security\s+(?:pact|treaty|agreement)\b"
        r"|\balliance\s+treaty\b|\bmutual\s+security\s+treaty\b", re.I)),
    ("defense_cooperation", re.compile(
        r"\bdefen[cs]e\s+(?:and\s+security\s+)?co-?operation\b|\bsecurity\s+(?:and\s+defen[cs]e\s+)?co-?operation\b"
        r"|\bmilitary\s+co-?operation\s+(?:agreement|pact|treat(?:y|ie)|arrangement|accord)s?\b"
        r"|\bdefen[cs]e\s+(?:equipment|technology)\b"
        r"|\bstationing\s+of\b|\bdefen[cs]e\s+industr(?:y|ial)\b"
        r"|\bmilitary\s+(?:bases?|equipment|technology)\b|\b(?:arms|weapons)\b", re.I)),
    ("other", re.compile(
        r"\btrade\b|\binvestment\b|\beconomic\s+partnership\b|\bfree[- ]trade\b|\bcritical\s+minerals?\b"
        r"|\btax(?:ation)?\b|\bcustoms\b|\bvisa\b|\baviation\b|\bair\s+services\b|\bfisher(?:y|ies)\b"
        r"|\benergy\b|\bclimate\b|\bcivil\s+nuclear\b|\bscience\s+and\s+technology\b|\bcultural\b|\bhealth\b"
        r"|\bextradition\b|\bmigration\b|\bdouble\s+taxation\b|\bcurrency\s+swap\b|\bdelimitation\b|\bboundar(?:y|ies)\b"
        r"|\bexclusive\s+economic\s+zones?\b|\bmarine\b|\bmaritime\s+border\b|\barms\s+control\b|\bnon-?proliferation\b|\bnuclear\b|\bshiprider\b|\blaw[- ]enforcement\b|\bcounter-?narcotics\b|\bdrug\s+trafficking\b|\bcross-border\b"
        r"|\bdisarmament\b|\bnuclear\s+arms\b|\bpeace\s+(?:treaty|agreement|deal|accord)\b|\bceasefire\b", re.I)),
]
_TYPE_BEFORE, _TYPE_AFTER = 50, 110  # characters around a trigger where its type keywords stand
_SPECIFICITY = {t: i for i, (t, _) in enumerate(_TYPE_KEYWORDS)}
# Types from generic words are weak: dropped when the article types the same pair outright.
_WEAK_TYPE_HINT = re.compile(r"\b(?:military|security|defen[cs]e|exercises|patrols|training|troops|forces)\b", re.I)
_PARENTHETICAL_CUE = re.compile(
    r",\s*(?:which\s+(?:was|were)\s+|which\s+|first\s+|originally\s+)?(signed|concluded|ratified|agreed|renewed|extended|"
    r"(?:came|entered|went)\s+into\s+(?:force|effect)|took\s+effect)\b[^,]{0,60}(?:,|\.?$)", re.I)
_PARENTHETICAL_STATUS = {"signed": "signed", "concluded": "signed", "ratified": "in_force", "agreed": "agreed_in_principle",
                         "renewed": "in_force", "extended": "in_force"}
# Cues that say someone is after an agreement without saying how far it got.
_HEDGED_CUE = re.compile(r"(?:pursu|seek|working\s+to)", re.I)
_ANAPHOR = re.compile(r"\b(?:one|another)\s+(?:with|to)\b", re.I)
_TALKS = re.compile(r"\b(?:talks|negotiat|discussions|consultations)", re.I)
_SIMILAR = re.compile(r"\b(?:similar|such|same|comparable|equivalent)\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|our|their|its)\s+(?:(?:new|same|bilateral|original|landmark|historic|upgraded|revised|proposed|planned|draft|final)\s+)?$", re.I)

_AUX = r"(?:has|have|had|is|are|was|were|will|would|be|been|being|also|now|formally|officially|finally|already|recently|just)"

# Status cues, tried in order; an earlier pattern's match masks later ones that overlap it.
_STATUS_CUES: list[tuple[str | None, re.Pattern[str]]] = [
    # "toward signing a pact": the signing has not happened; masks the "signing"
    (None, re.compile(r"\b(?:brings?|brought)\s+to\s+an?\s+(?:close|end)(?:\s+(?:the\s+)?(?:\w+\s+)?(?:negotiations|talks|discussions))?\b", re.I)),
    (None, re.compile(r"\b(?:toward|towards|ahead\s+of|before|aimed\s+at|with\s+a\s+view\s+to)\s+(?:the\s+)?(?:signing|sign|concluding|conclusion)\b", re.I)),
    ("negotiating", re.compile(
        r"\b(?:concluded|completed|held|wrapped\s+up|finished|began|opened)\s+(?:the\s+|a\s+)?(?:\w+\s+)?round\s+of\s+(?:formal\s+)?(?:talks|negotiations|discussions)\b", re.I)),
    ("talks_agreed", re.compile(
        r"\b(?:agreed|agree|agrees|decided|decide|decides)\s+(?:\w+\s+){0,3}?(?:to\s+(?:start|begin|launch|open|commence|enter\s+into|hold|initiate)\s+(?:formal\s+|official\s+)?(?:talks|negotiations|discussions|consultations)"
        r"|to\s+negotiate|on\s+(?:the\s+)?(?:commencement|start|launch|opening|beginning)\s+of\s+(?:formal\s+)?(?:talks|negotiations|discussions))\b", re.I)),
    ("negotiating", re.compile(
        r"\b(?:agreed|agree|agrees|decided|plan|plans|planned|vowed|pledged)?\s*(?:to\s+)?(?:accelerate|expedite|speed\s+up|step\s+up|advance|continue|resume|intensify)\s+(?:the\s+)?(?:talks|negotiations|discussions|consultations|work)\b", re.I)),
    ("agreed_in_principle", re.compile(
        r"\bagreements?\s+in\s+principle\b|\b(?:agreed|agree|agrees|reached|reach)\b(?:\s+[\w\"“”']+){0,3}?\s+[\"“']?in\s+principle\b"
        r"|\bpreliminary\s+(?:agreement|deal|accord)\b|\bin[- ]principle\s+(?:agreement|deal)\b"
        r"|\b(?:reached|reach|struck|strike)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:agreement|deal|accord)\b"
        r"|\b(?:finali[sz]ed|concluded\s+(?:negotiations|talks))\b"
        r"|\bagreed\s+(?:on|upon)\s+(?:an?|the)\s+(?:\w+[- ]){0,3}(?:pact|agreement|deal|treaty|accord|arrangement)\b"
        r"|\b(?:will|to|would)\s+(?:\w+\s+){0,2}?(?:sign|ink)\b(?!ing)"
        r"|\b(?:set|scheduled|expected|due|poised|ready)\s+to\s+(?:sign|ink)\b", re.I)),
    ("negotiating", re.compile(
        r"\bnegotiat(?:ing|es|e)\b|\bnegotiations?\s+(?:\w+\s+){0,2}(?:under\s?way|ongoing|continuing|continue|progressing|in\s+progress)\b"
        r"|\b(?:in|into)\s+(?:\w+\s+)?(?:negotiations|talks)\s+(?:on|over|for|toward|towards|about|with)\b|\bin\s+negotiations\b"
        r"|\b(?:started|began|begun|launched|commenced|opened|resumed|entered)\s+(?:\w+\s+){0,2}(?:negotiations|talks|discussions)\b"
        r"|\b(?:talks|discussions|negotiations)\b[^.;]{0,100}?\b(?:is|are|were|remain)\s+(?:still\s+)?(?:under\s?way|ongoing|continuing|progressing|in\s+progress)\b"
        r"|\b(?:pursu(?:e|es|ed|ing)|seeking|seeks|working\s+(?:toward|towards|on))\s+(?:\w+[- ]){0,3}" + _AGREEMENT_NOUN + r"\b"
        r"|\bnegotiations\b", re.I)),
    ("terminated", re.compile(
        r"\b(?:terminat(?:ed|es|e|ing)|withdr[ae]w(?:n|s)?\s+from|pull(?:ed|s)?\s+out\s+of|scrapp(?:ed|ing)|scraps?"
        r"|abrogat(?:ed|es|e)|revok(?:ed|es|e)|denounc(?:ed|es|e)|annull?(?:ed|s)|tore\s+up|torn\s+up|expired|lapsed)\b"
        r"|\b(?:ended|end|ends|cancell?ed|cancels?)\s+(?:[\w-]+\s+){0,3}" + _AGREEMENT_NOUN + r"\b", re.I)),
    ("suspended", re.compile(r"\b(?:suspend(?:ed|s|ing)?|froze|frozen|freez(?:es|ing)|halt(?:ed|s)|put\s+on\s+hold)\b", re.I)),
    ("in_force", re.compile(
        r"\b(?:entered|enter|enters|came|come|comes|went|go|goes)\s+into\s+(?:force|effect)\b|\btook\s+effect\b|\btakes\s+effect\b"
        r"|\bin\s+force\b|\bratifi(?:ed|es)\b|\brenew(?:ed|s)\b|\bextended\b"
        r"|\b(?:resum(?:ed|es)|restor(?:ed|es)|reinstat(?:ed|es)|normali[sz](?:ed|es))\b", re.I)),
    ("signed", re.compile(
        r"\b(?:signed|signs|sign|signing|inked|inks|concluded|concludes|clinched|sealed)\b"
        r"|\b(?:has|have|had)\s+(?:had\s+)?(?-i:(?![a-z]+(?:ed|ing)\b))(?:\w+[- ]){0,4}" + _AGREEMENT_NOUN + r"\b"
, re.I)),
    ("proposed", re.compile(
        r"\b(?:propos(?:ed|es|e|ing|al)|plann?(?:ed|ing|s)?\s+(?:to\s+(?:sign|conclude)|an?\b)|consider(?:ing|s|ed)?|explor(?:e|es|ing|ed)"
        r"|(?:called|calls|call|push(?:ed|es)?|press(?:ed|es)?)\s+for\s+(?:an?\s+|the\s+)?(?:\w+[- ]){0,3}(?:agreement|pact|deal|treaty|accord|arrangement)|offered|aim(?:s|ed)?\s+to\s+(?:sign|conclude)|hop(?:e|es|ed|ing)\s+to\s+(?:sign|conclude)"
        r"|seek(?:s|ing)?\s+to\s+(?:sign|conclude))\b", re.I)),
    # An agreement spoken of as existing: signed, unless the clause says more ("An earlier
    # security agreement, signed in 1995, was torn up in 1999").
    ("signed?", re.compile(
        r"\b(?:formed|forged|established|created)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:pact|agreement|treaty|accord)\b"
        r"|\b(?:the|a|an|its|their)\s+(?:19|20)\d{2}\s+(?:[\w-]+\s+){0,5}?(?:agreements?|pacts?|treat(?:y|ies)|accords?|arrangements?)\b"
        r"|\bunder\s+(?:the|a|an|its|their)\s+(?!(?:proposed|planned|draft|possible|potential|future|new)\b)(?:[\w-]+\s+){0,6}?" + _AGREEMENT_NOUN + r"\b"
        r"|\b(?:existing|previous|earlier|prior)\s+(?:\w+\s+)?" + _AGREEMENT_NOUN + r"\b", re.I)),
]
_NEGATION = re.compile(
    r"\b(?:not|never|no|n't|neither|nor|failed\s+to|fail\s+to|refused\s+to|refuses\s+to|declined\s+to|rejected|rejects"
    r"|ruled\s+out|rules\s+out|yet\s+to|threaten(?:ed|s|ing)?|must|needs?\s+to|required|before|until|once|ever|hardly|denied|denies|deny|urged|urges|urging|called\s+on|calls\s+on|"
    r"pressed|pressing|encouraged|encourages|wants?|wanted|hopes?|hoped|unlikely|doubts?|doubted|doubtful|whether|if|unless|would|could|might|may|should|without)\b"
    r"|n't\b",
    re.I,
)
_REPORTED = re.compile(r"\b(?:said|says|announced|announces|decided|confirmed|declared|told\s+\w+)\b(?:\s+\w+){0,6}\s*$", re.I)
_PRONOUN_SUBJECT = re.compile(
    r"\b(?:we|they|both\s+(?:sides|countries|nations|governments|leaders|parties|ministers)"
    r"|the\s+two(?:\s+[\w.]+)?\s+(?:countries|nations|sides|governments|leaders|ministers|parties|states|allies|partners|neighbou?rs)"
    r"|the\s+leaders|the\s+pair|(?:he|she)\s+and)\b",
    re.I,
)
_COUNTED_PARTNERS = re.compile(
    r"\bwith\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty)"
    r"\s+(?:other\s+)?(?:countries|nations|partners|states|governments)\b",
    re.I,
)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}
_NUMBER_WORDS["twenty"] = 20

# Clause boundaries: subordinating conjunctions and strong punctuation. "as" only when it
# does not start "as well as", "as part of", ...; coordinated verb phrases ("... and has agreed").
_CLAUSE_BREAK = re.compile(
    r"\s*[;:—–]\s+|\s+-{1,2}\s+"
    r"|,?\s+(?:amid|while|whereas|although|though|despite|because|where|when|after\s+which)\s+"
    r"|,?\s+(?:since|after|before|until)\s+(?=(?:[A-Z][\w.-]*\s+){1,3}(?:has|have|had|was|were|is|are|[a-z]+ed)\b)"
    r"|(?<!such)(?<!so)(?<!as\swell)(?<!known)(?<!same)\s+as\s+(?!well\b|part\b|of\b|a\s+result\b|such\b|soon\b|long\b|much\b|many\b|far\b|if\b|though\b)(?=[a-z]+\s+(?:\w+\s+){0,3}?(?:has|have|had|is|are|was|were|shared|expressed|faces?|said|says|continue[sd]?)\b)"
    r"|\s+and\s+(?=(?:has|have|had|is|are|was|were|will|also|then|later|agreed|signed|reached|started|began|launched)\b)"

)
_COMMA_VP = re.compile(r",\s+(?=(?:is|are|has|have|had|was|were)\s+(?:also\s+|now\s+|already\s+|still\s+)?[a-z]+(?:ed|ing)\s)")
_HAS_VERB = re.compile(r"\b(?:is|are|has|have|had|was|were|will|signed|agreed|reached|concluded|negotiat\w+)\b", re.I)
_COMMA_AND = re.compile(r",\s+and\s+(?=(?:\S+\s+){0,4}?(?:has|have|had|is|are|was|were|will|agreed|signed|reached|started|began|said|says|told|added|[a-z]+ed)\b)")

_LOCATION_BEFORE = re.compile(
    r"(?:\b(?:in|at|into|near|off|across|inside|against|toward|towards|around|visit(?:s|ed|ing)?|"
    r"(?:threats?|pressure|aggression|attacks?|missiles?|imports?|exports?|away|withdrawal|withdrew|refugees|fled|"
    r"returned|arrived|flew|coercion|interference|invasion)\s+(?:\w+\s+)?from|"
    r"(?:visit|trip|travel(?:led|ed|s)?|shipments?|exports?|flights?|returns?|returned|arriv(?:ed|es)|headed|went|sent|"
    r"deliver(?:ed|ies|y)?|threats?|pressure|aggression|invasion\s+of|war\s+(?:in|on|with)|tensions?\s+with)\s+(?:\w+\s+)?to)"
    r"|\bthreats?\s+(?:posed\s+)?(?:from|by)|\bwar\s+(?:in|on|with|against)|\bconflict\s+(?:in|with)|\binvasion\s+of)\s+(?:the\s+)?$",
    re.I,
)
_LIST_GLUE = re.compile(
    r"^(?:\s*,\s*|\s*,?\s*(?:and|or)\s+|\s*,?\s*as\s+well\s+as\s+(?:with\s+)?|\s*,?\s*(?:including|such\s+as|like|following|"
    r"along\s+with|together\s+with|plus)\s+|\s*,?\s*and\s+with\s+)(?:the\s+)?$",
    re.I,
)
# What may stand between a list's lead word and its first party: "with eight other countries
# including the United States, ...", "following Australia and ...".
_LIST_LEAD_TAIL = (r"\s+(?:(?:the\s+)?(?:\w+\s+){0,4}?(?:countries|nations|partners|states)\s*,?\s*"
                   r"(?:including|such\s+as|like|among\s+them)\s+(?:the\s+)?|the\s+)?$")
_WITH_LEAD = re.compile(r"\bwith" + _LIST_LEAD_TAIL, re.I)
_PEER_LEAD = re.compile(r"\b(?:following|after|besides|alongside|like|joining)" + _LIST_LEAD_TAIL, re.I)
_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,]*,", re.I)
_ASIDE = re.compile(
    r"\s*,\s*(?:for\s+(?:its|their)\s+(?:own\s+)?part|meanwhile|however|too|also|in\s+turn|likewise|in\s+addition|"
    r"for\s+example|by\s+contrast|in\s+contrast)\s*,\s*(?:\w+\s+){0,2}", re.I)
_MEETING = re.compile(
    r"\b(?:met|meets|hosted|hosts|received|receives|welcomed|welcomes|(?:held\s+)?talks\s+with|spoke\s+(?:by\s+phone\s+)?with"
    r"|held\s+(?:an?\s+)?(?:\w+\s+)?(?:meeting|talks))\b", re.I)
_PREDICATE_AFTER = re.compile(
    r"\s+(?:each|both|jointly|also|have|has|had|are|is|was|were|will|would|signed|agreed|reached|concluded|began|started)\b", re.I)
_TRIGGER_BETWEEN = re.compile(
    r"(?i:\b(?:agreements?|pacts?|deals?|treat(?:y|ies)|accords?|arrangements?|memorand(?:um|a))\b)[^,;.]{0,25}\bbetween\s+(?:the\s+)?$")
_FORMER = re.compile(r"\b(?:then|former|late|ex)[- ](?:[A-Z]|president|prime|premier|chancellor|leader)", re.I)
_BLOC = re.compile(r"\bthe\s+(?:bloc|alliance|union|grouping|organi[sz]ation)\b(?!['’])", re.I)
_HOST = re.compile(r"\b(?:troops|forces|soldiers|personnel|bases?|marines)\s+(?:(?:stationed|deployed|based)\s+)?in\s+(?:the\s+)?$", re.I)
_PAIR_REFERENCE = re.compile(r"\bbetween\s+(?:the\s+two\s+\w+|both\s+\w+|them|the\s+ministers|the\s+leaders)\b", re.I)
_DEFINITE_TRIGGER = re.compile(r"\s*(?:the|this|that)\s+(?:[\w-]+\s+){0,4}?(?:deal|agreement|pact|treaty|accord|arrangement|memorandum)\b", re.I)
_COORD = re.compile(r"^\s*(?:,|and|&|-|–|/|,\s*and)\s*(?:the\s+)?$", re.I)


# ---------------------------------------------------------------------------------------------
# The extractor


@dataclass
class _Discourse:
    """What earlier sentences of the article established, for carrying it forward."""

    last_pair: tuple[str, str] | None = None
    last_hub: str | None = None
    last_partner: str | None = None
    last_org: str | None = None
    prev_sentence_types: list[str] = field(default_factory=list)
    last_type: str | None = None
    topic_type: str | None = None
    last_date: str = ""
    claims_in_prev_sentence: bool = False


@dataclass
class Analysis:
    """Everything extraction finds in one article."""

    claims: list[Claim] = field(default_factory=list)
    counts: list[PartnerCount] = field(default_factory=list)


@dataclass
class _Found:
    a: str
    b: str
    type: str
    strong: bool
    status: str
    date: str
    start: int
    end: int
    hedged: bool = False


class Extractor:
    """Finds agreement claims in articles with the parties of a gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()

    # -- public ------------------------------------------------------------------------------

    def analyse(self, article: Article) -> Analysis:
        """Claims and partner counts of one article."""
        text = article.text
        state = _Discourse()
        found: list[_Found] = []
        counts: list[PartnerCount] = []
        for s_start, s_end in split_sentences(text):
            sentence = text[s_start:s_end]
            here = self._sentence(sentence, s_start, article, state, counts)
            state.claims_in_prev_sentence = bool(here)
            state.prev_sentence_types = [f.type for f in here if f.strong]
            found.extend(here)
        return Analysis(self._finalise(found, article), counts)

    def extract(self, article: Article) -> list[Claim]:
        return self.analyse(article).claims

    # -- one sentence -------------------------------------------------------------------------

    def _sentence(
        self, sentence: str, offset: int, article: Article, state: _Discourse, counts: list[PartnerCount]
    ) -> list[_Found]:
        mentions = self.gazetteer.mentions(sentence, on=article.date)
        if article.date is not None and _FORMER.search(sentence):
            # "signed in 2010 by then-Presidents Barack Obama and Dmitry Medvedev": leaders out of
            # office on the publication date still name their countries
            taken = [(m.start, m.end) for m in mentions]
            extra = [m for m in self.gazetteer.mentions(sentence) if m.form == "leader"
                     and not any(a < m.end and m.start < b for a, b in taken)]
            mentions = sorted(mentions + extra, key=lambda m: m.start)
        for m in mentions:
            if self.gazetteer.party(m.code).kind == "organisation":
                state.last_org = m.code
        dates = _LazyDates(sentence, article.date)
        out: list[_Found] = []
        sentence_types: list[str] = []
        for c_start, c_end in _clauses(sentence):
            clause_mentions = [m for m in mentions if c_start <= m.start and m.end <= c_end]
            got = self._clause(sentence, c_start, c_end, clause_mentions, dates, article, state,
                               sentence_types, bool(out), counts, offset)
            out.extend(got)
        if not out:
            eligible = _eligible(sentence, mentions)
            group = _first_coordinated_group(sentence, eligible) or [
                p for p in [_compound_pair(sentence, eligible, 0, len(sentence))] if p]
            codes = list(dict.fromkeys(m.code for m in eligible))
            if not group and len(codes) == 2 and _MEETING.search(sentence):
                group = [_pair(*codes)]  # "Ghana's defence minister met his Togolese counterpart"
            if len(group) == 1:
                state.last_pair = group[0]  # "Japan and Australia are special strategic partners"
        for f in out:
            f.start, f.end = offset, offset + len(sentence)
        return out

    def _clause(
        self, sentence: str, c_start: int, c_end: int, mentions: list[Mention],
        dates: Iterable[DateMention], article: Article, state: _Discourse, sentence_types: list[str],
        earlier_claim_in_sentence: bool, counts: list[PartnerCount], offset: int,
    ) -> list[_Found]:
        clause = sentence[c_start:c_end]
        triggers = [m for m in _TRIGGER.finditer(clause) if not _NOT_TRIGGER.search(clause[max(0, m.start() - 20):m.end() + 20])]
        anaphor = _ANAPHOR.search(clause) if not triggers else None
        if not triggers and not anaphor and not _TALKS.search(clause):
            return []  # most clauses: nothing about agreements at all
        # "The agreement, signed in 2019, took effect on Monday": two statuses, two dates
        paren = _PARENTHETICAL_CUE.search(clause)
        cue = _status_cue(clause, skip=paren.span() if paren else None) if paren else None
        if cue is None:
            paren = None
            cue = _status_cue(clause)
        if cue is None:
            return []
        status, cue_start, cue_end = cue
        hedged = bool(_HEDGED_CUE.match(clause, cue_start))
        if not triggers:
            # "Negotiations are also underway with Canada": talk of negotiations right after an
            # agreement was mentioned continues that agreement.
            talks = status in ("negotiating", "talks_agreed") or (
                status == "agreed_in_principle" and re.search(r"\bconcluded\s+(?:the\s+)?(?:negotiations|talks)", clause, re.I))
            carried = earlier_claim_in_sentence or (state.claims_in_prev_sentence and re.search(r"\b(?:also|similar|too)\b", clause, re.I))
            in_principle = status == "agreed_in_principle" and re.search(r"\bin\s+principle\b", clause, re.I)
            if not ((talks and carried or in_principle
                     or anaphor and (earlier_claim_in_sentence or state.claims_in_prev_sentence))
                    and state.last_type):
                return []
        if _negated(clause, cue_start, cue_end):
            return []
        future = re.search(r"\b(?:will|shall|to|would|could)\s+(?:\w+\s+)?$", clause[:cue_start], re.I)
        if (status in ("in_force", "terminated", "suspended") and future
                and (status == "in_force" or not _REPORTED.search(clause[max(0, future.start() - 60):future.start()]))):
            return []  # "will enter into force after ratification"; not "said it would terminate"

        types = self._types(clause, sentence, c_start, triggers, state, sentence_types, cue_start)
        if not types:
            return []
        eligible = _eligible(sentence, mentions)
        pairs, hub, partners = self._pairs(sentence, c_start, c_end, cue_start + c_start, eligible, mentions, state)
        if not pairs:
            return []

        if paren:
            p_start, p_end = c_start + paren.start(), c_start + paren.end()
            p_dates = [d for d in dates if p_start <= d.start and d.end <= p_end]
            dates = [d for d in dates if not (p_start <= d.start and d.end <= p_end)]
        date = _date_for(dates, c_start, c_end, cue_start + c_start)
        simple_past = re.match(r"(?:agreed|signed|reached|concluded|inked|sealed|struck)\b", clause[cue_start:cue_end], re.I)
        perfect = re.search(r"\b(?:has|have|had)\s+(?:\w+\s+)?$", clause[:cue_start], re.I)
        if not date and simple_past and not perfect:
            date = state.last_date
        if date:
            state.last_date = date

        out = []
        for type_, strong, t_date in types:
            for a, b in pairs:
                out.append(_Found(a, b, type_, strong, status, t_date or date, 0, 0, hedged))
                if paren:
                    earlier = _PARENTHETICAL_STATUS.get(paren.group(1).lower().split()[0], "in_force")
                    out.append(_Found(a, b, type_, strong, earlier, p_dates[0].value if p_dates else "", 0, 0))
            if strong:
                state.last_type = type_
                sentence_types.append(type_)
                state.topic_type = state.topic_type or type_
        if hub:
            state.last_hub = hub
        if len(pairs) == 1:
            state.last_pair = pairs[0]
        m = _COUNTED_PARTNERS.search(clause)
        if m and hub and types:
            word = m.group(1).lower()
            n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 0)
            if n:
                counts.append(PartnerCount(
                    article.id, article.file, hub, n, tuple(sorted(partners)), types[0][0], status,
                    Evidence(sentence, offset, offset + len(sentence)),
                ))
        return out

    def _types(
        self, clause: str, sentence: str, c_start: int, triggers: list[re.Match[str]], state: _Discourse,
        sentence_types: list[str], cue_start: int = 0,
    ) -> list[tuple[str, bool, str]]:
        """The agreement types a clause talks about: (type, strong, date of that instrument)."""
        spans = _keyword_spans(clause)
        hits = [(a, t) for a, _, t in spans]
        named = _named_instruments(clause)
        if len(named) > 1:
            # "two previous agreements, the Mutual Logistics Arrangement (2024) and the Defence
            # Cooperation Arrangement (2012)": one claim per named instrument.
            return named
        own = [_own_type(clause, t, spans) for t in triggers]
        own_types = list(dict.fromkeys(t for t in own if t))
        if len(own_types) > 1:
            # "a status of forces agreement and a defence cooperation arrangement": one claim each
            return [(t, True, "") for t in own_types]
        if own_types:
            # the trigger's own modifier wins over other keywords of the clause: "a defence
            # cooperation agreement covering training and intelligence"
            return [(own_types[0], True, "")]
        nearest = min(triggers, key=lambda t: abs(t.start() - cue_start)) if triggers else None
        ref = _reference_type(state, sentence_types)
        if nearest is not None and ref and _bare_reference(clause, nearest):
            # "The agreement, signed in Washington in December 2023, allows American troops ...":
            # a bare "the agreement" is the one named before, whatever its clauses describe
            return [(ref, True, "")]
        if triggers:
            # a keyword types a trigger only inside its noun phrase: a few words before it
            # ("intelligence sharing pact") or its complement after ("a pact that would allow
            # ... logistical support"), not anywhere in a long clause
            hits = [h for h in hits if any(t.start() - _TYPE_BEFORE <= h[0] <= t.end() + _TYPE_AFTER for t in triggers)]
        if hits:
            specific = [h for h in hits if h[1] != "other"] or hits
            best = min(specific, key=lambda h: _SPECIFICITY[h[1]])
            return [(best[1], True, "")]
        # no keyword near the trigger the status is about (the one nearest the cue: "The treaty
        # would build on a bilateral security agreement the two countries signed in 2023"):
        # "a similar deal" and "the accord" take the type named before
        if nearest is not None and ref:
            before = clause[max(0, nearest.start() - 30):nearest.start()]
            complement = re.match(r"\s+(?:on|for|concerning|regarding|covering|to)\b", clause[nearest.end():])
            if _SIMILAR.search(before) or (_DEFINITE.search(before) and not complement):
                return [(ref, True, "")]
        if sentence_types:
            return [(sentence_types[-1], True, "")]
        if not triggers and state.last_type:
            return [(state.last_type, True, "")]
        if triggers and all(t.group().lower().endswith("s") and t.group().islower() for t in triggers):
            return []  # "China and Russia have signed dozens of agreements": no one agreement to speak of
        if _WEAK_TYPE_HINT.search(clause):
            return [("defense_cooperation", False, "")]
        return [("other", False, "")]

    def _pairs(
        self, sentence: str, c_start: int, c_end: int, cue_pos: int, eligible: list[Mention],
        clause_mentions: list[Mention], state: _Discourse,
    ) -> tuple[list[tuple[str, str]], str | None, list[str]]:
        """The pairs of parties a clause's claim is about, its subject (hub) and partners."""
        clause = sentence[c_start:c_end]
        codes = list(dict.fromkeys(m.code for m in eligible))
        between = _between_pair(sentence, eligible, c_start, c_end)
        if between:
            return [between], None, []  # "proposed a free trade agreement between ASEAN and the GCC"
        subject = _subject(sentence, c_start, cue_pos, eligible)
        partners = _with_list(sentence, eligible, c_start, c_end, _WITH_LEAD)
        peers = _with_list(sentence, eligible, c_start, c_end, _PEER_LEAD)
        if subject is not None and len(subject) >= 2:
            outside = [p for p in partners if p not in subject]
            if outside:
                # "Finland and Sweden each signed ... with the United States": each with the partner
                return [_pair(a, b) for a in sorted(subject) for b in outside], None, outside
            # "Japan and New Zealand agreed"; "Italy, Britain and Japan signed": every pair
            return _all_pairs(subject), None, []
        hub = next(iter(subject)) if subject else None
        if hub is None and state.last_org and state.last_org not in codes and _BLOC.search(sentence[c_start:cue_pos]):
            hub = state.last_org  # "The bloc is negotiating a free trade agreement with Canada"
        if hub is None and re.match(r"\s*(?:its|their)\b", clause, re.I) and state.last_hub and state.last_hub not in codes:
            hub = state.last_hub  # "Its reciprocal access agreement with Japan ..." after a sentence about Britain
        if hub is not None:
            state.last_hub = hub
        elif (partners and set(codes) <= set(partners) and state.last_hub and state.last_hub not in codes
              and _clause_lacks_subject(sentence, c_start, cue_pos)):
            # "... and is negotiating similar deals with Canada and Ukraine": the subject carries over
            hub = state.last_hub
        if hub is None and partners and peers:
            # "the fourth country after the United States, Australia and Japan to have such an
            # arrangement with Manila": each peer with the partner
            return [_pair(partners[0], p) for p in peers if p != partners[0]], partners[0], peers
        # a pair compound anywhere: "the Japan-Philippines RAA", "the German-Japanese Agreement"
        compound = _compound_pair(sentence, eligible, c_start, c_end)
        if (hub is None and state.last_pair and not partners and not compound and len(codes) <= 2
                and _PRONOUN_SUBJECT.search(clause) and not _first_coordinated_group(sentence, eligible)):
            # "allowed the two U.S. allies to exchange ... about North Korea's programmes": the
            # two are the pair named before, not the countries the clause mentions in passing
            return [state.last_pair], None, []
        if hub is None and len(codes) == 2:
            return [_pair(*codes)], None, []
        if hub is None and compound:
            return [compound], None, []
        if hub is None:
            pronoun = _PRONOUN_SUBJECT.search(sentence[c_start:cue_pos]) or _PAIR_REFERENCE.search(clause)
            if pronoun and state.last_pair and len(codes) <= 1:
                return [state.last_pair], None, []
            if len(codes) <= 1:
                if state.last_pair and (
                    not codes and any(m.code in state.last_pair for m in clause_mentions)
                    or codes and codes[0] in state.last_pair
                    or not codes and _DEFINITE_TRIGGER.match(clause)
                ):
                    # "Ms Collins will travel to the Philippines to sign the agreement";
                    # "The deal, signed in Brussels in July last year, ..."
                    return [state.last_pair], None, []
                if (len(codes) == 1 and state.last_hub and state.last_hub != codes[0]
                        and _clause_lacks_subject(sentence, c_start, cue_pos)):
                    hub = state.last_hub
                    partners = partners or codes
                elif (len(codes) == 1 and not partners and state.last_partner and state.last_partner != codes[0]
                        and _SIMILAR.search(clause) and eligible[0].end <= cue_pos):
                    # "Denmark signed such an agreement": with the partner of the one before
                    return [_pair(codes[0], state.last_partner)], codes[0], [state.last_partner]
            if hub is None:
                group = _first_coordinated_group(sentence, eligible)
                if partners and all(a in partners and b in partners for a, b in group):
                    return [], None, []  # "... signed trade agreements with Malaysia and Cambodia": no subject
                return group, None, []
        others = [p for p in (partners or codes) if p != hub]
        if not others and state.last_partner and state.last_partner != hub and _SIMILAR.search(clause):
            others = [state.last_partner]  # "Denmark signed such an agreement a few days later"
        if not others and state.last_pair and hub in state.last_pair and _PRONOUN_SUBJECT.search(clause):
            return [state.last_pair], hub, []
        if len(others) == 1:
            state.last_partner = others[0]
        return [_pair(hub, p) for p in dict.fromkeys(others)], hub, others

    # -- article level ------------------------------------------------------------------------

    def _finalise(self, found: list[_Found], article: Article) -> list[Claim]:
        strong = {(f.a, f.b, f.status) for f in found if f.strong}
        strong_types: dict[tuple[str, str], set[str]] = {}
        for f in found:
            if f.strong:
                strong_types.setdefault((f.a, f.b), set()).add(f.type)
        seen: dict[tuple[str, str, str, str], _Found] = {}
        for f in found:
            if f.a == f.b:
                continue
            if not f.strong:
                # an untyped "agreement" is the typed one the article names for the same pair:
                # "revoked an agreement that allowed U.S. military personnel ..." + "the 2012
                # status-of-forces agreement"
                if (f.a, f.b, f.status) in strong:
                    continue
            key = (f.a, f.b, f.type, f.status)
            if key not in seen or (not seen[key].date and f.date) or (seen[key].hedged and not f.hedged):
                seen[key] = f
        claims = []
        for (a, b, type_, status), f in seen.items():
            claims.append(Claim(
                article.id, article.file, a, b, type_, status, f.date,
                Evidence(article.text[f.start:f.end], f.start, f.end), hedged=f.hedged,
            ))
        return claims


# ---------------------------------------------------------------------------------------------
# Clause-level helpers (pure functions over a sentence and its mentions)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = sorted({(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)}
                  | {(m.start(), m.end()) for m in _COMMA_AND.finditer(sentence)}
                  # "Spain has signed ... with Portugal, is negotiating one with France": a second
                  # verb phrase, but not "Tokyo, for its part, has concluded"
                  | {(m.start(), m.end()) for m in _COMMA_VP.finditer(sentence)
                     if _HAS_VERB.search(sentence[:m.start()].rsplit(";", 1)[-1])})
    spans, pos = [], 0
    for a, b in cuts:
        if a < pos:
            continue
        spans.append((pos, a))
        pos = b
    spans.append((pos, len(sentence)))
    return [(a, b) for a, b in spans if b > a]


def _status_cue(clause: str, skip: tuple[int, int] | None = None) -> tuple[str, int, int] | None:
    """The first status cue of a clause: (status, start, end), ignoring cues inside ``skip``."""
    taken: list[tuple[int, int, str | None]] = [(skip[0], skip[1], None)] if skip else []
    for status, pattern in _STATUS_CUES:
        for m in pattern.finditer(clause):
            if m.end() == m.start():
                continue
            if any(a < m.end() and m.start() < b for a, b, _ in taken):
                continue
            taken.append((m.start(), m.end(), status))
    real = sorted((a, b, s) for a, b, s in taken if s is not None)
    plain = [c for c in real if not c[2].endswith("?")]
    if not real:
        return None
    a, b, s = (plain or real)[0]
    return s.rstrip("?"), a, b


def _negated(clause: str, cue_start: int, cue_end: int) -> bool:
    """A negation or hypothetical just before or inside the cue ('has not signed', 'refused to sign',
    'doubt ... will ever sign')."""
    window = clause[max(0, cue_start - 60):cue_end]
    for m in _NEGATION.finditer(window):
        # reported decisions are not hypotheticals: "said on Monday it would terminate the pact"
        if m.group().lower() == "would" and _REPORTED.search(window[:m.start()]):
            continue
        return True
    return False


def _is_location(sentence: str, m: Mention) -> bool:
    before = sentence[max(0, m.start - 40):m.start]
    if _HOST.search(before):
        return False  # "keeps 28,500 troops in South Korea under the treaty": the host is a party
    if _LOCATION_BEFORE.search(before):
        return True
    # datelines: "TOKYO (AP) —"
    return bool(re.match(r"\s*\(\w+\)\s*[—–-]", sentence[m.end:m.end + 12])) and sentence[m.start:m.end].isupper()


def _eligible(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions that can be parties: not places ('in Tokyo'), not threats ('from China, North
    Korea and Russia' - the whole list), not capitals unless they act."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if _NOT_A_PARTY_AFTER.match(sentence, m.end) or _company_or_club(sentence, m):
            i += 1  # "the United Nations-backed force"; "Japan's Toyota"; "Real Madrid"
            continue
        if not (_is_location(sentence, m) or (m.form == "capital" and not _capital_as_party(sentence, m))):
            out.append(m)
            i += 1
            continue
        # the list this place or threat heads is excluded with it ...
        chain = [m]
        while i + len(chain) < len(mentions) and _LIST_GLUE.match(sentence[chain[-1].end:mentions[i + len(chain)].start]):
            chain.append(mentions[i + len(chain)])
        # ... unless what follows the comma is the subject of a verb: "Citing the war in
        # Ukraine, Finland and Sweden each signed ..."
        if len(chain) > 1 and _PREDICATE_AFTER.match(sentence[chain[-1].end:]) and sentence[m.end:chain[1].start].strip() == ",":
            out.extend(chain[1:])
        i += len(chain)
    return out


_NOT_A_PARTY_AFTER = re.compile(r"-(?:backed|led|brokered|sponsored|funded|based|born|made|built|owned)\b", re.I)


_GOVERNMENT_WORDS = re.compile(
    r"(?:Foreign|Defen[cs]e|Prime|President|Premier|Chancellor|Minist|Government|Parliament|Senate|Congress|Cabinet|"
    r"Navy|Army|Air|Coast|Armed|Military|Self|National|State|Department|Embassy|Ambassador|Secretary|King|Queen|"
    r"Emir|Crown|Supreme|Constitutional|Supreme|Joint|Permanent|Federal|Royal|Central|Office|Council|Agency|Special)")
_COMPANY_NOUN = re.compile(
    r"\s+(?:\w+\s+)?(?:maker|makers|firm|firms|company|companies|carrier|manufacturer|giant|producer|startup|"
    r"conglomerate|club|team|player|forward|striker|midfielder|defender|goalkeeper|international|bank|insurer|"
    r"automaker|shipbuilder|airline|investor|fund|brand|retailer|supplier)\b", re.I)


def _company_or_club(sentence: str, m: Mention) -> bool:
    """'Japan's Toyota', 'a Chinese battery maker', 'Real Madrid', 'the Brazil forward': a
    country's name as part of a company's or a club's, not a party."""
    after = sentence[m.end:m.end + 40]
    if m.possessive:
        nxt = re.match(r"['’]s\s+([A-Z][\w&-]*)", after)
        if nxt and not _GOVERNMENT_WORDS.match(nxt.group(1)):
            return True
    if m.form in ("demonym", "name", "alias") and _COMPANY_NOUN.match(after):
        return True
    if m.form == "capital":
        before = sentence[max(0, m.start - 20):m.start]
        if re.search(r"(?<![.!?] )\b(?!The\b|A\b|An\b|In\b|At\b|On\b)[A-Z][a-z]+\s+$", before) or re.match(r"\s+[A-Z][a-z]", after):
            return True  # a capital inside a proper name
    return False


def _capital_as_party(sentence: str, m: Mention) -> bool:
    """A capital counts as a party when it acts: 'Tokyo and Manila signed', 'Seoul's pact'."""
    if _is_location(sentence, m):
        return False
    return not re.match(r"-based\b|\s+(?:time|summit|talks|meeting|conference|declaration|process|office)\b", sentence[m.end:m.end + 12], re.I)


def _subject(sentence: str, c_start: int, cue_pos: int, eligible: list[Mention]) -> set[str] | None:
    """Codes of the party (or coordinated pair) just before the status cue, when there is one."""
    # "New Delhi, which faces tariffs from U.S. President Donald Trump, is also negotiating":
    # the relative clause is not where the subject is
    asides = [(c_start + r.start(), c_start + r.end()) for r in _RELATIVE.finditer(sentence[c_start:cue_pos])]
    before = [m for m in eligible if c_start <= m.start and m.end <= cue_pos
              and not any(a <= m.start < b for a, b in asides)]
    if not before:
        return None
    last = before[-1]
    if re.search(r"\b(?:from|of|for|to|by|in|at|on|under|over|against|about)\s+(?:the\s+)?$", sentence[max(c_start, last.start - 12):last.start], re.I):
        return None  # "hosts troops from the United States under a ... agreement": not the subject
    if _WITH_LEAD.search(sentence[max(c_start, last.start - 60):last.start]) or _PEER_LEAD.search(sentence[max(c_start, last.start - 60):last.start]):
        return None  # "This agreement with the Philippines builds on ...": a partner, not the subject
    gap = sentence[last.end:cue_pos]
    for a, b in reversed(asides):
        if a >= last.end:
            gap = gap[:a - last.end] + " " + gap[b - last.end:]
    if re.fullmatch(r"\s*,\s*(?:which|who)\s+(?:\w+\s+){0,2}", gap) or _ASIDE.fullmatch(gap):
        # "Japan, which signed a similar pact with Britain"; "Tokyo, for its part, has concluded"
        gap = " "
    if len(gap.split()) > 8 or re.search(r"\b(?:with|between|by|of|from|to|for)\b|[,(]", gap, re.I):
        if not re.fullmatch(r"['’]s\b.*|\s*\([^)]*\)\s*.*", gap) or re.search(r"\bwith\b", gap):
            return None
    group = [last]
    for m in reversed(before[:-1]):
        glue = sentence[m.end:group[-1].start]
        if _COORD.match(glue) or re.fullmatch(r"\s*(?:and|,)\s+[\w\s]{0,40}?(?:leader|president|prime\s+minister|premier|chancellor|counterpart|minister)\s*", glue, re.I):
            group.append(m)
        elif m.code == group[-1].code and len(glue.split()) <= 3:
            group.append(m)  # "North Korean leader Kim Jong Un"
        else:
            break
    return {m.code for m in group}


def _with_list(sentence: str, eligible: list[Mention], c_start: int, c_end: int, lead_pattern: re.Pattern[str]) -> list[str]:
    """Parties listed after 'with' (or 'following'): '... with eight other countries including A, B and C'."""
    inside = [m for m in eligible if c_start <= m.start and m.end <= c_end]
    for i, m in enumerate(inside):
        lead = sentence[max(c_start, m.start - 60):m.start]
        if not lead_pattern.search(lead) or m.possessive:
            continue
        out = [m.code]
        prev = m
        for nxt in inside[i + 1:]:
            if prev.possessive:
                break
            glue = sentence[prev.end:nxt.start]
            if _LIST_GLUE.match(glue):
                if not nxt.possessive:
                    out.append(nxt.code)
                prev = nxt
            elif nxt.code == prev.code:
                prev = nxt
            else:
                break
        return list(dict.fromkeys(out))
    return []


def _compound_pair(sentence: str, eligible: list[Mention], c_start: int, c_end: int) -> tuple[str, str] | None:
    inside = [m for m in eligible if c_start <= m.start and m.end <= c_end]
    for a, b in zip(inside, inside[1:]):
        glue = sentence[a.end:b.start]
        if a.code != b.code and re.fullmatch(r"\s*[-–/]\s*", glue):
            return _pair(a.code, b.code)
        if a.code != b.code and re.fullmatch(r"\s+and\s+(?:the\s+)?", glue) and re.search(r"\bbetween\s+(?:the\s+)?$", sentence[max(0, a.start - 12):a.start]):
            return _pair(a.code, b.code)
    return None


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _all_pairs(codes: Iterable[str]) -> list[tuple[str, str]]:
    ordered = sorted(set(codes))
    return [(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1:]]


def _between_pair(sentence: str, eligible: list[Mention], c_start: int, c_end: int) -> tuple[str, str] | None:
    """'an agreement between X and Y': the parties an agreement noun names itself."""
    inside = [m for m in eligible if c_start <= m.start and m.end <= c_end]
    for a, b in zip(inside, inside[1:]):
        if (a.code != b.code and re.fullmatch(r"\s+and\s+(?:the\s+)?", sentence[a.end:b.start])
                and _TRIGGER_BETWEEN.search(sentence[max(c_start, a.start - 80):a.start])):
            return _pair(a.code, b.code)
    return None


def _first_coordinated_group(sentence: str, eligible: list[Mention]) -> list[tuple[str, str]]:
    """Every pair of the first run of coordinated parties ('Italy, Britain and Japan')."""
    group: list[str] = []
    for a, b in zip(eligible, eligible[1:]):
        if a.code != b.code and _COORD.match(sentence[a.end:b.start]):
            group.extend(c for c in (a.code, b.code) if c not in group)
        elif group:
            break
    ordered = sorted(group)
    return [(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1:]]


def _clause_lacks_subject(sentence: str, c_start: int, cue_pos: int) -> bool:
    """True when the words before the cue name no one ("Negotiations are also underway", "has agreed")."""
    lead = sentence[c_start:cue_pos]
    return not re.search(r"\b(?:I|he|she|it|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:has|have|is|are|was|were|said))\b", lead) or bool(
        re.match(r"\s*(?:negotiations|talks|discussions)\b", lead, re.I)
    )


def _date_for(dates: Iterable[DateMention], c_start: int, c_end: int, cue_pos: int) -> str:
    dates = list(dates)
    in_clause = [d for d in dates if c_start <= d.start and d.end <= c_end]
    # a date from an earlier clause carries ("On 22 March, ...: the agreement was signed"), a later one does not
    pool = in_clause or [d for d in dates if d.end <= c_start]
    if not pool:
        return ""
    return min(pool, key=lambda d: abs(d.start - cue_pos)).value


def _reference_type(state: _Discourse, sentence_types: list[str]) -> str | None:
    """What 'the agreement' or 'a similar deal' refers to: the type named in this sentence, else
    the one type of the sentence before, else the article's main agreement."""
    prev = set(state.prev_sentence_types)
    if sentence_types:
        return sentence_types[-1]
    if len(prev) == 1:
        return next(iter(prev))
    return state.topic_type or state.last_type


def _bare_reference(clause: str, trigger: re.Match[str]) -> bool:
    """'The agreement,' / 'the pact' with no modifier or complement of its own."""
    if not re.search(r"\b(?:the|this|that|these)\s+$", clause[max(0, trigger.start() - 8):trigger.start()], re.I):
        return False
    return not re.match(r"\s+(?:on|for|concerning|regarding|covering|to|of|between|with)\b", clause[trigger.end():], re.I)


def _keyword_spans(clause: str) -> list[tuple[int, int, str]]:
    """Type keywords of a clause as (start, end, type); of overlapping ones the longest wins
    ("arms control treaty" is arms control, not arms)."""
    found = [(m.start(), m.end(), t) for t, pattern in _TYPE_KEYWORDS for m in pattern.finditer(clause)]
    found.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    kept: list[tuple[int, int, str]] = []
    for h in found:
        if all(h[1] <= k[0] or k[1] <= h[0] for k in kept):
            kept.append(h)
    return sorted(kept)


def _own_type(clause: str, trigger: re.Match[str], spans: list[tuple[int, int, str]]) -> str | None:
    """The type a trigger names itself: an acronym (RAA, GSOMIA) or the keyword that modifies it."""
    for a, b, t in spans:
        if a <= trigger.start() < b:
            return t
        gap = clause[b:trigger.start()]
        if b <= trigger.start() and re.fullmatch(r"[\s-]*(?:[\w-]+\s+){0,1}", gap) and not re.search(r"\b(?:and|or|the|a|an)\b", gap):
            return t
    return None


def _named_instruments(clause: str) -> list[tuple[str, bool, str]]:
    """Capitalised agreement names with their type and a '(YEAR)' right after them."""
    out = []
    for m in re.finditer(r"((?:[A-Z][\w-]*\s+)+(?:Agreement|Arrangement|Treaty|Accord|Pact|Memorandum(?:\s+of\s+\w+)?))(?:\s*\((\d{4})\))?", clause):
        for type_, pattern in _TYPE_KEYWORDS:
            if pattern.search(m.group(1)):
                out.append((type_, True, m.group(2) or ""))
                break
    return out if len({t for t, _, _ in out}) > 1 else []


def extract_paths(
    paths: Iterable[str | Path], on_error: Callable[[LoadError], None] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Iterator[tuple[Article, Analysis]]:
    """Load every article under ``paths`` and analyse it; load errors go to ``on_error``."""
    extractor = Extractor(gazetteer) if gazetteer else _default_extractor()
    for article in load_paths(paths, on_error=on_error):
        yield article, extractor.analyse(article)


CLAIM_COLUMNS = ("file", "party_a", "party_b", "agreement_type", "status", "date", "evidence")


def claim_row(claim: Claim) -> dict[str, str]:
    """A claim as one output row (``CLAIM_COLUMNS``); the evidence with its whitespace folded."""
    return {
        "file": claim.file, "party_a": claim.party_a, "party_b": claim.party_b,
        "agreement_type": claim.agreement_type, "status": claim.status, "date": claim.date,
        "evidence": " ".join(claim.evidence.sentence.split()),
    }


@lru_cache(maxsize=1)
def _default_extractor() -> Extractor:
    return Extractor()


def extract(article: Article, gazetteer: Gazetteer | None = None) -> list[Claim]:
    """The agreement claims one article states."""
    return (Extractor(gazetteer) if gazetteer else _default_extractor()).extract(article)


def partner_counts(article: Article, gazetteer: Gazetteer | None = None) -> list[PartnerCount]:
    """Sentences that count a party's partners ('intelligence agreements with eight other countries')."""
    return (Extractor(gazetteer) if gazetteer else _default_extractor()).analyse(article).counts


def analyse(article: Article, gazetteer: Gazetteer | None = None) -> Analysis:
    """Claims and partner counts of one article in one pass."""
    return (Extractor(gazetteer) if gazetteer else _default_extractor()).analyse(article)


__all__: Sequence[str] = (
    "CLAIM_COLUMNS", "Analysis", "Extractor", "analyse", "claim_row", "extract", "extract_paths", "find_dates",
    "partner_counts", "split_sentences",
)
