"""Whole-ingest cost of one 5 MB line without punctuation (issue 14: under 2 s).

Why: a scraped page or a broken PDF extraction can be one huge line with no sentence end; every
stage (segment, langid, lexicon, classify, study, storage) must stay linear and bounded on it.
The line is the French test sentences of `benchmarks/data/langid/sentences/fr.txt` without
punctuation, repeated to N MB (the same line `langid_accuracy.py --long-mb` times through
language identification alone). A real `python -m litkit ingest` subprocess writes it into a
fresh database; wall time, CPU time (user + system, from os.wait4) and peak RSS are reported.
`--python` runs another checkout's interpreter (e.g. the base worktree's venv) on the same
file, so old and new code can be alternated on a noisy machine.

    python benchmarks/long_line_ingest.py [--mb 5] [--repeat 3] [--python OTHER/.venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def ingest_once(python: str, source: Path, workdir: Path) -> dict[str, object]:
    """One `litkit ingest` of `source` into a fresh database, measured from outside."""
    db = workdir / "long-line.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [python, "-m", "litkit", "--db", str(db), "ingest", str(source)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return {
        "python": python,
        "exit": os.waitstatus_to_exitcode(status),
        "wall_s": round(time.perf_counter() - start, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: KB
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", action="append", default=[], help="another interpreter")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "litkit-bench"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    source = args.workdir / f"long-line-{args.mb:g}mb.txt"
    source.write_text(long_line(args.mb), encoding="utf-8")
    pythons = [sys.executable, *args.python]
    for _ in range(args.repeat):
        for python in pythons:  # alternated, so a slow minute hits every interpreter
            print(json.dumps(ingest_once(python, source, args.workdir)), flush=True)


if __name__ == "__main__":
    main()
