"""PDF articles -> text blocks in reading order, without page furniture.

pypdf was chosen over pdfminer.six by `benchmarks/pdf_compare.py`: equal or better text on
generated French and Chinese articles once cleaned, at several times the speed, and no
`cryptography` dependency. pypdf's plain text has no paragraph breaks, so each line's
position and font size are taken from its text visitor: a vertical gap larger than the
usual line spacing, or a change of font size, starts a new block (a paragraph, a heading).

Then the page furniture goes: lines repeated at the top or bottom of most pages (running
headers and footers, with digits ignored so "Page 3 of 9" matches "Page 4 of 9") and bare
page numbers. Words hyphenated across lines are rejoined unless the hyphenated form occurs
elsewhere in the document ("anti-inflammatoires" stays, "osseu-/ses" becomes "osseuses").
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import math
import re
import statistics
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from litkit.errors import SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.scripts import CJK_TEXT_CLASS
from litkit.sources.biblio import clean_doi

MEDIA_TYPE = "application/pdf"
EDGE_LINES = 3  # how many lines at each end of a page may be a header or footer
UNMAPPED_SHARE = 0.5
"""Refuse a PDF when more than this share of its text comes from fonts without a Unicode
map: what pypdf returns for them are glyph numbers shown as characters, not the text."""
NO_UNICODE_MAP = (
    "text does not decode to characters (a font without a Unicode map);"
    " run OCR or find another copy"
)
REPAIR_TAIL = b"\nstartxref\n0\n%%EOF\n"
"""Appended to a PDF whose cross-reference pointer is missing, garbled or cut off: a pointer
to offset 0 is wrong, and pypdf's non-strict mode then rebuilds the table by scanning."""
logger = logging.getLogger(__name__)
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pag\.|seite)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"(?:\s*(?:/|of|sur|de|von)\s*\d{1,4})?$|^第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?$",
    re.IGNORECASE,
)
_CJK = re.compile(f"[{CJK_TEXT_CLASS}]")  # a line break inside East Asian text is no space
_HYPHENATED_END = re.compile(r"(\w+)-$")
# `_HYPHENATED_END` is searched in the last this-many characters of the growing paragraph
# only: searched from its start, every line rescanned the whole paragraph (a 1 MB paragraph
# took minutes). A hyphenated word is never this long.
_HYPHEN_TAIL = 256
_WORD_START = re.compile(r"^(\w+)")


@dataclass(frozen=True)
class Line:
    """One text line of a page with where it sits and how big it is."""

    text: str
    y: float | None = None
    size: float | None = None
    font: str | None = None


@dataclass
class Tally:
    """What reading a PDF met: characters, those from fonts without a Unicode map, and the
    library's warnings (reported as one summary line per document, not hundreds)."""

    chars: int = 0
    unmapped: int = 0
    warnings: list[str] = field(default_factory=list)


def read_pdf(raw: RawSource) -> list[ParsedText | SourceError]:
    """A PDF -> one ParsedText; an unreadable, encrypted, image-only PDF, or one whose text
    does not decode to characters -> SourceError."""
    from pypdf.errors import PyPdfError

    tally = Tally()
    try:
        with _captured_warnings(tally):
            reader = _open(raw.data)
            if reader.is_encrypted and not reader.decrypt(""):
                return [SourceError(raw.locator, "encrypted PDF (a password is needed)")]
            pages = [_page_lines(page, tally) for page in reader.pages]
            info = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        return [SourceError(raw.locator, f"not a readable PDF ({type(error).__name__}: {error})")]
    finally:
        _report_warnings(raw.locator, tally)
    if tally.chars and tally.unmapped > UNMAPPED_SHARE * tally.chars:
        return [SourceError(raw.locator, NO_UNICODE_MAP)]
    text = clean_page_lines(pages)
    if not text.strip():
        return [SourceError(raw.locator, "no extractable text (a scanned PDF? run OCR first)")]
    title = _info(info, "title")
    author = _info(info, "author")
    first_page = " ".join(line.text for line in pages[0]) if pages else ""
    meta = DocumentMeta(
        title=title,
        doi=clean_doi(first_page),
        authors=tuple(a.strip() for a in re.split(r";|,| and ", author or "") if a.strip()),
        url=raw.final_url or (raw.locator if raw.locator.startswith("http") else None),
        final_url=raw.final_url,
    )
    return [ParsedText(text=text, meta=meta, media_type=MEDIA_TYPE, encoding=None)]


