"""Hostile inputs: each is ingested correctly or refused with one clear line, the rest of the
batch goes in, the database stays consistent and memory stays bounded (issue 6).

The corpus is generated in `tmp_path` (see tests/hostile), including a 100 MB file, and ingested
once by a real `python -m litkit ingest --jobs 2` subprocess so that its peak RSS can be read
with `getrusage(RUSAGE_CHILDREN)`: that is a correctness bound (no whole-corpus buffering, no
runaway copy of the big file), not a timing.
"""

from __future__ import annotations

import os
import re
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from litkit.ingest import MAX_DOCUMENT_CHARS, IngestOptions, ingest
from litkit.store import open_db

from . import hostile

PEAK_RSS_LIMIT_MB = 1500
LINE = re.compile(r"^(ingested|skipped|failed) +(\S.*?)(?:: (.+)| \((.+)\))$")


LONG_LINE_BYTES = 256 * 1024  # `--full-size`: 5 MB (hostile.long_line_without_punctuation)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, full_size):
    """Ingest the hostile corpus once; return (db path, status by file name, reasons, rss MB).

    The line without punctuation is 256 KB unless `--full-size`: cutting it into bounded
    sentences takes the same code paths at any length, and at 5 MB it cost 14 of the
    suite's seconds. The 100 MB file stays 100 MB: it is refused before it is processed.
    """
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "corpus"
    expected = hostile.write_corpus(folder)
    if not full_size:
        long_line = hostile.long_line_without_punctuation(LONG_LINE_BYTES)
        (folder / "long-line.txt").write_bytes(long_line)
    hostile.write_big_file(folder / "big.txt")
    expected["big.txt"] = "failed"
    db = root / "hostile.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "litkit", "--db", str(db), "ingest", "--jobs", "2", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    rss_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    (folder / "big.txt").unlink()  # 100 MB of disk only while needed
    statuses, reasons, others = {}, {}, []
    for line in proc.stderr.splitlines():
        match = LINE.match(line)
        if not match:
            others.append(line)
            continue
        name = os.path.relpath(match.group(2), folder)
        assert name not in statuses, f"two lines for {name}"
        statuses[name] = match.group(1)
        reasons[name] = match.group(3)
    return {
        "db": db,
        "proc": proc,
        "expected": expected,
        "statuses": statuses,
        "reasons": reasons,
        "others": others,
        "rss_mb": rss_mb,
    }


def test_every_input_gets_exactly_one_line_and_no_traceback(hostile_run):
    proc = hostile_run["proc"]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode == 1  # some inputs were refused
    assert hostile_run["others"] == [
        line for line in hostile_run["others"] if line.startswith("total:")
    ], "every other stderr line is the final total"
    expected_names = set(hostile_run["expected"]) | {"self"}
    assert set(hostile_run["statuses"]) == expected_names


@pytest.mark.parametrize(
    "name",
    sorted({**{n: s for n, (_, s) in hostile.CASES.items()}, **dict.fromkeys(hostile.GOOD)}),
)
def test_each_case_is_ingested_or_refused_as_expected(hostile_run, name):
    expected = hostile_run["expected"][name]
    status = hostile_run["statuses"][name]
    if expected == "either":
        assert status in ("ingested", "failed")
    else:
        assert status == expected, hostile_run["reasons"].get(name)
    if status == "failed":
        reason = hostile_run["reasons"][name]
        assert reason and "\n" not in reason and len(reason) < 300


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("image.png", "PNG image"),
        ("image-named-as-text.txt", "PNG image"),
        ("archive.zip", "ZIP archive"),
        ("program.txt", "ELF executable"),
        ("empty.txt", "empty"),
        ("whitespace.txt", "empty"),
        ("self", "symbolic links"),
        ("big.txt", "too long"),
    ],
    ids=["png", "png-as-txt", "zip", "elf", "empty", "whitespace", "symlink-to-self", "100MB"],
)
def test_refusals_say_why(hostile_run, name, words):
    assert hostile_run["statuses"][name] == "failed"
    assert words in hostile_run["reasons"][name]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_the_folder_is_refused_not_waited_on(hostile_run):
    assert hostile_run["statuses"]["pipe.txt"] == "failed"
    assert hostile_run["reasons"]["pipe.txt"] == "not a regular file (a named pipe)"


