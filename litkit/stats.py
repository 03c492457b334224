"""Corpus counts for `litkit stats` and `make demo`: documents, sentences, claims per language."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def corpus_stats(db: Database) -> list[dict[str, Any]]:
    """One row per sentence language plus an `all` row: documents, sentences, claims."""
    docs_by_lang = dict(db.execute("SELECT lang, count(*) FROM documents GROUP BY lang").fetchall())
    rows = []
    for lang, segments, claims in db.execute(
        "SELECT lang, count(*), sum(is_claim) FROM segments GROUP BY lang ORDER BY lang"
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
        "SELECT (SELECT count(*) FROM documents), count(*), coalesce(sum(is_claim), 0)"
        " FROM segments"
    ).fetchone()
    rows.append({"lang": "all", "documents": documents, "sentences": segments, "claims": claims})
    return rows
