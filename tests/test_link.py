"""Cross-references: concept index with ancestors, translations, same-concept, agree/conflict."""

from __future__ import annotations

import dataclasses

import pytest

import litkit.ingest
from litkit.ingest import ingest
from litkit.link import align, anchors, reindex_all
from litkit.store import open_db, write_document
from litkit.xref import CrossReferences

from .conftest import CORPORA, claim_document

SEED_REVIEW = CORPORA / "cno" / "eur_j_pediatr_2024_cno_review.en-zh.txt"


METHYLPRED = ("D008775", "methylprednisolone", "treatment")
CORTICO = ("D000305", "corticosteroids", "drug_class")
MRI = ("D008279", "magnetic resonance imaging", "test")


def links_of(db, segment_id, limit=1000):
    """Stored (translation) links and those computed at read time (`litkit.xref`)."""
    row = db.execute("SELECT doc_id, profile FROM segments WHERE id = ?", [segment_id]).fetchone()
    computed, _ = CrossReferences(db).links(row[0], row[1], limit=limit)
    stored = db.execute("SELECT kind, other_id FROM links WHERE segment_id = ?", [segment_id])
    return {(link["kind"], link["claim_id"]) for link in computed} | set(stored)


def test_mentions_are_indexed_with_their_ancestors(db):
    doc = claim_document(
        "a.txt",
        [("La méthylprednisolone a été efficace.", "fr", ("outcome",), "improved", [METHYLPRED])],
    )
    write_document(db, doc)
    rows = set(db.execute("SELECT concept_id, via FROM segment_concepts").fetchall())
    assert ("D008775", "mention") in rows
    assert ("D000305", "ancestor") in rows
    label = db.execute("SELECT label FROM concepts WHERE id = 'D000305'").fetchone()[0]
    assert label == "corticosteroids"


def test_claims_of_different_documents_are_linked_by_treatment(db):
    first = claim_document(
        "a.txt",
        [("Methylprednisolone led to remission.", "en", ("outcome",), "improved", [METHYLPRED])],
    )
    second = claim_document(
        "b.txt",
        [
            ("Les corticoïdes ont été efficaces.", "fr", ("outcome",), "improved", [CORTICO]),
            (
                "Les corticoïdes n'ont eu aucun effet.",
                "fr",
                ("outcome",),
                "not_improved",
                [CORTICO],
            ),
            ("L'IRM était normale.", "fr", ("diagnosis",), None, [MRI]),
        ],
    )
    write_document(db, first)
    write_document(db, second)
    a = first.segments[0].id
    agrees, conflicts, mri = (s.id for s in second.segments)
    assert {
        ("same_concept", agrees),
        ("agrees", agrees),
        ("same_concept", conflicts),
        ("conflicts", conflicts),
    } <= links_of(db, a)
    assert ("agrees", a) in links_of(db, agrees)  # stored both ways
    assert not any(other == mri for _, other in links_of(db, a))


def test_claims_of_one_document_are_not_linked_as_same_concept(db):
    doc = claim_document(
        "a.txt",
        [
            ("Steroids worked.", "en", ("outcome",), "improved", [CORTICO]),
            ("Steroids failed.", "en", ("outcome",), "not_improved", [CORTICO]),
        ],
    )
    write_document(db, doc)
    assert db.execute("SELECT count(*) FROM links").fetchone()[0] == 0
    assert all(not links_of(db, segment.id) for segment in doc.segments)


def test_a_record_lists_the_best_few_links_and_counts_them_all(db):
    for n in range(6):
        write_document(
            db,
            claim_document(
                f"{n}.txt", [(f"Steroids worked {n}.", "en", ("outcome",), "improved", [CORTICO])]
            ),
        )
    doc_id, profile = db.execute(
        "SELECT doc_id, profile FROM segments ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    links, counts = CrossReferences(db).links(doc_id, profile, limit=3)
    kinds = [link["kind"] for link in links]
    assert kinds.count("same_concept") == 3 and kinds.count("agrees") == 3
    assert counts == {"same_concept": 5, "agrees": 5, "conflicts": 0}


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("seed") / "seed.db")
    ingest(db, [str(SEED_REVIEW)])
    return db


