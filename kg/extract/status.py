"""Status: how far an agreement got (signed, agreed in principle, negotiating, ...), from the
cue a clause states it with, and whether that cue is negated or hypothetical."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kg.extract.rules import Hit, Rule, RuleTable
from kg.extract.triggers import AGREEMENT_NOUN
from kg.records import Status as S

#: Status cues. Where two overlap, the higher priority masks the lower; of the cues left, the
#: first in the clause decides. A weak rule decides only when the clause has no other cue.
#: Blockers (label ``None``) decide nothing: they mask the words they cover ("toward signing").
STATUS_CUES: RuleTable[S | None] = RuleTable("status-cues", [
    Rule("block-bring-to-close", None,
         r"\b(?:brings?|brought)\s+to\s+an?\s+(?:close|end)(?:\s+(?:the\s+)?(?:\w+\s+)?(?:negotiations|talks|discussions))?\b",
         anchor=r"bring|brought", priority=140,
         fires_on=("The visit brought to a close the talks on a logistics pact.",),
         not_on=("The two sides signed the logistics pact.",)),
    Rule("block-toward-signing", None,
         r"\b(?:toward|towards|ahead\s+of|before|aimed\s+at|with\s+a\s+view\s+to)\s+(?:the\s+)?(?:signing|sign|concluding|conclusion)\b",
         anchor=r"toward|ahead|before|aimed|with a view", priority=135,
         fires_on=("Officials are working toward signing the pact.",),
         not_on=("Officials attended the signing of the pact.",)),
    Rule("block-signing-delayed", None,
         r"\bsigning\s+(?:\w+\s+){0,3}?(?:delayed|postponed|put\s+off|deferred|pushed\s+back|cancell?ed)\b",
         anchor=r"signing", priority=139,
         fires_on=("The two agree text of a defence treaty, signing delayed",),
         not_on=("The two delayed talks but went ahead with the signing of the treaty.",)),
    Rule("block-anticipated-signing", None,
         r"\b(?:anticipated|expected|planned|upcoming|forthcoming|future|proposed|possible|potential|eventual)\s+"
         r"(?:signing|conclusion|ratification|entry\s+into\s+force)\b",
         priority=139, anchor=r"anticipated|expected|planned|upcoming|forthcoming|future|proposed|possible|potential|eventual",
         fires_on=("The anticipated signing of the defence cooperation agreement will deepen ties.",),
         not_on=("The signing of the defence cooperation agreement deepened ties.",)),
    Rule("block-signing-postponed", None,
         r"\b(?:postponed|postpones|postpone|delayed|delays|put\s+off|called\s+off|shelved|deferred)\s+(?:[\w-]+\s+){0,3}?"
         r"(?:the\s+)?signing\b|\b(?:closer|close|step|steps|nearer)\s+to\s+(?:signing|sign|concluding)\b",
         priority=139, anchor=r"postpone|delay|put off|called off|shelved|deferred|close|step|nearer",
         fires_on=("South Korea postponed on Friday the signing with Japan of a pact to share military information.",
                   "The Philippines is a step closer to signing a visiting forces agreement with Canada."),
         not_on=("South Korea went ahead on Friday with the signing of a pact to share military information.",)),
    Rule("block-signed-decree", None,
         r"\bsign(?:ed|s|ing)?\s+(?:an?\s+|the\s+|two\s+|three\s+)?(?:executive\s+)?(?:decrees?|laws?|bills?|orders?|instruments?\s+of\s+ratification)\b",
         priority=139, anchor=r"decree|law|bill|order|instrument",  # (not "sign": in most clauses)
         fires_on=("The president signed decrees that ratify the status of forces agreement.",),
         not_on=("The president signed the status of forces agreement.",)),
    Rule("block-considered-as", None,
         r"\b(?:is|are|was|were|being|widely)\s+considered\s+(?:an?|as|the|to\s+be)\b|\bconsider(?:ed|s)?\s+(?:the\s+|this\s+|it\s+)?(?:[\w-]+\s+){0,3}?as\b",
         priority=139, anchor=r"consider",
         fires_on=("The intelligence sharing deal is considered an effort to get around frayed relations.",
                   "The communique considered the memorandum as a concrete step."),
         not_on=("Freedonia is considering a mutual defence pact with Sylvania.",)),
    Rule("block-talks-about-talks", None,
         r"\b(?:discussions?|consultations?|efforts?|work)\s+(?:\w+\s+){0,2}?(?:to|on|towards?)\s+(?:launch|start|begin|open|commence|launching|starting|opening)\s+(?:formal\s+)?(?:talks|negotiations)\b",
         anchor=r"discussion|consultation|effort|work", priority=138,
         fires_on=("The leaders agreed to step up discussions to launch talks on a logistics pact.",),
         not_on=("The leaders agreed to launch talks on a logistics pact.",)),
    Rule("block-future-talks", None,
         r"\b(?:expected|set|due|scheduled|poised|planning|plans?|planned|intends?|intended|going|likely|hoping|hopes?|ready)"
         r"\s+to\s+(?:formally\s+)?(?:begin|start|launch|open|commence|hold|resume|enter(?:\s+into)?)\s+(?:formal\s+|official\s+)?"
         r"(?:talks|negotiations|discussions|consultations)\b",
         priority=137, anchor=r"expected|set|due|scheduled|poised|plan|intend|going|likely|hop|ready",
         fires_on=("The two countries are expected to begin negotiations on a logistics pact later this year.",),
         not_on=("The two countries began negotiations on a logistics pact this year.",)),
    Rule("block-aim-to-sign", None,
         r"\b(?:aim(?:s|ed|ing)?|seek(?:s|ing)?|hop(?:e|es|ed|ing))\s+to\s+(?:sign|conclude|ink|finali[sz]e)\b",
         anchor=r"aim|seek|hop", priority=136,
         fires_on=("The two ministers are aiming to sign a defence cooperation agreement before the end of the year.",),
         not_on=("The two ministers are set to sign a defence cooperation agreement next week.",)),
    Rule("negotiating-round", S.NEGOTIATING,
         r"\b(?:concluded|completed|held|wrapped\s+up|finished|began|opened)\s+(?:the\s+|a\s+)?(?:\w+\s+)?round\s+of\s+(?:formal\s+)?(?:talks|negotiations|discussions)\b",
         anchor=r"round", priority=130,
         fires_on=("The two sides concluded a third round of talks on the pact.",),
         not_on=("The two sides concluded the pact.",)),
    Rule("talks-agreed", S.TALKS_AGREED,
         r"\b(?:agreed|agree|agrees|decided|decide|decides)\s+(?:\w+\s+){0,8}?(?:to\s+(?:start|begin|launch|open|commence|enter\s+into|hold|initiate)\s+(?:the\s+)?(?:formal\s+|official\s+|working-level\s+)?(?:talks|negotiations|discussions|consultations|meetings)"
         r"|to\s+(?:re)?negotiate|on\s+(?:the\s+)?(?:commencement|start|launch|opening|beginning)\s+of\s+(?:formal\s+)?(?:talks|negotiations|discussions))\b",
         # (every match names the talks: "agree" alone stands in every "agreement")
         anchor=r"talks|negotiat|renegotiat|discussions|consultations|meetings", priority=125,
         fires_on=("The ministers agreed to start negotiations on a reciprocal access agreement.",),
         not_on=("The ministers started negotiations on a reciprocal access agreement.",)),
    Rule("negotiating-accelerate", S.NEGOTIATING,
         r"\b(?:(?:agreed|agree|agrees|decided|plan|plans|planned|vowed|pledged)\s+)?(?:to\s+)?(?:accelerate|expedite|speed\s+up|step\s+up|advance|continue|resume|intensify)\s+(?:the\s+)?(?:talks|negotiations|discussions|consultations|work)\b",
         anchor=r"accelerate|expedite|speed|step|advance|continue|resume|intensify", priority=120,
         fires_on=("The leaders agreed to accelerate talks on a logistics pact.",),
         not_on=("The leaders agreed to a logistics pact in principle.",)),
    Rule("ordinal-to-sign", S.SIGNED,
         r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th)|latest)\s+"
         r"(?:[\w-]+\s+){0,2}?(?:country|countries|nation|state|partner|member|government)\s+to\s+(?:sign|ink|conclude|ratify)\b",
         anchor=r"countr|nation|state|partner|member|government", priority=118,  # (not "sign": in most clauses)
         fires_on=("Moldova is the first country to sign such a partnership with the bloc.",),
         not_on=("Moldova is the first country to discuss such a partnership with the bloc.",)),
    Rule("in-principle", S.AGREED_IN_PRINCIPLE,
         r"\bagreements?\s+in\s+principle\b|\b(?:agreed|agree|agrees|agreeing|reached|reach|reaching)\b(?:\s+[\w\"“”']+){0,3}?\s+[\"“']?in\s+principle\b"
         r"|\bpreliminary\s+(?:agreement|deal|accord)\b|\bin[- ]principle\s+(?:agreement|deal)\b",
         anchor=r"principle|preliminary", priority=115,
         fires_on=("Freedonia and Sylvania agreed in principle on a logistics pact.",),
         not_on=("Freedonia and Sylvania signed a logistics pact in principle two years ago after talks.",)),
    Rule("reached-deal", S.AGREED_IN_PRINCIPLE,
         r"\b(?:reached|reach|struck|strike)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:agreement|deal|accord)\b"
         r"|\b(?:finali[sz]ed|concluded\s+(?:negotiations|talks))\b"
         r"|\bagreed\s+(?:on|upon)\s+(?:an?|the)\s+(?:\w+[- ]){0,3}(?:pact|agreement|deal|treaty|accord|arrangement)\b",
         anchor=r"reach|struck|strike|finali|concluded|agreed", priority=115,
         fires_on=("Negotiators reached an agreement on a status of forces pact.",),
         not_on=("Negotiators signed an agreement on a status of forces pact.",)),
    Rule("talks-completed", S.AGREED_IN_PRINCIPLE,
         r"\b(?:negotiations|talks)\b[^.;]{0,100}?\b(?:have|has|had|were|was)\s+(?:been\s+)?(?:completed|concluded|finali[sz]ed|wrapped\s+up)\b",
         priority=116, anchor=r"negotiations|talks",
         fires_on=("The negotiations between both sides on this agreement had been completed some time ago.",),
         not_on=("The negotiations between both sides on this agreement have been going on for years.",)),
    Rule("initialled", S.AGREED_IN_PRINCIPLE, r"\binitiall?ed\b", priority=115, anchor=r"initial",
         fires_on=("Negotiators initialled the text of the border treaty on Friday.",),
         not_on=("The minister's initials were on the letter.",)),
    Rule("will-sign", S.AGREED_IN_PRINCIPLE,
         r"\b(?:will|to|would)\s+(?:\w+\s+){0,2}?(?:sign|ink)\b(?!ing)|\b(?:set|scheduled|expected|due|poised|ready)\s+to\s+(?:sign|ink)\b"
         r"|\b(?:will|going\s+to|is\s+to|are\s+to)\s+be\s+(?:signed|inked)\b",
         anchor=r"sign|ink", priority=115,
         fires_on=("Freedonia and Sylvania are set to sign a logistics pact next week.",),
         not_on=("Freedonia and Sylvania signed a logistics pact last week.",)),
    Rule("finish-talks", S.NEGOTIATING,
         r"\b(?:finish|complete|conclude|wrap\s+up|speed\s+up|hasten)\s+(?:the\s+)?(?:ongoing\s+)?(?:talks|negotiations)\b",
         priority=112, anchor=r"finish|complete|conclude|wrap|speed|hasten", presupposed=True,
         fires_on=("The ministers urged the negotiation team to finish the talks soon.",),
         not_on=("The ministers said the talks had been finished.",)),
    Rule("negotiating", S.NEGOTIATING,
         r"\bnegotiat(?:ing|es|e)\b|\bnegotiations?\s+(?:\w+\s+){0,2}(?:under\s?way|ongoing|continuing|continue|progressing|in\s+progress)\b"
         r"|\b(?:in|into)\s+(?:\w+\s+)?(?:negotiations|talks)\s+(?:on|over|for|toward|towards|about|with)\b|\bin\s+negotiations\b"
         r"|\bin\s+(?:\w+\s+)?(?:negotiations|talks)\s+to\s+(?:conclude|sign|finali[sz]e|reach|seal|ink|agree)\b"
         r"|\bunder\s+negotiation\b|\bbeing\s+negotiated\b"
         r"|\b(?:started|began|begun|launched|commenced|opened|resumed|entered)\s+(?:\w+\s+){0,2}(?:negotiations|talks|discussions)\b"
         r"|\b(?:talks|discussions|negotiations)\b[^.;]{0,100}?\b(?:is|are|were|remain)\s+(?:still\s+|also\s+)?(?:under\s?way|ongoing|continuing|progressing|in\s+progress)\b"
         r"|\b(?:talks|negotiations)\b[^.;]{0,80}?\b(?:began|started|opened|commenced|resumed|got\s+under\s?way|were\s+launched)\b"
         r"|\b(?:is|are|was|were|been)\s+(?:\w+\s+)?holding\s+(?:\w+\s+){0,2}?(?:talks|negotiations|discussions)\s+(?:on|over|about|toward|towards)\b",
         anchor=r"negotiat|talks|discussions|in ", priority=110,
         fires_on=("Freedonia is negotiating a reciprocal access agreement with Sylvania.",
                   "Freedonia is in talks to conclude one with Sylvania.",
                   "Talks on a logistics pact with Sylvania began last year.",
                   "Talks between Freedonia and Sylvania on a logistics pact resumed on Monday.",
                   "Freedonia and Sylvania are holding talks on a defence pact.",
                   "A status of forces agreement with Sylvania is under negotiation."),
         not_on=("Freedonia signed a reciprocal access agreement with Sylvania.",
                 "After holding talks on the pact, Freedonia and Sylvania signed it.")),
    Rule("pursuing", S.NEGOTIATING,
         r"\b(?:pursu(?:e|es|ed|ing)|seeking|seeks|working\s+(?:toward|towards|on))\s+(?:\w+[- ]){0,3}" + AGREEMENT_NOUN + r"\b",
         anchor=r"pursu|seek|working", priority=110,
         fires_on=("Freedonia is actively pursuing agreements with Sylvania and Ruritania.",),
         not_on=("Freedonia is actively pursuing closer ties with Sylvania.",)),
    Rule("negotiations-noun", S.NEGOTIATING, r"\bnegotiations\b", anchor=r"negotiations", priority=105,
         fires_on=("Negotiations on the pact with Sylvania went well, officials said.",),
         not_on=("The negotiator left the room.",)),
    Rule("terminated", S.TERMINATED,
         r"\b(?:terminat(?:ed|es|e|ing)|withdr[ae]w(?:n|s)?\s+from|pull(?:ed|s)?\s+out\s+of|scrapp(?:ed|ing)|scraps?"
         r"|br(?:eak|eaks|eaking|oke|oken)\s+off\s+(?:from\s+)?"
         r"|abrogat(?:ed|es|e)|revok(?:ed|es|e)|denounc(?:ed|es|e)|annull?(?:ed|s)|tore\s+up|torn\s+up|expired|lapsed)\b"
         r"|\b(?:termination|scrapping|abrogation|revocation|denunciation|annulment|cancell?ation)\s+of\b"
         r"|\b(?:becomes?|became|become)\s+(?:invalid|void|null\s+and\s+void)\b|\bceases?\s+to\s+(?:be\s+in\s+force|have\s+effect)\b"
         r"|\b(?:ended|end|ends|cancell?ed|cancels?|cut|severed)\s+(?:[\w“”\"'’-]+\s+){0,7}"
         r"(?:" + AGREEMENT_NOUN + r"|(?:military|defen[cs]e|security)\s+co-?operation)\b",
         anchor=r"terminat|withdr|pull|scrap|abrogat|revok|denounc|annul|tore|torn|expired|lapsed|end|cancel|revocation|denunciation|cut|severed|becom|became|ceas|break|broke", priority=100,
         fires_on=("Freedonia terminated its status of forces agreement with Sylvania.",
                   "Freedonia's termination of the logistics pact with Sylvania angered officials.",
                   "The junta ended military cooperation with Sylvania on Tuesday.",
                   "The junta said it was breaking off from its defence accords with Sylvania."),
         not_on=("Freedonia extended its status of forces agreement with Sylvania.",)),
    Rule("suspended", S.SUSPENDED,
         r"\b(?:suspend(?:ed|s|ing)?|froze|frozen|freez(?:es|ing)|halt(?:ed|s)|put\s+on\s+hold)\b|\bsuspension\s+of\b", anchor=r"suspen|froze|frozen|freez|halt|put on hold", priority=95,
         fires_on=("Freedonia suspended its participation in the treaty.",
                   "The purported suspension of the treaty by Freedonia was condemned."),
         not_on=("Freedonia resumed its participation in the treaty.",)),
    Rule("in-force", S.IN_FORCE,
         r"\b(?:entered|enter|enters|came|come|comes|went|go|goes)\s+into\s+(?:force|effect)\b|\btook\s+effect\b|\btakes\s+effect\b"
         r"|\bin\s+force\b|\bratif(?:ied|ies|y|ying)\b|\brenew(?:ed|s)\b|\bextended\b"
         r"|\b(?:resum(?:ed|es)|restor(?:ed|es)|reinstat(?:ed|es)|normali[sz](?:ed|es|ing))\b|\bentry\s+into\s+force\b"
         r"|\bnormali[sz]ation\s+of\b|\bha(?:s|ve)\s+(?:an\s+)?effect\s+from\b|\bput(?:s|ting)?\s+into\s+(?:effect|force)\b"
         r"|\bbr(?:ings?|ought)\s+into\s+force\b",
         anchor=r"enter|came|come|went|go|took|takes|in force|ratif|renew|extended|resum|restor|reinstat|normali|entry|effect|put|bring|brought", priority=90,
         fires_on=("The reciprocal access agreement entered into force on Monday.",
                   "Its entry into force was marked by a ceremony in Sylvania.",
                   "The president signed decrees that ratify the agreement with Sylvania."),
         not_on=("The reciprocal access agreement was signed on Monday.",)),
    Rule("completed-to-normalise", S.IN_FORCE,
         r"\bcomplet(?:ed|es)\s+(?:\w+\s+){0,2}?(?:measures|procedures|steps|process(?:es)?|formalities)\s+to\s+"
         r"(?:\w+\s+)?(?:normali[sz]e|restore|reinstate|ratify|bring\s+into\s+force)\b",
         priority=92, anchor=r"complet",
         fires_on=("Seoul has completed measures to fully normalise the intelligence-sharing pact with Tokyo.",),
         not_on=("Seoul plans to take measures to normalise the intelligence-sharing pact with Tokyo.",)),
    Rule("signed", S.SIGNED, r"\b(?:signed|signs|sign|signing|inked|inks|concluded|concludes|clinched|sealed)\b"
         r"|\badopt(?:ed|ion\s+of)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,6}?(?:partnership|agreement|treaty|pact|accord)\b"
         r"|\benter(?:ed|ing|s)?\s+into\s+(?:an?\s+|the\s+|similar\s+|such\s+)?(?:[\w-]+\s+){0,3}?(?:agreements?|pacts?|treat(?:y|ies)|accords?|deals?|arrangements?)\b", anchor=r"sign|ink|conclu|clinch|seal|adopt|enter", priority=85,
         fires_on=("Freedonia and Sylvania inked a logistics pact on Monday.",
                   "The ministers welcomed the adoption of a Security and Defence Partnership.",
                   "Sylvania entered into similar agreements with Ruritania earlier."),
         not_on=("Freedonia and Sylvania discussed a logistics pact on Monday.",
                 "The leaders adopted the Melbourne Declaration at the summit.")),
    Rule("has-agreement", S.SIGNED,
         r"\b(?:has|have|had)\s+(?:had\s+)?(?-i:(?!(?!(?:visiting|existing|standing|binding|governing)\b)[a-z]+(?:ed|ing)\b))"
         r"(?:\w+[- ]){0,4}" + AGREEMENT_NOUN + r"\b",
         anchor=r"has|have|had", priority=85,
         fires_on=("Freedonia has a similar agreement with Ruritania.",
                   "Freedonia has visiting forces agreements with Ruritania and Sylvania."),
         not_on=("Freedonia has discussed an agreement with Ruritania.",)),
    Rule("proposed", S.PROPOSED,
         r"\b(?:propos(?:ed|es|e|ing|al)|plann?(?:ed|ing|s)?\s+(?:to\s+(?:sign|conclude)|an?\b)|consider(?:ing|s|ed)?|explor(?:e|es|ing|ed)"
         r"|(?:called|calls|call|push(?:ed|es)?|press(?:ed|es)?)\s+for\s+(?:an?\s+|the\s+)?(?:\w+[- ]){0,3}(?:agreement|pact|deal|treaty|accord|arrangement)|offered)\b",
         anchor=r"propos|plan|consider|explor|call|push|press|offered", priority=80,
         fires_on=("Freedonia proposed a mutual defence pact to Sylvania.",),
         not_on=("Freedonia rejected the idea of a mutual defence pact with Sylvania entirely.",)),
    # An agreement spoken of as existing: signed, unless the clause says more ("An earlier
    # security agreement, signed in 1995, was torn up in 1999").
    Rule("existing-agreement", S.SIGNED,
         r"\b(?:formed|forged|established|created)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:pact|agreement|treaty|accord)\b"
         r"|\b(?:the|a|an|its|their)\s+(?:19|20)\d{2}\s+(?:[\w-]+\s+){0,5}?(?:agreements?|pacts?|treat(?:y|ies)|accords?|arrangements?)\b"
         r"|\bunder\s+(?:the|a|an|its|their)\s+(?!(?:proposed|planned|draft|possible|potential|future|new)\b)(?:[\w-]+\s+){0,6}?" + AGREEMENT_NOUN + r"\b"
         r"|\b(?:existing|previous|earlier|prior)\s+(?:\w+\s+)?" + AGREEMENT_NOUN + r"\b"
         # a bilateral instrument by its name: "the Japan-U.S. Status of Forces Agreement"
         r"|(?-i:\bthe\s+[A-Z][\w.]*[-–][A-Z][\w.]*\s+(?:[A-Z][\w-]*\s+|of\s+|on\s+|and\s+){0,6}(?:Agreement|Treaty|Pact|Accord))\b",
         # (not every "the": "the Japan-U.S. ..." lowered, whatever letters its names hold)
         anchor=r"formed|forged|established|created|19|20|under|existing|previous|earlier|prior|the\s+\S+[-–]",
         priority=75, weak=True,
         fires_on=("Troops train together under the 1998 visiting forces agreement with Sylvania.",
                   "The pact is equivalent to the Japan-U.S. Status of Forces Agreement."),
         not_on=("An earlier security agreement, signed in 1995, was torn up in 1999.",)),
])


class Marker(StrEnum):
    """Kinds of words that undo a status cue."""

    NEGATION = "negation"          # not, never, refused to
    HYPOTHETICAL = "hypothetical"  # if, would, could, whether
    PENDING = "pending"            # before, until, once: the cue has not happened yet
    URGING = "urging"              # urged, called on, wants: someone asks for it
    WOULD = "would"                # hypothetical, except after a reported decision


#: Negation and hypothetical markers: any of them within 60 characters before a cue (or inside it)
#: undoes the cue. Priority is unused here (every marker counts) but kept for the table's shape.
MARKERS: RuleTable[Marker] = RuleTable("markers", [
    Rule("negation", Marker.NEGATION,
         r"\b(?:not|never|no|n't|neither|nor|failed\s+to|fail\s+to|refused\s+to|refuses\s+to|declined\s+to|rejected|rejects"
         r"|ruled\s+out|rules\s+out|yet\s+to|denied|denies|deny|hardly|without)\b|n't\b", 10,
         fires_on=("Freedonia has not signed the pact with Sylvania.",),
         not_on=("Freedonia has signed the pact with Sylvania.",)),
    Rule("hypothetical", Marker.HYPOTHETICAL,
         r"\b(?:if|unless|whether|could|might|(?-i:may)|should|must|needs?\s+to|required|(?<!first-)(?<!first\s)ever|unlikely|doubts?|doubted|doubtful"
         r"|threaten(?:ed|s|ing)?)\b", 10,
         fires_on=("Analysts doubt Freedonia will sign the pact.", "Freedonia may sign the pact."),
         not_on=("Analysts said Freedonia will sign the pact.", "In May, Freedonia signed the pact.",
                 "The first-ever defence pact between the two was signed in 2020.")),
    Rule("pending", Marker.PENDING, r"\b(?:before|until|once)\b", 10,
         fires_on=("Parliament must approve it before it is signed.",),
         not_on=("It was signed after parliament approved it.",)),
    Rule("urging", Marker.URGING,
         r"\b(?:urged|urges|urging|called\s+on|calls\s+on|pressed|pressing|encouraged|encourages|wants?|wanted|hopes?|hoped)\b", 10,
         fires_on=("The envoy urged Freedonia to sign the pact.",),
         not_on=("The envoy said Freedonia signed the pact.",)),
    Rule("would", Marker.WOULD, r"\bwould\b", 10,
         fires_on=("Such a pact would be signed by both.",),
         not_on=("The pact will be signed by both.",)),
])

#: A decision reported in the words before a cue: "said on Monday it would terminate the pact".
REPORTED = re.compile(r"\b(?:said|says|announced|announces|decided|confirmed|declared|told\s+\w+)\b(?:\s+\w+){0,6}\s*$", re.I)
#: "The agreement, signed in 2019, took effect on Monday": an earlier status told in an aside.
PARENTHETICAL_CUE = re.compile(
    r",\s*(?:which\s+(?:was|were)\s+|which\s+|first\s+|originally\s+)?(signed|concluded|ratified|agreed|renewed|extended|"
    r"dates\s+back\s+to|dating\s+back\s+to|dates\s+from|dating\s+from|"
    r"(?:came|entered|went)\s+into\s+(?:force|effect)|took\s+effect)\b[^,]{0,60}(?:,|\.?$)", re.I)
#: "... in accordance with the Strategic Partnership Agreement signed between the two leaders on
#: May 2, 2012": an earlier status told in a reduced relative clause right after the agreement.
REDUCED_RELATIVE_CUE = re.compile(
    r"(?:(?<=[a-z] )(?:[Aa]greement|[Tt]reaty|[Pp]act|[Aa]ccord|[Mm]emorandum(?:\s+of\s+[Uu]nderstanding)?|MoU|MOU)\s+"
    r"(signed|concluded|inked|ratified)\s+(?:between|by|in|on|at|last|with)\b"
    # "the treaty of friendship and cooperation concluded by Russia and North Korea in 2000"
    r"|\b(?!(?:was|were|been|is|are|be|being|has|have|had)\b)[a-z]+\s+(signed|concluded|inked|ratified)\s+by\b)"
    r"(?:(?!\s(?:becomes?|became|is|was|were|are|has|have|had|will|would|remains?)\b)(?:[^,;:]|,(?=\s*\d))){0,80}")
#: What every match of REDUCED_RELATIVE_CUE holds (either branch): one of its verbs and the word
#: after it. Searched first: it skips to the verbs, where the full pattern tries a word and a
#: look-ahead at every word start.
_REDUCED_RELATIVE_VERB = re.compile(r"(?:signed|concluded|inked|ratified)\s+(?:between|by|in|on|at|last|with)\b")


def reduced_relative_cue(clause: str) -> re.Match[str] | None:
    """The first REDUCED_RELATIVE_CUE aside of a clause, or None.

    >>> reduced_relative_cue("under the Pact signed by Freedonia and Sylvania in 2012, the two").group()
    'Pact signed by Freedonia and Sylvania in 2012'
    >>> reduced_relative_cue("Freedonia signed the pact in 2012") is None
    True
    """
    return REDUCED_RELATIVE_CUE.search(clause) if _REDUCED_RELATIVE_VERB.search(clause) else None


_PARENTHETICAL_STATUS = {"signed": S.SIGNED, "concluded": S.SIGNED, "inked": S.SIGNED, "dates": S.SIGNED,
                         "dating": S.SIGNED, "ratified": S.IN_FORCE,
                         "agreed": S.AGREED_IN_PRINCIPLE, "renewed": S.IN_FORCE, "extended": S.IN_FORCE}
#: Cues that say someone is after an agreement without saying how far it got.
HEDGED_CUE = re.compile(r"(?:pursu|seek|working\s+to)", re.I)
_RELATIVE_ASIDE = re.compile(r",\s*(?:which|who)\b[^,]{0,80},", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:will|shall|to|would|could)\s+(?:\w+\s+)?$", re.I)


@dataclass(frozen=True)
class Cue:
    """The status a clause states, where, and by which rule."""

    status: S
    start: int
    end: int
    rule: str
    hedged: bool = False
    presupposed: bool = False  # urging or hoping does not undo it ("urged them to finish the talks")


def status_cue(clause: str, skip: tuple[int, int] | None = None) -> Cue | None:
    """The deciding status cue of a clause, ignoring cues inside ``skip``.

    >>> status_cue("The two sides agreed to start talks on a pact.").status.value
    'talks_agreed'
    """
    hit: Hit[S | None] | None = STATUS_CUES.decide(clause, skip)
    if hit is None or hit.label is None:
        return None
    return Cue(hit.label, hit.start, hit.end, hit.rule.id, bool(HEDGED_CUE.match(clause, hit.start)),
               hit.rule.presupposed)


def parenthetical_status(word: str) -> S:
    """The status of an aside's verb ("signed in 2019" -> signed)."""
    return _PARENTHETICAL_STATUS.get(word.lower().split()[0], S.IN_FORCE)


