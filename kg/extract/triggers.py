"""Triggers: the words that name an agreement ("pact", "RAA", "Declaration on ..."), and the
phrases where such a word names none ("in agreement with the view", "a joint statement")."""

from __future__ import annotations

from kg.extract.rules import Hit, Rule, RuleTable

#: The nouns several status cues need next to them ("has similar agreements", "under the pact").
#: Agreements known by their acronym (matched case-sensitively; plural "s" allowed).
#: Agreement names written as acronyms (as they are written: the rule is case-sensitive).
_ACRONYMS = ("MOU", "MoU", "GSOMIA", "RAA", "SOFA", "VFA", "SOVFA", "ACSA", "LEMOA", "MLSA", "COMCASA", "BECA", "DCA")
AGREEMENT_ACRONYMS = r"(?:" + "|".join(_ACRONYMS) + r")s?"
AGREEMENT_NOUN = (r"(?:agreements?|pacts?|deals?|treat(?:y|ies)|accords?|arrangements?"
                  r"|(?-i:" + AGREEMENT_ACRONYMS + r"))")

TRIGGERS: RuleTable[str] = RuleTable("triggers", [
    Rule("agreement-noun", "agreement",
         r"\b(?:agreements?|pacts?|deals?|treat(?:y|ies)|accords?|arrangements?|memorand(?:um|a|ums)|conventions?|protocols?)\b",
         anchor=r"agreement|pact|deal|treat|accord|arrangement|memorand|convention|protocol", priority=50,
         fires_on=("The two countries signed a logistics pact on Monday.",),
         not_on=("The two leaders held talks on regional security.",)),
    Rule("agreement-acronym", "agreement",
         r"\b" + AGREEMENT_ACRONYMS + r"\b",
         # the anchors are the acronyms themselves, so that none is left out of the pre-filter
         anchor="|".join(dict.fromkeys(a.lower() for a in _ACRONYMS)), priority=50, case_sensitive=True,
         fires_on=("Freedonia and Sylvania signed an ACSA in 2019.", "Freedonia and Sylvania signed a DCA in 2023."),
         not_on=("She sat on the sofa during the interview.",)),
    Rule("defence-partnership", "agreement",
         r"\b(?:security\s+(?:and|&)\s+)?defen[cs]e(?:\s+(?:and|&)\s+security)?\s+partnerships?\b"
         r"|\bpartnerships?\s+on\s+(?:security\s+and\s+defen[cs]e|defen[cs]e\s+and\s+security)\b"
         r"|\b(?:similar|such\s+an?|same)\s+partnerships?\b",
         anchor=r"partnership", priority=45,
         fires_on=("Moldova signed a security and defence partnership with the EU on Tuesday.",
                   "The EU concluded a similar partnership with Norway last year."),
         not_on=("The two countries upgraded ties to a comprehensive strategic partnership.",)),
    Rule("signed-acronym", "agreement",
         r"\b(?:signed|inked|concluded|ratified|renewed|scrapped|terminated)\s+(?:the|an?)\s+(?P<span>[A-Z]{3,8})\b(?!\s+[A-Z])",
         anchor=r"signed|inked|concluded|ratified|renewed|scrapped|terminated", priority=35, case_sensitive=True,
         fires_on=("The two countries signed the GOSMIA in 2016 to share military intelligence.",),
         not_on=("The two countries signed the deal at the UN headquarters.",)),
    Rule("cooperation-ended", "agreement",
         r"\b(?:ended|ends|end|terminated|terminates|suspended|suspends|froze|freezes|halted|halts|cut|severed|scrapped)\s+"
         r"(?:all\s+|its\s+|their\s+)?(?P<span>(?:military|defen[cs]e|security)\s+co-?operation)\b",
         anchor=r"end|terminat|suspend|froze|freez|halt|cut|sever|scrap", priority=35,
         fires_on=("The junta ended military cooperation with Togo on Tuesday.",),
         not_on=("The junta expanded military cooperation with Togo on Tuesday.",)),
    Rule("free-trade-area", "agreement", r"\bfree[- ]trade\s+(?:area|zone)s?\b", anchor=r"free", priority=40,
         fires_on=("The bloc launched talks on a free trade area with the Gulf states.",),
         not_on=("Free trade was on the agenda.",)),
    Rule("named-declaration", "agreement",
         r"\bDeclaration\s+(?:on|of)\b|(?<=[a-z] )[A-Z][a-z]+\s+Declaration\b",
         anchor=r"declaration", priority=40, case_sensitive=True,
         fires_on=("The two leaders signed the Declaration on Security Cooperation.",),
         not_on=("The leaders issued a declaration of intent to meet again.",)),
    Rule("defence-declaration", "agreement",
         r"\bdeclaration\b(?=[^.;]{0,120}?(?:\bmilitary\s+(?:assistance|aid|help)\b|\battacked\b|\bmutual\s+(?:defen[cs]e|aid|assistance)\b))",
         anchor=r"declaration", priority=30,
         fires_on=("They signed a declaration pledging mutual military assistance if either is attacked.",),
         not_on=("They signed a declaration on climate action.",)),
])

#: Where a trigger word stands inside one of these, it names no agreement.
NOT_AGREEMENTS: RuleTable[None] = RuleTable("not-agreements", [
    Rule("in-agreement-with-view", None,
         r"\b(?:in|reached\s+no|without\s+(?:an?\s+)?)\s*agreement\s+(?:with\s+(?:the\s+)?(?:view|idea|statement))",
         anchor=r"view|idea|statement", priority=10,
         fires_on=("The minister said she was in agreement with the view that talks should go on.",),
         not_on=("The minister signed an agreement with Freedonia.",)),
    Rule("not-a-treaty", None,
         r"\b(?:not|rather\s+than|instead\s+of|short\s+of)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:treaty|agreement|pact|accord|deal)\b",
         anchor=r"not|rather|instead|short", priority=10,
         fires_on=("The war ended in a truce, not a peace treaty.",),
         not_on=("The war ended with a peace treaty.",)),
    Rule("joint-statement", None, r"\bjoint\s+(?:statement|declaration|communiqu[eé])\b", anchor="joint", priority=10,
         fires_on=("The two leaders issued a joint statement after the summit.",),
         not_on=("The two leaders signed a statement of intent.",)),
])


def find_triggers(clause: str) -> list[Hit[str]]:
    """The agreement triggers of a clause in text order, those inside a non-agreement phrase
    left out.

    >>> [h.text for h in find_triggers("They signed an ACSA and a pact, and issued a joint declaration.")]
    ['ACSA', 'pact']
    """
    hits = TRIGGERS.masked(clause)
    if not hits or not NOT_AGREEMENTS.may_match_within(clause):  # one test of the clause for all its windows
        return hits
    return [h for h in hits if not NOT_AGREEMENTS.search(clause[max(0, h.start - 20):h.end + 20])]
