"""Review exports: filters, links, every format byte-stable against golden files, safe cells.

Regenerate the golden files after an intended change with
`LITKIT_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_export_review.py` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from litkit.store import open_db, write_document

from .conftest import REPO, SCHEMAS
from .evidence_helpers import run
from .test_link import CORTICO, METHYLPRED, claim_document

GOLDEN = REPO / "tests" / "golden"
REGENERATE = os.environ.get("LITKIT_REGEN_GOLDEN") == "1"
HOSTILE = '=HYPERLINK("http://evil.example","click") corticosteroids helped'
TEXT_FORMATS = ("csv", "tsv", "md", "json", "jsonl")


def review_documents():
    return [
        replace(
            claim_document(
                "a/review.txt",
                [
                    (
                        "Methylprednisolone | IV led to\nremission.",
                        "en",
                        ("treatment", "outcome"),
                        "improved",
                        [METHYLPRED],
                    ),
                    (HOSTILE, "en", ("outcome",), "improved", [CORTICO]),
                    ("The MRI was normal.", "en", (), None, []),
                ],
            ),
            design="randomised_trial",
            patients=120,
            year=2019,
        ),
        claim_document(
            "b/zh.txt",
            [
                ("糖皮质激素治疗无效。", "zh", ("treatment", "outcome"), "not_improved", [CORTICO]),
                ("-1 patient relapsed", "en", ("outcome",), "uncertain", []),
            ],
        ),
    ]


@pytest.fixture
def review_db(tmp_path) -> Path:
    path = tmp_path / "review.db"
    db = open_db(path)
    for doc in review_documents():
        write_document(db, doc)
    db.close()
    return path


def export(db: Path, *args: str) -> str:
    result = run(db, "export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{name}: no golden file (run with LITKIT_REGEN_GOLDEN=1)"
    assert actual.encode("utf-8") == path.read_bytes(), f"{name} differs from golden"


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_every_text_format_matches_its_golden_file(review_db, fmt):
    check_golden(f"export.{fmt}", export(review_db, "--format", fmt))


def xlsx_rows(path: Path) -> list[list]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_matches_its_golden_cells(review_db, tmp_path):
    out = tmp_path / "claims.xlsx"
    export(review_db, "--format", "xlsx", "-o", str(out))
    check_golden(
        "export.xlsx.json", json.dumps(xlsx_rows(out), ensure_ascii=False, indent=1) + "\n"
    )


def test_formula_is_harmless_in_csv_and_xlsx(review_db, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(review_db, "--format", "csv"))))
    cell = next(r["text"] for r in rows if "HYPERLINK" in r["text"])
    assert cell == "'" + HOSTILE
    out = tmp_path / "claims.xlsx"
    export(review_db, "--format", "xlsx", "-o", str(out))
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.value == "'" + HOSTILE for c in cells)
    minus = [c for row in sheet.iter_rows() for c in row if str(c.value).endswith("relapsed")]
    assert minus[0].value == "'-1 patient relapsed"


def test_markdown_escapes_pipes_and_newlines(review_db):
    line = next(x for x in export(review_db, "--format", "md").splitlines() if "Methylpred" in x)
    assert "Methylprednisolone \\| IV led to<br>remission." in line


def test_json_records_validate_and_carry_links(review_db):
    segment = json.loads((SCHEMAS / "segment.schema.json").read_text("utf-8"))
    claim = json.loads((SCHEMAS / "claim.schema.json").read_text("utf-8"))
    registry = Registry().with_resource(segment["$id"], Resource.from_contents(segment))
    validator = jsonschema.Draft202012Validator(claim, registry=registry)
    records = json.loads(export(review_db, "--format", "json"))
    for record in records:
        validator.validate(record)
    methylpred = next(r for r in records if "methylprednisolone" in r["treatments"])
    zh = next(r for r in records if r["lang"] == "zh")
    assert {"kind": "conflicts", "claim_id": zh["id"], "score": 1.0} not in methylpred["links"]
    kinds = {(link["kind"], link["claim_id"]) for link in methylpred["links"]}
    assert ("same_concept", zh["id"]) in kinds and ("conflicts", zh["id"]) in kinds


def test_export_all_carries_links_for_every_sentence(review_db):
    records = [json.loads(x) for x in export(review_db, "--all").splitlines()]
    assert len(records) == 5
    assert all(isinstance(r["links"], list) for r in records)


@pytest.mark.parametrize(
    "args,expected",
    [
        (("--treatment", "corticostéroïdes"), 3),
        (("--treatment", "methylprednisolone"), 1),
        (("--type", "outcome"), 4),
        (("--treatment", "糖皮质激素", "--type", "treatment"), 2),
        (("--design", "randomised_trial"), 2),
        (("--design", "trial"), 2),
        (("--design", "cohort"), 2),
        (("--design", "case_report"), 0),
        (("--design", "cohort", "--design", "randomised_trial"), 4),
        (("--year", "2019"), 2),
        (("--year", "2015-2020"), 2),
        (("--year", "2000-2010"), 0),
        (("--design", "trial", "--treatment", "糖皮质激素"), 2),
    ],
    ids=[
        "class-fr",
        "drug",
        "type",
        "class-zh-and-type",
        "design",
        "coarse-design",
        "cohort",
        "no-design",
        "two-designs",
        "year",
        "year-range",
        "empty-year-range",
        "design-and-treatment",
    ],
)
def test_filters(review_db, args, expected):
    assert len(export(review_db, *args).splitlines()) == expected


def test_records_carry_design_patients_and_year(review_db):
    records = [json.loads(line) for line in export(review_db, "--all").splitlines()]
    facts = {(r["source"], r["design"], r["patients"], r["year"]) for r in records}
    assert facts == {
        ("a/review.txt", "randomised_trial", 120, 2019),
        ("b/zh.txt", "cohort", None, None),
    }


def test_bad_year_is_a_clear_error(review_db):
    result = run(review_db, "export", "--year", "last year")
    assert result.exit_code == 2 and "is not a year" in result.output
    assert "Traceback" not in result.output


def test_unknown_treatment_is_a_clear_error(review_db):
    result = run(review_db, "export", "--treatment", "pizza")
    assert result.exit_code == 1 and "unknown treatment" in result.output
