"""The write plan of one document: every row the writer will insert, computed without a database.

Pure (no connection, no clock but the ingest time stamp), so ingest workers build it in
parallel and the single writer (`litkit.store`) only inserts it: the document, segment,
mention and outcome-pair rows, the search rows and the concept-index plan (`litkit.link`).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from . import __version__
from .display import escape_surrogates
from .lexicon import Lexicon
from .limits import check_deadline
from .link import (
    IndexPlan,
    Sentence,
    plan_index,
    profile_counts_json,
    segment_sentence,
    sentence_rank,
)
from .models import Document, ParsedText, Segment, mention_id
from .pipeline import WINDOW_SENTENCES, Prepared, classify_window, prepare, windows
from .rowspill import SpillFile
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

    def parts(self) -> Iterator[TableRows]:
        """The rows in the pieces the writer inserts (one: they are all in memory)."""
        yield self


def _with_extra(
    table: str,
    columns: tuple[str, ...],
    values: Sequence[tuple[Any, ...]],
    extra: str,
    extra_of: dict[str, Any],
) -> TableRows:
    """Rows with a last column `extra` whose value `extra_of` gives from the row's id (the claim
    profile: known only once the whole document is planned)."""
    key, of_id = columns.index("id"), extra_of.get
    return TableRows(table, (*columns, extra), tuple((*row, of_id(row[key])) for row in values))


class SpilledTable:
    """One table's rows of a long document, a window per chunk of a `SpillFile`: the writer
    inserts them a window at a time (`parts`). `extra`: a last column whose value `extra_of`
    gives from the row's id (the claim profile, known only once the document is planned)."""

    def __init__(
        self,
        table: str,
        columns: tuple[str, ...],
        spill: SpillFile,
        extra: str | None = None,
        extra_of: dict[str, Any] | None = None,
    ) -> None:
        self.table, self.columns, self.spill = table, columns, spill
        self.extra, self.extra_of = extra, extra_of

    def parts(self) -> Iterator[TableRows]:
        if self.extra is None or self.extra_of is None:
            for values in self.spill:
                yield TableRows(self.table, self.columns, values)
            return
        for values in self.spill:
            yield _with_extra(self.table, self.columns, values, self.extra, self.extra_of)

    def whole(self) -> TableRows:
        """All the rows as one `TableRows` (what `plan_write` gives): for tests and tools."""
        parts = list(self.parts())
        if not parts:
            return TableRows(self.table, (), ())
        return TableRows(self.table, parts[0].columns, tuple(v for p in parts for v in p.values))


class SpilledSearch:
    """The full-text rows of a long document, a window per chunk of a `SpillFile`."""

    def __init__(self, spill: SpillFile) -> None:
        self.spill = spill

    def __iter__(self) -> Iterator[SearchRow]:
        for rows in self.spill:
            yield from rows


@dataclass(frozen=True)
class WritePlan:
    """Everything the writer stores for a document but the ingest time and the links to stored
    documents. Pure: ingest workers build it in parallel, so the single writer, the bottleneck
    of a large ingest, mostly inserts; and it is all the writer needs (the `Document` itself
    cost the writer more to unpickle than to insert)."""

    document: dict[str, Any]  # the `documents` row without `ingested_at`
    # Segments, mentions, outcome pairs; spilled to temporary files for a document longer
    # than a window of sentences (`plan_prepared`).
    content: tuple[TableRows | SpilledTable, ...]
    search_rows: tuple[SearchRow, ...] | SpilledSearch
    index: IndexPlan

    @property
    def doc_id(self) -> str:
        return self.document["id"]

    def in_memory(self) -> WritePlan:
        """The same plan with every row in memory (spilled rows read back)."""
        return dataclasses.replace(
            self,
            content=tuple(
                rows if isinstance(rows, TableRows) else rows.whole() for rows in self.content
            ),
            search_rows=tuple(self.search_rows),
        )


def plan_write(doc: Document, lexicon: Lexicon, rules_version: str | None = None) -> WritePlan:
    """The write plan of a processed document (see `WritePlan`); `rules_version`: the lexicon
    and rules it was processed with (`litkit.version`), default the built-in ones."""
    header = dataclasses.replace(doc, segments=())
    return _plan_batches(header, [doc.segments], len(doc.segments), lexicon, rules_version)


