"""Reference-manager exports (RIS, PubMed/MEDLINE .nbib, BibTeX, Rayyan/Covidence CSV).

Screening tools hand reviewers their search results as these files: one record per
article, title and abstract only. Each record becomes one document (locator
`file.ris#3`) with its DOI, PMID, year, journal and authors kept, so it links to the full
text when that arrives later. A record without an abstract is reported, never silently
dropped: a reviewer must know which studies the evidence base does not cover.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable

from litkit.errors import SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources.encoding import decode
from litkit.sources.pubmed import iso639_1

RIS = "application/x-research-info-systems"
BIBTEX = "application/x-bibtex"
MEDLINE = "application/x-medline"
CSV = "text/csv"
TSV = "text/tab-separated-values"

Record = dict[str, list[str]]  # field name -> values, in file order

# Language names reference managers write, as ISO 639-1.
_LANGUAGE_NAMES = {
    "english": "en", "french": "fr", "français": "fr", "francais": "fr", "chinese": "zh",
    "中文": "zh", "german": "de", "spanish": "es", "italian": "it", "portuguese": "pt",
    "japanese": "ja", "russian": "ru", "dutch": "nl", "korean": "ko",
}  # fmt: skip


def read_references(raw: RawSource) -> list[ParsedText | SourceError]:
    """Any reference export, recognised by its content (`.nbib` files are served as RIS too)."""
    try:
        text = decode(raw.data, raw.locator).text
    except SourceError as error:
        return [error]
    head = text.lstrip("\ufeff \r\n\t")[:2000]
    if re.search(r"(?m)^\s*@\w+\s*[{(]", head):
        return _documents(raw, parse_bibtex(text), BIBTEX)
    if re.match(r"PMID-\s*\d", head):
        return _documents(raw, parse_medline(text), MEDLINE)
    if re.match(r"TY {2}- ", head):
        return _documents(raw, parse_ris(text), RIS)
    header = head.split("\n", 1)[0].lower()
    if raw.media_type in (CSV, TSV) or (re.search(r"[,;\t]", header) and "title" in header):
        return read_csv_export(raw, text)
    return [SourceError(raw.locator, "not a RIS, MEDLINE, BibTeX or CSV reference export")]


def read_csv_export(raw: RawSource, text: str | None = None) -> list[ParsedText | SourceError]:
    """A Rayyan / Covidence / Zotero CSV export: one record per row with title and abstract."""
    if text is None:
        try:
            text = decode(raw.data, raw.locator).text
        except SourceError as error:
            return [error]
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    if not any(alias in columns for alias in _CSV_COLUMNS["title"]) or not any(
        alias in columns for alias in _CSV_COLUMNS["abstract"]
    ):
        return [SourceError(raw.locator, "CSV has no title and abstract columns to read")]
    records = []
    for row in reader:
        record: Record = {}
        for field, aliases in _CSV_COLUMNS.items():
            for alias in aliases:
                value = (row.get(columns.get(alias, "")) or "").strip()
                if value:
                    record[field] = _split_list(field, value)
                    break
        records.append(record)
    return _documents(raw, records, CSV)


_CSV_COLUMNS = {
    "title": ("title", "article title", "ti", "document title"),
    "abstract": ("abstract", "ab", "abstract note", "abstractnote"),
    "doi": ("doi", "di"),
    "pmid": ("pmid", "pubmed id", "pubmedid"),
    "year": ("year", "published year", "publication year", "py", "pubyear"),
    "journal": ("journal", "source title", "publication title", "journal/book", "so"),
    "volume": ("volume", "vl"),
    "authors": ("authors", "author", "au"),
    "keywords": ("keywords", "author keywords", "manual tags", "tags", "de"),
    "language": ("language", "la"),
    "url": ("url", "link"),
    "issue": ("issue", "number", "is"),
    "pages": ("pages", "page", "pg"),
    "pmcid": ("pmcid", "pmc", "pmc id"),
}


def _split_list(field: str, value: str) -> list[str]:
    if field == "authors":
        return [part.strip() for part in re.split(r";| and ", value) if part.strip()]
    if field == "keywords":
        return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]
    return [value]


# --- RIS and MEDLINE -----------------------------------------------------------------------

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9]) {2}- ?(.*)$")
_MEDLINE_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- (.*)$")

_RIS_FIELDS = {
    "TI": "title", "T1": "title", "AB": "abstract", "N2": "abstract", "DO": "doi",
    "PY": "year", "Y1": "year", "DA": "year", "AU": "authors", "A1": "authors",
    "JO": "journal", "JF": "journal", "T2": "journal", "JA": "journal", "VL": "volume",
    "KW": "keywords", "AD": "affiliations", "LA": "language", "UR": "url", "AN": "accession",
    "TY": "type", "IS": "issue", "SP": "start_page", "EP": "end_page", "ID": "record_id",
    "C2": "pmcid",
}  # fmt: skip
_MEDLINE_FIELDS = {
    "PMID": "pmid", "TI": "title", "AB": "abstract", "FAU": "authors", "AD": "affiliations",
    "LA": "language", "JT": "journal", "VI": "volume", "DP": "year", "LID": "doi_candidates",
    "AID": "doi_candidates", "MH": "keywords", "OT": "keywords", "PT": "publication_types",
    "OAB": "other_abstracts", "IP": "issue", "PG": "pages", "PMC": "pmcid",
}  # fmt: skip


def parse_ris(text: str) -> list[Record]:
    """RIS records (`TY  -` ... `ER  -`); untagged lines continue the previous field."""
    records: list[Record] = []
    record: Record = {}
    last: str | None = None
    for line in text.splitlines():
        match = _RIS_LINE.match(line.strip("\ufeff"))
        if match:
            tag, value = match.groups()
            if tag == "ER":
                records.append(record)
                record, last = {}, None
                continue
            last = _RIS_FIELDS.get(tag)
            if last and value.strip():
                record.setdefault(last, []).append(value.strip())
        elif line.strip() and last and record.get(last):
            record[last][-1] += " " + line.strip()
    if any(record.values()):
        records.append(record)
    for record in records:  # AN holds the PMID in PubMed-derived RIS files
        accession = (record.get("accession") or [""])[0]
        if accession.isdigit() and "pmid" not in record:
            record["pmid"] = [accession]
        first, last = _first(record, "start_page"), _first(record, "end_page")
        if first:  # SP/EP: pages as citations print them ("12-19")
            record["pages"] = [f"{first}-{last}" if last and last != first else first]
    return records


def parse_medline(text: str) -> list[Record]:
    """PubMed's MEDLINE format (.nbib): `TAG - value`, six-space continuation lines."""
    records: list[Record] = []
    record: Record = {}
    last: str | None = None
    for line in text.splitlines():
        match = _MEDLINE_LINE.match(line)
        if match and not line.startswith(" "):
            tag, value = match.groups()
            if tag == "PMID" and record:
                records.append(record)
                record = {}
            last = _MEDLINE_FIELDS.get(tag)
            if last:
                record.setdefault(last, []).append(value.strip())
        elif line.startswith(" ") and line.strip() and last and record.get(last):
            record[last][-1] += " " + line.strip()
    if record:
        records.append(record)
    for record in records:
        dois = [
            value.split(" ")[0]
            for value in record.pop("doi_candidates", [])
            if value.endswith("[doi]")
        ]
        if dois:
            record["doi"] = dois[:1]
    return records


