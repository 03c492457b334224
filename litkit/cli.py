"""The `litkit` command line: thin commands that parse options, call the library, print.

Data goes to stdout, progress and per-document status lines to stderr. Library errors
(`LitkitError`) become one clear line and exit status 1, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from . import __version__
from .commands.common import (
    LitkitContext,
    finish_batch,
    format_option,
    outcome_line,
    pass_litkit,
    reports_errors,
)
from .display import printable
from .errors import LitkitError
from .lexicon import CATEGORIES
from .limits import (
    DEFAULT_DOC_SECONDS,
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_SENTENCES,
    Limits,
    MiB,
    memory_ceiling,
    parse_size,
)
from .output import write_records

PROGRESS_THRESHOLD = 20  # inputs; below this a progress bar is noise
# Commands that create or change the database; every other command opens it read-only.
WRITING_COMMANDS = frozenset({"ingest", "load", "migrate", "pubmed", "curate", "reindex"})
# Commands that say when stored documents were processed with other rules (`litkit reindex`).
STALE_WARNING_COMMANDS = frozenset({"ingest", "query", "export", "stats"})
DB_HELP = "SQLite database file (env LITKIT_DB)."


class LitkitGroup(click.Group):
    """The `litkit` group: a database failure or Ctrl-C in any command is one line, no
    traceback (sqlite3 errors the library did not expect are described by
    `litkit.database.describe`; Ctrl-C exits 130 as shells expect)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except sqlite3.Error as error:
            from .database import describe

            path = ctx.obj.db_path if isinstance(ctx.obj, LitkitContext) else "database"
            raise click.ClickException(str(describe(error, path))) from error
        except KeyboardInterrupt:
            click.echo("litkit: interrupted", err=True)
            ctx.exit(130)
        except MemoryError:  # outside any one input (each input's own is its line)
            raise click.ClickException(
                "out of memory (raise --max-memory, or lower --max-sentences)"
            ) from None


