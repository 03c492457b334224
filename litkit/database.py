"""Opening a litkit database the way each command needs it, with one clear line when it can't.

Read commands (`query`, `export`, `stats`, ...) open the file read-only and never create,
migrate or switch it to WAL: a mistyped `--db` is an error, not a new empty database, and
pointing litkit at another program's SQLite file leaves it byte-identical. Writing commands
(`ingest`, `load`) create or upgrade it, but refuse a file that holds another program's
tables. Every `sqlite3` failure is turned into one `DatabaseError` naming the path and what
to do (`describe`), so no command ends in a traceback.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import urllib.parse
from pathlib import Path

from sqlite_utils import Database

from .errors import DatabaseError, SchemaVersionError
from .migrations import MIGRATION_SET, known_migrations

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_TABLE = "_sqlite_migrations"
# Virtual-table shadow tables and SQLite's own: created by litkit's tables, never "foreign".
_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


def _is_memory(path: str | Path) -> bool:
    return str(path) == ":memory:"


def _check_file(path: Path) -> None:
    """A path that exists must be a regular SQLite file (not /dev/null, a FIFO, a folder)."""
    if not path.is_file():
        raise DatabaseError(f"{path}: not a regular file, cannot be a litkit database")
    with path.open("rb") as fp:
        header = fp.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseError(f"{path}: not a SQLite database (nothing was changed)")


def _read_only_uri(path: Path) -> str:
    """A URI that opens `path` read-only: SQLite then never writes to the file."""
    return "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"


def check_writable_location(path: str | Path) -> None:
    """Before creating or writing a database: its folder exists and the file is SQLite."""
    if _is_memory(path):
        return
    path = Path(path)
    if path.exists():
        _check_file(path)
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise DatabaseError(f"{path}: folder {parent} does not exist (create it first)")
    if not os.access(parent, os.W_OK):
        raise DatabaseError(f"{path}: folder {parent} is not writable")


@functools.cache
def litkit_tables() -> frozenset[str]:
    """The tables, views and indexes a litkit database holds: those of an empty database."""
    from .store import open_db

    db = open_db(":memory:")
    try:
        return frozenset(
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        )
    finally:
        db.close()


def foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables of another program in this database (not litkit's, not SQLite's own)."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%'"
        )
    ]
    ours = litkit_tables()
    return sorted(
        name
        for name in names
        if name not in ours
        and not (name.endswith(_SHADOW_SUFFIXES) and name.rsplit("_", 1)[0] in ours)
    )


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """litkit's applied migrations, or None when the database has no litkit migration record."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if not has_table:
        return None
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id", [MIGRATION_SET]
    ).fetchall()
    return [name for (name,) in rows] or None


def open_for_reading(path: str | Path) -> Database:
    """Open an existing, up-to-date litkit database read-only; never create or change it."""
    if _is_memory(path):
        raise DatabaseError(":memory: holds no litkit database")
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"no litkit database at {path}; run `litkit ingest` first")
    _check_file(path)
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None, timeout=60.0)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA busy_timeout = 60000")
        applied = applied_migrations(conn)
    except sqlite3.Error as error:
        raise describe(error, path) from error
    if applied is None:
        conn.close()
        raise DatabaseError(
            f"{path}: not a litkit database (no litkit tables; nothing was changed)"
        )
    unknown = [name for name in applied if name not in known_migrations()]
    if unknown:
        conn.close()
        raise SchemaVersionError(
            f"{path}: database schema is newer than this litkit (unknown migrations:"
            f" {', '.join(unknown)}); upgrade litkit to open it"
        )
    pending = [name for name in known_migrations() if name not in applied]
    if pending:
        conn.close()
        raise DatabaseError(
            f"{path}: written by an older litkit (pending migrations: {', '.join(pending)});"
            " run `litkit migrate` to upgrade it"
        )
    return Database(conn)


def open_for_writing(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) a litkit database for writing, upgraded to this litkit.

    A SQLite file that holds another program's tables and no litkit record is refused, so
    litkit never adds its tables to someone else's database."""
    from .store import open_db

    check_writable_location(path)
    if not _is_memory(path) and Path(path).exists():
        try:
            conn = sqlite3.connect(_read_only_uri(Path(path)), uri=True)
            try:
                others = foreign_tables(conn) if applied_migrations(conn) is None else []
            finally:
                conn.close()
        except sqlite3.Error as error:
            raise describe(error, Path(path)) from error
        if others:
            raise DatabaseError(
                f"{path}: holds another program's tables ({', '.join(others[:3])}"
                f"{', ...' if len(others) > 3 else ''}); give litkit a database of its own"
            )
    try:
        return open_db(path, migrate=migrate)
    except sqlite3.Error as error:
        raise describe(error, Path(path)) from error


def describe(error: sqlite3.Error, path: str | Path) -> DatabaseError:
    """One line for a `sqlite3` failure: what is wrong with the database and what to do."""
    message = str(error).lower()
    if "not a database" in message:
        reason = "not a SQLite database, or encrypted (nothing was changed)"
    elif "malformed" in message or "corrupt" in message:
        reason = (
            "the database is corrupted; check it with `sqlite3 PATH 'PRAGMA integrity_check'`"
            " and save what can be saved with `sqlite3 PATH .recover`"
        )
    elif "readonly" in message or "read-only" in message:
        reason = "the database (or its folder) is read-only; check its permissions"
    elif "locked" in message or "busy" in message:
        reason = "the database stayed locked by another process past the 60 s busy timeout; retry"
    elif "disk is full" in message or "full" in message:
        reason = (
            "the disk is full; free some space and run the command again"
            " (documents already reported ingested are stored, the rest were not written)"
        )
    elif "disk i/o error" in message:
        reason = (
            "the disk could not be read or written (full, or failing); free some space or"
            " check the disk, then run the command again"
        )
    elif "unable to open" in message:
        reason = "cannot open the database file (missing folder or no permission)"
    else:
        reason = f"database error: {error}"
    return DatabaseError(f"{path}: {reason}")
