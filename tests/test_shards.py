"""JSONL shards: documents survive the round trip with their ids; `litkit load` merges them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.commands.scale import load
from litkit.errors import SourceError
from litkit.shards import (
    document_from_dict,
    document_to_dict,
    read_shard,
    result_line,
    shard_sources,
    write_shard,
)

from .conftest import claim_document, make_document
from .hostile import EN, FR, ZH

cli.add_command(load)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for name, text in {"en.txt": EN * 3, "fr.txt": FR * 3, "zh.txt": ZH * 3}.items():
        (folder / name).write_text(text, "utf-8")
    (folder / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return folder


def test_document_round_trip_is_exact():
    doc = make_document()
    assert document_from_dict(document_to_dict(doc)) == doc


def test_outcome_pairs_round_trip_as_records():
    doc = claim_document(
        "a.txt",
        [("Prednisolone led to remission.", "en", ("outcome",), "improved",
          [("D011239", "prednisolone", "treatment")])],
    )  # fmt: skip
    back = document_from_dict(json.loads(json.dumps(document_to_dict(doc))))
    assert back == doc
    assert back.segments[0].assessment.outcomes[0].treatment == "D011239"


@pytest.mark.parametrize("suffix", ["jsonl", "jsonl.gz"], ids=["plain", "gzip"])
def test_shard_round_trip_keeps_documents_and_errors(tmp_path, suffix):
    doc = make_document()
    error = SourceError("x.png", "not a text file")
    path = tmp_path / f"s.{suffix}"
    assert write_shard(path, [doc, error]) == 2
    back = list(read_shard(path))
    assert back[0] == doc
    assert (back[1].locator, back[1].reason) == ("x.png", "not a text file")


def test_shard_lines_are_deterministic():
    assert result_line(make_document()) == result_line(make_document())


def test_a_damaged_line_costs_that_line_only(tmp_path):
    path = tmp_path / "s.jsonl"
    write_shard(path, [make_document(), make_document("Une autre phrase. Et encore une.")])
    lines = path.read_text("utf-8").splitlines()
    path.write_text(lines[0] + "\n{not json\n" + lines[1] + "\n", "utf-8")
    back = list(read_shard(path))
    assert [type(item).__name__ for item in back] == ["Document", "SourceError", "Document"]
    assert back[1].locator == f"{path}:2"


def test_a_truncated_gzip_shard_is_reported_not_raised(tmp_path):
    path = tmp_path / "s.jsonl.gz"
    write_shard(path, [make_document()] * 50)
    path.write_bytes(path.read_bytes()[:-20])
    back = list(read_shard(path))
    assert isinstance(back[-1], SourceError)


def test_load_merges_shards_with_the_same_ids_as_ingest(tmp_path, sources):
    runner = CliRunner()
    direct, merged = tmp_path / "direct.db", tmp_path / "merged.db"
    runner.invoke(cli, ["--db", str(direct), "ingest", str(sources)])
    shard_a, shard_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    shard_sources([str(sources / "en.txt"), str(sources / "bad.png")], shard_a)
    shard_sources([str(sources / "fr.txt"), str(sources / "zh.txt")], shard_b, jobs=2)
    result = runner.invoke(cli, ["--db", str(merged), "load", str(shard_a), str(shard_b)])
    assert result.exit_code == 1  # the PNG's failure travelled through the shard
    assert "total: 3 ingested, 0 skipped, 1 failed" in result.stderr
    assert "bad.png" in result.stderr
    again = runner.invoke(cli, ["--db", str(merged), "load", str(shard_b)])
    assert "total: 0 ingested, 2 skipped, 0 failed" in again.stderr

    def ids(path: Path) -> list[tuple]:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT id, n_segments FROM documents ORDER BY id").fetchall()

    assert ids(merged) == ids(direct)
    exports = [
        runner.invoke(cli, ["--db", str(db), "export", "--all"]).stdout for db in (direct, merged)
    ]
    assert exports[0] == exports[1] and exports[0]


def test_load_of_a_missing_shard_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "load", "nope.jsonl"])
    assert result.exit_code == 1
    assert "nope.jsonl: cannot read shard" in result.stderr
    assert "Traceback" not in result.output
