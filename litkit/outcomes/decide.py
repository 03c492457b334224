"""From the signals to one direction per intervention, and the summary of a sentence's pairs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from litkit.models import OutcomePair
from litkit.vocab import CONFIDENT_DIRECTIONS

from .rules import _FLIP, Frame, OutcomeRules, Scope, Verdict, _Hit, _Layout


def _opposite(one: str, other: str) -> bool:
    return (one == "improved") != (other == "improved")


def _combine(hits: Sequence[_Hit]) -> Verdict | None:
    """One direction for a group of cues: hedges and comparisons win, a mix is uncertain."""
    strong = [h for h in hits if not h.weak]
    hits = strong or list(hits)  # "effective and well tolerated": the efficacy decides
    if not hits:
        return None
    cues = tuple(c for h in hits for c in h.cues)
    found = {h.direction for h in hits}
    for overriding in ("uncertain", "no_difference"):
        if overriding in found:
            return overriding, cues
    if len(found) == 1:
        return found.pop(), cues
    if found == {"not_improved", "worsened"}:
        return "not_improved", cues
    return "uncertain", cues


def _decide(
    span: tuple[int, int],
    frames: Sequence[Frame],
    blocked: Sequence[Scope],
    result_at: Callable[[int], Verdict | None],
    asserted: Sequence[_Hit],
    layout: _Layout,
    code: str,
) -> Verdict | None:
    """The pair of one treatment mention at `span`, or None when the sentence gives none."""
    pos = span[0]
    for name, start, end, cue in frames:
        if not start <= pos < end:
            continue
        frame_cue = f"outcome:{code}:{name}:{cue}"
        if name == "withdrawal":
            return None  # "relapsed after stopping X": no failure of X, no pair
        if name == "refractory_to":
            return "not_improved", (frame_cue,)
        if name == "then_treated":
            # "new metastases, which were treated with X": what came before was X's reason
            after = _combine([h for h in asserted if start <= h.start < end])
            return None if after is None else (after[0], (frame_cue, *after[1]))
        result = _frame_result(start, end, asserted, layout, pos)
        if name == "harm_by":
            return "worsened", (frame_cue,)
        if result is None:
            if name == "despite":  # "despite X" announces that X did not do what was hoped
                return "not_improved", (frame_cue,)
            if name in ("except", "unlike", "compared"):
                return None
            return "uncertain", (frame_cue,)
        direction, cues = result
        cues = (frame_cue, *cues)
        if name == "despite":
            return ("not_improved", cues) if direction in ("not_improved", "worsened") else None
        if name == "on_treatment":  # a harm on a drug is its harm (guide: adverse events)
            return direction, cues
        if name in ("except", "unlike"):
            flipped = _FLIP[direction]
            return (flipped, cues) if direction in CONFIDENT_DIRECTIONS else None
        if name == "compared":
            return (direction, cues) if direction == "no_difference" else None
        if name == "caused_by":
            return ("worsened" if direction in ("not_improved", "worsened") else direction), cues
    for _name, (start, end), _cue in blocked:
        if start <= pos < end:
            return None
    return result_at(pos)


def _frame_result(
    start: int, end: int, asserted: Sequence[_Hit], layout: _Layout, pos: int
) -> Verdict | None:
    """The result a frame's treatment is measured against: the cues outside it of its
    sub-clause, else of its chunk, else of the sentence."""
    for lo, hi in (layout.sub(pos), layout.chunk(pos)):
        pool = [h for h in asserted if lo <= h.start < hi and not start <= h.start < end]
        if pool:
            return _combine(pool)
    return _combine(list(asserted))


@dataclass(frozen=True)
class _Contrast:
    """Where contrastive conjunctions ("but", "mais", `但`) open a chunk, and where the
    sentence names a sign, a site or a test (what a clause can be about)."""

    starts: set[int]
    subjects: list[int]


def _sentence_course(
    asserted: Sequence[_Hit], layout: _Layout, rules: OutcomeRules, contrast: _Contrast
) -> Verdict | None:
    """The direction of an outcome without a named intervention: the last chunk that says one
    (the asserted clause decides "self-limiting but protracted"), unless that chunk opposes
    the one before about a subject of its own ("the skin improved but the back pain
    worsened"): mixed results are uncertain."""
    chunks: dict[tuple[int, int], list[_Hit]] = {}
    for hit in asserted:
        chunks.setdefault(layout.chunk(hit.start), []).append(hit)
    if not chunks:
        return None
    found = _combine(chunks[max(chunks)])
    if found is None:
        return None
    hits = chunks[max(chunks)]
    directions = {h.direction for h in hits}
    if found[0] == "uncertain" and directions == {"improved", "not_improved"}:
        names = {c.rsplit(":", 1)[-1] for h in hits for c in h.cues}
        if names & rules.flare_cues and names & rules.remission_cues:
            return "not_improved", found[1]  # flares and remissions: a relapsing course
    if found[0] == "not_improved" and "worsened" in directions:
        found = ("worsened", found[1])  # "a life-threatening complication": sequelae
    ordered = sorted(chunks)
    if len(ordered) >= 2 and found[0] in CONFIDENT_DIRECTIONS:
        last, before = ordered[-1], _combine(chunks[ordered[-2]])
        first_cue = min(h.start for h in chunks[last])
        # the subject may follow its cue ("but resistance of the skin lesions")
        own_subject = any(last[0] <= s < last[1] for s in contrast.subjects)
        del first_cue
        if (
            before is not None
            and before[0] in CONFIDENT_DIRECTIONS
            and _opposite(found[0], before[0])
            and last[0] in contrast.starts
            and own_subject
        ):
            return "uncertain", (*before[1], *found[1])
    return found


def summary(pairs: Sequence[OutcomePair]) -> str | None:
    """The sentence-level `Assessment.direction`: the direction all pairs share, else
    "uncertain"; None for a sentence without pairs (not an outcome)."""
    found = {p.direction for p in pairs}
    if not found:
        return None
    return found.pop() if len(found) == 1 else "uncertain"
