"""Study facts of a document: its design, how many patients it reports, and its year.

The number of patients is read from the title page and abstract: a number (digits with or
without thousands separators, number words, Chinese numerals) followed by a patient noun
("58 children", "Quatre-vingt-trois participants", "五例", "患者30例", "n = 120"). Counts in
the sentence that says who was included ("were enrolled", "ont été recrutés", "共纳入") win,
then the earliest; a count that is the whole a part is taken from ("4 of 5 patients",
"21 patients sur 305 906") and a count in a sentence about another study ("et al.", "等[8]")
are skipped. Reviews without a pooled analysis, guidelines and leaflets report no patients.

The year is the metadata's (readers take it from PubMed, JATS, HTML or a citation line);
otherwise a labelled publication or citation line of the text ("Published in the journal:",
"引用本文:", "© 2019") or a journal issue line ("2023年8期"), never any year the text mentions.
Words and patterns are data: `study.json` in each language folder (litkit.languages).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from litkit.cues import normalise
from litkit.design import TEXT_WINDOW, family_of, resolve
from litkit.languages import language_file, languages_with, read_json
from litkit.models import DocumentMeta

STUDY_LANGS = languages_with("study.json")
"""Languages with their own study words; all are applied to every document."""

NO_PATIENT_FAMILIES = frozenset({"guideline", "drug_information", "patient_information"})
NO_PATIENT_DESIGNS = frozenset({"narrative_review"})
INCLUSION_SCORE = 2
TITLE_SCORE = 1
MAX_MODIFIERS = 3  # words allowed between a number and its noun ("412 mother/baby records")
CITATION_REACH = 12  # characters before a clause searched for "et al." that ended the last one
NOT_SAMPLE_REACH = (25, 35)  # characters before a count and after its word for "screened"
NUMBER_REACH = 80  # characters before a counted word searched for its number
LABEL_LEAD = 3  # a year label must open its line (after at most this many characters)
LABEL_REACH = 160  # characters after a label searched for the year

_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?![\d.,]\d)|(?<![\d.,])\d+(?![.,]?\d)"
_YEAR = re.compile(r"(?<!\d)((?:18|19|20)\d{2})(?!\d)")
_N_EQUALS = re.compile(r"n(?<!\wn)\s*=\s*(" + _DIGITS + ")")  # literal first: fast scan
_CLAUSE_END = re.compile(r"[.](?!\d)|[;!?。；！？\n]")
_PHRASE_END = re.compile(r"[,，;；:：。]|\.(?!\d)")  # a count's context stops at its phrase
_REFERENCE = re.compile(r"\[\d+(?:\s*[-–,，]\s*\d+)*\]")


@dataclass(frozen=True)
class StudyFacts:
    """What a document says about its own study."""

    design: str | None = None
    patients: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A patient count found in the text, with how much it looks like the study's sample."""

    count: int
    score: int
    start: int


@dataclass(frozen=True)
class LangRules:
    """One language's compiled patterns for patient counts and year lines."""

    anchor: re.Pattern[str]  # what is counted: a patient noun, a count verb, a Chinese measure
    number_before: re.Pattern[str]  # the number that ends just before the anchor
    bare_before: re.Pattern[str]  # the same without words in between, for count verbs
    verbs: frozenset[str]
    noun_after: re.Pattern[str] | None  # Chinese 名/位 must be followed by a patient noun
    noun_measures: frozenset[str]
    number_word: re.Pattern[str]
    numbers: dict[str, Any]
    chinese: bool
    year_patterns: tuple[re.Pattern[str], ...]


def study_facts(text: str, meta: DocumentMeta | None = None) -> StudyFacts:
    """Design, number of patients and year of a document (each None when the text is silent)."""
    meta = meta or DocumentMeta()
    family, design, scores = family_of(text, meta)
    patients = None
    if family not in NO_PATIENT_FAMILIES and design not in NO_PATIENT_DESIGNS:
        patients = count_patients(text, meta.title, family=family)
    if family is not None and design is None:
        design = resolve(family, scores, patients)
    if design in NO_PATIENT_DESIGNS:
        patients = None
    if patients is None and design == "case_report":
        patients = 1  # a report of one case need not count its patient ("we present a patient")
    return StudyFacts(design=design, patients=patients, year=meta.year or text_year(text))


