"""Find claims by concept in any language, with full-text search as the fallback.

The query text is first read as a concept name through the lexicon (`corticosteroids`,
`corticostéroïdes`, `糖皮质激素` and `D000305` are one concept). Because every sentence is
indexed under its concepts' ancestors at ingest (`litkit.link`), that one concept id returns the
claims of every language, including those about methylprednisolone or prednisolone, with one
index lookup. Text that names no concept is searched with the full-text index
(`litkit.search`). SQL is always parametrised; FTS input is always quoted.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .curation import EXCLUDED_DOCS_SQL, has_types_params, has_types_sql, is_claim_sql
from .errors import QueryError
from .export import pair_clause, pair_condition, records_for_segments
from .lexicon import TREATMENT_CATEGORIES
from .search import FTS_TABLE, match_expression
from .vocab import CLAIM_TYPES, DESIGN_CHOICES, DIRECTIONS, expand_designs

if TYPE_CHECKING:
    from .lexicon import Concept, Lexicon


TABLE_COLUMNS = ("id", "source", "lang", "types", "treatments", "outcomes", "text")
DEFAULT_LIMIT = 20
FTS_RANKED_HITS = 5_000  # above this many full-text hits, results come in index order
MAX_LIMIT = 10_000
MAX_TEXT_LENGTH = 500
# Below this many outcome pairs for a `--direction` (with its treatments), a query starts from
# the pairs and sorts them; above it, it walks the rank order and checks each sentence's pairs
# (one primary-key probe each), stopping after `--limit`. Counting up to it reads at most this
# many index entries (~0.3 ms), and sorting that many rows costs about as much as walking.
PAIR_SET_LIMIT = 2_000


@dataclass(frozen=True)
class Query:
    """What the user asked: free text and filters (every filter optional, all combined)."""

    text: str | None = None
    treatments: tuple[str, ...] = ()
    concept_ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # inclusive publication-year range
    limit: int = DEFAULT_LIMIT
    all_segments: bool = False
    direction: str | None = None  # an outcome pair's direction (about `treatments` if given)


@dataclass(frozen=True)
class Plan:
    """How a query is answered: the concepts its text names, or a full-text expression."""

    concepts: tuple[Concept, ...] = ()
    fts: str | None = None
    filter_concepts: tuple[tuple[str, ...], ...] = ()  # each group: any of these ids
    pair_treatments: tuple[str, ...] = ()  # `--direction` with `--treatment`: these and below


def text_concepts(text: str, lexicon: Lexicon) -> list[Concept]:
    """Concepts the text names: as a whole (name, label or id), else the mentions found in it."""
    found = lexicon.lookup(text.strip())
    if found:
        return found
    seen: dict[str, Concept] = {}
    for mention in lexicon.find_mentions(text):
        concept = lexicon.get(mention.concept_id)
        if concept is not None:
            seen.setdefault(concept.id, concept)
    return list(seen.values())


def treatment_ids(name: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Treatment or drug-class concept ids for a name in any language; QueryError if none."""
    found = [c.id for c in lexicon.lookup(name.strip()) if c.category in TREATMENT_CATEGORIES]
    if not found:
        close = similar_treatments(name, lexicon)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise QueryError(
            f"unknown treatment {name!r} ({hint}see `litkit lexicon list --category treatment`"
            " and `--category drug_class`)"
        )
    return tuple(found)


def similar_treatments(name: str, lexicon: Lexicon, limit: int = 3) -> list[str]:
    """Treatment and drug-class names (any language) spelled like `name`, for a typo's hint."""
    names = {
        text.casefold(): text
        for concept in lexicon.concepts()
        if concept.category in TREATMENT_CATEGORIES
        for text in (concept.label, *concept.names())
    }
    close = difflib.get_close_matches(name.strip().casefold(), list(names), n=limit, cutoff=0.75)
    return [names[key] for key in close]


