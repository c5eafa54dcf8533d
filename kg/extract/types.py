"""Types: which kind of agreement a clause talks about, from keywords inside the agreement's
noun phrase ("an intelligence-sharing pact"), an acronym ("RAA"), or what a reference ("the
accord", "a similar deal") points back to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.discourse import Discourse
from kg.extract.rules import Hit, Rule, RuleTable
from kg.extract.triggers import find_triggers
from kg.records import AgreementType as T

#: Type keywords. Priority is specificity: where a clause's keywords name several types and none
#: is the trigger's own modifier, the most specific one wins ("other" only when nothing else).
#: Of overlapping keywords the longest wins ("arms control treaty" is arms control, not arms).
TYPE_KEYWORDS: RuleTable[T] = RuleTable("type-keywords", [
    Rule("intel-intelligence", T.INTELLIGENCE_SHARING,
         r"\bintel(?:ligence)?\b|\binformation[- ]sharing\b|\bGSOMIA\b|\bmilitary\s+information\b"
         r"|\bgeo-?spatial\b|\bcommunications?\s+compatibility\b|\bCOMCASA\b|\bBECA\b", 60,
         anchor=r"intel|information|gsomia|geo|communication|comcasa|beca",
         fires_on=("Freedonia and Sylvania signed an intelligence-sharing pact.",
                   "They signed the Basic Exchange and Cooperation Agreement for geospatial cooperation."),
         not_on=("Freedonia and Sylvania signed a logistics pact.",)),
    Rule("intel-classified", T.INTELLIGENCE_SHARING,
         r"\bclassified\s+(?:military\s+)?information\b|\bconfidential\s+information\b"
         r"|\bsharing\s+of\s+(?:classified|sensitive|military)\b|\bprotection\s+of\s+(?:classified|military)\b"
         r"|\bexchange\s+of\s+(?:classified|sensitive|secret)\b|\bclassified\s+(?:data|material)\b", 60,
         anchor=r"classified|confidential|sharing|protection|exchange",
         fires_on=("They signed an agreement on the mutual protection of classified information.",),
         not_on=("They signed an agreement on the protection of fisheries.",)),
    Rule("intel-information-security", T.INTELLIGENCE_SHARING,
         r"\binformation[- ]security\b|\bsecurity\s+of\s+(?:military\s+)?information\b|\binformation\s+protection\b", 60,
         anchor=r"information",
         fires_on=("The two states concluded a security of information agreement.",),
         not_on=("The two states concluded a security agreement.",)),
    Rule("access-reciprocal", T.RECIPROCAL_ACCESS,
         r"\breciprocal\s+access\b|\bvisiting\s+forces?\b|\bstatus[\s-]+of[\s-]+(?:visiting[\s-]+)?forces\b"
         r"|\bRAAs?\b|\bSOFAs?\b|\bVFAs?\b|\bSOVFA\b|\blegal\s+status\s+of\b|\bstatus[\s-]+of[\s-]+mission\b"
         r"|\bstatus\s+of\s+(?:[\w.]+\s+){0,3}(?:military\s+)?(?:personnel|troops|forces|soldiers|brigade)\b", 50,
         anchor=r"reciprocal|visiting|status|raa|sofa|vfa|sovfa",
         fires_on=("They signed a status of forces agreement.",),
         not_on=("They signed a forces modernisation plan agreement on fisheries.",)),
    Rule("access-each-other", T.RECIPROCAL_ACCESS,
         r"\beach\s+other'?s\s+(?:soil|territory|territories|countries|country)\b|\bvisit\s+each\s+other\b"
         r"|\ballow\w*\s+(?:[\w.]+\s+){0,3}(?:military\s+)?(?:personnel|troops|soldiers)\s+(?:and\s+[\w\s]{0,40})?to\b", 50,
         anchor=r"each other|allow",
         fires_on=("The pact allows troops to train on each other's soil.",),
         not_on=("The pact covers trade with each other.",)),
    Rule("logistics", T.LOGISTICS,
         r"\blogistic(?:s|al)?\b|\bcross[- ]servicing\b|\bACSAs?\b|\bLEMOA\b|\bMLSAs?\b"
         r"|\bsuppl(?:y|ies)\s+(?:sharing|support)\b|\bsupport\s+and\s+supplies\b|\bsharing\s+supplies\b"
         r"|\bhost[\s-]+nation\s+support\b|\b(?:air-to-air\s+)?refuell?ing\b", 40,
         anchor=r"logistic|servicing|acsa|lemoa|mlsa|suppl|host|refuel",
         fires_on=("They signed an acquisition and cross-servicing agreement.",),
         not_on=("They signed an acquisition agreement for aircraft.",)),
    Rule("mutual-defence", T.MUTUAL_DEFENSE,
         r"\bmutual\s+(?:aid|defen[cs]e|assistance|military\s+assistance)\b|\bcollective\s+defen[cs]e\b"
         r"|\bmutual\s+security\s+(?:pact|treaty|agreement)\b|\balliance\s+treaty\b|\bmutual\s+security\s+treaty\b", 30,
         anchor=r"mutual|collective|alliance",
         fires_on=("The two signed a mutual defence treaty in 1951.",),
         not_on=("The two signed a defence treaty on borders.",)),
    Rule("mutual-defence-clause", T.MUTUAL_DEFENSE,
         r"\bdefend\s+each\s+other\b|\bcome\s+to\s+(?:each\s+other|the\s+other)'?s?\s+(?:aid|defen[cs]e)\b"
         r"|\bcome\s+to\s+(?:the\s+|each\s+other'?s?\s+)?aid\b|\baid\s+of\s+the\s+other\b|\beach\s+other\s+with\s+military\s+(?:assistance|aid|support|help)\b"
         r"|\bif\s+(?:either|one|it|one\s+of\s+them)\s+(?:side\s+|party\s+|country\s+)?(?:is|were|was|comes?\s+under)\s+(?:attacked|attack)\b"
         r"|\baggression\s+against\s+(?:either|one|both|all)\b|\battack\s+(?:on|against)\s+(?:one|either|both|all)\b"
         r"|\bcommit\w*\s+(?:[\w.]+\s+){0,4}to\s+(?:the\s+)?(?:[\w'’]+\s+)?defen[cs]e\b"
         r"|\b(?:provide|give|render|lend)\s+(?:to\s+)?(?:each\s+other|one\s+another)\s+(?:military\s+)?(?:help|aid|assistance)\b"
         r"|\bassist\s+(?:each\s+other|one\s+another)\s+militarily\b"
         r"|\bin\s+(?:the\s+)?(?:event|case)\s+of\s+an?\s+(?:armed\s+)?(?:attack|aggression)\b", 30,
         anchor=r"defend|come|aid|attack|aggression|commit|assist|help|support",  # ("come to the other's defence", not every "defence")
         fires_on=("Under the pact each side will come to the other's aid if it is attacked.",),
         not_on=("The pact provides aid for flood victims.",)),
    Rule("defence-cooperation", T.DEFENSE_COOPERATION,
         r"\bdefen[cs]e\s+(?:and\s+(?:security|economic|technical|military)\s+)?co-?operation\b|\bsecurity\s+(?:and\s+defen[cs]e\s+)?co-?operation\b"
         r"|\bmilitary\s+co-?operation\b"
         r"|\b(?:security\s+(?:and|&)\s+)?defen[cs]e(?:\s+(?:and|&)\s+security)?\s+partnerships?\b"
         r"|\bpartnerships?\s+on\s+(?:security\s+and\s+defen[cs]e|defen[cs]e\s+and\s+security)\b"
         r"|\bforce\s+posture\b", 20,
         anchor=r"defen|security|military|posture",
         fires_on=("They signed a defence cooperation agreement.", "They signed a force posture agreement.",
                   "Moldova signed a security and defence partnership with the EU."),
         not_on=("They signed a cultural cooperation agreement.",)),
    Rule("defence-industry", T.DEFENSE_COOPERATION,
         r"\bdefen[cs]e\s+(?:equipment|technology)\b|\bstationing\s+of\b|\bdefen[cs]e\s+industr(?:y|ial)\b"
         r"|\bmilitary\s+(?:bases?|equipment|technology)\b|\b(?:arms|weapons)\b", 20,
         anchor=r"equipment|technolog|stationing|industr|base|arms|weapons",  # (not every "defence" or "military")
         fires_on=("They signed a pact on defence industrial collaboration.",),
         not_on=("They signed a pact on industrial collaboration.",)),
    Rule("other-technology-transfer", T.OTHER,
         r"\b(?:defen[cs]e\s+)?(?:equipment\s+and\s+technology|technology|equipment)\s+transfers?\b", 10,
         anchor=r"transfer",
         fires_on=("They signed a defence equipment and technology transfer pact.",),
         not_on=("They signed a defence equipment pact.",)),
    Rule("other-economic", T.OTHER,
         r"\btrade\b|\binvestment\b|\beconomic\s+partnership\b|\bfree[- ]trade\b|\bcritical\s+minerals?\b"
         r"|\btax(?:ation)?\b|\bcustoms\b|\bvisa\b|\baviation\b|\bair\s+services\b|\bfisher(?:y|ies)\b"
         r"|\benergy\b|\bclimate\b|\bcivil\s+nuclear\b|\bscience\s+and\s+technology\b|\bcultural\b|\bhealth\b"
         r"|\bdouble\s+taxation\b|\bcurrency\s+swap\b", 10,
         anchor=r"trade|investment|economic|mineral|tax|customs|visa|aviation|air services|fisher|energy|climate|nuclear|science|cultural|health|currency",
         fires_on=("They signed a free trade agreement.",),
         not_on=("They signed a defence agreement.",)),
    Rule("other-legal-border", T.OTHER,
         r"\bextradition\b|\bmigration\b|\bdelimitation\b|\bboundar(?:y|ies)\b|\bexclusive\s+economic\s+zones?\b"
         r"|\bmarine\b|\bmaritime\s+border\b|\bshiprider\b|\blaw[- ]enforcement\b|\bcounter-?narcotics\b"
         r"|\bdrug\s+trafficking\b|\bcross-border\b", 10,
         anchor=r"extradition|migration|delimitation|boundar|exclusive economic|marine|maritime|shiprider|law|narcotics|drug|cross-border",
         fires_on=("They signed an extradition treaty.",),
         not_on=("They signed a treaty of friendship.",)),
    Rule("other-arms-control-peace", T.OTHER,
         r"\barms\s+control\b|\bnon-?proliferation\b|\bnuclear\b|\bdisarmament\b|\bnuclear\s+arms\b"
         r"|\b(?:strategic\s+)?(?:offensive\s+)?arms\s+(?:reduction|limitation|cuts?)\b"
         r"|\bpeace\s+(?:treaty|agreement|deal|accord)\b|\bceasefire\b", 10,
         anchor=r"arms|proliferation|nuclear|disarmament|peace|ceasefire",
         fires_on=("They suspended the arms control treaty.",),
         not_on=("They suspended the arms sales deal.",)),
])

#: Characters around a trigger where its type keywords stand.
TYPE_BEFORE, TYPE_AFTER = 50, 110
#: Generic words that hint at defence cooperation when nothing names a type (a weak type,
#: dropped when the article types the same pair outright).
WEAK_TYPE_HINT = re.compile(r"\b(?:military|security|defen[cs]e|exercises|patrols|training|troops|forces)\b", re.I)
#: "a similar deal", "such agreements": a reference to an agreement of a type named before.
SIMILAR = re.compile(r"\b(?:similar|such|same|comparable|equivalent|rival|parallel)\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|our|their|its)\s+(?:(?:new|same|bilateral|original|landmark|historic|upgraded|revised|proposed|planned|draft|final)\s+)?$", re.I)
_DEFENCE_NOUN = re.compile(r"\b(?:defen[cs]e|military|security)\s+$", re.I)
_BARE_ARTICLE = re.compile(r"\b(?:a|an)\s+$", re.I)
_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|both|multiple)\s+(?:\w+\s+){0,2}$", re.I)
_COMPLEMENT = re.compile(r"\s+(?:on|for|concerning|regarding|covering|to)\b", re.I)
#: A capitalised agreement name: "the Reciprocal Access Agreement (2022)". At most a dozen words
#: before the noun (the longest in the corpora has six): an unbounded run would make a long run
#: of capitalised words cost its length squared.
_INSTRUMENT_NOUNS = ("Agreement", "Arrangement", "Treaty", "Accord", "Pact", "Memorandum")
_NAMED_INSTRUMENT = re.compile(r"((?:[A-Z][\w-]*\s+){1,12}(?:" + "|".join(_INSTRUMENT_NOUNS) + r"(?:\s+of\s+\w+)?))(?:\s*\((\d{4})\))?")


@dataclass(frozen=True)
class Keyword:
    """A type keyword found in a clause."""

    start: int
    end: int
    type: T


@dataclass(frozen=True)
class Typed:
    """A type a clause talks about: ``strong`` when a keyword or reference names it (a weak one
    is only a hint); ``date`` when the clause dates that instrument itself ("... (2012)")."""

    type: T
    strong: bool = True
    date: str = ""
    generic: bool = False  # no word types it: a bare "an agreement" (the pair's one typed agreement)


def keyword_spans(clause: str) -> list[Keyword]:
    """Type keywords of a clause in text order; of overlapping ones the longest wins.

    >>> [k.type.value for k in keyword_spans("an arms control treaty and a logistics pact")]
    ['other', 'logistics']
    """
    found = sorted(TYPE_KEYWORDS.finditer(clause), key=lambda h: (-(h.end - h.start), h.start, -h.rule.priority))
    kept: list[Hit[T]] = []
    for h in found:
        if all(h.end <= k.start or k.end <= h.start for k in kept):
            kept.append(h)
    return sorted((Keyword(h.start, h.end, h.label) for h in kept), key=lambda k: k.start)


_SPECIFICITY = {r.label: r.priority for r in TYPE_KEYWORDS}


#: What may stand between a keyword and the agreement noun it types: "intelligence sharing pact".
_MODIFIER_GAP = re.compile(r"[\s-]*(?:[\w-]+\s+){0,1}")
_ARTICLE_OR_CONJUNCTION = re.compile(r"\b(?:and|or|the|a|an)\b")


def own_type(clause: str, trigger: Hit[str], spans: list[Keyword], complement: bool = False) -> T | None:
    """The type a trigger names itself: an acronym (RAA, GSOMIA), the keyword that modifies it,
    or (with ``complement``) the keyword of its complement ("an accord on the protection of
    classified information")."""
    for k in spans:
        if k.start > trigger.start:
            break  # (spans are in text order: no later one starts before the trigger either)
        if trigger.start < k.end:
            return k.type
        gap = clause[k.end:trigger.start]
        if _MODIFIER_GAP.fullmatch(gap) and not _ARTICLE_OR_CONJUNCTION.search(gap):
            return k.type
    if complement:
        for k in spans:
            if k.start >= trigger.end and _COMPLEMENT_GAP.fullmatch(clause[trigger.end:k.start]):
                return k.type
    return None


#: Between an agreement noun and the keyword of its complement: "accord on the (mutual) ...".
_COMPLEMENT_GAP = re.compile(r"\s+(?:on|for|concerning|regarding|covering)\s+(?:the\s+)?(?:(?!(?:and|or)\b)[\w-]+\s+){0,3}", re.I)


def named_instruments(clause: str) -> list[Typed]:
    """Capitalised agreement names with their type and a '(YEAR)' right after them, when a clause
    names instruments of more than one type."""
    if not any(noun in clause for noun in _INSTRUMENT_NOUNS):
        return []  # most clauses name no instrument: the search is not run
    out = []
    for m in _NAMED_INSTRUMENT.finditer(clause):
        for rule in TYPE_KEYWORDS:  # most specific type first
            if rule.regex.search(m.group(1)):
                out.append(Typed(rule.label, True, m.group(2) or ""))
                break
    return out if len({t.type for t in out}) > 1 else []


_DETERMINER_BEFORE = re.compile(r"\b(?:the|this|that|these)\s+$", re.I)
_COMPLEMENT_AFTER = re.compile(r"\s+(?:on|for|concerning|regarding|covering|to|of|between|with)\b", re.I)


def bare_reference(clause: str, trigger: Hit[str]) -> bool:
    """'The agreement,' / 'the pact' with no modifier or complement of its own."""
    if not _DETERMINER_BEFORE.search(clause[max(0, trigger.start - 8):trigger.start]):
        return False
    return not _COMPLEMENT_AFTER.match(clause[trigger.end:])


def reference_type(state: Discourse, sentence_types: list[T]) -> T | None:
    """What 'the agreement' or 'a similar deal' refers to: the type named in this sentence, else
    the one type of the sentence before, else the article's main agreement."""
    prev = set(state.prev_sentence_types)
    if sentence_types:
        return sentence_types[-1]
    if len(prev) == 1:
        return next(iter(prev))
    return state.topic_type or state.last_type


def named_types(text: str) -> list[T]:
    """The types the agreement nouns of a text name themselves ("a status of forces agreement",
    "the GSOMIA"), in text order."""
    out = []
    for h in find_triggers(text):
        start = max(0, h.start - TYPE_BEFORE)  # a trigger's own type stands just before it or in it
        window = text[start:h.end]
        t = own_type(window, Hit(h.rule, h.start - start, h.end - start, h.text), keyword_spans(window))
        if t:
            out.append(t)
    return out


def _listed_fields(clause: str, triggers: list[Hit[str]], spans: list[Keyword]) -> list[T]:
    """The types of the fields a plural agreement noun lists: "14 pacts, including on X, Y and Z"."""
    for h in triggers:
        if not (h.text.islower() and h.text.endswith("s")):
            continue
        lead = _FIELDS_LEAD.match(clause, h.end)
        if lead:
            return list(dict.fromkeys(k.type for k in spans if lead.end() <= k.start <= lead.end() + 200))
    return []


_FIELDS_LEAD = re.compile(r",?\s+(?:including|covering|in\s+areas\s+such\s+as|in\s+the\s+fields\s+of)\s+(?:in\s+|on\s+)?"
                          r"(?:(?:key\s+)?(?:areas|fields|sectors)\s+(?:of|such\s+as|like)\s+)?", re.I)


def decide_types(clause: str, triggers: list[Hit[str]], cue_start: int, state: Discourse,
                 sentence_types: list[T]) -> list[Typed]:
    """The agreement types a clause talks about (empty: no one agreement to speak of)."""
    spans = keyword_spans(clause)
    named = named_instruments(clause)
    if len(named) > 1:
        # "two previous agreements, the Mutual Logistics Arrangement (2024) and the Defence
        # Cooperation Arrangement (2012)": one claim per named instrument.
        return named
    listed = _listed_fields(clause, triggers, spans)
    if len(listed) > 1:
        # "inked 14 pacts, including in key areas of defence, nuclear energy and protection of
        # classified information": one claim for each field the list types
        return [Typed(t) for t in listed]
    owns = [own_type(clause, h, spans) for h in triggers]
    own_types = list(dict.fromkeys(t for t in owns if t))
    if own_types and len(triggers) > 1 and None in owns:
        # "an accord on the protection of classified information, a defence equipment and
        # technology transfer pact and an ACSA": the complements type the other nouns
        own_types = list(dict.fromkeys(t for t in (own_type(clause, h, spans, complement=True) for h in triggers) if t))
    if len(own_types) > 1:
        # "a status of forces agreement and a defence cooperation arrangement": one claim each
        return [Typed(t) for t in own_types]
    if own_types:
        # the trigger's own modifier wins over other keywords of the clause: "a defence
        # cooperation agreement covering training and intelligence"; but a pledge of mutual
        # defence in its complement makes it a mutual defence pact ("a defence partnership
        # that commits each to come to the other's aid if attacked")
        if own_types[0] == T.DEFENSE_COOPERATION and any(
                k.type == T.MUTUAL_DEFENSE and any(h.end <= k.start <= h.end + TYPE_AFTER for h in triggers) for k in spans):
            return [Typed(T.MUTUAL_DEFENSE)]
        return [Typed(own_types[0])]
    nearest = min(triggers, key=lambda t: abs(t.start - cue_start)) if triggers else None
    ref = reference_type(state, sentence_types)
    if nearest is not None and ref and bare_reference(clause, nearest):
        # "The agreement, signed in Washington in December 2023, allows American troops ...":
        # a bare "the agreement" is the one named before, whatever its clauses describe
        return [Typed(ref)]
    hits = spans
    if triggers:
        # a keyword types a trigger only inside its noun phrase: a few words before it
        # ("intelligence sharing pact") or its complement after ("a pact that would allow
        # ... logistical support"), not anywhere in a long clause
        hits = [k for k in spans if any(t.start - TYPE_BEFORE <= k.start <= t.end + TYPE_AFTER for t in triggers)]
    if not hits and triggers:
        # a mutual defence pledge types the agreement wherever it stands in the sentence: "An
        # attack on one would be deemed an aggression against both, according to a new pact"
        hits = [k for k in spans if k.type == T.MUTUAL_DEFENSE]
    if hits and all(k.type == T.OTHER for k in hits) and nearest is not None and _DEFENCE_NOUN.search(
            clause, max(0, nearest.start - 12), nearest.start):
        # "the 1952 bilateral defense agreement ... from terrorism and drug trafficking": the noun's
        # own modifier says more than a keyword further on
        return [Typed(T.DEFENSE_COOPERATION, strong=False)]
    if hits:
        specific = [k for k in hits if k.type != T.OTHER] or hits
        best = max(specific, key=lambda k: (_SPECIFICITY[k.type], -k.start))
        return [Typed(best.type)]
    # no keyword near the trigger the status is about: "a similar deal" and "the accord" take the
    # type named before or, when nothing before named one, the type most of the article's
    # agreement nouns name ("The deal was signed by ..." ahead of "the Security and Defence
    # Partnership")
    if nearest is not None and ref is None and state.article_type is not None:
        ref = state.article_type()
    if nearest is not None:
        before = clause[max(0, nearest.start - 30):nearest.start]
        similar = SIMILAR.search(before + nearest.text)
        if ref and (similar or (_DEFINITE.search(before) and not _COMPLEMENT.match(clause[nearest.end:]))):
            return [Typed(ref)]
        if similar and state.last_weak_type:
            # "signed a security agreement" + "similar agreements were concluded with ...": as
            # weakly typed as the one they are like
            return [Typed(state.last_weak_type, strong=False)]
    if sentence_types:
        return [Typed(sentence_types[-1])]
    if not triggers and state.last_type:
        return [Typed(state.last_type)]
    # "a raft of military agreements" hints at a type; "two security agreements" will be named
    hinted = any(WEAK_TYPE_HINT.search(clause, max(0, t.start - 25), t.start)
                 and not _COUNTED.search(clause, max(0, t.start - 40), t.start) for t in triggers)
    if triggers and not hinted and all(t.text.lower().endswith("s") and t.text.islower() for t in triggers):
        return []  # "China and Russia have signed dozens of agreements": no one agreement to speak of
    generic = nearest is not None and bool(_BARE_ARTICLE.search(clause, max(0, nearest.start - 6), nearest.start))
    if generic and state.article_type is not None:
        # "agreed to commence negotiations on an agreement that would enhance interoperability"
        # in the lede of an article that names a reciprocal access agreement: that one
        article_type = state.article_type()
        if article_type:
            return [Typed(article_type, strong=False, generic=True)]
    if WEAK_TYPE_HINT.search(clause):
        return [Typed(T.DEFENSE_COOPERATION, strong=False)]
    return [Typed(T.OTHER, strong=False, generic=generic)]
