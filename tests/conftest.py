"""Shared fixtures: a fresh database per test, a CLI runner, the repository paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from litkit.models import (
    Assessment,
    Document,
    DocumentMeta,
    Mention,
    OutcomePair,
    Segment,
    content_id,
    segment_id,
)
from litkit.store import open_db

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "corpora"
SCHEMAS = REPO / "schemas"
GOLD_DEV = REPO.parent / "shared" / "gold" / "dev"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full-size",
        action="store_true",
        help="hostile inputs at full size (a 5 MB line without punctuation): CI runs it, make "
        "test uses a 256 KB line that takes the same code paths in a tenth of the time",
    )


@pytest.fixture(scope="session")
def full_size(request: pytest.FixtureRequest) -> bool:
    """Whether tests whose inputs are big only to be big run at full size (`--full-size`)."""
    return bool(request.config.getoption("--full-size"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path):
    database = open_db(db_path)
    yield database
    database.close()


def _pairs(types: tuple[str, ...], direction: str | None, concepts: list) -> tuple:
    """An outcome claim's pairs: its direction for each treatment it names (or for "")."""
    if "outcome" not in types or direction is None:
        return ()
    named = [cid for cid, _, cat in concepts if cat in ("treatment", "drug_class")] or [""]
    return tuple(OutcomePair(cid, direction) for cid in dict.fromkeys(named))


def claim_document(
    source: str, sentences: list[tuple[str, str, tuple[str, ...], str | None, list]]
):
    """A document of claims: (text, lang, types, direction, [(concept_id, label, category)])."""
    text = " ".join(s[0] for s in sentences)
    doc_id = content_id(source, text)
    segments, start = [], 0
    for index, (sentence, lang, types, direction, concepts) in enumerate(sentences):
        end = start + len(sentence)
        mentions = tuple(
            Mention(cid, label, cat, label, start, end) for cid, label, cat in concepts
        )
        segments.append(
            Segment(
                id=segment_id(doc_id, index),
                doc_id=doc_id,
                index=index,
                start=start,
                end=end,
                text=sentence,
                lang=lang,
                assessment=Assessment(
                    types=types,
                    direction=direction,
                    outcomes=_pairs(types, direction, concepts),
                ),
                mentions=mentions,
            )
        )
        start = end + 1
    return Document(
        id=doc_id,
        source=source,
        text=text,
        original=text,
        offset_map=((0, 0),),
        meta=DocumentMeta(title=source),
        media_type="text/plain",
        encoding="utf-8",
        lang=sentences[0][1],
        langs=(sentences[0][1],),
        design="cohort",
        segments=tuple(segments),
    )


def make_document(text: str = "Les AINS sont efficaces. Aucune rechute.", source: str = "x.txt"):
    """A small processed French document: a treatment claim about NSAIDs, then a sentence."""
    first, second = text.split(". ", 1)
    nsaids = [("D000894", "nsaids", "drug_class")]
    return claim_document(
        source,
        [(first + ".", "fr", ("treatment",), None, nsaids), (second, "fr", (), None, [])],
    )
