"""Write records in the formats every read command shares: table, csv, tsv, json, jsonl, md, xlsx.

Records are streamed (JSON arrays too), so exporting a large database does not hold it in
memory. Spreadsheet formats neutralise cells that a spreadsheet would run as a formula, because
claim text comes from untrusted web pages.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .plugins import hookimpl
from .scripts import display_width

BINARY_FORMATS = ("xlsx",)  # written by `write_xlsx` to a binary stream
# What a spreadsheet may run as a formula when a cell starts with it; the full-width forms are
# read as formulas by spreadsheets in East Asian locales.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# C0 controls but tab, LF and CR: invisible, and dropped by spreadsheets before they look for
# a formula, so they are removed *before* the formula check ("\x01=1+1" would run otherwise).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TABLE_CELL_WIDTH = 60
TABLE_MIN_WIDTH = 6  # a column narrower than this says nothing


def neutralise_formula(value: str) -> str:
    """Prefix a quote to text a spreadsheet would evaluate (`=HYPERLINK(...)`, `+1`, `@SUM`),
    after removing the control characters a spreadsheet would skip before looking."""
    value = _CONTROL_CHARS.sub("", value)
    return "'" + value if value.lstrip(" ").startswith(FORMULA_PREFIXES) else value


def cell_text(value: Any) -> str:
    """One cell as text: lists and objects as compact JSON, None as empty, bools as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def spreadsheet_cell(value: Any) -> Any:
    """A CSV/TSV/XLSX cell: text neutralised against formula injection, numbers left alone."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise_formula(cell_text(value))


def _columns(records: list[dict[str, Any]], columns: Sequence[str] | None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    return list(seen)


def _write_json(records: Iterable[dict[str, Any]], fp: TextIO, _: Sequence[str] | None) -> None:
    fp.write("[")
    for i, record in enumerate(records):
        fp.write(",\n " if i else "\n ")
        fp.write(json.dumps(record, ensure_ascii=False))
    fp.write("\n]\n")


def _write_jsonl(records: Iterable[dict[str, Any]], fp: TextIO, _: Sequence[str] | None) -> None:
    for record in records:
        fp.write(json.dumps(record, ensure_ascii=False) + "\n")


def _delimited(delimiter: str) -> Callable[[Iterable[dict[str, Any]], TextIO, Any], None]:
    def write(records: Iterable[dict[str, Any]], fp: TextIO, columns: Sequence[str] | None) -> None:
        iterator = iter(records)
        first = next(iterator, None)
        header = list(columns) if columns else list(first or {})
        # RFC 4180 line ends: the writer then also quotes a bare CR inside a cell.
        writer = csv.writer(fp, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for record in [first, *iterator] if first is not None else []:
            writer.writerow([spreadsheet_cell(record.get(c)) for c in header])

    return write


def markdown_text(text: str) -> str:
    """Text from a document, safe in Markdown: raw HTML (`<img onerror=...>`) is escaped, so
    a renderer shows it as text instead of running it."""
    return html.escape(text, quote=False)


def markdown_cell(value: Any) -> str:
    """Escape what breaks a Markdown table cell: pipes, line breaks and raw HTML."""
    text = markdown_text(cell_text(value)).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def _write_md(records: Iterable[dict[str, Any]], fp: TextIO, columns: Sequence[str] | None) -> None:
    rows = list(records)
    header = _columns(rows, columns)
    fp.write("| " + " | ".join(markdown_cell(c) for c in header) + " |\n")
    fp.write("|" + "|".join("---" for _ in header) + "|\n")
    for row in rows:
        fp.write("| " + " | ".join(markdown_cell(row.get(c)) for c in header) + " |\n")


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return display_width(text)


def _clip(text: str, width: int) -> str:
    """`text` on one line, cut with "…" to at most `width` terminal columns."""
    text = " ".join(text.split())
    if _display_width(text) <= width:
        return text
    out, used = [], 1
    for ch in text:
        used += _display_width(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out) + "…"


def terminal_width() -> int:
    """Columns of the terminal (or $COLUMNS); 120 when there is none (a pipe, a file)."""
    return shutil.get_terminal_size((120, 24)).columns


def _fit(widths: list[int], total: int) -> list[int]:
    """Narrow the widest columns, one column at a time, until the row fits in `total`."""
    widths = list(widths)
    gaps = 2 * (len(widths) - 1)
    while sum(widths) + gaps > total:
        widest = max(range(len(widths)), key=lambda i: (widths[i], -i))
        if widths[widest] <= TABLE_MIN_WIDTH:
            break
        widths[widest] -= 1
    return widths


def _write_table(
    records: Iterable[dict[str, Any]], fp: TextIO, columns: Sequence[str] | None
) -> None:
    rows = list(records)
    header = _columns(rows, columns)
    cells = [[_clip(cell_text(row.get(c)), TABLE_CELL_WIDTH) for c in header] for row in rows]
    natural = [
        max([_display_width(h)] + [_display_width(r[i]) for r in cells])
        for i, h in enumerate(header)
    ]
    widths = _fit(natural, terminal_width())
    if widths != natural:
        header = [_clip(h, w) for h, w in zip(header, widths, strict=True)]
        cells = [[_clip(v, w) for v, w in zip(r, widths, strict=True)] for r in cells]

    def line(values: Sequence[str]) -> str:
        padded = (v + " " * (w - _display_width(v)) for v, w in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip() + "\n"

    fp.write(line(header))
    fp.write(line(["-" * w for w in widths]))
    for row in cells:
        fp.write(line(row))


Writer = Callable[[Iterable[dict[str, Any]], TextIO, "Sequence[str] | None"], None]

# Format name -> writer, and the formats that take a column selection. Filled on first use from
# the plugin hooks: the built-ins below and any installed plugin's (`litkit.plugins`).
WRITERS: dict[str, Writer] = {}
TABULAR: set[str] = set()


@hookimpl
def register_output_formats(register: Callable[..., None]) -> None:
    """The built-in text formats: an aligned table for the terminal, CSV, TSV, JSON, JSON
    Lines and Markdown."""
    register("table", _write_table)
    register("csv", _delimited(","), tabular=True)
    register("tsv", _delimited("\t"), tabular=True)
    register("json", _write_json)
    register("jsonl", _write_jsonl)
    register("md", _write_md, tabular=True)


def _ensure_formats() -> None:
    """Fill WRITERS from the hooks once: built-ins first (their order is the help's order),
    then plugins, a plugin's format replacing a built-in of the same name."""
    if WRITERS:
        return
    from .plugins import collect

    for (name, writer), options in collect("register_output_formats"):
        WRITERS[name] = writer
        if options.get("tabular"):
            TABULAR.add(name)
        else:
            TABULAR.discard(name)


def output_formats() -> tuple[str, ...]:
    """Names of every text output format, built-in or from a plugin."""
    _ensure_formats()
    return tuple(WRITERS)


def tabular_formats() -> frozenset[str]:
    """The text formats that take `export`'s default column selection."""
    _ensure_formats()
    return frozenset(TABULAR)


XLSX_MAX_CELL = 32_767  # characters Excel keeps in one cell
XLSX_SHEET_TITLE = "claims"


def xlsx_cell(value: Any) -> Any:
    """An XLSX cell: neutralised like CSV, minus the control characters XML cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = spreadsheet_cell(value)
    if isinstance(cell, str):
        cell = ILLEGAL_CHARACTERS_RE.sub("", cell)[:XLSX_MAX_CELL]
    return cell


def _xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row of write-only cells in which every text is a string cell: openpyxl makes a cell
    that starts with "=" a formula, so the type is set explicitly (defence in depth beside
    `neutralise_formula`)."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


# Column widths (characters) a reader of the sheet needs; anything else gets XLSX_WIDTH.
XLSX_WIDTHS = {
    "text": 80, "title": 40, "source": 30, "treatments": 28, "concept_ids": 24, "outcomes": 30,
    "links": 24, "link_counts": 24, "id": 22, "doc_id": 17, "types": 20, "doi": 24, "citation": 24,
    "interventions": 30, "quotes": 80,
}  # fmt: skip
XLSX_WIDTH = 12
XLSX_WRAPPED = frozenset({"text", "title", "treatments", "outcomes", "interventions", "quotes"})
# Columns a review team reads first: the quote right after the claim's id.
XLSX_FIRST = ("id", "text", "citation")
# Per-document columns of the "documents" sheet, taken from the claim records.
XLSX_DOCUMENT_COLUMNS = ("doc_id", "citation", "source", "title", "doi", "year", "design")


def _xlsx_value(value: Any) -> Any:
    """Lists of names read as "a; b" in a spreadsheet; records (links) stay compact JSON."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return value


@dataclass
class _XlsxSheet:
    """A write-only sheet and what its rows need: which cells wrap, how many rows it has."""

    sheet: Any
    width: int
    wrapped: tuple[int, ...]
    wrap_style: Any
    rows: int = 0

    def append(self, values: Sequence[Any]) -> None:
        cells = _xlsx_row(self.sheet, [_xlsx_value(v) for v in values])
        for index in self.wrapped:
            cells[index].alignment = self.wrap_style
        self.sheet.append(cells)
        self.rows += 1

    def finish(self) -> None:
        """The autofilter over the header and every row (known only at the end)."""
        from openpyxl.utils import get_column_letter

        if self.width:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows + 1}"


