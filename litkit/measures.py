"""Procedure names framed as a measure or a patient state rather than as an intervention.

Why: a supportive procedure is often named as what was measured ("duration of mechanical
ventilation", "机械通气时间") or as who was enrolled ("children requiring mechanical
ventilation", "patients sous ventilation mécanique"). The gold guide lists the interventions
a sentence reports on, so such a mention is a measure, not a treatment. The cue words are
data (`resources/lexicon/rules/measure_frames.tsv`), per language, and only the text right
next to the name counts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from litkit.scripts import is_han

_RULES = ("resources", "lexicon", "rules", "measure_frames.tsv")
_SPACES = " \t-"
_WINDOW = 40  # characters of context read on each side; longer than any cue


@dataclass(frozen=True)
class MeasureFrames:
    """Cue words (already folded) that end right before or begin right after a name."""

    before: tuple[str, ...]
    after: tuple[str, ...]

    def frames(self, folded: str, start: int, end: int) -> bool:
        """Whether the name at folded[start:end] is framed as a measure or a patient state."""
        head = folded[max(0, start - _WINDOW) : start].rstrip(_SPACES)
        for cue in self.before:
            if head.endswith(cue):
                left = len(head) - len(cue) - 1
                if left < 0 or is_han(cue[0]) or not head[left].isalnum():
                    return True
        tail = folded[end : end + _WINDOW].lstrip(" \t")
        for cue in self.after:
            if tail.startswith(cue):
                right = len(cue)
                if right >= len(tail) or is_han(cue[-1]) or not tail[right].isalnum():
                    return True
        return False


@functools.cache
def measure_frames(fold: Callable[[str], str]) -> MeasureFrames:
    """The shipped cue words, folded by `fold` like the text they are compared with."""
    path = resources.files("litkit")
    for part in _RULES:  # one joinpath per part: Python 3.10's Traversable takes one
        path = path / part
    text = path.read_text(encoding="utf-8")
    before: list[str] = []
    after: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        side, cue = line.split("\t")
        (before if side == "before" else after).append(fold(cue.strip()))
    # Longest cues first so that "requiring invasive" is tried before "requiring".
    return MeasureFrames(
        tuple(sorted(set(before), key=len, reverse=True)),
        tuple(sorted(set(after), key=len, reverse=True)),
    )