# --- BibTeX --------------------------------------------------------------------------------

_BIBTEX_FIELDS = {
    "title": "title", "abstract": "abstract", "doi": "doi", "year": "year",
    "journal": "journal", "journaltitle": "journal", "booktitle": "journal",
    "volume": "volume", "author": "authors", "keywords": "keywords", "pmid": "pmid",
    "language": "language", "langid": "language", "url": "url", "affiliation": "affiliations",
    "number": "issue", "issue": "issue", "pages": "pages", "pmcid": "pmcid",
}  # fmt: skip
_LATEX_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "c": "\u0327", "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c",
}  # fmt: skip
_LATEX_ACCENT = re.compile(r"\\([`'^\"~=.]|[cuv](?=[\s{]))\s*\{?\s*(\\?[A-Za-z])\s*\}?")
_LATEX_SYMBOLS = {
    r"\oe": "œ", r"\OE": "Œ", r"\ae": "æ", r"\AE": "Æ", r"\ss": "ß", r"\o": "ø",
    r"\O": "Ø", r"\&": "&", r"\%": "%", r"\_": "_", r"\$": "$", "---": "—", "--": "–",
    "~": " ",
}  # fmt: skip


def parse_bibtex(text: str) -> list[Record]:
    """Entries of a BibTeX file; @comment, @string and @preamble are skipped."""
    records = []
    position = 0
    while (at := text.find("@", position)) >= 0:
        match = re.compile(r"@(\w+)\s*([{(])").match(text, at)
        if not match:
            position = at + 1
            continue
        kind = match.group(1).lower()
        end = _balanced_end(text, match.end() - 1)
        body = text[match.end() : end]
        position = end + 1
        if kind in ("comment", "string", "preamble"):
            continue
        record: Record = {"type": [kind]}
        key = body.split(",", 1)[0].strip() if "," in body else ""
        if key and "=" not in key:  # the citation key: the reviewer's own id of the record
            record["record_id"] = [key]
        for name, value in _bibtex_fields(body):
            field = _BIBTEX_FIELDS.get(name)
            if field:
                record.setdefault(field, []).extend(_split_bibtex(field, _latex_to_text(value)))
        records.append(record)
    return records