def _xlsx_sheet(workbook: Any, title: str, header: Sequence[str]) -> _XlsxSheet:
    """A write-only sheet laid out for people: bold frozen header, autofilter, column widths,
    wrapped text for the long columns, landscape pages one page wide."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS.get(name, XLSX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(name))
        cell.font = bold
        cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)
    wrapped = tuple(i for i, name in enumerate(header) if name in XLSX_WRAPPED)
    return _XlsxSheet(sheet, len(header), wrapped, Alignment(wrap_text=True, vertical="top"))


def _people_first(header: list[str]) -> list[str]:
    """Columns with those a reader needs first (`XLSX_FIRST`) moved to the front."""
    return [c for c in XLSX_FIRST if c in header] + [c for c in header if c not in XLSX_FIRST]


def write_xlsx(
    records: Iterable[dict[str, Any]],
    fp: BinaryIO,
    columns: Sequence[str] | None = None,
    title: str = XLSX_SHEET_TITLE,
    more_sheets: Callable[[], Iterable[tuple[str, Sequence[str], Iterable[dict[str, Any]]]]]
    | None = None,
) -> None:
    """Write records as an XLSX workbook for people (openpyxl, streamed in write-only mode).

    Sheet "claims" holds the records (the quote early and wide, wrapped); sheet "documents"
    one row per document they come from, when the records carry a `doc_id`. Every string
    cell goes through `spreadsheet_cell` and is typed as a string, so claim text from an
    untrusted page (`=HYPERLINK(...)`) is stored as text, never as a formula.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    iterator = iter(records)
    first = next(iterator, None)
    header = _people_first(list(columns) if columns else list(first or {}))
    sheet = _xlsx_sheet(workbook, title, header)
    documents: dict[str, list[Any]] = {}
    for record in [first, *iterator] if first is not None else []:
        sheet.append([record.get(c) for c in header])
        doc_id = record.get("doc_id")
        if doc_id is not None:
            row = documents.setdefault(doc_id, [record.get(c) for c in XLSX_DOCUMENT_COLUMNS] + [0])
            row[-1] += 1
    sheet.finish()
    if documents:
        doc_sheet = _xlsx_sheet(workbook, "documents", [*XLSX_DOCUMENT_COLUMNS, "records"])
        for doc_id in sorted(documents):
            doc_sheet.append(documents[doc_id])
        doc_sheet.finish()
    # Sheets built from what the records were (the studies behind the claims): asked for only
    # once every record went by, so the records are streamed, never held.
    for sheet_title, sheet_columns, rows in more_sheets() if more_sheets else ():
        extra_header = _people_first(list(sheet_columns))
        extra_sheet = _xlsx_sheet(workbook, sheet_title, extra_header)
        for extra_row in rows:
            extra_sheet.append([extra_row.get(c) for c in extra_header])
        extra_sheet.finish()
    workbook.save(fp)


def write_records(
    records: Iterable[dict[str, Any]],
    fmt: str,
    fp: TextIO,
    columns: Sequence[str] | None = None,
) -> None:
    """Write records to `fp` in `fmt`; `columns` picks and orders the fields of tabular formats."""
    _ensure_formats()
    WRITERS[fmt](records, fp, columns)


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[Any]:
    """A file written whole or not at all: the data goes to a temporary file beside `path`,
    renamed over it only when writing succeeded, so a failed export leaves the previous file
    (or nothing), never a truncated one. An unwritable place is one `LitkitError` line."""
    from .errors import LitkitError

    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or "."
        )
    except OSError as error:
        raise LitkitError(f"{path}: cannot write here ({error.strerror or error})") from error
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fp:
            yield fp
        os.replace(tmp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise LitkitError(f"{path}: cannot write ({error.strerror or error})") from error
        raise


@contextlib.contextmanager
def text_destination(path: str | Path | None) -> Iterator[TextIO]:
    """Where a command's text output goes: the file `path`, written whole or not at all
    (`atomic_output`), or standard output when no file is named."""
    if path is None:
        yield sys.stdout
        return
    with atomic_output(path) as fp:
        yield fp
