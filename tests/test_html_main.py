"""Main text of web pages: class words on wrappers, page furniture, roles, no main text."""

from __future__ import annotations

import pytest

from litkit.errors import SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import html, read
from litkit.sources.html_main import SECTION_BREAK, Block, select_main_blocks
from litkit.vocab import ROLES

ARTICLES = {
    "en": (
        "Bisoprolol in heart failure",
        [
            "Beta blockers lower mortality in heart failure with reduced ejection fraction.",
            "We followed 640 outpatients who started bisoprolol at a low dose for two years.",
            "Hospital admissions for worsening heart failure fell by a third during follow-up.",
        ],
    ),
    "fr": (
        "Bisoprolol et insuffisance cardiaque",
        [
            "Les bêtabloquants diminuent la mortalité de l’insuffisance cardiaque systolique.",
            "Nous avons suivi 640 patients sous bisoprolol à faible dose pendant deux ans.",
            "Les hospitalisations pour aggravation de l’insuffisance cardiaque ont baissé.",
        ],
    ),
    "zh": (
        "比索洛尔治疗心力衰竭",
        [
            "β受体阻滞剂可降低射血分数降低的心力衰竭患者的死亡率，这一点已被多项研究证实。",
            "我们随访了640例开始小剂量服用比索洛尔的门诊患者，随访时间为两年。",
            "随访期间，因心力衰竭加重而住院的次数减少了三分之一，差异有统计学意义。",
        ],
    ),
}
FURNITURE = {
    "en": ["Sign up for our weekly newsletter today", "Great read, thanks!", "More on this topic"],
    "fr": ["Abonnez-vous à notre lettre hebdomadaire", "Merci pour cet article !", "À lire aussi"],
    "zh": ["订阅我们的每周电子报", "感谢分享，写得很好！", "相关阅读"],
}


def _page(lang: str, body_class: str = "", wrapper_class: str = "") -> str:
    title, paragraphs = ARTICLES[lang]
    newsletter, comment, related = FURNITURE[lang]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head>'
        f'<body class="{body_class}"><div class="{wrapper_class}">'
        f"<nav><a>Home</a> <a>Journals</a></nav><article><h1>{title}</h1>{body}</article>"
        f'<div class="newsletter-signup"><p>{newsletter}</p></div>'
        f'<div class="related-posts"><h3>{related}</h3><ul><li><a>{title} (2)</a></li></ul></div>'
        f'<div id="comments"><div class="comment"><p>{comment}</p></div></div>'
        "</div></body></html>"
    )


def _read(page: str) -> ParsedText:
    docs = read(RawSource("page.html", page.encode(), "text/html"))
    assert len(docs) == 1 and isinstance(docs[0], ParsedText), docs
    return docs[0]


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
@pytest.mark.parametrize(
    ("body_class", "wrapper_class"),
    [
        ("cookies-not-set", ""),
        ("", "navbar-offset"),
        ("modal-open", "share-enabled"),
        ("page breadcrumbs", "social lightbox"),
    ],
    ids=["body-cookies", "wrapper-navbar", "modal-share", "breadcrumbs-social-lightbox"],
)
def test_a_class_word_on_body_or_a_wrapper_does_not_drop_the_page(
    lang: str, body_class: str, wrapper_class: str
) -> None:
    doc = _read(_page(lang, body_class, wrapper_class))
    for paragraph in ARTICLES[lang][1]:
        assert paragraph in doc.text


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_comments_newsletter_and_related_lists_are_not_main_text(lang: str) -> None:
    doc = _read(_page(lang, "cookies-not-set"))
    for furniture in FURNITURE[lang]:
        assert furniture not in doc.text
    assert doc.text.startswith(ARTICLES[lang][0] + "\n")


def test_a_furniture_widget_inside_the_article_is_still_dropped() -> None:
    page = _page("en").replace(
        "</article>", '<div class="share-bar"><a>Share on Twitter</a></div></article>'
    )
    assert "Share on Twitter" not in _read(page).text


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a>Home</a> <a>About</a></nav><script>var x = 1;</script></body></html>",
        "<html><head><title>Login</title></head><body><form><input></form></body></html>",
        "<!DOCTYPE html><html><body><div hidden>secret</div></body></html>",
    ],
    ids=["only-navigation", "only-a-form", "only-hidden-text"],
)
def test_a_page_without_main_text_says_so(page: str) -> None:
    (error,) = read(RawSource("page.html", page.encode(), "text/html"))
    assert isinstance(error, SourceError) and error.reason == "no main text found"


def _spans(doc: ParsedText) -> list[tuple[str, str]]:
    return [(role, doc.text[start:end]) for start, end, role in doc.roles]


def test_roles_cover_title_headings_body_captions_and_references() -> None:
    page = (
        "<html><body><article><h1>Naproxen for gout flares</h1><h2>Results</h2>"
        "<p>Naproxen relieved pain as well as prednisolone did in 400 patients with gout.</p>"
        "<figure><img src='f.png'><figcaption>Figure 1. Pain scores by day.</figcaption></figure>"
        "<h2>References</h2><ol><li>Janssens HJ. Lancet 2008;371:1854-60.</li></ol>"
        "</article></body></html>"
    )
    doc = _read(page)
    assert _spans(doc) == [
        ("title", "Naproxen for gout flares"),
        ("heading", "Results"),
        ("body", "Naproxen relieved pain as well as prednisolone did in 400 patients with gout."),
        ("caption", "Figure 1. Pain scores by day."),
        ("heading", "References"),
        ("reference", "Janssens HJ. Lancet 2008;371:1854-60."),
    ]


