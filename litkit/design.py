"""Guess a document's study design from its metadata and the words it uses about itself.

Publication types from PubMed/JATS are trusted first; otherwise the title and keywords
(weighted) and the opening of the text (where abstracts say "we report", "this narrative
review", "回顾性分析") are scored against per-language cue lists in
litkit/resources/cues/<lang>.json ("design"). The design with the best score wins; ties go to
the more specific design.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from litkit.cues import SUPPORTED_LANGS, CueMatcher, load_cue_data, normalise
from litkit.models import DocumentMeta
from litkit.vocab import DESIGNS

# PubMed / JATS publication types, lowercased, to a design.
PUBLICATION_TYPES = {
    "practice guideline": "guideline",
    "guideline": "guideline",
    "consensus development conference": "guideline",
    "randomized controlled trial": "trial",
    "clinical trial": "trial",
    "controlled clinical trial": "trial",
    "clinical trial, phase ii": "trial",
    "clinical trial, phase iii": "trial",
    "case reports": "case_report",
    "case report": "case_report",
    "case-report": "case_report",
    "observational study": "cohort",
    "multicenter study": "cohort",
    "cohort study": "cohort",
    "systematic review": "review",
    "meta-analysis": "review",
    "review": "review",
    "review-article": "review",
    "patient education handout": "patient_information",
}
TEXT_WINDOW = 6000  # characters of the text scored: title page and abstract
TITLE_WEIGHT = 3
MIN_SCORE = 2


@dataclass(frozen=True)
class DesignMatchers:
    """Design cues of every language, split by how word boundaries work."""

    latin: CueMatcher
    chinese: CueMatcher


@cache
def design_matchers() -> DesignMatchers:
    """Compile once the design cues of every supported language."""
    latin: dict[str, list[str]] = {}
    chinese: dict[str, list[str]] = {}
    for lang in SUPPORTED_LANGS:
        data = load_cue_data(lang)
        target = chinese if not data["word_boundaries"] else latin
        for design, cues in data.get("design", {}).items():
            target.setdefault(design, []).extend(cues)
    return DesignMatchers(CueMatcher(latin), CueMatcher(chinese, ascii_boundaries=True))


def detect_design(text: str, meta: DocumentMeta | None = None) -> str | None:
    """The study design of a document (one of DESIGNS), or None when nothing says."""
    meta = meta or DocumentMeta()
    for kind in meta.publication_types:
        design = PUBLICATION_TYPES.get(kind.strip().lower())
        if design is not None:
            return design
    scores: Counter[str] = Counter()
    heading = " ; ".join([meta.title or "", *meta.keywords])
    for design, count in _distinct_designs(heading).items():
        scores[design] += TITLE_WEIGHT * count
    for design, count in _distinct_designs(text[:TEXT_WINDOW]).items():
        scores[design] += count
    if not scores:
        return None
    best = max(DESIGNS, key=lambda d: (scores[d], -DESIGNS.index(d)))
    return best if scores[best] >= MIN_SCORE else None


def design_cues(text: str) -> dict[str, list[str]]:
    """The design cues found in a text, by design: what `litkit explain` shows."""
    found: dict[str, list[str]] = {}
    norm = normalise(text)
    matchers = design_matchers()
    for hit in [*matchers.latin.find(norm), *matchers.chinese.find(norm)]:
        found.setdefault(hit.category, [])
        if hit.cue not in found[hit.category]:
            found[hit.category].append(hit.cue)
    return found


def _distinct_designs(text: str) -> Counter[str]:
    """How many different cues of each design a text contains (repeats count once)."""
    if not text.strip():
        return Counter()
    return Counter({design: len(cues) for design, cues in design_cues(text).items()})
