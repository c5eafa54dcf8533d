"""Tests for kg.gazetteer: the data (codes, QIDs, uniqueness, coverage) and the matcher."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from kg.gazetteer import FORMS, Gazetteer, GazetteerError, Mention, _fold

DATA = Path(__file__).resolve().parent.parent / "kg" / "data"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _reference() -> dict[str, dict[str, str]]:
    with open(DATA / "countries-wikidata.csv", encoding="utf-8", newline="") as handle:
        return {row["iso3"]: row for row in csv.DictReader(handle)}


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def found(gaz: Gazetteer, text: str, on: dt.date | None = None) -> list[tuple[str, str]]:
    return [(m.text, m.code) for m in gaz.mentions(text, on=on)]


# -- the data -------------------------------------------------------------------------------------


def test_every_code_is_iso_alpha3_or_a_reference_organisation(gaz):
    organisations = {code for code in _reference() if pycountry.countries.get(alpha_3=code) is None}
    assert {"NATO", "EU", "ASEAN", "AU", "UN", "QUAD", "FVEY", "AUKUS"} <= organisations
    for code, party in gaz.parties.items():
        if party.kind == "country":
            assert pycountry.countries.get(alpha_3=code) is not None, code
        else:
            assert code in organisations, code


def test_every_iso_country_and_reference_row_is_a_party(gaz):
    assert {c.alpha_3 for c in pycountry.countries} <= set(gaz.parties)
    assert set(_reference()) == set(gaz.parties)


def test_every_qid_equals_the_reference_file(gaz):
    reference = _reference()
    for code, party in gaz.parties.items():
        assert party.qid == reference[code]["wikidata"], code
    assert gaz.party("JPN").qid == "Q17"  # one known-good value, so the comparison is not vacuous


def test_every_un_member_and_observer_is_present(gaz):
    rows = _csv("un_members.csv")
    members = [r["code"] for r in rows if r["status"] == "member"]
    observers = sorted(r["code"] for r in rows if r["status"] == "observer")
    assert len(members) == len(set(members)) == 193
    assert observers == ["PSE", "VAT"]
    for code in members + observers:
        assert code in gaz and gaz.party(code).kind == "country", code


def test_hand_data_names_only_known_parties_and_forms(gaz):
    for row in _csv("aliases.csv"):
        assert row["code"] in gaz, row
        assert row["form"] in FORMS, row
    for row in _csv("leaders.csv"):
        assert row["code"] in gaz, row
        start = dt.date.fromisoformat(row["start"])
        if row["end"]:
            assert dt.date.fromisoformat(row["end"]) >= start, row


def test_no_surface_form_maps_to_two_parties(gaz):
    codes: dict[str, set[str]] = defaultdict(set)
    for key, entries in gaz._entries.items():
        for entry in entries:
            if entry.code is not None and entry.form != "leader":
                codes[key].add(entry.code)
    for text, entries in gaz._exact.items():
        for entry in entries:
            codes[text].add(entry.code)
    clashes = {key: sorted(c) for key, c in codes.items() if len(c) > 1}
    assert clashes == {}


def test_no_leader_name_stands_for_two_parties_at_once(gaz):
    """A leader's name may move between parties (Rutte: NLD, then NATO), never overlap."""
    names = {key for key, entries in gaz._entries.items() if all(e.form != "leader" for e in entries)}
    far = dt.date(9999, 1, 1)
    for key, entries in gaz._entries.items():
        terms = [e for e in entries if e.form == "leader"]
        if not terms:
            continue
        assert key not in names or {e.code for e in entries} == {terms[0].code}, key
        for a in terms:
            for b in terms:
                if a.code != b.code:
                    overlap = a.start <= (b.end or far) and b.start <= (a.end or far)
                    assert not overlap, (key, a, b)


