"""Boilerplate of web pages and publishers' PDFs: figure-viewer buttons, breadcrumbs, lines.

One place for the patterns both the cleaning stage (`litkit.clean`, on any text) and the HTML
reader (`litkit.sources.html`, on blocks) use, built from `resources/boilerplate.json`, so a
button added there is removed by both.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from itertools import chain


class BoilerplatePatterns:
    """The compiled boilerplate patterns and the keys that make scanning for them cheap."""

    def __init__(
        self,
        chrome: re.Pattern,
        breadcrumb: re.Pattern,
        lines: re.Pattern,
        keys: tuple[str, ...],
        labels: tuple[str, ...],
    ) -> None:
        self.chrome, self.breadcrumb, self.lines = chrome, breadcrumb, lines
        self.keys = keys  # lower-case first word of every button, for a fast pre-scan
        self.labels = labels  # figure labels ("Figure", "表"): case-sensitive, may open a match
        # Characters the case-insensitive regex equates with a key letter although `lower()`
        # does not ("ſ" matches "s"): with one of them in the text, keys found by `str.find`
        # might miss a button start, so the windows are scanned position by position.
        self.case_oddities = _case_oddities("".join(keys))


def _case_oddities(letters: str) -> re.Pattern:
    """A class of the non-ASCII characters that match one of `letters` case-insensitively
    although their `lower()` is not that letter (computed, not listed: it depends on `re`)."""
    letters = "".join(sorted(set(letters)))
    # Every non-ASCII character of the Basic Multilingual Plane (surrogates excluded): the
    # case partners of the letters are among them.
    plane = "".join(map(chr, chain(range(0x80, 0xD800), range(0xE000, 0x10000))))
    partners = set(re.findall(f"(?i)[{re.escape(letters)}]", plane))
    odd = {
        char
        for char in partners
        for letter in letters
        if char.lower() != letter and re.fullmatch(f"(?i){re.escape(letter)}", char)
    }
    return re.compile("[" + "".join(re.escape(c) for c in sorted(odd)) + "]" if odd else "(?!)")


@functools.cache
def boilerplate_patterns() -> BoilerplatePatterns:
    """The patterns of `resources/boilerplate.json`, compiled once."""
    data = json.loads(
        resources.files("litkit.resources").joinpath("boilerplate.json").read_text("utf-8")
    )
    strong = _alternation(p for phrases in data["strong"].values() for p in phrases)
    weak = _alternation(p for phrases in data["weak"].values() for p in phrases)
    labels = _alternation(data["figure_labels"])
    button = f"(?:(?i:{strong})|(?:{weak})(?![ \\t]*[a-zà-öø-ÿœ]))"
    chrome = re.compile(
        f"(?:(?:{labels})[ \\t]*(?:[0-9]+[A-Za-z]?\\.?[ \\t]*)?)?{button}(?:[ \\t]*{button})*"
    )
    roots = _alternation(data["breadcrumb_roots"])
    separators = _alternation(data["breadcrumb_separators"])
    breadcrumb = re.compile(f"(?m)^[ \\t]*(?:{roots})[ \\t]*(?:{separators})[ \\t]*(?=\\S)")
    line_alternatives = "|".join(f"(?:{p.removeprefix('^')})" for p in data["line_patterns"])
    lines = re.compile(f"(?im)^[ \\t]*(?:{line_alternatives})[^\\n]*\\n?")
    buttons = [p for group in ("strong", "weak") for ps in data[group].values() for p in ps]
    keys = tuple(sorted({p.split()[0].lower() for p in buttons}))
    return BoilerplatePatterns(chrome, breadcrumb, lines, keys, tuple(data["figure_labels"]))


def _alternation(phrases: Iterable[str]) -> str:
    """Longest first, so `View larger image` wins over `View large`; spaces match runs."""
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace("\\ ", "[ \\t]+") for p in unique)


def is_ui_chrome(block: str) -> bool:
    """True when a block is nothing but figure-viewer buttons (for readers that see blocks)."""
    stripped = block.strip()
    match = boilerplate_patterns().chrome.fullmatch(stripped)
    return bool(stripped) and match is not None
