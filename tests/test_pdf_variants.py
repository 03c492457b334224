"""PDFs as they arrive: fonts without a Unicode map, damaged cross-reference pointers, and
library warnings summed up in one line per document."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.errors import SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import pdf

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
    b" /Resources << /Font << /F1 4 0 R >> >> /Contents %d 0 R >>"
)
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
SENTENCE = b"Colchicine lowered ischaemic events after myocardial infarction."
TEXT = b"BT /F1 12 Tf 72 700 Td (" + SENTENCE + b") Tj ET"


def build_pdf(fonts: list[bytes], content: bytes) -> bytes:
    """A one-page PDF with a correct cross-reference table, objects numbered from 1."""
    objects = [CATALOG, PAGES, PAGE % (4 + len(fonts)), *fonts]
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def composite_font(to_unicode: bool) -> list[bytes]:
    """A Type0 font with Identity-H encoding (glyph numbers), with or without /ToUnicode."""
    extra = b" /ToUnicode 6 0 R" if to_unicode else b""
    type0 = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /MSMincho /Encoding /Identity-H"
        b" /DescendantFonts [5 0 R]" + extra + b" >>"
    )
    cid = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MSMincho /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /DW 1000 >>"
    )
    if not to_unicode:
        return [type0, cid]
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /M def"
        b" 1 begincodespacerange <0000> <FFFF> endcodespacerange 4 beginbfchar"
        b" <0F3A> <6C34> <1B22> <6728> <0457> <6CBB> <2C11> <7597> endbfchar endcmap"
        b" CMapName currentdict /CMap defineresource pop end end"
    )
    return [type0, cid, b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]


GLYPHS = b"BT /F1 12 Tf 72 700 Td <0F3A1B2204572C110F3A1B2204572C11> Tj ET"


def _read(data: bytes, locator: str = "a.pdf") -> list[ParsedText | SourceError]:
    return pdf.read_pdf(RawSource(locator, data, pdf.MEDIA_TYPE))


def test_text_from_a_font_without_unicode_map_is_refused_with_that_reason() -> None:
    (error,) = _read(build_pdf(composite_font(to_unicode=False), GLYPHS))
    assert isinstance(error, SourceError) and error.reason == pdf.NO_UNICODE_MAP


def test_a_composite_font_with_a_unicode_map_is_read() -> None:
    (doc,) = _read(build_pdf(composite_font(to_unicode=True), GLYPHS))
    assert isinstance(doc, ParsedText) and doc.text == "水木治疗水木治疗"


def test_a_simple_font_is_not_taken_for_glyph_numbers() -> None:
    (doc,) = _read(build_pdf([HELVETICA], TEXT))
    assert isinstance(doc, ParsedText) and doc.text == SENTENCE.decode()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: re.sub(rb"startxref\n\d+", b"startxref\n999999", data),
        lambda data: re.sub(rb"startxref\n\d+", b"startxref\n0", data),
        lambda data: re.sub(rb"startxref\n\d+\n", b"", data),
        lambda data: re.sub(rb"startxref\n\d+", b"startxref\nabc", data),
        lambda data: data[: data.rindex(b"%%EOF")],
    ],
    ids=["pointer-past-the-end", "pointer-zero", "pointer-missing", "pointer-garbled", "cut-eof"],
)
def test_damaged_startxref_is_recovered(damage) -> None:
    (doc,) = _read(damage(build_pdf([HELVETICA], TEXT)))
    assert isinstance(doc, ParsedText) and doc.text == SENTENCE.decode()


def test_unrecoverable_pdf_is_still_one_clear_error() -> None:
    (error,) = _read(b"%PDF-1.4\nnothing here at all\n")
    assert isinstance(error, SourceError) and error.reason.startswith("not a readable PDF")


def test_library_warnings_become_one_summary_line(caplog: pytest.LogCaptureFixture) -> None:
    damaged = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 5),
                     build_pdf([HELVETICA], TEXT))  # fmt: skip
    with caplog.at_level(logging.WARNING):
        (doc,) = _read(damaged, "shifted.pdf")
    assert isinstance(doc, ParsedText)
    pypdf_records = [r for r in caplog.records if r.name.startswith("pypdf")]
    ours = [r for r in caplog.records if r.name == "litkit.sources.pdf"]
    assert pypdf_records == [] and len(ours) == 1
    assert re.fullmatch(r"shifted\.pdf: \d+ PDF warnings while reading \(first: .+\)",
                        ours[0].getMessage())  # fmt: skip


def test_a_clean_pdf_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        _read(build_pdf([HELVETICA], TEXT))
    assert caplog.records == []


def test_ingest_prints_the_summary_once_per_document(tmp_path: Path) -> None:
    damaged = re.sub(rb"startxref\n\d+", b"startxref\n999999", build_pdf([HELVETICA], TEXT))
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damaged)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "ingest", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(lines) == 1 and str(path) in lines[0]
    assert "ingested  " in result.stderr
