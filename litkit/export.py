"""Read segments back as export records: one flat, citable record per sentence or claim.

The record shape is described by `schemas/segment.schema.json`. Records are produced document
by document in a fixed order (source, document id, position), so the same database gives
byte-identical exports whatever order or `--jobs` the documents were ingested with.
A record carries its cross-references (`links`), so a reviewer sees a claim's translation and
the claims of other articles that agree or conflict with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
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
from .vocab import expand_designs
from .xref import KINDS, CrossReferences

DEFAULT_COLUMNS = (
    "id", "doc_id", "citation", "source", "title", "doi", "year", "design", "patients", "start",
    "end", "lang", "role", "types", "treatments", "concept_ids", "negated", "hedged",
    "negated_spans", "hedged_spans", "direction", "outcomes", "dose", "route", "duration",
    "text", "curated", "links", "link_counts",
)  # fmt: skip
# What a record takes from its document (authors for the short citation).
DOCUMENT_COLUMNS = "id, source, title, doi, year, design, patients, authors"
SQLITE_MAX_PARAMS = 500  # ids per IN (...) batch, well under SQLite's limit


@dataclass(frozen=True)
class ExportFilter:
    """Which segments to export; the defaults give every claim.

    `concept_ids` keeps sentences indexed under any of these concepts (mentioned or as an
    ancestor of a mentioned one); `types` keeps claims carrying any of these types; `designs`
    keeps documents of these designs (coarse groups expanded), `years` those published in
    that inclusive range.
    `direction` keeps outcome claims with a pair of that direction; with `pair_treatments`
    (the named treatments and their descendants) the pair must be about one of them.
    """

    all_segments: bool = False
    doc_id: str | None = None
    concept_ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    direction: str | None = None
    pair_treatments: tuple[str, ...] = ()


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def segment_record(
    segment: dict[str, Any],
    document: dict[str, Any],
    mentions: list[dict[str, Any]],
    links: list[dict[str, Any]] | None = None,
    link_counts: dict[str, int] | None = None,
) -> dict[str, Any]:
    """One export record from a segment row, its document row, its mentions and links (the
    best few of each kind) with the number of each kind (`link_counts`)."""
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
        "patients": document["patients"],
        "start": segment["start"],
        "end": segment["end"],
        "lang": segment["lang"],
        "role": segment["role"],
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
        "outcomes": outcome_records(segment.get("outcomes"), concepts),
        "dose": segment["dose"],
        "route": segment["route"],
        "duration": segment["duration"],
        "cues": json.loads(segment["cues"]),
        "text": segment["text"],
        "curated": [],  # the fields a reviewer set (litkit.curation)
        "links": links or [],
        "link_counts": link_counts or dict.fromkeys(KINDS, 0),
    }


def outcome_records(
    stored: str | None, concepts: dict[str, dict[str, Any]], with_cues: bool = False
) -> list[dict[str, Any]]:
    """A claim's outcome pairs as a reviewer reads them: the treatment's English label ("" for
    an outcome without a named intervention), its concept id and the direction; `with_cues`
    adds the cues that decided each pair (`litkit explain`)."""
    records = []
    for pair in json.loads(stored or "[]"):
        concept = concepts.get(pair["treatment"])
        record = {
            "treatment": concept["label"] if concept else pair["treatment"],
            "concept_id": pair["treatment"],
            "direction": pair["direction"],
        }
        if with_cues:
            record["cues"] = pair.get("cues", [])
        records.append(record)
    return records


def outcomes_text(outcomes: Sequence[dict[str, Any]]) -> str:
    """Outcome pairs in one readable cell: "methylprednisolone: improved; (none): uncertain"."""
    return "; ".join(f"{p['treatment'] or '(none)'}: {p['direction']}" for p in outcomes)


def explained_outcomes(db: Database, segment_id: str) -> list[dict[str, Any]]:
    """A sentence's outcome pairs with the cues that decided each (`litkit explain`)."""
    row = db.execute("SELECT outcomes FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        return []
    ids = [p["treatment"] for p in json.loads(row[0]) if p["treatment"]]
    concepts: dict[str, dict[str, Any]] = {}
    for batch in _batches(ids):
        marks = ",".join("?" * len(batch))
        for cid, label in db.execute(
            f"SELECT id, label FROM concepts WHERE id IN ({marks})", batch
        ):
            concepts[cid] = {"label": label}
    return outcome_records(row[0], concepts, with_cues=True)


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
    """Stored (`translation`) links of each segment: kind, then best score first."""
    return _grouped_by_segment(
        db,
        "SELECT segment_id, kind, other_id AS claim_id, score FROM links",
        "kind, score DESC, other_id",
        segment_ids,
    )


STANCE_KINDS = ("agrees", "conflicts")


def links_and_counts(
    db: Database,
    segments: Sequence[dict[str, Any]],
    excluded: Iterable[str] = (),
    about: dict[tuple[str, str], str] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, int]]]:
    """Each segment's links (its translations, stored, and the best claims of other documents
    of each kind, computed from the claim profiles: `litkit.xref`), kind then best score
    first, and the number of links of each kind. `about` receives, for each `agrees` /
    `conflicts` link (segment id, claim id), the treatment it is about."""
    stored = links_by_segment(db, [s["id"] for s in segments])
    refs = CrossReferences(db, excluded)
    refs.read_documents(s["doc_id"] for s in segments if s.get("profile") is not None)
    refs.prefetch_links(
        (s["doc_id"], s["profile"]) for s in segments if s.get("profile") is not None
    )
    links: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for segment in segments:
        translations = stored.get(segment["id"], [])
        found, by_kind = refs.links(segment["doc_id"], segment.get("profile"))
        if about is not None:
            for link in found:
                if link["kind"] in STANCE_KINDS:
                    treatment = refs.treatment_between(segment["profile"], link["claim_id"])
                    about[(segment["id"], link["claim_id"])] = treatment
        found += translations
        found.sort(key=lambda link: (link["kind"], -link["score"], link["claim_id"]))
        links[segment["id"]] = found
        counts[segment["id"]] = {**by_kind, "translation": len(translations)}
    return links, counts


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


