"""The sentences a boundary pass leaves: run-in labels and numbered headings set apart, bullet
markers left outside, and no piece longer than MAX_SENTENCE_CHARS."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Span
from ..scripts import is_han
from .rules import (
    _ALNUM,
    _CLOSERS,
    _NUMBERED_MARKER,
    _SECTION_NUMBER,
    _TERMINALS,
    HEADING_MAX_CHARS,
    LABEL_MAX_CHARS,
    MAX_SENTENCE_CHARS,
    _Rules,
    _skip_space,
)


def _binds_article(previous: str, starter: str, rules: _Rules) -> bool:
    """Whether a connector makes a capitalised article its complement ('est Une maladie',
    'of The'). A coordinator does not: where the source lost its punctuation a clause may
    stop at 'et' / 'and', and a capitalised article then starts the next sentence
    ('... des longueurs et Une cyphose ...'). A one-letter article ('A') after a coordinator
    stays bound: it is as often a label ('types B and A cells')."""
    word = previous.lower()
    if word not in rules.connectors:
        return False
    return word not in rules.coordinators or len(starter) < 2


def _clean_piece(text: str, start: int, end: int, rules: _Rules) -> Iterator[tuple[int, int, bool]]:
    """Strip whitespace and bullet markers; split run-in section labels; drop empty pieces.

    Yields (start, end, tail): `tail` marks a piece of terminal punctuation only, which the
    caller joins to the sentence before it.
    """
    start = _skip_space(text, start, end)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end:
        ch = text[start]
        if ch in rules.loose_bullets or (
            ch in rules.bullets and start + 1 < end and text[start + 1].isspace()
        ):
            start = _skip_space(text, start + 1, end)
            continue
        if ch.isdigit() or ch.islower():  # the cheap test first: most pieces open otherwise
            numbered = _NUMBERED_MARKER.match(text, start, end)
            if numbered:
                start = numbered.end()
        break
    if start >= end:
        return
    if text[start].isdigit():
        heading_end = _chinese_numbered_heading_end(text, start, end)
        if heading_end is not None:
            yield start, heading_end, False
            start = _skip_space(text, heading_end, end)
    labels = rules.section_labels if text[start] in rules.section_initials else ()
    for label in labels:
        stop = start + len(label)
        if text.startswith(label, start) and stop < end and text[stop] in " \t\u3000:：":
            label_end = stop + 1 if text[stop] in ":：" else stop
            yield start, label_end, False
            start = _skip_space(text, label_end, end)
            break
    # labels and headings open with a capital; a label has its colon close by
    if start < end and text[start].isupper():
        if text.find(":", start, start + LABEL_MAX_CHARS + 1) > start:
            latin_end = _latin_label_end(text, start, end, rules)
            while latin_end is not None:  # "RÉSUMÉ: OBJECTIF: Le…" gives two labels
                yield start, latin_end, False
                start = _skip_space(text, latin_end, end)
                latin_end = _latin_label_end(text, start, end, rules)
        heading = rules.run_in_heading.match(text, start, end)
        if heading:  # "Discussion Les lésions …": a heading word runs into its text
            yield start, heading.end(1), False
            start = heading.end()
    if start < end:
        if _has_alnum(text, start, end):
            yield start, end, False
        elif all(c in _TERMINALS or c in _CLOSERS or c.isspace() for c in text[start:end]):
            yield start, end, True


def _chinese_numbered_heading_end(text: str, start: int, end: int) -> int | None:
    """End of a numbered Chinese heading that runs into its text ('1.1 CRMO 临床表现 CRMO
    病人通常…'): Chinese prose has no spaces between words, so the first space after a Han
    character or closing bracket, within a short heading, ends it."""
    marker = _SECTION_NUMBER.match(text, start, end)
    if marker is None:
        return None
    limit = min(end, marker.end() + HEADING_MAX_CHARS)
    pos = marker.end()
    while pos < limit:
        char = text[pos]
        if char in _TERMINALS or char in "，,;；:：":
            return None
        if char in " \t\u3000" and pos > marker.end():
            before = text[pos - 1]
            if is_han(before) or before in ")）":
                return pos if _skip_space(text, pos, end) < end else None
        pos += 1
    return None


def _latin_label_end(text: str, start: int, end: int, rules: _Rules) -> int | None:
    """End of a run-in label ('Results:', 'MÉTHODES :', 'Case presentation:') opening a
    piece, just after its colon; None when the piece does not open with one.

    A label is a known section word of any language, a short all-capitals phrase, or one to
    three words starting with a capital (not a sentence starter such as "The") when a
    capitalised sentence ending with a stop follows the colon.
    """
    if start >= end or not text[start].isupper():
        return None
    colon = text.find(":", start, min(end, start + LABEL_MAX_CHARS + 1))
    if colon < 0:
        return None
    after = colon + 1
    if after >= end or not text[after].isspace():
        return None  # "https://", "10:30"
    nxt = _skip_space(text, after, end)
    if nxt >= end:
        return None
    label = text[start:colon].rstrip()
    if label.casefold() in rules.latin_labels:
        return after
    words = label.split()
    if not 1 <= len(words) <= 4:
        return None
    if not all(w.replace("-", "").replace("'", "").replace("’", "").isalpha() for w in words):
        return None
    if label.isupper() and sum(c.isalpha() for c in label) >= 3:
        return after
    if len(words) > 3 or words[0] in rules.abbreviation_starters:
        return None  # "The values were: CRP 30" is prose, not a label
    # a title ("Ostéite chronique: Deux cas") has no final stop; a labelled sentence has one
    last = text[end - 1]
    ends_sentence = last in _TERMINALS or (
        last in _CLOSERS and text[end - 2 : end - 1] in _TERMINALS
    )
    return after if text[nxt].isupper() and ends_sentence else None


def _has_alnum(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a letter or digit (one regex search, in C)."""
    return _ALNUM.search(text, start, end) is not None


def _bounded(text: str, start: int, end: int) -> Iterator[Span]:
    """Cut a piece longer than MAX_SENTENCE_CHARS at its last whitespace or comma in range.

    Every part of a piece that had to be cut so is marked with the run's start (`Span.run`):
    2,000 characters without a sentence boundary is ten long sentences' worth, so the text
    is not prose."""
    if end - start <= MAX_SENTENCE_CHARS:
        if end > start:
            yield Span(start, end)
        return
    run = start
    while end - start > MAX_SENTENCE_CHARS:
        low, high = start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(sep, low, high) for sep in (" ", "\n", "\t", ",", "，", "、", "；"))
        cut = high if cut <= low else cut + 1
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            yield Span(start, stop, run=run)
        start = _skip_space(text, cut, end)
    if end > start:
        yield Span(start, end, run=run)
