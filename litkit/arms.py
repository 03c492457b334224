"""The arms of a comparative study, given to the no-difference results about "the groups".

A trial's results often compare "the two groups" without naming them ("no significant
difference between the groups", "La durée … était similaire", "差异无统计学意义"); the gold
guide gives each compared arm its own `no_difference` pair. The arms are the interventions
that the methods name in the sentences describing the trial (randomisation, placebo, control
group: the `trial_cues` of litkit/resources/<lang>/roles.json). Only a no-difference result
is given to every arm: a result that favours one group ("higher in the observation group")
does not say which named intervention that group received.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from litkit.cues import normalise
from litkit.models import Assessment, Mention, OutcomePair
from litkit.outcomes import TREATMENT_KINDS, summary
from litkit.sections import result_cues, section_words

ARMS_CUE = "outcome:arms"


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
