"""Migration 0014: mentions kept in one B-tree keyed by sentence, with their rows, and every
reader (a sentence's mentions, a document's, the `evidence` view) finding them."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from litkit.lexicon import default_lexicon
from litkit.link.index import _plan_stored
from litkit.link.sentences import load_sentences
from litkit.migrations import migrations
from litkit.plan import TableRows, document_row, mention_rows, segment_row
from litkit.store import delete_document, insert_rows, open_db, write_document, write_transaction

from .conftest import make_document


def _old_database(path) -> tuple[str, list[dict]]:
    """A database before 0014 holding one document with its sentences and mentions."""
    old = Database(path)
    migrations.apply(old, stop_before="0014_mentions_by_sentence")
    doc = make_document()
    mentions = [m for s in doc.segments for m in mention_rows(s)]
    with old.conn:
        row = {**document_row(doc), "ingested_at": "2024-01-01T00:00:00+00:00"}
        columns = set(old["documents"].columns_dict)
        insert_rows(
            old, TableRows.of("documents", [{k: v for k, v in row.items() if k in columns}])
        )
        insert_rows(old, TableRows.of("segments", [segment_row(s) for s in doc.segments]))
        insert_rows(old, TableRows.of("mentions", mentions))
    old.close()
    assert mentions
    return doc.id, mentions


def test_upgrade_keeps_every_mention_in_one_b_tree(tmp_path):
    _, mentions = _old_database(tmp_path / "old.db")
    db = open_db(tmp_path / "old.db")
    stored = db.execute("SELECT * FROM mentions ORDER BY segment_id, id").fetchall()
    columns = [c[1] for c in db.execute("PRAGMA table_info(mentions)")]
    assert columns == [  # the baseline's columns, in its order
        "id", "segment_id", "doc_id", "concept_id", "label", "category", "surface", "start", "end"
    ]  # fmt: skip
    assert sorted(map(tuple, stored)) == sorted(tuple(m[c] for c in columns) for m in mentions)
    indexes = db.execute("PRAGMA index_list(mentions)").fetchall()
    assert [row[3] for row in indexes] == ["pk"]  # the key itself, no other index
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'mentions'").fetchone()[0]
    assert "WITHOUT ROWID" in sql.upper()
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # the evidence view still reads mentions
    assert db.execute("SELECT count(*) FROM evidence").fetchone()[0] >= 0


@pytest.fixture
def stored(tmp_path):
    db = open_db(tmp_path / "new.db")
    doc = make_document()
    write_document(db, doc)
    return db, doc


def test_a_documents_mentions_are_read_by_its_sentence_range(stored):
    db, doc = stored
    expected = {(s.id, m.concept_id) for s in doc.segments for m in s.mentions}
    found = {(s.id, c) for s in load_sentences(db, doc.id) for c in s.concepts}
    assert found == expected
    planned = {row[0] for row in _plan_stored(db, doc.id, default_lexicon()).concept_rows}
    assert {c for _, c in expected} <= planned


def test_deleting_a_document_takes_its_mentions_only(stored):
    db, doc = stored
    other = make_document(text="Les AINS ont soulagé la douleur. Pas de rechute.")
    write_document(db, other)
    before = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    own = sum(len(s.mentions) for s in doc.segments)
    with write_transaction(db):
        delete_document(db, doc.id)
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == before - own
    left = {row[0] for row in db.execute("SELECT DISTINCT doc_id FROM mentions")}
    assert left == {other.id}
