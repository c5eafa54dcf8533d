"""kg.query and `kg query` / `kg export` / `kg load`: shipped queries, parameters, formats."""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import GRAPH_AGREEMENTS, TableExtractor, make_article, make_claim, make_count
from test_store import same_dataset

from kg import vocab
from kg.build import build_articles
from kg.cli import cli
from kg.query import (
    AGREEMENT_COLUMNS,
    QueryError,
    bind_params,
    export_agreements,
    load_query,
    prepare,
    query_text,
    run,
    serialize,
    shipped_queries,
    execute,
)
from kg.store import open_store

#: The partners of FRA in the graph corpus (conftest.graph_corpus).
FRANCE_PARTNERS = ["CAN", "DEU", "ITA", "NATO", "POL"]


@pytest.fixture()
def corpus_store(memory_store, small_corpus):
    articles, extractor = small_corpus
    build_articles(articles, memory_store, extractor)
    return memory_store


# ---- parameters ---------------------------------------------------------------------------


HOSTILE = [
    'Atlantis" } } ; DROP ALL ; #',
    "x' || true || '",
    'a"} UNION { ?s ?p ?o } #{',
    'line\nbreak "quoted" \\ backslash {braces}',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_values_stay_one_literal(memory_store, value):
    g = ox.NamedNode("https://example.org/g")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    memory_store.replace_graphs({g: [
        ox.Quad(ox.NamedNode("https://example.org/match"), label, ox.Literal(value), g),
        ox.Quad(ox.NamedNode("https://example.org/other"), label, ox.Literal("Japan"), g),
    ]})
    query = "SELECT ?thing WHERE { GRAPH ?g { ?thing rdfs:label ?label } FILTER(?label = ?name) }"
    frame = run(memory_store, query, {"name": value})
    assert frame.thing.tolist() == ["https://example.org/match"]
    assert len(memory_store) == 2


def test_hostile_value_does_not_resolve_as_a_party():
    with pytest.raises(QueryError, match="unknown party"):
        execute(open_store("memory"), "partners", {"party": 'JPN> } ?x ?y ?z . { <x'})


def test_parameters_bind_in_the_outer_group_not_a_construct_template():
    text = 'CONSTRUCT { ?s <http://x/p> "{" } WHERE { ?s ?p ?name }'
    bound = bind_params(text, {"name": ox.Literal("v")})
    assert bound.index("VALUES") > bound.index("WHERE")
    with open_store("memory") as store:
        store.query(bound)  # parses


def test_a_brace_inside_a_string_or_iri_is_not_the_group():
    text = 'SELECT ("{" AS ?b) ?s WHERE { ?s <http://x/a#b> ?name } # {'
    bound = bind_params(text, {"name": ox.Literal("v")})
    assert bound.index("VALUES") > bound.index("WHERE {")


@pytest.mark.parametrize("params, message", [
    ({"nosuch": "1"}, r"has no variable \?nosuch"),
    ({"bad name": "1"}, "a parameter name is a SPARQL variable name"),
])
def test_unusable_parameter_names_are_refused(memory_store, params, message):
    with pytest.raises(QueryError, match=message):
        run(memory_store, "SELECT ?x WHERE { ?x ?p ?o }", params)


@pytest.mark.parametrize("name, value, message", [
    ("party", "Atlantis", "unknown party 'Atlantis'"),
    ("type", "friendship", "unknown agreement type"),
    ("status", "maybe", "unknown status"),
    ("date", "19 June", "write it as YYYY-MM-DD"),
])
def test_bad_parameter_values_are_explained(corpus_store, name, value, message):
    query = "partners" if name != "date" else "as-of"
    params = {"party": "JPN", name: value} if query == "partners" else {name: value}
    with pytest.raises(QueryError, match=message):
        run(corpus_store, query, params)


def test_required_parameters_are_asked_for(corpus_store):
    with pytest.raises(QueryError, match="needs --param party"):
        run(corpus_store, "partners")


def test_party_parameter_accepts_a_code_or_a_name(graph_store):
    by_code = run(graph_store, "partners", {"party": "FRA"})
    by_name = run(graph_store, "partners", {"party": "France"})
    assert by_code.partner.tolist() == FRANCE_PARTNERS
    assert by_code.equals(by_name)


def test_unknown_query_lists_the_shipped_ones():
    with pytest.raises(QueryError, match="partners"):
        load_query("no-such-query")


def test_query_text_takes_no_name_and_no_file_path(tmp_path):
    query = tmp_path / "secret.rq"
    query.write_text('SELECT ("read" AS ?x) WHERE {}')
    assert load_query(str(query)) == query.read_text()  # what query_text must not do
    for text in ("partners", str(query), "how many pacts?"):
        with pytest.raises(QueryError, match="^invalid SPARQL: a query starts with SELECT"):
            query_text(text)


def test_query_text_that_is_also_a_shipped_name_stays_text(tmp_path, monkeypatch):
    (tmp_path / "describe-all.rq").write_text("DESCRIBE ?s WHERE { ?s ?p ?o }")
    monkeypatch.setattr("kg.query.QUERY_DIR", tmp_path)
    assert load_query("describe-all") == "DESCRIBE ?s WHERE { ?s ?p ?o }"
    assert load_query(query_text("describe-all")) == "describe-all"


def test_query_text_runs_without_asking_for_its_declared_parameters(graph_store):
    """As kg query --store URL sends a shipped query: values bound, '# param' lines kept."""
    sent = prepare("partners", {"party": "FRA"})
    assert "# param party: required" in sent
    with pytest.raises(QueryError, match="needs --param party"):
        run(graph_store, sent)
    assert run(graph_store, query_text(sent)).partner.tolist() == FRANCE_PARTNERS
    # parameters given with it are still bound
    assert run(graph_store, query_text(load_query("partners")), {"party": "FRA"}).partner.tolist() == FRANCE_PARTNERS


# ---- shipped queries ----------------------------------------------------------------------


@pytest.mark.parametrize("party, partners", [("FRA", FRANCE_PARTNERS), ("KOR", ["BRA", "PRK"]), ("PRK", ["KOR"])])
def test_partners_of_a_party_are_the_other_parties_of_its_agreements(graph_store, party, partners):
    frame = run(graph_store, "partners", {"party": party})
    assert frame.partner.tolist() == partners


def test_partners_give_names_agreements_and_the_most_sources(graph_store):
    rows = run(graph_store, "partners", {"party": "FRA"}).set_index("partner")
    assert rows.loc["NATO", "partner_name"] == "North Atlantic Treaty Organization"
    assert rows.loc["NATO", "agreements"] == "defense_cooperation in_force 2022"
    assert rows.loc["POL", "agreements"] == "reciprocal_access negotiating"
    assert rows.max_sources.to_dict() == {"CAN": 2, "DEU": 1, "ITA": 1, "NATO": 1, "POL": 2}


@pytest.mark.parametrize("params, partners", [
    ({"type": "logistics"}, ["ITA"]),
    ({"status": "negotiating"}, ["CAN", "ITA", "POL"]),  # CAN: the hedged 'signed' decides nothing
    ({"type": "intelligence_sharing", "status": "signed"}, ["DEU"]),
    ({"status": "in_force"}, ["NATO"]),
    ({"type": "mutual_defense"}, []),
])
def test_partners_filters_by_type_and_status(graph_store, params, partners):
    frame = run(graph_store, "partners", {"party": "FRA", **params})
    assert frame.partner.tolist() == partners


def test_direct_property_answers_with_one_triple_pattern(graph_store):
    frame = run(graph_store, "SELECT ?p WHERE { ?p kg:intelligenceSharingWith party:FRA }")
    assert sorted(vocab.party_code(p) for p in frame.p) == ["CAN", "DEU"]


# Each shipped query on the graph corpus: its columns (those its header comment documents) and
# how many rows the corpus gives (see conftest.graph_corpus).
@pytest.mark.parametrize("name, params, columns, rows", [
    ("agreements", {}, list(AGREEMENT_COLUMNS), 8),
    ("partners", {"party": "FRA"}, ["partner", "partner_name", "agreements", "max_sources"], 5),
    ("conflicts", {}, ["party_a", "party_b", "agreement_type", "status", "claim_status", "claim_date", "published",
                       "file", "sentence"], 2),
    ("negotiations", {"party": "France"}, ["party_a", "party_b", "agreement_type", "status", "date", "sources",
                                           "conflict", "last_reported"], 3),
    ("timeline", {"party": "FRA"}, ["partner", "agreement_type", "status", "status_date", "effective_date",
                                    "published", "file", "sentence"], 7),
    ("unnamed-partners", {"party": "FRA"}, ["party_code", "party_name", "agreement_type", "status", "count", "named",
                                            "unnamed", "named_partners", "known_partners", "file", "sentence"], 1),
])
def test_every_shipped_query_answers_with_its_columns(graph_store, name, params, columns, rows):
    frame = run(graph_store, name, params)
    assert list(frame.columns) == columns
    assert len(frame) == rows


@pytest.mark.parametrize("name, params, columns", [
    ("as-of", {"date": "2024-06-30"}, ["party_a", "party_b", "agreement_type", "status", "conflict"]),
])
def test_every_shipped_query_answers_on_the_seeds(seed_store, name, params, columns):
    frame = run(seed_store, name, params)
    assert len(frame) > 0
    assert set(columns) <= set(frame.columns)


def test_every_shipped_query_is_tested():
    assert set(shipped_queries()) == {"agreements", "as-of", "conflicts", "negotiations", "partners", "timeline",
                                      "unnamed-partners"}


def test_conflicts_show_both_sides(corpus_store, small_corpus):
    articles, extractor = small_corpus
    with open_store("memory") as store:
        build_articles(articles[:2], store, extractor)  # a1 and a2 disagree on the same day
        frame = run(store, "conflicts")
    assert set(frame.claim_status) == {"talks_agreed", "negotiating"}
    assert set(frame.status) == {"negotiating"} and set(frame.file) == {"a1.txt", "a2.txt"}


def test_negotiations_leave_out_signed_agreements(graph_store):
    frame = run(graph_store, "negotiations")
    # signed (DEU-FRA), in force (FRA-NATO) and terminated (BRA-KOR) agreements are not negotiations
    assert list(zip(frame.party_a, frame.party_b, frame.agreement_type, frame.status)) == [
        ("CAN", "FRA", "intelligence_sharing", "negotiating"),
        ("DEU", "ITA", "logistics", "agreed_in_principle"),
        ("FRA", "ITA", "logistics", "negotiating"),
        ("FRA", "POL", "reciprocal_access", "negotiating"),
        ("KOR", "PRK", "mutual_defense", "proposed"),
    ]
    assert frame.conflict.tolist() == [False, False, False, True, False]


@pytest.mark.parametrize("params, pairs", [
    ({"party": "ITA"}, [("DEU", "ITA"), ("FRA", "ITA")]),
    ({"party": "FRA", "type": "reciprocal_access"}, [("FRA", "POL")]),
    ({"party": "DEU"}, [("DEU", "ITA")]),
])
def test_negotiations_filter_by_party_and_type(graph_store, params, pairs):
    frame = run(graph_store, "negotiations", params)
    assert list(zip(frame.party_a, frame.party_b)) == pairs


def test_agreements_query_gives_the_merged_agreements(graph_store):
    frame = run(graph_store, "agreements")
    got = {(r.party_a, r.party_b, r.agreement_type): (r.status, r.date, r.sources, r.conflict)
           for r in frame.itertuples()}
    assert got == GRAPH_AGREEMENTS


def test_each_agreement_names_its_parties_in_iri_order(graph_store):
    rows = graph_store.query(vocab.sparql_prologue() + """SELECT ?agreement ?a ?b
        (GROUP_CONCAT(STR(?party); separator=" ") AS ?parties) WHERE { GRAPH kgg:agreements {
          ?agreement kg:partyA ?a ; kg:partyB ?b ; kg:party ?party } } GROUP BY ?agreement ?a ?b""")
    got = {row["agreement"].value: (row["a"].value, row["b"].value, row["parties"].value) for row in rows}
    assert len(got) == len(GRAPH_AGREEMENTS)
    for a, b, parties in got.values():
        assert a < b and sorted(parties.split()) == [a, b]


def test_party_order_is_the_iris_whatever_order_the_agreement_gives():
    from kg.model import agreement_quads
    from kg.records import Agreement
    from kg.vocab import KG

    quads = agreement_quads([Agreement("NZL", "AUS", "logistics", "signed", "")], {})
    ordered = {q.predicate.value: q.object.value for q in quads if q.predicate.value in (str(KG.partyA), str(KG.partyB))}
    assert ordered == {str(KG.partyA): str(vocab.party_iri("AUS")), str(KG.partyB): str(vocab.party_iri("NZL"))}



def test_sort_key_never_sorts_an_agreement_before_an_earlier_one():
    """ORDER BY kg:sortKey and then the codes and type is the order of the codes and type only
    if no tuple gets a larger key than a later tuple: codes that share a first character's
    digit (lower case, punctuation, accents), prefixes of each other or longer than the key."""
    import random

    from kg.model import sort_key
    from kg.records import AGREEMENT_TYPES

    rng = random.Random(3)
    alphabet = "09AJPZ-:@_abÉ"
    codes = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(150)]
    codes += ["JP", "JPN", "JPNX", "NATO", "AAAAAAAAAAAA", "AAAAAAAAAAAB"]
    tuples = [(a, b, t) for a, b in zip(codes, rng.sample(codes, len(codes))) for t in AGREEMENT_TYPES]
    assert sorted(tuples, key=lambda x: (sort_key(*x), x)) == sorted(tuples)