def pair_treatment_ids(names: Sequence[str], lexicon: Lexicon) -> tuple[str, ...]:
    """The treatments an outcome pair may name for `--treatment` names: each named concept and
    its descendants (a pair about prednisolone answers `--treatment corticosteroids`)."""
    found: dict[str, None] = {}
    for name in names:
        for cid in treatment_ids(name, lexicon):
            found.setdefault(cid, None)
            for narrower in lexicon.descendants(cid):
                found.setdefault(narrower, None)
    return tuple(found)


def concept_id(value: str, lexicon: Lexicon) -> str:
    """A concept id given by id or by name; QueryError if the lexicon has no such concept."""
    if lexicon.get(value) is not None:
        return value
    found = lexicon.lookup(value.strip())
    if len(found) == 1:
        return found[0].id
    raise QueryError(f"unknown concept {value!r} (see `litkit lexicon list`)")


def plan(query: Query, lexicon: Lexicon) -> Plan:
    """Resolve names to concept ids and validate the query, before touching the database."""
    if query.text is not None and len(query.text) > MAX_TEXT_LENGTH:
        raise QueryError(
            f"query text too long ({len(query.text)} characters, at most {MAX_TEXT_LENGTH})"
        )
    if not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}")
    bad_designs = sorted(set(query.designs) - set(DESIGN_CHOICES))
    if bad_designs:
        raise QueryError(f"unknown design {bad_designs[0]!r} (one of {', '.join(DESIGN_CHOICES)})")
    bad_types = sorted(set(query.types) - set(CLAIM_TYPES))
    if bad_types:
        raise QueryError(f"unknown claim type {bad_types[0]!r} (one of {', '.join(CLAIM_TYPES)})")
    if query.direction is not None and query.direction not in DIRECTIONS:
        raise QueryError(f"unknown direction {query.direction!r} (one of {', '.join(DIRECTIONS)})")
    groups = [treatment_ids(name, lexicon) for name in query.treatments]
    groups += [(concept_id(value, lexicon),) for value in query.concept_ids]
    concepts: tuple[Concept, ...] = ()
    fts = None
    if query.text and query.text.strip():
        concepts = tuple(text_concepts(query.text, lexicon))
        if not concepts:
            fts = match_expression(query.text)
    pairs = pair_treatment_ids(query.treatments, lexicon) if query.direction else ()
    return Plan(concepts=concepts, fts=fts, filter_concepts=tuple(groups), pair_treatments=pairs)


def _filters(
    query: Query,
    groups: Sequence[tuple[str, ...]],
    pair_treatments: Sequence[str] = (),
    pairs_joined: bool = False,
) -> tuple[list[str], list[Any]]:
    """SQL conditions on `s` (segments) and `d` (documents) for the query's filters
    (`pairs_joined`: the query starts from the direction's pairs, `_pair_hits`, so its pair
    condition is already met)."""
    # Reviewers' decisions (litkit.curation): excluded documents are left out, claims are
    # typed as they set them.
    where = [f"s.doc_id NOT IN ({EXCLUDED_DOCS_SQL})"]
    if not query.all_segments:
        where.append(is_claim_sql("s"))
    params: list[Any] = []
    for group in groups:
        where.append(
            "EXISTS (SELECT 1 FROM segment_concepts f WHERE f.segment_id = s.id"
            f" AND f.concept_id IN ({_marks(group)}))"
        )
        params += list(group)
    if query.types:
        where.append(has_types_sql("s", len(query.types)))
        params += has_types_params(query.types)
    if query.langs:
        where.append(f"+s.lang IN ({_marks(query.langs)})")  # `+`: rank order, not the lang index
        params += list(query.langs)
    if query.designs:
        designs = expand_designs(query.designs)
        where.append(f"d.design IN ({_marks(designs)})")
        params += list(designs)
    if query.years:
        where.append("d.year BETWEEN ? AND ?")
        params += list(query.years)
    if query.direction and not pairs_joined:
        clause, pair_params = pair_clause("s.id", query.direction, pair_treatments)
        where.append(clause)
        params += pair_params
    return where, params


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _few_pairs(db: Database, direction: str, treatments: Sequence[str]) -> bool:
    """True when fewer than `PAIR_SET_LIMIT` outcome pairs say `direction` (about one of
    `treatments` when given): counted on `idx_outcome_pairs_direction`, reading at most that
    many entries."""
    clause, params = pair_condition(direction, treatments)
    (count,) = db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM outcome_pairs WHERE {clause} LIMIT ?)",
        [*params, PAIR_SET_LIMIT],
    ).fetchone()
    return count < PAIR_SET_LIMIT


