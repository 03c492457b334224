"""Reference-manager exports (RIS, PubMed/MEDLINE .nbib, BibTeX, Rayyan/Covidence CSV).

Screening tools hand reviewers their search results as these files: one record per
article, title and abstract only. Each record becomes one document (locator
`file.ris#3`) with its DOI, PMID, year, journal and authors kept, so it links to the full
text when that arrives later. A record without an abstract is reported, never silently
dropped: a reviewer must know which studies the evidence base does not cover.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from importlib import resources

from litkit.errors import SkippedRecord, SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources.encoding import decode
from litkit.sources.pubmed import iso639_1
from litkit.sources.text import clean_doi

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


SNIFF_CHARS = 4000
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


def read_csv_export(raw: RawSource, text: str | None = None) -> list[ParsedText | SourceError]:
    """A database or screening-tool CSV/TSV export: one record per row with title and abstract.

    Column names differ between PubMed, Embase, Scopus, Web of Science, CINAHL, OpenAlex,
    RefWorks, Rayyan, Covidence and ASReview (resources/references/csv_columns.json); lines
    before the header (a search query, an export date) are skipped.
    """
    if text is None:
        try:
            text = decode(raw.data, raw.locator).text
        except SourceError as error:
            return [error]
    text = text.lstrip("\ufeff")
    found = _csv_header(text[:SNIFF_CHARS])
    if found is None:
        return [SourceError(raw.locator, "CSV has no title column to read")]
    skip, delimiter = found
    body = "".join(text.splitlines(keepends=True)[skip:])
    # The csv module refuses fields over 128 KB (`_csv.Error`); the text is in memory already
    # (under the source size cap), so no field can be longer than it: read every field whole.
    previous_limit = csv.field_size_limit(max(csv.field_size_limit(), len(body) + 1))
    try:
        return _documents(raw, _csv_records(body, delimiter), CSV)
    except csv.Error as error:
        return [SourceError(raw.locator, f"not a readable CSV ({error})")]
    finally:
        csv.field_size_limit(previous_limit)


def _csv_records(body: str, delimiter: str) -> list[Record]:
    """The records of a CSV export's body (its header line first)."""
    reader = csv.DictReader(io.StringIO(body, newline=""), delimiter=delimiter)
    columns = {_column_key(name or ""): name for name in reader.fieldnames or []}
    records = []
    for row in reader:
        record: Record = {}
        for field, aliases in _csv_columns().items():
            for alias in aliases:
                value = (row.get(columns.get(alias, "")) or "").strip()
                if value:
                    record[field] = _split_list(field, value)
                    break
        if any(record.values()):
            records.append(record)
    return records


def _csv_header(head: str) -> tuple[int, str] | None:
    """(lines to skip, delimiter) of the first line within the first ten that is a header
    naming a title column among at least three columns, or None when there is none (a
    sentence with two commas and the word "title" is not a header)."""
    lines = head.splitlines()
    for index, line in enumerate(lines[:10]):
        counts = {d: line.count(d) for d in ",;\t"}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] < 2:
            continue
        cells = {_column_key(c) for c in next(csv.reader([line], delimiter=delimiter))}
        if len(cells) >= 3 and cells & set(_csv_columns()["title"]):
            return index, delimiter
    return None


def _column_key(name: str) -> str:
    """`Article Title`, `article_title`, `"TI"` -> `article title`, `ti`."""
    return " ".join(re.sub(r"[_\s]+", " ", name.strip().strip('"').lower()).split())


@functools.cache
def _csv_columns() -> dict[str, tuple[str, ...]]:
    data = json.loads(
        resources.files("litkit.resources")
        .joinpath("references/csv_columns.json")
        .read_text("utf-8")
    )
    return {
        field: tuple(_column_key(alias) for alias in aliases)
        for field, aliases in data.items()
        if not field.startswith("_")
    }


def _split_list(field: str, value: str) -> list[str]:
    if field == "authors":
        return [part.strip() for part in re.split(r";| and ", value) if part.strip()]
    if field == "keywords":
        return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]
    return [value]


# --- RIS and MEDLINE -----------------------------------------------------------------------

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}- ?(.*)$")
_MEDLINE_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- (.*)$")

