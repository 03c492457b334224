"""Cross-references between sentences, computed when a document is written, so queries are cheap.

Everything about one document that does not depend on other documents is *planned* by a pure
function (`plan_document`), which ingest workers run in parallel: the concept index rows, the
concept rows, the claim-candidate rows, the translation keys and the translations inside the
document. The single writer then inserts the plan and links the document to what is stored,
inside the document's write transaction (called by `store.write_document`):

- `segment_concepts`: every sentence is indexed under the concepts it mentions *and their
  ancestors* in the lexicon used at ingest, so a claim about methylprednisolone is found as
  evidence about corticosteroids without any expansion at query time;
- `segment_search`: the full-text index (see `litkit.search`);
- `claim_concepts`: one row per claim and treatment/test concept (with their ancestors), carrying
  what linking needs of the claim, so candidates are read in one indexed statement;
- `translation_keys`: MinHash band keys of the document's concepts (`litkit.signature`);
- `links`: sentence-to-sentence links, stored in both directions:
  `translation` (a sentence and its translation, within a document or across documents),
  `same_concept` (claims of different documents about the same treatment or test), and
  `agrees` / `conflicts` (outcome claims of body or caption text about the same treatment whose
  outcome pairs say the same confident direction, or opposite ones: `improved` against
  `not_improved` or `worsened`; never an uncertain result, a recommendation, an aim or a
  reference-list line, which carry no confident pair).

New claims are linked against what is stored through `claim_concepts`, never by a scan: each
concept contributes the `FANOUT_PER_CONCEPT` claims stored last about it, and each claim keeps at
most `MAX_LINKS_PER_KIND` links of a kind, so ingest cost stays flat as the corpus grows, links
stay a small part of the database and no claim collects the links of all others (a claim is a
candidate only until that many newer claims name its concept). The concept index and the
candidates are keyed by ingest order (`seq`, the document's rowid), so a document's rows go to
the end of each concept's range instead of to a random page of it. Translation candidates are
the documents sharing a translation key, in another language, that also share most of the
document's concepts.
"""

from __future__ import annotations

import dataclasses
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
FANOUT_PER_CONCEPT = 16
# Links of one kind kept per claim: the best few are what a reviewer follows; 20 made `links`
# half of the database (332 rows per document, benchmarks/ingest_throughput.py).
MAX_LINKS_PER_KIND = 5
MAX_TRANSLATION_CANDIDATE_DOCS = 3
CANDIDATE_DOCS_PER_KEY = 32
# Keys two documents must share to be aligned: about 8 * J**3 keys are shared at Jaccard J of
# their concepts (`litkit.signature`), so 2 keeps pairs above J ~ 0.6 and drops most others.
MIN_SHARED_KEYS = 2
MIN_ALIGNED_SENTENCES = 3  # a language part shorter than this is never aligned with another
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
    claim_rows: tuple[ClaimRow, ...]
    translation_keys: tuple[int, ...]
    links: tuple[Link, ...]  # translations inside the document

    def sentences(self) -> list[Sentence]:
        return [Sentence.from_row(row) for row in self.sentence_rows]

    def linkable_claims(self) -> list[Sentence]:
        """The claims that mention a treatment or test (`claim_links` links only those)."""
        return [Sentence.from_row(r) for r in self.sentence_rows if r[5] and r[9]]


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
    return IndexPlan(
        sentence_rows=tuple(s.row() for s in linked),
        concept_rows=tuple(sorted(concept_rows.values())),
        index_rows=tuple(index_rows),
        claim_rows=tuple(row for s in linked for row in _claim_rows(s)),
        translation_keys=tuple(translation_keys(linked, ancestors_of)),
        links=tuple(translation_links(linked)),
    )


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
    """Fill the concept index, the search index and the links of one stored document.

    `plan` and `search_rows` (from `store.plan_write`, usually computed by an ingest worker)
    leave the writer only the inserts and the links to stored documents; without them they are
    rebuilt from the stored rows. `known_concepts`: concept rows this writer already stored in
    the open transaction, so they are not upserted again for every document (the caller clears
    it when the transaction rolls back). `seq`: the document's rowid (read when not given).
    `memory`: the writer's `LinkMemory`, updated with this document."""
    if plan is None:
        plan = _plan_stored(db, doc_id, lexicon)
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
    # Only a document with translation keys is aligned or becomes a translation candidate.
    sentences = plan.sentences() if plan.translation_keys else []
    links = list(plan.links)
    links += cross_document_translation_links(db, plan, sentences, memory.documents)
    claims = plan.linkable_claims()
    links += claim_links(db, claims, memory.claims)
    # After linking: the document is never its own candidate.
    _insert_claim_rows(db, [(*row, seq) for row in plan.claim_rows])
    _insert_translation_keys(db, [(key, seq, doc_id) for key in plan.translation_keys])
    memory.claims.add(seq, claims)
    memory.documents.add_keys(seq, doc_id, plan.translation_keys)
    if sentences:
        memory.documents.add_sentences(doc_id, sentences)
    store_links(db, links)


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