def _db_after_subcommand(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`litkit query x --db f.db` as well as `litkit --db f.db query x` (sqlite-utils' order)."""
    if value is not None:
        ctx.ensure_object(LitkitContext).db_path = value


def _add_db_option(command: click.Command) -> None:
    """Give a subcommand (and every command of a subgroup) its own `--db`."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _add_db_option(sub)
        return
    if any("--db" in p.opts for p in command.params):
        return
    command.params.append(
        click.Option(
            ["--db"],
            type=click.Path(dir_okay=False),
            expose_value=False,
            callback=_db_after_subcommand,
            help=DB_HELP,
        )
    )


@click.group(cls=LitkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="litkit")
@click.option(
    "--db",
    "db_path",
    envvar="LITKIT_DB",
    default="litkit.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help=DB_HELP,
)
@click.option(
    "--lexicon",
    "lexicon_paths",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A lexicon JSON file merged over the built-in one (repeatable).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: str, lexicon_paths: tuple[str, ...]) -> None:
    """litkit: a cross-language evidence base from medical articles (fr, en, zh)."""
    ctx.obj = LitkitContext(
        db_path,
        lexicon_paths,
        writes=ctx.invoked_subcommand in WRITING_COMMANDS,
        warns_stale=ctx.invoked_subcommand in STALE_WARNING_COMMANDS,
    )


class SizeType(click.ParamType):
    """A size with a binary unit (`900M`, `1.5G`), in bytes; 0 switches the limit off."""

    name = "size"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def _read_pmids(path: str | None) -> list[str]:
    """`pmid:` locators from a file of PMIDs (one per line or separated by commas/spaces)."""
    if not path:
        return []
    from .sources.files import read_limited

    text = read_limited(path).decode("utf-8", errors="replace")
    ids = [token for token in text.replace(",", " ").split() if not token.startswith("#")]
    return [f"pmid:{','.join(ids)}"] if ids else []


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--recursive/--no-recursive", default=True, help="Descend into directories.")
@click.option("--pmids", "pmids_file", type=click.Path(exists=True, dir_okay=False),
              help="A file of PubMed ids to fetch (batched, rate-limited).")  # fmt: skip
@click.option("--max-bytes", type=click.IntRange(1), default=None,
              help="Refuse URL bodies larger than this (default 20 MB).")  # fmt: skip
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")  # fmt: skip
@click.option("--name", "stdin_name", metavar="NAME",
              help="Source name of - (stdin), e.g. its file's path.")  # fmt: skip
@click.option("--max-chars", type=click.IntRange(0), default=DEFAULT_MAX_CHARS,
              show_default=True,
              help="Refuse a document with more characters (0: no cap).")  # fmt: skip
@click.option("--max-sentences", type=click.IntRange(0), default=DEFAULT_MAX_SENTENCES,
              show_default=True,
              help="Refuse a document with more sentences (0: no cap).")  # fmt: skip
@click.option("--max-memory", type=SizeType(), default=f"{DEFAULT_MAX_MEMORY // MiB}M",
              show_default=True,
              help="Address-space ceiling of the ingest process and of each worker, e.g. 900M,"
              " 2G (0: none); a document that needs more fails alone.")  # fmt: skip
@click.option("--timeout", "doc_seconds", type=click.FloatRange(0), default=DEFAULT_DOC_SECONDS,
              show_default=True,
              help="Seconds to read, and to process, one document before it fails"
              " (0: none).")  # fmt: skip
@pass_litkit
@reports_errors
def ingest(
    obj: LitkitContext,
    sources: tuple[str, ...],
    recursive: bool,
    pmids_file: str | None,
    max_bytes: int | None,
    jobs: int,
    stdin_name: str | None,
    max_chars: int,
    max_sentences: int,
    max_memory: int,
    doc_seconds: float,
) -> None:
    """Ingest files, directories, URLs, pmid:/pmcid: ids or `-` (stdin) into the database.

    Each document is capped (--max-chars, --max-sentences, --timeout) and every process under
    --max-memory: a document past a limit is one failed line and the batch goes on."""
    from .ingest import IngestOptions, IngestOutcome
    from .ingest import ingest as run_ingest

    sources = (*sources, *_read_pmids(pmids_file))
    if not sources:
        raise click.UsageError("give at least one source (a path, URL, pmid:N or -) or --pmids")
    if stdin_name is not None and "-" not in sources:
        raise click.UsageError("--name names standard input: give - as a source")
    if stdin_name is not None and not stdin_name.strip():
        raise click.UsageError("--name must not be empty")

    counts = {"ingested": 0, "skipped": 0, "failed": 0}
    expected = _estimate_inputs(sources, recursive) if stderr_is_terminal() else 0
    options = IngestOptions(
        recursive=recursive,
        jobs=jobs,
        lexicon_paths=obj.lexicon_paths,
        max_bytes=max_bytes,
        stdin_name=stdin_name,
        limits=Limits(
            max_chars=max_chars or None,
            max_sentences=max_sentences or None,
            max_memory=max_memory or None,
            doc_seconds=doc_seconds or None,
        ),
    )
    stdin = sys.stdin.buffer if "-" in sources else None
    with contextlib.ExitStack() as stack:
        bar = None
        if expected >= PROGRESS_THRESHOLD:
            bar = stack.enter_context(
                click.progressbar(length=expected, label="ingesting", file=sys.stderr)
            )

        def report(outcome: IngestOutcome) -> None:
            counts[outcome.status] += 1
            if bar is None:
                click.echo(outcome_line(outcome), err=True)
            else:  # the bar owns the terminal: failures are listed once it is done
                bar.update(1)

        stack.enter_context(_source_warnings_on_stderr())
        if jobs == 1 and options.limits.max_memory:  # this process runs the pipeline
            from .langid import load_models

            load_models()  # before the ceiling: past it lingua would abort, not raise
        stack.enter_context(memory_ceiling(options.limits.max_memory))
        outcomes = run_ingest(obj.db, sources, options, stdin=stdin, on_outcome=report)
    if bar is not None:
        for outcome in outcomes:
            if outcome.status == "failed":
                click.echo(outcome_line(outcome), err=True)
    finish_batch(counts)


class _EchoHandler(logging.Handler):
    """A reader's warning summary (`litkit.sources` logger) as one `warning` line on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"warning   {record.getMessage()}", err=True)


@contextlib.contextmanager
def _source_warnings_on_stderr():  # -> Iterator[None]
    """Readers log one summary line per document for what their libraries warned about
    (pypdf: hundreds of lines per damaged PDF); during an ingest they go to stderr."""
    source_logger = logging.getLogger("litkit.sources")
    handler = _EchoHandler(logging.WARNING)
    source_logger.addHandler(handler)
    try:
        yield
    finally:
        source_logger.removeHandler(handler)


def stderr_is_terminal() -> bool:
    """Whether a person is watching stderr (then a progress bar replaces per-document lines)."""
    return sys.stderr.isatty()


def _estimate_inputs(sources: Iterable[str], recursive: bool) -> int:
    """Roughly how many inputs a batch holds (files under directories), to size a progress bar."""
    total = 0
    for source in sources:
        path = Path(source)
        if path.is_dir():
            walk = path.rglob("*") if recursive else path.glob("*")
            total += sum(1 for p in walk if p.is_file() and not p.name.startswith("."))
        else:
            total += 1
    return total


@cli.command()
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")  # fmt: skip
@pass_litkit
@reports_errors
def reindex(obj: LitkitContext, jobs: int) -> None:
    """Process stored documents again with the current lexicon (and --lexicon files) and rules.

    Only documents processed with another version are redone, one per transaction: after a
    kill, run it again to resume."""
    from .reindex import ReindexOutcome
    from .reindex import reindex as run_reindex

    counts = {"reindexed": 0, "skipped": 0, "failed": 0}

    def report(outcome: ReindexOutcome) -> None:
        counts[outcome.status] += 1
        source = printable(outcome.source)
        if outcome.status == "failed":
            click.echo(f"failed    {source}: {printable(outcome.reason or '')}", err=True)
        else:
            click.echo(f"{outcome.status:9} {source}", err=True)

    run_reindex(obj.db, obj.lexicon, obj.lexicon_paths, jobs=jobs, on_outcome=report)
    click.echo(
        f"total: {counts['reindexed']} reindexed, {counts['skipped']} skipped,"
        f" {counts['failed']} failed",
        err=True,
    )
    if counts["failed"]:
        sys.exit(1)


@cli.command()
@format_option()
@pass_litkit
@reports_errors
def stats(obj: LitkitContext, fmt: str) -> None:
    """Documents, sentences and claims, per language."""
    from .stats import corpus_stats

    write_records(corpus_stats(obj.db), fmt, sys.stdout)


@cli.command(name="eval")
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
    from .evaluate import errors, evaluate, score

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


@cli.command()
@click.argument("segment_id")
@format_option(default="json", choices=("json", "table"))
@pass_litkit
@reports_errors
def explain(obj: LitkitContext, segment_id: str, fmt: str) -> None:
    """Show a sentence with its language, types, assertion, outcome pairs and their cues."""
    from .export import ExportFilter, explained_outcomes, export_records

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


@cli.group()
def lexicon() -> None:
    """Inspect the concept lexicon and check user lexicon files."""


@lexicon.command(name="list")
@click.option("--category", type=click.Choice(CATEGORIES), help="Only concepts of this category.")
@format_option()
@pass_litkit
@reports_errors
def lexicon_list(obj: LitkitContext, category: str | None, fmt: str) -> None:
    """List concepts: id, category, English label, parents."""
    lex = obj.lexicon
    rows = [
        {"id": c.id, "category": c.category, "label": c.label, "parents": list(c.parents)}
        for c in lex.concepts()
        if category is None or c.category == category
    ]
    write_records(rows, fmt, sys.stdout)


@lexicon.command(name="show")
@click.argument("name")
@pass_litkit
@reports_errors
def lexicon_show(obj: LitkitContext, name: str) -> None:
    """Print a concept (by id, or a name in any language) as a lexicon file: save it, add your
    names, check it with `litkit lexicon check` and load it with `--lexicon FILE`."""
    from .lexicon_tools import lexicon_file, render, resolve

    lex = obj.lexicon
    click.echo(render(lexicon_file(resolve(name, lex), lex)), nl=False)


@lexicon.command(name="check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@reports_errors
def lexicon_check(path: str) -> None:
    """Check a user lexicon file; exit 1 with one line per problem."""
    from .lexicon import check_file
    from .lexicon_tools import duplicate_problems

    problems = check_file(Path(path)) or duplicate_problems(Path(path))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{path}: ok", err=True)


@cli.group()
def pubmed() -> None:
    """Search PubMed through NCBI E-utilities (LITKIT_EUTILS_URL, NCBI_API_KEY)."""


@pubmed.command(name="search")
@click.argument("term")
@click.option("--max", "max_results", type=click.IntRange(1, 10_000), default=100,
              show_default=True, help="How many hits at most.")  # fmt: skip
@click.option("--ingest", "ingest_hits", is_flag=True, help="Ingest the hits, not list them.")
@format_option()
@click.pass_context
@reports_errors
def pubmed_search(
    ctx: click.Context, term: str, max_results: int, ingest_hits: bool, fmt: str
) -> None:
    """List (or ingest) the PubMed records matching TERM, most relevant first."""
    from .sources.pubmed import search

    pmids = search(term, max_results=max_results)
    if not ingest_hits:
        write_records([{"pmid": p, "source": f"pmid:{p}"} for p in pmids], fmt, sys.stdout)
        return
    click.echo(f"{len(pmids)} hits for {term!r}", err=True)
    if pmids:
        ctx.invoke(ingest, sources=(f"pmid:{','.join(pmids)}",))


@cli.command()
@pass_litkit
@reports_errors
def migrate(obj: LitkitContext) -> None:
    """Create a database, or upgrade one written by an older litkit, to this version's schema."""
    from .database import open_for_writing
    from .migrations import upgrade
    from .store import write_transaction

    with write_transaction(open_for_writing(obj.db_path, migrate=False)) as db:
        applied = upgrade(db)
    click.echo(
        f"{obj.db_path}: " + (f"applied {', '.join(applied)}" if applied else "up to date"),
        err=True,
    )


# Evidence commands (query, export, summarize, browse), `load`, `studies`, `curate` and any
# installed plugin's commands join through the `register_commands` hook (litkit.plugins).
def _register_plugin_commands() -> None:
    from .plugins import call_in_order

    call_in_order("register_commands", cli=cli)


_register_plugin_commands()

for _command in cli.commands.values():
    _add_db_option(_command)
