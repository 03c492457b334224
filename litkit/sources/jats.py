"""PMC / JATS XML articles (files, `pmcid:` sources) and dispatch of generic XML.

What a reviewer cites is in the abstract and the body: sections keep their titles as heading
lines, figure captions are kept once (PMC repeats figures in a floats group), and tables,
formulas and back matter are left out because their cells are not sentences. Keywords,
affiliations and reference entries are appended with their roles: searchable, never
claims. Citations (`<xref ref-type="bibr">`) are dropped with what is left of their
brackets (separators, page locators: no `(, p. 16)` debris). A `<sub-article>` that
translates the article is kept after it as its own language part; figures nested in
figures (or in a `<fig-group>`) keep every caption, once.
"""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING

from litkit.errors import FetchError, SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources import http, pubmed
from litkit.sources.biblio import clean_doi
from litkit.sources.blocks import Block, join_sections
from litkit.sources.safexml import local_name, parse_xml, root_name

if TYPE_CHECKING:  # httpx is imported where a URL is fetched: ~0.08 s per process
    import httpx

MEDIA_TYPE = http.JATS_XML
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"

# Elements whose content is never sentences of the article.
_SKIPPED = frozenset(
    {
        "table-wrap", "table-wrap-group", "table", "ref-list", "back", "disp-formula",
        "inline-formula", "tex-math", "math", "supplementary-material", "graphic",
        "media", "alternatives", "object-id", "label", "fn-group", "processing-meta",
        "sub-article",
    }
)  # fmt: skip
# Elements that start a new block (a new line) in the text.
_BLOCKS = frozenset(
    {
        "p",
        "title",
        "list-item",
        "def-item",
        "disp-quote",
        "fig",
        "fig-group",
        "caption",
        "boxed-text",
    }
)
_EMPTY_BRACKETS = re.compile(r"\s*[\[(]\s*(?:[,;–—-]\s*)*[\])]")
CITATION = "\ue000"  # stands where a citation was removed, until its bracket is cleaned
_NOT_BRACKET = r"[^\[\]()（）【】]*"
_CITED_BRACKET = re.compile(rf"\s*([\[(（【])({_NOT_BRACKET}\ue000{_NOT_BRACKET})([\])）】])")
_PIECE_SEPARATORS = re.compile(r"[;,；，、]")
# sub-articles that are the article in another language, not reviews or replies
TRANSLATION_TYPES = frozenset({"translation", "translated-article", "abstract-translation"})
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
                ParsedText(
                    parsed.text,
                    parsed.meta,
                    MEDIA_TYPE,
                    "utf-8",
                    locator=locator,
                    roles=parsed.roles,
                )
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
    """One <article> -> title, abstracts, body sections, captions, then keywords,
    affiliations and the reference list, each block with its role (`ParsedText.roles`).

    Keywords, affiliations and references come last, so the article reads as before; they
    are kept (searchable, exported with their role) but carry no claims."""
    meta_node = _find(article, "front/article-meta")
    sections: list[list[Block]] = []
    title_blocks = [_inline(_find(meta_node, "title-group/article-title"))]
    title_blocks += [_inline(node) for node in _find_all(meta_node, "trans-title")]
    sections.append([(block, "title") for block in title_blocks if block])

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
    for sub_article in _translations(article):
        sections.extend(_sub_article_sections(sub_article))
    meta = _meta(article, meta_node, final_url)
    sections.append(_back_matter(article, meta))
    text, roles = join_sections(sections)
    return ParsedText(text=text, meta=meta, media_type=MEDIA_TYPE, roles=roles)


def _translations(article: ET.Element) -> list[ET.Element]:
    """<sub-article>s that translate the article: typed as a translation, or in a language
    other than the article's (peer reviews and author replies are neither)."""
    language = (article.get(XML_LANG) or "").lower()
    found = []
    for sub in _find_all(article, "sub-article"):
        kind = (sub.get("article-type") or "").lower()
        sub_language = (sub.get(XML_LANG) or "").lower()
        if kind in TRANSLATION_TYPES or (not kind and sub_language and sub_language != language):
            found.append(sub)
    return found


def _sub_article_sections(sub: ET.Element) -> list[list[Block]]:
    """A translation as its own language part of the document: its title, abstracts, body
    and captions after the original's, so sentences align as translations (litkit.link)."""
    front = next(
        (
            node
            for node in (_find(sub, "front-stub"), _find(sub, "front/article-meta"))
            if node is not None
        ),
        None,
    )
    sections: list[list[Block]] = [[(_inline(_find(front, "title-group/article-title")), "title")]]
    for abstract in _find_all(front, "abstract") + _find_all(front, "trans-abstract"):
        sections.append(_blocks(abstract, seen_captions=set()))
    seen_captions: set[str] = set()
    for part in ("body", "floats-group"):
        node = _find(sub, part)
        if node is not None:
            sections.extend(_blocks(child, seen_captions) for child in node)
    return [[block for block in blocks if block[0]] for blocks in sections]