INDEX_TABLES = ("links", "segment_concepts", "concepts", "claim_concepts", "translation_keys")


def reindex_all(db: Database, lexicon: Lexicon | None = None) -> int:
    """Rebuild the concept index, search index and links of every document; returns the count.

    Documents are replayed in ingest order (rowid), each linked against those before it,
    exactly as their ingest did.
    """
    if lexicon is None:
        from .lexicon import default_lexicon

        lexicon = default_lexicon()
    for table in (*INDEX_TABLES, search.FTS_TABLE):
        db.execute(f"DELETE FROM {table}")
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
    """Translations between this document and stored documents that may translate it: those
    sharing a translation key (`litkit.signature`), with a language this one lacks or a second
    one, and mentioning most of this document's concepts. `sentences`: the plan's
    (`IndexPlan.sentences`, built once by the caller, which also remembers them)."""
    if not plan.translation_keys:
        return []
    recent = recent or RecentDocuments()
    langs = {row[3] for row in plan.sentence_rows}
    candidates = _translation_candidates(db, plan.translation_keys, langs, recent)
    if not candidates:
        return []
    groups = _by_language(sentences)
    concepts = {c for s in sentences for c in s.concepts}
    threshold = max(signature.MIN_FEATURES, 0.5 * len(concepts))
    links: list[Link] = []
    for other_doc in candidates:
        other_sentences = recent.sentences(db, other_doc)
        if len(concepts & {c for s in other_sentences for c in s.concepts}) < threshold:
            continue
        other_groups = _by_language(other_sentences)
        for lang, mine in sorted(groups.items()):
            for other_lang, theirs in sorted(other_groups.items()):
                if (
                    other_lang != lang
                    and len(mine) >= MIN_ALIGNED_SENTENCES
                    and len(theirs) >= MIN_ALIGNED_SENTENCES
                ):
                    links += align(mine, theirs, min_backed=3)
    return links


def _last_stored(db: Database, select: str, keys: Sequence[Any], limit: int) -> dict[Any, list]:
    """Key -> the first `limit` rows of `select` (its first column is the key, its one
    parameter the key's value), every key read by one compound statement per chunk of keys;
    the rows of a key without its first column, in no guaranteed order."""
    arm = f"SELECT * FROM ({select} LIMIT ?)"
    found: dict[Any, list] = {key: [] for key in keys}
    for start in range(0, len(keys), SQL_COMPOUND_CHUNK):
        chunk = keys[start : start + SQL_COMPOUND_CHUNK]
        params = [v for key in chunk for v in (key, limit)]
        for key, *row in db.execute(" UNION ALL ".join([arm] * len(chunk)), params):
            found[key].append(tuple(row))
    return found


