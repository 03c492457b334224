"""PMC / JATS XML articles (files, `pmcid:` sources) and dispatch of generic XML.

What a reviewer cites is in the abstract and the body: sections keep their titles as heading
lines, figure captions are kept once (PMC repeats figures in a floats group), and tables,
formulas, reference lists and back matter are left out because their cells and citations
are not sentences. Citation markers (`<xref ref-type="bibr">`) are dropped with the empty
brackets they leave behind.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx

from litkit.errors import FetchError, SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources import http, pubmed
from litkit.sources.safexml import local_name, parse_xml, root_name

MEDIA_TYPE = http.JATS_XML
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"

# Elements whose content is never sentences of the article.
_SKIPPED = frozenset(
    {
        "table-wrap", "table-wrap-group", "table", "ref-list", "back", "disp-formula",
        "inline-formula", "tex-math", "math", "supplementary-material", "graphic",
        "media", "alternatives", "object-id", "label", "fn-group", "processing-meta",
    }
)  # fmt: skip
# Elements that start a new block (a new line) in the text.
_BLOCKS = frozenset(
    {"p", "title", "list-item", "def-item", "disp-quote", "fig", "caption", "boxed-text"}
)
_EMPTY_BRACKETS = re.compile(r"\s*[\[(]\s*(?:[,;–—-]\s*)*[\])]")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:)\]])")


def read_jats(raw: RawSource) -> list[ParsedText | SourceError]:
    """A JATS file (or a `<pmc-articleset>` from efetch) -> one ParsedText per <article>."""
    try:
        root = parse_xml(raw.data, raw.locator)
    except SourceError as error:
        return [error]
    articles = [root] if local_name(root.tag) == "article" else _find_all(root, "article")
    if not articles:
        return [SourceError(raw.locator, "no <article> element in this JATS XML")]
    results: list[ParsedText | SourceError] = []
    for number, article in enumerate(articles, start=1):
        parsed = parse_article(article, final_url=raw.final_url)
        locator = raw.locator if len(articles) == 1 else f"{raw.locator}#{number}"
        if not parsed.text.strip():
            results.append(SourceError(locator, "article has no title, abstract or body text"))
        else:
            results.append(
                ParsedText(parsed.text, parsed.meta, MEDIA_TYPE, "utf-8", locator=locator)
            )
    return results


def read_xml(raw: RawSource) -> list[ParsedText | SourceError]:
    """Generic `application/xml` and `text/xml`: PubMed or JATS, chosen by the root element."""
    name = root_name(raw.data)
    if name in ("PubmedArticleSet", "PubmedArticle"):
        return pubmed.read_pubmed_xml(raw)
    if name in ("article", "pmc-articleset"):
        return read_jats(raw)
    return [SourceError(raw.locator, f"unsupported XML document (root element <{name}>)")]


def fetch_pmcid_sources(
    locator: str,
    client: httpx.Client | None = None,
    limiter: pubmed.RateLimiter | None = None,
    options: http.FetchOptions | None = None,
) -> Iterator[RawSource | SourceError]:
    """The `pmcid` scheme: `pmcid:PMC1234567` -> its JATS XML from efetch (db=pmc)."""
    ident = re.sub(r"(?i)^pmcid\s*:\s*", "", locator.strip()).upper()
    ident = ident if ident.startswith("PMC") else "PMC" + ident
    if not ident[3:].isdigit():
        yield SourceError(locator, "not a PMC id (expected e.g. pmcid:PMC1234567)")
        return
    try:
        data = pubmed._eutils_get(
            "efetch.fcgi", {"db": "pmc", "id": ident[3:]}, locator, client, limiter, options
        )
        root = parse_xml(data, locator)
    except SourceError as error:
        yield FetchError(locator, error.reason)
        return
    articles = [root] if local_name(root.tag) == "article" else _find_all(root, "article")
    if not articles:
        message = " ".join(" ".join(root.itertext()).split())[:200]
        yield FetchError(locator, f"no article for {ident} ({message or 'empty answer'})")
        return
    wrapper = ET.Element("pmc-articleset")
    wrapper.append(articles[0])
    yield RawSource(
        locator=f"pmcid:{ident}",
        data=b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(wrapper, encoding="utf-8"),
        media_type=MEDIA_TYPE,
        final_url=PMC_URL.format(pmcid=ident),
    )


# --- article structure ----------------------------------------------------------------------


def parse_article(article: ET.Element, final_url: str | None = None) -> ParsedText:
    """One <article> -> title, abstracts, body sections and captions, plus metadata."""
    meta_node = _find(article, "front/article-meta")
    sections: list[list[str]] = []
    title_blocks = [_inline(_find(meta_node, "title-group/article-title"))]
    title_blocks += [_inline(node) for node in _find_all(meta_node, "trans-title")]
    sections.append([block for block in title_blocks if block])

    for abstract in _find_all(meta_node, "abstract") + _find_all(meta_node, "trans-abstract"):
        if abstract.get("abstract-type") in ("teaser", "web-summary", "toc"):
            continue
        sections.append(_blocks(abstract, seen_captions=set()))

    seen_captions: set[str] = set()
    body = _find(article, "body")
    if body is not None:
        for child in body:
            sections.append(_blocks(child, seen_captions))
    floats = _find(article, "floats-group")
    if floats is not None:
        sections.append(_blocks(floats, seen_captions))
    text = "\n\n".join("\n".join(blocks) for blocks in sections if blocks)
    return ParsedText(text=text, meta=_meta(article, meta_node, final_url), media_type=MEDIA_TYPE)


def _blocks(element: ET.Element, seen_captions: set[str]) -> list[str]:
    """Block lines of an element: headings, paragraphs, list items and unseen captions."""
    lines: list[str] = []
    _collect(element, lines, seen_captions)
    return [line for line in lines if line]


def _collect(element: ET.Element, lines: list[str], seen_captions: set[str]) -> None:
    name = local_name(element.tag)
    if name in _SKIPPED or (name == "xref" and element.get("ref-type") == "bibr"):
        return
    if name == "fig":
        caption = _find(element, "caption")
        if caption is not None:
            text = " ".join("".join(caption.itertext()).split())
            if text and text not in seen_captions:
                seen_captions.add(text)
                _collect(caption, lines, seen_captions)
        return
    if name in ("p", "title"):
        lines.append(_inline(element))
        for child in element:  # block children nested in a paragraph (figures, lists)
            if local_name(child.tag) in _BLOCKS | {"list", "fig"}:
                _collect(child, lines, seen_captions)
        return
    for child in element:
        _collect(child, lines, seen_captions)


def _inline(element: ET.Element | None) -> str:
    """Running text of an element, without nested blocks, skipped parts or citation markers."""
    if element is None:
        return ""
    parts: list[str] = []
    _inline_parts(element, parts, top=True)
    text = " ".join("".join(parts).split())
    text = _EMPTY_BRACKETS.sub("", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).strip()


def _inline_parts(element: ET.Element, parts: list[str], top: bool) -> None:
    name = local_name(element.tag)
    skip = name in _SKIPPED or (name == "xref" and element.get("ref-type") == "bibr")
    nested_block = not top and name in _BLOCKS | {"list", "fig"}
    if not skip and not nested_block:
        parts.append(element.text or "")
        for child in element:
            _inline_parts(child, parts, top=False)
    elif nested_block:
        parts.append(" ")
    if not top:
        parts.append(element.tail or "")


# --- metadata -------------------------------------------------------------------------------


def _meta(article: ET.Element, meta_node: ET.Element | None, final_url: str | None) -> DocumentMeta:
    ids = {
        node.get("pub-id-type"): (node.text or "").strip()
        for node in _find_all(meta_node, "article-id")
    }
    pmcid = ids.get("pmc") or ids.get("pmcid")
    if pmcid and not pmcid.upper().startswith("PMC"):
        pmcid = "PMC" + pmcid
    journal = _inline(_find(article, "front/journal-meta/journal-title-group/journal-title"))
    journal = journal or _inline(_find(article, "front/journal-meta/journal-title"))
    categories = [
        _inline(node)
        for group in _find_all(meta_node, "article-categories/subj-group")
        if group.get("subj-group-type") in (None, "heading", "article-type")
        for node in _find_all(group, "subject")
    ]
    article_type = (article.get("article-type") or "").strip()
    return DocumentMeta(
        title=_inline(_find(meta_node, "title-group/article-title")) or None,
        doi=(ids.get("doi") or "").lower() or None,
        pmid=ids.get("pmid") or None,
        journal=journal or None,
        year=_year(meta_node),
        volume=_inline(_find(meta_node, "volume")) or None,
        authors=_authors(meta_node),
        affiliations=pubmed.unique_texts(_affiliation(node) for node in _iter(meta_node, "aff")),
        keywords=pubmed.unique_texts(_inline(node) for node in _iter(meta_node, "kwd")),
        publication_types=pubmed.unique_texts([article_type, *categories]),
        declared_language=(article.get(XML_LANG) or "").lower() or None,
        url=PMC_URL.format(pmcid=pmcid.upper()) if pmcid else None,
        final_url=final_url,
        issue=_inline(_find(meta_node, "issue")) or None,
        pages=_pages(meta_node),
        pmcid=pmcid.upper() if pmcid else None,
    )


def _pages(meta_node: ET.Element | None) -> str | None:
    """`fpage`-`lpage` as citations print them, or the electronic locator (`elocation-id`)."""
    first = _inline(_find(meta_node, "fpage"))
    last = _inline(_find(meta_node, "lpage"))
    if first:
        return f"{first}-{last}" if last and last != first else first
    return _inline(_find(meta_node, "elocation-id")) or None


def _year(meta_node: ET.Element | None) -> int | None:
    dates = _find_all(meta_node, "pub-date")
    preferred = sorted(
        dates,
        key=lambda d: (
            (d.get("pub-type") or d.get("date-type") or "") not in ("epub", "pub", "ppub")
        ),
    )
    for date in preferred:
        year = (_find(date, "year").text or "") if _find(date, "year") is not None else ""
        if year.strip().isdigit():
            return int(year.strip())
    return None


def _authors(meta_node: ET.Element | None) -> tuple[str, ...]:
    names = []
    for contrib in _iter(meta_node, "contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = _find(contrib, "name")
        if name is not None:
            given = _inline(_find(name, "given-names"))
            surname = _inline(_find(name, "surname"))
            names.append(" ".join(part for part in (given, surname) if part))
        else:
            names.append(_inline(_find(contrib, "string-name") or _find(contrib, "collab")))
    return pubmed.unique_texts(names)


def _affiliation(aff: ET.Element) -> str:
    """Affiliation text without its footnote label ("1", "a")."""
    return _inline(aff).strip(" ,;")


# Namespace-agnostic lookups: PMC files come with and without a JATS namespace.


def _find_all(element: ET.Element | None, path: str) -> list[ET.Element]:
    if element is None:
        return []
    current = [element]
    for step in path.split("/"):
        current = [child for node in current for child in node if local_name(child.tag) == step]
    return current


def _find(element: ET.Element | None, path: str) -> ET.Element | None:
    found = _find_all(element, path)
    return found[0] if found else None


def _iter(element: ET.Element | None, name: str) -> Iterator[ET.Element]:
    if element is None:
        return iter(())
    return (node for node in element.iter() if local_name(node.tag) == name)
