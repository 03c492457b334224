"""Precomputed sentence ranks (migration 0013): filters-only and `--direction` queries read the
rank order from an index, a sparse direction is answered from its pairs, and both ways give the
same sentences in the same order; read-time cross-references counted in SQL equal their
definition (`litkit.xref.relations`)."""

from __future__ import annotations

import json
import random

import pytest
from sqlite_utils import Database

from litkit.lexicon import default_lexicon
from litkit.link import evidence_rank, sentence_rank
from litkit.migrations import known_migrations, migrations
from litkit.models import content_id, segment_id
from litkit.query import Query, _ranked_sql, plan, ranked_segment_ids
from litkit.store import open_db
from litkit.vocab import DIRECTIONS
from litkit.xref import CrossReferences, Profile, relations

from .evidence_helpers import build_demo_db

DESIGNS = (None, "case_report", "cohort", "randomised_trial", "meta_analysis", "review")
TYPE_SETS = ((), ("diagnosis",), ("treatment",), ("outcome",), ("treatment", "outcome"))
TREATMENTS = ("D000305", "D008775", "D011239", "D008727")  # a class, two of its drugs, another


@pytest.mark.parametrize(
    ("types", "design", "rank"),
    [
        ((), None, 0),
        ((), "meta_analysis", 9),
        (("diagnosis",), "case_report", 12),
        (("treatment",), None, 20),
        (("outcome",), "cohort", 45),
        (("treatment", "outcome"), "randomised_trial", 68),
        (("outcome", "outcome"), "review", 44),  # a type counts once
        (("outcome",), "an unknown design", 40),
    ],
    ids=["nothing", "design-only", "diagnosis", "treatment", "outcome", "both", "dup", "unknown"],
)
def test_sentence_rank_orders_types_then_design(types, design, rank):
    assert sentence_rank(types, design) == rank
    assert evidence_rank(True, "mention", types, design) == 1000 + 200 + rank


def _fill(db: Database, documents: int, seed: int) -> list[dict]:
    """Documents of random designs whose sentences have random types, a treatment concept and
    outcome pairs, written as the writer would (ranks included); returns the sentences."""
    rng = random.Random(seed)
    sentences = []
    for d in range(documents):
        doc_id = content_id("rank-test", seed, d)
        design = rng.choice(DESIGNS)
        db.execute(
            "INSERT INTO documents (id, source, media_type, lang, design, n_segments, text,"
            " original, offset_map, pipeline_version, ingested_at)"
            " VALUES (?, ?, 'text/plain', 'en', ?, 8, '', '', '[]', 'test', 'test')",
            [doc_id, f"doc{d}.txt", design],
        )
        (seq,) = db.execute("SELECT rowid FROM documents WHERE id = ?", [doc_id]).fetchone()
        for idx in range(8):
            sid = segment_id(doc_id, idx)
            types = rng.choice(TYPE_SETS)
            treatment = rng.choice(TREATMENTS)
            pairs = (
                sorted({rng.choice(TREATMENTS): rng.choice(DIRECTIONS) for _ in range(2)}.items())
                if "outcome" in types
                else []
            )
            db.execute(
                'INSERT INTO segments (id, doc_id, idx, start, "end", text, lang, types, is_claim,'
                " rank) VALUES (?, ?, ?, 0, 1, 'x', 'en', ?, ?, ?)",
                [
                    sid,
                    doc_id,
                    idx,
                    json.dumps(types),
                    int(bool(types)),
                    sentence_rank(types, design),
                ],
            )
            for concept, via in ((treatment, "mention"), ("D000305", "ancestor")):
                rank = evidence_rank(bool(types), via, types, design)
                db.execute(
                    "INSERT OR IGNORE INTO segment_concepts (segment_id, doc_id, concept_id, via,"
                    " idx, rank, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [sid, doc_id, concept, via, idx, rank, seq],
                )
            for pair_treatment, direction in pairs:
                db.execute(
                    "INSERT INTO outcome_pairs (segment_id, doc_id, treatment, direction)"
                    " VALUES (?, ?, ?, ?)",
                    [sid, doc_id, pair_treatment, direction],
                )
            sentences.append(
                {"id": sid, "doc_id": doc_id, "idx": idx, "types": types, "design": design,
                 "pairs": dict(pairs)}
            )  # fmt: skip
    return sentences


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("rank") / "rank.db")
    with db.conn:
        sentences = _fill(db, documents=60, seed=3)
    return db, sentences


def _ids(db, query, from_pairs):
    sql, params = _ranked_sql(db, query, plan(query, default_lexicon()), from_pairs)
    return [row[0] for row in db.execute(f"{sql} LIMIT ?", [*params, query.limit])]


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_direction_alone_comes_in_rank_order_whichever_way_it_is_read(ranked, direction):
    db, sentences = ranked
    query = Query(direction=direction, limit=10_000)
    expected = [
        s["id"]
        for s in sorted(
            sentences,
            key=lambda s: (-sentence_rank(s["types"], s["design"]), s["doc_id"], s["idx"]),
        )
        if s["types"] and direction in s["pairs"].values()
    ]
    assert expected
    assert _ids(db, query, from_pairs=False) == expected
    assert _ids(db, query, from_pairs=True) == expected
    assert (
        ranked_segment_ids(db, Query(direction=direction, limit=7), plan(query, default_lexicon()))
        == expected[:7]
    )


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("treatment", ["corticosteroids", "methylprednisolone"])
def test_treatment_and_direction_agree_from_pairs_and_from_the_concept_index(
    ranked, direction, treatment
):
    db, _ = ranked
    query = Query(treatments=(treatment,), direction=direction, limit=10_000)
    walked = _ids(db, query, from_pairs=False)
    assert walked == _ids(db, query, from_pairs=True)
    short = Query(treatments=(treatment,), direction=direction, limit=5)
    assert _ids(db, short, from_pairs=False) == _ids(db, short, from_pairs=True) == walked[:5]