def test_every_un_member_has_a_demonym_and_a_capital_unless_listed(gaz):
    """Demonyms and capitals cover the members, except where English has none or it misleads."""
    rows = _csv("aliases.csv")
    members = {r["code"] for r in _csv("un_members.csv") if r["status"] == "member"}
    # 'Congolese' is both Congos, 'Dominican' is the Dominican Republic; CAF and KIR have no
    # demonym in common English use.
    no_demonym = {"CAF", "COD", "COG", "DMA", "KIR"}
    # Capital named like the country (Singapore), shared with common names or other places
    # (Victoria, Kingston, Santiago, Georgetown, Nassau, San José, Panama City, St John's,
    # St. George's, Male), contested (Jerusalem), standing for the EU (Brussels), or none (Nauru).
    no_capital = {"DJI", "LUX", "MCO", "SGP", "SMR", "SYC", "JAM", "CHL", "GUY", "BHS", "CRI",
                  "PAN", "ATG", "GRD", "MDV", "ISR", "BEL", "NRU"}
    demonyms = {r["code"] for r in rows if r["form"] == "demonym"}
    capitals = {r["code"] for r in rows if r["form"] == "capital"}
    assert sorted(members - demonyms) == sorted(no_demonym)
    assert sorted(members - capitals) == sorted(no_capital)


# -- lookups --------------------------------------------------------------------------------------


def test_party_lookup_and_unknown_code(gaz):
    assert "JPN" in gaz and "XXX" not in gaz
    assert gaz.party("NATO").kind == "organisation"
    assert "Britain" in gaz.party("GBR").names
    with pytest.raises(KeyError):
        gaz.party("XXX")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Japan", "JPN"), ("japan", "JPN"), ("JPN", "JPN"), ("jpn", "JPN"), ("U.S.", "USA"),
        ("United States of America", "USA"), ("South Korea", "KOR"), ("DPRK", "PRK"),
        ("nato", "NATO"), ("European Union", "EU"), ("Czech Republic", "CZE"), ("Turkey", "TUR"),
        ("Türkiye", "TUR"), ("Tokyo", "JPN"), ("Filipino", "PHL"), ("Kim Jong Un", "PRK"),
        ("Atlantis", None), ("", None),
    ],
)
def test_resolve_a_single_name(gaz, name, code):
    assert gaz.resolve(name) == code