def _name_stance_links(
    db: Database,
    segments: Sequence[dict[str, Any]],
    links: dict[str, list[dict]],
    about: dict[tuple[str, str], str],
) -> None:
    """Give every `agrees` / `conflicts` link the treatment it is about (`about`, from the
    claims' profiles: what the link was found by) and the other claim's source, so a reviewer
    sees "prednisolone: improved here, not improved in b.pdf"."""
    wanted = {
        link["claim_id"]
        for found in links.values()
        for link in found
        if link["kind"] in STANCE_KINDS
    }
    if not wanted:
        return
    others: dict[str, str] = {}  # claim id -> its document's source
    for batch in _batches(sorted(wanted)):
        marks = ",".join("?" * len(batch))
        others.update(
            db.execute(
                "SELECT s.id, d.source FROM segments s"
                f" JOIN documents d ON d.id = s.doc_id WHERE s.id IN ({marks})",
                batch,
            )
        )
    sources = _documents(db, [s["doc_id"] for s in segments])
    labels: dict[str, str] = {}
    for batch in _batches(sorted(set(about.values()))):
        marks = ",".join("?" * len(batch))
        labels.update(db.execute(f"SELECT id, label FROM concepts WHERE id IN ({marks})", batch))
    for segment in segments:
        for link in links.get(segment["id"], ()):
            if link["kind"] not in STANCE_KINDS or link["claim_id"] not in others:
                continue
            treatment = about.get((segment["id"], link["claim_id"]), "")
            link["treatment"] = labels.get(treatment, treatment)
            link["concept_id"] = treatment
            link["source"] = sources[segment["doc_id"]]["source"]
            link["other_source"] = others[link["claim_id"]]