def test_sort_key_tells_apart_agreements_of_short_codes():
    """The key only pays if it decides: every pair of codes of up to four capitals or digits,
    with every type, gets its own key."""
    from kg.model import sort_key
    from kg.records import AGREEMENT_TYPES

    codes = ["AUS", "JPN", "JP", "NATO", "EU", "G7", "NZL", "ZZZZ"]
    tuples = {(a, b, t) for a in codes for b in codes if a < b for t in AGREEMENT_TYPES}
    assert len({sort_key(*x) for x in tuples}) == len(tuples)


def test_queries_sort_by_codes_and_type_where_sort_keys_tie(memory_store):
    """Codes longer than the key or with lower-case letters give equal keys: the codes and type
    order those rows, in agreements and as-of alike; every agreement carries its key."""
    from kg.model import sort_key
    from kg.records import AGREEMENT_TYPES

    pairs = [("AAAAAAAAAAAB", "JPN"), ("AAAAAAAAAAAA", "JPN"), ("Ab1", "JPN"), ("Ab0", "JPN"), ("Ac", "JPN"),
             ("AUS", "JPN")]
    claims = [make_claim("s1", a, b, kind=kind) for a, b in pairs for kind in reversed(AGREEMENT_TYPES)]
    build_articles([make_article("s1")], memory_store, TableExtractor({"s1": claims}))
    expected = sorted((min(a, b), max(a, b), kind) for a, b in pairs for kind in AGREEMENT_TYPES)
    for name, params in (("agreements", {}), ("as-of", {"date": "2024-12-31"})):
        frame = run(memory_store, name, params)
        assert list(zip(frame.party_a, frame.party_b, frame.agreement_type)) == expected, name
    keys = memory_store.query(vocab.sparql_prologue() + """SELECT ?agreement ?key WHERE {
        GRAPH kgg:agreements { ?agreement kg:sortKey ?key } }""")
    got = {row["agreement"].value: int(row["key"].value) for row in keys}
    assert got == {str(vocab.agreement_iri(a, b, t)): sort_key(a, b, t) for a, b, t in expected}

