"""The background checkpointer: the log is copied into the database file by its own thread."""

from __future__ import annotations

import shutil
import sqlite3
import time

from litkit import store
from litkit.store import DocumentBatch, open_db

from .conftest import make_document


def _documents_in_the_file_alone(db_path, tmp_path) -> int:
    """Documents readable from the database file without its `-wal`: the checkpointed ones."""
    copy = tmp_path / "file-only.db"
    shutil.copyfile(db_path, copy)
    with sqlite3.connect(copy) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def _autocheckpoint(db) -> int:
    return db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_a_batch_commit_is_checkpointed_by_the_thread_not_the_writer(db, db_path, tmp_path):
    with DocumentBatch(db, background_checkpoint=True) as batch:
        assert _autocheckpoint(db) == store.WAL_AUTOCHECKPOINT_PAGES * store.BACKSTOP_FACTOR
        batch.write(make_document())
        batch.commit()
        deadline = time.monotonic() + 10
        while batch.checkpointer.checkpoints < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert batch.checkpointer.checkpoints >= 1
        assert _documents_in_the_file_alone(db_path, tmp_path) == 1
        thread = batch.checkpointer._thread
    assert not thread.is_alive()  # stopped with the batch
    assert batch.checkpointer is None
    assert _autocheckpoint(db) == store.WAL_AUTOCHECKPOINT_PAGES  # the writer's own again


def test_without_the_option_the_writer_checkpoints_as_before(db):
    with DocumentBatch(db) as batch:
        batch.write(make_document())
        assert batch.checkpointer is None
        assert _autocheckpoint(db) == store.WAL_AUTOCHECKPOINT_PAGES


def test_an_in_memory_database_gets_no_checkpointer():
    db = open_db(":memory:")
    with DocumentBatch(db, background_checkpoint=True) as batch:
        batch.write(make_document())
        assert batch.checkpointer is None
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
