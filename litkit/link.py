"""Cross-references between sentences, computed when a document is written, so queries are cheap.

For each new document, inside its write transaction (called by `store.write_document`):

- `segment_concepts`: every sentence is indexed under the concepts it mentions *and their
  ancestors* in the lexicon used at ingest, so a claim about methylprednisolone is found as
  evidence about corticosteroids without any expansion at query time;
- `segment_search`: the full-text index (see `litkit.search`);
- `links`: sentence-to-sentence links, stored in both directions:
  `translation` (a sentence and its translation, within a document or across documents),
  `same_concept` (claims of different documents about the same treatment or test), and
  `agrees` / `conflicts` (outcome claims about the same treatment whose direction is the same
  or opposite).

New claims are linked against what is stored through the concept index, never by a scan: each
concept contributes `FANOUT_PER_CONCEPT` stored claims (the slice that follows the new document's
id in `idx_segment_concepts_claim_doc`; claims are the rows of rank >= `CLAIM_RANK`), and each
claim keeps at most `MAX_LINKS_PER_KIND` links of a kind, so ingest cost stays flat as the corpus
grows, links stay a small part of the database and no claim collects the links of all others.
The writer passes the document it has in memory, so nothing it just inserted is read back.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from . import search
from .lexicon import TREATMENT_CATEGORIES

if TYPE_CHECKING:
    from .lexicon import Lexicon
    from .models import Document

LINKED_CATEGORIES = TREATMENT_CATEGORIES | {"test"}
DIRECTIONS = ("improved", "not_improved")
FANOUT_PER_CONCEPT = 16
# Links of one kind kept per claim: the best few are what a reviewer follows; 20 made `links`
# half of the database (332 rows per document, benchmarks/ingest_throughput.py).
MAX_LINKS_PER_KIND = 5
MAX_TRANSLATION_CANDIDATE_DOCS = 3
CANDIDATE_ROWS_PER_CONCEPT = 50
SQL_COMPOUND_CHUNK = 100  # subqueries per UNION ALL (SQLite allows 500 by default)

# Sentence alignment (translation links). A CJK character carries about as much as three
# Latin characters of its English or French translation (measured on parallel abstracts).
CJK_CHAR_WEIGHT = 3.2
LENGTH_SIGMA = 0.45  # spread of log(length ratio) between a sentence and its translation
POSITION_BAND = 0.35  # relative positions further apart than this are never aligned
ALIGN_THRESHOLD = 0.42
NO_EVIDENCE_SCORE = 0.3  # evidence score of a pair where neither side has concepts or anchors

# Precomputed relevance of a sentence as evidence about a concept (higher first): claims before
# other sentences, a mention before an ancestor, then claim types, then study design.
DESIGN_RANK = {
    "guideline": 7, "trial": 6, "cohort": 5, "review": 4, "case_series": 3,
    "case_report": 2, "patient_information": 1,
}  # fmt: skip
TYPE_RANK = {"outcome": 4, "treatment": 2, "diagnosis": 1}
VIA_RANK = {"mention": 200, "ancestor": 100}
CLAIM_RANK = 1000  # every claim's rank is >= this, every other sentence's below it


def evidence_rank(is_claim: bool, via: str, types: Sequence[str], design: str | None) -> int:
    """The `segment_concepts.rank` of a sentence: claim, via, claim types, design."""
    type_rank = sum(TYPE_RANK.get(t, 0) for t in set(types))
    return CLAIM_RANK * is_claim + VIA_RANK[via] + 10 * type_rank + DESIGN_RANK.get(design or "", 0)


_CJK = re.compile(r"[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:[.,][0-9]+)?(?![0-9])")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?![A-Za-z])")


# ---------------------------------------------------------------------------------------------
# Sentences as the linker sees them


@dataclass(frozen=True)
class Sentence:
    """A stored sentence with what linking needs: language, concepts, direction."""

    id: str
    doc_id: str
    idx: int
    lang: str
    text: str
    is_claim: bool
    types: tuple[str, ...]
    direction: str | None
    concepts: frozenset[str]  # mentioned concept ids
    linked: frozenset[str] = frozenset()  # treatments/tests mentioned, with their ancestors
    treatments: frozenset[str] = frozenset()  # treatment/drug-class part of `linked`


def load_sentences(db: Database, doc_id: str) -> list[Sentence]:
    """A document's sentences with their mentioned concepts, in document order."""
    mentions: dict[str, set[str]] = {}
    for segment_id, concept_id in db.execute(
        "SELECT segment_id, concept_id FROM mentions WHERE doc_id = ?", [doc_id]
    ):
        mentions.setdefault(segment_id, set()).add(concept_id)
    rows = db.execute(
        "SELECT id, idx, lang, text, is_claim, types, direction FROM segments"
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
            direction=direction,
            concepts=frozenset(mentions.get(sid, ())),
        )
        for sid, idx, lang, text, is_claim, types, direction in rows
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
            direction=segment.assessment.direction,
            concepts=frozenset(m.concept_id for m in segment.mentions),
        )
        for segment in sorted(doc.segments, key=lambda s: s.index)
    ]