def test_seed_review_chinese_sentences_are_linked_to_their_english_counterparts(seed_db):
    rows = seed_db.execute("SELECT id, lang, text FROM segments ORDER BY idx").fetchall()
    chinese = [r for r in rows if r[1] == "zh"]
    first_english = next(i for i, r in enumerate(rows) if r[2].startswith("Chronic non-bacterial"))
    english = [r for r in rows[first_english:] if r[1] == "en"]
    assert len(english) == len(chinese)  # the abstract and highlights, sentence for sentence
    expected = {zh[0]: en[0] for zh, en in zip(chinese, english, strict=True)}
    linked = dict(
        seed_db.execute(
            "SELECT l.segment_id, l.other_id FROM links l JOIN segments o ON o.id = l.other_id"
            " WHERE l.kind = 'translation' AND o.lang = 'en'"
        ).fetchall()
    )
    correct = [zh for zh in expected if linked.get(zh) == expected[zh]]
    wrong = [zh for zh in linked if zh in expected and linked[zh] != expected[zh]]
    assert len(correct) >= 0.8 * len(chinese)
    assert wrong == []


def test_unrelated_texts_of_two_languages_are_not_aligned():
    doc = claim_document(
        "x.txt",
        [
            ("The weather was fine in Paris last spring.", "en", (), None, []),
            ("Nous avons mangé des pommes hier soir.", "fr", (), None, []),
            ("The train was late again this morning.", "en", (), None, []),
            ("Le chat dort sur le canapé du salon.", "fr", (), None, []),
        ],
    )
    from litkit.link import Sentence

    def sentences(lang):
        return [
            Sentence(s.id, s.doc_id, s.index, s.lang, s.text, False, (), None, frozenset())
            for s in doc.segments
            if s.lang == lang
        ]

    assert align(sentences("en"), sentences("fr")) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("CNO 的诊断需要 MRI", {"CNO", "MRI"}),
        ("in 48 of 120 patients (CRMO)", {"48", "120", "CRMO"}),
        ("Le traitement", set()),
    ],
    ids=["zh", "en", "none"],
)
def test_anchors_are_numbers_and_acronyms(text, expected):
    assert anchors(text) == expected


def test_reindex_rebuilds_the_same_links(seed_db):
    before = seed_db.execute("SELECT * FROM links ORDER BY 1, 2, 3").fetchall()
    seed_db.execute("BEGIN")
    reindex_all(seed_db)
    seed_db.execute("COMMIT")
    assert seed_db.execute("SELECT * FROM links ORDER BY 1, 2, 3").fetchall() == before


def test_reingesting_a_document_adds_no_links(seed_db):
    count = seed_db.execute("SELECT count(*) FROM links").fetchone()[0]
    ingest(seed_db, [str(SEED_REVIEW)])
    assert seed_db.execute("SELECT count(*) FROM links").fetchone()[0] == count