def count_patients(text: str, title: str | None = None, family: str | None = None) -> int | None:
    """The number of patients the study reports, or None.

    Without a design (`family` None) only a count in an inclusion sentence is trusted; a count
    of one is only a case report's."""
    candidates = [c for c in patient_candidates(text[:TEXT_WINDOW]) if c.count > 1]
    if title:
        candidates += [
            Candidate(c.count, c.score + TITLE_SCORE, -1)
            for c in patient_candidates(title)
            if c.count > 1
        ]
    if family is None:
        candidates = [c for c in candidates if c.score >= INCLUSION_SCORE]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.score, -c.start)).count


def patient_candidates(text: str) -> list[Candidate]:
    """Every patient count of a text in every supported language, scored.

    The text's language is not known here (abstracts come in two), so every language's count
    patterns run, and the inclusion, denominator and citation words of all apply."""
    norm = normalise(text)
    found: dict[int, Candidate] = {}
    counts = [hit for lang in STUDY_LANGS for hit in _counts(norm, lang_rules(lang))]
    counts += [(m.start(), m.end(), _digits(m.group(1))) for m in _N_EQUALS.finditer(norm)]
    shared = shared_rules()
    boundaries = [m.start() for m in _CLAUSE_END.finditer(norm)]
    for at, end_of_count, count in counts:
        if count is None or at in found:
            continue
        if _not_sample(norm, at, end_of_count, shared):  # "2345 patients were screened"
            continue
        before = norm[max(0, at - 40) : at].rstrip()
        led_in = _ending(before, shared.inclusion) is not None  # "a total of 412"
        if not led_in and (
            _ending(before, shared.denominators) is not None or _is_partitive(before, shared)
        ):
            continue
        start, end = _clause_span(boundaries, at, len(norm))
        clause = norm[start:end]
        cited = norm[max(0, start - CITATION_REACH) : end]  # "et al." ends the clause before
        if any(marker in cited for marker in shared.citation) or _REFERENCE.search(clause):
            continue
        included = led_in or any(cue in clause for cue in shared.inclusion)
        found[at] = Candidate(count, INCLUSION_SCORE if included else 0, at)
    return sorted(found.values(), key=lambda c: c.start)


@dataclass(frozen=True)
class SharedRules:
    """Inclusion, denominator and citation words of every language, for texts in any."""

    inclusion: tuple[str, ...]  # longest first, as every word list here
    denominators: tuple[str, ...]
    partitives: tuple[str, ...]  # "4 of 5 patients": a denominator only after another number
    number_words: frozenset[str]
    not_before: tuple[str, ...]  # words just before a count of people screened or excluded
    not_after: tuple[str, ...]
    citation: tuple[str, ...]
    year_label: re.Pattern[str]  # a publication or citation label that opens a line


@cache
def shared_rules() -> SharedRules:
    """Compile once the words every language's counts are judged by."""
    inclusion: list[str] = []
    denominators: list[str] = []
    partitives: list[str] = []
    citation: list[str] = []
    labels: list[str] = []
    not_before: list[str] = []
    not_after: list[str] = []
    number_words: list[str] = []
    for lang in STUDY_LANGS:
        data = load_study_data(lang)
        inclusion += [normalise(c) for c in data["inclusion"]]
        denominators += [normalise(c) for c in data.get("denominators", [])]
        partitives += [normalise(c) for c in data.get("partitives", [])]
        citation += [normalise(c) for c in data["citation"]]
        labels += [normalise(c) for c in data["year_labels"]]
        not_before += [normalise(c) for c in data.get("not_sample_before", [])]
        not_after += [normalise(c) for c in data.get("not_sample_after", [])]
        numbers = data["numbers"]
        number_words += [*numbers.get("units", {}), *numbers.get("tens", {})]
    return SharedRules(
        inclusion=_longest_first(inclusion),
        denominators=_longest_first(denominators),
        partitives=_longest_first(partitives),
        number_words=frozenset(number_words),
        not_before=_longest_first(not_before),
        not_after=_longest_first(not_after),
        citation=tuple(dict.fromkeys(citation)),
        year_label=re.compile(
            rf"^[ \t•*>–-]*.{{0,{LABEL_LEAD}}}?(?:{_bounded(labels)})", re.MULTILINE
        ),
    )


