"""`litkit ingest` and `litkit reindex`: sources into the database, and stored documents
processed again with the current lexicon and rules.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from ..commands.common import (
    LitkitContext,
    finish_batch,
    outcome_line,
    pass_litkit,
    reports_errors,
)
from ..display import printable
from ..limits import (
    DEFAULT_DOC_SECONDS,
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_SENTENCES,
    Limits,
    MiB,
    memory_ceiling,
    parse_size,
)

PROGRESS_THRESHOLD = 20  # inputs; below this a progress bar is noise


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
    from ..sources.files import read_limited

    text = read_limited(path).decode("utf-8", errors="replace")
    ids = [token for token in text.replace(",", " ").split() if not token.startswith("#")]
    return [f"pmid:{','.join(ids)}"] if ids else []


@click.command()
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
    from ..ingest import IngestOptions, IngestOutcome
    from ..ingest import ingest as run_ingest

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


@click.command()
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")  # fmt: skip
@pass_litkit
@reports_errors
def reindex(obj: LitkitContext, jobs: int) -> None:
    """Process stored documents again with the current lexicon (and --lexicon files) and rules.

    Only documents processed with another version are redone, one per transaction: after a
    kill, run it again to resume."""
    from ..reindex import ReindexOutcome
    from ..reindex import reindex as run_reindex

    counts = {"reindexed": 0, "skipped": 0, "failed": 0}

    def report(outcome: ReindexOutcome) -> None:
        counts[outcome.status] += 1
        source = printable(outcome.source)
        if outcome.status == "failed":
            click.echo(f"failed    {source}: {printable(outcome.reason or '')}", err=True)
        else:
            click.echo(f"{outcome.status:9} {source}", err=True)

    run_reindex(obj.db, obj.lexicon, obj.lexicon_paths, jobs=jobs, on_outcome=report)
    finish_batch(counts)
