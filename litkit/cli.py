"""The `litkit` command line: thin commands that parse options, call the library, print.

Data goes to stdout, progress and per-document status lines to stderr. Library errors
(`LitkitError`) become one clear line and exit status 1, never a traceback.
"""

from __future__ import annotations

import sqlite3

import click

from . import __version__
from .commands.common import (
    LitkitContext,
)

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


# Evidence commands (query, export, summarize, browse), `load`, `studies`, `curate` and any
# installed plugin's commands join through the `register_commands` hook (litkit.plugins).
def _register_plugin_commands() -> None:
    from .plugins import call_in_order

    call_in_order("register_commands", cli=cli)


_register_plugin_commands()

for _command in cli.commands.values():
    _add_db_option(_command)