def _back_matter(article: ET.Element, meta: DocumentMeta) -> list[Block]:
    """Keyword line, affiliations and reference entries, one block each."""
    blocks: list[Block] = []
    if meta.keywords:
        blocks.append(("Keywords: " + "; ".join(meta.keywords), "keywords"))
    blocks += [(aff, "affiliation") for aff in meta.affiliations]
    for ref in _iter(article, "ref"):
        citation = " ".join(
            " ".join("".join(node.itertext()).split())
            for node in ref
            if local_name(node.tag) != "label"
        )
        if citation.strip():
            blocks.append((citation.strip(), "reference"))
    return blocks


def _blocks(element: ET.Element, seen_captions: set[str]) -> list[Block]:
    """Block lines of an element: headings, paragraphs, list items and unseen captions."""
    lines: list[Block] = []
    _collect(element, lines, seen_captions, "body")
    return [line for line in lines if line[0]]


def _collect(element: ET.Element, lines: list[Block], seen_captions: set[str], role: str) -> None:
    name = local_name(element.tag)
    if name in _SKIPPED or (name == "xref" and element.get("ref-type") == "bibr"):
        return
    if name in ("fig", "fig-group"):  # its caption once, then the figures nested in it
        caption = _find(element, "caption")
        if caption is not None:
            text = " ".join("".join(caption.itertext()).split())
            if text and text not in seen_captions:
                seen_captions.add(text)
                _collect(caption, lines, seen_captions, "caption")
        for child in element:
            if local_name(child.tag) in ("fig", "fig-group"):
                _collect(child, lines, seen_captions, role)
        return
    if name in ("p", "title"):
        lines.append((_inline(element), "heading" if name == "title" else role))
        for child in element:  # block children nested in a paragraph (figures, lists)
            if local_name(child.tag) in _BLOCKS | {"list", "fig"}:
                _collect(child, lines, seen_captions, role)
        return
    for child in element:
        _collect(child, lines, seen_captions, role)


def _inline(element: ET.Element | None) -> str:
    """Running text of an element, without nested blocks, skipped parts or citation markers."""
    if element is None:
        return ""
    parts: list[str] = []
    _inline_parts(element, parts, top=True)
    text = " ".join("".join(parts).split())
    text = _CITED_BRACKET.sub(_clean_cited_bracket, text).replace(CITATION, "")
    text = _EMPTY_BRACKETS.sub("", " ".join(text.split()))
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).strip()


def _clean_cited_bracket(match: re.Match[str]) -> str:
    """A bracket that held citations, without them: `(Smith et al., 2010, p. 16)` -> ``,
    `(n = 12; Smith 2010)` -> ` (n = 12)`. Pieces between `,`/`;` that held a citation, or
    are only a page locator or a lead word of it, go; other words stay."""
    opening, inside, closing = match.groups()
    separator = "; " if ";" in inside else "；" if "；" in inside else ", "
    kept = []
    for piece in _PIECE_SEPARATORS.split(inside):
        if CITATION in piece or _is_citation_debris(piece):
            continue
        if piece.strip():
            kept.append(piece.strip())
    return f" {opening}{separator.join(kept)}{closing}" if kept else ""


def _is_citation_debris(piece: str) -> bool:
    stripped = piece.strip(" –—-").casefold()
    return not stripped or bool(_debris_pattern().fullmatch(stripped))


@functools.cache
def _debris_pattern() -> re.Pattern[str]:
    data = json.loads(
        resources.files("litkit.resources")
        .joinpath("references/citation_debris.json")
        .read_text("utf-8")
    )
    locators = sorted({w for ws in data["locators"].values() for w in ws}, key=len, reverse=True)
    leads = sorted({w for ws in data["lead_words"].values() for w in ws}, key=len, reverse=True)
    locator = "|".join(re.escape(w.casefold()) for w in locators)
    lead = "|".join(re.escape(w.casefold()) for w in leads)
    number = r"\d+[a-z]?(?:\s*[–—-]\s*\d+[a-z]?)?"
    return re.compile(
        rf"(?:(?:{lead})\s*)*(?:(?:{locator})\s*{number}\s*(?:{locator})?|{number})?"
        rf"(?:\s*(?:{lead}))*"
    )


def _inline_parts(element: ET.Element, parts: list[str], top: bool) -> None:
    name = local_name(element.tag)
    citation = name == "xref" and element.get("ref-type") == "bibr"
    skip = name in _SKIPPED or citation
    nested_block = not top and name in _BLOCKS | {"list", "fig"}
    if citation:
        parts.append(CITATION)
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
        doi=clean_doi(ids.get("doi")),
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
        found = _find(date, "year")
        year = (found.text or "") if found is not None else ""
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
