"""Output formats: every format parses back, spreadsheets are safe, Markdown tables hold."""

from __future__ import annotations

import csv
import io
import json

import pytest

from litkit.output import markdown_cell, neutralise_formula, output_formats, write_records

RECORDS = [
    {"id": "a", "text": "Les AINS | efficaces", "types": ["treatment"], "n": 3, "ok": True},
    {"id": "b", "text": "慢性非细菌性骨髓炎\nligne 2", "types": [], "n": None, "ok": False},
]


def render(fmt: str, records=RECORDS, columns=None) -> str:
    fp = io.StringIO()
    write_records(records, fmt, fp, columns)
    return fp.getvalue()


def test_json_round_trips():
    assert json.loads(render("json")) == RECORDS


def test_json_of_nothing_is_an_empty_array():
    assert json.loads(render("json", [])) == []


def test_jsonl_one_record_per_line():
    lines = render("jsonl").splitlines()
    assert [json.loads(line) for line in lines] == RECORDS


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_delimited_round_trips_with_lists_as_json(fmt, delimiter):
    rows = list(csv.DictReader(io.StringIO(render(fmt)), delimiter=delimiter))
    assert rows[0]["text"] == "Les AINS | efficaces"
    assert json.loads(rows[0]["types"]) == ["treatment"]
    assert rows[1]["n"] == ""
    assert rows[1]["ok"] == "false"


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)",
                                     "\tx", "\rx"])  # fmt: skip
def test_spreadsheet_formulas_are_neutralised(payload):
    rows = list(csv.DictReader(io.StringIO(render("csv", [{"text": payload}]))))
    assert rows[0]["text"] == "'" + payload
    assert neutralise_formula("plain") == "plain"


def test_numbers_are_not_neutralised():
    rows = list(csv.reader(io.StringIO(render("csv", [{"start": -1}]))))
    assert rows[1] == ["-1"]


def test_markdown_escapes_pipes_and_newlines():
    out = render("md")
    lines = out.splitlines()
    assert len(lines) == 4  # header, rule, two rows: the newline did not break the table
    assert "Les AINS \\| efficaces" in out
    assert "骨髓炎<br>ligne 2" in out
    assert markdown_cell("a|b\nc") == "a\\|b<br>c"


def test_table_aligns_columns_and_keeps_order():
    out = render("table", columns=["id", "n"])
    header, rule, first, second = out.splitlines()
    assert set(rule.replace(" ", "")) == {"-"}
    assert header.split() == ["id", "n"]
    assert first.split() == ["a", "3"]
    assert second.split() == ["b"]


def test_every_format_is_registered():
    for fmt in output_formats():
        assert render(fmt)


# Values that a spreadsheet would run as a formula, including the control characters it skips
# before looking and the full-width forms East Asian locales accept.
HOSTILE_CELLS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://example.invalid","click")',
    "＝1+1",
    "\x01=1+1",
    "\x1b=1+1",
    " =1+1",
]


@pytest.mark.parametrize("payload", HOSTILE_CELLS, ids=repr)
def test_no_xlsx_cell_is_ever_a_formula(tmp_path, payload):
    from openpyxl import load_workbook

    from litkit.output import write_xlsx

    path = tmp_path / "claims.xlsx"
    with path.open("wb") as fp:
        write_xlsx([{"text": payload, "quote": payload, "n": 3}], fp)
    sheet = load_workbook(path).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert all(not t.lstrip(" ").startswith(("=", "+", "-", "@", "＝")) for t in texts)
    assert sheet["C2"].value == 3  # numbers stay numbers


def test_markdown_output_escapes_raw_html():
    out = io.StringIO()
    write_records([{"text": '<img src=x onerror="alert(1)"> & <b>bold</b>'}], "md", out)
    assert "<img" not in out.getvalue() and "<b>" not in out.getvalue()
    assert "&lt;img src=x onerror=" in out.getvalue()


def test_summary_markdown_escapes_raw_html_from_documents():
    from litkit.summary_markdown import document_markdown

    hostile = "<script>alert(1)</script>"
    summary = {
        "document": {
            "title": f"Title {hostile}", "source": "page.html", "doi": None, "pmid": None,
            "journal": hostile, "year": 2020, "design": None, "patients": 3, "langs": ["en"],
        },
        "claims": 1,
        "claim_languages": {"en": 1},
        "treatments": [],
        "key_claims": {
            "outcome": [
                {"lang": "en", "text": f"Fever resolved {hostile}", "concepts": [],
                 "direction": "improved", "claim_id": "abc-0001", "citation": "Doe 2020"}
            ]
        },
    }  # fmt: skip
    text = document_markdown(summary)
    assert "<script>" not in text
    assert text.count("&lt;script&gt;") == 3


def test_xlsx_is_laid_out_for_people(tmp_path):
    from openpyxl import load_workbook

    from litkit.output import write_xlsx

    records = [
        {"id": f"d{i % 2}-000{i}", "doc_id": f"d{i % 2}", "source": f"doc{i % 2}.txt",
         "title": "A study", "doi": None, "year": 2020, "design": "trial",
         "treatments": ["pamidronate", "naproxen"], "text": "Pain resolved. " * 20}
        for i in range(5)
    ]  # fmt: skip
    path = tmp_path / "claims.xlsx"
    with path.open("wb") as fp:
        write_xlsx(records, fp)
    book = load_workbook(path)
    assert book.sheetnames == ["claims", "documents"]
    claims = book["claims"]
    header = [c.value for c in claims[1]]
    assert header[:2] == ["id", "text"]  # the quote comes early
    assert all(c.font.b for c in claims[1])
    assert claims.freeze_panes == "A2"
    assert claims.auto_filter.ref == f"A1:{claims.cell(1, len(header)).column_letter}6"
    assert claims.column_dimensions["B"].width >= 60
    assert claims["B2"].alignment.wrap_text
    assert claims.cell(2, header.index("treatments") + 1).value == "pamidronate; naproxen"
    assert claims.page_setup.orientation == "landscape"
    documents = [[c.value for c in row] for row in book["documents"].iter_rows()]
    assert documents[0][-1] == "records"
    assert [(row[0], row[-1]) for row in documents[1:]] == [("d0", 3), ("d1", 2)]
