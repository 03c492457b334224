"""Untrusted strings made safe to store and to print on one line.

File names come from the operating system, which hands Python the bytes of a name that is not
UTF-8 as lone surrogates (PEP 383): SQLite cannot store them and a terminal cannot show them.
A newline in a file name would break the one-line-per-document output. Both are written as
backslash escapes, so the name stays recognisable and unambiguous.
"""

from __future__ import annotations

_SURROGATE_BYTES = range(0xDC80, 0xDD00)


def escape_surrogates(text: str) -> str:
    """`text` with each raw byte of a non-UTF-8 name (a lone surrogate) written as `\\xNN`."""
    if text.isascii() or not any(ord(ch) in _SURROGATE_BYTES for ch in text):
        return text
    return "".join(
        f"\\x{ord(ch) - 0xDC00:02x}" if ord(ch) in _SURROGATE_BYTES else ch for ch in text
    )


def printable(text: str) -> str:
    """`text` safe on one terminal line: control characters and raw bytes as escapes."""
    text = escape_surrogates(text)
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
