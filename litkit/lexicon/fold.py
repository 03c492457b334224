"""Folding and tokens: one character in, one character out, so offsets in the folded text are
offsets in the original; Latin words, numbers, Greek letters and single Han characters are
the tokens the matcher walks.
"""

from __future__ import annotations

import re
import unicodedata

from litkit.scripts import FIRST_HAN, HAN_CLASS

# ---------------------------------------------------------------------------------------------
# Folding: one character in, one character out, so offsets survive.


def _build_accent_table() -> dict[int, str]:
    """Map accented Latin letters to their base letter, and unify punctuation variants.

    Built from Unicode decompositions rather than a hand list so every precomposed Latin
    letter (é, ï, ç, ň, ...) folds; the few letters without a decomposition are added by hand.
    """
    table: dict[int, str] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base
    table.update({ord(k): v for k, v in zip("øØłŁđĐı", "oOlLdDi", strict=True)})
    for ch in "’‘ʼ`´′‛＇":
        table[ord(ch)] = "'"
    for ch in "‐‑‒–—―−﹣－\u00ad":
        table[ord(ch)] = "-"
    for ch in "\u00a0\u2007\u202f\u2009\u200a\u3000\t\r\n\f\v":
        table[ord(ch)] = " "
    for cp in range(0xFF01, 0xFF5F):  # fullwidth ASCII (ＭＲＩ, Ｃ反应蛋白)
        table.setdefault(cp, chr(cp - 0xFEE0))
    return table


_ACCENT_TABLE = _build_accent_table()
# Runs of characters the table maps: translating only those runs (regex scan in C) gives the
# same text as translating everything, at half the cost on mostly-unaccented sentences.
_FOLDABLE_RUN = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_ACCENT_TABLE)) + "]+")
_GREEK_NAMES = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
_TOKEN_RE = re.compile(
    r"[a-z\u00df-\u00f6\u00f8-\u024f]+|[0-9]+|[\u03b1-\u03c9]+"
    rf"|[{HAN_CLASS}]+"
)
_JOINERS = " -'\t\r\n\f\v"  # what may separate the words of one multi-word term
# "plasma exchange (PE)", "认知行为治疗（CBT）": an abbreviation defined right after a mention.
_ABBREVIATION_DEF = re.compile(
    r"\s*[(\uff08]\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*[)\uff09;,\uff1b\uff0c]"
)
_LONG_FORM_WORDS = 2  # words before a mention that an abbreviation may also abbreviate


def fold(text: str) -> str:
    """Lowercase, strip accents and unify apostrophes/hyphens/spaces, keeping the length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lowercases to two characters
        lowered = "".join(ch.lower()[:1] for ch in text)
    if lowered.isascii():
        return lowered
    return _FOLDABLE_RUN.sub(_fold_run, lowered)


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_ACCENT_TABLE)


def _latin_key(word: str) -> str:
    """A word's matching key: plural `s`/`x` dropped, so singular and plural forms meet."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def _tokenize(folded: str) -> list[tuple[str, int, int]]:
    """(key, start, end) for every token of folded text; a CJK character is a token."""
    tokens: list[tuple[str, int, int]] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(folded):
        word = m.group()
        start = m.start()
        first = word[0]
        if first >= FIRST_HAN:  # the token regex leaves only Han runs past it
            for k, ch in enumerate(word):
                append((ch, start + k, start + k + 1))
        elif first <= "9":
            append((word, start, m.end()))
        elif "\u03b1" <= first <= "\u03c9":
            append(("".join(_GREEK_NAMES.get(c, c) for c in word), start, m.end()))
        elif len(word) > 3 and word[-1] in "sx":  # _latin_key, inlined: the hottest loop
            append((word[:-1], start, m.end()))
        else:
            append((word, start, m.end()))
    return tokens


def _cased_key(surface: str, caseless_key: str) -> str:
    """The key of a token when case matters (VS is ESR, vs is "versus")."""
    plain = surface.translate(_ACCENT_TABLE)
    if plain == plain.lower():
        return caseless_key
    if len(plain) > 3 and plain[-1] in "sx":
        return plain[:-1]
    return plain


def _joinable(folded: str, end: int, start: int) -> bool:
    """Whether two tokens may belong to one term: only spaces, hyphens or apostrophes between."""
    return end == start or not folded[end:start].strip(_JOINERS)


def has_token(text: str) -> bool:
    """Whether `term_keys(text)` is not empty, without building the keys (one regex search:
    every lexicon term is checked at each load)."""
    return _TOKEN_RE.search(fold(text)) is not None


def term_keys(text: str) -> tuple[str, ...]:
    """The token keys of a term, as the matcher sees it (for lookups and tests)."""
    return tuple(key for key, _, _ in _tokenize(fold(text)))


# ---------------------------------------------------------------------------------------------
# Records
