"""What a sentence says, cue by cue: directions and their negation, measures whose polarity
decides (lower mortality is better), modals and hedges, findings said absent, frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from litkit.cues import CueHit, load_cue_data
from litkit.models import Mention
from litkit.vocab import DIRECTIONS

from .rules import (
    _CHUNK_PUNCT,
    _DESCRIPTION_CHARS,
    _DESCRIPTION_WORDS,
    _FLIP,
    _FRAME_ORDER,
    _GAP_PUNCT,
    _GOVERNED_CHARS,
    _LESSENED_CHARS,
    _LESSENED_WORDS,
    _NONSIGNIFICANT_P,
    _POLARITY_CHARS,
    _POLARITY_WORDS,
    _RATIO_CI,
    _SCOPE_FRAMES,
    _SUBCLAUSE_PUNCT,
    CAUSING,
    PROGRESSION,
    Frame,
    OutcomeRules,
    _Hit,
    _Layout,
)


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
    kinds.append(("causing", "worsened"))  # "X can cause", "un facteur déclenchant", `可引起`
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
            agentive = kind in ("worsening", "causing")
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
            elif kind == "causing":  # named so that the sentence counts as a harm result
                cues = (name, f"outcome:{code}:{CAUSING}")
                found.append(_Hit(hit.start, hit.end, direction, cues, agentive))
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
    that itself reads as a benefit ("a lower response rate") or the disease's own burden
    that grew ("new metastases", `出现新发病灶`: progression, not harm). A negator before
    the pair flips a benefit ("was not associated with less pain") and cancels a harm, but
    a growth of the disease that did not happen is the disease held (improved). Returns the
    hits and the spans of the words they used, which say nothing more on their own."""
    results = [h.start for d in DIRECTIONS for h in by_kind.get(f"dir.{d}", ())]
    changes = [(h, "up") for h in by_kind.get("increasing", ())]
    changes += [(h, "down") for h in by_kind.get("lessening", ())]
    appearing = {(h.start, h.end) for h in by_kind.get("appearing", ())}
    changes += [(h, "up") for h in by_kind.get("appearing", ())]
    if not changes:
        return [], []
    # a fall of an efficacy measure, or a growth of the disease's own burden ("new liver
    # metastases", `新发病灶`), is a failure (not_improved), not a harm the treatment did
    failing = ("measure.efficacy", "measure.burden")
    measures = [
        (h, "down" if kind in ("measure.down", "measure.burden") else "up", kind in failing)
        for kind in ("measure.up", "measure.down", *failing)
        for h in by_kind.get(kind, ())
    ]
    burdens = {(h.start, h.end) for h in by_kind.get("measure.burden", ())}
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
            if (change.start, change.end) in appearing and (
                measure.start,
                measure.end,
            ) not in burdens:
                continue  # "new" / "developed" grows lesions, not "a new survival analysis"
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
        kind = "measure"
        if direction == "not_improved" and (measure.start, measure.end) in burdens:
            kind = PROGRESSION  # the disease grew: a result even with no drug named
        name = f"outcome:{code}:{kind}:{change.cue} {measure.cue}"
        used += [(change.start, change.end), (measure.start, measure.end)]
        negator = _negated(norm, start, negators, rules)
        if negator:
            if kind == PROGRESSION:  # "no new metastases", `未出现转移`: the disease held
                cues = (f"outcome:{code}:not:{negator}", name)
                found.append(_Hit(start, end, "improved", cues))
                continue
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
                if name == "then_treated":  # the drugs listed after it, commas and all
                    end = layout.chunk(hit.start)[1]
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


def _described_patients(
    norm: str,
    by_kind: dict[str, list[CueHit]],
    named: Sequence[tuple[int, int]],
    rules: OutcomeRules,
) -> list[tuple[int, int]]:
    """Stretches that describe the patients ("a patient with a lung cancer recurrence who…",
    "une patiente atteinte d'une rechute qui…", `复发患者`): the state they name is the
    presentation, not a result. In Latin scripts the description runs from the cue to the
    relative pronoun that closes it within a few words of the same clause (without one, as
    in "patients with CNO improved", the words after the cue may be the result and stay);
    in Chinese, where the description comes before its noun, it is the few characters
    before `患者` that open their clause (after a drug, they are its verb and object:
    `X改善患者…`). A stretch that names a treatment is not one."""
    spans: list[tuple[int, int]] = []
    for hit in by_kind.get("described", ()):
        if rules.cjk:
            before = norm[: hit.start]
            clause = max(
                (m.end() for p in (_GAP_PUNCT, _CHUNK_PUNCT) for m in p.finditer(before)),
                default=0,
            )
            span = (max(clause, hit.start - _DESCRIPTION_CHARS), hit.start)
            if any(clause <= s < span[0] for s, _ in named):
                continue  # `X未能改善患儿的骨痛`: after a drug, the words are its verb
        else:
            span = (0, 0)
            for rel in by_kind.get("relative", ()):
                if rel.start < hit.end:
                    continue
                gap = norm[hit.end : rel.start]
                if _SUBCLAUSE_PUNCT.search(gap) or _CHUNK_PUNCT.search(gap):
                    break
                if len(gap.split()) <= _DESCRIPTION_WORDS:
                    span = (hit.end, rel.start)
                break
        if span[0] < span[1] and not any(span[0] <= s < span[1] for s, _ in named):
            spans.append(span)
    return spans