def _open(data: bytes):  # -> pypdf.PdfReader
    """A reader over `data`; a missing, garbled or cut-off `startxref` is repaired once."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        len(reader.pages)  # the page tree is where a broken table shows
        return reader
    except (PyPdfError, ValueError, KeyError) as error:
        try:
            reader = PdfReader(io.BytesIO(data + REPAIR_TAIL))
            len(reader.pages)
        except (PyPdfError, ValueError, KeyError):
            raise error from None
        return reader


@contextlib.contextmanager
def _captured_warnings(tally: Tally) -> Iterator[None]:
    """pypdf's log records and Python warnings go to `tally` instead of stderr."""

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            tally.warnings.append(" ".join(record.getMessage().split()))

    pypdf_logger = logging.getLogger("pypdf")
    handler, propagate = Collect(logging.WARNING), pypdf_logger.propagate
    pypdf_logger.addHandler(handler)
    pypdf_logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        tally.warnings.extend(" ".join(str(w.message).split()) for w in caught)
    finally:
        pypdf_logger.removeHandler(handler)
        pypdf_logger.propagate = propagate


def _report_warnings(locator: str, tally: Tally) -> None:
    """One line for all the warnings of one document: how many, and the first one."""
    if tally.warnings:
        first = tally.warnings[0]
        first = first if len(first) <= 120 else first[:117] + "..."
        count = len(tally.warnings)
        noun = "warning" if count == 1 else "warnings"
        logger.warning("%s: %d PDF %s while reading (first: %s)", locator, count, noun, first)


def _unmapped_font(font: Any) -> bool:
    """A composite font with an Identity encoding and no /ToUnicode: its codes are glyph
    numbers that no table turns into characters."""
    if font is None or not hasattr(font, "get"):
        return False
    encoding = str(font.get("/Encoding", ""))
    return (
        str(font.get("/Subtype", "")) == "/Type0"
        and "/ToUnicode" not in font
        and encoding in ("/Identity-H", "/Identity-V")
    )


def _info(info: object, key: str) -> str | None:
    value = getattr(info, key, None) if info is not None else None
    value = str(value).strip() if value else ""
    return value or None


def _page_lines(page, tally: Tally | None = None) -> list[Line]:
    """The page's lines in content order, each with the y and font size of its first glyphs;
    `tally` counts characters and those from fonts without a Unicode map."""
    tally = tally if tally is not None else Tally()
    lines: list[Line] = []
    pending: list[str] = []
    where: list[tuple[float, float, str | None] | None] = [None]

    def visit(text, cm, tm, font, font_size) -> None:
        if not text:
            return
        visible = len(text) - text.count(" ") - text.count("\n")
        tally.chars += visible
        if _unmapped_font(font):
            tally.unmapped += visible
        for index, piece in enumerate(text.split("\n")):
            if index > 0:
                lines.append(Line("".join(pending), *(where[0] or (None, None, None))))
                pending.clear()
                where[0] = None
            if piece.strip() and where[0] is None:
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                name = str(font.get("/BaseFont")) if font is not None else None
                where[0] = (y, (font_size or 1.0) * (scale or 1.0), name)
            pending.append(piece)

    page.extract_text(visitor_text=visit)
    if pending:
        lines.append(Line("".join(pending), *(where[0] or (None, None, None))))
    return [
        Line(" ".join(line.text.split()), line.y, line.size, line.font)
        for line in lines
        if line.text.strip()
    ]


def clean_page_lines(pages: list[list[Line]]) -> str:
    """Furniture removed, lines grouped into blocks, hyphenation undone; blocks one per line."""
    pages = remove_furniture(pages)
    all_text = "\n".join(line.text for page in pages for line in page)
    hyphenated = set(re.findall(r"\w+-\w+", all_text))
    spacing = line_spacing(pages)
    blocks: list[str] = []
    for page in pages:
        for group in _paragraphs(page, spacing):
            block = join_lines([line.text for line in group], hyphenated)
            if blocks and _continues(blocks[-1], block, group):
                blocks[-1] = join_lines([blocks[-1], block], hyphenated)
            else:
                blocks.append(block)
    return "\n".join(blocks)


