"""Storage: migrations, refusal of newer schemas, idempotent and atomic writes."""

from __future__ import annotations

import json

import pytest

from litkit import store
from litkit.errors import SchemaVersionError
from litkit.migrations import MIGRATION_SET, known_migrations
from litkit.store import DocumentBatch, open_db, write_document

from .conftest import make_document


def counts(db):
    return {t: db[t].count for t in ("documents", "segments", "mentions")}


def test_fresh_database_has_schema_and_records_migrations(db):
    assert {"documents", "segments", "mentions"} <= set(db.table_names())
    assert "claims" in db.view_names()
    applied = [r["name"] for r in db["_sqlite_migrations"].rows]
    assert applied == known_migrations()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_write_is_idempotent(db):
    doc = make_document()
    assert write_document(db, doc) == "ingested"
    before = counts(db)
    assert write_document(db, doc) == "skipped"
    assert counts(db) == before == {"documents": 1, "segments": 2, "mentions": 1}


def test_rows_come_from_the_dataclasses(db):
    doc = make_document()
    write_document(db, doc)
    row = db["documents"].get(doc.id)
    assert row["title"] == doc.meta.title == "x.txt"
    assert row["design"] == "cohort"
    assert json.loads(row["langs"]) == ["fr"]
    assert json.loads(row["offset_map"]) == [[0, 0]]
    segment = db.execute("SELECT * FROM claims").fetchall()
    assert len(segment) == 1


def test_failure_mid_document_leaves_nothing(db, monkeypatch):
    def explode(*args):
        raise RuntimeError("crash after rows were inserted, while linking")

    monkeypatch.setattr(store, "index_document", explode)
    with pytest.raises(RuntimeError):
        write_document(db, make_document())
    assert counts(db) == {"documents": 0, "segments": 0, "mentions": 0}


def test_a_failing_document_in_a_batch_rolls_back_alone(db, monkeypatch):
    real = store.index_document
    good, bad, last = (
        make_document(f"Les AINS sont efficaces {n}. Aucune rechute.") for n in "abc"
    )

    def explode_on_bad(database, doc_id, *args):
        if doc_id == bad.id:
            raise RuntimeError("crash while linking one document of the group")
        real(database, doc_id, *args)

    monkeypatch.setattr(store, "index_document", explode_on_bad)
    with DocumentBatch(db) as batch:
        assert batch.write(good) == "ingested"
        with pytest.raises(RuntimeError):
            batch.write(bad)
        assert batch.write(last) == "ingested"
        assert batch.write(good) == "skipped"  # sees the uncommitted documents of its group
    stored = {row[0] for row in db.execute("SELECT id FROM documents")}
    assert stored == {good.id, last.id}
    assert counts(db) == {"documents": 2, "segments": 4, "mentions": 2}
    assert not db.execute("SELECT 1 FROM segments WHERE doc_id = ?", [bad.id]).fetchone()


def test_a_group_that_cannot_be_written_again_is_dropped_with_a_clear_error(db, monkeypatch):
    real = store.index_document
    first, bad = make_document(), make_document("Le MTX est efficace. Aucune rechute.")
    calls = {first.id: 0}

    def fail_bad_then_first_on_rewrite(database, doc_id, *args):
        if doc_id == bad.id:
            raise RuntimeError("crash while linking one document of the group")
        calls[doc_id] += 1
        if calls[doc_id] > 1:  # the disk filled up between the two writes
            raise OSError("disk full")
        real(database, doc_id, *args)

    monkeypatch.setattr(store, "index_document", fail_bad_then_first_on_rewrite)
    batch = DocumentBatch(db)
    batch.write(first)
    with pytest.raises(OSError, match="disk full"):
        batch.write(bad)
    assert batch.broken
    assert not db.conn.in_transaction
    assert counts(db) == {"documents": 0, "segments": 0, "mentions": 0}


def test_an_exception_drops_the_uncommitted_group_whole(db):
    first, second = make_document(), make_document("Le MTX est efficace. Aucune rechute.")
    with DocumentBatch(db) as batch:
        batch.write(first)
        batch.commit()
    with pytest.raises(KeyboardInterrupt), DocumentBatch(db) as batch:
        batch.write(second)
        raise KeyboardInterrupt
    assert {row[0] for row in db.execute("SELECT id FROM documents")} == {first.id}


def test_a_batch_is_due_after_max_docs(db):
    batch = DocumentBatch(db, max_docs=2, max_seconds=3600)
    assert not batch.due()
    batch.write(make_document())
    assert not batch.due()
    batch.write(make_document("Le MTX est efficace. Aucune rechute."))
    assert batch.due()
    batch.commit()
    assert not batch.due() and not db.conn.in_transaction


def test_a_batch_is_due_when_its_documents_hold_max_chars_of_text(db):
    batch = DocumentBatch(db, max_docs=100, max_seconds=3600, max_chars=60)
    first = make_document()
    batch.write(first)
    assert len(first.text) < 60 and not batch.due()
    batch.write(make_document("Le MTX est efficace chez ces patients. Aucune rechute."))
    assert batch.due()  # the group now holds more text than max_chars: commit it
    batch.commit()


def test_reopen_applies_nothing_twice(db_path):
    open_db(db_path).close()
    db = open_db(db_path)
    names = [r["name"] for r in db["_sqlite_migrations"].rows]
    assert len(names) == len(set(names))


def test_newer_schema_is_refused(db_path):
    db = open_db(db_path)
    db["_sqlite_migrations"].insert(
        {"migration_set": MIGRATION_SET, "name": "9999_from_the_future", "applied_at": "x"}
    )
    db.close()
    with pytest.raises(SchemaVersionError, match="newer than this litkit"):
        open_db(db_path)
