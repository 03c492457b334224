"""Reference-export records to documents: one document per record (locator `file.ris#3`), with
its DOI, PMID, year, journal and authors, and a record without abstract reported, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from litkit.errors import SkippedRecord, SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources.biblio import clean_doi
from litkit.sources.pubmed import iso639_1

RIS = "application/x-research-info-systems"
BIBTEX = "application/x-bibtex"
MEDLINE = "application/x-medline"
CSV = "text/csv"
TSV = "text/tab-separated-values"


SNIFF_CHARS = 4000  # characters read to tell an export's kind and find a CSV header

Record = dict[str, list[str]]  # field name -> values, in file order

# Language names reference managers write, as ISO 639-1.
_LANGUAGE_NAMES = {
    "english": "en", "french": "fr", "français": "fr", "francais": "fr", "chinese": "zh",
    "中文": "zh", "german": "de", "spanish": "es", "italian": "it", "portuguese": "pt",
    "japanese": "ja", "russian": "ru", "dutch": "nl", "korean": "ko",
}  # fmt: skip


NO_ABSTRACT = "no abstract"
"""Why a record is skipped: the evidence base reads abstracts, and a title alone claims nothing."""


def _documents(
    raw: RawSource, records: list[Record], media_type: str
) -> list[ParsedText | SourceError]:
    if not records:
        return [SourceError(raw.locator, "no reference records found")]
    results: list[ParsedText | SourceError] = []
    for number, record in enumerate(records, start=1):
        locator = f"{raw.locator}#{number}"
        if "_error" in record:
            results.append(SourceError(locator, record["_error"][0]))
            continue
        title = _untranslated_title(_first(record, "title"))
        abstract = " ".join(_first(record, "abstract").split())
        if not abstract:
            results.append(SkippedRecord(locator, NO_ABSTRACT))
            continue
        blocks = [block for block in (title, abstract) if block]
        blocks += [  # MEDLINE prefixes other abstracts with their source: "Publisher: ..."
            re.sub(r"^(?:Publisher|Author|NASA|AAMC|KIE|PIP)\s*:\s*", "", " ".join(o.split()))
            for o in record.get("other_abstracts", [])
        ]
        results.append(
            ParsedText(
                text="\n".join(blocks),
                meta=record_meta(record),
                media_type=media_type,
                encoding=None,
                locator=locator,
            )
        )
    return results


def record_meta(record: Record) -> DocumentMeta:
    """DocumentMeta of one reference record; DOIs lower-cased, years as integers.

    The DOI is cut to the DOI itself by the pattern every reader shares (`find_doi`); the
    year comes from the year fields (RIS `PY`/`Y1`) before a date (`DA`, which Web of
    Science writes first as `SEP 22`, without a year)."""
    doi = clean_doi(" ".join(record.get("doi", [])))
    years = (
        re.search(r"\b(1[89]\d\d|20\d\d)\b", v) for k in ("year", "date") for v in record.get(k, [])
    )
    year_match = next((found for found in years if found), None)
    language = _first(record, "language").lower()
    pmid = re.sub(r"\D", "", _first(record, "pmid")) or None
    url = _first(record, "url") or None
    unique: Callable[[str], tuple[str, ...]] = lambda key: tuple(  # noqa: E731
        dict.fromkeys(v for v in record.get(key, []) if v)
    )
    return DocumentMeta(
        title=_untranslated_title(_first(record, "title")).rstrip(".") or None,
        doi=doi,
        pmid=pmid,
        journal=_first(record, "journal") or None,
        year=int(year_match.group(1)) if year_match else None,
        volume=_first(record, "volume") or None,
        authors=tuple(dict.fromkeys(_bibtex_name(a) for a in record.get("authors", []) if a)),
        affiliations=unique("affiliations"),
        keywords=tuple(
            dict.fromkeys(k.split("/")[0].lstrip("*") for k in record.get("keywords", []) if k)
        ),
        publication_types=unique("publication_types"),
        declared_language=_LANGUAGE_NAMES.get(language) or iso639_1(language) or None,
        url=url or (f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None),
        final_url=None,
        issue=_first(record, "issue") or None,
        pages=re.sub(r"\s*(?:--|[–—])\s*", "-", _first(record, "pages")) or None,
        pmcid=_pmcid(record),
        record_id=_first(record, "record_id") or None,
    )


def _pmcid(record: Record) -> str | None:
    """The PMCID among a record's values (RIS `C2` also holds other custom data)."""
    for value in record.get("pmcid", []):
        match = re.search(r"(?i)\bPMC\s*(\d+)", value) or re.fullmatch(r"\s*(\d+)\s*", value)
        if match:
            return f"PMC{match.group(1)}"
    return None


def _untranslated_title(title: str) -> str:
    """MEDLINE brackets titles translated into English: `[Title].` -> `Title.`"""
    if title.startswith("[") and title.endswith(("].", "]")):
        return title[1:].replace("]", "", 1) if title.count("]") == 1 else title
    return title


def _first(record: Record, field: str) -> str:
    values = record.get(field) or [""]
    return values[0].strip()


def _literal(text: str) -> Callable[[re.Match[str]], str]:
    """A `re.sub` replacement that inserts `text` as it is (no backslash processing)."""
    return lambda _match: text


def _bibtex_name(name: str) -> str:
    """`Last, First` -> `First Last`, the order PubMed and JATS metadata use."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return f"{first} {last}".strip()
    return name.strip()
