"""Pass 2: sentence boundaries inside a block. One regex finds candidates; small rules backed by
the language data decide each (abbreviations, initials, paired brackets and quotes, list
markers, citation markers, lower-case continuations)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..scripts import is_han
from .pieces import _binds_article, _clean_piece
from .rules import (
    _CITATION,
    _CLOSERS,
    _DOTTED_ACRONYM,
    _ELIDED_STARTER,
    _GLUED_TAIL,
    _LIST_MARKER,
    _OPENERS,
    _PAIR_CHARS,
    _PAIRS,
    _QUOTE_CLOSERS,
    _SYMMETRIC_QUOTES,
    _TRAILING_PARENTHETICAL,
    _TRAILING_REFERENCE,
    _VOWELS,
    _WORD_LOOKBACK,
    CITATION_MAX_CHARS,
    PAIR_MAX_CHARS,
    _Rules,
    _skip_space,
)


def _split_block(text: str, start: int, end: int, rules: _Rules) -> Iterator[tuple[int, int]]:
    """Yield the cleaned pieces of one block, bullets and run-in labels removed."""
    if end - start <= CITATION_MAX_CHARS and _CITATION.search(text, start, end):
        cuts = [start, end]
    else:
        found: list[tuple[int, str, re.Match[str] | None]] = [
            (match.start(), kind, match)
            for kind, pattern, marks in rules.patterns
            if not marks or any(text.find(mark, start, end) >= 0 for mark in marks)
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
    if kind == "glue":  # the match is the capital
        return _after_glue(text, match.start(), end, rules)
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
            resume = _skip_space(text, match.end(), end)
            if resume >= end or _continues_lowercase(text, resume, end):
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
