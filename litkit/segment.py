"""Sentence segmentation for French, English and Chinese medical text, in linear time.

Why a scanner and not pysbd: pysbd runs at about 2,000 sentences/s and is quadratic on long
strings, while a pipeline over thousands of articles needs tens of thousands per second and
must survive a 5 MB line without punctuation. The segmenter works in two passes, both linear:

1. Lines are grouped into blocks. A single newline inside a paragraph is a hard wrap (PDF
   text) when the next line continues the previous one: it starts in lower case, the previous
   line ends with a hyphen, a comma, an open bracket or a connector word ("de", "of"). Any
   other newline ends a block, so headings and list items stay sentences of their own.
2. Inside a block, one regular expression finds candidate boundaries (terminal punctuation,
   inline bullets, lower case glued to a new sentence, a capitalised sentence starter after a
   lower-case word) and small rules backed by data files decide each one: abbreviations,
   initials, decimals, units, trailing reference numbers, citation lines.

Language data (abbreviations, sentence starters, connectors, Chinese section labels) lives in
`litkit/resources/segment/*.json`; all languages are applied at once because segmentation runs
before language identification.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .models import Span

MAX_SENTENCE_CHARS = 2000  # longer runs are cut at whitespace so later stages stay bounded
CITATION_MAX_CHARS = 400  # a short block that looks like a reference is never split
HEADER_MAX_CHARS = 80  # short lines repeated in a document are running headers
_WORD_LOOKBACK = 40  # how far back a rule looks for the word before a boundary

_CLOSERS = "\"'”’»)]}」』）】〕"
_CJK_TERMINALS = "。！？"
_ELIDED_STARTER = re.compile(r"(?:L|D|Qu)[’']$")
_TRAILING_REFERENCE = re.compile(r"[(\[]\d{1,3}(?:\s?[,–-]\s?\d{1,3})*[)\]]")
_NUMBERED_MARKER = re.compile(r"\d{1,2}[.)]\s+")
_CITATION = re.compile(
    r"\bdoi:\s*10\.|\bPMID:?\s*\d|\b\d+\s*\(\d+\)\s*[:,]\s*\d|;\s*\d+\s*\(\d+\)"
    r"|\bpp?\.\s*\d+\s*[-–]\s*\d+",
    re.IGNORECASE,
)
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _HAN_RANGES)


@dataclass(frozen=True)
class _Rules:
    """Segmentation data merged over every language, plus the regexes built from it."""

    never_final: frozenset[str]
    may_end: frozenset[str]
    starters: frozenset[str]
    glued_starters: frozenset[str]
    article_starters: frozenset[str]
    connectors: frozenset[str]
    label_words: frozenset[str]
    section_labels: tuple[str, ...]
    section_initials: frozenset[str]  # first characters of section_labels: a cheap pre-test
    acronym_tails: frozenset[str]
    bullets: frozenset[str]
    loose_bullets: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def _rules() -> _Rules:
    """Load and merge the JSON files once; the regex depends on the starter and bullet lists."""
    merged: dict[str, set[str]] = {}
    folder = resources.files("litkit") / "resources" / "segment"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        for key, values in data.items():
            if isinstance(values, list):
                merged.setdefault(key, set()).update(values)
    starters = frozenset(merged.get("sentence_starters", set()))
    loose = frozenset(merged.get("loose_bullets", set()))
    glued = "|".join(
        re.escape(w) + r"\b" for w in sorted(starters, key=len, reverse=True) if len(w) >= 3
    )
    loose_class = "".join(re.escape(b) for b in sorted(loose))
    closers = re.escape(_CLOSERS)
    # One simple pattern per kind: a single alternation costs ten times more per character.
    patterns = (
        ("cjk", re.compile(rf"[{_CJK_TERMINALS}]+[{closers}]*")),
        ("term", re.compile(rf"[.!?…]+[{closers}]*")),
        ("bullet", re.compile(rf"\s[{loose_class}]")),
        ("glue", re.compile(r"[a-zß-öø-ÿœ](?=[A-ZÀ-ÖØ-Þ])")),
        ("capglue", re.compile(rf"[A-Z](?=(?:{glued}))")),
        ("space", re.compile(r"[ \t](?=[A-ZÀ-ÖØ-Þ])")),
    )
    lower = {key: frozenset(v.lower() for v in values) for key, values in merged.items()}
    return _Rules(
        never_final=lower.get("never_final", frozenset()),
        may_end=lower.get("may_end", frozenset()),
        starters=starters,
        glued_starters=frozenset(merged.get("glued_starters", set())),
        article_starters=frozenset(merged.get("article_starters", set())),
        connectors=lower.get("connectors", frozenset()),
        label_words=lower.get("label_words", frozenset()),
        section_labels=tuple(sorted(merged.get("section_labels", set()), key=len, reverse=True)),
        section_initials=frozenset(label[:1] for label in merged.get("section_labels", set())),
        acronym_tails=frozenset(v.upper() for v in merged.get("acronym_tails", set())),
        bullets=frozenset(merged.get("bullets", set())),
        loose_bullets=loose,
        patterns=patterns,
    )


def segment(text: str) -> list[Span]:
    """Split cleaned text into sentence spans [start, end), in order, stripped and non-empty.

    Headings, list items and captions come back as sentences of their own; bullet markers are
    left outside the spans; no span is longer than MAX_SENTENCE_CHARS.
    """
    rules = _rules()
    spans: list[Span] = []
    for block_start, block_end in _blocks(text, rules):
        for start, end in _split_block(text, block_start, block_end, rules):
            spans.extend(_bounded(text, start, end))
    return spans


# --- pass 1: lines into blocks ------------------------------------------------------------


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


# --- pass 2: boundaries inside a block ------------------------------------------------------


def _split_block(text: str, start: int, end: int, rules: _Rules) -> Iterator[tuple[int, int]]:
    """Yield the cleaned pieces of one block, bullets and run-in labels removed."""
    if end - start <= CITATION_MAX_CHARS and _CITATION.search(text, start, end):
        cuts = [start, end]
    else:
        found = [
            (match.start(), kind, match)
            for kind, pattern in rules.patterns
            for match in pattern.finditer(text, start, end)
        ]
        found.sort(key=lambda item: item[0])
        cuts = [start]
        for _, kind, match in found:
            cut = _decide(text, kind, match, end, rules)
            if cut is not None and cuts[-1] < cut < end:
                cuts.append(cut)
        cuts.append(end)
    for index in range(len(cuts) - 1):
        yield from _clean_piece(text, cuts[index], cuts[index + 1], index == 0, rules)


def _decide(text: str, kind: str, match: re.Match[str], end: int, rules: _Rules) -> int | None:
    """The offset where a new sentence starts for this candidate, or None if no boundary."""
    if kind == "cjk":
        return match.end()
    if kind == "term":
        return _after_terminal(text, match, end, rules)
    if kind == "bullet":
        return match.start() + 1
    if kind == "glue":
        return _after_glue(text, match.end(), end, rules)
    if kind == "capglue":
        at = match.start()
        return match.end() if at == 0 or not text[at - 1].isalpha() else None
    if kind == "space":
        at = match.start()
        if at > 0 and (text[at - 1].isalpha() or text[at - 1] == ";"):
            return _before_starter(text, at, end, rules)
    return None


def _word_before(text: str, pos: int) -> str:
    """The whitespace-delimited token ending at pos, without opening brackets or quotes."""
    begin = pos
    limit = max(0, pos - _WORD_LOOKBACK)
    while begin > limit and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:pos].lstrip("([{«“\"'")


def _word_after(text: str, pos: int, end: int) -> str:
    stop = pos
    limit = min(end, pos + _WORD_LOOKBACK)
    while stop < limit and not text[stop].isspace():
        stop += 1
    word = text[pos:stop]
    elided = re.match(r"(?:L|D|Qu)[’']", word)
    return elided.group(0) if elided else word.rstrip(".,;:!?)]}»”\"'")


def _after_terminal(text: str, match: re.Match[str], end: int, rules: _Rules) -> int | None:
    after = match.end()
    if after >= end:
        return None
    punct = match.group().rstrip(_CLOSERS)
    nxt = text[after]
    if "." not in punct:  # ! ? …
        if nxt.isspace():
            nxt_pos = _skip_space(text, after, end)
            if "…" in punct and not text[nxt_pos : nxt_pos + 1].isupper():
                return None
            return after
        return after if _is_han(nxt) else None
    if nxt.isspace():
        return _after_period_space(text, match, after, end, rules)
    return _after_period_glued(text, match, after, end)


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _after_period_space(
    text: str, match: re.Match[str], after: int, end: int, rules: _Rules
) -> int | None:
    """A period followed by whitespace: a boundary unless an abbreviation or punctuation says no."""
    nxt_pos = _skip_space(text, after, end)
    if nxt_pos >= end:
        return None
    first = text[nxt_pos]
    if first in ",;:)]}.":
        return None
    reference = _TRAILING_REFERENCE.match(text, nxt_pos, end)
    if reference:  # "... desvitalizado. (1)" keeps its reference number
        ref_end = reference.end()
        return ref_end if ref_end < end and text[ref_end].isspace() else None
    word = _word_before(text, match.start()).lower()
    if word.isdigit() and len(word) <= 2 and _at_line_start(text, match.start() - len(word)):
        return None  # "1. Introduction": a list marker, removed later with the bullets
    if word in rules.never_final:
        return None
    is_initial = len(word) == 1 and word.isalpha() and not _after_label(text, match, rules)
    if word in rules.may_end or is_initial or _two_word_abbreviation(text, match, rules):
        return after if _word_after(text, nxt_pos, end) in rules.starters else None
    return after


def _at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _after_label(text: str, match: re.Match[str], rules: _Rules) -> bool:
    """'Table I.' and 'type B.' end with a label, not with a person's initial."""
    begin = max(0, match.start() - _WORD_LOOKBACK)
    tail = text[begin : match.start()].split()
    return len(tail) >= 2 and tail[-2].lower() in rules.label_words


