"""Two `litkit ingest` processes on one database at once, with readers running meanwhile: no
"database is locked", nothing lost, nothing duplicated (WAL + busy timeout + BEGIN IMMEDIATE)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import REPO
from .test_crash import assert_consistent

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate

DOCS = 60
SHARED = 10  # documents both writers ingest: exactly one of them may store each
READERS = (
    ("stats", "--format", "json"),
    ("export", "--format", "jsonl"),
    ("query", "methotrexate", "--format", "jsonl"),
    ("query", "骨髓炎", "--format", "jsonl"),
)


def litkit(db, *args: str) -> list[str]:
    return [sys.executable, "-m", "litkit", "--db", str(db), *args]


def test_two_writers_and_readers_on_one_database(tmp_path):
    corpus = tmp_path / "all"
    paths = generate(corpus, DOCS)
    halves = [tmp_path / "a", tmp_path / "b"]
    for half in halves:
        half.mkdir()
    for index, path in enumerate(paths):
        targets = halves if index < SHARED else [halves[index % 2]]
        for half in targets:
            shutil.copy(path, half / path.name)
    db = tmp_path / "shared.db"
    subprocess.run(litkit(db, "migrate"), check=True, capture_output=True)  # create the schema

    writers = [
        subprocess.Popen(litkit(db, "ingest", str(h)), stderr=subprocess.PIPE, text=True)
        for h in halves
    ]
    reader_failures, reads = [], 0
    while any(w.poll() is None for w in writers):
        for command in READERS:
            result = subprocess.run(litkit(db, *command), capture_output=True, text=True)
            reads += 1
            if result.returncode != 0:
                reader_failures.append(result.stderr)
        time.sleep(0.25)  # a round of readers costs CPU the writers need: leave them some
    errors = [w.communicate()[1] for w in writers]

    assert reads > 0
    assert reader_failures == []
    for writer, stderr in zip(writers, errors, strict=True):
        assert writer.returncode == 0, stderr[-2000:]
        assert "locked" not in stderr
    skipped = sum(line.startswith("skipped") for e in errors for line in e.splitlines())
    assert skipped == SHARED  # each shared document stored once, skipped once
    assert assert_consistent(db) == DOCS
    with sqlite3.connect(db) as conn:
        sources = {r[0].rsplit("/", 1)[-1] for r in conn.execute("SELECT source FROM documents")}
    assert sources == {p.name for p in paths}


def test_jobs_n_stores_and_exports_exactly_what_jobs_1_does(tmp_path):
    from click.testing import CliRunner

    from litkit.cli import cli

    folder = tmp_path / "corpus"
    generate(folder, 24)
    (folder / "0000" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    runner = CliRunner()
    exports = []
    for jobs in ("1", "2"):
        db = str(tmp_path / f"j{jobs}.db")
        result = runner.invoke(cli, ["--db", db, "ingest", "--jobs", jobs, str(folder)])
        assert "total: 24 ingested, 0 skipped, 1 failed" in result.stderr
        exports.append(
            [
                runner.invoke(cli, ["--db", db, "export", *extra]).stdout
                for extra in (["--all"], ["--format", "csv"])
            ]
        )
    assert exports[0] == exports[1] and exports[0][0]


# The window tests feed sources every reader refuses at once (an empty file, a PNG image): the
# read-ahead does not depend on what a source holds, and the workers then never load the
# language models and cue patterns (~3 s of CPU each) that the first real document costs.


def test_memory_follows_the_window_not_the_corpus():
    """The pool reads ahead a bounded number of sources, whatever the corpus size."""
    from litkit.ingest import CHUNK_SIZE, TASKS_PER_JOB, process_sources
    from litkit.models import RawSource

    pulled = 0

    def sources():
        nonlocal pulled
        for index in range(10_000):
            pulled += 1
            yield RawSource(f"{index}.txt", b"")

    jobs = 2
    results = process_sources(sources(), jobs=jobs)
    first = next(results)
    assert first.locator == "0.txt"  # the first source's own (failure) line comes first
    assert pulled <= (jobs * TASKS_PER_JOB + 1) * CHUNK_SIZE
    results.close()  # shuts the pool down


def test_large_sources_shrink_the_window(monkeypatch):
    """Large sources: the bytes in flight bound the window, not the task count."""
    from litkit import ingest
    from litkit.models import RawSource

    monkeypatch.setattr(ingest, "MAX_INFLIGHT_BYTES", 64 * 1024)
    pulled = 0

    def sources():
        nonlocal pulled
        for index in range(100):
            pulled += 1
            data = b"\x89PNG\r\n\x1a\n" + bytes(16 * 1024)  # ~16 KB, refused as an image
            yield RawSource(f"{index}.png", data)

    results = ingest.process_sources(sources(), jobs=2)
    next(results)
    # Four sources fill the budget; a second task is allowed (fewer than `jobs` in flight).
    assert pulled <= 2 * ingest.CHUNK_SIZE < ingest.TASKS_PER_JOB * ingest.CHUNK_SIZE
    results.close()


@pytest.mark.skipif(not hasattr(os, "nice"), reason="POSIX niceness")
def test_workers_yield_the_cpu_to_the_writer():
    """Pool workers run `WORKER_NICENESS` nicer than the ingest process (the writer's)."""
    from litkit import ingest

    pool = ingest._new_pool(1, ())
    try:
        worker_niceness = pool.submit(os.nice, 0).result(timeout=60)
    finally:
        pool.shutdown()
    assert worker_niceness == min(os.nice(0) + ingest.WORKER_NICENESS, 19)
