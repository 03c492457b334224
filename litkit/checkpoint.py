"""Copy the write-ahead log back into the database beside the writer, never in its way.

In WAL mode a commit appends pages to the `-wal` file, and once the log is long enough the
committing connection copies them into the database and syncs the file (a checkpoint). During
a batch ingest that made every group commit wait for a sync and for ~10,000 page copies (0.4 ms
of wall time per document at 10k documents, benchmarks/writer_cost.py), and the single writer
is the one process an ingest cannot run twice. A `Checkpointer` runs the checkpoint on its own
connection in a thread instead: SQLite lets a checkpoint run while the writer writes, and the
sqlite3 module releases the GIL inside it. The writer keeps its own automatic checkpoint, at a
larger threshold, as a backstop should the thread fall behind, so the log stays bounded.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class Checkpointer:
    """A thread that runs a PASSIVE checkpoint of one database file whenever asked.

    PASSIVE: it copies what it can without waiting for readers or the writer, so it never
    blocks them and never fails for being busy; what it could not copy is copied next time."""

    def __init__(self, path: str | Path, *, busy_timeout_s: float = 5.0) -> None:
        self._conn = sqlite3.connect(
            str(path), timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        self._wanted = threading.Event()
        self._closing = False
        self.checkpoints = 0  # completed calls (for tests and benchmarks)
        self._thread = threading.Thread(target=self._run, name="litkit-checkpoint", daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Ask for a checkpoint soon (requests made while one runs become one more run)."""
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._closing:
                return
            try:
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.checkpoints += 1
            except sqlite3.Error:
                # A checkpoint that fails (disk full) only leaves pages in the log for the next
                # one, or for the writer's own backstop; a failing commit is reported by it.
                continue

    def close(self) -> None:
        """Finish the checkpoint under way (if any), stop the thread, close its connection."""
        self._closing = True
        self._wanted.set()
        self._thread.join()
        self._conn.close()


def database_file(conn: sqlite3.Connection) -> str | None:
    """The file behind a connection's main database; None in memory or for a temporary one."""
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None
