"""One row per study: the evidence table a systematic review is written from.

A review does not cite sentences, it cites studies: for a treatment or a topic, each study
that has claims about it gets one row with its citation, year, design, number of patients,
languages, the interventions with the dose, route and duration its sentences give, the
outcome direction per intervention, and its best quote in each language with the English
labels of the quote's concepts (so a reviewer reading one language can follow the others).
Every quote keeps its claim id and [start, end) offsets, so it traces back to the document.

Rows are built from the export records (`litkit.export`), so whatever the records show
(curation included) the study table shows too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .citations import citation_rows
from .curation import document_curation
from .export import records_for_segments
from .query import treatment_ids
from .summarize import claim_ids_for_concepts, quote_rank, topic_claim_ids

if TYPE_CHECKING:
    from .lexicon import Lexicon

# Columns of the flat formats (CSV, TSV, Markdown, XLSX), quotes last: the widest cell.
STUDY_COLUMNS = (
    "doc_id", "citation", "title", "year", "design", "patients", "languages", "claims",
    "interventions", "outcomes", "quotes",
)  # fmt: skip
# What fits a terminal: the reviewer's summary of each study.
STUDY_TABLE_COLUMNS = ("citation", "design", "patients", "languages", "outcomes", "quotes")
NO_INTERVENTION = "(no named intervention)"


def _intervention_text(item: dict[str, Any]) -> str:
    details = [item[k] for k in ("dose", "route", "duration") if item.get(k)]
    return item["treatment"] + (f" ({', '.join(details)})" if details else "")


def _outcome_text(item: dict[str, Any]) -> str:
    counts = ", ".join(f"{direction} {n}" for direction, n in item["directions"].items())
    return f"{item['treatment']}: {counts}"


def _quote_text(quote: dict[str, Any]) -> str:
    gloss = f" — {quote['gloss']}" if quote["gloss"] else ""
    return (
        f"[{quote['lang']}] {' '.join(quote['text'].split())}{gloss}"
        f" ({quote['claim_id']} {quote['start']}-{quote['end']})"
    )


def flat_row(study: dict[str, Any]) -> dict[str, Any]:
    """A study as one row of text cells: lists joined by "; ", quotes one per line."""
    return {
        **{k: study[k] for k in STUDY_COLUMNS if k not in ("interventions", "outcomes", "quotes")},
        "languages": "; ".join(study["languages"]),
        "interventions": "; ".join(_intervention_text(i) for i in study["interventions"]),
        "outcomes": "; ".join(_outcome_text(o) for o in study["outcomes"]),
        "quotes": "\n".join(_quote_text(q) for q in study["quotes"]),
    }


def _labels(db: Database, records: Sequence[dict[str, Any]]) -> dict[str, str]:
    """English labels of the interventions the records' outcome pairs name (concept ids)."""
    ids = sorted({p["treatment"] for r in records for p in r["outcomes"] if p["treatment"]})
    labels: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        labels.update(
            db.execute(
                f"SELECT id, label FROM concepts WHERE id IN ({','.join('?' * len(batch))})",
                batch,
            ).fetchall()
        )
    return labels


