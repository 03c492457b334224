"""Language of every sentence of one document, and of the document as a whole.

Sentences of one document are not independent, and general detectors flip short headings,
acronym lines ("Bilan : NFS, CRP, VS") and drug lists to random languages, so the detector here
works in steps, cheapest first, and never answers English for lack of evidence:

1. What does not vote is removed: de-identification placeholders ("[**Name**]", "<PERSON>",
   "XXXX", data in `litkit/resources/langid/deid.json`), tokens glued to digits ("s1", "T2",
   "5mg") and numbers. A very long sentence is sampled (three fixed windows), so a 5 MB line
   costs what 2,000 characters cost.
2. Script: a sentence whose letters are largely Han is `zh` whatever the script (traditional or
   simplified); kana, hangul, Cyrillic, Greek and Arabic give ja, ko, ru, el, ar.
3. Latin script, fast path: three or more function words with a clear majority (word and letter
   lists in `litkit/resources/langid/`, plus the `langid.json` of any language folder) are a
   confident label; most running sentences of a
   French or English article stop here.
4. Latin script, model: a character n-gram model (lingua, high-accuracy mode, restricted to the
   languages of `resources/langid/model.json`) names the language of everything else. Its
   answer is confident for a sentence of several words where it clearly prefers one language.
   A short sentence needs all five n-gram orders (the precise mode, 2 s and 170 MB to load),
   except where the document's fast-path sentences are in one language and the trigrams
   alone clearly name that same language: they only confirm what the document says.
5. Open set: where the model is unsure, or the words use letters outside its languages'
   alphabet, langdetect (seeded, so deterministic, on at most 1,000 characters) may name a
   language outside the model's set (Czech, Dutch, ...) when it is sure.
6. Context: sentences without a confident label (headings, names, numbers, acronym lists) take
   the language of their neighbours when both agree, else the document's main language: the
   character-weighted majority of the confident sentences, else `context` (a declared
   language), else the majority of the sentences' own unconfident guesses (so a one-sentence
   document is identified from its own text), else `und` (undetermined, ISO 639-2).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .languages import languages_with, own_data
from .limits import lifted_memory_ceiling
from .scripts import han_count

UNDETERMINED = "und"  # ISO 639-2 code for a document that gives no evidence and no hint
MIN_SHARE = 0.05  # a language with less of the characters is not listed as present
MIN_FUNCTION_WORDS = 3  # function words for the fast path: two ("es", "los") can mislead
MIN_VOTES = 1.5  # function-word votes needed for a confident fast-path label
MIN_MARGIN = 1.5  # the winner must have this many times the runner-up's votes
MIN_MODEL_WORDS = 4  # the model's label is confident only for a sentence of this many words
MIN_MODEL_RATIO = 2.0  # ...whose best language has this many times the runner-up's confidence
FALLBACK_MIN_WORDS = 6  # langdetect is only asked about sentences at least this long
FALLBACK_MIN_PROB = 0.95  # and its answer is only taken when it is this sure
FALLBACK_MAX_CHARS = 1000  # langdetect is as sure on 1,000 chars; 5 MB lines cost 10 s
SAMPLE_MAX_CHARS = 600  # longer sentences are judged on three windows of a third of this
RUN_ON_SAMPLE_CHARS = 200  # a run-on piece (segment.Span.run_on) is judged on its start
SHORT_TEXT_CHARS = 120  # below this the model needs all its n-gram orders (lingua's own limit)
PRIOR_SHARE = 0.8  # a document is in one language when that much of its fast-path text is
AGREEING_TRIGRAM_RATIO = 10.0  # trigrams confirm the document's language at this ratio
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
    """One sentence's own evidence: a label, and whether it is trusted without context.

    `pending` holds the words of a sentence too short (or too name-like) to ever be confident:
    the model is only asked about them when the document has no confident sentence at all,
    since only then does an unconfident guess change a result.
    """

    lang: str | None
    confident: bool
    pending: str | None = None


@dataclass(frozen=True)
class _Data:
    word_langs: dict[str, tuple[str, ...]]
    languages: tuple[str, ...]
    letter_langs: dict[str, frozenset[str]]
    model_languages: tuple[str, ...]
    foreign_letter: re.Pattern[str]  # a letter outside the model languages' alphabet
    placeholder: re.Pattern[str]  # a de-identification placeholder


@cache
def _data() -> _Data:
    """Load the word and letter lists, the model's languages and the placeholders once."""
    folder = resources.files("litkit") / "resources" / "langid"
    words = json.loads((folder / "stopwords.json").read_text(encoding="utf-8"))
    letters = json.loads((folder / "letters.json").read_text(encoding="utf-8"))
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    deid = json.loads((folder / "deid.json").read_text(encoding="utf-8"))
    for lang in languages_with("langid.json"):  # a language folder's own identifying words
        own = own_data(lang, "langid.json")
        words[lang] = sorted({*words.get(lang, []), *own.get("stopwords", [])})
        letters[lang] = sorted({*letters.get(lang, []), *own.get("letters", [])})
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
        model_languages=tuple(model["languages"]),
        foreign_letter=re.compile(f"[^\\W\\d_{re.escape(model['alphabet'])}]"),
        placeholder=re.compile("|".join(f"(?:{p})" for p in deid["patterns"])),
    )


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
    han = han_count(text)
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
    # The regex scans run only where their literal can occur (`in` tests cost far less).
    if "al" in text or "Al" in text or "AL" in text or "aL" in text:
        text = _ET_AL.sub(" ", text)
    if "'" in text or "’" in text:
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


