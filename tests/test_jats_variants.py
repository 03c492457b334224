"""JATS as publishers write it: translations, nested figures, author-year citations."""

from __future__ import annotations

import pytest

from litkit.models import ParsedText, RawSource
from litkit.sources import jats, read


def _article(body: str, extra: str = "", lang: str = "en") -> bytes:
    return (
        f'<article xml:lang="{lang}" xmlns:xlink="http://www.w3.org/1999/xlink">'
        "<front><article-meta><title-group><article-title>Colchicine after myocardial"
        " infarction</article-title></title-group></article-meta></front>"
        f"<body><sec><title>Results</title>{body}</sec></body>{extra}</article>"
    ).encode()


def _text(data: bytes) -> str:
    (doc,) = jats.read_jats(RawSource("a.nxml", data, jats.MEDIA_TYPE))
    assert isinstance(doc, ParsedText)
    return doc.text


SUB_ARTICLE = (
    '<sub-article article-type="translation" xml:lang="fr" id="s1"><front-stub>'
    "<title-group><article-title>La colchicine après l’infarctus du myocarde</article-title>"
    "</title-group><abstract><p>La colchicine a réduit les événements ischémiques.</p>"
    "</abstract></front-stub><body><sec><title>Résultats</title><p>Les événements ont"
    " diminué de 23 %.</p></sec></body></sub-article>"
)


def test_translated_sub_article_is_kept_as_its_own_language_part() -> None:
    text = _text(_article("<p>Events fell by 23%.</p>", SUB_ARTICLE))
    original, translation = text.split("\n\nLa colchicine après")
    assert "Events fell by 23%." in original and "Résultats" not in original
    assert translation.startswith(" l’infarctus du myocarde\n\n")
    assert "La colchicine a réduit les événements ischémiques." in translation
    assert translation.endswith("Résultats\nLes événements ont diminué de 23 %.")


@pytest.mark.parametrize(
    "sub_article",
    [
        '<sub-article article-type="decision-letter"><body><p>Reviewer text.</p></body>'
        "</sub-article>",
        '<sub-article article-type="reply" xml:lang="en"><body><p>Reviewer text.</p></body>'
        "</sub-article>",
    ],
    ids=["decision-letter", "reply-same-language"],
)
def test_review_sub_articles_are_not_translations(sub_article: str) -> None:
    assert "Reviewer text." not in _text(_article("<p>Events fell.</p>", sub_article))


def test_translation_through_read_keeps_one_document() -> None:
    results = read(RawSource("a.nxml", _article("<p>Events fell.</p>", SUB_ARTICLE), None))
    assert len(results) == 1 and "Les événements ont diminué" in results[0].text


@pytest.mark.parametrize(
    "figure",
    [
        '<fig id="f1"><caption><p>Figure 1. Outcomes by group.</p></caption>'
        '<fig id="f1a"><caption><p>Panel A. Deaths.</p></caption></fig>'
        '<fig id="f1b"><caption><p>Panel B. Strokes.</p></caption></fig></fig>',
        '<fig-group id="g1"><caption><p>Figure 1. Outcomes by group.</p></caption>'
        '<fig id="f1a"><caption><p>Panel A. Deaths.</p></caption></fig>'
        '<fig id="f1b"><caption><p>Panel B. Strokes.</p></caption></fig></fig-group>',
    ],
    ids=["fig-in-fig", "fig-group"],
)
def test_every_nested_caption_is_kept_once(figure: str) -> None:
    floats = f"<floats-group>{figure}</floats-group>"
    text = _text(_article(f"<p>Events fell.</p>{figure}", floats))
    for caption in ("Figure 1. Outcomes by group.", "Panel A. Deaths.", "Panel B. Strokes."):
        assert text.count(caption) == 1, caption


BIBR = '<xref ref-type="bibr" rid="{rid}">{label}</xref>'


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Colchicine lowers events ({a}, p. 16).",
            "Colchicine lowers events.",
        ),
        (
            "Colchicine lowers events ({a}; {b}).",
            "Colchicine lowers events.",
        ),
        (
            "Colchicine lowers events (see {a}, pp. 3–5).",
            "Colchicine lowers events.",
        ),
        (
            "Colchicine lowers events (n = 4745; {a}).",
            "Colchicine lowers events (n = 4745).",
        ),
        (
            "Colchicine lowers events [{one}–{three}].",
            "Colchicine lowers events.",
        ),
        (
            "La colchicine réduit les événements (voir {a}, p. 16).",
            "La colchicine réduit les événements.",
        ),
        (
            "秋水仙碱可减少事件（{a}，第16页）。",
            "秋水仙碱可减少事件。",
        ),
    ],
    ids=[
        "page",
        "two-works",
        "see-pages",
        "other-words-kept",
        "numeric-range",
        "fr-voir",
        "zh-page",
    ],
)
def test_author_year_citation_removal_leaves_clean_text(paragraph: str, expected: str) -> None:
    labels = {
        "a": BIBR.format(rid="r1", label="Tardif et al., 2019"),
        "b": BIBR.format(rid="r2", label="Nidorf et al. 2020"),
        "one": BIBR.format(rid="r1", label="1"),
        "three": BIBR.format(rid="r3", label="3"),
    }
    text = _text(_article(f"<p>{paragraph.format(**labels)}</p>"))
    assert text.split("\n")[-1] == expected


def test_translation_sentences_are_linked_as_translations(tmp_path) -> None:
    from litkit.ingest import ingest
    from litkit.store import open_db

    body = (
        "<p>Pamidronate induced remission in 12 of 15 children with chronic nonbacterial"
        " osteomyelitis.</p><p>Naproxen relieved bone pain in most children within two weeks.</p>"
    )
    sub = (
        '<sub-article article-type="translation" xml:lang="fr"><front-stub><title-group>'
        "<article-title>Pamidronate et ostéomyélite chronique</article-title></title-group>"
        "</front-stub><body><sec><title>Résultats</title><p>Le pamidronate a induit une"
        " rémission chez 12 des 15 enfants atteints d’ostéomyélite chronique non"
        " bactérienne.</p><p>Le naproxène a soulagé la douleur osseuse chez la plupart des"
        " enfants en deux semaines.</p></sec></body></sub-article>"
    )
    path = tmp_path / "a.nxml"
    path.write_bytes(_article(body, sub))
    db = open_db(tmp_path / "a.db")
    ingest(db, [str(path)])
    pairs = db.execute(
        "SELECT s.lang, o.lang FROM links l JOIN segments s ON s.id = l.segment_id"
        " JOIN segments o ON o.id = l.other_id WHERE l.kind = 'translation'"
    ).fetchall()
    assert ("en", "fr") in pairs


@pytest.mark.parametrize(
    ("value", "doi"),
    [
        ("10.1056/NEJMoa1912388", "10.1056/nejmoa1912388"),
        ("https://doi.org/10.1056/NEJMoa1912388.", "10.1056/nejmoa1912388"),
        (" doi:10.1016/S0140-6736(15)60690-0 ", "10.1016/s0140-6736(15)60690-0"),
    ],
    ids=["plain", "doi-org-link", "labelled"],
)
def test_jats_doi_is_cut_to_the_doi(value: str, doi: str) -> None:
    article_id = f'<article-id pub-id-type="doi">{value}</article-id>'.encode()
    meta_start = b"<article-meta>"
    data = _article("<p>Events fell.</p>").replace(meta_start, meta_start + article_id)
    (doc,) = jats.read_jats(RawSource("a.nxml", data, jats.MEDIA_TYPE))
    assert doc.meta.doi == doi
