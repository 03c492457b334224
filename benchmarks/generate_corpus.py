"""Build an N-document fr/en/zh corpus from the demo corpus's sentences, for benchmarks and tests.

Why generate: throughput and memory must be measured at 1k, 10k and 100k documents, and the
repository must not carry big files. Every document is distinct (a seeded shuffle of real
sentences plus a unique number), so content-hash ids never collide and dedup never hides work;
the same N and seed always give the same bytes.

    python benchmarks/generate_corpus.py OUT_DIR --docs 1000 [--seed 7] [--sentences 12]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "cno"
LANGS = ("en", "fr", "zh")
FILES_PER_DIR = 1000  # keeps directories small at 100k documents

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])")
_CJK_SENTENCE = re.compile(r"(?<=[。！？])")
_FRENCH_HINT = re.compile(r"\b(?:les|des|une|est|avec|pour|dans|été)\b|[éèàç]", re.IGNORECASE)
# A sentence that carries the document's unique number, phrased in the document's language.
_MARKERS = {
    "en": "This is case record number {n} of the series.",
    "fr": "Il s'agit du dossier numéro {n} de la série.",
    "zh": "这是本系列的第{n}号病例记录。",
}


def demo_sentences(folder: Path = DEMO) -> dict[str, list[str]]:
    """The demo corpus's sentences by language (a rough split: good enough to vary text)."""
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if len(line) < 20:
                continue
            if _CJK.search(line):
                parts = [p.strip() for p in _CJK_SENTENCE.split(line)]
                by_lang["zh"].extend(p for p in parts if len(p) >= 8 and _CJK.search(p))
                continue
            for part in _LATIN_SENTENCE.split(line):
                part = part.strip()
                if len(part) >= 30 and part[-1] in ".!?":
                    lang = "fr" if len(_FRENCH_HINT.findall(part)) >= 2 else "en"
                    by_lang[lang].append(part)
    return by_lang


def make_document(
    number: int, lang: str, pool: list[str], rng: random.Random, sentences: int
) -> str:
    """One document: a title, then paragraphs of sampled sentences and a numbered marker."""
    chosen = rng.sample(pool, min(sentences, len(pool)))
    chosen.insert(rng.randrange(len(chosen) + 1), _MARKERS[lang].format(n=number))
    joiner = "" if lang == "zh" else " "
    paragraphs = [joiner.join(chosen[i : i + 4]) for i in range(0, len(chosen), 4)]
    title = chosen[0][:80]
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(out: Path, docs: int, seed: int = 7, sentences: int = 12) -> list[Path]:
    """Write `docs` documents under `out` (subfolders of 1000); returns their paths."""
    rng = random.Random(seed)
    pools = demo_sentences()
    paths = []
    for number in range(docs):
        lang = LANGS[number % len(LANGS)]
        folder = out / f"{number // FILES_PER_DIR:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"doc{number:06d}.{lang}.txt"
        path.write_text(make_document(number, lang, pools[lang], rng, sentences), "utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sentences", type=int, default=12, help="Sentences per document.")
    args = parser.parse_args()
    paths = generate(args.out, args.docs, args.seed, args.sentences)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {size / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