def _balanced_end(text: str, open_at: int) -> int:
    """Index of the bracket closing the one at `open_at` (end of text if unbalanced)."""
    closing = "}" if text[open_at] == "{" else ")"
    depth = 0
    for index in range(open_at, len(text)):
        char = text[index]
        if char == "{" or (char == "(" and closing == ")" and depth == 0):
            depth += 1
        elif char == "}" or (char == ")" and closing == ")" and depth == 1):
            depth -= 1
            if depth == 0:
                return index
    return len(text)


def _bibtex_fields(body: str) -> Iterable[tuple[str, str]]:
    """(name, raw value) pairs after the citation key: `name = {..}`, `".."` or a number."""
    position = body.find(",") + 1 if "," in body else len(body)
    pattern = re.compile(r"\s*([\w-]+)\s*=\s*")
    while position < len(body):
        match = pattern.match(body, position)
        if not match:
            next_comma = body.find(",", position)
            if next_comma < 0:
                break
            position = next_comma + 1
            continue
        start = match.end()
        if start < len(body) and body[start] == "{":
            end = _balanced_end(body, start)
            value, position = body[start + 1 : end], end + 1
        elif start < len(body) and body[start] == '"':
            end = body.find('"', start + 1)
            end = len(body) if end < 0 else end
            value, position = body[start + 1 : end], end + 1
        else:
            end = body.find(",", start)
            end = len(body) if end < 0 else end
            value, position = body[start:end].strip(), end
        yield match.group(1).lower(), value
        comma = body.find(",", position)
        position = len(body) if comma < 0 else comma + 1


def _latex_to_text(value: str) -> str:
    """Undo the LaTeX that BibTeX exports use for accents and protection braces."""

    def accent(match: re.Match[str]) -> str:
        letter = match.group(2).lstrip("\\")
        letter = "i" if letter == "i" else letter
        return unicodedata.normalize("NFC", letter + _LATEX_ACCENTS[match.group(1)])

    value = _LATEX_ACCENT.sub(accent, value)
    for command, replacement in _LATEX_SYMBOLS.items():
        # `\oe uvre` and `\oe{}uvre`: a letter command swallows the space or {} ending it
        ending = r"(?![A-Za-z])(?:\{\}| )?" if command[-1].isalpha() else ""
        value = re.sub(re.escape(command) + ending, lambda _m, r=replacement: r, value)
    value = re.sub(r"\\(?:textit|textbf|emph|mathrm|textsubscript|textsuperscript)\s*", "", value)
    value = value.replace("{", "").replace("}", "")
    return " ".join(value.split())


def _split_bibtex(field: str, value: str) -> list[str]:
    if field == "authors":
        return [_bibtex_name(name) for name in re.split(r"\s+and\s+", value) if name.strip()]
    if field == "keywords":
        return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
    return [value] if value else []


def _bibtex_name(name: str) -> str:
    """`Last, First` -> `First Last`, the order PubMed and JATS metadata use."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return f"{first} {last}".strip()
    return name.strip()


# --- records to documents ------------------------------------------------------------------


def _documents(
    raw: RawSource, records: list[Record], media_type: str
) -> list[ParsedText | SourceError]:
    if not records:
        return [SourceError(raw.locator, "no reference records found")]
    results: list[ParsedText | SourceError] = []
    for number, record in enumerate(records, start=1):
        locator = f"{raw.locator}#{number}"
        title = _untranslated_title(_first(record, "title"))
        abstract = " ".join(_first(record, "abstract").split())
        if not abstract:
            label = f" ({title[:60]})" if title else ""
            results.append(SourceError(locator, f"record has no abstract{label}"))
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
    """DocumentMeta of one reference record; DOIs lower-cased, years as integers."""
    doi = _first(record, "doi")
    doi = re.sub(r"(?i)^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi).strip().lower() or None
    year_match = re.search(r"\b(1[89]\d\d|20\d\d)\b", _first(record, "year"))
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
