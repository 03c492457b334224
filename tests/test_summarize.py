"""`litkit summarize`: per treatment across languages, per document, the per-treatment table."""

from __future__ import annotations

import json

import jsonschema
import pytest

from .conftest import SCHEMAS
from .evidence_helpers import build_demo_db, run

SUMMARY_SCHEMA = json.loads((SCHEMAS / "summary.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("summary"))


def summary(demo_db, *args):
    result = run(demo_db, "summarize", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, SUMMARY_SCHEMA)
    return data


@pytest.mark.parametrize(
    "name", ["corticosteroids", "corticostéroïdes", "糖皮质激素"], ids=["en", "fr", "zh"]
)
def test_treatment_summary_is_the_same_in_every_language(demo_db, name):
    data = summary(demo_db, "--treatment", name)
    assert data["subject"]["concepts"] == [{"id": "D000305", "label": "corticosteroids"}]
    reference = summary(demo_db, "--treatment", "corticosteroids")
    assert {k: v for k, v in data.items() if k != "subject"} == {
        k: v for k, v in reference.items() if k != "subject"
    }


def test_treatment_summary_counts_across_languages_and_descendants(demo_db):
    data = summary(demo_db, "--treatment", "corticosteroids")
    # the French case report's claims, with methylprednisolone and prednisolone (descendants);
    # the only English mention is an entry of the jpeds page's reference list: no claim
    assert set(data["languages"]) == {"fr"}
    # Directions count the pairs about corticosteroids and their drugs, not every outcome
    # claim that names them: a recommendation adds no pair.
    assert sum(data["outcome_directions"].values()) <= data["claims_by_type"]["outcome"]
    assert data["outcome_directions"]["improved"] >= 2
    assert data["outcome_directions"]["not_improved"] == 0
    assert [q["lang"] for q in data["quotes"]] == ["fr"]
    assert all(q["concepts"] for q in data["quotes"])
    assert len(data["documents"]) == 1
    across = summary(demo_db, "--treatment", "bisphosphonates")
    assert set(across["languages"]) == {"en", "fr", "zh"}
    assert [q["lang"] for q in across["quotes"]] == ["en", "fr", "zh"]
    assert len(across["documents"]) == 3


def test_topic_summary_falls_back_to_full_text(demo_db):
    data = summary(demo_db, "--topic", "漏诊")
    assert data["claims"] == 1 and data["languages"] == {"zh": 1}


def test_by_treatment_gives_one_row_per_treatment(demo_db):
    rows = summary(demo_db, "--by", "treatment")
    names = [r["treatment"] for r in rows]
    assert len(names) == len(set(names))
    cortico = next(r for r in rows if r["treatment"] == "corticosteroids")
    assert cortico["documents"] == 1 and cortico["languages"] == ["fr"]  # no reference entry
    bisphosphonates = next(r for r in rows if r["treatment"] == "bisphosphonates")
    assert bisphosphonates["documents"] == 3 and bisphosphonates["languages"] == ["en", "fr", "zh"]


def test_document_summary_of_a_bilingual_review(demo_db):
    data = summary(demo_db, "--doc", "eur_j_pediatr")
    assert data["document"]["design"] == "narrative_review"
    assert {"en", "zh"} <= set(data["claim_languages"])
    quotes = [q for group in data["key_claims"].values() for q in group]
    assert quotes and all(q["text"] for q in quotes)
    assert len({q["claim_id"] for q in quotes}) == len(quotes)


def test_document_summary_lists_treatments_with_direction(demo_db):
    data = summary(demo_db, "--doc", "holden_crmo")
    by_name = {t["treatment"]: t for t in data["treatments"]}
    assert by_name["corticosteroids"]["improved"] >= 1
    assert by_name["corticosteroids"]["direction"] in ("improved", "mixed")


def test_markdown_summary_names_the_concept_and_quotes(demo_db):
    text = run(demo_db, "summarize", "--treatment", "糖皮质激素").stdout
    assert text.startswith("## Evidence: 糖皮质激素 — corticosteroids (D000305)")
    assert "Representative quotes:" in text and "- [fr] " in text


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "exactly one"),
        (("--treatment", "x", "--doc", "y"), "exactly one"),
        (("--doc", "nothing-like-this"), "no document"),
        (("--treatment", "pizza"), "unknown treatment"),
    ],
)
def test_bad_requests_get_a_clear_message(demo_db, args, message):
    result = run(demo_db, "summarize", *args)
    assert result.exit_code != 0 and message in result.output


def test_evidence_summary_shows_designs_and_patients(demo_db):
    # pamidronate: both demo studies report on it (the jpeds page names corticosteroids only in
    # its reference list, which carries no claim)
    data = summary(demo_db, "--treatment", "pamidronate")
    designs = {d["source"].split("/")[-1]: (d["design"], d["patients"]) for d in data["documents"]}
    assert designs["holden_crmo_sacral_case_report.fr.txt"] == ("case_report", 2)
    assert designs["jpeds_2008_pamidronate_crmo.en.txt"] == ("case_series", 5)  # five patients
    assert data["designs"] == {"case_report": 1, "case_series": 1}
    assert data["patients"] == {"total": 7, "documents": 2}
    result = run(demo_db, "summarize", "--treatment", "pamidronate")
    assert "- Patients: 7 (stated by 2 documents)" in result.stdout
    review = summary(demo_db, "--doc", "eur_j_pediatr")["document"]  # a review counts no one
    assert (review["design"], review["patients"], review["year"]) == (
        "narrative_review",
        None,
        2024,
    )
    assert "| document | year | design | patients | languages | claims |" in result.stdout


def test_document_summary_shows_patients(demo_db):
    data = summary(demo_db, "--doc", "holden")
    assert (data["document"]["design"], data["document"]["patients"]) == ("case_report", 2)
    result = run(demo_db, "summarize", "--doc", "holden")
    assert "- Patients: 2" in result.stdout and "- Design: case_report" in result.stdout