def test_role_spans_are_ordered_and_disjoint() -> None:
    doc = _read(_page("fr", "cookies-not-set"))
    ends = [0]
    for start, end, role in doc.roles:
        assert ends[-1] <= start < end <= len(doc.text) and role in ROLES
        ends.append(end)


def test_without_an_extractor_the_walker_keeps_every_block(monkeypatch) -> None:
    monkeypatch.setattr(html, "main_text", lambda _html: None)
    doc = _read(_page("en", "cookies-not-set"))
    assert "Great read, thanks!" in doc.text and ARTICLES["en"][1][0] in doc.text


@pytest.mark.parametrize(
    ("blocks", "main", "kept"),
    [
        (
            [Block("Results", "heading"), Block("Aspirin lowered the rate of stroke.")],
            "Aspirin lowered the rate of stroke.",
            ["Results", "Aspirin lowered the rate of stroke."],
        ),
        (
            [
                Block("Aspirin lowered the rate of stroke."),
                Block("Stay informed", "heading"),
                Block("Subscribe to our alerts today."),
                Block("Bleeding was rare in both arms of the trial."),
            ],
            "Aspirin lowered the rate of stroke.\nBleeding was rare in both arms of the trial.",
            ["Aspirin lowered the rate of stroke.", "Bleeding was rare in both arms of the trial."],
        ),
        (
            [Block("Age"), Block("Aspirin lowered the rate of stroke."), Block("67")],
            "Age\nAspirin lowered the rate of stroke.\n67",
            ["Age", "Aspirin lowered the rate of stroke.", "67"],
        ),
        (
            [Block("A title", "title"), Block("Menu"), Block("Aspirin lowered the rate.")],
            "Aspirin lowered the rate.",
            ["A title", "Aspirin lowered the rate."],
        ),
        (
            [Block("Short page.")],
            None,
            ["Short page."],
        ),
    ],
    ids=[
        "heading-of-kept-text",
        "newsletter-heading-and-box-dropped",
        "short-cells-at-the-edges",
        "title-kept-menu-dropped",
        "no-extractor-result",
    ],
)
def test_select_main_blocks(blocks: list[Block], main: str | None, kept: list[str]) -> None:
    assert [b.text for b in select_main_blocks(blocks, main) if b.text] == kept


def test_section_breaks_are_kept_between_kept_blocks_only() -> None:
    blocks = [
        Block("Aspirin lowered the rate of stroke."),
        SECTION_BREAK,
        Block("Bleeding was rare in both arms."),
        SECTION_BREAK,
        Block("Comments closed."),
    ]
    main = "Aspirin lowered the rate of stroke.\nBleeding was rare in both arms."
    assert [b.text for b in select_main_blocks(blocks, main)] == [
        "Aspirin lowered the rate of stroke.",
        "",
        "Bleeding was rare in both arms.",
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        '<p class="byline">By Jane Doe, staff writer</p>',
        '<div class="entry-meta">Posted on 3 May 2021 by Jane Doe</div>',
        '<div class="author-box"><p>Jane Doe writes about cardiology.</p></div>',
    ],
    ids=["byline", "entry-meta", "author-box"],
)
def test_bylines_and_author_boxes_are_furniture_even_for_the_walker(
    monkeypatch, furniture: str
) -> None:
    monkeypatch.setattr(html, "main_text", lambda _html: None)
    page = _page("en").replace("<article><h1>", f"<article>{furniture}<h1>")
    doc = _read(page)
    assert "Jane Doe" not in doc.text and ARTICLES["en"][1][0] in doc.text


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        (
            "<p>Bisoprolol lowered admissions <a class='share'>Share</a> for heart failure"
            " by a third over two years of follow-up in 640 outpatients.</p>",
            "Bisoprolol lowered admissions for heart failure by a third over two years of"
            " follow-up in 640 outpatients.",
        ),
        (
            "<p>Bisoprolol lowered admis\u00adsions for heart\u200bfailure by a third.</p>",
            "Bisoprolol lowered admis\u00adsions for heart\u200bfailure by a third.",
        ),
    ],
    ids=["inline-widget-dropped-by-the-walker-only", "soft-hyphen-and-zero-width-space"],
)
def test_a_paragraph_rendered_a_little_differently_is_still_main_text(
    paragraph: str, kept: str
) -> None:
    title, paragraphs = ARTICLES["en"]
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2]) + paragraph + f"<p>{paragraphs[2]}</p>"
    page = f"<html><body><article><h1>{title}</h1>{body}</article></body></html>"
    assert kept in _read(page).text


def test_mostly_in_needs_most_pieces_of_a_long_block() -> None:
    from litkit.sources.html_main import _mostly_in

    main = "bisoprolollowered" + "admissionsforheartfailurebyathird" * 2
    assert _mostly_in("bisoprolollowered" + "SHARE" + "admissionsforheartfailurebyathird", main)
    assert not _mostly_in("signupforournewsletteranddonotmissastory", main)
    assert not _mostly_in("short", main)
