"""Read an HTML page into blocks of article text plus its citation metadata.

Journal pages wrap a few paragraphs in menus, cookie banners, share buttons and figure
viewers. We drop the elements that are never article text, keep each heading, paragraph,
list item, caption and table cell as one line, and put a blank line before each heading or
section so the segmenter sees the structure. Citation metadata comes from the <meta> tags
publishers fill for Google Scholar (citation_*), Dublin Core and PRISM.

The reference list at the end of an article is hundreds of other papers' titles: their
drug names and outcomes are not this article's claims. What follows a heading titled
"References" / "Bibliographie" / "参考文献" (list in resources/boilerplate.json) is kept with
the role "reference" (ParsedText.roles) up to the next heading of the same or a higher
level, but only when that heading is a real heading element: a paragraph that mentions
"references" is body text. Titles, headings and captions get their roles the same way.

Which blocks are the article (not comments, newsletter boxes, related lists) is decided
with trafilatura's main text (html_main). A page with no main text is refused as such.

The tree is walked with an explicit stack, not recursion: a page nested 10,000 levels deep
(broken or hostile HTML) must give its text, not a RecursionError.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from litkit.boilerplate import is_ui_chrome
from litkit.errors import SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources.biblio import DOI, find_doi
from litkit.sources.encoding import declared_charset, decode
from litkit.sources.html_main import SECTION_BREAK, Block, main_text, select_main_blocks
from litkit.sources.text import text_metadata

try:  # lxml is faster and more forgiving; html.parser ships with Python
    import lxml  # noqa: F401

    PARSER = "lxml"
except ImportError:
    PARSER = "html.parser"

DROPPED_TAGS = frozenset(
    {
        "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
        "iframe", "svg", "canvas", "button", "select", "option", "input", "textarea", "label",
        "menu", "dialog", "object", "embed", "video", "audio", "map", "head",
    }
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote",
        "pre", "address", "tr", "ul", "ol", "dl", "table", "figure", "main", "body",
        "center", "details", "summary", "legend", "fieldset", "hr", "br",
    }
)  # fmt: skip
WRAPPER_TAGS = frozenset({"html", "body", "main", "article"})
SECTION_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "hgroup"})
DROPPED_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar"}
)
# class/id words of page furniture; matched as whole words of the attribute. Bylines and
# author boxes (the CMS class names `byline`, `entry-meta`, `author-box`) name people and
# dates, never the article's findings.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|breadcrumbs?|skip-?link|sr-only|visually-hidden|"
    r"screen-reader-text|share|sharing|social|toolbar|navbar|advert|advertisement|popup|modal|"
    r"newsletter|figure-viewer|fig-viewer|lightbox|"
    r"byline|entry-meta|post-meta|author-(?:box|bio|info))(?:$|[\s_-])",
    re.IGNORECASE,
)
# class/id of a section heading that is not an <hN> ("c-article-section__title", "pmc_sec_title")
_SECTION_TITLE = re.compile(r"(?:^|[\s_-])(?:sec|section)[_-]{0,2}title(?:$|[\s_-])", re.I)
_HEADING_NUMBER = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[A-Z])[.)]?\s+|[\s:：.]+$")
UNKNOWN_HEADING_LEVEL = 6  # a section-title <div>: any later heading ends what it started
_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_SKIPPED_STRINGS = (Comment, Doctype, CData, Declaration, ProcessingInstruction)
_BREAK, _SECTION, _END_ROLE = object(), object(), object()
CAPTION_TAGS = frozenset({"figcaption", "caption"})
WRAPPER_SHARE = 0.5
"""An element holding this share of the page's text is a wrapper, whatever its class says:
one class word (`cookies-not-set` on <body>, `navbar-open` on a layout div) must not drop
the article with it."""


class _Role:
    """Stack marker: text after it, up to the matching _END_ROLE, has `role`."""

    __slots__ = ("role", "section")

    def __init__(self, role: str, section: bool) -> None:
        self.role = role
        self.section = section


def read_html(raw: RawSource) -> list[ParsedText]:
    """One ParsedText: the page's main text (one block per line), its roles and metadata.

    litkit's walker renders every block with its role; a maintained main-text extractor
    (trafilatura, see html_main) then says which blocks are the article, so comment threads,
    newsletter boxes, related-article lists and bylines go while the structure stays ours.
    """
    decoded = decode(
        raw.data, raw.locator, declared=declared_charset(raw.media_type) or _meta_charset(raw.data)
    )
    elements = sum(1 for _ in _START_TAG.finditer(decoded.text))
    if elements > MAX_HTML_ELEMENTS:
        raise SourceError(raw.locator, _too_many_elements(elements))
    try:
        soup = BeautifulSoup(decoded.text, PARSER)
        blocks = _lines(soup)
        blocks = select_main_blocks(blocks, main_text(decoded.text))
        text, roles = _assemble(blocks)
        meta = _metadata(soup, text, raw)
    except RecursionError:
        raise SourceError(raw.locator, "HTML too deeply nested to parse") from None
    if not text.strip():
        raise SourceError(raw.locator, "no main text found")
    return [
        ParsedText(
            text=text,
            meta=meta,
            media_type="text/html",
            encoding=decoded.encoding,
            roles=roles,
        )
    ]


# A page with more elements than this is refused before it is parsed: the parse tree costs
# ~3.5 KB per element (BeautifulSoup's and trafilatura's trees), so 100,000 elements are
# ~350 MB; a long journal article with its reference list has 5,000-20,000.
MAX_HTML_ELEMENTS = 100_000
_START_TAG = re.compile(r"<[A-Za-z]")


def _too_many_elements(count: int) -> str:
    return (
        f"HTML page too large to read as one document ({count:,} elements; the limit is"
        f" {MAX_HTML_ELEMENTS:,}): save the article part alone"
    )


def _meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta charset> or http-equiv)."""
    found = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii") if found else None


