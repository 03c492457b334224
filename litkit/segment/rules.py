"""The segmenter's constants and the language data it is built from (abbreviations, starters,
connectors, labels), merged over every language folder and compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..languages import common_file, language_file, languages_with, read_json
from ..scripts import is_han

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
    # (kind, pattern, marks): a block holding none of `marks` has no match ("" = always scan)
    patterns: tuple[tuple[str, re.Pattern[str], str], ...]
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
    # the starters' first letters, checked before the alternation: most spaces precede none
    initials = "".join(re.escape(c) for c in sorted({w[0] for w in starters})) or "\\s\\S"
    loose_class = "".join(re.escape(b) for b in sorted(loose))
    closers = re.escape(_CLOSERS)
    # One simple pattern per kind: a single alternation costs ten times more per character.
    # Marks: a terminal or bullet pattern is skipped, after a few str.find, in a block without
    # its characters (each costs 0.06 s per 5 MB scanned, for nothing on a run-on line).
    patterns = (
        ("cjk", re.compile(rf"[{_CJK_TERMINALS}]+[{closers}]*"), _CJK_TERMINALS),
        # "? ? ?" and ". . ." are one mark each ("! ..." is split in _after_terminal); the
        # pattern opens with a character class, which re scans for quickly
        ("term", re.compile(rf"[.!?…]+(?:[ \t][.!?…]+)*[{closers}]*"), ".!?…"),
        ("bullet", re.compile(rf"\s[{loose_class}]"), "".join(sorted(loose))),
        # the capital after a lower-case letter: capitals are rarer than lower-case letters,
        # so `re` skips to them (3x faster than a lower-case letter before a capital)
        ("glue", re.compile(r"[A-ZÀ-ÖØ-Þ](?<=[a-zß-öø-ÿœ].)"), ""),
        ("capglue", re.compile(rf"[A-Z](?=(?:{glued}))"), ""),
        # only a space before a known starter is a candidate (checked in full later)
        ("space", re.compile(rf"[ \t](?=[{initials}])(?=(?:{any_starter}))"), ""),
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


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos
