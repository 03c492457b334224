"""The evidence commands: `query`, `export`, `summarize`, `browse`.

They take the shared `LitkitContext` (`.db`, `.lexicon_paths`) through `click.pass_obj` and do
not import `litkit.cli`; `litkit.commands.register_commands` adds them to the main group.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click

from litkit.commands.common import format_option, lang_option, reports_errors
from litkit.output import output_formats, tabular_formats, write_records
from litkit.vocab import CLAIM_TYPES, DESIGN_CHOICES, DIRECTIONS

# Text formats (built-in or from plugins) but the terminal table, the workbook, and references.
EXPORT_FORMATS = (*(f for f in output_formats() if f != "table"), "xlsx", "ris", "bibtex")
# Formats of one record per study (document), for reference managers (litkit.citations).
REFERENCE_FORMATS = ("ris", "bibtex")
TABULAR_FORMATS = (*sorted(tabular_formats()), "xlsx")
UTF8_BOM = "\ufeff"

# The filters `query` and `export` share.
treatment_option = click.option(
    "--treatment",
    "treatments",
    multiple=True,
    help="Only claims about this treatment, in any language (repeatable: any of).",
)
design_option = click.option(
    "--design",
    "designs",
    multiple=True,
    type=click.Choice(DESIGN_CHOICES),
    help="Study design (repeatable: any of); trial, cohort and review take their whole group.",
)


class YearRange(click.ParamType):
    """A publication year (`2015`) or an inclusive range (`2010-2020`), as (first, last)."""

    name = "year"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        match = YEAR_RANGE.fullmatch(str(value).strip())
        if not match:
            self.fail(f"{value!r} is not a year (2015) or a range of years (2010-2020)", param, ctx)
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first > last:
            self.fail(f"{value!r}: the first year comes after the last", param, ctx)
        return first, last


YEAR_RANGE = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?")
year_option = click.option(
    "--year", "years", type=YearRange(), help="Publication year or range (2015, 2010-2020)."
)
direction_option = click.option(
    "--direction",
    type=click.Choice(DIRECTIONS),
    help="Only outcome claims with a pair of this direction (with --treatment: about it).",
)
type_option = click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(CLAIM_TYPES),
    help="Claim type.",
)


@click.command()
@click.argument("text", required=False)
@treatment_option
@click.option("--concept", "concepts", multiple=True, help="Only claims about this concept id.")
@type_option
@direction_option
@lang_option("Sentence language")
@design_option
@year_option
@click.option("--all", "all_segments", is_flag=True, help="Every sentence, not only claims.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@format_option("table")
@click.pass_obj
@reports_errors
def query(
    obj: Any,
    text: str | None,
    treatments: tuple[str, ...],
    concepts: tuple[str, ...],
    types: tuple[str, ...],
    direction: str | None,
    langs: tuple[str, ...],
    designs: tuple[str, ...],
    years: tuple[int, int] | None,
    all_segments: bool,
    limit: int,
    fmt: str,
) -> None:
    """Claims about TEXT (a concept in fr/en/zh, else full-text), ranked, in every language."""
    from litkit.export import DEFAULT_COLUMNS, outcomes_text, records_for_segments
    from litkit.query import TABLE_COLUMNS, Query, count_matches, describe, plan, ranked_segment_ids

    filters = treatments or concepts or types or langs or designs or years or direction
    if not (text and text.strip()) and not filters:
        raise click.UsageError("give a TEXT to search for or at least one filter")
    request = Query(
        text=text, treatments=treatments, concept_ids=concepts, types=types, langs=langs,
        designs=designs, years=years, limit=limit, all_segments=all_segments,
        direction=direction,
    )  # fmt: skip
    query_plan = plan(request, obj.lexicon)
    click.echo(describe(query_plan), err=True)
    ids = ranked_segment_ids(obj.db, request, query_plan)
    records = records_for_segments(obj.db, ids)
    if fmt == "table":  # one readable cell per claim instead of a JSON list
        records = [dict(r, outcomes=outcomes_text(r["outcomes"])) for r in records]
    columns = (
        TABLE_COLUMNS if fmt == "table" else DEFAULT_COLUMNS if fmt in TABULAR_FORMATS else None
    )
    write_records(records, fmt, sys.stdout, columns)
    if len(ids) == limit:
        total = count_matches(obj.db, request, query_plan)
        if total > limit:
            click.echo(
                f"showing {limit} of {total} matching sentences; use --limit {min(total, 10_000)}"
                " to see them all (or `litkit export` with the same filters)",
                err=True,
            )


@click.command()
@format_option("jsonl", EXPORT_FORMATS)
@click.option("--all", "all_segments", is_flag=True, help="Every sentence, not only claims.")
@treatment_option
@type_option
@design_option
@year_option
@direction_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
@click.option("--bom", is_flag=True, help="Start CSV/TSV with a UTF-8 byte-order mark (for Excel).")
@click.pass_obj
@reports_errors
def export(
    obj: Any,
    fmt: str,
    all_segments: bool,
    treatments: tuple[str, ...],
    types: tuple[str, ...],
    designs: tuple[str, ...],
    years: tuple[int, int] | None,
    direction: str | None,
    output: str | None,
    bom: bool,
) -> None:
    """Export claims (or every sentence) as citable records with their links.

    `--format ris` or `bibtex` writes the studies behind the filter instead, one reference
    each, with litkit's labels (treatments, claim types, directions) as keywords."""
    from litkit.export import DEFAULT_COLUMNS, ExportFilter, export_records
    from litkit.output import atomic_output, text_destination, write_xlsx
    from litkit.query import pair_treatment_ids, treatment_ids

    concept_ids: list[str] = []
    pair_treatments: tuple[str, ...] = ()
    if treatments:
        lexicon = obj.lexicon
        for name in treatments:
            concept_ids += [c for c in treatment_ids(name, lexicon) if c not in concept_ids]
        if direction:
            pair_treatments = pair_treatment_ids(treatments, lexicon)
    where = ExportFilter(
        all_segments=all_segments, concept_ids=tuple(concept_ids), types=types, designs=designs,
        years=years, direction=direction, pair_treatments=pair_treatments,
    )  # fmt: skip
    records = export_records(obj.db, where)
    columns = DEFAULT_COLUMNS if fmt in TABULAR_FORMATS else None
    if fmt == "xlsx":
        claim_ids: list[str] = []

        def tracked(records: Any = records) -> Any:
            for record in records:
                if record["types"]:
                    claim_ids.append(record["id"])
                yield record

        def studies_sheet() -> list[tuple[str, Any, Any]]:
            """One row per study behind the exported claims (`litkit studies`' columns)."""
            from litkit.studies import STUDY_COLUMNS, flat_row, study_rows

            rows = [flat_row(study) for study in study_rows(obj.db, claim_ids)]
            return [("studies", STUDY_COLUMNS, rows)]

        if output:
            with atomic_output(output, "wb") as fp:
                write_xlsx(tracked(), fp, columns, more_sheets=studies_sheet)
            return
        stream = sys.stdout.buffer  # click.get_binary_stream is deprecated (Click 8.3)
        if stream.isatty():
            raise click.UsageError("xlsx is binary: write it to a file with -o FILE.xlsx")
        write_xlsx(tracked(), stream, columns, more_sheets=studies_sheet)
        return
    if bom and fmt not in ("csv", "tsv"):
        raise click.UsageError("--bom applies to --format csv or tsv")
    if fmt in REFERENCE_FORMATS:
        from litkit.citations import write_references

        with text_destination(output) as fp:
            write_references(obj.db, records, fmt, fp)
        return
    with text_destination(output) as fp:
        fp.write(UTF8_BOM if bom else "")
        write_records(records, fmt, fp, columns)


