"""The extractor: runs the stages over an article's sentences and clauses and turns what they
decide into claims (a clause gives claims when it has an agreement trigger, a status cue that is
neither negated nor hypothetical, a type and a pair of parties)."""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

from kg.extract import background, parties
from kg.extract.clauses import split_clauses
from kg.extract.dates import DateMention, LazyDates, date_for
from kg.extract.discourse import Discourse, ListContext, Pair
from kg.extract.rules import WordStarts, prepare
from kg.extract.sentences import MAX_SENTENCE_CHARS, split_sentences
from kg.extract.status import MARKERS, Marker
from kg.extract.status import PARENTHETICAL_CUE, Cue, future_state, negated, parenthetical_status, reduced_relative_cue, status_cue
from kg.extract.triggers import TRIGGERS, find_triggers
from kg.extract.types import TYPE_KEYWORDS, decide_types, named_types
from kg.gazetteer import Gazetteer, Mention
from kg.records import AgreementType, Article, Claim, Evidence, PartnerCount, Status
from kg.text import IgnoreCase

#: "(..., and) it took effect": a clause that opens with a pronoun for an agreement.
_ANAPHOR_OPENING = r"(?:it|which)\s+(?:\w+\s+)?(?:has|had|was|is|took|came|entered|went)\b"
#: "one with", "another to", "(..., and) it took effect": an agreement named by a pronoun.
_ANAPHOR = IgnoreCase(r"\b(?:one|another)\s+(?:with|to)\b|^\s*" + _ANAPHOR_OPENING)
#: Talk of negotiations, which continues an agreement named just before.
_TALKS = IgnoreCase(r"\b(?:talks|negotiat|discussions|consultations|in\s+principle)")
_SIMPLE_PAST = re.compile(r"(?:agreed|signed|reached|concluded|inked|sealed|struck)\b", re.I)
_PERFECT_BEFORE = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?$", re.I)
#: A status told as earlier than the events around it, or of another agreement like it: no date
#: carries over to it.
_EARLIER = re.compile(r"\b(?:previously|earlier|already|formerly|once|originally|similar|such)\b", re.I)


# -- the sentence gates -----------------------------------------------------------------------

#: The patterns of the two gates below.
_AGREEMENT_PATTERNS = (TRIGGERS.prefilter(), background.BACKGROUND_CUES.prefilter(), _TALKS.regex.pattern,
                       _ANAPHOR.regex.pattern)
_RELEVANT_PATTERNS = (TRIGGERS.prefilter(own_patterns=True), background.BACKGROUND_CUES.prefilter(),
                      _TALKS.regex.pattern, _ANAPHOR.regex.pattern, _ANAPHOR_OPENING)
#: A sentence that matches none of these says nothing about an agreement: its clauses are not
#: analysed (it still names parties for the discourse), and it tells of no pledge.
#: Searched in the lowercased sentence, from word beginnings: ten times faster than ``re.I``.
_AGREEMENT_WORDS = WordStarts(_AGREEMENT_PATTERNS)
#: Of an ASCII sentence with agreement words, one that matches none of these has no clause with a
#: trigger, talks or an anaphor and no background cue either: nothing its clauses are analysed
#: for. The triggers stand in it by their own patterns where they can (RuleTable.prefilter):
#: "according" and "several" begin with the anchors "accord" and "sever" but are no trigger; a
#: clause's opening anaphor stands anywhere a clause can start.
_RELEVANT = WordStarts(_RELEVANT_PATTERNS)
#: A sentence that matches none of these has no background cue.
_BACKGROUND_WORDS = WordStarts((background.BACKGROUND_CUES.prefilter(),))

#: A numbered or bulleted list item: "1. Agreement between ...", "- The Agreement on ...".
_LIST_ITEM_START = re.compile(r"\s*(?:\d{1,2}[.)]|[-•*·–])\s+")
#: ", which signed ...", ", who inked ...": a relative clause with a status of its own.
_RELATIVE_STATUS = re.compile(r",\s*(?:which|who)\s+(?:also\s+|has\s+|had\s+|have\s+|itself\s+)*"
                              r"(?:signed|inked|concluded|ratified|terminated|scrapped|agreed)\b", re.I)
