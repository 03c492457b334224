"""The bounded scans of issue 14 give exactly what the plain scans they replace give.

A 5 MB line without punctuation is cut into pieces of a few thousand characters, each with
many cue hits; a per-hit scan of the whole piece makes each piece quadratic. Each test here
keeps the plain computation as the reference and compares it with the bounded one on cases
written for every branch, in English, French and Chinese.
"""

from __future__ import annotations

import pytest

from litkit.assertion import (
    _capitalised_cue,
    _last_visible,
    _mostly_lower_case,
    assertion_rules,
)
from litkit.cues import CueHit, normalise
from litkit.outcomes import outcome_rules
from litkit.outcomes.signals import _beyond_window, _negated, _restricts

_SUBCLAUSE = ",:()[]，：（）"
_CHUNK = ";.!?；。！？"


def _acronym_reference(hit: CueHit, original: str) -> bool:
    """The per-hit check as it was: the prefix copied and the letters counted for each hit."""
    if not hit.category.startswith("negation"):
        return False
    words = original[hit.start : hit.end].split()
    capitals = any(len(w) > 1 and w.isupper() for w in words)
    before = original[: hit.start].rstrip()
    titled = bool(before) and (before[-1].isalnum() or before[-1] == ",") and words[0][:1].isupper()
    if not (capitals or titled):
        return False
    letters = [c for c in original if c.isalpha()]
    return sum(c.isupper() for c in letters) < 0.5 * len(letters)


ACRONYM_CASES = [
    ("en", "Nitric oxide (NO) levels were measured in all patients."),
    ("en", "No fever was reported."),
    ("en", "Scores on the Positive and Negative Syndrome Scale did not change."),
    ("en", "NO EVIDENCE OF RECURRENCE ON THE LAST MRI"),
    ("en", "Neuro:  Denies headache, no focal deficit."),
    ("en", "The patients, No further relapse was seen."),
    ("fr", "Le monoxyde d'azote (NO) n'a pas été dosé."),
    ("fr", "Aucune récidive, Pas de fièvre ni de douleur."),
    ("fr", "PAS DE RÉCIDIVE APRÈS TROIS ANS DE SUIVI"),
    ("zh", "患者无发热，未见复发。"),
    ("zh", "NO 水平无明显变化。"),
]


@pytest.mark.parametrize(
    ("lang", "text"),
    ACRONYM_CASES,
    ids=[
        "en-acronym",
        "en-first-word",
        "en-title-case-name",
        "en-all-capitals",
        "en-after-colon",
        "en-after-comma",
        "fr-acronym",
        "fr-after-comma",
        "fr-all-capitals",
        "zh-plain",
        "zh-latin-acronym",
    ],
)
def test_capitalised_cue_in_lower_case_sentence_equals_per_hit_check(lang: str, text: str) -> None:
    hits = assertion_rules(lang).matcher.find(normalise(text))
    assert hits, "each case must hold at least one cue"
    fast = [h for h in hits if _capitalised_cue(h, text) and _mostly_lower_case(text)]
    assert fast == [h for h in hits if _acronym_reference(h, text)]


@pytest.mark.parametrize(
    ("text", "end"),
    [("a, \t b", 6), ("abc", 0), ("   x", 3), ("word ,  \n", 9), ("甲 乙", 2)],
    ids=["tab-spaces", "at-start", "only-spaces", "comma-newline", "cjk"],
)
def test_last_visible_equals_rstrip(text: str, end: int) -> None:
    assert _last_visible(text, end) == text[:end].rstrip()[-1:]


def _negated_reference(norm: str, start: int, negators: list[CueHit], lang: str, cue: str) -> str:
    """`_negated` as it was: the whole gap sliced, split and searched, however long."""
    rules = outcome_rules(lang)
    for neg in reversed(negators):
        if neg.end > start:
            continue
        gap = norm[neg.end : start]
        if any(c in gap for c in _SUBCLAUSE) or any(c in gap for c in _CHUNK):
            return ""
        words = [*gap.split(), *cue.split()[:1]]
        if any(_restricts(w, rules.restrictive) for w in words):
            return ""
        if rules.boundaries & set(words):
            return ""
        size = len(gap.strip()) if rules.cjk else len(gap.split())
        return neg.cue if size <= rules.negation_window else ""
    return ""


_FILLER = {"en": "the knee ", "fr": "le genou ", "zh": "膝关节"}
_WORDS = {"en": "improved", "fr": "amélioré", "zh": "改善"}
_NEGATOR = {"en": "not", "fr": "pas", "zh": "未"}


def _negation_case(lang: str, filler_count: int, spaces: int) -> tuple[str, int, list[CueHit]]:
    """A negator, then `filler_count` filler words (or a run of spaces), then a result word."""
    negator = _NEGATOR[lang]
    gap = " " + _FILLER[lang] * filler_count + " " * spaces
    norm = normalise(f"{negator}{gap}{_WORDS[lang]} after treatment")
    hits = [h for h in outcome_rules(lang).matcher.find(norm) if h.category == "negator"]
    return norm, len(negator) + len(gap), hits


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
@pytest.mark.parametrize(
    ("filler_count", "spaces"),
    [(0, 0), (1, 0), (2, 0), (3, 0), (9, 0), (500, 0), (0, 200), (1, 120)],
    ids=["adjacent", "one", "two", "three", "nine", "long", "spaces-only", "word-then-spaces"],
)
def test_bounded_negation_gap_equals_full_scan(lang: str, filler_count: int, spaces: int) -> None:
    norm, start, negators = _negation_case(lang, filler_count, spaces)
    assert negators, "the negator must be a cue of the language"
    rules = outcome_rules(lang)
    expected = _negated_reference(norm, start, negators, lang, _WORDS[lang])
    assert _negated(norm, start, negators, rules, _WORDS[lang]) == expected


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_beyond_window_never_claims_a_short_gap(lang: str) -> None:
    """True only where the gap holds more than the window; long runs of spaces stay False."""
    rules = outcome_rules(lang)
    for filler_count in range(12):
        for spaces in (0, 80):
            norm, start, negators = _negation_case(lang, filler_count, spaces)
            gap = norm[negators[-1].end : start]
            size = len(gap.strip()) if rules.cjk else len(gap.split())
            if _beyond_window(norm, negators[-1].end, start, rules):
                assert size > rules.negation_window
