"""PubMed through NCBI E-utilities: fetch records by PMID, search, and read PubMed XML.

A record becomes one document: title, vernacular title, the abstract with its section labels
as headings, and every OtherAbstract (a Chinese or French abstract) as its own block, so the
language stage sees each language's sentences. MeSH headings become keywords, publication
types are kept because they set the study design.

NCBI asks for at most 3 requests/s (10 with an API key) and allows up to 200 ids per efetch
GET, so ids are batched and requests pass through a small RateLimiter. Each PMID yields its
own RawSource holding just its <PubmedArticle>, re-serialised deterministically, so the same
PMID gives the same bytes whichever batch it came in.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from litkit.errors import FetchError, SourceError
from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.sources import http
from litkit.sources.biblio import clean_doi
from litkit.sources.blocks import Block, join_sections
from litkit.sources.safexml import parse_xml

if TYPE_CHECKING:  # httpx is imported where a URL is fetched: ~0.08 s per process
    import httpx

MEDIA_TYPE = http.PUBMED_XML
DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
BATCH_SIZE = 200
ESEARCH_PAGE = 10_000  # esearch's largest retmax
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"

# PubMed <Language> and OtherAbstract@Language use ISO 639-2 codes; the pipeline speaks 639-1.
_ISO639_2_TO_1 = {
    "eng": "en", "fre": "fr", "fra": "fr", "chi": "zh", "zho": "zh", "ger": "de", "deu": "de",
    "spa": "es", "ita": "it", "por": "pt", "jpn": "ja", "kor": "ko", "rus": "ru", "dut": "nl",
    "nld": "nl", "pol": "pl", "tur": "tr", "ara": "ar", "per": "fa", "fas": "fa", "swe": "sv",
    "dan": "da", "nor": "no", "fin": "fi", "cze": "cs", "ces": "cs", "hun": "hu", "gre": "el",
    "ell": "el", "heb": "he", "ukr": "uk", "rum": "ro", "ron": "ro", "hrv": "hr", "srp": "sr",
    "slv": "sl", "slo": "sk", "slk": "sk", "bul": "bg", "lit": "lt", "lav": "lv", "est": "et",
    "ice": "is", "isl": "is", "tha": "th", "vie": "vi", "ind": "id", "may": "ms", "msa": "ms",
}  # fmt: skip


def iso639_1(code: str | None) -> str | None:
    """`fre` -> `fr`; unknown codes are kept as given (lower-cased) rather than dropped."""
    if not code:
        return None
    code = code.strip().lower()
    return _ISO639_2_TO_1.get(code, code)


def eutils_url() -> str:
    """The E-utilities base URL; `LITKIT_EUTILS_URL` points tests at a local server."""
    base = os.environ.get("LITKIT_EUTILS_URL") or DEFAULT_EUTILS_URL
    return base if base.endswith("/") else base + "/"


class RateLimiter:
    """Space calls at least 1/rate seconds apart (NCBI: 3/s without a key, 10/s with one).

    `clock` and `sleep` are injectable so a test can check the spacing without waiting.
    """

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next call is allowed, then reserve the slot after it."""
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


def default_rate_limiter() -> RateLimiter:
    """One shared limiter per process, at NCBI's rate for the configured key."""
    return _shared_limiter(bool(os.environ.get("NCBI_API_KEY")))


_limiters: dict[bool, RateLimiter] = {}


def _shared_limiter(has_key: bool) -> RateLimiter:
    if has_key not in _limiters:
        _limiters[has_key] = RateLimiter(10.0 if has_key else 3.0)
    return _limiters[has_key]


def _common_params() -> dict[str, str]:
    params = {"tool": "litkit"}
    if api_key := os.environ.get("NCBI_API_KEY"):
        params["api_key"] = api_key
    return params


