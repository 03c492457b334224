"""litkit's vocabulary: claim types, outcome directions, text roles and study designs.

One place for facts that every stage, the store, the exports and the JSON Schemas share, so
that adding a claim type, a direction or a role is one edit here (plus the rules that produce
it) instead of a hunt through modules that each kept their own copy.
"""

from __future__ import annotations

from litkit.languages import languages

CLAIM_TYPES: tuple[str, ...] = ("diagnosis", "treatment", "outcome")
"""What a sentence can claim, in the gold guide's order (types are always reported in it)."""

DIRECTIONS: tuple[str, ...] = ("improved", "not_improved", "worsened", "no_difference", "uncertain")
"""What an outcome says about one intervention, from the point of view of the disease."""

CONFIDENT_DIRECTIONS: frozenset[str] = frozenset({"improved", "not_improved", "worsened"})
"""Directions firm enough for `agrees` / `conflicts` between two documents."""

ROLES: tuple[str, ...] = (
    "title",
    "heading",
    "body",
    "caption",
    "reference",
    "keywords",
    "affiliation",
    "metadata",
)
"""The part of a document a sentence comes from (set by readers, or by rules on plain text)."""

CLAIM_ROLES: frozenset[str] = frozenset({"body", "caption"})
"""Only sentences in these roles carry claim types; the others stay searchable."""

DEFAULT_ROLE = "body"

DESIGNS: tuple[str, ...] = (
    "guideline",
    "meta_analysis",
    "systematic_review",
    "randomised_trial",
    "non_randomised_trial",
    "prospective_cohort",
    "retrospective_cohort",
    "cohort",
    "case_control",
    "case_series",
    "case_report",
    "narrative_review",
    "drug_information",
    "patient_information",
)
"""Study designs litkit.design can return, roughly from the strongest evidence to the weakest.

`cohort` is an observational cohort whose text does not say whether it looked forward or back.
A case series reports at least `CASE_SERIES_MIN_PATIENTS` patients, a case report fewer."""

DESIGN_GROUPS: dict[str, tuple[str, ...]] = {
    "trial": ("randomised_trial", "non_randomised_trial"),
    "cohort": ("cohort", "prospective_cohort", "retrospective_cohort"),
    "review": ("meta_analysis", "systematic_review", "narrative_review"),
}
"""Coarse designs: values stored before migration 0008_study_facts (`trial`, `cohort`,
`review`) stay readable, and filtering on one (`--design trial`) selects the group and the
old value."""

DESIGN_CHOICES: tuple[str, ...] = DESIGNS + tuple(g for g in DESIGN_GROUPS if g not in DESIGNS)
"""What `--design` accepts: every design and every coarse group."""

CASE_SERIES_MIN_PATIENTS = 3
"""A case series reports three patients or more; one or two make a case report. Definitions
differ (two or three); three is chosen because reports of two patients ("two cases of ...")
are indexed by PubMed as Case Reports, and two patients cannot show a pattern."""


def expand_designs(designs: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The stored values a design filter matches: a group stands for its members and itself."""
    expanded: list[str] = []
    for design in designs:
        for value in (design, *DESIGN_GROUPS.get(design, ())):
            if value not in expanded:
                expanded.append(value)
    return tuple(expanded)


IDENTIFIED_LANGUAGES: tuple[str, ...] = (
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "fa", "fi",
    "fr", "gu", "he", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "lv", "mk", "ml",
    "mr", "ne", "nl", "no", "pa", "pl", "pt", "ro", "ru", "sk", "sl", "so", "sq", "sv", "sw",
    "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip
"""The languages identification can name: the script and n-gram model's languages and the
open-set fallback's (langdetect; its zh-cn and zh-tw are both zh)."""

LANGUAGES: tuple[str, ...] = (
    *sorted(set(IDENTIFIED_LANGUAGES) | set(languages())),
    "und",
)
"""Every language code a sentence can get: the identified ones, every language folder
(litkit.languages, so a language added as a folder is a `--lang` choice) and `und`
(undetermined)."""
