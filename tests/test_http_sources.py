"""URL fetching against a real HTTP server on 127.0.0.1 (never the internet).

The server runs in a thread on port 0; each test registers the routes it needs. Backoff
sleeps are recorded instead of slept, so retry tests are instant.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from litkit.errors import FetchError, SourceError
from litkit.models import RawSource
from litkit.sources import http
from litkit.sources.encoding import declared_charset
from litkit.sources.http import FetchOptions, fetch_url, fetch_url_sources, sniff_media_type
from litkit.sources.pdf import read_pdf

REMOTE = Path(__file__).parent / "fixtures" / "remote"
Route = Callable[[BaseHTTPRequestHandler], None]


class LocalServer(ThreadingHTTPServer):
    """A threaded server whose routes and request log tests can inspect."""

    daemon_threads = True
    block_on_close = False  # a slow handler must not hold up the end of a test

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []  # (path with query, User-Agent)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: LocalServer = self.server  # type: ignore[assignment]
        server.requests.append((self.path, self.headers.get("User-Agent", "")))
        route = server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            send(self, 404, b"not here", "text/plain")
        else:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                route(self)

    def log_message(self, *_args: object) -> None:  # keep test output clean
        pass


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


@contextlib.contextmanager
def serve() -> Iterator[LocalServer]:
    """Run a LocalServer in a thread for the duration of the block."""
    server = LocalServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve() as running:
        yield running


FAST = FetchOptions(connect_timeout=2.0, read_timeout=0.3, retries=2, max_backoff=30.0)

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Ostéomyélite chronique</title></head><body><nav>Accueil</nav>
<article><h1>Ostéomyélite chronique</h1><p>Le pamidronate est efficace.</p></article>
</body></html>""".encode()


def test_html_article_is_fetched_with_final_url_and_honest_user_agent(server: LocalServer):
    server.routes["/article"] = lambda h: send(h, 200, ARTICLE_HTML, "text/html; charset=utf-8")
    (raw,) = list(fetch_url_sources(server.url("/article"), options=FAST))
    assert isinstance(raw, RawSource)
    assert raw.data == ARTICLE_HTML
    assert raw.media_type == "text/html; charset=utf-8"
    assert raw.locator == raw.final_url == server.url("/article")
    user_agent = server.requests[0][1]
    assert user_agent.startswith("litkit/") and "https://github.com/litkit/litkit" in user_agent


def test_header_charset_reaches_the_html_reader(server: LocalServer):
    page = "<html><head><title>中文</title></head><body><p>慢性非细菌性骨髓炎。</p></body></html>"
    body = page.encode("gb2312")
    server.routes["/zh"] = lambda h: send(h, 200, body, "text/html; charset=GB2312")
    raw = fetch_url(server.url("/zh"), options=FAST)
    assert raw.media_type == "text/html; charset=gb2312"
    assert declared_charset(raw.media_type) == "gb2312"
    assert raw.data == body  # bytes as they arrived; decoding is the reader's job


def test_pdf_served_as_octet_stream_is_sniffed_and_read(server: LocalServer):
    pdf = (REMOTE / "article_fr.pdf").read_bytes()
    server.routes["/paper"] = lambda h: send(h, 200, pdf, "application/octet-stream")
    raw = fetch_url(server.url("/paper"), options=FAST)
    assert raw.media_type == "application/pdf"
    (parsed,) = read_pdf(raw)
    assert "pamidronate par voie intraveineuse" in parsed.text
    assert parsed.meta.final_url == server.url("/paper")


def test_efetch_xml_is_sniffed_as_pubmed(server: LocalServer):
    xml = (REMOTE / "efetch_pubmed.xml").read_bytes()
    server.routes["/record.xml"] = lambda h: send(h, 200, xml, "text/xml")
    raw = fetch_url(server.url("/record.xml"), options=FAST)
    assert raw.media_type == http.PUBMED_XML


def _redirect_chain(server: LocalServer, hops: int) -> None:
    for step in range(hops, 0, -1):
        target = f"/hop{step - 1}"
        server.routes[f"/hop{step}"] = lambda h, t=target: send(
            h, 302, b"", "text/plain", {"Location": t}
        )
    server.routes["/hop0"] = lambda h: send(h, 200, b"arrived", "text/plain; charset=utf-8")


def test_redirect_chain_of_five_is_followed_and_final_url_kept(server: LocalServer):
    _redirect_chain(server, 5)
    raw = fetch_url(server.url("/hop5"), options=FAST)
    assert raw.data == b"arrived"
    assert raw.locator == server.url("/hop5")
    assert raw.final_url == server.url("/hop0")


def test_more_than_five_redirects_are_refused(server: LocalServer):
    _redirect_chain(server, 6)
    (error,) = list(fetch_url_sources(server.url("/hop6"), options=FAST))
    assert isinstance(error, FetchError)
    assert "more than 5 redirects" in error.reason


def test_404_is_one_clear_error(server: LocalServer):
    (error,) = list(fetch_url_sources(server.url("/gone"), options=FAST))
    assert isinstance(error, FetchError)
    assert error.reason.startswith("HTTP 404 Not Found")
    assert error.locator == server.url("/gone")
    assert len(server.requests) == 1  # a 404 is not retried


