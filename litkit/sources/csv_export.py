"""CSV and TSV exports of screening tools and databases (PubMed, Embase, Scopus, Web of Science,
Rayyan, Covidence, ...): the header row found after any preamble, the columns mapped by name
(`resources/references/csv_columns.json`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from importlib import resources

from litkit.errors import SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources.encoding import decode
from litkit.sources.records import CSV, SNIFF_CHARS, Record, _documents


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
    titles = frozenset(_csv_columns()["title"])
    for index, line in enumerate(lines[:10]):
        counts = {d: line.count(d) for d in ",;\t"}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] < 2:
            continue
        cells = {_column_key(c) for c in next(csv.reader([line], delimiter=delimiter))}
        if len(cells) >= 3 and cells & titles:
            return index, delimiter
    return None


def _column_key(name: str) -> str:
    """`Article Title`, `article_title`, `"TI"` -> `article title`, `ti`.

    str methods, not a regex: every .txt input is sniffed for a CSV header, its prose lines
    with commas included (split() splits on the same whitespace as re's \\s)."""
    return " ".join(name.strip().strip('"').lower().replace("_", " ").split())


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
