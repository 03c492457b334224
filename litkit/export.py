"""Read segments back as export records: one flat, citable record per sentence or claim.

The record shape is described by `schemas/segment.schema.json`. Records are produced document
by document in a fixed order (source, document id, position), so the same database gives
byte-identical exports whatever order or `--jobs` the documents were ingested with.
A record carries its cross-references (`links`), so a reviewer sees a claim's translation and
the claims of other articles that agree or conflict with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .citations import citation_of
from .curation import (
    EXCLUDED_DOCS_SQL,
    apply_to_record,
    document_curation,
    excluded_ids,
    has_types_params,
    has_types_sql,
    is_claim_sql,
    segment_curation,
)
from .lexicon import TREATMENT_CATEGORIES

DEFAULT_COLUMNS = (
    "id", "doc_id", "citation", "source", "title", "doi", "year", "design", "start", "end", "lang",
    "types", "treatments", "concept_ids", "negated", "hedged", "negated_spans", "hedged_spans",
    "direction", "outcomes", "dose", "route", "duration", "text", "curated", "links",
)  # fmt: skip
# What a record takes from its document (authors for the short citation).
DOCUMENT_COLUMNS = "id, source, title, doi, year, design, authors"
SQLITE_MAX_PARAMS = 500  # ids per IN (...) batch, well under SQLite's limit


@dataclass(frozen=True)
class ExportFilter:
    """Which segments to export; the defaults give every claim.

    `concept_ids` keeps sentences indexed under any of these concepts (mentioned or as an
    ancestor of a mentioned one); `types` keeps claims carrying any of these types.
    """

    all_segments: bool = False
    doc_id: str | None = None
    concept_ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def segment_record(
    segment: dict[str, Any],
    document: dict[str, Any],
    mentions: list[dict[str, Any]],
    links: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One export record from a segment row, its document row, its mentions and links."""
    concepts: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        concepts.setdefault(mention["id"], mention)
    return {
        "id": segment["id"],
        "doc_id": segment["doc_id"],
        # "Hofmann et al. 2016": the study as a text cites it; the full reference is the
        # document's row (`doc_id`), or `litkit export --format ris` of the same filter
        "citation": citation_of(document),
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
        "concept_ids": list(concepts),
        "concepts": list(concepts.values()),
        "negated": bool(segment["negated"]),
        "hedged": bool(segment["hedged"]),
        # [start, end) in the document's clean text: which words the flags are about
        "negated_spans": json.loads(segment["negated_spans"]),
        "hedged_spans": json.loads(segment["hedged_spans"]),
        "direction": segment["direction"],
        # what the sentence says per intervention: [{treatment (concept id), direction}]
        "outcomes": json.loads(segment["outcomes"]),
        "dose": segment["dose"],
        "route": segment["route"],
        "duration": segment["duration"],
        "cues": json.loads(segment["cues"]),
        "text": segment["text"],
        "curated": [],  # the fields a reviewer set (litkit.curation)
        "links": links or [],
    }


def _batches(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), SQLITE_MAX_PARAMS):
        yield list(ids[start : start + SQLITE_MAX_PARAMS])


