"""The pipeline's speed-ups must give exactly what the plain scans give.

Each fast path below skips work a slower, obviously correct form does (a regex tried at every
offset, a repeated jieba cut); these tests compare the two on inputs chosen to hit every
branch, including the cases where a careless shortcut would miss a match.
"""

from __future__ import annotations

import re

import pytest

from litkit import boilerplate, clean
from litkit.boilerplate import boilerplate_patterns
from litkit.cues import CueMatcher
from litkit.sources import text as text_source

CHROME_CASES = {
    "glued-en": "Bone pain.Figure 1View large imageMRI of the sacrum shows oedema.",
    "glued-fr": "Ostéite récurrenteTableau 2 Télécharger la diapositiveIRM du sacrum.",
    "zh": "骶骨病变。图1 查看大图 骶骨MRI显示水肿。",
    "buttons-only": "Download slide Open in new tab",
    "key-without-button": "We view the lesion as benign; see the open question below.",
    # "ſ" matches "s" case-insensitively but does not lower-case to "s": a scan that only
    # tries offsets where str.find saw a key would miss this button.
    "long-s": "Intro text. View large and then ſkip to main content here.",
    "no-key": "Nothing to remove in this sentence.",
}


@pytest.mark.parametrize("text", CHROME_CASES.values(), ids=CHROME_CASES.keys())
def test_chrome_matches_equal_full_scan(text: str) -> None:
    patterns = boilerplate_patterns()
    fast = [(m.span(), m.group()) for m in clean._chrome_matches(text, patterns)]
    full = [(m.span(), m.group()) for m in patterns.chrome.finditer(text)]
    assert fast == full


def test_long_s_button_is_found() -> None:
    """The button is found (and set apart on a line of its own, see clean._remove_chrome)."""
    assert "\nſkip to main content\n" in clean.clean(CHROME_CASES["long-s"]).text


CHAR_CASES = {
    "crlf": "a\r\nb\rc\x0bd\x0ce\u2028f\u2029g\x85h",
    "invisible": "Metho\u200dtrexate \u200b\u200c x\u00ady\ufeff",
    "spaces": "a\u00a0b\tc\u2009d\u3000e",
    "entities": "& gt; &amp;lt; & lt. ; &#x41; &#66; &nosuch; & alone",
    "plain": "Nothing to fix here.\nSecond line.",
}


NEWLINE_CASES = {
    "edges-and-run": "\n\nA\n\n\n\nB\n",
    "only-newlines": "\n\n\n",
    "inner-runs": "A\n\n\nB\n\nC\n\n\n\n\nD",
    "none": "A\nB",
}


SCANS = {  # a regex and the class of characters its matches can begin with
    "characters": (clean._CHAR_FIXES, clean._CHAR_FIX_STARTS, CHAR_CASES),
    "newline-runs": (clean._NEWLINE_RUNS, clean._NEWLINE, NEWLINE_CASES),
}


@pytest.mark.parametrize(
    ("scan", "case"),
    [(scan, case) for scan, (_, _, cases) in SCANS.items() for case in cases],
)
def test_scanning_only_candidate_starts_equals_finditer(scan: str, case: str) -> None:
    pattern, starts, cases = SCANS[scan]
    text = cases[case]
    fast = clean._matches_at(pattern, starts, text)
    assert [(m.span(), m.lastgroup) for m in fast] == [
        (m.span(), m.lastgroup) for m in pattern.finditer(text)
    ]


# Chinese matchers put the start-of-word check after the first character of each cue.
ZH_CUES = {"drug": ["mri", "aspirin*", "非甾体", "非甾体抗炎药"], "test": ["c 反应蛋白"]}
ZH_CASES = [
    ("全身mri的表现", [("drug", "mri", 2, 5)]),
    ("amri 与 mrix 不是", []),  # Latin cues keep their word boundaries on both sides
    ("服用aspirine后", [("drug", "aspirin*", 2, 10)]),
    ("非甾体抗炎药有效", [("drug", "非甾体抗炎药", 0, 6)]),  # the longest cue wins
    ("c 反应蛋白升高", [("test", "c 反应蛋白", 0, 6)]),
    ("abc 反应蛋白", []),
]


@pytest.mark.parametrize(("text", "expected"), ZH_CASES, ids=[c[0] for c in ZH_CASES])
def test_chinese_matcher_boundaries(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    hits = CueMatcher(ZH_CUES, ascii_boundaries=True).find(text)
    assert [(h.category, h.cue, h.start, h.end) for h in hits] == expected


def test_chinese_matcher_equals_alternation_reference() -> None:
    """Against a plain alternation with explicit boundaries, on every offset of a mixed text."""
    text = "xmri mri 全身mri的 aspirine非甾体抗炎药 c 反应蛋白 mri2 2mri"
    matcher = CueMatcher(ZH_CUES, ascii_boundaries=True)
    reference = re.compile(
        r"(?<![a-z0-9])(?:mri(?![a-z0-9])|aspirin[a-z0-9]*|c\s+反应蛋白)|非甾体抗炎药|非甾体"
    )
    assert [(h.start, h.end) for h in matcher.find(text)] == [
        m.span() for m in reference.finditer(text)
    ]


@pytest.mark.parametrize(
    ("line", "volume"),
    [("Vol. 26 No. 2 2015", "26"), ("(Vol 7 2019)", "7"), ("ABCVol. 26 2015", None)],
    ids=["plain", "in-parentheses", "inside-a-word"],
)
def test_volume_pattern_keeps_word_boundary(line: str, volume: str | None) -> None:
    found = text_source._CITATION_PATTERNS[2].search(line)
    assert (found.group("volume") if found else None) == volume


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("doi: 10.1007/s00431-024-05890-x.", "10.1007/s00431-024-05890-x"),
        ("see https://doi.org/10.1186/abc)", "10.1186/abc"),
        ("no identifier at all", None),
    ],
    ids=["labelled", "link", "none"],
)
def test_find_doi(text: str, doi: str | None) -> None:
    assert text_source.find_doi(text) == doi


def test_pmid_found_only_when_labelled() -> None:
    assert text_source.text_metadata("Title line\nPMID: 12345\n").pmid == "12345"
    assert text_source.text_metadata("Title line\nid 12345\n").pmid is None


@pytest.mark.parametrize(
    ("char", "odd"),
    [("ſ", True), ("ı", True), ("\u212a", False), ("É", False), ("s", False)],
    ids=["long-s", "dotless-i", "kelvin-lowers-to-k", "e-acute-lowers-to-itself", "ascii"],
)
def test_case_oddities(char: str, odd: bool) -> None:
    """Characters `re` matches to a key letter case-insensitively but `lower()` does not map."""
    assert bool(boilerplate._case_oddities("skié").fullmatch(char)) is odd
