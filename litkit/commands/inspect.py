"""`litkit stats`, `litkit eval` and `litkit explain`: what the database holds, how the
pipeline scores against a gold folder, and why one sentence got its labels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..commands.common import (
    LitkitContext,
    format_option,
    pass_litkit,
    reports_errors,
)
from ..errors import LitkitError
from ..output import write_records


@click.command()
@format_option()
@pass_litkit
@reports_errors
def stats(obj: LitkitContext, fmt: str) -> None:
    """Documents, sentences and claims, per language."""
    from ..stats import corpus_stats

    write_records(corpus_stats(obj.db), fmt, sys.stdout)


@click.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option()
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False),
              help="Write every mislabelled gold sentence to this JSONL file.")  # fmt: skip
@click.option("--min-macro-f1", type=float, help="Exit 1 if claim-type macro-F1 is below.")
@click.option("--min-treatment-f1", type=float, help="Exit 1 if treatment F1 is below.")
@click.option("--min-language-accuracy", type=float, help="Exit 1 if language accuracy is below.")
@click.option("--min-segmentation", type=float, help="Exit 1 if segmentation is below.")
@click.option("--min-negation-f1", type=float, help="Exit 1 if negated-class F1 is below.")
@click.option("--min-direction-accuracy", type=float,
              help="Exit 1 if outcome direction accuracy (gold pairs) is below.")  # fmt: skip
@pass_litkit
@reports_errors
def eval_command(
    obj: LitkitContext,
    gold_dir: Path,
    fmt: str,
    errors_path: str | None,
    min_macro_f1: float | None,
    min_treatment_f1: float | None,
    min_language_accuracy: float | None,
    min_segmentation: float | None,
    min_negation_f1: float | None,
    min_direction_accuracy: float | None,
) -> None:
    """Score the pipeline against a gold folder (texts/ + gold.jsonl)."""
    from ..evaluate import errors, evaluate, score

    predictions = evaluate(gold_dir, obj.lexicon_paths)
    rows = score(predictions)
    write_records(rows, fmt, sys.stdout)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as fp:
            write_records(errors(predictions), "jsonl", fp)
    overall = {row["metric"]: row["value"] for row in rows if row["scope"] == "all"}
    floors = {
        "macro_f1": min_macro_f1,
        "treatment_f1": min_treatment_f1,
        "language_accuracy": min_language_accuracy,
        "segmentation": min_segmentation,
        "negation_f1": min_negation_f1,
        "direction_accuracy": min_direction_accuracy,
    }
    failed = [
        f"{metric} {overall[metric]:.4f} < {floor}"
        for metric, floor in floors.items()
        if floor is not None and overall[metric] < floor
    ]
    if failed:
        raise click.ClickException("below floor: " + "; ".join(failed))


@click.command()
@click.argument("segment_id")
@format_option(default="json", choices=("json", "table"))
@pass_litkit
@reports_errors
def explain(obj: LitkitContext, segment_id: str, fmt: str) -> None:
    """Show a sentence with its language, types, assertion, outcome pairs and their cues."""
    from ..export import ExportFilter, explained_outcomes, export_records

    row = obj.db.execute("SELECT doc_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    if not row:
        raise LitkitError(f"no segment with id {segment_id}")
    for record in export_records(obj.db, ExportFilter(all_segments=True, doc_id=row[0])):
        if record["id"] == segment_id:
            # The words behind each span, so a reader sees what is negated or hedged.
            for kind in ("negated", "hedged"):
                record[f"{kind}_text"] = [
                    record["text"][start - record["start"] : end - record["start"]]
                    for start, end in record[f"{kind}_spans"]
                ]
            record["outcomes"] = explained_outcomes(obj.db, segment_id)
            if fmt == "json":
                click.echo(json.dumps(record, ensure_ascii=False, indent=2))
            else:
                write_records(
                    [{"field": k, "value": v} for k, v in record.items()], "table", sys.stdout
                )
