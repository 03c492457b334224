"""Load per-language cue lists and find them in a sentence quickly.

Cue lists are data (`cues.json` in each language folder, litkit/resources/<lang>/, plus
resources/common/cues.json; see litkit.languages), so a reader can see
and extend every word the classifier reacts to. Each group of cues is compiled into one
prefix-tree regex: one left-to-right scan per sentence whatever the number of cues, and the
longest cue wins at a position, which is what lets a pseudo-negation ("no consensus") hide
the shorter negation it contains ("no").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

from litkit.languages import DEFAULT_FALLBACK, common_file, language_file, languages_with, read_json

SUPPORTED_LANGS = languages_with("cues.json")
"""The languages with their own cue file, discovered from the language folders."""
FALLBACK_LANG = DEFAULT_FALLBACK  # Latin-script languages share most drug and test names
_MEMO_LIMIT = 50_000  # distinct matched surfaces remembered per matcher
_APOSTROPHES = (("’", "'"), ("ʼ", "'"), ("‘", "'"), ("\u00a0", " "))  # one char to one


class CueHit(NamedTuple):
    """One cue found in a sentence: its category, its text as listed, and where it is.

    A named tuple rather than a frozen dataclass: every sentence makes several, and a frozen
    dataclass costs four times as much to build (each field set through object.__setattr__).
    """

    category: str
    cue: str
    start: int
    end: int


def _is_word_char(char: str, ascii_only: bool) -> bool:
    return char.isascii() and char.isalnum() if ascii_only else char.isalnum() or char == "_"


class CueMatcher:
    """Finds every listed cue in a normalised (lowercase) sentence in one regex scan.

    `cues` maps a category to its cue strings. A trailing `*` makes a cue a prefix. With
    `ascii_boundaries` (Chinese), only Latin letters and digits count as word characters, so
    "MRI" matches inside "全身MRI的" while Chinese cues match as substrings.
    """

    def __init__(self, cues: Mapping[str, Iterable[str]], ascii_boundaries: bool = False) -> None:
        self._ascii = ascii_boundaries
        self._exact: dict[str, list[tuple[str, str]]] = {}
        self._prefix: dict[str, list[tuple[str, str]]] = {}
        for category, items in cues.items():
            for raw in items:
                cue = normalise(raw).strip()
                if not cue:
                    continue
                table = self._prefix if cue.endswith("*") else self._exact
                key = _collapse(cue.rstrip("*"))
                table.setdefault(key, []).append((category, raw))
        self._prefix_lengths = sorted({len(k) for k in self._prefix}, reverse=True)
        self._regex = self._compile()
        self._memo: dict[str, tuple[tuple[str, str], ...]] = {}

    def _compile(self) -> re.Pattern[str] | None:
        words: list[tuple[str, bool]] = [(k, False) for k in self._exact]
        words += [(k, True) for k in self._prefix]
        if not words:
            return None
        word = "[a-z0-9]" if self._ascii else r"\w"
        if self._ascii:
            # Chinese text: almost no offset is inside a Latin word, so a leading boundary
            # check passes nearly everywhere; literal-first branches let `re` skip instead.
            return re.compile(_trie_pattern(words, word, self._ascii, literal_first=True))
        # Latin text: a leading lookbehind fails fast inside every word, which is cheaper.
        bounded = [w for w in words if _is_word_char(w[0][0], self._ascii)]
        free = [w for w in words if not _is_word_char(w[0][0], self._ascii)]
        parts = []
        if bounded:
            parts.append(f"(?<!{word})" + _trie_pattern(bounded, word, self._ascii))
        if free:
            parts.append(_trie_pattern(free, word, self._ascii))
        return re.compile("|".join(parts))

    def find(self, text: str) -> list[CueHit]:
        """All cue hits in `text` (already normalised), in order, longest match first."""
        if self._regex is None:
            return []
        hits: list[CueHit] = []
        append = hits.append
        memo = self._memo
        for match in self._regex.finditer(text):
            surface = match.group()
            entries = memo.get(surface)
            if entries is None:
                entries = self._entries(surface)
                if len(memo) < _MEMO_LIMIT:
                    memo[surface] = entries
            start, end = match.span()
            for category, cue in entries:  # a plain loop: no generator frame per match
                append(CueHit(category, cue, start, end))
        return hits

    def _entries(self, surface: str) -> tuple[tuple[str, str], ...]:
        """The (category, cue) pairs a matched surface stands for: exact and prefix cues."""
        found = _collapse(surface)
        entries = list(self._exact.get(found, ()))
        # A word can also carry every prefix cue it starts with ("réponse" is both a
        # negation target and an outcome via "répon*").
        for length in self._prefix_lengths:
            if length <= len(found):
                entries.extend(self._prefix.get(found[:length], ()))
        return tuple(dict.fromkeys(entries))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _trie_pattern(
    words: list[tuple[str, bool]], word_class: str, ascii_only: bool, literal_first: bool = False
) -> str:
    """A regex equivalent to the alternation of `words`, factored as a prefix tree.

    Each word is (text, is_prefix). A word starting with a word character must start at a
    word boundary (checked by the caller) and one ending with a word character must end at
    one, unless it is a prefix cue, which swallows the rest of the word. With `literal_first`
    the start boundary is checked here, just after the first character (a lookbehind over two
    characters), so every top-level branch starts with a literal: `re` then skips, in C, every
    offset whose character starts no cue, instead of entering the pattern at each offset.
    """
    trie: dict[str, Any] = {}
    for text, is_prefix in words:
        node = trie
        for char in text:
            node = node.setdefault(char, {})
        node["" if not is_prefix else "*"] = True
    starts_bounded = f"(?<!{word_class}(?s:.))"

    def emit(node: dict[str, Any], last: str, top: bool = False) -> str:
        branches = []
        for char in sorted(k for k in node if k not in ("", "*")):
            piece = r"\s+" if char == " " else re.escape(char)
            if top and literal_first and _is_word_char(char, ascii_only):
                piece += starts_bounded
            branches.append(piece + emit(node[char], char))
        if "*" in node:
            branches.append(rf"{word_class}*")
        if "" in node:
            end = f"(?!{word_class})" if _is_word_char(last, ascii_only) else ""
            branches.append(end)
        if len(branches) == 1:
            return branches[0]
        # Non-empty branches first so the longest cue wins; the bare ending comes last.
        branches.sort(key=lambda b: b == "" or b.startswith("(?!"))
        return "(?:" + "|".join(branches) + ")"

    return emit(trie, "", top=True)


def normalise(text: str, trad_to_simp: Mapping[int, int] | None = None) -> str:
    """Lowercase, one apostrophe, optional traditional->simplified; keeps every offset."""
    if text.isascii():  # neither table maps an ASCII character, and ASCII lowercases 1:1
        return text.lower()
    out = _unify_apostrophes(text).lower()
    if trad_to_simp:
        out = out.translate(trad_to_simp)
    if len(out) != len(text):  # a few characters lowercase to two (İ); keep offsets exact
        out = "".join(c.lower() if len(c.lower()) == 1 else c for c in _unify_apostrophes(text))
        if trad_to_simp:
            out = out.translate(trad_to_simp)
    return out


def _unify_apostrophes(text: str) -> str:
    """One apostrophe and plain spaces: a C-speed `replace` per variant is ~12x faster than a
    per-character `translate` table (every pair maps one character to one, so offsets hold)."""
    for variant, plain in _APOSTROPHES:
        if variant in text:
            text = text.replace(variant, plain)
    return text


@cache
def load_cue_data(lang: str) -> dict[str, Any]:
    """The raw cue data of a language: its own file, else its folder's fallback language's,
    else English (for a language with no folder)."""
    path = language_file(lang, "cues.json") or language_file(FALLBACK_LANG, "cues.json")
    assert path is not None, "the fallback language ships a cue file"
    return read_json(path)


@cache
def load_common() -> dict[str, Any]:
    """Cues shared by every language (drug names, abbreviations, dose units)."""
    return read_json(common_file("cues.json"))