def _two_word_abbreviation(text: str, match: re.Match[str], rules: _Rules) -> bool:
    """'et al.' and 'c.-à-d.' style abbreviations spanning a space."""
    begin = max(0, match.start() - _WORD_LOOKBACK)
    tail = text[begin : match.start()].split()[-2:]
    return len(tail) == 2 and " ".join(tail).lower() in rules.may_end


def _after_period_glued(text: str, match: re.Match[str], after: int, end: int) -> int | None:
    """A period glued to what follows: decimals, URLs and 'S.Aureus' stay; '(5).El' splits."""
    word = _word_before(text, match.start())
    if "://" in word or "www" in word or "@" in word or "/" in word:
        return None
    before = text[match.start() - 1] if match.start() > 0 else ""
    nxt = text[after]
    plain_word = word.isalpha() and word.islower() and len(word) >= 3
    if nxt.isupper() and text[after + 1 : after + 2].islower():
        return after if before == ")" or plain_word else None
    if nxt.isdigit() and (plain_word or before == ")"):
        stop = after
        while stop < end and (text[stop].isdigit() or text[stop] == ","):
            stop += 1
        if stop < end and text[stop].isspace():
            nxt_pos = _skip_space(text, stop, end)
            if text[nxt_pos : nxt_pos + 1].isupper():
                return stop  # "lesion size.16 Earlier case reports": the reference stays
        return None
    if before and _is_han(before) and _is_han(nxt):
        return after
    return None


