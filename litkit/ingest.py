"""Ingest a batch of sources: resolve, read and process in parallel, write from one writer.

Everything streams: sources are resolved lazily, at most a bounded number of them are in
flight between the reader and the writer, and outcomes are handed to a callback as they happen,
so memory follows the window (a few documents per worker), never the corpus. Worker processes
(not threads: the pipeline is CPU-bound Python) run the pure pipeline; the main process alone
writes, a short group of documents per transaction with a savepoint per document (see
`litkit.store.DocumentBatch`), in input order, so `--jobs 4` stores exactly what
`--jobs 1` stores. A bad input, or even a worker that dies on one, becomes one outcome line
and the batch goes on.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import functools
import itertools
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import BinaryIO

from sqlite_utils import Database

from .errors import LitkitError, SkippedRecord, SourceError
from .lexicon import Lexicon, default_lexicon, load_lexicon
from .limits import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_CHARS,
    DeadlineExceeded,
    Limits,
    apply_memory_limit,
    deadline,
    describe_memory,
)
from .mainguard import require_main_guard
from .models import Document, ParsedText, RawSource
from .pipeline import process
from .plan import WritePlan, plan_parsed, plan_write
from .sources import read, resolve
from .sources.http import FetchOptions
from .store import DocumentBatch

# Sources sent to a worker in one task: amortises pickling and IPC over small documents
# (alternating runs at 10k documents, 4 then 8: 3,179/4,096, 2,992/3,231, 3,138/3,276
# sentences/s; the byte budget below still bounds the window for large ones).
CHUNK_SIZE = 8
# Tasks in flight per worker: enough to keep the workers busy while the writer commits a group
# (3 left them idle: 3,827-4,158 sentences/s at 10k documents against 3,914-4,637 with 8),
# few enough that memory stays at a few dozen documents per worker.
TASKS_PER_JOB = 8
# ... and at most this many bytes of source in flight (a task more is always allowed while
# fewer than `jobs` are in flight): large documents keep the window, hence memory, small.
MAX_INFLIGHT_BYTES = 16 * 1024 * 1024
# Workers run this much nicer than the ingest process: the single writer is the critical path,
# and the workers, with tasks queued ahead of it, lose nothing by yielding the CPU to it. With
# 3 processes on 2 cores, equal priorities descheduled the writer for them (alternating runs at
# 10k documents: 3,067-3,779 sentences/s at 0, 3,629-4,340 at 10, 3,535-4,062 at 5).
WORKER_NICENESS = 10
# One document's text beyond this is refused, not processed (see `litkit.limits`; kept here
# for the callers that name it).
MAX_DOCUMENT_CHARS = DEFAULT_MAX_CHARS

Result = Document | SourceError
Processed = Result | WritePlan  # what a worker returns per document
Task = Callable[[list[RawSource]], list[Sequence[Processed]]]


def _planned(result: Result, lexicon: Lexicon) -> WritePlan | SourceError:
    """What a worker hands the writer: the document's write plan (`litkit.plan.plan_write`)."""
    if isinstance(result, SourceError):
        return result
    try:
        return plan_write(result, lexicon)
    except MemoryError:
        return SourceError(result.source, "out of memory planning its rows (--max-memory)")
    except Exception as error:
        return SourceError(result.source, f"cannot plan its rows ({_brief(error)})")


@dataclass(frozen=True)
class _Idle:
    """Marker in a result stream: the next result is not ready, so the writer should commit
    rather than hold the write lock (and its uncommitted outcomes) while it waits.

    `strict`: a worker is late (waited `IDLE_WAIT_S` already), commit now. Otherwise (serial
    ingest, which marks every source because it cannot know which one is slow) commit only a
    group open for `SOFT_IDLE_COMMIT_S`: committing after every document cost more than
    writing it."""

    strict: bool