def _rows(db: Database, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _grouped_by_segment(
    db: Database, select: str, order_by: str, segment_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Rows of `select` (whose first column is segment_id) for these segments, grouped by
    segment in `order_by` order; ids go in batches under SQLite's parameter limit."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for batch in _batches(segment_ids):
        marks = ",".join("?" * len(batch))
        cursor = db.execute(
            f"{select} WHERE segment_id IN ({marks}) ORDER BY segment_id, {order_by}", batch
        )
        columns = [c[0] for c in cursor.description][1:]
        for segment_id, *values in cursor:
            grouped.setdefault(segment_id, []).append(dict(zip(columns, values, strict=True)))
    return grouped


def _mentions_by_segment(db: Database, segment_ids: Sequence[str]) -> dict[str, list[dict]]:
    """`{id, label, category, surface}` concepts of each segment, in text order."""
    return _grouped_by_segment(
        db,
        "SELECT segment_id, concept_id AS id, label, category, surface FROM mentions",
        'start, "end", concept_id',
        segment_ids,
    )


def links_by_segment(db: Database, segment_ids: Sequence[str]) -> dict[str, list[dict]]:
    """`{kind, claim_id, score}` links of each segment: kind, then best score first."""
    return _grouped_by_segment(
        db,
        "SELECT segment_id, kind, other_id AS claim_id, score FROM links",
        "kind, score DESC, other_id",
        segment_ids,
    )


def _documents(db: Database, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for batch in _batches(sorted(set(doc_ids))):
        marks = ",".join("?" * len(batch))
        for row in _rows(
            db,
            f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id IN ({marks})",
            batch,
        ):
            found[row["id"]] = row
    return found


def build_records(db: Database, segments: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Export records of segment rows (any documents), in the order given, with the
    reviewers' decisions applied; the sentences of excluded documents are left out."""
    doc_curation = document_curation(db, [s["doc_id"] for s in segments])
    segments = [s for s in segments if not doc_curation.get(s["doc_id"], {}).get("excluded")]
    ids = [s["id"] for s in segments]
    documents = _documents(db, [s["doc_id"] for s in segments])
    mentions = _mentions_by_segment(db, ids)
    links = _without_excluded(db, links_by_segment(db, ids))
    curated = segment_curation(db, ids)
    return [
        apply_to_record(
            segment_record(
                s, documents[s["doc_id"]], mentions.get(s["id"], []), links.get(s["id"])
            ),
            doc_curation.get(s["doc_id"]),
            curated.get(s["id"]),
        )
        for s in segments
    ]


def _without_excluded(
    db: Database, links: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """Links without those to claims of excluded documents (a claim id starts with its
    document's id), so an excluded study is not reached through another one."""
    excluded = excluded_ids(db)
    if not excluded:
        return links
    return {
        segment_id: [link for link in found if link["claim_id"].rsplit("-", 1)[0] not in excluded]
        for segment_id, found in links.items()
    }


def records_for_segments(db: Database, segment_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Export records of these segments, in the order of the ids (for query results)."""
    rows: dict[str, dict[str, Any]] = {}
    for batch in _batches(segment_ids):
        marks = ",".join("?" * len(batch))
        for row in _rows(db, f"SELECT * FROM segments WHERE id IN ({marks})", batch):
            rows[row["id"]] = row
    return build_records(db, [rows[sid] for sid in segment_ids if sid in rows])


def iter_documents(db: Database, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Document rows (without their large text columns) in export order."""
    where = f"WHERE id NOT IN ({EXCLUDED_DOCS_SQL})"
    where, params = (f"{where} AND id = ?", [doc_id]) if doc_id else (where, [])
    yield from _rows(
        db,
        f"SELECT {DOCUMENT_COLUMNS} FROM documents {where} ORDER BY source, id",
        params,
    )


def filter_clause(where: ExportFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `segments` (aliased nothing) for the filter, with their parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if not where.all_segments:  # a claim as the reviewers typed it (litkit.curation)
        clauses.append(is_claim_sql("segments"))
    if where.concept_ids:
        marks = ",".join("?" * len(where.concept_ids))
        clauses.append(
            f"id IN (SELECT segment_id FROM segment_concepts WHERE concept_id IN ({marks}))"
        )
        params += list(where.concept_ids)
    if where.types:
        clauses.append(has_types_sql("segments", len(where.types)))
        params += has_types_params(where.types)
    return "".join(f" AND {c}" for c in clauses), params


def export_records(db: Database, where: ExportFilter = ExportFilter()) -> Iterator[dict[str, Any]]:
    """Every claim (or every segment with `all_segments`) as export records, in a fixed order."""
    clause, params = filter_clause(where)
    for document in iter_documents(db, where.doc_id):
        segments = _rows(
            db,
            f"SELECT * FROM segments WHERE doc_id = ?{clause} ORDER BY idx",
            [document["id"], *params],
        )
        if segments:
            yield from build_records(db, segments)
