"""Score main-text extraction from web pages with must-have and must-not-have snippets.

Each page in a data folder comes with snippets that must be in its main text ("with") and
snippets that must not ("without", page furniture), in snippets.json, scored like
trafilatura's own evaluation: a "with" snippet found is a true positive, missed a false
negative; a "without" snippet found is a false positive. A page whose reader stores nothing
counts every "with" snippet as missed.

Sets (each a folder under benchmarks/data/html/ with its snippets.json; all are scored when no
folder is given, each on its own so the figures stay comparable):
- `public` : pages built from real public article pages in en/fr/zh (PROVENANCE.md);
- `handwritten` : pages written for litkit that imitate such layouts (CC0).

Readers compared:
- `litkit` : litkit's HTML reader as it is now (walker + trafilatura's main text);
- `walker` : the same reader with the main-text selection switched off (walker alone);
- `trafilatura` : trafilatura's own text output;
- `old@REV` : litkit's HTML reader at a git revision (`--old REV`, e.g. the commit before the
  trafilatura reader), loaded from `git show REV:litkit/sources/html.py`.

Usage: .venv/bin/python benchmarks/html_main_text.py [data_dir ...] [--old REV] [--errors]
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from litkit.errors import SourceError
from litkit.models import RawSource
from litkit.sources import html, html_main

DATA = Path(__file__).resolve().parent / "data" / "html"
Reader = Callable[[RawSource], str]


def litkit_reader(raw: RawSource) -> str:
    return html.read_html(raw)[0].text


def walker_reader(raw: RawSource) -> str:
    with mock.patch.object(html, "main_text", lambda _: None):
        return html.read_html(raw)[0].text


def trafilatura_reader(raw: RawSource) -> str:
    return html_main.main_text(raw.data.decode("utf-8", "replace")) or ""


def old_reader(rev: str) -> Reader:
    """litkit's HTML reader as committed at `rev`."""
    source = subprocess.run(
        ["git", "show", f"{rev}:litkit/sources/html.py"],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    folder = Path(tempfile.mkdtemp())
    path = folder / "old_html.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("old_html", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return lambda raw: module.read_html(raw)[0].text


def score(reader: Reader, pages: dict, folder: Path, errors: bool) -> dict[str, float]:
    tp = fn = fp = tn = empty = 0
    started = time.perf_counter()
    for name, snippets in pages.items():
        raw = RawSource(name, (folder / name).read_bytes(), "text/html")
        try:
            text = reader(raw)
        except SourceError:
            text = ""
        if not text.strip():
            empty += 1
        for snippet in snippets["with"]:
            if snippet in text:
                tp += 1
            else:
                fn += 1
                if errors:
                    print(f"  missed   {name}: {snippet}")
        for snippet in snippets["without"]:
            if snippet in text:
                fp += 1
                if errors:
                    print(f"  kept     {name}: {snippet}")
            else:
                tn += 1
    elapsed = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": (tp + tn) / max(tp + tn + fp + fn, 1),
        "empty_pages": empty,
        "ms_per_page": 1000 * elapsed / max(len(pages), 1),
    }


def load_pages(folder: Path) -> dict:
    """The pages of one set and their snippets (keys starting with "_" are comments)."""
    snippets = json.loads((folder / "snippets.json").read_text("utf-8"))
    return {k: v for k, v in snippets.items() if not k.startswith("_")}


def default_sets() -> list[Path]:
    """Every set under benchmarks/data/html/, real public pages first."""
    folders = sorted(p.parent for p in DATA.glob("*/snippets.json"))
    return sorted(folders, key=lambda p: p.name != "public")


def main(argv: list[str]) -> None:
    errors = "--errors" in argv
    argv = [a for a in argv if a != "--errors"]
    old = None
    if "--old" in argv:
        at = argv.index("--old")
        old = argv[at + 1]
        del argv[at : at + 2]
    folders = [Path(a) for a in argv] or default_sets()
    readers: dict[str, Reader] = {}
    if old:
        readers[f"old@{old}"] = old_reader(old)
    readers |= {"walker": walker_reader, "trafilatura": trafilatura_reader, "litkit": litkit_reader}
    for folder in folders:
        pages = load_pages(folder)
        print(f"{len(pages)} pages in {folder}")
        print(f"{'reader':<16} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'empty':>6} {'ms/page':>8}")
        for label, reader in readers.items():
            if errors:
                print(f"{label}:")
            s = score(reader, pages, folder, errors)
            print(
                f"{label:<16} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
                f"{s['accuracy']:6.3f} {s['empty_pages']:6d} {s['ms_per_page']:8.1f}"
            )
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
