"""Curation that lasts: a review team's exclusions and corrections are kept apart from what
litkit computes, applied by every read command, and survive re-ingest and reindex (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litkit.link import reindex_all
from litkit.store import open_db, write_document

from .evidence_helpers import run
from .test_link import CORTICO, METHYLPRED, claim_document

KEEP = "Corticosteroids led to remission of bone pain in all children."
DROP = "Methylprednisolone improved bone pain after three days."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "keep.en.txt").write_text(f"Case report.\n\n{KEEP}\n", encoding="utf-8")
    (folder / "drop.en.txt").write_text(f"Cohort study.\n\n{DROP}\n", encoding="utf-8")
    return folder


def _ingest(db: Path, corpus: Path) -> None:
    result = run(db, "ingest", str(corpus))
    assert result.exit_code == 0, result.output


def _records(db: Path, *args: str) -> list[dict]:
    result = run(db, "export", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _claim(records: list[dict], text: str) -> dict:
    (found,) = [r for r in records if text in r["text"]]
    return found


def _forget_and_reingest(db_path: Path, corpus: Path) -> None:
    """Remove every computed row and ingest again: what a rebuild of the evidence base does."""
    db = open_db(db_path)
    for table in ("links", "segment_concepts", "profile_concepts", "claim_profiles",
                  "translation_keys", "outcome_pairs", "mentions", "segments",
                  "documents"):  # fmt: skip
        db.execute(f"DELETE FROM {table}")
    db.close()
    _ingest(db_path, corpus)


@pytest.mark.parametrize("rebuild", ["ingest-again", "reindex", "forget-and-reingest"])
def test_exclusion_and_overruled_direction_survive_a_rebuild(tmp_path, corpus, rebuild):
    db = tmp_path / "c.db"
    _ingest(db, corpus)
    records = _records(db)
    kept, dropped = _claim(records, KEEP), _claim(records, DROP)
    assert kept["direction"] == "improved"

    assert run(db, "curate", "exclude", dropped["doc_id"]).exit_code == 0
    result = run(db, "curate", "set-outcome", kept["id"], "corticostéroïdes", "not_improved")
    assert result.exit_code == 0, result.output

    if rebuild == "ingest-again":
        _ingest(db, corpus)
    elif rebuild == "reindex":
        handle = open_db(db)
        reindex_all(handle)
        handle.close()
    else:
        _forget_and_reingest(db, corpus)

    records = _records(db)
    assert all(r["doc_id"] != dropped["doc_id"] for r in records)
    claim = _claim(records, KEEP)
    assert claim["direction"] == "not_improved"
    assert claim["outcomes"] == [  # read like computed pairs: label, concept id, direction
        {"treatment": "corticosteroids", "concept_id": "D000305", "direction": "not_improved"}
    ]
    assert claim["curated"] == ["outcomes", "direction"]

    summary = json.loads(
        run(db, "summarize", "--treatment", "corticosteroids", "--format", "json").stdout
    )
    assert [d["doc_id"] for d in summary["documents"]] == [claim["doc_id"]]
    assert summary["outcome_directions"]["not_improved"] == 1
    assert summary["outcome_directions"]["improved"] == 0
    stats = json.loads(run(db, "stats", "--format", "json").stdout)
    assert [row["documents"] for row in stats if row["lang"] == "all"] == [1]
    ris = run(db, "export", "--format", "ris").stdout
    assert dropped["doc_id"] not in ris and "litkit:direction=not_improved" in ris


def test_restore_brings_a_document_back(tmp_path, corpus):
    db = tmp_path / "c.db"
    _ingest(db, corpus)
    dropped = _claim(_records(db), DROP)
    run(db, "curate", "exclude", dropped["doc_id"][:8])
    assert all(r["doc_id"] != dropped["doc_id"] for r in _records(db))
    result = run(db, "curate", "restore", dropped["doc_id"])
    assert result.exit_code == 0 and "restored" in result.stderr
    assert _claim(_records(db), DROP)["curated"] == []


@pytest.fixture
def claims_db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    db = open_db(path)
    write_document(db, claim_document("a.txt", [
        ("Methylprednisolone helped.", "en", ("outcome",), "improved", [METHYLPRED]),
        ("Bone pain was assessed.", "en", (), None, []),
    ]))  # fmt: skip
    write_document(db, claim_document("b.txt", [
        ("Corticosteroids were given.", "en", ("treatment",), None, [CORTICO]),
    ]))  # fmt: skip
    db.close()
    return path


def test_claim_types_set_by_a_reviewer_drive_filters_and_counts(claims_db):
    records = _records(claims_db, "--all")
    assessed = _claim(records, "Bone pain was assessed.")
    given = _claim(records, "Corticosteroids were given.")
    assert run(claims_db, "curate", "set-types", assessed["id"], "diagnosis").exit_code == 0
    assert run(claims_db, "curate", "set-types", given["id"], "none").exit_code == 0
    diagnosis = _records(claims_db, "--type", "diagnosis")
    assert [r["id"] for r in diagnosis] == [assessed["id"]]
    assert diagnosis[0]["curated"] == ["types"]
    assert given["id"] not in {r["id"] for r in _records(claims_db)}
    stats = json.loads(run(claims_db, "stats", "--format", "json").stdout)
    assert [row["claims"] for row in stats if row["lang"] == "all"] == [2]


def test_design_year_and_patients_show_as_curated(claims_db):
    doc_id = _records(claims_db)[0]["doc_id"]
    for args in (("set-design", doc_id, "randomised_trial"), ("set-year", doc_id, "2016"),
                 ("set-patients", doc_id, "42")):  # fmt: skip
        result = run(claims_db, "curate", *args)
        assert result.exit_code == 0, result.output
    record = next(r for r in _records(claims_db) if r["doc_id"] == doc_id)
    assert (record["design"], record["year"]) == ("randomised_trial", 2016)
    assert record["curated"] == ["design", "year"]
    studies = json.loads(
        run(claims_db, "studies", "--treatment", "methylprednisolone", "--format", "json").stdout
    )
    assert [(s["design"], s["year"], s["patients"]) for s in studies] == [
        ("randomised_trial", 2016, 42)
    ]
    listed = json.loads(run(claims_db, "curate", "list", "--format", "json").stdout)
    assert [(row["field"], row["value"]) for row in listed] == [
        ("design", "randomised_trial"), ("year", 2016), ("patients", 42),
    ]  # fmt: skip


def test_set_outcome_keeps_the_other_interventions(claims_db):
    claim = _claim(_records(claims_db), "Methylprednisolone helped.")
    run(claims_db, "curate", "set-outcome", claim["id"], "methylprednisolone", "improved")
    run(claims_db, "curate", "set-outcome", claim["id"], "none", "uncertain")
    run(claims_db, "curate", "set-outcome", claim["id"], "methylprednisolone", "worsened")
    claim = _claim(_records(claims_db), "Methylprednisolone helped.")
    assert claim["outcomes"] == [
        {"treatment": "", "concept_id": "", "direction": "uncertain"},
        {"treatment": "methylprednisolone", "concept_id": "D008775", "direction": "worsened"},
    ]
    assert claim["direction"] == "uncertain"  # the pairs disagree


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("exclude", "nosuchdoc"), "no document with id or source 'nosuchdoc'"),
        (("set-types", "0123456789abcdef-0000", "outcome"), "no sentence with id"),
        (("set-design", "a.txt", "rct"), "'rct' is not one of"),
        (("set-year", "a.txt", "20016"), "20016 is not in the range"),
        (("set-patients", "a.txt", "many"), "'many' is not a valid integer"),
        (("set-types", "x-0000", "outcome", "none"), "`none` cannot be combined"),
        (("set-outcome", "x-0000", "corticosteroids", "better"), "'better' is not one of"),
    ],
    ids=["unknown-doc", "unknown-sentence", "unknown-design", "bad-year", "patients-not-a-number",
         "none-and-types", "unknown-direction"],
)  # fmt: skip
def test_bad_curation_is_one_line(claims_db, args, message):
    result = run(claims_db, "curate", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error")]) == 1


def test_nothing_curated_says_so(claims_db):
    result = run(claims_db, "curate", "list")
    assert result.exit_code == 0 and "no curation recorded" in result.stderr


def test_query_leaves_out_excluded_documents_and_counts_right(claims_db):
    before = run(claims_db, "query", "corticosteroids", "--format", "json")
    assert {r["source"] for r in json.loads(before.stdout)} == {"a.txt", "b.txt"}
    assert run(claims_db, "curate", "exclude", "b.txt").exit_code == 0
    after = run(claims_db, "query", "corticosteroids", "--format", "json", "--limit", "1")
    assert [r["source"] for r in json.loads(after.stdout)] == ["a.txt"]
    assert "showing" not in after.stderr  # the excluded claim is not counted as a match


@pytest.mark.parametrize("args", [("list",), ("exclude", "x.txt")], ids=["list", "exclude"])
def test_curation_on_a_missing_database_is_one_line_and_creates_nothing(tmp_path, args):
    missing = tmp_path / "typo.db"
    result = run(missing, "curate", *args)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: no litkit database at {missing}; run `litkit ingest` first"
    )
    assert not missing.exists()
