"""Decide a document's study design from its metadata and the words it uses about itself.

Publication types from PubMed/JATS are trusted first. Otherwise the title and keywords (three
times) and the opening of the text (title page and abstract, where an article says "this
narrative review", "we report the case", "回顾性分析") are scored against per-language cues in
the `cues.json` of each language folder ("design"): a cue that names a design counts 2, a hint 1,
each distinct cue once. Cues belong to features ("randomised", "retrospective", ...), features
to families (trial, observational, review, case, ...). The family with the best score wins,
then the features decide inside it: randomised or not, looking back or forward, meta-analysis,
systematic or narrative review; case report or case series by the number of patients.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from litkit.cues import SUPPORTED_LANGS, CueMatcher, load_cue_data, normalise
from litkit.models import DocumentMeta
from litkit.vocab import CASE_SERIES_MIN_PATIENTS, DESIGNS

# Families in the order that breaks a tie: a leaflet is a leaflet whatever else it says, and a
# case report "with a review of the literature" is a case report.
FAMILIES: dict[str, tuple[str, ...]] = {
    "drug_information": ("drug_information",),
    "guideline": ("guideline",),
    "case": ("case_report", "case_series"),
    "review": ("meta_analysis", "systematic_review", "narrative_review"),
    "trial": ("randomised", "non_randomised", "trial"),
    "observational": ("case_control", "prospective", "retrospective", "cohort"),
    "patient_information": ("patient_information",),
}
FAMILY_OF = {feature: family for family, features in FAMILIES.items() for feature in features}

# PubMed / JATS publication types, lowercased: (family, design when the type says it exactly).
PUBLICATION_TYPES: dict[str, tuple[str, str | None]] = {
    "practice guideline": ("guideline", "guideline"),
    "guideline": ("guideline", "guideline"),
    "consensus development conference": ("guideline", "guideline"),
    "consensus development conference, nih": ("guideline", "guideline"),
    "meta-analysis": ("review", "meta_analysis"),
    "systematic review": ("review", "systematic_review"),
    "review": ("review", None),
    "review-article": ("review", None),
    "randomized controlled trial": ("trial", "randomised_trial"),
    "clinical trial": ("trial", None),
    "controlled clinical trial": ("trial", None),
    "clinical trial, phase i": ("trial", None),
    "clinical trial, phase ii": ("trial", None),
    "clinical trial, phase iii": ("trial", None),
    "clinical trial, phase iv": ("trial", None),
    "pragmatic clinical trial": ("trial", None),
    "equivalence trial": ("trial", None),
    "observational study": ("observational", None),
    "case reports": ("case", None),
    "case report": ("case", None),
    "case-report": ("case", None),
    "patient education handout": ("patient_information", "patient_information"),
}
TEXT_WINDOW = 6000  # characters of the text scored: title page and abstract
TITLE_WEIGHT = 3
STRONG, WEAK = 2, 1
MIN_SCORE = 3  # one design name alone (2) is not enough: it may be another article's title


@dataclass(frozen=True)
class DesignMatchers:
    """Design cues of every language, split by how word boundaries work."""

    latin: CueMatcher
    chinese: CueMatcher
    weights: dict[tuple[str, str], int]  # (feature, cue as listed) -> points


@cache
def design_matchers() -> DesignMatchers:
    """Compile once the design cues of every supported language."""
    latin: dict[str, list[str]] = {}
    chinese: dict[str, list[str]] = {}
    weights: dict[tuple[str, str], int] = {}
    for lang in SUPPORTED_LANGS:
        data = load_cue_data(lang)
        target = chinese if not data["word_boundaries"] else latin
        for strength, points in (("strong", STRONG), ("weak", WEAK)):
            for feature, cues in data.get("design", {}).get(strength, {}).items():
                target.setdefault(feature, []).extend(cues)
                for cue in cues:
                    weights.setdefault((feature, cue), points)
    return DesignMatchers(CueMatcher(latin), CueMatcher(chinese, ascii_boundaries=True), weights)


def design_cues(text: str) -> dict[str, list[str]]:
    """The design cues found in a text, by feature: what `litkit explain` shows."""
    found: dict[str, list[str]] = {}
    norm = normalise(text)
    matchers = design_matchers()
    for hit in [*matchers.latin.find(norm), *matchers.chinese.find(norm)]:
        found.setdefault(hit.category, [])
        if hit.cue not in found[hit.category]:
            found[hit.category].append(hit.cue)
    return found


def feature_scores(text: str, meta: DocumentMeta | None = None) -> Counter[str]:
    """Points of every design feature: distinct cues of the text, the title's three times."""
    meta = meta or DocumentMeta()
    scores: Counter[str] = Counter()
    heading = " ; ".join([meta.title or "", *meta.keywords])
    for part, weight in ((heading, TITLE_WEIGHT), (text[:TEXT_WINDOW], 1)):
        if part.strip():
            for feature, points in _points(part).items():
                scores[feature] += weight * points
    return scores