# ---------------------------------------------------------------------------------------------
# Indexing


def index_document(
    db: Database,
    doc_id: str,
    lexicon: Lexicon,
    doc: Document | None = None,
    search_rows: Sequence[search.SearchRow] | None = None,
) -> None:
    """Fill the concept index, the search index and the links of one stored document.

    `doc`, when the caller has it (the writer does), spares reading back what was just written;
    `search_rows`, when an ingest worker computed them (`search.search_rows`), spares jieba.
    """
    if doc is not None:
        sentences = document_sentences(doc)
        mentioned = [(m.concept_id, m.label, m.category) for s in doc.segments for m in s.mentions]
        design = doc.design
    else:
        sentences = load_sentences(db, doc_id)
        mentioned = db.execute(
            "SELECT DISTINCT concept_id, label, category FROM mentions WHERE doc_id = ?",
            [doc_id],
        ).fetchall()
        row = db.execute("SELECT design FROM documents WHERE id = ?", [doc_id]).fetchone()
        design = row[0] if row else None
    categories = _store_concepts(db, sentences, lexicon, mentioned, design)
    sentences = [_with_linked(s, lexicon, categories) for s in sentences]
    if search_rows is None:
        search_rows = search.search_rows((s.id, s.text) for s in sentences)
    search.insert_search_rows(db, search_rows)
    links = translation_links(sentences)
    links += cross_document_translation_links(db, doc_id, sentences)
    links += claim_links(db, doc_id, sentences)
    store_links(db, links)