def _translation_candidates(
    db: Database, keys: Sequence[int], langs: set[str], recent: RecentDocuments
) -> list[str]:
    """Up to `MAX_TRANSLATION_CANDIDATE_DOCS` stored documents sharing the most keys (at least
    `MIN_SHARED_KEYS`; then the most recent), among the last `CANDIDATE_DOCS_PER_KEY` stored
    under each key (so the cost never grows with the corpus), that have a language to align
    with (a single-language document in this one's only language has none)."""
    shared: Counter[tuple[int, str]] = Counter()
    for stored in recent.documents_under(db, keys).values():
        shared.update(stored)
    ranked = sorted(
        (item for item in shared.items() if item[1] >= MIN_SHARED_KEYS),
        key=lambda item: (-item[1], -item[0][0]),
    )[: 4 * MAX_TRANSLATION_CANDIDATE_DOCS]
    if not ranked:
        return []
    doc_ids = [doc_id for (_, doc_id), _ in ranked]
    other_langs = recent.languages(db, doc_ids)
    usable = [d for d in doc_ids if len(langs | other_langs[d]) >= 2]
    return usable[:MAX_TRANSLATION_CANDIDATE_DOCS]


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
    the documents stored last under each translation key, the languages of documents and the
    sentences of the documents written or read lately.

    Reading them for every document was a fifth of the writer's time on the generated corpus,
    whose documents share many keys; candidates are the documents stored last under a key,
    which are also the ones written lately. Bounded (least recently used entries are read
    again when needed) and exact while nothing else writes: `DocumentBatch` clears it when it
    rolls back and when another connection has committed."""

    def __init__(self, keys: int = 65_536, documents: int = 65_536, sentences: int = 512) -> None:
        self._keys = _Lru(keys)  # key -> ((seq, doc id), ...), newest first
        self._langs = _Lru(documents)  # doc id -> its languages
        self._sentences = _Lru(sentences)  # doc id -> its sentences (`load_sentences`)

    def clear(self) -> None:
        for part in (self._keys, self._langs, self._sentences):
            part.clear()

    def documents_under(
        self, db: Database, keys: Sequence[int]
    ) -> dict[int, tuple[tuple[int, str], ...]]:
        """Key -> the `CANDIDATE_DOCS_PER_KEY` (seq, doc id) stored last under it, newest first."""
        found = {key: self._keys.hit(key) for key in keys}
        missing = [key for key, stored in found.items() if stored is None]
        if missing:
            rows = _last_stored(
                db,
                "SELECT key, seq, doc_id FROM translation_keys WHERE key = ? ORDER BY seq DESC",
                missing,
                CANDIDATE_DOCS_PER_KEY,
            )
            for key, stored in rows.items():
                found[key] = tuple(sorted(stored, reverse=True))
                self._keys.put(key, found[key])
        return found

    def add_keys(self, seq: int, doc_id: str, keys: Sequence[int]) -> None:
        """A just-stored document's keys (its `seq` is above every stored one)."""
        for key in keys:
            stored = self._keys.hit(key)
            if stored is not None:  # a key not read yet is read whole when needed
                self._keys.put(key, ((seq, doc_id), *stored)[:CANDIDATE_DOCS_PER_KEY])

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
    without reading it again (`RecentClaims`, `RecentDocuments`)."""

    claims: RecentClaims = field(default_factory=lambda: RecentClaims())
    documents: RecentDocuments = field(default_factory=lambda: RecentDocuments())

    def clear(self) -> None:
        self.claims.clear()
        self.documents.clear()


# -- claims about the same treatment or test --------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    id: str
    seq: int
    stance: str | None  # `Sentence.stance`: its confident pairs, or None
    linked: frozenset[str]
    treatments: frozenset[str]


class RecentClaims:
    """The `FANOUT_PER_CONCEPT` claims stored last about each concept, as linking needs them.

    The writer keeps it across the documents of a batch, so linking a document reads from
    `claim_concepts` only the concepts no earlier document named (reading them all for every
    document was a fifth of the writer's time at 10k documents), and adds each document's own
    claims once they are stored. It is exact only while nothing else writes: `DocumentBatch`
    clears it when it rolls back and when another connection has committed."""

    def __init__(self) -> None:
        self._by_concept: dict[str, list[_Candidate]] = {}

    def clear(self) -> None:
        self._by_concept.clear()

    def about(self, db: Database, concepts: Sequence[str]) -> dict[str, list[_Candidate]]:
        """Concept -> its last stored claims, newest first (`seq`, then segment id, down)."""
        missing = [cid for cid in concepts if cid not in self._by_concept]
        if missing:
            self._by_concept.update(_read_claims_about(db, missing))
        return {cid: self._by_concept[cid] for cid in concepts}

    def add(self, seq: int, claims: Sequence[Sentence]) -> None:
        """A just-stored document's linkable claims (its `seq` is above every stored one)."""
        new: dict[str, list[_Candidate]] = {}
        for claim in sorted(claims, key=lambda c: c.id, reverse=True):
            candidate = _Candidate(
                claim.id, seq, claim.stance, claim.linked, claim.treatments,
            )  # fmt: skip
            for cid in claim.linked:
                new.setdefault(cid, []).append(candidate)
        for cid, candidates in new.items():
            if cid in self._by_concept:  # a concept not read yet is read whole when needed
                older = self._by_concept[cid]
                self._by_concept[cid] = (candidates + older)[:FANOUT_PER_CONCEPT]


def _read_claims_about(db: Database, concepts: Sequence[str]) -> dict[str, list[_Candidate]]:
    """For each concept, the `FANOUT_PER_CONCEPT` claims stored last about it, newest first,
    with what linking needs of each (one statement per chunk of concepts).

    The claims stored last, not the best ranked: taking the best-ranked claims made a few of
    them hubs that every later claim linked to (one had 11,599 links at 10k documents), while a
    claim is among the last stored only until a few newer claims name its concept. And the
    end of a concept's range is the page the writer has just written."""
    found = _last_stored(
        db,
        "SELECT concept_id, seq, segment_id, types, direction, linked, treatments"
        " FROM claim_concepts WHERE concept_id = ? ORDER BY seq DESC, segment_id DESC",
        concepts,
        FANOUT_PER_CONCEPT,
    )
    parsed: dict[str, tuple[str, ...]] = {}  # most claims share a few type and concept lists

    def values(text: str) -> tuple[str, ...]:
        if text not in parsed:
            parsed[text] = tuple(json.loads(text))
        return parsed[text]

    profiles: dict[str, _Candidate] = {}
    about: dict[str, list[_Candidate]] = {}
    for cid, rows in found.items():
        rows.sort(key=lambda row: (row[0], row[1]), reverse=True)  # compound order is loose
        for seq, sid, _types, stance, linked, treatments in rows:
            if sid not in profiles:
                profiles[sid] = _Candidate(
                    sid, seq, stance, frozenset(values(linked)), frozenset(values(treatments)),
                )  # fmt: skip
        about[cid] = [profiles[row[1]] for row in rows]
    return about


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


def claim_links(
    db: Database, sentences: Sequence[Sentence], recent: RecentClaims | None = None
) -> list[Link]:
    """`same_concept`, `agrees` and `conflicts` links of the document's claims to stored claims.

    Candidates are fetched once per concept of the document (not once per claim and concept)."""
    claims = [s for s in sentences if s.is_claim and s.linked]
    if not claims:
        return []
    about = (recent or RecentClaims()).about(db, sorted({c for s in claims for c in s.linked}))
    links: list[Link] = []
    for claim in claims:
        linked, treatments = claim.linked, claim.treatments
        # (-score, -seq, id): best score first, then the most recent, so each claim is linked
        # from the next few claims about its treatment, not from all of the next FANOUT.
        same: list[tuple[float, int, str]] = []
        agree: list[tuple[float, int, str]] = []
        conflict: list[tuple[float, int, str]] = []
        others = {other.id: other for cid in linked for other in about[cid]}
        for other_id, other in others.items():
            shared = len(linked & other.linked)  # >= 1: found through a shared concept
            score = shared / (len(linked) + len(other.linked) - shared)  # Jaccard
            same.append((-score, -other.seq, other_id))
            if claim.stance and other.stance and (both := len(treatments & other.treatments)):
                relation = stance_relation(claim.stance, other.stance)
                if relation is not None:
                    score = both / (len(treatments) + len(other.treatments) - both)
                    bucket = agree if relation[0] == "agrees" else conflict
                    bucket.append((-score, -other.seq, other_id))
        for kind, bucket in (("same_concept", same), ("agrees", agree), ("conflicts", conflict)):
            bucket.sort()
            links += [
                Link(claim.id, other_id, kind, -score)
                for score, _, other_id in bucket[:MAX_LINKS_PER_KIND]
            ]
    return links
