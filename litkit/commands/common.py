"""What every `litkit` command shares: the context object, the `--format` option, error
reporting and the batch summary lines. One module, so command groups never copy them."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

from ..display import printable
from ..errors import LitkitError
from ..output import output_formats
from ..vocab import LANGUAGES

if TYPE_CHECKING:
    from ..ingest import IngestOutcome
    from ..lexicon import Lexicon


class LitkitContext:
    """The database path and the user's lexicon files, given on the `litkit` group (or, for
    `--db`, after the subcommand), and whether the command writes to the database."""

    def __init__(
        self,
        db_path: str,
        lexicon_paths: tuple[str, ...],
        *,
        writes: bool = False,
        warns_stale: bool = False,
    ) -> None:
        self.db_path = db_path
        self.lexicon_paths = lexicon_paths
        self.writes = writes
        self.warns_stale = warns_stale  # say when stored documents need `litkit reindex`
        self._db: Any = None

    @property
    def db(self) -> Any:
        """Open the database lazily, so `--help` and `eval` never create `litkit.db`.

        A writing command creates or upgrades it; a reading command opens an existing litkit
        database read-only and never creates, migrates or changes a file (`litkit.database`)."""
        if self._db is None:
            from ..database import open_for_reading, open_for_writing

            opener = open_for_writing if self.writes else open_for_reading
            self._db = opener(self.db_path)
            if self.warns_stale:
                warn_stale_documents(self._db, self.lexicon_paths)
        return self._db

    @property
    def lexicon(self) -> Lexicon:
        """The built-in lexicon, merged with the user's `--lexicon` files if any."""
        from ..lexicon import load_lexicon

        return load_lexicon(self.lexicon_paths)


pass_litkit = click.make_pass_decorator(LitkitContext)


def stale_warning(db: Any, lexicon_paths: tuple[str, ...]) -> str | None:
    """The warning line when stored documents were processed with another lexicon or other
    rules than the current ones (`litkit.version`), else None."""
    from ..reindex import count_stale
    from ..version import rules_version

    stale = count_stale(db, rules_version(lexicon_paths))
    if not stale:
        return None
    total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    return (
        f"warning   {stale} of {total} stored documents were processed with another lexicon"
        " or other rules; run `litkit reindex` (with the same --lexicon files) to update them"
    )


def warn_stale_documents(db: Any, lexicon_paths: tuple[str, ...]) -> None:
    """Print `stale_warning` on stderr, if any."""
    line = stale_warning(db, lexicon_paths)
    if line:
        click.echo(line, err=True)


def format_option(default: str = "table", choices: Iterable[str] | None = None) -> Callable:
    """The shared `--format` option of every command that prints records: by default the
    text formats, built-in or from a plugin (`litkit.plugins`)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(output_formats() if choices is None else choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def lang_option(help_text: str) -> Callable:
    """The shared `--lang` option: any language code a sentence can get (litkit.vocab)."""
    return click.option(
        "--lang",
        "langs",
        multiple=True,
        type=click.Choice(LANGUAGES),
        metavar="LANG",
        help=f"{help_text} (ISO 639-1: fr, en, zh, ...; repeatable).",
    )


def reports_errors(fn: Callable) -> Callable:
    """Turn library errors into one-line Click errors (exit status 1, no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LitkitError as error:
            raise click.ClickException(str(error)) from error

    return wrapper


def outcome_line(outcome: IngestOutcome) -> str:
    """The stderr line of one document: ingested / skipped / failed with its reason."""
    locator = printable(outcome.locator)
    if outcome.status == "failed":
        return f"failed    {locator}: {printable(outcome.reason or '')}"
    if outcome.status == "skipped":
        return f"skipped   {locator} ({printable(outcome.reason or 'already present')})"
    again = f"; {outcome.reason}" if outcome.reason else ""
    return f"ingested  {locator} ({outcome.segments} sentences, {outcome.lang}{again})"


def finish_batch(counts: dict[str, int]) -> None:
    """Print a batch's total on stderr (`counts` in its order: "total: 3 ingested, 0 skipped,
    1 failed"); exit 1 when any input failed (the others went in)."""
    click.echo("total: " + ", ".join(f"{n} {status}" for status, n in counts.items()), err=True)
    if counts["failed"]:
        sys.exit(1)