def test_type_and_status_tables_of_the_queries_are_the_schemes():
    """Queries name types and statuses from VALUES tables rather than reading each IRI back as
    text; a concept missing from a table would drop its agreements, so every table holds its
    whole scheme (negotiations: the statuses before signed), each concept by its own name."""
    from kg.records import AGREEMENT_TYPES, STATUSES, Status

    before_signed = {s for s in STATUSES if Status(s).term.stage < Status.SIGNED.term.stage}
    tables = 0
    for name, path in shipped_queries().items():
        for body in re.findall(r"VALUES \(\?\w+ \?\w+\) \{(.*?)\}", path.read_text(encoding="utf-8"), re.S):
            pairs = re.findall(r'\((type|status):(\w+) "([^"]*)"\)', body)
            assert pairs and all(local == text for _, local, text in pairs), (name, body)
            scheme = {kind for kind, _, _ in pairs}
            wanted = set(AGREEMENT_TYPES) if scheme == {"type"} else set(STATUSES)
            if name == "negotiations" and scheme == {"status"}:
                wanted = before_signed
            assert {local for _, local, _ in pairs} == wanted, (name, scheme)
            tables += 1
    assert tables >= 5


def test_conflicts_of_the_graph_corpus_are_the_two_same_day_claims(graph_store):
    frame = run(graph_store, "conflicts")
    assert list(zip(frame.party_a, frame.party_b, frame.status, frame.claim_status, frame.file)) == [
        ("FRA", "POL", "negotiating", "talks_agreed", "g2.txt"),
        ("FRA", "POL", "negotiating", "negotiating", "g3.txt"),
    ]
    assert set(frame.published) == {"2024-02-05"}


