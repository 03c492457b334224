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
  about two subjects are mixed (uncertain).

Every pair carries the names of the cues that decided it, for `litkit explain`. The rules are
general ones of each language and of the genre; they were measured, never fitted, on the
gold sets (`litkit eval`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from litkit.cues import SUPPORTED_LANGS, CueHit, CueMatcher, load_cue_data
from litkit.models import Mention, OutcomePair
from litkit.vocab import CONFIDENT_DIRECTIONS, DIRECTIONS

TREATMENT_KINDS = frozenset({"treatment", "drug_class"})
_SUBJECT_KINDS = frozenset({"finding", "anatomy", "test"})
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
    "harm_by", "caused_by",
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
    groups["concession"] = section.get("concession", [])
    groups["conditional"] = section.get("conditional", [])
    groups["purpose"] = data.get("purpose", [])  # the classifier's treatment purposes
    groups["qualifier"] = section.get("qualifiers", [])
    groups["ignore"] = section.get("ignore", [])
    groups["modal"] = section.get("modal", [])
    groups["final"] = section.get("final", [])
    groups["withdrawn"] = section.get("withdrawn_after", [])
    groups["worsening"] = section.get("worsening_verbs", [])
    groups["lessening"] = section.get("lessening", [])
    groups["tolerated"] = section.get("tolerated", [])
    groups["measure.up"] = section.get("higher_better", [])
    groups["measure.down"] = section.get("lower_better", [])
    groups["measure.efficacy"] = section.get("efficacy_measures", [])
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
    layout = _layout(norm, by_kind)
    negators = by_kind.get("negator", [])
    directions = _direction_hits(norm, by_kind, negators, diseases, rules)
    polar, moved = _polarity_hits(norm, by_kind, negators, rules)
    directions = [h for h in directions if not _overlaps(h.start, h.end, moved)] + polar
    directions += _absent_findings(norm, mentions, negators, rules, directions)
    directions.sort(key=lambda h: h.start)
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
                later = _combine([h for h in asserted if other[0] <= h.start < other[1]])
                if later and later[0] in CONFIDENT_DIRECTIONS and _opposite(direction, later[0]):
                    return "uncertain", (*cues, *later[1], f"outcome:{code}:mixed")
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
            span, frames, scope, lambda at, c=cid: result_at(at, c), asserted, layout, code
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


def _layout(norm: str, by_kind: dict[str, list[CueHit]]) -> _Layout:
    chunk_cuts = {m.end() for m in _CHUNK_PUNCT.finditer(norm)}
    chunk_cuts |= {h.start for h in by_kind.get("boundary", ())}
    chunk_cuts |= {h.start for h in by_kind.get("concession", ())}
    sub_cuts = set(chunk_cuts) | {m.end() for m in _SUBCLAUSE_PUNCT.finditer(norm)}
    chunk_cuts.discard(0)
    sub_cuts.discard(0)
    return _Layout(tuple(sorted(chunk_cuts)), tuple(sorted(sub_cuts)), len(norm))


def _negated(
    norm: str, start: int, negators: Sequence[CueHit], rules: OutcomeRules, cue: str = ""
) -> str:
    """The negator closely before `start` in the same clause, or "". French "ne … que" is a
    restriction ("ne s'obtient que chez…"), not a negation."""
    for neg in reversed(negators):
        if neg.end > start:
            continue
        if _beyond_window(norm, neg.end, start, rules):
            return ""  # every test below answers "" for such a gap: don't scan a long one
        gap = norm[neg.end : start]
        if _SUBCLAUSE_PUNCT.search(gap) or _CHUNK_PUNCT.search(gap):
            return ""
        words = [*gap.split(), *cue.split()[:1]]
        if any(_restricts(w, rules.restrictive) for w in words):
            return ""
        if rules.boundaries & set(words):
            return ""
        size = len(gap.strip()) if rules.cjk else len(gap.split())
        return neg.cue if size <= rules.negation_window else ""
    return ""


_GAP_PROBE = 64  # characters of a gap read to tell that it is longer than any window


def _beyond_window(norm: str, begin: int, end: int, rules: OutcomeRules) -> bool:
    """Whether norm[begin:end] is surely longer than the negation window, judged on its first
    _GAP_PROBE characters: a probe's words (or non-space CJK characters) are at most the
    gap's, so the answer is exact when it is True, and a long piece costs what a short one
    does (a 5 MB unpunctuated line is cut into many long pieces)."""
    if end - begin <= _GAP_PROBE:
        return False
    head = norm[begin : begin + _GAP_PROBE]
    if rules.cjk:
        return len("".join(head.split())) > rules.negation_window
    return len(head.split(None, rules.negation_window)) > rules.negation_window


def _restricts(word: str, restrictive: frozenset[str]) -> bool:
    return any(word.startswith(r) if r.endswith("'") else word == r for r in restrictive)


def _direction_hits(
    norm: str,
    by_kind: dict[str, list[CueHit]],
    negators: Sequence[CueHit],
    diseases: Sequence[tuple[int, int]],
    rules: OutcomeRules,
) -> list[_Hit]:
    found: list[_Hit] = []
    code = rules.lang
    kinds = [(f"dir.{d}", d) for d in DIRECTIONS] + [("better", "improved")]
    kinds.append(("worsening", "not_improved"))
    modals = by_kind.get("modal", [])
    for kind, direction in kinds:
        for hit in by_kind.get(kind, ()):
            name = f"outcome:{code}:{direction}:{hit.cue}"
            if _qualifies_disease(norm, hit, diseases, rules):
                continue
            harms = by_kind.get("dir.worsened", ())
            if kind == "better" and _lessened(norm, hit, "worsened", harms, rules):
                continue  # "adverse events were higher": more harm, the harm cue says it
            if direction in ("worsened", "not_improved") and kind != "worsening":
                lessened = _lessened(norm, hit, direction, by_kind.get("lessening", ()), rules)
                if lessened:  # "lower mortality", "fewer relapses": less harm is a benefit
                    direction = "improved"
                    name = f"outcome:{code}:less:{lessened}:{hit.cue}"
            negator = _negated(norm, hit.start, negators, rules, hit.cue)
            agentive = kind == "worsening"
            if negator and not _self_negated(hit.cue, rules):
                if direction == "worsened":
                    continue  # "no adverse event": no harm, but no benefit either
                flipped = _FLIP[direction]
                cues = (f"outcome:{code}:not:{negator}", name)
                found.append(_Hit(hit.start, hit.end, flipped, cues))
                continue
            modal = _modal(norm, hit.start, modals, rules)
            if modal and direction == "improved":
                cues = (f"outcome:{code}:modal:{modal}", name)
                found.append(_Hit(hit.start, hit.end, "uncertain", cues))
            else:
                found.append(_Hit(hit.start, hit.end, direction, (name,), agentive))
    for match in _NONSIGNIFICANT_P.finditer(norm):
        cue = f"outcome:{code}:no_difference:p-value"
        found.append(_Hit(match.start(), match.end(), "no_difference", (cue,), weak=True))
    for match in _RATIO_CI.finditer(norm):
        low, high = (float(g.replace(",", ".").replace("·", ".")) for g in match.groups())
        if low <= 1.0 <= high:
            cue = f"outcome:{code}:no_difference:interval"
            found.append(_Hit(match.start(), match.end(), "no_difference", (cue,), weak=True))
    for hit in by_kind.get("tolerated", ()):
        cue = f"outcome:{code}:tolerated:{hit.cue}"
        found.append(_Hit(hit.start, hit.end, "uncertain", (cue,), weak=True))
    return found


def _last_punct(gap: str) -> int:
    """Where the last sub-clause punctuation of `gap` is."""
    return max((m.start() for m in _GAP_PUNCT.finditer(gap)), default=0)


def _adjacent(norm: str, end: int, start: int) -> bool:
    """Two words side by side: nothing but one space between them."""
    return 0 <= start - end <= 1 and not norm[end:start].strip()


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _polarity_hits(
    norm: str, by_kind: dict[str, list[CueHit]], negators: Sequence[CueHit], rules: OutcomeRules
) -> tuple[list[_Hit], list[tuple[int, int]]]:
    """Results stated as a measure that moved ("lower mortality", "higher response rate",
    `有效率高于`, "une douleur moindre"): whether the move is good depends on the measure, not
    on the change word. Each measure takes the closest change word of its sub-clause (before
    or after it, within a few words); a good move is `improved`; a bad one is `worsened`
    (harm: "lower Apgar scores"), or `not_improved` when the measure is an efficacy measure
    that itself reads as a benefit ("a lower response rate"). A negator before the pair
    flips a benefit ("was not associated with less pain") and cancels a harm. Returns the
    hits and the spans of the words they used, which say nothing more on their own."""
    results = [h.start for d in DIRECTIONS for h in by_kind.get(f"dir.{d}", ())]
    changes = [(h, "up") for h in by_kind.get("increasing", ())]
    changes += [(h, "down") for h in by_kind.get("lessening", ())]
    if not changes:
        return [], []
    measures = [
        (h, "down" if kind == "measure.down" else "up", kind == "measure.efficacy")
        for kind in ("measure.up", "measure.down", "measure.efficacy")
        for h in by_kind.get(kind, ())
    ]
    limit = _POLARITY_CHARS if rules.cjk else _POLARITY_WORDS
    code = rules.lang
    found: list[_Hit] = []
    used: list[tuple[int, int]] = []
    for measure, good, efficacy in measures:
        if any(_adjacent(norm, measure.end, other.start) for other, _, _ in measures):
            continue  # "pain relief rate", `疼痛缓解率`: the head noun is the measure
        best: tuple[int, CueHit, str] | None = None
        for change, way in changes:
            if change.start < measure.end and measure.start < change.end:
                continue
            lo, hi = min(change.end, measure.end), max(change.start, measure.start)
            gap = norm[lo:hi]
            if _CHUNK_PUNCT.search(gap) or any(lo <= r < hi for r in results):
                continue  # "pain improved more": the change word measures the result word
            size = len(gap.strip()) if rules.cjk else len(gap.split())
            cap = limit
            if _GAP_PUNCT.search(gap):
                # "the rate was 10%, higher than…", `发生率为10%，高于…`: the change word that
                # opens the next sub-clause still moves the measure just stated
                cut = _last_punct(gap)
                opens = change.start > measure.end and not gap[cut + 1 :].strip()
                stated = any(c.isdigit() for c in gap[:cut])  # the value: "为12.5%", "was 12%"
                if not (opens and stated) or len(_GAP_PUNCT.findall(gap)) > 1:
                    continue
                cap = 2 * limit
            if size <= cap and (best is None or size < best[0]):
                best = (size, change, way)
        if best is None:
            continue
        _, change, way = best
        if way == good:
            direction = "improved"
        elif efficacy:
            direction = "not_improved"
        else:
            direction = "worsened"
        start, end = min(change.start, measure.start), max(change.end, measure.end)
        name = f"outcome:{code}:measure:{change.cue} {measure.cue}"
        used += [(change.start, change.end), (measure.start, measure.end)]
        negator = _negated(norm, start, negators, rules)
        if negator:
            if direction != "improved":
                continue  # "no more complications": no harm, but no benefit either
            cues = (f"outcome:{code}:not:{negator}", name)
            found.append(_Hit(start, end, "not_improved", cues))
            continue
        found.append(_Hit(start, end, direction, (name,)))
    return found, used


def _lessened(
    norm: str, hit: CueHit, direction: str, lessening: Sequence[CueHit], rules: OutcomeRules
) -> str:
    """The "lower" / "fewer" / `降低` that measures a harm or a failure in the same clause,
    right before it ("fewer relapses") or shortly after it ("mortality was lower"), or "".
    A failure cue that carries its own negation ("no response") is left alone; a harm cue
    never does (`不良反应` is "adverse reaction", not a negation)."""
    if direction == "not_improved" and _self_negated(hit.cue, rules):
        return ""
    limit = _LESSENED_CHARS if rules.cjk else _LESSENED_WORDS
    for less in lessening:
        gap = norm[less.end : hit.start] if less.end <= hit.start else norm[hit.end : less.start]
        if less.start < hit.end and hit.start < less.end:
            continue
        if _SUBCLAUSE_PUNCT.search(gap) or _CHUNK_PUNCT.search(gap):
            continue
        size = len(gap.strip()) if rules.cjk else len(gap.split())
        if size <= limit:
            return less.cue
    return ""


def _modal(norm: str, start: int, modals: Sequence[CueHit], rules: OutcomeRules) -> str:
    """A modal ("may", "pourrait", `可能`) whose only words up to the cue are fillers ("be",
    "also", "être"): a possible benefit is an uncertain one; a possible harm stays a harm."""
    for modal in reversed(modals):
        if modal.end > start:
            continue
        gap = norm[modal.end : start]
        if rules.cjk:
            rest = gap.strip()
            for filler in sorted(rules.modal_fillers, key=len, reverse=True):
                rest = rest.replace(filler, "")
            return modal.cue if len(rest) <= 1 else ""
        words = gap.split()
        return modal.cue if all(w in rules.modal_fillers for w in words) else ""
    return ""


@cache
def _negator_words(lang: str) -> frozenset[str]:
    section = load_cue_data(lang)["outcome_direction"]
    return frozenset(n.split()[0] for n in section.get("negators", ()))


def _self_negated(cue: str, rules: OutcomeRules) -> bool:
    """A cue that carries its own negation ("no relapse", "aucune douleur", `无复发`) is not
    flipped again by the negator before it ("n'a signalé aucune douleur")."""
    if rules.cjk:
        return cue[:1] in _negator_words(rules.lang) or cue.startswith(("未", "无", "不"))
    return cue.split()[0] in _negator_words(rules.lang) if cue.split() else False


def _qualifies_disease(
    norm: str, hit: CueHit, diseases: Sequence[tuple[int, int]], rules: OutcomeRules
) -> bool:
    """ "refractory CNO", "CNO réfractaire", `难治性…`: the word describes the disease."""
    word = norm[hit.start : hit.end]
    if rules.cjk or word not in rules.qualifier_words:
        return False
    return any(0 <= s - hit.end <= 2 or 0 <= hit.start - e <= 2 for s, e in diseases)


def _absent_findings(
    norm: str,
    mentions: Sequence[tuple[Mention, tuple[int, int] | None]],
    negators: Sequence[CueHit],
    rules: OutcomeRules,
    taken: Sequence[_Hit],
) -> list[_Hit]:
    """A negated sign in an outcome sentence ("no pain", `无疼痛`) is a good result."""
    found = []
    for mention, span in mentions:
        if mention.category != "finding" or span is None:
            continue
        if any(h.start <= span[0] < h.end for h in taken):
            continue  # already inside a cue ("aucune douleur")
        if any(0 <= span[0] - h.end <= _GOVERNED_CHARS for h in taken):
            continue  # the object of a (negated) change: "n'a pas amélioré la douleur"
        negator = _negated(norm, span[0], negators, rules)
        if negator:
            cue = f"outcome:{rules.lang}:absent:{negator} {mention.label}"
            found.append(_Hit(span[0], span[1], "improved", (cue,)))
    return found


def _frames(
    by_kind: dict[str, list[CueHit]], layout: _Layout, results: Sequence[int] = ()
) -> list[Frame]:
    """(frame name, start, end, cue) stretches, forward to the sub-clause end or backward.
    A comparison's stretch ends where a result word starts: the comparator comes before the
    result in "A较B效果更佳", "A plus que B, efficace", and the result is not the comparator's."""
    frames: list[Frame] = []
    for kind, hits in by_kind.items():
        if kind.startswith("frame.") and kind not in _SCOPE_FRAMES:
            name = kind.removeprefix("frame.")
            for hit in hits:
                end = layout.sub(hit.start)[1]
                if name == "compared":
                    end = min([end, *(r for r in results if hit.end < r < end)])
                frames.append((name, hit.end, end, hit.cue))
        elif kind.startswith("bframe."):
            for hit in hits:
                frames.append(
                    (kind.removeprefix("bframe."), layout.sub(hit.start)[0], hit.start, hit.cue)
                )
    for hit in by_kind.get("better", ()):
        frames.append(("compared", hit.end, layout.sub(hit.start)[1], hit.cue))
    frames.sort(key=lambda f: (_FRAME_ORDER.index(f[0]), f[1]))
    return frames


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
    """The result a frame's treatment is measured against: the chunk's cues outside it."""
    lo, hi = layout.chunk(pos)
    pool = [h for h in asserted if lo <= h.start < hi and not start <= h.start < end]
    return _combine(pool) or _combine(list(asserted))


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
