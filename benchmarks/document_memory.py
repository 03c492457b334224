"""Where the memory of one long document goes, stage by stage (issue 18).

Why: memory should follow the window of sentences assessed at once, not the document. This
script builds a long document (plain English sentences from the demo corpus, or the
trilingual hostile text), then reports with tracemalloc the memory held after each
document-level pass (`pipeline.prepare`) and the peak of planning its rows, either whole
(`plan_write(process(...))`: every `Segment` alive with its rows) or window by window
(`plan.plan_parsed`, `--window` sentences at a time; past one window the rows go to temporary
files, `litkit.rowspill`).

    python benchmarks/document_memory.py [--kind plain|trilingual] [--sentences 40000]
        [--window 2000]

tracemalloc slows Python down several times: keep `--sentences` modest on a busy machine.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_corpus import demo_sentences  # noqa: E402

from litkit.lexicon import default_lexicon  # noqa: E402
from litkit.models import ParsedText  # noqa: E402
from litkit.pipeline import prepare, process  # noqa: E402
from litkit.plan import plan_parsed, plan_write  # noqa: E402
from tests.hostile import EN, FR, ZH  # noqa: E402

MiB = 2**20


def long_text(kind: str, sentences: int) -> str:
    """About `sentences` sentences of plain text, in paragraphs of eight."""
    if kind == "trilingual":
        block = f"{EN * 3}\n\n{FR * 3}\n\n{ZH * 3}\n\n"  # 18 sentences
        return block * max(sentences // 18, 1)
    pool = demo_sentences()["en"]
    paragraphs = []
    for start in range(0, sentences, 8):
        count = min(8, sentences - start)
        paragraphs.append(" ".join(pool[(start + i) % len(pool)] for i in range(count)))
    return "\n\n".join(paragraphs)


def measured(label: str, run):  # type: ignore[no-untyped-def]
    """Run `run()` under tracemalloc; print the memory held after it (what it returned) and
    its peak."""
    gc.collect()
    tracemalloc.start()
    started = time.monotonic()
    result = run()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<34} held {held / MiB:8.1f} MB  peak {peak / MiB:8.1f} MB"
        f"  {time.monotonic() - started:7.1f} s",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("plain", "trilingual"), default="plain")
    parser.add_argument("--sentences", type=int, default=40_000)
    parser.add_argument("--window", type=int, default=2000)
    args = parser.parse_args()
    lexicon = default_lexicon()
    parsed = ParsedText(text=long_text(args.kind, args.sentences))
    process(ParsedText(text=EN + FR + ZH), "warm-up", lexicon)  # models and rules loaded
    print(f"{args.kind}: {len(parsed.text):,} characters")
    prepared = measured("prepare (document-level passes)", lambda: prepare(parsed, "x", lexicon))
    print(f"{len(prepared):,} sentences")
    del prepared
    whole = measured(
        "plan, whole document",
        lambda: plan_write(process(parsed, "x", lexicon), lexicon),
    )
    del whole
    measured(
        f"plan, windows of {args.window:,}",
        lambda: plan_parsed(parsed, "x", lexicon, window=args.window),
    )


if __name__ == "__main__":
    main()
