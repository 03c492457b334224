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
  tsv    lang, sentence, target, negated, hedged (true / false / empty when the source does
         not annotate it), tab-separated, lines starting with "#" skipped; for French or
         Chinese examples (e.g. benchmarks/data/negation/fr_dev.tsv, converted by hand from
         EDS-NLP's and medkit's public qualifier tests). A fifth column scores hedging too.

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
    negated: bool | None
    hedged: bool | None = None


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


def _label(cell: str) -> bool | None:
    """true / false, or None for an empty cell (the source does not annotate it)."""
    cell = cell.strip().lower()
    return None if not cell else cell == "true"


def read_tsv(path: Path) -> list[Item]:
    """lang, sentence, target, negated[, hedged] rows."""
    items = []
    with path.open(encoding="utf-8", newline="") as fp:
        for row in csv.reader(fp, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 4 and not row[0].startswith("#"):
                hedged = _label(row[4]) if len(row) > 4 else None
                items.append(Item(row[0], row[1], row[2], _label(row[3]), hedged))
    return items


def locate(sentence: str, target: str) -> tuple[int, int] | None:
    """The condition's span in the sentence, case- and whitespace-insensitive."""
    words = target.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, sentence, re.IGNORECASE)
    return match.span() if match else None


def predict(item: Item) -> tuple[bool, bool] | None:
    """Whether litkit negates and whether it hedges the item's condition (None when the
    condition is not in the sentence)."""
    span = locate(item.sentence, item.target)
    if span is None:
        return None
    norm = normalise(item.sentence)
    result = assess_assertion(norm, item.lang, [span], original=item.sentence, names=[span])
    negated = any(s < span[1] and e > span[0] for s, e in result.negated_spans)
    hedged = any(s < span[1] and e > span[0] for s, e in result.hedged_spans)
    return negated, hedged


@dataclass
class Counts:
    """Confusion counts of one class (negated or hedged)."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        self.tp += predicted and gold
        self.fp += predicted and not gold
        self.fn += not predicted and gold
        self.tn += not predicted and not gold

    def report(self) -> list[str]:
        scored = self.tp + self.fp + self.fn + self.tn
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = (self.tp + self.tn) / scored if scored else 0.0
        return [
            f"{self.name}: scored {scored}  gold {self.tp + self.fn}"
            f"  predicted {self.tp + self.fp}",
            f"{self.name} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
            f"  accuracy {accuracy:.3f}",
        ]


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
    negated, hedged = Counts("negated"), Counts("hedged")
    skipped = 0
    for item in items:
        predicted = predict(item)
        if predicted is None:
            skipped += 1
            continue
        for counts, gold, guess in (
            (negated, item.negated, predicted[0]),
            (hedged, item.hedged, predicted[1]),
        ):
            if gold is None:
                continue
            counts.add(guess, gold)
            if args.errors and guess != gold:
                kind = "FP" if guess else "FN"
                print(f"{counts.name} {kind}\t{item.target}\t{item.sentence}")
    print(f"items {len(items)}  skipped (target not found) {skipped}")
    for counts in (negated, hedged):
        if counts.tp + counts.fp + counts.fn + counts.tn:
            print("\n".join(counts.report()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
