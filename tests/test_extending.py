"""Adding a claim type touches at most five files, none of them Python but the vocabulary.

The test copies the package and the schemas, makes the edits a contributor would make for a
`prognosis` type (the vocabulary, one language's cues, the two schemas that list types), and
runs litkit from the copy: the new type is found, filterable, and valid against the schemas.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent


def _copy(tmp: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "litkit", tmp / "litkit", ignore=ignore)
    shutil.copytree(ROOT / "schemas", tmp / "schemas", ignore=ignore)
    return tmp


def _add_prognosis(tree: Path) -> None:
    vocab = tree / "litkit" / "vocab.py"
    text = vocab.read_text(encoding="utf-8")
    old = 'CLAIM_TYPES: tuple[str, ...] = ("diagnosis", "treatment", "outcome")'
    assert old in text
    vocab.write_text(text.replace(old, old[:-1] + ', "prognosis")'), encoding="utf-8")
    cues_path = tree / "litkit" / "resources" / "en" / "cues.json"
    cues = json.loads(cues_path.read_text(encoding="utf-8"))
    cues["types"]["prognosis"] = ["prognosis", "prognostic factor*", "predicts relapse"]
    cues_path.write_text(json.dumps(cues, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, pointers in {
        "segment": [("properties", "types", "items")],
        "summary": [("$defs", "quote", "properties", "types", "items")],
    }.items():
        path = tree / "schemas" / f"{name}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        for pointer in pointers:
            node = schema
            for part in pointer:
                node = node[part]
            node["enum"].append("prognosis")
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _changed_files(tree: Path) -> list[str]:
    changed: list[str] = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        changed.extend(prefix + name for name in compare.diff_files + compare.left_only)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    for top in ("litkit", "schemas"):
        ignore = ["__pycache__"]
        walk(filecmp.dircmp(str(ROOT / top), str(tree / top), ignore=ignore), f"{top}/")
    return sorted(changed)


def test_a_claim_type_is_at_most_five_files(tmp_path: Path) -> None:
    tree = _copy(tmp_path / "tree")
    _add_prognosis(tree)
    changed = _changed_files(tree)
    assert len(changed) <= 5, changed
    assert [f for f in changed if f.endswith(".py")] == ["litkit/vocab.py"]

    (tmp_path / "paper.txt").write_text(
        "Young age at onset predicts relapse in chronic recurrent multifocal osteomyelitis.\n"
        "The patient received naproxen.\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(tree))

    def litkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "litkit", "--db", "t.db", *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert litkit("ingest", "paper.txt").returncode == 0
    exported = litkit("export", "--type", "prognosis", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    [record] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert "prognosis" in record["types"] and record["text"].startswith("Young age")
    schema = json.loads((tree / "schemas" / "segment.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema)
    # without the edits the same type is refused as an unknown choice
    plain = subprocess.run(
        [sys.executable, "-m", "litkit", "--db", "t.db", "export", "--type", "prognosis"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )  # fmt: skip
    assert plain.returncode == 2
