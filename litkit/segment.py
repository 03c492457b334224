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
   initials and dotted acronyms (a new sentence after "U.S." only when a sentence starter
   follows), a lower-case continuation after an abbreviation, quote, bracket or "!", decimals,
   units, citation markers that stay with the sentence they end ("martyr.[1] The"), ellipsis
   points, citation lines. A terminal inside paired brackets or quotes (《…！…》, « … »,
   "(… engineer.) at") is no boundary; inline list markers ("1. … 2. …") start new items;
   punctuation-only tails ("? ? ?", "”。") stay with their sentence; run-in section labels
   ("Results:", "MÉTHODES :", "目的:") are sentences of their own.

Language data (abbreviations, sentence starters, connectors, section labels) lives in
`segment.json` of each language folder (litkit/resources/<lang>/, litkit.languages) and in
resources/common/segment.json; all languages are applied at once because segmentation runs
before language identification.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from .languages import common_file, language_file, languages_with, read_json
from .models import Span
from .scripts import is_han

MAX_SENTENCE_CHARS = 2000  # longer runs are cut at whitespace so later stages stay bounded
CITATION_MAX_CHARS = 400  # a short block that looks like a reference is never split
HEADER_MAX_CHARS = 80  # short lines repeated in a document are running headers
_WORD_LOOKBACK = 40  # how far back a rule looks for the word before a boundary

_CLOSERS = "\"'”’»)]}」』）】〕"
_CJK_TERMINALS = "。！？"
_TERMINALS = ".!?…" + _CJK_TERMINALS
# Paired brackets and quotes: a terminal inside a pair no longer than PAIR_MAX_CHARS does not
# end the sentence around it (《摔跤吧！爸爸》, « LL.AA. », "(He worked there.) at the...").
_PAIRS = {"(": ")", "[": "]", "{": "}", "«": "»", "“": "”", "《": "》", "〈": "〉", "「": "」",
          "『": "』", "（": "）", "【": "】", "〔": "〕"}  # fmt: skip