def clean_pages(pages: list[list[str]]) -> str:
    """Same clean-up for pages given as plain text lines (no positions): one block per line
    unless a line is visibly cut (ends with a hyphen or without final punctuation)."""
    return clean_page_lines([[Line(text) for text in page] for page in pages])


def remove_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop running headers/footers (repeated at page edges) and bare page numbers."""
    if not pages:
        return pages
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_shape(line.text) for line in _edges(page)})
    threshold = max(2, math.ceil(0.5 * len(pages)))
    repeated = {shape for shape, count in counts.items() if count >= threshold}
    cleaned = []
    for page in pages:
        edge_ids = {id(line) for line in _edges(page)}
        cleaned.append(
            [
                line
                for line in page
                if id(line) not in edge_ids
                or not (_shape(line.text) in repeated or _PAGE_NUMBER.match(line.text.strip()))
            ]
        )
    return cleaned


def _edges(page: list[Line]) -> list[Line]:
    return page[:EDGE_LINES] + page[max(EDGE_LINES, len(page) - EDGE_LINES) :]


def _shape(text: str) -> str:
    """A line with digits and spacing ignored, so numbered headers and footers compare equal."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def line_spacing(pages: list[list[Line]]) -> float | None:
    """The document's usual line spacing as a multiple of the font size (median).

    Taken over the whole document, not one page, so a page with a title and two short
    paragraphs does not mistake a heading gap for ordinary spacing.
    """
    ratios = [
        (prev.y - line.y) / line.size
        for page in pages
        for prev, line in itertools.pairwise(page)
        if prev.y is not None
        and line.y is not None
        and line.size
        and prev.size == line.size
        and prev.y > line.y
    ]
    return statistics.median(ratios) if ratios else None


def _paragraphs(page: list[Line], spacing: float | None) -> list[list[Line]]:
    """Split a page's lines where the vertical gap, the font size or the font says a new
    block starts."""
    longest = max((len(line.text) for line in page), default=0)
    groups: list[list[Line]] = []
    for index, line in enumerate(page):
        previous = page[index - 1] if index else None
        new_block = previous is None
        if previous is not None:
            if line.y is None or previous.y is None or spacing is None or not line.size:
                new_block = _looks_finished(previous.text)
            else:
                gap = (previous.y - line.y) / line.size
                new_block = (
                    gap <= 0  # moved up: a new column or a float
                    or gap > 1.3 * spacing
                    or _size_changed(previous.size, line.size)
                    or (previous.font != line.font and len(previous.text) < 0.7 * longest)
                )
        if new_block:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _size_changed(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return False
    return abs(before - after) > 0.15 * max(before, after)


def _looks_finished(text: str) -> bool:
    """Without positions: a line ending a sentence (or a short heading) ends a block."""
    stripped = text.rstrip()
    return (
        bool(stripped)
        and (stripped[-1] in ".!?:。！？：" or len(stripped) < 40)
        and not (stripped.endswith("-"))
    )


def _continues(previous_block: str, block: str, group: list[Line]) -> bool:
    """A paragraph cut by a page break: previous block ends mid-word or mid-sentence."""
    if group[0].y is None:
        return False
    return previous_block.endswith("-") and bool(block[:1].islower())


def join_lines(lines: list[str], hyphenated_forms: set[str]) -> str:
    """Join a block's lines: no space between CJK lines, hyphenation undone where it is only
    line-breaking (the hyphenated form does not appear elsewhere in the document)."""
    text = ""
    for raw_line in lines:
        line = raw_line.strip()
        if not line:
            continue
        if not text:
            text = line
            continue
        end = _HYPHENATED_END.search(text, max(0, len(text) - _HYPHEN_TAIL))
        start = _WORD_START.match(line)
        if end and start and line[:1].islower():
            left, right = end.group(1), start.group(1)
            keep_hyphen = f"{left}-{right}" in hyphenated_forms  # a real compound
            text = text + line if keep_hyphen else text[:-1] + line
        elif (end and start) or _CJK.match(text[-1]) or _CJK.match(line[0]):
            text += line  # "anti-" + "TNF" keeps its hyphen; CJK lines join without a space
        else:
            text += " " + line
    return text