def _pair_hits(direction: str, treatments: Sequence[str]) -> tuple[str, list[Any]]:
    """A CTE `pairs(segment_id)`: the sentences with a pair of `direction` (about one of
    `treatments` when given), each once."""
    clause, params = pair_condition(direction, treatments)
    return f"pairs AS (SELECT DISTINCT segment_id FROM outcome_pairs WHERE {clause})", params


def _ranked_sql(
    db: Database, query: Query, query_plan: Plan, from_pairs: bool | None = None
) -> tuple[str, list[Any]]:
    """The SQL (without its LIMIT) and parameters of the matching sentence ids, best first.

    One concept (the common case) is answered in index order from the precomputed
    `segment_concepts.rank`, and filters alone in the order of the precomputed `segments.rank`
    (`idx_segments_rank`), reading about `limit` rows whatever the corpus size; several
    concepts are summed per sentence; full-text hits are ordered by bm25 then rank.
    Concept hits of equal rank come in ingest order (`seq`: the index's order), other hits of
    equal rank in document-id and position order.

    With `--direction`, a direction whose pairs are few (`_few_pairs`; `from_pairs` decides
    instead when given) is answered from its pairs, sorted: walking the rank order would
    check every sentence before finding them. Both ways give the same sentences in the same
    order.
    """
    groups = list(query_plan.filter_concepts)
    driver: tuple[str, ...] = tuple(c.id for c in query_plan.concepts)
    if not driver and not query_plan.fts and groups:
        driver = groups.pop(0)
    if len(driver) > 1 or query_plan.fts:
        from_pairs = False  # the hits are grouped or scored first; pairs filter them
    elif from_pairs is None:
        from_pairs = bool(query.direction) and _few_pairs(
            db, query.direction or "", query_plan.pair_treatments
        )
    from_pairs = from_pairs and bool(query.direction)
    where, params = _filters(query, groups, query_plan.pair_treatments, pairs_joined=from_pairs)
    pairs_cte, pair_params = (
        _pair_hits(query.direction or "", query_plan.pair_treatments) if from_pairs else ("", [])
    )
    joins = " JOIN segments s ON s.id = h.segment_id JOIN documents d ON d.id = s.doc_id"
    conditions = "".join(" AND " + w for w in where)
    if len(driver) == 1 and from_pairs:
        # CROSS JOIN: SQLite keeps the pairs as the outer loop (each finds its index row by
        # primary key), then sorts the few rows.
        sql = (
            f"WITH {pairs_cte} SELECT h.segment_id FROM pairs p"
            " CROSS JOIN segment_concepts h ON h.segment_id = p.segment_id AND h.concept_id = ?"
            f"{joins} WHERE 1{conditions} ORDER BY h.rank DESC, h.seq, h.idx"
        )
        return sql, [*pair_params, driver[0], *params]
    # The walks below name their join order (CROSS JOIN): with other statistics SQLite may
    # start from the documents and sort every sentence (1.3 s at 1M claims), not stop early.
    walk = " CROSS JOIN segments s ON s.id = h.segment_id CROSS JOIN documents d ON d.id = s.doc_id"
    if len(driver) == 1:
        sql = (
            f"SELECT h.segment_id FROM segment_concepts h{walk}"
            f" WHERE h.concept_id = ?{conditions}"
            " ORDER BY h.rank DESC, h.seq, h.idx"
        )
        return sql, [driver[0], *params]
    if driver:
        hits = (
            "SELECT segment_id, sum(CASE via WHEN 'mention' THEN 2 ELSE 1 END) AS match,"
            " max(rank) AS rank, min(seq) AS seq, min(idx) AS idx FROM segment_concepts"
            f" WHERE concept_id IN ({_marks(driver)}) GROUP BY segment_id"
        )
        order = "h.match DESC, h.rank DESC, h.seq, h.idx"
        hit_params: list[Any] = list(driver)
    elif query_plan.fts:
        (count,) = db.execute(
            f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", [query_plan.fts]
        ).fetchone()
        # bm25 costs ~1 ms per 1,000 hits; a word in a tenth of the corpus ranks nothing useful.
        score = "-rank" if count <= FTS_RANKED_HITS else "0"
        hits = f"SELECT segment_id, {score} AS match FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        order = "h.match DESC, s.rank DESC, s.doc_id, s.idx"
        if count > FTS_RANKED_HITS:
            order = "h.rowid"
            hits = hits.replace("SELECT segment_id,", "SELECT rowid, segment_id,")
        hit_params = [query_plan.fts]
    elif from_pairs:
        sql = (
            f"WITH {pairs_cte} SELECT s.id FROM pairs p CROSS JOIN segments s ON s.id ="
            f" p.segment_id JOIN documents d ON d.id = s.doc_id WHERE 1{conditions}"
            " ORDER BY s.rank DESC, s.doc_id, s.idx"
        )
        return sql, [*pair_params, *params]
    else:
        # The rank index's order: SQLite reads it from the best down and stops at the limit.
        sql = (
            "SELECT s.id FROM segments s CROSS JOIN documents d ON d.id = s.doc_id"
            f" WHERE 1{conditions} ORDER BY s.rank DESC, s.doc_id, s.idx"
        )
        return sql, params
    sql = (
        f"WITH hits AS ({hits}) SELECT h.segment_id FROM hits h{joins}"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {order}"
    )
    return sql, [*hit_params, *params]


