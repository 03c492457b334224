"""Negated-class F1 of litkit's assertion rules on public negation test material.

Each item is a sentence, a condition (target) written in it, and whether the condition is
negated. litkit calls a condition negated when one of the sentence's negated spans
overlaps it (the condition is passed as a known concept, as lexicon mentions are in the
pipeline). Scores are reported, never tuned on: the cue lists come from the literature and
the gold guide, not from these sets.

Formats (the test sets are not shipped, see benchmarks/data/negation/PROVENANCE.md):
  negex  The NegEx annotated test set (chapmanbe/negex, rsAnnotations-1-120-random.txt):
         tab-separated, a header line, then number, condition, sentence, status
         (Negated / Affirmed / Possible), ...; English.
  tsv    lang, sentence, target, negated (true/false), tab-separated, no header; for French
         or Chinese examples (e.g. medspaCy's French ConText tests, converted by hand).

    python benchmarks/negation_eval.py PATH [--format negex|tsv] [--lang en] [--errors]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from litkit.assertion import assess_assertion
from litkit.cues import normalise


@dataclass(frozen=True)
class Item:
    """One scored condition: its sentence, where the condition is, and the gold label."""

    lang: str
    sentence: str
    target: str
    negated: bool


def read_negex(path: Path, lang: str) -> list[Item]:
    """The NegEx test set: condition in column 2, sentence in 3, status in 4."""
    items = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fp:
        rows = csv.reader(fp, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows, None)
        for row in rows:
            if len(row) >= 4:
                items.append(Item(lang, row[2], row[1], row[3].strip().lower() == "negated"))
    return items


def read_tsv(path: Path) -> list[Item]:
    """lang, sentence, target, negated rows."""
    items = []
    with path.open(encoding="utf-8", newline="") as fp:
        for row in csv.reader(fp, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 4 and not row[0].startswith("#"):
                items.append(Item(row[0], row[1], row[2], row[3].strip().lower() == "true"))
    return items


def locate(sentence: str, target: str) -> tuple[int, int] | None:
    """The condition's span in the sentence, case- and whitespace-insensitive."""
    words = target.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, sentence, re.IGNORECASE)
    return match.span() if match else None


def predict(item: Item) -> bool | None:
    """Whether litkit negates the item's condition (None when it is not in the sentence)."""
    span = locate(item.sentence, item.target)
    if span is None:
        return None
    norm = normalise(item.sentence)
    result = assess_assertion(norm, item.lang, [span], original=item.sentence, names=[span])
    return any(s < span[1] and e > span[0] for s, e in result.negated_spans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--format", choices=("negex", "tsv"), default="negex")
    parser.add_argument("--lang", default="en", help="language of a negex-format file")
    parser.add_argument("--errors", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(f"error: {args.path}: no such file", file=sys.stderr)
        return 2
    items = read_negex(args.path, args.lang) if args.format == "negex" else read_tsv(args.path)
    tp = fp = fn = tn = skipped = 0
    for item in items:
        predicted = predict(item)
        if predicted is None:
            skipped += 1
            continue
        tp += predicted and item.negated
        fp += predicted and not item.negated
        fn += not predicted and item.negated
        tn += not predicted and not item.negated
        if args.errors and predicted != item.negated:
            print(f"{'FP' if predicted else 'FN'}\t{item.target}\t{item.sentence}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scored = tp + fp + fn + tn
    print(f"items {len(items)}  scored {scored}  skipped (target not found) {skipped}")
    print(f"gold negated {tp + fn}  predicted negated {tp + fp}")
    print(f"negated precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"accuracy {(tp + tn) / scored if scored else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
