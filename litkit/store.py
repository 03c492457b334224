"""The only module that writes to the database (the rows it writes are planned by `litkit.plan`).

Every document is written whole or not at all: `write_document` is one transaction
(`BEGIN IMMEDIATE`, so two writers queue on the busy timeout instead of deadlocking on a lock
upgrade). A batch ingest writes through a `DocumentBatch`: many documents per transaction, so
a kill loses at most the uncommitted group (never half a document), and the group commits every
`BATCH_MAX_DOCS` documents, `BATCH_MAX_CHARS` of text or `BATCH_MAX_SECONDS` (readers see
progress, another writer waits little, memory stays bounded). Grouping matters: the commit
(full-text index flush, B-tree pages of a dozen indexes) cost more than the rows of a small
document. A failing document still rolls back alone: the group is rolled back and its other
documents written again (see `DocumentBatch.write`). A document's id is the hash of its clean
text, so writing a document that is already there is a no-op reported as "skipped". WAL mode
lets readers work while a writer writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from sqlite_utils import Database

from .checkpoint import Checkpointer, database_file
from .lexicon import Lexicon, default_lexicon
from .link import (
    ConceptRow,
    LinkMemory,
    forget_profiles,
    index_document,
    stored_translation_keys,
)
from .migrations import upgrade
from .models import Document
from .plan import TableRows, WritePlan, _now, plan_write
from .search import FTS_TABLE, SearchRow

BUSY_TIMEOUT_S = 60.0
# Page cache per connection (KiB). Ids are content hashes, so every insert lands on a random
# page of each index; with SQLite's default 2 MB the writer re-read pages from the OS on every
# document once the database outgrew it, and the cost per document grew with the corpus.
CACHE_KIB = 64 * 1024
BATCH_MAX_DOCS = 256
BATCH_MAX_SECONDS = 1.0
# The open group's plans are kept until commit (to write them again if one document fails):
# this bounds their memory when documents are large (a plan holds a few copies of the text).
BATCH_MAX_CHARS = 20_000_000
# Pages in the write-ahead log before a writer copies them back into the database (SQLite's
# default is 1,000): each checkpoint syncs the file, and with the default a bulk ingest
# checkpointed after nearly every group commit.
WAL_AUTOCHECKPOINT_PAGES = 8000
# With a background checkpointer (`DocumentBatch(background_checkpoint=True)`) the writer's
# own automatic checkpoint is only a backstop, at this many times the usual threshold.
BACKSTOP_FACTOR = 4


def open_db(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) a litkit database, tuned for one writer and many readers."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    conn.execute("PRAGMA synchronous = NORMAL")
    # The per-document savepoint journal (and sorts) in memory, not in a temporary file: a
    # quarter of the insert cost of a batch ingest (benchmarks/ingest_throughput.py).
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    if migrate:
        with write_transaction(db):
            upgrade(db)
    return db


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """An immediate-mode transaction: take the write lock up front, roll back on any error."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def write_document(db: Database, doc: Document, lexicon: Lexicon | None = None) -> str:
    """Store a processed document in one transaction; returns "ingested" or "skipped".

    The transaction also indexes the document under its concepts and their ancestors in
    `lexicon` (the one the document was processed with; default: the built-in one) and links
    its claims to those already stored, so a kill leaves no document without its links."""
    lexicon = lexicon or default_lexicon()
    with write_transaction(db):
        return _write(db, plan_write(doc, lexicon), lexicon)


def _write(
    db: Database,
    plan: WritePlan,
    lexicon: Lexicon,
    known_concepts: set[ConceptRow] | None = None,
    memory: LinkMemory | None = None,
) -> str:
    """The rows, index entries and links of one document, inside the caller's transaction."""
    document = TableRows.of("documents", [{**plan.document, "ingested_at": _now()}])
    # A stored document (same content id) is skipped by the insert itself, not by a read
    # before it; only that conflict is ignored, a row breaking another constraint still fails.
    cursor = db.conn.execute(
        _insert_sql(document) + " ON CONFLICT (id) DO NOTHING", document.values[0]
    )
    record_source(db, plan.doc_id, plan.document["source"])
    search: Iterable[SearchRow] = plan.search_rows
    status, seq = "ingested", cursor.lastrowid
    if cursor.rowcount == 0:
        seq, version = db.conn.execute(
            "SELECT rowid, rules_version FROM documents WHERE id = ?", (plan.doc_id,)
        ).fetchone()
        if version == plan.document["rules_version"]:
            return "skipped"
        # Stored with other rules or another lexicon: processed again, in place.
        status, search = "reprocessed", replace_derived(db, plan, seq)
        if memory is not None:
            memory.clear()
    for table in plan.content:
        for rows in table.parts():  # a long document's rows, a window at a time
            insert_rows(db, rows)
    index_document(db, plan.doc_id, lexicon, plan.index, search, known_concepts, seq, memory)
    return status


