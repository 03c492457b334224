"""The database schema: a SQL baseline plus ordered, named migrations (sqlite-utils `Migrations`).

Every applied migration is recorded in `_sqlite_migrations`, so an older database is brought up
to date on open and a database written by a newer litkit (one that names migrations this code
does not know) is refused instead of being silently misread. Never edit an applied migration:
add a new one.
"""

from __future__ import annotations

from importlib import resources

from sqlite_utils import Database, Migrations

from .errors import SchemaVersionError

MIGRATION_SET = "litkit"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_baseline")
def _baseline(db: Database) -> None:
    """Create the baseline tables; harmless on a database that already has them."""
    sql = resources.files("litkit").joinpath("resources/schema/baseline.sql").read_text("utf-8")
    db.executescript(sql)


def known_migrations() -> list[str]:
    """Names of the migrations this version of litkit knows, in order."""
    return [m.name for m in migrations._migrations]


def upgrade(db: Database) -> list[str]:
    """Apply pending migrations; refuse a database from a newer litkit. Returns what was applied."""
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known_migrations()]
    if unknown:
        raise SchemaVersionError(
            f"database schema is newer than this litkit (unknown migrations: {', '.join(unknown)});"
            " upgrade litkit to open it"
        )
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
    return pending
