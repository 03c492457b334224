"""litkit's vocabulary: claim types, outcome directions, text roles and study designs.

One place for facts that every stage, the store, the exports and the JSON Schemas share, so
that adding a claim type, a direction or a role is one edit here (plus the rules that produce
it) instead of a hunt through modules that each kept their own copy.
"""

from __future__ import annotations

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
    "trial",
    "case_report",
    "case_series",
    "cohort",
    "review",
    "patient_information",
)
"""Study designs detect_design can return, most specific first (the order breaks ties)."""