def test_upgrading_an_older_database_backfills_the_index(tmp_path, monkeypatch):
    import sqlite3

    from sqlite_utils import Database

    from litkit import plan as plan_module
    from litkit import store
    from litkit.migrations import migrations, upgrade

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(str(path), isolation_level=None))
    migrations.apply(old, stop_before="0002_evidence_index")
    monkeypatch.setattr(store, "index_document", lambda *args: None)  # a litkit before the index
    # ... and before migration 0007: its sentences had no role, outcome pairs or spans.
    later_columns = ("role", "outcomes", "negated_spans", "hedged_spans")
    segment_row = plan_module.segment_row
    monkeypatch.setattr(
        plan_module,
        "segment_row",
        lambda s: {k: v for k, v in segment_row(s).items() if k not in later_columns},
    )
    monkeypatch.setattr(plan_module, "outcome_pair_rows", lambda s: [])
    # ... and before migrations 0008 and 0011: no patient count, issue, pages, PMCID or record id.
    citation_columns = ("patients", "issue", "pages", "pmcid", "record_id")
    document_row = plan_module.document_row
    monkeypatch.setattr(
        plan_module,
        "document_row",
        lambda d: {k: v for k, v in document_row(d).items() if k not in citation_columns},
    )
    monkeypatch.setattr(store, "record_source", lambda *args: None)  # and before 0009
    plan_parsed = plan_module.plan_parsed

    def before_0012(*args, **kwargs):  # no claim profiles, no rules version (nor 0013's rank)
        plan = plan_parsed(*args, **kwargs)
        segments = plan.content[0]
        keep = [i for i, c in enumerate(segments.columns) if c not in ("profile", "rank")]
        segments = plan_module.TableRows(
            segments.table,
            tuple(segments.columns[i] for i in keep),
            tuple(tuple(row[i] for i in keep) for row in segments.values),
        )
        document = {
            k: v for k, v in plan.document.items() if k not in ("rules_version", "profile_counts")
        }
        return dataclasses.replace(plan, document=document, content=(segments, *plan.content[1:]))

    monkeypatch.setattr(litkit.ingest, "plan_parsed", before_0012)
    ingest(old, [str(SEED_REVIEW)])
    monkeypatch.undo()
    assert upgrade(old)[0] == "0002_evidence_index"  # and any later migrations
    count = old.execute("SELECT count(*) FROM links WHERE kind = 'translation'").fetchone()[0]
    assert count >= 2 * 13
    assert old.execute("SELECT count(*) FROM segment_search").fetchone()[0] > 0


def test_a_translation_stored_as_another_document_is_linked_sentence_by_sentence(tmp_path):
    lines = SEED_REVIEW.read_text("utf-8").splitlines()
    english = [line for line in lines if line.isascii() or line.startswith("•")]
    chinese = [line for line in lines if line not in english and not line.startswith("Pôle")]
    (tmp_path / "review.en.txt").write_text("\n".join(english) + "\n", "utf-8")
    (tmp_path / "review.zh.txt").write_text("\n".join(chinese) + "\n", "utf-8")
    (tmp_path / "other.en.txt").write_text(
        "Methylprednisolone was given for three days. Fever resolved. MRI was normal.\n", "utf-8"
    )
    db = open_db(tmp_path / "t.db")
    ingest(db, [str(tmp_path)])
    pairs = db.execute(
        "SELECT a.text, b.text FROM links l JOIN segments a ON a.id = l.segment_id"
        " JOIN segments b ON b.id = l.other_id JOIN documents da ON da.id = a.doc_id"
        " JOIN documents db ON db.id = b.doc_id"
        " WHERE l.kind = 'translation' AND a.lang = 'zh' AND da.id != db.id"
    ).fetchall()
    by_chinese = dict(pairs)
    zh_sentences = [r[0] for r in db.execute("SELECT text FROM segments WHERE lang = 'zh'")]
    assert len(by_chinese) >= 0.8 * len(zh_sentences)
    first = next(t for t in zh_sentences if t.startswith("慢性非细菌性骨髓炎"))
    assert by_chinese[first].startswith("Chronic non-bacterial osteomyelitis")
    other = "Methylprednisolone was given for three days."
    assert not any(en == other for _, en in pairs)


def _profiles(db):
    return (
        sorted(db.execute("SELECT * FROM claim_profiles").fetchall()),
        sorted(db.execute("SELECT * FROM profile_concepts").fetchall()),
        sorted(db.execute("SELECT id, profile FROM segments").fetchall()),
    )


def test_rebuilt_claim_profiles_and_keys_equal_those_written_at_ingest(tmp_path):
    """An upgraded database's derived rows are rebuilt by `reindex_all` (migrations only say
    a rebuild is due): the claim profiles, translation keys and orders it writes are those an
    ingest wrote."""
    db = open_db(tmp_path / "b.db")
    ingest(db, [str(CORPORA)])
    written = (
        _profiles(db),
        sorted(db.execute("SELECT * FROM translation_keys").fetchall()),
        sorted(db.execute("SELECT * FROM translation_orders").fetchall()),
    )
    assert all(written[0]) and written[1] and written[2]
    for table in ("profile_concepts", "claim_profiles", "translation_keys", "translation_orders"):
        db.execute(f"DELETE FROM {table}")
    db.execute("UPDATE segments SET profile = NULL")
    reindex_all(db)
    rebuilt = (
        _profiles(db),
        sorted(db.execute("SELECT * FROM translation_keys").fetchall()),
        sorted(db.execute("SELECT * FROM translation_orders").fetchall()),
    )
    assert rebuilt == written


