"""litkit against a naive pipeline, medspaCy's rule pipeline and the floor, in one run (issue 15).

Why: "fast" means something only next to what else could be run on the same documents. On one
generated corpus (benchmarks/generate_corpus.py), each contender runs in its own subprocess
(so its peak RSS is its own, read with os.wait4) and is reported in sentences per second,
with its ratio to litkit `--jobs 2`:

- litkit `ingest --jobs 1` and `--jobs 2`, end to end into a fresh database (every stage and
  storage; sentences counted in the database);
- naive: read, split with a regular expression, `langdetect` on every sentence (seeded, so it
  is deterministic), one SQLite insert per sentence batch;
- medspaCy's rule pipeline (sentence splitter, target matcher, ConText) on every document,
  where medspaCy is installed (it is not a litkit dependency; skipped otherwise);
- floor: read, split with a regular expression, script language (Han characters or not), one
  SQLite insert per document: what any ingest has to do.

    python benchmarks/compare_pipelines.py [--docs 1000] [--workdir DIR] [--medspacy-python PY]

`--medspacy-python` names the interpreter of an environment where medSpaCy is installed (it
pulls spaCy and is no litkit dependency, so it usually lives in a venv of its own, e.g.
`python -m venv /tmp/ms && /tmp/ms/bin/pip install medspacy`); the contender runs there.

The naive, medspaCy and floor contenders run on one core; litkit `--jobs 2` on two.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_throughput import corpus, measure

_SPLIT = re.compile(r"(?<=[.!?。！？])\s*|\n+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt"))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


def run_naive(folder: Path, db_path: Path) -> int:
    """Regex split + seeded langdetect per sentence + one insert per document."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE s (doc TEXT, idx INTEGER, lang TEXT, text TEXT)")
    total = 0
    for path in _files(folder):
        rows = []
        for index, sentence in enumerate(_sentences(path.read_text("utf-8"))):
            try:
                lang = detect(sentence)
            except LangDetectException:
                lang = "und"
            rows.append((path.name, index, lang, sentence))
        conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?)", rows)
        total += len(rows)
    conn.commit()
    return total


def run_floor(folder: Path, db_path: Path) -> int:
    """Read, regex split, script language, one SQLite insert per document."""
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE s (doc TEXT, idx INTEGER, lang TEXT, text TEXT)")
    total = 0
    for path in _files(folder):
        rows = [
            (path.name, index, "zh" if _HAN.search(sentence) else "latin", sentence)
            for index, sentence in enumerate(_sentences(path.read_text("utf-8")))
        ]
        conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?)", rows)
        total += len(rows)
    conn.commit()
    return total


def run_medspacy(folder: Path, db_path: Path) -> int:
    """medSpaCy's default rule pipeline (sentences, target matcher, ConText) per document."""
    import medspacy  # optional: not a litkit dependency

    try:  # PyRuSH logs every token at DEBUG through loguru: that would be timed, not medSpaCy
        from loguru import logger

        logger.remove()
    except ImportError:
        pass
    nlp = medspacy.load()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE s (doc TEXT, idx INTEGER, text TEXT)")
    total = 0
    for path in _files(folder):
        doc = nlp(path.read_text("utf-8"))
        rows = [(path.name, i, sent.text) for i, sent in enumerate(doc.sents)]
        conn.executemany("INSERT INTO s VALUES (?, ?, ?)", rows)
        total += len(rows)
    conn.commit()
    return total


CONTENDERS = {"naive": run_naive, "floor": run_floor, "medspacy": run_medspacy}


def child(name: str, folder: Path, db_path: Path) -> None:
    """Run one contender in this process and print its sentence count as JSON."""
    start = time.perf_counter()
    sentences = CONTENDERS[name](folder, db_path)
    print(json.dumps({"sentences": sentences, "wall_s": time.perf_counter() - start}))


def measure_contender(name: str, folder: Path, workdir: Path, python: str = sys.executable) -> dict:
    """A contender in a subprocess of `python`: sentences/s and its peak RSS."""
    db_path = workdir / f"{name}.db"
    db_path.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [python, __file__, "--child", name, "--folder", str(folder), "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        reason = (err.strip().splitlines() or ["failed"])[-1]
        return {"contender": name, "skipped": reason}
    figures = json.loads(out)
    return {
        "contender": name,
        "sentences": figures["sentences"],
        "sentences_per_s": round(figures["sentences"] / figures["wall_s"], 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "litkit-cmp")
    parser.add_argument(
        "--medspacy-python", default=sys.executable, help="interpreter that has medspacy installed"
    )
    parser.add_argument("--child", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.db)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    folder = corpus(args.workdir, args.docs)
    rows = []
    for jobs in (1, 2):
        figures = measure(folder, args.docs, jobs, args.workdir)
        rows.append(
            {
                "contender": f"litkit --jobs {jobs}",
                "sentences": figures["sentences"],
                "sentences_per_s": figures["sentences_per_s"],
                "peak_rss_mb": figures["peak_rss_mb"],
            }
        )
    rows += [
        measure_contender(
            name,
            folder,
            args.workdir,
            args.medspacy_python if name == "medspacy" else sys.executable,
        )
        for name in CONTENDERS
    ]
    reference = rows[1]["sentences_per_s"]
    for row in rows:
        if "sentences_per_s" in row:
            row["litkit_j2_vs_this"] = round(reference / row["sentences_per_s"], 2)
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
