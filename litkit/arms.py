"""The arms of a comparative study, given to the results about "the groups".

A trial's results often compare "the two groups" without naming them ("no significant
difference between the groups", "La durée … était similaire", "差异无统计学意义"); the gold
guide gives each compared arm its own `no_difference` pair. The arms are the interventions
that the methods name in the sentences describing the trial (randomisation, placebo, control
group: the `trial_cues` of litkit/resources/roles/<lang>.json). Only a no-difference result
is given to every arm.

A result that favours one group ("higher in the observation group", "le groupe
expérimental", `观察组…高于对照组`) names the group by its role, not by its intervention; the
document says elsewhere what each group received ("观察组给予X", "the intervention group
received X"). `group_arms` reads that assignment once per document (the `arm_groups` of the
`outcome_direction` cues), and `with_group_arms` reads the role names of a result sentence
as mentions of the interventions of their group, so the usual attribution rules
(litkit.outcomes: comparisons, frames, polarity of measures) decide each pair.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from litkit.classify import language_rules
from litkit.cues import SUPPORTED_LANGS, CueHit, CueMatcher, load_cue_data, normalise
from litkit.models import Assessment, Mention, OutcomePair
from litkit.outcomes import TREATMENT_KINDS, attribute, summary
from litkit.sections import result_cues, section_words

ARMS_CUE = "outcome:arms"
GROUP_CUE = "outcome:group"
ROLES = ("treated", "control")
_CLAUSE = re.compile(r"[,;:.!?()\[\]，；：。！？（）]")


@dataclass(frozen=True)
class GroupArms:
    """The interventions a document assigns to its groups named by role: one mention per
    concept (its label and category), for the treated and the control groups."""

    treated: tuple[Mention, ...] = ()
    control: tuple[Mention, ...] = ()

    def of(self, role: str) -> tuple[Mention, ...]:
        return self.treated if role == "treated" else self.control


@cache
def _group_matcher(lang: str) -> CueMatcher:
    """The role names of trial groups in one language (`arm_groups` of the outcome cues)."""
    data = load_cue_data(lang if lang in SUPPORTED_LANGS else "en")
    groups = data["outcome_direction"].get("arm_groups", {})
    return CueMatcher(
        {role: groups.get(role, []) for role in (*ROLES, "reference")},
        ascii_boundaries=not data["word_boundaries"],
    )


def _group_hits(text: str, lang: str) -> tuple[str, list[CueHit]]:
    code = lang if lang in SUPPORTED_LANGS else "en"
    norm = normalise(text, language_rules(code).trad_to_simp)
    hits = _group_matcher(code).find(norm)
    return norm, [h for h in hits if h.category in ROLES]  # a reference is no group's name


def _clause(norm: str, pos: int) -> tuple[int, int]:
    """The clause around `pos`: between punctuation marks, parentheses included ("X
    (intervention group) or Y (control group)" gives each its own group)."""
    start = max((m.end() for m in _CLAUSE.finditer(norm, 0, pos)), default=0)
    found = _CLAUSE.search(norm, pos)
    return start, found.start() if found else len(norm)


def _group_of(norm: str, pos: int, hits: Sequence[CueHit]) -> str | None:
    """The role of the group an intervention at `pos` is given to: the last group named
    before it in its clause ("the control group received X"), else the first group named
    after it in the clause ("X (intervention group)")."""
    lo, hi = _clause(norm, pos)
    before = [h for h in hits if lo <= h.start < pos]
    if before:
        return before[-1].category
    if norm[hi : hi + 1] in ("(", "（"):  # "X (intervention group)": the bracket names it
        hi = _clause(norm, hi + 1)[1]
    after = [h for h in hits if pos <= h.start < hi]
    return after[0].category if after else None


def group_arms(
    texts: Sequence[str],
    langs: Sequence[str],
    offsets: Sequence[int],
    mentions: Sequence[Sequence[Mention]],
) -> GroupArms:
    """What each role-named group of the document received: for each role, the treatments of
    the first sentence that assigns that group any. The treated group keeps only what the
    control group did not also get (an add-on design), unless that leaves nothing (two doses
    of one drug); the control group keeps only what the treated group did not get."""
    found: dict[str, list[Mention]] = {}
    for text, lang, offset, named in zip(texts, langs, offsets, mentions, strict=True):
        if not any(m.category in TREATMENT_KINDS for m in named):
            continue
        norm, hits = _group_hits(text, lang)
        if not hits:
            continue
        here: dict[str, list[Mention]] = {}
        for mention in named:
            if mention.category not in TREATMENT_KINDS:
                continue
            role = _group_of(norm, mention.start - offset, hits)
            if role is None or role in found:
                continue
            if all(m.concept_id != mention.concept_id for m in here.get(role, ())):
                here.setdefault(role, []).append(mention)
        for role, given in here.items():
            found.setdefault(role, given)
    treated, control = found.get("treated", []), found.get("control", [])
    control_ids = {m.concept_id for m in control}
    treated_ids = {m.concept_id for m in treated}
    own = [m for m in treated if m.concept_id not in control_ids] or treated
    return GroupArms(
        treated=tuple(own), control=tuple(m for m in control if m.concept_id not in treated_ids)
    )


def with_group_arms(
    assessment: Assessment,
    text: str,
    lang: str,
    mentions: Sequence[Mention],
    offset: int,
    arms: GroupArms,
) -> Assessment:
    """An outcome sentence about role-named groups ("higher in the intervention group than
    in the control group") gets its pairs again, each group read as a mention of the
    interventions it received; the pairs those mentions decide carry `GROUP_CUE`."""
    if "outcome" not in assessment.types or not (arms.treated or arms.control):
        return assessment
    norm, hits = _group_hits(text, lang)
    extra = [
        Mention(
            m.concept_id,
            m.label,
            m.category,
            text[h.start : h.end],
            offset + h.start,
            offset + h.end,
        )
        for h in hits
        for m in arms.of(h.category)
    ]
    if not extra:
        return assessment
    named = {m.concept_id for m in mentions if m.category in TREATMENT_KINDS}
    every = sorted([*mentions, *extra], key=lambda m: (m.start, m.end))
    located = [(m, _span(m, norm, offset)) for m in every]
    by_group = {m.concept_id for m in extra} - named
    pairs = tuple(
        OutcomePair(
            p.treatment, p.direction, (*cues, GROUP_CUE) if p.treatment in by_group else cues
        )
        for p, cues in attribute(norm, lang, located)
    )
    return dataclasses.replace(assessment, outcomes=pairs, direction=summary(pairs))


def _span(mention: Mention, norm: str, offset: int) -> tuple[int, int] | None:
    start, end = mention.start - offset, mention.end - offset
    return (start, end) if 0 <= start < end <= len(norm) else None


def trial_arms(
    texts: Sequence[str],
    sections: Sequence[str | None],
    mentions: Sequence[Sequence[Mention]],
    cjk: Sequence[bool],
) -> tuple[str, ...]:
    """The concept ids of the interventions named where the methods describe the trial, in
    order of first mention; empty when the paper describes no trial."""
    words = section_words()
    arms: list[str] = []
    for text, section, found, is_cjk in zip(texts, sections, mentions, cjk, strict=True):
        if section != "methods":
            continue
        matcher = words.cjk if is_cjk else words.latin
        if not any(hit.category == "trial" for hit in matcher.find(normalise(text))):
            continue
        for mention in found:
            if mention.category in TREATMENT_KINDS and mention.concept_id not in arms:
                arms.append(mention.concept_id)
    return tuple(arms)


def with_arms(assessment: Assessment, arms: Sequence[str], text: str, lang: str) -> Assessment:
    """A no-difference result about unnamed groups becomes one pair per trial arm."""
    pairs = assessment.outcomes
    if not arms or len(pairs) != 1 or pairs[0].treatment or pairs[0].direction != "no_difference":
        return assessment
    if not result_cues(text, lang) & {"arm", "comparison"}:
        return assessment  # no groups compared: the course of the disease
    cues = (*pairs[0].cues, ARMS_CUE)
    found = tuple(OutcomePair(arm, "no_difference", cues) for arm in arms)
    return dataclasses.replace(assessment, outcomes=found, direction=summary(found))