#: A pledge told of an agreement: the sentence names the agreement or one of its articles.
#: (The type rule's own pattern, searched in the lowercased sentence when it is ASCII.)
_MUTUAL_PLEDGE_RULE = next(r for r in TYPE_KEYWORDS if r.id == "mutual-defence-clause")
_MUTUAL_PLEDGE = IgnoreCase(_MUTUAL_PLEDGE_RULE.pattern)
#: Its rule's anchors at a word's beginning (``Rule.may_match``, as a gate: all are plain words).
_PLEDGE_ANCHORS = WordStarts((_MUTUAL_PLEDGE_RULE.anchor,))
_PLEDGE_CONTEXT = re.compile(r"\b(?:agreement|treaty|pact|accord|partnership|Article\s+\d+|clause|provisions?)\b", re.I)
#: The verbs an aside with an earlier status starts with (PARENTHETICAL_CUE, reduced_relative_cue).
_ASIDE_VERBS = ("signed", "concluded", "ratified", "agreed", "renewed", "extended", "into force", "into effect",
                "took effect", "dat", "inked")
#: A line of a list: it starts with a bullet, a number or a lowercase word.
_LIST_LINE = re.compile(r"\s*(?:\d{1,2}[.)]\s|[-•*·–]\s|[a-z])")
#: Every match holds "three" (no other character is ``re.I``-equal to its letters), a cheaper test
#: of the whole article than the search.
_TRIO_WORDS = re.compile(r"\b(?:three|all\s+three)\s+(?:countries|nations|sides|governments|allies|partners|leaders|ministers|states)\b", re.I)
_TRILATERAL = re.compile(r"\b(?:trilateral|three-way|tripartite)\b", re.I)
_INFINITIVE = re.compile(r"\bto\s+(?:\w+\s+)?\w+$", re.I)
_CARRY_WORDS = re.compile(r"\b(?:also|similar|too)\b", re.I)


def _dominant_type(article: Article) -> AgreementType | None:
    """The type most of an article's agreement nouns (headline included) name themselves: what
    "the deal" is about when nothing before it said."""
    counts: dict[AgreementType, int] = {}
    for t in named_types(article.title) + named_types(article.text):
        counts[t] = counts.get(t, 0) + 1
    return max(counts, key=lambda t: counts[t]) if counts else None


def _with_pledge(found: list[Found], at: list[int]) -> None:
    """The claims of the pair's latest sentence, a defence cooperation agreement, made mutual
    defence: a later sentence tells of its mutual defence pledge. ``at`` are the places in
    ``found`` of the pair's defence cooperation claims; those made mutual defence leave it."""
    if not at:
        return
    latest = found[at[-1]]
    # the same agreement: told in that sentence, or undated or dated alike elsewhere
    same = [i for i in at if (found[i].start, found[i].end) == (latest.start, latest.end)
            or found[i].date in ("", latest.date)]
    for i in same:
        found[i] = dataclasses.replace(found[i], type=AgreementType.MUTUAL_DEFENSE, strong=True)
    at[:] = [i for i in at if found[i].type in _PLEDGE_TYPES]


_PLEDGE_TYPES = (AgreementType.DEFENSE_COOPERATION,)


@dataclass
class Analysis:
    """Everything extraction finds in one article."""

    claims: list[Claim] = field(default_factory=list)
    counts: list[PartnerCount] = field(default_factory=list)


@dataclass
class Found:
    """A claim a clause gives, before the article-level merge."""

    a: str
    b: str
    type: AgreementType
    strong: bool
    status: Status
    date: str
    start: int = 0
    end: int = 0
    hedged: bool = False
    future: bool = False  # told with an infinitive ("to sign", "to negotiate"): a plan in a headline
    generic: bool = False  # a bare "an agreement": the pair's one typed agreement, if it has one


