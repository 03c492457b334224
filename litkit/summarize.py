"""Cross-language evidence summaries: per treatment or topic, per document, and over the corpus.

Everything is counted from the stored concept index (`segment_concepts`, which already holds
each mention's ancestors), so a summary of corticosteroids counts the methylprednisolone and
prednisolone claims of every language. Quotes are always the original sentence, with the
English labels of its concepts so a reader of one language can follow another.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from . import curation
from .citations import citation_of
from .errors import QueryError
from .lexicon import TREATMENT_CATEGORIES
from .link import DESIGN_RANK
from .query import text_concepts, treatment_ids
from .search import FTS_TABLE, match_expression
from .vocab import CLAIM_TYPES, CONFIDENT_DIRECTIONS, DIRECTIONS

if TYPE_CHECKING:
    from .lexicon import Lexicon

KEY_CLAIMS_PER_TYPE = 3
KEY_CLAIM_MAX_LENGTH = 400  # characters; longer sentences are usually run-together scraping
QUOTE_IDEAL_LENGTH = (40, 300)  # characters: long enough to stand alone, short enough to read


def _marks(values: Collection[Any]) -> str:
    return ",".join("?" * len(values))


def _claims(db: Database, segment_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Claim rows with their document's fields and their concepts' English labels."""
    if not segment_ids:
        return []
    cursor = db.execute(
        "SELECT s.id, s.doc_id, s.idx, s.lang, s.types, s.direction, s.outcomes, s.negated,"
        " s.hedged, s.text,"
        " d.source, d.title, d.year, d.design, d.patients, d.doi, d.authors FROM segments s"
        f" JOIN documents d ON d.id = s.doc_id WHERE s.id IN ({_marks(segment_ids)})"
        " ORDER BY d.source, s.doc_id, s.idx",
        list(segment_ids),
    )
    columns = [c[0] for c in cursor.description]
    claims = _curated(db, [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()])
    labels: dict[str, list[tuple[str, str]]] = {}
    for sid, label, category in db.execute(
        "SELECT m.segment_id, m.label, m.category FROM mentions m"
        f" WHERE m.segment_id IN ({_marks(segment_ids)})"
        " ORDER BY m.segment_id, m.start, length(m.id), m.id",  # ties: the mentions' order
        list(segment_ids),
    ):
        if (label, category) not in labels.setdefault(sid, []):
            labels[sid].append((label, category))
    pair_ids = sorted({p["treatment"] for c in claims for p in json.loads(c["outcomes"])} - {""})
    names = dict(
        db.execute(f"SELECT id, label FROM concepts WHERE id IN ({_marks(pair_ids)})", pair_ids)
    )
    for claim in claims:
        claim["pairs"] = [
            (p["treatment"], names.get(p["treatment"], p["treatment"]), p["direction"])
            for p in json.loads(claim.pop("outcomes"))
        ]
        claim["citation"] = citation_of(claim)
        claim["concepts"] = [label for label, _ in labels.get(claim["id"], [])]
        claim["treatments"] = [
            label for label, cat in labels.get(claim["id"], []) if cat in TREATMENT_CATEGORIES
        ]
    return claims