def test_timeline_of_a_party_gives_every_claim_with_its_effective_date(graph_store):
    frame = run(graph_store, "timeline", {"party": "FRA"})
    assert list(zip(frame.partner, frame.status, frame.status_date, frame.effective_date, frame.file)) == [
        ("CAN", "negotiating", "", "2024-01-10", "g1.txt"),
        ("CAN", "signed", "", "2024-02-20", "g4.txt"),  # hedged, but a claim all the same
        ("DEU", "signed", "2023-11-20", "2023-11-20", "g1.txt"),
        ("ITA", "negotiating", "", "2024-01-10", "g1.txt"),
        ("NATO", "in_force", "2022", "2022-01-01", "g1.txt"),  # a partial date counts from its first day
        ("POL", "talks_agreed", "", "2024-02-05", "g2.txt"),
        ("POL", "negotiating", "", "2024-02-05", "g3.txt"),
    ]


def test_unnamed_partners_of_the_graph_corpus(graph_store):
    [row] = run(graph_store, "unnamed-partners", {"party": "France"}).to_dict(orient="records")
    # six countries counted, DEU and ITA named among them (NATO is named but not a country);
    # the graph knows one partner with a signed intelligence-sharing agreement (DEU)
    assert (row["count"], row["named"], row["unnamed"], row["known_partners"]) == (6, 2, 4, 1)
    assert sorted(row["named_partners"].split()) == ["DEU", "ITA", "NATO"]
    assert (row["agreement_type"], row["status"], row["file"]) == ("intelligence_sharing", "signed", "g1.txt")


