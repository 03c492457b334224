"""How many dev gold sentences are still findable after `clean` (a check, not a test).

Cleaning must remove chrome, not sentence text. A gold sentence "survives" when its own
cleaned form (so `& gt;` and spaces are treated alike) is a substring of the cleaned document,
comparing with every whitespace run (newlines included) folded to one space.

    .venv/bin/python benchmarks/clean_gold_survival.py [/work/shared/gold/dev]
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

from litkit.clean import clean


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def main(gold_dir: str = "/work/shared/gold/dev") -> None:
    root = Path(gold_dir)
    cleaned: dict[str, str] = {}
    total: Counter[str] = Counter()
    lost: list[tuple[str, str]] = []
    for line in (root / "gold.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        doc = record["doc"]
        if doc not in cleaned:
            cleaned[doc] = _fold(clean((root / "texts" / doc).read_text("utf-8")).text)
        total["all"] += 1
        own_clean = _fold(clean(record["text"]).text)
        if not own_clean:
            total["chrome"] += 1  # the sentence itself is chrome (a button label)
        if _fold(html.unescape(record["text"])) in cleaned[doc]:
            total["verbatim"] += 1
        if own_clean in cleaned[doc]:
            total["survived"] += 1
        else:
            lost.append((doc, record["text"]))
    print(f"{total['survived']}/{total['all']} gold sentences survive cleaning (modulo chrome)")
    print(f"{total['verbatim']}/{total['all']} are still verbatim substrings (modulo whitespace)")
    print(f"{total['chrome']} gold sentences are themselves chrome and removed entirely")
    for doc, text in lost:
        print(f"  lost [{doc}] {text[:110]!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
