"""Parties: which of a sentence's mentions can be parties (not places, threats, companies), and
which pairs a clause's claim is about (a coordinated subject, a subject with its partners, a
compound such as "the Japan-Philippines RAA", or a pair carried over from earlier sentences)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from kg.extract.discourse import Discourse, Pair
from kg.extract.triggers import AGREEMENT_ACRONYMS
from kg.extract.types import SIMILAR
from kg.gazetteer import Mention
from kg.text import IgnoreCase


#: The most parties one list can name and still be read as pairs of bilateral agreements. More,
#: named together, are a roster (a bloc's members, a summit's guests; no sentence of the corpora
#: names more than eight parties): a coordinated list that long gives no pair, and of one party's
#: partners only the first MAX_PARTIES_PER_LIST are paired with it (:func:`bounded`). So a clause
#: gives at most MAX_PARTIES_PER_LIST * (MAX_PARTIES_PER_LIST - 1) / 2 pairs, whatever its length.
MAX_PARTIES_PER_LIST = 12

PRONOUN_SUBJECT = re.compile(
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

#: What stands before a country named as a place, not as a party: "in", "a visit to", "threats
#: from", "war with", "the invasion of" (and "the").
_LOCATION_BEFORE = IgnoreCase(
    r"(?:\b(?:in|at|into|near|off|across|inside|against|toward|towards|around|visit(?:s|ed|ing)?|"
    r"(?:threats?|pressure|aggression|attacks?|missiles?|imports?|exports?|away|withdrawal|withdrew|refugees|fled|"
    r"returned|arrived|flew|coercion|interference|invasion)\s+(?:\w+\s+)?from|"
    r"(?:visit|trip|travel(?:led|ed|s)?|shipments?|exports?|flights?|returns?|returned|arriv(?:ed|es)|headed|went|sent|"
    r"deliver(?:ed|ies|y)?|threats?|pressure|aggression|invasion\s+of|war\s+(?:in|on|with)|tensions?\s+with)\s+(?:\w+\s+)?to)"
    r"|\bthreats?\s+(?:posed\s+)?(?:from|by)|\bwar\s+(?:in|on|with|against)|\bconflict\s+(?:in|with)|\binvasion\s+of)\s+(?:the\s+)?$")
_LIST_GLUE = re.compile(
    r"^(?:\s*,\s*|\s*,?\s*(?:and|or)\s+|\s*,?\s*as\s+well\s+as\s+(?:with\s+)?|\s*,?\s*(?:including|such\s+as|like|following|"
    r"along\s+with|together\s+with|plus)\s+|\s*,?\s*and\s+with\s+)(?:the\s+)?$",
    re.I,
)
# What may stand between a list's lead word and its first party: "with eight other countries
# including the United States, ...", "following Australia and ...".
_LIST_LEAD_TAIL = (r"\s+(?:(?:the\s+)?(?:\w+\s+){0,4}?(?:countries|nations|partners|states)\s*,?\s*"
                   r"(?:including|such\s+as|like|among\s+them)\s+(?:the\s+)?|the\s+)?$")
WITH_LEAD = re.compile(r"\bwith" + _LIST_LEAD_TAIL, re.I)
_PEER_LEAD = re.compile(r"\b(?:following|after|besides|alongside|like|joining)" + _LIST_LEAD_TAIL, re.I)
_RELATIVE_START = re.compile(r",\s*(?:which|who|whose)\b", re.I)
_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,]*,", re.I)
_ASIDE = re.compile(
    r"\s*,\s*(?:for\s+(?:its|their)\s+(?:own\s+)?part|meanwhile|however|too|also|in\s+turn|likewise|in\s+addition|"
    r"for\s+example|by\s+contrast|in\s+contrast)\s*,\s*(?:\w+\s+){0,2}", re.I)
MEETING = re.compile(
    r"\b(?:met|meets|hosted|hosts|received|receives|welcomed|welcomes|(?:held\s+)?talks\s+with|spoke\s+(?:by\s+phone\s+)?with"
    r"|held\s+(?:an?\s+)?(?:\w+\s+)?(?:meeting|talks)"
    r"|(?:closest|main|key|biggest|oldest|top)\s+(?:\w+\s+)?(?:partner|ally))\b", re.I)
_PREDICATE_AFTER = re.compile(
    r"\s+(?:each|both|jointly|also|have|has|had|are|is|was|were|will|would|signed|agreed|reached|concluded|began|started)\b", re.I)
_TRIGGER_BETWEEN = re.compile(
    r"(?i:\b(?:agreements?|pacts?|deals?|treat(?:y|ies)|accords?|arrangements?|memorand(?:um|a))\b)[^,;.]{0,25}\bbetween\s+(?:the\s+)?$")
FORMER = re.compile(r"\b(?:then|former|late|ex)[- ](?:[A-Z]|president|prime|premier|chancellor|leader)", re.I)
#: FORMER in the lowercased copy of an ASCII sentence (where ``re.I``'s ``[A-Z]`` is ``[a-z]``,
#: and every word of its second half starts with a letter): no ``re.I``.
_FORMER_LOWERED = re.compile(r"\b(?:then|former|late|ex)[- ][a-z]")


def names_former(sentence: str) -> bool:
    """Whether the sentence speaks of a former or late leader ("then-President", "ex-premier").

    >>> names_former("Signed by then-President Obama"), names_former("Tensions could escalate further")
    (True, False)
    """
    lowered = sentence.lower()
    # most sentences have none of the words: substring tests are cheaper than any search
    if not ("then" in lowered or "former" in lowered or "late" in lowered or "ex-" in lowered or "ex " in lowered):
        return False
    if sentence.isascii():
        return _FORMER_LOWERED.search(lowered) is not None
    return FORMER.search(sentence) is not None


_BLOC = re.compile(r"\bthe\s+(?:bloc|alliance|union|grouping|organi[sz]ation)\b(?!['’])", re.I)
_HOST = IgnoreCase(r"\b(?:troops|forces|soldiers|personnel|bases?|marines)\s+(?:(?:stationed|deployed|based)\s+)?in\s+(?:the\s+)?$")
_PAIR_REFERENCE = re.compile(r"\bbetween\s+(?:the\s+two\s+\w+|both\s+\w+|them|the\s+ministers|the\s+leaders)\b", re.I)
_DEFINITE_TRIGGER = re.compile(r"\s*(?:the|this|that)\s+(?:[\w-]+\s+){0,4}?(?:deal|agreement|pact|treaty|accord|arrangement|memorandum"
                               r"|(?-i:" + AGREEMENT_ACRONYMS + r"))\b", re.I)
_COORD = re.compile(r"^\s*(?:,|and|&|-|–|/|,\s*and)\s*(?:the\s+)?$", re.I)


_RULERS_IN = IgnoreCase(r"\b(?:junta|government|regime|authorities|rulers|leadership|administration)\s+in\s+(?:the\s+)?$")


_DATELINE_PLACE = re.compile(r"\W*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},\s*$")
_DATELINE_DASH = re.compile(r"\s*(?:\(\w[\w ]*\)\s*)?[—–-]")  # after the place: "(AP) —"
_AGENCY_DASH = re.compile(r"\s*\(\w+\)\s*[—–-]")


#: The words _HOST, _RULERS_IN and _LOCATION_BEFORE can end with (before an optional "the").
_LOCATION_LAST_WORDS = ("in", "at", "to", "near", "off", "across", "inside", "against", "toward", "towards", "around",
                        "visit", "visits", "visited", "visiting", "from", "by", "on", "with", "of")


def _last_words(before: str, words: tuple[str, ...]) -> bool:
    """False when ``before`` cannot end with one of ``words``, whitespace and an optional "the"
    and whitespace, matched case-insensitively: no pattern that ends so can match it. Most
    mentions follow "and" or "including": two string tests instead of three searches.

    >>> _last_words("troops stationed IN THE ", ("in",)), _last_words("Japan and ", ("in",))
    (True, False)
    """
    if not before.isascii():
        return True  # lowering may change what re.I equates ("İN" is "in" to it)
    tail = before.rstrip().lower()
    if tail.endswith("the"):
        tail = tail[:-3].rstrip()
    return tail.endswith(words)


def _is_location(sentence: str, m: Mention) -> bool:
    before = sentence[max(0, m.start - 40):m.start]
    # the three patterns end in whitespace: a name right after a bracket, a quote or the
    # sentence's start needs none of them
    if before[-1:].isspace() and _last_words(before, _LOCATION_LAST_WORDS):
        if _last_words(before, ("in",)) and (_HOST.found(before) or _RULERS_IN.found(before)):
            # "keeps 28,500 troops in South Korea under the treaty": the host is a party; "the
            # military junta in Niger cancelled ...": the country's rulers act for it
            return False
        if _LOCATION_BEFORE.found(before):
            return True
    # datelines: "TOKYO (AP) —", "NEWPORT, United Kingdom -" (every agency dash is a dateline dash)
    if _DATELINE_DASH.match(sentence, m.end, m.end + 20) is None:
        return False
    if _DATELINE_PLACE.match(sentence, 0, m.start):
        return True
    return bool(_AGENCY_DASH.match(sentence, m.end, m.end + 12)) and sentence[m.start:m.end].isupper()


def eligible(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions that can be parties: not places ('in Tokyo'), not threats ('from China, North
    Korea and Russia' - the whole list), not capitals unless they act."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if (sentence.startswith("-", m.end) and _NOT_A_PARTY_AFTER.match(sentence, m.end)) or _company_or_club(sentence, m):
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
#: A company's or a club's noun at the start of the text after a name (``\A``: a yes-or-no test,
#: searched in the lowercased text where it can be, so every letter is written in lowercase).
_COMPANY_NOUN = IgnoreCase(
    r"\A\s+(?:\w+\s+)?(?:maker|makers|firm|firms|company|companies|carrier|manufacturer|giant|producer|startup|"
    r"gas|oil|crude|lng|coal|grain|wheat|fertili[sz]ers?|imports|exports|goods|products|"
    r"conglomerate|club|team|player|forward|striker|midfielder|defender|goalkeeper|international|bank|insurer|"
    r"automaker|shipbuilder|airline|investor|fund|brand|retailer|supplier)\b")


#: "Britain's Reciprocal Access Agreement": a possessive before an agreement's name is a party.
_NAMED_AGREEMENT_AFTER = re.compile(
    r"['’]s?\s+(?:[A-Z][\w-]*\s+){0,5}(?:Agreement|Treaty|Pact|Accord|Arrangement|Memorandum|Partnership|Declaration"
    r"|Convention|Charter|Protocol)\b")


def _company_or_club(sentence: str, m: Mention) -> bool:
    """'Japan's Toyota', 'a Chinese battery maker', 'Real Madrid', 'the Brazil forward': a
    country's name as part of a company's or a club's, not a party."""
    after = sentence[m.end:m.end + 40]
    if m.possessive:
        nxt = re.match(r"['’]s\s+([A-Z][\w&-]*)", after)
        if nxt and not _GOVERNMENT_WORDS.match(nxt.group(1)) and not _NAMED_AGREEMENT_AFTER.match(sentence, m.end):
            return True
    # (the noun's pattern starts with whitespace: a name before a comma or an "'s" needs no search)
    if m.form in ("demonym", "name", "alias") and after[:1].isspace() and _COMPANY_NOUN.found(after):
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