# A Latin-script token with a digit in it ("s1", "T2", "5mg", "IL6"), or a number. Han
# characters glued to a number (收取20年) are words and stay.
_DIGIT_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]*\d[\dA-Za-z\u00c0-\u024f]*")
_ACRONYM = re.compile(r"^[^\W\d_]*[A-Z][^\W\d_]*$")


def sample(text: str) -> str:
    """The text itself, or three windows (start, middle, end) of a very long one.

    Why: a detector's cost grows with its input while its answer does not change after a few
    hundred characters; fixed windows keep the answer deterministic and the cost bounded.
    """
    if len(text) <= SAMPLE_MAX_CHARS:
        return text
    size = SAMPLE_MAX_CHARS // 3
    middle = (len(text) - size) // 2
    return " ".join(text[at : at + size] for at in (0, middle, len(text) - size))


def run_on_sample(text: str) -> str:
    """The start of a run-on piece, up to RUN_ON_SAMPLE_CHARS and cut at a space.

    Why: a line without sentence punctuation is cut into thousands of 2,000-character pieces
    of one text; three windows of each would cost 0.5 s per 5 MB for the same answer.
    """
    if len(text) <= RUN_ON_SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", 0, RUN_ON_SAMPLE_CHARS)
    return text[: cut if cut > 0 else RUN_ON_SAMPLE_CHARS]


def voting_text(text: str) -> str:
    """The text without what must not vote: placeholders, digit-glued tokens and numbers."""
    if (  # most sentences have none; `in` tests are the cheapest check (3x a regex search)
        "[" in text
        or "<" in text
        or "*" in text
        or "_" in text
        or "XXX" in text
        or "xxx" in text
        or "Xxx" in text
    ):
        text = _data().placeholder.sub(" ", text)
    if _DIGIT.search(text):
        text = _DIGIT_TOKEN.sub(" ", text)
    return text


# Every placeholder of resources/langid/deid.json contains "[", "<", "*", "_" or XXX/xxx/Xxx
# (test_voting_text_drops_placeholders has one placeholder of each kind).
_DIGIT = re.compile(r"\d")


def _content_words(text: str) -> list[str]:
    """Words that carry the language: no initials, no acronyms (IRM, NSAIDs stay out)."""
    words = []
    for word in _WORD.findall(text):
        if len(word) == 1 and not word.islower():
            continue  # an initial (J. Smith)
        if len(word) > 1 and word[:2].isupper():
            continue  # an acronym or a heading in capitals
        words.append(word)
    return words


def _fast_guess(text: str) -> tuple[_Guess | None, str]:
    """One sentence's own evidence without the model: (the script's or the function words'
    confident label, else None; the text that votes)."""
    text = voting_text(sample(text))
    script = _script_guess(text)
    if script:
        return _Guess(script, True), text
    votes = latin_votes(text)
    function_words = votes.pop("", 0.0)
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    if ranked and function_words >= MIN_FUNCTION_WORDS:
        best, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= MIN_VOTES and score >= MIN_MARGIN * runner_up:
            return _Guess(best, True), text
    return None, text


