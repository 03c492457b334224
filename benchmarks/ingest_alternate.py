"""Whole-ingest CPU, wall time and peak RSS of one input under several checkouts, alternated.

Why: this machine's speed swings by 1.5x within minutes, so two checkouts compare only when
their runs alternate on the same input, and CPU time (user + system of the ingest process and
its workers, from os.wait4) moves less with other load than wall time. Each run is a real
`python -m litkit ingest --jobs J` subprocess into a fresh database. Inputs:

- `--docs N`: the generated fr/en/zh corpus of N documents (benchmarks/generate_corpus.py);
- `--long-line MB` (issue 14, target under 2 s at 5 MB): one line without punctuation, the
  French test sentences of `benchmarks/data/langid/sentences/fr.txt` repeated (the line that
  `langid_accuracy.py --long-mb` times through language identification alone).

`--checkout NAME=PYTHON[:SOURCE]` adds a checkout: its interpreter and, optionally, its source
folder (another worktree, or a `git archive` of an old commit run with this venv), which is
put first on PYTHONPATH and is the working folder of the run. The
current checkout is always run, as `new`. Prints one JSON line per run, then per checkout and
input the best and median of CPU and wall seconds.

    python benchmarks/ingest_alternate.py --docs 300 --jobs 1 2 --repeat 3 \\
        --checkout base=../base/.venv/bin/python:../base
    python benchmarks/ingest_alternate.py --long-line 5 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import generate

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "langid" / "sentences" / "fr.txt"
_NO_PUNCTUATION = str.maketrans({c: " " for c in '.,;:!?«»“”"()[]'})


def long_line(megabytes: float) -> str:
    """French words without punctuation, repeated in order up to `megabytes` MB of text."""
    words = DATA.read_text(encoding="utf-8").translate(_NO_PUNCTUATION).split()
    pieces, size, index = [], 0, 0
    while size < megabytes * 1_000_000:
        pieces.append(words[index % len(words)])
        size += len(pieces[-1]) + 1
        index += 1
    return " ".join(pieces)


def inputs(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(label, path) of every input asked for, built once in the work folder."""
    found = []
    for docs in args.docs:
        folder = args.workdir / f"corpus-{docs}"
        marker = folder / ".complete"
        if not marker.exists():
            generate(folder, docs)
            marker.write_text("ok")
        found.append((f"{docs} docs", folder))
    for megabytes in args.long_line:
        path = args.workdir / f"long-line-{megabytes:g}mb.txt"
        if not path.exists():
            path.write_text(long_line(megabytes), encoding="utf-8")
        found.append((f"{megabytes:g} MB line", path))
    return found


def ingest_once(python: str, source_dir: str | None, target: Path, jobs: int, db: Path) -> dict:
    """One `litkit ingest` of `target` into a fresh database, measured from outside."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = dict(os.environ)
    if source_dir:
        env["PYTHONPATH"] = source_dir
    # `python -m` puts the working folder first on sys.path: run inside the checkout's source
    cwd = source_dir or str(REPO)
    command = [python, "-m", "litkit", "--db", str(db), "ingest", "--jobs", str(jobs), str(target)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    with sqlite3.connect(db) as conn:
        sentences = conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "sentences": sentences,
        "sentences_per_s": round(sentences / wall, 1),
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),  # process and reaped workers
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: KB, max over them
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, nargs="*", default=[])
    parser.add_argument("--long-line", type=float, nargs="*", default=[], metavar="MB")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checkout", action="append", default=[], metavar="NAME=PYTHON[:SRC]")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "litkit-bench"
    )
    args = parser.parse_args()
    if not args.docs and not args.long_line:
        parser.error("give --docs N and/or --long-line MB")
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    checkouts: list[tuple[str, str, str | None]] = [("new", sys.executable, None)]
    for spec in args.checkout:
        name, _, rest = spec.partition("=")
        python, _, source = rest.partition(":")
        source_dir = str(Path(source).resolve()) if source else None
        checkouts.append((name, os.path.abspath(python), source_dir))  # a venv link stays
    results: dict[tuple[str, str, int], list[dict]] = {}
    for label, target in inputs(args):
        for jobs in args.jobs:
            for _ in range(args.repeat):
                for name, python, source in checkouts:  # alternated: a slow minute hits all
                    row = ingest_once(python, source, target, jobs, args.workdir / "alt.db")
                    results.setdefault((label, name, jobs), []).append(row)
                    print(json.dumps({"input": label, "checkout": name, "jobs": jobs, **row}))
                    sys.stdout.flush()
    for (label, name, jobs), rows in results.items():
        cpu = [r["cpu_s"] for r in rows]
        wall = [r["wall_s"] for r in rows]
        summary = {
            "input": label,
            "checkout": name,
            "jobs": jobs,
            "cpu_best_s": min(cpu),
            "cpu_median_s": statistics.median(cpu),
            "wall_best_s": min(wall),
            "wall_median_s": statistics.median(wall),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
        }
        print(json.dumps({"summary": True, **summary}))


if __name__ == "__main__":
    main()
