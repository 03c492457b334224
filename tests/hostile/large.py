"""Generators of real-sized hostile documents for the memory ceiling (issue 18).

Each writes its file in pieces, so the generator itself stays small in memory whatever the
size; the test and `benchmarks/hostile_memory.py` build them at run time, nothing is committed.
"""

from __future__ import annotations

from pathlib import Path

from . import EN, FR, ZH


def write_trilingual(path: Path, size: int = 2 * 1024 * 1024) -> None:
    """A `size`-byte plain-text document alternating English, French and Chinese paragraphs
    (a translated article laid out paragraph by paragraph)."""
    block = f"{EN * 3}\n\n{FR * 3}\n\n{ZH * 3}\n\n".encode()
    _repeat(path, block, size)


def write_html_paragraphs(path: Path, paragraphs: int = 500_000) -> None:
    """An HTML page of `paragraphs` short `<p>` paragraphs (a generated index or log page)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("<!DOCTYPE html><html><head><title>Many</title></head><body><article>")
        texts = (EN.split(". ")[0] + ".", FR.split(". ")[0] + ".", ZH.split("。")[0] + "。")
        for number in range(paragraphs):
            handle.write(f"<p>{texts[number % 3]}</p>\n")
        handle.write("</article></body></html>")


def write_ris(path: Path, records: int = 100_000) -> None:
    """A RIS export of `records` records, each with a title and a short abstract."""
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(records):
            handle.write(
                f"TY  - JOUR\nID  - rec{number}\nTI  - Treatment study {number}\n"
                f"AU  - Author, A.\nPY  - {2000 + number % 25}\nAB  - {EN}\nER  - \n\n"
            )


def _repeat(path: Path, block: bytes, size: int) -> None:
    with open(path, "wb") as handle:
        written = 0
        while written < size:
            handle.write(block[: size - written])
            written += len(block)