# --------------------------------------------------------------------------- text


def _assemble(blocks: list[Block]) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """Join blocks into the reader's text; consecutive blocks of one role make one span."""
    parts: list[str] = []
    roles: list[tuple[int, int, str]] = []
    offset = 0
    for block in blocks:
        if parts:
            parts.append("\n")
            offset += 1
        parts.append(block.text)
        if block.text:
            end = offset + len(block.text)
            if roles and roles[-1][2] == block.role and roles[-1][1] >= offset - 2:
                roles[-1] = (roles[-1][0], end, block.role)
            else:
                roles.append((offset, end, block.role))
        offset += len(block.text)
    return "".join(parts), tuple(roles)


def _lines(soup: BeautifulSoup) -> list[Block]:
    """Blocks in document order, an empty block before sections, chrome-only blocks dropped."""
    lines: list[Block] = []
    page_chars = _page_chars(soup)
    for block in _blocks(soup, page_chars):
        if block is _SECTION:
            if lines and lines[-1].text:
                lines.append(SECTION_BREAK)
        elif not is_ui_chrome(block.text) and not _navigation_links().fullmatch(block.text):
            lines.append(block)
    while lines and not lines[-1].text:
        lines.pop()
    return lines


def _page_chars(soup: BeautifulSoup) -> int:
    """Characters of visible text in the page, to tell a wrapper from a widget."""
    body = soup.find("body")
    root = body if isinstance(body, Tag) else soup
    return len(_SPACES.sub("", root.get_text()))


