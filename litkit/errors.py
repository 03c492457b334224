"""Exceptions the library raises; the CLI turns each into one clear line and exit status 1.

Messages name the input and the reason, and are written for the person running litkit
("not a text file (looks like PNG image data)"), never a traceback.
"""

from __future__ import annotations


class LitkitError(Exception):
    """Base class of every error litkit reports to its user."""


class SourceError(LitkitError):
    """An input could not be read, decoded or parsed; carries the locator it concerns."""

    def __init__(self, locator: str, reason: str) -> None:
        super().__init__(f"{locator}: {reason}")
        self.locator = locator
        self.reason = reason

    def __reduce__(self) -> tuple:
        """Pickle by (locator, reason): workers of `ingest --jobs N` send these back."""
        return (type(self), (self.locator, self.reason))


class SkippedRecord(SourceError):
    """A record of an export that holds nothing to ingest (no abstract): reported on its own
    line as skipped, not a failure, because nearly every real export has a few of them and
    the exit status must only say whether an input could not be read."""


class FetchError(SourceError):
    """A remote source (URL, PubMed) could not be fetched."""


class LexiconError(LitkitError):
    """A lexicon file is malformed; the message names the file and the entry."""


class SchemaVersionError(LitkitError):
    """The database was written by a newer litkit than this one."""


class QueryError(LitkitError):
    """A query or filter the user gave cannot be run."""


class DatabaseError(LitkitError):
    """The database cannot be used as asked: missing, not SQLite, not litkit's, corrupted,
    read-only, locked or on a full disk. The message says what is wrong and what to do."""
