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
Words and patterns are data: litkit/resources/study/<lang>.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from litkit.cues import SUPPORTED_LANGS, normalise
from litkit.design import TEXT_WINDOW, family_of, feature_scores, resolve
from litkit.models import DocumentMeta

NO_PATIENT_FAMILIES = frozenset({"guideline", "drug_information", "patient_information"})
NO_PATIENT_DESIGNS = frozenset({"narrative_review"})
INCLUSION_SCORE = 2
TITLE_SCORE = 1
MAX_MODIFIERS = 3  # words allowed between a number and its noun ("412 mother/baby records")
CLAUSE_REACH = 600  # characters looked back for the start of a clause
CITATION_REACH = 12  # characters before a clause searched for "et al." that ended the last one
LABEL_LEAD = 3  # a year label must open its line (after at most this many characters)
LABEL_REACH = 160  # characters after a label searched for the year

_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?![\d.,]\d)|(?<![\d.,])\d+(?![.,]?\d)"
_YEAR = re.compile(r"(?<!\d)((?:18|19|20)\d{2})(?!\d)")
_N_EQUALS = re.compile(r"(?<![\w])n\s*=\s*(" + _DIGITS + ")")
_CLAUSE_END = re.compile(r"[.](?!\d)|[;!?。；！？\n]")
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

    count: re.Pattern[str]
    number_word: re.Pattern[str]
    numbers: dict[str, Any]
    chinese: bool
    labels: tuple[str, ...]
    year_patterns: tuple[re.Pattern[str], ...]


def study_facts(text: str, meta: DocumentMeta | None = None) -> StudyFacts:
    """Design, number of patients and year of a document (each None when the text is silent)."""
    meta = meta or DocumentMeta()
    family, design = family_of(text, meta)
    patients = None
    if family not in NO_PATIENT_FAMILIES and design not in NO_PATIENT_DESIGNS:
        patients = count_patients(text, meta.title, family=family)
    if family is not None and design is None:
        design = resolve(family, feature_scores(text, meta), patients)
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
    counts = [
        (match, _count_value(match, lang_rules(lang)))
        for lang in SUPPORTED_LANGS
        for match in lang_rules(lang).count.finditer(norm)
    ]
    counts += [(m, _digits(m.group(1))) for m in _N_EQUALS.finditer(norm)]
    shared = shared_rules()
    for match, count in counts:
        at = match.start()
        if count is None or at in found:
            continue
        before = norm[max(0, at - 30) : at]
        led_in = shared.inclusion_lead.search(before) is not None  # "a total of 412"
        if not led_in and (shared.denominator.search(before) or shared.partitive.search(before)):
            continue
        start, end = _clause_span(norm, at)
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

    inclusion: tuple[str, ...]
    inclusion_lead: re.Pattern[str]
    denominator: re.Pattern[str]
    partitive: re.Pattern[str]  # "4 of 5 patients": a denominator only after another number
    citation: tuple[str, ...]


@cache
def shared_rules() -> SharedRules:
    """Compile once the words every language's counts are judged by."""
    inclusion: list[str] = []
    denominators: list[str] = []
    partitives: list[str] = []
    citation: list[str] = []
    number_words: list[str] = []
    for lang in SUPPORTED_LANGS:
        data = load_study_data(lang)
        inclusion += [normalise(c) for c in data["inclusion"]]
        denominators += [normalise(c) for c in data.get("denominators", [])]
        partitives += [normalise(c) for c in data.get("partitives", [])]
        citation += [normalise(c) for c in data["citation"]]
        numbers = data["numbers"]
        number_words += [*numbers.get("units", {}), *numbers.get("tens", {})]
    number = rf"(?:\d+|{_bounded(number_words)})"
    return SharedRules(
        inclusion=tuple(dict.fromkeys(inclusion)),
        inclusion_lead=re.compile(rf"(?:{_bounded(inclusion)})\s*$"),
        denominator=re.compile(rf"(?:{_bounded(denominators)})\s*$"),
        partitive=re.compile(rf"{number}\s+(?:{_bounded(partitives)})\s*$"),
        citation=tuple(dict.fromkeys(citation)),
    )


