"""The single writer's cost per document, split by SQL statement (issue 6).

Why: with `litkit ingest --jobs N` the workers scale with the cores but the writer does not, so
its milliseconds per document bound the whole ingest. This script computes the documents' write
plans first (what the workers hand over; cached next to the corpus), then times only the
writer (`litkit.ingest.store_results`) writing them, into a fresh database or into a copy of an
existing one (`--into`, e.g. the 100k-document benchmark database), to see which statements
grow with the database.

    python benchmarks/writer_cost.py --docs 1000 [--seed 8] [--into BIG.db] [--workdir DIR]

Use another `--seed` than the database's corpus when writing `--into` it, or every document is
already there and skipped. Prints one JSON line per statement kind (ms per document, summed
over its calls), then the total wall and CPU ms per document.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import generate

import litkit
from litkit.ingest import process_source, store_results
from litkit.lexicon import default_lexicon
from litkit.plan import WritePlan, plan_write
from litkit.sources import resolve
from litkit.store import open_db

_TABLE = re.compile(r'INSERT (?:OR IGNORE )?INTO "?(\w+)|FROM "?(\w+)')


def statement_kind(sql: str) -> str:
    """A short name for a statement: the table it writes or first reads, or its verb."""
    match = _TABLE.search(sql)
    verb = sql.split(None, 1)[0].upper()
    if match:
        return f"{verb.lower()} {match.group(1) or match.group(2)}"
    nested = re.search(r"FROM \(SELECT .*? FROM (\w+)", sql)
    return f"select {nested.group(1)}" if nested else verb


class TimedConnection:
    """Wraps a sqlite3 connection and adds each statement's time to its kind."""

    def __init__(self, conn: sqlite3.Connection, seconds: dict[str, float]) -> None:
        self._conn = conn
        self._seconds = seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def execute(self, sql: str, *args: Any) -> Any:
        start = time.perf_counter()
        cursor = self._conn.execute(sql, *args)
        rows = _Rows(cursor.fetchall()) if cursor.description else cursor
        self._seconds[statement_kind(sql)] += time.perf_counter() - start
        return rows

    def executemany(self, sql: str, rows: Any) -> Any:
        start = time.perf_counter()
        cursor = self._conn.executemany(sql, rows)
        self._seconds[statement_kind(sql)] += time.perf_counter() - start
        return cursor


class _Rows(list):
    """Fetched rows that still answer `fetchone`/`fetchall` like a cursor (reads are timed
    whole, not just until the first row)."""

    def fetchone(self) -> Any:
        return self[0] if self else None

    def fetchall(self) -> list:
        return list(self)


def plans_for(folder: Path) -> list[WritePlan]:
    """The write plans of a corpus folder, computed once per version of litkit's code and
    cached beside it (a cache kept across code changes would time yesterday's plans)."""
    cache = folder.with_suffix(f".plans-{code_digest()}.pickle")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    lexicon = default_lexicon()
    plans = [
        plan_write(doc, lexicon)
        for raw in resolve([str(folder)], recursive=True)
        for doc in process_source(raw, lexicon)
    ]
    cache.write_bytes(pickle.dumps(plans))
    return plans


def code_digest() -> str:
    """A short digest of litkit's Python sources: what a write plan is computed by."""
    digest = hashlib.sha256()
    package = Path(litkit.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--into", type=Path, help="Write into a copy of this database.")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.gettempdir()) / "litkit-bench"
    folder = workdir / f"writer-corpus-{args.docs}-seed{args.seed}"
    if not (folder / ".complete").exists():
        generate(folder, args.docs, seed=args.seed)
        (folder / ".complete").write_text("ok")
    plans = plans_for(folder)
    db_path = workdir / "writer-cost.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if args.into:
        with sqlite3.connect(args.into) as source:
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(args.into, db_path)
    db = open_db(db_path)
    seconds: dict[str, float] = defaultdict(float)
    db.conn = TimedConnection(db.conn, seconds)  # type: ignore[assignment]
    wall, cpu = time.perf_counter(), time.process_time()
    written = sum(1 for outcome in store_results(db, plans) if outcome.status == "ingested")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    per_doc = max(written, 1)
    for kind, spent in sorted(seconds.items(), key=lambda item: -item[1]):
        print(json.dumps({"statement": kind, "ms_per_doc": round(1000 * spent / per_doc, 3)}))
    print(
        json.dumps(
            {
                "written": written,
                "into": str(args.into) if args.into else None,
                "wall_ms_per_doc": round(1000 * wall / per_doc, 2),
                "cpu_ms_per_doc": round(1000 * cpu / per_doc, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
