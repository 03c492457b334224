"""Older databases are upgraded on open with their data kept; newer ones are refused clearly."""

from __future__ import annotations

import sqlite3
from importlib import resources

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from litkit.cli import cli
from litkit.migrations import known_migrations, migrations
from litkit.plan import TableRows, document_row, mention_rows, segment_row
from litkit.store import insert_rows, open_db

from .conftest import make_document

FIRST, LATEST = known_migrations()[0], known_migrations()[-1]


def _store_baseline_rows(db: Database) -> str:
    """Write a document with the baseline tables only, as a litkit of that era would have."""
    doc = make_document()
    with db.conn:  # commit: a plain sqlite3 connection would roll back on close
        row = {**document_row(doc), "ingested_at": "2024-01-01T00:00:00+00:00"}
        columns = set(
            db["documents"].columns_dict
        )  # later migrations add columns (patients, citations)
        row = {k: v for k, v in row.items() if k in columns}
        insert_rows(db, TableRows.of("documents", [row]))
        baseline = set(db["segments"].columns_dict)  # later migrations add columns
        segments = [
            {k: v for k, v in segment_row(s).items() if k in baseline} for s in doc.segments
        ]
        insert_rows(db, TableRows.of("segments", segments))
        mentions = [m for s in doc.segments for m in mention_rows(s)]
        insert_rows(db, TableRows.of("mentions", mentions))
    return doc.id


def _applied(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]


@pytest.mark.skipif(len(known_migrations()) < 2, reason="only the baseline migration exists")
def test_database_stopped_before_the_latest_migration_is_upgraded_on_open(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before=known_migrations()[1])
    doc_id = _store_baseline_rows(old)
    old.close()
    assert _applied(path) == [FIRST]

    db = open_db(path)
    assert _applied(path) == known_migrations()
    assert db.execute("SELECT COUNT(*) FROM documents WHERE id = ?", [doc_id]).fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 2
    if "segment_concepts" in db.table_names():  # 0002 backfills the evidence index
        indexed = db.execute("SELECT COUNT(*) FROM segment_concepts WHERE doc_id = ?", [doc_id])
        assert indexed.fetchone()[0] > 0
    db.close()


def test_pre_migrations_database_is_adopted_with_its_data(tmp_path):
    path = tmp_path / "premigrations.db"
    sql = resources.files("litkit").joinpath("resources/schema/baseline.sql").read_text("utf-8")
    old = Database(path)
    old.executescript(sql)
    doc_id = _store_baseline_rows(old)
    old.close()

    db = open_db(path)
    assert _applied(path) == known_migrations()
    assert db.execute("SELECT id FROM documents").fetchall() == [(doc_id,)]
    db.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"documents": 1' in result.stdout


def test_database_before_study_facts_keeps_its_coarse_design_and_gains_patients(tmp_path):
    path = tmp_path / "before0008.db"
    old = Database(path)
    migrations.apply(old, stop_before="0008_study_facts")
    doc_id = _store_baseline_rows(old)  # conftest's document is a (coarse) "cohort"
    old.conn.execute("UPDATE documents SET design = 'trial'")
    old.conn.commit()
    old.close()

    db = open_db(path)
    assert "patients" in db["documents"].columns_dict
    row = db.execute("SELECT design, patients FROM documents WHERE id = ?", [doc_id]).fetchone()
    assert row == ("trial", None)
    db.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(path), "export", "--all", "--design", "trial"])
    assert result.exit_code == 0, result.output
    assert doc_id in result.stdout  # `--design trial` still finds the old coarse value


def test_reopening_an_up_to_date_database_applies_nothing(tmp_path):
    path = tmp_path / "x.db"
    open_db(path).close()
    open_db(path).close()
    assert _applied(path) == known_migrations()


def test_newer_schema_is_refused_with_one_line(tmp_path):
    path = tmp_path / "future.db"
    open_db(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('litkit', '9999_from_the_future', '2099-01-01')"
        )
    result = CliRunner().invoke(cli, ["--db", str(path), "stats"])
    assert result.exit_code == 1
    assert "newer than this litkit" in result.stderr and "9999_from_the_future" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
