"""The evidence base is a function of the documents, not of the order they came in (issue 15).

One corpus is ingested three ways: all at once; in two batches, the second half first and each
half in reverse order; and by two `litkit ingest` processes at once, one per half. The exports
(every sentence, `links` and `link_counts` included) must be byte-identical, and so must the
claim profiles and the translation links stored."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .conftest import CORPORA, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate_corpus import generate

SEED_REVIEW = CORPORA / "cno" / "eur_j_pediatr_2024_cno_review.en-zh.txt"

# Claims of different documents about one treatment that agree and conflict, in three languages.
CLAIMS = {
    "steroid_en_improved.en.txt": "Steroids in osteomyelitis.\n\n"
    "Methylprednisolone led to complete remission of bone pain in all patients.\n",
    "steroid_fr_improved.fr.txt": "Corticoïdes et ostéomyélite.\n\n"
    "La méthylprednisolone a permis une rémission complète des douleurs osseuses.\n",
    "steroid_en_not_improved.en.txt": "Steroids again.\n\n"
    "Methylprednisolone did not improve bone pain in these patients.\n",
    "nsaid_en_improved.en.txt": "NSAIDs.\n\nNaproxen led to complete remission of bone pain.\n",
    "nsaid_zh_improved.zh.txt": "非甾体抗炎药。\n\n萘普生治疗后骨痛完全缓解。\n",
}


def _litkit(db, *args: str) -> list[str]:
    return [sys.executable, "-m", "litkit", "--db", str(db), *args]


def _run(db, *args: str) -> bytes:
    return subprocess.run(_litkit(db, *args), check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """Files of every kind of cross-reference: translations within a document (the seed
    review) and across documents (its English and Chinese halves as two files, twice),
    claims that agree and conflict, and generated documents sharing concepts."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(CORPORA.rglob("*.txt")):
        shutil.copy(path, folder / path.name)
    lines = SEED_REVIEW.read_text("utf-8").splitlines()
    english = [line for line in lines if line.isascii() or line.startswith("•")]
    chinese = [line for line in lines if line not in english and not line.startswith("Pôle")]
    for copy in range(2):
        note = f"Note {copy}.\n"
        (folder / f"review{copy}.en.txt").write_text("\n".join(english) + "\n" + note, "utf-8")
        (folder / f"review{copy}.zh.txt").write_text("\n".join(chinese) + "\n" + note, "utf-8")
    for name, text in CLAIMS.items():
        (folder / name).write_text(text, "utf-8")
    generate(folder / "generated", 24)
    return sorted(str(p) for p in folder.rglob("*.txt"))


def _exports(db) -> dict[str, bytes]:
    return {
        "jsonl": _run(db, "export", "--all", "--format", "jsonl"),
        "csv": _run(db, "export", "--format", "csv"),
    }


@pytest.fixture(scope="module")
def all_at_once(corpus, tmp_path_factory) -> dict[str, bytes]:
    db = tmp_path_factory.mktemp("once") / "once.db"
    _run(db, "ingest", *corpus)
    return _exports(db)


def test_the_corpus_has_every_kind_of_cross_reference(all_at_once):
    jsonl = all_at_once["jsonl"].decode("utf-8")
    for kind in ("same_concept", "translation", "agrees", "conflicts"):
        assert f'"kind": "{kind}"' in jsonl


def test_two_batches_in_reverse_order_export_the_same_bytes(corpus, all_at_once, tmp_path):
    db = tmp_path / "batches.db"
    half = len(corpus) // 2
    _run(db, "ingest", *reversed(corpus[half:]))
    _run(db, "ingest", *reversed(corpus[:half]))
    assert _exports(db) == all_at_once


def test_two_concurrent_processes_on_halves_export_the_same_bytes(corpus, all_at_once, tmp_path):
    db = tmp_path / "concurrent.db"
    _run(db, "migrate")
    writers = [
        subprocess.Popen(_litkit(db, "ingest", *corpus[0::2]), stderr=subprocess.PIPE),
        subprocess.Popen(_litkit(db, "ingest", *corpus[1::2]), stderr=subprocess.PIPE),
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=600)
        assert writer.returncode == 0, errors
    assert _exports(db) == all_at_once
