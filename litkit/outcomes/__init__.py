"""Outcome direction per intervention: what an outcome sentence says about each treatment.

One direction per sentence was wrong whenever a sentence spoke of two treatments ("in
patients refractory to X, Y induced remission"), recommended one drug while reporting on
another, or compared arms. This module attributes a direction to each treatment mention of an
outcome sentence by clause and scope structure, with rules and cue lists only (the
`outcome_direction` section of litkit/resources/<lang>/cues.json):

- the sentence is cut into chunks at strong boundaries (";", "but", "mais", `但`), and
  chunks into sub-clauses at commas; a treatment takes the direction of the cues of its own
  sub-clause, else of its chunk, else of the whole sentence;
- a frame cue opens a stretch (to the end of its sub-clause, or back to its start for the
  Chinese post-positions `…相比`, `…无效的`) whose treatments the frame decides: `refractory_to`
  (not_improved), `despite` (not_improved when the result is a failure, no pair otherwise),
  `on_treatment` (the result; a harm, such as more adverse events, is the drug's harm),
  `except` / `unlike` (the opposite of the result), `compared` (the comparator:
  no_difference, or no pair),
  `caused_by` (the agent: a bad result is harm, `worsened`), `harm_by` (worsened),
  `withdrawal` ("after stopping X": a relapse is no failure of X, no pair);
- a recommendation, an aim or the patient's history ("before the diagnosis") is not a
  result: its treatments get no pair, unless a word right after one describes it ("an
  antibiotic therapy without lasting effect"); a treatment's purpose ("to relieve pain")
  and a leading condition ("when the disease flares, …") carry no result either;
- a negator just before a direction cue flips it ("did not respond", `未能改善`), and a
  negated finding is a good result ("no pain after the infusion"); a modal makes a benefit
  uncertain ("may be beneficial") but leaves a harm a harm;
- a qualifier of the disease or of the patients ("refractory CNO", `难治性`) is no result;
- a worsening verb whose subject is a treatment is harm it caused ("surgery may aggravate");
- without a named treatment, the pair is `""` with the course of the disease: the asserted
  (last) clause decides, flares with remissions are a relapsing course, opposite results
  about two subjects are mixed (uncertain);
- beside named treatments, a clause after the first of them that names none and states a
  result none of them got is a `""` pair too ("a flap crisis after surgery, survived after
  resuscitation"); a clause before it is the treatment's reason, not a result;
- "and" / "et" / `并且` cut a clause in two when each side names its own treatment and
  states its own result;
- causing words ("can cause", "trigger", "peuvent survenir", `可引起`) make the treatment
  before them the agent of harm (`worsened`), and make the sentence an outcome even when
  the treatment is unnamed ("at the start of treatment, nausea may occur");
- a description of the patients ("a patient with a recurrence who…", `复发患者`) is their
  presentation, not a result;
- the disease's own burden (metastases, lesions) that grows ("new", "developed", `新发`) is
  progression (`not_improved`, an outcome even with no drug named), one that shrinks or
  does not grow is `improved`; a treatment started after it ("which was treated with X",
  `遂给予X`) takes only the results that follow the start.

Every pair carries the names of the cues that decided it, for `litkit explain`. The rules are
general ones of each language and of the genre; they were measured, never fitted, on the
gold sets (`litkit eval`).
"""

from __future__ import annotations

from litkit.outcomes.attribute import attribute
from litkit.outcomes.decide import summary
from litkit.outcomes.rules import (
    CAUSING,
    PROGRESSION,
    TREATMENT_KINDS,
    WITHIN,
    OutcomeRules,
    outcome_rules,
)

__all__ = [
    "CAUSING",
    "PROGRESSION",
    "TREATMENT_KINDS",
    "WITHIN",
    "OutcomeRules",
    "attribute",
    "outcome_rules",
    "summary",
]
