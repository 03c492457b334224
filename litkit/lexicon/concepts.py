"""The concept model: categories, kinds, terms and concepts, the same in every language."""

from __future__ import annotations

import re
from dataclasses import dataclass

CATEGORIES = ("treatment", "drug_class", "test", "anatomy", "disease", "finding", "outcome")
TREATMENT_CATEGORIES = frozenset({"treatment", "drug_class"})

_ID_RE = re.compile(r"^(?:D[0-9]{6,9}|[a-z][a-z0-9_]*:[A-Za-z0-9][A-Za-z0-9_.\-]*)$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?$")
_CONCEPT_KEYS = frozenset(
    {"id", "category", "label", "kind", "synonyms", "abbreviations", "parents", "note"}
)
# What a treatment is, as the gold guide's `treatment_kinds` says it (optional in the data).
KINDS = ("drug", "class", "procedure", "other")


@dataclass(frozen=True)
class Term:
    """One way of writing a concept: its text, language tag and whether case matters."""

    text: str
    lang: str
    case_sensitive: bool = False
    abbreviation: bool = False


@dataclass(frozen=True)
class Concept:
    """A normalised concept: stable id, category, English preferred label, names, parents."""

    id: str
    category: str
    label: str
    parents: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    kind: str | None = None

    def names(self, lang: str | None = None) -> tuple[str, ...]:
        """The concept's written forms, optionally for one language tag prefix (`zh` = both)."""
        return tuple(t.text for t in self.terms if lang is None or t.lang.startswith(lang))


# ---------------------------------------------------------------------------------------------
# Validation of raw files (hand-written so the loader does not need jsonschema at run time and
# can name the file and entry in every message).
