"""One definition of "a Han character" (litkit.scripts), used by every stage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import litkit
from litkit import scripts
from litkit.lexicon.fold import _tokenize
from litkit.search import chars_column, words_column

CASES = {
    "unified": ("中", True),
    "extension-a": ("\u3400", True),
    "extension-b": ("\U00020001", True),
    "compatibility": ("\uf900", True),
    "iteration-mark": ("々", True),
    "latin": ("a", False),
    "kana": ("あ", False),
    "yijing-hexagram": ("\u4dc0", False),
    "full-width-comma": ("，", False),
    "edge": ("", False),
}


@pytest.mark.parametrize(("char", "han"), CASES.values(), ids=CASES.keys())
def test_is_han_and_the_class_agree(char: str, han: bool) -> None:
    assert scripts.is_han(char) is han
    if char:
        assert bool(scripts.HAN.fullmatch(char)) is han


def test_han_count_and_display_width() -> None:
    assert scripts.han_count("帕米膦酸 pamidronate \U00020001") == 5
    assert scripts.display_width("中a，") == 5  # wide, narrow, full-width


def test_search_columns_and_lexicon_tokens_see_the_same_han_characters() -> None:
    text = "\U00020001病 CRMO"
    assert chars_column(text).split() == ["\U00020001", "病"]
    assert "\U00020001" not in words_column(text)
    assert [t[0] for t in _tokenize("\U00020001病")] == ["\U00020001", "病"]


def test_no_module_keeps_its_own_han_range() -> None:
    """A Han range written anywhere but litkit/scripts.py drifts from it sooner or later."""
    own_range = re.compile(r"\\u4e00|\\u3400|\\u9fff|\\U00020000")
    package = Path(litkit.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "scripts.py" and own_range.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
