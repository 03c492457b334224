"""Clean decoded text for segmentation without losing the way back to the source.

Scraped and machine-translated articles carry noise that breaks sentence splitting and
concept matching: broken HTML entities (`& gt;`), figure-viewer buttons glued into captions
(`Vue largeDownload slideMRI du sacrum`), breadcrumbs, cookie notices, the same caption twice,
invisible characters, ragged whitespace. `clean` removes that noise (figure-viewer buttons are
only set apart on a line of their own, see `_remove_chrome`) and nothing else: it
never rewrites sentence text, keeps newlines as block separators (the segmenter needs them),
and records an offset map so every sentence can be quoted from the original text.

Each step is a list of edits (start, end, replacement) found by linear regular expressions,
applied in one pass; the offset maps of the steps are composed. Nothing here is quadratic, so
a 50 MB text or a 5 MB line without punctuation cleans in seconds.
"""

from __future__ import annotations

import bisect
import functools
import html.entities
import re
import unicodedata
from collections.abc import Iterator

from .boilerplate import BoilerplatePatterns, boilerplate_patterns
from .models import CleanText
from .scripts import han_count

Edit = tuple[int, int, str]  # replace text[start:end] by the string
Anchors = list[tuple[int, int]]  # (new offset, old offset), increasing

MIN_REPEATED_CAPTION = 20  # shorter repeated lines ("Table 1", "Yes") may be real data

