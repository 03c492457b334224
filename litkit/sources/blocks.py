"""Join a reader's blocks into its text while recording each block's role.

Readers of structured formats (JATS, PubMed) know which block is a title, a section label, a
caption, a keyword line or a reference; they build their text from (text, role) blocks, and
this keeps the `[start, end)` span of each block so that the pipeline can give the sentences
inside it that role (`ParsedText.roles`).
"""

from __future__ import annotations

from collections.abc import Sequence

Block = tuple[str, str]  # (text, role in litkit.vocab.ROLES)


def join_sections(
    sections: Sequence[Sequence[Block]],
) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """Blocks joined by a newline, sections by a blank line (the readers' layout), with the
    span of every non-empty block."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at = 0
    for section in sections:
        blocks = [(text, role) for text, role in section if text]
        if not blocks:
            continue
        if parts:
            parts.append("\n\n")
            at += 2
        for number, (text, role) in enumerate(blocks):
            if number:
                parts.append("\n")
                at += 1
            parts.append(text)
            spans.append((at, at + len(text), role))
            at += len(text)
    return "".join(parts), tuple(spans)
