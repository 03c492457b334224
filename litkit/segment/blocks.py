"""Pass 1: lines into blocks. A newline inside a paragraph is a hard wrap when the next line
continues the previous one; any other newline ends a block (headings and list items stay
sentences of their own)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .rules import _NUMBERED_MARKER, HEADER_MAX_CHARS, _Rules


def _lines(text: str) -> list[tuple[int, int]]:
    """Stripped (start, end) of every line; (n, n) for a blank line."""
    lines = []
    pos, size = 0, len(text)
    while pos <= size:
        nl = text.find("\n", pos)
        end = size if nl < 0 else nl
        start = pos
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        lines.append((start, stop))
        if nl < 0:
            break
        pos = nl + 1
    return lines


def _blocks(text: str, rules: _Rules) -> Iterator[tuple[int, int]]:
    """Group lines into blocks: a block ends at a blank line or where no hard wrap is seen."""
    lines = [(s, e) for s, e in _lines(text)]
    counts = Counter(text[s:e] for s, e in lines if 0 < e - s <= HEADER_MAX_CHARS)
    headers = {line for line, n in counts.items() if n > 1 and any(c.isalpha() for c in line)}
    block: tuple[int, int] | None = None
    previous = ""
    for start, end in lines:
        if start == end:
            if block:
                yield block
            block, previous = None, ""
            continue
        current = text[start:end]
        if block and _continues(previous, current, headers, rules):
            block = (block[0], end)
        else:
            if block:
                yield block
            block = (start, end)
        previous = current
    if block:
        yield block


def _starts_with_bullet(line: str, rules: _Rules) -> bool:
    if line[0] in rules.loose_bullets:
        return True
    if line[0] in rules.bullets and len(line) > 1 and line[1].isspace():
        return True
    return _NUMBERED_MARKER.match(line) is not None


def _continues(previous: str, line: str, headers: set[str], rules: _Rules) -> bool:
    """Whether `line` is the hard-wrapped continuation of `previous` (same sentence)."""
    if _starts_with_bullet(line, rules) or previous in headers or line in headers:
        return False
    last, first = previous[-1], line[0]
    if first.islower():
        return True
    if last == "-" and len(previous) > 1 and previous[-2].isalpha():
        return True
    if last in ",(":
        return True
    if previous.count("(") > previous.count(")"):
        return True
    last_word = previous.rsplit(None, 1)[-1].lower()
    return last_word in rules.connectors
