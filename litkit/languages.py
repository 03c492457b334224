"""The languages litkit processes, discovered from their folders.

Everything one language needs lives in one folder, `litkit/resources/<code>/`: a manifest
(`language.json`: name, script, the language whose files stand in for missing ones) and the
language's data files, each optional:

- `cues.json`: claim-type, negation, hedging and outcome-direction cues (litkit.cues);
- `assertion.json`: negation and hedging cues alone, over the fallback language's cue file
  (a language identified and negated, but typed with its fallback's cues);
- `roles.json`: section names and labels of metadata lines (litkit.roles, litkit.sections);
- `study.json`: design and count words (litkit.study);
- `segment.json`: abbreviations and sentence starters (litkit.segment);
- `langid.json`: function words and special letters that identify it (litkit.langid).

A folder with a manifest is a language: adding one needs no Python change. Folders outside the
package are found too, through `LITKIT_LANGUAGES` (a path list of folders holding `<code>/`
folders), so a language pack can be developed without editing litkit. Data shared by every
language sits in `resources/common/`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Traversable

ENV_LANGUAGES = "LITKIT_LANGUAGES"
MANIFEST = "language.json"
DEFAULT_FALLBACK = "en"
"""The cue language of a text in a language with no folder (Latin-script languages share
most drug and test names with English), and of a folder whose manifest names no fallback."""

_CODE = re.compile(r"^[a-z]{2,3}$")  # ISO 639-1 or 639-3


@dataclass(frozen=True)
class Language:
    """One processed language: its code, name, script and data folder."""

    code: str
    name: str
    script: str  # "latin" or "han": how its words are matched (word boundaries or characters)
    fallback: str | None  # whose files stand in for the ones this folder lacks
    folder: Traversable

    def file(self, name: str) -> Traversable | None:
        """The language's own data file `name`, or None."""
        path = self.folder / name
        return path if path.is_file() else None


def resources_root() -> Traversable:
    """litkit's shipped data folder."""
    return resources.files("litkit") / "resources"


def _roots() -> list[Traversable]:
    extra = [p for p in os.environ.get(ENV_LANGUAGES, "").split(os.pathsep) if p]
    return [resources_root(), *(Path(p) for p in extra)]


@cache
def languages() -> dict[str, Language]:
    """Every language with a folder and a manifest, by code (a later root overrides)."""
    found: dict[str, Language] = {}
    for root in _roots():
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir(), key=lambda entry: entry.name):
            manifest = folder / MANIFEST
            if not (_CODE.match(folder.name) and manifest.is_file()):
                continue
            data = json.loads(manifest.read_text(encoding="utf-8"))
            found[folder.name] = Language(
                code=folder.name,
                name=str(data.get("name", folder.name)),
                script=str(data.get("script", "latin")),
                fallback=data.get("fallback"),
                folder=folder,
            )
    return dict(sorted(found.items()))


def languages_with(name: str) -> tuple[str, ...]:
    """Codes of the languages whose folder holds the data file `name`, sorted."""
    return tuple(code for code, lang in languages().items() if lang.file(name) is not None)


def language_file(lang: str, name: str) -> Traversable | None:
    """The data file `name` for `lang`: its own, else its fallback's (followed to the
    default), else None."""
    seen: set[str] = set()
    code: str | None = lang
    while code and code not in seen:
        seen.add(code)
        language = languages().get(code)
        if language is None:
            code = DEFAULT_FALLBACK if code != DEFAULT_FALLBACK else None
            continue
        path = language.file(name)
        if path is not None:
            return path
        code = language.fallback or (DEFAULT_FALLBACK if code != DEFAULT_FALLBACK else None)
    return None


def read_json(path: Traversable) -> dict[str, Any]:
    """A data file's JSON object."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def own_data(lang: str, name: str) -> dict[str, Any]:
    """The language's own data file `name` (no fallback), or {}."""
    language = languages().get(lang)
    path = language.file(name) if language else None
    return read_json(path) if path else {}


def common_file(name: str) -> Traversable:
    """A data file shared by every language (`resources/common/<name>`)."""
    return resources_root() / "common" / name
