"""Lexicon commands and user lexicons merged over the built-in one, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from litkit.cli import cli

USER_LEXICON = {
    "concepts": [
        {
            "id": "user:secukinumab-biosimilar",
            "category": "treatment",
            "label": "xyzumab",
            "synonyms": {"en": ["xyzumab"], "fr": ["xyzumab"], "zh-Hans": ["赛克单抗"]},
            "parents": ["D000894"],
        }
    ]
}


def write(tmp_path: Path, data: object, name: str = "mine.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_list_and_show(tmp_path):
    listed = invoke("lexicon", "list", "--category", "drug_class", "--format", "json")
    rows = json.loads(listed.stdout)
    assert rows and all(r["category"] == "drug_class" for r in rows)
    assert "nsaids" in {r["label"] for r in rows}
    shown = json.loads(invoke("lexicon", "show", "D008775").stdout)
    assert shown["label"] == "methylprednisolone"
    assert "D000305" in shown["ancestors"]  # corticosteroids


def test_show_unknown_concept_is_one_clear_line():
    result = invoke("lexicon", "show", "nope:nothing")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no concept with id nope:nothing"


def test_check_accepts_a_good_file_and_names_the_bad_entry(tmp_path):
    good = write(tmp_path, USER_LEXICON)
    assert invoke("lexicon", "check", str(good)).exit_code == 0
    broken = {"concepts": [USER_LEXICON["concepts"][0], {"id": "user:x", "label": "x"}]}
    result = invoke("lexicon", "check", str(write(tmp_path, broken, "bad.json")))
    assert result.exit_code == 1
    assert "bad.json" in result.output and "user:x" in result.output
    assert "category" in result.output


def test_user_lexicon_is_merged_at_ingest_and_query(tmp_path):
    lexicon = write(tmp_path, USER_LEXICON)
    article = tmp_path / "a.txt"
    article.write_text("Les patients ont été traités par xyzumab avec une rémission.", "utf-8")
    db = str(tmp_path / "a.db")
    base = ["--db", db, "--lexicon", str(lexicon)]
    assert invoke(*base, "ingest", str(article)).exit_code == 0
    records = [json.loads(x) for x in invoke(*base, "export", "--all").stdout.splitlines()]
    assert "xyzumab" in records[0]["treatments"]
    found = json.loads(invoke(*base, "query", "--concept", "D000894", "--format", "json").stdout)
    assert [r["id"] for r in found] == [records[0]["id"]]  # evidence about its parent class


def test_a_malformed_user_lexicon_stops_ingest_with_one_line(tmp_path):
    bad = write(tmp_path, {"concepts": [{"id": "user:x"}]}, "broken.json")
    article = tmp_path / "a.txt"
    article.write_text("Les AINS sont efficaces.", "utf-8")
    result = invoke("--db", str(tmp_path / "a.db"), "--lexicon", str(bad), "ingest", str(article))
    assert result.exit_code == 1
    assert "broken.json" in result.output
    assert "Traceback" not in result.output
