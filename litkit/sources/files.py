"""Turn what the user typed (paths, directories, `-`, URLs, `pmid:...`) into RawSources.

A batch of hundreds of inputs must not stop at the first bad one, so every problem (missing
file, no permission, too large, a URL scheme nobody handles yet) becomes a SourceError in the
stream, in input order, and the caller reports it and goes on.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

from litkit.errors import SourceError
from litkit.models import RawSource
from litkit.sources.registry import MEDIA_TYPES_BY_EXTENSION, SCHEMES, ensure_loaded

MAX_SOURCE_BYTES = 200 * 1024 * 1024  # a 50 MB text is fine; a 2 GB dump is a mistake
STDIN_LOCATOR = "-"


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")  # 2+ letters: `C:\x` is a Windows path
_REMOTE_SCHEMES = {"http", "https", "ftp"}


def media_type_for(path: str) -> str | None:
    """The media type an extension suggests, or None when the content must be sniffed."""
    ensure_loaded()
    return MEDIA_TYPES_BY_EXTENSION.get(os.path.splitext(path)[1].lower())


def resolve(
    locators: Sequence[str],
    recursive: bool = True,
    stdin: BinaryIO | None = None,
    fetch_options: Any = None,
    stdin_name: str | None = None,
) -> Iterator[RawSource | SourceError]:
    """Every source the locators name, in order; problems are yielded, never raised.

    `stdin_name` names what `-` reads (`ingest - --name paper.nxml`): it becomes the
    document's source, and its extension a media type hint (the content is still sniffed).

    `fetch_options` (an `http.FetchOptions`: size cap, timeouts) reaches every scheme handler
    as its `options` keyword; None leaves each handler its defaults.
    """
    ensure_loaded()
    for locator in locators:
        if locator == STDIN_LOCATOR:
            yield _read_stdin(stdin, stdin_name)
            continue
        scheme = _scheme_of(locator)
        if scheme is not None and (scheme in SCHEMES or not os.path.lexists(locator)):
            yield from _resolve_scheme(locator, scheme, fetch_options)
            continue
        yield from _resolve_path(locator, recursive)


def _scheme_of(locator: str) -> str | None:
    match = _SCHEME.match(locator)
    return match.group(1).lower() if match else None


def _resolve_scheme(
    locator: str, scheme: str, fetch_options: Any = None
) -> Iterator[RawSource | SourceError]:
    handler = SCHEMES.get(scheme)
    if handler is None:
        if scheme in _REMOTE_SCHEMES:
            yield SourceError(locator, "URL sources are not supported yet")
        else:
            yield SourceError(locator, f"'{scheme}:' sources are not supported yet")
        return
    try:
        yield from handler(locator, options=fetch_options) if fetch_options else handler(locator)
    except SourceError as error:  # a handler that raises still must not stop the batch
        yield error


def _resolve_path(path: str, recursive: bool) -> Iterator[RawSource | SourceError]:
    try:
        info = os.stat(path)
    except OSError as error:
        yield SourceError(path, _os_reason(error))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, recursive)
    else:
        yield read_file(path)


# A corpus folder's own notes (its provenance README, its licence) are not articles. They are
# skipped when a directory is walked; named explicitly on the command line they are read.
FOLDER_NOTES = re.compile(r"^(readme|licen[cs]e|copying|changelog|notice)(\.[a-z]+)?$", re.I)


# Folders deeper than this under a walked directory are reported, not entered: a corpus is
# never that deep, and an adversarial tree (1,200 levels) would otherwise exhaust the stack
# of a recursive walk or the length of a path.
MAX_WALK_DEPTH = 64


def _walk(directory: str, recursive: bool) -> Iterator[RawSource | SourceError]:
    """Files under `directory`, sorted by name, depth first; hidden entries, folder notes
    (README, LICENSE) and symlinked dirs skipped; folders deeper than MAX_WALK_DEPTH reported.

    Not following directory symlinks is what makes a loop (`a/b -> ..`) impossible. The walk
    keeps its own stack of open listings instead of recursing.
    """
    stack: list[Iterator[tuple[str, os.DirEntry | None]]] = [iter([(directory, None)])]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        path, entry = item
        try:
            is_real_dir = entry is None or entry.is_dir(follow_symlinks=False)
            is_file = not is_real_dir and entry is not None and entry.is_file()  # follows symlinks
        except OSError as error:
            yield SourceError(path, _os_reason(error))
            continue
        if is_real_dir:
            if len(stack) > MAX_WALK_DEPTH:
                yield SourceError(path, f"folders nested more than {MAX_WALK_DEPTH} deep")
                continue
            try:
                with os.scandir(path) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError as error:
                yield SourceError(path, _os_reason(error))
                continue
            if entry is None or recursive:
                stack.append(iter(list(_listed(path, entries))))
            continue
        if is_file or (entry is not None and _is_special_file(entry)):  # a FIFO, socket, device
            yield read_file(path)


def _listed(directory: str, entries: list[os.DirEntry]) -> Iterator[tuple[str, os.DirEntry]]:
    """The entries of a folder that are read, with their paths."""
    for entry in entries:
        if entry.name.startswith(".") or FOLDER_NOTES.match(entry.name):
            continue
        yield os.path.join(directory, entry.name), entry


def read_file(path: str) -> RawSource | SourceError:
    """The bytes of one regular file, or the reason they cannot be had.

    The file is stat'ed BEFORE it is opened: opening a named pipe with no writer blocks
    forever, and a device or socket is never an article. The open itself is non-blocking
    and re-checked with fstat, so a file swapped for a pipe in between cannot hang us either.
    """
    try:
        reason = _not_regular_reason(os.stat(path).st_mode)
        if reason is not None:
            return SourceError(path, reason)
        with open(path, "rb", opener=_open_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            reason = _not_regular_reason(info.st_mode)
            if reason is not None:
                return SourceError(path, reason)
            if info.st_size > MAX_SOURCE_BYTES:
                return SourceError(path, _too_large(info.st_size))
            data = read_up_to(handle, MAX_SOURCE_BYTES, info.st_size)  # growing, /proc files
    except OSError as error:
        return SourceError(path, _os_reason(error))
    except MemoryError:  # under --max-memory: this file alone fails
        return SourceError(path, "out of memory reading it (--max-memory)")
    if len(data) > MAX_SOURCE_BYTES:
        return SourceError(path, _too_large(len(data)))
    return RawSource(locator=path, data=data, media_type=media_type_for(path))


_SPECIAL_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _not_regular_reason(mode: int) -> str | None:
    """Why a file of this mode is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "an unknown kind of file")
    return f"not a regular file ({kind})"


