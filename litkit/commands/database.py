"""`litkit migrate`: create a database or bring an older one to this version's schema."""

from __future__ import annotations

import click

from ..commands.common import (
    LitkitContext,
    pass_litkit,
    reports_errors,
)


@click.command()
@pass_litkit
@reports_errors
def migrate(obj: LitkitContext) -> None:
    """Create a database, or upgrade one written by an older litkit, to this version's schema."""
    from ..database import open_for_writing
    from ..migrations import upgrade
    from ..store import write_transaction

    with write_transaction(open_for_writing(obj.db_path, migrate=False)) as db:
        applied = upgrade(db)
    click.echo(
        f"{obj.db_path}: " + (f"applied {', '.join(applied)}" if applied else "up to date"),
        err=True,
    )
