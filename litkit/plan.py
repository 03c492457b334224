"""The write plan of one document: every row the writer will insert, computed without a database.

Pure (no connection, no clock but the ingest time stamp), so ingest workers build it in
parallel and the single writer (`litkit.store`) only inserts it: the document, segment,
mention and outcome-pair rows, the search rows and the concept-index plan (`litkit.link`).
"""

from __future__ import annotations

import datetime
import functools
import json
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from . import __version__
from .display import escape_surrogates
from .lexicon import Lexicon
from .link import IndexPlan, plan_document, profile_counts_json, sentence_rank
from .models import Document, Segment, mention_id
from .search import SearchRow, search_rows
from .version import version_of


def _shallow(record: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, without `asdict`'s deep copy of every nested record.

    `asdict` recursed into every segment and mention of a document only for the caller to
    drop them again: it was half of the write cost (measured by benchmarks/ingest_throughput.py).
    """
    names, values = _fields_of(type(record))  # type: ignore[arg-type]  # a class is hashable
    return dict(zip(names, values(record), strict=True))


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    """A record class's field names and a getter of all their values, made once (`fields`
    rebuilds the names on every call, for every segment and mention)."""
    names = tuple(f.name for f in fields(cls))
    getter = operator.attrgetter(*names)
    return names, (getter if len(names) > 1 else lambda record: (getter(record),))


def document_row(doc: Document) -> dict[str, Any]:
    """The `documents` row of a document, derived from the dataclass fields."""
    row = _shallow(doc)
    row.pop("segments")
    year = row.pop("year")
    row.update(_shallow(row.pop("meta")))
    row["source"] = escape_surrogates(row["source"])  # a file name that is not UTF-8
    if year is not None:  # the study's year (metadata, else the text) over the reader's
        row["year"] = year
    row["n_segments"] = len(doc.segments)
    row["pipeline_version"] = __version__
    return _jsonify(row)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def segment_row(segment: Segment) -> dict[str, Any]:
    """The `segments` row of a segment: its assessment flattened into columns."""
    row = _shallow(segment)
    row.pop("mentions")
    row.update(_shallow(row.pop("assessment")))
    row["idx"] = row.pop("index")
    row["is_claim"] = bool(segment.assessment.types)
    row["outcomes"] = [
        {"treatment": p.treatment, "direction": p.direction, "cues": list(p.cues)}
        for p in segment.assessment.outcomes
    ]
    return _jsonify(row)


def outcome_pair_rows(segment: Segment) -> list[dict[str, Any]]:
    """The `outcome_pairs` rows of a segment: one per intervention its outcome is about, so
    `--direction` with `--treatment` is an indexed lookup rather than a JSON scan."""
    return [
        {
            "segment_id": segment.id,
            "doc_id": segment.doc_id,
            "treatment": pair.treatment,
            "direction": pair.direction,
        }
        for pair in segment.assessment.outcomes
    ]


def mention_rows(segment: Segment) -> list[dict[str, Any]]:
    """The `mentions` rows of a segment, with ids that follow the segment's (`mention_id`)."""
    rows = []
    for ordinal, mention in enumerate(segment.mentions):
        row = _shallow(mention)
        row["id"] = mention_id(segment.id, ordinal)
        row["segment_id"] = segment.id
        row["doc_id"] = segment.doc_id
        rows.append(row)
    return rows


@dataclass(frozen=True)
class TableRows:
    """One table's rows as `executemany` takes them (columns once, then value tuples)."""

    table: str
    columns: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, table: str, rows: Sequence[dict[str, Any]]) -> TableRows:
        """Every row of a table comes from the same function, so the first row's keys are the
        columns of all of them."""
        if not rows:
            return cls(table, (), ())
        columns = tuple(rows[0])
        if len(columns) == 1:
            return cls(table, columns, tuple((row[columns[0]],) for row in rows))
        return cls(table, columns, tuple(map(operator.itemgetter(*columns), rows)))


@dataclass(frozen=True)
class WritePlan:
    """Everything the writer stores for a document but the ingest time and the links to stored
    documents. Pure: ingest workers build it in parallel, so the single writer, the bottleneck
    of a large ingest, mostly inserts; and it is all the writer needs (the `Document` itself
    cost the writer more to unpickle than to insert)."""

    document: dict[str, Any]  # the `documents` row without `ingested_at`
    content: tuple[TableRows, ...]  # segments, mentions, outcome pairs
    search_rows: tuple[SearchRow, ...]
    index: IndexPlan

    @property
    def doc_id(self) -> str:
        return self.document["id"]


def plan_write(doc: Document, lexicon: Lexicon, rules_version: str | None = None) -> WritePlan:
    """The write plan of a processed document (see `WritePlan`); `rules_version`: the lexicon
    and rules it was processed with (`litkit.version`), default the built-in ones."""
    index = plan_document(doc, lexicon)
    profiles = index.profile_of()
    document = document_row(doc)
    document["rules_version"] = rules_version or version_of(lexicon)
    document["profile_counts"] = profile_counts_json((row[0], row[4]) for row in index.profile_rows)
    return WritePlan(
        document=document,
        content=(
            TableRows.of(
                "segments",
                [
                    {
                        **segment_row(s),
                        "profile": profiles.get(s.id),
                        "rank": sentence_rank(s.assessment.types, doc.design),
                    }
                    for s in doc.segments
                ],
            ),
            TableRows.of("mentions", [m for s in doc.segments for m in mention_rows(s)]),
            TableRows.of("outcome_pairs", [p for s in doc.segments for p in outcome_pair_rows(s)]),
        ),
        search_rows=tuple(search_rows([(s.id, s.text) for s in doc.segments])),
        index=index,
    )


def _jsonify(row: dict[str, Any]) -> dict[str, Any]:
    """Tuples and lists become JSON text with sorted keys, so stored bytes are deterministic."""
    return {
        key: json_text(value) if isinstance(value, list | tuple) else value
        for key, value in row.items()
    }


# `json.dumps(value, ensure_ascii=False)` builds a new encoder on every call (any non-default
# argument does): one encoder for all, the same text.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def json_text(values: Sequence[Any]) -> str:
    """A list as stored JSON text (non-ASCII kept as is), as `json.dumps(ensure_ascii=False)`."""
    return _ENCODE(values) if values else "[]"