@click.command()
@click.option("--treatment", help="A treatment in any language (its narrower drugs included).")
@click.option("--topic", help="Any concept or words (full-text when no concept is named).")
@click.option("--doc", "doc", help="One document: its source, id or id prefix.")
@click.option("--by", type=click.Choice(["treatment"]), help="One row per treatment, whole corpus.")
@format_option("md", ("md", "json"))
@click.pass_obj
@reports_errors
def summarize(
    obj: Any, treatment: str | None, topic: str | None, doc: str | None, by: str | None, fmt: str
) -> None:
    """A cross-language evidence summary of a treatment, a topic, or one document."""
    from litkit import summarize as summaries
    from litkit import summary_markdown as markdown

    chosen = [name for name, value in (("--treatment", treatment), ("--topic", topic),
                                       ("--doc", doc), ("--by", by)) if value]  # fmt: skip
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --treatment, --topic, --doc or --by treatment")
    if by:
        rows = summaries.treatment_table(obj.db)
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            write_records(markdown.treatment_table_markdown_rows(rows), "md", sys.stdout)
        return
    if doc:
        summary = summaries.document_summary(obj.db, doc)
        render = markdown.document_markdown
    elif treatment:
        summary = summaries.treatment_summary(obj.db, treatment, obj.lexicon)
        render = markdown.evidence_markdown
    else:
        summary = summaries.topic_summary(obj.db, topic or "", obj.lexicon)
        render = markdown.evidence_markdown
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        click.echo(render(summary), nl=False)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open a web browser.")
@click.pass_obj
@reports_errors
def browse(obj: Any, host: str, port: int, open_browser: bool) -> None:
    """Open the database in Datasette (needs the `litkit[browse]` extra)."""
    from litkit.browse import serve

    obj.db  # noqa: B018 -- create or migrate the database before serving it
    status = serve(obj.db_path, host=host, port=port, open_browser=open_browser)
    if status:
        sys.exit(status)


COMMANDS = (query, export, summarize, browse)
