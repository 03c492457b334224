"""The multilingual concept lexicon and the mention matcher built from it.

One concept (a drug, a drug class, a test, a site, a disease, a finding, an outcome) has one id
whatever the language it is written in, so that claims found in French, English and Chinese
articles can be cross-referenced. The concepts are data (`litkit/resources/lexicon/*.json`,
described by `schemas/lexicon.schema.json`); users extend them with files of the same shape.

Matching works on tokens rather than characters so that it is fast and respects word
boundaries: the text is folded (lowercase, accents stripped, apostrophes/hyphens unified) by a
*length-preserving* character map, so a token's offsets in the folded text are its offsets in
the original. Latin words are whole tokens (their plural `s`/`x` dropped), numbers and Greek
letters are tokens of their own, and every CJK character is a token, which gives substring
matching for Chinese and word matching for French and English with one trie walk.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from litkit.errors import LexiconError, SourceError
from litkit.inn import NameForms, boundary_words, generic_heads
from litkit.measures import MeasureFrames, measure_frames
from litkit.models import Mention

CATEGORIES = ("treatment", "drug_class", "test", "anatomy", "disease", "finding", "outcome")
TREATMENT_CATEGORIES = frozenset({"treatment", "drug_class"})

_ID_RE = re.compile(r"^(?:D[0-9]{6,9}|[a-z][a-z0-9_]*:[A-Za-z0-9][A-Za-z0-9_.\-]*)$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?$")
_CONCEPT_KEYS = frozenset(
    {"id", "category", "label", "kind", "synonyms", "abbreviations", "parents", "note"}
)
# What a treatment is, as the gold guide's `treatment_kinds` says it (optional in the data).
KINDS = ("drug", "class", "procedure", "other")

# ---------------------------------------------------------------------------------------------
# Folding: one character in, one character out, so offsets survive.


def _build_accent_table() -> dict[int, str]:
    """Map accented Latin letters to their base letter, and unify punctuation variants.

    Built from Unicode decompositions rather than a hand list so every precomposed Latin
    letter (é, ï, ç, ň, ...) folds; the few letters without a decomposition are added by hand.
    """
    table: dict[int, str] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base
    table.update({ord(k): v for k, v in zip("øØłŁđĐı", "oOlLdDi", strict=True)})
    for ch in "’‘ʼ`´′‛＇":
        table[ord(ch)] = "'"
    for ch in "‐‑‒–—―−﹣－\u00ad":
        table[ord(ch)] = "-"
    for ch in "\u00a0\u2007\u202f\u2009\u200a\u3000\t\r\n\f\v":
        table[ord(ch)] = " "
    for cp in range(0xFF01, 0xFF5F):  # fullwidth ASCII (ＭＲＩ, Ｃ反应蛋白)
        table.setdefault(cp, chr(cp - 0xFEE0))
    return table


_ACCENT_TABLE = _build_accent_table()
# Runs of characters the table maps: translating only those runs (regex scan in C) gives the
# same text as translating everything, at half the cost on mostly-unaccented sentences.
_FOLDABLE_RUN = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_ACCENT_TABLE)) + "]+")
_GREEK_NAMES = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
_TOKEN_RE = re.compile(
    r"[a-z\u00df-\u00f6\u00f8-\u024f]+|[0-9]+|[\u03b1-\u03c9]+"
    r"|[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
_JOINERS = " -'\t\r\n\f\v"  # what may separate the words of one multi-word term
# "plasma exchange (PE)", "认知行为治疗（CBT）": an abbreviation defined right after a mention.
_ABBREVIATION_DEF = re.compile(
    r"\s*[(\uff08]\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*[)\uff09;,\uff1b\uff0c]"
)
_LONG_FORM_WORDS = 2  # words before a mention that an abbreviation may also abbreviate


def fold(text: str) -> str:
    """Lowercase, strip accents and unify apostrophes/hyphens/spaces, keeping the length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lowercases to two characters
        lowered = "".join(ch.lower()[:1] for ch in text)
    if lowered.isascii():
        return lowered
    return _FOLDABLE_RUN.sub(_fold_run, lowered)


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_ACCENT_TABLE)


