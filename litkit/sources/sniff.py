"""Guess what a byte string is from its content, because extensions and headers lie.

Readers only see bytes that are text (or a format a reader is registered for); anything
else is refused with a reason a person understands ("looks like PNG image") instead of
being decoded into garbage that would then pollute the evidence base.
"""

from __future__ import annotations

import re

# (magic prefix, media type, what to tell the user). Checked in order; the first match wins.
MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG image"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG image"),
    (b"GIF87a", "image/gif", "GIF image"),
    (b"GIF89a", "image/gif", "GIF image"),
    (b"II*\x00", "image/tiff", "TIFF image"),
    (b"MM\x00*", "image/tiff", "TIFF image"),
    (b"BM", "image/bmp", "BMP image"),
    (b"PK\x03\x04", "application/zip", "ZIP archive or Office document"),
    (b"PK\x05\x06", "application/zip", "ZIP archive"),
    (b"\x1f\x8b", "application/gzip", "gzip archive"),
    (b"BZh", "application/x-bzip2", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "application/x-xz", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed", "7-Zip archive"),
    (b"Rar!\x1a\x07", "application/vnd.rar", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "application/zstd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage", "old Office document"),
    (b"\x7fELF", "application/x-executable", "ELF executable"),
    (b"MZ", "application/x-msdownload", "Windows executable"),
    (b"\xcf\xfa\xed\xfe", "application/x-mach-binary", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "application/java-vm", "Java class or Mach-O executable"),
    (b"SQLite format 3\x00", "application/vnd.sqlite3", "SQLite database"),
    (b"\x00asm", "application/wasm", "WebAssembly module"),
    (b"OggS", "audio/ogg", "Ogg media"),
    (b"ID3", "audio/mpeg", "MP3 audio"),
    (b"fLaC", "audio/flac", "FLAC audio"),
)
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
SNIFF_BYTES = 8192
# C0 controls other than tab, newlines, form feed and escape: rare in text, common in binary.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_XML_START = re.compile(rb"\s*<\?xml\b|\s*<!DOCTYPE\s+\w+\s+PUBLIC", re.IGNORECASE)
_HTML_TAGS = re.compile(rb"<(?:p|div|br|a\s|span|h[1-6]|table|ul|li|script|style)\b", re.I)


GENERIC_TYPES = frozenset({"text/plain", "application/octet-stream", "binary/octet-stream"})
"""Media types that say nothing about the format: stdin, `.txt`, a server's default."""
XML_ROOTS = frozenset(
    {"article", "pmc-articleset", "PubmedArticleSet", "PubmedArticle"}
)  # the roots litkit's XML readers read (JATS, PubMed)


def structured_type(data: bytes) -> str | None:
    """The reader's media type of a structured text format that `data` starts with, if any.

    For content whose declared type is generic (stdin, `.txt`, application/octet-stream): a
    JATS or PubMed XML root element (after the declaration, comments and DOCTYPE), or a
    reference export (`TY  -`, `PMID-`, `@article{`, a CSV header naming a title column).
    """
    from litkit.sources.refs import export_kind  # refs imports readers; sniff stays light
    from litkit.sources.safexml import root_name

    head = data[:SNIFF_BYTES]
    if _is_binary(head) and not head.startswith(TEXT_BOMS) and not _looks_like_utf16(head):
        return None
    text_head = _ascii_view(head) if b"\x00" in head else head
    starts_with_markup = text_head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if starts_with_markup and root_name(text_head) in XML_ROOTS:
        return "application/xml"
    return export_kind(text_head.decode("utf-8", errors="replace"))


class Sniffed:
    """The verdict on a byte string: a media type, and for binary data a human description."""

    __slots__ = ("description", "is_binary", "media_type")

    def __init__(self, media_type: str, description: str, is_binary: bool) -> None:
        self.media_type = media_type
        self.description = description
        self.is_binary = is_binary

    def __repr__(self) -> str:
        return f"Sniffed({self.media_type!r}, {self.description!r}, binary={self.is_binary})"


def sniff(data: bytes) -> Sniffed:
    """What `data` looks like: a known binary format, HTML, XML, or plain text."""
    head = data[:SNIFF_BYTES]
    for magic, media_type, description in MAGIC:
        if head.startswith(magic):
            return Sniffed(media_type, description, is_binary=True)
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return Sniffed("image/webp", "WebP image", is_binary=True)
    if head[4:8] == b"ftyp":
        return Sniffed("video/mp4", "MP4/QuickTime media", is_binary=True)
    if not head.startswith(TEXT_BOMS) and not _looks_like_utf16(head) and _is_binary(head):
        return Sniffed("application/octet-stream", "binary data", is_binary=True)
    ascii_head = _ascii_view(head)
    if _HTML_START.match(ascii_head):
        return Sniffed("text/html", "HTML", is_binary=False)
    if _XML_START.match(ascii_head):
        return Sniffed("application/xml", "XML", is_binary=False)
    if ascii_head.lstrip().startswith(b"<") and len(_HTML_TAGS.findall(ascii_head)) >= 3:
        return Sniffed("text/html", "HTML", is_binary=False)
    return Sniffed("text/plain", "text", is_binary=False)


def _is_binary(head: bytes) -> bool:
    """NUL bytes, or more than 5% control bytes, mean this is not text in any encoding."""
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > 0.05 * max(len(head), 1)


def _looks_like_utf16(head: bytes) -> bool:
    """BOM-less UTF-16: NULs mostly on one byte parity, and the bytes decode as clean text."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) == 0 or min(even, odd) * 4 > max(even, odd):
        return False
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = head[: len(head) // 2 * 2 - 2].decode(encoding)
    except UnicodeDecodeError:
        return False
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return controls <= 0.01 * max(len(text), 1)


def _ascii_view(head: bytes) -> bytes:
    """UTF-16 text with its NULs removed, so the markup checks also see UTF-16 HTML."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].replace(b"\x00", b"")
    if _looks_like_utf16(head):
        return head.replace(b"\x00", b"")
    return head.removeprefix(b"\xef\xbb\xbf")
