"""Compare sentence language detectors on the gold sentences: accuracy overall and per language,
and sentences per second.

Each detector sees the gold sentences of one document at a time, in order (only litkit's hybrid
uses the neighbours). Detectors whose package is missing are skipped.

Usage: .venv/bin/python benchmarks/langid_compare.py [gold_dir] [--errors]
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from litkit import langid

DEFAULT_GOLD = Path("/work/shared/gold/dev")
MAIN = ("en", "fr", "zh")
Detector = Callable[[Sequence[str]], list[str]]


def _fold(code: str | None) -> str:
    code = (code or "??").lower()
    return "zh" if code.startswith("zh") else code.split("-")[0]


def langdetect_detector() -> Detector:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    def run(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            DetectorFactory.seed = 0
            try:
                out.append(_fold(detect(text)))
            except LangDetectException:
                out.append("??")
        return out

    return run


def lingua_detector(high: bool) -> Detector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.ENGLISH,
        Language.FRENCH,
        Language.CHINESE,
        Language.SPANISH,
        Language.GERMAN,
        Language.CZECH,
        Language.ITALIAN,
        Language.PORTUGUESE,
    ]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    detector = (builder if high else builder.with_low_accuracy_mode()).build()
    del IsoCode639_1

    def run(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            lang = detector.detect_language_of(text)
            out.append(_fold(lang.iso_code_639_1.name) if lang else "??")
        return out

    return run


def py3langid_detector() -> Detector:
    import py3langid

    py3langid.set_languages(["en", "fr", "zh", "es", "de", "cs", "it", "pt"])
    identifier = py3langid

    def run(texts: Sequence[str]) -> list[str]:
        return [_fold(identifier.classify(text)[0]) for text in texts]

    return run


def script_detector() -> Detector:
    """Han share says zh, everything else is English: the floor any detector must beat."""

    def run(texts: Sequence[str]) -> list[str]:
        return [langid._script_guess(text) or "en" for text in texts]

    return run


def hybrid_no_context() -> Detector:
    def run(texts: Sequence[str]) -> list[str]:
        return [langid._guess(text).lang or "en" for text in texts]

    return run


def hybrid() -> Detector:
    return lambda texts: langid.detect_languages(texts)


def candidates() -> list[tuple[str, Callable[[], Detector]]]:
    return [
        ("script only (Han share, else en)", script_detector),
        ("langdetect seed=0", langdetect_detector),
        ("lingua 8 langs, low accuracy", lambda: lingua_detector(False)),
        ("lingua 8 langs, high accuracy", lambda: lingua_detector(True)),
        ("py3langid set_languages(8)", py3langid_detector),
        ("litkit votes, no context", hybrid_no_context),
        ("litkit hybrid (detect_languages)", hybrid),
    ]


def main(argv: list[str]) -> int:
    gold_dir = Path(next((a for a in argv if not a.startswith("--")), DEFAULT_GOLD))
    show_errors = "--errors" in argv
    docs: dict[str, list[dict]] = defaultdict(list)
    for line in (gold_dir / "gold.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        docs[row["doc"]].append(row)
    total = sum(len(rows) for rows in docs.values())
    header = f"{'detector':36} {'all':>6} " + " ".join(f"{lang:>6}" for lang in MAIN)
    print(header + f" {'other':>6} {'sent/s':>9}")
    for name, factory in candidates():
        try:
            detector = factory()
        except ImportError as error:
            print(f"{name:36} skipped ({error})")
            continue
        detector(["warm up the model", "预热"])
        hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        errors = []
        started = time.perf_counter()
        predictions = {doc: detector([r["text"] for r in rows]) for doc, rows in docs.items()}
        elapsed = time.perf_counter() - started
        for doc, rows in docs.items():
            for row, predicted in zip(rows, predictions[doc], strict=True):
                key = row["lang"] if row["lang"] in MAIN else "other"
                hits[key][1] += 1
                hits[key][0] += predicted == row["lang"]
                if predicted != row["lang"]:
                    errors.append(
                        f"   {doc[:20]:20} gold={row['lang']} got={predicted}: {row['text'][:90]!r}"
                    )
        correct = sum(h[0] for h in hits.values())
        cells = " ".join(f"{hits[k][0] / max(hits[k][1], 1):6.3f}" for k in (*MAIN, "other"))
        print(f"{name:36} {correct / total:6.3f} {cells} {total / elapsed:9.0f}")
        if show_errors:
            print("\n".join(errors))
    counts = defaultdict(int)
    for rows in docs.values():
        for row in rows:
            counts[row["lang"]] += 1
    print("gold sentences:", dict(sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
