"""CLEAN stage: what is removed, what must survive, and the exact map back to the original."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from litkit.boilerplate import is_ui_chrome
from litkit.clean import clean

REPEATED = "A caption that repeats"
REPEATED_ZH = "骨扫描显示胫骨远端多发病灶。"
SEEDS = sorted((Path(__file__).parent.parent / "corpora" / "cno").glob("*.txt"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("un cours prolongé & gt; mois", "un cours prolongé > mois"),
        ("normal à & lt. ; mg / L", "normal à < mg / L"),
        ("AINS &amp; analgésiques", "AINS & analgésiques"),
        ("a&nbsp;b", "a b"),
        ("&#233;l&#xE9;vation", "élévation"),
        ("&amp;gt; double", "> double"),
        ("R&D; AT&T", "R&D; AT&T"),
        ("&#150; dash", "– dash"),
    ],
    ids=["gt-broken", "lt-broken", "amp", "nbsp", "numeric", "double-escaped", "not-entity",
         "cp1252-numeric"],
)  # fmt: skip
def test_entities(raw: str, expected: str) -> None:
    assert clean(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "montrant récurrenteFigure View largeTélécharger slideMRI du sacrum",
            "montrant récurrente\nFigure View largeTélécharger slide\nMRI du sacrum",
        ),
        (
            "méthylprednisolone\n\nFigure Vue largeDownload slideMRI du sacrum",
            "méthylprednisolone\n\nFigure Vue largeDownload slide\nMRI du sacrum",
        ),
        (
            "Figure vue grandLargeur de téléchargement\nMRIs du fémur",
            "Figure vue grandLargeur de téléchargement\nMRIs du fémur",
        ),
        (
            "Fig. 2 View large Download slide\nCaption text",
            "Fig. 2 View large Download slide\nCaption text",
        ),
        (
            "Radiograph View largeOpen in new tabDownload slide",
            "Radiograph\nView largeOpen in new tabDownload slide",
        ),
        ("图1 查看大图 下载原图骨髓水肿", "图1 查看大图 下载原图\n骨髓水肿"),
        ("Une vue large de la hanche.", "Une vue large de la hanche."),
        ("Vue large de la hanche.", "Vue large de la hanche."),
        ("Enlarged lymph nodes were seen.", "Enlarged lymph nodes were seen."),
        ("Il faut télécharger la lame suivante", "Il faut\ntélécharger la lame\nsuivante"),
        (
            "A repeated caption lineView largeA repeated caption line",
            "A repeated caption line\nView large\nA repeated caption line",
        ),
    ],
    ids=["fr-glued", "fr-line-start", "fr-mistranslated", "en-fig-number", "en-chain", "zh-glued",
         "fr-prose-kept", "fr-prose-capital-kept", "en-prose-kept", "strong-anywhere",
         "caption-repeat-around-buttons-kept"],
)  # fmt: skip
def test_figure_viewer_chrome(raw: str, expected: str) -> None:
    """Figure-viewer buttons glued to text are kept, set apart on a line of their own (the
    text around them is never merged or lost; a caption repeated on either side stays)."""
    assert clean(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Home >> Ostéomyélite multifocale\nTexte", "Ostéomyélite multifocale\nTexte"),
        ("Accueil > Rhumatologie > Article", "Rhumatologie > Article"),
        ("首页 > 儿童慢性无菌性骨髓炎", "儿童慢性无菌性骨髓炎"),
        ("At Home >> no", "At Home >> no"),
    ],
    ids=["en-home", "fr-accueil", "zh-shouye", "not-line-start"],
)
def test_breadcrumb_roots(raw: str, expected: str) -> None:
    assert clean(raw).text == expected


@pytest.mark.parametrize(
    "notice",
    [
        "We use cookies to improve your experience. Accept",
        "This website uses cookies to ensure you get the best experience.",
        "Ce site utilise des cookies pour mesurer l'audience.",
        "Nous utilisons des cookies.",
        "本网站使用Cookie以改善您的体验。",
        "Accept all cookies",
    ],
    ids=["en-we-use", "en-site-uses", "fr-site", "fr-nous", "zh", "en-button"],
)
def test_cookie_notice_lines(notice: str) -> None:
    assert clean(f"Titre\n{notice}\nTexte du corps.").text == "Titre\nTexte du corps."


def test_sentence_about_cookies_in_text_is_kept() -> None:
    text = "Patients who eat cookies daily had more caries."
    assert clean(text).text == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "IRM du sacrum avant et après traitement par prednisolone\n"
            "IRM du sacrum avant et après traitement par prednisolone",
            "IRM du sacrum avant et après traitement par prednisolone",
        ),
        (
            "MRIs du fémur et du tibia du patient, œdème tibial\n"
            "MRIs du fémur et du tibia du patient, œdème tibialPatient A Un garçon",
            "MRIs du fémur et du tibia du patient, œdème tibial\nPatient A Un garçon",
        ),
        (f"{REPEATED_ZH}\n{REPEATED_ZH}", REPEATED_ZH),
        ("Table 1\nTable 1", "Table 1\nTable 1"),
        (f"{REPEATED}\n\n{REPEATED}", f"{REPEATED}\n\n{REPEATED}"),
    ],
    ids=["fr-exact", "fr-glued-head", "zh-exact", "short-kept", "not-back-to-back"],
)  # fmt: skip
def test_repeated_captions(raw: str, expected: str) -> None:
    assert clean(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zero\u200bwidth\u200d joiner\ufeff", "zerowidth joiner"),
        ("bidi \u202bmark\u202c\u2066x\u2069", "bidi markx"),
        ("nul\x00byte\x07", "nulbyte"),
        ("soft\u00adhyphen", "softhyphen"),
        ("tabs\tand   spaces \u00a0 here  ", "tabs and spaces here"),
        ("  one  \n\n\n\n  two \r\nthree\rfour", "one\n\ntwo\nthree\nfour"),
        ("\n\n  lead and trail  \n\n", "lead and trail"),
        ("全角\u3000空格", "全角 空格"),
        ("page\x0cbreak\u2028sep", "page\nbreak\nsep"),
    ],
    ids=["zero-width", "bidi", "nul-control", "soft-hyphen", "spaces", "newlines",
         "trim", "ideographic-space", "form-feed-line-separator"],
)  # fmt: skip
def test_invisible_characters_and_whitespace(raw: str, expected: str) -> None:
    assert clean(raw).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Family: 👨\u200d👩\u200d👧.",
        "🏳\ufe0f\u200d🌈 and 👨\U0001f3fd\u200d⚕\ufe0f",
        "می\u200cخواهم",
        "क्\u200dष and क्\u200cष",
        "ന്\u200dന",
    ],
    ids=["emoji-family", "emoji-vs16-skin-tone", "fa-zwnj", "hi-zwj-zwnj", "ml-zwj"],
)
def test_joiners_that_scripts_need_are_kept(text: str) -> None:
    result = clean(text)
    assert result.text == text
    assert result.offset_map == ((0, 0),)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Metho\u200dtrexate\u200d was", "Methotrexate was"),
        ("Métho\u200ctrexate", "Méthotrexate"),
        ("甲氨\u200d蝶呤", "甲氨蝶呤"),
        ("👍\u200d and", "👍 and"),
        ("م\u200d👍", "م👍"),
        ("\u200dمی", "می"),
        ("👨\u200b\u200d\ufeff👩", "👨\u200d👩"),
    ],
    ids=["en-zwj", "fr-zwnj", "zh-zwj", "emoji-then-latin", "arabic-then-emoji",
         "leading", "other-invisibles-around-a-kept-zwj"],
)  # fmt: skip
def test_joiners_elsewhere_are_removed(raw: str, expected: str) -> None:
    result = clean(raw)
    assert result.text == expected
    for index, char in enumerate(result.text):
        assert raw[result.to_original(index)] == char


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("oste\u0301omye\u0301lite", "ostéomyélite"),
        ("\u212bngstr\u00f6m", "\u00c5ngstr\u00f6m"),
        ("L\u2019\u0153de\u0300me", "L\u2019\u0153dème"),
        ("\u1100\u1161\u11a8", "\uac01"),
    ],
    ids=["fr-combining", "singleton", "fr-grave", "hangul-jamo"],
)
def test_nfc(raw: str, expected: str) -> None:
    result = clean(raw)
    assert result.text == expected
    assert unicodedata.is_normalized("NFC", result.text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("帕\u2f76膦酸钠", "帕米膦酸钠"),  # Kangxi radical rice
        ("\u2f08体", "人体"),  # Kangxi radical man
        ("\u2e9f亲", "母亲"),  # CJK radicals supplement: mother
        ("\uf900\uf901", "豈更"),  # compatibility ideographs
        ("\U0002f800", "丽"),  # compatibility ideographs supplement
    ],
    ids=["kangxi-rice", "kangxi-man", "radical-supplement", "compatibility", "supplement"],
)
def test_cjk_compatibility_folded(raw: str, expected: str) -> None:
    result = clean(raw)
    assert result.text == expected
    assert [result.to_original(i) for i in range(len(expected))] == list(range(len(raw)))


@pytest.mark.parametrize(
    "text",
    ["１２３ ｍｇ", "ﬁbrose", "m²", "①", "\u2e80", "\u2fd5 end"],
    ids=[
        "fullwidth",
        "ligature",
        "superscript",
        "circled",
        "radical-without-ideograph",
        "last-kangxi",
    ],
)
def test_only_cjk_compatibility_blocks_are_folded(text: str) -> None:
    expected = text.replace("\u2fd5", "\u9fa0")
    assert clean(text).text == expected


def test_folded_kangxi_radical_lets_the_lexicon_match() -> None:
    from litkit.lexicon import default_lexicon

    cleaned = clean("患者接受帕\u2f76膦酸钠治疗。").text
    labels = {m.label.lower() for m in default_lexicon().find_mentions(cleaned)}
    assert "pamidronate" in labels


def test_newlines_between_blocks_are_kept() -> None:
    text = "Titre\nParagraphe un.\n\nSection\nParagraphe deux."
    assert clean(text).text == text


def test_clean_text_is_returned_unchanged_with_trivial_map() -> None:
    text = "Le CRMO est traité par AINS.\n慢性非细菌性骨髓炎。"
    result = clean(text)
    assert (result.text, result.original, result.offset_map) == (text, text, ((0, 0),))


def test_is_ui_chrome() -> None:
    assert is_ui_chrome("View large")
    assert is_ui_chrome("Figure 2 View large Download slide")
    assert not is_ui_chrome("View large lesions were seen")
    assert not is_ui_chrome("")


# ---------------------------------------------------------------- offset map property


def _assert_map_exact(original: str) -> None:
    result = clean(original)
    assert result.original == original
    previous = -1
    for i, char in enumerate(result.text):
        j = result.to_original(i)
        # strictly increasing, except after a line break that clean inserted (figure-viewer
        # buttons set apart): it has no source character and maps to the one after it
        inserted_break = i > 0 and result.text[i - 1] == "\n" and j == previous
        assert j > previous or inserted_break, "the map must be strictly increasing"
        previous = j
        if (char.isascii() and char.isalnum()) or char in "\u200c\u200d":  # never rewritten
            assert original[j] == char, (i, j, char)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_offset_map_is_exact_on_seeds(path: Path) -> None:
    _assert_map_exact(path.read_text("utf-8"))


ALPHABET = [
    *"abcXYZ019 .,;é", "\n", "\r\n", "\t", "  ", "\u200b", "\u202e", "\x00", "\u00a0",
    "&amp;", "& gt;", "& lt. ;", "&#233;", "&nbsp;", "e\u0301", "\u212b", "骨", "。",
    "View large", "Download slide", "Figure ", "Home >> ", "\n\n\n", "We use cookies",
    "A repeated caption line", "A repeated caption line\n", "\u200d", "\u200c", "👨", "\ufe0f",
    "م", "क्", "\u2f76", "\uf900", "\U0002f800",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(200))
def test_offset_map_is_exact_on_random_strings(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
    _assert_map_exact(text)


def test_deterministic() -> None:
    text = SEEDS[0].read_text("utf-8")
    assert clean(text) == clean(text)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        pytest.param("une revue de la littérature", "vue", False, id="inside-a-word"),
        pytest.param("il faut voir le patient", "voir", True, id="word-start"),
        pytest.param(
            "récurrenteFigure View largeTélécharger la lame", "télécharger", True, id="glued"
        ),
        pytest.param("骨髓炎下载原图", "下载原图", True, id="uncased"),
    ],
)
def test_a_button_key_inside_a_word_opens_no_chrome_window(
    text: str, key: str, expected: bool
) -> None:
    """Keys are common words and word pieces: only a word start, a capital or an uncased
    script can begin a button, so a long running text does not try the regex at each piece."""
    from litkit.clean import _may_start_button

    assert _may_start_button(text, text.lower().index(key)) is expected