ORDER = {f"C{i}": i for i in range(8)}


@pytest.mark.parametrize(
    ("other", "expected"),
    [(ORDER, True),
     ({**ORDER, "C6": 7, "C7": 6}, True),  # one swap among 28 pairs
     ({c: 7 - i for c, i in ORDER.items()}, False),  # the same concepts, reversed
     ({c: (i * 3) % 8 for c, i in ORDER.items()}, False),  # shuffled
     ({"C0": 0, "C1": 1, "C2": 2, "C3": 3}, False),  # too few pairs to tell (6)
     ({"C0": 0, "C1": 0, "C2": 0, "C3": 0, "C4": 0, "C5": 0}, False)],  # one sentence: no order
    ids=["same", "one-swap", "reversed", "shuffled", "too-few", "no-order"],
)  # fmt: skip
def test_translation_candidates_mention_their_concepts_in_the_same_order(other, expected):
    from litkit.link import same_order

    assert same_order(ORDER, other) is expected
    assert same_order(other, ORDER) is expected  # symmetric in the pair


def test_a_database_from_before_read_time_links_gets_profiles_on_open(tmp_path):
    path = tmp_path / "v11.db"
    db = open_db(path)
    first = claim_document(
        "a.txt",
        [("Methylprednisolone led to remission.", "en", ("outcome",), "improved", [METHYLPRED])],
    )
    write_document(db, first)
    # As a litkit before migration 0012: no profiles, no rules version, links stored.
    for table in ("profile_concepts", "claim_profiles"):
        db.execute(f"DROP TABLE {table}")
    db.execute("DROP INDEX idx_segments_profile")
    db.execute("ALTER TABLE segments DROP COLUMN profile")
    db.execute("DROP INDEX idx_documents_rules_version")
    db.execute("ALTER TABLE documents DROP COLUMN rules_version")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0012_read_time_links'")
    db.close()

    db = open_db(path)
    assert db.execute("SELECT count(*) FROM claim_profiles").fetchone()[0] == 1
    second = claim_document(
        "b.txt",
        [("Les corticoïdes ont été efficaces.", "fr", ("outcome",), "improved", [CORTICO])],
    )
    write_document(db, second)
    assert ("agrees", first.segments[0].id) in links_of(db, second.segments[0].id)
    assert ("agrees", second.segments[0].id) in links_of(db, first.segments[0].id)


def test_a_database_from_before_ingest_order_gets_the_index_ingest_writes(tmp_path):
    path = tmp_path / "v5.db"
    db = open_db(path)
    ingest(db, [str(CORPORA)])
    tables = ("segment_concepts",)
    written = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    assert all(written.values())
    # As a litkit before migration 0006: no `seq`, claim candidates keyed by document id.
    db.execute("DROP INDEX idx_segment_concepts_ranked")
    db.execute("ALTER TABLE segment_concepts DROP COLUMN seq")
    db.execute(
        "CREATE INDEX idx_segment_concepts_rank"
        " ON segment_concepts(concept_id, rank DESC, doc_id, idx)"
    )
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_ingest_order'")
    db.close()

    db = open_db(path)
    assert {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables} == written
    indexes = {row[1] for row in db.execute("PRAGMA index_list(segment_concepts)")}
    assert "idx_segment_concepts_ranked" in indexes
    assert "idx_segment_concepts_rank" not in indexes


