"""`litkit lexicon list|show|check`: the concept lexicon, and a user lexicon file checked."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..commands.common import (
    LitkitContext,
    format_option,
    pass_litkit,
    reports_errors,
)
from ..lexicon import CATEGORIES
from ..output import write_records


@click.group()
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
    from ..lexicon_tools import lexicon_file, render, resolve

    lex = obj.lexicon
    click.echo(render(lexicon_file(resolve(name, lex), lex)), nl=False)


@lexicon.command(name="check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@reports_errors
def lexicon_check(path: str) -> None:
    """Check a user lexicon file; exit 1 with one line per problem."""
    from ..lexicon import check_file
    from ..lexicon_tools import duplicate_problems

    problems = check_file(Path(path)) or duplicate_problems(Path(path))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{path}: ok", err=True)