IDLE = _Idle(strict=True)
SOFT_IDLE = _Idle(strict=False)
# A worker result not ready within this long means the writer is really waiting (a large
# document, a slow fetch): commit. Shorter waits are the normal jitter of a busy pool.
IDLE_WAIT_S = 0.05
SOFT_IDLE_COMMIT_S = 0.1


REPROCESSED = "reprocessed: stored with another lexicon or other rules"


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
    max_bytes: int | None = None  # cap on a URL body; None: the fetcher's default (`--max-bytes`)
    stdin_name: str | None = None  # the source name of `-` (`--name`); None: "-"
    limits: Limits = DEFAULT_LIMITS  # per-document caps, memory ceiling and deadline


_worker_lexicon: Lexicon | None = None
_worker_limits: Limits = DEFAULT_LIMITS


def _init_worker(
    lexicon_paths: tuple[str, ...], parent_pid: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> None:
    """Yield the CPU to the writer (`WORKER_NICENESS`), die with the ingest process, leave
    Ctrl-C to it, cap its memory (`Limits.max_memory`), and load the lexicon once per worker
    process instead of once per document."""
    global _worker_lexicon, _worker_limits
    _worker_limits = limits
    if hasattr(os, "nice"):  # POSIX only
        os.nice(WORKER_NICENESS)
    # Ctrl-C reaches the whole process group: the ingest process reports it in one line and
    # shuts the pool down; workers printing their own KeyboardInterrupt tracebacks is noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    _worker_lexicon = load_lexicon(lexicon_paths)
    # lingua's models load when a sentence first needs them, with the ceiling lifted for the
    # load (`langid.load_models`): past it, lingua would abort the worker instead of raising.
    apply_memory_limit(limits.max_memory)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int | None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (`kill -9` of an ingest would
    otherwise leave its workers running forever), and exit now if the parent is already gone.
    Elsewhere a no-op: the pool's own pipes end idle workers there."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent_pid is not None and os.getppid() != parent_pid:  # died before prctl took effect
        os._exit(1)


def process_source(
    raw: RawSource, lexicon: Lexicon | None = None, limits: Limits | None = None
) -> list[Result]:
    """Read one source and run the pipeline on each document in it; never raises on bad input.

    `limits` (default: the worker's, else `Limits()`) caps each document's characters and
    sentences, and gives reading and each document's processing `doc_seconds` each. Pure (no
    database, no clock but that deadline): usable from a worker process, a Dask task or a test.
    """
    return list(iter_process_source(raw, lexicon, limits))


def iter_process_source(
    raw: RawSource, lexicon: Lexicon | None = None, limits: Limits | None = None
) -> Iterator[Result]:
    """`process_source` one document at a time: a 100,000-record RIS file never has all its
    processed documents in memory at once (each one's parsed text is dropped as it is done)."""
    for result in _iter_source(raw, lexicon, limits, plans=False):
        assert not isinstance(result, WritePlan)  # (documents were asked for)
        yield result


def _iter_source(
    raw: RawSource, lexicon: Lexicon | None, limits: Limits | None, *, plans: bool
) -> Iterator[Processed]:
    """`iter_process_source`, giving write plans (`plan.plan_parsed`, window by window)
    instead of documents when `plans`: what the writer takes, without a `Document` between."""
    lexicon = lexicon or _worker_lexicon or default_lexicon()
    limits = limits or _worker_limits
    try:
        with deadline(limits.doc_seconds):
            parsed_items = read(raw)
    except SourceError as error:
        yield error
        return
    except DeadlineExceeded as late:
        yield SourceError(raw.locator, _late("reading", late))
        return
    except MemoryError:
        yield SourceError(raw.locator, describe_memory(limits.max_memory) + " while reading")
        return
    except Exception as error:  # any failure of one input is that input's line, never the batch's
        yield SourceError(raw.locator, f"cannot read ({_brief(error)})")
        return
    parsed_items.reverse()  # popped from the end, in input order
    while parsed_items:
        item = parsed_items.pop()
        if isinstance(item, SourceError):
            yield item
            continue
        yield _process_one(item, raw.locator, lexicon, limits, plans=plans)


def _process_one(
    item: ParsedText, source: str, lexicon: Lexicon, limits: Limits, *, plans: bool = False
) -> Processed:
    """One parsed document through the pipeline under the limits (to its write plan when
    `plans`, its deadline covering the planning too); failures become its line."""
    locator = item.locator or source
    if limits.max_chars and len(item.text) > limits.max_chars:
        return SourceError(locator, _too_long(len(item.text), limits.max_chars))
    try:
        with deadline(limits.doc_seconds):
            if plans:
                return plan_parsed(item, source, lexicon, max_sentences=limits.max_sentences)
            return process(item, source, lexicon, max_sentences=limits.max_sentences)
    except SourceError as error:
        return SourceError(locator, error.reason)
    except DeadlineExceeded as late:
        return SourceError(locator, _late("processing", late))
    except MemoryError:
        return SourceError(locator, describe_memory(limits.max_memory))
    except RecursionError:
        return SourceError(locator, "structure nested too deeply to process")
    except Exception as error:
        return SourceError(locator, f"cannot process ({_brief(error)})")


def _late(stage: str, late: DeadlineExceeded) -> str:
    return f"{stage} took longer than {late.seconds:g} s (--timeout)"


def _brief(error: BaseException) -> str:
    """An unexpected error as a short reason: its type and the start of its message."""
    message = " ".join(str(error).split())
    if len(message) > 160:
        message = message[:159] + "…"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _too_long(chars: int, limit: int = MAX_DOCUMENT_CHARS) -> str:
    return (
        f"text too long to process as one document ({chars:,} characters;"
        f" the limit is {limit:,}, --max-chars): split it into articles"
    )


def _process_chunk(raws: list[RawSource], plans: bool) -> list[Sequence[Processed]]:
    """The worker task: several sources at once, so small documents do not pay IPC each.
    `plans`: return write plans (for the writer) instead of documents. A source with more
    than SPILL_AFTER documents (a 100,000-record RIS file) comes back as a `Spilled` file."""
    lexicon = _worker_lexicon or default_lexicon()
    groups: list[Sequence[Processed]] = []
    for raw in raws:
        groups.append(_collect(_iter_source(raw, lexicon, None, plans=plans)))
    return groups


# A worker returns one source's results in one message: past this many documents they go to
# a temporary file instead, read back one by one by the writer, so neither process holds a
# whole reference export's processed documents.
SPILL_AFTER = 256


class Spilled(Sequence):
    """Results a worker wrote to a temporary file (pickles, in order); iterating them reads
    them back one at a time and deletes the file once read."""

    def __init__(self, path: str, count: int) -> None:
        self.path = path
        self.size = count  # not `count`: Sequence has a count() method

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> Processed:  # type: ignore[override]
        raise TypeError("spilled results are read in order only")

    def __iter__(self) -> Iterator[Processed]:
        try:
            with open(self.path, "rb") as handle:
                for _ in range(self.size):
                    yield pickle.load(handle)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def _collect(results: Iterator[Processed]) -> Sequence[Processed]:
    """The results as a list, or as a `Spilled` file past SPILL_AFTER of them."""
    kept: list[Processed] = []
    for result in results:
        kept.append(result)
        if len(kept) > SPILL_AFTER:
            break
    else:
        return kept
    descriptor, path = tempfile.mkstemp(prefix="litkit-spill-", suffix=".pickle")
    count = 0
    with os.fdopen(descriptor, "wb") as handle:
        for result in itertools.chain(kept, results):
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            count += 1
    return Spilled(path, count)


def process_sources(
    sources: Iterable[RawSource | SourceError],
    jobs: int = 1,
    lexicon_paths: Sequence[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Result]:
    """Processed documents (and failures) in input order, serially or by a process pool."""
    for item in _process_sources(sources, jobs, lexicon_paths, plans=False, limits=limits):
        if not isinstance(item, _Idle | WritePlan):
            yield item


def _process_sources(
    sources: Iterable[RawSource | SourceError],
    jobs: int,
    lexicon_paths: Sequence[str],
    *,
    plans: bool,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Processed | _Idle]:
    """`process_sources` with an IDLE marker wherever the next result has to be waited for;
    `plans`: workers return write plans (see `_process_chunk`)."""
    if jobs <= 1:
        lexicon = load_lexicon(lexicon_paths)
        for item in sources:
            if isinstance(item, SourceError):
                yield item
                continue
            # Serially the pipeline runs between two writes: commit a group that has been open
            # a while first, so the lock is not held through slow sources for long.
            yield SOFT_IDLE
            yield from _iter_source(item, lexicon, limits, plans=plans)
        return
    require_main_guard(jobs)  # a script without one would end with empty results, exit 0
    task = functools.partial(_process_chunk, plans=plans)
    yield from _process_in_pool(sources, jobs, tuple(lexicon_paths), task, limits)


def _new_pool(
    jobs: int, lexicon_paths: tuple[str, ...], limits: Limits = DEFAULT_LIMITS
) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),  # fork + sqlite/threads is unsafe
        initializer=_init_worker,
        initargs=(lexicon_paths, os.getpid(), limits),
    )


