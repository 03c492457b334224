"""The compiled outcome-direction cues of a language and the constants of the attribution
rules (windows in words and characters, frame names).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from litkit.cues import SUPPORTED_LANGS, CueMatcher, load_cue_data
from litkit.vocab import DIRECTIONS

TREATMENT_KINDS = frozenset({"treatment", "drug_class"})
_SUBJECT_KINDS = frozenset({"finding", "anatomy", "test"})
CAUSING = "causing"
"""Cue name of a harm stated with a causing word ("can cause", "peuvent survenir", `可引起`):
in a treatment sentence it is a result, the treatment's harm, even of an unnamed treatment
("at the start of treatment, digestive troubles may occur")."""
PROGRESSION = "progression"
"""Cue kind of a growth of the disease's own burden ("developed new liver metastases",
`新发病灶`): the course of the disease, a result even in a sentence that then names the
treatment given for it."""
WITHIN = "within:"
"""Cue prefix of a pair stated inside a recommendation or an aim ("for patients not
responding to NSAIDs"): true of the patients, but not a result to link as agreement or
conflict (litkit.link)."""
_SUBCLAUSE_PUNCT = re.compile(r"[,:()\[\]，：（）]")
_CHUNK_PUNCT = re.compile(r"[;!?；。！？]|\.(?!\d)")  # a decimal point ends nothing
_GAP_PUNCT = re.compile(r"[:()\[\]，：（）]|,(?!\d)")  # sub-clause marks, "12,5" excepted
_FLIP = {
    "improved": "not_improved",
    "not_improved": "improved",
    "worsened": "improved",
    "no_difference": "uncertain",
    "uncertain": "uncertain",
}
_HOLDING_FRAMES = frozenset(
    {"refractory_to", "despite", "except", "unlike", "compared", "withdrawal"}
)
"""Frames whose stretch holds the treatment, not the result: cues inside them ("not
responding to") are the frame's own; in the agent frames (`caused_by`: `诱导缓解`) the result
sits inside the stretch and counts."""
_SCOPE_FRAMES = frozenset({"frame.recommend", "frame.aim", "frame.avoid", "frame.background"})
"""Frames that scope a whole chunk (`blocked`) or nothing (`avoid`), not a stretch."""
_DESCRIBED_WORDS = 4  # words between a treatment and a direction word that describes it
_DESCRIBED_CHARS = 4  # the same in Chinese, in characters
_DESCRIPTION_WORDS = 8  # words from "a patient with" to the "who" that ends the description
_DESCRIPTION_CHARS = 4  # characters before `患者` that describe the patients, in Chinese
_STOPPED_CHARS = 12  # a treatment this close before "was stopped" is the one stopped
_GOVERNED_CHARS = 12  # a finding this close after a direction cue is its object
_LESSENED_WORDS = 4  # words between a harm and a "lower" / "fewer" that measures it
_LESSENED_CHARS = 6  # the same in Chinese, in characters
_POLARITY_WORDS = 5  # words between a measure and the change word that moves it
_POLARITY_CHARS = 6  # the same in Chinese, in characters
_NONSIGNIFICANT_P = re.compile(
    r"(?<![a-z])p\s*(?:[=>≥＞]|&gt;|>=)\s*0?[.,·](?:0[5-9]|[1-9])\d*|(?<![a-z])p\s*=\s*n\.?s\b"
)
"""A p-value of 0.05 or more, reported alone ("p = 0.61", "P＞0.05", "p = NS"): in any
language of the genre, a comparison that found no significant difference. Weak: a word of
the clause that gives a direction ("a tendency to", "improved") decides instead."""
_RATIO_CI = re.compile(
    r"(?<![a-z])(?:rr|or|hr|irr|risk ratio|odds ratio|hazard ratio|相对危险度|比值比|风险比)"
    r"\s*[:=]?\s*\d+(?:[.,·]\d+)?\s*[,;，；]?\s*[(（\[]?\s*"
    r"(?:95\s*%\s*(?:ci|ic)|(?:ci|ic)\s*95\s*%|(?:ci|ic))\s*[:=]?\s*"
    r"(\d+(?:[.,·]\d+)?)\s*(?:-|–|—|~|to|à|,)\s*(\d+(?:[.,·]\d+)?)"
)
"""A ratio (risk, odds, hazard) with its 95% confidence interval: when the interval holds 1,
the estimate found no significant difference, whatever the language around it."""
_FRAME_ORDER = (
    "withdrawal", "refractory_to", "despite", "compared", "on_treatment", "except", "unlike",
    "harm_by", "caused_by", "then_treated",
)  # fmt: skip


Verdict = tuple[str, tuple[str, ...]]  # a direction and the cues that decided it
Frame = tuple[str, int, int, str]  # frame name, [start, end) of its stretch, its cue
Scope = tuple[str, tuple[int, int], str]  # "recommend" / "aim" / "background", chunk, cue


@dataclass(frozen=True)
class OutcomeRules:
    """One language's compiled outcome cues (see the module docstring for the groups)."""

    lang: str
    matcher: CueMatcher
    negation_window: int  # words (Latin scripts) or characters (Chinese) between negator and cue
    cjk: bool
    qualifier_words: frozenset[str]
    modal_fillers: frozenset[str]
    flare_cues: frozenset[str]  # with remission cues in one clause: a relapsing course
    remission_cues: frozenset[str]
    restrictive: frozenset[str]  # "que" in "ne … que": a restriction, not a negation
    boundaries: frozenset[str]


@dataclass(frozen=True)
class _Hit:
    """A direction cue after negation: where it is, what it says, which cues said it."""

    start: int
    end: int
    direction: str
    cues: tuple[str, ...]
    agentive: bool = False  # a worsening verb: its subject, when a treatment, did the harm
    weak: bool = False  # "well tolerated": counts only when no other cue gives a direction


@cache
def outcome_rules(lang: str) -> OutcomeRules:
    """Compile (once per language) the `outcome_direction` cue section."""
    code = lang if lang in SUPPORTED_LANGS else "en"
    data: dict[str, Any] = load_cue_data(code)
    section = data["outcome_direction"]
    groups: dict[str, list[str]] = {}
    for direction in DIRECTIONS:
        groups[f"dir.{direction}"] = section.get(direction, [])
    groups["better"] = section.get("better", [])
    groups["negator"] = section.get("negators", [])
    groups["boundary"] = section.get("boundaries", [])
    groups["coordinator"] = section.get("coordinators", [])
    groups["described"] = section.get("described_patients", [])
    groups["relative"] = section.get("relatives", [])
    groups["concession"] = section.get("concession", [])
    groups["conditional"] = section.get("conditional", [])
    groups["purpose"] = data.get("purpose", [])  # the classifier's treatment purposes
    groups["qualifier"] = section.get("qualifiers", [])
    groups["ignore"] = section.get("ignore", [])
    groups["modal"] = section.get("modal", [])
    groups["final"] = section.get("final", [])
    groups["withdrawn"] = section.get("withdrawn_after", [])
    groups["worsening"] = section.get("worsening_verbs", [])
    groups["causing"] = section.get("causing", [])
    groups["lessening"] = section.get("lessening", [])
    groups["tolerated"] = section.get("tolerated", [])
    groups["measure.up"] = section.get("higher_better", [])
    groups["measure.down"] = section.get("lower_better", [])
    groups["measure.efficacy"] = section.get("efficacy_measures", [])
    groups["measure.burden"] = section.get("disease_burden", [])
    groups["appearing"] = section.get("appearing", [])
    groups["increasing"] = section.get("increasing", [])
    known = set(_FRAME_ORDER) | {f.removeprefix("frame.") for f in _SCOPE_FRAMES}
    for prefix, key in (("frame", "frames"), ("bframe", "backward_frames")):
        for name, cues in section.get(key, {}).items():
            if name not in known:  # a typo in the data would silently attribute nothing
                raise ValueError(f"cues/{code}.json: unknown outcome frame {name!r}")
            groups[f"{prefix}.{name}"] = cues
    cjk = not data["word_boundaries"]
    return OutcomeRules(
        lang=code,
        matcher=CueMatcher(groups, ascii_boundaries=cjk),
        negation_window=2 if cjk else 3,
        cjk=cjk,
        qualifier_words=frozenset(section.get("qualifier_words", ())),
        modal_fillers=frozenset(section.get("modal_fillers", ())),
        flare_cues=frozenset(section.get("flare_cues", ())),
        remission_cues=frozenset(section.get("remission_cues", ())),
        restrictive=frozenset(section.get("restrictive", ())),
        boundaries=frozenset(b for b in section.get("boundaries", ()) if " " not in b),
    )


@dataclass(frozen=True)
class _Layout:
    """Where a sentence's chunks and sub-clauses start and end (sorted cut offsets)."""

    chunk_cuts: tuple[int, ...]
    sub_cuts: tuple[int, ...]
    length: int

    def chunk(self, pos: int) -> tuple[int, int]:
        return _between(self.chunk_cuts, pos, self.length)

    def sub(self, pos: int) -> tuple[int, int]:
        return _between(self.sub_cuts, pos, self.length)


def _between(cuts: Sequence[int], pos: int, length: int) -> tuple[int, int]:
    start, end = 0, length
    for cut in cuts:
        if cut <= pos:
            start = cut
        else:
            end = cut
            break
    return start, end
