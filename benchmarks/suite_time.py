"""Wall and CPU time of the test suite, and the start-up cost every litkit process pays.

Why: issue 16 asks that `make test` stay under 90 s of wall time on 2 cores. On a shared
machine the wall time follows the other users' load, so this prints the CPU time of the run
(its own and its children's: test workers, `litkit` subprocesses, ingest workers) and the load
average around it; CPU time / cores is the wall time the run needs on an idle machine, plus
the wait for the last worker. It also prints what one fresh litkit process spends before its
first document is processed (imports, lexicon, language models and cue patterns on the first
document), since the suite starts a few dozen such processes (subprocess ingests, `--jobs`
workers, Dask workers).

Usage: .venv/bin/python benchmarks/suite_time.py [--serial] [--warmup-only] [pytest args...]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WARMUP = """
import time
t0 = time.process_time()
from litkit.ingest import load_lexicon, process_source
from litkit.models import RawSource
t1 = time.process_time()
lexicon = load_lexicon([])
t2 = time.process_time()
english = b"Methotrexate was started. Pain resolved in six weeks."
process_source(RawSource("a.txt", english), lexicon)
t3 = time.process_time()
french = "Le pamidronate a été efficace. Aucune rechute.".encode()
process_source(RawSource("b.txt", french), lexicon)
t4 = time.process_time()
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f} {t4 - t3:.2f}")
"""


def warmup() -> None:
    """CPU seconds of one fresh process: imports, lexicon, first document, second document."""
    out = subprocess.run(
        [sys.executable, "-c", WARMUP], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    imports, lexicon, first, second = (float(x) for x in out)
    print(
        f"litkit process start-up (CPU s): imports {imports:.2f}, lexicon {lexicon:.2f}, "
        f"first document {first:.2f} (language models, cue patterns), next document {second:.2f}"
    )


def suite(serial: bool, extra: list[str]) -> None:
    """Run pytest once; print wall, CPU (self + children) and the load average around it."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    if not serial:
        command[3:3] = ["-n", "auto", "--dist", "loadfile"]
    load_before = os.getloadavg()
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    status = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - started
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cores = os.cpu_count() or 1
    print(" ".join(command[1:]))
    print(
        f"exit {status}; wall {wall:.1f} s; CPU {cpu:.1f} s (CPU / {cores} cores = "
        f"{cpu / cores:.1f} s); load average before {load_before[0]:.1f}, "
        f"after {os.getloadavg()[0]:.1f}"
    )


def main(argv: list[str]) -> None:
    serial = "--serial" in argv
    only_warmup = "--warmup-only" in argv
    extra = [a for a in argv if a not in ("--serial", "--warmup-only")]
    warmup()
    if not only_warmup:
        suite(serial, extra)


if __name__ == "__main__":
    main(sys.argv[1:])
