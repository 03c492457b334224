"""Cross-references between sentences: what the writer stores so that reads are cheap.

Everything about one document that does not depend on other documents is *planned* by a pure
function (`plan_document`), which ingest workers run in parallel: the concept index rows, the
concept rows, the claim profiles, the translation keys and the translations inside the
document. The single writer then inserts the plan and aligns the document with stored
translations of it, inside the document's write transaction (called by `store.write_document`):

- `segment_concepts`: every sentence is indexed under the concepts it mentions *and their
  ancestors* in the lexicon used at ingest, so a claim about methylprednisolone is found as
  evidence about corticosteroids without any expansion at query time;
- `segment_search`: the full-text index (see `litkit.search`);
- `claim_profiles` / `profile_concepts` / `segments.profile`: what linking reads of a claim
  (its treatment/test concepts with their ancestors, and its confident outcome pairs), shared by
  every claim with the same profile. `same_concept`, `agrees` and `conflicts` are answered from
  them at read time, complete and ranked (`litkit.xref`), so they depend on the documents
  stored, never on the order they came in;
- `translation_keys`: MinHash band keys of the document's concepts (`litkit.signature`);
- `links`: `translation` links (a sentence and its translation, within a document or across
  documents), stored in both directions. Two documents are aligned when a symmetric test of the
  pair holds (shared keys, shared concepts, languages), whichever of the two came first, and
  always in the same orientation (the smaller document id on the left), so any ingest order
  stores the same links.

`agrees` / `conflicts` compare outcome claims of body or caption text about the same treatment
whose outcome pairs say the same confident direction, or opposite ones: `improved` against
`not_improved` or `worsened`; never an uncertain result, a recommendation, an aim or a
reference-list line, which carry no confident pair (`stance_of`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from . import search, signature
from .lexicon import TREATMENT_CATEGORIES
from .outcomes import WITHIN
from .scripts import han_count
from .vocab import CLAIM_ROLES, CONFIDENT_DIRECTIONS

if TYPE_CHECKING:
    from .lexicon import Lexicon
    from .models import Document

LINKED_CATEGORIES = TREATMENT_CATEGORIES | {"test"}
# Keys two documents must share to be aligned: about 8 * J**3 keys are shared at Jaccard J of
# their concepts (`litkit.signature`), so 2 keeps pairs above J ~ 0.6 and drops most others.
MIN_SHARED_KEYS = 2
MIN_ALIGNED_SENTENCES = 3  # a language part shorter than this is never aligned with another
# Kendall's tau two language parts' concept orders must reach to be aligned, over at least
# this many pairs of shared concepts both parts order (`same_order`). Measured: the seed
# review's English and Chinese halves, 1.0 over 14 pairs; cross-language pairs of generated
# documents (shuffles of the demo corpus's sentences) sharing translation keys, 2% pass.
ORDER_AGREEMENT = 0.8
MIN_ORDERED_PAIRS = 10
SQL_COMPOUND_CHUNK = 100  # subqueries per UNION ALL (SQLite allows 500 by default)

# Sentence alignment (translation links). A CJK character carries about as much as three
# Latin characters of its English or French translation (measured on parallel abstracts).
CJK_CHAR_WEIGHT = 3.2
LENGTH_SIGMA = 0.45  # spread of log(length ratio) between a sentence and its translation
POSITION_BAND = 0.35  # relative positions further apart than this are never aligned
# ... nor pairs more than this many sentences off the diagonal: in long documents a
# translation keeps its place, and the alignment table stays a band, not a square.
MAX_BAND_SENTENCES = 150
ALIGN_THRESHOLD = 0.42
NO_EVIDENCE_SCORE = 0.3  # evidence score of a pair where neither side has concepts or anchors

# Precomputed relevance of a sentence as evidence about a concept (higher first): claims before
# other sentences, a mention before an ancestor, then claim types, then study design.
# Ranks stay below 10 (the step between claim-type ranks); coarse values of older databases
# (litkit.vocab.DESIGN_GROUPS) rank with the members they stand for.
DESIGN_RANK = {
    "guideline": 9, "meta_analysis": 9, "systematic_review": 8, "randomised_trial": 8,
    "trial": 7, "non_randomised_trial": 6, "prospective_cohort": 6, "cohort": 5,
    "retrospective_cohort": 5, "case_control": 5, "review": 4, "narrative_review": 4,
    "case_series": 3, "case_report": 2, "drug_information": 1, "patient_information": 1,
}  # fmt: skip
TYPE_RANK = {"outcome": 4, "treatment": 2, "diagnosis": 1}
VIA_RANK = {"mention": 200, "ancestor": 100}
CLAIM_RANK = 1000  # every claim's rank is >= this, every other sentence's below it


def evidence_rank(is_claim: bool, via: str, types: Sequence[str], design: str | None) -> int:
    """The `segment_concepts.rank` of a sentence: claim, via, claim types, design."""
    type_rank = sum(TYPE_RANK.get(t, 0) for t in set(types))
    return CLAIM_RANK * is_claim + VIA_RANK[via] + 10 * type_rank + DESIGN_RANK.get(design or "", 0)


_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:[.,][0-9]+)?(?![0-9])")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?![A-Za-z])")


# ---------------------------------------------------------------------------------------------
# Sentences as the linker sees them


@dataclass(frozen=True)
class Sentence:
    """A stored sentence with what linking needs: language, concepts, stance.

    `stance` is the JSON of the sentence's confident outcome pairs, `[[treatment, direction,
    [ancestors]], ...]` (None when it has none, or is not body or caption text): what
    `agrees` / `conflicts` compare. It is stored in `claim_concepts.direction`."""

    id: str
    doc_id: str
    idx: int
    lang: str
    text: str
    is_claim: bool
    types: tuple[str, ...]
    stance: str | None
    concepts: frozenset[str]  # mentioned concept ids
    linked: frozenset[str] = frozenset()  # treatments/tests mentioned, with their ancestors
    treatments: frozenset[str] = frozenset()  # treatment/drug-class part of `linked`

    def row(self) -> SentenceRow:
        """Plain values (sets as sorted tuples): what crosses from a worker to the writer."""
        return (
            self.id, self.doc_id, self.idx, self.lang, self.text, self.is_claim, self.types,
            self.stance, tuple(sorted(self.concepts)), tuple(sorted(self.linked)),
            tuple(sorted(self.treatments)),
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: SentenceRow) -> Sentence:
        *head, concepts, linked, treatments = row
        return cls(*head, frozenset(concepts), frozenset(linked), frozenset(treatments))


# Sentence fields in order, sets as sorted tuples (`Sentence.row`).
SentenceRow = tuple[
    str, str, int, str, str, bool, tuple[str, ...], str | None,
    tuple[str, ...], tuple[str, ...], tuple[str, ...],
]  # fmt: skip


def load_sentences(db: Database, doc_id: str) -> list[Sentence]:
    """A document's sentences with their mentioned concepts, in document order."""
    mentions: dict[str, set[str]] = {}
    for segment_id, concept_id in db.execute(
        "SELECT segment_id, concept_id FROM mentions WHERE doc_id = ?", [doc_id]
    ):
        mentions.setdefault(segment_id, set()).add(concept_id)
    rows = db.execute(
        f"SELECT id, idx, lang, text, is_claim, types, {_pair_columns(db)} FROM segments"
        " WHERE doc_id = ? ORDER BY idx",
        [doc_id],
    ).fetchall()
    return [
        Sentence(
            id=sid,
            doc_id=doc_id,
            idx=idx,
            lang=lang,
            text=text,
            is_claim=bool(is_claim),
            types=tuple(json.loads(types)),
            stance=stance_of(
                types,
                _stored_pairs(pairs),
                role,
            ),
            concepts=frozenset(mentions.get(sid, ())),
        )
        for sid, idx, lang, text, is_claim, types, pairs, role in rows
    ]


def document_sentences(doc: Document) -> list[Sentence]:
    """The same sentences as `load_sentences`, from the document the writer has in memory."""
    return [
        Sentence(
            id=segment.id,
            doc_id=doc.id,
            idx=segment.index,
            lang=segment.lang,
            text=segment.text,
            is_claim=bool(segment.assessment.types),
            types=tuple(segment.assessment.types),
            stance=stance_of(
                segment.assessment.types,
                [(p.treatment, p.direction, p.cues) for p in segment.assessment.outcomes],
                segment.role,
            ),
            concepts=frozenset(m.concept_id for m in segment.mentions),
        )
        for segment in sorted(doc.segments, key=lambda s: s.index)
    ]


def _pair_columns(db: Database, prefix: str = "") -> str:
    """The segments' outcome pairs and role; before migration 0007 (while older migrations
    rebuild the index) a sentence has no pairs and reads as body text."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(segments)")}
    if "outcomes" in columns:
        return f"{prefix}outcomes, {prefix}role"
    return "'[]', 'body'"


def stance_of(
    types: str | Sequence[str], pairs: Iterable[tuple[str, str, Sequence[str]]], role: str | None
) -> str | None:
    """The JSON of a claim's confident pairs about named treatments (`Sentence.stance`), or
    None: not an outcome, not body or caption text, or only uncertain results. Ancestors are
    filled in when the document is planned (`_with_linked`)."""
    kinds = json.loads(types) if isinstance(types, str) else types
    if "outcome" not in kinds or (role or "body") not in CLAIM_ROLES:
        return None
    found = sorted(
        {(t, d) for t, d, cues in pairs if t and d in CONFIDENT_DIRECTIONS and not _within(cues)}
    )
    return json.dumps([[t, d, []] for t, d in found]) if found else None


def _with_ancestors(stance: str, ancestors_of: Callable[[str], tuple[str, ...]]) -> str:
    """The stance with each pair's treatment ancestors (how "the same treatment" is told)."""
    return json.dumps([[t, d, sorted(ancestors_of(t))] for t, d, _ in _stance_pairs(stance)])


def _stored_pairs(pairs: str) -> list[tuple[str, str, Sequence[str]]]:
    """(treatment, direction, cues) of a stored `segments.outcomes` column."""
    return [(p["treatment"], p["direction"], p.get("cues", ())) for p in json.loads(pairs)]


def _within(cues: Sequence[str]) -> bool:
    """A pair stated inside a recommendation or an aim (`litkit.outcomes.WITHIN`)."""
    return any(f":{WITHIN}" in cue for cue in cues)


def _stance_pairs(stance: str | None) -> list[tuple[str, str, frozenset[str]]]:
    return [(t, d, frozenset(a)) for t, d, a in json.loads(stance)] if stance else []


# ---------------------------------------------------------------------------------------------
# Planning (pure: runs in ingest workers) and indexing (the writer)

ConceptRow = tuple[str, str, str, str]  # (id, label, category, parents JSON)
IndexRow = tuple[str, str, str, str, int, int]  # segment_concepts
ClaimRow = tuple[str, str, str, str, str | None, str, str]  # claim_concepts but `seq`
# claim_profiles: (id, linked JSON, treatments JSON, stance JSON or None, claims of this document)
ProfileRow = tuple[int, str, str, str | None, int]


@dataclass(frozen=True)
class IndexPlan:
    """What a document adds to the evidence index that does not depend on other documents.

    Pure and picklable, so ingest workers compute it in parallel and the single writer, the
    bottleneck of a large ingest, only inserts it and links the document to stored ones."""

    # Document order, with `linked` and `treatments` filled in; as plain rows because
    # unpickling a record per sentence cost the writer more than using them.
    sentence_rows: tuple[SentenceRow, ...]
    concept_rows: tuple[ConceptRow, ...]
    index_rows: tuple[IndexRow, ...]
    profile_rows: tuple[ProfileRow, ...]
    segment_profiles: tuple[tuple[str, int], ...]  # (claim id, profile id)
    translation_keys: tuple[int, ...]
    links: tuple[Link, ...]  # translations inside the document
    concept_order: str | None = None  # `concept_orders` as JSON, for a document with keys

    def sentences(self) -> list[Sentence]:
        return [Sentence.from_row(row) for row in self.sentence_rows]

    def profile_of(self) -> dict[str, int]:
        """Claim id -> its profile id (`segments.profile`)."""
        return dict(self.segment_profiles)


def plan_document(doc: Document, lexicon: Lexicon) -> IndexPlan:
    """The index plan of a processed document (see `IndexPlan`)."""
    mentioned = [(m.concept_id, m.label, m.category) for s in doc.segments for m in s.mentions]
    return plan_index(document_sentences(doc), mentioned, doc.design, lexicon)


def plan_index(
    sentences: Sequence[Sentence],
    mentioned: Iterable[tuple[str, str, str]],
    design: str | None,
    lexicon: Lexicon,
) -> IndexPlan:
    """The index plan from a document's sentences, its (concept id, label, category) mentions
    and its design: the form both a fresh document and a stored one (`reindex_all`) come in."""
    ancestors_of = _AncestorCache(lexicon)
    concept_rows: dict[str, ConceptRow] = {}
    for cid, label, category in mentioned:
        if cid not in concept_rows:
            concept_rows[cid] = (cid, label, category, ancestors_of.parents_json(cid))
    index_rows: list[IndexRow] = []
    for sentence in sentences:
        ancestors: dict[str, None] = {}
        mention_rank = evidence_rank(sentence.is_claim, "mention", sentence.types, design)
        ancestor_rank = evidence_rank(sentence.is_claim, "ancestor", sentence.types, design)
        for cid in sorted(sentence.concepts):
            index_rows.append(
                (sentence.id, sentence.doc_id, cid, "mention", sentence.idx, mention_rank)
            )
            for ancestor in ancestors_of(cid):
                if ancestor not in sentence.concepts:
                    ancestors.setdefault(ancestor, None)
        for ancestor in ancestors:
            index_rows.append(
                (sentence.id, sentence.doc_id, ancestor, "ancestor", sentence.idx, ancestor_rank)
            )
            if ancestor not in concept_rows and (concept := lexicon.get(ancestor)) is not None:
                concept_rows[ancestor] = (
                    ancestor, concept.label, concept.category, ancestors_of.parents_json(ancestor)
                )  # fmt: skip
    categories = {cid: row[2] for cid, row in concept_rows.items()}
    linked = tuple(_with_linked(s, ancestors_of, categories) for s in sentences)
    profiles: dict[int, list] = {}
    segment_profiles = []
    for sentence in linked:
        found = claim_profile(sentence)
        if found is not None:
            profiles.setdefault(found[0], [*found, 0])[4] += 1
            segment_profiles.append((sentence.id, found[0]))
    return IndexPlan(
        sentence_rows=tuple(s.row() for s in linked),
        concept_rows=tuple(sorted(concept_rows.values())),
        index_rows=tuple(index_rows),
        profile_rows=tuple(tuple(row) for _, row in sorted(profiles.items())),  # type: ignore[misc]
        segment_profiles=tuple(segment_profiles),
        translation_keys=(keys := tuple(translation_keys(linked, ancestors_of))),
        links=tuple(translation_links(linked)),
        concept_order=json.dumps(concept_orders(linked), sort_keys=True) if keys else None,
    )


def concept_orders(sentences: Sequence[Sentence]) -> dict[str, list]:
    """Language -> [its sentence count, {concept: the ordinal of the sentence of that language
    that first mentions it}]: how the document's concepts follow one another in each language.

    A translation says the same things in the same order; two articles of a topical corpus
    share most of their concepts, in another order. Stored per document
    (`translation_orders`), so that candidates are told apart without reading their text."""
    orders: dict[str, list] = {}
    for sentence in sentences:
        part = orders.setdefault(sentence.lang, [0, {}])
        for cid in sorted(sentence.concepts):
            part[1].setdefault(cid, part[0])
        part[0] += 1
    return orders


def same_order(one: dict[str, int], other: dict[str, int]) -> bool:
    """Two language parts mention their shared concepts (at least `signature.MIN_FEATURES`) in
    nearly the same order: Kendall's tau over the pairs both order strictly (at least
    `MIN_ORDERED_PAIRS`) is at least `ORDER_AGREEMENT`. Symmetric in the pair."""
    shared = sorted(set(one) & set(other))
    if len(shared) < signature.MIN_FEATURES:
        return False
    concordant = discordant = 0
    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            product = (one[a] - one[b]) * (other[a] - other[b])
            concordant += product > 0
            discordant += product < 0
    total = concordant + discordant
    return total >= MIN_ORDERED_PAIRS and (concordant - discordant) / total >= ORDER_AGREEMENT


def ordered_alike(one: dict[str, list], other: dict[str, list]) -> bool:
    """Some language part of one document and a part of the other in another language, both
    long enough to align, mention their concepts in the same order (`same_order`)."""
    return any(
        lang != other_lang
        and size >= MIN_ALIGNED_SENTENCES
        and other_size >= MIN_ALIGNED_SENTENCES
        and same_order(order, other_order)
        for lang, (size, order) in one.items()
        for other_lang, (other_size, other_order) in other.items()
    )


def claim_profile(sentence: Sentence) -> tuple[int, str, str, str | None] | None:
    """(id, linked JSON, treatments JSON, stance) of a claim that names a treatment or test.

    Everything `same_concept`, `agrees` and `conflicts` compare of a claim is in its profile,
    and many claims share one (the same drug, the same result), so links are computed between
    profiles at read time (`litkit.xref`) and a claim only stores its profile's id: a content
    hash, the same in every database and whatever the ingest order."""
    if not (sentence.is_claim and sentence.linked):
        return None
    linked = json.dumps(sorted(sentence.linked))
    treatments = json.dumps(sorted(sentence.treatments))
    key = json.dumps([linked, treatments, sentence.stance]).encode("utf-8")
    digest = hashlib.blake2b(key, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True), linked, treatments, sentence.stance


class _AncestorCache:
    """A lexicon's ancestors and parent lists, computed once per concept of a document (a
    document names few concepts, each in many sentences)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._parents: dict[str, str] = {}

    def __call__(self, concept_id: str) -> tuple[str, ...]:
        if concept_id not in self._ancestors:
            self._ancestors[concept_id] = _ancestors(self.lexicon, concept_id)
        return self._ancestors[concept_id]

    def parents_json(self, concept_id: str) -> str:
        if concept_id not in self._parents:
            concept = self.lexicon.get(concept_id)
            self._parents[concept_id] = json.dumps(list(concept.parents) if concept else [])
        return self._parents[concept_id]


def _claim_rows(sentence: Sentence) -> list[ClaimRow]:
    """`claim_concepts` rows of a claim: one per treatment/test concept it is linked through."""
    if not (sentence.is_claim and sentence.linked):
        return []
    types = json.dumps(list(sentence.types))
    linked = json.dumps(sorted(sentence.linked))
    treatments = json.dumps(sorted(sentence.treatments))
    return [
        (cid, sentence.doc_id, sentence.id, types, sentence.stance, linked, treatments)
        for cid in sorted(sentence.linked)
    ]


def translation_keys(
    sentences: Sequence[Sentence], ancestors_of: Callable[[str], tuple[str, ...]]
) -> list[int]:
    """MinHash band keys of the document's concepts and their ancestors (translations are found
    by shared concepts, whatever the language: measured on the seed review, its English and
    Chinese parts share 0.8 of these features, but only 0.4 once the numbers and acronyms of
    the English header are added)."""
    features = {f for s in sentences for c in s.concepts for f in (c, *ancestors_of(c))}
    return _translation_keys(features, Counter(s.lang for s in sentences).values())


def _translation_keys(features: Iterable[str], part_sizes: Iterable[int]) -> list[int]:
    """Keys only for a document with a language part long enough to be aligned."""
    if max(part_sizes, default=0) < MIN_ALIGNED_SENTENCES:
        return []
    return signature.band_keys(features)


def stored_ancestor_lookup(db: Database) -> Callable[[str], tuple[str, ...]]:
    """Ancestors from the stored `concepts` rows (the lexicon used at ingest), nearest first."""
    parents = {cid: json.loads(p) for cid, p in db.execute("SELECT id, parents FROM concepts")}

    def ancestors(concept_id: str) -> tuple[str, ...]:
        found: dict[str, None] = {}
        todo = list(parents.get(concept_id, ()))
        while todo:
            parent = todo.pop(0)
            if parent not in found:
                found[parent] = None
                todo += parents.get(parent, [])
        return tuple(found)

    return ancestors


def stored_stance(
    types: str, pairs: str, role: str | None, ancestors_of: Callable[[str], tuple[str, ...]]
) -> str | None:
    """`Sentence.stance` of a stored sentence (its `types`, `outcomes` and `role` columns)."""
    stance = stance_of(
        types,
        _stored_pairs(pairs),
        role,
    )
    return _with_ancestors(stance, ancestors_of) if stance else None


def backfill_claim_concepts(db: Database) -> None:
    """Fill `claim_concepts` from the stored concept index (an upgraded database): the concept
    rows hold the lexicon used at ingest, so nothing is recomputed with another one, and
    existing links are kept."""
    claims: dict[str, tuple[str, int, str, str | None, dict[str, str]]] = {}
    pair_columns = _pair_columns(db, "s.")
    stored_ancestors = stored_ancestor_lookup(db)

    for sid, doc_id, seq, types, pairs, role, cid, category in db.execute(
        f"SELECT s.id, s.doc_id, d.rowid, s.types, {pair_columns}, sc.concept_id, c.category"
        " FROM segments s JOIN documents d ON d.id = s.doc_id"
        " JOIN segment_concepts sc ON sc.segment_id = s.id"
        " JOIN concepts c ON c.id = sc.concept_id WHERE s.is_claim = 1 ORDER BY s.id"
    ):
        stance = stored_stance(types, pairs, role, stored_ancestors)
        claims.setdefault(sid, (doc_id, seq, types, stance, {}))[4][cid] = category
    rows = []
    for sid, (doc_id, seq, types, stance, categories) in claims.items():
        linked = frozenset(c for c, cat in categories.items() if cat in LINKED_CATEGORIES)
        treatments = frozenset(c for c in linked if categories[c] in TREATMENT_CATEGORIES)
        sentence = Sentence(
            sid, doc_id, 0, "", "", True, tuple(json.loads(types)), stance, frozenset(),
            linked, treatments,
        )  # fmt: skip
        rows += [(*row, seq) for row in _claim_rows(sentence)]
    _insert_claim_rows(db, rows)


def backfill_translation_orders(db: Database) -> None:
    """`translation_orders` of the stored documents that have translation keys (migration
    0012), from their stored sentences and concepts."""
    doc_ids = [row[0] for row in db.execute("SELECT DISTINCT doc_id FROM translation_keys")]
    for doc_id in doc_ids:
        order = json.dumps(concept_orders(load_sentences(db, doc_id)), sort_keys=True)
        db.conn.execute(
            "INSERT OR REPLACE INTO translation_orders (doc_id, orders) VALUES (?, ?)",
            (doc_id, order),
        )


def backfill_profiles(db: Database) -> None:
    """Give the stored claims their profiles (migration 0012) from the stored concept index
    and concept rows (the lexicon used at ingest), nothing recomputed with another one."""
    stored_ancestors = stored_ancestor_lookup(db)
    categories = dict(db.execute("SELECT id, category FROM concepts").fetchall())
    doc_ids = [row[0] for row in db.execute("SELECT DISTINCT doc_id FROM segments WHERE is_claim")]
    for doc_id in doc_ids:
        profiles: dict[int, list] = {}
        updates = []
        for sentence in load_sentences(db, doc_id):
            found = claim_profile(_with_linked(sentence, stored_ancestors, categories))
            if found is not None:
                profiles.setdefault(found[0], [*found, 0])[4] += 1
                updates.append((found[0], sentence.id))
        db.conn.executemany("UPDATE segments SET profile = ? WHERE id = ?", updates)
        store_profiles(db, [tuple(row) for row in profiles.values()])  # type: ignore[misc]


def _insert_claim_rows(db: Database, rows: Iterable[tuple]) -> None:
    """`ClaimRow`s each followed by the document's `seq`."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO claim_concepts"
        " (concept_id, doc_id, segment_id, types, direction, linked, treatments, seq)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def backfill_translation_keys(db: Database) -> None:
    """Fill `translation_keys` from the stored concept index (an upgraded database)."""
    sizes: dict[str, list[int]] = {}
    for doc_id, count in db.execute("SELECT doc_id, count(*) FROM segments GROUP BY doc_id, lang"):
        sizes.setdefault(doc_id, []).append(count)
    features: dict[str, set[str]] = {}
    for doc_id, cid in db.execute("SELECT DISTINCT doc_id, concept_id FROM segment_concepts"):
        features.setdefault(doc_id, set()).add(cid)
    seqs = dict(db.execute("SELECT id, rowid FROM documents").fetchall())
    _insert_translation_keys(
        db,
        [
            (key, seqs[doc_id], doc_id)
            for doc_id in sorted(features)
            for key in _translation_keys(features[doc_id], sizes.get(doc_id, []))
        ],
    )


def stored_translation_keys(db: Database, doc_id: str) -> list[int]:
    """The translation keys a stored document was written with, from its stored concept index
    (as `backfill_translation_keys` computes them), so they are deleted by key."""
    sizes = [
        row[0]
        for row in db.execute(
            "SELECT count(*) FROM segments WHERE doc_id = ? GROUP BY lang", [doc_id]
        )
    ]
    features = {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT concept_id FROM segment_concepts"
            " WHERE segment_id > ? AND segment_id < ?",
            [f"{doc_id}-", f"{doc_id}."],
        )
    }
    return _translation_keys(features, sizes)


def _insert_translation_keys(db: Database, rows: Iterable[tuple[int, int, str]]) -> None:
    """(key, seq, doc_id) rows."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO translation_keys (key, seq, doc_id) VALUES (?, ?, ?)", rows
    )


def index_document(
    db: Database,
    doc_id: str,
    lexicon: Lexicon,
    plan: IndexPlan | None = None,
    search_rows: Sequence[search.SearchRow] | None = None,
    known_concepts: set[ConceptRow] | None = None,
    seq: int | None = None,
    memory: LinkMemory | None = None,
) -> None:
    """Fill the concept index, the search index, the claim profiles and the translation links
    of one stored document.

    `plan` and `search_rows` (from `store.plan_write`, usually computed by an ingest worker)
    leave the writer only the inserts and the alignment with stored documents; without them
    they are rebuilt from the stored rows (and each claim's `segments.profile` is set here;
    with a plan the segment rows carry it). `known_concepts`: concept rows this writer already
    stored in the open transaction, so they are not upserted again for every document (the
    caller clears it when the transaction rolls back). `seq`: the document's rowid (read when
    not given). `memory`: the writer's `LinkMemory`, updated with this document."""
    if plan is None:
        plan = _plan_stored(db, doc_id, lexicon)
        db.conn.executemany(
            "UPDATE segments SET profile = ? WHERE id = ?",
            [(pid, sid) for sid, pid in plan.segment_profiles],
        )
    if seq is None:
        seq = db.execute("SELECT rowid FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    conn = db.conn
    conn.executemany(
        "INSERT OR IGNORE INTO segment_concepts"
        " (segment_id, doc_id, concept_id, via, idx, rank, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*row, seq) for row in plan.index_rows],
    )
    new_concepts = [row for row in plan.concept_rows if row not in (known_concepts or ())]
    # An upsert that writes only what changed: most documents name concepts already stored,
    # and `INSERT OR REPLACE` rewrote (delete + insert) every one of them for every document.
    conn.executemany(
        "INSERT INTO concepts (id, label, category, parents) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET label = excluded.label, category = excluded.category,"
        " parents = excluded.parents WHERE (label, category, parents)"
        " IS NOT (excluded.label, excluded.category, excluded.parents)",
        new_concepts,
    )
    if known_concepts is not None:
        known_concepts.update(new_concepts)
    if search_rows is None:
        search_rows = search.search_rows((row[0], row[4]) for row in plan.sentence_rows)
    search.insert_search_rows(db, search_rows)
    memory = memory or LinkMemory()
    store_profiles(db, plan.profile_rows, memory.profiles)
    # Only a document with translation keys is aligned or becomes a translation candidate.
    sentences = plan.sentences() if plan.translation_keys else []
    links = list(plan.links)
    links += cross_document_translation_links(db, plan, sentences, memory.documents)
    # After linking: the document is never its own candidate.
    _insert_translation_keys(db, [(key, seq, doc_id) for key in plan.translation_keys])
    if plan.concept_order is not None:
        db.conn.execute(
            "INSERT INTO translation_orders (doc_id, orders) VALUES (?, ?)",
            (doc_id, plan.concept_order),
        )
    memory.documents.add_keys(seq, doc_id, plan.translation_keys)
    memory.documents.add_order(doc_id, plan.concept_order)
    if sentences:
        memory.documents.add_sentences(doc_id, sentences)
    store_links(db, links)


def store_profiles(db: Database, rows: Sequence[ProfileRow], known: set[int] | None = None) -> None:
    """Count a document's claims under their profiles; a profile new to this writer also gets
    its `profile_concepts` rows (what read-time linking looks profiles up by). The counts are
    sums, so they are the same whatever order documents are added in."""
    if not rows:
        return
    conn = db.conn
    conn.executemany(
        "INSERT INTO claim_profiles (id, linked, treatments, stance, claims)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET claims = claims + excluded.claims",
        rows,
    )
    new = [row for row in rows if known is None or row[0] not in known]
    conn.executemany(
        "INSERT OR IGNORE INTO profile_concepts (concept_id, profile_id) VALUES (?, ?)",
        [(cid, row[0]) for row in new for cid in json.loads(row[1])],
    )
    if known is not None:
        known.update(row[0] for row in new)


def forget_profiles(db: Database, doc_id: str) -> None:
    """Take a stored document's claims off their profiles' counts (before it is reindexed)."""
    db.conn.executemany(
        "UPDATE claim_profiles SET claims = claims - ? WHERE id = ?",
        db.execute(
            "SELECT count(*), profile FROM segments WHERE doc_id = ? AND profile IS NOT NULL"
            " GROUP BY profile",
            [doc_id],
        ).fetchall(),
    )


def _plan_stored(db: Database, doc_id: str, lexicon: Lexicon) -> IndexPlan:
    """The plan of a document already in the database (rebuilding the index)."""
    mentioned = db.execute(
        "SELECT DISTINCT concept_id, label, category FROM mentions WHERE doc_id = ?", [doc_id]
    ).fetchall()
    row = db.execute("SELECT design FROM documents WHERE id = ?", [doc_id]).fetchone()
    return plan_index(load_sentences(db, doc_id), mentioned, row[0] if row else None, lexicon)


def _ancestors(lexicon: Lexicon, concept_id: str) -> tuple[str, ...]:
    """Ancestors in the lexicon; none for a concept the lexicon does not know."""
    try:
        return lexicon.ancestors(concept_id)
    except KeyError:
        return ()


def _with_linked(
    sentence: Sentence,
    ancestors_of: Callable[[str], tuple[str, ...]],
    categories: dict[str, str],
) -> Sentence:
    """The sentence with its treatment/test concepts (and their ancestors) filled in."""
    linked: set[str] = set()
    for cid in sentence.concepts:
        if categories.get(cid) in LINKED_CATEGORIES:
            linked.add(cid)
            linked.update(a for a in ancestors_of(cid) if categories.get(a) in LINKED_CATEGORIES)
    if not linked and not sentence.linked:
        return sentence  # most sentences name no treatment or test: nothing to fill in
    treatments = frozenset(c for c in linked if categories.get(c) in TREATMENT_CATEGORIES)
    stance = _with_ancestors(sentence.stance, ancestors_of) if sentence.stance else None
    return dataclasses.replace(
        sentence, linked=frozenset(linked), treatments=treatments, stance=stance
    )


INDEX_TABLES = (
    "links", "segment_concepts", "concepts", "profile_concepts", "claim_profiles",
    "translation_keys", "translation_orders",
)  # fmt: skip


def reindex_all(db: Database, lexicon: Lexicon | None = None) -> int:
    """Rebuild the concept index, search index and links of every document; returns the count.

    Documents are replayed in ingest order (rowid); what is stored does not depend on it.
    """
    from .migrations import read_time_links_schema

    if lexicon is None:
        from .lexicon import default_lexicon

        lexicon = default_lexicon()
    read_time_links_schema(db)  # an old database upgraded by migration 0002 lacks it yet
    for table in (*INDEX_TABLES, search.FTS_TABLE):
        db.execute(f"DELETE FROM {table}")
    db.execute("UPDATE segments SET profile = NULL WHERE profile IS NOT NULL")
    doc_ids = [row[0] for row in db.execute("SELECT id FROM documents ORDER BY rowid")]
    for doc_id in doc_ids:
        index_document(db, doc_id, lexicon)
    return len(doc_ids)


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


def stance_relation(one: str | None, other: str | None) -> tuple[str, str] | None:
    """("agrees" | "conflicts", treatment) between two claims' stances, or None.

    Two pairs are about the same treatment when they name the same concept or one names an
    ancestor of the other (prednisolone and corticosteroids), never two siblings. The same
    confident direction agrees; `improved` against `not_improved` or `worsened` conflicts;
    `not_improved` against `worsened` (both bad news) is neither. A conflict wins over an
    agreement when two claims share several treatments."""
    found: tuple[str, str] | None = None
    for t1, d1, a1 in _stance_pairs(one):
        for t2, d2, a2 in _stance_pairs(other):
            if not (t1 == t2 or t1 in a2 or t2 in a1):
                continue
            treatment = t1 if t1 in a2 or t1 == t2 else t2
            if (d1 == "improved") != (d2 == "improved"):
                return "conflicts", treatment
            if d1 == d2 and found is None:
                found = ("agrees", treatment)
    return found
