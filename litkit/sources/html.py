"""Read an HTML page into blocks of article text plus its citation metadata.

Journal pages wrap a few paragraphs in menus, cookie banners, share buttons and figure
viewers. We drop the elements that are never article text, keep each heading, paragraph,
list item, caption and table cell as one line, and put a blank line before each heading or
section so the segmenter sees the structure. Citation metadata comes from the <meta> tags
publishers fill for Google Scholar (citation_*), Dublin Core and PRISM.

The reference list at the end of an article is hundreds of other papers' titles: their
drug names and outcomes are not this article's claims. What follows a heading titled
"References" / "Bibliographie" / "参考文献" (list in resources/boilerplate.json) is dropped up
to the next heading of the same or a higher level, but only when that heading is a real
heading element: a paragraph that mentions "references" is body text.

The tree is walked with an explicit stack, not recursion: a page nested 10,000 levels deep
(broken or hostile HTML) must give its text, not a RecursionError.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import CData, Declaration, ProcessingInstruction

from litkit.clean import is_ui_chrome
from litkit.errors import SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources.encoding import decode
from litkit.sources.text import DOI, _charset, find_doi, text_metadata

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
SECTION_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "hgroup"})
DROPPED_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar"}
)
# class/id words of page furniture; matched as whole words of the attribute
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|breadcrumbs?|skip-?link|sr-only|visually-hidden|"
    r"screen-reader-text|share|sharing|social|toolbar|navbar|advert|advertisement|popup|modal|"
    r"newsletter|figure-viewer|fig-viewer|lightbox)(?:$|[\s_-])",
    re.IGNORECASE,
)
# class/id of a section heading that is not an <hN> ("c-article-section__title", "pmc_sec_title")
_SECTION_TITLE = re.compile(r"(?:^|[\s_-])(?:sec|section)[_-]{0,2}title(?:$|[\s_-])", re.I)
_HEADING_NUMBER = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[A-Z])[.)]?\s+|[\s:：.]+$")
UNKNOWN_HEADING_LEVEL = 6  # a section-title <div>: any later heading ends what it started
_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_SKIPPED_STRINGS = (Comment, Doctype, CData, Declaration, ProcessingInstruction)
_BREAK, _SECTION = object(), object()


def read_html(raw: RawSource) -> list[ParsedText]:
    """One ParsedText: the page's article text (one block per line) and its metadata."""
    decoded = decode(
        raw.data, raw.locator, declared=_charset(raw.media_type) or _meta_charset(raw.data)
    )
    try:
        soup = BeautifulSoup(decoded.text, PARSER)
        text = "\n".join(_lines(soup))
        meta = _metadata(soup, text, raw)
    except RecursionError:
        raise SourceError(raw.locator, "HTML too deeply nested to parse") from None
    return [ParsedText(text=text, meta=meta, media_type="text/html", encoding=decoded.encoding)]


def _meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta charset> or http-equiv)."""
    found = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii") if found else None


# --------------------------------------------------------------------------- text


def _lines(soup: BeautifulSoup) -> list[str]:
    """Blocks in document order, a blank line before sections, chrome-only blocks dropped."""
    lines: list[str] = []
    for block in _blocks(soup):
        if block is _SECTION:
            if lines and lines[-1]:
                lines.append("")
        elif not is_ui_chrome(block) and not _navigation_links().fullmatch(block):
            lines.append(block)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _blocks(soup: BeautifulSoup):  # -> Iterator[str | object]
    """Depth-first walk with an explicit stack; yields block texts and _SECTION markers.

    After a reference-list heading, text is skipped (the walk goes on, to find the heading
    that ends the list) until a heading of the same or a higher level.
    """
    buffer: list[str] = []
    stack: list[object] = [soup]
    skipping_below: int | None = None  # level of the reference heading being skipped
    while stack:
        node = stack.pop()
        if node is _BREAK or node is _SECTION:
            text = _SPACES.sub(" ", "".join(buffer)).strip()
            buffer.clear()
            if text:
                yield text
            if node is _SECTION:
                yield _SECTION
            continue
        if isinstance(node, NavigableString):
            if skipping_below is None and not isinstance(node, _SKIPPED_STRINGS):
                buffer.append(str(node))
            continue
        if not isinstance(node, Tag) or _is_furniture(node):
            continue
        level = _heading_level(node)
        if level is not None:
            if _is_reference_heading(node):
                if skipping_below is None or level < skipping_below:
                    skipping_below = level
                stack.append(_BREAK)  # flush the text before the heading, then skip
                continue
            if skipping_below is not None and level <= skipping_below:
                skipping_below = None
        name = node.name
        if skipping_below is not None:
            stack.extend(reversed(node.contents))
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
        yield text


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
    classes = attrs.get("class", [])
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


def _is_furniture(tag: Tag) -> bool:
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
    classes = attrs.get("class", [])
    words = " ".join([*classes] if isinstance(classes, list) else [str(classes)])
    return bool(_FURNITURE.search(f"{words} {attrs.get('id', '')}"))


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
        url=(canonical.get("href") if isinstance(canonical, Tag) else None) or first("og:url"),
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