def ranked_segment_ids(db: Database, query: Query, query_plan: Plan) -> list[str]:
    """Ids of the matching sentences, best first, at most `query.limit`."""
    sql, params = _ranked_sql(db, query, query_plan)
    return [row[0] for row in db.execute(f"{sql} LIMIT ?", [*params, query.limit])]


def count_matches(db: Database, query: Query, query_plan: Plan) -> int:
    """How many sentences match in all (`ranked_segment_ids` returns at most `limit`), so a
    truncated answer can say how many there were (from the direction's pairs when there is
    one: counting reads every match either way, and there are fewer pairs than sentences)."""
    sql, params = _ranked_sql(db, query, query_plan, from_pairs=bool(query.direction))
    return db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def run_query(db: Database, query: Query, lexicon: Lexicon) -> list[dict[str, Any]]:
    """Export records of the best matching claims, ranked (concept match, claim type, design)."""
    return records_for_segments(db, ranked_segment_ids(db, query, plan(query, lexicon)))


def describe(query_plan: Plan) -> str:
    """One line saying how the text was understood (for stderr)."""
    if query_plan.concepts:
        names = ", ".join(f"{c.label} ({c.id})" for c in query_plan.concepts)
        return f"concepts: {names}"
    if query_plan.fts:
        return f"full-text: {query_plan.fts}"
    return "filters only"


def labels(db: Database, concept_ids: Sequence[str]) -> list[str]:
    """English labels of stored concepts, in the order given (ids without a label are kept)."""
    found = (
        dict(
            db.execute(
                f"SELECT id, label FROM concepts WHERE id IN ({','.join('?' * len(concept_ids))})",
                list(concept_ids),
            ).fetchall()
        )
        if concept_ids
        else {}
    )
    return [found.get(cid, cid) for cid in concept_ids]
