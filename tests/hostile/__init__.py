"""Generators of hostile inputs for the reliability tests (issue 6).

Nothing large is committed: every case is built at test time (in `tmp_path`) from a few bytes
of recipe, so the repository stays small and the 100 MB case costs disk only while it runs.
Each generator returns bytes; `write_corpus` lays a whole hostile folder out on disk.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

EN = "Methotrexate was effective in 12 of 20 patients. No relapse occurred after two years. "
FR = "Les AINS sont le traitement de première ligne. Une rémission a été obtenue chez 8 enfants. "
ZH = "非甾体抗炎药是一线治疗。十二名患者中有八名获得缓解。双膦酸盐治疗有效。"


def png() -> bytes:
    """A real 1x1 PNG: signature, IHDR, IDAT, IEND with correct CRCs."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_archive() -> bytes:
    """A ZIP holding a text file: text inside, but a container litkit must not guess into."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", EN * 10)
    return buffer.getvalue()


def elf() -> bytes:
    """The first bytes of a 64-bit ELF executable followed by machine-code-like noise."""
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + bytes(range(256)) * 8


def truncated_utf8() -> bytes:
    """UTF-8 text cut in the middle of a multi-byte character (a download cut short)."""
    data = (FR + ZH).encode("utf-8") * 3
    return data[:-1]


def mixed_encodings() -> bytes:
    """One file whose first half is UTF-8 and second half Windows-1252 (a bad concatenation)."""
    return (FR * 3).encode("utf-8") + b"\n\n" + (FR * 3).encode("cp1252")


def gbk() -> bytes:
    return (ZH * 6).encode("gbk")


def big5() -> bytes:
    text = "非類固醇抗發炎藥是第一線治療。十二名患者中有八名獲得緩解。雙磷酸鹽治療有效。"
    return (text * 6).encode("big5")


def utf16_without_bom() -> bytes:
    return (EN + FR + ZH).encode("utf-16-le")


def long_line_without_punctuation(size: int = 5 * 1024 * 1024) -> bytes:
    """One line of `size` bytes: words and no sentence end at all."""
    words = b"osteomyelitis chronic bone inflammation children methotrexate "
    return (words * (size // len(words) + 1))[:size]


def deep_html(depth: int = 10_000) -> bytes:
    """HTML nested `depth` levels deep, with a real sentence at the bottom."""
    return (
        b"<!DOCTYPE html><html><head><title>Deep</title></head><body>"
        + b"<div>" * depth
        + EN.encode("utf-8")
        + b"</div>" * depth
        + b"</body></html>"
    )


def invisible_characters() -> bytes:
    """Zero-width spaces/joiners, BOMs inside the text, bidi overrides and isolates."""
    noisy = (
        "Metho\u200btrexate\u200d was \u202eeffective\u202c in \u2066twelve\u2069 patients.\ufeff "
    )
    return (noisy * 5 + FR).encode("utf-8")


def emoji() -> bytes:
    return ("The patient 😀 improved 👍🏽 after naproxen 💊. Family: 👨‍👩‍👧. " * 4 + EN).encode()


def nul_bytes() -> bytes:
    """Text with NUL bytes sprinkled in (a C string bug upstream)."""
    return EN.encode("utf-8").replace(b" ", b" \x00") * 3


def whitespace_only() -> bytes:
    return (" \t\n\r\n   \n\u3000" * 50).encode("utf-8")


# name -> (bytes maker, expected: "ingested" | "failed" | "either")
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.txt": (lambda: b"", "failed"),
    "whitespace.txt": (whitespace_only, "failed"),
    "image.png": (png, "failed"),
    "image-named-as-text.txt": (png, "failed"),
    "archive.zip": (zip_archive, "failed"),
    "program.txt": (elf, "failed"),
    "truncated-utf8.txt": (truncated_utf8, "either"),
    "mixed-encodings.txt": (mixed_encodings, "either"),
    "gbk.txt": (gbk, "ingested"),
    "big5.txt": (big5, "ingested"),
    "utf16-no-bom.txt": (utf16_without_bom, "ingested"),
    "long-line.txt": (long_line_without_punctuation, "either"),
    "deep.html": (deep_html, "either"),
    "invisible.txt": (invisible_characters, "ingested"),
    "emoji.txt": (emoji, "ingested"),
    "nul.txt": (nul_bytes, "either"),
}
GOOD = {"good-en.txt": EN * 4, "good-fr.txt": FR * 4, "good-zh.txt": ZH * 4}


def write_corpus(folder: Path) -> dict[str, str]:
    """Write every hostile case plus three good documents; returns name -> expected status."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (make, status) in CASES.items():
        (folder / name).write_bytes(make())
        expected[name] = status
    for name, text in GOOD.items():
        (folder / name).write_text(text, "utf-8")
        expected[name] = "ingested"
    if hasattr(os, "mkfifo"):  # a named pipe nobody writes to: opening it would block forever
        os.mkfifo(folder / "pipe.txt")
        expected["pipe.txt"] = "failed"
    loop = folder / "loop"
    loop.mkdir()
    os.symlink("..", loop / "up")  # a directory symlink loop: loop/up/loop/up/...
    os.symlink("self", folder / "self")  # a symlink to itself
    return expected


def write_big_file(path: Path, size: int = 100 * 1024 * 1024) -> None:
    """A `size`-byte plain-text file of real sentences, written in 1 MB pieces (bounded memory)."""
    piece = ((EN + FR) * 20_000).encode("utf-8")[: 1024 * 1024]
    with open(path, "wb") as handle:
        written = 0
        while written < size:
            handle.write(piece[: size - written])
            written += len(piece)
