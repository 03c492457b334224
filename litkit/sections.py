"""The section a sentence sits in (methods, results), and what that says about its claims.

A structured paper says in its headings what its sentences are. The gold guide gives no type
to statements of a paper's methods, however much they name drugs and doses ("20 children
received IVIG 0.4 g/kg/day", "随机分为两组"), while the sentences of a results section report
what happened to the groups ("shorter ventilation in the PE group, p = 0.037"), i.e. outcomes,
even without an outcome verb. Section words and result cues are data, in
`roles.json` in each language folder (`section_kinds`, `result_cues`; litkit.languages).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from functools import cache

from litkit.cues import CueMatcher, normalise
from litkit.languages import languages, own_data
from litkit.models import Assessment
from litkit.roles import ROLE_LANGS, label_text
from litkit.scripts import has_han
from litkit.vocab import CLAIM_TYPES

SECTION_KINDS = ("aims", "methods", "results", "conclusions")
_HEADING_ROLES = frozenset({"heading", "title"})
_SENTENCE_ENDS = tuple(".!?。！？")
_TRAILING_NUMBER = re.compile(r"\s*(?:[(（\[]?\d{1,3}[)）\].]?)?\s*$")  # "… groups. (2)"
_LEADING_LABELS = re.compile(r"^(?:\s*[^\W\d][^:：.。]{0,30}[:：])+")
_STATISTIC = re.compile(
    r"\b[pP]\s*[<=>≤≥]\s*0?[.,·]\d|\(\s*[pP]\s*[<=>≤≥]|\bOR\b|\bRR\b|\bHR\b|\b95\s*%\s*CI|χ2|χ²"
)


@dataclasses.dataclass(frozen=True)
class SectionWords:
    """Heading labels of each section kind, and the cues of a reported result."""

    kinds: dict[str, str]  # normalised heading label -> kind
    aim_openers: tuple[str, ...]  # how a statement of aim begins ("to evaluate", "观察")
    aim_anywhere: tuple[str, ...]  # openers that make an aim in any section ("To assess …")
    latin: CueMatcher
    cjk: CueMatcher


@cache
def section_words() -> SectionWords:
    """Load the section words of every language once."""
    kinds: dict[str, str] = {}
    cues: dict[str, list[str]] = {"latin": [], "cjk": []}
    openers: list[str] = []
    anywhere: list[str] = []
    arms: dict[str, list[str]] = {"latin": [], "cjk": []}
    trials: dict[str, list[str]] = {"latin": [], "cjk": []}
    comparisons: dict[str, list[str]] = {"latin": [], "cjk": []}
    baselines: dict[str, list[str]] = {"latin": [], "cjk": []}
    for lang in ROLE_LANGS:
        data = own_data(lang, "roles.json")
        for kind, labels in data.get("section_kinds", {}).items():
            kinds.update((label.lower(), kind) for label in labels)
        script = "cjk" if languages()[lang].script == "han" else "latin"
        cues[script] += data.get("result_cues", [])
        arms[script] += data.get("arm_cues", [])
        trials[script] += data.get("trial_cues", [])
        comparisons[script] += data.get("comparison_cues", [])
        baselines[script] += data.get("baseline_cues", [])
        openers += [normalise(o) for o in data.get("aim_openers", [])]
        anywhere += [normalise(o) for o in data.get("aim_sentence_openers", [])]
    return SectionWords(
        kinds=kinds,
        aim_openers=tuple(openers),
        aim_anywhere=tuple(anywhere),
        latin=CueMatcher(
            {
                "result": cues["latin"],
                "arm": arms["latin"],
                "trial": trials["latin"],
                "comparison": comparisons["latin"],
                "baseline": baselines["latin"],
            }
        ),
        cjk=CueMatcher(
            {
                "result": cues["cjk"],
                "arm": arms["cjk"],
                "trial": trials["cjk"],
                "comparison": comparisons["cjk"],
                "baseline": baselines["cjk"],
            },
            ascii_boundaries=True,
        ),
    )


def segment_sections(texts: Sequence[str], roles: Sequence[str]) -> list[str | None]:
    """The kind of section each sentence is in: the kind of the last heading before it
    (None for a heading whose label is not a methods or results label, and before any)."""
    words = section_words()
    current: str | None = None
    sections: list[str | None] = []
    for text, role in zip(texts, roles, strict=True):
        if role in _HEADING_ROLES:
            current = words.kinds.get(label_text(text))
            sections.append(None)
            continue
        labels = _LEADING_LABELS.match(text)
        if labels:  # "RÉSULTATS: Quatre-vingt-trois…": the label opens a section here
            last = re.split(r"[:：]", labels.group(0).strip())[-2]
            current = words.kinds.get(label_text(last), current)
        sections.append(current)
    return sections


def comparative_study(texts: Sequence[str], sections: Sequence[str | None]) -> bool:
    """Does the paper compare arms (randomisation, placebo, control group named in its
    methods)? Then every result it reports is about the arms' interventions."""
    words = section_words()
    for text, section in zip(texts, sections, strict=True):
        if section == "methods":
            matcher = words.cjk if has_han(text) else words.latin
            if any(hit.category == "trial" for hit in matcher.find(normalise(text))):
                return True
    return False