def _eutils_get(
    endpoint: str,
    params: dict[str, str],
    locator: str,
    client: httpx.Client | None,
    limiter: RateLimiter | None,
    options: http.FetchOptions | None,
) -> bytes:
    (limiter or default_rate_limiter()).wait()
    url = eutils_url() + endpoint + "?" + urlencode({**params, **_common_params()})
    return http.fetch_url(url, options=options, client=client, locator=locator).data


# --- fetching ----------------------------------------------------------------------------


def normalise_pmid(text: str) -> str | None:
    """`pmid:123`, `PMID: 123` or `123` -> `123`; anything else -> None."""
    text = text.strip()
    text = re.sub(r"(?i)^pmid\s*:?\s*", "", text)
    return text if text.isdigit() and len(text) <= 10 else None


def fetch_pmids(
    pmids: Iterable[str],
    client: httpx.Client | None = None,
    limiter: RateLimiter | None = None,
    options: http.FetchOptions | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[RawSource | SourceError]:
    """One RawSource per PMID (locator `pmid:N`, in input order), or a SourceError for it.

    For `--pmids FILE`: ids are de-duplicated and fetched `batch_size` at a time. A failed
    batch reports each of its ids; a PMID PubMed does not know is reported as not found.
    """
    wanted: list[str] = []
    seen: set[str] = set()
    for item in pmids:
        if not item.strip():
            continue
        pmid = normalise_pmid(item)
        if pmid is None:
            yield SourceError(item.strip(), "not a PMID (expected digits, e.g. pmid:39601234)")
        elif pmid not in seen:
            seen.add(pmid)
            wanted.append(pmid)
    for start in range(0, len(wanted), batch_size):
        batch = wanted[start : start + batch_size]
        locator = "pmid:" + batch[0] if len(batch) == 1 else f"pmid:{batch[0]}..{batch[-1]}"
        try:
            data = _eutils_get(
                "efetch.fcgi",
                {"db": "pubmed", "id": ",".join(batch), "retmode": "xml"},
                locator,
                client,
                limiter,
                options,
            )
            records = split_articles(data, locator)
        except SourceError as error:
            for pmid in batch:
                yield FetchError(f"pmid:{pmid}", error.reason)
            continue
        for pmid in batch:
            if pmid in records:
                yield RawSource(
                    locator=f"pmid:{pmid}",
                    data=records[pmid],
                    media_type=MEDIA_TYPE,
                    final_url=PUBMED_URL.format(pmid=pmid),
                )
            else:
                yield FetchError(f"pmid:{pmid}", "no such record in PubMed")


def fetch_pmid_sources(locator: str, **kwargs) -> Iterator[RawSource | SourceError]:
    """The `pmid` scheme: `pmid:39601234`, or several as `pmid:1,2,3` in one batched request."""
    ids = re.sub(r"(?i)^pmid\s*:", "", locator.strip()).split(",")
    return fetch_pmids(ids, **kwargs)


def split_articles(data: bytes, locator: str) -> dict[str, bytes]:
    """PMID -> that record alone, as a canonical `<PubmedArticleSet>` document.

    Re-serialising makes the bytes depend on the record, not on the batch it came in.
    """
    root = parse_xml(data, locator)
    if root.tag == "eFetchResult" or root.find("ERROR") is not None:
        message = " ".join(root.itertext()).strip() or "E-utilities returned an error"
        raise FetchError(locator, message)
    records: dict[str, bytes] = {}
    for article in _articles(root):
        pmid = (article.findtext("MedlineCitation/PMID") or "").strip()
        if pmid and pmid not in records:
            wrapper = ET.Element("PubmedArticleSet")
            wrapper.append(article)
            records[pmid] = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
                wrapper, encoding="utf-8", xml_declaration=False
            )
    return records


def _articles(root: ET.Element) -> list[ET.Element]:
    if root.tag == "PubmedArticle":
        return [root]
    return root.findall("PubmedArticle")


