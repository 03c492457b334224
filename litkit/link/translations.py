"""Translation links: a document aligned with itself (its language parts) and with stored
documents that may be its translation, by a symmetric test of the pair, and what the writer
remembers of recent documents to find them.
"""

from __future__ import annotations

import json
import math
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .. import signature
from ..scripts import han_count
from .sentences import (
    _ACRONYM,
    _NUMBER,
    ALIGN_THRESHOLD,
    CJK_CHAR_WEIGHT,
    LENGTH_SIGMA,
    MAX_BAND_SENTENCES,
    MIN_ALIGNED_SENTENCES,
    MIN_SHARED_KEYS,
    NO_EVIDENCE_SCORE,
    POSITION_BAND,
    SQL_COMPOUND_CHUNK,
    Sentence,
    load_sentences,
    ordered_alike,
)

if TYPE_CHECKING:
    from .index import IndexPlan

    pass


# ---------------------------------------------------------------------------------------------
# Links


@dataclass(frozen=True)
class Link:
    """A link from one sentence to another; stored in both directions."""

    segment_id: str
    other_id: str
    kind: str
    score: float


def store_links(db: Database, links: Sequence[Link]) -> None:
    """Insert links both ways; a link already stored keeps its best score."""
    rows = []
    for link in links:
        score = round(link.score, 4)
        rows.append((link.segment_id, link.other_id, link.kind, score))
        rows.append((link.other_id, link.segment_id, link.kind, score))
    db.conn.executemany(
        "INSERT INTO links (segment_id, other_id, kind, score) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (segment_id, kind, other_id)"
        " DO UPDATE SET score = max(score, excluded.score)",
        rows,
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


# -- translation ------------------------------------------------------------------------------


def _size(text: str) -> float:
    """Length in Latin-character equivalents, so a sentence and its translation compare."""
    cjk = han_count(text)
    other = len("".join(text.split())) - cjk  # characters that are not whitespace
    return cjk * CJK_CHAR_WEIGHT + other


def anchors(text: str) -> frozenset[str]:
    """Numbers and acronyms: tokens a translation carries over unchanged (CNO, MRI, 48)."""
    return frozenset(_NUMBER.findall(text)) | frozenset(_ACRONYM.findall(text))


@dataclass(frozen=True)
class _Measure:
    """What pair scoring reads of a sentence, computed once per sentence, not once per pair."""

    log_size: float
    anchors: frozenset[str]


def _measure(sentence: Sentence) -> _Measure:
    return _Measure(math.log(max(_size(sentence.text), 1.0)), anchors(sentence.text))


def _pair_score(
    a: Sentence, b: Sentence, measure_a: _Measure, measure_b: _Measure, pos_a: float, pos_b: float
) -> tuple[float, bool]:
    """How likely b translates a, in [0, 1]; and whether shared concepts or anchors back it."""
    ratio = measure_a.log_size - measure_b.log_size
    length = math.exp(-(ratio**2) / (2 * LENGTH_SIGMA**2))
    position = max(0.0, 1.0 - abs(pos_a - pos_b) / POSITION_BAND)
    anchors_a, anchors_b = measure_a.anchors, measure_b.anchors
    evidence_parts = []
    if a.concepts or b.concepts:
        evidence_parts.append(_jaccard(a.concepts, b.concepts))
    if anchors_a or anchors_b:
        evidence_parts.append(_jaccard(anchors_a, anchors_b))
    evidence = sum(evidence_parts) / len(evidence_parts) if evidence_parts else NO_EVIDENCE_SCORE
    backed = bool(a.concepts & b.concepts or anchors_a & anchors_b)
    return 0.45 * length + 0.15 * position + 0.4 * evidence, backed


def align(
    left: Sequence[Sentence], right: Sequence[Sentence], *, min_backed: int = 2
) -> list[Link]:
    """Monotonic one-to-one alignment of two sentence lists (a text and its translation).

    Dynamic programming over (order, length ratio, shared concepts/numbers/acronyms) keeps the
    best set of in-order pairs scoring above `ALIGN_THRESHOLD`. The whole alignment is kept
    only if enough pairs are backed by shared concepts or anchors, so two unrelated texts of
    different languages are never linked on length alone.

    Only pairs within `POSITION_BAND` of each other's relative position (and at most
    `MAX_BAND_SENTENCES` sentences off the diagonal) can match, so the table is computed in
    that band alone: the band is convex, so a best path between two in-band matches never
    needs a cell outside it. Time and memory follow the band (a few hundred cells per
    sentence), not the product of the two lists (a 1 MB trilingual document needed 6.8 GB).
    """
    n, m = len(left), len(right)
    if n < 2 or m < 2:
        return []
    pos_l = [i / (n - 1) for i in range(n)]
    pos_r = [j / (m - 1) for j in range(m)]
    measures_l = [_measure(s) for s in left]
    measures_r = [_measure(s) for s in right]
    slope = (m - 1) / (n - 1)
    reach = min(POSITION_BAND * (m - 1), MAX_BAND_SENTENCES)  # right sentences off the diagonal

    def in_band(i: int, j: int) -> bool:  # 0-based pair indices
        return abs(pos_l[i] - pos_r[j]) < POSITION_BAND and abs(j - i * slope) < reach

    def centre(i: int) -> float:  # table row i covers pairs of left sentence i - 1
        return (min(max(i, 1), n) - 1) * slope + 1

    # Table row i spans columns [lo[i], hi[i]]: the band around its centre, widened to the
    # neighbouring rows' centres so that consecutive rows always overlap (a path exists).
    lo = [max(0, math.floor(min(centre(i - 1), centre(i)) - reach) - 2) for i in range(n + 1)]
    hi = [min(m, math.ceil(max(centre(i), centre(i + 1)) + reach) + 2) for i in range(n + 1)]
    lo[0], hi[n] = 0, m
    unreachable = -math.inf
    previous = [0.0] * (hi[0] - lo[0] + 1)  # row 0: nothing matched yet
    moves: list[bytearray] = [bytearray([2]) * (hi[0] - lo[0] + 1)]  # 1 skip left, 2 right, 3 match
    for i in range(1, n + 1):
        row_lo, row_hi, prev_lo, prev_hi = lo[i], hi[i], lo[i - 1], hi[i - 1]
        current = [unreachable] * (row_hi - row_lo + 1)
        move = bytearray(row_hi - row_lo + 1)
        for j in range(row_lo, row_hi + 1):
            up = previous[j - prev_lo] if prev_lo <= j <= prev_hi else unreachable
            options = [(up, 1)]
            if j > row_lo:
                options.append((current[j - 1 - row_lo], 2))
            if j >= 1 and prev_lo <= j - 1 <= prev_hi and in_band(i - 1, j - 1):
                score = _pair_score(
                    left[i - 1], right[j - 1], measures_l[i - 1], measures_r[j - 1],
                    pos_l[i - 1], pos_r[j - 1],
                )[0]  # fmt: skip
                if score > ALIGN_THRESHOLD:
                    options.append((previous[j - 1 - prev_lo] + score - ALIGN_THRESHOLD, 3))
            current[j - row_lo], move[j - row_lo] = max(options, key=lambda o: (o[0], o[1]))
        previous = current
        moves.append(move)
    pairs: list[tuple[int, int, float, bool]] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = moves[i][j - lo[i]] if i > 0 else 2
        if step == 3:
            score, backed = _pair_score(
                left[i - 1], right[j - 1], measures_l[i - 1], measures_r[j - 1],
                pos_l[i - 1], pos_r[j - 1],
            )  # fmt: skip
            pairs.append((i - 1, j - 1, score, backed))
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    backed_count = sum(1 for p in pairs if p[3])
    if backed_count < min(min_backed, len(pairs)) or backed_count < 0.3 * min(n, m) or not pairs:
        return []
    return [
        Link(left[a].id, right[b].id, "translation", score) for a, b, score, _ in reversed(pairs)
    ]


def _by_language(sentences: Sequence[Sentence]) -> dict[str, list[Sentence]]:
    groups: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        groups.setdefault(sentence.lang, []).append(sentence)
    return groups


def translation_links(sentences: Sequence[Sentence]) -> list[Link]:
    """Translations inside one document: align each pair of its language groups."""
    groups = _by_language(sentences)
    links: list[Link] = []
    langs = sorted(groups)
    for a_index, lang_a in enumerate(langs):
        for lang_b in langs[a_index + 1 :]:
            links += align(groups[lang_a], groups[lang_b])
    return links


def cross_document_translation_links(
    db: Database,
    plan: IndexPlan,
    sentences: Sequence[Sentence],
    recent: RecentDocuments | None = None,
) -> list[Link]:
    """Translations between this document and the stored documents that may translate it.

    A stored document is aligned with this one when the pair passes a test that reads the two
    documents alone (`_translation_candidates`, `ordered_alike`, `_concepts_agree`): every such
    pair, never the few most recent ones, so the cost is bounded by the tests, not by a cap
    that would depend on what else was stored. The alignment always
    puts the document with the smaller id on the left: the pair gets the same links whichever
    of the two came first. `sentences`: the plan's (`IndexPlan.sentences`, built once by the
    caller, which also remembers them)."""
    if not plan.translation_keys:
        return []
    recent = recent or RecentDocuments()
    langs = {row[3] for row in plan.sentence_rows}
    doc_id = plan.sentence_rows[0][1]
    candidates = _translation_candidates(db, plan.translation_keys, langs, recent, doc_id)
    if not candidates:
        return []
    groups = _by_language(sentences)
    concepts = {c for s in sentences for c in s.concepts}
    order = json.loads(plan.concept_order or "{}")
    other_orders = recent.orders(db, candidates)
    links: list[Link] = []
    for other_doc in candidates:
        if not ordered_alike(order, other_orders.get(other_doc, {})):
            continue
        other_sentences = recent.sentences(db, other_doc)
        if not _concepts_agree(concepts, {c for s in other_sentences for c in s.concepts}):
            continue
        other_groups = _by_language(other_sentences)
        left, right = (groups, other_groups) if doc_id < other_doc else (other_groups, groups)
        for lang, mine in sorted(left.items()):
            for other_lang, theirs in sorted(right.items()):
                if (
                    other_lang != lang
                    and len(mine) >= MIN_ALIGNED_SENTENCES
                    and len(theirs) >= MIN_ALIGNED_SENTENCES
                ):
                    links += align(mine, theirs, min_backed=3)
    return links


def _concepts_agree(one: set[str], other: set[str]) -> bool:
    """Two documents mention enough of each other's concepts to be translations: at least
    half of the larger set (and `signature.MIN_FEATURES`), a test symmetric in the pair."""
    threshold = max(signature.MIN_FEATURES, 0.5 * max(len(one), len(other)))
    return len(one & other) >= threshold


def _translation_candidates(
    db: Database, keys: Sequence[int], langs: set[str], recent: RecentDocuments, own: str
) -> list[str]:
    """Every stored document sharing at least `MIN_SHARED_KEYS` keys with this one and having
    a language to align with (a single-language document in this one's only language has
    none), in id order. Every one, not the most recent few: which documents are aligned must
    not depend on what else was stored before them."""
    shared: Counter[str] = Counter()
    for stored in recent.documents_under(db, keys).values():
        shared.update(stored)
    doc_ids = sorted(
        doc_id for doc_id, count in shared.items() if count >= MIN_SHARED_KEYS and doc_id != own
    )
    if not doc_ids:
        return []
    other_langs = recent.languages(db, doc_ids)
    return [d for d in doc_ids if len(langs | other_langs[d]) >= 2]


class _Lru(OrderedDict):
    """A dict that forgets its least recently used entries beyond `capacity`."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def hit(self, key: Any) -> Any:
        """The value of `key` (marked as just used), or None."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.capacity:
            self.popitem(last=False)


class RecentDocuments:
    """What translation linking reads of stored documents, kept by the writer across a batch:
    the documents stored under each translation key, the languages of documents and the
    sentences of the documents written or read lately.

    Reading them for every document was a fifth of the writer's time on the generated corpus,
    whose documents share many keys. Bounded (least recently used entries are read again when
    needed) and exact while nothing else writes: `DocumentBatch` clears it when it rolls back
    and when another connection has committed."""

    def __init__(self, keys: int = 65_536, documents: int = 65_536, sentences: int = 512) -> None:
        self._keys = _Lru(keys)  # key -> ((seq, doc id), ...), newest first
        self._langs = _Lru(documents)  # doc id -> its languages
        self._sentences = _Lru(sentences)  # doc id -> its sentences (`load_sentences`)
        self._orders = _Lru(documents)  # doc id -> its `concept_orders`

    def clear(self) -> None:
        for part in (self._keys, self._langs, self._sentences, self._orders):
            part.clear()

    def documents_under(self, db: Database, keys: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """Key -> the ids of every document stored under it."""
        found = {key: self._keys.hit(key) for key in keys}
        missing = [key for key, stored in found.items() if stored is None]
        for start in range(0, len(missing), SQL_COMPOUND_CHUNK):
            chunk = missing[start : start + SQL_COMPOUND_CHUNK]
            rows: dict[int, list[str]] = {key: [] for key in chunk}
            marks = ",".join("?" * len(chunk))
            for key, doc_id in db.execute(
                f"SELECT key, doc_id FROM translation_keys WHERE key IN ({marks})", chunk
            ):
                rows[key].append(doc_id)
            for key, stored in rows.items():
                found[key] = tuple(stored)
                self._keys.put(key, found[key])
        return found

    def add_keys(self, seq: int, doc_id: str, keys: Sequence[int]) -> None:
        """A just-stored document's keys."""
        for key in keys:
            stored = self._keys.hit(key)
            if stored is not None:  # a key not read yet is read whole when needed
                self._keys.put(key, (*stored, doc_id))

    def languages(self, db: Database, doc_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """Doc id -> the languages of that stored document (`documents.langs`)."""
        found = {doc_id: self._langs.hit(doc_id) for doc_id in doc_ids}
        missing = [doc_id for doc_id, langs in found.items() if langs is None]
        if missing:
            marks = ",".join("?" * len(missing))
            for doc_id, langs in db.execute(
                f"SELECT id, langs FROM documents WHERE id IN ({marks})", missing
            ):
                found[doc_id] = frozenset(json.loads(langs))
                self._langs.put(doc_id, found[doc_id])
        return found

    def orders(self, db: Database, doc_ids: Sequence[str]) -> dict[str, dict[str, list]]:
        """Doc id -> its stored `concept_orders` (read once, then remembered)."""
        found = {doc_id: self._orders.hit(doc_id) for doc_id in doc_ids}
        missing = [doc_id for doc_id, order in found.items() if order is None]
        for start in range(0, len(missing), SQL_COMPOUND_CHUNK):
            chunk = missing[start : start + SQL_COMPOUND_CHUNK]
            marks = ",".join("?" * len(chunk))
            for doc_id, order in db.execute(
                f"SELECT doc_id, orders FROM translation_orders WHERE doc_id IN ({marks})", chunk
            ):
                found[doc_id] = json.loads(order)
                self._orders.put(doc_id, found[doc_id])
        return {doc_id: order for doc_id, order in found.items() if order is not None}

    def add_order(self, doc_id: str, order: str | None) -> None:
        if order is not None:
            self._orders.put(doc_id, json.loads(order))

    def sentences(self, db: Database, doc_id: str) -> list[Sentence]:
        """A stored document's sentences (`load_sentences`)."""
        stored = self._sentences.hit(doc_id)
        if stored is None:
            stored = load_sentences(db, doc_id)
            self._sentences.put(doc_id, stored)
        return stored

    def add_sentences(self, doc_id: str, sentences: list[Sentence]) -> None:
        """A just-stored document's sentences, with what alignment reads as `load_sentences`
        would read it back (ids, languages, text, concepts)."""
        self._sentences.put(doc_id, sentences)


@dataclass
class LinkMemory:
    """What the writer remembers of stored documents across a batch, to link the next ones
    without reading it again (`RecentDocuments`), and the claim profiles whose
    `profile_concepts` rows it has written."""

    documents: RecentDocuments = field(default_factory=lambda: RecentDocuments())
    profiles: set[int] = field(default_factory=set)

    def clear(self) -> None:
        self.documents.clear()
        self.profiles.clear()