# -- matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names and aliases
        ("Japan and the Philippines signed the pact.", [("Japan", "JPN"), ("Philippines", "PHL")]),
        ("Britain, the UK and Great Britain", [("Britain", "GBR"), ("UK", "GBR"), ("Great Britain", "GBR")]),
        ("the United States of America and America", [("United States of America", "USA"), ("America", "USA")]),
        ("the Republic of Korea, the ROK and Korea", [("Republic of Korea", "KOR"), ("ROK", "KOR"), ("Korea", "KOR")]),
        ("North Korea, the DPRK and South Korea", [("North Korea", "PRK"), ("DPRK", "PRK"), ("South Korea", "KOR")]),
        ("the Russian Federation and Russia", [("Russian Federation", "RUS"), ("Russia", "RUS")]),
        ("Czechia or the Czech Republic", [("Czechia", "CZE"), ("Czech Republic", "CZE")]),
        ("Türkiye, Turkiye and Turkey", [("Türkiye", "TUR"), ("Turkiye", "TUR"), ("Turkey", "TUR")]),
        ("Côte d’Ivoire and Ivory Coast", [("Côte d’Ivoire", "CIV"), ("Ivory Coast", "CIV")]),
        ("the People's Republic of China and the PRC", [("People's Republic of China", "CHN"), ("PRC", "CHN")]),
        ("NATO, Nato, the EU and ASEAN", [("NATO", "NATO"), ("Nato", "NATO"), ("EU", "EU"), ("ASEAN", "ASEAN")]),
        ("the North Atlantic Treaty Organization and the European Union",
         [("North Atlantic Treaty Organization", "NATO"), ("European Union", "EU")]),
        ("the Quad and AUKUS and the Five Eyes", [("Quad", "QUAD"), ("AUKUS", "AUKUS"), ("Five Eyes", "FVEY")]),
        # acronyms: case-sensitive, with and without dots
        ("The U.S. and the U.K. agreed.", [("U.S.", "USA"), ("U.K.", "GBR")]),
        ("Japan signed a pact with the U.S.", [("Japan", "JPN"), ("U.S.", "USA")]),
        ("It was a deal for the US, they told us.", [("US", "USA")]),
        ("Let us see what the un and eu say.", []),
        ("The US-Japan alliance", [("US", "USA"), ("Japan", "JPN")]),
        ("The U.S.-Philippines alliance", [("U.S.", "USA"), ("Philippines", "PHL")]),
        ("It cost US$5 billion.", []),
        # demonyms
        ("Japanese and Australian troops", [("Japanese", "JPN"), ("Australian", "AUS")]),
        ("a Philippine vessel and Filipino sailors", [("Philippine", "PHL"), ("Filipino", "PHL")]),
        ("South Korean and North Korean officials", [("South Korean", "KOR"), ("North Korean", "PRK")]),
        ("British, American and Indian ships", [("British", "GBR"), ("American", "USA"), ("Indian", "IND")]),
        ("Australians and Americans", [("Australians", "AUS"), ("Americans", "USA")]),
        # capitals used as metonyms
        ("Tokyo and Canberra agreed; Pyongyang objected.", [("Tokyo", "JPN"), ("Canberra", "AUS"), ("Pyongyang", "PRK")]),
        ("Manila, Seoul, Washington and New Delhi", [("Manila", "PHL"), ("Seoul", "KOR"), ("Washington", "USA"), ("New Delhi", "IND")]),
        ("Kyiv, formerly Kiev, and Moscow", [("Kyiv", "UKR"), ("Kiev", "UKR"), ("Moscow", "RUS")]),
        ("Wellington and Ottawa", [("Wellington", "NZL"), ("Ottawa", "CAN")]),
        # hyphenated compounds: one mention per side
        ("the Japan-Philippines agreement", [("Japan", "JPN"), ("Philippines", "PHL")]),
        ("German-Japanese talks and Japan-France ties", [("German", "DEU"), ("Japanese", "JPN"), ("Japan", "JPN"), ("France", "FRA")]),
        ("Sino-Indian tensions", [("Sino", "CHN"), ("Indian", "IND")]),
        # longest match wins and non-party phrases mask what they contain
        ("patrols in the South China Sea and the East China Sea", []),
        ("the Indian Ocean and the Korean Peninsula", []),
        ("across the Indo-Pacific region", []),
        ("New Jersey and New Mexico", []),
        ("the Washington Post reported", []),
        ("Georgia and Ukraine", [("Georgia", "GEO"), ("Ukraine", "UKR")]),
        ("Guinea-Bissau, Guinea, Papua New Guinea", [("Guinea-Bissau", "GNB"), ("Guinea", "GIN"), ("Papua New Guinea", "PNG")]),
        ("Niger and Nigeria", [("Niger", "NER"), ("Nigeria", "NGA")]),
        ("Dominica and the Dominican Republic", [("Dominica", "DMA"), ("Dominican Republic", "DOM")]),
        ("Sudan and South Sudan", [("Sudan", "SDN"), ("South Sudan", "SSD")]),
        ("the Democratic Republic of the Congo and Congo", [("Democratic Republic of the Congo", "COD"), ("Congo", "COG")]),
        ("Latin American and South American states", []),
        ("Northern Ireland", []),
        # a common word is not a country
        ("a roast turkey for Chad", [("Chad", "TCD")]),
        ("a new jersey and fine china", []),
        # across a line break
        ("South\nKorea", [("South\nKorea", "KOR")]),
    ],
)
def test_mentions(gaz, text, expected):
    assert found(gaz, text) == expected


