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

_RULES = ("resources", "lexicon", "rules")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class Stem:
    """One name ending: its English form, what it names, and the shortest word it ends."""

    ending: str
    english: str
    kind: str  # "drug" or "procedure"
    min_length: int


def _data_lines(name: str) -> list[str]:
    text = resources.files("litkit").joinpath(*_RULES, name).read_text(encoding="utf-8")
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
        alternation = "|".join(re.escape(s.ending) for s in self._stems)
        self._latin = re.compile(rf"(?<![a-z0-9\-])[a-z]+(?:{alternation})s?(?![a-z0-9])")
        endings = [e for e in zh_endings if not e.startswith("^")]
        prefixes = [e[1:] for e in zh_endings if e.startswith("^")]
        chars = re.escape("".join(sorted(set(zh_name_chars))))
        parts = []
        if endings:
            alt = "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True))
            parts.append(rf"[{chars}]{{1,6}}(?:{alt})")
        if prefixes:
            alt = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
            parts.append(rf"(?:{alt})[{chars}]{{1,5}}")
        self._zh = re.compile("|".join(parts)) if parts else None

    @classmethod
    def default(cls) -> NameForms:
        """The shipped rules."""
        return _default_forms()

    def find(
        self, folded: str, text: str, offset: int, taken: list[tuple[int, int]]
    ) -> list[Mention]:
        """Mentions of unlisted names in `text` (whose folded form is `folded`).

        `taken` holds the [start, end) spans (relative to `text`) already covered by lexicon
        mentions; a name overlapping one is left to the lexicon.
        """
        found: list[Mention] = []
        if any("a" <= ch <= "z" for ch in folded):
            for match in self._latin.finditer(folded):
                mention = self._latin_mention(match, text, offset, taken)
                if mention is not None:
                    found.append(mention)
        if self._zh is not None and _has_cjk(folded):
            for match in self._zh.finditer(folded):
                start, end = match.span()
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

    def _latin_mention(
        self, match: re.Match[str], text: str, offset: int, taken: list[tuple[int, int]]
    ) -> Mention | None:
        start, end = match.span()
        if _overlaps(start, end, taken):
            return None
        word = match.group()
        for candidate in (word, word[:-1]) if word.endswith("s") else (word,):
            stem = next((s for s in self._stems if candidate.endswith(s.ending)), None)
            if stem is None:
                continue
            if len(candidate) < stem.min_length or candidate in self._exclusions:
                return None
            label = candidate[: len(candidate) - len(stem.ending)] + stem.english
            namespace = "inn" if stem.kind == "drug" else "procedure"
            return Mention(
                f"litkit:{namespace}:{label}",
                label,
                "treatment",
                text[start:end],
                start + offset,
                end + offset,
            )
        return None


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


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
