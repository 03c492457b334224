"""Negation and hedging with a scope, in the manner of ConText (Harkema et al. 2009).

A negation cue only negates a sentence when its scope covers a clinical target (a type cue,
a lexicon mention, or a result/effect word): "no response to antibiotics" is negated, "no
consensus on the dose" is not (a pseudo cue), nor is "antibiotics, but no consensus". Cues
look forward ("no", "pas de", "未"), backward ("cultures were negative", "阴性") or are a
negated result in themselves ("ineffective", "sans effet", "无效"). A scope ends after
`max_scope` tokens or at a terminator ("but", "mais", "但").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from litkit.cues import CueHit, CueMatcher, load_cue_data

_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class AssertionResult:
    """Whether a sentence is negated / hedged, and the names of the cues that decided it."""

    negated: bool
    hedged: bool
    cues: tuple[str, ...]


@dataclass(frozen=True)
class AssertionRules:
    """The compiled assertion cues of one language."""

    lang: str
    matcher: CueMatcher
    max_scope: int
    particles: frozenset[str]


@cache
def assertion_rules(lang: str) -> AssertionRules:
    """Compile (once per language) the negation, pseudo, hedge and terminator cues."""
    data: dict[str, Any] = load_cue_data(lang)
    negation = data["negation"]
    groups = {
        "negation.forward": negation["forward"],
        "negation.backward": negation["backward"],
        "negation.self": negation["self"],
        "pseudo": negation["pseudo"],
        "hedge": data["hedge"],
        "terminator": data["terminators"],
    }
    matcher = CueMatcher(groups, ascii_boundaries=not data["word_boundaries"])
    particles = frozenset(data.get("ne_particles", ()))
    return AssertionRules(data["lang"], matcher, int(data["max_scope"]), particles)


def assess_assertion(text: str, lang: str, targets: Sequence[tuple[int, int]]) -> AssertionResult:
    """Decide negation and hedging of a normalised sentence.

    `targets` are [start, end) spans in `text` of things a negation can apply to (type
    cues, lexicon mentions, effect words); a forward or backward cue negates only when one
    of them lies in its scope.
    """
    rules = assertion_rules(lang)
    hits = rules.matcher.find(text)
    if not hits:
        return AssertionResult(False, False, ())
    pseudo = [h for h in hits if h.category == "pseudo"]
    if pseudo:  # "no consensus" hides the "no" inside it
        hits = [h for h in hits if h.category == "pseudo" or not _inside_any(h, pseudo)]
    scoped = any(h.category in ("negation.forward", "negation.backward") for h in hits)
    tokens = [m.span() for m in _TOKEN.finditer(text)] if scoped else []
    starts = [s for s, _ in tokens]
    terminators = [h for h in hits if h.category == "terminator"]
    cues: list[str] = []
    negated = False
    for hit in hits:
        kind = hit.category
        if kind == "negation.self":
            negated = True
            cues.append(f"negation:{rules.lang}:{hit.cue}")
        elif kind in ("negation.forward", "negation.backward"):
            scope = _scope(hit, kind, text, tokens, starts, terminators, pseudo, rules)
            if scope and any(s < scope[1] and e > scope[0] for s, e in targets):
                negated = True
                cues.append(f"negation:{rules.lang}:{hit.cue}")
        elif kind == "hedge":
            cues.append(f"hedge:{rules.lang}:{hit.cue}")
        elif kind == "pseudo":
            cues.append(f"pseudo:{rules.lang}:{hit.cue}")
    hedged = any(c.startswith("hedge:") for c in cues)
    return AssertionResult(negated, hedged, tuple(dict.fromkeys(cues)))


def _inside_any(hit: CueHit, spans: Sequence[CueHit]) -> bool:
    return any(p.start <= hit.start and hit.end <= p.end and p is not hit for p in spans)


def _scope(
    hit: CueHit,
    kind: str,
    text: str,
    tokens: list[tuple[int, int]],
    starts: list[int],
    terminators: list[CueHit],
    pseudo: list[CueHit],
    rules: AssertionRules,
) -> tuple[int, int] | None:
    """The [start, end) character span a cue governs, or None if the cue does not apply."""
    limit = rules.max_scope
    if kind == "negation.forward":
        first = bisect.bisect_left(starts, hit.end)
        cue_text = text[hit.start : hit.end].strip()
        if rules.particles and cue_text in ("ne", "n'"):
            # French "ne ... pas": a negation only when the particle follows closely.
            window = tokens[first : first + 3]
            closing = [
                t
                for t in window
                if text[t[0] : t[1]] in rules.particles
                and not any(p.start <= t[0] < p.end for p in pseudo)
            ]
            if not closing:
                return None
            first = tokens.index(closing[0])
            begin = hit.start
        else:
            begin = hit.end
        last = min(first + limit, len(tokens)) - 1
        end = tokens[last][1] if last >= first else hit.end
        for term in terminators:
            if begin <= term.start < end:
                end = term.start
        return begin, end
    # Backward: the tokens just before the cue, the cue itself included.
    first_token = bisect.bisect_left(starts, hit.start)
    begin_index = max(0, first_token - limit)
    begin = tokens[begin_index][0] if tokens and begin_index < len(tokens) else 0
    for term in terminators:
        if begin <= term.end <= hit.start:
            begin = term.end
    return begin, hit.end