def test_mention_offsets_and_forms(gaz):
    text = "Tokyo and the U.S. met Japanese and Philippine officials and Marcos."
    mentions = gaz.mentions(text, on=dt.date(2024, 1, 1))
    assert [m.form for m in mentions] == ["capital", "acronym", "demonym", "demonym", "leader"]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert mentions[0] == Mention(0, 5, "JPN", "Tokyo", "capital", False)
    assert gaz.mentions("Japan and Korea")[0].form == "name"
    assert gaz.mentions("Britain")[0].form == "alias"


@pytest.mark.parametrize(
    ("text", "possessive"),
    [
        ("Japan's navy", True),
        ("Japan’s navy", True),
        ("the Philippines' coast guard", True),
        ("the Philippines’ coast guard", True),
        ("NATO's chief", True),
        ("Japan is", False),
        ("Japan' s", False),
        ("'Japan'", False),
    ],
)
def test_possessive(gaz, text, possessive):
    (mention,) = gaz.mentions(text)
    assert mention.possessive is possessive
    assert mention.text in ("Japan", "Philippines", "NATO")


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        ("Putin and Kim Jong Un signed a treaty.", dt.date(2024, 6, 19), [("Putin", "RUS"), ("Kim Jong Un", "PRK")]),
        ("Kim Jong-un met Xi Jinping.", dt.date(2019, 6, 20), [("Kim Jong-un", "PRK"), ("Xi Jinping", "CHN")]),
        ("Kishida and Marcos signed it.", dt.date(2024, 7, 8), [("Kishida", "JPN"), ("Marcos", "PHL")]),
        ("Kishida and Marcos signed it.", dt.date(2025, 7, 8), [("Marcos", "PHL")]),
        ("Albanese and Luxon met.", dt.date(2024, 1, 1), [("Albanese", "AUS"), ("Luxon", "NZL")]),
        ("Obama met Abe.", dt.date(2014, 4, 24), [("Obama", "USA"), ("Abe", "JPN")]),
        ("Obama met Abe.", dt.date(2024, 4, 24), []),
        ("Trump spoke.", dt.date(2019, 1, 1), [("Trump", "USA")]),
        ("Trump spoke.", dt.date(2022, 1, 1), []),
        ("Trump spoke.", dt.date(2025, 3, 1), [("Trump", "USA")]),
        ("Rutte said so.", dt.date(2020, 1, 1), [("Rutte", "NLD")]),
        ("Rutte said so.", dt.date(2025, 1, 1), [("Rutte", "NATO")]),
        ("Ferdinand Marcos Jr. and Zelenskyy", dt.date(2024, 6, 1), [("Ferdinand Marcos Jr.", "PHL"), ("Zelenskyy", "UKR")]),
        ("Erdoğan and Erdogan", dt.date(2024, 6, 1), [("Erdoğan", "TUR"), ("Erdogan", "TUR")]),
        ("Kim said so.", dt.date(2024, 6, 1), []),
    ],
)
def test_leaders_match_when_in_office(gaz, text, on, expected):
    assert found(gaz, text, on=on) == expected


def test_leaders_without_a_date_match_only_when_unambiguous(gaz):
    assert found(gaz, "Putin met Kishida.") == [("Putin", "RUS"), ("Kishida", "JPN")]
    assert found(gaz, "Rutte met Stoltenberg.") == []  # each has led two parties


def test_a_datetime_works_as_the_article_date(gaz):
    assert found(gaz, "Kishida spoke.", on=dt.datetime(2022, 5, 1, 12, 0)) == [("Kishida", "JPN")]


def test_mentions_are_sorted_and_do_not_overlap(gaz):
    text = "The U.S., Japan, Tokyo's allies and the South China Sea; Australia-India talks."
    mentions = gaz.mentions(text)
    assert mentions == sorted(mentions, key=lambda m: m.start)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
    assert [m.code for m in mentions] == ["USA", "JPN", "JPN", "AUS", "IND"]


