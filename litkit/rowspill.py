"""A temporary file of pickled chunks: the rows of a long document, one window at a time.

Why: a long document's rows for the database (about 2 KB per sentence) were all held in memory
from planning to commit. Spilled window by window, a worker holds one window of them, and the
writer reads them back one window at a time while it inserts (issue 18). The file is deleted
when its last holder lets go of it: the pickled copy (a worker's plan sent to the writer)
takes the file with it, so the sending side never deletes what the receiving side reads.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator
from typing import Any, BinaryIO


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class SpillFile:
    """Chunks appended in order (`add`), then read back in order as often as needed (the
    writer writes a group again after a failure)."""

    def __init__(self, prefix: str = "litkit-rows-") -> None:
        descriptor, self.path = tempfile.mkstemp(prefix=prefix, suffix=".pickle")
        self._handle: BinaryIO | None = os.fdopen(descriptor, "wb")
        self.chunks = 0
        self._finalizer = weakref.finalize(self, _remove, self.path)

    def add(self, chunk: Any) -> None:
        """Append one chunk (a window's rows)."""
        if self._handle is None:
            raise ValueError("a spill file is closed once read or sent")
        pickle.dump(chunk, self._handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.chunks += 1

    def close(self) -> None:
        """Finish writing (reading or pickling does it too)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __iter__(self) -> Iterator[Any]:
        self.close()
        with open(self.path, "rb") as handle:
            for _ in range(self.chunks):
                yield pickle.load(handle)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (sent to the writer): the copy owns the file from now on."""
        self.close()
        self._finalizer.detach()
        return {"path": self.path, "chunks": self.chunks}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.chunks, self._handle = state["path"], state["chunks"], None
        self._finalizer = weakref.finalize(self, _remove, self.path)