def _points(text: str) -> Counter[str]:
    weights = design_matchers().weights
    return Counter(
        {
            feature: sum(weights.get((feature, cue), WEAK) for cue in cues)
            for feature, cues in design_cues(text).items()
        }
    )


def publication_family(meta: DocumentMeta) -> tuple[str | None, str | None]:
    """(family, design) that the publication types give; the most specific type wins."""
    found = [PUBLICATION_TYPES[k] for k in (t.strip().lower() for t in meta.publication_types)
             if k in PUBLICATION_TYPES]  # fmt: skip
    if not found:
        return None, None
    order = list(FAMILIES)
    found.sort(key=lambda p: (p[1] is None, order.index(p[0]), DESIGNS.index(p[1] or DESIGNS[0])))
    return found[0]


def text_family(scores: Counter[str]) -> str | None:
    """The family with the most points (ties in FAMILIES order), if it has enough of them."""
    totals = {family: sum(scores[f] for f in features) for family, features in FAMILIES.items()}
    best = max(FAMILIES, key=lambda family: totals[family])  # first wins a tie
    return best if totals[best] >= MIN_SCORE else None


def family_of(
    text: str, meta: DocumentMeta | None = None
) -> tuple[str | None, str | None, Counter[str]]:
    """(family, exact design or None, feature points) of a document: publication types first,
    else the text; the points then decide inside the family (`resolve`)."""
    meta = meta or DocumentMeta()
    family, design = publication_family(meta)
    scores = feature_scores(text, meta) if design is None else Counter()
    if family is not None:
        return family, design, scores
    return text_family(scores), None, scores


def resolve(family: str, scores: Counter[str], patients: int | None = None) -> str:
    """The design inside a family, from the features' points and the number of patients."""
    if family == "case":
        if patients is not None:
            return "case_series" if patients >= CASE_SERIES_MIN_PATIENTS else "case_report"
        return "case_series" if scores["case_series"] > scores["case_report"] else "case_report"
    if family == "review":
        narrative = scores["narrative_review"]
        if scores["meta_analysis"] and scores["meta_analysis"] >= narrative:
            return "meta_analysis"
        if scores["systematic_review"] and scores["systematic_review"] >= narrative:
            return "systematic_review"
        return "narrative_review"
    if family == "trial":
        # CONSORT asks a randomised trial to say so in its title or abstract: silence means not.
        randomised = scores["randomised"] and not scores["non_randomised"]
        return "randomised_trial" if randomised else "non_randomised_trial"
    if family == "observational":
        if scores["case_control"] and scores["case_control"] >= STRONG:
            return "case_control"
        if scores["retrospective"] > scores["prospective"]:
            return "retrospective_cohort"
        if scores["prospective"] > scores["retrospective"]:
            return "prospective_cohort"
        return "cohort"
    return family  # guideline, drug_information, patient_information: one design each


def detect_design(
    text: str, meta: DocumentMeta | None = None, patients: int | None = None
) -> str | None:
    """The study design of a document (one of DESIGNS), or None when nothing says.

    `patients` (litkit.study) decides between a case report and a case series."""
    family, design, scores = family_of(text, meta)
    if family is None:
        return None
    return design or resolve(family, scores, patients)