@pytest.mark.parametrize("text", [
    "The U.S. and Japan's navies met in the South China Sea, TURKEY and turkey aside.",
    "NEW ZEALAND and the philippines signed; Japan Today reported it from Tokyo.",
    "Kishida met President Marcos in Manila, and the EU's Kallas in Brussels.",
])
def test_ascii_text_is_matched_lowercased_as_case_insensitively(gaz, text, monkeypatch):
    """An ASCII text is searched lowercased without re.I (faster): the mentions must be the
    ones the case-insensitive search finds, in any casing."""
    for variant in (text, text.upper(), text.lower(), text.title()):
        fast = gaz.mentions(variant)
        with monkeypatch.context() as m:
            m.setattr(gaz, "_lowered_re", None)
            assert fast == gaz.mentions(variant)


def test_acronyms_stand_on_word_boundaries(gaz):
    """The case-sensitive matcher checks the boundary before an acronym after its first
    character (faster): it must find what a boundary before the acronym finds."""
    import re

    from kg.gazetteer import _atom
    from kg.text import trie_pattern

    plain = re.compile(r"(?<!\w)(?:" + trie_pattern(gaz._exact, _atom) + r")(?!\w)")
    text = "US and xUS, (UK) 1EU _EU AUKUS, the U.S.-led NATO's EUS.\nNATO\tEU-US ASEANs US"
    assert [m.span() for m in gaz._exact_re.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.group() for m in gaz._exact_re.finditer(text)][:3] == ["US", "UK", "AUKUS"]


def test_empty_text_has_no_mentions(gaz):
    assert gaz.mentions("") == []
    assert gaz.mentions("Nothing to see here.") == []


# -- loading --------------------------------------------------------------------------------------


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    for name in ("parties.csv", "aliases.csv", "leaders.csv", "non_parties.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_from_path_reads_a_data_directory(data_copy):
    with open(data_copy / "aliases.csv", "a", encoding="utf-8") as handle:
        handle.write("JPN,alias,Land of the Rising Sun\n")
    gaz = Gazetteer.from_path(data_copy)
    assert found(gaz, "the Land of the Rising Sun") == [("Land of the Rising Sun", "JPN")]
    assert found(Gazetteer.default(), "the Land of the Rising Sun") == []


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        ("aliases.csv", "XXX,alias,Atlantis\n", "unknown party code 'XXX'"),
        ("aliases.csv", "JPN,nickname,Nippon\n", "form 'nickname'"),
        ("leaders.csv", "JPN,A Person,prime_minister,2024-13-01,,,\n", "date '2024-13-01'"),
    ],
)
def test_bad_data_gives_a_one_line_error_naming_the_file(data_copy, file, line, message):
    with open(data_copy / file, "a", encoding="utf-8") as handle:
        handle.write(line)
    with pytest.raises(GazetteerError) as error:
        Gazetteer.from_path(data_copy)
    assert file in str(error.value) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_data_file_is_named(data_copy):
    (data_copy / "leaders.csv").unlink()
    with pytest.raises(GazetteerError, match="leaders.csv: file not found"):
        Gazetteer.from_path(data_copy)


def test_fold_normalises_case_space_and_apostrophes():
    assert _fold("Côte d’Ivoire") == _fold("côte  d'ivoire")


def test_a_masking_phrase_needs_its_capitals():
    gaz = Gazetteer.default()
    assert [m.code for m in gaz.mentions("The European Union and Japan today signed a partnership.")] == ["EU", "JPN"]
    assert [m.code for m in gaz.mentions("He writes for Japan Today and the Korea Times.")] == []


