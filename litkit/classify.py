"""Type the claims of one sentence: diagnosis / treatment / outcome, with assertion and attributes.

Rules, not a trained model: every decision comes from a cue listed in
litkit/resources/<lang>/cues.json (or common.json) or from a lexicon mention, and the cue
names are returned in `Assessment.cues`, so `litkit explain` can show why a sentence got its
types. Conventions follow the gold guide: titles, headings and statements of aims or methods
carry no type; presentation, sites and signs are diagnosis; generic treatment words are
treatment; normal or negative results are negated, absence of knowledge is not.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from litkit.assertion import assess_assertion
from litkit.cues import SUPPORTED_LANGS, CueHit, CueMatcher, load_common, load_cue_data, normalise
from litkit.design import detect_design
from litkit.models import Assessment, Mention, OutcomePair
from litkit.outcomes import CAUSING, PROGRESSION, attribute, summary
from litkit.vocab import CLAIM_TYPES

__all__ = ["CLAIM_TYPES", "assess", "detect_design"]


# What a lexicon mention's category says about the sentence; "disease" says nothing (the
# disease is named in background sentences as often as in claims).
# "finding" and "test" are diagnosis only when the sentence is not about a change after
# treatment: "pain decreased after the first infusion" is an outcome, "bone pain and fever" a
# presentation. A "site" (anatomy) is diagnosis only in a sentence about nothing else: "lesions
# of the clavicle" is a presentation, "premature fusion of the growth plate" a sequela.
MENTION_TYPES = {
    "treatment": "treatment",
    "drug_class": "treatment",
    "test": "test",
    "finding": "finding",
    "anatomy": "site",
    "outcome": "outcome",
}
_EVIDENCE_KINDS = (*CLAIM_TYPES, "finding", "test")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9-]+\b")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")
_HEADING_SPLIT = re.compile(r"[\s\d.:：()（）#►•>-]+")
_TERMINAL_CHARS = frozenset(".!?。！？;；")
_CLAUSE_END = re.compile(r"[,;:.!?，；：。！？]|\s(?:but|mais)\s|[但而]")
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to"}
    | {"with", "vs", "via", "de", "des", "du", "et", "la", "le", "les", "en"}
)


@dataclass(frozen=True)
class LanguageRules:
    """Everything compiled for one language: cue matcher, dose/duration regexes, char map.

    `topic_outcomes` maps a context ("knowledge", "evaluation") to the outcome cues that, in
    that context, name a subject of study rather than a result; `weak_mentions` are surface
    prefixes of lexicon findings too generic to type a sentence alone ("inflammatory").
    """

    lang: str
    matcher: CueMatcher
    dose: tuple[re.Pattern[str], ...]
    duration: tuple[re.Pattern[str], ...]
    trad_to_simp: dict[int, int]
    headings: frozenset[str]
    topic_outcomes: dict[str, frozenset[str]]
    topic_diagnoses: dict[str, frozenset[str]]
    weak_mentions: tuple[str, ...]
    # outcome cues that, in a definition, say what a disease is ("reversible")
    natures: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()  # "de", "l'", "of", "the"


@cache
def language_rules(lang: str) -> LanguageRules:
    """Compile (once per language) the content cues: types, targets, routes."""
    data: dict[str, Any] = load_cue_data(lang)
    common = load_common()
    groups: dict[str, list[str]] = {}
    for kind in _EVIDENCE_KINDS:
        groups[kind] = list(data["types"].get(kind, ())) + list(common["types"].get(kind, ()))
    groups["no_claim"] = data["no_claim"]
    groups["change"] = data.get("change", [])
    groups["mask"] = data.get("type_masks", [])
    groups["target"] = data["negation_targets"]
    groups["background"] = data.get("background", [])
    groups["purpose"] = data.get("purpose", [])
    groups["undergo"] = data.get("undergo", [])
    topics: dict[str, frozenset[str]] = {}
    topic_diagnoses: dict[str, frozenset[str]] = {}
    for context, spec in data.get("topic_contexts", {}).items():
        groups[f"context.{context}"] = spec["cues"]
        topics[context] = frozenset(spec["outcomes"])
        topic_diagnoses[context] = frozenset(spec.get("diagnoses", ()))
    for route, cues in data["route"].items():
        groups[f"route.{route}"] = cues
    matcher = CueMatcher(groups, ascii_boundaries=not data["word_boundaries"])
    pairs = data.get("trad_to_simp", "")
    trad = {ord(pairs[i]): ord(pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)}
    return LanguageRules(
        lang=data["lang"],
        matcher=matcher,
        dose=tuple(re.compile(p) for p in common["dose"]),
        duration=tuple(re.compile(p) for p in data["duration"]),
        trad_to_simp=trad,
        headings=frozenset(normalise(h) for h in data.get("headings", ())),
        topic_outcomes=topics,
        topic_diagnoses=topic_diagnoses,
        weak_mentions=tuple(normalise(w) for w in data.get("weak_mentions", ())),
        natures=frozenset(data.get("disease_natures", ())),
        function_words=frozenset(data.get("function_words", ())),
    )


def assess(
    text: str, lang: str, mentions: Sequence[Mention] = (), *, offset: int | None = None
) -> Assessment:
    """Classify one sentence of language `lang`.

    `mentions` are the lexicon mentions found in this sentence; `offset` is the sentence's
    start in the document (mention offsets are absolute), and when it is not given the
    mention is located by its surface text.
    """
    rules = language_rules(lang if lang in SUPPORTED_LANGS else "en")
    norm = normalise(text, rules.trad_to_simp)
    spans = [_mention_span(m, norm, offset) for m in mentions]
    disease = [sp for m, sp in zip(mentions, spans, strict=True) if sp and m.category == "disease"]
    by_category: dict[str, list[CueHit]] = {}
    for hit in rules.matcher.find(norm):
        if disease and any(s <= hit.start and hit.end <= e for s, e in disease):
            continue  # "recurrent" inside "chronic recurrent multifocal osteomyelitis"
        by_category.setdefault(hit.category, []).append(hit)
    code = rules.lang
    cues: list[str] = []
    found: set[str] = set()
    targets: list[tuple[int, int]] = []
    for kind in _EVIDENCE_KINDS:
        targets += [(h.start, h.end) for h in by_category.get(kind, ())]
    targets += [(h.start, h.end) for h in by_category.get("target", ())]
    targets += [sp for sp in spans if sp is not None]
    ignored = _discount(by_category, norm, rules, cues)
    placed: dict[str, list[tuple[int, int]]] = {}  # where each kind's evidence sits
    for kind in _EVIDENCE_KINDS:
        for hit in by_category.get(kind, ()):
            if kind == "diagnosis" and _changed_object(hit, by_category, norm, rules):
                continue  # "amélioration de l'atteinte": what changed, not a diagnosis
            if not ignored.covers(kind, hit.start, hit.end, hit.cue):
                found.add(kind)
                placed.setdefault(kind, []).append((hit.start, hit.end))
                cues.append(f"{kind}:{code}:{hit.cue}")
    test_names = [(h.start, h.end) for h in by_category.get("test", ())]
    for mention, span in zip(mentions, spans, strict=True):
        mention_kind = MENTION_TYPES.get(mention.category)
        if mention_kind is None:
            continue
        if span is not None and ignored.covers(mention_kind, *span, mention=True):
            continue
        if mention_kind == "treatment" and span is not None and _inside_longer(span, test_names):
            continue  # "créatine" in "créatine phosphokinase": a word of a test's name
        if mention_kind == "finding" and normalise(mention.surface).startswith(rules.weak_mentions):
            continue  # "inflammatory disease": the nature of a disease, not a sign of it
        found.add(mention_kind)
        if span is not None:
            placed.setdefault(mention_kind, []).append(span)
        cues.append(f"mention:{mention.category}")
    if _undergoes_procedure(by_category):
        found.add("treatment")
        cues.append(f"treatment:{code}:{by_category['undergo'][0].cue}")
    dose = _first_match(rules.dose, norm, text)
    if dose is not None and _lab_value(rules.dose, norm, by_category):
        dose = None
    if dose is not None:
        found.add("treatment")
        cues.append("treatment:dose")
    diagnosis_said = "diagnosis" in found  # by a diagnosis cue, not only by signs and tests
    if found & {"finding", "test"}:
        found -= {"finding", "test"}
        about_change = by_category.get("change") or {"treatment", "outcome"} <= found
        if not about_change:
            found.add("diagnosis")
    if "site" in found:
        found.discard("site")
        if not found:
            found.add("diagnosis")
    blocked = _no_claim_reason(text, norm, by_category.get("no_claim", ()), rules)
    if blocked is not None:
        cues.append(blocked)
        found.clear()
    assertion = assess_assertion(
        norm,
        lang,  # assertion_rules falls back to English unless the language has its own cues
        targets,
        original=text,
        # a negative outcome concept ("no response") keeps its cue; other names do not
        names=[sp for m, sp in zip(mentions, spans, strict=True) if sp and m.category != "outcome"],
    )
    cues.extend(assertion.cues)
    outcomes: tuple[OutcomePair, ...] = ()
    if "outcome" in found or "treatment" in found:
        outcomes = _outcomes(norm, code, mentions, spans)
        if "outcome" not in found and _reports_result(outcomes):
            found.add("outcome")  # "pain persisted despite naproxen": what a drug did
            cues.append("outcome:pair")
            if not diagnosis_said and _measures_of_result(norm, placed):
                found.discard("diagnosis")  # "did not affect the markers": the result's measure
    types = tuple(k for k in CLAIM_TYPES if k in found)
    treated = "treatment" in types
    if "outcome" not in types:
        outcomes = ()
    return Assessment(
        types=types,
        negated=assertion.negated,
        hedged=assertion.hedged,
        negated_spans=_shifted(assertion.negated_spans, offset),
        hedged_spans=_shifted(assertion.hedged_spans, offset),
        direction=summary(outcomes),
        outcomes=outcomes,
        dose=dose,
        route=_routes(by_category) if treated else None,
        duration=_first_match(rules.duration, norm, text) if treated else None,
        cues=tuple(dict.fromkeys(cues)),
    )


def _shifted(spans: Sequence[tuple[int, int]], offset: int | None) -> tuple[tuple[int, int], ...]:
    """Sentence offsets to document offsets (the sentence's start is `offset`, 0 if unknown)."""
    shift = offset or 0
    return tuple((start + shift, end + shift) for start, end in spans)


@dataclass
class _Ignored:
    """Stretches of a sentence whose cues do not count as evidence of a type, and why.

    `masked`: "recurrent episodes of pain", "at diagnosis", a disease name: no type there.
    `purposes`: "to relieve pain": an aim of a treatment names neither a result nor a sign.
    `background`: a definition, pathogenesis or affiliation sentence whose signs, lesions and
    sites describe the disease, not a patient (tests still count: they are diagnosis).
    `topics`: outcome cues that name a subject of study or knowledge ("efficacy" in "to
    assess the efficacy", "improved" in "knowledge has improved"), not a result.
    """

    masked: list[tuple[int, int]]
    purposes: list[tuple[int, int]]
    background: bool
    topics: frozenset[str]
    topic_diagnoses: frozenset[str] = frozenset()  # "knowledge of the manifestations"
    natures: frozenset[str] = frozenset()  # "a reversible cardiomyopathy": what it is

    def covers(
        self, kind: str, start: int, end: int, cue: str | None = None, *, mention: bool = False
    ) -> bool:
        # Most sentences have no mask and no purpose: test the lists before scanning them.
        if self.masked and any(s <= start and end <= e for s, e in self.masked):
            return True
        if (
            self.purposes
            and kind in _PURPOSE_KINDS
            and any(s <= start < e for s, e in self.purposes)
        ):
            return True
        if self.background and (kind in ("finding", "site") or (mention and kind == "outcome")):
            return True
        if self.background and kind == "outcome" and cue in self.natures:
            return True
        if kind == "outcome" and self.topics:
            return mention or cue in self.topics
        if kind == "diagnosis" and self.topic_diagnoses:
            return cue in self.topic_diagnoses
        return False


_PURPOSE_KINDS = frozenset({"finding", "test", "site", "outcome"})


def _discount(
    by_category: dict[str, list[CueHit]], norm: str, rules: LanguageRules, cues: list[str]
) -> _Ignored:
    """Which cue hits and mentions do not count, and why (the why goes into `cues`)."""
    masked = [(h.start, h.end) for h in by_category.get("mask", ())]
    masked += _procedure_targets(by_category, norm)
    purposes: list[tuple[int, int]] = []
    for hit in by_category.get("purpose", ()):
        cues.append(f"purpose:{rules.lang}:{hit.cue}")
        clause_end = _CLAUSE_END.search(norm, hit.end)
        purposes.append((hit.start, clause_end.start() if clause_end else len(norm)))
    # A diagnosis cue ("presents with", "sites") makes the signs of a background sentence count.
    # A masked diagnosis word ("increasingly diagnosed", "at diagnosis") says nothing of it.
    said = [
        h
        for h in by_category.get("diagnosis", ())
        if not any(s <= h.start and h.end <= e for s, e in masked)
    ]
    background = bool(by_category.get("background")) and not said
    if background:
        cues.append(f"background:{rules.lang}:{by_category['background'][0].cue}")
    topics: frozenset[str] = frozenset()
    diagnoses: frozenset[str] = frozenset()
    for context, outcomes in rules.topic_outcomes.items():
        hits = by_category.get(f"context.{context}")
        if hits:
            cues.append(f"{context}:{rules.lang}:{hits[0].cue}")
            topics |= outcomes
            diagnoses |= rules.topic_diagnoses.get(context, frozenset())
    return _Ignored(masked, purposes, background, topics, diagnoses, rules.natures)


def _procedure_targets(by_category: dict[str, list[CueHit]], norm: str) -> list[tuple[int, int]]:
    """Findings that a procedure is done on ("underwent resection of the hepatic lesions",
    "a subi l'exérèse des lésions"): after the verb, in its clause, they name the target of
    a treatment, not a sign that diagnoses. Not when the verb's object is a test
    ("underwent an MRI which showed lesions")."""
    spans = []
    tests = by_category.get("test", []) + by_category.get("diagnosis", [])
    for hit in by_category.get("undergo", ()):
        if any(0 <= t.start - hit.end <= 30 for t in tests):
            continue
        clause_end = _CLAUSE_END.search(norm, hit.end)
        end = clause_end.start() if clause_end else len(norm)
        spans += [
            (f.start, f.end)
            for f in by_category.get("finding", ())
            if hit.end <= f.start and f.end <= end
        ]
    return spans


def _lab_value(
    patterns: Sequence[re.Pattern[str]], norm: str, by_category: dict[str, list[CueHit]]
) -> bool:
    """Is the first dose-shaped amount a test's value ("血红蛋白:12g", "glucose 5 mmol")?
    An amount right after a test's name measures the patient, it is not a dose given."""
    for pattern in patterns:
        match = pattern.search(norm)
        if match:
            tests = by_category.get("test", [])
            return any(0 <= match.start() - t.end <= 3 for t in tests)
    return False


def _undergoes_procedure(by_category: dict[str, list[CueHit]]) -> bool:
    """ "underwent X" / "a subi X" is a treatment unless X is a test ("underwent an MRI",
    "a subi une biopsie"): the verb is shared by procedures and investigations."""
    for hit in by_category.get("undergo", ()):
        tests = by_category.get("test", []) + by_category.get("diagnosis", [])
        if not any(0 <= t.start - hit.end <= 30 for t in tests):
            return True
    return False


def _mention_span(mention: Mention, norm: str, offset: int | None) -> tuple[int, int] | None:
    if offset is not None:
        start, end = mention.start - offset, mention.end - offset
        if 0 <= start < end <= len(norm):
            return start, end
    at = norm.find(normalise(mention.surface))
    return (at, at + len(mention.surface)) if at >= 0 else None


def _no_claim_reason(
    text: str, norm: str, hits: Sequence[CueHit], rules: LanguageRules
) -> str | None:
    """Why a sentence carries no type whatever it names: aims, boilerplate, heading, title."""
    if hits:
        return f"no_claim:{rules.lang}:{hits[0].cue}"
    if _heading_text(text, norm) in rules.headings:
        return "no_claim:heading"
    if _opens_in_capitals(text):
        return "no_claim:capitals"
    if _looks_like_title(text):
        return "no_claim:title"
    if "et al" in norm and len(norm.split()) <= 8:
        return "no_claim:citation"
    return None


def _heading_text(text: str, norm: str) -> str:
    """A short line without numbering, acronyms, final colon: "1.1 CRMO 临床表现" -> "临床表现"."""
    if len(norm) > 60:
        return ""
    acronyms = {w.lower() for w in _ACRONYM.findall(text)}
    norm = _PINYIN.sub(" ", norm)
    words = [w for w in _HEADING_SPLIT.split(norm) if w and w not in acronyms]
    return " ".join(words)


def _measures_of_result(norm: str, placed: dict[str, list[tuple[int, int]]]) -> bool:
    """Do all the signs and tests of the sentence share a clause with a treatment? Then they
    measure what the treatment did ("antibiotics did not change the markers"); in a clause of
    their own they still diagnose ("…, and PCR did not find a germ")."""
    signs = placed.get("finding", []) + placed.get("test", [])
    treatments = placed.get("treatment", [])
    if not signs or not treatments:
        return False
    breaks = [m.start() for m in _CLAUSE_END.finditer(norm)]
    given = {bisect.bisect_left(breaks, start) for start, _ in treatments}
    return all(bisect.bisect_left(breaks, start) in given for start, _ in signs)


def _changed_object(
    hit: CueHit, by_category: dict[str, list[CueHit]], norm: str, rules: LanguageRules
) -> bool:
    """Is the diagnosis word the object of a change ("amélioration de l'atteinte",
    "improvement of the involvement")? Only function words stand between them."""
    for change in by_category.get("change", ()):
        if not 0 <= hit.start - change.end <= _OBJECT_GAP:
            continue
        gap = norm[change.end : hit.start].replace("’", "'")
        if _GAP_PUNCT.search(gap):
            continue  # "après amélioration, une biopsie": another clause
        if all(word in rules.function_words for word in _GAP_WORD.findall(gap)):
            return True
    return False


_OBJECT_GAP = 12  # characters: "de l'", "of the", "des"
_GAP_WORD = re.compile(r"\w+'|\w+")
_GAP_PUNCT = re.compile(r"[^\w\s']")


def _inside_longer(span: tuple[int, int], names: Sequence[tuple[int, int]]) -> bool:
    """Is `span` a strict part of one of the `names` spans?"""
    start, end = span
    return any(s <= start and end <= e and e - s > end - start for s, e in names)


def _opens_in_capitals(text: str) -> bool:
    """A numbered line or a question that opens with three words in capitals ("3. COMMENT
    PRENDRE …?", "4. POSSIBLE SIDE EFFECTS.") is a heading of a leaflet or a form, even with
    a final "?" or "."; a warning in capitals ("ALWAYS TAKE THIS MEDICINE AS …") is an
    instruction and keeps its type, and a run of short acronyms ("CRP ESR WBC") is no heading
    either, hence the length of the run."""
    words = _TITLE_WORD.findall(text[:80])[:3]
    if len(words) < 3 or sum(len(w) for w in words) < _CAPITALS_RUN:
        return False
    if not all(len(w) >= 2 and w.isupper() for w in words):
        return False
    head = text[: text.find(words[0])]
    if any(ch.isalpha() for ch in head):
        return False
    return any(ch.isdigit() for ch in head) or text.rstrip().endswith(("?", ":", "？", "："))


_CAPITALS_RUN = 10  # letters in the three opening words


def _looks_like_title(text: str) -> bool:
    """Title Case without a final full stop: "Bisphosphonate Treatment in Chronic ... CRMO"."""
    stripped = text.strip()
    if not stripped or stripped[-1] in _TERMINAL_CHARS:
        return False
    head, colon, tail = stripped.partition(": ")
    if colon and len(head.split()) <= 6 and tail[:1].isupper() and head[:1].isupper():
        return True  # "Ostéomyélite multifocale ...: Deux cas de ..."
    words = [w for w in _TITLE_WORD.findall(stripped) if w.lower() not in _MINOR_WORDS]
    if len(words) < 3:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.75


def _first_match(patterns: Sequence[re.Pattern[str]], norm: str, text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(norm)
        if match:
            return " ".join(text[match.start() : match.end()].split())
    return None


def _routes(by_category: dict[str, list[CueHit]]) -> str | None:
    found: list[tuple[int, str]] = []
    for category, hits in by_category.items():
        if category.startswith("route."):
            found.append((min(h.start for h in hits), category.removeprefix("route.")))
    return ", ".join(name for _, name in sorted(found)) or None


def _reports_result(outcomes: Sequence[OutcomePair]) -> bool:
    """A treatment sentence whose pairs say what a named treatment did (a direction word, not
    only a frame's default) reports an outcome even without an outcome type cue; so does a
    harm stated with a causing word ("digestive troubles may occur at the start of
    treatment") or a progression of the disease ("new metastases, which were treated with
    X"), even without a named treatment."""
    return any(
        (p.treatment or any(c.endswith(_CAUSED) or _PROGRESSED in c for c in p.cues))
        and p.direction != "uncertain"
        and any(c.split(":")[2] in _RESULT_CUES for c in p.cues if c.count(":") >= 3)
        for p in outcomes
    )


_CAUSED = f":{CAUSING}"
_PROGRESSED = f":{PROGRESSION}:"


_RESULT_CUES = frozenset(
    {
        "improved",
        "not_improved",
        "worsened",
        "no_difference",
        "refractory_to",
        "despite",
        "not",
        PROGRESSION,
        "measure",
    }
)


def with_outcome_pairs(
    assessment: Assessment,
    text: str,
    lang: str,
    mentions: Sequence[Mention] = (),
    *,
    offset: int | None = None,
) -> Assessment:
    """An outcome sentence always has pairs: a later step that makes a sentence an outcome
    (a result in a results section, litkit.sections) gets them here, from the same rules."""
    if "outcome" not in assessment.types or assessment.outcomes:
        return assessment
    rules = language_rules(lang if lang in SUPPORTED_LANGS else "en")
    norm = normalise(text, rules.trad_to_simp)
    spans = [_mention_span(m, norm, offset) for m in mentions]
    pairs = _outcomes(norm, rules.lang, mentions, spans)
    return replace(assessment, outcomes=pairs, direction=summary(pairs))


def _outcomes(
    norm: str, lang: str, mentions: Sequence[Mention], spans: Sequence[tuple[int, int] | None]
) -> tuple[OutcomePair, ...]:
    """The outcome pairs of an outcome sentence (litkit.outcomes), their cues kept per pair."""
    found = attribute(norm, lang, list(zip(mentions, spans, strict=True)))
    return tuple(OutcomePair(p.treatment, p.direction, cues) for p, cues in found)
