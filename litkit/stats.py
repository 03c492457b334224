"""Corpus counts for `litkit stats` and `make demo`: documents, sentences, claims per language."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .curation import EXCLUDED_DOCS_SQL, is_claim_sql

# Documents a reviewer excluded are not counted, claims are counted as reviewers typed them
# (litkit.curation).
KEPT = f"doc_id NOT IN ({EXCLUDED_DOCS_SQL})"
IS_CLAIM = is_claim_sql("segments")


def corpus_stats(db: Database) -> list[dict[str, Any]]:
    """One row per sentence language plus an `all` row: documents, sentences, claims."""
    docs_by_lang = dict(
        db.execute(
            f"SELECT lang, count(*) FROM documents WHERE id NOT IN ({EXCLUDED_DOCS_SQL})"
            " GROUP BY lang"
        ).fetchall()
    )
    rows = []
    for lang, segments, claims in db.execute(
        f"SELECT lang, count(*), sum({IS_CLAIM}) FROM segments WHERE {KEPT}"
        " GROUP BY lang ORDER BY lang"
    ):
        rows.append(
            {
                "lang": lang,
                "documents": docs_by_lang.get(lang, 0),
                "sentences": segments,
                "claims": claims or 0,
            }
        )
    documents, segments, claims = db.execute(
        f"SELECT (SELECT count(*) FROM documents WHERE id NOT IN ({EXCLUDED_DOCS_SQL})),"
        f" count(*), coalesce(sum({IS_CLAIM}), 0) FROM segments WHERE {KEPT}"
    ).fetchone()
    rows.append({"lang": "all", "documents": documents, "sentences": segments, "claims": claims})
    return rows
