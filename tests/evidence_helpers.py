"""Shared helpers of the evidence tests: a CLI with the evidence commands, a demo database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from litkit.cli import cli
from litkit.commands.evidence import register
from litkit.ingest import ingest
from litkit.store import open_db

from .conftest import CORPORA

register(cli)

# An English article about NSAIDs, so that French `AINS` must find English claims.
ENGLISH_NSAID_ARTICLE = (
    "Naproxen in chronic recurrent multifocal osteomyelitis: a cohort study.\n"
    "Nonsteroidal anti-inflammatory drugs are the first-line treatment of CRMO.\n"
    "Most patients treated with NSAIDs improved within six months.\n"
    "Methylprednisolone was given to refractory patients and their pain resolved.\n"
)


def run(db: Path, *args: str):
    """Run `litkit --db DB ARGS` in process; never swallow an unexpected exception."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def build_demo_db(folder: Path) -> Path:
    """The demo corpus plus an English NSAID article, ingested into `folder/demo.db`."""
    extra = folder / "nsaid_cohort.en.txt"
    extra.write_text(ENGLISH_NSAID_ARTICLE, encoding="utf-8")
    path = folder / "demo.db"
    db = open_db(path)
    ingest(db, [str(CORPORA / "cno"), str(extra)])
    db.close()
    return path
