"""The version of the lexicon and rules a document is processed with: a content hash.

Everything litkit derives from a document's text (sentences, languages, concepts, claim types,
outcome pairs, roles, study facts, cross-references) follows from litkit's code, its data files
(lexicon, cue and rule lists under `litkit/resources/`) and the user's `--lexicon` files. The
database records this hash per document (`documents.rules_version`), so a command can say when
stored documents were processed with other rules and `litkit reindex` brings them up to date,
and ingesting a stored document with other rules processes it again.
"""

from __future__ import annotations

import functools
import hashlib
import weakref
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .lexicon import Lexicon

# Resource folders that hold no rule: the database schema and the browser's configuration.
NOT_RULES = frozenset({"schema", "datasette"})
VERSION_CHARS = 16

# Lexicons loaded from user files, with the version of those files (`register`).
_LOADED: weakref.WeakKeyDictionary[Lexicon, str] = weakref.WeakKeyDictionary()


def _rule_files() -> list[tuple[str, bytes]]:
    """(relative path, bytes) of every shipped data file litkit's rules read, sorted."""
    root = resources.files("litkit") / "resources"
    found: list[tuple[str, bytes]] = []
    todo = [(entry, entry.name) for entry in root.iterdir() if entry.name not in NOT_RULES]
    while todo:
        entry, name = todo.pop()
        if entry.is_dir():
            todo += [(child, f"{name}/{child.name}") for child in entry.iterdir()]
        elif entry.is_file() and not name.endswith((".pyc", ".md")):
            found.append((name, entry.read_bytes()))
    return sorted(found)


@functools.cache
def _builtin_digest() -> bytes:
    digest = hashlib.sha256(f"litkit {__version__}\x00".encode())
    for name, data in _rule_files():
        digest.update(f"{name}\x00{len(data)}\x00".encode())
        digest.update(data)
    return digest.digest()


def rules_version(lexicon_paths: Sequence[str | Path] = ()) -> str:
    """The hash of litkit's version, its rule and lexicon files and the user's lexicon files
    (their contents, in the order given: a later file overrides an earlier one)."""
    digest = hashlib.sha256(_builtin_digest())
    for path in lexicon_paths:
        digest.update(b"\x00user lexicon\x00")
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:VERSION_CHARS]


@functools.cache
def builtin_rules_version() -> str:
    """The version of the built-in lexicon and rules alone."""
    return rules_version(())


def register(lexicon: Lexicon, lexicon_paths: Sequence[str | Path]) -> Lexicon:
    """Remember which user files `lexicon` was loaded with (`version_of`)."""
    if lexicon_paths:
        _LOADED[lexicon] = rules_version(lexicon_paths)
    return lexicon


def version_of(lexicon: Lexicon | None) -> str:
    """The rules version of documents processed with `lexicon`: the built-in one unless it was
    loaded from user files (`register`)."""
    if lexicon is not None and lexicon in _LOADED:
        return _LOADED[lexicon]
    return builtin_rules_version()
