"""The lexicon reaches stored documents: the rules version, its warning and `litkit reindex`.

A synonym added through a lexicon file finds nothing in documents stored before it; every
command that reads them says so on stderr, `litkit reindex` processes them again, and then the
stored sentences are found by the new name and the warning is gone (issue 15)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.store import open_db

# (language, the lexicon's language key, a new name for methotrexate, a sentence using it)
CASES = [
    ("en", "en", "bonequell", "Bonequell led to complete remission of bone pain in all patients."),
    ("fr", "fr", "osquelline", "L'osquelline a permis la rémission des douleurs osseuses."),
    ("zh", "zh-Hans", "骨宁灵", "骨宁灵治疗后所有患者的骨痛完全缓解。"),
]  # fmt: skip
IDS = [case[0] for case in CASES]
STALE = "were processed with another lexicon or other rules"


def run(db, *args, lexicon=None):
    extra = ["--lexicon", str(lexicon)] if lexicon else []
    return CliRunner().invoke(cli, ["--db", str(db), *extra, *args])


def query_ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def setup(tmp_path):
    """A database holding one document per language, and a lexicon file giving methotrexate
    the new names the documents use."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for lang, _, _, sentence in CASES:
        (folder / f"{lang}.{lang}.txt").write_text(f"Case {lang}.\n\n{sentence}\n", "utf-8")
    synonyms: dict[str, list[str]] = {}
    for _, key, name, _ in CASES:
        synonyms.setdefault(key, []).append(name)
    lexicon = tmp_path / "mine.json"
    entry = {"id": "D008727", "category": "treatment", "label": "methotrexate",
             "synonyms": synonyms}  # fmt: skip
    lexicon.write_text(json.dumps({"concepts": [entry]}, ensure_ascii=False), "utf-8")
    db = tmp_path / "r.db"
    result = run(db, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    return db, lexicon, folder


@pytest.mark.parametrize(("lang", "key", "name", "sentence"), CASES, ids=IDS)
def test_a_new_synonym_finds_stored_sentences_after_reindex(setup, lang, key, name, sentence):
    db, lexicon, _ = setup
    before = run(db, "query", name, "--format", "jsonl", lexicon=lexicon)
    assert STALE in before.stderr and "litkit reindex" in before.stderr
    assert sum(STALE in line for line in before.stderr.splitlines()) == 1
    assert not [i for i in query_ids(before) if sentence in _text(db, i)]

    result = run(db, "reindex", lexicon=lexicon)
    assert result.exit_code == 0, result.output
    assert "total: 3 reindexed" in result.stderr

    after = run(db, "query", name, "--format", "jsonl", lexicon=lexicon)
    assert STALE not in after.stderr
    assert [i for i in query_ids(after) if sentence in _text(db, i)]
    # The same claim is now found by the concept's other names too.
    assert [i for i in query_ids(run(db, "query", "methotrexate", "--format", "jsonl",
                                     lexicon=lexicon)) if sentence in _text(db, i)]  # fmt: skip


def _text(db, segment_id: str) -> str:
    handle = open_db(db)
    try:
        return handle.execute("SELECT text FROM segments WHERE id = ?", [segment_id]).fetchone()[0]
    finally:
        handle.close()


@pytest.mark.parametrize("command", [("stats",), ("export",), ("query", "methotrexate")])
def test_read_commands_say_when_documents_need_reindex(setup, command):
    db, lexicon, _ = setup
    assert STALE not in run(db, *command).stderr  # processed with the built-in lexicon
    assert STALE in run(db, *command, lexicon=lexicon).stderr


def test_ingesting_a_stored_document_with_another_lexicon_processes_it_again(setup):
    db, lexicon, folder = setup
    again = run(db, "ingest", str(folder), lexicon=lexicon)
    assert again.exit_code == 0, again.output
    assert again.stderr.count("reprocessed") == 3
    assert STALE not in run(db, "stats", lexicon=lexicon).stderr
    unchanged = run(db, "ingest", str(folder), lexicon=lexicon)
    assert unchanged.stderr.count("(already present)") == 3


def test_reindex_resumes_after_an_interruption_and_does_nothing_once_done(setup, monkeypatch):
    from litkit import reindex

    db, lexicon, _ = setup
    real = reindex.store_reindexed
    stored = []

    def interrupted(*args):
        if len(stored) == 1:
            raise KeyboardInterrupt  # a kill after the first document's transaction
        stored.append(real(*args))
        return stored[-1]

    monkeypatch.setattr(reindex, "store_reindexed", interrupted)
    assert run(db, "reindex", lexicon=lexicon).exit_code != 0
    monkeypatch.undo()
    assert "1 of 3 stored documents" not in run(db, "stats", lexicon=lexicon).stderr
    assert "2 of 3 stored documents" in run(db, "stats", lexicon=lexicon).stderr
    resumed = run(db, "reindex", "--jobs", "2", lexicon=lexicon)
    assert "total: 2 reindexed" in resumed.stderr, resumed.output
    assert "total: 0 reindexed" in run(db, "reindex", lexicon=lexicon).stderr


def test_reindex_gives_the_export_a_fresh_ingest_gives(setup, tmp_path):
    db, lexicon, folder = setup
    assert run(db, "reindex", lexicon=lexicon).exit_code == 0
    fresh = tmp_path / "fresh.db"
    assert run(fresh, "ingest", str(folder), lexicon=lexicon).exit_code == 0
    export = ("export", "--all", "--format", "jsonl")
    assert run(db, *export, lexicon=lexicon).stdout == run(fresh, *export, lexicon=lexicon).stdout
