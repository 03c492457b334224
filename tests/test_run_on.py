"""Run-on text (issue 14): a run of more than MAX_SENTENCE_CHARS without a sentence boundary is
cut into pieces marked `run_on`, which are stored as text with a language but name no concept
and carry no claim; the sentences around them are processed as before.
"""

from __future__ import annotations

import pytest

from litkit.langid import RUN_ON_SAMPLE_CHARS, run_on_sample
from litkit.lexicon import default_lexicon
from litkit.models import ParsedText
from litkit.pipeline import process
from litkit.segment import MAX_SENTENCE_CHARS, segment

# Words of each language with a concept and claim cues in them, repeated without punctuation.
RUNS = {
    "en": "patients with chronic osteomyelitis improved under methotrexate ",
    "fr": "les patients atteints d’ostéomyélite chronique ont été améliorés par le méthotrexate ",
    "zh": "慢性骨髓炎患者经甲氨蝶呤治疗后症状改善",
}
SENTENCES = {
    "en": "Methotrexate improved the pain of patients with chronic osteomyelitis.",
    "fr": "Le méthotrexate a amélioré la douleur des patients atteints d’ostéomyélite chronique.",
    "zh": "甲氨蝶呤改善了慢性骨髓炎患者的疼痛。",
}


def _run(lang: str, chars: int) -> str:
    unit = RUNS[lang]
    return (unit * (chars // len(unit) + 1))[:chars].strip()


@pytest.mark.parametrize("lang", sorted(RUNS), ids=sorted(RUNS))
def test_a_long_run_is_cut_into_run_on_pieces(lang: str) -> None:
    run = _run(lang, 5 * MAX_SENTENCE_CHARS)
    spans = segment(run)
    assert len(spans) >= 3
    assert all(span.run_on for span in spans)
    assert max(span.end - span.start for span in spans) <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize("lang", sorted(SENTENCES), ids=sorted(SENTENCES))
def test_sentences_and_a_run_that_fits_are_not_run_on(lang: str) -> None:
    text = " ".join([SENTENCES[lang]] * 3) + "\n" + _run(lang, MAX_SENTENCE_CHARS - 10)
    spans = segment(text)
    assert len(spans) == 4
    assert not any(span.run_on for span in spans)


@pytest.mark.parametrize("lang", sorted(RUNS), ids=sorted(RUNS))
def test_run_on_pieces_have_no_mentions_and_no_claims(lang: str) -> None:
    text = f"{SENTENCES[lang]}\n{_run(lang, 4 * MAX_SENTENCE_CHARS)}\n{SENTENCES[lang]}"
    doc = process(ParsedText(text=text), "run-on.txt", default_lexicon())
    first, *pieces, last = doc.segments
    assert len(pieces) >= 2
    for piece in pieces:
        assert piece.mentions == ()
        assert piece.assessment.types == ()
        assert piece.assessment.cues == ("no_claim:run_on",)
        assert piece.lang == lang
    for sentence in (first, last):  # the sentences around the run are processed as ever
        assert sentence.text == SENTENCES[lang]
        assert sentence.mentions
        assert sentence.assessment.types
    assert doc.lang == lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short text stays whole", "short text stays whole"),
        ("word " * 100, ("word " * 100)[: RUN_ON_SAMPLE_CHARS - 1]),
        ("x" * (RUN_ON_SAMPLE_CHARS + 50), "x" * RUN_ON_SAMPLE_CHARS),
    ],
    ids=["short", "cut-at-space", "no-space"],
)
def test_run_on_sample_is_the_bounded_start(text: str, expected: str) -> None:
    sample = run_on_sample(text)
    assert sample == expected
    assert len(sample) <= RUN_ON_SAMPLE_CHARS


def test_the_pieces_of_a_run_share_its_start_and_two_runs_keep_theirs() -> None:
    first, second = _run("fr", 3 * MAX_SENTENCE_CHARS), _run("en", 3 * MAX_SENTENCE_CHARS)
    text = f"{first}\n\n{second}"
    spans = segment(text)
    runs = sorted({span.run for span in spans})
    assert runs == [0, len(first) + 2]
    doc = process(ParsedText(text=text), "two-runs.txt", default_lexicon())
    by_run = {
        run: {seg.lang for seg, span in zip(doc.segments, spans, strict=True) if span.run == run}
        for run in runs
    }
    assert by_run == {0: {"fr"}, len(first) + 2: {"en"}}


def test_a_run_is_judged_on_its_start() -> None:
    # French first, then English words without a break: every piece takes the run's language
    text = _run("fr", 2 * MAX_SENTENCE_CHARS) + " " + _run("en", 4 * MAX_SENTENCE_CHARS)
    doc = process(ParsedText(text=text), "mixed-run.txt", default_lexicon())
    assert len(doc.segments) >= 4
    assert {seg.lang for seg in doc.segments} == {"fr"}