def replace_derived(db: Database, plan: WritePlan, seq: int) -> Iterable[SearchRow]:
    """Delete what was derived from a stored document's text (sentences, mentions, outcome
    pairs, concept index, claim profiles, translation keys and links) and update its row from
    `plan`, which has the same id (the same clean text); returns the full-text rows still to
    insert (none when the sentences are unchanged: their rows stay). The document row itself
    stays: deleting it would check every table that refers to documents."""
    doc_id = plan.doc_id
    old = _delete_derived(db, doc_id, seq)
    conn = db.conn
    columns = [c for c in plan.document if c not in ("id", "source")]
    conn.execute(
        f"UPDATE documents SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
        [*(plan.document[c] for c in columns), doc_id],
    )
    new = [(row[0], row[4]) for row in plan.index.sentence_rows]
    if [tuple(row) for row in old] == new:
        return ()
    _delete_search_rows(db, [row[0] for row in old])
    return plan.search_rows


def _delete_search_rows(db: Database, segment_ids: Sequence[str]) -> None:
    """Full-text rows of these sentences (a scan: the index is keyed by its own rowid)."""
    if segment_ids:
        marks = ",".join("?" * len(segment_ids))
        db.conn.execute(f"DELETE FROM {FTS_TABLE} WHERE segment_id IN ({marks})", segment_ids)


def delete_document(db: Database, doc_id: str) -> None:
    """Delete a stored document and everything derived from it (`litkit reindex`, when new
    cleaning rules give its text another id); its curation, keyed by the old id, stays."""
    seq = db.conn.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    old = _delete_derived(db, doc_id, seq)
    _delete_search_rows(db, [row[0] for row in old])
    db.conn.execute("DELETE FROM document_sources WHERE doc_id = ?", (doc_id,))
    db.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def write_plan(db: Database, plan: WritePlan, lexicon: Lexicon, sources: Sequence[str] = ()) -> str:
    """Store a planned document inside the caller's transaction (`_write`), recording the
    other sources it is known by; returns "ingested", "reprocessed" or "skipped"."""
    status = _write(db, plan, lexicon)
    for source in sources:
        record_source(db, plan.doc_id, source)
    return status


def _delete_derived(db: Database, doc_id: str, seq: int) -> list[tuple[str, str]]:
    """Delete the rows derived from a stored document's text, but its full-text rows; returns
    the (id, text) of its sentences as they were."""
    first, after = f"{doc_id}-", f"{doc_id}."  # the document's sentence ids sort between
    conn = db.conn
    old = conn.execute(
        "SELECT id, text FROM segments WHERE doc_id = ? ORDER BY idx", (doc_id,)
    ).fetchall()
    forget_profiles(db, doc_id)
    for key in stored_translation_keys(db, doc_id):
        conn.execute("DELETE FROM translation_keys WHERE key = ? AND seq = ?", (key, seq))
    conn.execute("DELETE FROM translation_orders WHERE doc_id = ?", (doc_id,))
    reverse = conn.execute(
        "SELECT other_id, kind, segment_id FROM links WHERE segment_id > ? AND segment_id < ?",
        (first, after),
    ).fetchall()
    conn.execute("DELETE FROM links WHERE segment_id > ? AND segment_id < ?", (first, after))
    conn.executemany(
        "DELETE FROM links WHERE segment_id = ? AND kind = ? AND other_id = ?", reverse
    )
    conn.execute(
        "DELETE FROM segment_concepts WHERE segment_id > ? AND segment_id < ?", (first, after)
    )
    conn.execute(
        "DELETE FROM outcome_pairs WHERE segment_id > ? AND segment_id < ?", (first, after)
    )
    conn.execute("DELETE FROM mentions WHERE segment_id > ? AND segment_id < ?", (first, after))
    conn.execute("DELETE FROM segments WHERE doc_id = ?", (doc_id,))
    return old


def record_source(db: Database, doc_id: str, source: str) -> None:
    """Note that `doc_id` came from `source`: known content from a new source (stdin first,
    the file later) keeps one document found under both (migration 0009)."""
    db.conn.execute(
        "INSERT INTO document_sources(doc_id, source) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (doc_id, source),
    )


