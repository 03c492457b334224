"""`search_rows` scans a sentence for CJK once and gives exactly the two index columns
(`words_column`, `chars_column`) that the search reads (issue 14: one scan instead of two)."""

from __future__ import annotations

import pytest

from litkit.search import chars_column, search_rows, words_column


@pytest.mark.parametrize(
    ("text", "words", "chars"),
    [
        ("Methotrexate improved the pain.", "Methotrexate improved the pain.", ""),
        ("Le méthotrexate a amélioré la douleur.", "Le méthotrexate a amélioré la douleur.", ""),
        ("甲氨蝶呤改善了疼痛。", " 。", "甲 氨 蝶 呤 改 善 了 疼 痛"),
        ("MRI显示骨髓水肿，CRP 45 mg/L", "MRI ，CRP 45 mg/L", "显 示 骨 髓 水 肿"),
        ("", "", ""),
    ],
    ids=["en", "fr", "zh", "zh-mixed", "empty"],
)
def test_search_rows_equal_the_columns(text: str, words: str, chars: str) -> None:
    assert search_rows([("s1", text)]) == [("s1", words, chars)]
    assert (words_column(text), chars_column(text)) == (words, chars)


def test_text_without_cjk_is_kept_as_the_same_object() -> None:
    text = "Le méthotrexate a amélioré la douleur des patients."
    ((_, words, _),) = search_rows([("s1", text)])
    assert words is text  # a write plan pickles it once
