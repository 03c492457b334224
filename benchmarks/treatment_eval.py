"""Treatment-name precision/recall/F1 of the lexicon alone, against a gold set.

The export's `treatments` of a sentence are the English labels of its treatment and
drug-class mentions; this measures how well lexicon matching reproduces the gold
`treatments` lists (sets per sentence, micro-averaged), overall and per language, and prints
every false positive and false negative so that missing general synonyms can be spotted.

    .venv/bin/python benchmarks/treatment_eval.py /path/to/gold/dev/gold.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from litkit.lexicon import default_lexicon, treatment_names


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold.jsonl (one JSON object per sentence)")
    parser.add_argument("--quiet", action="store_true", help="only print the scores")
    args = parser.parse_args()

    lexicon = default_lexicon()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # lang -> tp, fp, fn
    errors: list[str] = []
    for line in args.gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        found = set(treatment_names(lexicon.find_mentions(record["text"])))
        gold = set(record["treatments"])
        for key in (record["lang"], "all"):
            counts[key][0] += len(found & gold)
            counts[key][1] += len(found - gold)
            counts[key][2] += len(gold - found)
        if found != gold:
            errors.append(
                f"[{record['lang']}] FP={sorted(found - gold)} FN={sorted(gold - found)} "
                f"| {record['text'][:160]!r}"
            )
    if not args.quiet:
        print("\n".join(errors))
        print()
    print(f"{'lang':5} {'tp':>4} {'fp':>4} {'fn':>4}  {'P':>6} {'R':>6} {'F1':>6}")
    for lang in sorted(counts, key=lambda k: (k == "all", k)):
        tp, fp, fn = counts[lang]
        p, r, f = _prf(tp, fp, fn)
        print(f"{lang:5} {tp:4d} {fp:4d} {fn:4d}  {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
