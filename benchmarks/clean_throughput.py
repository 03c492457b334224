"""Throughput of `clean` on a 50 MB text, a 5 MB line without punctuation, and NFC/space runs.

PYTHONPATH=. .venv/bin/python benchmarks/clean_throughput.py
"""

from __future__ import annotations

import time
from pathlib import Path

from litkit.clean import clean

SEEDS = Path(__file__).parent.parent / "corpora" / "cno"


def _time(label: str, text: str) -> None:
    start = time.perf_counter()
    result = clean(text)
    elapsed = time.perf_counter() - start
    print(
        f"{label}: {len(text) / 1e6:.1f} M chars in {elapsed:.2f} s, {len(result.offset_map)} anch."
    )


def main() -> None:
    seed = "".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
    _time("50 MB of seed text (chrome-dense)", seed * (50_000_000 // len(seed)))
    _time("5 MB single line", ("abcdefghij klmnopqrst " * 250_000)[:5_000_000])
    _time("NFC clusters, space and '&' runs", "e\u0301" * 10**6 + " " * 10**6 + "& " * 10**5)


if __name__ == "__main__":
    main()