#: How the words of every MARKERS pattern start (``n't`` anywhere), for the lowercased copy of an
#: ASCII text: where none stands, no marker does, and the markers' own patterns are not searched.
_MARKER_WORDS = re.compile(
    r"\b(?:not|never|no|neither|nor|fail|refus|declin|reject|rule|yet|den|hardly|without"
    r"|if|unless|whether|could|might|may|should|must|need|required|ever|unlikely|doubt|threaten"
    r"|before|until|once|urg|call|press|encourag|want|hope|would)|n't")


def negated(clause: str, cue: Cue) -> bool:
    """A negation or hypothetical just before or inside the cue ('has not signed', 'refused to
    sign', 'doubt ... will ever sign'); not a decision reported with 'would'."""
    window = clause[max(0, cue.start - 60):cue.end]
    # a relative clause about a party says nothing of the status: "Australia and Japan, which have
    # no formal alliance, signed ..."
    if "," in window:
        window = _RELATIVE_ASIDE.sub(lambda m: " " * len(m.group()), window)
    if window.isascii() and _MARKER_WORDS.search(window.lower()) is None:
        return False  # most windows: no marker's word
    for hit in MARKERS.finditer(window):
        if hit.label == Marker.WOULD and REPORTED.search(window[:hit.start]):
            continue  # "said on Monday it would terminate the pact"
        if cue.presupposed and hit.label != Marker.NEGATION:
            continue  # "urged the team to finish the talks soon": the talks are under way
        return True
    return False


def future_state(clause: str, cue: Cue) -> bool:
    """A state change still to come: "will enter into force after ratification" (but a reported
    decision to end a pact counts: "said it would terminate")."""
    if cue.status not in (S.IN_FORCE, S.TERMINATED, S.SUSPENDED):
        return False  # (tested first: most cues say signed or negotiating, and the search is the dearer test)
    future = _FUTURE_BEFORE.search(clause[:cue.start])
    if not future:
        return False
    return cue.status == S.IN_FORCE or not REPORTED.search(clause[max(0, future.start() - 60):future.start()])
