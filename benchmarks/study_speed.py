"""CPU cost of the study-facts stage (design, patients, year) per real document.

Why: `litkit.study` runs once per document in every ingest worker and scans the title page
and abstract for design cues, patient counts in three languages and year lines; this measures
it on real texts (a gold folder's `texts/`, or any folder of .txt files) rather than on the
generated corpus of `pipeline_speed.py`, whose documents are two sentences long.

    python benchmarks/study_speed.py [FOLDER ...] [--repeat 5]

Prints the best of `--repeat` passes in CPU ms per document, and the share of the whole
per-document pipeline (`pipeline.process`) it takes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from litkit.clean import clean
from litkit.lexicon import default_lexicon
from litkit.models import RawSource
from litkit.pipeline import process
from litkit.sources import read
from litkit.study import study_facts

DEFAULT_FOLDERS = ("/work/shared/gold/dev/texts", "/work/shared/gold/dev-general/texts")


def best_ms(run, items: list, repeat: int) -> float:
    """Best CPU milliseconds per item over `repeat` passes (after one warm-up pass)."""
    for item in items:
        run(item)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            run(item)
        best = min(best, (time.process_time() - start) * 1000 / len(items))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="*", default=DEFAULT_FOLDERS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = sorted(p for folder in args.folders for p in Path(folder).glob("*.txt"))
    parsed = [read(RawSource(str(p), p.read_bytes(), "text/plain"))[0] for p in paths]
    cleaned = [(clean(doc.text).text, doc.meta) for doc in parsed]
    lexicon = default_lexicon()
    study = best_ms(lambda item: study_facts(*item), cleaned, args.repeat)
    whole = best_ms(lambda doc: process(doc, "bench", lexicon), parsed, args.repeat)
    chars = sum(len(text) for text, _ in cleaned) // max(1, len(cleaned))
    print(f"{len(paths)} documents, {chars} characters each on average")
    print(f"study_facts        {study:7.3f} CPU ms/doc")
    print(f"pipeline.process   {whole:7.3f} CPU ms/doc (study is {100 * study / whole:.0f}%)")


if __name__ == "__main__":
    main()
