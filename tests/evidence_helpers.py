"""Shared helpers of the evidence tests: a CLI with the evidence commands, a demo database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from litkit.cli import cli
from litkit.ingest import ingest
from litkit.store import open_db

from .conftest import CORPORA


def run(db: Path, *args: str):
    """Run `litkit --db DB ARGS` in process; never swallow an unexpected exception."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def build_demo_db(folder: Path) -> Path:
    """The demo corpus, exactly what `make demo` ingests, in `folder/demo.db`."""
    path = folder / "demo.db"
    db = open_db(path)
    ingest(db, [str(CORPORA)])
    db.close()
    return path