def test_timeline_is_oldest_first(corpus_store):
    frame = run(corpus_store, "timeline", {"party": "DEU"})
    assert frame.status.tolist()[-1] == "signed"
    assert frame.effective_date.tolist() == sorted(frame.effective_date)


@pytest.mark.parametrize("date, expected", [
    ("2024-02-28", None),  # before any article
    # a1 and a2 disagree on the same day: a conflict, and the later stage (negotiating) stands
    ("2024-03-02", ("negotiating", "", True)),
    ("2024-03-31", ("signed", "2024-03-07", False)),  # a3 has been published
])
def test_as_of_gives_the_graph_as_it_stood(corpus_store, date, expected):
    frame = run(corpus_store, "as-of", {"date": date})
    rows = frame[(frame.party_a == "DEU") & (frame.party_b == "FRA")]
    if expected is None:
        assert rows.empty
    else:
        [row] = rows.itertuples()
        assert (row.status, row.date, bool(row.conflict)) == expected


def test_unnamed_partners_counts_the_unnamed_ones(memory_store):
    from dataclasses import replace

    sentence = "Spain has similar agreements with six other countries, including Italy and Portugal, and with NATO."
    extractor = TableExtractor(
        {"u1": [make_claim("u1", "ESP", p, sentence=sentence) for p in ("ITA", "PRT", "NATO")]},
        # the extractor decides what kind of party the sentence counts: countries here
        {"u1": [replace(make_count("u1", "ESP", 6, ("ITA", "PRT", "NATO"), sentence), counted_kind="country")]},
    )
    build_articles([make_article("u1")], memory_store, extractor)
    [row] = run(memory_store, "unnamed-partners", {"party": "Spain"}).to_dict(orient="records")
    assert (row["count"], row["named"], row["unnamed"]) == (6, 2, 4)
    assert set(row["named_partners"].split()) == {"ITA", "PRT", "NATO"}
    assert row["known_partners"] == 3