_COMMA_END = re.compile(r",\s*$")
_PARTICIPLE = re.compile(r"[a-z]+ing\b")
_CLAUSE_HEAD = re.compile(r"\W*(?:the\s+)?", re.I)
_PREPOSITIONS = ("from", "of", "for", "to", "by", "in", "at", "on", "under", "over", "against", "about")
_PREPOSITION_BEFORE = re.compile(r"\b(?:" + "|".join(_PREPOSITIONS) + r")\s+(?:the\s+)?$", re.I)
_RELATIVE_GAP = re.compile(r"\s*,\s*(?:which|who)\s+(?:\w+\s+){0,2}")
_DECIDED_TO = re.compile(r"\b(?:decided|decides|agreed|agrees|moved|voted|chose|opted|wants|plans)\s+to\s*$")
_GAP_BREAK = re.compile(r"\b(?:with|between|by|of|from|to|for)\b|[,(]", re.I)
_POSSESSIVE_OR_PAREN_GAP = re.compile(r"['’]s\b.*|\s*\([^)]*\)\s*.*")
_WITH = re.compile(r"\bwith\b")
_AND_LEADER = re.compile(
    r"\s*(?:and|,)\s+[\w\s]{0,40}?(?:leader|president|prime\s+minister|premier|chancellor|counterpart|minister)\s*", re.I)
