"""A review team's corrections, kept apart from what litkit computes.

Reviewers exclude studies, fix a design, a year or a patient count, and overrule a claim's
types or its outcome pairs. Those decisions live in `curation_documents` and
`curation_segments` (migration 0010_curation), keyed by content ids (document id, sentence
id): litkit never writes them while ingesting or reindexing, and the same text always gets the
same ids, so a decision survives re-ingest and reindex. Every read command applies them when
it reads (`apply_to_record`, `EXCLUDED_DOCS_SQL`, `is_claim_sql`, `has_types_sql`), and each curated
record says which of its fields a person set (`curated`).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from .vocab import CLAIM_TYPES

DOCUMENT_FIELDS = ("excluded", "design", "year", "patients")
SEGMENT_FIELDS = ("types", "outcomes")
# Documents a reviewer excluded: every read command leaves them out.
EXCLUDED_DOCS_SQL = "SELECT doc_id FROM curation_documents WHERE excluded = 1"


# Sentences whose types a reviewer set; uncorrelated, so SQLite builds the set once per
# statement and each candidate sentence costs one lookup (a correlated subquery per sentence
# doubled the time of full-text queries with many hits, benchmarks/query_latency.py).
_CURATED_TYPES = "SELECT segment_id FROM curation_segments WHERE types IS NOT NULL"


def is_claim_sql(alias: str) -> str:
    """SQL true for a claim as the reviewers typed it: litkit's `is_claim` unless a reviewer
    set the sentence's types."""
    return (
        f"(({alias}.is_claim = 1 AND {alias}.id NOT IN ({_CURATED_TYPES}))"
        f" OR {alias}.id IN ({_CURATED_TYPES} AND types != '[]'))"
    )


def has_types_sql(alias: str, count: int) -> str:
    """SQL true for a sentence carrying any of `count` types (parameters given twice, see
    `has_types_params`), as the reviewers typed it."""
    marks = ",".join("?" * count)
    return (
        f"((EXISTS (SELECT 1 FROM json_each({alias}.types) WHERE value IN ({marks}))"
        f" AND {alias}.id NOT IN ({_CURATED_TYPES}))"
        f" OR {alias}.id IN (SELECT c.segment_id FROM curation_segments c, json_each(c.types) j"
        f" WHERE c.types IS NOT NULL AND j.value IN ({marks})))"
    )


def has_types_params(types: Sequence[str]) -> list[str]:
    """The parameters of `has_types_sql`."""
    return [*types, *types]


BATCH = 500


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def set_document(db: Database, doc_id: str, **fields: Any) -> None:
    """Record decisions about a document (`excluded`, `design`, `year`, `patients`); fields not
    given keep their earlier decision."""
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValueError(f"not a curated document field: {', '.join(sorted(unknown))}")
    columns = ["doc_id", *fields, "updated_at"]
    values = [doc_id, *fields.values(), _now()]
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*fields, "updated_at"])
    db.execute(
        f"INSERT INTO curation_documents ({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT (doc_id) DO UPDATE SET {updates}",
        values,
    )


def set_segment(db: Database, segment_id: str, doc_id: str, **fields: Any) -> None:
    """Record decisions about a sentence (`types`: claim types, `outcomes`: [{treatment,
    direction}]), stored as JSON; fields not given keep their earlier decision."""
    unknown = set(fields) - set(SEGMENT_FIELDS)
    if unknown:
        raise ValueError(f"not a curated sentence field: {', '.join(sorted(unknown))}")
    encoded = {k: json.dumps(v, ensure_ascii=False) for k, v in fields.items()}
    columns = ["segment_id", "doc_id", *encoded, "updated_at"]
    values = [segment_id, doc_id, *encoded.values(), _now()]
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*encoded, "updated_at"])
    db.execute(
        f"INSERT INTO curation_segments ({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT (segment_id) DO UPDATE SET {updates}",
        values,
    )


def _rows(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _by_ids(db: Database, table: str, key: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        found += _rows(
            db, f"SELECT * FROM {table} WHERE {key} IN ({','.join('?' * len(batch))})", batch
        )
    return found


def document_curation(db: Database, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The curated fields of these documents (only those a reviewer set)."""
    curated = {}
    for row in _by_ids(db, "curation_documents", "doc_id", doc_ids):
        fields = {k: row[k] for k in ("design", "year", "patients") if row[k] is not None}
        if row["excluded"]:
            fields["excluded"] = True
        curated[row["doc_id"]] = fields
    return curated


def segment_curation(db: Database, segment_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The curated fields of these sentences (`types`, `outcomes`), decoded."""
    return {
        row["segment_id"]: {k: json.loads(row[k]) for k in SEGMENT_FIELDS if row[k] is not None}
        for row in _by_ids(db, "curation_segments", "segment_id", segment_ids)
    }


def excluded_ids(db: Database) -> set[str]:
    """The documents a reviewer excluded."""
    return {row[0] for row in db.execute(EXCLUDED_DOCS_SQL)}


def summary_direction(outcomes: Sequence[dict[str, Any]]) -> str | None:
    """A sentence's direction from its outcome pairs: theirs when they agree, else uncertain."""
    directions = {pair["direction"] for pair in outcomes}
    if not directions:
        return None
    return directions.pop() if len(directions) == 1 else "uncertain"


def ordered_types(types: Iterable[str]) -> list[str]:
    """Claim types in the vocabulary's order, as litkit always reports them."""
    chosen = set(types)
    return [t for t in CLAIM_TYPES if t in chosen]


def apply_to_record(
    record: dict[str, Any], document: dict[str, Any] | None, segment: dict[str, Any] | None
) -> dict[str, Any]:
    """An export record with the reviewer's decisions applied and `curated` naming the fields
    they set (empty when none)."""
    curated: list[str] = []
    for name in ("design", "year"):
        if document and name in document:
            record[name] = document[name]
            curated.append(name)
    if segment and "types" in segment:
        record["types"] = ordered_types(segment["types"])
        curated.append("types")
    if segment and "outcomes" in segment:
        record["outcomes"] = segment["outcomes"]
        record["direction"] = summary_direction(segment["outcomes"])
        curated += ["outcomes", "direction"]
    record["curated"] = curated
    return record


def curation_list(db: Database) -> list[dict[str, Any]]:
    """Every decision, one row per curated field: documents first, then sentences, by id."""
    rows: list[dict[str, Any]] = []
    for row in _rows(db, "SELECT * FROM curation_documents ORDER BY doc_id"):
        for name in DOCUMENT_FIELDS:
            value = row[name]
            if name == "excluded":
                value = "excluded" if value else None
            if value is not None:
                rows.append(_listed("document", row["doc_id"], row, name, value))
    for row in _rows(db, "SELECT * FROM curation_segments ORDER BY segment_id"):
        for name in SEGMENT_FIELDS:
            if row[name] is not None:
                value = json.loads(row[name])
                rows.append(_listed("sentence", row["segment_id"], row, name, value))
    return rows


def _listed(kind: str, key: str, row: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    return {"kind": kind, "id": key, "doc_id": row["doc_id"], "field": name, "value": value,
            "updated_at": row["updated_at"]}  # fmt: skip
