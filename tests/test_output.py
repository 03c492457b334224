"""Output formats: every format parses back, spreadsheets are safe, Markdown tables hold."""

from __future__ import annotations

import csv
import io
import json

import pytest

from litkit.output import FORMATS, markdown_cell, neutralise_formula, write_records

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
    for fmt in FORMATS:
        assert render(fmt)