def test_slow_response_past_the_read_timeout_fails(server: LocalServer):
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(1.0)
        send(handler, 200, b"too late", "text/plain")

    server.routes["/slow"] = slow
    started = time.monotonic()
    (error,) = list(fetch_url_sources(server.url("/slow"), options=FAST))
    assert isinstance(error, FetchError)
    assert "timed out" in error.reason
    assert time.monotonic() - started < 0.9


def test_endless_body_is_cut_at_the_size_cap(server: LocalServer):
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()  # no Content-Length: the cap must hold while streaming
        for _ in range(10_000):
            handler.wfile.write(b"x" * 8192)

    server.routes["/endless"] = endless
    options = FetchOptions(read_timeout=2.0, max_bytes=100_000)
    (error,) = list(fetch_url_sources(server.url("/endless"), options=options))
    assert isinstance(error, FetchError)
    assert "100,000 bytes" in error.reason


def test_declared_oversized_body_is_refused_before_reading(server: LocalServer):
    server.routes["/big"] = lambda h: send(h, 200, b"y" * 5000, "text/plain")
    with pytest.raises(FetchError, match="5,000 bytes exceeds the limit of 1,000"):
        fetch_url(server.url("/big"), options=FetchOptions(max_bytes=1000))


def test_429_then_200_honours_retry_after(server: LocalServer):
    answers = iter([(429, {"Retry-After": "7"}), (200, {})])

    def busy(handler: BaseHTTPRequestHandler) -> None:
        status, headers = next(answers)
        send(handler, status, b"ok" if status == 200 else b"slow down", "text/plain", headers)

    server.routes["/busy"] = busy
    slept: list[float] = []
    raw = fetch_url(server.url("/busy"), options=FAST, sleep=slept.append)
    assert raw.data == b"ok"
    assert slept == [7.0]


def test_retry_after_is_capped_and_5xx_backs_off_exponentially(server: LocalServer):
    server.routes["/down"] = lambda h: send(h, 503, b"", "text/plain", {"Retry-After": "3600"})
    slept: list[float] = []
    options = FetchOptions(retries=2, max_backoff=5.0)
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch_url(server.url("/down"), options=options, sleep=slept.append)
    assert slept == [5.0, 5.0]
    assert len(server.requests) == 3


def test_backoff_without_retry_after_doubles():
    calls = iter([503, 503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(calls), text="fine")

    slept: list[float] = []
    client = httpx.Client(transport=httpx.MockTransport(handler))
    options = FetchOptions(retries=3, backoff_base=0.5)
    raw = fetch_url("https://example.org/x", options=options, client=client, sleep=slept.append)
    assert raw.data == b"fine"
    assert slept == [0.5, 1.0]


def test_tls_error_is_one_line():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    (error,) = list(fetch_url_sources("https://self-signed.example/", client=client))
    assert isinstance(error, FetchError)
    assert error.reason.startswith("TLS error:")
    assert "\n" not in str(error)


def test_connection_refused_does_not_stop_the_batch(server: LocalServer):
    server.routes["/ok"] = lambda h: send(h, 200, b"fine", "text/plain")
    closed_port = LocalServer()
    dead_url = closed_port.url("/")
    closed_port.server_close()
    results = [
        item
        for url in (dead_url, server.url("/ok"))
        for item in fetch_url_sources(url, options=FAST)
    ]
    assert isinstance(results[0], SourceError) and "cannot connect" in results[0].reason
    assert isinstance(results[1], RawSource)


def test_non_http_url_is_refused_without_a_request():
    with pytest.raises(FetchError, match="not an http"):
        fetch_url("file:///etc/passwd")


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/octet-stream", b"%PDF-1.7\n...", "application/pdf"),
        ("text/plain", b"<!DOCTYPE html><html><body>x</body></html>", "text/html"),
        ("text/html; charset=gbk", b"<p>\xd6\xd0\xce\xc4</p>", "text/html"),
        ("application/xml", b"<?xml version='1.0'?><pmc-articleset/>", http.JATS_XML),
        ("text/xml", b"<?xml version='1.0'?><PubmedArticleSet/>", http.PUBMED_XML),
        ("application/xml", b"<?xml version='1.0'?><rss/>", "application/xml"),
        ("text/plain; charset=utf-8", "Ostéite".encode(), "text/plain"),
        (None, b"plain words", "text/plain"),
    ],
    ids=["pdf", "html-as-text", "html-gbk", "jats", "pubmed", "other-xml", "text", "none"],
)
def test_media_type_is_sniffed_from_the_body_first(content_type, body, expected):
    assert sniff_media_type(content_type, body) == expected


@pytest.mark.parametrize(
    ("header", "charset"),
    [("text/html; charset=GB2312", "gb2312"), ('text/plain; charset="utf-8"', "utf-8"),
     ("text/html", None), (None, None)],
    ids=["gb2312", "quoted", "absent", "no-header"],
)  # fmt: skip
def test_charset_of_content_type(header, charset):
    assert declared_charset(header) == charset
