"""Language of every sentence of one document, and of the document as a whole.

Why not one off-the-shelf detector: measured on the dev gold set (benchmarks/langid_compare.py),
general detectors flip short headings, acronym lines ("Bilan : NFS, CRP, VS") and drug lists
to random languages, call short Chinese Korean (langdetect) or cost 95 MB (lingua). Sentences of
one document are not independent, so the detector here works in three steps:

1. Script: a sentence whose letters are largely Han is `zh` whatever the script (traditional or
   simplified); kana, hangul, Cyrillic, Greek and Arabic give ja, ko, ru, el, ar.
2. Latin script: function words and language-specific letters (data in
   `litkit/resources/langid/`) vote. A clear vote is a confident label; a long sentence without a
   clear vote goes to langdetect (seeded, so deterministic), the open-set fallback.
3. Context: sentences without a confident label (headings, names, numbers, acronym lists) take
   the language of their neighbours when both agree, else the document's main language, which
   is the character-weighted majority of the confident sentences (or `context`, a declared
   language, when nothing is confident).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFAULT_LANGUAGE = "en"  # when a document gives no evidence at all and no hint
MIN_SHARE = 0.05  # a language with less of the characters is not listed as present
MIN_FUNCTION_WORDS = 2  # letters alone (a line of names) never make a confident label
MIN_VOTES = 1.5  # function-word votes needed for a confident Latin-script label
MIN_MARGIN = 1.5  # the winner must have this many times the runner-up's votes
FALLBACK_MIN_WORDS = 8  # langdetect is only asked about sentences at least this long
FALLBACK_MIN_PROB = 0.95  # and its answer is only taken when it is this sure
FALLBACK_MAX_CHARS = 1000  # langdetect is as sure on 1,000 chars; 5 MB lines cost 10 s
HAN_SHARE = 0.3  # Han characters / (Han + Latin letters / 2) above which a sentence is zh

_WORD = re.compile(r"[^\W\d_]+")
_ELISION = re.compile(r"\b(?:[ldnsjcm]|qu)[’'](?=[^\W\d_])", re.IGNORECASE)
_ET_AL = re.compile(r"\bet\s+al\b\.?", re.IGNORECASE)
_SCRIPTS = (
    ("zh", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))),
    ("ja", ((0x3040, 0x30FF),)),
    ("ko", ((0xAC00, 0xD7AF), (0x1100, 0x11FF))),
    ("ru", ((0x0400, 0x04FF),)),
    ("el", ((0x0370, 0x03FF),)),
    ("ar", ((0x0600, 0x06FF),)),
)


@dataclass(frozen=True)
class _Guess:
    """One sentence's own evidence: a label, and whether it is trusted without context."""

    lang: str | None
    confident: bool


@dataclass(frozen=True)
class _Data:
    word_langs: dict[str, tuple[str, ...]]
    languages: tuple[str, ...]
    letter_langs: dict[str, frozenset[str]]


@cache
def _data() -> _Data:
    """Load the word and letter lists once."""
    folder = resources.files("litkit") / "resources" / "langid"
    words = json.loads((folder / "stopwords.json").read_text(encoding="utf-8"))
    letters = json.loads((folder / "letters.json").read_text(encoding="utf-8"))
    word_langs: dict[str, list[str]] = defaultdict(list)
    for lang, items in sorted(words.items()):
        if isinstance(items, list):
            for word in items:
                word_langs[word].append(lang)
    letter_langs: dict[str, set[str]] = defaultdict(set)
    for lang, items in sorted(letters.items()):
        if isinstance(items, list):
            for letter in items:
                letter_langs[letter].add(lang)
    return _Data(
        word_langs={w: tuple(langs) for w, langs in word_langs.items()},
        languages=tuple(sorted(k for k, v in words.items() if isinstance(v, list))),
        letter_langs={c: frozenset(langs) for c, langs in letter_langs.items()},
    )


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_OTHER_SCRIPT = re.compile(
    r"[\u0370-\u03ff\u0400-\u04ff\u0600-\u06ff\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff]"
)


def _script_of(char: str) -> str | None:
    code = ord(char)
    for lang, ranges in _SCRIPTS:
        if any(lo <= code <= hi for lo, hi in ranges):
            return lang
    return None


def _script_guess(text: str) -> str | None:
    """zh/ja/ko/ru/el/ar when that script carries the sentence, else None (Latin or nothing)."""
    if text.isascii():
        return None
    han = len(_HAN.findall(text))
    others = Counter(_script_of(c) for c in _OTHER_SCRIPT.findall(text))
    if not han and not others:
        return None
    latin = len(_LATIN.findall(text))
    if others["ja"]:
        return "ja"  # kana only occur in Japanese, which also uses Han characters
    if han >= sum(others.values()):
        return "zh" if han / (han + latin / 2) >= HAN_SHARE else None
    lang, count = others.most_common(1)[0]
    return lang if lang and count >= latin else None


