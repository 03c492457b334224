"""Scripts and character classes: what counts as a Han character, everywhere in litkit.

Language identification, segmentation, cleaning, the lexicon's tokeniser, negation scopes and
full-text search all need "is this a Chinese character". Each used to keep its own range and
they disagreed on rare characters (extension B ideographs, the iteration mark 々, CJK
compatibility ideographs): a sentence could be Chinese for langid and have no Chinese token
for search. They all read these definitions now.
"""

from __future__ import annotations

import re
import unicodedata

HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3005),  # 々 ideographic iteration mark: repeats the previous ideograph
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs (folded by clean, seen before cleaning)
    (0x20000, 0x2FA1F),  # Extensions B-F and the compatibility supplement
)
"""Han ideographs, as closed ranges of code points."""

HAN_CLASS = "".join(
    re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
    for lo, hi in HAN_RANGES
)
"""The body of a regex character class for one Han character: use as `f"[{HAN_CLASS}]"`."""

HAN = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
NOT_HAN_WORD = re.compile(f"[^\\W_{HAN_CLASS}]+")
"""A run of word characters that are not Han: Latin, Greek or Cyrillic words, digits."""

FIRST_HAN = chr(HAN_RANGES[0][0])
"""No Han character sorts before this one: `ch < FIRST_HAN` rules Han out in one compare."""

CJK_TEXT_CLASS = (
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff" + HAN_CLASS + "\uff00-\uffef"  # kana  # full-width forms
)
"""Characters of East Asian running text (Han, kana, CJK punctuation, full-width forms)."""


def is_han(ch: str) -> bool:
    """Whether `ch` (one character, or "" at a text edge) is a Han ideograph."""
    if not ch or ch < FIRST_HAN:  # the cheap test first: most characters are not Han
        return False
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in HAN_RANGES)


def han_count(text: str) -> int:
    """How many Han characters `text` holds."""
    return len(HAN.findall(text))


def has_han(text: str) -> bool:
    """Whether `text` holds at least one Han character."""
    return HAN.search(text) is not None


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK, kana, full-width forms) take
    two, per Unicode's East Asian Width property."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