# ---- formats and exports ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_results_in_standard_sparql_formats(graph_store, fmt):
    data = serialize(execute(graph_store, "partners", {"party": "FRA"}), fmt).decode()
    if fmt == "json":
        parsed = json.loads(data)
        assert parsed["head"]["vars"] == ["partner", "partner_name", "agreements", "max_sources"]
        assert [b["partner"]["value"] for b in parsed["results"]["bindings"]] == FRANCE_PARTNERS
    elif fmt == "csv":
        assert [r["partner"] for r in csv.DictReader(io.StringIO(data))] == FRANCE_PARTNERS
    elif fmt == "tsv":
        lines = data.splitlines()
        assert lines[0] == "?partner\t?partner_name\t?agreements\t?max_sources" and len(lines) == 6
        assert lines[5].startswith('"POL"\t"Poland"')
    else:
        from xml.etree import ElementTree

        ns = {"s": "http://www.w3.org/2005/sparql-results#"}
        root = ElementTree.fromstring(data)
        values = [b.find("s:literal", ns).text for b in root.iterfind(".//s:binding[@name='partner']", ns)]
        assert values == FRANCE_PARTNERS


def test_export_agreements_json_has_typed_values(graph_store):
    records = json.loads(export_agreements(graph_store, "json"))
    assert [list(r) for r in records] == [list(AGREEMENT_COLUMNS)] * len(GRAPH_AGREEMENTS)
    got = {(r["party_a"], r["party_b"], r["agreement_type"]): (r["status"], r["date"], r["sources"], r["conflict"])
           for r in records}
    assert got == GRAPH_AGREEMENTS
    assert all(type(r["sources"]) is int and type(r["conflict"]) is bool for r in records)
    poland = next(r for r in records if (r["party_a"], r["party_b"]) == ("FRA", "POL"))
    assert (poland["party_a_name"], poland["party_b_name"]) == ("France", "Poland")
    assert (poland["first_reported"], poland["last_reported"]) == ("2024-02-05", "2024-02-05")
    canada = next(r for r in records if r["party_a"] == "CAN")
    assert (canada["first_reported"], canada["last_reported"]) == ("2024-01-10", "2024-02-20")


def test_read_store_gives_agreement_records_with_their_claims(seed_store):
    from kg.network import read_store

    agreements, _, articles = read_store(seed_store)
    ukraine = next(a for a in agreements if (a.party_a, a.party_b) == ("JPN", "UKR"))
    assert ukraine.conflict and ukraine.sources == 3
    assert {c.article_id for c in ukraine.claims} <= set(articles)


# ---- CLI ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_on_disk(tmp_path_factory):
    """The seeds built with the real extractor, for the README's examples (read-only use)."""
    from conftest import SEEDS

    store = tmp_path_factory.mktemp("seeds") / "kg-store"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    return str(store)