def _store_concepts(
    db: Database,
    sentences: Sequence[Sentence],
    lexicon: Lexicon,
    mentioned: Iterable[tuple[str, str, str]],
    design: str | None,
) -> dict[str, str]:
    """Write `segment_concepts` (mentions and ancestors) and `concepts`; return id -> category.

    `mentioned`: the document's (concept id, label, category) mentions."""
    concept_rows: dict[str, tuple[str, str, str, str]] = {}
    for cid, label, category in mentioned:
        if cid not in concept_rows:
            concept = lexicon.get(cid)
            parents = list(concept.parents) if concept else []
            concept_rows[cid] = (cid, label, category, json.dumps(parents))
    index_rows = []
    for sentence in sentences:
        ancestors: dict[str, None] = {}
        mention_rank = evidence_rank(sentence.is_claim, "mention", sentence.types, design)
        ancestor_rank = evidence_rank(sentence.is_claim, "ancestor", sentence.types, design)
        for cid in sorted(sentence.concepts):
            index_rows.append(
                (sentence.id, sentence.doc_id, cid, "mention", sentence.idx, mention_rank)
            )
            for ancestor in _ancestors(lexicon, cid):
                if ancestor not in sentence.concepts:
                    ancestors.setdefault(ancestor, None)
        for ancestor in ancestors:
            index_rows.append(
                (sentence.id, sentence.doc_id, ancestor, "ancestor", sentence.idx, ancestor_rank)
            )
            concept = lexicon.get(ancestor)
            if concept is not None:
                concept_rows.setdefault(
                    ancestor,
                    (ancestor, concept.label, concept.category, json.dumps(list(concept.parents))),
                )
    db.conn.executemany(
        "INSERT OR IGNORE INTO segment_concepts (segment_id, doc_id, concept_id, via, idx, rank)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        index_rows,
    )
    # An upsert that writes only what changed: most documents name concepts already stored,
    # and `INSERT OR REPLACE` rewrote (delete + insert) every one of them for every document.
    db.conn.executemany(
        "INSERT INTO concepts (id, label, category, parents) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET label = excluded.label, category = excluded.category,"
        " parents = excluded.parents WHERE (label, category, parents)"
        " IS NOT (excluded.label, excluded.category, excluded.parents)",
        sorted(concept_rows.values()),
    )
    return {cid: row[2] for cid, row in concept_rows.items()}


def _ancestors(lexicon: Lexicon, concept_id: str) -> tuple[str, ...]:
    """Ancestors in the lexicon; none for a concept the lexicon does not know."""
    try:
        return lexicon.ancestors(concept_id)
    except KeyError:
        return ()


def _with_linked(sentence: Sentence, lexicon: Lexicon, categories: dict[str, str]) -> Sentence:
    """The sentence with its treatment/test concepts (and their ancestors) filled in."""
    linked: set[str] = set()
    for cid in sentence.concepts:
        if categories.get(cid) in LINKED_CATEGORIES:
            linked.add(cid)
            linked.update(
                a for a in _ancestors(lexicon, cid) if categories.get(a) in LINKED_CATEGORIES
            )
    treatments = frozenset(c for c in linked if categories.get(c) in TREATMENT_CATEGORIES)
    return Sentence(**{**sentence.__dict__, "linked": frozenset(linked), "treatments": treatments})


def reindex_all(db: Database, lexicon: Lexicon | None = None) -> int:
    """Rebuild the concept index, search index and links of every document; returns the count.

    Documents are replayed in a fixed order (source, id), each linked against those before it,
    exactly as incremental ingest in that order would have done.
    """
    if lexicon is None:
        from .lexicon import default_lexicon

        lexicon = default_lexicon()
    for table in ("links", "segment_concepts", "concepts", search.FTS_TABLE):
        db.execute(f"DELETE FROM {table}")
    doc_ids = [row[0] for row in db.execute("SELECT id FROM documents ORDER BY source, id")]
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
    cjk = len(_CJK.findall(text))
    other = sum(1 for ch in text if not ch.isspace()) - cjk
    return cjk * CJK_CHAR_WEIGHT + other


def anchors(text: str) -> frozenset[str]:
    """Numbers and acronyms: tokens a translation carries over unchanged (CNO, MRI, 48)."""
    return frozenset(_NUMBER.findall(text)) | frozenset(_ACRONYM.findall(text))


