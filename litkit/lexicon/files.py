"""Lexicon files: read, validate (structure, ids, languages, the parent graph) and merge the
shipped files and the user's into concept drafts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from litkit.errors import LexiconError, SourceError
from litkit.lexicon.concepts import (
    _CONCEPT_KEYS,
    _ID_RE,
    _LANG_RE,
    CATEGORIES,
    KINDS,
    Concept,
    Term,
)
from litkit.lexicon.fold import has_token


def _entry_name(index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"concept #{index} (id {raw['id']!r})"
    return f"concept #{index}"


def _term_problems(value: Any, where: str, field_name: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: '{field_name}' must be an object of language -> list of terms"]
    problems = []
    for lang, terms in value.items():
        if not _LANG_RE.match(lang):
            problems.append(f"{where}: '{field_name}' has a bad language tag {lang!r}")
        if not isinstance(terms, list):
            problems.append(f"{where}: '{field_name}.{lang}' must be a list")
            continue
        for term in terms:
            text: Any
            if isinstance(term, str):
                text = term
            elif isinstance(term, dict) and set(term) <= {"text", "case_sensitive"}:
                text = term.get("text")
                if not isinstance(term.get("case_sensitive", False), bool):
                    problems.append(f"{where}: 'case_sensitive' must be true or false")
            else:
                problems.append(f"{where}: '{field_name}.{lang}' has a bad term {term!r}")
                continue
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: '{field_name}.{lang}' has an empty term")
            elif not has_token(text):
                problems.append(f"{where}: term {text!r} has no letters, digits or CJK")
    return problems


def _concept_problems(raw: Any, where: str) -> list[str]:
    """Everything wrong with one raw concept entry, each message prefixed with `where`."""
    if not isinstance(raw, dict):
        return [f"{where}: must be an object"]
    problems = [
        f"{where}: missing {key!r}" for key in ("id", "category", "label") if key not in raw
    ]
    problems += [f"{where}: unknown field {key!r}" for key in sorted(set(raw) - _CONCEPT_KEYS)]
    if "id" in raw and not (isinstance(raw["id"], str) and _ID_RE.match(raw["id"])):
        problems.append(f"{where}: bad id {raw['id']!r} (MeSH 'D000000' or 'namespace:slug')")
    if "category" in raw and raw["category"] not in CATEGORIES:
        problems.append(
            f"{where}: unknown category {raw['category']!r} (one of {', '.join(CATEGORIES)})"
        )
    if "label" in raw and not (isinstance(raw["label"], str) and raw["label"].strip()):
        problems.append(f"{where}: 'label' must be a non-empty string")
    if "kind" in raw and raw["kind"] not in KINDS:
        problems.append(f"{where}: unknown kind {raw['kind']!r} (one of {', '.join(KINDS)})")
    parents = raw.get("parents", [])
    if not (isinstance(parents, list) and all(isinstance(p, str) for p in parents)):
        problems.append(f"{where}: 'parents' must be a list of ids")
    for field_name in ("synonyms", "abbreviations"):
        if field_name in raw:
            problems += _term_problems(raw[field_name], where, field_name)
    return problems


def _read_file(path: Path | str, source: str) -> tuple[list[Any], list[str]]:
    """Parse one lexicon file; return its raw concepts and the structural problems found."""
    from litkit.sources.files import read_limited

    try:
        data = json.loads(read_limited(str(path)).decode("utf-8"))
    except OSError as exc:
        return [], [f"{source}: cannot read ({exc.strerror or exc})"]
    except SourceError as exc:  # too large, or a pipe with no data
        return [], [f"{source}: cannot read ({exc.reason})"]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [f"{source}: not valid JSON ({exc})"]
    except RecursionError:
        return [], [f"{source}: JSON nested too deeply"]
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        return [], [f"{source}: expected an object with a 'concepts' list"]
    unknown = sorted(set(data) - {"$schema", "description", "concepts"})
    problems = [f"{source}: unknown top-level field {key!r}" for key in unknown]
    for index, raw in enumerate(data["concepts"], start=1):
        problems += _concept_problems(raw, f"{source}: {_entry_name(index, raw)}")
    return data["concepts"], problems


def _default_files() -> list[tuple[Path, str]]:
    folder = resources.files("litkit") / "resources" / "lexicon"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    return [(Path(str(f)), f"lexicon/{f.name}") for f in files]


# ---------------------------------------------------------------------------------------------
# Merging raw entries into concepts


class _Draft:
    """A concept being assembled from one or more files, remembering where it came from."""

    def __init__(self, raw: dict[str, Any], where: str) -> None:
        self.id: str = raw["id"]
        self.category: str = raw["category"]
        self.label: str = raw["label"]
        self.kind: str | None = raw.get("kind")
        self.parents: list[str] = []
        self.terms: list[Term] = []
        self._seen: set[Term] = set()  # membership in O(1): a concept may have hundreds of terms
        self.where = where
        self.merge(raw)

    def merge(self, raw: dict[str, Any]) -> None:
        self.category = raw.get("category", self.category)
        self.label = raw.get("label", self.label)
        self.kind = raw.get("kind", self.kind)
        self.parents += [p for p in raw.get("parents", []) if p not in self.parents]
        for field_name in ("synonyms", "abbreviations"):
            for lang, terms in raw.get(field_name, {}).items():
                for term in terms:
                    text, cased = (
                        (term, False)
                        if isinstance(term, str)
                        else (
                            term["text"],
                            term.get("case_sensitive", False),
                        )
                    )
                    new = Term(text, lang, cased, field_name == "abbreviations")
                    if new not in self._seen:
                        self._seen.add(new)
                        self.terms.append(new)

    def build(self) -> Concept:
        return Concept(
            self.id, self.category, self.label, tuple(self.parents), tuple(self.terms), self.kind
        )


def _merge(files: Iterable[tuple[Path | str, str, bool]]) -> dict[str, _Draft]:
    """Merge files in order; `overlay` files may extend ids that earlier files defined."""
    drafts: dict[str, _Draft] = {}
    problems: list[str] = []
    for path, source, overlay in files:
        raws, file_problems = _read_file(path, source)
        problems += file_problems
        if file_problems:
            continue
        for index, raw in enumerate(raws, start=1):
            where = f"{source}: {_entry_name(index, raw)}"
            if raw["id"] not in drafts:
                drafts[raw["id"]] = _Draft(raw, where)
            elif overlay:
                drafts[raw["id"]].merge(raw)
            else:
                problems.append(f"{where}: duplicate id (already in {drafts[raw['id']].where})")
    problems += _graph_problems(drafts)
    if problems:
        raise LexiconError("; ".join(problems))
    return drafts


def _graph_problems(drafts: dict[str, _Draft]) -> list[str]:
    """Unknown parents and parent cycles, named by the entry that introduced them."""
    problems = []
    for draft in drafts.values():
        problems += [
            f"{draft.where}: unknown parent {p!r}" for p in draft.parents if p not in drafts
        ]
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(cid: str, path: list[str]) -> None:
        state[cid] = 1
        for parent in drafts[cid].parents:
            if parent not in drafts:
                continue
            if state.get(parent) == 1:
                cycle = " -> ".join([*path[path.index(parent) :], parent])
                problems.append(f"{drafts[cid].where}: parent cycle {cycle}")
            elif parent not in state:
                visit(parent, [*path, parent])
        state[cid] = 2

    for cid in sorted(drafts):
        if cid not in state:
            visit(cid, [cid])
    return problems


def check_file(path: Path | str) -> list[str]:
    """Problems in a user lexicon file (empty when it would load over the default lexicon)."""
    source = str(path)
    _, problems = _read_file(path, source)
    if problems:
        return problems
    try:
        _merge([*((p, s, False) for p, s in _default_files()), (path, source, True)])
    except LexiconError as exc:
        return str(exc).split("; ")
    return []


# ---------------------------------------------------------------------------------------------
# The lexicon and its matcher
