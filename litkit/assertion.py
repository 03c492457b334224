"""Negation and hedging with a scope, in the manner of ConText (Harkema et al. 2009).

A cue governs the words its scope covers, whatever they are: "No focal neurologic deficits",
"Denies headache", "il n'y a pas de métastases", "未见骨质破坏" are negated although no
lexicon concept is named, because a finding is any content word, not only a known one.
Cues look forward ("no", "pas de", "未"), backward ("cultures were negative", "was ruled
out", "阴性") or are a negated result in themselves ("ineffective", "sans effet", "无效").

A scope runs from the cue over at most `max_scope` tokens and stops at a terminator ("but",
"otherwise", "mais", "但"), so "low-grade fever but no leukocytosis" negates leukocytosis
only, and "mild effusion, otherwise unremarkable" negates nothing the sentence names. A
scope that covers only function words ("the", "of", "的") negates nothing. Longer cues win
over the shorter ones inside them (one regex scan, longest match), which is how a
pseudo-negation ("not only", "no consensus", "gram negative") or a possibility ("cannot be
ruled out", "ne permet pas d'exclure", "不除外") hides the negation word it contains. Absence
of knowledge ("no consensus", "no trials") is a pseudo-negation, as the gold guide says,
and so is a negated verb of knowing ("has not been established", "have not been paralleled",
"尚未明确"). A sentence framed as the state of the literature ("to our knowledge",
"à notre connaissance", "据我们所知") reports what others have or have not described, not a
finding: no negation in it counts.

A hedge cue governs its forward scope, or, when nothing follows it in the clause, the words
before it ("infection is suspected", "是可能的"). Every result carries the negated and hedged
spans as [start, end) offsets into the sentence, trimmed to their first and last content word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from litkit.cues import FALLBACK_LANG, SUPPORTED_LANGS, CueHit, CueMatcher, load_cue_data
from litkit.languages import own_data
from litkit.scripts import HAN_CLASS

_HAN = HAN_CLASS
# A Han character is a token by itself; a French elided word ("d'", "l'", "qu'") is one
# too; any other Latin word may hold an apostrophe or a hyphen ("didn't", "anti-TNF").
_TOKEN = re.compile(
    rf"[{_HAN}]|(?<![^\W_])(?:qu|[cdjlmnst])'(?=[^\W_])|[^\W_{_HAN}]+(?:['-][^\W_{_HAN}]+)*"
)
Span = tuple[int, int]
_MASKS = ("pseudo", "possibility")  # cue groups that hide the negation words inside them
_DECIDING = ("negation", "hedge", "possibility")  # cue groups that can negate or hedge


@dataclass(frozen=True)
class AssertionResult:
    """Whether a sentence is negated / hedged, where, and the names of the cues that decided.

    `negated_spans` and `hedged_spans` are [start, end) offsets into the assessed sentence.
    """

    negated: bool
    hedged: bool
    cues: tuple[str, ...]
    negated_spans: tuple[Span, ...] = ()
    hedged_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class AssertionRules:
    """The compiled assertion cues of one language.

    `particles` close a French "ne" ("ne ... pas") within `ne_window` tokens after it;
    `function_words` are the words a scope may cover without covering a finding ("of",
    "the", "any", "的"); `instruction_endings` mark the verb form that addresses the reader
    (French "-ez": "ne prenez pas"). `field` matches a form field whose value negates its
    label ("Covid : non", "淋巴结：无"); `mood` matches a verb form that makes a hypothesis
    of its clause (French conditional "serait", "administrerait").
    """

    lang: str
    matcher: CueMatcher
    max_scope: int
    particles: frozenset[str]
    function_words: frozenset[str]
    instruction_endings: tuple[str, ...] = ()
    ne_window: int = 3
    prefix_endings: tuple[str, ...] = ()
    field: re.Pattern[str] | None = None
    mood: re.Pattern[str] | None = None
    mood_endings: tuple[str, ...] = ()


@cache
def assertion_rules(lang: str) -> AssertionRules:
    """Compile (once per language) the negation, pseudo, hedge and terminator cues.

    A language with no full cue file but an assertion file (`<lang>/assertion.json`, e.g.
    Spanish) takes its assertion cues from it, over the fallback language's file: English
    "no" is a Spanish negation too, but "no hay consenso" is no English pseudo-negation.
    """
    overlay = _assertion_overlay(lang)
    if lang not in SUPPORTED_LANGS and not overlay and lang != FALLBACK_LANG:
        return assertion_rules(FALLBACK_LANG)  # one compiled set for every fallback language
    data: dict[str, Any] = {**load_cue_data(lang), **overlay}
    negation = data["negation"]
    groups = {
        "negation.forward": negation["forward"],
        "negation.backward": negation["backward"],
        "negation.self": negation["self"],
        "negation.prefix": negation.get("prefix", []),
        "pseudo": negation["pseudo"],
        "literature": negation.get("literature", []),
        "hedge": data["hedge"],
        "possibility.forward": data["possibility"]["forward"],
        "possibility.backward": data["possibility"]["backward"],
        "terminator": data["terminators"],
        "conditional": data.get("conditional", []),
    }
    matcher = CueMatcher(groups, ascii_boundaries=not data["word_boundaries"])
    return AssertionRules(
        lang=data["lang"],
        matcher=matcher,
        max_scope=int(data["max_scope"]),
        particles=frozenset(data.get("ne_particles", ())),
        function_words=frozenset(data.get("function_words", ())),
        instruction_endings=tuple(negation.get("instruction_endings", ())),
        ne_window=int(negation.get("ne_window", 3)),
        prefix_endings=tuple(negation.get("prefix_endings", ())),
        field=_field_pattern(negation.get("field_values", ())),
        mood=_mood_pattern(negation.get("hedge_endings", ())),
        mood_endings=tuple(negation.get("hedge_endings", ())),
    )


def _field_pattern(values: Sequence[str]) -> re.Pattern[str] | None:
    """A form field ("label : value") whose whole value is one of `values`: the label is
    group 1. The label is a short stretch after the start of the text or a separator; the
    value ends the field (end of text, or a separator follows)."""
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(
        rf"(?:^|(?<=[\n;,.；，。]))\s*([^:：\n;,.；，。]{{1,60}}?)\s*[:：]\s*(?:{alternatives})"
        rf"\s*(?=$|[\n;,.；，。])"
    )


def _mood_pattern(endings: Sequence[str]) -> re.Pattern[str] | None:
    """A word that ends in one of `endings` (a verb mood that hedges its clause)."""
    if not endings:
        return None
    alternatives = "|".join(re.escape(e) for e in endings)
    return re.compile(rf"\b\w+(?:{alternatives})\b")


def _assertion_overlay(lang: str) -> dict[str, Any]:
    """The assertion-only cue data of a language that has no full cue file, or {}."""
    if lang in SUPPORTED_LANGS:
        return {}
    return own_data(lang, "assertion.json")


@dataclass
class _Sentence:
    """The tokens of one sentence and the cue hits that bound scopes in it."""

    text: str
    tokens: list[Span]
    starts: list[int]
    terminators: list[CueHit]
    rules: AssertionRules
    masking: list[CueHit]

    def content(self, begin: int, end: int) -> Span | None:
        """The stretch from the first to the last content token in [begin, end), if any."""
        words = self.tokens[
            bisect.bisect_left(self.starts, begin) : bisect.bisect_left(self.starts, end)
        ]
        found = [(s, e) for s, e in words if self.text[s:e] not in self.rules.function_words]
        return (found[0][0], found[-1][1]) if found else None

    def forward(self, begin: int) -> Span:
        """[begin, end) of a forward scope starting at `begin`."""
        first = bisect.bisect_left(self.starts, begin)
        last = min(first + self.rules.max_scope, len(self.tokens)) - 1
        end = self.tokens[last][1] if last >= first else begin
        for term in self.terminators:
            if begin <= term.start < end:
                end = term.start
                break
        return begin, end

    def backward(self, end: int) -> Span:
        """[begin, end) of a backward scope ending at `end`."""
        last = bisect.bisect_left(self.starts, end)
        begin_index = max(0, last - self.rules.max_scope)
        begin = self.tokens[begin_index][0] if begin_index < len(self.tokens) else end
        for term in self.terminators:
            if begin <= term.end <= end:
                begin = term.end
        return begin, end


def assess_assertion(
    text: str,
    lang: str,
    targets: Sequence[Span] = (),
    *,
    original: str | None = None,
    names: Sequence[Span] = (),
) -> AssertionResult:
    """Decide negation and hedging of a normalised sentence, with their spans.

    `targets` are [start, end) spans of known concepts (lexicon mentions, type cues): a
    scope that cuts one of them is widened to take it whole ("no acute ischemic changes").
    `original` is the sentence before lowercasing: a cue word written in capitals in a
    sentence that is not is an acronym ("nitric oxide (NO)"), not a negation. `names` are
    spans of concept names: a cue word inside one is part of the name ("non-Hodgkin
    lymphoma"; "left ventricular size is normal" as a condition), not a cue.
    """
    rules = assertion_rules(lang)
    hits = rules.matcher.find(text)
    fields = _fields(text, rules)
    if rules.mood is not None and any(e in text for e in rules.mood_endings):
        hits += _moods(text, rules, hits)
    if not hits and not fields:
        return AssertionResult(False, False, ())
    if original is not None and len(original) == len(text):
        capitalised = [h for h in hits if _capitalised_cue(h, original)]
        if capitalised and _mostly_lower_case(original):  # counted once, not once per cue
            hits = [h for h in hits if h not in capitalised]
    if names:
        hits = [h for h in hits if not any(s <= h.start and h.end <= e for s, e in names)]
    if not fields and not any(h.category.startswith(_DECIDING) for h in hits):
        # Most sentences hold only terminators ("which", ";") or pseudo cues: no scope to
        # compute, so no tokenising.
        pseudo = (
            f"{h.category}:{rules.lang}:{h.cue}"
            for h in hits
            if h.category in ("pseudo", "literature")
        )
        return AssertionResult(False, False, tuple(dict.fromkeys(pseudo)))
    masking = [h for h in hits if h.category.startswith(_MASKS)]
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    terminators = [h for h in hits if h.category == "terminator"]
    sentence = _Sentence(text, tokens, [s for s, _ in tokens], terminators, rules, masking)
    # "no consensus" hides the "no" inside it; "if symptoms do not improve" is no finding.
    conditions = [_clause(h, sentence) for h in hits if h.category == "conditional"]
    hits = [h for h in hits if h.category.startswith(_MASKS) or not _inside(h, masking)]
    if any(h.category == "literature" for h in hits):
        # "To our knowledge, no case has been treated with X": the sentence reports what the
        # literature holds, so a negation in it is no finding of the study.
        hits = [h for h in hits if not h.category.startswith("negation")]
    hits = [
        h
        for h in hits
        if not (h.category.startswith("negation") and any(s <= h.start < e for s, e in conditions))
    ]
    cues: list[str] = []
    negated: list[Span] = []
    hedged: list[Span] = []
    code = rules.lang
    for label, value in fields:
        negated.append(_widen(label, targets))
        cues.append(f"negation:{code}:field {value}")
    for hit in hits:
        kind = hit.category
        if kind == "negation.self":
            negated.append((hit.start, hit.end))
            cues.append(f"negation:{code}:{hit.cue}")
        elif kind == "negation.prefix":
            # "non métastasé": the prefix negates the next word only, and only a participle
            # ("non spécifique" qualifies, it negates no finding).
            first = bisect.bisect_left(sentence.starts, hit.end)
            if first < len(sentence.tokens):
                word = sentence.tokens[first]
                endings = rules.prefix_endings
                if sentence.content(*word) and (
                    not endings or sentence.text[word[0] : word[1]].endswith(endings)
                ):
                    negated.append(_widen(word, targets))
                    cues.append(f"negation:{code}:{hit.cue}")
        elif kind in ("negation.forward", "negation.backward"):
            span = _negation_scope(hit, kind, sentence)
            if span is not None:
                negated.append(_widen(span, targets))
                cues.append(f"negation:{code}:{hit.cue}")
        elif kind in ("hedge", "possibility.forward", "possibility.backward"):
            # "may X", "ne permet pas d'exclure X"; "X is suspected", "X cannot be ruled out"
            ways = [sentence.forward(hit.end), sentence.backward(hit.start)]
            if kind == "possibility.backward":
                ways.reverse()
            span = sentence.content(*ways[0]) or sentence.content(*ways[1])
            hedged.append(_widen(span, targets) if span else (hit.start, hit.end))
            cues.append(f"hedge:{code}:{hit.cue}")
        elif kind in ("pseudo", "literature"):
            cues.append(f"{kind}:{code}:{hit.cue}")
    negated_spans = _merge(negated, sentence)
    hedged_spans = _merge(hedged, sentence)
    return AssertionResult(
        bool(negated_spans),
        bool(hedged_spans),
        tuple(dict.fromkeys(cues)),
        negated_spans,
        hedged_spans,
    )


def _inside(hit: CueHit, spans: Sequence[CueHit]) -> bool:
    return any(p.start <= hit.start and hit.end <= p.end and p is not hit for p in spans)


def _negation_scope(hit: CueHit, kind: str, sentence: _Sentence) -> Span | None:
    """The content a forward or backward negation cue governs, or None if it governs none."""
    if kind == "negation.backward":
        return sentence.content(*sentence.backward(hit.start))
    rules = sentence.rules
    begin = hit.end
    cue_text = sentence.text[hit.start : hit.end].strip()
    if cue_text in rules.particles and _after_ne(hit, sentence):
        # "ne fume pas": the "ne" governs the negation (and decides whether it is one).
        return None
    if rules.particles and cue_text in ("ne", "n'"):
        # French "ne ... pas": a negation only when a particle follows closely, so the
        # expletive "avant qu'il ne soit" and the restrictive "ne ... que" are not.
        first = bisect.bisect_left(sentence.starts, hit.end)
        closing = [
            t
            for t in sentence.tokens[first : first + rules.ne_window]
            if sentence.text[t[0] : t[1]] in rules.particles
            and not any(m.start <= t[0] < m.end for m in sentence.masking)
        ]
        if not closing:
            return None
        begin = closing[0][1]
        if _addresses_reader(hit.end, closing[0][0], sentence):
            return None
        # "ne répond pas": the verb between "ne" and "pas" is negated too.
        verb = sentence.content(hit.end, closing[0][0])
        scope = sentence.content(*sentence.forward(begin))
        if verb and scope:
            return verb[0], scope[1]
        return verb or scope
    return sentence.content(*sentence.forward(begin))


def _after_ne(hit: CueHit, sentence: _Sentence) -> bool:
    """Whether a particle ("pas", "jamais") closes a "ne"/"n'" standing at most `ne_window`
    tokens before it."""
    index = bisect.bisect_left(sentence.starts, hit.start)
    window = sentence.tokens[max(0, index - sentence.rules.ne_window) : index]
    return any(sentence.text[s:e] in ("ne", "n'") for s, e in window)


def _fields(text: str, rules: AssertionRules) -> list[tuple[Span, str]]:
    """Form fields whose value negates their label ("Covid : non"): (label span, value)."""
    if rules.field is None or (":" not in text and "：" not in text):
        return []
    found = []
    for match in rules.field.finditer(text):
        label = match.span(1)
        value = text[match.end(1) : match.end()].lstrip(" \t:：").strip()
        found.append((label, value))
    return found


def _moods(text: str, rules: AssertionRules, hits: Sequence[CueHit]) -> list[CueHit]:
    """Hedge hits for words in a hedging verb mood ("administrerait") that no listed cue
    already covers."""
    assert rules.mood is not None
    return [
        CueHit("hedge", "-" + m.group(), m.start(), m.end())
        for m in rules.mood.finditer(text)
        if not any(h.start <= m.start() < h.end for h in hits)
    ]


def _addresses_reader(begin: int, end: int, sentence: _Sentence) -> bool:
    """Whether the verb of a "ne ... pas" in [begin, end) is in the form that addresses the
    reader ("ne prenez pas", "n'arrêtez pas"): an instruction of a leaflet or a
    recommendation, not a finding about a patient."""
    endings = sentence.rules.instruction_endings
    if not endings:
        return False
    words = sentence.tokens[
        bisect.bisect_left(sentence.starts, begin) : bisect.bisect_left(sentence.starts, end)
    ]
    return any(e - s > 3 and sentence.text[s:e].endswith(endings) for s, e in words)


def _clause(hit: CueHit, sentence: _Sentence) -> Span:
    """The clause a conditional cue opens: up to a comma or terminator, at most twice a scope."""
    first = bisect.bisect_left(sentence.starts, hit.end)
    last = min(first + 2 * sentence.rules.max_scope, len(sentence.tokens)) - 1
    end = sentence.tokens[last][1] if last >= first else hit.end
    comma = min(
        (i for i in (sentence.text.find(c, hit.end, end) for c in ",，;；") if i >= 0), default=end
    )
    for term in sentence.terminators:
        if hit.end <= term.start < end:
            end = term.start
            break
    return hit.start, min(end, comma)


def _capitalised_cue(hit: CueHit, original: str) -> bool:
    """A negation cue that may be part of a name (an acronym when the sentence is mostly in
    lower case, see `_mostly_lower_case`): written in capitals ("nitric oxide (NO)") or
    capitalised inside the sentence ("Positive and Negative Syndrome Scale"); a first word,
    or one after a colon ("Neuro: Denies ..."), is capitalised anyway."""
    if not hit.category.startswith("negation"):
        return False
    words = original[hit.start : hit.end].split()
    if any(len(w) > 1 and w.isupper() for w in words):
        return True
    if not words or not words[0][:1].isupper():
        return False
    # capitalised after a word or a comma, not at the start of a sentence or a heading's text
    last = _last_visible(original, hit.start)
    return last.isalnum() or last == ","


def _last_visible(text: str, end: int) -> str:
    """The last non-space character before `end`, or "": what `text[:end].rstrip()[-1:]`
    gives, without copying the text before it (a long piece has many cues)."""
    at = end - 1
    while at >= 0 and text[at].isspace():
        at -= 1
    return text[at] if at >= 0 else ""


def _mostly_lower_case(original: str) -> bool:
    """Fewer than half the letters are capitals: a sentence, not a heading in capitals."""
    letters = [c for c in original if c.isalpha()]
    return sum(c.isupper() for c in letters) < 0.5 * len(letters)


def _widen(span: Span, targets: Sequence[Span]) -> Span:
    """Take whole every known concept the span cuts."""
    start, end = span
    for t_start, t_end in targets:
        if t_start < end and t_end > start:
            start, end = min(start, t_start), max(end, t_end)
    return start, end


def _merge(spans: list[Span], sentence: _Sentence) -> tuple[Span, ...]:
    """Sorted spans, merged where only function words part them: one span per stretch
    ("cultures | were | negative" is one negated stretch)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not sentence.content(merged[-1][1], start)):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)