def _blocks(soup: BeautifulSoup, page_chars: int):  # -> Iterator[Block | object]
    """Depth-first walk with an explicit stack; yields Blocks and _SECTION markers.

    A heading, title or caption element pushes its role for the text inside it. After a
    reference-list heading, body blocks are marked as references until a heading of the
    same or a higher level.
    """
    buffer: list[str] = []
    stack: list[object] = [soup]
    roles: list[str] = ["body"]  # role of the innermost element that set one
    references_below: int | None = None  # level of the reference heading in force
    seen_title = False
    while stack:
        node = stack.pop()
        if node is _BREAK or node is _SECTION or node is _END_ROLE or isinstance(node, _Role):
            text = _SPACES.sub(" ", "".join(buffer)).strip()
            buffer.clear()
            if text:
                current = roles[-1]
                yield Block(
                    text, "reference" if references_below and current == "body" else current
                )
            if node is _SECTION or (isinstance(node, _Role) and node.section):
                yield _SECTION
            if node is _END_ROLE:
                roles.pop()
            elif isinstance(node, _Role):
                roles.append(node.role)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, _SKIPPED_STRINGS):
                buffer.append(str(node))
            continue
        if not isinstance(node, Tag) or _is_furniture(node, page_chars):
            continue
        role = None
        level = _heading_level(node)
        if level is not None:
            role = "heading"
            if level == 1 and not seen_title:
                role, seen_title = "title", True
            if _is_reference_heading(node):
                if references_below is None or level < references_below:
                    references_below = level
            elif references_below is not None and level <= references_below:
                references_below = None
        elif node.name in CAPTION_TAGS:
            role = "caption"
        name = node.name
        if role is not None:
            stack.append(_END_ROLE)
            stack.extend(reversed(node.contents))
            stack.append(_Role(role, section=role != "caption"))
        elif name in SECTION_TAGS:
            stack.append(_BREAK)
            stack.extend(reversed(node.contents))
            stack.append(_SECTION)
        elif name in BLOCK_TAGS:
            stack.append(_BREAK)
            stack.extend(reversed(node.contents))
            stack.append(_BREAK)
        else:
            stack.extend(reversed(node.contents))
    text = _SPACES.sub(" ", "".join(buffer)).strip()
    if text:
        yield Block(text, "reference" if references_below and roles[-1] == "body" else roles[-1])


def _heading_level(tag: Tag) -> int | None:
    """1-6 for a heading element (<hN>, role=heading, a section-title class), else None."""
    name = tag.name
    if len(name) == 2 and name[0] == "h" and name[1] in "123456":
        return int(name[1])
    attrs = tag.attrs
    if not attrs:
        return None
    if str(attrs.get("role", "")).lower() == "heading":
        level = str(attrs.get("aria-level", ""))
        return int(level) if level.isdigit() and 1 <= int(level) <= 6 else 2
    classes: Any = attrs.get("class", [])
    words = " ".join([*classes] if isinstance(classes, list) else [str(classes)])
    if _SECTION_TITLE.search(f"{words} {attrs.get('id', '')}"):
        return UNKNOWN_HEADING_LEVEL
    return None


def _is_reference_heading(tag: Tag) -> bool:
    text = _SPACES.sub(" ", tag.get_text()).strip()
    if not text or len(text) > 60:
        return False
    return _HEADING_NUMBER.sub("", text).casefold() in _reference_headings()


@functools.cache
def _boilerplate() -> dict:
    return json.loads(
        resources.files("litkit.resources").joinpath("boilerplate.json").read_text("utf-8")
    )


@functools.cache
def _reference_headings() -> frozenset[str]:
    return frozenset(heading.casefold() for heading in _boilerplate()["reference_headings"])


@functools.cache
def _navigation_links() -> re.Pattern:
    """A block made only of skip links / landmark labels ("Skip to main page content")."""
    phrases = sorted(
        {p for ps in _boilerplate()["navigation_links"].values() for p in ps},
        key=lambda p: (-len(p), p),
    )
    one = "|".join(re.escape(p).replace("\\ ", "\\s+") for p in phrases)
    return re.compile(f"(?:{one})(?:\\s*[|·•]?\\s*(?:{one}))*", re.IGNORECASE)


