"""Refuse, in one clear line, to start worker processes from a script without a main guard.

Ingest workers are started with `spawn` (forking a process that holds SQLite connections and
threads is unsafe), and a spawned worker first re-runs the script that started the ingest.
Without `if __name__ == "__main__":` the script's top level runs again in every worker, which
tries to start workers of its own: each worker dies, every document reads "the worker
process died", and the script ends with an empty result and exit status 0. Checked before any
worker starts, the mistake is one error naming the script and the fix instead.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .errors import LitkitError

_GUARD = re.compile(r"""__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__""")


def script_without_guard() -> str | None:
    """The file of the running `__main__` script when its source has no main guard; None for
    an interactive session, `python -c`, a notebook or a guarded script."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    if name == "__main__" or name.endswith(".__main__"):
        return None  # `python -m package`: spawn does not re-run a package's __main__
    path = getattr(main, "__file__", None)
    if not path or Path(path).stem == "ipython":
        return None  # what spawn re-runs is the main script's file (as multiprocessing does)
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return None if _GUARD.search(source) else str(path)


def require_main_guard(jobs: int) -> None:
    """Raise `LitkitError` before starting `jobs` > 1 workers from an unguarded script."""
    script = script_without_guard() if jobs > 1 else None
    if script:
        raise LitkitError(
            f"{script}: worker processes (jobs={jobs}) re-run this script, which has no"
            ' `if __name__ == "__main__":` guard; put the calls to litkit under one, or use jobs=1'
        )