def _chunks(sources: Iterable[RawSource | SourceError]) -> Iterator[list[RawSource | SourceError]]:
    """Consecutive sources grouped so that each group holds at most CHUNK_SIZE RawSources."""
    group: list[RawSource | SourceError] = []
    raws = 0
    for item in sources:
        group.append(item)
        raws += isinstance(item, RawSource)
        if raws >= CHUNK_SIZE:
            yield group
            group, raws = [], 0
    if group:
        yield group


def _process_in_pool(
    sources: Iterable[RawSource | SourceError],
    jobs: int,
    lexicon_paths: tuple[str, ...],
    task: Task,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Processed | _Idle]:
    """A sliding window of futures: results leave in input order while later ones compute.

    Unlike `pool.map` over fixed windows there is no barrier waiting for a window's slowest
    document. A worker that dies (killed by the OOM killer, a crash in a C extension) breaks
    the pool: the sources it held are reported as failed and a fresh pool takes over.
    """
    pending: collections.deque[tuple[list[RawSource | SourceError], Future | None]]
    pending = collections.deque()
    inflight_bytes = 0
    chunks = _chunks(sources)
    pool = _new_pool(jobs, lexicon_paths, limits)
    try:
        while True:
            while len(pending) < jobs * TASKS_PER_JOB and (
                inflight_bytes < MAX_INFLIGHT_BYTES or len(pending) < jobs
            ):
                group = next(chunks, None)
                if group is None:
                    break
                raws = [item for item in group if isinstance(item, RawSource)]
                inflight_bytes += _size(group)
                pending.append((group, pool.submit(task, raws) if raws else None))
            if not pending:
                return
            group, future = pending.popleft()
            inflight_bytes -= _size(group)
            if future is not None and not wait([future], timeout=IDLE_WAIT_S).done:
                yield IDLE
            try:
                done = iter(future.result() if future else [])
            except BrokenProcessPool:
                # Every future in flight died with the pool; find the culprit in this group by
                # running its sources one by one, then run the others again on a new pool.
                pool.shutdown(wait=False, cancel_futures=True)
                pool, isolated = _isolate(group, jobs, (lexicon_paths, limits), task)
                done = iter(isolated)
                pending = collections.deque((g, _resubmit(pool, g, task)) for g, _ in pending)
            for item in group:
                if isinstance(item, SourceError):
                    yield item
                else:
                    yield from next(done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _size(group: list[RawSource | SourceError]) -> int:
    return sum(len(item.data) for item in group if isinstance(item, RawSource))


def _isolate(
    group: list[RawSource | SourceError],
    jobs: int,
    setup: tuple[tuple[str, ...], Limits],
    task: Task,
) -> tuple[ProcessPoolExecutor, list[Sequence[Processed]]]:
    """Each source of a group alone on a pool, so only the one that kills a worker fails."""
    pool = _new_pool(jobs, *setup)
    results = []
    for raw in (item for item in group if isinstance(item, RawSource)):
        try:
            results.append(pool.submit(task, [raw]).result()[0])
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = _new_pool(jobs, *setup)
            results.append([SourceError(raw.locator, "the worker process died processing it")])
    return pool, results


def _resubmit(
    pool: ProcessPoolExecutor, group: list[RawSource | SourceError], task: Task
) -> Future | None:
    raws = [item for item in group if isinstance(item, RawSource)]
    return pool.submit(task, raws) if raws else None


def iter_ingest(
    db: Database,
    locators: Sequence[str],
    options: IngestOptions = IngestOptions(),
    *,
    stdin: BinaryIO | None = None,
) -> Iterator[IngestOutcome]:
    """Ingest every source the locators name, yielding one outcome per document as it is stored."""
    fetch_options = FetchOptions(max_bytes=options.max_bytes) if options.max_bytes else None
    sources = resolve(
        locators,
        recursive=options.recursive,
        stdin=stdin,
        fetch_options=fetch_options,
        stdin_name=options.stdin_name,
    )
    results = _process_sources(
        sources, options.jobs, options.lexicon_paths, plans=True, limits=options.limits
    )
    yield from store_results(db, results, load_lexicon(options.lexicon_paths))


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
    for outcome in iter_ingest(db, locators, options, stdin=stdin):
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return outcomes


def store_results(
    db: Database, results: Iterable[Processed | _Idle], lexicon: Lexicon | None = None
) -> Iterator[IngestOutcome]:
    """The single writer: store documents in committed groups, report each failure.

    Outcomes are handed out only once their group is committed, so an outcome line always
    means the document is durable. The group commits when it is due (`DocumentBatch.due`) or
    when the next result is not ready yet (IDLE), so the write lock is never held while waiting
    for a worker."""
    pending: list[IngestOutcome] = []
    with DocumentBatch(db, lexicon, background_checkpoint=True) as batch:
        for result in results:
            idle = isinstance(result, _Idle)
            strict = isinstance(result, _Idle) and result.strict
            if not isinstance(result, _Idle):
                pending.append(_store(batch, result))
            if pending and (
                batch.due() or (idle and (strict or batch.age() >= SOFT_IDLE_COMMIT_S))
            ):
                batch.commit()
                yield from pending
                pending = []
    yield from pending


def _store(batch: DocumentBatch, item: Processed) -> IngestOutcome:
    if isinstance(item, SkippedRecord):
        return IngestOutcome(item.locator, "skipped", reason=item.reason)
    if isinstance(item, SourceError):
        return IngestOutcome(item.locator, "failed", reason=item.reason)
    if isinstance(item, WritePlan):
        plan = item
    else:
        planned = _planned(item, batch.lexicon)  # a MemoryError here is this document's line
        if isinstance(planned, SourceError):
            return IngestOutcome(planned.locator, "failed", reason=planned.reason)
        plan = planned
    row = plan.document
    try:
        status = batch.write(plan)
    except LitkitError as error:
        return IngestOutcome(row["source"], "failed", reason=str(error))
    except Exception as error:  # the group was written again without this document
        if batch.broken:  # ... unless it could not be: the database is failing, stop here
            raise
        return IngestOutcome(row["source"], "failed", reason=f"cannot store ({_brief(error)})")
    reason = None
    if status == "reprocessed":  # stored with other rules or another lexicon (`litkit.version`)
        status, reason = "ingested", REPROCESSED
    return IngestOutcome(
        row["source"],
        status,
        doc_id=row["id"],
        segments=row["n_segments"],
        lang=row["lang"],
        reason=reason,
    )
