"""Shared fixtures: a fresh database per test, a CLI runner, the repository paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from litkit.models import Assessment, Document, DocumentMeta, Mention, Segment, content_id
from litkit.store import open_db

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"
SCHEMAS = REPO / "schemas"
GOLD_DEV = REPO.parent / "shared" / "gold" / "dev"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


def make_document(text: str = "Les AINS sont efficaces. Aucune rechute.", source: str = "x.txt"):
    """A small processed document built by hand, for store and export tests."""
    doc_id = content_id(text)
    first_end = text.index(".") + 1
    spans = [(0, first_end), (first_end + 1, len(text))]
    segments = []
    for index, (start, end) in enumerate(spans):
        mentions = ()
        if index == 0:
            mentions = (Mention("D000894", "nsaids", "drug_class", "AINS", 4, 8),)
        segments.append(
            Segment(
                id=content_id(doc_id, start, end),
                doc_id=doc_id,
                index=index,
                start=start,
                end=end,
                text=text[start:end],
                lang="fr",
                assessment=Assessment(types=("treatment",) if index == 0 else ()),
                mentions=mentions,
            )
        )
    return Document(
        id=doc_id,
        source=source,
        text=text,
        original=text,
        offset_map=((0, 0),),
        meta=DocumentMeta(title="Un titre"),
        media_type="text/plain",
        encoding="utf-8",
        lang="fr",
        langs=("fr",),
        design=None,
        segments=tuple(segments),
    )
