"""Share of gold sentences that the segmenter reproduces exactly, overall and per document.

A gold sentence is matched when exactly one segment has the same text after whitespace
normalisation, a leading bullet marker being ignored on both sides. Documents are segmented as
`litkit.clean.clean` leaves them when that module exists, else raw.

Usage: .venv/bin/python benchmarks/segment_eval.py [gold_dir] [--misses]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from litkit.segment import segment

DEFAULT_GOLD = Path("/work/shared/gold/dev")
_BULLET = re.compile(r"^(?:[•●▪■◦○‣►▶➢✓·]\s*|[-–—*]\s+)")


def normalise(text: str) -> str:
    """Collapse whitespace and drop one leading bullet marker."""
    return _BULLET.sub("", " ".join(text.split()))


def clean_text(raw: str) -> str:
    """Apply litkit.clean.clean if another engineer has shipped it; fall back to raw text."""
    try:
        from litkit.clean import clean  # type: ignore[attr-defined]
    except ImportError:
        return raw
    try:
        return clean(raw).text
    except Exception:  # a work-in-progress cleaner must not block the measurement
        return raw


def main(argv: list[str]) -> int:
    gold_dir = Path(next((a for a in argv if not a.startswith("--")), DEFAULT_GOLD))
    show_misses = "--misses" in argv
    for cleaned in (False, True):
        print(
            "== raw text"
            if not cleaned
            else "== after litkit.clean (gold is raw: edits by the cleaner count as misses)"
        )
        evaluate(gold_dir, cleaned, show_misses)
    return 0


def evaluate(gold_dir: Path, cleaned: bool, show_misses: bool) -> None:
    """Print the per-document and overall share of gold sentences matched."""
    rows = [json.loads(line) for line in (gold_dir / "gold.jsonl").open(encoding="utf-8")]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row)
    total = matched = segments_total = 0
    print(f"{'document':45} {'gold':>5} {'match':>6} {'segs':>5}  share")
    for doc, gold_rows in sorted(by_doc.items()):
        text = (gold_dir / "texts" / doc).read_text(encoding="utf-8")
        text = clean_text(text) if cleaned else text
        produced = Counter(normalise(text[s.start : s.end]) for s in segment(text))
        hits = 0
        for row in gold_rows:
            if produced.get(normalise(row["text"]), 0) >= 1:
                hits += 1
            elif show_misses:
                print(f"   MISS {doc}: {normalise(row['text'])[:150]!r}")
        segs = sum(produced.values())
        total, matched, segments_total = (
            total + len(gold_rows),
            matched + hits,
            segments_total + segs,
        )
        print(f"{doc:45} {len(gold_rows):5} {hits:6} {segs:5}  {hits / len(gold_rows):.3f}")
    print(f"{'ALL':45} {total:5} {matched:6} {segments_total:5}  {matched / total:.3f}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
