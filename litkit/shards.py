"""JSONL shards of processed documents: the hand-off between a distributed engine and the writer.

The per-document pipeline is pure, so any engine (Dask, Spark, a shell loop over machines) can
run it and write its results as shards; `litkit load` then merges shards into one database with
the single writer. A shard line is one `Document` (every nested record included, so the ids
computed on the worker are the ids stored) or one failed input, so nothing is lost in transit:

    {"kind": "document", "version": 1, "document": {...}}
    {"kind": "error", "version": 1, "locator": "a.png", "reason": "not a text file ..."}

Shards ending in `.gz` are compressed. Keys are sorted, so the same documents give the same bytes.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

from .errors import SkippedRecord, SourceError
from .ingest import Result, process_sources
from .models import Assessment, Document, DocumentMeta, Mention, OutcomePair, Segment
from .sources import resolve

SHARD_VERSION = 1


def _plain(record: Any) -> Any:
    """A record as JSON-ready values: dataclasses become dicts, tuples become lists."""
    if hasattr(record, "__dataclass_fields__"):
        return {f.name: _plain(getattr(record, f.name)) for f in fields(record)}
    if isinstance(record, tuple | list):
        return [_plain(value) for value in record]
    return record


def _tuples(values: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuples(v) if isinstance(v, list) else v for v in values)


def _build(cls: type, data: dict[str, Any]) -> Any:
    """A record from its dict: lists back to tuples (every sequence field is a tuple)."""
    return cls(**{key: _tuples(v) if isinstance(v, list) else v for key, v in data.items()})


def document_to_dict(doc: Document) -> dict[str, Any]:
    """Every field of a document, nested records included, as JSON-ready values."""
    return _plain(doc)


def document_from_dict(data: dict[str, Any]) -> Document:
    """The exact `Document` that `document_to_dict` was given (same ids, same tuples)."""
    data = dict(data)
    segments = []
    for raw in data.pop("segments"):
        raw = dict(raw)
        assessment = dict(raw["assessment"])
        assessment["outcomes"] = [_build(OutcomePair, p) for p in assessment.get("outcomes", [])]
        raw["assessment"] = _build(Assessment, assessment)
        raw["mentions"] = tuple(_build(Mention, m) for m in raw["mentions"])
        segments.append(_build(Segment, raw))
    data["meta"] = _build(DocumentMeta, data["meta"])
    data["segments"] = tuple(segments)
    return _build(Document, data)


def result_line(result: Result) -> str:
    """One shard line (without the newline) for a processed document or a failed input."""
    record: dict[str, Any]
    if isinstance(result, SourceError):
        kind = "skipped" if isinstance(result, SkippedRecord) else "error"
        record = {"kind": kind, "locator": result.locator, "reason": result.reason}
    else:
        record = {"kind": "document", "document": document_to_dict(result)}
    record["version"] = SHARD_VERSION
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def parse_line(line: str, where: str) -> Result:
    """A shard line back to a Document or SourceError; a bad line raises SourceError(where)."""
    try:
        record = json.loads(line)
        if record.get("version") != SHARD_VERSION:
            raise SourceError(where, f"shard version {record.get('version')!r} is not supported")
        if record["kind"] == "error":
            return SourceError(record["locator"], record["reason"])
        if record["kind"] == "skipped":  # a record with nothing to ingest (no abstract)
            return SkippedRecord(record["locator"], record["reason"])
        if record["kind"] == "document":
            return document_from_dict(record["document"])
        raise SourceError(where, f"unknown shard record kind {record['kind']!r}")
    except SourceError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        reason = f"not a litkit shard line ({type(error).__name__}: {error})"
        raise SourceError(where, reason) from error
    except RecursionError:
        raise SourceError(where, "not a litkit shard line (JSON nested too deeply)") from None


def _open(path: str | Path, mode: str) -> IO[str]:
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8", newline="\n")  # type: ignore[return-value]
    return open(path, mode, encoding="utf-8", newline="\n")


def write_shard(path: str | Path, results: Iterable[Result]) -> int:
    """Write results to a shard file, one line each, streaming; returns how many were written."""
    count = 0
    with _open(path, "w") as handle:
        for result in results:
            handle.write(result_line(result) + "\n")
            count += 1
    return count


def read_shard(path: str | Path) -> Iterator[Result]:
    """The results stored in a shard, in order, one line at a time (bounded memory).

    A line that cannot be parsed is yielded as a SourceError naming the shard and line, so a
    damaged shard loses that line only.
    """
    try:
        with _open(path, "r") as handle:
            for number, line in enumerate(_bounded_lines(handle), start=1):
                where = f"{path}:{number}"
                if line is None:
                    yield SourceError(where, _long_line())
                elif line.strip():
                    try:
                        yield parse_line(line, where)
                    except SourceError as error:
                        yield error
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as error:
        yield SourceError(str(path), f"cannot read shard ({type(error).__name__}: {error})")


# A shard line is one document with all its records: a document at the 10 M character cap
# (`litkit.limits`) is well under this. A longer line (a gzip bomb of one endless line) is
# skipped, never held in memory whole.
MAX_SHARD_LINE_CHARS = 128 * 1024 * 1024


def _long_line() -> str:
    return f"shard line longer than {MAX_SHARD_LINE_CHARS:,} characters: skipped"


def _bounded_lines(handle: IO[str]) -> Iterator[str | None]:
    """The lines of a text stream; None for a line longer than MAX_SHARD_LINE_CHARS (read
    past in pieces, never held whole)."""
    limit = MAX_SHARD_LINE_CHARS
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n"):
            yield line
            continue
        while line and not line.endswith("\n"):  # skip the rest of the endless line
            line = handle.readline(1 << 20)
        yield None


def shard_sources(
    locators: Sequence[str],
    path: str | Path,
    *,
    recursive: bool = True,
    jobs: int = 1,
    lexicon_paths: Sequence[str] = (),
) -> int:
    """Resolve, read and process sources into a shard, without any database (a worker's job)."""
    sources = resolve(list(locators), recursive=recursive)
    return write_shard(path, process_sources(sources, jobs, lexicon_paths))


def process_locator(locator: str, recursive: bool = True) -> list[Result]:
    """Everything one locator names, read and processed: the map function of a distributed run.

    Pure and picklable (a module-level function of a string), so a Dask or Spark worker can call
    it; the default lexicon is loaded once per worker process (functools.cache).
    """
    from .ingest import process_source

    results: list[Result] = []
    for item in resolve([locator], recursive=recursive):
        results.extend([item] if isinstance(item, SourceError) else process_source(item))
    return results


def dask_to_shards(locators: Sequence[str], out_dir: str | Path, partitions: int = 8) -> list[str]:
    """Process locators on the current Dask scheduler into `out_dir/part-*.jsonl` shards.

    Needs the optional extra `litkit[dask]`. Returns the shard paths in partition order; merge
    them with `litkit load` (in that order to get the same links as a local ingest).
    """
    import dask.bag as dask_bag

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bag = dask_bag.from_sequence(list(locators), npartitions=max(1, min(partitions, len(locators))))
    lines = bag.map(process_locator).flatten().map(result_line)
    return [
        str(p)
        for p in lines.to_textfiles(
            str(out / "part-*.jsonl"), encoding="utf-8", name_function=lambda i: f"{i:05d}"
        )
    ]