_QUOTE_CLOSERS = '»”」』"'
_OPENERS = {closer: opener for opener, closer in _PAIRS.items()}
_SYMMETRIC_QUOTES = '"'
PAIR_MAX_CHARS = 300
_PAIR_CHARS = re.compile(
    "[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values()) + _SYMMETRIC_QUOTES) + "]"
)
# A list marker: "1.", "1)", "1.)", or a lower-case letter "a." / "a)".
_LIST_MARKER = re.compile(r"(\d{1,2}|[a-z])(\.\)|[.)])(?=\s)")
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.-?)+[^\W\d_]{1,2}")  # U.S, E.U, J.-P, LL.AA
_CITATION_MARKS = re.compile(r"[ \t]?(?:[(\[]\d{1,3}(?:\s?[,–-]\s?\d{1,3})*[)\]])+")
_TRAILING_PARENTHETICAL = re.compile(r"\([^()\n.!?]{1,80}\)[.!?]")
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
_ALNUM = re.compile(r"[^\W_]")
LABEL_MAX_CHARS = 45
HEADING_MAX_CHARS = 30  # a numbered Chinese heading that runs into its text is short
_SECTION_NUMBER = re.compile(
    r"\d{1,2}(?:\.\d{1,2})+[ \t\u3000]+"
)  # a run-in section label ("Patients and methods:") is short
_GLUED_TAIL = re.compile(r"(?<=[a-zß-öø-ÿœ])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿœ]+$")
_ELIDED_STARTER = re.compile(r"(?:L|D|Qu)[’']$")
_TRAILING_REFERENCE = re.compile(r"(?:[(\[]\d{1,3}(?:\s?[,–-]\s?\d{1,3})*[)\]])+")
_NUMBERED_MARKER = re.compile(r"(?:\d{1,2}(?:\.\)|[.)])|[a-z][.)](?=\s+[A-ZÀ-ÖØ-Þ]))\s+")
_CITATION = re.compile(
    r"\bdoi:\s*10\.|\bPMID:?\s*\d|\b\d+\s*\(\d+\)\s*[:,]\s*\d|;\s*\d+\s*\(\d+\)"
    r"|\bpp?\.\s*\d+\s*[-–]\s*\d+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Rules:
    """Segmentation data merged over every language, plus the regexes built from it."""

    never_final: frozenset[str]
    may_end: frozenset[str]
    starters: frozenset[str]
    abbreviation_starters: frozenset[str]  # starters plus words trusted only after a period
    glued_starters: frozenset[str]
    article_starters: frozenset[str]
    connectors: frozenset[str]
    coordinators: frozenset[str]  # connectors after which a clause may stop ("et", "and")
    label_words: frozenset[str]
    section_labels: tuple[str, ...]  # Chinese labels: a space or a colon may follow them
    section_initials: frozenset[str]  # first characters of section_labels: a cheap pre-test
    latin_labels: frozenset[str]  # case-folded labels of alphabetic scripts: a colon follows
    acronym_tails: frozenset[str]
    bullets: frozenset[str]
    loose_bullets: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    run_in_heading: re.Pattern[str]  # a glued_starters heading, then a capitalised word


@cache
def _rules() -> _Rules:
    """Load and merge the JSON files once; the regex depends on the starter and bullet lists."""
    merged: dict[str, set[str]] = {}
    files = [common_file("segment.json")]
    files += [
        path
        for lang in languages_with("segment.json")
        if (path := language_file(lang, "segment.json"))
    ]
    for entry in files:
        data = read_json(entry)
        for key, values in data.items():
            if isinstance(values, list):
                merged.setdefault(key, set()).update(values)
    starters = frozenset(merged.get("sentence_starters", set()))
    loose = frozenset(merged.get("loose_bullets", set()))
    glued = "|".join(
        re.escape(w) + r"\b" for w in sorted(starters, key=len, reverse=True) if len(w) >= 3
    )
    any_starter = "|".join(re.escape(w) for w in sorted(starters, key=len, reverse=True))
    loose_class = "".join(re.escape(b) for b in sorted(loose))
    closers = re.escape(_CLOSERS)
    # One simple pattern per kind: a single alternation costs ten times more per character.
    patterns = (
        ("cjk", re.compile(rf"[{_CJK_TERMINALS}]+[{closers}]*")),
        # "? ? ?" and ". . ." are one mark each ("! ..." is split in _after_terminal); the
        # pattern opens with a character class, which re scans for quickly
        ("term", re.compile(rf"[.!?…]+(?:[ \t][.!?…]+)*[{closers}]*")),
        ("bullet", re.compile(rf"\s[{loose_class}]")),
        ("glue", re.compile(r"[a-zß-öø-ÿœ](?=[A-ZÀ-ÖØ-Þ])")),
        ("capglue", re.compile(rf"[A-Z](?=(?:{glued}))")),
        # only a space before a known starter is a candidate (checked in full later)
        ("space", re.compile(rf"[ \t](?=(?:{any_starter}))")),
    )
    lower = {key: frozenset(v.lower() for v in values) for key, values in merged.items()}
    labels = merged.get("section_labels", set())
    han_labels = {label for label in labels if is_han(label[0])}
    label_words = lower.get("label_words", frozenset())
    headings = sorted(
        (w for w in merged.get("glued_starters", set()) if w.lower() not in label_words),
        key=len,
        reverse=True,
    )
    run_in_heading = re.compile(
        "(" + "|".join(map(re.escape, headings)) + r")[ \t]+(?=[A-ZÀ-ÖØ-Þ])"
    )
    return _Rules(
        never_final=lower.get("never_final", frozenset()),
        may_end=lower.get("may_end", frozenset()),
        starters=starters,
        abbreviation_starters=starters | frozenset(merged.get("abbreviation_starters", set())),
        glued_starters=frozenset(merged.get("glued_starters", set())),
        article_starters=frozenset(merged.get("article_starters", set())),
        connectors=lower.get("connectors", frozenset()),
        coordinators=lower.get("coordinators", frozenset()),
        label_words=lower.get("label_words", frozenset()),
        section_labels=tuple(sorted(han_labels, key=len, reverse=True)),
        section_initials=frozenset(label[:1] for label in han_labels),
        latin_labels=frozenset(label.casefold() for label in labels - han_labels),
        acronym_tails=frozenset(v.upper() for v in merged.get("acronym_tails", set())),
        bullets=frozenset(merged.get("bullets", set())),
        loose_bullets=loose,
        patterns=patterns,
        run_in_heading=run_in_heading,
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
        found: list[tuple[int, str, re.Match[str] | None]] = [
            (match.start(), kind, match)
            for kind, pattern in rules.patterns
            for match in pattern.finditer(text, start, end)
        ]
        first = text[start]
        if first.isdigit() or first.islower() or first in rules.bullets:  # a list opens so
            found.extend((cut, "enum", None) for cut in _enumeration_cuts(text, start, end, rules))
        found.sort(key=lambda item: item[0])
        pairs = _Pairs(text, start, end) if _PAIR_CHARS.search(text, start, end) else _NO_PAIRS
        cuts = [start]
        for at, kind, match in found:
            if match is None:
                cut: int | None = at
            else:
                cut = _decide(text, kind, match, end, cuts[-1], rules)
                if cut is not None and pairs.opens and pairs.inside(cut):
                    cut = _after_pair(text, cut, end, pairs) if kind in ("term", "cjk") else None
            if cut is not None and cuts[-1] < cut < end:
                cuts.append(cut)
        cuts.append(end)
    previous: tuple[int, int] | None = None
    for index in range(len(cuts) - 1):
        for piece_start, piece_end, tail in _clean_piece(text, cuts[index], cuts[index + 1], rules):
            if tail:  # "Really ? ? ?", "…呢？”。": punctuation joins the sentence it ends
                if previous is not None:
                    previous = (previous[0], piece_end)
                continue
            if previous is not None:
                yield previous
            previous = (piece_start, piece_end)
    if previous is not None:
        yield previous


class _Pairs:
    """Spans of paired brackets and quotes in a block, to tell a terminal inside one.

    One pass over the bracket characters with a stack per kind; a pair longer than
    PAIR_MAX_CHARS is ignored, so a stray opening bracket cannot swallow the rest of a block.
    Overlapping pairs are merged, so membership is one bisection.
    """

    def __init__(self, text: str, start: int, end: int) -> None:
        stacks: dict[str, list[int]] = {}
        quote = -1
        spans: list[tuple[int, int]] = []
        for match in _PAIR_CHARS.finditer(text, start, end):
            char, at = match.group(), match.start()
            if char in _SYMMETRIC_QUOTES:
                # '"' opens after a space or a bracket and closes after a non-space, so an
                # inch or seconds mark ('a 5" catheter') pairs with nothing
                before = text[at - 1] if at > start else " "
                if quote >= 0 and not before.isspace():
                    if at - quote <= PAIR_MAX_CHARS:
                        spans.append((quote, at))
                    quote = -1
                elif before.isspace() or before in "([{":
                    quote = at
            elif char in _PAIRS:
                stacks.setdefault(char, []).append(at)
            else:
                stack = stacks.get(_OPENERS[char])
                if stack:
                    opened = stack.pop()
                    if at - opened <= PAIR_MAX_CHARS:
                        spans.append((opened, at))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for opened, closed in spans:
            if merged and opened <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(closed, merged[-1][1]))
            else:
                merged.append((opened, closed))
        self.opens = [opened for opened, _ in merged]
        self.closes = [closed for _, closed in merged]

    def inside(self, cut: int) -> bool:
        """Whether a sentence cut at `cut` would fall between an opener and its closer."""
        index = bisect.bisect_left(self.opens, cut) - 1
        return index >= 0 and cut <= self.closes[index]

    def closer_after(self, cut: int) -> int:
        return self.closes[bisect.bisect_left(self.opens, cut) - 1]


_NO_PAIRS = _Pairs("", 0, 0)


def _after_pair(text: str, cut: int, end: int, pairs: _Pairs) -> int | None:
    """A terminal just before a closing quote ('« … guéri. » Le'): the cut moves past it
    when a new sentence follows; a terminal deeper inside a pair, or inside a title or a
    bracket, is no boundary."""
    closer = pairs.closer_after(cut)
    if text[closer] not in _QUOTE_CLOSERS or text[cut:closer].strip():
        return None  # a title 《…！》 or a bracket goes on with its sentence
    after = closer + 1
    nxt = _skip_space(text, after, end)
    if nxt >= end or (nxt == after and not is_han(text[nxt])):
        return None
    return after if text[nxt].isupper() or is_han(text[nxt]) else None


def _enumeration_cuts(text: str, start: int, end: int, rules: _Rules) -> list[int]:
    """Cuts before the items of an inline list that opens the block: '1. A … 2. B … 3. C'.

    Only the next marker of the same kind counts (2 after 1, b after a), so a number that
    happens to precede a period is not taken for a list item.
    """
    pos = start
    while pos < end and (text[pos].isspace() or text[pos] in rules.bullets):
        pos += 1
    first = _LIST_MARKER.match(text, pos, end)
    if first is None:
        return []
    label, suffix = first.group(1), first.group(2)
    letter = label.isalpha()
    if letter and not text[_skip_space(text, first.end(), end) : end][:1].isupper():
        return []
    value = ord(label) if letter else int(label)
    cuts: list[int] = []
    search = first.end()
    while value < (ord("z") if letter else 99):
        value += 1
        needle = (chr(value) if letter else str(value)) + suffix
        while True:
            at = text.find(needle, search, end)
            if at < 0:
                return cuts
            search = at + len(needle)
            if _item_marker_at(text, at, search, end, letter, rules):
                break
        cuts.append(at - 1 if text[at - 1] in rules.bullets else at)
    return cuts


def _item_marker_at(text: str, at: int, stop: int, end: int, letter: bool, rules: _Rules) -> bool:
    """The marker text[at:stop] stands alone before the next item's first word."""
    before = text[at - 1]
    if not (before.isspace() or (before in rules.bullets and text[at - 2 : at - 1].isspace())):
        return False
    if stop >= end or not text[stop].isspace():
        return False
    nxt = _skip_space(text, stop, end)
    return nxt < end and (text[nxt].isupper() if letter else text[nxt].isalpha())


def _decide(
    text: str, kind: str, match: re.Match[str], end: int, piece_start: int, rules: _Rules
) -> int | None:
    """The offset where a new sentence starts for this candidate, or None if no boundary."""
    if kind == "cjk":
        return match.end()
    if kind == "term":
        return _after_terminal(text, match, end, piece_start, rules)
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


def _continues_lowercase(text: str, pos: int, end: int) -> bool:
    """The word at pos is a lower-case continuation ('the U.S.A. last year', '" she said').

    A word with a capital inside (mRNA, pH, eGFR) may open a sentence, so it does not count.
    """
    if pos < end and text[pos] in "\"'“‘":
        pos += 1
    if pos >= end or not text[pos].islower():
        return False
    limit = min(end, pos + _WORD_LOOKBACK)
    while pos < limit and text[pos].isalnum():
        if text[pos].isupper():
            return False
        pos += 1
    return True


def _is_list_marker(text: str, at: int, piece_start: int, rules: _Rules) -> bool:
    """'2.' or 'b.' opening a line, a piece or a bulleted item is a list marker, not a
    sentence end."""
    if at == 0:
        return False
    begin = at - 1
    last = text[begin]
    if last.isdigit():  # one or two digits
        if begin > 0 and text[begin - 1].isdigit():
            begin -= 1
    elif not (last.isalpha() and last.islower()):  # or one lower-case letter
        return False
    if begin > 0 and text[begin - 1].isalnum():
        return False
    pos = begin
    while pos > piece_start and (text[pos - 1].isspace() or text[pos - 1] in rules.bullets):
        pos -= 1
    return pos == piece_start or _at_line_start(text, begin)


def _after_terminal(
    text: str, match: re.Match[str], end: int, piece_start: int, rules: _Rules
) -> int | None:
    after = match.end()
    if after >= end:
        return None
    punct = match.group().rstrip(_CLOSERS)
    at = match.start()
    # "word." cannot be a list marker: test the two characters before calling the rule
    maybe_marker = at < 2 or text[at - 1].isdigit() or not text[at - 2].isalnum()
    if maybe_marker and _is_list_marker(text, at, piece_start, rules):
        return None
    long_mark = len(punct) > 2
    if long_mark and (" " in punct or "\t" in punct):
        first_run = punct.split(None, 1)[0]
        if "." not in first_run and not punct[len(first_run) :].strip(". \t"):
            # "Wait! ... It stopped": the exclamation ends, the points open the next sentence
            nxt = _skip_space(text, match.end(), end)
            if nxt >= end or _continues_lowercase(text, nxt, end):
                return None
            return match.start() + len(first_run)
    nxt = text[after]
    if long_mark and punct.count(".") >= 3 and not punct.strip(". \t"):
        spaced = " " in punct or "\t" in punct
        if spaced or (match.start() > 0 and text[match.start() - 1].isspace()):
            return _after_ellipsis(text, match, punct, end)
    if nxt in "[(":
        reference = _TRAILING_REFERENCE.match(text, after, end)
        if reference:  # "martyr.[1] The": the citation stays with the sentence it ends
            return _after_reference(text, reference.end(), end)
    if "." not in punct:  # ! ? …
        if nxt.isspace():
            nxt_pos = _skip_space(text, after, end)
            if nxt_pos >= end or _continues_lowercase(text, nxt_pos, end):
                return None  # "Yahoo! in the accounting department"
            if "…" in punct and not text[nxt_pos].isupper():
                return None
            return after
        return after if is_han(nxt) else None
    if nxt.isspace():
        return _after_period_space(text, match, after, end, rules)
    return _after_period_glued(text, match, after, end)


def _after_ellipsis(text: str, match: re.Match[str], punct: str, end: int) -> int | None:
    """Spaced or free-standing ellipsis points: '. . .' leaves the sentence open; a period
    glued to its word and then '. . .' ends it, the points opening the next sentence; four
    points after a space are an ellipsis and a period."""
    after = match.end()
    nxt = _skip_space(text, after, end)
    if nxt >= end or _continues_lowercase(text, nxt, end):
        return None
    if match.start() > 0 and not text[match.start() - 1].isspace():
        return match.start() + 1
    return after if punct.count(".") >= 4 and text[nxt].isupper() else None


def _after_reference(text: str, ref_end: int, end: int) -> int | None:
    if ref_end >= end or not text[ref_end].isspace():
        return None
    nxt = _skip_space(text, ref_end, end)
    return None if nxt >= end or _continues_lowercase(text, nxt, end) else ref_end


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
    raw_word = _word_before(text, match.start())
    word = raw_word.lower()
    if (
        (first.islower() or first in "\"'“‘")
        and _continues_lowercase(text, nxt_pos, end)
        and (match.group()[-1] in _CLOSERS or _abbreviation_like(raw_word, rules))
    ):
        return None  # "the U.S.A. last year", "co. at the party", '"… great." she said'
    if first in "([":
        if _TRAILING_PARENTHETICAL.match(text, nxt_pos, end):
            return None  # '"… [...]" (Smith 55).': the citation ends the quoted sentence
        reference = _TRAILING_REFERENCE.match(text, nxt_pos, end)
        if reference:  # "... desvitalizado. (1)" keeps its reference number
            return _after_reference(text, reference.end(), end)
    if word in rules.never_final:
        return None
    is_initial = len(word) == 1 and word.isalpha() and not _after_label(text, match, rules)
    if (
        word in rules.may_end
        or is_initial
        or ("." in raw_word and _DOTTED_ACRONYM.fullmatch(raw_word))
        or _two_word_abbreviation(text, match, rules)
    ):
        starter = _word_after(text, nxt_pos, end)
        return after if starter in rules.abbreviation_starters else None
    return after


def _abbreviation_like(word: str, rules: _Rules) -> bool:
    """A token that a period may follow without ending the sentence: a known abbreviation,
    a dotted acronym or number (U.S.A, 1.8.2), or a short vowelless token (pts, tt).

    A lower-case word after a period that follows a full word still starts a sentence: text
    that lost its capitals ('… négatifs. n’est pas …') keeps its boundaries.
    """
    lower = word.lower()
    if lower in rules.never_final or lower in rules.may_end or "." in word:
        return True
    if not lower.isalpha():
        return False
    return len(lower) <= 4 and not any(c in _VOWELS for c in lower)


def _at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _after_label(text: str, match: re.Match[str], rules: _Rules) -> bool:
    """'Table I.' and 'type B.' end with a label, not with a person's initial."""
    begin = max(0, match.start() - _WORD_LOOKBACK)
    tail = text[begin : match.start()].split()
    return len(tail) >= 2 and tail[-2].lower() in rules.label_words


def _label_before(text: str, pos: int, rules: _Rules) -> bool:
    """Whether the word before the one that ends at `pos` is a label word (Patient, Group)."""
    tail = text[max(0, pos - _WORD_LOOKBACK) : pos].split()
    if len(tail) < 2:
        return False
    glued = _GLUED_TAIL.search(tail[-2])  # "tibialPatient A": the label is glued to a word
    return tail[-2].lower() in rules.label_words or (
        glued is not None and glued.group().lower() in rules.label_words
    )


def _two_word_abbreviation(text: str, match: re.Match[str], rules: _Rules) -> bool:
    """'et al.' and 'c.-à-d.' style abbreviations spanning a space."""
    begin = max(0, match.start() - _WORD_LOOKBACK)
    tail = text[begin : match.start()].split()[-2:]
    return len(tail) == 2 and " ".join(tail).lower() in rules.may_end


def _after_period_glued(text: str, match: re.Match[str], after: int, end: int) -> int | None:
    """A period glued to what follows: decimals, URLs and 'S.Aureus' stay; '(5).El' splits,
    and so does Chinese text written with ASCII periods ('每组10人.A组', '(P<0.05).两组')."""
    word = _word_before(text, match.start())
    if "://" in word or "www" in word or "@" in word or "/" in word:
        return None
    before = text[match.start() - 1] if match.start() > 0 else ""
    nxt = text[after]
    closing = before != "" and before in ")）]】"
    if is_han(nxt) and (before.isalnum() or closing):
        return after
    if (is_han(before) or closing) and (nxt.isupper() or nxt.isdigit()):
        stop = after
        while stop < end and stop - after < 12 and text[stop].isascii() and text[stop].isalnum():
            stop += 1
        if stop < end and is_han(text[stop]):
            return after
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
    """A capitalised sentence starter after a lower-case word or a semicolon
    ('... antibiotiques Les patients'), or after the letter of a label ('Patient A Un garçon').

    Not after a colon: titles run 'Ostéomyélite chronique: Deux cas …' on one line.
    """
    starter = _word_after(text, pos + 1, end)
    if starter not in rules.starters:
        return None
    previous = _word_before(text, pos)
    if not previous.endswith(";"):
        acronym = previous.isupper() and len(previous) >= 2
        letters = previous.replace("'", "").replace("’", "").replace("-", "")
        # "Patient A", "Groupe B": the letter ends a label, and a sentence may follow it
        label_letter = len(previous) == 1 and previous.isupper()
        if not (label_letter and _label_before(text, pos, rules)):
            if not letters.isalpha() or not (previous.islower() or acronym):
                return None
            if starter in rules.article_starters and _binds_article(previous, starter, rules):
                return None
    follow = _skip_space(text, pos + 1 + len(starter), end)
    if follow >= end or _ELIDED_STARTER.search(starter):
        return None if follow >= end else pos + 1
    if text[follow].islower() or (text[follow] == "," and starter not in rules.article_starters):
        return pos + 1
    return None


# --- pieces -------------------------------------------------------------------------------


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
            label_end = _latin_label_end(text, start, end, rules)
            while label_end is not None:  # "RÉSUMÉ: OBJECTIF: Le…" gives two labels
                yield start, label_end, False
                start = _skip_space(text, label_end, end)
                label_end = _latin_label_end(text, start, end, rules)
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
