"""`litkit studies`: one row per study for a treatment or topic (see `litkit.studies`)."""

from __future__ import annotations

from typing import Any

import click

from litkit.commands.common import format_option, lang_option, reports_errors
from litkit.output import output_formats
from litkit.vocab import CLAIM_TYPES

STUDY_FORMATS = (*output_formats(), "xlsx")


@click.command()
@click.option("--treatment", help="A treatment in any language (its narrower drugs included).")
@click.option("--topic", help="Any concept or words (full-text when no concept is named).")
@click.option("--type", "types", multiple=True, type=click.Choice(CLAIM_TYPES),
              help="Only claims of this type (repeatable: any of).")  # fmt: skip
@lang_option("Only claims in this language")
@format_option("table", STUDY_FORMATS)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
@click.pass_obj
@reports_errors
def studies(
    obj: Any,
    treatment: str | None,
    topic: str | None,
    types: tuple[str, ...],
    langs: tuple[str, ...],
    fmt: str,
    output: str | None,
) -> None:
    """One row per study about a treatment or topic: citation, design, patients, languages,
    interventions, outcome direction per intervention and the best quote per language."""
    from litkit.output import atomic_output, text_destination, write_records, write_xlsx
    from litkit.studies import (
        STUDY_COLUMNS,
        STUDY_TABLE_COLUMNS,
        find_studies,
        flat_row,
    )

    if bool(treatment) == bool(topic):
        raise click.UsageError("give exactly one of --treatment or --topic")
    rows = find_studies(
        obj.db, obj.lexicon, treatment=treatment, topic=topic, types=types, langs=langs
    )
    if not rows:
        click.echo("no study has claims matching this request", err=True)
    structured = fmt in ("json", "jsonl")
    records = rows if structured else [flat_row(r) for r in rows]
    columns = None if structured else STUDY_TABLE_COLUMNS if fmt == "table" else STUDY_COLUMNS
    if fmt == "xlsx":
        if not output:
            raise click.UsageError("xlsx is binary: write it to a file with -o FILE.xlsx")
        with atomic_output(output, "wb") as fp:
            write_xlsx(records, fp, columns, title="studies")
        return
    with text_destination(output) as fp:
        write_records(records, fmt, fp, columns)