class DocumentBatch:
    """Several documents per transaction (see the module docstring).

    Use as a context manager: leaving it commits what is pending, an exception rolls the
    uncommitted group back. `write` returns a document's status; it is durable only once
    `commit` ran (`due` says when the group should be committed)."""

    def __init__(
        self,
        db: Database,
        lexicon: Lexicon | None = None,
        *,
        max_docs: int = BATCH_MAX_DOCS,
        max_seconds: float = BATCH_MAX_SECONDS,
        max_chars: int = BATCH_MAX_CHARS,
        background_checkpoint: bool = False,
    ) -> None:
        self.db = db
        self.lexicon = lexicon or default_lexicon()
        self.max_docs = max_docs
        self.max_seconds = max_seconds
        self.max_chars = max_chars
        self._started: float | None = None
        self._written: list[WritePlan] = []  # the open group
        self._written_chars = 0  # text characters in the open group (`due` reads it per document)
        # Concept rows stored by the open transaction: upserted once, not for every document.
        self._known_concepts: set[ConceptRow] = set()
        # What linking reads of stored documents (`litkit.link.LinkMemory`), kept across
        # groups while no other connection writes (`PRAGMA data_version` says when one did).
        self._memory = LinkMemory()
        self._data_version: int | None = None
        # Checkpoints in a thread (`litkit.checkpoint`), for a database file in WAL mode; only
        # as a context manager, which stops the thread on exit.
        self._background_checkpoint = background_checkpoint
        self.checkpointer: Checkpointer | None = None
        # Set when a failed group could not be written again: nothing more can be stored.
        self.broken = False

    def write(self, doc: Document | WritePlan) -> str:
        """Write one document into the open group; a failure undoes that document alone.

        `doc`: the document, or its write plan when an ingest worker computed it.

        Why no SAVEPOINT per document: inside a long transaction a savepoint journals every
        page a document touches, which cost more than the document's own rows (2 ms of 6 per
        document, benchmarks/ingest_throughput.py). Failures are rare, so the group is rolled
        back and its earlier documents written again instead (they are kept until commit)."""
        plan = doc if isinstance(doc, WritePlan) else plan_write(doc, self.lexicon)
        if self._started is None:
            self._begin()
        try:
            status = _write(self.db, plan, self.lexicon, self._known_concepts, self._memory)
        except Exception:
            self._rewrite_group()
            raise
        except BaseException:  # an interrupt: drop the group, never spend time rewriting it
            self.rollback()
            raise
        self._written.append(plan)
        self._written_chars += len(plan.document["text"])
        return status

    def _begin(self) -> None:
        self.db.conn.execute("BEGIN IMMEDIATE")
        self._started = time.monotonic()
        version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection committed: what we know is stale
            self._known_concepts.clear()
            self._memory.clear()
            self._data_version = version

    def _rewrite_group(self) -> None:
        """Roll back the group (with the half-written failing document) and write its earlier
        documents again. Raises if they cannot be: the database itself is failing (disk full)."""
        written = self._written
        self.rollback()
        if not written:
            return
        try:
            self._begin()
            for plan in written:
                _write(self.db, plan, self.lexicon, self._known_concepts, self._memory)
        except BaseException:
            # The database itself is failing (disk full, I/O error): the group is dropped and
            # the error is raised as it is, for the caller to stop the batch with one line.
            self.rollback()
            self.broken = True
            raise
        self._written = written
        self._written_chars = sum(len(plan.document["text"]) for plan in written)

    def age(self) -> float:
        """Seconds since the open group began (0 when none is open)."""
        return 0.0 if self._started is None else time.monotonic() - self._started

    def due(self) -> bool:
        """True when the open group is big or old enough to commit."""
        return self._started is not None and (
            len(self._written) >= self.max_docs
            or self._written_chars >= self.max_chars
            or time.monotonic() - self._started >= self.max_seconds
        )

    def commit(self) -> None:
        """Make every document written so far durable and release the write lock."""
        if self._started is not None:
            self.db.conn.execute("COMMIT")
            if self.checkpointer is not None:
                self.checkpointer.request()
        self._started, self._written, self._written_chars = None, [], 0

    def rollback(self) -> None:
        """Drop the uncommitted group (every document in it, each whole)."""
        if self._started is not None and self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")  # (SQLite may have rolled back itself: disk full)
        self._started, self._written, self._written_chars = None, [], 0
        self._known_concepts.clear()
        self._memory.clear()

    def __enter__(self) -> DocumentBatch:
        conn = self.db.conn
        path = database_file(conn)
        wal = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        if self._background_checkpoint and path and wal:
            self.checkpointer = Checkpointer(path, busy_timeout_s=BUSY_TIMEOUT_S)
            backstop = WAL_AUTOCHECKPOINT_PAGES * BACKSTOP_FACTOR
            conn.execute(f"PRAGMA wal_autocheckpoint = {backstop}")
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        try:
            if kind is None:
                self.commit()
            else:
                self.rollback()
        finally:
            if self.checkpointer is not None:
                self.checkpointer.close()
                self.checkpointer = None
                self.db.conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")


def insert_rows(db: Database, rows: TableRows) -> None:
    """One `executemany` for a table's rows: sqlite-utils' per-chunk type sniffing and SQL
    building cost more than the insert itself at ~20 rows per document."""
    if rows.values:
        db.conn.executemany(_insert_sql(rows), rows.values)


def _insert_sql(rows: TableRows) -> str:
    names = ", ".join(f'"{c}"' for c in rows.columns)
    marks = ", ".join("?" for _ in rows.columns)
    return f'INSERT INTO "{rows.table}" ({names}) VALUES ({marks})'
