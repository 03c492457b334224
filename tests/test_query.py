"""`litkit query`: any language in, the same claims out; filters; hostile input is just text."""

from __future__ import annotations

import json

import pytest

from litkit.errors import QueryError
from litkit.lexicon import default_lexicon
from litkit.query import Query, plan, run_query
from litkit.store import open_db

from .evidence_helpers import build_demo_db, run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("query"))


def records(demo_db, *args):
    result = run(demo_db, "query", *args, "--format", "jsonl", "--limit", "200")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "text",
    ["corticosteroids", "corticostéroïdes", "糖皮质激素", "D000305"],
    ids=["en", "fr", "zh", "id"],
)
def test_every_language_returns_the_same_claims(demo_db, text):
    ids = {r["id"] for r in records(demo_db, text)}
    assert ids == {r["id"] for r in records(demo_db, "corticosteroids")}
    assert len(ids) >= 5


def test_chinese_query_returns_french_corticosteroid_claims(demo_db):
    found = records(demo_db, "糖皮质激素")
    french = [r for r in found if r["lang"] == "fr"]
    assert french and all("corticostéroïdes" in r["text"] or r["treatments"] for r in french)
    assert any("corticosteroids" in r["treatments"] for r in french)


def test_class_query_includes_descendant_drugs(demo_db):
    treatments = {t for r in records(demo_db, "corticosteroids") for t in r["treatments"]}
    assert {"methylprednisolone", "prednisolone"} <= treatments


def test_french_abbreviation_finds_english_nsaid_claims(demo_db):
    found = records(demo_db, "AINS")
    assert any(r["lang"] == "en" and "nsaids" in r["treatments"] for r in found)
    assert any(r["lang"] == "fr" for r in found)


def test_treatment_and_type_filters(demo_db):
    found = records(demo_db, "--treatment", "corticosteroids", "--type", "outcome")
    assert found and all("outcome" in r["types"] for r in found)
    assert any("methylprednisolone" in r["treatments"] for r in found)


@pytest.mark.parametrize(
    "option,value,field", [("--lang", "zh", "lang"), ("--design", "case_report", "design")]
)
def test_lang_and_design_filters(demo_db, option, value, field):
    found = records(demo_db, "CNO" if value == "zh" else "corticosteroids", option, value)
    assert found and all(r[field] == value for r in found)


@pytest.mark.parametrize(
    ("designs", "sources"),
    [
        (("narrative_review",), {"eur_j_pediatr"}),
        (("review",), {"eur_j_pediatr"}),  # a coarse group takes its members
        (("case_report",), {"holden"}),
        (("case_report", "narrative_review"), {"eur_j_pediatr", "holden"}),
        (("randomised_trial",), set()),
    ],
    ids=["narrative", "coarse-review", "case-report", "two-designs", "none"],
)
def test_design_filter(demo_db, designs, sources):
    args = [arg for design in designs for arg in ("--design", design)]
    found = records(demo_db, "--all", *args)
    assert {r["source"].split("/")[-1].split("_")[0] for r in found} == {
        s.split("_")[0] for s in sources
    }
    assert all(r["design"] in designs or "review" in designs for r in found)


@pytest.mark.parametrize(
    ("year", "count_docs"),
    [("2024", 1), ("2020-2030", 1), ("1990-2000", 0), ("2024 - 2024", 1)],
    ids=["year", "range", "empty-range", "spaced-range"],
)
def test_year_filter(demo_db, year, count_docs):
    found = records(demo_db, "--all", "--year", year)
    assert len({r["doc_id"] for r in found}) == count_docs
    assert all(r["year"] == 2024 for r in found)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "20x4"), "is not a year"),
        (("--year", "2020-2010"), "first year comes after the last"),
        (("--design", "anecdote"), "Invalid value for '--design'"),
    ],
    ids=["bad-year", "reversed-range", "unknown-design"],
)
def test_bad_design_or_year_is_one_clear_error(demo_db, args, message):
    result = run(demo_db, "query", "--all", *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_records_carry_the_documents_patients(demo_db):
    found = records(demo_db, "--all", "--design", "case_report")
    assert found and {r["patients"] for r in found} == {2}  # "deux cas": two patients


def test_results_are_ranked_mentions_and_outcomes_first(demo_db):
    found = records(demo_db, "corticosteroids")
    first = found[0]
    assert "corticosteroids" in first["treatments"] and "outcome" in first["types"]


@pytest.mark.parametrize(
    "text,expected",
    [("漏诊", "漏诊"), ("骨骼", "骨骼"), ("inconnue", "inconnue"), ("etiologie", "étiologie")],
    ids=["zh-2char", "zh-2char-b", "fr", "fr-no-accent"],
)
def test_text_without_concept_falls_back_to_full_text(demo_db, text, expected):
    found = records(demo_db, text, "--all")
    assert found and all(expected in r["text"].lower() for r in found)


@pytest.mark.parametrize(
    "text,word",
    [
        ('"unbalanced', "unbalanced"),
        ("x*", None),
        ("NEAR(a b)", None),
        ("a OR b AND (c", None),
        ("'; DROP TABLE segments; --", None),
        ("content:foo", None),
        ("^start", None),
        ("-1", "1"),
    ],
)
def test_hostile_text_is_searched_as_text(demo_db, text, word):
    result = run(demo_db, "query", "--format", "json", "--", text)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    if word is None:  # the demo corpus holds none of these words: operators matched nothing
        assert found == []
    else:  # the words are searched as plain words
        assert all(word in r["text"] for r in found)
    db = open_db(demo_db)
    assert db.execute("SELECT count(*) FROM segments").fetchone()[0] > 0


@pytest.mark.parametrize(
    "args,message",
    [
        (("?!",), "nothing to search"),
        (("--treatment", "pizza"), "unknown treatment"),
        (("--concept", "nope:nope"), "unknown concept"),
        ((), "give a TEXT"),
    ],
)
def test_bad_queries_get_a_clear_message(demo_db, args, message):
    result = run(demo_db, "query", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_json_records_have_the_export_fields(demo_db):
    exported = {
        json.loads(line)["id"]: json.loads(line)
        for line in run(demo_db, "export").stdout.splitlines()
    }
    for record in records(demo_db, "corticosteroids"):
        assert record == exported[record["id"]]


def test_table_shows_source_language_types_treatments_quote(demo_db):
    result = run(demo_db, "query", "corticosteroids", "--limit", "3")
    header = result.stdout.splitlines()[0].split()
    assert header == ["id", "source", "lang", "types", "treatments", "outcomes", "text"]


def test_library_query_limit_and_determinism(demo_db):
    db = open_db(demo_db)
    lexicon = default_lexicon()
    first = run_query(db, Query(text="corticosteroids", limit=3), lexicon)
    assert len(first) == 3
    assert first == run_query(db, Query(text="corticosteroids", limit=3), lexicon)
    with pytest.raises(QueryError):
        plan(Query(text="x" * 1000), lexicon)
