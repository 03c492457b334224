"""Fetch a URL politely and defensively, and hand its bytes on as a RawSource.

A reviewer's batch mixes dozens of URLs; one dead link, slow server or 2 GB video must cost
one clear line, not the batch. So every failure becomes a FetchError, the body is capped
while it streams (a Content-Length can lie), redirects are followed by hand (to count them
and to keep the final URL), and 429/5xx answers are retried with backoff that honours
Retry-After but never sleeps longer than `FetchOptions.max_backoff`.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from litkit import __version__
from litkit.errors import FetchError, SourceError
from litkit.limits import DeadlineExceeded, deadline
from litkit.models import RawSource
from litkit.sources.content_coding import ACCEPT_ENCODING, BoundedDecoder, CodingError, codings_of
from litkit.sources.encoding import declared_charset
from litkit.sources.safexml import root_name
from litkit.sources.sniff import GENERIC_TYPES, structured_type

if TYPE_CHECKING:  # httpx is imported where a URL is fetched: ~0.08 s per process
    import httpx

PROJECT_URL = "https://github.com/litkit/litkit"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


USER_AGENT = f"litkit/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True)
class FetchOptions:
    """How patient and how generous a fetch is; the CLI builds one from its options."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0  # a server dripping one byte per read_timeout is still cut off
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_base: float = 1.0
    max_backoff: float = 60.0  # cap on any single sleep, Retry-After included
    user_agent: str = USER_AGENT


Sleep = Callable[[float], None]


def fetch_url(
    url: str,
    options: FetchOptions | None = None,
    client: httpx.Client | None = None,
    sleep: Sleep = time.sleep,
    locator: str | None = None,
) -> RawSource:
    """GET `url` and return its body as a RawSource, or raise FetchError with one clear reason.

    `client` lets tests inject `httpx.MockTransport`; `sleep` lets them skip real backoff.
    The RawSource keeps the URL as given (`locator`) and where it ended up (`final_url`);
    its media type is sniffed from the body, the Content-Type being only a hint, and keeps
    the header's charset parameter (`text/html; charset=gb2312`) for the decoder.
    """
    import httpx

    options = options or FetchOptions()
    locator = locator or url
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(locator, f"not an http(s) URL: {url}")
    own_client = client is None
    if client is None:
        client = httpx.Client()
    try:
        for attempt in range(options.retries + 1):
            final_url, status, headers, body = _get_following_redirects(
                client, url, options, locator
            )
            if status in RETRY_STATUSES and attempt < options.retries:
                sleep(_retry_delay(headers, attempt, options))
                continue
            if status >= 400:
                reason = httpx.codes.get_reason_phrase(status)
                raise FetchError(locator, f"HTTP {status} {reason}".strip() + f" at {final_url}")
            media_type = sniff_media_type(headers.get("content-type"), body)
            charset = declared_charset(headers.get("content-type"))
            if charset and media_type.startswith(("text/", "application/xml")):
                media_type += f"; charset={charset}"  # the text readers take it as a hint
            return RawSource(locator=locator, data=body, media_type=media_type, final_url=final_url)
        raise AssertionError("unreachable: the last attempt returns or raises")
    finally:
        if own_client:
            client.close()


def fetch_url_sources(
    locator: str,
    options: FetchOptions | None = None,
    client: httpx.Client | None = None,
    sleep: Sleep = time.sleep,
) -> Iterator[RawSource | SourceError]:
    """The `http`/`https` scheme for the source registry: one RawSource or one FetchError.

    Never raises: a batch of URLs goes on past a bad one.
    """
    try:
        yield fetch_url(locator, options=options, client=client, sleep=sleep)
    except SourceError as error:
        yield error


def _get_following_redirects(
    client: httpx.Client, url: str, options: FetchOptions, locator: str
) -> tuple[str, int, httpx.Headers, bytes]:
    """Follow at most `max_redirects` redirects by hand and read the last body under the cap."""
    current = url
    for _hop in range(options.max_redirects + 1):
        status, headers, body = _get_once(client, current, options, locator)
        if status in REDIRECT_STATUSES and "location" in headers:
            target = urljoin(current, headers["location"])
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(locator, f"redirect to a non-http URL refused: {target}")
            current = target
            continue
        return current, status, headers, body
    raise FetchError(locator, f"more than {options.max_redirects} redirects (last: {current})")