_DASH_GLUE = re.compile(r"\s*[-–/]\s*")
_AND_GLUE = re.compile(r"\s+and\s+(?:the\s+)?")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$")


def subject(sentence: str, c_start: int, cue_pos: int, eligible: list[Mention]) -> set[str] | None:
    """Codes of the party (or coordinated pair) just before the status cue, when there is one."""
    # "New Delhi, which faces tariffs from U.S. President Donald Trump, is also negotiating":
    # the relative clause is not where the subject is
    before_cue = sentence[c_start:cue_pos]
    comma = "," in before_cue  # (a relative clause and the comma before a participle start with one)
    asides = [(c_start + r.start(), c_start + r.end()) for r in _RELATIVE.finditer(before_cue)] if comma else []
    before = [m for m in eligible if c_start <= m.start and m.end <= cue_pos
              and not any(a <= m.start < b for a, b in asides)]
    if not before:
        return None
    if comma and _COMMA_END.search(before_cue) and _PARTICIPLE.match(sentence[cue_pos:]):
        # "Manila has sought to expand its alliances, entering into similar agreements with ...":
        # a participle after a comma shares the subject the clause starts with
        head = [m for m in before if _CLAUSE_HEAD.fullmatch(sentence[c_start:m.start])]
        if head:
            return {head[0].code}
    last = before[-1]
    near = sentence[max(c_start, last.start - 12):last.start]
    if _last_words(near, _PREPOSITIONS) and _PREPOSITION_BEFORE.search(near):
        return None  # "hosts troops from the United States under a ... agreement": not the subject
    lead = sentence[max(c_start, last.start - 60):last.start]
    if _with_lead(lead) or _peer_lead(lead):
        return None  # "This agreement with the Philippines builds on ...": a partner, not the subject
    gap = sentence[last.end:cue_pos]
    for a, b in reversed(asides):
        if a >= last.end:
            gap = gap[:a - last.end] + " " + gap[b - last.end:]
    if _RELATIVE_GAP.fullmatch(gap) or _ASIDE.fullmatch(gap):
        # "Japan, which signed a similar pact with Britain"; "Tokyo, for its part, has concluded"
        gap = " "
    # "The Chadian government has decided to end ...": an infinitive's "to" before the status
    gap = _DECIDED_TO.sub(" ", gap)
    if len(gap.split()) > 8 or _GAP_BREAK.search(gap):
        if not _POSSESSIVE_OR_PAREN_GAP.fullmatch(gap) or _WITH.search(gap):
            return None
    group = [last]
    for m in reversed(before[:-1]):
        glue = sentence[m.end:group[-1].start]
        if _COORD.match(glue) or _AND_LEADER.fullmatch(glue):
            group.append(m)
        elif m.code == group[-1].code and len(glue.split()) <= 3:
            group.append(m)  # "North Korean leader Kim Jong Un"
        else:
            break
    return {m.code for m in group}


