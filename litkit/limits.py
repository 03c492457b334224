"""Per-document limits of an ingest: size caps, a memory ceiling and deadlines.

Why: one hostile or merely enormous input (a 500,000-paragraph page, a book pasted as one
document, a server that drips its headers one byte at a time) must cost that input one clear
line, never the batch, the machine's memory or the night. The pipeline keeps a whole
document (its text, sentences and their assessments) in memory at once, so memory grows with
the document; these limits are what keep it under a ceiling:

- `max_chars` and `max_sentences` refuse a document past the cap, with the figures and the
  option to raise it, before its sentences are assessed;
- `max_memory` is the address-space limit (RLIMIT_AS) of the ingest process and of each of
  its workers: an allocation past it raises MemoryError, which becomes that input's line;
- `doc_seconds` bounds reading (PDF extraction included) and processing of one document;
  `deadline` implements it with a real-time alarm, which also bounds what per-operation
  timeouts cannot (an HTTP answer dripping in under every read timeout).
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

MiB = 1024 * 1024
# 10 M characters is a 5,000-page book; the pipeline holds a few copies of a text.
DEFAULT_MAX_CHARS = 10_000_000
# 50,000 sentences is ten times the longest review article; sentences are assessed and their
# rows spilled in windows, but each keeps ~1-2 KB of document-level facts until its document is
# written, so the cap keeps a document near 250 MB (benchmarks/document_memory.py,
# benchmarks/hostile_memory.py).
DEFAULT_MAX_SENTENCES = 50_000
# Under 1 GB: lingua's models (~170 MB) and the lexicon are ~300 MB of address space already.
DEFAULT_MAX_MEMORY = 900 * MiB
# Reading plus processing one document; a 50,000-sentence document takes ~3 minutes on a
# busy core.
DEFAULT_DOC_SECONDS = 600.0


@dataclass(frozen=True)
class Limits:
    """What one document may cost; None (or 0) switches a limit off."""

    max_chars: int | None = DEFAULT_MAX_CHARS
    max_sentences: int | None = DEFAULT_MAX_SENTENCES
    max_memory: int | None = None  # bytes of address space per process; the CLI sets it
    doc_seconds: float | None = DEFAULT_DOC_SECONDS


class DeadlineExceeded(BaseException):
    """Raised into the running code when a `deadline` passes.

    A BaseException, so the `except Exception` of a library (pypdf repairs, httpx cleanup)
    cannot swallow it and carry on past the deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"deadline of {seconds:g} s passed")
        self.seconds = seconds


# The deadline of the running thread where no alarm can interrupt it: (expiry on the monotonic
# clock, the seconds it was given), read by `check_deadline`.
_thread_deadline = threading.local()


@contextlib.contextmanager
def _noted(seconds: float) -> Iterator[None]:
    """Note a deadline for `check_deadline` in this thread (an earlier one noted stays)."""
    outer = getattr(_thread_deadline, "expiry", None)
    expiry = (time.monotonic() + seconds, seconds)
    _thread_deadline.expiry = outer if outer is not None and outer[0] <= expiry[0] else expiry
    try:
        yield
    finally:
        _thread_deadline.expiry = outer


def check_deadline() -> None:
    """Raise DeadlineExceeded if this thread's noted deadline (see `deadline`) has passed; a
    no-op where the deadline is an alarm, or none was set."""
    expiry = getattr(_thread_deadline, "expiry", None)
    if expiry is not None and time.monotonic() > expiry[0]:
        raise DeadlineExceeded(expiry[1])


def can_interrupt() -> bool:
    """Whether `deadline` can interrupt here: a POSIX alarm, delivered to the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise DeadlineExceeded into the block if it runs longer than `seconds`.

    Nested deadlines keep the earlier one. Where an alarm cannot be delivered (a thread other
    than the main one, as a Dask worker's, or Windows) the deadline is only noted for the
    thread: the pipeline calls `check_deadline` between its stages and its windows of
    sentences, so the block stops at the next such point instead of at once.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if not can_interrupt():
        with _noted(seconds):
            yield
        return
    outer_left, _interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:  # an enclosing deadline comes first: it rules
        yield
        return
    previous = signal.getsignal(signal.SIGALRM)

    def expire(_signum: int, _frame: object) -> None:
        raise DeadlineExceeded(seconds)

    started = time.monotonic()
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # give the enclosing deadline back what is left of it
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


@contextlib.contextmanager
def memory_ceiling(limit: int | None) -> Iterator[None]:
    """`apply_memory_limit` for the length of a block, then the previous soft limit again
    (a command run in-process, by a test or a notebook, must not leave its caller capped).

    Worker processes started inside the block inherit the ceiling. A process that already
    uses more than half of `limit` (an embedding application or a test session, not the
    `litkit` command) is left uncapped rather than starved: its workers still get the limit."""
    try:
        import resource
    except ImportError:  # Windows
        yield
        return
    previous = resource.getrlimit(resource.RLIMIT_AS)
    if limit and _address_space() < limit // 2:
        apply_memory_limit(limit)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, previous)


@contextlib.contextmanager
def lifted_memory_ceiling() -> Iterator[None]:
    """The soft address-space limit raised to the hard one for the length of a block, then set
    back: for loading a fixed-size model (lingua's ~170 MB) the first time a document needs it.

    Why: an allocation that fails inside lingua (Rust) aborts the process instead of raising
    MemoryError, so the models must never be loaded under the ceiling that bounds documents;
    loading them eagerly before the ceiling instead cost every ingest process ~2 s of CPU even
    when no sentence needed the model. A limit set from outside as a hard limit stays."""
    try:
        import resource
    except ImportError:  # Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == hard:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """This process's address space in bytes (Linux /proc), 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


def apply_memory_limit(limit: int | None) -> None:
    """Cap this process's address space (RLIMIT_AS) at `limit` bytes; children inherit it.

    Never raises the hard limit (it cannot be raised back), and is a no-op where the resource
    module or RLIMIT_AS does not exist."""
    if not limit:
        return
    try:
        import resource
    except ImportError:  # Windows
        return
    if not hasattr(resource, "RLIMIT_AS"):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # below what the process already uses: keep the old limit
        return


_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": MiB, "g": 1024 * MiB, "t": 1024 * 1024 * MiB}


def parse_size(text: str) -> int:
    """`900M`, `1.5G`, `512MiB`, `1048576` -> bytes (binary units: a memory size). 0 is off."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (examples: 900M, 1.5G, 0 for no limit)")
    number, unit, _suffix = match.groups()
    return int(float(number) * _UNITS[unit.lower()])


def describe_memory(limit: int | None) -> str:
    """Why a document failed with MemoryError, with the limit that was hit if one was set."""
    if limit:
        return f"out of memory (the limit is {limit // MiB:,} MB per process; --max-memory)"
    return "out of memory"


DEFAULT_LIMITS = Limits()