def _get_once(
    client: httpx.Client, url: str, options: FetchOptions, locator: str
) -> tuple[int, httpx.Headers, bytes]:
    """One GET without following redirects; the body is read only for final answers."""
    import httpx

    timeout = httpx.Timeout(
        connect=options.connect_timeout,
        read=options.read_timeout,
        write=options.read_timeout,
        pool=options.connect_timeout,
    )
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "*/*",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    started = time.monotonic()
    try:
        # Per-operation timeouts do not bound a server that answers every read in time but
        # never finishes (headers one byte at a time, endless 103 answers): the whole request
        # runs under one deadline (where an alarm can be delivered; `_read_capped` checks the
        # clock between chunks everywhere).
        with (
            deadline(options.total_timeout),
            client.stream(
                "GET", url, headers=headers, timeout=timeout, follow_redirects=False
            ) as response,
        ):
            if response.status_code in REDIRECT_STATUSES or response.status_code >= 400:
                return response.status_code, response.headers, b""
            return (
                response.status_code,
                response.headers,
                _read_capped(response, options, locator, started),
            )
    except DeadlineExceeded:
        raise FetchError(
            locator, f"no complete answer within {options.total_timeout:g} s from {url}"
        ) from None
    except httpx.ConnectTimeout:
        raise FetchError(
            locator, f"timed out connecting after {options.connect_timeout:g} s"
        ) from None
    except httpx.TimeoutException:
        raise FetchError(
            locator, f"timed out: no data for {options.read_timeout:g} s from {url}"
        ) from None
    except httpx.ConnectError as error:
        raise FetchError(locator, _describe_connect_error(error)) from None
    except httpx.TooManyRedirects:
        raise FetchError(locator, f"more than {options.max_redirects} redirects") from None
    except httpx.HTTPError as error:
        raise FetchError(locator, f"{type(error).__name__}: {error or 'transfer failed'}") from None


def _read_capped(
    response: httpx.Response, options: FetchOptions, locator: str, started: float
) -> bytes:
    """Read the body, refusing it once it passes max_bytes or total_timeout.

    The decoded size is what is counted, through every Content-Encoding layer and with each
    layer bounded as it decodes (`content_coding`), so a gzip bomb, stacked or not, is stopped
    at the limit instead of expanding first.
    """
    limit = options.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(locator, f"body of {int(declared):,} bytes exceeds the limit of {limit:,}")
    try:
        encoded = not response.is_stream_consumed  # else already decoded, see `_raw_chunks`
        codings = codings_of(response.headers.get_list("content-encoding")) if encoded else []
        decoder = BoundedDecoder(codings, limit)
        chunks: list[bytes] = []
        for raw in _raw_chunks(response):
            if len(raw) > limit - decoder.size and not decoder.codings:
                raise CodingError(f"body exceeds the limit of {limit:,} bytes (--max-bytes)")
            chunks.append(decoder.feed(raw))
            if time.monotonic() - started > options.total_timeout:
                raise FetchError(locator, f"download took longer than {options.total_timeout:g} s")
    except CodingError as error:
        raise FetchError(locator, str(error)) from None
    return b"".join(chunks)


def _raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body as it came over the wire, still encoded; a response built in memory (a test's
    MockTransport with `content=`) is already read and decoded, and is given as one chunk."""
    if response.is_stream_consumed:
        yield response.content
        return
    yield from response.iter_raw()


def _describe_connect_error(error: httpx.ConnectError) -> str:
    text = str(error) or type(error).__name__
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper() or "TLS" in text.upper():
        return f"TLS error: {text}"
    return f"cannot connect: {text}"


def _retry_delay(headers: httpx.Headers, attempt: int, options: FetchOptions) -> float:
    """Seconds to wait before the next attempt: Retry-After if given, else exponential backoff."""
    delay = options.backoff_base * (2**attempt)
    retry_after = headers.get("retry-after", "").strip()
    if retry_after.isdigit():
        delay = float(retry_after)
    elif retry_after:
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            delay = max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    return min(delay, options.max_backoff)


# Media types the readers are registered under; the XML ones are told apart by root element.
HTML = "text/html"
PLAIN = "text/plain"
PDF = "application/pdf"
XML = "application/xml"
PUBMED_XML = "application/x-pubmed+xml"
JATS_XML = "application/jats+xml"

_XML_ROOTS = {
    "PubmedArticleSet": PUBMED_XML,
    "PubmedArticle": PUBMED_XML,
    "pmc-articleset": JATS_XML,
    "article": JATS_XML,
    "html": HTML,
}


def sniff_media_type(content_type: str | None, data: bytes) -> str:
    """Choose a reader's media type from the body first and the Content-Type second.

    Servers often send PDFs as application/octet-stream and XML as text/plain; the first
    bytes do not lie. The result is a bare type (no parameters), the READERS key.
    """
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return PDF
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return HTML
    if head.startswith(b"<") and (head.startswith(b"<?xml") or declared.endswith("xml")):
        return _XML_ROOTS.get(root_name(data) or "", XML)
    if declared in ("text/html", "application/xhtml+xml"):
        return HTML
    if not declared or declared in GENERIC_TYPES:
        structured = structured_type(data)
        if structured:  # a .ris, .nbib, .bib, .csv or .nxml served as a generic type
            return _XML_ROOTS.get(root_name(data) or "", XML) if structured == XML else structured
    if declared.startswith("text/") or not declared or declared == "application/octet-stream":
        return declared if declared.startswith("text/") else PLAIN
    return declared