def with_list(sentence: str, eligible: list[Mention], c_start: int, c_end: int, peers: bool = False) -> list[str]:
    """Parties listed after 'with' (WITH_LEAD), or with ``peers`` after 'following' (_PEER_LEAD):
    '... with eight other countries including A, B and C'."""
    inside = [m for m in eligible if c_start <= m.start and m.end <= c_end]
    for i, m in enumerate(inside):
        if m.possessive:
            continue
        lead = sentence[max(c_start, m.start - 60):m.start]
        if not (_peer_lead(lead) if peers else _with_lead(lead)):
            continue
        if not peers and _peer_lead(lead, _PEERS_WITH):
            continue  # "..., following agreements with China and Iran": earlier partners, not these

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


def coordinated_members(sentence: str, eligible: list[Mention]) -> tuple[str, ...]:
    """The parties of the first coordinated run ("the United States, Japan and South Korea")."""
    return tuple(sorted({c for pr in first_coordinated_group(sentence, eligible) for c in pr}))


def compound_pair(sentence: str, eligible: list[Mention], c_start: int, c_end: int) -> tuple[str, str] | None:
    inside = [m for m in eligible if c_start <= m.start and m.end <= c_end]
    for a, b in zip(inside, inside[1:]):
        glue = sentence[a.end:b.start]
        if a.code != b.code and _DASH_GLUE.fullmatch(glue):
            return pair(a.code, b.code)
        if a.code != b.code and _AND_GLUE.fullmatch(glue) and _BETWEEN_BEFORE.search(sentence[max(0, a.start - 12):a.start]):
            return pair(a.code, b.code)
    return None


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def all_pairs(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair of the parties, none when they are more than MAX_PARTIES_PER_LIST (a roster)."""
    ordered = sorted(set(codes))
    if len(ordered) > MAX_PARTIES_PER_LIST:
        return []
    return [(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1:]]


def bounded(pairs: list[Pair]) -> list[Pair]:
    """The pairs one list gives, within MAX_PARTIES_PER_LIST: one party's pairs with its partners
    ("Norway has such agreements with A, B, ...") cut to the first MAX_PARTIES_PER_LIST, and none
    from pairs that share no party and name more parties than that (a roster)."""
    if len(pairs) <= 1:
        return pairs
    if set(pairs[0]).intersection(*pairs[1:]):
        return pairs[:MAX_PARTIES_PER_LIST]
    if len({c for p in pairs for c in p}) > MAX_PARTIES_PER_LIST:
        return []
    return pairs


def between_pair(sentence: str, eligible: list[Mention], c_start: int, c_end: int) -> tuple[str, str] | None:
    """'an agreement between X and Y': the parties an agreement noun names itself."""
    inside = [m for m in eligible if c_start <= m.start and m.end <= c_end]
    for a, b in zip(inside, inside[1:]):
        if (a.code != b.code and _AND_GLUE.fullmatch(sentence[a.end:b.start])
                and _last_words(lead := sentence[max(c_start, a.start - 80):a.start], ("between",))
                and _TRIGGER_BETWEEN.search(lead)):
            return pair(a.code, b.code)
    return None


def first_coordinated_group(sentence: str, eligible: list[Mention]) -> list[tuple[str, str]]:
    """Every pair of the first run of coordinated parties ('Italy, Britain and Japan'); none when
    the run names more than MAX_PARTIES_PER_LIST parties (a roster)."""
    group: dict[str, None] = {}
    for a, b in zip(eligible, eligible[1:]):
        if a.code != b.code and _COORD.match(sentence[a.end:b.start]):
            group.update(dict.fromkeys((a.code, b.code)))
            if len(group) > MAX_PARTIES_PER_LIST:
                return []
        elif group:
            break
    return all_pairs(group)


def clause_lacks_subject(sentence: str, c_start: int, cue_pos: int) -> bool:
    """True when the words before the cue name no one ("Negotiations are also underway", "has agreed")."""
    lead = sentence[c_start:cue_pos]
    return not re.search(r"\b(?:I|he|she|it|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:has|have|is|are|was|were|said))\b", lead) or bool(
        re.match(r"\s*(?:negotiations|talks|discussions)\b", lead, re.I)
    )



def respective(sentence: str, eligible: list[Mention], cue_pos: int, c_end: int) -> "PairDecision | None":
    """"A, Finland's chief of defence; B, Sweden's; and C each signed an agreement between their
    respective country and NATO": every party named before the status, each with the one after
    'respective ... and' (the list may run over several clauses)."""
    m = _RESPECTIVE.search(sentence, cue_pos, c_end)
    if m is None:
        return None
    partner = next((x for x in eligible if x.start >= m.end() and x.start - m.end() <= 5), None)
    if partner is None:
        return None
    subjects = list(dict.fromkeys(x.code for x in eligible if x.end <= cue_pos and x.code != partner.code))
    if not subjects:
        return None
    return PairDecision([pair(c, partner.code) for c in subjects], partner.code, subjects)


_RESPECTIVE = re.compile(r"\b(?:between|by)\s+(?:their|the)\s+respective\s+(?:countr(?:y|ies)|governments?|nations?|states?)"
                         r"\s+and\s+(?:the\s+)?", re.I)


def counted_partners(clause: str) -> int:
    """The number of partners a clause counts ("with eight other countries"), or 0."""
    m = _COUNTED_PARTNERS.search(clause)
    if not m:
        return 0
    word = m.group(1).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 0)


_COUNTED_NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                   r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens?|several|many)")
# The noun right after the number says what was counted ('eight other countries').
_COUNTS_STATES = re.compile(_COUNTED_NUMBER + r"\s+(?:other\s+|more\s+|foreign\s+|partner\s+)?(?:countries|nations|states)\b", re.I)
_COUNTS_ORGANISATIONS = re.compile(_COUNTED_NUMBER + r"\s+(?:other\s+|more\s+)?(?:organi[sz]ations|alliances|blocs)\b", re.I)


def counted_kind(sentence: str) -> str:
    """What kind of party a sentence counts: 'country', 'organisation', or '' (either).

    >>> counted_kind("agreements with eight other countries, including A and B, as well as NATO")
    'country'
    >>> counted_kind("agreements with eight partners")
    ''
    """
    states, organisations = _COUNTS_STATES.search(sentence), _COUNTS_ORGANISATIONS.search(sentence)
    if states and not organisations:
        return "country"
    if organisations and not states:
        return "organisation"
    return ""


@dataclass(frozen=True)
class PairDecision:
    """The pairs a clause's claim is about, with the subject (hub) and partners it found.

    ``seen_hub`` and ``seen_partner`` are what the discourse should remember even when the
    clause gives no pair (the subject of "Britain ... its reciprocal access agreement").
    """

    pairs: list[Pair] = field(default_factory=list)
    hub: str | None = None
    partners: list[str] = field(default_factory=list)
    seen_hub: str | None = None
    seen_partner: str | None = None
    #: for a gapped list ("..., Finland since September 2022"): where each pair's own words start
    gapped_at: dict[Pair, int] = field(default_factory=dict)


def agent(sentence: str, c_start: int, c_end: int, cue_pos: int, eligible: list[Mention]) -> str | None:
    """The party a passive status names with 'by': "Similar pacts have been signed by Norway with
    Chile and Peru" (a single party followed by its partners)."""
    for m in eligible:
        if cue_pos < m.start and m.end <= c_end and _BY_AGENT.search(sentence[max(c_start, m.start - 40):m.start]):
            if _WITH_AFTER_AGENT.match(sentence, m.end):
                return m.code
    return None


_BY_AGENT = re.compile(r"\b(?:signed|concluded|inked|agreed|negotiated|reached|ratified|terminated|sealed)\s+(?:[\w-]+\s+){0,3}?by\s+(?:the\s+)?$", re.I)
_WITH_AFTER_AGENT = re.compile(r"\s*(?:\([^)]*\)\s*)?,?\s+with\b", re.I)
#: "It" as the agreement: the subject of a verb only an agreement takes.
_IT_AGREEMENT = re.compile(r"\s*it\s+(?:\w+\s+)?(?:took|takes|came|comes|entered|enters|went|goes|expired|expires|lapsed"
                           r"|was\s+(?:signed|ratified|renewed|extended|suspended|terminated|initialled|inked)"
                           r"|has\s+been\s+(?:signed|ratified|renewed|extended|suspended|terminated|in\s+force))\b", re.I)
#: A party named as a topic, not an actor: "intelligence on North Korea's missile programmes".
TOPIC_BEFORE = re.compile(r"\b(?:on|about|against|over|from|toward|towards)\s+(?:the\s+)?$", re.I)
_TRIO = re.compile(r"\b(?:the|all)\s+three\s+(?:countries|nations|sides|governments|allies|partners|leaders|ministers|states)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.I)
_IT_FIRST = re.compile(r"\s*(?:it|which)\b", re.I)
#: Verbs whose object is a country, not a party to what the clause says: "notify Portugal, Canada
#: and France of the decision".
_OBJECT_VERB = re.compile(r"\b(?:notify|notified|notifies|inform|informed|informs|tell|told|warn|warned|urge|urged"
                          r"|ask|asked|thank|thanked|invite|invited|visit|visited|visits)\s+(?:the\s+)?$", re.I)
_PEERS_WITH = re.compile(r"\b(?:following|after|besides|like)\s+(?:similar\s+|such\s+)?(?:agreements|deals|pacts|accords|treaties"
                         r"|those|the\s+ones?)\s+with\s+(?:the\s+)?$", re.I)
_BETWEEN_BEFORE = re.compile(r"\b(?:between|among|by)\s+(?:the\s+)?$", re.I)
#: The first words of _PEER_LEAD and _PEERS_WITH, for the lowercased copy of an ASCII text.
_PEER_WORDS = re.compile(r"following|after|besides|alongside|like|joining")


def _with_lead(lead: str) -> bool:
    """WITH_LEAD.search(lead), not run where no "with" stands (most leads).

    >>> _with_lead("signed pacts with the "), _with_lead("signed pacts WITH "), _with_lead("signed pacts and ")
    (True, True, False)
    """
    if lead.isascii() and "with" not in lead.lower():
        return False
    return WITH_LEAD.search(lead) is not None


def _peer_lead(lead: str, pattern: re.Pattern[str] = _PEER_LEAD) -> bool:
    """_PEER_LEAD's (or _PEERS_WITH's) search, not run where none of their first words stands.

    >>> _peer_lead("the fourth, following "), _peer_lead("Following similar deals with ", _PEERS_WITH)
    (True, True)
    """
    if lead.isascii() and _PEER_WORDS.search(lead.lower()) is None:
        return False
    return pattern.search(lead) is not None


_GAPPED = re.compile(r"\s+since\b", re.I)
_SINGULAR_POSSESSIVE = re.compile(r"\s*(?:its|his|her)\b", re.I)
#: A clause that starts with its verb: the second half of "X and Y began talks in March and
#: agreed on it in principle last month" shares the first half's subject.
VERB_FIRST = re.compile(
    r"\s*(?:(?:also|then|later|subsequently|finally|eventually|have|has|had)\s+)?(?:have|has|had|is|are|was|were|will"
    r"|agreed|signed|reached|concluded|began|started|launched|inked|sealed|struck|ratified|renewed|opened|commenced)\b")


_ITS_FIRST = re.compile(r"\s*(?:its|their)\b", re.I)


def decide_pairs(sentence: str, c_start: int, c_end: int, cue_pos: int, eligible_mentions: list[Mention],
                 clause_mentions: list[Mention], state: Discourse, carried: list[Pair] | None = None) -> PairDecision:
    """The pairs of parties a clause's claim is about; reads the discourse, changes nothing.

    ``carried`` are the pairs of the sentence's previous clause, which a clause that starts with
    its verb shares."""
    clause = sentence[c_start:c_end]
    codes = list(dict.fromkeys(m.code for m in eligible_mentions))
    between = between_pair(sentence, eligible_mentions, c_start, c_end)
    if between:
        return PairDecision([between])  # "proposed a free trade agreement between ASEAN and the GCC"
    if state.last_trio and _TRIO.search(sentence, c_start, cue_pos) and all(
            TOPIC_BEFORE.search(sentence, max(0, m.start - 12), m.start) for m in eligible_mentions):  # no actor named
        return PairDecision(all_pairs(state.last_trio))  # "In December, the three countries signed an MoU"
    if not codes and carried and (VERB_FIRST.match(clause) or _IT_FIRST.match(clause)):
        return PairDecision(list(carried))  # "... in March and agreed on it in principle last month"
    if not codes and state.last_pair and state.claims_in_prev_sentence and _IT_AGREEMENT.match(clause):
        return PairDecision([state.last_pair])  # "... inked the pact in January 2022. It took effect in August 2023."
    subj = subject(sentence, c_start, cue_pos, eligible_mentions)
    # partners stand before a relative clause that starts after the status: not "..., angering
    # Turkey, which signed a rival deal with Libya"
    relative = _RELATIVE_START.search(sentence, cue_pos, c_end)
    partners = with_list(sentence, eligible_mentions, c_start, relative.start() if relative else c_end)
    if subj is None:
        by = agent(sentence, c_start, c_end, cue_pos, eligible_mentions)
        if by is not None and by not in partners and partners:
            subj = {by}  # "Similar pacts have been signed by Norway with Chile, Peru and Ghana"
    if subj is not None and len(subj) > MAX_PARTIES_PER_LIST:
        return PairDecision()  # a roster: "A, B, C, ... and M signed": no pair of them
    if subj is not None and len(subj) >= 2:
        outside = [p for p in partners if p not in subj]
        if outside:
            # "Finland and Sweden each signed ... with the United States": each with the partner
            return PairDecision([pair(a, b) for a in sorted(subj) for b in outside], None, outside)
        # "Japan and New Zealand agreed"; "Italy, Britain and Japan signed": every pair
        return PairDecision(all_pairs(subj))
    hub = next(iter(subj)) if subj else None
    if hub is None and state.last_org and state.last_org not in codes and _BLOC.search(sentence[c_start:cue_pos]):
        hub = state.last_org  # "The bloc is negotiating a free trade agreement with Canada"
    if hub is None and _ITS_FIRST.match(clause) and state.last_hub and state.last_hub not in codes:
        hub = state.last_hub  # "Its reciprocal access agreement with Japan ..." after a sentence about Britain
    seen_hub = hub
    # "It signed ..." is the last subject; a clause with no subject at all is about the party the
    # article is about, when the last pair names it
    carried_hub = (state.last_hub if _IT_FIRST.match(clause) else (state.protagonist() or state.last_hub)) if (
        hub is None and partners and set(codes) <= set(partners)) else None
    if carried_hub and carried_hub not in codes and clause_lacks_subject(sentence, c_start, cue_pos):
        # "... and is negotiating similar deals with Canada and Ukraine": the subject carries over
        # (the party the article is about, when the last pair names it: "similar agreements were
        # concluded with France and Germany" after "Ukraine and Denmark signed ...")
        hub = carried_hub
    peers = with_list(sentence, eligible_mentions, c_start, c_end, peers=True) if hub is None and partners else []
    if peers:
        # "the fourth country after the United States, Australia and Japan to have such an
        # arrangement with Manila": each peer with the partner
        return PairDecision([pair(partners[0], p) for p in peers if p != partners[0]], partners[0], peers, seen_hub)
    if (hub is None and state.last_pair and partners and not set(partners) & set(state.last_pair)
            and set(codes) <= set(partners) and not _SINGULAR_POSSESSIVE.match(clause)
            and not _FIRST_PERSON.search(sentence[c_start:cue_pos])
            and (PRONOUN_SUBJECT.search(sentence[c_start:cue_pos]) or clause_lacks_subject(sentence, c_start, cue_pos))):
        # "The two neighbours began talks with Chile": each of the pair named before with Chile
        return PairDecision([pair(a, p) for a in state.last_pair for p in partners], None, partners, seen_hub)
    # a pair compound anywhere: "the Japan-Philippines RAA", "the German-Japanese Agreement"
    compound = compound_pair(sentence, eligible_mentions, c_start, c_end) if hub is None else None
    if (hub is None and state.last_pair and not partners and not compound and len(codes) <= 2
            and PRONOUN_SUBJECT.search(clause) and not first_coordinated_group(sentence, eligible_mentions)):
        # "allowed the two U.S. allies to exchange ... about North Korea's programmes": the
        # two are the pair named before, not the countries the clause mentions in passing
        return PairDecision([state.last_pair], seen_hub=seen_hub)
    if hub is None and len(codes) == 2 and not (partners and set(codes) <= set(partners)):
        return PairDecision([pair(*codes)], seen_hub=seen_hub)
    if hub is None and compound:
        return PairDecision([compound], seen_hub=seen_hub)
    if hub is None:
        pronoun = PRONOUN_SUBJECT.search(sentence[c_start:cue_pos]) or _PAIR_REFERENCE.search(clause)
        if pronoun and state.last_pair and len(codes) <= 1:
            return PairDecision([state.last_pair], seen_hub=seen_hub)
        if len(codes) <= 1:
            if state.last_pair and (
                not codes and any(m.code in state.last_pair for m in clause_mentions)
                or codes and codes[0] in state.last_pair
                or not codes and _DEFINITE_TRIGGER.match(clause)
            ):
                # "Ms Collins will travel to the Philippines to sign the agreement";
                # "The deal, signed in Brussels in July last year, ..."
                return PairDecision([state.last_pair], seen_hub=seen_hub)
            if (len(codes) == 1 and state.last_hub and state.last_hub != codes[0]
                    and clause_lacks_subject(sentence, c_start, cue_pos)):
                hub = state.last_hub
                partners = partners or codes
            elif (len(codes) == 1 and not partners and state.last_partner and state.last_partner != codes[0]
                    and SIMILAR.search(clause) and eligible_mentions[0].end <= cue_pos):
                # "Denmark signed such an agreement": with the partner of the one before
                return PairDecision([pair(codes[0], state.last_partner)], codes[0], [state.last_partner], seen_hub)
        if hub is None:
            group = first_coordinated_group(sentence, eligible_mentions)
            if partners and all(a in partners and b in partners for a, b in group):
                return PairDecision(seen_hub=seen_hub)  # "... signed trade agreements with Malaysia and Cambodia": no subject
            if partners and not any(p in pr for p in partners for pr in group):
                # "... its pact with France, as happened in colonies such as Mali, Niger and Burkina
                # Faso": parties named in passing are not the agreement's
                return PairDecision(seen_hub=seen_hub)
            in_group = {c for pr in group for c in pr}
            first = next((m for m in eligible_mentions if m.code in in_group), None)
            if first is not None and (
                    first.start > cue_pos and not _BETWEEN_BEFORE.search(sentence, max(0, first.start - 12), first.start)
                    or _OBJECT_VERB.search(sentence, max(0, first.start - 30), first.start)):
                # "... must notify Portugal, Canada and France of the decision to terminate the
                # agreements": objects named after the status, not the agreement's parties
                return PairDecision(seen_hub=seen_hub)
            return PairDecision(group, seen_hub=seen_hub)
    gapped = {m.code: m for m in eligible_mentions if m.start > cue_pos and _GAPPED.match(sentence, m.end)
              and re.search(r",\s*(?:and\s+)?$", sentence[max(0, m.start - 8):m.start])}
    # "Sweden has been negotiating its agreement since January, Finland since September 2022":
    # Finland is another subject with the same verb, not Sweden's partner
    others = [p for p in (partners or codes) if p != hub and p not in gapped]
    lead = state.leading_party() if gapped and not others else None
    if lead and lead != hub and lead not in gapped:
        # ... and each of them negotiates "its agreement" with the party the article is about
        subjects = [hub, *gapped]
        return PairDecision([pair(c, lead) for c in subjects], lead, subjects, seen_hub,
                            gapped_at={pair(c, lead): m.end for c, m in gapped.items()})
    if not others and state.last_partner and state.last_partner != hub and SIMILAR.search(clause):
        others = [state.last_partner]  # "Denmark signed such an agreement a few days later"
    if not others and state.last_pair and hub in state.last_pair and PRONOUN_SUBJECT.search(clause):
        return PairDecision([state.last_pair], hub, [], seen_hub)
    seen_partner = others[0] if len(others) == 1 else None
    return PairDecision([pair(hub, p) for p in dict.fromkeys(others)], hub, others, seen_hub, seen_partner)
