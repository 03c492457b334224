"""The lexicon workflow of a review team: find a concept by any of its names, print it as a
lexicon file entry to start one's own file from, and catch a user concept that repeats a
built-in one under a new id (its mentions would be split between two ids, and a query for
either would miss half of them).

Kept apart from `litkit.lexicon` (the loader and matcher) so that module stays about matching.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import LexiconError
from .lexicon import Concept, Lexicon, default_lexicon, term_keys


def resolve(name: str, lexicon: Lexicon) -> Concept:
    """The concept with this id, or whose label or a name in any language is `name`."""
    concept = lexicon.get(name)
    if concept is not None:
        return concept
    found = lexicon.lookup(name.strip())
    if not found:
        raise LexiconError(f"no concept with id or name {name!r} (see `litkit lexicon list`)")
    if len(found) > 1:
        choices = ", ".join(f"{c.id} ({c.label})" for c in found)
        raise LexiconError(f"{name!r} names {len(found)} concepts: {choices}; give an id")
    return found[0]


def _terms(concept: Concept, abbreviations: bool) -> dict[str, list[Any]]:
    by_lang: dict[str, list[Any]] = {}
    for term in concept.terms:
        if term.abbreviation == abbreviations:
            value: Any = (
                {"text": term.text, "case_sensitive": True} if term.case_sensitive else term.text
            )
            by_lang.setdefault(term.lang, []).append(value)
    return by_lang


def concept_entry(concept: Concept) -> dict[str, Any]:
    """A concept as an entry of a lexicon file (`schemas/lexicon.schema.json`)."""
    entry: dict[str, Any] = {"id": concept.id, "category": concept.category, "label": concept.label}
    if concept.parents:
        entry["parents"] = list(concept.parents)
    for name, abbreviations in (("synonyms", False), ("abbreviations", True)):
        terms = _terms(concept, abbreviations)
        if terms:
            entry[name] = terms
    return entry


def lexicon_file(concept: Concept, lexicon: Lexicon) -> dict[str, Any]:
    """A whole lexicon file holding one concept: `litkit lexicon show X > mine.json` gives a
    file that `litkit lexicon check` accepts and `--lexicon mine.json` loads."""
    ancestors = ", ".join(lexicon.ancestors(concept.id)) or "none"
    return {
        "description": f"litkit concept {concept.id} ({concept.label}); ancestors: {ancestors}",
        "concepts": [concept_entry(concept)],
    }


def render(data: dict[str, Any]) -> str:
    """JSON as lexicon files are written: indented, non-ASCII kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def duplicate_problems(path: Path | str, builtin: Lexicon | None = None) -> list[str]:
    """User concepts with a new id whose label or a name is already a built-in concept's:
    one line each, naming the built-in id to add the names to instead."""
    builtin = builtin or default_lexicon()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []  # reported by `check_file`
    problems = []
    for index, raw in enumerate(data.get("concepts", []), start=1):
        if not isinstance(raw, dict) or builtin.get(str(raw.get("id"))) is not None:
            continue  # an entry with a built-in id extends that concept: not a duplicate
        names = [raw.get("label", "")]
        for field in ("synonyms", "abbreviations"):
            for terms in (raw.get(field) or {}).values():
                names += [t if isinstance(t, str) else t.get("text", "") for t in terms]
        for name in dict.fromkeys(n for n in names if isinstance(n, str) and term_keys(n)):
            same = [c for c in builtin.lookup(name) if c.category == raw.get("category")]
            if same:
                problems.append(
                    f"{path}: concept #{index} (id {raw.get('id')!r}): {name!r} is already"
                    f" built-in concept {same[0].id} ({same[0].label}); add your names to that"
                    " id instead of a new one"
                )
                break
    return problems