def _curated(db: Database, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims with the reviewers' decisions (litkit.curation): excluded documents and
    sentences typed as no claim left out; curated types, directions, designs, years applied."""
    documents = curation.document_curation(db, [c["doc_id"] for c in claims])
    segments = curation.segment_curation(db, [c["id"] for c in claims])
    kept = []
    for claim in claims:
        document = documents.get(claim["doc_id"], {})
        if document.get("excluded"):
            continue
        claim["types"] = json.loads(claim["types"])
        claim.update({k: document[k] for k in ("design", "year") if k in document})
        segment = segments.get(claim["id"], {})
        if "types" in segment:
            claim["types"] = curation.ordered_types(segment["types"])
        if "outcomes" in segment:  # the reviewer's pairs replace litkit's
            claim["outcomes"] = json.dumps(segment["outcomes"])
            claim["direction"] = curation.summary_direction(segment["outcomes"])
        if claim["types"]:
            kept.append(claim)
    return kept


def claim_ids_for_concepts(db: Database, concept_ids: Sequence[str]) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT sc.segment_id FROM segment_concepts sc"
            " JOIN segments s ON s.id = sc.segment_id"
            f" WHERE sc.concept_id IN ({_marks(concept_ids)}) AND s.is_claim = 1",
            list(concept_ids),
        )
    ]


def _pair_counts(
    claims: Sequence[dict[str, Any]], treatments: set[str] | None = None
) -> dict[str, int]:
    """Outcome pairs by direction, only those about `treatments` when given: a summary of
    corticosteroids counts what each claim says of corticosteroids, not of the NSAIDs
    named beside them."""
    counts = dict.fromkeys(DIRECTIONS, 0)
    for claim in claims:
        for cid, _, direction in claim["pairs"]:
            if treatments is None or cid in treatments:
                counts[direction] += 1
    return counts


def quote_rank(claim: dict[str, Any]) -> tuple:
    """Sort key of a representative quote: a directed outcome, readable length, strong design."""
    low, high = QUOTE_IDEAL_LENGTH
    length = len(claim["text"])
    return (
        "outcome" not in claim["types"],
        claim["direction"] not in CONFIDENT_DIRECTIONS,
        bool(claim["hedged"]),
        not low <= length <= high,
        -DESIGN_RANK.get(claim["design"] or "", 0),
        claim["source"],
        claim["idx"],
    )


def _quote(claim: dict[str, Any]) -> dict[str, Any]:
    return {
        "claim_id": claim["id"],
        "lang": claim["lang"],
        "citation": claim["citation"],  # the full reference: the document (`doc_id`)
        "doc_id": claim["doc_id"],
        "source": claim["source"],
        "types": claim["types"],
        "direction": claim["direction"],
        "text": claim["text"],
        "concepts": claim["concepts"],
    }


def evidence_summary(
    db: Database,
    subject: dict[str, Any],
    claim_ids: Sequence[str],
    pair_treatments: set[str] | None = None,
) -> dict:
    """Documents, designs, languages, claims by type, outcome directions (from the outcome
    pairs about `pair_treatments`, or all pairs) and quotes per language."""
    claims = _claims(db, claim_ids)
    documents: dict[str, dict[str, Any]] = {}
    for claim in claims:
        documents.setdefault(
            claim["doc_id"],
            {
                "doc_id": claim["doc_id"],
                "source": claim["source"],
                "title": claim["title"],
                "year": claim["year"],
                "design": claim["design"],
                "patients": claim["patients"],
                "langs": [],
                "claims": 0,
            },
        )
        document = documents[claim["doc_id"]]
        document["claims"] += 1
        if claim["lang"] not in document["langs"]:
            document["langs"].append(claim["lang"])
    designs: dict[str, int] = {}
    for document in documents.values():
        key = document["design"] or "unknown"
        designs[key] = designs.get(key, 0) + 1
    languages: dict[str, int] = {}
    by_type = dict.fromkeys(CLAIM_TYPES, 0)
    directions = _pair_counts(claims, pair_treatments)
    for claim in claims:
        languages[claim["lang"]] = languages.get(claim["lang"], 0) + 1
        for claim_type in claim["types"]:
            by_type[claim_type] = by_type.get(claim_type, 0) + 1
    quotes = []
    for lang in sorted(languages):
        best = min((c for c in claims if c["lang"] == lang), key=quote_rank)
        quotes.append(_quote(best))
    return {
        "subject": subject,
        "documents": sorted(documents.values(), key=lambda d: (d["source"], d["doc_id"])),
        "designs": dict(sorted(designs.items())),
        "patients": _patients(documents.values()),
        "languages": dict(sorted(languages.items())),
        "claims": len(claims),
        "claims_by_type": by_type,
        "outcome_directions": directions,
        "quotes": quotes,
    }


def _patients(documents: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Patients the documents report in total, and how many documents state a count (a
    reader must know the total covers only those)."""
    counts = [d["patients"] for d in documents if d["patients"] is not None]
    return {"total": sum(counts), "documents": len(counts)}


def treatment_summary(db: Database, name: str, lexicon: Lexicon) -> dict[str, Any]:
    """The evidence summary of a treatment named in any language (its descendants included)."""
    ids = treatment_ids(name, lexicon)
    concepts = [lexicon.get(cid) for cid in ids]
    subject = {
        "kind": "treatment",
        "query": name,
        "concepts": [{"id": c.id, "label": c.label} for c in concepts if c is not None],
    }
    narrower = {d for cid in ids for d in (cid, *lexicon.descendants(cid))}
    return evidence_summary(db, subject, claim_ids_for_concepts(db, ids), narrower)


def topic_summary(db: Database, text: str, lexicon: Lexicon) -> dict[str, Any]:
    """The evidence summary of the claims a topic names (concepts, else full-text matches)."""
    concepts, claim_ids = topic_claim_ids(db, text, lexicon)
    subject: dict[str, Any] = {
        "kind": "topic",
        "query": text,
        "concepts": [{"id": c.id, "label": c.label} for c in concepts],
    }
    return evidence_summary(db, subject, claim_ids)


def topic_claim_ids(db: Database, text: str, lexicon: Lexicon) -> tuple[list, list[str]]:
    """The concepts a topic names and their claims; without a concept, full-text matches."""
    concepts = text_concepts(text, lexicon)
    if concepts:
        return concepts, claim_ids_for_concepts(db, [c.id for c in concepts])
    return [], [
        row[0]
        for row in db.execute(
            f"SELECT f.segment_id FROM {FTS_TABLE} f JOIN segments s ON s.id = f.segment_id"
            f" WHERE {FTS_TABLE} MATCH ? AND s.is_claim = 1",
            [match_expression(text)],
        )
    ]


def treatment_table(db: Database) -> list[dict[str, Any]]:
    """One row per treatment over the whole corpus: documents, languages, designs, and the
    directions of the outcome pairs about it or a narrower drug."""
    from .link import stored_ancestor_lookup

    ancestors = stored_ancestor_lookup(db)
    pairs: dict[str, dict[str, int]] = {}
    for treatment, direction in db.execute(
        "SELECT p.treatment, p.direction FROM outcome_pairs p"
        " JOIN segments s ON s.id = p.segment_id WHERE s.is_claim = 1 AND p.treatment != ''"
    ):
        for cid in (treatment, *ancestors(treatment)):
            counts = pairs.setdefault(cid, dict.fromkeys(DIRECTIONS, 0))
            counts[direction] += 1
    rows = db.execute(
        "SELECT c.id, c.label, count(DISTINCT s.doc_id), count(*),"
        " group_concat(DISTINCT s.lang), group_concat(DISTINCT coalesce(d.design, 'unknown'))"
        " FROM segment_concepts sc JOIN concepts c ON c.id = sc.concept_id"
        " JOIN segments s ON s.id = sc.segment_id JOIN documents d ON d.id = s.doc_id"
        f" WHERE s.is_claim = 1 AND c.category IN ({_marks(TREATMENT_CATEGORIES)})"
        " GROUP BY c.id ORDER BY count(DISTINCT s.doc_id) DESC, count(*) DESC, c.label",
        sorted(TREATMENT_CATEGORIES),  # a frozenset: fix the parameter order
    ).fetchall()
    return [
        {
            "treatment": label,
            "concept_id": cid,
            "documents": documents,
            "claims": claims,
            "languages": sorted(langs.split(",")),
            "designs": sorted(designs.split(",")),
            **pairs.get(cid, dict.fromkeys(DIRECTIONS, 0)),
        }
        for cid, label, documents, claims, langs, designs in rows
    ]


# ---------------------------------------------------------------------------------------------
# One document


def find_document(db: Database, source_or_id: str) -> str:
    """The id of the document with this id, id prefix or source; QueryError if none or several.

    A source is any the document was ingested from (`document_sources`), not only its first."""
    rows = db.execute(
        "SELECT id FROM documents WHERE id = ? UNION"
        " SELECT doc_id FROM document_sources WHERE source = ? ORDER BY 1",
        [source_or_id] * 2,
    ).fetchall()
    if not rows and len(source_or_id) >= 6:
        rows = db.execute(
            "SELECT id FROM documents WHERE substr(id, 1, ?) = ? ORDER BY id",
            [len(source_or_id), source_or_id],
        ).fetchall()
    if not rows:
        rows = db.execute(
            "SELECT id FROM documents WHERE source LIKE ? ESCAPE '\\' ORDER BY id",
            [
                "%"
                + source_or_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            ],
        ).fetchall()
    if not rows:
        raise QueryError(f"no document with id or source {source_or_id!r}")
    if len(rows) > 1:
        raise QueryError(f"{source_or_id!r} names {len(rows)} documents; give a document id")
    return rows[0][0]


def _overall_direction(counts: dict[str, int]) -> str:
    """One word for a treatment's pairs in a document: a confident direction, "mixed" when
    good and bad news meet, else no_difference, uncertain or "no outcome"."""
    bad = counts["not_improved"] + counts["worsened"]
    if counts["improved"] and bad:
        return "mixed"
    if counts["improved"]:
        return "improved"
    if bad:
        return "not_improved" if counts["not_improved"] >= counts["worsened"] else "worsened"
    for direction in ("no_difference", "uncertain"):
        if counts[direction]:
            return direction
    return "no outcome"


def _key_rank(claim: dict[str, Any]) -> tuple:
    """Key claims: readable length, most concepts named, a definite direction, not hedged."""
    return (
        len(claim["text"]) > KEY_CLAIM_MAX_LENGTH,
        -min(len(claim["concepts"]), 4),
        claim["direction"] not in CONFIDENT_DIRECTIONS,
        bool(claim["hedged"]),
        claim["idx"],
    )


def document_summary(db: Database, source_or_id: str) -> dict[str, Any]:
    """Metadata, design, languages, treatments with direction and key claims of one article."""
    doc_id = find_document(db, source_or_id)
    cursor = db.execute(
        "SELECT id, source, title, doi, pmid, journal, year, design, patients, lang, langs,"
        " n_segments"
        " FROM documents WHERE id = ?",
        [doc_id],
    )
    columns = [c[0] for c in cursor.description]
    document = dict(zip(columns, cursor.fetchone(), strict=True))
    document["langs"] = json.loads(document["langs"])
    claim_ids = [
        row[0]
        for row in db.execute("SELECT id FROM segments WHERE doc_id = ? AND is_claim = 1", [doc_id])
    ]
    claims = _claims(db, claim_ids)
    treatments: dict[str, dict[str, Any]] = {}
    for claim in claims:
        for label in claim["treatments"]:
            entry = treatments.setdefault(
                label, {"treatment": label, "claims": 0, **dict.fromkeys(DIRECTIONS, 0)}
            )
            entry["claims"] += 1
        for _, label, direction in claim["pairs"]:
            if label in treatments:
                treatments[label][direction] += 1
    for entry in treatments.values():
        entry["direction"] = _overall_direction(entry)
    used: set[str] = set()
    key_claims: dict[str, list[dict[str, Any]]] = {}
    for claim_type in ("outcome", "treatment", "diagnosis"):
        pool = [c for c in claims if claim_type in c["types"] and c["id"] not in used]
        chosen = sorted(sorted(pool, key=_key_rank)[:KEY_CLAIMS_PER_TYPE], key=lambda c: c["idx"])
        used.update(c["id"] for c in chosen)
        key_claims[claim_type] = [_quote(c) for c in chosen]
    languages: dict[str, int] = {}
    for claim in claims:
        languages[claim["lang"]] = languages.get(claim["lang"], 0) + 1
    return {
        "document": document,
        "claims": len(claims),
        "claim_languages": dict(sorted(languages.items())),
        "treatments": sorted(treatments.values(), key=lambda t: (-t["claims"], t["treatment"])),
        "key_claims": {t: key_claims[t] for t in CLAIM_TYPES},
    }


# ---------------------------------------------------------------------------------------------
# Markdown
