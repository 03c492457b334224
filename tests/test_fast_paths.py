"""The speed-ups in the pipeline stages give exactly what the plain versions give.

Each fast path replaces a simple reference computation (a per-character `translate`, a
per-word vote); these tests compare the two on inputs built to hit every mapped character.
"""

from __future__ import annotations

import pytest

from litkit.cues import _APOSTROPHES, normalise
from litkit.langid import _data, latin_votes
from litkit.lexicon.fold import _ACCENT_TABLE, fold

_MAPPED = "".join(chr(cp) for cp in sorted(_ACCENT_TABLE))


@pytest.mark.parametrize(
    "text",
    [
        "Ostéomyélite chronique non bactérienne",
        "l’enfant — 3 ans\u00a0; Ｃ反应蛋白 升高\t(ＭＲＩ)",
        _MAPPED,
        f"abc{_MAPPED}xyz{_MAPPED[::-1]}",
        "İstanbul Straße ØŁĐı",
    ],
    ids=["fr", "mixed", "every-mapped-char", "mapped-runs", "odd-lowercase"],
)
def test_fold_equals_translating_every_character(text: str) -> None:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(ch.lower()[:1] for ch in text)
    assert fold(text) == lowered.translate(_ACCENT_TABLE)


@pytest.mark.parametrize(
    "text",
    ["l’IRM ʼa‘b\u00a0c", "PLAIN ascii Text", "無效 治療’", "İİ’x"],
    ids=["apostrophes", "ascii", "zh", "odd-lowercase"],
)
def test_normalise_equals_apostrophe_table(text: str) -> None:
    table = str.maketrans(dict(_APOSTROPHES))
    expected = text.translate(table).lower()
    if len(expected) != len(text):
        expected = "".join(c.lower() if len(c.lower()) == 1 else c for c in text.translate(table))
    assert normalise(text) == expected


def _reference_votes(text: str) -> dict[str, float]:
    """latin_votes as first written: every word looked up afresh."""
    from collections import defaultdict

    from litkit.langid import _ELISION, _ET_AL, _WORD

    data = _data()
    votes: dict[str, float] = defaultdict(float)
    text = _ET_AL.sub(" ", text)
    for _ in _ELISION.finditer(text):
        votes["fr"] += 0.75
        votes["it"] += 0.25
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) == 1 and word.isupper():
            continue
        word = word.lower()
        langs = data.word_langs.get(word)
        if langs:
            votes[""] += 1
            for lang in langs:
                votes[lang] += 1.0 / len(langs)
        if word.isascii():
            continue
        special = None
        for char in word:
            letter_langs = data.letter_langs.get(char)
            if letter_langs:
                special = letter_langs if special is None else (special & letter_langs or special)
        if special:
            for lang in special:
                votes[lang] += 1.0 / len(special)
    return votes


@pytest.mark.parametrize(
    "text",
    [
        "Le traitement par les AINS a été efficace chez l’enfant et la fille.",
        "The patient A. Smith was treated with naproxen and the pain resolved.",
        "Die Behandlung der Kinder war erfolgreich, aber nicht für alle.",
        "Le le le la la de de de et et.",  # repeated words: the memo replays them
    ],
    ids=["fr", "en-initial", "de", "repeats"],
)
def test_latin_votes_with_memo_equal_reference(text: str) -> None:
    assert dict(latin_votes(text)) == dict(_reference_votes(text))
    assert dict(latin_votes(text)) == dict(_reference_votes(text))  # second call: from memo
