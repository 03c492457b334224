"""Read segments back as export records: one flat, citable record per sentence or claim.

The record shape is described by `schemas/segment.schema.json`. Records are produced document
by document in a fixed order (source, document id, position), so the same database gives
byte-identical exports whatever order or `--jobs` the documents were ingested with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

TREATMENT_CATEGORIES = ("treatment", "drug_class")
DEFAULT_COLUMNS = (
    "id", "doc_id", "source", "title", "doi", "year", "design", "start", "end", "lang",
    "types", "treatments", "concepts", "negated", "hedged", "direction", "dose", "route",
    "duration", "text",
)  # fmt: skip


@dataclass(frozen=True)
class ExportFilter:
    """Which segments to export; the defaults give every claim."""

    all_segments: bool = False
    doc_id: str | None = None


def _mentions_by_segment(db: Database, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    rows = db.execute(
        "SELECT segment_id, concept_id, label, category, surface FROM mentions"
        ' WHERE doc_id = ? ORDER BY start, "end", concept_id',
        [doc_id],
    )
    for segment_id, concept_id, label, category, surface in rows:
        grouped.setdefault(segment_id, []).append(
            {"id": concept_id, "label": label, "category": category, "surface": surface}
        )
    return grouped


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def segment_record(
    segment: dict[str, Any], document: dict[str, Any], mentions: list[dict[str, Any]]
) -> dict[str, Any]:
    """One export record from a segment row, its document row and its mentions."""
    concepts: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        concepts.setdefault(mention["id"], mention)
    return {
        "id": segment["id"],
        "doc_id": segment["doc_id"],
        "source": document["source"],
        "title": document["title"],
        "doi": document["doi"],
        "year": document["year"],
        "design": document["design"],
        "start": segment["start"],
        "end": segment["end"],
        "lang": segment["lang"],
        "types": json.loads(segment["types"]),
        "treatments": _unique(
            [m["label"] for m in mentions if m["category"] in TREATMENT_CATEGORIES]
        ),
        "concepts": list(concepts.values()),
        "negated": bool(segment["negated"]),
        "hedged": bool(segment["hedged"]),
        "direction": segment["direction"],
        "dose": segment["dose"],
        "route": segment["route"],
        "duration": segment["duration"],
        "cues": json.loads(segment["cues"]),
        "text": segment["text"],
    }


def iter_documents(db: Database, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Document rows (without their large text columns) in export order."""
    where, params = ("WHERE id = ?", [doc_id]) if doc_id else ("", [])
    cursor = db.execute(
        f"SELECT id, source, title, doi, year, design FROM documents {where} ORDER BY source, id",
        params,
    )
    columns = [c[0] for c in cursor.description]
    for row in cursor.fetchall():
        yield dict(zip(columns, row, strict=True))


def export_records(db: Database, where: ExportFilter = ExportFilter()) -> Iterator[dict[str, Any]]:
    """Every claim (or every segment with `all_segments`) as export records, in a fixed order."""
    claim_clause = "" if where.all_segments else " AND is_claim = 1"
    for document in iter_documents(db, where.doc_id):
        mentions = _mentions_by_segment(db, document["id"])
        cursor = db.execute(
            f"SELECT * FROM segments WHERE doc_id = ?{claim_clause} ORDER BY idx",
            [document["id"]],
        )
        columns = [c[0] for c in cursor.description]
        for row in cursor:
            segment = dict(zip(columns, row, strict=True))
            yield segment_record(segment, document, mentions.get(segment["id"], []))
