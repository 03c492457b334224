"""Segmentation scored on public test material written by others (pySBD's Golden Rules).

The cases are read at test time from the shared peer suites, never copied into litkit; the
test is skipped where that folder is absent. Scoring follows `peer-suites/README.md`: a case
passes when litkit's segments equal `expected` after collapsing whitespace, and a leading
list marker (`1.)`, `a.`, `•`) may be left outside a segment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from litkit.segment import segment

SUITE = Path(__file__).parents[1] / "../shared/peer-suites/segmentation/pysbd-golden-rules.jsonl"
# Fewest cases litkit must get exactly right, per language (pySBD itself: 47, 5, 2).
FLOORS = {"en": (46, 48), "fr": (5, 5), "zh": (2, 2)}
_LEADING_MARKER = re.compile(r"^(?:[•⁃◦▪‣*-]\s*)?(?:\d{1,3}(?:\.\)|[.)])|[a-z][.)])?\s*")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _same_segment(got: str, expected: str) -> bool:
    got, expected = _collapse(got), _collapse(expected)
    if got == expected:
        return True
    unmarked = _LEADING_MARKER.sub("", expected, count=1)
    return got == unmarked or _LEADING_MARKER.sub("", got, count=1) == unmarked


def case_passes(text: str, expected: list[str]) -> bool:
    """The README's scoring: same number of segments, each equal up to whitespace/markers."""
    got = [text[span.start : span.end] for span in segment(text)]
    return len(got) == len(expected) and all(map(_same_segment, got, expected))


def _cases() -> list[dict]:
    if not SUITE.is_file():
        pytest.skip(f"peer suite not found at {SUITE.resolve()} (../shared is absent)")
    return [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_golden_rules_floor(lang: str) -> None:
    cases = [case for case in _cases() if case["lang"] == lang]
    floor, total = FLOORS[lang]
    assert len(cases) == total, "the peer suite changed size; review the floors"
    failed = [case["id"] for case in cases if not case_passes(case["text"], case["expected"])]
    passed = total - len(failed)
    assert passed >= floor, f"{lang}: {passed}/{total} golden rules pass (floor {floor}): {failed}"


@pytest.mark.parametrize(
    ("got", "expected", "same"),
    [
        ("The first item", "1.) The first item", True),
        ("• The item", "• The item", True),
        ("The  item\n here", "The item here", True),
        ("The item", "The other item", False),
        ("first item", "1. The first item", False),
    ],
    ids=["marker-outside", "bullet-kept", "whitespace", "different", "words-lost"],
)
def test_scoring(got: str, expected: str, same: bool) -> None:
    assert _same_segment(got, expected) is same
