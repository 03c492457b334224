"""Lexicon commands and user lexicons merged over the built-in one, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    (entry,) = shown["concepts"]
    assert entry["label"] == "methylprednisolone"
    assert "D000305" in entry["parents"]  # corticosteroids
    assert "D000305" in shown["description"]  # ancestors named for the reader


def test_show_unknown_concept_is_one_clear_line():
    result = invoke("lexicon", "show", "nope:nothing")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: no concept with id or name 'nope:nothing' (see `litkit lexicon list`)"
    )


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


@pytest.mark.parametrize(
    ("name", "concept_id"),
    [("corticosteroids", "D000305"), ("corticostéroïdes", "D000305"), ("糖皮质激素", "D000305"),
     ("糖皮質激素", "D000305"), ("AINS", "D000894"), ("NSAIDs", "D000894"),
     ("méthylprednisolone", "D008775")],
    ids=["en", "fr", "zh-Hans", "zh-Hant", "fr-abbreviation", "en-abbreviation", "fr-accents"],
)  # fmt: skip
def test_show_takes_a_name_in_any_language(name, concept_id):
    result = invoke("lexicon", "show", name)
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["concepts"]] == [concept_id]


@pytest.mark.parametrize("name", ["D000305", "AINS", "糖皮质激素", "D008775"])
def test_show_output_is_a_lexicon_file_that_check_accepts(tmp_path, name):
    shown = invoke("lexicon", "show", name).stdout
    path = tmp_path / "mine.json"
    path.write_text(shown, "utf-8")
    result = invoke("lexicon", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"{path}: ok"
    data = json.loads(shown)
    assert all(isinstance(v, list) for v in data["concepts"][0]["synonyms"].values())


def test_show_output_loads_as_a_user_lexicon(tmp_path):
    data = json.loads(invoke("lexicon", "show", "D000305").stdout)
    data["concepts"][0]["synonyms"]["en"].append("cortisonoids")
    path = write(tmp_path, data)
    result = invoke("--lexicon", str(path), "lexicon", "show", "cortisonoids")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["concepts"][0]["id"] == "D000305"


def test_list_rejects_an_unknown_category():
    result = invoke("lexicon", "list", "--category", "bogus")
    assert result.exit_code == 2
    assert "'bogus' is not one of 'treatment', 'drug_class'" in result.stderr


@pytest.mark.parametrize(
    ("field", "name"),
    [("label", "corticosteroids"), ("synonyms", "glucocorticoïdes"), ("synonyms", "糖皮质激素")],
    ids=["label", "fr-synonym", "zh-synonym"],
)
def test_check_flags_a_new_id_for_a_built_in_concept(tmp_path, field, name):
    concept = {"id": "user:steroids", "category": "drug_class", "label": "my steroid group"}
    if field == "label":
        concept["label"] = name
    else:
        concept["synonyms"] = {"fr": [name]}
    path = write(tmp_path, {"concepts": [concept]})
    result = invoke("lexicon", "check", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "already built-in concept D000305 (corticosteroids)" in line and "user:steroids" in line


def test_check_accepts_a_new_concept_of_its_own(tmp_path):
    result = invoke("lexicon", "check", str(write(tmp_path, USER_LEXICON)))
    assert result.exit_code == 0, result.output
