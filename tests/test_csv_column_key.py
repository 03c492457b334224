"""CSV column names are compared by a key (case, quotes, underscores and whitespace runs
folded) computed with str methods (issue 14: every .txt input is sniffed for a CSV header);
the key is the one the regex gave, and prose with commas is still no header."""

from __future__ import annotations

import re

import pytest

from litkit.sources.csv_export import _column_key, _csv_header


def _regex_key(name: str) -> str:
    """The key as the regex computed it."""
    return " ".join(re.sub(r"[_\s]+", " ", name.strip().strip('"').lower()).split())


@pytest.mark.parametrize(
    "name",
    ["Article Title", "article_title", '"TI"', "  Titre__de  l'article ", "Title\u00a0(EN)",
     "文献\u3000标题", "Author_Keywords\t", "_", "", "a\x1cb"],
    ids=["en", "snake", "quoted", "fr-spaces", "nbsp", "zh-ideographic-space", "tab",
         "underscore", "empty", "separator-char"],
)  # fmt: skip
def test_column_key_equals_the_regex_key(name: str) -> None:
    assert _column_key(name) == _regex_key(name)


@pytest.mark.parametrize(
    ("head", "found"),
    [
        ("Title,Authors,Abstract,Year\nA,B,C,2020\n", (0, ",")),
        ("Search: crmo\nExported 2024\nArticle_Title;Authors;Abstract\nx;y;z\n", (2, ";")),
        ("Les patients, traités par AINS, ont une meilleure qualité de vie, title compris.", None),
        ("Patients, treated with NSAIDs, improved, and the title says so.", None),
    ],
    ids=["en-header", "preamble-semicolon", "fr-prose", "en-prose"],
)
def test_csv_header_found_only_in_a_header(head: str, found: tuple[int, str] | None) -> None:
    assert _csv_header(head) == found