def test_claims_about_one_treatment_link_to_the_first_by_id_whatever_the_order(db):
    """Equal scores are ranked by claim id: the same few for every claim, in any ingest
    order, and the count says how many there are."""
    from litkit.xref import LINKS_PER_KIND

    docs = _methylprednisolone_claims(30)
    for doc in reversed(docs):
        write_document(db, doc)
    claims = sorted(doc.segments[0].id for doc in docs)
    for claim in claims:
        doc_id, profile = db.execute(
            "SELECT doc_id, profile FROM segments WHERE id = ?", [claim]
        ).fetchone()
        links, counts = CrossReferences(db).links(doc_id, profile)
        same = [link["claim_id"] for link in links if link["kind"] == "same_concept"]
        assert same == [c for c in claims if c != claim][:LINKS_PER_KIND]
        assert counts["same_concept"] == counts["agrees"] == 29


def _methylprednisolone_claims(count, start=0):
    sentence = "Methylprednisolone led to remission ({})."
    return [
        claim_document(
            f"d{i}.txt", [(sentence.format(i), "en", ("outcome",), "improved", [METHYLPRED])]
        )
        for i in range(start, start + count)
    ]


def _all_links(db):
    """Every stored link and every link computed at read time, with the counts."""
    refs = CrossReferences(db)
    computed = []
    for claim, doc_id, profile in db.execute(
        "SELECT id, doc_id, profile FROM segments WHERE profile IS NOT NULL"
    ).fetchall():
        links, counts = refs.links(doc_id, profile, limit=1000)
        computed += [(claim, link["kind"], link["claim_id"], link["score"]) for link in links]
        computed += [(claim, "count", kind, n) for kind, n in counts.items()]
    return sorted(db.execute("SELECT * FROM links").fetchall()) + sorted(computed)


def test_a_batch_links_exactly_as_documents_written_one_by_one(tmp_path):
    from litkit.store import DocumentBatch

    docs = _methylprednisolone_claims(30)
    one_by_one = open_db(tmp_path / "one.db")
    for doc in docs:
        write_document(one_by_one, doc)
    batched = open_db(tmp_path / "batch.db")
    with DocumentBatch(batched, max_docs=7) as batch:  # several groups: claims kept across
        for doc in docs:
            batch.write(doc)
            if batch.due():
                batch.commit()
    assert _all_links(batched) == _all_links(one_by_one)


def test_claims_another_process_stored_meanwhile_are_linked(tmp_path):
    from litkit.store import DocumentBatch

    path = tmp_path / "shared.db"
    db, other = open_db(path), open_db(path)
    first, meanwhile, last = (
        _methylprednisolone_claims(10),
        _methylprednisolone_claims(1, start=10)[0],
        _methylprednisolone_claims(1, start=11)[0],
    )
    with DocumentBatch(db) as batch:
        for doc in first:
            batch.write(doc)
        batch.commit()
        write_document(other, meanwhile)  # another writer commits between two groups
        batch.write(last)
    same = {o for kind, o in links_of(db, last.segments[0].id) if kind == "same_concept"}
    assert meanwhile.segments[0].id in same  # the newest claim, not only those this batch saw
    assert len(same) == 11


def test_a_failed_document_leaves_no_trace_in_the_links_of_its_group(tmp_path, monkeypatch):
    from litkit import store
    from litkit.store import DocumentBatch

    docs = _methylprednisolone_claims(12)
    bad = docs[5]
    expected_db = open_db(tmp_path / "expected.db")
    for doc in docs:
        if doc is not bad:
            write_document(expected_db, doc)
    real = store.index_document

    def explode_after_linking(database, doc_id, *args):
        real(database, doc_id, *args)  # its claims are stored and remembered, then it fails
        if doc_id == bad.id:
            raise RuntimeError("crash after linking one document of the group")

    monkeypatch.setattr(store, "index_document", explode_after_linking)
    db = open_db(tmp_path / "batch.db")
    with DocumentBatch(db) as batch:
        for doc in docs:
            try:
                batch.write(doc)
            except RuntimeError:
                assert doc is bad
    assert _all_links(db) == _all_links(expected_db)


