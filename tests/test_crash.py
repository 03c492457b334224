"""`kill -9` in the middle of a large ingest: every document is complete or absent, and a rerun
completes the batch without duplicates (documents written whole in committed groups; issue 6)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate

DOCS = 100
KILL_AFTER = 15  # documents stored before the kill


def ingest_command(db: Path, folder: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "litkit", "--db", str(db), "ingest", *extra, str(folder)]


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def assert_consistent(db: Path) -> int:
    """Integrity, foreign keys, and every document complete; returns the document count."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        incomplete = conn.execute(
            "SELECT id FROM documents d WHERE n_segments !="
            " (SELECT COUNT(*) FROM segments s WHERE s.doc_id = d.id)"
        ).fetchall()
        assert incomplete == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in ("segments", "mentions", "segment_concepts"):
            if table in tables:
                orphans = conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)"
                ).fetchone()[0]
                assert orphans == 0, f"{table} rows of an absent document"
        if "segment_concepts" in tables:  # the concept index is written with the document
            unindexed = conn.execute(
                "SELECT COUNT(DISTINCT m.doc_id) FROM mentions m WHERE NOT EXISTS"
                " (SELECT 1 FROM segment_concepts c WHERE c.doc_id = m.doc_id)"
            ).fetchone()[0]
            assert unindexed == 0
        if "links" in tables:
            dangling = conn.execute(
                "SELECT COUNT(*) FROM links WHERE segment_id NOT IN (SELECT id FROM segments)"
            ).fetchone()[0]
            assert dangling == 0
        duplicates = conn.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT source) FROM documents"
        ).fetchone()[0]
        assert duplicates == 0
        return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX kill -9")
def test_kill_9_mid_ingest_leaves_whole_documents_and_rerun_completes(tmp_path):
    folder = tmp_path / "corpus"
    generate(folder, DOCS)
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        ingest_command(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while stored(db) < KILL_AFTER and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed: raise DOCS"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    survivors = assert_consistent(db)
    assert KILL_AFTER <= survivors < DOCS

    rerun = subprocess.run(ingest_command(db, folder), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"total: {DOCS - survivors} ingested, {survivors} skipped, 0 failed" in rerun.stderr
    assert assert_consistent(db) == DOCS