def test_a_file_that_cannot_be_opened_is_one_failed_line(tmp_path, monkeypatch):
    """The chmod case below is skipped as root; a PermissionError from open() runs everywhere."""
    from litkit.sources import files

    folder = tmp_path / "perm"
    folder.mkdir()
    for name in ("a.txt", "secret.txt", "z.txt"):
        (folder / name).write_text(f"{hostile.EN} Case {name}.", "utf-8")  # not duplicates
    real_open = open

    def deny_secret(path, *args, **kwargs):
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", deny_secret, raising=False)
    db = open_db(tmp_path / "p.db")
    outcomes = ingest(db, [str(folder)], IngestOptions())
    assert [(Path(o.locator).name, o.status, o.reason) for o in outcomes] == [
        ("a.txt", "ingested", None),
        ("secret.txt", "failed", "permission denied"),
        ("z.txt", "ingested", None),
    ]
    db.close()


def test_the_100mb_file_does_not_blow_memory(hostile_run):
    assert hostile_run["rss_mb"] < PEAK_RSS_LIMIT_MB
    assert f"{MAX_DOCUMENT_CHARS:,}" in hostile_run["reasons"]["big.txt"]


def test_database_is_consistent(hostile_run):
    with sqlite3.connect(hostile_run["db"]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        mismatched = conn.execute(
            "SELECT d.source FROM documents d WHERE d.n_segments !="
            " (SELECT COUNT(*) FROM segments s WHERE s.doc_id = d.id)"
        ).fetchall()
    ingested = [n for n, s in hostile_run["statuses"].items() if s == "ingested"]
    assert docs == len(ingested)
    assert mismatched == []


def _text(hostile_run, name: str) -> str:
    with sqlite3.connect(hostile_run["db"]) as conn:
        row = conn.execute(
            "SELECT text FROM documents WHERE source LIKE ?", [f"%{os.sep}{name}"]
        ).fetchone()
    assert row, f"{name} not stored"
    return row[0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gbk.txt", "非甾体抗炎药是一线治疗"),
        ("big5.txt", "非類固醇抗發炎藥是第一線治療"),
        ("utf16-no-bom.txt", "Les AINS sont le traitement de première ligne"),
        ("truncated-utf8.txt", "Une rémission a été obtenue"),
        ("deep.html", "Methotrexate was effective in 12 of 20 patients."),
        ("emoji.txt", "improved 👍🏽 after naproxen"),
        ("invisible.txt", "Methotrexate was effective in twelve patients."),
    ],
    ids=["gbk", "big5", "utf16-no-bom", "truncated-utf8", "deep-html", "emoji", "invisible"],
)
def test_readable_cases_keep_their_text(hostile_run, name, expected):
    assert expected in _text(hostile_run, name)


def test_invisible_controls_do_not_reach_the_clean_text(hostile_run):
    text = _text(hostile_run, "invisible.txt")
    assert not re.search("[\u200b\u200d\u202a-\u202e\u2066-\u2069\ufeff]", text)


def test_mixed_encodings_keep_the_utf8_part(hostile_run):
    text = _text(hostile_run, "mixed-encodings.txt")
    assert text.count("première") == 6 and "Ã" not in text and "\ufffd" not in text


def test_files_that_vanish_or_turn_unreadable_mid_batch(tmp_path, monkeypatch):
    from litkit.sources import files

    folder = tmp_path / "batch"
    folder.mkdir()
    for index in range(6):
        (folder / f"{index}.txt").write_text(f"{hostile.EN} Case {index}.", "utf-8")
    db = open_db(tmp_path / "v.db")
    read_file = files.read_file

    def sabotage_then_read(path: str):
        if path.endswith("1.txt"):  # the folder is listed and 0.txt is read by now
            (folder / "2.txt").unlink()  # vanishes after the batch was listed
            (folder / "4.txt").unlink()
            (folder / "4.txt").mkdir()  # a directory now: cannot be read as a file
            if os.geteuid() != 0:  # root reads through any mode bits
                (folder / "5.txt").chmod(0)
        return read_file(path)

    monkeypatch.setattr(files, "read_file", sabotage_then_read)
    outcomes = ingest(db, [str(folder)], IngestOptions())
    by_name = {Path(o.locator).name: o for o in outcomes}
    assert by_name["2.txt"].status == "failed" and "no such file" in by_name["2.txt"].reason
    assert by_name["4.txt"].status == "failed"
    assert {by_name[n].status for n in ("0.txt", "1.txt", "3.txt")} == {"ingested"}
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    db.close()


def test_symlink_loop_in_a_directory_terminates(tmp_path):
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "a.txt").write_text(hostile.FR, "utf-8")
    os.symlink("..", folder / "up")
    os.symlink(".", folder / "here")
    db = open_db(tmp_path / "l.db")
    outcomes = ingest(db, [str(folder)], IngestOptions())
    assert [(Path(o.locator).name, o.status) for o in outcomes] == [("a.txt", "ingested")]
    db.close()