@pytest.mark.parametrize(("code", "name"), [
    ("RUS", "Russia"), ("KOR", "South Korea"), ("PRK", "North Korea"), ("IRN", "Iran"), ("SYR", "Syria"),
    ("VNM", "Vietnam"), ("BOL", "Bolivia"), ("TZA", "Tanzania"), ("MDA", "Moldova"), ("LAO", "Laos"),
    ("BRN", "Brunei"), ("TUR", "Turkey"), ("VAT", "Vatican"), ("GBR", "United Kingdom"), ("USA", "United States"),
    ("CIV", "Côte d'Ivoire"), ("FRO", "Faroe Islands"),
])
def test_display_names_are_the_common_ones(gaz, code, name):
    assert gaz.party(code).name == name


def test_parties_csv_is_what_make_parties_writes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_parties", DATA.parents[1] / "scripts" / "make_parties.py")
    make_parties = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_parties)
    shutil.copy(DATA / "countries-wikidata.csv", tmp_path)
    monkeypatch.setattr(make_parties, "DATA", tmp_path)
    assert make_parties.main() == 0
    assert (tmp_path / "parties.csv").read_text(encoding="utf-8") == (DATA / "parties.csv").read_text(encoding="utf-8")


# -- the matcher against the plain algorithm ------------------------------------------------------

def _plain_mentions(gaz: Gazetteer, text: str, on: dt.date | None) -> list[Mention]:
    """What ``mentions`` found before it was made fast: the case-insensitive pattern (re.I) and
    the case-sensitive one with a plain boundary each search the text, their matches are taken
    longest first from left to right, and nothing is remembered. (It raised KeyError where re.I
    takes a text for a key the text does not lower to, 'Ruſſia' for 'russia': no entries, no
    mention, as now.)"""
    import re

    from kg.gazetteer import _atom, _possessive
    from kg.text import trie_pattern

    exact_re = re.compile(r"(?<!\w)(?:" + trie_pattern(gaz._exact, _atom) + r")(?!\w)")
    spans = [(m.start(), m.end(), False) for m in gaz._fold_re.finditer(text)]
    spans += [(m.start(), m.end(), True) for m in exact_re.finditer(text)]
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))

    def choose(surface: str, exact: bool) -> object:
        entries = gaz._exact[surface] if exact else gaz._entries.get(_fold(surface), [])
        return Gazetteer._choose(entries, surface, on)

    result, taken_until = [], -1
    for start, end, exact in spans:
        if start < taken_until:
            continue
        chosen = choose(text[start:end], exact)
        while chosen is None and end - start > 1:
            shorter = gaz._fold_re.match(text, start, end - 1)
            if shorter is None:
                break
            end = shorter.end()
            chosen = choose(text[start:end], False)
        if chosen is None:
            continue
        taken_until = end
        if chosen.code is None or (end < len(text) and text[end] == "$"):
            continue
        result.append(Mention(start, end, chosen.code, text[start:end], chosen.form, _possessive(text, end)))
    return result