def _document_prior(guesses: Sequence[_Guess | None], texts: Sequence[str]) -> str | None:
    """The language of a document that is essentially in one language by its fast-path
    evidence: the label of at least PRIOR_SHARE of the confident characters, else None."""
    weights: Counter[str] = Counter()
    for guess, text in zip(guesses, texts, strict=True):
        if guess and guess.lang:
            weights[guess.lang] += len(text)
    if not weights:
        return None
    lang = _heaviest(weights)
    return lang if weights[lang] >= PRIOR_SHARE * sum(weights.values()) else None


def _model_guess(text: str, prior: str | None = None) -> _Guess:
    """The n-gram model's label, checked by the open-set fallback where the model is unsure.

    A short text needs every n-gram order (the precise mode, whose models cost 2 s and 170 MB
    to load) because trigrams alone mislead on it. Inside a document whose fast-path evidence
    is in one language (`prior`), the trigram answer is taken when it names that language
    with a ratio of at least AGREEING_TRIGRAM_RATIO: trigrams then confirm what the document
    already says. A short text where they disagree or hesitate, or any short text of a mixed
    or unknown document, still goes to the precise mode, so a short sentence in another
    language than the document's keeps its own label.
    """
    data = _data()
    words = _content_words(text)
    if not words:
        capitals = [w.lower() for w in _WORD.findall(text) if len(w) >= 4]
        # Acronyms, initials or nothing give no evidence; a heading in capitals may guess.
        return _Guess(None, False, " ".join(capitals) if len(capitals) >= 2 else None)
    # A line of capitalised words is names or a title: it guesses, it never decides.
    running = 2 * sum(word[0].islower() for word in words) >= len(words)
    if not running or len(words) < MIN_MODEL_WORDS:
        return _Guess(None, False, " ".join(words))
    model_text = " ".join(words)
    foreign = any(data.foreign_letter.search(word.lower()) for word in words)
    short = len(model_text) < SHORT_TEXT_CHARS
    if short and prior and not foreign:
        lang, ratio = _model_language(model_text, precise=False)
        if lang == prior and ratio >= AGREEING_TRIGRAM_RATIO:
            return _Guess(lang, True)
    lang, ratio = _model_language(model_text, precise=short)
    if ratio >= MIN_MODEL_RATIO and not foreign:
        return _Guess(lang, True)
    if len(words) >= FALLBACK_MIN_WORDS:
        other = _open_set_language(text, frozenset(data.model_languages))
        if other:
            return _Guess(other, True)
    return _Guess(lang, False)


def _resolve_pending(guesses: list[_Guess]) -> list[_Guess]:
    """Ask the model about the deferred sentences (a document without confident evidence)."""
    return [
        _Guess(_model_language(g.pending, precise=True)[0], False) if g.pending else g
        for g in guesses
    ]


def _model_language(text: str, precise: bool) -> tuple[str | None, float]:
    """(best language, its confidence over the runner-up's) according to the n-gram model.

    `precise` uses every n-gram order (1 to 5), which words, phrases and short sentences need
    (on trigrams alone "I sense a lot of duplication of effort." comes out French); a text of
    SHORT_TEXT_CHARS or more is as well judged on trigrams at a third of the cost.
    """
    key = (text, precise)
    known = _MODEL_MEMO.get(key)
    if known is not None:
        return known
    if precise not in _LOADED_MODES:
        load_models(precise)
    values = _detector(precise).compute_language_confidence_values(text)
    result: tuple[str | None, float] = (None, 0.0)
    if values and values[0].value > 0:
        best = values[0].value
        runner_up = values[1].value if len(values) > 1 else 0.0
        ratio = best / runner_up if runner_up > 0 else float("inf")
        result = (values[0].language.iso_code_639_1.name.lower(), ratio)
    if len(_MODEL_MEMO) < _MODEL_MEMO_LIMIT:
        _MODEL_MEMO[key] = result
    return result