@dataclass
class _Sentence:
    """One sentence being analysed: its text, offset, mentions and what its clauses found."""

    text: str
    offset: int
    mentions: list[Mention]
    dates: LazyDates
    found: list[Found] = field(default_factory=list)
    types: list[AgreementType] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)  # of the last clause that gave claims
    # (the stages set the fields below, never the constructor: ``init=False`` leaves each to its
    # class default until then, one assignment less for every sentence)
    heading: ListContext | None = field(default=None, init=False)  # this sentence announces a list of partners
    ordinal: ListContext | None = field(default=None, init=False)  # an ordinal whose earlier partners are not named yet
    counted: ListContext | None = field(default=None, init=False)  # "agreements with six states" whose partners are not named yet
    plural_status: tuple[Status, str] | None = field(default=None, init=False)  # "the agreements were signed on ...": for list items
    plural_heading: bool = field(default=False, init=False)  # that statement ends with ':' and heads the lines after it
    plural_start: int = field(default=0, init=False)  # where that statement starts in the article
    items_only: bool = field(default=False, init=False)  # its claims all come from list items under such a statement
    pledge: Pair | None = field(default=None, init=False)  # the pair whose agreement this sentence says carries a mutual defence pledge

    @functools.cached_property
    def eligible(self) -> list[Mention]:
        """The mentions that can be parties (:func:`parties.eligible`): several stages ask."""
        return parties.eligible(self.text, self.mentions)