def search(
    term: str,
    max_results: int = 100,
    client: httpx.Client | None = None,
    limiter: RateLimiter | None = None,
    options: http.FetchOptions | None = None,
) -> list[str]:
    """PMIDs matching a PubMed query (esearch), most relevant first as PubMed orders them.

    Raises FetchError if E-utilities cannot be reached or answers with an error.
    """
    pmids: list[str] = []
    locator = f"pubmed search {term!r}"
    while len(pmids) < max_results:
        page = min(ESEARCH_PAGE, max_results - len(pmids))
        data = _eutils_get(
            "esearch.fcgi",
            {
                "db": "pubmed",
                "term": term,
                "retmode": "json",
                "retmax": str(page),
                "retstart": str(len(pmids)),
            },
            locator,
            client,
            limiter,
            options,
        )
        found, total = _esearch_page(data, locator)
        pmids.extend(found)
        if not found or len(pmids) >= total:
            break
    return pmids[:max_results]


def _esearch_page(data: bytes, locator: str) -> tuple[list[str], int]:
    """The PMIDs and the total count of one esearch JSON answer, or one FetchError line for
    any other shape (a proxy's page, a count that is not a number, JSON nested 100,000 deep)."""
    try:
        result = json.loads(data)["esearchresult"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise FetchError(locator, "unexpected answer from esearch (not esearch JSON)") from None
    if isinstance(result, dict) and "ERROR" in result:
        raise FetchError(locator, f"esearch error: {str(result['ERROR'])[:200]}")
    try:
        ids = result.get("idlist", [])
        if not isinstance(ids, list) or not all(isinstance(i, str | int) for i in ids):
            raise TypeError("idlist")
        return [str(pmid) for pmid in ids], int(result.get("count", 0) or 0)
    except (AttributeError, TypeError, ValueError):
        raise FetchError(
            locator, "unexpected answer from esearch (no list of ids and numeric count)"
        ) from None


# --- reading -----------------------------------------------------------------------------


def read_pubmed_xml(raw: RawSource) -> list[ParsedText | SourceError]:
    """A PubMed XML file or efetch answer -> one ParsedText per record (locator `pmid:N`)."""
    try:
        root = parse_xml(raw.data, raw.locator)
    except SourceError as error:
        return [error]
    articles = _articles(root)
    if not articles:
        return [SourceError(raw.locator, "no <PubmedArticle> record in this PubMed XML")]
    results: list[ParsedText | SourceError] = []
    for number, article in enumerate(articles, start=1):
        parsed = parse_article(article)
        pmid = parsed.meta.pmid
        locator = f"pmid:{pmid}" if pmid else f"{raw.locator}#{number}"
        if not parsed.text.strip():
            results.append(SourceError(locator, "record has no title or abstract"))
            continue
        results.append(
            ParsedText(
                text=parsed.text,
                meta=dataclasses.replace(parsed.meta, final_url=raw.final_url),
                media_type=MEDIA_TYPE,
                encoding="utf-8",
                locator=locator,
                roles=parsed.roles,
            )
        )
    return results


def _text(element: ET.Element | None) -> str:
    """All text inside an element (inline <i>, <sup>... included), whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _article_id(article: ET.Element, kind: str) -> str | None:
    """An id of the article's `PubmedData/ArticleIdList` (`pmc`, `doi`, ...), if listed."""
    for node in article.findall("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == kind and (node.text or "").strip():
            return (node.text or "").strip()
    return None


def parse_article(article: ET.Element) -> ParsedText:
    """One <PubmedArticle> -> its text blocks and full metadata."""
    citation = article.find("MedlineCitation")
    if citation is None:
        citation = ET.Element("MedlineCitation")
    art = citation.find("Article")
    if art is None:
        art = ET.Element("Article")
    pmid = (citation.findtext("PMID") or "").strip() or None

    title = _text(art.find("ArticleTitle")).strip("[]. ") or None
    title_block = _text(art.find("ArticleTitle"))
    if title_block.startswith("[") and title_block.endswith("]."):
        title_block = title_block[1:-2] + "."  # translated titles are bracketed in MEDLINE
    sections: list[list[Block]] = [[(title_block, "title")] if title_block else []]
    vernacular = _text(art.find("VernacularTitle"))
    if vernacular:
        sections[0].append((vernacular, "title"))
    sections.append(_abstract_blocks(art.find("Abstract")))
    for other in citation.findall("OtherAbstract"):
        sections.append(_abstract_blocks(other))
    author_keywords = unique_texts(_text(k) for k in citation.findall("KeywordList/Keyword"))
    affiliations = unique_texts(
        _text(node) for node in art.findall("AuthorList/Author/AffiliationInfo/Affiliation")
    )
    back: list[Block] = []
    if author_keywords:  # the authors' keywords, not MeSH: MeSH stays metadata
        back.append(("Keywords: " + "; ".join(author_keywords), "keywords"))
    back += [(affiliation, "affiliation") for affiliation in affiliations]
    sections.append(back)
    text, roles = join_sections(sections)

    languages = [iso639_1(lang.text) for lang in art.findall("Language") if lang.text]
    meta = DocumentMeta(
        title=title or (vernacular or None),
        doi=_doi(article, art),
        pmid=pmid,
        journal=_text(art.find("Journal/Title")) or _text(art.find("Journal/ISOAbbreviation")),
        year=_year(art),
        volume=_text(art.find("Journal/JournalIssue/Volume")) or None,
        authors=_authors(art),
        affiliations=affiliations,
        keywords=unique_texts(
            [_text(d) for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")]
            + [_text(k) for k in citation.findall("KeywordList/Keyword")]
        ),
        publication_types=unique_texts(
            _text(node) for node in art.findall("PublicationTypeList/PublicationType")
        ),
        declared_language=languages[0] if languages else None,
        url=PUBMED_URL.format(pmid=pmid) if pmid else None,
        final_url=None,
        issue=_text(art.find("Journal/JournalIssue/Issue")) or None,
        pages=_text(art.find("Pagination/MedlinePgn")) or None,
        pmcid=_article_id(article, "pmc"),
    )
    return ParsedText(text=text, meta=meta, media_type=MEDIA_TYPE, encoding="utf-8", roles=roles)


def _abstract_blocks(abstract: ET.Element | None) -> list[Block]:
    """Abstract sections as blocks, each label as its own heading line."""
    if abstract is None:
        return []
    blocks: list[Block] = []
    for part in abstract.findall("AbstractText"):
        label = (part.get("Label") or "").strip()
        body = _text(part)
        if label and label.upper() != "UNLABELLED":
            blocks.append((label, "heading"))
        if body:
            blocks.append((body, "body"))
    return blocks


def _doi(article: ET.Element, art: ET.Element) -> str | None:
    for node in article.findall("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == "doi" and clean_doi(node.text):
            return clean_doi(node.text)
    for node in art.findall("ELocationID"):
        if node.get("EIdType") == "doi" and clean_doi(node.text):
            return clean_doi(node.text)
    return None


def _year(art: ET.Element) -> int | None:
    candidates = [
        art.findtext("Journal/JournalIssue/PubDate/Year"),
        art.findtext("Journal/JournalIssue/PubDate/MedlineDate"),
        art.findtext("ArticleDate/Year"),
    ]
    for candidate in candidates:
        match = re.search(r"\b(1[89]\d\d|20\d\d)\b", candidate or "")
        if match:
            return int(match.group(1))
    return None


def _authors(art: ET.Element) -> tuple[str, ...]:
    names = []
    for author in art.findall("AuthorList/Author"):
        collective = _text(author.find("CollectiveName"))
        last = _text(author.find("LastName"))
        first = _text(author.find("ForeName")) or _text(author.find("Initials"))
        name = collective or " ".join(part for part in (first, last) if part)
        if name:
            names.append(name)
    return tuple(names)


def unique_texts(items: Iterable[str]) -> tuple[str, ...]:
    """Non-empty texts once each, in first-seen order (authors, affiliations, keywords)."""
    return tuple(dict.fromkeys(item for item in items if item))
