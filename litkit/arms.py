"""The arms of a comparative study, given to the results about "the groups".

A trial's results often compare "the two groups" without naming them ("no significant
difference between the groups", "La durée … était similaire", "差异无统计学意义"); the gold
guide gives each compared arm its own `no_difference` pair. The arms are the interventions
that the methods name in the sentences describing the trial (randomisation, placebo, control
group: the `trial_cues` of litkit/resources/<lang>/roles.json). Only a no-difference result
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
from litkit.outcomes import TREATMENT_KINDS, attribute, outcome_rules, summary
from litkit.sections import result_cues, section_words
from litkit.vocab import CONFIDENT_DIRECTIONS

ARMS_CUE = "outcome:arms"
GROUP_CUE = "outcome:group"
ROLES = ("treated", "control")
_CHUNK = re.compile(r"[;!?；。！？]|\.(?!\d)")


@dataclass(frozen=True)
class GroupArms:
    """The groups of a document and what each received: `groups` maps a group key (a role,
    "treated" / "control", or "label:<x>" for a lettered group) to one mention per concept
    (its label and category); `named` lists the concept ids of the groups named by their
    intervention ("the IVIG group"), in order of first mention."""

    groups: tuple[tuple[str, tuple[Mention, ...]], ...] = ()
    named: tuple[str, ...] = ()

    def of(self, key: str) -> tuple[Mention, ...]:
        return next((given for k, given in self.groups if k == key), ())

    def arms(self) -> tuple[str, ...]:
        """Every intervention some group received, named groups first."""
        found = list(self.named)
        for _, given in self.groups:
            found += [m.concept_id for m in given if m.concept_id not in found]
        return tuple(found)


@dataclass(frozen=True)
class _GroupWords:
    matcher: CueMatcher
    labels: tuple[re.Pattern[str], ...]
    words: frozenset[str]
    cjk: bool


@cache
def _group_words(lang: str) -> _GroupWords:
    """The group words of one language (`arm_groups` of the outcome cues): role names,
    label patterns, the word "group" itself and the phrases for all the groups."""
    data = load_cue_data(lang if lang in SUPPORTED_LANGS else "en")
    groups = data["outcome_direction"].get("arm_groups", {})
    cjk = not data["word_boundaries"]
    matcher = CueMatcher(
        {key: groups.get(key, []) for key in (*ROLES, "reference", "all_groups")},
        ascii_boundaries=cjk,
    )
    labels = tuple(re.compile(p) for p in groups.get("labels", ()))
    return _GroupWords(matcher, labels, frozenset(groups.get("group_words", ())), cjk)


def _group_hits(text: str, lang: str) -> tuple[str, list[CueHit]]:
    """The sentence normalised, and its group names: roles ("the control group") and
    labels ("group B", `B组`, category "label:b"), in order."""
    code = lang if lang in SUPPORTED_LANGS else "en"
    norm = normalise(text, language_rules(code).trad_to_simp)
    words = _group_words(code)
    hits = [h for h in words.matcher.find(norm) if h.category in ROLES]
    for pattern in words.labels:  # on the text itself: a label is a capital ("group A")
        for match in pattern.finditer(text):
            key = f"label:{match.group(1).lower()}"
            hits.append(CueHit(key, match.group(), match.start(), match.end()))
    return norm, sorted(hits, key=lambda h: h.start)


def _chunk(norm: str, pos: int) -> tuple[int, int]:
    """The stretch around `pos` between strong punctuation (";", ".", `。`)."""
    start = max((m.end() for m in _CHUNK.finditer(norm, 0, pos)), default=0)
    found = _CHUNK.search(norm, pos)
    return start, found.start() if found else len(norm)


def _group_of(norm: str, span: tuple[int, int], hits: Sequence[CueHit]) -> str | None:
    """The group an intervention at `span` is given to: the group in a bracket right after
    it ("X (intervention group)"), else the last group named before it in its stretch ("the
    control group received X", `B组:X`), else the first named after it there."""
    lo, hi = _chunk(norm, span[0])
    rest = norm[span[1] : hi].lstrip()
    if rest[:1] in ("(", "（"):
        close = min((i for i in (rest.find(")"), rest.find("）")) if i > 0), default=len(rest))
        at = hi - len(norm[span[1] : hi].lstrip())
        inside = [h for h in hits if at <= h.start < at + close]
        if inside:
            return inside[0].category
    before = [h for h in hits if lo <= h.start < span[0]]
    if before:
        return before[-1].category
    after = [h for h in hits if span[1] <= h.start < hi]
    return after[0].category if after else None


def _names_group(norm: str, span: tuple[int, int], words: _GroupWords) -> bool:
    """Is the treatment at `span` the name of a group ("the PE group", "groupe sucrose",
    `SCBT 组`): the word "group" right after it, or right before it."""
    after = norm[span[1] :].lstrip()
    before = norm[: span[0]].rstrip()
    if words.cjk:
        return any(after.startswith(w) for w in words.words)
    next_word = after.split(maxsplit=1)[0] if after else ""
    last_word = before.rsplit(maxsplit=1)[-1] if before else ""
    return next_word.strip(".,;:()") in words.words or last_word in words.words


def group_arms(
    texts: Sequence[str],
    langs: Sequence[str],
    offsets: Sequence[int],
    mentions: Sequence[Sequence[Mention]],
) -> GroupArms:
    """What each group of the document received: for each group, the treatments of the
    first sentence that gives that group any. What every group received alike (the
    background therapy of an add-on design) is left out of each, unless that leaves a
    treated group nothing (two doses of one drug); a control group then names nothing."""
    found: dict[str, list[Mention]] = {}
    named: list[str] = []
    for text, lang, offset, given in zip(texts, langs, offsets, mentions, strict=True):
        treatments = [m for m in given if m.category in TREATMENT_KINDS]
        if not treatments:
            continue
        norm, hits = _group_hits(text, lang)
        words = _group_words(lang if lang in SUPPORTED_LANGS else "en")
        here: dict[str, list[Mention]] = {}
        for mention in treatments:
            span = (mention.start - offset, mention.end - offset)
            if _names_group(norm, span, words) and mention.concept_id not in named:
                named.append(mention.concept_id)
            key = _group_of(norm, span, hits) if hits else None
            if key is None or key in found:
                continue
            if all(m.concept_id != mention.concept_id for m in here.get(key, ())):
                here.setdefault(key, []).append(mention)
        for key, assigned in here.items():
            found.setdefault(key, assigned)
    shared: set[str] = set()
    if len(found) >= 2:
        shared = set.intersection(*({m.concept_id for m in g} for g in found.values()))
    groups = []
    for key, assigned in found.items():
        own = [m for m in assigned if m.concept_id not in shared]
        if not own and key != "control":
            own = assigned
        if own:
            groups.append((key, tuple(own)))
    return GroupArms(groups=tuple(groups), named=tuple(named))


def with_group_arms(
    assessment: Assessment,
    text: str,
    lang: str,
    mentions: Sequence[Mention],
    offset: int,
    arms: GroupArms,
) -> Assessment:
    """An outcome sentence about groups named by role or label ("higher in the intervention
    group than in the control group", `B组优于A组`) gets its pairs again, each group read
    as a mention of the interventions it received; the pairs those mentions decide carry
    `GROUP_CUE`."""
    if "outcome" not in assessment.types or not arms.groups:
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
    """A no-difference result about unnamed groups becomes one pair per trial arm; so does
    one shared confident result about all the groups ("both groups improved", `3组…均有改善`:
    the guide's "both groups improved": both `improved`), added to the arms the sentence
    does not name."""
    pairs = assessment.outcomes
    if not arms or not pairs:
        return assessment
    if len(pairs) == 1 and not pairs[0].treatment and pairs[0].direction == "no_difference":
        if not result_cues(text, lang) & {"arm", "comparison"}:
            return assessment  # no groups compared: the course of the disease
        cues = (*pairs[0].cues, ARMS_CUE)
        found = tuple(OutcomePair(arm, "no_difference", cues) for arm in arms)
        return dataclasses.replace(assessment, outcomes=found, direction=summary(found))
    directions = {p.direction for p in pairs}
    if len(directions) != 1 or not directions <= set(CONFIDENT_DIRECTIONS):
        return assessment
    if not _about_all_groups(text, lang):
        return assessment
    cues = (*pairs[0].cues, ARMS_CUE)
    kept = [p for p in pairs if p.treatment]
    have = {p.treatment for p in kept}
    direction = pairs[0].direction
    found = (*kept, *(OutcomePair(a, direction, cues) for a in arms if a not in have))
    return dataclasses.replace(assessment, outcomes=found, direction=summary(found))


def _about_all_groups(text: str, lang: str) -> bool:
    """Does the sentence state its result of all the groups alike ("in both groups", `3组…
    均`), rather than compare them ("better than", `优于`)?"""
    code = lang if lang in SUPPORTED_LANGS else "en"
    norm = normalise(text, language_rules(code).trad_to_simp)
    if not any(h.category == "all_groups" for h in _group_words(code).matcher.find(norm)):
        return False
    compared = {"better", "frame.compared", "bframe.compared"}
    return not any(h.category in compared for h in outcome_rules(code).matcher.find(norm))