def _pairs_of(record: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """What an outcome claim says per intervention: its outcome pairs (computed, or set by a
    reviewer), else the sentence's direction for each treatment it names."""
    if "outcome" not in record["types"]:
        return []
    if record["outcomes"]:
        return [
            (labels.get(p["treatment"], p["treatment"]) or NO_INTERVENTION, p["direction"])
            for p in record["outcomes"]
        ]
    direction = record["direction"] or "uncertain"
    return [(t, direction) for t in record["treatments"] or [NO_INTERVENTION]]


def _detailed(interventions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Interventions in name order; a bare name is dropped when a mention of the same
    treatment gives its dose, route or duration (it adds nothing to that one)."""
    detailed = {i["treatment"] for i in interventions if i["dose"] or i["route"] or i["duration"]}
    kept = [
        i
        for i in interventions
        if i["dose"] or i["route"] or i["duration"] or i["treatment"] not in detailed
    ]
    return sorted(kept, key=lambda i: tuple(str(i[k] or "") for k in i))


def _document_facts(db: Database, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Citation fields plus the number of patients where the database stores it or a
    reviewer set it (litkit.curation)."""
    rows = {row["id"]: row for row in citation_rows(db, doc_ids)}
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    for row in rows.values():
        row["patients"] = None
    if "patients" in columns and doc_ids:
        ids = sorted(set(doc_ids))
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            for doc_id, patients in db.execute(
                f"SELECT id, patients FROM documents WHERE id IN ({marks})", batch
            ):
                rows[doc_id]["patients"] = patients
    for doc_id, curated in document_curation(db, list(rows)).items():
        if "patients" in curated:
            rows[doc_id]["patients"] = curated["patients"]
    return rows


def study_rows(
    db: Database,
    claim_ids: Sequence[str],
    types: Sequence[str] = (),
    langs: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """One row per document of these claims, oldest study first (undated last); `types` and
    `langs` keep only the claims of these types and languages."""
    records = [
        r
        for r in records_for_segments(db, sorted(set(claim_ids)))
        if (not types or set(types) & set(r["types"])) and (not langs or r["lang"] in langs)
    ]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_doc.setdefault(record["doc_id"], []).append(record)
    facts = _document_facts(db, list(by_doc))
    labels = _labels(db, records)
    studies = []
    for doc_id, claims in by_doc.items():
        doc = facts[doc_id]
        first = claims[0]  # document-level fields of the records (curation applied)
        interventions: dict[tuple, dict[str, Any]] = {}
        outcomes: dict[str, dict[str, int]] = {}
        for claim in claims:
            for treatment in claim["treatments"]:
                item = {"treatment": treatment, "dose": claim["dose"], "route": claim["route"],
                        "duration": claim["duration"]}  # fmt: skip
                interventions.setdefault(tuple(item.values()), item)
            for treatment, direction in _pairs_of(claim, labels):
                counts = outcomes.setdefault(treatment, {})
                counts[direction] = counts.get(direction, 0) + 1
        quotes = []
        for lang in sorted({c["lang"] for c in claims}):
            best = min(
                (c for c in claims if c["lang"] == lang),
                key=lambda c: quote_rank({**c, "idx": int(c["id"].rsplit("-", 1)[1])}),
            )
            quotes.append(
                {
                    "lang": lang,
                    "text": best["text"],
                    "gloss": "; ".join(dict.fromkeys(c["label"] for c in best["concepts"])),
                    "claim_id": best["id"],
                    "doc_id": doc_id,
                    "start": best["start"],
                    "end": best["end"],
                }
            )
        studies.append(
            {
                "doc_id": doc_id,
                "citation": first["citation"],
                "title": doc["title"],
                "year": first["year"],
                "design": first["design"],
                "patients": doc["patients"],
                "languages": sorted({c["lang"] for c in claims}),
                "claims": len(claims),
                "interventions": _detailed(list(interventions.values())),
                "outcomes": [
                    {"treatment": t, "directions": dict(sorted(outcomes[t].items()))}
                    for t in sorted(outcomes)
                ],
                "quotes": quotes,
                "source": doc["source"],
                "doi": doc["doi"],
                "pmid": doc["pmid"],
            }
        )
    return sorted(
        studies, key=lambda s: (s["year"] is None, s["year"] or 0, s["citation"], s["doc_id"])
    )


def find_studies(
    db: Database,
    lexicon: Lexicon,
    *,
    treatment: str | None = None,
    topic: str | None = None,
    types: Sequence[str] = (),
    langs: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The studies with claims about a treatment named in any language (narrower drugs
    included) or about a topic (its concepts, else a full-text match)."""
    if treatment:
        claim_ids = claim_ids_for_concepts(db, treatment_ids(treatment, lexicon))
    else:
        claim_ids = topic_claim_ids(db, topic or "", lexicon)[1]
    return study_rows(db, claim_ids, types, langs)