def _latin_key(word: str) -> str:
    """A word's matching key: plural `s`/`x` dropped, so singular and plural forms meet."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def _tokenize(folded: str) -> list[tuple[str, int, int]]:
    """(key, start, end) for every token of folded text; a CJK character is a token."""
    tokens: list[tuple[str, int, int]] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(folded):
        word = m.group()
        start = m.start()
        first = word[0]
        if first >= "\u3005":
            for k, ch in enumerate(word):
                append((ch, start + k, start + k + 1))
        elif first <= "9":
            append((word, start, m.end()))
        elif "\u03b1" <= first <= "\u03c9":
            append(("".join(_GREEK_NAMES.get(c, c) for c in word), start, m.end()))
        elif len(word) > 3 and word[-1] in "sx":  # _latin_key, inlined: the hottest loop
            append((word[:-1], start, m.end()))
        else:
            append((word, start, m.end()))
    return tokens


def _cased_key(surface: str, caseless_key: str) -> str:
    """The key of a token when case matters (VS is ESR, vs is "versus")."""
    plain = surface.translate(_ACCENT_TABLE)
    if plain == plain.lower():
        return caseless_key
    if len(plain) > 3 and plain[-1] in "sx":
        return plain[:-1]
    return plain


def _joinable(folded: str, end: int, start: int) -> bool:
    """Whether two tokens may belong to one term: only spaces, hyphens or apostrophes between."""
    return end == start or not folded[end:start].strip(_JOINERS)


def term_keys(text: str) -> tuple[str, ...]:
    """The token keys of a term, as the matcher sees it (for lookups and tests)."""
    return tuple(key for key, _, _ in _tokenize(fold(text)))


# ---------------------------------------------------------------------------------------------
# Records


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
            elif not term_keys(text):
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
    from .sources.files import read_limited

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
                    if new not in self.terms:
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

_Entry = tuple[str, "tuple[str, ...] | None"]  # concept id, cased keys when case matters
_END = ""  # trie key of a node's terminal entries (no token key is empty)


class Lexicon:
    """Concepts by id, their hierarchy, and a compiled trie for finding mentions in text.

    `forms` recognises drugs and procedures the concepts do not list by the form of their
    names (INN stems, surgical suffixes, Chinese transliteration endings); `boundary` holds
    common Chinese words a term must not start inside; `heads` the generic concepts
    (surgery) that are dropped when they directly follow a named treatment (剖腹探查|手术).
    `Lexicon.load` gives the shipped rules; a lexicon built from concepts alone has none.
    """

    def __init__(
        self,
        concepts: Iterable[Concept],
        forms: NameForms | None = None,
        boundary: frozenset[str] = frozenset(),
        heads: frozenset[str] = frozenset(),
        measures: MeasureFrames | None = None,
    ) -> None:
        self._forms = forms
        self._measures = measures
        self._ancestor_cache: dict[str, frozenset[str]] = {}
        self._boundary = boundary
        self._heads = heads
        self._concepts = {c.id: c for c in sorted(concepts, key=lambda c: c.id)}
        children: dict[str, list[str]] = {cid: [] for cid in self._concepts}
        for concept in self._concepts.values():
            for parent in concept.parents:
                children.setdefault(parent, []).append(concept.id)
        self._children = {cid: tuple(sorted(kids)) for cid, kids in children.items()}
        # Ids the two context rules look at, so most sentences skip them with one set test.
        self._procedures = frozenset(c.id for c in self._concepts.values() if c.kind == "procedure")
        self._parents_of_drugs = frozenset(
            parent
            for concept in self._concepts.values()
            if concept.kind == "drug"
            for parent in self.ancestors(concept.id)
        )
        self._trie: dict[str, Any] = {}
        self._by_label: dict[tuple[str, ...], list[str]] = {}
        for concept in self._concepts.values():
            # Labels serve lookups, not matching: a label such as "dira" must not match the
            # French verb; the data lists every written form it wants matched.
            self._by_label.setdefault(term_keys(concept.label), []).append(concept.id)
            for term in concept.terms:
                self._add(term.text, concept.id, term.case_sensitive)
                if "-" in term.text and not term.case_sensitive:  # anti-TNF -> antiTNF
                    self._add(term.text.replace("-", ""), concept.id, False)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def load(cls, extra: Sequence[Path | str] = ()) -> Lexicon:
        """The default lexicon with user files merged over it, in the order given.

        A user concept with an existing id adds its names and parents and overrides the label
        and category; a new id is added. A malformed file raises LexiconError naming the file
        and the entry.
        """
        files = [(p, s, False) for p, s in _default_files()]
        files += [(Path(p), str(p), True) for p in extra]
        concepts = [draft.build() for draft in _merge(files).values()]
        return cls(
            concepts, NameForms.default(), boundary_words(), generic_heads(), measure_frames(fold)
        )

    def _add(self, text: str, concept_id: str, case_sensitive: bool) -> None:
        folded = fold(text)
        tokens = _tokenize(folded)
        if not tokens:
            return
        node = self._trie
        for key, _, _ in tokens:
            node = node.setdefault(key, {})
        cased = tuple(_cased_key(text[s:e], k) for k, s, e in tokens) if case_sensitive else None
        entries: list[_Entry] = node.setdefault(_END, [])
        entry = (concept_id, cased)
        if entry not in entries:
            entries.append(entry)
            entries.sort(key=lambda e: (e[0], e[1] or ()))

    # -- concepts and hierarchy ---------------------------------------------------------------

    def get(self, concept_id: str) -> Concept | None:
        """The concept with this id, or None."""
        return self._concepts.get(concept_id)

    def concepts(self) -> tuple[Concept, ...]:
        """Every concept, sorted by id."""
        return tuple(self._concepts.values())

    def __len__(self) -> int:
        return len(self._concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def ancestors(self, concept_id: str) -> tuple[str, ...]:
        """Transitive parents, nearest first (breadth-first, each id once)."""
        return self._walk(concept_id, lambda cid: self._concepts[cid].parents)

    def descendants(self, concept_id: str) -> tuple[str, ...]:
        """Transitive children, nearest first (breadth-first, each id once)."""
        return self._walk(concept_id, lambda cid: self._children.get(cid, ()))

    def _walk(self, concept_id: str, step: Any) -> tuple[str, ...]:
        if concept_id not in self._concepts:
            raise KeyError(concept_id)
        seen: list[str] = []
        frontier = [concept_id]
        while frontier:
            following: list[str] = []
            for cid in frontier:
                for nxt in step(cid):
                    if nxt != concept_id and nxt not in seen:
                        seen.append(nxt)
                        following.append(nxt)
            frontier = following
        return tuple(seen)

    def lookup(self, term: str) -> list[Concept]:
        """Concepts whose id, label or a name equals `term` after folding (query expansion)."""
        if term in self._concepts:
            return [self._concepts[term]]
        keys = term_keys(term)
        node: dict[str, Any] | None = self._trie
        for key in keys:
            node = node.get(key) if node is not None else None
        ids = {cid for cid, _ in node[_END]} if node and _END in node else set()
        ids.update(self._by_label.get(keys, ()))
        return [self._concepts[cid] for cid in sorted(ids)]

    # -- matching -----------------------------------------------------------------------------

    def find_mentions(self, text: str, offset: int = 0) -> list[Mention]:
        """Longest, non-overlapping concept mentions in `text`, ordered by start.

        Offsets are into `text` plus `offset`, so a caller can pass one sentence and the
        sentence's start in the document. A span naming several concepts yields one mention
        per concept (sorted by id).
        """
        if not text:
            return []
        folded = fold(text)
        tokens = _tokenize(folded)
        root = self._trie
        mentions: list[Mention] = []
        count = len(tokens)
        i = 0
        # Only tokens that begin some term can begin a mention; most tokens begin none, so
        # pick the candidates in one comprehension rather than a full loop turn per token.
        for first in [k for k, token in enumerate(tokens) if token[0] in root]:
            if first < i:
                continue  # inside the mention just found
            i = first
            node = root[tokens[i][0]]
            best: tuple[int, list[str]] | None = None
            j = i
            while True:
                entries = node.get(_END)
                if entries is not None:
                    accepted = self._accept(entries, text, tokens, i, j)
                    if accepted:
                        best = (j, accepted)
                j += 1
                if j >= count or not _joinable(folded, tokens[j - 1][2], tokens[j][1]):
                    break
                node = node.get(tokens[j][0])
                if node is None:
                    break
            if best is None:
                continue
            last, concept_ids = best
            start, end = tokens[i][1], tokens[last][2]
            if (
                self._boundary
                and folded[start] >= "\u3400"
                and self._inside_word(folded, start, end)
            ):
                continue
            surface = text[start:end]
            for cid in concept_ids:
                concept = self._concepts[cid]
                mentions.append(
                    Mention(
                        cid, concept.label, concept.category, surface, start + offset, end + offset
                    )
                )
            i = last + 1
        if self._forms is not None:
            taken = [(m.start - offset, m.end - offset) for m in mentions]
            extra = self._forms.find(folded, text, offset, tokens, taken)
            if extra:
                mentions = sorted([*mentions, *extra], key=lambda m: (m.start, m.concept_id))
        if self._heads and len(mentions) > 1:
            mentions = self._without_generic_heads(mentions, folded, offset)
        if len(mentions) > 1 and any(m.concept_id in self._parents_of_drugs for m in mentions):
            mentions = self._without_introducing_classes(mentions, folded, offset)
        if self._measures is not None and any(m.concept_id in self._procedures for m in mentions):
            mentions = self._without_measures(mentions, folded, offset)
        return mentions

    def _without_introducing_classes(
        self, mentions: list[Mention], folded: str, offset: int
    ) -> list[Mention]:
        """Drop a treatment class written right before or beside a named member drug.

        The gold guide does not list a class word that only introduces a named drug
        ("chemotherapy with FOLFIRINOX", "antipaludéens de synthèse (hydroxychloroquine)",
        "L-lysine, an amino acid"): the sentence reports on the drug, and the class is reached
        from it through the hierarchy. Only a drug close by in the same clause counts; a
        subclass ("beta-lactam antibiotics ... all antibiotics") or a drug in another clause
        leaves the class named on its own.
        """
        drugs = [m for m in mentions if self._kind(m.concept_id) == "drug"]
        if not drugs:
            return mentions
        kept = []
        for mention in mentions:
            if mention.category in TREATMENT_CATEGORIES and any(
                mention.concept_id in self._ancestor_set(drug.concept_id)
                and _introduces(folded, mention.start - offset, mention.end - offset, drug, offset)
                for drug in drugs
            ):
                continue
            kept.append(mention)
        return kept

    def _kind(self, concept_id: str) -> str | None:
        concept = self._concepts.get(concept_id)
        return concept.kind if concept is not None else None

    def _ancestor_set(self, concept_id: str) -> frozenset[str]:
        cached = self._ancestor_cache.get(concept_id)
        if cached is None:
            known = concept_id in self._concepts
            cached = frozenset(self.ancestors(concept_id)) if known else frozenset()
            self._ancestor_cache[concept_id] = cached
        return cached

    def _without_measures(self, mentions: list[Mention], folded: str, offset: int) -> list[Mention]:
        """Drop procedures named as a measure or patient state ("duration of dialysis")."""
        assert self._measures is not None
        kept = []
        for mention in mentions:
            if mention.concept_id in self._procedures and self._measures.frames(
                folded, mention.start - offset, mention.end - offset
            ):
                continue
            kept.append(mention)
        return kept

    def _without_generic_heads(
        self, mentions: list[Mention], folded: str, offset: int
    ) -> list[Mention]:
        """Drop a generic head (surgery) that directly follows a named treatment."""
        kept: list[Mention] = []
        for mention in mentions:
            previous = kept[-1] if kept else None
            if (
                previous is not None
                and mention.concept_id in self._heads
                and previous.category == "treatment"
                and previous.concept_id not in self._heads
                and _joinable(folded, previous.end - offset, mention.start - offset)
            ):
                continue
            kept.append(mention)
        return kept

    def document_mentions(self, sentences: Sequence[tuple[str, int]]) -> list[list[Mention]]:
        """Mentions of every sentence of one document, abbreviations defined in it included.

        `sentences` are (text, offset) pairs. An article names a concept in full once with its
        abbreviation in parentheses ("plasma exchange (PE)") and then writes the abbreviation:
        an abbreviation whose letters spell the mention (and up to two words before it, as
        "simplified cognitive behaviour therapy (SCBT)"), or that follows a Chinese name, stands
        for that concept in the rest of the document. Abbreviations the lexicon already lists
        keep their own meaning.
        """
        found = [self.find_mentions(text, offset) for text, offset in sentences]
        defined: dict[str, Mention] = {}
        for (text, offset), mentions in zip(sentences, found, strict=True):
            for mention in mentions:
                match = _ABBREVIATION_DEF.match(text, mention.end - offset)
                if match is None:
                    continue
                abbreviation = match.group(1)
                if (
                    abbreviation not in defined
                    and sum(ch.isupper() for ch in abbreviation) >= 2
                    and not self.lookup(abbreviation)
                    and _abbreviates(
                        abbreviation, text, mention.start - offset, mention.end - offset
                    )
                ):
                    defined[abbreviation] = mention
        if not defined:
            return found
        names = sorted(defined, key=len, reverse=True)
        pattern = re.compile(
            r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9])"
        )
        for index, (text, offset) in enumerate(sentences):
            mentions = found[index]
            extra = []
            for match in pattern.finditer(text):
                start, end = match.start() + offset, match.end() + offset
                if any(m.start < end and start < m.end for m in mentions):
                    continue
                full = defined[match.group()]
                extra.append(
                    Mention(full.concept_id, full.label, full.category, match.group(), start, end)
                )
            if extra and self._measures is not None:
                extra = self._without_measures(extra, fold(text), offset)
            if extra:
                found[index] = sorted([*mentions, *extra], key=lambda m: (m.start, m.concept_id))
        return found

    def _inside_word(self, folded: str, start: int, end: int) -> bool:
        """Whether a common word begins before `start` and ends inside the match (护理|疗效).

        Chinese has no spaces, so a short term is also found across two words; the match is
        kept only when no listed word straddles its first character.
        """
        for length in (2, 3, 4):
            for back in range(1, length):
                begin = start - back
                if (
                    begin >= 0
                    and begin + length <= end
                    and folded[begin : begin + length] in self._boundary
                ):
                    return True
        return False

    @staticmethod
    def _accept(
        entries: list[_Entry], text: str, tokens: list[tuple[str, int, int]], i: int, j: int
    ) -> list[str]:
        """Concept ids of the entries that match tokens i..j, checking case where it matters."""
        ids: list[str] = []
        cased_surface: tuple[str, ...] | None = None
        for cid, cased in entries:
            if cased is not None:
                if cased_surface is None:
                    cased_surface = tuple(_cased_key(text[s:e], k) for k, s, e in tokens[i : j + 1])
                if cased != cased_surface:
                    continue
            if cid not in ids:
                ids.append(cid)
        return ids


_INTRODUCED_WITHIN = 32  # characters from a class word to the drug it introduces
_APPOSED_WITHIN = 8  # characters from a drug to a class word in apposition ("X, an amino acid")
_CLAUSE_BREAKS = frozenset(";.!?；。！？")
_LIST_BREAKS = _CLAUSE_BREAKS | frozenset(",，、")


def _introduces(folded: str, start: int, end: int, drug: Mention, offset: int) -> bool:
    """Whether the class word at folded[start:end] introduces or apposes `drug` in one clause."""
    drug_start, drug_end = drug.start - offset, drug.end - offset
    if drug_start >= end:  # "AINS, puis naproxène" lists two treatments: no comma allowed
        gap = folded[end:drug_start]
        return len(gap) <= _INTRODUCED_WITHIN and not _LIST_BREAKS.intersection(gap)
    if drug_end <= start:
        gap = folded[drug_end:start]
        return len(gap) <= _APPOSED_WITHIN and not _CLAUSE_BREAKS.intersection(gap)
    return False


def _abbreviates(abbreviation: str, text: str, start: int, end: int) -> bool:
    """Whether `abbreviation` spells the mention text[start:end] (with up to two words before).

    The first letter must begin a word and the other letters follow in order (the usual
    test for abbreviation definitions); a Chinese name is taken as defining its abbreviation.
    """
    surface = text[start:end]
    if any("\u3400" <= ch <= "\u9fff" for ch in surface):
        return True
    letters = [ch for ch in fold(abbreviation) if ch.isalnum()]
    before = fold(text[:start]).split()[-_LONG_FORM_WORDS:]
    words = [*before, *fold(surface).split()]
    for index, word in enumerate(words[: len(before) + 1]):
        if word[:1] != letters[0]:
            continue
        rest = iter(" ".join(words[index:])[1:])
        if all(letter in rest for letter in letters[1:]):
            return True
    return False


def treatment_names(mentions: Iterable[Mention]) -> list[str]:
    """The English labels of treatment and drug-class mentions, once each, in order of mention."""
    names: list[str] = []
    for mention in mentions:
        if mention.category in TREATMENT_CATEGORIES and mention.label not in names:
            names.append(mention.label)
    return names


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, compiled once per process."""
    return Lexicon.load()