def pair_score(
    a: Sentence, b: Sentence, position_a: float, position_b: float
) -> tuple[float, bool]:
    """How likely b translates a, in [0, 1]; and whether shared concepts or anchors back it."""
    ratio = math.log(max(_size(a.text), 1.0) / max(_size(b.text), 1.0))
    length = math.exp(-(ratio**2) / (2 * LENGTH_SIGMA**2))
    position = max(0.0, 1.0 - abs(position_a - position_b) / POSITION_BAND)
    anchors_a, anchors_b = anchors(a.text), anchors(b.text)
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
    """
    n, m = len(left), len(right)
    if n < 2 or m < 2:
        return []
    pos_l = [i / (n - 1) for i in range(n)]
    pos_r = [j / (m - 1) for j in range(m)]
    scores: dict[tuple[int, int], tuple[float, bool]] = {}
    for i in range(n):
        for j in range(m):
            if abs(pos_l[i] - pos_r[j]) < POSITION_BAND:
                scores[i, j] = pair_score(left[i], right[j], pos_l[i], pos_r[j])
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 skip left, 2 skip right, 3 match
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [(best[i - 1][j], 1), (best[i][j - 1], 2)]
            pair = scores.get((i - 1, j - 1))
            if pair and pair[0] > ALIGN_THRESHOLD:
                options.append((best[i - 1][j - 1] + pair[0] - ALIGN_THRESHOLD, 3))
            best[i][j], move[i][j] = max(options, key=lambda o: (o[0], o[1]))
    for i in range(1, n + 1):
        move[i][0] = 1
    for j in range(1, m + 1):
        move[0][j] = 2
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = move[i][j]
        if step == 3:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    backed = sum(1 for p in pairs if scores[p][1])
    if backed < min(min_backed, len(pairs)) or backed < 0.3 * min(n, m) or not pairs:
        return []
    return [
        Link(left[i].id, right[j].id, "translation", scores[i, j][0]) for i, j in reversed(pairs)
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
    db: Database, doc_id: str, sentences: Sequence[Sentence]
) -> list[Link]:
    """Translations between this document and stored documents sharing most of its concepts."""
    concepts = sorted({c for s in sentences for c in s.concepts})
    if not concepts:
        return []
    threshold = max(3, 0.5 * len(concepts))
    shared = _documents_sharing(db, doc_id, concepts)
    ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
    candidates = [d for d, count in ranked if count >= threshold]
    groups = _by_language(sentences)
    links: list[Link] = []
    for other_doc in candidates[:MAX_TRANSLATION_CANDIDATE_DOCS]:
        other_groups = _by_language(load_sentences(db, other_doc))
        for lang, mine in sorted(groups.items()):
            for other_lang, theirs in sorted(other_groups.items()):
                if other_lang != lang and len(mine) >= 3 and len(theirs) >= 3:
                    links += align(mine, theirs, min_backed=3)
    return links


def _documents_sharing(db: Database, doc_id: str, concepts: Sequence[str]) -> dict[str, int]:
    """Other documents -> how many of `concepts` they mention, among the first
    `CANDIDATE_ROWS_PER_CONCEPT` documents of each concept (so the cost never grows with N).

    Counted by SQLite in one statement per chunk of concepts: the Python loop over up to 200
    rows per concept was a tenth of the writer's time."""
    counts: dict[str, int] = {}
    per_concept = (
        "SELECT * FROM (SELECT DISTINCT doc_id FROM segment_concepts WHERE concept_id = ?"
        " AND via = 'mention' AND doc_id != ? ORDER BY doc_id LIMIT ?)"
    )
    for start in range(0, len(concepts), SQL_COMPOUND_CHUNK):
        chunk = concepts[start : start + SQL_COMPOUND_CHUNK]
        union = " UNION ALL ".join([per_concept] * len(chunk))
        params = [v for cid in chunk for v in (cid, doc_id, CANDIDATE_ROWS_PER_CONCEPT)]
        for other_doc, count in db.execute(
            f"SELECT doc_id, count(*) FROM ({union}) GROUP BY doc_id", params
        ):
            counts[other_doc] = counts.get(other_doc, 0) + count
    return counts


# -- claims about the same treatment or test --------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    id: str
    types: tuple[str, ...]
    direction: str | None
    linked: frozenset[str]
    treatments: frozenset[str]


