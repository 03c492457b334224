"""The Lexicon: a token trie over every name of every concept, and the mention rules (longest
match, case where it matters, Chinese substrings not inside a word, abbreviations defined in
the document, class words introducing a drug, measures and generic heads left out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from litkit.inn import NameForms, boundary_words, generic_heads
from litkit.lexicon.concepts import TREATMENT_CATEGORIES, Concept
from litkit.lexicon.files import _default_files, _merge
from litkit.lexicon.fold import (
    _ABBREVIATION_DEF,
    _LONG_FORM_WORDS,
    _cased_key,
    _joinable,
    _tokenize,
    fold,
    term_keys,
)
from litkit.measures import MeasureFrames, measure_frames
from litkit.models import Mention
from litkit.scripts import has_han, is_han

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
            if self._boundary and is_han(folded[start]) and self._inside_word(folded, start, end):
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
    if has_han(surface):
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