_TRICKY = [
    "Turkey and turkey, Chad and chad, Jersey and jersey, GEORGIA and georgia, China and fine china.",
    "Japan today signed, Japan Today reported; JAPAN TODAY, japan today and the Japan Times agreed.",
    "The U.S. pledged US$5 billion and USD 5, the US$ figure; the US's role, the U.S.' allies, us and Us.",
    "Japan's, Japan’s, the Philippines' and the Philippines’ navies; Japan'S, Japan' s and 'Japan'.",
    "Kishida met Trump, Biden, Rutte and Stoltenberg; Kallas met António Costa and Antonio Costa.",
    "Kim Jong-un, Kim Jong Un, Kim Jong-Un and Ferdinand Marcos Jr. met Marcos Jr.. Then Putin's aides.",
    "Ships in the South China Sea, the south china sea, the East China Sea and the China Sea; Indo-Pacific.",
    "Côte d’Ivoire, Cote d'Ivoire, Türkiye, São Tomé and Príncipe, Curaçao, Réunion, ÅLAND and Erdoğan.",
    "Japan",
    "Japan.",
    "EU",
    "Australia signed with New Zealand",
    "New\u00a0Zealand, New  Zealand, New\nZealand, United\tStates and South\r\nKorea",
    "xJapan Japanx Japan_ _Japan 1Japan Japan1 (Japan) [U.S.] -Japan- 'Japan' \"Japan\" Japan/Korea",
    "Washington D.C.'s mayor, Washington D.C. Japan, Washington D.C.Japan and washington d.c.",
    "The U.S. Virgin Islands, US Virgin Islands, u.s. virgin islands, the U.S.A. and U.S.A, the U.S.-led",
    "D.P.R.K.'s, NATO-led, EU-US talks, G-7 and G7, BiH and BIH, Nato and nato, ASEANs and US-Japan.",
    "jAPAN, SOUTH korea, sOUTH cHINA sEA, nEW zEALAND and the uNITED sTATES.",
    # acronyms: where the lowered search finds one in lower case, or a key that may hide one
    "Kim Jong UN met the UN chief; Kim Jong-UN, Kim Jong Un and the UNSC.",
    "Port-AU-Prince, Port-au-Prince and the AU summit; AU-EU talks.",
    "The US Virgin Islands, the U.S. Virgin Islands, US  Virgin Islands and the UN Security Council.",
    "The E.U and the U.N, E.U-backed, U.N-run, the E.U. and the U.N.; E.U.S. and U.N.S. and E.Us.",
    "AUKUS, Aukus and aukus; the Quad and the quad; ASEAN-Japan, the ASEAN's and the D.P.R.K.'s.",
    "U.S.A., U.S.A, USA, U.S.-Japan, US-Japan and UK-France; the U.S.Navy and U.S.NAVY.",
    "NATO",
    "Japan and the US",
    # characters that lower otherwise than re.I folds them: 'ſ' (re.I: 's'), 'İ' (two lowered)
    "The Ruſſian navy, RUSSIA and the Ruſſia-Japan talks; İsrael, İSRAEL and Israel; ı and I.",
    "Patrols in the South China ſea and the ſouth China Sea.",
    "The Kelvin sign: PA\u212aISTAN, Pa\u212aistan and the U\u212a; “Japan” – and ‘Korea’ — …",
]


@pytest.fixture(scope="module")
def fresh_gaz() -> Gazetteer:
    return Gazetteer.from_path()


@pytest.mark.parametrize("text", _TRICKY)
def test_mentions_are_those_of_the_plain_algorithm(gaz, fresh_gaz, text):
    """The one lowered search (the character before a name, the acronyms in lower case), the
    acronyms' matches taken around what it found, and the memo by surface (with the date only
    for leaders' names) must find what the plain algorithm finds, in any casing, with and
    without a date, on a fresh gazetteer and on one that remembers."""
    assert gaz._lowered_re is not None  # else the fast path is not tested
    dates = [None, dt.date(2005, 1, 1), dt.date(2019, 6, 1), dt.date(2023, 3, 1), dt.date(2024, 11, 1),
             dt.date(2025, 2, 1)]
    variants = [text, text.upper(), text.lower(), text.title(), text.swapcase(), "é " + text,
                "É " + text.upper(), text.lower() + " ’"]
    for fresh in (fresh_gaz, gaz):
        for on in dates + dates[::-1]:
            for variant in variants:
                assert fresh.mentions(variant, on=on) == _plain_mentions(fresh, variant, on), (variant, on)


def test_the_plain_algorithm_finds_what_it_should(gaz):
    """The reference of the test above is not vacuous."""
    texts = " ".join(_TRICKY)
    codes = {m.code for m in _plain_mentions(gaz, texts, dt.date(2024, 11, 1))}
    assert {"USA", "JPN", "TUR", "CIV", "STP", "NATO", "EU", "PRK", "PHL", "NZL", "KOR"} <= codes
    assert [m.text for m in _plain_mentions(gaz, "Japan today, us", None)] == ["Japan"]


