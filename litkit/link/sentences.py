"""Sentences as the linker sees them, the ranks of evidence, and the stances (confident
outcome pairs) that `agrees` / `conflicts` compare.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .. import signature
from ..lexicon import TREATMENT_CATEGORIES
from ..outcomes import WITHIN
from ..vocab import CLAIM_ROLES, CONFIDENT_DIRECTIONS

if TYPE_CHECKING:
    from ..models import Segment


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
    return CLAIM_RANK * is_claim + VIA_RANK[via] + sentence_rank(types, design)


def sentence_rank(types: Sequence[str], design: str | None) -> int:
    """The `segments.rank` of a sentence: its claim types, then its study's design (10 times
    the type rank plus a design rank below 10, so one integer orders both). Stored at write
    time so that a query with filters only (`--direction`, `--type`, ...) reads its best
    sentences from the `idx_segments_rank` index instead of ranking every sentence."""
    type_rank = sum(TYPE_RANK.get(t, 0) for t in set(types))
    return 10 * type_rank + DESIGN_RANK.get(design or "", 0)


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
        fields: list[Any] = [*head, frozenset(concepts), frozenset(linked), frozenset(treatments)]
        return cls(*fields)


# Sentence fields in order, sets as sorted tuples (`Sentence.row`).
SentenceRow = tuple[
    str, str, int, str, str, bool, tuple[str, ...], str | None,
    tuple[str, ...], tuple[str, ...], tuple[str, ...],
]  # fmt: skip


def load_sentences(db: Database, doc_id: str) -> list[Sentence]:
    """A document's sentences with their mentioned concepts, in document order."""
    mentions: dict[str, set[str]] = {}
    for segment_id, concept_id in db.execute(
        # A document's mentions: the range of its sentence ids (the mentions' key).
        "SELECT segment_id, concept_id FROM mentions WHERE segment_id > ? AND segment_id < ?",
        [f"{doc_id}-", f"{doc_id}."],
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


def segment_sentence(segment: Segment) -> Sentence:
    """One processed segment as the linker sees it (planned window by window, `litkit.plan`)."""
    return Sentence(
        id=segment.id,
        doc_id=segment.doc_id,
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


def stance_relation(one: str | None, other: str | None) -> tuple[str, str] | None:
    """("agrees" | "conflicts", treatment) between two claims' stances, or None.

    Two pairs are about the same treatment when they name the same concept or one names an
    ancestor of the other (prednisolone and corticosteroids), never two siblings. The same
    confident direction agrees; `improved` against `not_improved` or `worsened` conflicts;
    `not_improved` against `worsened` (both bad news) is neither. A conflict wins over an
    agreement when two claims share several treatments."""
    return pairs_relation(_stance_pairs(one), _stance_pairs(other))


StancePairs = list[tuple[str, str, frozenset[str]]]


def parsed_stance(stance: str | None) -> StancePairs:
    """A stance's (treatment, direction, treatment's ancestors) pairs, for `pairs_relation`
    (a reader comparing one stance with many parses each once)."""
    return _stance_pairs(stance)


def pairs_relation(one: StancePairs, other: StancePairs) -> tuple[str, str] | None:
    """`stance_relation` of two parsed stances (`parsed_stance`)."""
    found: tuple[str, str] | None = None
    for t1, d1, a1 in one:
        for t2, d2, a2 in other:
            if not (t1 == t2 or t1 in a2 or t2 in a1):
                continue
            treatment = t1 if t1 in a2 or t1 == t2 else t2
            if (d1 == "improved") != (d2 == "improved"):
                return "conflicts", treatment
            if d1 == d2 and found is None:
                found = ("agrees", treatment)
    return found


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