def _is_furniture(tag: Tag, page_chars: int) -> bool:
    """Never article text: dropped tags, hidden elements, furniture roles and class words.

    A furniture class word drops a widget, never the page: <html>, <body>, <main>,
    <article> and any element holding most of the page's text are kept whatever their class.
    """
    if tag.name in DROPPED_TAGS:
        return True
    attrs = tag.attrs
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    if str(attrs.get("role", "")).lower() in DROPPED_ROLES:
        return True
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    classes: Any = attrs.get("class", [])
    words = " ".join([*classes] if isinstance(classes, list) else [str(classes)])
    if not _FURNITURE.search(f"{words} {attrs.get('id', '')}"):
        return False
    if tag.name in WRAPPER_TAGS:
        return False
    return len(_SPACES.sub("", tag.get_text())) < WRAPPER_SHARE * page_chars


# ----------------------------------------------------------------------- metadata


def _metadata(soup: BeautifulSoup, text: str, raw: RawSource) -> DocumentMeta:
    metas = _meta_tags(soup)

    def first(*names: str) -> str | None:
        for name in names:
            for value in metas.get(name, ()):
                if value:
                    return value
        return None

    def all_of(*names: str) -> tuple[str, ...]:
        values = [v for name in names for v in metas.get(name, ())]
        return tuple(dict.fromkeys(v for v in values if v))

    fallback = text_metadata(text)
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    title = (
        first("citation_title", "dc.title", "prism.title")
        or (_SPACES.sub(" ", h1.get_text()).strip() if h1 else None)
        or first("og:title")
        or (_SPACES.sub(" ", title_tag.get_text()).strip() if title_tag else None)
        or fallback.title
    )
    date = first(
        "citation_publication_date", "citation_date", "citation_online_date",
        "dc.date", "prism.publicationdate", "article:published_time", "citation_year",
    )  # fmt: skip
    year = _YEAR.search(date) if date else None
    keywords = [
        k.strip() for v in all_of("citation_keywords", "keywords") for k in re.split(r"[;,]", v)
    ]
    html_tag = soup.find("html")
    lang = (html_tag.get("lang") if isinstance(html_tag, Tag) else None) or first(
        "citation_language", "dc.language", "content-language"
    )
    canonical = soup.find("link", rel="canonical")
    return DocumentMeta(
        title=title or None,
        doi=_doi_from(first("citation_doi", "prism.doi", "dc.identifier", "dc.identifier.doi"))
        or find_doi(text),
        pmid=first("citation_pmid") or fallback.pmid,
        journal=first("citation_journal_title", "prism.publicationname", "dc.source")
        or fallback.journal,
        year=int(year.group(1)) if year else fallback.year,
        volume=first("citation_volume", "prism.volume") or fallback.volume,
        authors=all_of("citation_author", "dc.creator") or fallback.authors,
        affiliations=all_of("citation_author_institution") or fallback.affiliations,
        keywords=tuple(dict.fromkeys(k for k in keywords if k)),
        declared_language=_primary_language(str(lang)) if lang else None,
        url=_href(canonical) or first("og:url"),
        final_url=raw.final_url,
    )


def _meta_tags(soup: BeautifulSoup) -> dict[str, list[str]]:
    """<meta name|property|http-equiv=... content=...> by lower-cased name, in page order."""
    metas: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("name") or tag.get("property") or tag.get("http-equiv")
        content = tag.get("content")
        if name and content:
            metas.setdefault(str(name).strip().lower(), []).append(
                _SPACES.sub(" ", str(content)).strip()
            )
    return metas


def _doi_from(value: str | None) -> str | None:
    if not value:
        return None
    found = DOI.search(value)
    return find_doi(found.group(0)) if found else None


def _primary_language(tag: str) -> str | None:
    """`en-US` -> `en`, `zh-Hant` -> `zh`: the ISO 639-1 code the rest of litkit uses."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


__all__ = ["PARSER", "read_html"]


def _href(link: Any) -> str | None:
    """The `href` of a `<link>` tag as text, or None (bs4 may give a list for odd markup)."""
    href = link.get("href") if isinstance(link, Tag) else None
    return href if isinstance(href, str) else None
