"""Full-text search: Chinese words of any length, accents ignored, user text never FTS syntax."""

from __future__ import annotations

import pytest

from litkit.errors import QueryError
from litkit.models import Segment
from litkit.search import chars_column, index_segments, match_expression, search_segment_ids

SENTENCES = {
    "zh": "慢性非细菌性骨髓炎由骨骼无菌性炎症引起。",
    "zh2": "许多患者都被漏诊了。",
    "fr": "Une étiologie inconnue et des corticostéroïdes.",
    "en": 'He said "NEAR" (twice) AND left; x*y',
}


@pytest.fixture
def indexed(db):
    segments = [
        Segment(id=key, doc_id="d", index=i, start=0, end=len(t), text=t, lang=key[:2])
        for i, (key, t) in enumerate(SENTENCES.items())
    ]
    db.execute("BEGIN")
    index_segments(db, segments)
    db.execute("COMMIT")
    return db


@pytest.mark.parametrize(
    "text,expected",
    [
        ("骨骼", "zh"),
        ("漏诊", "zh2"),
        ("骨髓炎", "zh"),
        ("无菌性炎症", "zh"),
        ("etiologie", "fr"),
        ("ÉTIOLOGIE", "fr"),
        ("corticosteroide", "fr"),
        ("inconnue", "fr"),
    ],
    ids=[
        "zh-2char",
        "zh-2char-b",
        "zh-3char",
        "zh-phrase",
        "fr-no-accent",
        "fr-upper",
        "fr-prefix",
        "fr-word",
    ],
)
def test_finds(indexed, text, expected):
    assert [sid for sid, _ in search_segment_ids(indexed, text)] == [expected]


@pytest.mark.parametrize("text", ['"NEAR"', "NEAR(twice)", "x*y", "AND left", "(twice"])
def test_fts_syntax_in_user_text_is_plain_words(indexed, text):
    assert [sid for sid, _ in search_segment_ids(indexed, text)] == ["en"]


@pytest.mark.parametrize("text", ['" OR 1=1 --', "NOT", "*", "'; DROP TABLE segments; --"])
def test_hostile_text_is_searched_or_rejected_clearly(indexed, text):
    try:
        assert search_segment_ids(indexed, text) == []
    except QueryError as error:  # rejected with a message, never an sqlite3 error
        assert "nothing to search" in str(error)


@pytest.mark.parametrize("text", ["", "   ", "?!*()", "“”"])
def test_nothing_searchable_is_a_clear_error(text):
    with pytest.raises(QueryError, match="nothing to search"):
        match_expression(text)


def test_every_token_is_quoted():
    expression = match_expression('NEAR "x')
    assert expression == 'words : "NEAR"* AND words : "x"'


def test_chars_column_is_cjk_only():
    assert chars_column("CNO 的诊断") == "的 诊 断"


def test_ingest_never_loads_jieba():
    from litkit import search

    search._jieba.cache_clear()
    rows = search.search_rows([("s1", "CNO 的诊断依赖MRI。")])
    assert rows == [("s1", "CNO  MRI。", "的 诊 断 依 赖")]
    assert search._jieba.cache_info().misses == 0  # only a query cuts Chinese into words


def test_chinese_query_words_need_not_be_adjacent(db):
    texts = {"far": "骨髓炎患者接受了治疗。", "none": "骨髓炎很少见。"}
    segments = [
        Segment(id=sid, doc_id="d", index=i, start=0, end=len(t), text=t, lang="zh")
        for i, (sid, t) in enumerate(texts.items())
    ]
    db.execute("BEGIN")
    index_segments(db, segments)
    db.execute("COMMIT")
    assert [sid for sid, _ in search_segment_ids(db, "骨髓炎治疗")] == ["far"]