class Extractor:
    """Finds agreement claims in articles with the parties of a gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        prepare()  # one-time setup: every rule table's patterns and the shared anchor search, compiled now

    def analyse(self, article: Article) -> Analysis:
        """Claims and partner counts of one article, in one pass."""
        text = article.text
        state = Discourse(article_type=functools.cache(lambda: _dominant_type(article)),
                          trio_wanted="three" in text.lower() and _TRIO_WORDS.search(text) is not None)
        found: list[Found] = []
        pledgeable: dict[Pair, list[int]] = {}  # where each pair's defence cooperation claims are in found
        counts: list[PartnerCount] = []
        for s_start, s_end in split_sentences(text):
            sentence = self._sentence(text[s_start:s_end], s_start, article, state, counts)
            for f in sentence.found:
                if f.type in _PLEDGE_TYPES:
                    pledgeable.setdefault((f.a, f.b), []).append(len(found))
                found.append(f)
            if sentence.pledge:
                _with_pledge(found, pledgeable.get(sentence.pledge, []))
        claims = self._finalise(found, article)
        if article.title.strip():
            claims.extend(self._headline(article, {(c.party_a, c.party_b, c.status) for c in claims}))
        return Analysis(claims, counts)

    def _headline(self, article: Article, known: set[tuple[str, str, str]]) -> list[Claim]:
        """Claims the headline states that the body does not. A claim is counted once: where the
        body states the same pair and status, its sentence (with its date and, usually, a more
        exact type) is the better evidence. Headlines say "to sign" for what is only planned, and
        their vague nouns ("military accord") give no type of their own."""
        title = article.title[:MAX_SENTENCE_CHARS]  # a headline longer than a sentence is not one
        if _AGREEMENT_WORDS.search(title.lower()) is None:
            return []  # _sentence would analyse none of it (a fresh discourse has no list either)
        sentence = self._sentence(title, 0, article, Discourse(), [])
        found = [f for f in sentence.found if f.strong and not f.future]
        return [
            Claim(c.article_id, c.file, c.party_a, c.party_b, c.agreement_type, c.status, c.date,
                  Evidence(c.evidence.sentence, c.evidence.start, c.evidence.end, in_title=True), hedged=c.hedged)
            for c in self._finalise(found, article, text=title) if (c.party_a, c.party_b, c.status) not in known
        ]

    def extract(self, article: Article) -> list[Claim]:
        return self.analyse(article).claims

    # -- one sentence -------------------------------------------------------------------------

    def _mentions(self, sentence: str, article: Article) -> list[Mention]:
        mentions = self.gazetteer.mentions(sentence, on=article.date)
        if article.date is not None and parties.names_former(sentence):
            # "signed in 2010 by then-Presidents Barack Obama and Dmitry Medvedev": leaders out of
            # office on the publication date still name their countries
            taken = [(m.start, m.end) for m in mentions]
            extra = [m for m in self.gazetteer.mentions(sentence) if m.form == "leader"
                     and not any(a < m.end and m.start < b for a, b in taken)]
            mentions = sorted(mentions + extra, key=lambda m: m.start)
        return mentions

    def _sentence(self, text: str, offset: int, article: Article, state: Discourse,
                  counts: list[PartnerCount]) -> _Sentence:
        s = _Sentence(text, offset, self._mentions(text, article), LazyDates(text, article.date))
        for m in s.mentions:
            if self.gazetteer.party(m.code).kind == "organisation":
                state.saw_organisation(m.code)
        if s.mentions:
            state.saw_parties([m.code for m in s.mentions])
        if state.trio_wanted and len({m.code for m in s.mentions}) >= 3:
            eligible = s.eligible
            trio = parties.coordinated_members(text, eligible)
            if len(trio) != 3 and _TRILATERAL.search(text):
                # "a trilateral agreement with the United States" (not the topic: "intelligence on North Korea")
                trio = tuple(sorted({m.code for m in eligible
                                     if not parties.TOPIC_BEFORE.search(text, max(0, m.start - 12), m.start)}))
            if len(trio) == 3:
                state.saw_trio(trio)
        item = self._list_item(s, article, state) if state.heading is not None else None
        lowered = text.lower()
        worded = item is None and _AGREEMENT_WORDS.search(lowered) is not None
        # lowering an ASCII sentence keeps the matches of _RELEVANT's patterns
        relevant = worded and (not text.isascii() or _RELEVANT.search(lowered) is not None)
        if relevant:
            for c_start, c_end in split_clauses(text):
                s.found.extend(self._clause(s, c_start, c_end, article, state, counts))
            listed = self._background(s, lowered, article, state)
            if listed:
                # "the fourth partner, following Moldova, Norway and Japan, to sign": the listed
                # partners are each the shared party's partner, not each other's
                named = {c for f in listed for c in (f.a, f.b)}
                peers = {c for c in named if not all(c in (f.a, f.b) for f in listed)}  # all but the shared party
                s.found = [f for f in s.found if not {f.a, f.b} <= peers]
                s.found.extend(listed)
        mentioned = None
        if not s.found:
            mentioned = self._mentioned_pair(s)
            # (a sentence that states its own agreement has typed it already: not tested; the
            # pledge is the rarer of the two tests and the costlier, so it goes first, after its
            # rule's anchors where lowering keeps every match: an ASCII sentence)
            if (worded and (not text.isascii() or _PLEDGE_ANCHORS.search(lowered) is not None)
                    and _MUTUAL_PLEDGE.found(text) and _PLEDGE_CONTEXT.search(text)
                    and not any(h.label == Marker.NEGATION for h in MARKERS.finditer(text))):
                # "Under Article 2 of the agreement, both parties provide each other help and
                # assistance ... if an armed attack ...": the agreement told of is a mutual defence one
                s.pledge = mentioned or state.last_pair
        for f in s.found:
            if not f.end:  # a claim that needs the sentences before it sets its own span
                f.start, f.end = offset, offset + len(text)
        if item is not None:
            s.found = item
        state.after_sentence(bool(s.found), [f.type for f in s.found if f.strong], mentioned,
                             s.ordinal, s.heading, list_item=item is not None, counted=s.counted,
                             plural_status=s.plural_status, items_only=s.items_only or bool(
                                 state.plural_status_heading and _LIST_LINE.match(text)),
                             plural_heading=s.plural_heading, plural_start=s.plural_start)
        return s

    # -- background lists ---------------------------------------------------------------------

    def _list_item(self, s: _Sentence, article: Article, state: Discourse) -> list[Found] | None:
        """A line of a list under a heading ("- Chile (2004)"): a claim of the heading's party
        with the listed one, its evidence from the heading to the line."""
        heading = state.heading
        if heading is None:
            return None
        listed = background.item_party(s.text, s.eligible, article.date)
        if listed is None or listed.code == heading.party:
            return None
        a, b = parties.pair(heading.party, listed.code)
        return [Found(a, b, t, True, heading.status, listed.date, heading.start, s.offset + len(s.text))
                for t in heading.types]

    def _background(self, s: _Sentence, lowered: str, article: Article, state: Discourse) -> list[Found]:
        """Earlier partners an ordinal lists ("the seventh ACSA partner, after A, B and C") or
        that the sentence after an ordinal names ("The only predecessor is A"); ``lowered`` is the
        sentence lowercased."""
        text = s.text
        if not s.mentions or _BACKGROUND_WORDS.search(lowered) is None:  # (no mention, no eligible one: nothing below)
            return []  # (the cues' anchors, as _AGREEMENT_WORDS tests them: a third of the search)
        cue = background.BACKGROUND_CUES.search(text)
        if cue is None:
            return []
        eligible = s.eligible
        if not eligible:
            return []
        if cue.label in ("enumeration", "predecessor"):
            # "These are A, B and C" after a count; "The only predecessor is A" after an ordinal
            return self._continued_list(s, eligible, cue.end, state.counted if cue.label == "enumeration" else state.ordinal,
                                        article)
        types = decide_types(text, find_triggers(text), cue.start, state, s.types)
        if not types or not types[0].strong and not find_triggers(cue.text):
            return []  # an untyped ordinal counts agreements only when it names one ("the fourth similar pact")
        before = [m for m in eligible if m.end <= cue.start and cue.start - m.end <= 40]
        owner = before[-1].code if before and before[-1].possessive and cue.start - before[-1].end <= 4 else None
        subject = before[-1].code if before and owner is None else None  # "Japan's third such deal": Japan shares it
        peers, _ = background.peers_after(text, eligible, cue.start, len(text), article.date)
        exclude = {p.code for p in peers} | ({subject} if subject else set())
        hub = owner or background.shared_party(text, eligible, cue.end, exclude)
        if hub is None and subject and state.last_pair and subject in state.last_pair:
            hub = next(c for c in state.last_pair if c != subject)
        if hub is None:
            return []
        if not peers:
            s.ordinal = ListContext(hub, (types[0].type,), Status.SIGNED, s.offset)
            return []
        return [Found(*parties.pair(hub, p.code), t.type, True, Status.SIGNED, p.date)
                for t in types for p in peers if p.code != hub]

    @staticmethod
    def _continued_list(s: _Sentence, eligible: list[Mention], after: int, context: ListContext | None,
                        article: Article) -> list[Found]:
        """The parties a sentence lists after ``after``, each with the party of the sentence before
        that announced them; the evidence spans both sentences."""
        first = next((i for i, m in enumerate(eligible) if m.start >= after), None)
        if context is None or first is None:
            return []
        listed, _ = background.party_list(s.text, eligible, first, article.date)
        return [Found(*parties.pair(context.party, p.code), t, True, context.status, p.date, context.start,
                      s.offset + len(s.text)) for t in context.types for p in listed if p.code != context.party]

    @staticmethod
    def _mentioned_pair(s: _Sentence) -> Pair | None:
        """The one pair a sentence without claims talks about, if any ("Japan and Australia are
        special strategic partners"; "Ghana's defence minister met his Togolese counterpart")."""
        sentence = s.text
        if len({m.code for m in s.mentions}) < 2:
            return None
        eligible = s.eligible
        codes = list(dict.fromkeys(m.code for m in eligible))
        if len(codes) < 2:
            return None  # every way to a pair below joins two mentions of different parties
        group = parties.first_coordinated_group(sentence, eligible) or [
            p for p in [parties.compound_pair(sentence, eligible, 0, len(sentence))] if p]
        if not group and len(codes) == 2 and parties.MEETING.search(sentence):
            group = [parties.pair(*codes)]
        return group[0] if len(group) == 1 else None

    # -- one clause ---------------------------------------------------------------------------

    def _cue(self, clause: str) -> tuple[Cue, re.Match[str] | None] | None:
        """The status cue of a clause, and the aside with an earlier status when there is one
        ("The agreement, signed in 2019, took effect on Monday")."""
        lowered = clause.lower()
        paren = None
        if any(w in lowered for w in _ASIDE_VERBS):  # cheap test before the two patterns
            paren = PARENTHETICAL_CUE.search(clause) or reduced_relative_cue(clause)
        cue = status_cue(clause, skip=paren.span()) if paren else None
        if cue is None:
            paren = None
            cue = status_cue(clause)
        return (cue, paren) if cue else None

    def _clause(self, s: _Sentence, c_start: int, c_end: int, article: Article, state: Discourse,
                counts: list[PartnerCount]) -> list[Found]:
        sentence = s.text
        clause = sentence[c_start:c_end]
        triggers = find_triggers(clause)
        anaphor = not triggers and _ANAPHOR.found(clause)
        # "..., signed by the two leaders in June, has entered into force": the same subject's verb
        continued = bool(s.found) and not triggers and parties.VERB_FIRST.match(clause) is not None
        if not triggers and not anaphor and not continued and not _TALKS.found(clause):
            return []  # most clauses: nothing about agreements at all
        got = self._cue(clause)
        listed_date = ""
        if got is None and triggers and state.plural_status and _LIST_ITEM_START.match(sentence) and c_start == 0:
            # "The agreements were signed on April 15: 1. Agreement between X and Y on air defence.
            # 2. Agreement ... on aircraft at military aerodromes." each item its own claim
            status, listed_date = state.plural_status
            got = (Cue(status, 0, 0, "list-item"), None)
            s.items_only = True
        if got is None:
            return []
        cue, paren = got
        earlier_claim_in_sentence = bool(s.found)
        if not triggers and not continued and not self._continues(clause, cue, anaphor, earlier_claim_in_sentence, state):
            return []
        if negated(clause, cue) or future_state(clause, cue):
            return []
        if cue.rule != "list-item" and any(t.text.islower() and t.text.endswith("s") for t in triggers):
            # "the agreements were signed on April 15": numbered items naming them may follow
            s.plural_status = (cue.status, date_for(list(s.dates), c_start, c_end, cue.start + c_start))
            s.plural_heading = sentence.rstrip().endswith(":")
            s.plural_start = s.offset
        types = decide_types(clause, triggers, cue.start, state, s.types)
        if not types:
            return []
        clause_mentions = [m for m in s.mentions if c_start <= m.start and m.end <= c_end]
        # a clause with all the sentence's mentions: the sentence's eligible ones
        eligible = s.eligible if len(clause_mentions) == len(s.mentions) else parties.eligible(sentence, clause_mentions)
        decision = parties.decide_pairs(sentence, c_start, c_end, cue.start + c_start, eligible, clause_mentions,
                                        state, s.pairs)
        if "respective" in clause:
            respective = parties.respective(sentence, s.eligible, c_start + cue.start, c_end)
            decision = respective or decision
        state.after_pairs(decision.seen_hub, decision.seen_partner)
        listed: dict[Pair, str] = {}  # dates a list gives each partner
        for p, at in decision.gapped_at.items():  # "..., Finland since September 2022, ..."
            own = [d for d in s.dates if at <= d.start < at + 40]
            if own:
                listed[p] = own[0].value
        if not decision.pairs and decision.hub:
            hub = decision.hub
            if sentence.startswith(":", c_end):
                # "accords with 12 countries: Chile (signed in 1990), Peru (1994), ..."
                after = [m for m in s.eligible if m.start > c_end]
                items, _ = background.party_list(sentence, after, 0, article.date) if after else ([], 0)
                items = [it for it in items if it.code != hub]
                decision = parties.PairDecision([parties.pair(hub, it.code) for it in items],
                                                hub, [it.code for it in items])
                listed = {parties.pair(hub, it.code): it.date for it in items}
            elif clause.rstrip().endswith(":") and any(t.strong for t in types):
                # "Norway has signed such agreements with the following countries:" + one per line
                s.heading = ListContext(hub, tuple(t.type for t in types if t.strong), cue.status,
                                    s.offset + c_start)
                return []
            elif parties.counted_partners(clause):
                # "Norway has such agreements with three states." + "These are Chile, Peru and Ghana."
                s.counted = ListContext(hub, tuple(t.type for t in types), cue.status, s.offset + c_start)
        pairs = parties.bounded(decision.pairs)
        if not pairs:
            return []

        dates: list[DateMention] = list(s.dates)
        p_dates: list[DateMention] = []
        if paren:
            p_start, p_end = c_start + paren.start(), c_start + paren.end()
            p_dates = [d for d in dates if p_start <= d.start and d.end <= p_end]
            dates = [d for d in dates if not (p_start <= d.start and d.end <= p_end)]
        # a continued clause's status has its own date, not the one of the status before it
        date = listed_date or date_for([d for d in dates if not continued or d.start >= c_start], c_start, c_end,
                                       cue.start + c_start)
        if (not date and _SIMPLE_PAST.match(clause, cue.start) and not _PERFECT_BEFORE.search(clause[:cue.start])
                and not _EARLIER.search(clause)):
            date = state.last_date  # "They met on Monday. They signed ..." carries the date

        # "... took note of the agreements that are already in force:" + "the Memorandum of
        # Understanding Brazil – Sweden ..., signed in 2000;": the item is in force too
        under = None
        if state.plural_status and state.plural_status_heading and _LIST_LINE.match(sentence) and cue.rule != "list-item":
            under = state.plural_status[0]
        future = _INFINITIVE.search(clause, 0, cue.end) is not None
        out = []
        for t in types:
            for a, b in pairs:
                out.append(Found(a, b, t.type, t.strong, cue.status, listed.get((a, b)) or t.date or date,
                                 hedged=cue.hedged, future=future,
                                 generic=t.generic))
                if paren:
                    out.append(Found(a, b, t.type, t.strong, parenthetical_status(next(g for g in paren.groups() if g)),
                                     p_dates[0].value if p_dates else ""))
                if under is not None and under != cue.status:  # cites the heading and the line
                    out.append(Found(a, b, t.type, t.strong, under, "", state.plural_status_start, s.offset + len(sentence)))
        strong = [t.type for t in types if t.strong]
        s.types.extend(strong)
        s.pairs = pairs
        state.after_clause(pairs, decision.hub, date, strong, [t.type for t in types if not t.strong])
        n = parties.counted_partners(clause) if decision.hub else 0  # a count needs the party counted for
        if n and decision.hub:
            counts.append(PartnerCount(
                article.id, article.file, decision.hub, n, tuple(sorted(decision.partners)),
                types[0].type.value, cue.status.value, Evidence(sentence, s.offset, s.offset + len(sentence)),
                parties.counted_kind(sentence),
            ))
        return out + self._relative(s, c_start + cue.end, c_end, state)

    def _relative(self, s: _Sentence, after: int, c_end: int, state: Discourse) -> list[Found]:
        """A third party's own agreement told in a relative clause after the main status: "...,
        angering Turkey, which signed a rival deal with Libya last year"."""
        sentence = s.text
        if "which" not in sentence and "who" not in sentence:
            return []
        rel = _RELATIVE_STATUS.search(sentence, after, c_end)
        if rel is None:
            return []
        eligible = s.eligible
        antecedent = next((m for m in reversed(eligible) if m.end <= rel.start()
                           and not sentence[m.end:rel.start()].strip()), None)
        end = sentence.find(",", rel.end())
        end = c_end if end < 0 or end > c_end else end
        text = sentence[rel.start():end]
        cue = status_cue(text)
        triggers = find_triggers(text)
        if antecedent is None or cue is None or not triggers or negated(text, cue) or future_state(text, cue):
            return []
        partners = parties.with_list(sentence, eligible, rel.start(), end)[:parties.MAX_PARTIES_PER_LIST]
        types = decide_types(text, triggers, cue.start, state, s.types)
        date = date_for(list(s.dates), rel.start(), end, rel.start() + cue.start)
        return [Found(*parties.pair(antecedent.code, p), t.type, t.strong, cue.status, date)
                for t in types for p in partners if p != antecedent.code]

    @staticmethod
    def _continues(clause: str, cue: Cue, anaphor: bool, earlier_claim_in_sentence: bool,
                   state: Discourse) -> bool:
        """A clause without a trigger continues the agreement named before: "Negotiations are
        also underway with Canada", "agreed on it in principle", "and another with Chile"."""
        if anaphor and (earlier_claim_in_sentence or state.claims_in_prev_sentence):
            return True  # "It took effect in August" after the sentence that signed it
        if not state.last_type:
            return False
        talks = cue.status in (Status.NEGOTIATING, Status.TALKS_AGREED) or (
            cue.status == Status.AGREED_IN_PRINCIPLE and re.search(r"\bconcluded\s+(?:the\s+)?(?:negotiations|talks)", clause, re.I))
        carried = earlier_claim_in_sentence or (state.claims_in_prev_sentence and (
            _CARRY_WORDS.search(clause) or parties.PRONOUN_SUBJECT.search(clause[:cue.start])))
        in_principle = cue.status == Status.AGREED_IN_PRINCIPLE and re.search(r"\bin\s+principle\b", clause, re.I)
        return bool(talks and carried or in_principle)

    # -- article level ------------------------------------------------------------------------

    @staticmethod
    def _finalise(found: list[Found], article: Article, text: str | None = None) -> list[Claim]:
        """One claim per (pair, type, status): the dated and plain one preferred; an untyped
        "agreement" dropped when the article types the same pair and status outright. Evidence is
        cut from ``text`` (the article's text unless given)."""
        text = article.text if text is None else text
        strong = {(f.a, f.b, f.status) for f in found if f.strong}
        # an untyped "other" says less than any typed claim, even a weak one, of the same status
        typed = {(f.a, f.b, f.status) for f in found if f.strong or f.type != AgreementType.OTHER}
        pair_types: dict[Pair, set[AgreementType]] = {}
        for f in found:
            if f.strong:
                pair_types.setdefault((f.a, f.b), set()).add(f.type)
        seen: dict[tuple[str, str, AgreementType, Status], Found] = {}
        for f in found:
            if f.a == f.b or (not f.strong and (f.a, f.b, f.status) in strong):
                continue
            if not f.strong and f.type == AgreementType.OTHER and (f.a, f.b, f.status) in typed:
                continue
            if f.generic and len(pair_types.get((f.a, f.b), ())) == 1:
                # "had made an agreement in which ..." after "an agreement on military
                # cooperation between" the same two: the one agreement the article types
                f = dataclasses.replace(f, type=next(iter(pair_types[(f.a, f.b)])), strong=True)
            key = (f.a, f.b, f.type, f.status)
            if key not in seen or (not seen[key].date and f.date) or (seen[key].hedged and not f.hedged):
                seen[key] = f
        evidence: dict[tuple[int, int], Evidence] = {}  # one per sentence, however many claims cite it
        for f in seen.values():
            if (f.start, f.end) not in evidence:
                evidence[f.start, f.end] = Evidence(text[f.start:f.end], f.start, f.end)
        return [
            Claim(article.id, article.file, a, b, type_.value, status.value, f.date, evidence[f.start, f.end],
                  hedged=f.hedged)
            for (a, b, type_, status), f in seen.items()
        ]
