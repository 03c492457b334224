"""The hostile corpus of issue 18: inputs past every limit, in one batch with good documents.

One real `python -m litkit ingest --jobs 2` runs under an address-space limit (the
`prlimit --as` of the issue, set with `resource.setrlimit` in the child) on a folder holding
a 2 MB trilingual document, a page of 500,000 paragraphs, a RIS export large enough to be
handed back from its worker through a temporary file, XML nested 100,000 deep, a CSV field
over 128 KB, a gzip bomb, and documents past the sentence and character caps (lowered by
option so that the inputs stay small). Each input must get exactly one line, each refusal
its reason, the good documents must be stored, and the database must be consistent.

`LITKIT_FULL_MEMORY_TEST=1` makes the RIS export the issue's 100,000 records (minutes).
"""

from __future__ import annotations

import gzip
import os
import re
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from . import hostile
from .hostile.large import write_html_paragraphs, write_ris, write_trilingual

AS_LIMIT = 1536 * 2**20  # the outer ceiling no litkit process may pass, whatever it does
MAX_MEMORY = "900M"
PEAK_RSS_LIMIT_MB = 900
RIS_RECORDS = 100_000 if os.environ.get("LITKIT_FULL_MEMORY_TEST") else 300
LINE = re.compile(r"^(ingested|skipped|failed) +(\S.*?)(?:: (.+)| \((.+)\))$")


def _nested_xml(root: str, depth: int) -> bytes:
    return (
        f"<{root}>".encode()
        + b"<sec>" * depth
        + b"deep"
        + b"</sec>" * depth
        + f"</{root}>".encode()
    )


def _csv_with_long_field() -> bytes:
    """A screening export whose abstract field holds 140 KB (mostly layout spaces)."""
    abstract = hostile.EN + " " * 140_000 + hostile.FR
    return f'Title,Abstract,Year\n"Long field","{abstract}",2020\n'.encode()


# name -> (writer, expected status, words of the reason)
CASES = {
    "trilingual.txt": (lambda p: write_trilingual(p), "failed", "split it into articles"),
    "paragraphs.html": (lambda p: write_html_paragraphs(p), "failed", "500,005 elements"),
    "deep-jats.xml": (lambda p: p.write_bytes(_nested_xml("article", 100_000)), "failed",
                      "nested more than 256"),
    "deep-pubmed.xml": (lambda p: p.write_bytes(_nested_xml("PubmedArticleSet", 100_000)),
                        "failed", "nested more than 256"),
    "bomb.txt.gz": (lambda p: p.write_bytes(gzip.compress(b"\0" * 50 * 2**20)), "failed",
                    "gzip archive"),
    "sentences.txt": (lambda p: p.write_text(hostile.EN * 60, "utf-8"), "failed",
                      "the limit is 100, --max-sentences"),
    "chars.txt": (lambda p: p.write_text(hostile.FR * 300, "utf-8"), "failed",
                  "the limit is 20,000, --max-chars"),
    "long-field.csv": (lambda p: p.write_bytes(_csv_with_long_field()), "ingested", None),
}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits") / "corpus"
    folder.mkdir()
    for name, (write, _status, _words) in CASES.items():
        write(folder / name)
    for name, text in hostile.GOOD.items():
        (folder / name).write_text(text, "utf-8")
    write_ris(folder / "records.ris", RIS_RECORDS)
    db = folder.parent / "limits.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

    def ceiling() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))

    proc = subprocess.run(
        [sys.executable, "-m", "litkit", "--db", str(db), "ingest", "--jobs", "2",
         "--max-memory", MAX_MEMORY, "--max-sentences", "100", "--max-chars", "20000",
         str(folder)],
        capture_output=True, text=True, timeout=600, preexec_fn=ceiling,
    )  # fmt: skip
    rss_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    lines: dict[str, list[tuple[str, str | None]]] = {}
    others = []
    for line in proc.stderr.splitlines():
        match = LINE.match(line)
        if not match:
            others.append(line)
            continue
        name = os.path.relpath(match.group(2), folder).split("#")[0]
        lines.setdefault(name, []).append((match.group(1), match.group(3)))
    return {"proc": proc, "db": db, "lines": lines, "others": others, "rss_mb": rss_mb}


def test_no_traceback_no_memory_error_and_exit_1(run):
    proc = run["proc"]
    assert "Traceback" not in proc.stderr
    assert "MemoryError" not in proc.stderr
    assert proc.returncode == 1
    assert [line for line in run["others"] if not line.startswith("total:")] == []


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_each_hostile_input_is_one_line_with_its_reason(run, name):
    _write, status, words = CASES[name]
    [(got, reason)] = run["lines"][name]
    assert got == status, reason
    if words:
        assert words in reason
        assert len(reason) < 300


def test_the_companion_documents_are_stored(run):
    for name in hostile.GOOD:
        assert run["lines"][name] == [("ingested", None)]
    records = run["lines"]["records.ris"]
    assert len(records) == RIS_RECORDS
    assert {status for status, _ in records} == {"ingested"}


def test_the_database_is_consistent(run):
    with sqlite3.connect(run["db"]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        mismatched = conn.execute(
            "SELECT source FROM documents d WHERE n_segments !="
            " (SELECT COUNT(*) FROM segments s WHERE s.doc_id = d.id)"
        ).fetchall()
    ingested = sum(s == "ingested" for found in run["lines"].values() for s, _ in found)
    assert documents == ingested == len(hostile.GOOD) + RIS_RECORDS + 1
    assert mismatched == []


def test_peak_memory_stays_under_the_ceiling(run):
    assert run["rss_mb"] < PEAK_RSS_LIMIT_MB


def test_no_spill_file_is_left_behind(run):
    import tempfile

    assert not list(Path(tempfile.gettempdir()).glob("litkit-spill-*"))