def plan_parsed(
    parsed: ParsedText,
    locator: str,
    lexicon: Lexicon,
    *,
    max_sentences: int | None = None,
    window: int | None = None,
    rules_version: str | None = None,
) -> WritePlan:
    """The write plan of a parsed document, run through the pipeline window by window: the
    same plan as `plan_write(process(...))`, but no more than `window` sentences (default
    `pipeline.WINDOW_SENTENCES`) are ever held as `Segment`s (issue 18: a long document's
    segments and its rows were all alive at once)."""
    prepared = prepare(parsed, locator, lexicon, max_sentences=max_sentences)
    return plan_prepared(prepared, lexicon, rules_version, window=window)


def plan_prepared(
    prepared: Prepared,
    lexicon: Lexicon,
    rules_version: str | None = None,
    *,
    window: int | None = None,
) -> WritePlan:
    """`plan_parsed` from the document-level passes on: each window of sentences is assessed
    (`pipeline.classify_window`) and turned into rows, then dropped."""
    size = WINDOW_SENTENCES if window is None else window
    batches = (classify_window(prepared, part) for part in windows(len(prepared), size))
    spill = len(prepared) > size  # more than one window: rows go to files as they come
    return _plan_batches(prepared.header(), batches, len(prepared), lexicon, rules_version, spill)


def _plan_batches(
    header: Document,
    batches: Iterable[Sequence[Segment]],
    count: int,
    lexicon: Lexicon,
    rules_version: str | None,
    spill: bool = False,
) -> WritePlan:
    """The write plan of a document (`header`: without its segments) whose `count` segments
    come in `batches`: each batch is turned into rows (to files if `spill`) and dropped; what
    the document-level index plan needs of a sentence is kept as its compact `Sentence`."""
    sink = _SpilledRows if spill else _Rows
    segments, mentions, pairs = sink("segments"), sink("mentions"), sink("outcome_pairs")
    searched: list[SearchRow] | SpillFile = SpillFile() if spill else []
    sentences: list[Sentence] = []
    mentioned: list[tuple[str, str, str]] = []
    for batch in batches:
        segments.add(
            [
                {**segment_row(s), "rank": sentence_rank(s.assessment.types, header.design)}
                for s in batch
            ]
        )
        mentions.add([m for s in batch for m in mention_rows(s)])
        pairs.add([p for s in batch for p in outcome_pair_rows(s)])
        rows = search_rows([(s.id, s.text) for s in batch])
        if isinstance(searched, SpillFile):
            searched.add(rows)
        else:
            searched += rows
        sentences += map(segment_sentence, batch)
        mentioned += [(m.concept_id, m.label, m.category) for s in batch for m in s.mentions]
        del batch, rows
    check_deadline()  # (translation alignment next: a long step for a long document)
    index = plan_index(sentences, mentioned, header.design, lexicon)
    del sentences, mentioned
    document = document_row(header)
    document["n_segments"] = count
    document["rules_version"] = rules_version or version_of(lexicon)
    document["profile_counts"] = profile_counts_json((row[0], row[4]) for row in index.profile_rows)
    return WritePlan(
        document=document,
        content=(
            segments.table_rows(extra="profile", extra_of=index.profile_of()),
            mentions.table_rows(),
            pairs.table_rows(),
        ),
        search_rows=(
            SpilledSearch(searched) if isinstance(searched, SpillFile) else tuple(searched)
        ),
        index=index,
    )


class _Rows:
    """One table's rows gathered window by window as value tuples (what `TableRows.of` makes
    of the whole list of row dicts at once): a dict per row costs several times its tuple."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.columns: tuple[str, ...] = ()
        self.values: list[tuple[Any, ...]] = []

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        """Append a window's rows (every row of a table comes from the same function)."""
        if rows:
            part = TableRows.of(self.table, rows)
            self.columns = part.columns
            self.values += part.values

    def table_rows(
        self, extra: str | None = None, extra_of: dict[str, Any] | None = None
    ) -> TableRows | SpilledTable:
        """The rows as `TableRows`; `extra`: a last column whose value `extra_of` gives from
        the row's id (it needs the whole document, as the claim profile does)."""
        if not self.values:
            return TableRows(self.table, (), ())
        if extra is None or extra_of is None:
            return TableRows(self.table, self.columns, tuple(self.values))
        return _with_extra(self.table, self.columns, self.values, extra, extra_of)


class _SpilledRows:
    """`_Rows` of a long document: each window's value tuples go to a `SpillFile`."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.columns: tuple[str, ...] = ()
        self.spill = SpillFile()

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            part = TableRows.of(self.table, rows)
            self.columns = part.columns
            self.spill.add(part.values)

    def table_rows(
        self, extra: str | None = None, extra_of: dict[str, Any] | None = None
    ) -> TableRows | SpilledTable:
        self.spill.close()
        return SpilledTable(self.table, self.columns, self.spill, extra, extra_of)


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
