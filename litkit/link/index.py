"""The concept index and the claim profiles: planned by a pure function in the ingest
workers (`plan_index`, from `litkit.plan`), written by the single writer (`index_document`),
backfilled for older databases, rebuilt by `reindex_all`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from .. import search, signature
from ..lexicon import TREATMENT_CATEGORIES
from .sentences import (
    LINKED_CATEGORIES,
    MIN_ALIGNED_SENTENCES,
    Sentence,
    SentenceRow,
    _stored_pairs,
    _with_ancestors,
    concept_orders,
    evidence_rank,
    load_sentences,
    stance_of,
)
from .translations import (
    Link,
    LinkMemory,
    cross_document_translation_links,
    store_links,
    translation_links,
)

if TYPE_CHECKING:
    from ..lexicon import Lexicon


# ---------------------------------------------------------------------------------------------
# Planning (pure: runs in ingest workers) and indexing (the writer)

ConceptRow = tuple[str, str, str, str]  # (id, label, category, parents JSON)
IndexRow = tuple[str, str, str, str, int, int]  # segment_concepts
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
        profile_rows=tuple(tuple(row) for _, row in sorted(profiles.items())),
        segment_profiles=tuple(segment_profiles),
        translation_keys=(keys := tuple(translation_keys(linked, ancestors_of))),
        links=tuple(translation_links(linked)),
        concept_order=json.dumps(concept_orders(linked), sort_keys=True) if keys else None,
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


def stored_translation_keys(db: Database, doc_id: str) -> list[int]:
    """The translation keys a stored document was written with, from its stored concept index,
    so they are deleted by key."""
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
    search_rows: Iterable[search.SearchRow] | None = None,
    known_concepts: set[ConceptRow] | None = None,
    seq: int | None = None,
    memory: LinkMemory | None = None,
) -> None:
    """Fill the concept index, the search index, the claim profiles and the translation links
    of one stored document.

    `plan` and `search_rows` (from `plan.plan_write`, usually computed by an ingest worker)
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
        db.conn.execute(
            "UPDATE documents SET profile_counts = ? WHERE id = ?",
            (profile_counts_json((row[0], row[4]) for row in plan.profile_rows), doc_id),
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


def profile_counts_json(counts: Iterable[tuple[int, int]]) -> str:
    """`documents.profile_counts`: the document's claims per claim profile, as compact JSON
    `[[profile, claims], ...]` in profile order (the form migration 0013 backfills), which
    read-time links subtract for a claim's own document (`litkit.xref`)."""
    return json.dumps(sorted(counts), separators=(",", ":"))


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
        "SELECT DISTINCT concept_id, label, category FROM mentions"
        " WHERE segment_id > ? AND segment_id < ?",  # the document's sentences (their key)
        [f"{doc_id}-", f"{doc_id}."],
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
    from ..migrations import read_time_links_schema

    if lexicon is None:
        from ..lexicon import default_lexicon

        lexicon = default_lexicon()
    read_time_links_schema(db)  # an old database upgraded by migration 0002 lacks it yet
    for table in (*INDEX_TABLES, search.FTS_TABLE):
        db.execute(f"DELETE FROM {table}")
    db.execute("UPDATE segments SET profile = NULL WHERE profile IS NOT NULL")
    doc_ids = [row[0] for row in db.execute("SELECT id FROM documents ORDER BY rowid")]
    for doc_id in doc_ids:
        index_document(db, doc_id, lexicon)
    return len(doc_ids)
