"""Full-text search over sentences, in French, English and Chinese, safe against user input.

SQLite's FTS5 finds nothing in Chinese with its default tokenizer (a run of CJK characters is
one "word"), and `trigram` cannot match two-character words (the commonest Chinese word length).
So every sentence is indexed in two columns, both with `unicode61 remove_diacritics 2` (case
and accents ignored: `corticosteroides` finds `corticostéroïdes`):

- `words`: the text without its CJK runs: Latin words, numbers;
- `chars`: the CJK characters one by one, so a phrase query of consecutive characters is an
  exact substring match: any Chinese word of any length is found, however a segmenter would
  have cut the sentence.

Only a query is cut into Chinese words (jieba), so `骨髓炎治疗` asks for `骨髓炎` and `治疗`
anywhere in the sentence, each as a phrase of characters. Ingest never loads jieba: its
dictionary took ~1 s per worker process and its cut ~0.6 ms per document, for a column (jieba's
words of the sentence) that found nothing the characters did not find already.

User text is never passed to FTS5 as syntax: it is cut into tokens and each token is quoted, so
`"`, `*`, `NEAR`, `AND`, parentheses or SQL fragments are searched as plain words.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .errors import QueryError
from .models import Segment
from .scripts import HAN_RUN, NOT_HAN_WORD

FTS_TABLE = "segment_search"
CJK_RUN = HAN_RUN
# Word characters as unicode61 sees them (letters, digits, combining marks), Han excluded.
LATIN_TOKEN = NOT_HAN_WORD
_QUERY_TOKEN = re.compile(CJK_RUN.pattern + "|" + LATIN_TOKEN.pattern)
PREFIX_MIN_LENGTH = 4  # Latin tokens this long also match longer words (plural, -s, -ique)
MAX_QUERY_TOKENS = 16


def _cache_dir() -> Path:
    """Where jieba may write its dictionary cache: the user cache dir, else the temp dir."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "litkit"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    return Path(tempfile.gettempdir())


@functools.cache
def _jieba() -> Any:
    """A jieba tokenizer, built on first use (never at import: loading takes ~1 s)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.ERROR)
    jieba.setLogLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(_cache_dir())
    tokenizer.cache_file = "litkit-jieba.cache"
    tokenizer.initialize()
    return tokenizer


def chinese_words(run: str) -> list[str]:
    """jieba's words for a run of CJK characters (a query's)."""
    return [w for w in _jieba().cut(run) if w.strip()]


def words_column(text: str) -> str:
    """The `words` column: the text with each CJK run replaced by a space (see `chars`).

    Text without CJK is returned as the same object, so a write plan pickles it once."""
    return CJK_RUN.sub(" ", text) if CJK_RUN.search(text) else text


def chars_column(text: str) -> str:
    """The `chars` column: every CJK character of the text, space-separated."""
    return " ".join(ch for run in CJK_RUN.findall(text) for ch in run)


def index_segments(db: Database, segments: Iterable[Segment]) -> None:
    """Add sentences to the search index (called inside the document's write transaction)."""
    db.conn.executemany(
        f"INSERT INTO {FTS_TABLE} (segment_id, words, chars) VALUES (?, ?, ?)",
        [(s.id, words_column(s.text), chars_column(s.text)) for s in segments],
    )


def index_rows(db: Database, rows: Iterable[tuple[str, str]]) -> None:
    """Index (segment_id, text) pairs: the backfill of databases written before the index."""
    insert_search_rows(db, search_rows(rows))


SearchRow = tuple[str, str, str]  # (segment_id, words, chars)


def search_rows(rows: Iterable[tuple[str, str]]) -> list[SearchRow]:
    """The index rows of (segment_id, text) pairs. Pure, so ingest workers compute them and
    the single writer only inserts."""
    return [_search_row(sid, text) for sid, text in rows]


def _search_row(segment_id: str, text: str) -> SearchRow:
    """(segment_id, words_column(text), chars_column(text)), the text scanned for CJK once:
    a sentence without CJK (most) costs one regex scan instead of two."""
    runs = CJK_RUN.findall(text)
    if not runs:
        return segment_id, text, ""
    return segment_id, CJK_RUN.sub(" ", text), " ".join(ch for run in runs for ch in run)


def insert_search_rows(db: Database, rows: Iterable[SearchRow]) -> None:
    """Insert precomputed `search_rows` (inside the document's write transaction); an
    iterator is consumed as it goes (a long document's rows come from a file, `litkit.plan`)."""
    db.conn.executemany(
        f"INSERT INTO {FTS_TABLE} (segment_id, words, chars) VALUES (?, ?, ?)", rows
    )


def _quote(token: str) -> str:
    """An FTS5 string literal: double quotes doubled, so the token is never syntax."""
    return '"' + token.replace('"', '""') + '"'


def match_expression(text: str) -> str:
    """A safe FTS5 MATCH expression for user text: every token quoted, all tokens required.

    Latin tokens of 4+ characters match as prefixes (plural forms); a Chinese run is cut into
    jieba's words, each matched as a run of consecutive characters (exact substring).
    Raises QueryError when the text has nothing searchable.
    """
    clauses: list[str] = []
    for match in _QUERY_TOKEN.finditer(text):
        piece = match.group()
        if CJK_RUN.fullmatch(piece):
            for word in chinese_words(piece):
                clauses.append(f"chars : {_quote(' '.join(word))}")
        else:
            quoted = _quote(piece)
            suffix = "*" if len(piece) >= PREFIX_MIN_LENGTH else ""
            clauses.append(f"words : {quoted}{suffix}")
    if not clauses:
        raise QueryError(f"nothing to search for in {text!r} (no letters, digits or CJK)")
    if len(clauses) > MAX_QUERY_TOKENS:
        raise QueryError(f"query too long: {len(clauses)} words (at most {MAX_QUERY_TOKENS})")
    return " AND ".join(clauses)


def search_segment_ids(
    db: Database, text: str, limit: int | None = None
) -> list[tuple[str, float]]:
    """(segment id, bm25 rank) of sentences matching `text`, best first (lower rank = better)."""
    sql = (
        f"SELECT segment_id, rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        " ORDER BY rank, segment_id"
    )
    params: list[Any] = [match_expression(text)]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [(sid, rank) for sid, rank in db.execute(sql, params)]
