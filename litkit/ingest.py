"""Ingest a batch of sources: resolve, read and process in parallel, write from one writer.

Sources are taken in bounded windows so memory follows the batch window, not the corpus.
Worker processes (not threads: the pipeline is CPU-bound Python) run the pure pipeline; the
main process alone writes, one transaction per document, in input order, so `--jobs 4` stores
exactly what `--jobs 1` stores. A bad input becomes one outcome line and the batch goes on.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlite_utils import Database

from .errors import LitkitError, SourceError
from .lexicon import Lexicon, default_lexicon
from .models import Document, RawSource
from .pipeline import process
from .sources import read, resolve
from .store import write_document

WINDOW_PER_JOB = 8


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one document (or one input that failed before becoming one)."""

    locator: str
    status: str  # "ingested" | "skipped" | "failed"
    doc_id: str | None = None
    reason: str | None = None
    segments: int = 0
    lang: str | None = None


@dataclass(frozen=True)
class IngestOptions:
    """How to run a batch; `lexicon_paths` are user lexicons merged over the default."""

    recursive: bool = True
    jobs: int = 1
    lexicon_paths: tuple[str, ...] = ()


_worker_lexicon: Lexicon | None = None


def _init_worker(lexicon_paths: tuple[str, ...]) -> None:
    """Load the lexicon once per worker process instead of once per document."""
    global _worker_lexicon
    _worker_lexicon = load_lexicon(lexicon_paths)


def load_lexicon(paths: Sequence[str]) -> Lexicon:
    """The default lexicon, or the default merged with the user's files."""
    return Lexicon.load([Path(p) for p in paths]) if paths else default_lexicon()


def process_source(raw: RawSource, lexicon: Lexicon | None = None) -> list[Document | SourceError]:
    """Read one source and run the pipeline on each document in it; never raises on bad input."""
    lexicon = lexicon or _worker_lexicon or default_lexicon()
    results: list[Document | SourceError] = []
    try:
        parsed_items = read(raw)
    except SourceError as error:
        return [error]
    except (RecursionError, MemoryError, ValueError, UnicodeError) as error:
        return [SourceError(raw.locator, f"cannot read ({type(error).__name__}: {error})")]
    for item in parsed_items:
        if isinstance(item, SourceError):
            results.append(item)
            continue
        locator = item.locator or raw.locator
        try:
            results.append(process(item, raw.locator, lexicon))
        except SourceError as error:
            results.append(SourceError(locator, error.reason))
        except (RecursionError, MemoryError, ValueError, UnicodeError) as error:
            results.append(SourceError(locator, f"cannot process ({type(error).__name__})"))
    return results


def _windows(items: Iterable[RawSource | SourceError], size: int) -> Iterator[list]:
    iterator = iter(items)
    while window := list(itertools.islice(iterator, size)):
        yield window


def _processed(
    sources: Iterable[RawSource | SourceError], options: IngestOptions
) -> Iterator[Document | SourceError]:
    """Processed documents in input order, computed serially or by a process pool."""
    if options.jobs <= 1:
        lexicon = load_lexicon(options.lexicon_paths)
        for item in sources:
            yield from [item] if isinstance(item, SourceError) else process_source(item, lexicon)
        return
    context = multiprocessing.get_context("spawn")  # fork + sqlite/threads is unsafe
    with ProcessPoolExecutor(
        max_workers=options.jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(options.lexicon_paths,),
    ) as pool:
        for window in _windows(sources, options.jobs * WINDOW_PER_JOB):
            raws = [item for item in window if isinstance(item, RawSource)]
            done = dict(zip(map(id, raws), pool.map(process_source, raws), strict=True))
            for item in window:
                yield from [item] if isinstance(item, SourceError) else done[id(item)]


def ingest(
    db: Database,
    locators: Sequence[str],
    options: IngestOptions = IngestOptions(),
    *,
    stdin: BinaryIO | None = None,
    on_outcome: Callable[[IngestOutcome], None] | None = None,
) -> list[IngestOutcome]:
    """Ingest every source the locators name; one outcome per document or failed input."""
    outcomes = []
    sources = resolve(locators, recursive=options.recursive, stdin=stdin)
    for result in _processed(sources, options):
        outcome = _store(db, result)
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return outcomes


def _store(db: Database, result: Document | SourceError) -> IngestOutcome:
    if isinstance(result, SourceError):
        return IngestOutcome(result.locator, "failed", reason=result.reason)
    try:
        status = write_document(db, result)
    except LitkitError as error:
        return IngestOutcome(result.source, "failed", reason=str(error))
    return IngestOutcome(
        result.source, status, doc_id=result.id, segments=len(result.segments), lang=result.lang
    )
