"""Every input on its own: whatever goes wrong with one input (any exception, in the main
process or in a worker) is that input's one failure line, and every other document of the
batch is stored; workers die with their ingest; a full disk is one line and a rerun after
freeing space completes the batch (issue 18)."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import litkit.ingest as ingest_module
from litkit.cli import cli
from litkit.ingest import _process_chunk, _process_in_pool, ingest, store_results
from litkit.sources import resolve
from litkit.store import open_db

from .conftest import REPO
from .test_crash import assert_consistent, ingest_command

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate

TRIGGER = "BOOM-TRIGGER"


def _corpus(folder: Path) -> list[Path]:
    folder.mkdir()
    texts = {
        "a.en.txt": "Methotrexate was started. Pain resolved after six weeks.",
        "b.fr.txt": "Le pamidronate a été efficace. Aucune rechute.",
        "c.en.txt": f"This input makes the pipeline fail. {TRIGGER} here.",
        "d.zh.txt": "患者接受了萘普生治疗。疼痛缓解。",
        "e.en.txt": "Naproxen was given for three months. The lesions regressed.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, "utf-8")
    return sorted(folder.iterdir())


def _exploding_process(original, item, locator, lexicon, **limits):
    if TRIGGER in item.text:
        raise TypeError("an unexpected bug in a stage")
    return original(item, locator, lexicon, **limits)


def _exploding_chunk(raws, plans):
    """A worker task whose pipeline raises an unexpected exception on one input (documents
    come from `process`, write plans from `plan_parsed`)."""
    for name in ("process", "plan_parsed"):
        if not isinstance(getattr(ingest_module, name), functools.partial):
            exploding = functools.partial(_exploding_process, getattr(ingest_module, name))
            setattr(ingest_module, name, exploding)
    return _process_chunk(raws, plans)


def _stored_sources(db) -> list[str]:
    return sorted(Path(r[0]).name for r in db.execute("SELECT source FROM documents"))


def test_an_unexpected_error_in_the_main_process_fails_one_input_only(tmp_path, monkeypatch):
    paths = _corpus(tmp_path / "corpus")
    for name in ("process", "plan_parsed"):  # documents, write plans (what ingest asks for)
        exploding = functools.partial(_exploding_process, getattr(ingest_module, name))
        monkeypatch.setattr(ingest_module, name, exploding)
    db = open_db(tmp_path / "t.db")
    outcomes = ingest(db, [str(p) for p in paths])
    failed = [o for o in outcomes if o.status == "failed"]
    assert [Path(o.locator).name for o in failed] == ["c.en.txt"]
    assert "TypeError: an unexpected bug in a stage" in failed[0].reason
    assert _stored_sources(db) == ["a.en.txt", "b.fr.txt", "d.zh.txt", "e.en.txt"]


def test_an_unexpected_error_while_reading_fails_one_input_only(tmp_path, monkeypatch):
    from litkit import sources

    paths = _corpus(tmp_path / "corpus")
    sources.ensure_loaded()
    real = sources.READERS["text/plain"]

    def reader(raw):
        if TRIGGER.encode() in raw.data:
            raise KeyError("a reader bug")
        return real(raw)

    monkeypatch.setitem(sources.READERS, "text/plain", reader)
    db = open_db(tmp_path / "t.db")
    outcomes = ingest(db, [str(p) for p in paths])
    assert [(Path(o.locator).name, o.status) for o in outcomes if o.status == "failed"] == [
        ("c.en.txt", "failed")
    ]
    assert len(_stored_sources(db)) == 4


def test_an_unexpected_error_in_a_worker_fails_one_input_only(tmp_path):
    paths = _corpus(tmp_path / "corpus")
    db = open_db(tmp_path / "t.db")
    task = functools.partial(_exploding_chunk, plans=True)
    results = _process_in_pool(resolve([str(p) for p in paths]), 2, (), task)
    outcomes = list(store_results(db, results))
    failed = [o for o in outcomes if o.status == "failed"]
    assert [Path(o.locator).name for o in failed] == ["c.en.txt"]
    assert "TypeError" in failed[0].reason
    assert _stored_sources(db) == ["a.en.txt", "b.fr.txt", "d.zh.txt", "e.en.txt"]


def test_a_failure_while_storing_one_document_keeps_the_others(tmp_path, monkeypatch):
    from litkit import store

    paths = _corpus(tmp_path / "corpus")
    real = store.index_document

    def index(database, doc_id, *args):
        text = database.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if text and TRIGGER in text[0]:
            raise sqlite3.IntegrityError("a constraint the writer did not expect")
        return real(database, doc_id, *args)

    monkeypatch.setattr(store, "index_document", index)
    db = open_db(tmp_path / "t.db")
    outcomes = ingest(db, [str(p) for p in paths])
    failed = [o for o in outcomes if o.status == "failed"]
    assert [Path(o.locator).name for o in failed] == ["c.en.txt"]
    assert "cannot store" in failed[0].reason
    assert _stored_sources(db) == ["a.en.txt", "b.fr.txt", "d.zh.txt", "e.en.txt"]


def test_deeply_nested_folders_are_one_line_and_the_rest_goes_in(tmp_path):
    from litkit.sources.files import MAX_WALK_DEPTH

    root = tmp_path / "corpus"
    _corpus(root)
    deep = root
    for _ in range(MAX_WALK_DEPTH + 20):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "lost.txt").write_text("Too deep to be read.", "utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"folders nested more than {MAX_WALK_DEPTH} deep" in result.stderr
    assert "total: 5 ingested, 0 skipped, 1 failed" in result.stderr


@pytest.mark.parametrize(
    "name, shown",
    [("line\nbreak.txt", "line\\nbreak.txt"), (b"caf\xe9.txt", "caf\\xe9.txt")],
    ids=["newline", "not-utf8"],
)
def test_file_names_are_printed_on_one_safe_line(tmp_path, name, shown):
    folder = tmp_path / "corpus"
    folder.mkdir()
    raw = name if isinstance(name, bytes) else name.encode()
    with open(os.path.join(os.fsencode(folder), raw), "w", encoding="utf-8") as fp:
        fp.write("Naproxen relieved the pain. Fever resolved.")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("ingested") and shown in lines[0]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_no_worker_survives_a_kill_9_of_its_ingest(tmp_path):
    folder = tmp_path / "corpus"
    generate(folder, 400)
    db = tmp_path / "t.db"
    proc = subprocess.Popen(
        ingest_command(db, folder, "--jobs", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [p for p in _children(proc.pid) if "spawn" in _cmdline(p)]
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the ingest finished or never started its workers"
    time.sleep(0.5)  # past the workers' start-up
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [p for p in workers if _alive(p)]
    for pid in survivors:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


def _fill(path: Path) -> None:
    """Write to `path` until the file system is full."""
    with path.open("wb", buffering=0) as fp:
        try:
            while True:
                fp.write(b"\0" * 4096)
        except OSError:
            pass


# Enough documents to fill the 1 MB file system midway: about ten fit in it (measured), and
# every document past the full disk is processed three times (failed run, rerun, reference).
FULL_DISK_DOCS = 60


def test_a_full_disk_is_one_line_and_a_rerun_after_freeing_space_completes(tmp_path):
    small = tmp_path / "small"
    if not _mount_tmpfs(small, "1m"):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount)")
    try:
        folder = tmp_path / "corpus"
        generate(folder, FULL_DISK_DOCS)
        db = small / "full.db"
        first = subprocess.run(ingest_command(db, folder), capture_output=True, text=True)
        assert first.returncode == 1
        errors = [line for line in first.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and "disk is full" in errors[0], first.stderr[-1000:]
        assert "Traceback" not in first.stderr
        stored = first.stderr.count("\ningested") + first.stderr.startswith("ingested")

        _fill(small / "filler")  # whatever the failed group freed, the disk is full again
        target = small / "x.jsonl"
        export_command = [sys.executable, "-m", "litkit", "--db", str(db), "export", "-o"]
        export = subprocess.run([*export_command, str(target)], capture_output=True, text=True)
        assert export.returncode == 1 and "Traceback" not in export.stderr, export.stderr
        assert len(export.stderr.strip().splitlines()) == 1
        assert "x.jsonl" in export.stderr or "disk" in export.stderr
        assert not [p for p in small.iterdir() if "x.jsonl" in p.name]  # no partial file
        (small / "filler").unlink()

        subprocess.run(["mount", "-o", "remount,size=64m", str(small)], check=True)
        rerun = subprocess.run(ingest_command(db, folder), capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr[-1000:]
        total = f"total: {FULL_DISK_DOCS - stored} ingested, {stored} skipped, 0 failed"
        assert total in rerun.stderr
        assert assert_consistent(db) == FULL_DISK_DOCS

        # The reference database and both exports in-process: what is compared is their
        # content, not a process's behaviour (each process costs seconds of start-up).
        clean = tmp_path / "clean.db"
        runner = CliRunner()
        assert runner.invoke(cli, ["--db", str(clean), "ingest", str(folder)]).exit_code == 0
        exports = [runner.invoke(cli, ["--db", str(d), "export"]) for d in (db, clean)]
        assert [e.exit_code for e in exports] == [0, 0]
        assert exports[0].stdout == exports[1].stdout
    finally:
        subprocess.run(["umount", "-l", str(small)], capture_output=True)
