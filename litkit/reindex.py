"""`litkit reindex`: process stored documents again with the current lexicon and rules.

Everything litkit derives from a document (sentences, languages, concepts, claims, outcome
pairs, roles, study facts, claim profiles, translation links, full-text index) is computed
again from the text stored as read (`documents.original`) and its metadata, for every document
whose `rules_version` is not the current one (`litkit.version`). One document per transaction,
so a kill loses at most the document being written, and running the command again resumes:
the documents already done carry the current version and are not selected again. With
`--jobs N` the pipeline runs in N worker processes and the single writer only stores.

The block roles a reader took from the format (HTML headings, JATS captions, PDF layout) are
not stored apart from the sentences: for documents that are not plain text, the roles of the
stored sentences are given back to the pipeline as the reader's roles.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

from sqlite_utils import Database

from . import ingest
from .errors import LitkitError
from .lexicon import Lexicon
from .models import CleanText, DocumentMeta, ParsedText
from .plan import plan_parsed
from .store import WritePlan, delete_document, write_plan, write_transaction
from .version import rules_version

PLAIN_TEXT = frozenset({"text/plain", "text/markdown"})
WINDOW_PER_JOB = 16  # documents in flight per worker: their text is held in memory meanwhile
_META_FIELDS = tuple(f.name for f in fields(DocumentMeta))


@dataclass(frozen=True)
class StoredText:
    """What the pipeline needs of a stored document to process it again (picklable)."""

    doc_id: str
    source: str
    parsed: ParsedText


@dataclass(frozen=True)
class ReindexOutcome:
    source: str
    status: str  # "reindexed" | "skipped" (done meanwhile) | "failed"
    reason: str | None = None


def stale_documents(db: Database, version: str) -> list[str]:
    """Ids of the documents processed with another version, in ingest order."""
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM documents WHERE rules_version IS NULL OR rules_version <> ?"
            " ORDER BY rowid",
            [version],
        )
    ]


def count_stale(db: Database, version: str) -> int:
    """How many stored documents were processed with another version (an indexed count)."""
    return db.execute(
        "SELECT count(*) FROM documents"
        " WHERE rules_version IS NULL OR rules_version < ? OR rules_version > ?",
        [version, version],
    ).fetchone()[0]


def stored_text(db: Database, doc_id: str) -> StoredText:
    """The stored text, metadata and (for formatted sources) sentence roles of a document."""
    cursor = db.execute("SELECT * FROM documents WHERE id = ?", [doc_id])
    names = [c[0] for c in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    meta = DocumentMeta(
        **{  # type: ignore[arg-type]  # each field gets its stored value
            name: tuple(json.loads(row[name])) if isinstance(default, tuple) else row.get(name)
            for name, default in zip(_META_FIELDS, _meta_defaults(), strict=True)
        }
    )
    roles: tuple[tuple[int, int, str], ...] = ()
    if row["media_type"] not in PLAIN_TEXT:
        clean = CleanText(
            row["text"], row["original"], tuple(tuple(p) for p in json.loads(row["offset_map"]))
        )
        roles = tuple(
            (clean.to_original(start), clean.to_original(end), role)
            for start, end, role in db.execute(
                "SELECT start, \"end\", role FROM segments WHERE doc_id = ? AND role <> 'body'"
                " ORDER BY idx",
                [doc_id],
            )
        )
    parsed = ParsedText(
        text=row["original"],
        meta=meta,
        media_type=row["media_type"],
        encoding=row["encoding"],
        roles=roles,
    )
    return StoredText(doc_id, row["source"], parsed)


def _meta_defaults() -> tuple[Any, ...]:
    empty = DocumentMeta()
    return tuple(getattr(empty, name) for name in _META_FIELDS)


def plan_stored(item: StoredText, lexicon: Lexicon) -> WritePlan | str:
    """The write plan of a stored document processed again, or why it cannot be."""
    try:
        return plan_parsed(item.parsed, item.source, lexicon)  # window by window, as ingest
    except LitkitError as error:
        return str(error)
    except Exception as error:
        return f"cannot process it again ({type(error).__name__}: {error})"


def _plan_in_worker(item: StoredText) -> WritePlan | str:
    lexicon = ingest._worker_lexicon
    assert lexicon is not None  # set by the pool's initializer
    return plan_stored(item, lexicon)


def store_reindexed(db: Database, item: StoredText, plan: WritePlan, lexicon: Lexicon) -> str:
    """Store a document processed again, in its own transaction. Cleaning rules that changed
    its clean text change its id: the old document is then replaced by the new one."""
    with write_transaction(db):
        if plan.doc_id != item.doc_id:
            sources = [
                row[0]
                for row in db.execute(
                    "SELECT source FROM document_sources WHERE doc_id = ? ORDER BY source",
                    [item.doc_id],
                )
            ]
            delete_document(db, item.doc_id)
            status = write_plan(db, plan, lexicon, sources)
        else:
            status = write_plan(db, plan, lexicon)
    return "skipped" if status == "skipped" else "reindexed"


def reindex(
    db: Database,
    lexicon: Lexicon,
    lexicon_paths: Sequence[str] = (),
    *,
    jobs: int = 1,
    on_outcome: Callable[[ReindexOutcome], None] | None = None,
) -> list[ReindexOutcome]:
    """Process again every stored document whose rules version is not `lexicon_paths`'s."""
    version = rules_version(lexicon_paths)
    outcomes = []
    for item, plan in _plans(db, stale_documents(db, version), lexicon, lexicon_paths, jobs):
        if isinstance(plan, str):
            outcome = ReindexOutcome(item.source, "failed", plan)
        else:
            outcome = ReindexOutcome(item.source, store_reindexed(db, item, plan, lexicon))
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _plans(
    db: Database, doc_ids: list[str], lexicon: Lexicon, lexicon_paths: Sequence[str], jobs: int
) -> Iterator[tuple[StoredText, WritePlan | str]]:
    """(stored text, plan) of each document, in order; planned by `jobs` workers when > 1,
    a window of documents at a time so that memory stays bounded."""
    if jobs <= 1:
        for doc_id in doc_ids:
            item = stored_text(db, doc_id)
            yield item, plan_stored(item, lexicon)
        return
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=ingest._init_worker,
        initargs=(tuple(lexicon_paths), os.getpid()),
    ) as pool:
        window = WINDOW_PER_JOB * jobs
        for start in range(0, len(doc_ids), window):
            items = [stored_text(db, doc_id) for doc_id in doc_ids[start : start + window]]
            yield from zip(items, pool.map(_plan_in_worker, items), strict=True)