def build_records(db: Database, segments: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Export records of segment rows (any documents), in the order given, with the
    reviewers' decisions applied; the sentences of excluded documents are left out."""
    doc_curation = document_curation(db, [s["doc_id"] for s in segments])
    segments = [s for s in segments if not doc_curation.get(s["doc_id"], {}).get("excluded")]
    ids = [s["id"] for s in segments]
    documents = _documents(db, [s["doc_id"] for s in segments])
    mentions = _mentions_by_segment(db, ids)
    excluded = excluded_ids(db)
    about: dict[tuple[str, str], str] = {}
    links, counts = links_and_counts(db, segments, excluded, about)
    links = _without_excluded(links, excluded)
    _name_stance_links(db, segments, links, about)
    curated = segment_curation(db, ids)
    for segment_id, decision in curated.items():  # curated pairs read like computed ones
        if "outcomes" in decision:
            concepts = {m["id"]: m for m in mentions.get(segment_id, [])}
            decision["outcomes"] = outcome_records(json.dumps(decision["outcomes"]), concepts)
    return [
        apply_to_record(
            segment_record(
                s,
                documents[s["doc_id"]],
                mentions.get(s["id"], []),
                links.get(s["id"]),
                counts.get(s["id"]),
            ),
            doc_curation.get(s["doc_id"]),
            curated.get(s["id"]),
        )
        for s in segments
    ]


def _without_excluded(
    links: dict[str, list[dict[str, Any]]], excluded: set[str] | frozenset[str]
) -> dict[str, list[dict[str, Any]]]:
    """Links without those to claims of excluded documents (a claim id starts with its
    document's id), so an excluded study is not reached through another one."""
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


def iter_documents(
    db: Database, doc_id: str | None = None, where: ExportFilter | None = None
) -> Iterator[dict[str, Any]]:
    """Document rows (without their large text columns) in export order."""
    clauses: list[str] = [f"id NOT IN ({EXCLUDED_DOCS_SQL})"]
    params: list[Any] = []
    if doc_id:
        clauses.append("id = ?")
        params.append(doc_id)
    if where is not None and where.designs:
        designs = expand_designs(where.designs)
        clauses.append(f"design IN ({','.join('?' * len(designs))})")
        params += list(designs)
    if where is not None and where.years:
        clauses.append("year BETWEEN ? AND ?")
        params += list(where.years)
    yield from _rows(
        db,
        f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE {' AND '.join(clauses)}"
        " ORDER BY source, id",
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
    if where.direction:
        clause, pair_params = pair_clause("segments.id", where.direction, where.pair_treatments)
        clauses.append(clause)
        params += pair_params
    return "".join(f" AND {c}" for c in clauses), params


def pair_clause(
    segment_column: str, direction: str, treatments: Sequence[str] = ()
) -> tuple[str, list[Any]]:
    """SQL keeping sentences with an outcome pair of `direction` (about one of `treatments`
    when given): a probe of each sentence's pairs by primary key, correlated so that a query
    walking the rank order stops at its limit instead of first collecting every pair of the
    direction (a third of a million at 1M claims, benchmarks/query_latency.py)."""
    condition, params = pair_condition(direction, treatments, "op.")
    sql = f"EXISTS (SELECT 1 FROM outcome_pairs op WHERE op.segment_id = {segment_column} AND "
    return sql + condition + ")", params


def pair_condition(
    direction: str, treatments: Sequence[str] = (), prefix: str = ""
) -> tuple[str, list[Any]]:
    """SQL on `outcome_pairs` columns (named with `prefix`): a pair of `direction`, about one
    of `treatments` when given."""
    sql = f"{prefix}direction = ?"
    if treatments:
        sql += f" AND {prefix}treatment IN ({','.join('?' * len(treatments))})"
    return sql, [direction, *treatments]


def export_records(db: Database, where: ExportFilter = ExportFilter()) -> Iterator[dict[str, Any]]:
    """Every claim (or every segment with `all_segments`) as export records, in a fixed order."""
    clause, params = filter_clause(where)
    for document in iter_documents(db, where.doc_id, where):
        segments = _rows(
            db,
            f"SELECT * FROM segments WHERE doc_id = ?{clause} ORDER BY idx",
            [document["id"], *params],
        )
        if segments:
            yield from build_records(db, segments)
