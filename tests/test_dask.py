"""The per-document pipeline on Dask: a bag over sources writes shards that `litkit load` merges
into the same documents, with the same ids, as a local `litkit ingest` (optional extra)."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.commands.scale import load
from litkit.shards import dask_to_shards

from .conftest import REPO

dask = pytest.importorskip("dask")
sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate  # noqa: E402

cli.add_command(load)


@pytest.mark.parametrize("scheduler", ["processes", "threads"])
def test_dask_shards_load_to_the_same_database_as_ingest(tmp_path, scheduler):
    paths = generate(tmp_path / "corpus", 12)
    (tmp_path / "corpus" / "bad.bin").write_bytes(b"\x7fELF\x02\x01" + bytes(300))
    locators = [str(p) for p in paths] + [str(tmp_path / "corpus" / "bad.bin")]
    with dask.config.set(scheduler=scheduler, num_workers=2):
        shards = dask_to_shards(locators, tmp_path / "shards", partitions=3)
    assert len(shards) == 3

    runner = CliRunner()
    local, merged = tmp_path / "local.db", tmp_path / "merged.db"
    runner.invoke(cli, ["--db", str(local), "ingest", *locators])
    result = runner.invoke(cli, ["--db", str(merged), "load", *shards])
    assert "total: 12 ingested, 0 skipped, 1 failed" in result.stderr
    assert "ELF executable" in result.stderr

    def rows(path):
        with sqlite3.connect(path) as conn:
            return conn.execute(
                "SELECT d.id, d.source, COUNT(s.id) FROM documents d"
                " JOIN segments s ON s.doc_id = d.id GROUP BY d.id ORDER BY d.id"
            ).fetchall()

    assert rows(merged) == rows(local)
    exports = [
        runner.invoke(cli, ["--db", str(db), "export", "--all"]).stdout for db in (local, merged)
    ]
    assert exports[0] == exports[1]