def test_cli_query_partners_table(graph_store_dir):
    result = CliRunner().invoke(cli, ["query", "partners", "--param", "party=FRA", "--store", str(graph_store_dir)])
    assert result.exit_code == 0, result.output
    first_cells = [line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")]
    assert [cell for cell in first_cells if cell] == FRANCE_PARTNERS
    assert "5 row(s)" in result.stderr


def test_cli_query_json_from_a_rq_file(graph_store_dir, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("SELECT ?p WHERE { GRAPH ?g { ?p kg:logisticsWith ?party } } ORDER BY ?p")
    result = CliRunner().invoke(cli, ["query", str(path), "-p", "party=Italy", "--format", "json",
                                      "--store", str(graph_store_dir)])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["p"]["value"] for b in bindings] == [str(vocab.party_iri("DEU")), str(vocab.party_iri("FRA"))]


@pytest.mark.parametrize("args, message", [
    (["query", "partners"], "needs --param party"),
    (["query", "partners", "-p", "party"], "write it as NAME=VALUE"),
    (["query", "SELECT * WHERE { ?s ?p }"], "invalid SPARQL"),
])
def test_cli_query_errors_are_one_line(graph_store_dir, args, message):
    result = CliRunner().invoke(cli, [*args, "--store", str(graph_store_dir)])
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_query_without_arguments_lists_shipped_queries():
    result = CliRunner().invoke(cli, ["query"])
    assert result.exit_code == 0
    for name in shipped_queries():
        assert name in result.stdout


def test_cli_export_agreements_to_a_file(graph_store_dir, tmp_path):
    out = tmp_path / "agreements.csv"
    result = CliRunner().invoke(cli, ["export", "agreements", "--store", str(graph_store_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == list(AGREEMENT_COLUMNS)
    got = {(r["party_a"], r["party_b"], r["agreement_type"]): (r["status"], r["date"], int(r["sources"]),
                                                                r["conflict"] == "true") for r in rows}
    assert got == GRAPH_AGREEMENTS


def test_cli_export_graph_and_load_round_trip(graph_store_dir, tmp_path):
    out = tmp_path / "graph.trig"
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "graph", "--store", str(graph_store_dir), "-o", str(out)]).exit_code == 0
    copy = tmp_path / "copy-store"
    result = runner.invoke(cli, ["load", str(out), "--allow-kg-graphs", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    with open_store(graph_store_dir, create=False) as original, open_store(copy, create=False) as loaded:
        assert same_dataset(original, loaded)
        articles = {str(vocab.article_graph(f"g{i}")) for i in range(1, 6)}
        assert articles <= {g.value for g in loaded.named_graphs()}


def test_cli_load_triples_go_to_a_named_graph(tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text("<https://example.org/a> <https://example.org/b> 'c' .\n")
    store = tmp_path / "st"
    result = CliRunner().invoke(cli, ["load", str(path), "--store", str(store)])
    assert result.exit_code == 0, result.output
    with open_store(store, create=False) as opened:
        assert [g.value for g in opened.named_graphs()] == [str(vocab.loaded_graph("extra.ttl"))]


def test_cli_on_a_missing_store_says_to_build(tmp_path):
    result = CliRunner().invoke(cli, ["export", "agreements", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "kg build" in result.stderr
    assert not (tmp_path / "none").exists()


def _documented_queries() -> list[list[str]]:
    """Every `kg query` command of the README (table cells and sh blocks)."""
    import re
    import shlex
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(cell) for cell in re.findall(r"`(kg query [a-z][^`]+)`", text)]
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for chunk in re.split(r"\n(?=kg |oxigraph )", block):
            words = shlex.split(chunk, comments=True)
            if words[:2] == ["kg", "query"]:
                commands.append(words)
    return commands


def test_docs_have_an_example_for_every_shipped_query():
    documented = {words[2] for words in _documented_queries()}
    assert set(shipped_queries()) <= documented


@pytest.mark.parametrize("words", _documented_queries(), ids=lambda w: " ".join(w[2:4])[:40])
def test_documented_query_examples_run_on_the_seeds(seeds_on_disk, words):
    result = CliRunner().invoke(cli, [*words[1:], "--store", seeds_on_disk])
    assert result.exit_code == 0, result.output
    assert "0 row(s)" not in result.stderr


def test_parameters_reach_sub_selects_that_use_them(memory_store):
    text = ("SELECT ?x ?y WHERE { { SELECT ?x WHERE { BIND(?name AS ?x) } } "
            "{ SELECT ?y WHERE { BIND(1 AS ?y) } } }")
    bound = bind_params(text, {"name": ox.Literal("v")})
    assert bound.count("VALUES") == 2  # the outer group and the sub-select that uses ?name
    assert run(memory_store, text, {"name": "v"}).x.tolist() == ["v"]


def test_malformed_query_error_counts_lines_of_the_users_query(graph_store_dir):
    result = CliRunner().invoke(cli, ["query", "SELECT ?x WHERE {\n  ?x ?y ?z .\n  ?x ( }",
                                      "--store", str(graph_store_dir)])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "invalid SPARQL: error at line 3," in line and "Traceback" not in result.output


def test_as_of_after_the_last_article_agrees_with_the_merged_agreements(seeds_on_disk):
    as_of = CliRunner().invoke(cli, ["query", "as-of", "--param", "date=2030-01-01", "--format", "csv",
                                     "--store", seeds_on_disk])
    merged = CliRunner().invoke(cli, ["export", "agreements", "--store", seeds_on_disk])
    assert as_of.exit_code == 0 and merged.exit_code == 0
    import csv as _csv

    then = {(r["party_a"], r["party_b"], r["agreement_type"]): r["conflict"]
            for r in _csv.DictReader(as_of.stdout.splitlines())}
    now = {(r["party_a"], r["party_b"], r["agreement_type"]): r["conflict"]
           for r in _csv.DictReader(merged.stdout.splitlines())}
    assert then == now  # hedged claims make no conflict in either
    assert [k for k, v in now.items() if v == "true"] == [("JPN", "UKR", "intelligence_sharing")]