def _claims_about(db: Database, doc_id: str, concept_id: str) -> list[str]:
    """At most `FANOUT_PER_CONCEPT` stored claims of other documents about a concept: those
    whose document id follows this one's, wrapping around (`idx_segment_concepts_claim_doc`).

    Ids are hashes, so each new document reads a different, even slice of the claims: the
    cost does not depend on how many claims there are, and no claim becomes a hub that every
    later claim links to (taking the best-ranked claims did exactly that)."""
    sql = (
        "SELECT segment_id FROM segment_concepts"
        f" WHERE concept_id = ? AND rank >= {CLAIM_RANK} AND doc_id {{}} ?"
        " ORDER BY doc_id, segment_id LIMIT ?"
    )
    found = [
        row[0] for row in db.execute(sql.format(">"), [concept_id, doc_id, FANOUT_PER_CONCEPT])
    ]
    if len(found) < FANOUT_PER_CONCEPT:
        found += [
            row[0]
            for row in db.execute(
                sql.format("<"), [concept_id, doc_id, FANOUT_PER_CONCEPT - len(found)]
            )
        ]
    return found


def _candidates(db: Database, segment_ids: Sequence[str]) -> dict[str, _Candidate]:
    """What linking needs of stored claims: types, direction, treatment/test concepts."""
    if not segment_ids:
        return {}
    ordered = sorted(segment_ids)
    marks = ",".join("?" * len(ordered))
    linked: dict[str, set[str]] = {}
    treatments: dict[str, set[str]] = {}
    for sid, cid, category in db.execute(
        "SELECT sc.segment_id, sc.concept_id, c.category FROM segment_concepts sc"
        f" JOIN concepts c ON c.id = sc.concept_id WHERE sc.segment_id IN ({marks})",
        ordered,
    ):
        if category in LINKED_CATEGORIES:
            linked.setdefault(sid, set()).add(cid)
        if category in TREATMENT_CATEGORIES:
            treatments.setdefault(sid, set()).add(cid)
    return {
        sid: _Candidate(
            sid,
            tuple(json.loads(types)),
            direction,
            frozenset(linked.get(sid, ())),
            frozenset(treatments.get(sid, ())),
        )
        for sid, types, direction in db.execute(
            f"SELECT id, types, direction FROM segments WHERE id IN ({marks})", ordered
        )
    }


def _is_directed_outcome(types: Sequence[str], direction: str | None) -> bool:
    return "outcome" in types and direction in DIRECTIONS


def claim_links(db: Database, doc_id: str, sentences: Sequence[Sentence]) -> list[Link]:
    """`same_concept`, `agrees` and `conflicts` links of the document's claims to stored claims.

    Candidates are fetched once per concept of the document (not once per claim and concept)."""
    claims = [s for s in sentences if s.is_claim and s.linked]
    if not claims:
        return []
    about = {
        cid: _claims_about(db, doc_id, cid) for cid in sorted({c for s in claims for c in s.linked})
    }
    candidates = _candidates(db, sorted({sid for ids in about.values() for sid in ids}))
    links: list[Link] = []
    for claim in claims:
        same, agree, conflict = [], [], []
        for other_id in sorted({sid for cid in claim.linked for sid in about[cid]}):
            other = candidates.get(other_id)
            if other is None:
                continue
            score = _jaccard(claim.linked, other.linked)
            if score <= 0:
                continue
            same.append(Link(claim.id, other.id, "same_concept", score))
            if (
                claim.treatments & other.treatments
                and _is_directed_outcome(claim.types, claim.direction)
                and _is_directed_outcome(other.types, other.direction)
            ):
                bucket = agree if claim.direction == other.direction else conflict
                kind = "agrees" if claim.direction == other.direction else "conflicts"
                bucket.append(
                    Link(claim.id, other.id, kind, _jaccard(claim.treatments, other.treatments))
                )
        for bucket in (same, agree, conflict):
            bucket.sort(key=lambda link: (-link.score, link.other_id))
            links += bucket[:MAX_LINKS_PER_KIND]
    return links