def _not_sample(norm: str, start: int, end: int, shared: SharedRules) -> bool:
    """Whether the count at [start, end) counts people screened or excluded, not included."""
    before = _PHRASE_END.split(norm[max(0, start - NOT_SAMPLE_REACH[0]) : start])[-1]
    after = _PHRASE_END.split(norm[end : end + NOT_SAMPLE_REACH[1]], maxsplit=1)[0]
    return any(w in before for w in shared.not_before) or any(w in after for w in shared.not_after)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


def _ending(text: str, words: tuple[str, ...]) -> str | None:
    """The word of `words` that `text` (right-stripped) ends with, as a whole word."""
    for word in words:
        if text.endswith(word):
            cut = len(text) - len(word)
            if cut == 0 or not word[0].isalnum() or not text[cut - 1].isalnum():
                return word
    return None


def _is_partitive(before: str, shared: SharedRules) -> bool:
    """Whether `before` ends with a number and a partitive word ("4 of", "trois des")."""
    word = _ending(before, shared.partitives)
    if word is None:
        return False
    tokens = before[: len(before) - len(word)].split()
    return bool(tokens) and (tokens[-1].isdigit() or tokens[-1] in shared.number_words)


def _bounded(words: list[str]) -> str:
    """An alternation of words, longest first, each starting at a word boundary if a word."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join((r"(?<!\w)" if w[0].isalnum() else "") + re.escape(w) for w in ordered)


def text_year(text: str) -> int | None:
    """The publication year a labelled citation or journal issue line of the text gives."""
    norm = normalise(text[:TEXT_WINDOW])
    for lang in STUDY_LANGS:
        for pattern in lang_rules(lang).year_patterns:
            found = pattern.search(norm)
            if found:
                return int(found.group("year"))
    for label in shared_rules().year_label.finditer(norm):
        line_end = norm.find("\n", label.end())
        end = min(label.end() + LABEL_REACH, line_end if line_end >= 0 else len(norm))
        year = _YEAR.search(norm, label.end(), end)
        if year:
            return int(year.group(1))
    return None


def _clause_span(boundaries: list[int], at: int, length: int) -> tuple[int, int]:
    """[start, end) of the clause around offset `at`, between the sentence ends around it
    (`boundaries`: offsets of the one-character sentence ends of the text, in order)."""
    index = bisect.bisect_right(boundaries, at)
    start = boundaries[index - 1] + 1 if index else 0
    return start, boundaries[index] if index < len(boundaries) else length


def _counts(norm: str, rules: LangRules) -> list[tuple[int, int, int | None]]:
    """(offset, end of the counted word, count) of each number counting patients in `norm`.

    The counted word is found first (a literal-led scan, fast), then the number just before it:
    a regex that may start anywhere would be tried at every offset of the text."""
    found: list[tuple[int, int, int | None]] = []
    for anchor in rules.anchor.finditer(norm):
        start, end = anchor.span()
        before = rules.bare_before if anchor.group() in rules.verbs else rules.number_before
        number = before.search(norm, max(0, start - NUMBER_REACH), start)
        if number is None:
            continue
        needs_noun = rules.noun_after is not None and anchor.group() in rules.noun_measures
        if needs_noun and not rules.noun_after.match(norm, end):  # type: ignore[union-attr]
            continue
        found.append((number.start(), end, _number_value(number.group("number"), rules)))
    return found


def _number_value(number: str, rules: LangRules) -> int | None:
    if number[0].isdigit():
        return _digits(number)
    if rules.chinese:
        return _chinese_number(number, rules.numbers)
    return _word_number(rules.number_word.findall(number), rules.numbers)


def _digits(number: str) -> int:
    return int(re.sub(r"\D", "", number))


def _word_number(tokens: list[str], numbers: dict[str, Any]) -> int | None:
    """A number written in words: "forty-one", "quatre-vingt-trois", "one hundred and two"."""
    total = current = 0
    for token in tokens:
        if token in numbers["units"]:
            current += numbers["units"][token]
        elif token in numbers["tens"]:
            current += numbers["tens"][token]
        elif token in numbers["hundred"]:
            current = max(current, 1) * 100
        elif token in numbers["thousand"]:
            total += max(current, 1) * 1000
            current = 0
    return total + current or None


def _chinese_number(text: str, numbers: dict[str, Any]) -> int | None:
    """A number in Chinese numerals: 五, 十二, 一百二十, 两千."""
    digits, units = numbers["digits"], numbers["units"]
    total = section = number = 0
    for char in text:
        if char in digits:
            number = digits[char]
        elif units.get(char, 0) >= 10000:
            total += (section + number) * units[char]
            section = number = 0
        elif char in units:
            section += (number or 1) * units[char]
            number = 0
    return total + section + number or None


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def load_study_data(lang: str) -> dict[str, Any]:
    """The study words of a language (`study.json` of its folder, else its fallback's)."""
    path = language_file(lang, "study.json")
    return read_json(path) if path else {}


@cache
def lang_rules(lang: str) -> LangRules:
    """Compile once a language's count, denominator and year patterns."""
    data = load_study_data(lang)
    numbers = data["numbers"]
    chinese = "measures" in data
    nouns = _alternation(data["nouns"])
    noun_after = None
    noun_measures: frozenset[str] = frozenset()
    if chinese:
        numeral = "[" + "".join([*numbers["digits"], *numbers["units"]]) + "]+"
        anchor = re.compile(_alternation(list(data["measures"])))
        number_before = re.compile(rf"(?P<number>{_DIGITS}|{numeral})\s*\Z")
        bare_before = number_before
        window = int(data["noun_window"])
        noun_after = re.compile(rf"[^,，。；;:：、()（）]{{0,{window}}}?(?:{nouns})")
        noun_measures = frozenset(m for m, needs_noun in data["measures"].items() if needs_noun)
    else:
        words = [*numbers["units"], *numbers["tens"], *numbers["hundred"], *numbers["thousand"]]
        word = rf"(?:{_alternation(words)})"
        joiner = rf"(?:[\s-]+(?:(?:{_alternation(numbers['joiners'])})[\s-]+)?)"
        number = rf"(?<![\w-])(?:{_DIGITS}|{word}(?:{joiner}{word})*)(?![\w-])"
        breakers = _alternation(data["breakers"])
        modifier = rf"(?!(?:{breakers})\b)[^\W\d][\w/'-]*"
        anchor = re.compile(rf"(?<![\w-])(?:{_alternation(data['count_verbs'])}|{nouns})(?![\w-])")
        number_before = re.compile(
            rf"(?P<number>{number})\s+(?:{modifier}\s+){{0,{MAX_MODIFIERS}}}\Z"
        )
        bare_before = re.compile(rf"(?P<number>{number})\s+\Z")
    words = [*numbers.get("units", {}), *numbers.get("tens", {})]
    words += [*numbers.get("hundred", []), *numbers.get("thousand", [])]
    number_word = re.compile(rf"\b(?:{_alternation(words)})\b" if words else "$^")
    return LangRules(
        anchor=anchor,
        number_before=number_before,
        bare_before=bare_before,
        verbs=frozenset(normalise(v) for v in data.get("count_verbs", [])),
        noun_after=noun_after,
        noun_measures=noun_measures,
        number_word=number_word,
        numbers=numbers,
        chinese=chinese,
        year_patterns=tuple(re.compile(p) for p in data.get("year_patterns", [])),
    )