def _is_special_file(entry: os.DirEntry) -> bool:
    """A FIFO, socket or device: read_file refuses it with its reason, without opening it.

    False for dangling symlinks and symlinks to directories: a walk skips those silently.
    """
    try:
        mode = entry.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _open_nonblocking(path: str, flags: int) -> int:
    """os.open that cannot block on a FIFO (O_NONBLOCK does not change regular-file reads)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _read_stdin(stdin: BinaryIO | None, name: str | None = None) -> RawSource | SourceError:
    locator = name or STDIN_LOCATOR
    if stdin is None:
        return SourceError(locator, "no standard input to read")
    try:
        data = read_up_to(stdin, MAX_SOURCE_BYTES)
    except OSError as error:
        return SourceError(locator, _os_reason(error))
    except MemoryError:
        return SourceError(locator, "out of memory reading it (--max-memory)")
    if len(data) > MAX_SOURCE_BYTES:
        return SourceError(locator, _too_large(len(data)))
    return RawSource(locator=locator, data=data, media_type=media_type_for(name) if name else None)


# Option files (`--pmids`, `--lexicon`) are lists, not corpora: a few MB at most. A FIFO or a
# device is read too (`--pmids <(grep ...)`), but only this long without data.
MAX_OPTION_FILE_BYTES = 32 * 1024 * 1024
OPTION_FILE_WAIT_S = 30.0


def read_limited(
    path: str, limit: int = MAX_OPTION_FILE_BYTES, wait: float = OPTION_FILE_WAIT_S
) -> bytes:
    """All the bytes of a regular file, pipe or device, or SourceError(path, why not).

    Bounded both ways: more than `limit` bytes (`/dev/zero`) is refused, and a pipe nobody
    writes to (or a writer gone quiet) is given up after `wait` seconds without data, instead
    of blocking forever. The file is opened non-blocking and polled.
    """
    import select
    import time

    try:
        handle = open(path, "rb", buffering=0, opener=_open_nonblocking)  # noqa: SIM115
    except OSError as error:
        raise SourceError(path, _os_reason(error)) from None
    with handle:
        try:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise SourceError(path, "is a directory")
            if stat.S_ISREG(mode):
                data = read_up_to(handle, limit, os.fstat(handle.fileno()).st_size)
            else:
                data = _read_polled(handle.fileno(), path, limit, wait, select, time)
        except OSError as error:
            raise SourceError(path, _os_reason(error)) from None
    if len(data) > limit:
        raise SourceError(path, f"larger than the limit of {limit // 2**20} MB for this file")
    return data


def read_up_to(handle: BinaryIO, limit: int, expected: int = 0) -> bytes:
    """At most `limit + 1` bytes of a stream, read in pieces as they come.

    Not `handle.read(limit + 1)`: that allocates the whole `limit + 1` bytes before reading
    one, so every 1 KB file would cost 200 MB of address space for a moment, more than a
    --max-memory ceiling allows beside a worker's models. `expected` (a file's size) is
    read in one piece when it is under the limit."""
    first = handle.read(min(expected, limit) + 1) if expected else b""
    chunks = [first or b""]
    size = len(chunks[0])
    if expected and size <= expected:  # the whole file, and it did not grow
        return chunks[0]
    while size <= limit:
        chunk = handle.read(min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _read_polled(fd: int, path: str, limit: int, wait: float, select: Any, time: Any) -> bytes:
    """Read a pipe or device to its end under the byte limit, `wait` s at most per silence."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        if not poller.poll(int(wait * 1000)):
            raise SourceError(path, f"no data for {wait:g} s (a pipe nobody writes to?)")
        try:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        except BlockingIOError:
            time.sleep(0.01)
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_large(size: int) -> str:
    return f"file too large ({size / 2**20:.1f} MB; the limit is {MAX_SOURCE_BYTES // 2**20} MB)"


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return (error.strerror or type(error).__name__).lower()
