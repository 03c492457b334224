"""A long document is assessed and planned window by window (issue 18): any window gives the
same document, the same write plan and the same stored evidence as one window, and no more
than a window of sentences is assessed at once."""

from __future__ import annotations

import gc
import os
import pickle
import tracemalloc

import pytest

import litkit.pipeline as pipeline_module
import litkit.plan as plan_module
from litkit.ingest import ingest
from litkit.lexicon import default_lexicon
from litkit.models import ParsedText
from litkit.pipeline import classify_window, prepare, process, windows
from litkit.plan import SpilledSearch, SpilledTable, TableRows, plan_parsed, plan_write
from litkit.store import open_db

from .evidence_helpers import run
from .hostile import EN

# General cases of our own: an abbreviation defined late in the document but used early
# (document-level concepts), a comparative trial with named groups and a results section
# (document-level arms), and sentences in three languages (neighbouring languages).
TEXTS = {
    "en-trial": (
        "Background\n\nChildren with chronic recurrent multifocal osteomyelitis were randomised."
        " Relapses after IVIG were rare.\n\nMethods\n\nThe naproxen group received naproxen and"
        " the placebo group received placebo. Intravenous immunoglobulin (IVIG) was given to"
        " some.\n\nResults\n\nPain improved in the naproxen group compared with the placebo"
        " group. Fever did not resolve. Remission was obtained in 12 of 20 patients."
        " Methotrexate may reduce relapses."
    ),
    "fr": (
        "Les AINS sont le traitement de première ligne. Une rémission a été obtenue chez huit"
        " enfants. Le pamidronate n'a pas amélioré la douleur. Aucune rechute n'a été observée."
    ),
    "zh": "非甾体抗炎药是一线治疗。十二名患者中有八名获得缓解。双膦酸盐治疗有效。疼痛没有缓解。",
    "mixed": (
        "Methotrexate was effective in 12 of 20 patients.\n\n甲氨蝶呤对十二名患者有效。\n\n"
        "Le méthotrexate a été efficace chez 12 patients sur 20. No relapse occurred."
    ),
}


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


@pytest.mark.parametrize("window", [1, 2, 5, 10_000], ids=["w1", "w2", "w5", "whole"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_any_window_gives_the_same_document_and_plan(lexicon, name, window):
    parsed = ParsedText(text=TEXTS[name])
    whole = process(parsed, "doc.txt", lexicon, window=10_000)
    assert len(whole.segments) > 2  # more sentences than the small windows
    assert process(parsed, "doc.txt", lexicon, window=window) == whole
    planned = plan_parsed(parsed, "doc.txt", lexicon, window=window)
    assert planned.in_memory() == plan_write(whole, lexicon)


def test_a_long_document_gives_the_same_plan_in_small_windows(lexicon):
    text = "\n\n".join(TEXTS[name] for name in sorted(TEXTS) for _ in range(6))
    parsed = ParsedText(text=text)
    expected = plan_write(process(parsed, "long.txt", lexicon), lexicon)
    assert expected.document["n_segments"] > 100
    assert plan_parsed(parsed, "long.txt", lexicon, window=7).in_memory() == expected


def _long_plan(lexicon, window=5):
    text = "\n\n".join(TEXTS[name] for name in sorted(TEXTS) for _ in range(2))
    return plan_parsed(ParsedText(text=text), "long.txt", lexicon, window=window)


def test_a_document_longer_than_a_window_has_its_rows_in_files_a_window_each(lexicon):
    plan = _long_plan(lexicon, window=5)
    segments = plan.content[0]
    assert isinstance(segments, SpilledTable)
    parts = list(segments.parts())
    assert max(len(part.values) for part in parts) == 5
    assert sum(len(part.values) for part in parts) == plan.document["n_segments"]
    assert parts[0].columns[-1] == "profile"
    assert list(segments.parts()) == parts  # read again (a group written again after a failure)
    assert isinstance(plan.search_rows, SpilledSearch)
    assert len(list(plan.search_rows)) == plan.document["n_segments"]


def test_a_document_within_one_window_keeps_its_rows_in_memory(lexicon):
    plan = _long_plan(lexicon, window=10_000)
    assert all(isinstance(rows, TableRows) for rows in plan.content)
    assert isinstance(plan.search_rows, tuple)
    assert plan.in_memory() == plan


def test_spilled_rows_are_deleted_with_the_last_plan_that_holds_them(lexicon):
    plan = _long_plan(lexicon)
    paths = [rows.spill.path for rows in plan.content] + [plan.search_rows.spill.path]
    assert all(os.path.exists(path) for path in paths)
    sent = pickle.dumps(plan)  # a worker sends its plan: the copy owns the files
    del plan
    gc.collect()
    assert all(os.path.exists(path) for path in paths)
    received = pickle.loads(sent)
    assert received.in_memory().document["n_segments"] > 5
    del received
    gc.collect()
    assert not any(os.path.exists(path) for path in paths)


def test_no_more_than_a_window_is_assessed_at_once(lexicon, monkeypatch):
    text = "\n\n".join(TEXTS[name] for name in sorted(TEXTS) for _ in range(3))
    prepared = prepare(ParsedText(text=text), "long.txt", lexicon)
    asked: list[range] = []

    def recording(prepared, indexes):
        asked.append(indexes)
        return classify_window(prepared, indexes)

    monkeypatch.setattr(plan_module, "classify_window", recording)
    plan_module.plan_prepared(prepared, lexicon, window=4)
    assert max(len(r) for r in asked) == 4
    assert [i for r in asked for i in r] == list(range(len(prepared)))  # each once, in order


@pytest.mark.parametrize(
    ("count", "size", "expected"),
    [
        (0, 3, []),
        (5, 2, [(0, 2), (2, 4), (4, 5)]),
        (4, 4, [(0, 4)]),
        (3, 0, [(0, 1), (1, 2), (2, 3)]),  # a size under 1 is one
    ],
    ids=["empty", "remainder", "exact", "zero"],
)
def test_windows_cover_every_sentence_once(count, size, expected):
    assert [(r.start, r.stop) for r in windows(count, size)] == expected


def test_ingest_in_small_windows_stores_the_same_evidence(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    (folder / "long.txt").write_text("\n\n".join([*TEXTS.values()] * 4), "utf-8")

    def exported(path, window):
        monkeypatch.setattr(pipeline_module, "WINDOW_SENTENCES", window)
        db = open_db(path)
        outcomes = ingest(db, [str(folder)])
        db.close()
        assert {o.status for o in outcomes} == {"ingested"}
        result = run(path, "export", "--all", "--format", "jsonl")
        assert result.exit_code == 0
        return result.stdout_bytes

    whole = exported(tmp_path / "whole.db", 10_000)
    assert whole.count(b"\n") > 100
    assert exported(tmp_path / "windows.db", 3) == whole


def _traced(run):
    """(memory held by what `run()` returns, peak while it ran), by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return held, peak


def test_a_long_documents_memory_follows_the_window_for_its_rows(lexicon):
    # A 600-sentence document: planned in windows of 50 it holds its rows a window at a
    # time, planned in one window it holds them all (what every document did before).
    prepared = prepare(ParsedText(text=EN * 300), "long.txt", lexicon)
    assert len(prepared) == 600
    plan_module.plan_prepared(prepared, lexicon, window=50)  # caches warmed for both
    whole_held, whole_peak = _traced(
        lambda: plan_module.plan_prepared(prepared, lexicon, window=1000)
    )
    held, peak = _traced(lambda: plan_module.plan_prepared(prepared, lexicon, window=50))
    assert held < 0.7 * whole_held
    assert peak < 0.85 * whole_peak