def _bounded(words: list[str]) -> str:
    """An alternation of words, longest first, each starting at a word boundary if a word."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join((r"(?<!\w)" if w[0].isalnum() else "") + re.escape(w) for w in ordered)


def text_year(text: str) -> int | None:
    """The publication year a labelled citation or journal issue line of the text gives."""
    head = text[:TEXT_WINDOW]
    norm = normalise(head)
    for lang in SUPPORTED_LANGS:
        for pattern in lang_rules(lang).year_patterns:
            found = pattern.search(norm)
            if found:
                return int(found.group("year"))
    offset = 0
    for line in norm.splitlines(keepends=True):
        lead = len(line) - len(line.lstrip(" \t•*-–>"))
        for lang in SUPPORTED_LANGS:
            for label in lang_rules(lang).labels:
                at = line.find(label)
                if 0 <= at - lead <= LABEL_LEAD and at >= lead:
                    year = _YEAR.search(line, at + len(label), at + len(label) + LABEL_REACH)
                    if year:
                        return int(year.group(1))
        offset += len(line)
    return None


def _clause_span(text: str, at: int) -> tuple[int, int]:
    """[start, end) of the clause around offset `at`: between the sentence ends around it."""
    start = 0
    for end in _CLAUSE_END.finditer(text, max(0, at - CLAUSE_REACH), at):
        start = end.end()
    following = _CLAUSE_END.search(text, at)
    return start, following.start() if following else len(text)


def _count_value(match: re.Match[str], rules: LangRules) -> int | None:
    number = match.group("number")
    if rules.chinese:
        if match.group("measure") != "例" and match.group("noun") is None:
            return None
        return _digits(number) if number[0].isdigit() else _chinese_number(number, rules.numbers)
    if number[0].isdigit():
        return _digits(number)
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
    """The study words of a language (litkit/resources/study/<lang>.json)."""
    path = resources.files("litkit") / "resources" / "study" / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def lang_rules(lang: str) -> LangRules:
    """Compile once a language's count, denominator and year patterns."""
    data = load_study_data(lang)
    numbers = data["numbers"]
    chinese = "measures" in data
    nouns = _alternation(data["nouns"])
    if chinese:
        numeral = "[" + "".join([*numbers["digits"], *numbers["units"]]) + "]+"
        measures = _alternation(list(data["measures"]))
        window = int(data["noun_window"])
        count = re.compile(
            rf"(?P<number>{_DIGITS}|{numeral})\s*(?P<measure>{measures})"
            rf"(?:[^,，。；;:：、()（）]{{0,{window}}}?(?P<noun>{nouns}))?"
        )
    else:
        words = [*numbers["units"], *numbers["tens"], *numbers["hundred"], *numbers["thousand"]]
        word = rf"(?:{_alternation(words)})"
        joiner = rf"(?:[\s-]+(?:(?:{_alternation(numbers['joiners'])})[\s-]+)?)"
        number = rf"(?<![\w-])(?:{_DIGITS}|{word}(?:{joiner}{word})*)(?![\w-])"
        breakers = _alternation(data["breakers"])
        modifier = rf"(?!(?:{breakers})\b)[^\W\d][\w/'-]*"
        count = re.compile(
            rf"(?P<number>{number})\s+(?:{modifier}\s+){{0,{MAX_MODIFIERS}}}(?P<noun>{nouns})\b"
        )
    words = [*numbers.get("units", {}), *numbers.get("tens", {})]
    words += [*numbers.get("hundred", []), *numbers.get("thousand", [])]
    number_word = re.compile(rf"\b(?:{_alternation(words)})\b" if words else "$^")
    return LangRules(
        count=count,
        number_word=number_word,
        numbers=numbers,
        chinese=chinese,
        labels=tuple(normalise(c) for c in data["year_labels"]),
        year_patterns=tuple(re.compile(p) for p in data.get("year_patterns", [])),
    )
