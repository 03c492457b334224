"""Every lexicon term is checked for a token at each load: `has_token` answers what
`bool(term_keys(...))` answers, with one regex search instead of the keys (issue 14)."""

from __future__ import annotations

import pytest

from litkit.lexicon.fold import has_token, term_keys


@pytest.mark.parametrize(
    "text",
    ["methotrexate", "anti-TNF", "méthotrexate", "甲氨蝶呤", "IL-6", "5", "α-interferon",
     "---", "()", " ", "", "’", "½", "Ⅷ", "İ"],
    ids=["en", "hyphen", "fr", "zh", "digits", "digit", "greek", "dashes", "brackets", "space",
         "empty", "apostrophe", "fraction", "roman-numeral", "dotted-capital"],
)  # fmt: skip
def test_has_token_equals_term_keys(text: str) -> None:
    assert has_token(text) == bool(term_keys(text))
