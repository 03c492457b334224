"""The command line end to end: ingest, export, stats, eval, explain, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from litkit.cli import cli

from .conftest import CORPORA, SCHEMAS

SEGMENT_SCHEMA = json.loads((SCHEMAS / "segment.schema.json").read_text("utf-8"))


def schema_validator(schema: dict) -> jsonschema.protocols.Validator:
    """What `jsonschema.validate` builds on every call (checking the schema itself each time,
    ~40 ms), built once: validating hundreds of records then takes milliseconds."""
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


SEGMENT_VALIDATOR = schema_validator(SEGMENT_SCHEMA)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, db: Path, *args: str, input: bytes | str | None = None):
    return runner.invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPORA / "cno", folder)
    return folder


def test_ingest_corpus_then_reingest_changes_nothing(runner, tmp_path, corpus):
    db = tmp_path / "a.db"
    first = run(runner, db, "ingest", str(corpus))
    assert first.exit_code == 0, first.output
    assert "total: 2 ingested, 0 skipped, 0 failed" in first.stderr
    stats_before = run(runner, db, "stats", "--format", "json").stdout
    second = run(runner, db, "ingest", str(corpus))
    assert "total: 0 ingested, 2 skipped, 0 failed" in second.stderr
    assert "(already present)" in second.stderr
    assert run(runner, db, "stats", "--format", "json").stdout == stats_before


def test_stats_counts_languages(runner, tmp_path, corpus):
    db = tmp_path / "a.db"
    run(runner, db, "ingest", str(corpus))
    rows = json.loads(run(runner, db, "stats", "--format", "json").stdout)
    by_lang = {row["lang"]: row for row in rows}
    assert by_lang["all"]["documents"] == 2
    assert {"fr", "en", "zh"} <= set(by_lang)
    assert sum(r["sentences"] for r in rows if r["lang"] != "all") == by_lang["all"]["sentences"]


def test_bad_inputs_are_reported_and_the_rest_goes_in(runner, tmp_path, corpus):
    (corpus / "image.png").write_bytes(PNG)
    (corpus / "empty.txt").write_bytes(b"")
    db = tmp_path / "a.db"
    result = run(runner, db, "ingest", str(corpus), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 3
    assert any("image.png" in line for line in failed)
    assert any("empty.txt" in line for line in failed)
    assert any("missing.txt" in line for line in failed)
    assert "Traceback" not in result.output
    assert "total: 2 ingested, 0 skipped, 3 failed" in result.stderr


def test_stdin_is_a_source(runner, tmp_path):
    db = tmp_path / "a.db"
    text = "Les AINS sont le traitement de première ligne. Une rémission a été obtenue."
    result = run(runner, db, "ingest", "-", input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in run(runner, db, "export", "--all").stdout.splitlines()]
    assert records and all(r["source"] == "-" for r in records)


def test_db_option_reads_the_environment(runner, tmp_path, corpus, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("LITKIT_DB", str(db))
    result = runner.invoke(cli, ["ingest", str(corpus)], catch_exceptions=False)
    assert result.exit_code == 0
    assert db.exists()


def export(runner, db, *args) -> str:
    result = run(runner, db, "export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_export_all_records_match_the_schema_and_quote_the_text(runner, tmp_path, corpus):
    db = tmp_path / "a.db"
    run(runner, db, "ingest", str(corpus))
    records = [json.loads(line) for line in export(runner, db, "--all").splitlines()]
    assert len(records) > 20
    from litkit.store import open_db

    texts = {row["id"]: row["text"] for row in open_db(db)["documents"].rows}
    for record in records:
        SEGMENT_VALIDATOR.validate(record)
        assert texts[record["doc_id"]][record["start"] : record["end"]] == record["text"]
    claims = [json.loads(line) for line in export(runner, db).splitlines()]
    assert claims and all(c["types"] for c in claims)
    assert len(claims) < len(records)


def test_every_export_format(runner, tmp_path, corpus):
    db = tmp_path / "a.db"
    run(runner, db, "ingest", str(corpus))
    jsonl = [json.loads(line) for line in export(runner, db, "--all").splitlines()]
    assert json.loads(export(runner, db, "--all", "--format", "json")) == jsonl
    rows = list(csv.DictReader(io.StringIO(export(runner, db, "--all", "--format", "csv"))))
    assert [r["id"] for r in rows] == [r["id"] for r in jsonl]
    tsv = list(csv.DictReader(io.StringIO(export(runner, db, "--all", "--format", "tsv")),
                              delimiter="\t"))  # fmt: skip
    assert len(tsv) == len(jsonl)
    md = export(runner, db, "--all", "--format", "md").splitlines()
    assert len(md) == len(jsonl) + 2
    out = tmp_path / "claims.csv"
    run(runner, db, "export", "--format", "csv", "-o", str(out))
    assert out.read_text("utf-8").startswith("id,doc_id,citation,source")


def test_exports_are_byte_identical_across_runs_and_jobs(runner, tmp_path, corpus):
    outputs = []
    for name, jobs in (("one.db", "1"), ("two.db", "2")):
        db = tmp_path / name
        run(runner, db, "ingest", "--jobs", jobs, str(corpus))
        outputs.append(export(runner, db, "--all", "--format", "csv"))
    assert outputs[0] == outputs[1]


def test_explain_shows_cues(runner, tmp_path, corpus):
    db = tmp_path / "a.db"
    run(runner, db, "ingest", str(corpus))
    claim = json.loads(export(runner, db).splitlines()[0])
    result = run(runner, db, "explain", claim["id"])
    assert json.loads(result.stdout)["cues"] == claim["cues"]
    missing = runner.invoke(cli, ["--db", str(db), "explain", "nope"])
    assert missing.exit_code == 1
    assert "no segment with id nope" in missing.output


def make_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    (gold / "texts").mkdir(parents=True)
    text = (
        "Traitement de l'OCMR\n"
        "Les AINS sont le traitement de première ligne. "
        "Les cultures étaient négatives.\n"
    )
    (gold / "texts" / "fr_doc.txt").write_text(text, "utf-8")
    rows = [
        {"text": "Traitement de l'OCMR", "types": [], "treatments": [], "negated": False},
        {
            "text": "Les AINS sont le traitement de première ligne.",
            "types": ["treatment"],
            "treatments": ["nsaids"],
            "negated": False,
        },
        {
            "text": "Les cultures étaient négatives.",
            "types": ["diagnosis"],
            "treatments": [],
            "negated": True,
        },
    ]
    lines = [json.dumps({"doc": "fr_doc.txt", "lang": "fr", **r}, ensure_ascii=False) for r in rows]
    (gold / "gold.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return gold


def test_eval_scores_a_gold_folder(runner, tmp_path):
    gold = make_gold(tmp_path)
    result = run(runner, tmp_path / "unused.db", "eval", str(gold), "--format", "json")
    assert result.exit_code == 0, result.output
    metrics = {(r["metric"], r["scope"]): r["value"] for r in json.loads(result.stdout)}
    assert metrics[("language_accuracy", "all")] == 1.0
    assert metrics[("segmentation", "all")] == 1.0
    assert metrics[("treatment_f1", "all")] == 1.0
    assert not (tmp_path / "unused.db").exists()


def test_eval_floors_fail_the_run(runner, tmp_path):
    gold = make_gold(tmp_path)
    errors_file = tmp_path / "errors.jsonl"
    result = runner.invoke(
        cli, ["eval", str(gold), "--min-macro-f1", "1.01", "--errors", str(errors_file)]
    )
    assert result.exit_code == 1
    assert "below floor: macro_f1" in result.output
    assert errors_file.exists()


def test_eval_refuses_a_folder_that_is_not_gold(runner, tmp_path):
    result = runner.invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a gold folder" in result.output


def test_large_batches_show_a_progress_bar_on_a_terminal(runner, tmp_path, monkeypatch):
    import litkit.cli

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(litkit.commands.ingest.PROGRESS_THRESHOLD):
        (folder / f"doc{i:02}.txt").write_text(f"Les AINS sont efficaces chez {i} patients.")
    (folder / "bad.png").write_bytes(PNG)
    monkeypatch.setattr(litkit.commands.ingest, "stderr_is_terminal", lambda: True)
    result = run(runner, tmp_path / "a.db", "ingest", str(folder))
    assert "ingesting" in result.stderr
    assert "ingested  " not in result.stderr  # the bar replaces per-document lines
    assert "failed    " in result.stderr and "bad.png" in result.stderr  # failures still listed
    assert f"total: {litkit.commands.ingest.PROGRESS_THRESHOLD} ingested" in result.stderr


def test_a_folder_twice_same_counts_bad_files_reported(runner, tmp_path):
    """The shipped corpus (not whatever sits beside the checkout) plus two bad files: the
    second ingest skips every document and reports the same failures."""
    from .conftest import CORPORA

    folder = tmp_path / "corpus"
    shutil.copytree(CORPORA, folder)
    (folder / "README.md").unlink()  # a folder's README is documentation, not a document
    n_texts = sum(1 for path in folder.rglob("*") if path.is_file())
    assert n_texts >= 2
    (folder / "zz_image.png").write_bytes(PNG)
    (folder / "zz_empty.txt").write_bytes(b"")
    db = tmp_path / "corpus.db"
    first = run(runner, db, "ingest", str(folder))
    assert first.exit_code == 1
    assert f"total: {n_texts} ingested, 0 skipped, 2 failed" in first.stderr
    stats = run(runner, db, "stats", "--format", "json").stdout
    second = run(runner, db, "ingest", str(folder))
    assert f"total: 0 ingested, {n_texts} skipped, 2 failed" in second.stderr
    assert run(runner, db, "stats", "--format", "json").stdout == stats


def test_eval_metric_names_are_unique(runner, tmp_path):
    result = run(runner, tmp_path / "x.db", "eval", str(make_gold(tmp_path)), "--format", "json")
    keys = [(r["metric"], r["scope"]) for r in json.loads(result.stdout)]
    assert len(keys) == len(set(keys))
    assert ("type_treatment_f1", "all") in keys and ("treatment_f1", "all") in keys