@pytest.mark.parametrize(
    "query",
    [
        Query(types=("outcome",), limit=10_000),
        Query(types=("diagnosis",), limit=10_000),
        Query(designs=("cohort",), limit=10_000),
        Query(types=("treatment",), all_segments=True, limit=10_000),
    ],
    ids=["outcome", "diagnosis", "design", "all-segments"],
)
def test_filters_alone_come_in_rank_order(ranked, query):
    db, sentences = ranked
    designs = {"cohort", "prospective_cohort", "retrospective_cohort"}
    expected = [
        s["id"]
        for s in sorted(
            sentences,
            key=lambda s: (-sentence_rank(s["types"], s["design"]), s["doc_id"], s["idx"]),
        )
        if (query.all_segments or s["types"])
        and (not query.types or set(query.types) & set(s["types"]))
        and (not query.designs or s["design"] in designs)
    ]
    assert expected
    assert _ids(db, query, from_pairs=None) == expected


def test_filters_alone_walk_the_rank_index_and_stop(ranked):
    db, _ = ranked
    query = Query(direction="improved")
    sql, params = _ranked_sql(db, query, plan(query, default_lexicon()), from_pairs=False)
    steps = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql} LIMIT 20", params))
    assert "idx_segments_rank" in steps
    assert "TEMP B-TREE FOR ORDER BY" not in steps


def test_migration_ranks_the_sentences_already_stored(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="0013_segment_rank")
    assert "rank" not in old["segments"].columns_dict
    cases = [(t, d) for t in TYPE_SETS for d in DESIGNS]
    with old.conn:
        for n, (types, design) in enumerate(cases):
            doc_id = content_id("old", n)
            old.execute(
                "INSERT INTO documents (id, source, media_type, lang, design, n_segments, text,"
                " original, offset_map, pipeline_version, ingested_at)"
                " VALUES (?, ?, 'text/plain', 'en', ?, 1, '', '', '[]', 'old', 'old')",
                [doc_id, f"{n}.txt", design],
            )
            for idx in range(3):  # claims of two profiles, as 0012 stored them
                old.execute(
                    'INSERT INTO segments (id, doc_id, idx, start, "end", text, lang, types,'
                    " is_claim, profile) VALUES (?, ?, ?, 0, 1, 'x', 'en', ?, ?, ?)",
                    [segment_id(doc_id, idx), doc_id, idx, json.dumps(types), int(bool(types)),
                     (n % 4 - 2) * 10**15 + idx % 2 if types else None],
                )  # fmt: skip
    old.close()
    db = open_db(path)
    assert "0013_segment_rank" in known_migrations()
    stored = set(db.execute("SELECT doc_id, rank FROM segments").fetchall())
    assert stored == {
        (content_id("old", n), sentence_rank(types, design))
        for n, (types, design) in enumerate(cases)
    }
    _assert_profile_counts(db)


def _assert_profile_counts(db):
    """Each document's `profile_counts` is its claims counted by profile, and read-time links
    read the same counts from it as from the sentences."""
    from collections import Counter

    rows = db.execute("SELECT id, profile_counts FROM documents").fetchall()
    assert rows
    with_claims = 0
    for doc_id, counts in rows:
        expected = Counter(
            dict(
                db.execute(
                    "SELECT profile, count(*) FROM segments WHERE doc_id = ?"
                    " AND profile IS NOT NULL GROUP BY profile",
                    [doc_id],
                ).fetchall()
            )
        )
        assert json.loads(counts) == sorted(map(list, expected.items()))
        assert CrossReferences(db)._claims_of_document(doc_id) == expected
        with_claims += bool(expected)
    assert with_claims
    doc_id, counts = rows[0]
    db.execute("UPDATE documents SET profile_counts = NULL WHERE id = ?", [doc_id])
    refs = CrossReferences(db)
    refs.read_documents([doc_id])  # counted from the sentences
    assert refs._claims_of_document(doc_id) == Counter(dict(json.loads(counts)))
    db.execute("UPDATE documents SET profile_counts = ? WHERE id = ?", [counts, doc_id])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return open_db(build_demo_db(tmp_path_factory.mktemp("xref")))


def test_documents_count_their_claims_by_profile_when_written(demo):
    _assert_profile_counts(demo)


def test_related_profiles_counted_in_sql_equal_the_definition(demo):
    """Every profile's related profiles, scored from counts read in SQL, are those
    `relations` gives when every pair of profiles is compared."""
    profiles = [
        Profile(pid, frozenset(json.loads(linked)), frozenset(json.loads(treatments)), stance, n)
        for pid, linked, treatments, stance, n in demo.execute(
            "SELECT id, linked, treatments, stance, claims FROM claim_profiles ORDER BY id"
        )
    ]
    assert len(profiles) >= 20
    assert any(p.stance for p in profiles)
    refs = CrossReferences(demo)
    kinds_seen = set()
    for one in profiles:
        expected: dict[str, dict[float, list[int]]] = {}
        for other in profiles:
            if one.linked & other.linked:
                for kind, score in relations(one, other):
                    expected.setdefault(kind, {}).setdefault(round(score, 4), []).append(other.id)
        got = refs.related(one.id)
        for kind, groups in got.items():
            want = sorted(
                ((s, sorted(ids)) for s, ids in expected.get(kind, {}).items()), reverse=True
            )
            assert groups == want, (one.id, kind)
            if groups:
                kinds_seen.add(kind)
    assert {"same_concept", "agrees"} <= kinds_seen