_RIS_FIELDS = {
    "TI": "title", "T1": "title", "AB": "abstract", "N2": "abstract", "DO": "doi",
    "PY": "year", "Y1": "year", "DA": "date", "Y2": "date", "AU": "authors", "A1": "authors",
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
    """RIS records (`TY  -` ... `ER  -`); untagged lines continue the previous field.

    Lines outside a record (Ovid's `<1>`, Cochrane's `Record #3 of 18`, `Provider:`) are
    skipped; a `TY` line also starts a new record when the previous one lacked its `ER`.
    """
    records: list[Record] = []
    record: Record = {}
    last: str | None = None
    for line in text.splitlines():
        match = _RIS_LINE.match(line.strip("\ufeff"))
        if match:
            tag, value = match.groups()
            if tag == "ER" or (tag == "TY" and any(record.values())):
                if any(record.values()):
                    records.append(record)
                record, last = {}, None
                if tag == "ER":
                    continue
            last = _RIS_FIELDS.get(tag)
            if last and value.strip():
                record.setdefault(last, []).append(value.strip())
        elif line.strip() and last and record.get(last):
            record[last][-1] += " " + line.strip()
        elif not line.strip():
            last = None  # a blank line ends a field: what follows is a header, not its text
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
# `\'e`, `\'{e}`, `{\'e}`, `\c c`: the closing brace goes with the accent, a space after the
# letter does not (`caf\'e au lait` is "café au lait")
_LATEX_ACCENT = re.compile(r"\\([`'^\"~=.]|[cuv](?=[\s{]))\s*\{?\s*(\\?[A-Za-z])(?:\s*\})?")
_LATEX_SYMBOLS = {
    r"\oe": "œ", r"\OE": "Œ", r"\ae": "æ", r"\AE": "Æ", r"\ss": "ß", r"\o": "ø",
    r"\O": "Ø", r"\&": "&", r"\%": "%", r"\_": "_", r"\$": "$", "---": "—", "--": "–",
    "~": " ",
}  # fmt: skip


def parse_bibtex(text: str) -> list[Record]:
    """Entries of a BibTeX file, parsed by bibtexparser 2; `@string` macros and `#`
    concatenations resolved here, LaTeX accents decoded by `_latex_to_text`.

    bibtexparser keeps escaped braces (`Thi\\{'ebaux`) inside their field, where a brace
    counter swallowed every later entry. An entry it cannot parse is reported as a record
    of its own (`_error`), never silently dropped.
    """
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings = {string.key.lower(): string.value for string in library.strings}
    records: list[Record] = []
    for block in library.blocks:
        if isinstance(block, bibtexparser.model.ParsingFailedBlock):
            line = (block.start_line or 0) + 1
            records.append({"_error": [f"BibTeX entry could not be parsed (line {line})"]})
            continue
        if not isinstance(block, bibtexparser.model.Entry):
            continue
        record: Record = {"type": [block.entry_type.lower()]}
        if block.key:  # the citation key: the reviewer's own id of the record
            record["record_id"] = [block.key]
        for entry_field in block.fields:
            field = _BIBTEX_FIELDS.get(entry_field.key.lower())
            if field:
                value = _latex_to_text(_bibtex_value(str(entry_field.value), strings))
                record.setdefault(field, []).extend(_split_bibtex(field, value))
        records.append(record)
    return records


def _bibtex_value(value: str, strings: dict[str, str], depth: int = 0) -> str:
    """A raw field value with `{..}` / `".."` removed, macros expanded and `#` parts joined."""
    parts = []
    for part in _concatenated_parts(value.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            parts.append(part[1:-1])
        elif part.lower() in strings and depth < 10:
            parts.append(_bibtex_value(strings[part.lower()], strings, depth + 1))
        else:
            parts.append(part)  # a number, or a macro never defined (`jan`): kept as written
    return "".join(parts)


def _concatenated_parts(value: str) -> list[str]:
    """`ped # " " # {Reviews}` -> [`ped`, `" "`, `{Reviews}`]; `#` inside braces or quotes
    (and an escaped `\\#`) is text."""
    parts, start, depth, quoted, index = [], 0, 0, False, 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
        index += 1
    parts.append(value[start:].strip())
    return [part for part in parts if part]


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
        value = re.sub(re.escape(command) + ending, _literal(replacement), value)
    value = re.sub(r"\\(?:textit|textbf|emph|mathrm|textsubscript|textsuperscript)\s*", "", value)
    value = re.sub(r"\\([{}#])", r"\1", value)  # escaped braces and hashes are characters
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