def result_cues(text: str, lang: str) -> set[str]:
    """What the sentence shows of a reported result: "result" for a statistic (p-value, odds
    ratio, CI) or a result word ("shorter", "significantly", "差异", "有效率"), "arm" for
    the groups of a trial ("in the PE group", "组", "placebo"), "comparison" for a comparison
    ("no difference", "similaire"), "baseline" for the groups' characteristics before any
    treatment ("comparable age", "基线", "具有可比性"), which are no result. A bare percentage is
    no result either: case series describe their patients in percentages too."""
    matcher = section_words().cjk if lang == "zh" else section_words().latin
    found = {hit.category for hit in matcher.find(normalise(text))}
    if _STATISTIC.search(text):
        found.add("result")
    return found


def states_aim(text: str, section: str | None = "aims") -> bool:
    """Does the sentence open as a statement of aim? In an aims section a bare verb is
    enough ("观察…的疗效", "Évaluer…"); elsewhere only an unmistakable opener is
    ("To assess…", "Évaluer…", "探讨…")."""
    words = section_words()
    opened = normalise(text.lstrip()[:40])  # an opener is at the start: no need for the rest
    return opened.startswith(words.aim_openers if section == "aims" else words.aim_anywhere)


def in_section(
    assessment: Assessment, section: str | None, text: str, lang: str, comparative: bool = False
) -> Assessment:
    """Claim types as the section reads them: none in methods nor for a statement of aim;
    an outcome for a reported result in a results section (the groups' interventions make
    it a treatment claim too when they are named) and for a treatment judged in the
    conclusions. Only full sentences gain a type: an unpunctuated line is a label or title."""
    if assessment.types and (section == "methods" or states_aim(text, section)):
        return _cleared(assessment, f"section:{section or 'aim'}")
    if not _TRAILING_NUMBER.sub("", text.rstrip()[-12:]).endswith(_SENTENCE_ENDS):
        return assessment
    types = set(assessment.types)
    aim_of_treatment = any(cue.startswith("purpose:") for cue in assessment.cues)
    if section == "conclusions" and "treatment" in types and "outcome" not in types:
        if aim_of_treatment:  # "为了防止…, 尽量吻合2根静脉": a treatment's aim, no result
            return assessment
        return dataclasses.replace(  # a trial's conclusion judges its arms
            assessment,
            types=_with_outcome(assessment, set()),
            direction=assessment.direction or "uncertain",
            cues=(*assessment.cues, "section:conclusions"),
        )
    if section == "results" and assessment.types and "baseline" in result_cues(text, lang):
        return _cleared(assessment, "section:baseline")  # "groups had comparable age"
    evaluating = any(cue.startswith("evaluation:") for cue in assessment.cues)
    if section == "results" and not evaluating and not {"outcome", "treatment"} <= types:
        found = result_cues(text, lang)  # "were compared with 31 patients": a method
        if found & {"result", "comparison"} and "baseline" not in found:
            compares_arms = "arm" in found or (comparative and "comparison" in found)
            added = {"treatment"} if compares_arms else set()
            return dataclasses.replace(
                assessment,
                types=_with_outcome(assessment, added),
                direction=assessment.direction or "uncertain",
                cues=(*assessment.cues, "section:results"),
            )
    return assessment


def _cleared(assessment: Assessment, reason: str) -> Assessment:
    """No claim type (nor what goes with one), with the reason among the cues."""
    return dataclasses.replace(
        assessment, types=(), direction=None, outcomes=(), cues=(*assessment.cues, reason)
    )


def _with_outcome(assessment: Assessment, added: set[str]) -> tuple[str, ...]:
    """The types plus outcome (and `added`). As in classify, signs and tests in a sentence
    about a treatment's result are measures of the result, not diagnosis ("did not affect
    the markers"): diagnosis stays only when a diagnosis cue said it."""
    types = set(assessment.types) | added | {"outcome"}
    from_cue = any(cue.startswith("diagnosis:") for cue in assessment.cues)
    if "treatment" in types and not from_cue:
        types.discard("diagnosis")
    return tuple(t for t in CLAIM_TYPES if t in types)
