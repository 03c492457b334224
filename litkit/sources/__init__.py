"""Where documents come from: `resolve` locators into RawSources, `read` them into texts.

Two registries make the package open to new sources without editing this file:
`SCHEMES` maps a locator scheme (`https`, `pmid`, ...) to a function that yields RawSources,
and `READERS` maps a media type to a function that parses a RawSource into documents. They
are filled through the plugin hooks (`litkit.plugins`): the built-in readers and schemes
(`litkit.sources.builtin`) and those of any installed plugin.
"""

from __future__ import annotations

from litkit.errors import SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources.files import MAX_SOURCE_BYTES, resolve
from litkit.sources.registry import (
    MEDIA_TYPES_BY_EXTENSION,
    READERS,
    SCHEMES,
    Reader,
    ensure_loaded,
)
from litkit.sources.sniff import GENERIC_TYPES, sniff, structured_type


def read(raw: RawSource) -> list[ParsedText | SourceError]:
    """Decode and parse one source into its documents; problems come back as SourceErrors.

    The media type hint (extension or Content-Type) picks the reader when one is registered
    for it, but the bytes are sniffed first: a PNG named `.txt` is refused, and a file with
    an unknown extension is read as HTML or text according to its content. When the hint is
    generic (stdin, `.txt`, application/octet-stream), content that starts like HTML, JATS or
    PubMed XML, RIS, MEDLINE, BibTeX or a CSV export goes to that reader.
    """
    ensure_loaded()
    if not raw.data.strip():
        return [SourceError(raw.locator, "empty file")]
    hint = _base_media_type(raw.media_type)
    sniffed = sniff(raw.data)
    structured = None
    if hint is None or hint in GENERIC_TYPES:
        structured = structured_type(raw.data) or (
            sniffed.media_type if sniffed.media_type == "text/html" else None
        )
    if structured in READERS:
        media_type = structured  # RIS saved as .txt, JATS from stdin or as octet-stream
    elif hint in READERS and not (sniffed.is_binary and hint.startswith("text/")):
        media_type = hint
    elif sniffed.media_type in READERS:
        media_type = sniffed.media_type
    elif sniffed.is_binary:
        return [SourceError(raw.locator, f"not a text file (looks like {sniffed.description})")]
    elif sniffed.media_type.startswith("text/"):
        media_type = "text/plain"  # e.g. XML with no XML reader registered: still text
    else:
        return [SourceError(raw.locator, f"no reader for {hint or sniffed.media_type} yet")]
    try:
        documents = READERS[media_type](raw)
    except SourceError as error:
        return [error]
    return [_refuse_empty(raw, doc) for doc in documents]


def _refuse_empty(raw: RawSource, doc: ParsedText | SourceError) -> ParsedText | SourceError:
    if isinstance(doc, ParsedText) and not doc.text.strip():
        return SourceError(doc.locator or raw.locator, "empty file")
    return doc


def _base_media_type(media_type: str | None) -> str | None:
    """`text/html; charset=utf-8` -> `text/html`."""
    return media_type.split(";")[0].strip().lower() if media_type else None


__all__ = [
    "MAX_SOURCE_BYTES",
    "MEDIA_TYPES_BY_EXTENSION",
    "READERS",
    "SCHEMES",
    "Reader",
    "ensure_loaded",
    "read",
    "resolve",
]
