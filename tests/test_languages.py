"""Languages are folders: litkit/resources/<code>/ (or LITKIT_LANGUAGES) with a manifest.

The toy-language test adds a language with one folder and no Python change: its function
words identify it, its segmentation data keeps an abbreviation inside a sentence, its cue
file negates with its own word, and `--lang` accepts its code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from litkit import languages as lang_module
from litkit.cues import SUPPORTED_LANGS, load_cue_data
from litkit.languages import language_file, languages, languages_with

ROOT = Path(__file__).resolve().parent.parent
TOY = "qaa"  # ISO 639 reserves qaa-qtz for local use: never a real language's code


def test_the_shipped_languages_are_discovered_from_their_folders() -> None:
    found = languages()
    assert {"en", "fr", "zh", "es"} <= set(found)
    assert found["zh"].script == "han" and found["fr"].script == "latin"
    assert SUPPORTED_LANGS == languages_with("cues.json") == ("en", "fr", "zh")
    assert found["es"].fallback == "en"


def test_a_missing_file_comes_from_the_fallback_language() -> None:
    es_cues = language_file("es", "cues.json")
    assert es_cues is not None and es_cues == language_file("en", "cues.json")
    assert language_file("es", "assertion.json") == languages()["es"].folder / "assertion.json"
    # a language with no folder at all gets the default fallback's file
    assert language_file("nl", "cues.json") == language_file("en", "cues.json")
    assert load_cue_data("nl")["lang"] == "en"


def _toy_language(root: Path) -> Path:
    """A language folder written the way a contributor would: manifest plus data files."""
    folder = root / TOY
    folder.mkdir(parents=True)
    (folder / "language.json").write_text(
        json.dumps({"name": "Toy", "script": "latin", "fallback": "en"}), encoding="utf-8"
    )
    (folder / "langid.json").write_text(
        json.dumps({"stopwords": ["ka", "lo", "mi", "tu", "ze", "vo", "ri"]}), encoding="utf-8"
    )
    (folder / "segment.json").write_text(json.dumps({"never_final": ["dok"]}), encoding="utf-8")
    cues = json.loads((ROOT / "litkit/resources/en/cues.json").read_text(encoding="utf-8"))
    cues["lang"] = TOY
    cues["negation"]["forward"] = ["nek"]
    (folder / "cues.json").write_text(json.dumps(cues, ensure_ascii=False), encoding="utf-8")
    return folder


def _sentences(env: dict[str, str], cwd: Path) -> list[dict]:
    def litkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "litkit", "--db", "toy.db", *args],
            env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    ingested = litkit("ingest", "toy.txt")
    assert ingested.returncode == 0, ingested.stderr
    exported = litkit("export", "--all", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    return [json.loads(line) for line in exported.stdout.splitlines()]


def test_a_toy_language_is_one_folder(tmp_path: Path) -> None:
    _toy_language(tmp_path / "langs")
    (tmp_path / "toy.txt").write_text(
        "Ka dok. Berin lo mi kuratu pamidronate tu ze vo. Ka lo nek osteomyelitis mi tu ze ri.\n",
        encoding="utf-8",
    )
    env = dict(os.environ, LITKIT_LANGUAGES=str(tmp_path / "langs"))
    with_folder = _sentences(env, tmp_path)
    assert [s["lang"] for s in with_folder] == [TOY, TOY]
    assert with_folder[0]["text"].startswith("Ka dok. Berin")  # its abbreviation kept inside
    assert with_folder[1]["negated"] is True  # by its own negation word

    chosen = subprocess.run(
        [sys.executable, "-m", "litkit", "--db", "toy.db", "query", "--lang", TOY, "--all",
         "osteomyelitis", "--format", "jsonl"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert [json.loads(line)["lang"] for line in chosen.stdout.splitlines()] == [TOY]

    (tmp_path / "toy.db").unlink()
    without = _sentences({k: v for k, v in env.items() if k != "LITKIT_LANGUAGES"}, tmp_path)
    assert TOY not in {s["lang"] for s in without}
    assert len(without) == 3 and not any(s["negated"] for s in without)


def test_a_folder_without_manifest_or_with_a_bad_code_is_not_a_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "qab").mkdir()  # no language.json
    (tmp_path / "Not-A-Code").mkdir()
    (tmp_path / "Not-A-Code" / "language.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("LITKIT_LANGUAGES", str(tmp_path))
    lang_module.languages.cache_clear()
    try:
        assert not {"qab", "Not-A-Code"} & set(languages())
    finally:
        lang_module.languages.cache_clear()
