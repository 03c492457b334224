"""Language identification on isolated fragments: single words, word pairs, sentences.

Each line of `benchmarks/data/langid/<kind>/<lang>.txt` is identified on its own, as a
one-sentence document (no neighbours, no declared language), for fr, en, zh, de, es, it and pt.
Prints accuracy per kind and language and lines per second for each candidate detector:

- litkit: `litkit.langid.detect_languages([line])`, what the pipeline does;
- lingua low / high accuracy, restricted to the languages litkit supports;
- py3langid with `set_languages` to the same languages;
- langdetect (seeded), unrestricted, for reference.

The test data is a sample of the lingua project's test set (Apache-2.0, built from Leipzig
corpora); see `benchmarks/data/langid/PROVENANCE.md`. It measures only: nothing in litkit is
tuned on it.

`--embedded` measures litkit on the same lines inside a document in another language: each
line (and a 5-word fragment of it) is put between four sentences of English or of French
that the function words alone identify, and only its own label is scored. This is where the
document's language could wrongly win over a short sentence's own (the trigram confirmation
of `langid._model_guess`).

Also times a long unpunctuated line (`--long-mb`, default 5 MB) through `detect_languages`.

Usage: .venv/bin/python benchmarks/langid_accuracy.py [--only litkit,lingua-low] [--long-mb 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from litkit import langid

DATA = Path(__file__).resolve().parent / "data" / "langid"
KINDS = ("single-words", "word-pairs", "sentences")
LANGS = ("fr", "en", "zh", "de", "es", "it", "pt")
# What litkit supports: the test languages plus the other Latin-script languages of its data.
SUPPORTED = ("en", "fr", "zh", "de", "es", "it", "pt", "nl", "cs", "pl", "sv", "ro")
Detector = Callable[[str], str]


def _fold(code: str | None) -> str:
    code = (code or "??").lower()
    return "zh" if code.startswith("zh") else code.split("-")[0]


def litkit_detector() -> Detector:
    return lambda text: langid.detect_languages([text])[0]


def lingua_detector(high: bool) -> Detector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in SUPPORTED]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    detector = (builder if high else builder.with_low_accuracy_mode()).build()

    def run(text: str) -> str:
        lang = detector.detect_language_of(text)
        return _fold(lang.iso_code_639_1.name) if lang else "??"

    return run


def py3langid_detector() -> Detector:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(SUPPORTED))
    return lambda text: _fold(identifier.classify(text)[0])


def langdetect_detector() -> Detector:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    def run(text: str) -> str:
        DetectorFactory.seed = 0
        try:
            return _fold(detect(text))
        except LangDetectException:
            return "??"

    return run


CANDIDATES: dict[str, Callable[[], Detector]] = {
    "litkit": litkit_detector,
    "lingua-low": lambda: lingua_detector(False),
    "lingua-high": lambda: lingua_detector(True),
    "py3langid": py3langid_detector,
    "langdetect": langdetect_detector,
}


def load() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = {}
    for kind in KINDS:
        data[kind] = {}
        for lang in LANGS:
            path = DATA / kind / f"{lang}.txt"
            if path.exists():
                lines = path.read_text(encoding="utf-8").splitlines()
                data[kind][lang] = [line.strip() for line in lines if line.strip()]
    return data


def measure(name: str, detector: Detector, data: dict[str, dict[str, list[str]]]) -> list[dict]:
    rows = []
    for by_lang in data.values():  # load every model (lazy in lingua and langdetect) untimed
        for lines in by_lang.values():
            detector(lines[0])
    detector("Dětská klinika, Ústav molekulární a translační medicíny, Olomouc")
    for kind, by_lang in data.items():
        hits = total = 0
        per_lang = {}
        started = time.perf_counter()
        for lang, lines in by_lang.items():
            good = sum(detector(line) == lang for line in lines)
            per_lang[lang] = round(good / len(lines), 3)
            hits += good
            total += len(lines)
        elapsed = time.perf_counter() - started
        rows.append(
            {
                "detector": name,
                "kind": kind,
                "accuracy": round(hits / total, 4),
                "n": total,
                "lines_per_s": round(total / elapsed),
                "per_lang": per_lang,
            }
        )
    return rows


def long_line(megabytes: float, data: dict[str, dict[str, list[str]]]) -> dict:
    """The French test sentences without punctuation, repeated into one line of N MB."""
    words = " ".join(data["sentences"]["fr"]).translate(_NO_PUNCTUATION).split()
    pieces, size, index = [], 0, 0
    while size < megabytes * 1_000_000:
        pieces.append(words[index % len(words)])
        size += len(pieces[-1]) + 1
        index += 1
    line = " ".join(pieces)
    started = time.perf_counter()
    lang = langid.detect_languages([line])[0]
    seconds = round(time.perf_counter() - started, 3)
    return {"long_line_mb": megabytes, "chars": len(line), "seconds": seconds, "lang": lang}


def embedded(data: dict[str, dict[str, list[str]]]) -> list[dict]:
    """litkit's label for each test sentence, and a 5-word fragment of it, inside a document
    of four sentences of another language (en or fr) identified by their function words."""
    rows = []
    for host in ("en", "fr"):
        hosts = [
            line
            for line in data["sentences"][host]
            if langid.detect_languages([line]) == [host] and len(line.split()) > 8
        ][:4]
        for kind in ("sentence", "fragment"):
            hits = total = 0
            for lang, lines in data["sentences"].items():
                if lang == host:
                    continue
                for line in lines:
                    text = line if kind == "sentence" else " ".join(line.split()[2:7])
                    labels = langid.detect_languages([*hosts[:2], text, *hosts[2:]])
                    hits += labels[2] == lang
                    total += 1
            rows.append(
                {"embedded_in": host, "kind": kind, "accuracy": round(hits / total, 4), "n": total}
            )
    return rows


_NO_PUNCTUATION = str.maketrans({c: " " for c in '.,;:!?«»“”"()[]'})


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(CANDIDATES), help="comma-separated detectors")
    parser.add_argument("--long-mb", type=float, default=5.0, help="0 to skip the long line")
    parser.add_argument("--embedded", action="store_true", help="only the in-document measure")
    args = parser.parse_args(argv)
    data = load()
    if args.embedded:
        for row in embedded(data):
            print(json.dumps(row))
        return 0
    for name in args.only.split(","):
        try:
            detector = CANDIDATES[name]()
        except ImportError as error:
            print(json.dumps({"detector": name, "skipped": str(error)}))
            continue
        for row in measure(name, detector, data):
            print(json.dumps(row, ensure_ascii=False))
    if args.long_mb:
        print(json.dumps(long_line(args.long_mb, data)))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": round(rss_mb, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