# Documents of one source repeat lines (headings, figure chrome, affiliations, disclaimers) and
# the model's answer depends on the text alone: remember it, boundedly, per process.
_MODEL_MEMO: dict[tuple[str, bool], tuple[str | None, float]] = {}
_MODEL_MEMO_LIMIT = 20_000


@cache
def _detector(precise: bool) -> Any:
    """lingua restricted to the model languages, built once per process.

    Models load lazily, and the trigram models are shared by the two modes.
    """
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
        for code in _data().model_languages
    ]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder if precise else builder.with_low_accuracy_mode()).build()


def _open_set_language(text: str, known: frozenset[str]) -> str | None:
    """langdetect (seeded, so deterministic) for a sentence the model is unsure about.

    Only a confident answer outside the model's languages is taken: inside them, the model
    (trained on more text per language) is the better judge.
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
    """One language code per sentence of ONE document, in document order.

    ISO 639-1 codes, or `und` when the document gives no evidence at all (only numbers or
    acronyms) and `context` is not given. `context` is a declared language for the document
    (e.g. from its metadata); it is only used when no sentence gives confident evidence.
    """
    fast: dict[str, tuple[_Guess | None, str]] = {}  # repeats are judged once
    for text in texts:
        if text not in fast:
            fast[text] = _fast_guess(text)
    if all(guess for guess, _ in fast.values()):
        guesses = [fast[t][0] or _Guess(None, False) for t in texts]
    else:
        prior = _document_prior([fast[t][0] for t in texts], texts)
        known = {t: guess or _model_guess(voting, prior) for t, (guess, voting) in fast.items()}
        guesses = [known[t] for t in texts]
    if not context and not any(g.confident for g in guesses):
        guesses = _resolve_pending(guesses)
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
    """Confident sentences decide; else the declared language; else the unconfident guesses."""
    confident: Counter[str] = Counter()
    unsure: Counter[str] = Counter()
    for guess, text in zip(guesses, texts, strict=True):
        if guess.lang:
            (confident if guess.confident else unsure)[guess.lang] += len(text)
    if confident:
        return _heaviest(confident)
    if context:
        return context
    return _heaviest(unsure) if unsure else UNDETERMINED


def _heaviest(weights: Counter[str]) -> str:
    """The language with the most characters (ties: alphabetical, so deterministic)."""
    return sorted(weights.items(), key=lambda item: (-item[1], item[0]))[0][0]


def document_languages(langs: Sequence[str], lengths: Sequence[int]) -> tuple[str, tuple[str, ...]]:
    """(main language by character-weighted majority, sorted languages with a meaningful share)."""
    weights: Counter[str] = Counter()
    for lang, length in zip(langs, lengths, strict=True):
        weights[lang] += max(length, 0)
    total = sum(weights.values())
    if not total:
        return (langs[0] if langs else UNDETERMINED), tuple(sorted(set(langs)))
    main = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[0][0]
    present = {lang for lang, weight in weights.items() if weight / total >= MIN_SHARE}
    present.add(main)
    return main, tuple(sorted(present))


def load_models(precise: bool | None = None) -> None:
    """Load lingua's models for one mode (both when `precise` is None) now, outside any memory
    ceiling (`limits.lifted_memory_ceiling`).

    Why: under a memory ceiling (`ingest --max-memory`) an allocation that fails inside lingua
    (Rust) aborts the whole process instead of raising MemoryError. The models are loaded the
    first time a sentence needs them (most documents of running text never do), with the
    ceiling lifted for the load, and only for the mode that sentence needs: the trigram models
    of the low-accuracy mode (texts of SHORT_TEXT_CHARS or more) cost 0.15 s and 15 MB, all
    five n-gram orders of the precise mode 2 s and 170 MB; lingua's model cache is shared by
    both detectors. A short Latin-script text makes a mode consult every model language at
    every n-gram order it uses. Outputs are unchanged: lingua's answers do not depend on what
    was loaded before."""
    with lifted_memory_ceiling():
        for mode in (True, False) if precise is None else (precise,):
            if mode not in _LOADED_MODES:
                _detector(mode).compute_language_confidence_values("the patients were treated")
                _LOADED_MODES.add(mode)


_LOADED_MODES: set[bool] = set()  # the `precise` values whose models are loaded