def test_keys_that_may_hide_an_acronym(gaz):
    """The sentences whose acronyms are searched case-sensitively are chosen by these sets."""
    assert {"kim jong un", "port-au-prince", "us virgin islands"} <= gaz._around_acronyms
    assert not {"japan", "united states", "australia", "european union"} & gaz._around_acronyms
    assert "u.s." in gaz._acronym_keys and "u.s." not in gaz._unsafe_acronyms
    assert "e.u" in gaz._unsafe_acronyms  # 'E.U.S. Virgin Islands': a key may start in it
    codes = [m.code for m in gaz.mentions("Kim Jong UN met NATO and the E.U", on=dt.date(2005, 1, 1))]
    assert codes == ["UN", "NATO", "EU"]


@pytest.mark.parametrize("lower_case_acronym", [False, True])
def test_mentions_of_overlapping_keys_and_acronyms_are_those_of_the_plain_algorithm(lower_case_acronym):
    """Keys and acronyms made to overlap every way (an acronym in a key, at its end, past its end;
    a key in an acronym; acronyms in acronyms; a key written in lower case that stands for a
    party, 'd.e', at the start of an acronym, 'D.EX'), in texts of their pieces in any casing (ASCII or not);
    and an acronym that starts in lower case ('ab-X'), which a key in lower case may hide too."""
    import random

    from kg.gazetteer import _Entry

    parties = Gazetteer.default().parties
    keys = {"ab": "JPN", "ab cd": "KOR", "cd": "USA", "b.c": "FRA", "x-ab": "DEU", "ab-x": "ITA",
            "cd.ab": "ESP", "c": "CHN", "e ab": "IND", "d.e": "GBR"}
    acronyms = {"AB": "EU", "A.B": "UN", "A.B.": "UN", "B.C": "NATO", "CD": "ASEAN", "X": "AU",
                "AB-X": "EU", "CD.E": "UN", "E": "NATO", "C.D": "AU", "C.D.E": "EU", "C.D-Y": "EU",
                "D.EX": "UN"}
    if lower_case_acronym:
        acronyms["ab-X"] = "EU"
    entries = {key: [_Entry(code, "name", None, True)] for key, code in keys.items()}
    entries["d.e"] = [_Entry("GBR", "name", None, False)]
    entries["cd ab"] = [_Entry(None, "mask", None, False, text="Cd Ab")]
    entries["b.c"].append(_Entry("FRA", "leader", None, True, dt.date(2020, 1, 1), None))
    exact = {key: [_Entry(code, "acronym", key, True)] for key, code in acronyms.items()}
    small = Gazetteer(parties, entries, exact)
    assert small._lowered_re is not None and small._around_acronyms and small._unsafe_acronyms
    pieces = ["ab", "AB", "Ab", "a", "b", "c", "C", "d", "D", "x", "X", "e", "E", ".", "-", " ", "  ",
              ",", "'s", "cd", "CD", "$", "\n", "é", "’"]
    rng = random.Random(5)
    texts = ["x-AB-X", "C.D.e", "C.D-y", "d.ex", "e ab-X", "ab CD.E", "AB-x-ab", "cd.AB-X", "e ab cd", "Cd Ab", "B.C"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    for text in texts:
        for on in (None, dt.date(2019, 1, 1), dt.date(2021, 1, 1)):
            assert small.mentions(text, on=on) == _plain_mentions(small, text, on), (text, on)


@pytest.mark.parametrize(("ch", "safe"), [
    ("É", True), ("é", True), ("’", True), ("“", True), ("—", True), ("\u212a", True),
    ("ſ", False), ("İ", False), ("ı", False),
])
def test_a_text_not_in_ascii_is_searched_lowered_when_its_characters_lower_as_re_i_folds(gaz, ch, safe):
    from kg.gazetteer import _lowers_as_ignorecase

    assert _lowers_as_ignorecase(ch, gaz._key_characters) is safe
    assert gaz._lowers_safely(f"Japan and {ch}") is safe
