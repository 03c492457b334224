"""Peak memory of `litkit ingest` on real-sized hostile documents (issue 18).

Why: the README promises a memory ceiling (`--max-memory`) that holds for every input. This
script ingests each case in its own `python -m litkit ingest` process and reports the
process's peak RSS (`ru_maxrss` of the reaped child, read through a one-case wrapper so that
cases do not mask each other), its exit status, wall time and the per-document line.

Cases (generated in a temporary folder, see tests/hostile/large.py):
  trilingual  a 2 MB plain-text document alternating English, French and Chinese paragraphs
  html        an HTML page of 500,000 paragraphs
  ris         a RIS export of 100,000 records

    python benchmarks/hostile_memory.py [--case trilingual] [--jobs 1] [--scale 1.0]
        [-- extra ingest options, e.g. --max-memory 800M]

`--scale 0.1` builds every case at a tenth of its size (a quick look).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.hostile.large import write_html_paragraphs, write_ris, write_trilingual  # noqa: E402

CASES = {
    "trilingual": ("trilingual.txt", lambda p, k: write_trilingual(p, int(2 * 2**20 * k))),
    "html": ("paragraphs.html", lambda p, k: write_html_paragraphs(p, int(500_000 * k))),
    "ris": ("records.ris", lambda p, k: write_ris(p, int(100_000 * k))),
}

# Runs one command and prints its peak RSS: RUSAGE_CHILDREN of a process that has only ever
# had this one child is that child's own peak (the largest of its workers' with --jobs).
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.monotonic()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "seconds": time.monotonic() - started,
    "status": proc.returncode,
    "lines": proc.stderr.strip().splitlines()[-3:],
}))
"""


def run_case(name: str, folder: Path, jobs: int, scale: float, extra: list[str]) -> dict:
    """Build one case, ingest it in a fresh process, return its figures."""
    filename, make = CASES[name]
    path = folder / filename
    make(path, scale)
    db = folder / f"{name}.db"
    command = [sys.executable, "-m", "litkit", "--db", str(db), "ingest", "--jobs", str(jobs)]
    command += [*extra, str(path)]
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    figures = json.loads(out.stdout)
    figures["input_mb"] = path.stat().st_size / 2**20
    path.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("extra", nargs="*", help="options passed on to `litkit ingest`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.case or list(CASES):
            started = time.monotonic()
            figures = run_case(name, Path(tmp), args.jobs, args.scale, args.extra)
            print(
                f"{name:<11} input {figures['input_mb']:6.1f} MB"
                f"  peak RSS {figures['rss_mb']:7.1f} MB  exit {figures['status']}"
                f"  {time.monotonic() - started:6.1f} s"
            )
            for line in figures["lines"]:
                print(f"    {line[:150]}")


if __name__ == "__main__":
    main()