_NEWLINES = "\r\n|\r|[\x0b\x0c\x85\u2028\u2029]"
_INVISIBLE = (
    "[\x00-\x08\x0e-\x1f\x7f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_ODD_SPACES = "[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_ENTITY = (
    r"&(?:amp;)?[ \t]?(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31})[ \t]?\.?[ \t]?;"
)
_CHAR_FIXES = re.compile(
    f"(?P<newline>{_NEWLINES})|(?P<invisible>{_INVISIBLE}+)|(?P<space>{_ODD_SPACES})"
    f"|(?P<entity>{_ENTITY})"
)
# The characters a _CHAR_FIXES match can begin with: the regex is only tried where one occurs.
_CHAR_FIX_STARTS = re.compile(f"[\r\x0b\x0c\x85\u2028\u2029&]|{_INVISIBLE}|{_ODD_SPACES}")
_SPACES = re.compile(r"(?P<edge>^ +| +\Z|(?<=\n) +| +(?=\n))|(?P<run> {2,})")
_NEWLINE_RUNS = re.compile(r"(?P<edge>^\n+|\n+\Z)|(?P<run>\n{3,})")
_NEWLINE = re.compile("\n")


def _matches_at(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match]:
    """What `pattern.finditer(text)` yields, trying `pattern` only where `starts` matches.

    `re` tries an alternation of named groups at every offset (it cannot see which characters
    a match may begin with), ~50 ns per character; `starts`, one character class, skips to
    the next candidate in C. `starts` must match wherever a (non-empty) match can begin.
    """
    end = 0
    for candidate in starts.finditer(text):
        offset = candidate.start()
        if offset < end:
            continue  # inside the previous match, which finditer would have skipped too
        match = pattern.match(text, offset)
        if match:
            end = match.end()
            yield match


def clean(text: str) -> CleanText:
    """Cleaned text with an exact offset map back to `text` (see models.CleanText)."""
    current, anchors = text, [(0, 0)]
    for step in (
        _fix_characters,
        _normalize_nfc,
        _fold_cjk_compatibility,
        _remove_chrome,
        _tidy_spaces,
        _tidy_newlines,
        _drop_repeats,
    ):
        edits = list(step(current))
        if edits:
            current, step_anchors = _apply(current, edits)
            anchors = _compose(step_anchors, anchors)
    return CleanText(text=current, original=text, offset_map=tuple(anchors))


# ---------------------------------------------------------------------------- steps


def _fix_characters(text: str) -> Iterator[Edit]:
    """Newlines to \\n, invisible characters out, odd spaces to ' ', entities decoded."""
    for match in _matches_at(_CHAR_FIXES, _CHAR_FIX_STARTS, text):
        kind = match.lastgroup
        if kind == "newline":
            if match.group() != "\n":
                yield match.start(), match.end(), "\n"
        elif kind == "invisible":
            yield from _drop_invisible(text, match.start(), match.end())
        elif kind == "space":
            yield match.start(), match.end(), " "
        else:
            decoded = _decode_entity(match.group((match.lastindex or 0) + 1))
            if decoded is not None:
                yield match.start(), match.end(), decoded


# ZWJ/ZWNJ are spelling in some scripts: Persian "می‌خواهم" needs its ZWNJ, Indic conjuncts
# and family emoji (👨‍👩‍👧) need ZWJ. Elsewhere ("Metho\u200dtrexate") they are noise.
_JOINERS = "\u200c\u200d"
_JOINING_SCRIPTS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("arabic", ((0x0600, 0x074F), (0x0750, 0x07FF), (0x0860, 0x08FF), (0xFB50, 0xFDFF),
                (0xFE70, 0xFEFF))),  # Arabic, Persian, Urdu, Syriac, N'Ko
    ("indic", ((0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x18AF),
               (0xA8E0, 0xA8FF))),  # Devanagari..Sinhala, Tibetan, Myanmar, Khmer, Mongolian
    ("emoji", ((0x2190, 0x21FF), (0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF),
               (0xFE0F, 0xFE0F), (0x1F000, 0x1FAFF))),  # pictographs, VS16, skin tones
)  # fmt: skip


def _drop_invisible(text: str, start: int, end: int) -> Iterator[Edit]:
    """Delete a run of invisible characters, keeping ZWJ/ZWNJ where a script needs them.

    They are kept when the characters on both sides of the run belong to the same joining
    script (Arabic-script, Indic, emoji). Only the other invisibles of the run are deleted,
    one edit per piece, so every kept character maps to itself in the offset map.
    """
    run = text[start:end]
    if not any(c in _JOINERS for c in run) or not _same_joining_script(text, start, end):
        yield start, end, ""
        return
    piece_start = None
    for offset, char in enumerate(run, start):
        if char in _JOINERS:
            if piece_start is not None:
                yield piece_start, offset, ""
                piece_start = None
        elif piece_start is None:
            piece_start = offset
    if piece_start is not None:
        yield piece_start, end, ""


def _same_joining_script(text: str, start: int, end: int) -> bool:
    if start == 0 or end >= len(text):
        return False
    before, after = _joining_script(text[start - 1]), _joining_script(text[end])
    return before is not None and before == after


def _joining_script(char: str) -> str | None:
    code = ord(char)
    for name, ranges in _JOINING_SCRIPTS:
        if any(low <= code <= high for low, high in ranges):
            return name
    return None


def _decode_entity(name: str) -> str | None:
    """The character(s) an entity stands for, already cleaned; None if it is not an entity."""
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        except ValueError:
            return None
        if 0x80 <= code <= 0x9F:  # what browsers do: these are Windows-1252 bytes
            char = bytes([code]).decode("cp1252", errors="ignore")
        elif code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return None
        else:
            char = chr(code)
    else:
        named = html.entities.html5.get(name + ";")
        if named is None:
            return None
        char = named
    if re.fullmatch(_INVISIBLE, char):
        return ""
    if re.fullmatch(_ODD_SPACES, char):
        return " "
    return char


def _normalize_nfc(text: str) -> Iterator[Edit]:
    """Compose characters (e + combining acute -> é), one cluster at a time."""
    if unicodedata.is_normalized("NFC", text):
        return
    for match in _nfc_candidates().finditer(text):
        composed = unicodedata.normalize("NFC", match.group())
        if composed != match.group():
            yield match.start(), match.end(), composed


def _fold_cjk_compatibility(text: str) -> Iterator[Edit]:
    """Kangxi radicals and CJK compatibility ideographs to the unified ideographs.

    PDF extractors and some web fonts emit U+2F76 KANGXI RADICAL RICE for 米, so
    `帕⽶膦酸钠` would never match the lexicon's 帕米膦酸钠. NFKC of these characters is the
    unified ideograph; whole-text NFKC would also rewrite full-width digits, ligatures and
    superscripts that the sentence text must keep, so only these blocks are folded, one
    character for one character, which keeps the offset map exact.
    """
    table = _cjk_compatibility_table()
    for match in _cjk_compatibility_class().finditer(text):
        yield match.start(), match.end(), table[match.group()]


def _remove_chrome(text: str) -> Iterator[Edit]:
    """Figure-viewer buttons set apart on a line of their own; breadcrumb roots and
    cookie-notice lines dropped.

    A run of buttons glued to text (`...récurrenteFigure View largeDownload slideMRI du...`)
    is kept, as a line of its own: a page copied to text keeps it, the gold guide lists it as
    a (typeless) sentence, and litkit.roles gives such a line the `metadata` role, so it never
    carries a claim while the caption before and after it stay blocks of their own. An
    inserted line break has no source character: it maps to the character after it.
    """
    patterns = boilerplate_patterns()
    edits: list[Edit] = []
    for match in _chrome_matches(text, patterns):
        start, end = match.start(), match.end()
        if _has_text_before(text, start):
            edits.append((start, start, "\n"))
        if _has_text_after(text, end):
            edits.append((end, end, "\n"))
    edits.extend((m.start(), m.end(), "") for m in patterns.breadcrumb.finditer(text))
    edits.extend((m.start(), m.end(), "") for m in patterns.lines.finditer(text))
    yield from _without_overlaps(edits)


def _tidy_spaces(text: str) -> Iterator[Edit]:
    """Collapse runs of spaces to one; none at the start or end of a line."""
    if not (
        "  " in text or " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" ")
    ):
        return  # what _SPACES can match, tested with fast substring searches
    for match in _SPACES.finditer(text):
        yield match.start(), match.end(), "" if match.lastgroup == "edge" else " "


def _tidy_newlines(text: str) -> Iterator[Edit]:
    """At most one blank line between blocks, none at the start or end of the text."""
    if not ("\n\n\n" in text or text.startswith("\n") or text.endswith("\n")):
        return  # what _NEWLINE_RUNS can match, tested with fast substring searches
    for match in _matches_at(_NEWLINE_RUNS, _NEWLINE, text):
        yield match.start(), match.end(), "" if match.lastgroup == "edge" else "\n\n"


def _drop_repeats(text: str) -> Iterator[Edit]:
    """The same caption twice in a row: drop the repeat (or the repeated head of a line)."""
    previous_start: int | None = None
    previous_end = 0
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        if previous_start is not None and _width(text, previous_start, previous_end) >= (
            MIN_REPEATED_CAPTION
        ):
            previous = text[previous_start:previous_end]
            if line == previous:
                yield start - 1, end, ""  # with the newline before it
                position = end + 1
                continue  # the kept copy stays `previous`
            if line.startswith(previous):
                cut = start + len(previous)
                while cut < end and text[cut] == " ":
                    cut += 1
                yield start, cut, ""
        previous_start, previous_end = start, end
        position = end + 1


def _width(text: str, start: int, end: int) -> int:
    """Length with CJK characters counted twice: a 10-hanzi caption says as much as 20 letters."""
    line = text[start:end]
    return len(line) + han_count(line)


# ----------------------------------------------------------------- chrome helpers


CHROME_WINDOW = 400  # a run of buttons is never longer; labels sit just before a button


def _chrome_matches(text: str, patterns: BoilerplatePatterns) -> Iterator[re.Match]:
    """The chrome regex's matches, tried only where one can begin.

    A case-insensitive alternation tried at every offset costs ~0.25 s per MB; `str.find`
    of a few keywords costs nothing. A match begins with a figure label or with a button
    (whose first word is a key), so the regex is tried only at those offsets, and only in
    windows around a key (a run of buttons is never longer; labels sit just before one).
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # rare letters whose lower case is longer: scan it all
        yield from patterns.chrome.finditer(text)
        return
    hits = sorted(
        i for key in patterns.keys for i in _find_all(lowered, key) if _may_start_button(text, i)
    )
    if not hits:
        return
    windows: list[list[int]] = []
    for hit in hits:
        start, end = max(0, hit - CHROME_WINDOW), hit + CHROME_WINDOW
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    if patterns.case_oddities.search(text):
        yield from _scan_windows(text, windows, patterns.chrome)
        return
    label_hits = (i for label in patterns.labels for i in _find_all(text, label))
    starts = sorted(set(hits).union(label_hits))
    last_end = 0
    for start, end in windows:
        window_end = min(end, len(text))
        for offset in starts[bisect.bisect_left(starts, max(start, last_end)) :]:
            if offset >= window_end:
                break
            if offset < last_end:
                continue  # inside the match just found
            match = patterns.chrome.match(text, offset, window_end)
            if match:
                last_end = match.end()
                yield match


def _scan_windows(text: str, windows: list[list[int]], chrome: re.Pattern) -> Iterator[re.Match]:
    """Every chrome match in the windows, the regex tried at every offset (the safe path)."""
    last_end = 0
    for start, end in windows:
        for match in chrome.finditer(text, max(start, last_end), min(end, len(text))):
            last_end = match.end()
            yield match


def _may_start_button(text: str, index: int) -> bool:
    """Whether a key found at `index` can be a button's first word: it starts a word, or it
    is capitalised (a button glued to the text before it: `largeTélécharger`), or it is not
    in a cased script (Chinese labels have no word boundaries).

    Why: keys are common words and word pieces (`vue` in `revue`, `open` in `reopened`); a
    long text of running words would otherwise open a regex window at each of them.
    """
    char = text[index]
    if not char.isupper() and not char.islower():
        return True
    return char.isupper() or index == 0 or not text[index - 1].isalnum()


def _find_all(text: str, key: str) -> Iterator[int]:
    index = text.find(key)
    while index != -1:
        yield index
        index = text.find(key, index + 1)


def _has_text_before(text: str, index: int) -> bool:
    index -= 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index >= 0 and text[index] != "\n"


def _has_text_after(text: str, index: int) -> bool:
    while index < len(text) and text[index] in " \t":
        index += 1
    return index < len(text) and text[index] != "\n"


@functools.cache
def _nfc_candidates() -> re.Pattern:
    """Clusters NFC may change: a character plus its combining marks (or Hangul jamo), and
    single characters that NFC replaces on their own (Ångström sign, CJK compatibility)."""
    marks, singles = [], []
    for code in range(0x300, 0x30000):
        char = chr(code)
        if unicodedata.combining(char) or 0x1160 <= code <= 0x11FF:
            marks.append(char)
        elif unicodedata.normalize("NFC", char) != char:
            singles.append(char)
    return re.compile(f"[^\\n]{_char_class(marks)}+|{_char_class(singles)}")


# Blocks whose characters stand for unified ideographs: CJK Radicals Supplement, Kangxi
# Radicals, CJK Compatibility Ideographs and their supplement.
_CJK_COMPATIBILITY_BLOCKS = (
    (0x2E80, 0x2EFF),
    (0x2F00, 0x2FDF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


@functools.cache
def _cjk_compatibility_table() -> dict[str, str]:
    """Each character of those blocks whose NFKC form is one other character, to that form."""
    table = {}
    for low, high in _CJK_COMPATIBILITY_BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1 and folded != char:
                table[char] = folded
    return table


@functools.cache
def _cjk_compatibility_class() -> re.Pattern:
    return re.compile(_char_class(list(_cjk_compatibility_table())))


def _char_class(chars: list[str]) -> str:
    """A compact regex character class of code point ranges."""
    ranges: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return "[" + "".join(parts) + "]"


# ------------------------------------------------------------------- offset maps


def _without_overlaps(edits: list[Edit]) -> list[Edit]:
    """Edits sorted by position; one that overlaps an earlier-starting edit is dropped."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e[0], -e[1])):
        if kept and edit[0] < kept[-1][1]:
            continue
        kept.append(edit)
    return kept


def _apply(text: str, edits: list[Edit]) -> tuple[str, Anchors]:
    """Apply sorted, non-overlapping edits; anchors map the new text back to `text`."""
    pieces: list[str] = []
    anchors: Anchors = [(0, 0)]
    old = new = 0
    for start, end, replacement in edits:
        pieces.append(text[old:start])
        new += start - old
        anchors.append((new, start))
        pieces.append(replacement)
        new += len(replacement)
        anchors.append((new, end))
        old = end
    pieces.append(text[old:])
    return "".join(pieces), _simplified(anchors)


def _compose(outer: Anchors, inner: Anchors) -> Anchors:
    """Anchors from the newest text to the oldest, given newest->middle and middle->oldest.

    Both lists are increasing, so one merge pass suffices.
    """
    result: Anchors = []
    j = 0
    for k, (new, mid) in enumerate(outer):
        length = outer[k + 1][0] - new if k + 1 < len(outer) else float("inf")
        while j + 1 < len(inner) and inner[j + 1][0] <= mid:
            j += 1
        result.append((new, inner[j][1] + (mid - inner[j][0])))
        m = j + 1
        while m < len(inner) and inner[m][0] < mid + length:
            result.append((new + inner[m][0] - mid, inner[m][1]))
            m += 1
    return _simplified(result)


def _simplified(anchors: Anchors) -> Anchors:
    """Drop anchors implied by the previous one; for equal new offsets keep the last."""
    kept: Anchors = []
    for new, old in anchors:
        if kept and kept[-1][0] == new:
            kept.pop()
        if kept and old - new == kept[-1][1] - kept[-1][0]:
            continue
        kept.append((new, old))
    return kept or [(0, 0)]
