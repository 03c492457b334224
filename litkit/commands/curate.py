"""`litkit curate`: a review team's corrections that last (see `litkit.curation`).

Each command records one decision, keyed by the document's or the sentence's content id, in
the curation tables; nothing litkit computed is changed, and every read command applies the
decisions. `litkit curate list` shows them all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from litkit.commands.common import format_option, reports_errors
from litkit.output import write_records
from litkit.vocab import CLAIM_TYPES, DESIGNS, DIRECTIONS

NO_INTERVENTION = "none"  # `set-outcome SEGMENT none DIRECTION`: no named intervention


def _database(obj: Any) -> Any:
    """The database, which must exist: a decision about documents that were never ingested
    (a mistyped `--db`) must not silently create an empty database."""
    from litkit.errors import DatabaseError

    if obj.db_path != ":memory:" and not Path(obj.db_path).exists():
        raise DatabaseError(f"no litkit database at {obj.db_path}; run `litkit ingest` first")
    return obj.db


def _document_id(db: Any, name: str) -> str:
    from litkit.summarize import find_document

    return find_document(db, name)


def _segment(db: Any, segment_id: str) -> tuple[str, list[dict[str, Any]]]:
    """The sentence's document id and its outcome pairs (curated, else computed)."""
    from litkit.curation import segment_curation
    from litkit.errors import QueryError

    row = db.execute("SELECT doc_id, outcomes FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        raise QueryError(f"no sentence with id {segment_id!r} (ids are in every export record)")
    curated = segment_curation(db, [segment_id]).get(segment_id, {})
    return row[0], curated.get("outcomes", json.loads(row[1] or "[]"))


def _set_document(obj: Any, doc: str, message: str, **fields: Any) -> None:
    from litkit.curation import set_document
    from litkit.store import write_transaction

    db = _database(obj)
    doc_id = _document_id(db, doc)
    with write_transaction(db):
        set_document(db, doc_id, **fields)
    click.echo(f"{doc_id}: {message}", err=True)


@click.group()
def curate() -> None:
    """Exclude studies and correct what litkit found; decisions survive re-ingest."""


@curate.command()
@click.argument("doc")
@click.pass_obj
@reports_errors
def exclude(obj: Any, doc: str) -> None:
    """Leave document DOC (id, id prefix or source) out of every read command."""
    _set_document(obj, doc, "excluded", excluded=1)


@curate.command()
@click.argument("doc")
@click.pass_obj
@reports_errors
def restore(obj: Any, doc: str) -> None:
    """Bring an excluded document DOC back."""
    _set_document(obj, doc, "restored", excluded=0)


@curate.command(name="set-design")
@click.argument("doc")
@click.argument("design", type=click.Choice(DESIGNS))
@click.pass_obj
@reports_errors
def set_design(obj: Any, doc: str, design: str) -> None:
    """Set the study design of document DOC."""
    _set_document(obj, doc, f"design {design}", design=design)


@curate.command(name="set-year")
@click.argument("doc")
@click.argument("year", type=click.IntRange(1800, 2100))
@click.pass_obj
@reports_errors
def set_year(obj: Any, doc: str, year: int) -> None:
    """Set the publication year of document DOC."""
    _set_document(obj, doc, f"year {year}", year=year)


@curate.command(name="set-patients")
@click.argument("doc")
@click.argument("patients", type=click.IntRange(0, None))
@click.pass_obj
@reports_errors
def set_patients(obj: Any, doc: str, patients: int) -> None:
    """Set the number of patients of document DOC."""
    _set_document(obj, doc, f"{patients} patients", patients=patients)


@curate.command(name="set-types")
@click.argument("segment")
@click.argument("types", nargs=-1, required=True, type=click.Choice([*CLAIM_TYPES, "none"]))
@click.pass_obj
@reports_errors
def set_types(obj: Any, segment: str, types: tuple[str, ...]) -> None:
    """Set the claim types of sentence SEGMENT (`none`: not a claim)."""
    from litkit.curation import ordered_types, set_segment
    from litkit.store import write_transaction

    if "none" in types and len(types) > 1:
        raise click.UsageError("`none` cannot be combined with claim types")
    db = _database(obj)
    doc_id, _ = _segment(db, segment)
    chosen = ordered_types(t for t in types if t != "none")
    with write_transaction(db):
        set_segment(db, segment, doc_id, types=chosen)
    click.echo(f"{segment}: types {', '.join(chosen) or 'none (not a claim)'}", err=True)


@curate.command(name="set-outcome")
@click.argument("segment")
@click.argument("treatment")
@click.argument("direction", type=click.Choice(DIRECTIONS))
@click.pass_obj
@reports_errors
def set_outcome(obj: Any, segment: str, treatment: str, direction: str) -> None:
    """Set what sentence SEGMENT says about TREATMENT (any language; `none` for no named
    intervention); its other interventions keep their direction."""
    from litkit.curation import set_segment
    from litkit.query import treatment_ids
    from litkit.store import write_transaction

    db = _database(obj)
    doc_id, pairs = _segment(db, segment)
    concept = "" if treatment == NO_INTERVENTION else treatment_ids(treatment, obj.lexicon)[0]
    pairs = [p for p in pairs if p["treatment"] != concept]
    pairs.append({"treatment": concept, "direction": direction})
    pairs.sort(key=lambda p: p["treatment"])
    with write_transaction(db):
        set_segment(db, segment, doc_id, outcomes=pairs)
    named = f"{treatment} ({concept})" if concept else NO_INTERVENTION
    click.echo(f"{segment}: {named} {direction}", err=True)


@curate.command(name="list")
@format_option("table")
@click.pass_obj
@reports_errors
def list_decisions(obj: Any, fmt: str) -> None:
    """Every decision: what was set, on which document or sentence, and when."""
    from litkit.curation import curation_list

    rows = curation_list(_database(obj))
    if not rows:
        click.echo("no curation recorded", err=True)
    write_records(rows, fmt, sys.stdout)