def test_translations_linked_in_a_batch_equal_those_linked_one_by_one(tmp_path):
    """The writer's memory of keys, languages and sentences changes nothing that is linked."""
    from litkit.ingest import process_sources
    from litkit.sources import resolve
    from litkit.store import DocumentBatch

    lines = SEED_REVIEW.read_text("utf-8").splitlines()
    english = [line for line in lines if line.isascii() or line.startswith("•")]
    chinese = [line for line in lines if line not in english and not line.startswith("Pôle")]
    folder = tmp_path / "in"
    folder.mkdir()
    for copy in range(3):  # distinct documents sharing their translation keys
        note = f"Note {copy}.\n"
        (folder / f"{copy}.en.txt").write_text("\n".join(english) + "\n" + note, "utf-8")
        (folder / f"{copy}.zh.txt").write_text("\n".join(chinese) + "\n" + note, "utf-8")
    docs = list(process_sources(resolve([str(folder)])))
    one_by_one = open_db(tmp_path / "one.db")
    for doc in docs:
        write_document(one_by_one, doc)
    batched = open_db(tmp_path / "batch.db")
    with DocumentBatch(batched, max_docs=2) as batch:
        for doc in docs:
            batch.write(doc)
            if batch.due():
                batch.commit()
    links = _all_links(batched)
    assert links == _all_links(one_by_one)
    assert sum(1 for row in links if row[2] == "translation") >= 5 * 13  # across documents


def test_long_alignments_score_a_band_not_the_whole_table(monkeypatch):
    """A long bilingual document is aligned in a band around the diagonal: the pairs scored
    grow with the length of the lists, not with their product (a 1 MB trilingual document
    once needed gigabytes), and the translation is still found."""
    from litkit.link import MAX_BAND_SENTENCES, Sentence, translations

    def sentence(lang: str, i: int, text: str) -> Sentence:
        return Sentence(f"{lang}-{i:05d}", lang, i, lang, text, False, (), None, frozenset())

    n = 1500
    english = [sentence("en", i, f"Patient {i} received {i % 7 + 1} mg of MTX.") for i in range(n)]
    chinese = [sentence("zh", i, f"患者{i}接受了{i % 7 + 1} mg MTX治疗。") for i in range(n)]
    calls = 0
    real = translations._pair_score

    def counting(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(translations, "_pair_score", counting)
    links = align(english, chinese)
    assert calls <= n * (2 * MAX_BAND_SENTENCES + 8)
    assert len(links) >= 0.9 * n
    assert all(x.segment_id[3:] == x.other_id[3:] for x in links)


def test_prefetched_links_are_the_links_and_need_no_further_statement(db):
    """`prefetch_links` (what an export does for its records) only reads ahead: the links and
    counts are those found claim by claim, and finding them then reads nothing more."""
    from litkit.xref import LINKS_PER_KIND

    docs = _methylprednisolone_claims(12)
    docs += [
        claim_document(
            f"c{i}.txt",
            [(f"Steroids failed ({i}).", "en", ("outcome",), "not_improved", [CORTICO, MRI])],
        )
        for i in range(4)
    ]
    for doc in docs:
        write_document(db, doc)
    claims = db.execute(
        "SELECT doc_id, profile FROM segments WHERE profile IS NOT NULL ORDER BY id"
    ).fetchall()
    one_by_one = [CrossReferences(db).links(doc_id, profile) for doc_id, profile in claims]
    refs = CrossReferences(db, excluded=[claims[0][0]])
    expected = [refs.links(d, p) for d, p in claims]
    refs = CrossReferences(db, excluded=[claims[0][0]])
    refs.prefetch_links(claims)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        found = [refs.links(d, p) for d, p in claims]
    finally:
        db.conn.set_trace_callback(None)
    assert found == expected and statements == []
    refs = CrossReferences(db)
    refs.prefetch_links(claims)
    assert [refs.links(d, p) for d, p in claims] == one_by_one
    kinds = [[link["kind"] for link in links] for links, _ in one_by_one]
    assert any(k.count("same_concept") == LINKS_PER_KIND for k in kinds)  # a group cut short
    assert any("conflicts" in k for k in kinds)
