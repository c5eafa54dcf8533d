"""Sentence cases for the extractor: every type, status and construction, and what must give nothing.

The expectations were written as a careful analyst reading the passage alone would extract it,
independently of the implementation. Every case asserts an exact set, so that a missing claim and
an extra one both fail. Sentences are written for these tests (no seed or dev passage is copied).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kg.evaluate import evaluate, read_gold
from kg.extract import extract, find_dates, rules, split_sentences
from kg.loaders import load_paths, load_text, make_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"

#: Strict F1 floor on the held-out corpus (measured, see the report; raise it as the extractor improves).
CORPUS_STRICT_F1_FLOOR = 0.95

D = dt.date


def claims_of(text: str, published: dt.date | None) -> set[tuple[str, str, str, str]]:
    article = load_text(text, file="case.txt", date=published)
    return {(c.party_a, c.party_b, c.agreement_type, c.status) for c in extract(article)}


def dated_claims_of(text: str, published: dt.date | None) -> set[tuple[str, str, str, str, str]]:
    article = load_text(text, file="case.txt", date=published)
    return {(c.party_a, c.party_b, c.agreement_type, c.status, c.date) for c in extract(article)}


# ---- every agreement type -----------------------------------------------------------------

TYPE_CASES = [
    pytest.param(
        "Poland and Lithuania signed an agreement on the mutual protection of classified information on Tuesday.",
        D(2023, 5, 18),
        {("LTU", "POL", "intelligence_sharing", "signed")},
        id="intel-classified-information",
    ),
    pytest.param(
        "Vietnam and India signed a General Security of Military Information Agreement, or GSOMIA, "
        "in New Delhi on Monday, officials said.",
        D(2024, 9, 3),
        {("IND", "VNM", "intelligence_sharing", "signed")},
        id="intel-gsomia",
    ),
    pytest.param(
        "Brazil and Sweden have signed an information security agreement that allows their armed "
        "forces to exchange sensitive data on the Gripen fighter programme.",
        D(2022, 11, 2),
        {("BRA", "SWE", "intelligence_sharing", "signed")},
        id="intel-information-security",
    ),
    pytest.param(
        "Kenya and the United Kingdom signed an intelligence-sharing pact aimed at disrupting "
        "terrorist financing networks in East Africa.",
        D(2024, 2, 7),
        {("GBR", "KEN", "intelligence_sharing", "signed")},
        id="intel-intelligence-sharing-pact",
    ),
    pytest.param(
        "Indonesia and Australia signed a Reciprocal Access Agreement (RAA) that sets the legal "
        "status of troops training on each other's soil.",
        D(2025, 8, 29),
        {("AUS", "IDN", "reciprocal_access", "signed")},
        id="access-raa",
    ),
    pytest.param(
        "Warsaw, Aug 15 (Reuters) - Poland and the United States signed a status of forces agreement "
        "on Saturday covering the thousands of American soldiers stationed in the country.",
        D(2020, 8, 15),
        {("POL", "USA", "reciprocal_access", "signed")},
        id="access-sofa-wire-dateline",
    ),
    pytest.param(
        "The Philippines and Canada signed a Status of Visiting Forces Agreement on Sunday, allowing "
        "troops of each country to take part in exercises on the other's territory.",
        D(2025, 11, 2),
        {("CAN", "PHL", "reciprocal_access", "signed")},
        id="access-visiting-forces",
    ),
    pytest.param(
        "Germany and India signed an Acquisition and Cross-Servicing Agreement (ACSA) allowing their "
        "militaries to exchange fuel, food and spare parts.",
        D(2025, 3, 5),
        {("DEU", "IND", "logistics", "signed")},
        id="logistics-acsa",
    ),
    pytest.param(
        "India and the United States signed the Logistics Exchange Memorandum of Agreement (LEMOA), "
        "giving each navy access to the other's bases for refuelling and repairs.",
        D(2016, 8, 30),
        {("IND", "USA", "logistics", "signed")},
        id="logistics-lemoa",
    ),
    pytest.param(
        "Australia and Singapore signed a Mutual Logistics Support Agreement (MLSA) during the "
        "annual leaders' meeting.",
        D(2024, 10, 10),
        {("AUS", "SGP", "logistics", "signed")},
        id="logistics-mlsa",
    ),
    pytest.param(
        "Chile and Argentina signed an agreement to share logistical support and supplies during "
        "joint peacekeeping operations.",
        D(2023, 4, 12),
        {("ARG", "CHL", "logistics", "signed")},
        id="logistics-support-and-supplies",
    ),
    pytest.param(
        "Nigeria and Turkey signed a defence cooperation agreement in Abuja on Thursday covering "
        "training, equipment and counter-terrorism.",
        D(2023, 3, 10),
        {("NGA", "TUR", "defense_cooperation", "signed")},
        id="defcoop-defence-cooperation-agreement",
    ),
    pytest.param(
        "Colombia and Peru signed a memorandum of understanding on defense cooperation to fight "
        "drug trafficking along their shared border.",
        D(2023, 6, 21),
        {("COL", "PER", "defense_cooperation", "signed")},
        id="defcoop-memorandum-of-understanding",
    ),
    pytest.param(
        "Saudi Arabia and Pakistan signed a Strategic Mutual Defence Agreement on Wednesday, stating "
        "that any aggression against either country will be treated as an aggression against both.",
        D(2025, 9, 18),
        {("PAK", "SAU", "mutual_defense", "signed")},
        id="mutual-defence-agreement",
    ),
    pytest.param(
        "Under the treaty, which Armenia and Iran signed on Friday, each side pledged to come to the "
        "aid of the other if it is attacked.",
        D(2024, 1, 13),
        {("ARM", "IRN", "mutual_defense", "signed")},
        id="mutual-defence-aid-if-attacked",
    ),
    pytest.param(
        "Canada and Ecuador signed a free trade agreement on Monday that removes tariffs on 98 per "
        "cent of goods.",
        D(2025, 2, 12),
        {("CAN", "ECU", "other", "signed")},
        id="other-free-trade",
    ),
    pytest.param(
        "Rwanda and the United Arab Emirates signed a bilateral investment treaty in Kigali.",
        D(2024, 5, 9),
        {("ARE", "RWA", "other", "signed")},
        id="other-investment-treaty",
    ),
]


# ---- every status -------------------------------------------------------------------------

STATUS_CASES = [
    pytest.param(
        "An information security agreement between Estonia and South Korea came into force on Monday.",
        D(2024, 4, 3),
        {("EST", "KOR", "intelligence_sharing", "in_force")},
        id="in-force-came-into-force",
    ),
    pytest.param(
        "The defence cooperation agreement between Sweden and the United States entered into force "
        "on 15 August 2024, the Swedish government said.",
        D(2024, 8, 16),
        {("SWE", "USA", "defense_cooperation", "in_force")},
        id="in-force-entered-into-force",
    ),
    pytest.param(
        "The classified information agreement between the Netherlands and Ukraine, signed in 2019, "
        "took effect on Monday.",
        D(2021, 2, 3),
        {
            ("NLD", "UKR", "intelligence_sharing", "signed"),
            ("NLD", "UKR", "intelligence_sharing", "in_force"),
        },
        id="in-force-and-earlier-signing",
    ),
    pytest.param(
        "Malaysia and Singapore reached an agreement in principle on a defence cooperation pact, "
        "the two defence ministries said.",
        D(2024, 1, 11),
        {("MYS", "SGP", "defense_cooperation", "agreed_in_principle")},
        id="in-principle-reached",
    ),
    pytest.param(
        "Thailand and Vietnam agreed in principle on Tuesday to conclude a logistics support agreement.",
        D(2025, 4, 16),
        {("THA", "VNM", "logistics", "agreed_in_principle")},
        id="in-principle-agreed",
    ),
    pytest.param(
        # Debatable: 'concluded negotiations, signing expected' read as agreed in principle (not signed).
        "Negotiators from Norway and South Korea concluded talks on a reciprocal access agreement, "
        "with a signing ceremony expected next month.",
        D(2025, 6, 2),
        {("KOR", "NOR", "reciprocal_access", "agreed_in_principle")},
        id="in-principle-concluded-talks",
    ),
    pytest.param(
        "Finland and Canada are negotiating a security of information agreement, a Finnish "
        "defence official said.",
        D(2024, 3, 20),
        {("CAN", "FIN", "intelligence_sharing", "negotiating")},
        id="negotiating-are-negotiating",
    ),
    pytest.param(
        "Mexico and Canada agreed to speed up negotiations on a logistics support agreement.",
        D(2025, 7, 1),
        {("CAN", "MEX", "logistics", "negotiating")},
        id="negotiating-speed-up",
    ),
    pytest.param(
        "Malaysia and South Korea held the first round of negotiations on a defence cooperation "
        "agreement in Kuala Lumpur this week.",
        D(2023, 10, 27),
        {("KOR", "MYS", "defense_cooperation", "negotiating")},
        id="negotiating-first-round",
    ),
    pytest.param(
        "Talks between Chile and New Zealand on an information security agreement are continuing.",
        D(2024, 11, 4),
        {("CHL", "NZL", "intelligence_sharing", "negotiating")},
        id="negotiating-talks-continuing",
    ),
    pytest.param(
        "Egypt and Greece agreed to start negotiations on a defence cooperation agreement.",
        D(2024, 5, 6),
        {("EGY", "GRC", "defense_cooperation", "talks_agreed")},
        id="talks-agreed-start-negotiations",
    ),
    pytest.param(
        "Morocco and Nigeria agreed to launch talks on a free trade agreement during the visit.",
        D(2024, 12, 3),
        {("MAR", "NGA", "other", "talks_agreed")},
        id="talks-agreed-launch-talks",
    ),
    pytest.param(
        "Peru has proposed an intelligence-sharing agreement to Ecuador to counter organised crime.",
        D(2024, 1, 22),
        {("ECU", "PER", "intelligence_sharing", "proposed")},
        id="proposed-to",
    ),
    pytest.param(
        "During his visit to Ankara, President Prabowo proposed a defence cooperation agreement "
        "with Türkiye.",
        D(2025, 2, 12),
        {("IDN", "TUR", "defense_cooperation", "proposed")},
        id="proposed-by-leader",
    ),
    pytest.param(
        "Mali terminated its defence cooperation treaty with France on Monday, the junta said.",
        D(2022, 5, 3),
        {("FRA", "MLI", "defense_cooperation", "terminated")},
        id="terminated",
    ),
    pytest.param(
        "Niger revoked its status of forces agreement with the United States, effective immediately.",
        D(2024, 3, 17),
        {("NER", "USA", "reciprocal_access", "terminated")},
        id="terminated-revoked",
    ),
    pytest.param(
        "Burkina Faso suspended a military cooperation agreement with France.",
        D(2023, 1, 24),
        {("BFA", "FRA", "defense_cooperation", "suspended")},
        id="suspended",
    ),
    pytest.param(
        "Colombia suspended its intelligence-sharing agreement with Britain on Tuesday.",
        D(2025, 8, 13),
        {("COL", "GBR", "intelligence_sharing", "suspended")},
        id="suspended-intel",
    ),
    pytest.param(
        # Debatable: a scheduled signing is recorded as agreed in principle, as in the dev set.
        "South Korea and Poland will sign a logistics agreement next month, officials said.",
        D(2024, 5, 14),
        {("KOR", "POL", "logistics", "agreed_in_principle")},
        id="in-principle-will-sign",
    ),
]


# ---- the constructions news prose uses ----------------------------------------------------

CONSTRUCTION_CASES = [
    pytest.param(
        "Poland has signed security of information agreements with six other countries, including "
        "Germany, Italy and Spain, as well as with NATO.",
        D(2024, 2, 1),
        {
            ("DEU", "POL", "intelligence_sharing", "signed"),
            ("ITA", "POL", "intelligence_sharing", "signed"),
            ("ESP", "POL", "intelligence_sharing", "signed"),
            ("NATO", "POL", "intelligence_sharing", "signed"),
        },
        id="list-including-as-well-as",
    ),
    pytest.param(
        "Finland is negotiating information security agreements with Brazil, Mexico and South Africa.",
        D(2024, 6, 1),
        {
            ("BRA", "FIN", "intelligence_sharing", "negotiating"),
            ("FIN", "MEX", "intelligence_sharing", "negotiating"),
            ("FIN", "ZAF", "intelligence_sharing", "negotiating"),
        },
        id="list-negotiating",
    ),
    pytest.param(
        "India has signed logistics agreements with the United States, France, Australia, Japan and "
        "South Korea.",
        D(2023, 7, 1),
        {
            ("IND", "USA", "logistics", "signed"),
            ("FRA", "IND", "logistics", "signed"),
            ("AUS", "IND", "logistics", "signed"),
            ("IND", "JPN", "logistics", "signed"),
            ("IND", "KOR", "logistics", "signed"),
        },
        id="list-five-partners",
    ),
    pytest.param(
        "Vietnam is negotiating a logistics agreement with Malaysia and has agreed with Thailand to "
        "begin talks on a similar arrangement.",
        D(2025, 1, 15),
        {
            ("MYS", "VNM", "logistics", "negotiating"),
            ("THA", "VNM", "logistics", "talks_agreed"),
        },
        id="subject-carried-over",
    ),
    pytest.param(
        "Spain has signed a logistics agreement with Portugal, is negotiating one with France and "
        "has proposed a similar arrangement to Italy.",
        D(2024, 9, 9),
        {
            ("ESP", "PRT", "logistics", "signed"),
            ("ESP", "FRA", "logistics", "negotiating"),
            ("ESP", "ITA", "logistics", "proposed"),
        },
        id="subject-carried-over-three-verbs",
    ),
    pytest.param(
        "Sweden signed a security of information agreement with Norway in March. Sweden is now "
        "negotiating a similar deal with Iceland.",
        D(2024, 6, 1),
        {
            ("NOR", "SWE", "intelligence_sharing", "signed"),
            ("ISL", "SWE", "intelligence_sharing", "negotiating"),
        },
        id="similar-deal-next-sentence",
    ),
    pytest.param(
        "Canada and the Philippines signed a status of visiting forces agreement on Sunday. Ottawa "
        "is also negotiating a similar agreement with Indonesia.",
        D(2025, 11, 3),
        {
            ("CAN", "PHL", "reciprocal_access", "signed"),
            ("CAN", "IDN", "reciprocal_access", "negotiating"),
        },
        id="similar-agreement-capital-subject",
    ),
    pytest.param(
        "Modi and Morrison signed a mutual logistics support arrangement at their virtual summit on Thursday.",
        D(2020, 6, 4),
        {("AUS", "IND", "logistics", "signed")},
        id="leaders-by-surname",
    ),
    pytest.param(
        "Lula and Ramaphosa signed a defence cooperation agreement in Johannesburg.",
        D(2023, 8, 23),
        {("BRA", "ZAF", "defense_cooperation", "signed")},
        id="leaders-lula-ramaphosa",
    ),
    pytest.param(
        # Rutte was Dutch prime minister in 2023.
        "Rutte and Zelensky signed an agreement on the protection of classified information on Tuesday.",
        D(2023, 5, 10),
        {("NLD", "UKR", "intelligence_sharing", "signed")},
        id="leader-dated-rutte-as-prime-minister",
    ),
    pytest.param(
        # ... and NATO Secretary General in 2025: the same name, another party.
        "Rutte and Zelensky signed an agreement on the protection of classified information on Tuesday.",
        D(2025, 3, 12),
        {("NATO", "UKR", "intelligence_sharing", "signed")},
        id="leader-dated-rutte-as-nato-chief",
    ),
    pytest.param(
        "Canberra and Jakarta signed a defence cooperation agreement on Thursday.",
        D(2024, 8, 30),
        {("AUS", "IDN", "defense_cooperation", "signed")},
        id="capitals-as-metonyms",
    ),
    pytest.param(
        "Seoul and Warsaw agreed to begin negotiations on a logistics support agreement.",
        D(2023, 9, 5),
        {("KOR", "POL", "logistics", "talks_agreed")},
        id="capitals-talks-agreed",
    ),
    pytest.param(
        "The Australian-Philippine visiting forces agreement entered into force in September 2012.",
        D(2022, 9, 1),
        {("AUS", "PHL", "reciprocal_access", "in_force")},
        id="demonyms-hyphenated",
    ),
    pytest.param(
        "The Polish-Lithuanian classified information agreement was signed in Vilnius.",
        D(2023, 5, 18),
        {("LTU", "POL", "intelligence_sharing", "signed")},
        id="demonyms-passive",
    ),
    pytest.param(
        "The India-France logistics agreement, signed in 2018, lets Indian warships refuel at French "
        "bases in Djibouti and Reunion.",
        D(2022, 1, 10),
        {("FRA", "IND", "logistics", "signed")},
        id="hyphenated-country-names",
    ),
    pytest.param(
        "Australia's mutual defence treaty with Papua New Guinea was signed in Port Moresby on Monday.",
        D(2025, 10, 8),
        {("AUS", "PNG", "mutual_defense", "signed")},
        id="possessive-passive",
    ),
    pytest.param(
        "Britain's reciprocal access agreement with Japan entered into force in October 2023.",
        D(2024, 1, 5),
        {("GBR", "JPN", "reciprocal_access", "in_force")},
        id="possessive-in-force",
    ),
    pytest.param(
        "A status of forces agreement was signed by Rwanda and Mozambique on Friday.",
        D(2024, 6, 15),
        {("MOZ", "RWA", "reciprocal_access", "signed")},
        id="passive-by",
    ),
    pytest.param(
        "An agreement on the exchange of classified information between Hungary and Serbia was "
        "signed on Monday.",
        D(2024, 10, 8),
        {("HUN", "SRB", "intelligence_sharing", "signed")},
        id="passive-between",
    ),
    pytest.param(
        "Prime Minister Ulf Kristersson hosted Finnish Prime Minister Petteri Orpo in Stockholm on "
        "Monday. \"Today we signed an agreement on the mutual protection of classified information,\" "
        "Kristersson told reporters.",
        D(2024, 2, 12),
        {("FIN", "SWE", "intelligence_sharing", "signed")},
        id="pronoun-we-in-quote",
    ),
    pytest.param(
        # 'intelligence' names a field of the defence pact, not a separate intelligence agreement.
        "Kenyan President William Ruto received Ethiopian Prime Minister Abiy Ahmed in Nairobi on "
        "Monday. The two countries signed a defence cooperation agreement covering training and "
        "intelligence.",
        D(2024, 2, 28),
        {("ETH", "KEN", "defense_cooperation", "signed")},
        id="pronoun-the-two-countries",
    ),
    pytest.param(
        "Ghana's defence minister met his Togolese counterpart in Accra. They agreed to launch "
        "negotiations on a status of forces agreement.",
        D(2024, 7, 3),
        {("GHA", "TGO", "reciprocal_access", "talks_agreed")},
        id="pronoun-they",
    ),
    pytest.param(
        "Fiji and Australia signed a status of forces agreement and a defence cooperation "
        "arrangement on Tuesday.",
        D(2022, 10, 15),
        {
            ("AUS", "FJI", "reciprocal_access", "signed"),
            ("AUS", "FJI", "defense_cooperation", "signed"),
        },
        id="two-agreements-one-sentence",
    ),
    pytest.param(
        # Coordinated subject: each signed with the US; Finland and Sweden did not sign with each other.
        "Citing the war in Ukraine, Finland and Sweden each signed a defence cooperation agreement "
        "with the United States in December.",
        D(2024, 1, 10),
        {
            ("FIN", "USA", "defense_cooperation", "signed"),
            ("SWE", "USA", "defense_cooperation", "signed"),
        },
        id="coordinated-subject-and-war-in-ukraine",
    ),
    pytest.param(
        "Vietnam and the Philippines signed a defence cooperation agreement on Tuesday amid rising "
        "tensions with China in the South China Sea.",
        D(2024, 1, 31),
        {("PHL", "VNM", "defense_cooperation", "signed")},
        id="threat-from-china-not-a-party",
    ),
    pytest.param(
        "Chile and Peru signed a logistics agreement in Tokyo on the sidelines of the APEC meeting.",
        D(2024, 11, 15),
        {("CHL", "PER", "logistics", "signed")},
        id="venue-not-a-party",
    ),
    pytest.param(
        "A defence cooperation agreement was signed in Washington by the defence ministers of Poland "
        "and Romania.",
        D(2024, 4, 22),
        {("POL", "ROU", "defense_cooperation", "signed")},
        id="venue-capital-not-a-party-passive",
    ),
    pytest.param(
        "The European Union and Norway signed an agreement on the security procedures for "
        "exchanging classified information.",
        D(2024, 7, 1),
        {("EU", "NOR", "intelligence_sharing", "signed")},
        id="org-eu",
    ),
    pytest.param(
        "NATO signed an agreement on the protection of classified information with Colombia.",
        D(2023, 3, 1),
        {("COL", "NATO", "intelligence_sharing", "signed")},
        id="org-nato-object-later",
    ),
    pytest.param(
        "The African Union and Somalia signed a status of forces agreement covering the new AU mission.",
        D(2025, 1, 20),
        {("AU", "SOM", "reciprocal_access", "signed")},
        id="org-african-union",
    ),
    pytest.param(
        "ASEAN and China signed an upgraded free trade agreement on Tuesday.",
        D(2025, 10, 29),
        {("ASEAN", "CHN", "other", "signed")},
        id="org-asean-with-china-as-party",
    ),
    pytest.param(
        "The U.S. and the UAE signed a defense cooperation agreement at the Pentagon.",
        D(2024, 9, 24),
        {("ARE", "USA", "defense_cooperation", "signed")},
        id="aliases-us-uae",
    ),
    pytest.param(
        "The Republic of Korea and Côte d'Ivoire signed a defence cooperation agreement in Abidjan.",
        D(2024, 6, 5),
        {("CIV", "KOR", "defense_cooperation", "signed")},
        id="aliases-official-names",
    ),
]


#: More wording: headlines, 'inked', 'frozen', 'withdrew from', official names, 'such an agreement'.
MORE_CASES = [
    pytest.param(
        "Britain and Germany signed the Trinity House Agreement on defence on Wednesday.",
        D(2024, 10, 24),
        {("DEU", "GBR", "defense_cooperation", "signed")},
        id="named-agreement-on-defence",
    ),
    pytest.param(
        "Washington and Manila signed a General Security of Military Information Agreement on Monday.",
        D(2024, 11, 19),
        {("PHL", "USA", "intelligence_sharing", "signed")},
        id="capitals-gsomia",
    ),
    pytest.param(
        "The AU and Rwanda signed a defence cooperation agreement in Kigali.",
        D(2024, 5, 2),
        {("AU", "RWA", "defense_cooperation", "signed")},
        id="org-au-acronym",
    ),
    pytest.param(
        "Britain, France sign intelligence-sharing pact",
        D(2024, 3, 1),
        {("FRA", "GBR", "intelligence_sharing", "signed")},
        id="headline-comma-pair",
    ),
    pytest.param(
        # Debatable type: a bilateral 'security agreement' on military aid and training read as defence cooperation.
        "Ukraine and Denmark signed a 10-year security agreement covering military aid and training.",
        D(2024, 2, 23),
        {("DNK", "UKR", "defense_cooperation", "signed")},
        id="security-agreement",
    ),
    pytest.param(
        "Greek Prime Minister Kyriakos Mitsotakis hosted his Egyptian counterpart in Athens on Monday. "
        "The two sides inked a logistics support agreement.",
        D(2024, 3, 20),
        {("EGY", "GRC", "logistics", "signed")},
        id="pronoun-the-two-sides-inked",
    ),
    pytest.param(
        "The United States withdrew from the Intermediate-Range Nuclear Forces Treaty with Russia in 2019.",
        D(2024, 1, 1),
        {("RUS", "USA", "other", "terminated")},
        id="terminated-withdrew-from",
    ),
    pytest.param(
        "Ukraine has frozen its intelligence-sharing agreement with Georgia.",
        D(2024, 6, 1),
        {("GEO", "UKR", "intelligence_sharing", "suspended")},
        id="suspended-frozen",
    ),
    pytest.param(
        "Germany and Canada began talks on a security of information agreement.",
        D(2024, 6, 1),
        {("CAN", "DEU", "intelligence_sharing", "negotiating")},
        id="negotiating-began-talks",
    ),
    pytest.param(
        # The partner of the second signing is implicit (the United States of the sentence before).
        "Finland signed a defence cooperation agreement with the United States in December. Denmark "
        "signed such an agreement a few days later.",
        D(2024, 1, 10),
        {
            ("FIN", "USA", "defense_cooperation", "signed"),
            ("DNK", "USA", "defense_cooperation", "signed"),
        },
        id="such-an-agreement-implicit-partner",
    ),
    pytest.param(
        "The Czech Republic and Slovakia signed an agreement on the mutual protection of classified information.",
        D(2024, 1, 1),
        {("CZE", "SVK", "intelligence_sharing", "signed")},
        id="official-name-czech-republic",
    ),
    pytest.param(
        "Japan's reciprocal access agreement with Italy, signed on Tuesday, is its fifth such pact.",
        D(2026, 1, 16),
        {("ITA", "JPN", "reciprocal_access", "signed")},
        id="possessive-participle",
    ),
    pytest.param(
        "Prime Minister Albanese and Prime Minister Luxon announced that Australia and New Zealand had "
        "agreed to negotiate a logistics agreement.",
        D(2024, 8, 16),
        {("AUS", "NZL", "logistics", "talks_agreed")},
        id="reported-speech-talks-agreed",
    ),
    pytest.param(
        "It is unclear whether Serbia and Hungary will sign a defence cooperation agreement.",
        D(2024, 1, 1), set(), id="nothing-unclear-whether",
    ),
    pytest.param(
        "Talks on a logistics agreement between Spain and Morocco collapsed in March.",
        D(2024, 6, 1), set(), id="nothing-talks-collapsed",
    ),
    pytest.param(
        # Debatable: 'open to' is not yet a proposal.
        "President Marcos said the Philippines was open to a reciprocal access agreement with South Korea.",
        D(2024, 10, 7), set(), id="nothing-open-to",
    ),
]


# ---- what must give nothing ---------------------------------------------------------------

NOTHING_CASES = [
    pytest.param("Argentina has not signed an intelligence-sharing agreement with Chile.", D(2024, 1, 1), id="negation-has-not"),
    pytest.param("Bolivia never ratified a defence cooperation agreement with Paraguay.", D(2024, 1, 1), id="negation-never-ratified"),
    pytest.param(
        "Analysts doubt that India and Pakistan will ever sign an intelligence-sharing pact.",
        D(2024, 1, 1), id="hypothetical-doubt",
    ),
    pytest.param(
        "If Serbia signs a status of forces agreement with Russia, Brussels has warned, its accession "
        "talks could stall.",
        D(2024, 1, 1), id="hypothetical-if",
    ),
    pytest.param(
        "Hungary refused to sign the defence cooperation agreement with Ukraine.",
        D(2024, 1, 1), id="negation-refused",
    ),
    pytest.param(
        "Egypt denied reports that it had signed a defence cooperation agreement with Sudan.",
        D(2024, 1, 1), id="negation-denied-reports",
    ),
    pytest.param("Taiwan warned of growing military threats from China.", D(2024, 1, 1), id="threat-only"),
    pytest.param(
        "Trade between Indonesia and Japan totalled $37 billion in 2023, according to customs data.",
        D(2024, 1, 1), id="trade-figures",
    ),
    pytest.param(
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Addis Ababa to "
        "discuss regional security.",
        D(2024, 1, 1), id="meeting",
    ),
    pytest.param(
        "Prime Minister Starmer held a phone call with Chancellor Merz on Thursday about defence "
        "cooperation and support for Ukraine.",
        D(2025, 6, 6), id="phone-call-about-defence-cooperation",
    ),
    pytest.param(
        "Argentina and Uruguay signed a joint statement on defence cooperation.",
        D(2024, 1, 1), id="joint-statement",
    ),
    pytest.param(
        "The United States and South Korea celebrated the 70th anniversary of their alliance.",
        D(2023, 4, 26), id="alliance",
    ),
    pytest.param(
        "India and Japan held their 2+2 ministerial dialogue in New Delhi on Tuesday.",
        D(2024, 8, 21), id="dialogue",
    ),
    pytest.param(
        "Troops from Thailand and the United States began the annual Cobra Gold exercise on Tuesday.",
        D(2024, 2, 27), id="exercise",
    ),
    pytest.param(
        "Britain and France shared intelligence on the plot, officials said.",
        D(2024, 1, 1), id="sharing-intelligence-is-not-an-agreement",
    ),
    pytest.param(
        "The United Nations urged Sudan and South Sudan to sign a border security agreement.",
        D(2024, 1, 1), id="urged-to-sign",
    ),
    pytest.param(
        "The leaders of Brazil and Argentina met at the Mercosur summit in Montevideo.",
        D(2024, 1, 1), id="summit",
    ),
    pytest.param(
        "Japan and the Philippines marked the 70th anniversary of diplomatic relations with a "
        "reception in Manila.",
        D(2026, 7, 23), id="anniversary-of-relations",
    ),
]


@pytest.mark.parametrize("text, published, expected", TYPE_CASES)
def test_extract_each_agreement_type(text, published, expected):
    assert claims_of(text, published) == expected


@pytest.mark.parametrize("text, published, expected", STATUS_CASES)
def test_extract_each_status(text, published, expected):
    assert claims_of(text, published) == expected


@pytest.mark.parametrize("text, published, expected", CONSTRUCTION_CASES + MORE_CASES)
def test_extract_news_constructions(text, published, expected):
    assert claims_of(text, published) == expected


@pytest.mark.parametrize("text, published", NOTHING_CASES)
def test_extract_gives_nothing(text, published):
    assert claims_of(text, published) == set()


# ---- the date of a status -----------------------------------------------------------------

DATED_CASES = [
    pytest.param(
        "Portugal and Cape Verde signed a defence cooperation agreement on Tuesday.",
        D(2025, 3, 14),  # a Friday
        {("CPV", "PRT", "defense_cooperation", "signed", "2025-03-11")},
        id="weekday-before-publication",
    ),
    pytest.param(
        "Portugal and Cape Verde signed a defence cooperation agreement on Friday.",
        D(2025, 3, 14),  # the same Friday
        {("CPV", "PRT", "defense_cooperation", "signed", "2025-03-14")},
        id="weekday-of-publication",
    ),
    pytest.param(
        "Oman and India signed a logistics agreement today.",
        D(2024, 12, 9),
        {("IND", "OMN", "logistics", "signed", "2024-12-09")},
        id="today",
    ),
    pytest.param(
        "Jordan and Greece signed a defence cooperation agreement yesterday.",
        D(2024, 3, 1),
        {("GRC", "JOR", "defense_cooperation", "signed", "2024-02-29")},
        id="yesterday-leap-year",
    ),
    pytest.param(
        "The mutual defence treaty between the United States and the Philippines, signed in 1951, "
        "remains the basis of their alliance.",
        D(2024, 4, 11),
        {("PHL", "USA", "mutual_defense", "signed", "1951")},
        id="year",
    ),
    pytest.param(
        "Bangladesh and Turkey signed a defence cooperation agreement in April.",
        D(2024, 6, 19),
        {("BGD", "TUR", "defense_cooperation", "signed", "2024-04")},
        id="month-of-publication-year",
    ),
    pytest.param(
        # A past signing 'in April' reported in February is last year's April.
        "Bangladesh and Turkey signed a defence cooperation agreement in April.",
        D(2024, 2, 10),
        {("BGD", "TUR", "defense_cooperation", "signed", "2023-04")},
        id="month-before-publication-year",
    ),
    pytest.param(
        "Albania and Italy signed an agreement on the protection of classified information on 12 February 2023.",
        D(2024, 5, 5),
        {("ALB", "ITA", "intelligence_sharing", "signed", "2023-02-12")},
        id="absolute-date",
    ),
    pytest.param(
        "The logistics agreement between Greece and Cyprus, signed in 2022, entered into force on "
        "Monday.",
        D(2023, 5, 24),  # a Wednesday
        {
            ("CYP", "GRC", "logistics", "signed", "2022"),
            ("CYP", "GRC", "logistics", "in_force", "2023-05-22"),
        },
        id="two-statuses-two-dates",
    ),
    pytest.param(
        "Kazakhstan and Uzbekistan signed a treaty on allied relations and mutual defence.",
        D(2024, 12, 23),
        {("KAZ", "UZB", "mutual_defense", "signed", "")},
        id="no-date-given",
    ),
]


@pytest.mark.parametrize("text, published, expected", DATED_CASES)
def test_extract_dates_the_status(text, published, expected):
    assert dated_claims_of(text, published) == expected


def test_extract_evidence_is_the_sentence_with_offsets():
    text = (
        "Ministers met in Lima on Monday. Peru and Bolivia signed a defence cooperation agreement "
        "after the meeting. Trade was also discussed."
    )
    article = load_text(text, file="case.txt", date=D(2024, 3, 5))
    (claim,) = extract(article)
    assert claim.evidence.sentence == "Peru and Bolivia signed a defence cooperation agreement after the meeting."
    assert article.text[claim.evidence.start:claim.evidence.end] == claim.evidence.sentence
    assert (claim.party_a, claim.party_b) == ("BOL", "PER")
    assert claim.file == "case.txt" and claim.article_id == article.id


def test_extract_without_publication_date_leaves_relative_dates_empty():
    article = load_text("Peru and Bolivia signed a defence cooperation agreement on Monday.", file="x.txt")
    assert article.date is None
    (claim,) = extract(article)
    assert claim.date == ""


# ---- sentences ----------------------------------------------------------------------------

SPLIT_CASES = [
    pytest.param("They signed two pacts:\n1. Agreement on logistics.\n2. Agreement on training.",
                 ["They signed two pacts:", "1. Agreement on logistics.", "2. Agreement on training."],
                 id="numbered-items-keep-their-numbers"),
    pytest.param(
        "The U.S. and Japan signed it in Washington. Talks continue.",
        ["The U.S. and Japan signed it in Washington.", "Talks continue."],
        id="us-abbreviation",
    ),
    pytest.param(
        "U.S. officials said the U.K. and the EU agreed. The deal follows.",
        ["U.S. officials said the U.K. and the EU agreed.", "The deal follows."],
        id="country-abbreviations",
    ),
    pytest.param(
        "Joseph R. Biden signed it. Then he left.",
        ["Joseph R. Biden signed it.", "Then he left."],
        id="middle-initial",
    ),
    pytest.param(
        "H. E. Mr. Tokayev met Gilberto C. Teodoro Jr. in Manila. They talked.",
        ["H. E. Mr. Tokayev met Gilberto C. Teodoro Jr. in Manila.", "They talked."],
        id="initials-and-titles",
    ),
    pytest.param(
        "At 10:45 a.m. local time, the minister signed the agreement. The ceremony lasted an hour.",
        ["At 10:45 a.m. local time, the minister signed the agreement.", "The ceremony lasted an hour."],
        id="am",
    ),
    pytest.param(
        "The talks began at 7:15 p.m. and lasted ten minutes. Both sides were pleased.",
        ["The talks began at 7:15 p.m. and lasted ten minutes.", "Both sides were pleased."],
        id="pm",
    ),
    pytest.param(
        "The pact was signed on Feb. 12, 2024, in Canberra. It enters into force later.",
        ["The pact was signed on Feb. 12, 2024, in Canberra.", "It enters into force later."],
        id="month-abbreviation",
    ),
    pytest.param(
        "Gen. Charles Q. Brown and Lt. Col. Dr. Smith attended. Nobody else did.",
        ["Gen. Charles Q. Brown and Lt. Col. Dr. Smith attended.", "Nobody else did."],
        id="ranks",
    ),
    pytest.param(
        "Trade reached $3.5 billion in 2023. Officials expect more.",
        ["Trade reached $3.5 billion in 2023.", "Officials expect more."],
        id="decimal",
    ),
    pytest.param(
        "\"We have signed the agreement,\" he said. \"It is historic.\"",
        ["\"We have signed the agreement,\" he said.", "\"It is historic.\""],
        id="quotes",
    ),
    pytest.param(
        "Is it signed? Yes! It entered into force.",
        ["Is it signed?", "Yes!", "It entered into force."],
        id="question-and-exclamation",
    ),
    pytest.param(
        "Japan-Philippines Relations\n\nJuly 8, 2024\n\nThe ministers signed it.",
        ["Japan-Philippines Relations", "July 8, 2024", "The ministers signed it."],
        id="lines-without-full-stop",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("", []), ("\n", []), ("\n \n\t\n", []), ("One line\n", [(0, 8)]), ("\n\nOne line", [(2, 10)]),
    ("First line\n  \nSecond line\n", [(0, 10), (14, 25)]),
    ("A line wrapped after the word and\nthe rest of it.\n\nNext.", [(0, 49), (51, 56)]),
])
def test_split_sentences_at_blank_lines_and_text_ends(text, expected):
    """Blank lines and line breaks at either end give no sentence; a line ending in 'and' goes on
    on the next line."""
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text, expected", SPLIT_CASES)
def test_split_sentences(text, expected):
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == expected


def test_split_clauses_breaks_at_line_wrapped_conjunctions():
    from kg.extract.clauses import split_clauses

    s = "Spain has signed a pact with Portugal,\nis negotiating one with France\nwhile talks go on"
    assert [s[a:b] for a, b in split_clauses(s)] == [
        "Spain has signed a pact with Portugal", "is negotiating one with France", "talks go on"]


def test_split_clauses_breaks_before_and_with_a_verb_or_with_talks():
    from kg.extract.clauses import split_clauses

    s = "Chile signed a pact with Peru  and\thas agreed to talk with Bolivia and talks are under way with Ecuador and Oman."
    assert [s[a:b] for a, b in split_clauses(s)] == [
        "Chile signed a pact with Peru", "has agreed to talk with Bolivia", "talks are under way with Ecuador and Oman."]


def test_split_sentences_spans_are_stripped_and_ordered():
    text = "  First one.   Second one.\n\n  Third one.  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one.", "Third one."]
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


# ---- dates --------------------------------------------------------------------------------

FIND_DATES_CASES = [
    pytest.param("They signed it on Wednesday.", D(2024, 6, 19), ["2024-06-19"], id="weekday-same-day"),
    pytest.param("They signed it on Monday.", D(2024, 6, 19), ["2024-06-17"], id="weekday-earlier"),
    pytest.param("They signed it on Sunday.", D(2024, 6, 19), ["2024-06-16"], id="weekday-previous-week"),
    pytest.param("They signed it today.", D(2024, 6, 19), ["2024-06-19"], id="today"),
    pytest.param("They signed it yesterday.", D(2024, 1, 1), ["2023-12-31"], id="yesterday-year-boundary"),
    pytest.param("They signed it in April.", D(2024, 6, 19), ["2024-04"], id="month"),
    pytest.param("They signed it on April 5.", D(2024, 6, 19), ["2024-04-05"], id="month-day"),
    pytest.param("They signed it on 5 April 2023.", D(2024, 6, 19), ["2023-04-05"], id="day-month-year"),
    pytest.param("They signed it on July 8, 2024.", D(2024, 7, 9), ["2024-07-08"], id="month-day-year"),
    pytest.param("They signed it in March 2021.", D(2024, 6, 19), ["2021-03"], id="month-year"),
    pytest.param("They signed it in 2012.", D(2024, 6, 19), ["2012"], id="year"),
    pytest.param("They signed it on 2024-02-03.", D(2024, 6, 19), ["2024-02-03"], id="iso"),
    pytest.param("It was signed last month.", D(2024, 6, 19), ["2024-05"], id="last-month"),
    pytest.param("It was signed last year.", D(2024, 6, 19), ["2023"], id="last-year"),
    pytest.param("The ministers met.", D(2024, 6, 19), [], id="none"),
    pytest.param("About 2,000 troops and 35 F-35 jets took part under Article 5.", D(2024, 6, 19), [], id="numbers-are-not-dates"),
    pytest.param("They signed it on 5 April 2023.", None, ["2023-04-05"], id="absolute-without-publication-date"),
    pytest.param("They signed it on Wednesday.", None, [], id="relative-without-publication-date"),
    # no digit: only the worded kinds are tried (find_dates skips the numeric patterns)
    pytest.param("They signed it TONIGHT.", D(2024, 6, 19), ["2024-06-19"], id="tonight-in-capitals"),
    pytest.param("It was signed earlier in the day.", D(2024, 6, 19), ["2024-06-19"], id="earlier-in-the-day"),
    pytest.param("It was signed this month.", D(2024, 6, 19), ["2024-06"], id="this-month"),
    pytest.param("Signed Yesterday, it holds.", D(2024, 6, 19), ["2024-06-18"], id="yesterday-capitalised"),
    pytest.param("Signed YESTERDAY — it holds.", D(2024, 6, 19), ["2024-06-18"], id="yesterday-in-capitals-beside-a-dash"),
    pytest.param("They have talked since March.", D(2024, 6, 19), ["2024-03"], id="since-month"),
]


@pytest.mark.parametrize("sentence, published, expected", FIND_DATES_CASES)
def test_find_dates(sentence, published, expected):
    assert [d.value for d in find_dates(sentence, published)] == expected


def test_find_dates_last_week_falls_in_the_previous_week():
    # Debatable granularity: either the month or a day of the previous calendar week is a fair reading.
    (mention,) = find_dates("It was signed last week.", D(2024, 6, 19))
    assert mention.value == "2024-06" or "2024-06-10" <= mention.value <= "2024-06-16"


def test_find_dates_offsets_point_at_the_expression():
    sentence = "Chile and Peru signed it on Wednesday in Lima."
    (mention,) = find_dates(sentence, D(2024, 6, 19))
    assert "Wednesday" in sentence[mention.start:mention.end]
    assert sentence[mention.start:mention.end].strip() in {"Wednesday", "on Wednesday"}


def test_find_dates_two_dates_in_order():
    mentions = find_dates("Signed in 2019, it entered into force on Monday.", D(2021, 2, 3))
    assert [m.value for m in mentions] == ["2019", "2021-02-01"]


# ---- golden tests -------------------------------------------------------------------------

def _strict_f1(gold_csv: Path, folder: Path) -> tuple[float, object]:
    rows = read_gold(gold_csv)
    claims, files = [], []
    for article in load_paths([folder]):
        files.append(article.file)
        claims.extend(extract(article))
    result = evaluate(claims, rows, files)
    return result.scores["strict"].f1, result


def test_seed_gold_strict_f1_is_one():
    f1, result = _strict_f1(SEEDS / "gold-claims.csv", SEEDS)
    assert result.files == 3
    assert f1 == 1.0, (result.misses, [(c.file, c.pair, c.agreement_type, c.status) for c in result.extras])


def test_corpus_gold_covers_every_file():
    files = {p.name for p in CORPUS.iterdir() if p.name != "gold.csv"}
    gold_files = {row.file.split("#")[0] for row in read_gold(CORPUS / "gold.csv")}
    assert files == gold_files
    assert len(files) >= 25


def test_corpus_strict_f1_floor():
    f1, result = _strict_f1(CORPUS / "gold.csv", CORPUS)
    assert result.files >= 25
    assert f1 >= CORPUS_STRICT_F1_FLOOR, (
        f1,
        [(g.file, g.party_a, g.party_b, g.agreement_type, g.status) for g in result.misses],
        [(c.file, c.pair, c.agreement_type, c.status) for c in result.extras],
    )


# The two later corpora were written without reading the extractor; their first-look strict F1
# was 0.54 and 0.70 (see README). The floors keep what was gained since from being lost.
@pytest.mark.parametrize("name, floor", [("heldout", 0.88), ("heldout3", 0.88)])
def test_heldout_corpus_strict_f1_floor(name, floor):
    folder = CORPUS.parent / name
    f1, result = _strict_f1(folder / "gold.csv", folder)
    assert result.files >= 20
    assert f1 >= floor, (f1, [(g.file, g.party_a, g.party_b, g.agreement_type, g.status) for g in result.misses])


# Constructions the extractor learned from the held-out corpora, each in a sentence written here.
LATER_CASES = [
    pytest.param(
        "Chile, for its part, has concluded such logistics agreements with Peru and Uruguay.",
        D(2024, 4, 2),
        {("CHL", "PER", "logistics", "signed"), ("CHL", "URY", "logistics", "signed")},
        id="aside-between-subject-and-verb",
    ),
    pytest.param(
        "Kenya, which faces pressure from Somalia over its troop deployment, is negotiating a status of "
        "forces agreement with Uganda.",
        D(2024, 4, 2),
        {("KEN", "UGA", "reciprocal_access", "negotiating")},
        id="relative-clause-skipped-in-subject",
    ),
    pytest.param(
        "Brazil's president proposed a non-aggression pact between Armenia and Azerbaijan at the summit.",
        D(2024, 4, 2),
        {("ARM", "AZE", "other", "proposed")},
        id="agreement-between-names-its-parties",
    ),
    pytest.param(
        "The European Union opened a new round of trade talks in Jakarta. The bloc is negotiating a "
        "free trade agreement with Indonesia.",
        D(2024, 4, 2),
        {("EU", "IDN", "other", "negotiating")},
        id="the-bloc-is-the-organisation-named-before",
    ),
    pytest.param(
        "The treaty, signed in 1996 by then-President Boris Yeltsin and Jiang Zemin, was never fully implemented.",
        D(2024, 4, 2),
        set(),
        id="former-leaders-unknown-give-nothing",
    ),
    pytest.param(
        "Mexico and Guatemala signed a defence cooperation agreement in 2019. The agreement, renewed in 2022, "
        "expired on Monday.",
        D(2024, 4, 3),
        {
            ("GTM", "MEX", "defense_cooperation", "signed"),
            ("GTM", "MEX", "defense_cooperation", "in_force"),
            ("GTM", "MEX", "defense_cooperation", "terminated"),
        },
        id="parenthetical-participle-and-main-status",
    ),
    pytest.param(
        "Norway hosts allied troops from the United States under a 2021 supplementary agreement and from "
        "Britain under a similar deal.",
        D(2024, 4, 2),
        set(),
        id="countries-after-from-are-not-the-subject",
    ),
    pytest.param(
        "Colombia said the pact with Ecuador would enter into force once both parliaments ratify it.",
        D(2024, 4, 2),
        set(),
        id="future-entry-into-force-gives-nothing",
    ),
]


@pytest.mark.parametrize("text, published, expected", LATER_CASES)
def test_extract_later_constructions(text, published, expected):
    assert claims_of(text, published) == expected


def test_pursuing_agreements_is_a_hedged_claim():
    text = "Chile has been actively pursuing logistics agreements with Peru and Uruguay."
    claims = extract(load_text(text, file="case.txt", date=D(2024, 4, 2)))
    assert {(c.pair, c.status, c.hedged) for c in claims} == {
        (("CHL", "PER"), "negotiating", True), (("CHL", "URY"), "negotiating", True)}
    plain = extract(load_text("Chile is negotiating a logistics agreement with Peru.", file="p.txt", date=D(2024, 4, 2)))
    assert [c.hedged for c in plain] == [False]


@pytest.mark.parametrize(
    "text",
    [
        "Real Madrid signed the Brazil forward from Chelsea in a deal worth 40 million euros.",
        "Japan's Toyota signed a supply deal with a Chinese battery maker on Tuesday.",
        "Germany's Siemens and France's Alstom agreed to merge their rail businesses.",
        "Australia beat India by six wickets in Sydney, and the two sides will meet again in Melbourne.",
        "The United States and China are in agreement that the climate crisis requires urgent action.",
        "NATO allies agreed on Wednesday to boost defence spending to 5 percent of GDP.",
    ],
    ids=["club-and-player", "company-deal", "company-merger", "cricket", "in-agreement", "no-partner"],
)
def test_business_sport_and_figures_of_speech_give_nothing(text):
    assert claims_of(text, D(2024, 3, 13)) == set()


# ---- what real prose does (families of constructions; sentences written for these tests) ----

P = D(2024, 6, 19)  # a Wednesday

REAL_PROSE_CASES = [
    # background agreements in lists and ordinals
    pytest.param(
        "Norway and Sweden signed a logistics pact on Monday. For Norway, Sweden became the seventh "
        "logistics partner, after Chile, Peru, Ghana and Kenya.",
        P,
        {("NOR", "SWE", "logistics", "signed", "2024-06-17"), ("CHL", "NOR", "logistics", "signed", ""),
         ("NOR", "PER", "logistics", "signed", ""), ("GHA", "NOR", "logistics", "signed", ""),
         ("KEN", "NOR", "logistics", "signed", "")},
        id="ordinal-partner-after-list",
    ),
    pytest.param(
        "Norway and Sweden signed a logistics pact on Monday. It is the third such agreement for Norway, "
        "following the ones with Chile and Peru.",
        P,
        {("NOR", "SWE", "logistics", "signed", "2024-06-17"), ("CHL", "NOR", "logistics", "signed", ""),
         ("NOR", "PER", "logistics", "signed", "")},
        id="third-such-agreement-following-the-ones-with",
    ),
    pytest.param(
        "Norway and Sweden are set to sign a logistics pact. Sweden would be the fourth country to have such "
        "a pact with Norway, following Chile and Peru, which signed agreements on March 3 and 9, respectively.",
        P,
        {("NOR", "SWE", "logistics", "agreed_in_principle", ""), ("CHL", "NOR", "logistics", "signed", "2024-03-03"),
         ("NOR", "PER", "logistics", "signed", "2024-03-09")},
        id="ordinal-with-respectively-dates",
    ),
    pytest.param(
        "Norway and Sweden signed a reciprocal access agreement on Monday. Sweden is the second country with "
        "which Norway has such a pact. The only predecessor is Chile.",
        P,
        {("NOR", "SWE", "reciprocal_access", "signed", "2024-06-17"),
         ("CHL", "NOR", "reciprocal_access", "signed", "")},
        id="ordinal-then-predecessor-sentence",
    ),
    pytest.param(
        "Norway and Sweden signed a logistics pact on Monday. Similar pacts have been signed by Norway with "
        "Chile, Peru and Ghana.",
        P,
        {("NOR", "SWE", "logistics", "signed", "2024-06-17"), ("CHL", "NOR", "logistics", "signed", ""),
         ("NOR", "PER", "logistics", "signed", ""), ("GHA", "NOR", "logistics", "signed", "")},
        id="similar-pacts-signed-by-with",
    ),
    pytest.param(
        "Norway has extradition accords with 12 countries: Chile (signed in 1990), Peru (1994), Ghana and "
        "Kenya (2001), and Italy (2010).",
        P,
        {("CHL", "NOR", "other", "signed", "1990"), ("NOR", "PER", "other", "signed", "1994"),
         ("GHA", "NOR", "other", "signed", "2001"), ("KEN", "NOR", "other", "signed", "2001"),
         ("ITA", "NOR", "other", "signed", "2010")},
        id="partner-list-with-years",
    ),
    pytest.param(
        "Norway has signed agreements on the protection of classified information with the following countries:\n"
        "- Chile (2004)\n- Peru, 12 March 2010\n- Ghana\n"
        "The agreements allow the exchange of secret data.",
        P,
        {("CHL", "NOR", "intelligence_sharing", "signed", "2004"),
         ("NOR", "PER", "intelligence_sharing", "signed", "2010-03-12"),
         ("GHA", "NOR", "intelligence_sharing", "signed", "")},
        id="reference-list-under-a-heading",
    ),
    # earlier stages told beside the main event
    pytest.param(
        "Norway and Sweden signed a logistics pact on Monday. The two governments began negotiations in March "
        "and agreed on it in principle last month. The pact was first proposed in 2014.",
        P,
        {("NOR", "SWE", "logistics", "signed", "2024-06-17"), ("NOR", "SWE", "logistics", "negotiating", "2024-03"),
         ("NOR", "SWE", "logistics", "agreed_in_principle", "2024-05"), ("NOR", "SWE", "logistics", "proposed", "2014")},
        id="earlier-stages-each-their-own-claim",
    ),
    pytest.param(
        "Norway and Sweden met on Monday. They agreed at a summit last year to start negotiations on a logistics pact.",
        P,
        {("NOR", "SWE", "logistics", "talks_agreed", "2023")},
        id="agreed-at-a-summit-last-year-to-start-talks",
    ),
    # events as nouns
    pytest.param(
        "Norway's termination of the status of forces agreement with Sweden angered officials.",
        P,
        {("NOR", "SWE", "reciprocal_access", "terminated", "")},
        id="termination-as-a-noun",
    ),
    pytest.param(
        "Ghana and Togo signed a defence cooperation agreement in 2019. Its entry into force was delayed "
        "until Togo's parliament voted in March.",
        P,
        {("GHA", "TGO", "defense_cooperation", "signed", "2019")},
        id="entry-into-force-delayed-is-not-in-force",
    ),
    pytest.param(
        "Russia announced the suspension of the arms control treaty with the United States on Tuesday.",
        P,
        {("RUS", "USA", "other", "suspended", "2024-06-18")},
        id="suspension-as-a-noun",
    ),
    # subjects carried into a clause with a partner
    pytest.param(
        "Chile and Peru held a summit on Monday. The two neighbours began talks with Ghana on a logistics pact "
        "last year.",
        P,
        {("CHL", "GHA", "logistics", "negotiating", "2023"), ("GHA", "PER", "logistics", "negotiating", "2023")},
        id="the-two-neighbours-with-a-third",
    ),
    pytest.param(
        "Chile and Peru held a summit on Monday. Talks on a logistics pact with Ghana began last year.",
        P,
        {("CHL", "GHA", "logistics", "negotiating", "2023"), ("GHA", "PER", "logistics", "negotiating", "2023")},
        id="talks-with-a-third-without-a-subject",
    ),
    pytest.param(
        "The EU signed a defence cooperation agreement with Norway on Monday. The EU previously concluded a "
        "similar agreement with Chile and talks are also underway with Peru.",
        P,
        {("EU", "NOR", "defense_cooperation", "signed", "2024-06-17"), ("CHL", "EU", "defense_cooperation", "signed", ""),
         ("EU", "PER", "defense_cooperation", "negotiating", "")},
        id="previously-concluded-and-talks-underway",
    ),
    pytest.param(
        "Poland has status of forces agreements with Norway and Chile and is in talks to conclude one with Peru.",
        P,
        {("NOR", "POL", "reciprocal_access", "signed", ""), ("CHL", "POL", "reciprocal_access", "signed", ""),
         ("PER", "POL", "reciprocal_access", "negotiating", "")},
        id="has-agreements-and-in-talks-to-conclude-one",
    ),
    # named instruments and several nouns in one clause
    pytest.param(
        "Italy and Chile already have an accord on the protection of classified information, a defence "
        "equipment and technology transfer pact and a logistics agreement.",
        P,
        {("CHL", "ITA", "intelligence_sharing", "signed", ""), ("CHL", "ITA", "other", "signed", ""),
         ("CHL", "ITA", "logistics", "signed", "")},
        id="three-instruments-typed-by-their-complements",
    ),
    pytest.param(
        "Moldova signed a security and defence partnership with the European Union on Tuesday. The EU "
        "previously concluded a similar partnership with Norway.",
        P,
        {("EU", "MDA", "defense_cooperation", "signed", "2024-06-18"), ("EU", "NOR", "defense_cooperation", "signed", "")},
        id="security-and-defence-partnership",
    ),
    pytest.param(
        "Greece and Cyprus signed a defence partnership on Monday that commits each to come to the other's aid "
        "if attacked.",
        P,
        {("CYP", "GRC", "mutual_defense", "signed", "2024-06-17")},
        id="partnership-with-a-mutual-aid-pledge",
    ),
    pytest.param(
        "Australia and Fiji signed a force posture agreement in Suva on Monday.",
        P,
        {("AUS", "FJI", "defense_cooperation", "signed", "2024-06-17")},
        id="force-posture-agreement",
    ),
    pytest.param(
        "Spain and Morocco signed the XYZPA in 2016 to share military intelligence on smuggling networks. "
        "The pact has been renewed each year in May.",
        P,
        {("ESP", "MAR", "intelligence_sharing", "signed", "2016"), ("ESP", "MAR", "intelligence_sharing", "in_force", "")},
        id="unknown-acronym-signed-then-renewed-each-year",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Tokyo and Manila inked the reciprocal access agreement in July, and it took effect in September.",
        P,
        {("JPN", "PHL", "reciprocal_access", "signed", "2023-07"), ("JPN", "PHL", "reciprocal_access", "in_force", "2023-09")},
        id="and-it-took-effect",
    ),
    pytest.param(
        "Negotiators from Kyrgyzstan and Tajikistan initialled the text of the border treaty on Friday.",
        P,
        {("KGZ", "TJK", "other", "agreed_in_principle", "2024-06-14")},
        id="initialled-text",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "An attack on one would be deemed an aggression against both, according to a new strategic defence "
        "agreement that Qatar and Turkey signed on Wednesday. The deal was signed by the two leaders.",
        P,
        {("QAT", "TUR", "mutual_defense", "signed", "2024-06-19")},
        id="mutual-defence-pledge-anywhere-in-the-sentence",
    ),
    pytest.param(
        "Mali's junta ended military cooperation with neighbouring Senegal on Tuesday. The agreement was signed "
        "last year. The junta revoked a raft of military agreements with Spain last month.",
        P,
        {("MLI", "SEN", "defense_cooperation", "terminated", "2024-06-18"),
         ("MLI", "SEN", "defense_cooperation", "signed", "2023"),
         ("ESP", "MLI", "defense_cooperation", "terminated", "2024-05")},
        id="ended-military-cooperation-and-a-raft-of-agreements",
    ),
    pytest.param(
        "An agreement on military cooperation between Spain and Ghana has been suspended. Madrid and Accra had "
        "made an agreement in which Spain would lend money for patrol boats.",
        P,
        {("ESP", "GHA", "defense_cooperation", "suspended", ""), ("ESP", "GHA", "defense_cooperation", "signed", "")},
        id="a-bare-agreement-is-the-pairs-typed-one",
    ),
    pytest.param(
        "The deal was signed by the foreign ministers of Chile and Peru on Tuesday. The newly adopted "
        "Security and Defence Partnership builds on earlier cooperation.",
        P,
        {("CHL", "PER", "defense_cooperation", "signed", "2024-06-18")},
        id="the-deal-takes-the-type-the-article-names-later",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "President Boric said that Chile already has security agreements with three states. These are Peru, "
        "Canada and Italy.",
        P,
        {("CHL", "PER", "defense_cooperation", "signed", ""), ("CAN", "CHL", "defense_cooperation", "signed", ""),
         ("CHL", "ITA", "defense_cooperation", "signed", "")},
        id="count-then-these-are",
    ),
    pytest.param(
        "Ukraine and Denmark signed a security agreement on Friday. This happened after similar agreements were "
        "concluded with France and Germany.",
        P,
        {("DNK", "UKR", "defense_cooperation", "signed", "2024-06-14"),
         ("FRA", "UKR", "defense_cooperation", "signed", ""), ("DEU", "UKR", "defense_cooperation", "signed", "")},
        id="similar-agreements-with-the-party-the-article-is-about",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "The talks are in accordance with the Chile-Peru Strategic Partnership Agreement signed between "
        "President Boric and President Boluarte on May 2, 2023 in Lima.",
        P,
        {("CHL", "PER", "other", "signed", "2023-05-02")},
        id="reduced-relative-signed-between",
    ),
]

REAL_PROSE_CASES += [
    pytest.param("A status of forces agreement between Guyana and the United States is under negotiation.", P,
                 {("GUY", "USA", "reciprocal_access", "negotiating", "")}, id="under-negotiation"),
    pytest.param("Japan and Britain's Reciprocal Access Agreement came into force in October.", P,
                 {("GBR", "JPN", "reciprocal_access", "in_force", "2023-10")}, id="possessive-before-an-agreements-name"),
    pytest.param("The Philippines has visiting forces agreements with the United States and Australia.", P,
                 {("PHL", "USA", "reciprocal_access", "signed", ""), ("AUS", "PHL", "reciprocal_access", "signed", "")},
                 id="has-visiting-forces-agreements"),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Norway and Italy signed an information security agreement on Monday. The pact is Norway's third such "
        "deal in Europe after those with Spain and France.",
        P,
        {("ITA", "NOR", "intelligence_sharing", "signed", "2024-06-17"), ("ESP", "NOR", "intelligence_sharing", "signed", ""),
         ("FRA", "NOR", "intelligence_sharing", "signed", "")},
        id="possessive-ordinal-after-those-with",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "The NATO Secretary General and the Minister of Foreign Affairs of Greece, on behalf of the Presidency "
        "of the EU, have signed today in Athens the NATO - EU Agreement on the Security of Information.",
        D(2003, 3, 14),
        {("EU", "NATO", "intelligence_sharing", "signed", "2003-03-14")},
        id="spaced-dash-compound-name",
    ),
    pytest.param(
        "On Saturday, the ruling military junta in Mali cancelled “with immediate effect” the status of forces "
        "agreement with Russia, which dates back to 2012.",
        P,
        {("MLI", "RUS", "reciprocal_access", "terminated", "2024-06-15"), ("MLI", "RUS", "reciprocal_access", "signed", "2012")},
        id="junta-in-a-country-cancelled-dates-back-to",
    ),
    pytest.param(
        "Seoul has completed measures to fully normalise the intelligence-sharing pact with Tokyo.",
        P,
        {("JPN", "KOR", "intelligence_sharing", "in_force", "")},
        id="completed-measures-to-normalise",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "The agreements listed below were signed on April 15 during the visit of the president of Chile to Peru.\n\n"
        "1. Agreement between the Ministry of Defence of Chile and the Ministry of Defence of Peru on Air "
        "Defence Cooperation.\n\n"
        "The agreement covers the exchange of radar data.\n\n"
        "2. Agreement between the two ministries on the mutual protection of classified information.",
        P,
        {("CHL", "PER", "defense_cooperation", "signed", "2024-04-15"),
         ("CHL", "PER", "intelligence_sharing", "signed", "2024-04-15")},
        id="numbered-agreements-after-they-were-signed",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Greece and Egypt signed a maritime delimitation agreement in Cairo on Thursday, angering Turkey, which "
        "signed a rival deal with Libya last year.",
        P,
        {("EGY", "GRC", "other", "signed", "2024-06-13"), ("LBY", "TUR", "other", "signed", "2023")},
        id="a-third-partys-own-deal-in-a-relative-clause",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "General Anders Lindqvist, Finnish Chief of Defence; General Karl Berg, Swedish Chief of Defence; and "
        "Admiral John Smith of NATO each signed a host nation support agreement between their respective "
        "country and NATO yesterday.",
        P,
        {("FIN", "NATO", "logistics", "signed", "2024-06-18"), ("NATO", "SWE", "logistics", "signed", "2024-06-18")},
        id="each-with-their-respective-country",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "NEWPORT, United Kingdom - Finland and Sweden each signed a host nation support agreement with NATO "
        "at the summit yesterday.",
        P,
        {("FIN", "NATO", "logistics", "signed", "2024-06-18"), ("NATO", "SWE", "logistics", "signed", "2024-06-18")},
        id="dateline-country-is-a-place",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Cyprus and Greece signed a defence cooperation agreement in Athens on Monday. Under Article 2 of the "
        "agreement, both parties provide each other help and assistance if an armed attack takes place.",
        P,
        {("CYP", "GRC", "mutual_defense", "signed", "2024-06-17")},
        id="a-pledge-told-later-makes-it-mutual-defence",
    ),
    pytest.param(
        "Cyprus and Greece signed a defence cooperation agreement in Athens on Monday. Under Article 2 of the "
        "agreement — the “mutual aid” clause — both parties provide each other help and assistance if an armed "
        "attack takes place.",
        P,
        {("CYP", "GRC", "mutual_defense", "signed", "2024-06-17")},
        id="a-pledge-told-later-in-a-sentence-with-dashes-and-quotes",
    ),
    pytest.param(
        "Pakistan and Saudi Arabia signed a defence cooperation protocol in 1982. In 2025 they signed a new pact "
        "under which an attack on one is an attack on both.",
        P,
        {("PAK", "SAU", "defense_cooperation", "signed", "1982"), ("PAK", "SAU", "mutual_defense", "signed", "2025")},
        id="the-pledge-types-its-own-agreement-only",
    ),
    pytest.param(
        "The Chadian government has decided to end its defence cooperation pact with France, a move that could "
        "trigger the withdrawal of French troops, as has happened in former colonies such as Mali, Niger and "
        "Burkina Faso.",
        P,
        {("FRA", "TCD", "defense_cooperation", "terminated", "")},
        id="decided-to-end-and-countries-named-in-passing",
    ),
    pytest.param(
        "The treaty between Russia and North Korea was signed in Pyongyang on June 19, 2023. The bilateral "
        "friendship treaty concluded by Russia and North Korea in 2000 becomes invalid on the same date.",
        P,
        {("PRK", "RUS", "other", "signed", "2023-06-19"), ("PRK", "RUS", "other", "terminated", "")},
        id="becomes-invalid",
    ),
    pytest.param(
        "The treaty of friendship and cooperation concluded by Russia and North Korea on February 9, 2000 "
        "becomes invalid on the same date.",
        P,
        {("PRK", "RUS", "other", "signed", "2000-02-09"), ("PRK", "RUS", "other", "terminated", "")},
        id="concluded-by-in-the-subject-then-becomes-invalid",
    ),
    pytest.param(
        "Ecuador's president signed decrees that ratify the status of forces agreement with the United States. "
        "This puts into effect the agreement.",
        P,
        {("ECU", "USA", "reciprocal_access", "in_force", "")},
        id="ratify-and-puts-into-effect",
    ),
    pytest.param(
        "Russia suspended its participation in the strategic arms reduction treaty with the United States on Tuesday.",
        P,
        {("RUS", "USA", "other", "suspended", "2024-06-18")},
        id="arms-reduction-treaty-is-arms-control",
    ),
    pytest.param(
        "Sources said the negotiations between India and the United States on the information security agreement "
        "had been completed some time ago.",
        P,
        {("IND", "USA", "intelligence_sharing", "agreed_in_principle", "")},
        id="negotiations-had-been-completed",
    ),
    pytest.param(
        "The ministers welcomed the adoption of a Korea-EU Security and Defence Partnership on Tuesday.",
        P,
        {("EU", "KOR", "defense_cooperation", "signed", "2024-06-18")},
        id="adoption-of-a-partnership",
    ),
    pytest.param(
        "The EU signed a security and defence partnership with Korea on Monday. This makes Korea the EU's fourth "
        "partner, following Moldova, Norway and Japan, to sign such an agreement.",
        P,
        {("EU", "KOR", "defense_cooperation", "signed", "2024-06-17"), ("EU", "MDA", "defense_cooperation", "signed", ""),
         ("EU", "NOR", "defense_cooperation", "signed", ""), ("EU", "JPN", "defense_cooperation", "signed", "")},
        id="listed-partners-are-not-each-others",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "The treaty between Russia and North Korea, signed by the two leaders in June, has entered into force, "
        "the news agency said.",
        P,
        {("PRK", "RUS", "other", "signed", "2024-06"), ("PRK", "RUS", "other", "in_force", "")},
        id="signed-in-an-aside-then-entered-into-force",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Norway and Iceland signed defence cooperation agreements with the United States on Monday. Norway has "
        "been negotiating its agreement since January this year, Iceland since September 2022, and Estonia since "
        "February 2022.",
        P,
        {("NOR", "USA", "defense_cooperation", "signed", "2024-06-17"), ("ISL", "USA", "defense_cooperation", "signed", "2024-06-17"),
         ("NOR", "USA", "defense_cooperation", "negotiating", "2024-01"),
         ("ISL", "USA", "defense_cooperation", "negotiating", "2022-09"),
         ("EST", "USA", "defense_cooperation", "negotiating", "2022-02")},
        id="gapped-subjects-each-with-their-own-date",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "A reciprocal access agreement is comparable to the Japan-U.S. Status of Forces Agreement.",
        P,
        {("JPN", "USA", "reciprocal_access", "signed", "")},
        id="a-bilateral-instrument-by-its-name-exists",
    ),
]

REAL_PROSE_CASES += [
    pytest.param("Peru and the United States decided on Saturday to renegotiate their defence cooperation agreement.", P,
                 {("PER", "USA", "defense_cooperation", "talks_agreed", "2024-06-15")}, id="decided-to-renegotiate"),
    pytest.param("Japan said its defence agreement with New Zealand is going to be signed next year.", P,
                 {("JPN", "NZL", "defense_cooperation", "agreed_in_principle", "")}, id="going-to-be-signed"),
    pytest.param("Japan is aiming to conclude a similar agreement with Australia after agreeing in principle on a "
                 "status of forces pact in November.", P,
                 {("AUS", "JPN", "reciprocal_access", "agreed_in_principle", "2023-11")}, id="after-agreeing-in-principle"),
]

REAL_PROSE_CASES += [
    pytest.param(
        "The ministers of Sweden and Brazil took note of the agreements that are already in force:\n\n"
        "    the Memorandum of Understanding Brazil – Sweden on Cooperation in Defence Matters, signed in "
        "São Paulo on July 7, 2000;\n",
        P,
        {("BRA", "SWE", "defense_cooperation", "signed", "2000-07-07"), ("BRA", "SWE", "defense_cooperation", "in_force", "")},
        id="lines-under-agreements-already-in-force",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Japan and Britain have agreed to commence negotiations on an agreement that would enhance cooperation "
        "between their forces. The Japan-Britain Reciprocal Access Agreement would simplify procedures.",
        P,
        {("GBR", "JPN", "reciprocal_access", "talks_agreed", "")},
        id="a-vague-lede-takes-the-type-the-article-names",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Officials said updating the 1952 bilateral defense agreement between Peru and the United States would "
        "help the two countries work on issues from terrorism to drug trafficking.",
        P,
        {("PER", "USA", "defense_cooperation", "signed", "1952")},
        id="a-defence-agreement-is-not-typed-by-a-keyword-further-on",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "Chile and Spain on Saturday inked 12 pacts, including in key areas of defence, nuclear energy and "
        "protection of classified information.",
        P,
        {("CHL", "ESP", "other", "signed", "2024-06-15"), ("CHL", "ESP", "intelligence_sharing", "signed", "2024-06-15")},
        id="pacts-including-in-areas-of",
    ),
]

REAL_PROSE_CASES += [
    pytest.param(
        "On Wednesday, the defence ministers of Indonesia and France urged the negotiation team to finish the "
        "talks on the defence cooperation agreement soon.",
        P,
        {("FRA", "IDN", "defense_cooperation", "negotiating", "2024-06-19")},
        id="urged-to-finish-the-talks-presupposes-talks",
    ),
]

REAL_PROSE_CASES += [
    pytest.param("Australia and Japan, which have no formal alliance, signed a reciprocal access agreement in January.",
                 P, {("AUS", "JPN", "reciprocal_access", "signed", "2024-01")}, id="negation-inside-a-relative-aside"),
    pytest.param("The first-ever defence pact between Japan and India was signed in 2020.",
                 P, {("IND", "JPN", "defense_cooperation", "signed", "2020")}, id="first-ever-is-not-hypothetical"),
    pytest.param("In May, Chile and Peru signed a logistics pact.",
                 P, {("CHL", "PER", "logistics", "signed", "2024-05")}, id="the-month-may-is-not-a-modal"),
]

REAL_PROSE_CASES += [
    pytest.param("Canberra and Tokyo inked the logistics pact in January 2022. It took effect in August 2023.", P,
                 {("AUS", "JPN", "logistics", "signed", "2022-01"), ("AUS", "JPN", "logistics", "in_force", "2023-08")},
                 id="it-took-effect-in-the-next-sentence"),
]

REAL_PROSE_CASES += [
    pytest.param("Russia and Venezuela signed a strategic partnership treaty on Wednesday, Russia's fourth similar pact "
                 "in two years, following agreements with China, North Korea, and Iran.", P,
                 {("RUS", "VEN", "other", "signed", "2024-06-19"), ("CHN", "RUS", "other", "signed", ""),
                  ("PRK", "RUS", "other", "signed", ""), ("IRN", "RUS", "other", "signed", "")},
                 id="an-untyped-ordinal-pact-and-its-predecessors"),
    pytest.param("Japan and the Philippines signed a reciprocal access agreement. Manila has sought to expand its web "
                 "of alliances, entering into similar agreements with New Zealand and Australia earlier.", P,
                 {("JPN", "PHL", "reciprocal_access", "signed", ""), ("NZL", "PHL", "reciprocal_access", "signed", ""),
                  ("AUS", "PHL", "reciprocal_access", "signed", "")},
                 id="entered-into-similar-agreements"),
    pytest.param("Mali's junta announced on Monday it was breaking off from its defence accords with France.", P,
                 {("FRA", "MLI", "defense_cooperation", "terminated", "2024-06-17")}, id="breaking-off-from-accords"),
    pytest.param("South Korea and Australia agreed to hold working-level meetings to revise their defence memorandum.", P,
                 {("AUS", "KOR", "defense_cooperation", "talks_agreed", "")}, id="agreed-to-hold-meetings-to-revise"),
]

REAL_PROSE_CASES += [
    pytest.param("Officials of the United States, Japan and South Korea met in Hawaii. In December, the three countries "
                 "signed a memorandum of understanding on the sharing of military secrets.", P,
                 {("JPN", "KOR", "intelligence_sharing", "signed", "2023-12"), ("JPN", "USA", "intelligence_sharing", "signed", "2023-12"),
                  ("KOR", "USA", "intelligence_sharing", "signed", "2023-12")},
                 id="the-three-countries"),
    pytest.param("South Korea and Japan have begun sharing intelligence on North Korea under a trilateral agreement with the United "
                 "States. In December, the three countries signed a memorandum of understanding on the sharing of "
                 "military secrets.", P,
                 {("JPN", "KOR", "intelligence_sharing", "signed", "2023-12"), ("JPN", "USA", "intelligence_sharing", "signed", "2023-12"),
                  ("KOR", "USA", "intelligence_sharing", "signed", "2023-12")},
                 id="the-three-countries-of-a-trilateral-agreement"),
    pytest.param("Officials of the United States, Japan and South Korea met in Hawaii. In December, The Three Countries "
                 "signed a memorandum of understanding on the sharing of military secrets.", P,
                 {("JPN", "KOR", "intelligence_sharing", "signed", "2023-12"), ("JPN", "USA", "intelligence_sharing", "signed", "2023-12"),
                  ("KOR", "USA", "intelligence_sharing", "signed", "2023-12")},
                 id="the-three-countries-in-capitals"),
]

REAL_PROSE_NOTHING = [
    pytest.param("The intelligence sharing deal between Japan and Korea is considered an effort to get around frayed "
                 "relations.", id="considered-an-effort-is-not-a-proposal"),
    pytest.param("The EU Council and Parliament strike a deal on rules to phase out Russian gas imports.",
                 id="a-demonym-before-a-commodity-is-not-a-party"),
    pytest.param("Russia terminated several agreements. The foreign ministry must notify Portugal, Canada and France "
                 "of the decision to terminate the agreements.", id="notified-countries-are-not-a-group"),
    pytest.param("The foreign ministry must now formally notify Portugal, Canada and France of the decision to terminate "
                 "the agreements.", id="objects-after-the-status-are-not-parties"),
    pytest.param("South Korea postponed on Friday the signing with Japan of an agreement to share military "
                 "intelligence.", id="postponed-signing"),
    pytest.param("The Philippines is a step closer to signing a visiting forces agreement with Canada.",
                 id="a-step-closer-to-signing"),
    pytest.param("Chile and Peru signed two security agreements with the United States last year, officials said.",
                 id="two-counted-agreements-are-named-elsewhere"),
    pytest.param("We are now negotiating similar agreements with France and with Canada.",
                 id="two-partners-after-with-are-not-a-pair"),
    pytest.param("The Philippines and Japan are expected to begin negotiations on a logistics pact later this year.",
                 id="expected-to-begin-negotiations"),
    pytest.param("The leaders agreed to step up discussions to launch talks on a logistics agreement between "
                 "Norway and Sweden.", id="talks-about-launching-talks"),
    pytest.param("Norway and Sweden are aiming to sign a defence cooperation agreement before the end of the year.",
                 id="aiming-to-sign-is-an-intention"),
    pytest.param("Chile and Peru signed a ceasefire in 1998, not a peace treaty, officials recalled.",
                 id="not-a-peace-treaty-names-no-treaty"),
    pytest.param("Norway and Sweden upgraded their ties to a comprehensive strategic partnership on Monday.",
                 id="strategic-partnership-is-a-label"),
]


@pytest.mark.parametrize("text, published, expected", REAL_PROSE_CASES)
def test_extract_real_prose_constructions(text, published, expected):
    assert dated_claims_of(text, published) == expected


def test_claims_that_need_the_sentence_before_cite_both():
    text = "Norway signed reciprocal access agreements with two states last year. These are Chile and Peru."
    article = load_text(text, file="case.txt", date=P)
    spans = {(c.party_b, article.text[c.evidence.start:c.evidence.end]) for c in extract(article)}
    assert spans == {("NOR", text), ("PER", text)}


@pytest.mark.parametrize("text", REAL_PROSE_NOTHING)
def test_real_prose_near_misses_give_nothing(text):
    assert claims_of(text, P) == set()


# ---- the headline -----------------------------------------------------------------------------

HEADLINE_BODY = ("Officials met in Oslo on Monday to discuss regional security.\n\n"
                 "The ministers also talked about energy prices.")


def test_headline_states_a_claim_the_body_does_not():
    article = make_article("h.txt", HEADLINE_BODY, date=P, title="Norway and Chile sign logistics pact")
    claims = extract(article)
    assert [(c.party_a, c.party_b, c.agreement_type, c.status) for c in claims] == [
        ("CHL", "NOR", "logistics", "signed")]
    ev = claims[0].evidence
    assert ev.in_title and article.title[ev.start:ev.end] == ev.sentence == article.title


def test_headline_claim_is_not_counted_twice():
    body = "Norway and Chile signed a logistics agreement in Oslo on Monday, officials said."
    article = make_article("h.txt", body, date=P, title="Norway, Chile sign military pact")
    claims = extract(article)
    assert [(c.party_a, c.party_b, c.agreement_type, c.status, c.date) for c in claims] == [
        ("CHL", "NOR", "logistics", "signed", "2024-06-17")]
    assert not claims[0].evidence.in_title


@pytest.mark.parametrize("title", [
    "Norway and Chile to sign logistics pact",
    "Norway, Chile to negotiate status of forces agreement",
    "Norway and Chile agree text of defence treaty, signing delayed",
])
def test_headline_plans_give_nothing(title):
    article = make_article("h.txt", HEADLINE_BODY, date=P, title=title)
    assert extract(article) == []


@pytest.mark.parametrize("title", [
    "Norway and Chile deepen security ties", "NORWAY AND CHILE: TALKS ON TRADE", "Norway’s Støre meets Chile’s Boric",
    "Norway and Chile sign logistics pact", "It entered into force in Chile",
])
def test_headline_without_agreement_words_is_not_analysed(title):
    """The headline is analysed only when it has agreement words: without them, analysing it as a
    sentence (with a fresh discourse) finds nothing."""
    from kg.extract.discourse import Discourse
    from kg.extract.extractor import _AGREEMENT_WORDS, Extractor

    article = make_article("h.txt", HEADLINE_BODY, date=P, title=title)
    found = Extractor()._sentence(title, 0, article, Discourse(), []).found
    if _AGREEMENT_WORDS.search(title.lower()) is None:
        assert found == []
    assert bool(extract(article)) == title.startswith("Norway and Chile sign")


# ---- hostile input: the work and the claims of one sentence stay bounded -----------------------

def _country_names(n: int) -> list[str]:
    """``n`` country names of the gazetteer, cycling through them when ``n`` is larger."""
    from kg.gazetteer import Gazetteer

    names = sorted(p.name for p in Gazetteer.default().parties.values() if p.kind == "country")
    return [names[i % len(names)] for i in range(n)]


@pytest.mark.parametrize("glue", [" and ", ", "])
@pytest.mark.parametrize("n", [20, 200, 500])
def test_roster_of_coordinated_parties_gives_at_most_the_cap(n, glue):
    from kg.extract.parties import MAX_PARTIES_PER_LIST

    text = glue.join(_country_names(n)) + " signed a pact on sharing intelligence."
    claims = extract(load_text(text, file="case.txt", date=P))
    # a coordinated list longer than the cap is a roster, not pairs of bilateral pacts
    assert len(claims) <= MAX_PARTIES_PER_LIST


@pytest.mark.parametrize("n", [13, 40, 500])
def test_partner_list_beyond_the_cap_keeps_the_subjects_first_pairs(n):
    from kg.extract.parties import MAX_PARTIES_PER_LIST

    partners = [name for name in _country_names(n + 1) if name != "Norway"][:n]
    text = "Norway has signed intelligence-sharing agreements with " + ", ".join(partners) + "."
    claims = extract(load_text(text, file="case.txt", date=P))
    assert 0 < len(claims) <= MAX_PARTIES_PER_LIST
    assert all("NOR" in (c.party_a, c.party_b) for c in claims)


def test_sentence_longer_than_the_cap_comes_in_pieces_cut_after_a_comma():
    from kg.extract.sentences import MAX_SENTENCE_CHARS

    text = "Officials listed " + ", ".join(["Alpha Bravo Charlie"] * 600) + " in a report."
    spans = split_sentences(text)
    assert len(spans) > 1 and all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert all(text[a:b].endswith(",") for a, b in spans[:-1])
    assert text[spans[0][0]:spans[-1][1]] == text  # nothing lost between the pieces


#: Texts that once cost their length squared: a long run of capitalised words before an agreement
#: word, a run of marks that ends no sentence, a soup of agreement words, a 500-party roster.
_HOSTILE = r'''
import datetime as dt, random
from kg.extract import analyse
from kg.gazetteer import Gazetteer
from kg.records import Article
rng = random.Random(1)
caps = " ".join(rng.choice("ABCDEFGHKLMNPRST") + "".join(rng.choices("aeiourlnst", k=5)) for _ in range(48000))
soup = " ".join(rng.choice(["agreement", "pact", "signed", "treaty", "the", "and", "with", "Japan", "deal", ","])
                for _ in range(48000))
names = sorted(p.name for p in Gazetteer.default().parties.values() if p.kind == "country")
roster = " and ".join(names[i % len(names)] for i in range(500)) + " signed a pact on sharing intelligence."
for text in (caps + " signed an intelligence-sharing agreement.", "!" * 200000 + " x", soup, roster * 20):
    analyse(Article("x", "x.txt", text[:5000], dt.date(2024, 6, 19), None, text))
print("done")
'''


def test_hostile_texts_are_analysed_in_time_linear_in_their_length():
    import subprocess
    import sys

    # each takes well under a second; the timeout only keeps a regression from hanging the suite
    done = subprocess.run([sys.executable, "-c", _HOSTILE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr[-2000:]


def test_partner_count_records_the_counted_kind():
    from kg.extract import partner_counts

    article = make_article("count.txt", "Japan has signed intelligence sharing agreements with eight other countries, "
                           "including the United States and Australia, as well as NATO.", date=dt.date(2024, 1, 2))
    counts = partner_counts(article)
    assert [(c.party, c.count, c.counted_kind) for c in counts] == [("JPN", 8, "country")]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("It was signed by then-President Boris Yeltsin.", True),
    ("It was signed by Then President Yeltsin.", True),
    ("The former-President of Freedonia came.", True),
    ("FORMER PRIME MINISTER Sato spoke.", True),
    ("The late premier had signed it.", True),
    ("The late-Chancellor had signed it.", True),
    ("The ex-leader spoke.", True),
    ("EX PRESIDENT Sato spoke.", True),
    ("The next President spoke; thence the formerly agreed text came later.", False),
])
def test_names_former_finds_every_former_leader_phrase(sentence, expected):
    """names_former tests for the words FORMER needs before searching it: no phrase FORMER finds
    may be missed."""
    from kg.extract.parties import FORMER, names_former

    assert names_former(sentence) is expected
    assert names_former(sentence) is (FORMER.search(sentence) is not None)


@pytest.mark.parametrize("acronym", ["DCA", "SOFA", "MoU"])
def test_an_agreement_acronym_alone_is_a_trigger(acronym):
    """Every agreement acronym the trigger names is in the pre-filter's anchors: 'DCA' was not,
    so a sentence whose only agreement word it was gave nothing."""
    article = make_article("a.txt", f"Chile and Peru are negotiating a {acronym}, officials said.", date=dt.date(2025, 3, 1))
    assert [(c.party_a, c.party_b, c.status) for c in extract(article)] == [("CHL", "PER", "negotiating")]


# ---- the sentence gates ---------------------------------------------------------------------

_GATE_PHRASES = [
    "Chile and Peru signed a pact.", "The impact was large.", "(Pact) signed", "“Deal” reached", "—agreement",
    "according to officials", "several states", "The accords stand", "It took effect in May.", " it took effect",
    "And it has entered into force", "which was signed", "the 7th such deal", "the 123rd meeting", "the 21st",
    "in principle", "in\nprinciple", "IN   PRINCIPLE", "one with Chile", "another to Peru", "someone with",
    "free-trade area", "free trade zones", "freetrade area", "ended military co-operation", "cut all defence cooperation",
    "security and defence partnership", "defense & security partnerships", "a defence partnership", "partnership on",
    "such an partnership", "such partnerships", "Zürich's Treaty", "ÉTAT_pact", "_pact", "x-pact", "é deal", "ﬁrst",
    "terminated", "terminates its security cooperation", "Ünterminated", "talks", "Talks", "TALKS", "stalks", "",
    "9th", "a9th", "ninth", "Nine", "Mou", "smou", "so-fa", "Sofa", "(sovfa)", "\tdeal", "1st.", "x1st", "Caseload", "cases",
    "These are Chile and Peru.", "(They were Chile)", "the others are", "Predecessors:", "the LATEST partner", "thesis",
    "mutual aid", "She said so", "self-defence", "self-help", "HELP", "x_assist", "(commit)", "İattack", "supporting", "unsupported",
    "to defend each other", "Aggression", "“Assistance”", "laid down",
]

_GATE_PATTERNS = [
    ("pact|deal|accord|free", r"\d{1,2}(?:st|nd|rd|th)", r"\b(?:one|another)\s+(?:with|to)\b|^\s*(?:it|which)\s+(?:\w+\s+)?(?:has|took)\b"),
    (r"\b(?:security\s+(?:and|&)\s+)?defen[cs]e(?:\s+(?:and|&)\s+security)?\s+partnerships?\b",
     r"\b(?:ended|cut|terminat(?:ed|es))\s+(?:all\s+|its\s+)?(?:(?:military|defen[cs]e|security)\s+co-?operation)\b",
     r"\bfree[- ]trade\s+(?:area|zone)s?\b|(?:such\s+an?|such)\s+partnerships?|talks|in\s+principle",
     r"case\b(?:s|load)|casework"),  # a \b inside a pattern stays (the first matches nothing)
]


@pytest.mark.parametrize("phrase", _GATE_PHRASES)
def test_sentence_gates_answer_as_one_word_start_pattern(phrase):
    """The gates (a trie of the alternatives, searched after spaces, after other marks and at the
    start apart) find a match exactly where ``word_start_pattern`` of the same patterns does, in
    every casing, ASCII or not."""
    from kg.extract import extractor
    from kg.extract.rules import word_start_pattern

    sets = [*_GATE_PATTERNS, extractor._AGREEMENT_PATTERNS, extractor._RELEVANT_PATTERNS,
            (extractor.background.BACKGROUND_CUES.prefilter(),), (extractor._MUTUAL_PLEDGE_RULE.anchor,)]
    for casing in {phrase, phrase.upper(), phrase.lower(), phrase.title()}:
        lowered = casing.lower()
        # the pledge rule's gate answers as the rule's own test of its anchors
        assert ((extractor._PLEDGE_ANCHORS.search(lowered) is not None)
                is extractor._MUTUAL_PLEDGE_RULE.may_match(lowered)), casing
        for patterns in sets:
            expected = word_start_pattern(patterns).search(lowered) is not None
            assert (rules.WordStarts(patterns).search(lowered) is not None) is expected, (casing, patterns)


def test_sentence_gates_find_words_after_any_mark_and_only_at_word_starts():
    """What the gate test above compares would also be wrong if the gates were: words after a
    bracket, a quote or a dash are found; words inside others and a leading space before an
    anchored opening are not."""
    from kg.extract import extractor

    gate = rules.WordStarts(_GATE_PATTERNS[0])
    found = {p: gate.search(p.lower()) is not None for p in _GATE_PHRASES}
    assert found["(Pact) signed"] and found["“Deal” reached"] and found["x-pact"] and found["é deal"] and found["\tdeal"]
    assert found["It took effect in May."] and found["the 7th such deal"] and found["one with Chile"]
    # the pledge gate stands for Rule.may_match's \b(?:...) only while every anchor is a plain word
    assert all(re.fullmatch(r"[a-z][a-z0-9]*", a) for a in extractor._MUTUAL_PLEDGE_RULE.anchor.split("|"))
    pledge = {p: extractor._PLEDGE_ANCHORS.search(p.lower()) is not None for p in _GATE_PHRASES}
    assert pledge["mutual aid"] and pledge["self-help"] and pledge["HELP"] and pledge["(commit)"] and pledge["supporting"]
    assert not (pledge["She said so"] or pledge["x_assist"] or pledge["unsupported"] or pledge["laid down"])
    assert not (found["The impact was large."] or found["_pact"] or found["ÉTAT_pact"] or found[" it took effect"]
                or found["a9th"] or found["the 123rd meeting"] or found["someone with"])
    marks = extractor._AGREEMENT_WORDS.after_ascii_mark.pattern.split("(")[0]
    assert [chr(i) for i in range(128) if re.fullmatch(marks, chr(i))] == [
        chr(i) for i in range(128) if re.fullmatch(r"[^\w ]", chr(i))]


@pytest.mark.parametrize("text", [
    "Mr. Kim met Ms. Lee. They signed it.\nNext line.", "It was signed!! Then it took effect. Right?",
    "“Done,” he said. (It was.) \"Yes.\" The U.S. signed. 5. Item", "Really?! No. Yes… Fine.",
    "They met in St. Louis... Then they signed it.", "A.\nB! C? D. É.", "No marks at all\nhere", ". .. ...",
])
def test_sentence_ends_by_dot_pattern_are_those_of_the_full_pattern(text):
    """A block without '!' or '?' is searched with the pattern that starts with '.' only: it finds
    the same sentence ends as the full pattern in such a text."""
    from kg.extract import sentences

    plain = text.replace("!", "").replace("?", "")
    assert ([m.span() for m in sentences._SENT_END_DOT.finditer(plain)]
            == [m.span() for m in sentences._SENT_END.finditer(plain)])


@pytest.mark.parametrize("text", [
    "Hi. B", "Hi. Bo", "Hi.  B", "It ends here.", "Ends. ", "x.\tY", "x. 7", "U.S. Navy", "“Go.” B", "A\u00a0. B",
    "a.\nB", ". B", "..B", "x. y", "pact. É",
])
def test_only_a_dot_before_the_last_two_characters_can_end_a_sentence(text):
    """A line is searched for sentence ends only when it has a '.' before its last two characters
    (an end is followed by a space and a character): that finds what searching every line does."""
    from kg.extract import sentences

    lines = [line for line in text.split("\n") if line.strip()]
    assert all(m.start() < len(line) - 2 for line in lines for m in sentences._SENT_END_DOT.finditer(line))
    assert split_sentences(text) == _split_sentences_searching_every_block(text)


def _split_sentences_searching_every_block(text: str) -> list[tuple[int, int]]:
    """split_sentences as it was, for texts whose lines are not wrapped (the cases above): every
    line searched with the full pattern, blank ones skipped; each span stripped by ``str.strip``
    (whitespace as ``str.isspace`` has it), not by the splitter's own loop."""
    from kg.extract import sentences

    spans, b_start = [], 0
    for line in text.split("\n"):
        if line.strip():
            pos = b_start
            for m in sentences._SENT_END.finditer(line):
                dot = b_start + m.start()
                if text[dot] == "." and sentences._protected(text, dot):
                    continue
                spans.append((pos, b_start + m.end()))
                pos = b_start + m.end()
            spans.append((pos, b_start + len(line)))
        b_start += len(line) + 1
    out = []
    for a, b in spans:
        piece = text[a:b]
        if piece.strip():
            out.append((a + len(piece) - len(piece.lstrip()), b - len(piece) + len(piece.rstrip())))
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("One.\n\nTwo.", ["One.", "Two."]),
    ("One.\n \n\t\nTwo.\n", ["One.", "Two."]),
    ("\r\n\r\nOne.\r\n\r\nTwo.\r\n", ["One.", "Two."]),
    ("Agreed with\n\nthe rest.", ["Agreed with", "the rest."]),
    ("\u2003\n\u00a0\nOne. Two.\n\n", ["One.", "Two."]),
    ("Signed by Spain and\nPortugal.\n\n\nNext one. And more.", ["Signed by Spain and\nPortugal.", "Next one.", "And more."]),
    ("The ministers of both countries signed the new agreement on defence\ncooperation today.\n \nEnd.",
     ["The ministers of both countries signed the new agreement on defence\ncooperation today.", "End."]),
])
def test_blank_lines_are_no_blocks(text, expected):
    """_blocks yields no blank line (a line before one is never wrapped, so a blank line was a block
    of its own): the sentences are those of before; a wrapped line still joins the next."""
    from kg.extract import sentences

    assert all(text[a:b].strip() for a, b in sentences._blocks(text))
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_split_sentences_cuts_at_every_mark():
    """A block with '!' or '?' is cut at all three marks (the '.' pattern alone would miss two)."""
    text = "It was signed!! Then it took effect. Right? Yes.\nMr. Kim agreed. “Done?” he asked. Fine."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "It was signed!!", "Then it took effect.", "Right?", "Yes.", "Mr. Kim agreed.", "“Done?” he asked.", "Fine."]
