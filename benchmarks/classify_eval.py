"""Score litkit.classify against a gold set: per-type P/R/F1 per language, macro-F1, negation.

Each gold sentence's `text` is classified with its gold `lang`, which decouples the score
from segmentation. Usage:

    .venv/bin/python benchmarks/classify_eval.py [GOLD_JSONL] [--errors N] [--speed]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from litkit.classify import CLAIM_TYPES, assess

DEFAULT_GOLD = Path("/work/shared/gold/dev/gold.jsonl")


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--errors", type=int, default=40, help="how many errors to list")
    parser.add_argument("--speed", action="store_true", help="also measure sentences/s")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines()]
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    neg_ok = 0
    neg_tp = neg_fp = neg_fn = 0
    errors = []
    for row in rows:
        result = assess(row["text"], row["lang"])
        gold, pred = set(row["types"]), set(result.types)
        for lang in (row["lang"], "ALL"):
            for kind in CLAIM_TYPES:
                cell = counts[(lang, kind)]
                cell[0] += kind in gold and kind in pred
                cell[1] += kind in pred and kind not in gold
                cell[2] += kind in gold and kind not in pred
        neg_ok += result.negated == row["negated"]
        neg_tp += result.negated and row["negated"]
        neg_fp += result.negated and not row["negated"]
        neg_fn += row["negated"] and not result.negated
        if gold != pred or result.negated != row["negated"]:
            errors.append((row, result))
    langs = [*sorted({lang for lang, _ in counts if lang != "ALL"}), "ALL"]
    print(f"{'lang':5} {'type':10} {'P':>6} {'R':>6} {'F1':>6}   n")
    for lang in langs:
        f1s = []
        for kind in CLAIM_TYPES:
            tp, fp, fn = counts[(lang, kind)]
            p, r, f = f1(tp, fp, fn)
            f1s.append(f)
            print(f"{lang:5} {kind:10} {p:6.3f} {r:6.3f} {f:6.3f}   {tp + fn}")
        print(f"{lang:5} {'macro-F1':10} {'':>6} {'':>6} {sum(f1s) / 3:6.3f}")
    p, r, f = f1(neg_tp, neg_fp, neg_fn)
    print(
        f"negation accuracy {neg_ok / len(rows):.3f}  P {p:.3f} R {r:.3f} F1 {f:.3f}"
        f"  (n={len(rows)})"
    )
    for row, result in errors[: args.errors]:
        gold = ",".join(row["types"]) + (" NEG" if row["negated"] else "")
        pred = ",".join(result.types) + (" NEG" if result.negated else "")
        print(f"\n[{row['lang']}] gold={gold or '-'} pred={pred or '-'}\n  {row['text'][:200]!r}")
        print(f"  cues: {', '.join(result.cues)}")
    print(f"\n{len(errors)} sentences with an error")
    if args.speed:
        texts = [(row["text"], row["lang"]) for row in rows] * 60
        wall, cpu = time.perf_counter(), time.process_time()
        for text, lang in texts:
            assess(text, lang)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"speed: {len(texts) / wall:,.0f} sentences/s wall, {len(texts) / cpu:,.0f} per"
            f" CPU-second ({len(texts)} sentences, one process)"
        )


if __name__ == "__main__":
    main()
