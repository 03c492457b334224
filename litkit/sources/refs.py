"""Reference-manager exports (RIS, PubMed/MEDLINE .nbib, BibTeX, Rayyan/Covidence CSV).

This module recognises the kind of export by its content and hands it to its parser
(`ris`, `bibtex`, `csv_export`); `records` turns parsed records into documents.

Screening tools hand reviewers their search results as these files: one record per
article, title and abstract only. Each record becomes one document (locator
`file.ris#3`) with its DOI, PMID, year, journal and authors kept, so it links to the full
text when that arrives later. A record without an abstract is reported, never silently
dropped: a reviewer must know which studies the evidence base does not cover.
"""

from __future__ import annotations

import re

from litkit.errors import SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources.bibtex import _latex_to_text, parse_bibtex
from litkit.sources.csv_export import _csv_header, read_csv_export
from litkit.sources.encoding import decode
from litkit.sources.records import (
    BIBTEX,
    CSV,
    MEDLINE,
    RIS,
    SNIFF_CHARS,
    TSV,
    _documents,
    record_meta,
)
from litkit.sources.ris import parse_medline, parse_ris

__all__ = [
    "_latex_to_text",
    "parse_bibtex",
    "parse_medline",
    "parse_ris",
    "read_csv_export",
    "read_references",
    "record_meta",
]


def read_references(raw: RawSource) -> list[ParsedText | SourceError]:
    """Any reference export, recognised by its content (`.nbib` files are served as RIS too)."""
    try:
        text = decode(raw.data, raw.locator).text
    except SourceError as error:
        return [error]
    kind = export_kind(text[:SNIFF_CHARS])
    if kind == BIBTEX:
        return _documents(raw, parse_bibtex(text), BIBTEX)
    if kind == MEDLINE:
        return _documents(raw, parse_medline(text), MEDLINE)
    if kind == RIS:
        return _documents(raw, parse_ris(text), RIS)
    if kind == CSV or raw.media_type in (CSV, TSV):
        return read_csv_export(raw, text)
    return [SourceError(raw.locator, "not a RIS, MEDLINE, BibTeX or CSV reference export")]


# Ovid and Cochrane put a record number ("1.", "<1>", "Record #3 of 18") and "Provider:" /
# "Database:" header lines before a record's first tag: RIS is a `TY  -` line near the top.
_RIS_START = re.compile(r"(?m)^\ufeff?TY {1,2}- ?\S")
_MEDLINE_START = re.compile(r"(?m)^\ufeff?PMID- ?\s*\d")
_BIBTEX_START = re.compile(
    r"(?mi)^\ufeff?\s*@(?:article|book|inbook|incollection|inproceedings|conference|misc|"
    r"phdthesis|mastersthesis|techreport|report|online|unpublished|manual|string|preamble|"
    r"comment)\s*[{(]"
)


def export_kind(head: str) -> str | None:
    """Which reference export `head` (the first few thousand characters) starts, if any.

    A tag line must come within the first lines, before any other text of length, so a
    plain-text article that quotes `TY  - JOUR` further down stays an article.
    """
    for pattern, kind in ((_BIBTEX_START, BIBTEX), (_MEDLINE_START, MEDLINE), (_RIS_START, RIS)):
        found = pattern.search(head)
        if found and _only_headers_before(head[: found.start()]):
            return kind
    return CSV if _csv_header(head) is not None else None


def _only_headers_before(text: str) -> bool:
    """True when what precedes a first tag is only short header lines (record numbers,
    `Provider:` / `Database:` lines, a search query), at most a dozen of them."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) <= 12 and all(len(line) <= 300 for line in lines)
