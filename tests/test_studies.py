"""`litkit studies`: one row per study with citation, design, interventions, direction per
intervention and the best quote per language; golden files on the demo corpus (issue 17).

Regenerate the golden files after an intended change with
`LITKIT_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_studies.py` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from litkit.models import OutcomePair
from litkit.store import open_db, write_document

from .conftest import REPO
from .evidence_helpers import run
from .test_export_review import check_golden
from .test_link import CORTICO, METHYLPRED, claim_document

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "md")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo corpus ingested as `make demo` does, with sources relative to the checkout
    (so golden files do not depend on where the repository lives)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        result = run(path, "ingest", "corpora")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_demo_corticosteroid_studies_match_their_golden_file(demo_db, fmt):
    result = run(demo_db, "studies", "--treatment", "corticosteroids", "--format", fmt)
    assert result.exit_code == 0, result.output
    check_golden(f"studies_corticosteroids.{fmt}", result.stdout)


def test_demo_reference_export_matches_its_golden_file(demo_db):
    result = run(demo_db, "export", "--format", "ris", "--treatment", "corticosteroids")
    assert result.exit_code == 0, result.output
    check_golden("export_corticosteroids.ris", result.stdout)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_one_row_per_study(demo_db, fmt):
    result = run(demo_db, "studies", "--treatment", "corticostéroïdes", "--format", fmt)
    assert result.exit_code == 0, result.output
    studies = json.loads(run(demo_db, "studies", "--treatment", "corticosteroids",
                             "--format", "json").stdout)  # fmt: skip
    assert studies
    for study in studies:
        assert study["citation"] in result.stdout or fmt == "table"
    if fmt in ("csv", "tsv"):
        rows = list(
            csv.DictReader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t")
        )
        assert [r["doc_id"] for r in rows] == [s["doc_id"] for s in studies]


def test_quotes_trace_back_to_their_offsets(demo_db):
    studies = json.loads(run(demo_db, "studies", "--topic", "bone pain", "--format", "json").stdout)
    assert studies
    db = open_db(demo_db)
    for study in studies:
        assert len({q["lang"] for q in study["quotes"]}) == len(study["quotes"])
        for quote in study["quotes"]:
            (text,) = db.execute(
                "SELECT text FROM documents WHERE id = ?", [quote["doc_id"]]
            ).fetchone()
            assert text[quote["start"] : quote["end"]] == quote["text"]
    db.close()


def test_xlsx_has_a_studies_sheet(demo_db, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "studies.xlsx"
    result = run(
        demo_db, "studies", "--treatment", "corticosteroids", "--format", "xlsx", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["studies"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "citation" and "doc_id" in header and "quotes" in header
    assert sheet[1][0].font.bold and sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give exactly one of --treatment or --topic"),
        (("--treatment", "x", "--topic", "y"), "give exactly one of --treatment or --topic"),
        (("--treatment", "nosuchdrug"), "unknown treatment 'nosuchdrug'"),
        (("--treatment", "corticosteroids", "--type", "bogus"), "'bogus' is not one of"),
        (("--treatment", "corticosteroids", "--format", "xlsx"), "write it to a file with -o"),
    ],
    ids=["no-subject", "two-subjects", "unknown-treatment", "unknown-type", "xlsx-to-terminal"],
)
def test_bad_requests_are_one_line(demo_db, args, message):
    result = run(demo_db, "studies", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error")]) == 1


def _pairs_db(tmp_path: Path) -> Path:
    """Two studies: one whose outcome pairs say per intervention, one with a sentence direction."""
    path = tmp_path / "pairs.db"
    db = open_db(path)
    mixed = claim_document(
        "mixed.txt",
        [("Methylprednisolone helped but corticosteroids did not.", "en", ("outcome",),
          "uncertain", [METHYLPRED, CORTICO])],
    )  # fmt: skip
    segment = mixed.segments[0]
    pairs = (OutcomePair("D008775", "improved"), OutcomePair("D000305", "not_improved"))
    assessment = replace(segment.assessment, outcomes=pairs, dose="30 mg/kg", route="IV")
    mixed = replace(mixed, segments=(replace(segment, assessment=assessment),))
    plain = claim_document(
        "plain.txt", [("Corticosteroids helped.", "en", ("outcome",), "improved", [CORTICO])]
    )
    write_document(db, mixed)
    write_document(db, plain)
    db.close()
    return path


def test_direction_per_intervention_comes_from_outcome_pairs_else_the_sentence(tmp_path):
    path = _pairs_db(tmp_path)
    result = run(path, "studies", "--treatment", "corticosteroids", "--format", "json")
    by_source = {s["source"]: s for s in json.loads(result.stdout)}
    assert by_source["mixed.txt"]["outcomes"] == [
        {"treatment": "corticosteroids", "directions": {"not_improved": 1}},
        {"treatment": "methylprednisolone", "directions": {"improved": 1}},
    ]
    assert by_source["plain.txt"]["outcomes"] == [
        {"treatment": "corticosteroids", "directions": {"improved": 1}}
    ]
    interventions = by_source["mixed.txt"]["interventions"]
    assert {"treatment": "methylprednisolone", "dose": "30 mg/kg", "route": "IV",
            "duration": None} in interventions  # fmt: skip


def test_no_matching_study_says_so(tmp_path):
    path = _pairs_db(tmp_path)
    result = run(path, "studies", "--treatment", "corticosteroids", "--lang", "fr")
    assert result.exit_code == 0
    assert "no study has claims matching this request" in result.stderr


def test_export_xlsx_has_claims_documents_and_studies_sheets(demo_db, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "claims.xlsx"
    result = run(demo_db, "export", "--format", "xlsx", "--treatment", "corticosteroids",
                 "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["claims", "documents", "studies"]
    studies = json.loads(run(demo_db, "studies", "--treatment", "corticosteroids",
                             "--format", "json").stdout)  # fmt: skip
    sheet = workbook["studies"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "citation" and sheet[1][0].font.bold and sheet.freeze_panes == "A2"
    doc_ids = [row[header.index("doc_id")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert doc_ids == [s["doc_id"] for s in studies]
