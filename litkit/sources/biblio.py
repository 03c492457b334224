"""Bibliographic identifiers every reader and rule shares: one DOI pattern for all.

A DOI found by the PubMed, JATS, HTML, PDF and reference-export readers, and a DOI line that
the role rules recognise as metadata, are matched by the same definitions, so one article
read from any source gets one DOI.
"""

from __future__ import annotations

import re

DOI_CORE = r"10\.\d{4,9}/[^\s\"<>]+"
"""A DOI: the 10. directory prefix, a registrant code of four to nine digits, a suffix."""
DOI = re.compile(rf"\b({DOI_CORE})")
DOI_LABELLED = re.compile(rf"(?:doi\s*:?\s*|doi\.org/)({DOI_CORE})", re.IGNORECASE)
DOI_MARK = re.compile(
    r"\b(?:doi\s*[:：]?\s*10\.\d{4,9}|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE
)
"""Where a line names a DOI (`doi: 10.1234`, `https://doi.org/`): a metadata line."""


def find_doi(text: str) -> str | None:
    """The first DOI, preferring one labelled `doi:` or written as a doi.org link."""
    if "10." not in text:
        return None  # every DOI starts with "10.": a substring test spares two regex scans
    found = DOI_LABELLED.search(text) or DOI.search(text)
    return _trim_doi(found.group(1)) if found else None


def clean_doi(value: str | None) -> str | None:
    """A DOI field as a reader found it (`https://doi.org/10.1/X.`, `10.1/x [doi]`) cut to the
    DOI itself and lower-cased: the one pattern every reader shares, so one article read from
    PubMed, JATS, a web page, a PDF or an export gets one DOI."""
    found = find_doi(value) if value else None
    return found.lower() if found else None


def _trim_doi(doi: str) -> str:
    """Drop what scraping glued to a DOI: closing punctuation, a UI word (`...047Get`)."""
    doi = doi.rstrip(".,;:")
    while doi.endswith((")", "]")) and doi.count(doi[-1]) > doi.count(
        "(" if doi[-1] == ")" else "["
    ):
        doi = doi[:-1].rstrip(".,;:")
    return re.sub(r"(?<=\d)[A-Z][a-z]{2,}$", "", doi)
