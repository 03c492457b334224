"""Which intervention each direction in a sentence is about: clauses, frames (after, despite,
refractory to, compared with), comparisons between arms, and the sentence course.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from litkit.cues import CueHit
from litkit.models import Mention, OutcomePair
from litkit.vocab import CONFIDENT_DIRECTIONS, DIRECTIONS

from .decide import _combine, _Contrast, _decide, _opposite, _sentence_course
from .rules import (
    _CHUNK_PUNCT,
    _DESCRIBED_CHARS,
    _DESCRIBED_WORDS,
    _HOLDING_FRAMES,
    _STOPPED_CHARS,
    _SUBCLAUSE_PUNCT,
    _SUBJECT_KINDS,
    TREATMENT_KINDS,
    WITHIN,
    Frame,
    Scope,
    Verdict,
    _Hit,
    _Layout,
    outcome_rules,
)
from .signals import (
    _absent_findings,
    _described_patients,
    _direction_hits,
    _frames,
    _overlaps,
    _polarity_hits,
)

_RESULT_KINDS = frozenset({"better", "worsening", "causing"})
"""Cue groups that state a result, besides the direction lists (`dir.*`)."""
_DIRECTION_KINDS = frozenset(f"dir.{d}" for d in DIRECTIONS)
_STATE_KINDS = frozenset({"dir.not_improved", "dir.worsened", "dir.uncertain"})
"""The direction lists that can name a state of the patients' disease ("relapsing",
`复发`), not an act on them."""


def attribute(
    norm: str,
    lang: str,
    mentions: Sequence[tuple[Mention, tuple[int, int] | None]],
) -> tuple[tuple[OutcomePair, tuple[str, ...]], ...]:
    """The outcome pairs of one outcome sentence, each with the cues that decided it.

    `norm` is the normalised sentence (litkit.cues.normalise), `mentions` its lexicon mentions
    with their [start, end) spans in `norm` (None when not located). Treatment and drug-class
    mentions are the interventions; disease mentions mark qualifiers ("refractory CNO");
    finding mentions can be negated into a good result.
    """
    rules = outcome_rules(lang)
    code = rules.lang
    hits = rules.matcher.find(norm)
    diseases = [sp for m, sp in mentions if sp and m.category == "disease"]
    named = [sp for m, sp in mentions if sp and m.category in TREATMENT_KINDS]
    by_kind: dict[str, list[CueHit]] = {}
    for hit in _prefer_phrases(hits):
        if any(s <= hit.start and hit.end <= e for s, e in diseases):
            continue  # "recurrent" inside "chronic recurrent multifocal osteomyelitis"
        if hit.category == "negator" and any(s <= hit.start < e for s, e in named):
            continue  # `非` in `非甾体抗炎药` (non-steroidal): part of a drug's name
        by_kind.setdefault(hit.category, []).append(hit)
    descriptions = _described_patients(norm, by_kind, named, rules)
    # In Chinese a word before `患者` may also be a verb acting on the patients (`可减少患者的
    # 疼痛`): only a state of the disease (`复发`, `难治`) is taken for their description.
    described_kinds = _STATE_KINDS if rules.cjk else _RESULT_KINDS | _DIRECTION_KINDS
    for kind in [k for k in by_kind if k in described_kinds]:
        by_kind[kind] = [h for h in by_kind[kind] if not _overlaps(h.start, h.end, descriptions)]
    negators = by_kind.get("negator", [])
    directions = _direction_hits(norm, by_kind, negators, diseases, rules)
    polar, moved = _polarity_hits(norm, by_kind, negators, rules)
    directions = [h for h in directions if not _overlaps(h.start, h.end, moved)] + polar
    directions += _absent_findings(norm, mentions, negators, rules, directions)
    directions.sort(key=lambda h: h.start)
    layout = _layout(norm, by_kind)
    layout = _coordinated(layout, by_kind.get("coordinator", ()), named, directions)
    frames = _frames(by_kind, layout, [h.start for h in directions if not h.weak])
    # A leading concession ("Although self-limiting, it can leave sequelae") yields to the
    # clause after it; a trailing one ("…, although disability is common") is the last word.
    concessions = [
        (h.start, layout.sub(h.start)[1])
        for h in (*by_kind.get("concession", ()), *by_kind.get("conditional", ()))
        if layout.sub(h.start)[1] < _content_end(norm)
    ]
    scoped = [(h.category.removeprefix("frame."), h) for h in by_kind.get("frame.recommend", ())]
    scoped += [(h.category.removeprefix("frame."), h) for h in by_kind.get("frame.aim", ())]
    scoped += [("background", h) for h in by_kind.get("frame.background", ())]
    blocked = [(name, layout.chunk(h.start), h.cue) for name, h in scoped]
    framed_spans = [(s, e) for name, s, e, _ in frames if name in _HOLDING_FRAMES]
    # "NSAIDs to relieve pain": a purpose names a hoped-for result, not one that happened.
    # A hedge inside it ("the efficacy of X to relieve pain remains uncertain") is the
    # sentence's own verdict on that hope, and counts.
    purposes = [(h.start, layout.sub(h.start)[1]) for h in by_kind.get("purpose", ())]

    def outside(hit: _Hit, spans: Sequence[tuple[int, int]]) -> bool:
        return not any(s <= hit.start < e for s, e in spans)

    free = [
        h
        for h in directions
        if outside(h, framed_spans) and (h.direction == "uncertain" or outside(h, purposes))
    ]
    stated = [h for h in directions if not any(":absent:" in c for c in h.cues)]
    # "but not fever" is no result; a p-value alone is no result of the elliptical clause
    partial = _partial_contrast(norm, by_kind, [h for h in stated if not h.weak], layout)
    asserted = [h for h in free if outside(h, concessions)]

    def verdict(lo: int, hi: int, pool: Sequence[_Hit]) -> Verdict | None:
        inside = [h for h in pool if lo <= h.start < hi]
        return _combine(inside)

    treatment_spans = [(m, sp) for m, sp in mentions if sp and m.category in TREATMENT_KINDS]
    treated_chunks = {layout.chunk(sp[0]) for _, sp in treatment_spans}

    def described(span: tuple[int, int]) -> bool:
        """A direction word right after a treatment describes it ("an ineffective therapy",
        "une thérapie antibiotique inutile et inefficace"), even inside a recommendation."""
        for hit in free:
            gap = norm[span[1] : hit.start]
            if hit.start < span[1] or _SUBCLAUSE_PUNCT.search(gap) or _CHUNK_PUNCT.search(gap):
                continue
            size = len(gap.strip()) if rules.cjk else len(gap.split())
            if size <= (_DESCRIBED_CHARS if rules.cjk else _DESCRIBED_WORDS):
                return True
        return False

    def result_at(pos: int, concept: str) -> Verdict | None:
        """The result a treatment at `pos` gets by default: its sub-clause's cues, else its
        chunk's, else the sentence's; a worsening verb after it in its chunk makes it the
        agent of harm; a later chunk about no treatment that says the opposite (the pain
        improved but the rash worsened) makes the result mixed."""
        own = [h for h in free if outside(h, [c for c in concessions if not c[0] <= pos < c[1]])]
        found = verdict(*layout.sub(pos), own)
        chunk = layout.chunk(pos)
        if found is None:
            found = verdict(*chunk, asserted)
        if found is None:
            found = _combine(list(asserted))
        if found is None:
            return None
        direction, cues = found
        if direction == "not_improved":
            later = [sp[0] for m, sp in treatment_spans if sp[0] > pos and m.concept_id != concept]
            stop = min(later, default=len(norm))
            if any(h.agentive and pos < h.start < stop for h in asserted):
                return "worsened", (*cues, f"outcome:{code}:agent")
        if direction in CONFIDENT_DIRECTIONS:
            for other in sorted({layout.chunk(h.start) for h in asserted}):
                if other[0] < chunk[1] or other in treated_chunks:
                    continue
                then = _combine([h for h in asserted if other[0] <= h.start < other[1]])
                if then and then[0] in CONFIDENT_DIRECTIONS and _opposite(direction, then[0]):
                    return "uncertain", (*cues, *then[1], f"outcome:{code}:mixed")
        return found

    chosen: dict[str, Verdict] = {}
    skipped: set[str] = set()
    # An outcome sentence with no direction word at all about a treatment it names as its
    # subject ("the correlation held in the X group") states a result whose direction it
    # does not give: uncertain, as the guide says, rather than a result of no treatment.
    unstated: dict[str, Verdict] = {}
    for mention, span in mentions:
        if mention.category not in TREATMENT_KINDS or span is None:
            continue
        cid = mention.concept_id
        if cid in chosen:
            continue
        if _stopped(norm, span, by_kind.get("withdrawn", ())):
            harm = result_at(span[0], cid)
            if harm is None or harm[0] != "worsened":  # "stopped because of side effects"
                skipped.add(cid)
                continue
            chosen[cid] = harm
            continue
        # A word describing the treatment itself ("antibiotics without lasting effect") is a
        # result even in a recommendation or a patient's history; an aim has none.
        scope = [] if described(span) else [b for b in blocked if b[0] != "aim"]
        scope += [b for b in blocked if b[0] == "aim"]
        decided = _decide(
            span, frames, scope, functools.partial(result_at, concept=cid), asserted, layout, code
        )
        if partial and decided is None and _in_frame(span[0], frames, "compared"):
            decided = "uncertain", (partial,)  # "B beat A on X but not on Y": both mixed
        elif partial and decided is not None and decided[0] != "uncertain":
            decided = "uncertain", (*decided[1], partial)
        if decided is None:
            if not directions and not purposes and _unframed(span[0], frames, scope):
                unstated.setdefault(cid, ("uncertain", (f"outcome:{code}:unstated",)))
            skipped.add(cid)
            continue
        within = [
            f"outcome:{code}:{WITHIN}{name}" for name, (lo, hi), _ in blocked if lo <= span[0] < hi
        ]
        chosen[cid] = (decided[0], (*decided[1], *within[:1]))
    # "X with Y was better than Y alone": Y is the comparator, whose own result the sentence
    # does not state, even where it is named inside the better combination.
    comparators = {
        m.concept_id
        for m, sp in mentions
        if sp and m.category in TREATMENT_KINDS and _in_frame(sp[0], frames, "compared")
    }
    for cid in comparators & set(chosen):
        if chosen[cid][0] == "improved" and len(chosen) > 1:
            del chosen[cid]
    if not chosen and unstated:
        chosen = unstated
    if chosen:
        course = _unclaimed(free, layout, treatment_spans, frames, blocked, chosen)
        if course is not None:
            cues = (*course[1], f"outcome:{code}:unclaimed")
            return (
                *((OutcomePair(cid, d), c) for cid, (d, c) in chosen.items()),
                (OutcomePair("", course[0]), cues),
            )
    if not chosen:
        aims = [span for name, span, _ in blocked if name == "aim"]
        stated = [h for h in asserted if not any(lo <= h.start < hi for lo, hi in aims)]
        finals = by_kind.get("final", [])
        if finals:  # "…, eventually burning out": the final outcome is the course
            last = [h for h in stated if h.start >= finals[-1].end]
            stated = last or stated
        concession_starts = {h.start for h in by_kind.get("concession", ())}
        contrasts = {h.start for h in by_kind.get("boundary", ())} - concession_starts
        subjects = [sp[0] for m, sp in mentions if sp and m.category in _SUBJECT_KINDS]
        found = _sentence_course(stated, layout, rules, _Contrast(contrasts, subjects)) or (
            "uncertain",
            ("outcome:default",),
        )
        direction, cues = found
        extra = tuple(f"outcome:{code}:skipped:{c}" for c in sorted(skipped))
        return ((OutcomePair("", direction), cues + extra),)
    return tuple((OutcomePair(cid, d), cues) for cid, (d, cues) in chosen.items())


def _unclaimed(
    free: Sequence[_Hit],
    layout: _Layout,
    treatment_spans: Sequence[tuple[Mention, tuple[int, int]]],
    frames: Sequence[Frame],
    blocked: Sequence[Scope],
    chosen: dict[str, Verdict],
) -> Verdict | None:
    """The result of a clause that names no intervention, beside clauses that do ("a flap
    crisis occurred after surgery, and after resuscitation it survived"): a `""` pair (a
    generic intervention, or the disease's course). A sub-clause counts when it names no
    treatment, comes after the chunk's first treatment ("the pain worsened, so X was given
    and it resolved": what came before the drug was its reason), sits in a chunk whose every
    treatment found its result in its own sub-clause (else the chunk's cues went to the
    treatments), and states a confident result that none of the chunk's treatments got (the
    same result is theirs, said once more: "pain resolved with X, and fever disappeared")."""
    own_subs = {layout.sub(sp[0]) for _, sp in treatment_spans}
    shared: set[tuple[int, int]] = set()
    for _, sp in treatment_spans:
        lo, hi = layout.sub(sp[0])
        if not any(lo <= h.start < hi for h in free):
            shared.add(layout.chunk(sp[0]))
    found: list[_Hit] = []
    for chunk in sorted({layout.chunk(sp[0]) for _, sp in treatment_spans} - shared):
        first = min(sp[0] for _, sp in treatment_spans if layout.chunk(sp[0]) == chunk)
        pool = [
            h
            for h in free
            if not h.weak
            and h.direction in CONFIDENT_DIRECTIONS
            and layout.chunk(h.start) == chunk
            and h.start > first  # before the first treatment: its reason, not a result
            and layout.sub(h.start) not in own_subs
            and _unframed(h.start, frames, blocked)
        ]
        verdict = _combine(pool)
        if verdict is None or verdict[0] not in CONFIDENT_DIRECTIONS:
            continue
        theirs = {
            chosen[m.concept_id][0]
            for m, sp in treatment_spans
            if m.concept_id in chosen and layout.chunk(sp[0]) == chunk
        }
        if verdict[0] not in theirs:
            found += pool
    return _combine(found)


def _partial_contrast(
    norm: str, by_kind: dict[str, list[CueHit]], directions: Sequence[_Hit], layout: _Layout
) -> str:
    """The cue of an elliptical contrast that takes a result back for another measure ("X
    was superior on pain but not on function", "mais pas sur"), or "": a contrast word
    followed right away by a negator, in a chunk with no result of its own, after a
    result. The result holds for one measure only: mixed."""
    for boundary in by_kind.get("boundary", ()):
        if not any(h.start < boundary.start for h in directions):
            continue
        for neg in by_kind.get("negator", ()):
            if neg.start < boundary.end or norm[boundary.end : neg.start].strip():
                continue
            lo, hi = layout.chunk(neg.start)
            if not any(lo <= h.start < hi for h in directions):
                return f"outcome:partial:{boundary.cue} {neg.cue}"
    return ""


def _unframed(pos: int, frames: Sequence[Frame], blocked: Sequence[Scope]) -> bool:
    """A treatment mention outside every frame and every recommendation, aim or history."""
    if any(start <= pos < end for _, start, end, _ in frames):
        return False
    return not any(lo <= pos < hi for _, (lo, hi), _ in blocked)


def _in_frame(pos: int, frames: Sequence[Frame], name: str) -> bool:
    return any(f[0] == name and f[1] <= pos < f[2] for f in frames)


def _stopped(norm: str, span: tuple[int, int], withdrawn: Sequence[CueHit]) -> bool:
    """A treatment named just before "was stopped" / `停药后`: what follows is off treatment."""
    for hit in withdrawn:
        gap = norm[span[1] : hit.start]
        if 0 <= hit.start - span[1] <= _STOPPED_CHARS and not _SUBCLAUSE_PUNCT.search(gap):
            return True
    return False


def _content_end(norm: str) -> int:
    """Where the sentence's words end (before final punctuation and spaces)."""
    return len(norm.rstrip(" .!?;:。！？；：\n"))


def _prefer_phrases(hits: Sequence[CueHit]) -> list[CueHit]:
    """Drop the prefix cues a longer phrase at the same place stands for: "bénéfice limité"
    also carries "bénéfice*" (litkit.cues gives a word every prefix cue it starts with)."""
    phrases = {
        (h.start, h.end)
        for h in hits
        if " " in h.cue and not h.cue.endswith("*") and not h.category.startswith("measure.")
    }  # a measure names what moved, and hides no direction cue
    return [h for h in hits if not (h.cue.endswith("*") and (h.start, h.end) in phrases)]


def _coordinated(
    layout: _Layout,
    coordinators: Sequence[CueHit],
    named: Sequence[tuple[int, int]],
    directions: Sequence[_Hit],
) -> _Layout:
    """Cut a sub-clause at "and" / "et" / `并且` when each side names its own intervention
    and states its own result ("pain fell on X and the fever persisted on Y"): two clauses,
    each with its own direction. "X and Y relieved the pain" (no result before "and") is one
    clause about two drugs, and stays whole."""
    cuts = set(layout.sub_cuts)
    for hit in coordinators:
        lo, hi = layout.sub(hit.start)
        sides = ((lo, hit.start), (hit.end, hi))
        if all(
            any(a <= s < b for s, _ in named)
            and any(a <= h.start < b and not h.weak for h in directions)
            for a, b in sides
        ):
            cuts.add(hit.start)
    if len(cuts) == len(layout.sub_cuts):
        return layout
    return _Layout(layout.chunk_cuts, tuple(sorted(cuts)), layout.length)


def _layout(norm: str, by_kind: dict[str, list[CueHit]]) -> _Layout:
    chunk_cuts = {m.end() for m in _CHUNK_PUNCT.finditer(norm)}
    chunk_cuts |= {h.start for h in by_kind.get("boundary", ())}
    chunk_cuts |= {h.start for h in by_kind.get("concession", ())}
    sub_cuts = set(chunk_cuts) | {m.end() for m in _SUBCLAUSE_PUNCT.finditer(norm)}
    chunk_cuts.discard(0)
    sub_cuts.discard(0)
    return _Layout(tuple(sorted(chunk_cuts)), tuple(sorted(sub_cuts)), len(norm))
