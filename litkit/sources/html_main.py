"""Which blocks of a web page are its main text: trafilatura decides, litkit renders.

litkit's HTML walker keeps the page's structure (headings as their own blocks, captions,
reference lists, offsets) but judges furniture by tags and class words only, so comment
threads, newsletter boxes, related-article lists and bylines stayed in. trafilatura is a
maintained main-text extractor measured on real pages (benchmarks/html_main_text.py); its
text says which of the walker's blocks are the article. A block is kept when its text is
part of trafilatura's main text and it lies in the stretch of the page that main text
covers (from the first to the last long block it holds, widened over the short blocks it
holds that touch either end). Captions in that stretch are kept too (trafilatura drops
figure captions), so are headings whose next block is kept, and so is the page's title.
When trafilatura finds nothing (or is not installed) the walker's
blocks are kept as they are: a short page is still read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

ANCHOR_CHARS = 12
"""A block this long (without spaces) found in the main text anchors the main stretch;
shorter ones ("Methods", "un") are found anywhere and only count inside the stretch."""

CHUNK_CHARS = 12
MOSTLY = 2 / 3
"""A block in the main stretch whose text is not found whole is kept when this share of its
CHUNK_CHARS-long pieces are (see _mostly_in)."""

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Block:
    """One line of the reader's text and its role (litkit.vocab.ROLES)."""

    text: str
    role: str = "body"


SECTION_BREAK = Block("")
"""The empty line that separates sections."""


def main_text(html: str) -> str | None:
    """trafilatura's main text of a page (tables kept, comments not), or None if none found."""
    try:
        import trafilatura
    except ImportError:  # an install without it reads pages with the walker alone
        return None
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        return trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # trafilatura's parser on hostile markup: fall back to the walker
        return None


def select_main_blocks(blocks: list[Block], main: str | None) -> list[Block]:
    """The walker's blocks that make up the main text, in page order, with section breaks."""
    key = _key(main or "")
    if not key:
        return blocks
    keys = [_key(b.text) for b in blocks]
    found = [bool(k) and k in key for k in keys]
    anchors = [i for i, k in enumerate(keys) if found[i] and len(k) >= ANCHOR_CHARS]
    if not anchors:
        anchors = [i for i, hit in enumerate(found) if hit]
    if not anchors:
        return blocks
    first, last = anchors[0], anchors[-1]

    def belongs(index: int) -> bool:
        return (
            found[index]
            or not blocks[index].text
            or blocks[index].role == "caption"
            or _introduces_kept(blocks, found, index)
        )

    while first > 0 and belongs(first - 1):  # short blocks next to the stretch: its edges
        first -= 1
    while last + 1 < len(blocks) and belongs(last + 1):
        last += 1
    for index in range(first, last + 1):  # a paragraph the two render a little differently
        if not found[index] and _mostly_in(keys[index], key):
            found[index] = True
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if not block.text:
            if kept and kept[-1].text:
                kept.append(block)
        elif block.role == "title" or (
            first <= index <= last
            and (found[index] or block.role == "caption" or _introduces_kept(blocks, found, index))
        ):
            kept.append(block)
    while kept and not kept[-1].text:
        kept.pop()
    return kept


def _introduces_kept(blocks: list[Block], found: list[bool], index: int) -> bool:
    """A heading whose next block is main text heads a section of it (extractors sometimes
    drop headings they cannot tell from furniture); a newsletter box's heading is followed
    by the box, which is not main text, so it goes."""
    if blocks[index].role != "heading":
        return False
    for following in range(index + 1, len(blocks)):
        if blocks[following].text:
            return found[following] and blocks[following].role != "heading"
    return False


def _mostly_in(block_key: str, main_key: str) -> bool:
    """Most consecutive CHUNK_CHARS-long pieces of a long block are in the main text: the
    walker dropped an inline widget (a share link, a hidden span) that trafilatura kept, or
    the other way round, and the paragraph is still the same paragraph."""
    if len(block_key) < 2 * CHUNK_CHARS:
        return False
    chunks = [
        block_key[i : i + CHUNK_CHARS]
        for i in range(0, len(block_key) - CHUNK_CHARS + 1, CHUNK_CHARS)
    ]
    return sum(chunk in main_key for chunk in chunks) >= MOSTLY * len(chunks)


def _key(text: str) -> str:
    """Letters and digits only: the walker and trafilatura space inline elements, and keep
    soft hyphens, zero-width spaces and punctuation, differently."""
    return _NOT_ALNUM.sub("", text)


__all__ = ["SECTION_BREAK", "Block", "main_text", "select_main_blocks"]