def _after_glue(text: str, pos: int, end: int, rules: _Rules) -> int | None:
    """A lower-case word glued to an acronym or a sentence starter: 'analgésiquesCRMO a été'."""
    begin = pos
    limit = max(0, pos - _WORD_LOOKBACK)
    while begin > limit and text[begin - 1].isalpha():
        begin -= 1
    head = text[begin:pos]
    if len(head) < 3 or not head.islower():
        return None  # mRNA, pH, iPhone, siRNA
    stop = pos
    while stop < end and text[stop].isupper():
        stop += 1
    capitals = text[pos:stop]
    if len(capitals) >= 2:
        return None if any(capitals.startswith(t) for t in rules.acronym_tails) else pos
    word_end = pos
    while word_end < end and text[word_end].isalpha():
        word_end += 1
    word = text[pos:word_end]
    return pos if word in rules.starters or word in rules.glued_starters else None


def _before_starter(text: str, pos: int, end: int, rules: _Rules) -> int | None:
    """A capitalised sentence starter after a lower-case word: '... antibiotiques Les patients'."""
    starter = _word_after(text, pos + 1, end)
    if starter not in rules.starters:
        return None
    previous = _word_before(text, pos)
    if not previous.endswith(";"):
        acronym = previous.isupper() and len(previous) >= 2
        if not previous.isalpha() or not (previous.islower() or acronym):
            return None
        if starter in rules.article_starters and previous.lower() in rules.connectors:
            return None
    follow = _skip_space(text, pos + 1 + len(starter), end)
    if follow >= end or _ELIDED_STARTER.search(starter):
        return None if follow >= end else pos + 1
    if text[follow].islower() or (text[follow] == "," and starter not in rules.article_starters):
        return pos + 1
    return None


# --- pieces -------------------------------------------------------------------------------


def _clean_piece(
    text: str, start: int, end: int, block_first: bool, rules: _Rules
) -> Iterator[tuple[int, int]]:
    """Strip whitespace and bullet markers; split a Chinese run-in label; drop empty pieces."""
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
        if block_first:
            numbered = _NUMBERED_MARKER.match(text, start, end)
            if numbered:
                start = numbered.end()
        break
    if start >= end:
        return
    labels = rules.section_labels if text[start] in rules.section_initials else ()
    for label in labels:
        stop = start + len(label)
        if text.startswith(label, start) and stop < end and text[stop] in " \t\u3000:：":
            label_end = stop + 1 if text[stop] in ":：" else stop
            yield start, label_end
            start = _skip_space(text, label_end, end)
            break
    if start < end and _has_alnum(text, start, end):
        yield start, end


def _has_alnum(text: str, start: int, end: int) -> bool:
    return any(text[i].isalnum() for i in range(start, min(end, start + 200))) or (
        end - start > 200 and any(c.isalnum() for c in text[start + 200 : end])
    )


def _bounded(text: str, start: int, end: int) -> Iterator[Span]:
    """Cut a piece longer than MAX_SENTENCE_CHARS at its last whitespace or comma in range."""
    while end - start > MAX_SENTENCE_CHARS:
        low, high = start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(sep, low, high) for sep in (" ", "\n", "\t", ",", "，", "、", "；"))
        cut = high if cut <= low else cut + 1
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            yield Span(start, stop)
        start = _skip_space(text, cut, end)
    if end > start:
        yield Span(start, end)