def latin_votes(text: str) -> dict[str, float]:
    """Function-word and special-letter votes per language for a Latin-script sentence.

    The key "" holds the number of function words seen: letters alone (a line of Czech or
    German names) are never enough for a confident label.
    """
    votes: dict[str, float] = defaultdict(float)
    text = _ET_AL.sub(" ", text)
    for _ in _ELISION.finditer(text):
        votes["fr"] += 0.75  # l’, d’, qu’: French, sometimes Italian
        votes["it"] += 0.25
    memo = _WORD_VOTES
    for word in _WORD.findall(text):
        shares = memo.get(word)
        if shares is None:
            shares = _word_votes(word, _data())
            if len(memo) < _WORD_VOTES_LIMIT:
                memo[word] = shares
        for lang, share in shares:
            votes[lang] += share
    return votes


# A word's votes depend on the word alone, and the same few thousand words make most sentences:
# remember them (the additions are replayed in the same order, so the sums are bit-identical).
_WORD_VOTES: dict[str, tuple[tuple[str, float], ...]] = {}
_WORD_VOTES_LIMIT = 100_000


def _word_votes(word: str, data: _Data) -> tuple[tuple[str, float], ...]:
    """The (language, share) additions one word makes to latin_votes, in order."""
    if len(word) == 1 and word.isupper():
        return ()  # an initial (J. Smith), not the article or preposition
    word = word.lower()
    shares: list[tuple[str, float]] = []
    langs = data.word_langs.get(word)
    if langs:
        shares.append(("", 1))
        share = 1.0 / len(langs)
        shares.extend((lang, share) for lang in langs)
    if word.isascii():
        return tuple(shares)
    special: frozenset[str] | None = None
    for char in word:
        letter_langs = data.letter_langs.get(char)
        if letter_langs:
            special = letter_langs if special is None else (special & letter_langs or special)
    if special:
        share = 1.0 / len(special)
        shares.extend((lang, share) for lang in special)
    return tuple(shares)


def _guess(text: str) -> _Guess:
    script = _script_guess(text)
    if script:
        return _Guess(script, True)
    votes = latin_votes(text)
    function_words = votes.pop("", 0.0)
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    if ranked and function_words >= MIN_FUNCTION_WORDS:
        best, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= MIN_VOTES and score >= MIN_MARGIN * runner_up:
            return _Guess(best, True)
    if not function_words and len(_WORD.findall(text)) >= FALLBACK_MIN_WORDS:
        fallback = _open_set_language(text, frozenset(_data().languages))
        if fallback:
            return _Guess(fallback, True)
    return _Guess(ranked[0][0] if ranked else None, False)


def _open_set_language(text: str, known: frozenset[str]) -> str | None:
    """langdetect (seeded, so deterministic) for a long sentence none of our word lists knows.

    Only a confident answer outside the languages the word lists cover is taken: inside them,
    the absence of any function word means names or acronyms, not a language.
    """
    try:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError:  # pragma: no cover - langdetect is a declared dependency
        return None
    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text[:FALLBACK_MAX_CHARS])  # cost grows with length
    except LangDetectException:
        return None
    if not ranked or ranked[0].prob < FALLBACK_MIN_PROB:
        return None
    code = ranked[0].lang
    code = "zh" if code.startswith("zh") else code.split("-")[0]
    return None if code in known else code


def detect_languages(texts: Sequence[str], context: str | None = None) -> list[str]:
    """One ISO 639-1 code per sentence of ONE document, in document order.

    `context` is a declared language for the document (e.g. from its metadata); it is only used
    when no sentence gives confident evidence of its own.
    """
    guesses = [_guess(text) for text in texts]
    main = _main_language(guesses, texts, context)
    confident = [g.lang if g.confident else None for g in guesses]
    previous = _last_seen(confident)
    following = _last_seen(confident[::-1])[::-1]
    result = []
    for index, guess in enumerate(guesses):
        if guess.confident and guess.lang:
            result.append(guess.lang)
        elif previous[index] and previous[index] == following[index]:
            result.append(previous[index] or main)
        else:
            result.append(main)
    return result


def _last_seen(labels: list[str | None]) -> list[str | None]:
    """For each position, the closest confident label strictly before it."""
    seen: list[str | None] = []
    last: str | None = None
    for label in labels:
        seen.append(last)
        if label:
            last = label
    return seen


def _main_language(guesses: list[_Guess], texts: Sequence[str], context: str | None) -> str:
    weights: Counter[str] = Counter()
    for guess, text in zip(guesses, texts, strict=True):
        if guess.confident and guess.lang:
            weights[guess.lang] += len(text)
    if weights:
        return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[0][0]
    return context or DEFAULT_LANGUAGE


def document_languages(langs: Sequence[str], lengths: Sequence[int]) -> tuple[str, tuple[str, ...]]:
    """(main language by character-weighted majority, sorted languages with a meaningful share)."""
    weights: Counter[str] = Counter()
    for lang, length in zip(langs, lengths, strict=True):
        weights[lang] += max(length, 0)
    total = sum(weights.values())
    if not total:
        return (langs[0] if langs else DEFAULT_LANGUAGE), tuple(sorted(set(langs)))
    main = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[0][0]
    present = {lang for lang, weight in weights.items() if weight / total >= MIN_SHARE}
    present.add(main)
    return main, tuple(sorted(present))
