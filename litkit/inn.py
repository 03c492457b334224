"""Unlisted drugs and procedures recognised by the form of their names.

No lexicon lists every drug: new ones are named every year. But drug names are built by rule.
An International Nonproprietary Name ends with a stem that says what the drug is (-mab a
monoclonal antibody, -nib a kinase inhibitor, -floxacin a quinolone; WHO "The use of stems in
the selection of INN"), French DCI write the same stems with their French endings
(-cilline, -statine), and Chinese INN transliterate the names with a small set of phonetic
characters and translate the stem (…单抗, …替尼, …沙星, 头孢…). Surgical procedure names end
in -ectomy, -otomy, -ostomy, -plasty (French -ectomie, -otomie, -ostomie, -plastie).

The rules are data (`litkit/resources/lexicon/rules/`): the stems with their English endings and
a minimum word length, ordinary words that happen to end like a stem (peptide, concept,
cholesterol, servir), the Chinese endings and the transliteration characters. A word found this
way becomes a `treatment` mention with a generated id (`litkit:inn:<name>` for a drug,
`litkit:procedure:<name>` for a procedure) and its English-ending surface as label, so that
`rosuvastatine` and `rosuvastatin` meet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from litkit.models import Mention
from litkit.scripts import has_han

_RULES = ("resources", "lexicon", "rules")


@dataclass(frozen=True)
class Stem:
    """One name ending: its English form, what it names, and the shortest word it ends."""

    ending: str
    english: str
    kind: str  # "drug" or "procedure"
    min_length: int


def _data_lines(name: str) -> list[str]:
    path = resources.files("litkit")
    for part in (*_RULES, name):  # one joinpath per part: Python 3.10's Traversable takes one
        path = path / part
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


class NameForms:
    """Finds unlisted drug and procedure names in a sentence by their endings."""

    def __init__(
        self,
        stems: Iterable[Stem],
        exclusions: Iterable[str],
        zh_endings: Iterable[str],
        zh_name_chars: str,
    ) -> None:
        # Longest ending first, so "-floxacine" is read before "-oxacine" and "-ine" forms.
        self._stems = sorted(stems, key=lambda s: -len(s.ending))
        self._exclusions = frozenset(exclusions)
        # Most words end in none of the stems: the matcher's tokens are sifted by their last
        # three letters (a set lookup) before the full check. A regex alternating every ending
        # backtracked through each word for each ending and doubled the cost of finding mentions.
        self._tails = frozenset(s.ending[-3:] for s in self._stems)
        self._by_ending = {s.ending: s for s in self._stems}
        self._lengths = sorted({len(s.ending) for s in self._stems}, reverse=True)
        self._name_chars = frozenset(zh_name_chars)
        endings = sorted((e for e in zh_endings if not e.startswith("^")), key=len, reverse=True)
        prefixes = sorted((e[1:] for e in zh_endings if e.startswith("^")), key=len, reverse=True)
        self._zh_endings = frozenset(endings)
        self._zh_prefixes = frozenset(prefixes)
        marks = "|".join(re.escape(e) for e in [*endings, *prefixes])
        self._zh = re.compile(marks) if marks else None

    @classmethod
    def default(cls) -> NameForms:
        """The shipped rules."""
        return _default_forms()

    def find(
        self,
        folded: str,
        text: str,
        offset: int,
        tokens: list[tuple[str, int, int]],
        taken: list[tuple[int, int]],
    ) -> list[Mention]:
        """Mentions of unlisted names in `text` (whose folded form is `folded`).

        `tokens` are the matcher's (key, start, end) tokens of the folded text (a Latin word's
        key has its plural dropped); `taken` holds the [start, end) spans (relative to `text`)
        already covered by lexicon mentions: a name overlapping one is left to the lexicon.
        """
        found: list[Mention] = []
        tails = self._tails
        for _key, start, end in [t for t in tokens if t[0][-3:] in tails]:
            if (start and folded[start - 1] == "-") or _overlaps(start, end, taken):
                continue
            named = self.name_of(folded[start:end])
            if named is not None:
                label, kind = named
                namespace = "inn" if kind == "drug" else "procedure"
                found.append(
                    Mention(
                        f"litkit:{namespace}:{label}",
                        label,
                        "treatment",
                        text[start:end],
                        start + offset,
                        end + offset,
                    )
                )
        if self._zh is not None and has_han(folded):
            for start, end in self._zh_names(folded):
                if _overlaps(start, end, taken):
                    continue
                surface = text[start:end]
                found.append(
                    Mention(
                        f"litkit:inn:{surface}",
                        surface,
                        "treatment",
                        surface,
                        start + offset,
                        end + offset,
                    )
                )
        return found

    def _zh_names(self, folded: str) -> list[tuple[int, int]]:
        """Spans of transliteration runs that end with a drug ending or follow a prefix."""
        spans: list[tuple[int, int]] = []
        chars = self._name_chars
        if self._zh is None:
            return spans
        for match in self._zh.finditer(folded):
            mark_start, mark_end = match.span()
            if match.group() in self._zh_endings:
                start = mark_start
                while start > 0 and mark_start - start < _MAX_NAME and folded[start - 1] in chars:
                    start -= 1
                if start < mark_start:
                    spans.append((start, mark_end))
            else:
                end = mark_end
                while end < len(folded) and end - mark_end < _MAX_NAME - 1 and folded[end] in chars:
                    end += 1
                if end > mark_end:
                    spans.append((mark_start, end))
        return spans

    def name_of(self, word: str) -> tuple[str, str] | None:
        """(label, kind) of a folded word that ends with a stem; None if excluded or too short.

        The label takes the English ending (rosuvastatine -> rosuvastatin) and drops a plural.
        """
        for candidate in (word, word[:-1]) if word.endswith("s") else (word,):
            stem = next(
                (
                    self._by_ending[candidate[-n:]]
                    for n in self._lengths
                    if candidate[-n:] in self._by_ending
                ),
                None,
            )
            if stem is None:
                continue
            if len(candidate) < stem.min_length or candidate in self._exclusions:
                return None
            return candidate[: len(candidate) - len(stem.ending)] + stem.english, stem.kind
        return None


_MAX_NAME = 6  # transliteration characters read before an ending (阿托伐|他汀, 英夫利昔|单抗)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in taken)


@functools.cache
def _default_forms() -> NameForms:
    stems = []
    for line in _data_lines("inn_stems.tsv"):
        ending, english, kind, min_length = line.split("\t")
        stems.append(Stem(ending, english, kind, int(min_length)))
    return NameForms(
        stems,
        _data_lines("inn_exclusions.txt"),
        _data_lines("zh_drug_endings.txt"),
        "".join(_data_lines("zh_name_chars.txt")),
    )


@functools.cache
def boundary_words() -> frozenset[str]:
    """Common Chinese words that a lexicon term must not start inside (护理 before 理疗)."""
    return frozenset(_data_lines("zh_boundary_words.txt"))


@functools.cache
def generic_heads() -> frozenset[str]:
    """Concept ids that are only the head noun of a named treatment right before them."""
    return frozenset(_data_lines("generic_heads.txt"))
