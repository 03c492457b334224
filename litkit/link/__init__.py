"""Cross-references between sentences: what the writer stores so that reads are cheap.

The package: `sentences` (the linker's view of a sentence, ranks, stances), `index` (the
concept index and claim profiles, planned in workers and written by the writer) and
`translations` (translation links within and across documents).

Everything about one document that does not depend on other documents is *planned* by a pure
function (`plan_index`, fed window by window by `litkit.plan`), which ingest workers run in
parallel: the concept index rows, the concept rows, the claim profiles, the translation keys
and the translations inside the document. The single writer then inserts the plan and aligns
the document with stored translations of it, inside the document's write transaction (called
by `store.write_document`):

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

from .index import (
    INDEX_TABLES,
    ConceptRow,
    IndexPlan,
    IndexRow,
    ProfileRow,
    claim_profile,
    forget_profiles,
    index_document,
    plan_index,
    profile_counts_json,
    reindex_all,
    store_profiles,
    stored_ancestor_lookup,
    stored_stance,
    stored_translation_keys,
    translation_keys,
)
from .sentences import (
    ALIGN_THRESHOLD,
    CJK_CHAR_WEIGHT,
    CLAIM_RANK,
    DESIGN_RANK,
    LENGTH_SIGMA,
    LINKED_CATEGORIES,
    MAX_BAND_SENTENCES,
    MIN_ALIGNED_SENTENCES,
    MIN_ORDERED_PAIRS,
    MIN_SHARED_KEYS,
    NO_EVIDENCE_SCORE,
    ORDER_AGREEMENT,
    POSITION_BAND,
    SQL_COMPOUND_CHUNK,
    TYPE_RANK,
    VIA_RANK,
    Sentence,
    SentenceRow,
    concept_orders,
    evidence_rank,
    load_sentences,
    ordered_alike,
    pairs_relation,
    parsed_stance,
    same_order,
    segment_sentence,
    sentence_rank,
    stance_of,
    stance_relation,
)
from .translations import (
    Link,
    LinkMemory,
    RecentDocuments,
    align,
    anchors,
    cross_document_translation_links,
    store_links,
    translation_links,
)

__all__ = [
    "ALIGN_THRESHOLD",
    "CJK_CHAR_WEIGHT",
    "CLAIM_RANK",
    "DESIGN_RANK",
    "INDEX_TABLES",
    "LENGTH_SIGMA",
    "LINKED_CATEGORIES",
    "MAX_BAND_SENTENCES",
    "MIN_ALIGNED_SENTENCES",
    "MIN_ORDERED_PAIRS",
    "MIN_SHARED_KEYS",
    "NO_EVIDENCE_SCORE",
    "ORDER_AGREEMENT",
    "POSITION_BAND",
    "SQL_COMPOUND_CHUNK",
    "TYPE_RANK",
    "VIA_RANK",
    "ConceptRow",
    "IndexPlan",
    "IndexRow",
    "Link",
    "LinkMemory",
    "ProfileRow",
    "RecentDocuments",
    "Sentence",
    "SentenceRow",
    "align",
    "anchors",
    "claim_profile",
    "concept_orders",
    "cross_document_translation_links",
    "evidence_rank",
    "forget_profiles",
    "index_document",
    "load_sentences",
    "ordered_alike",
    "pairs_relation",
    "parsed_stance",
    "plan_index",
    "profile_counts_json",
    "reindex_all",
    "same_order",
    "segment_sentence",
    "sentence_rank",
    "stance_of",
    "stance_relation",
    "store_links",
    "store_profiles",
    "stored_ancestor_lookup",
    "stored_stance",
    "stored_translation_keys",
    "translation_keys",
    "translation_links",
]
