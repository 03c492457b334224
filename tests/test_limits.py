"""Per-document limits (issue 18): caps, deadlines, memory, bounded decoding and reading.

Each test lowers a limit by option instead of building a huge input, so each runs in well
under a second except where a real process or server is the point.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from pathlib import Path

import httpx
import pytest

import litkit.ingest as ingest_module
import litkit.pipeline as pipeline_module
from litkit.errors import FetchError, SourceError
from litkit.ingest import process_source
from litkit.lexicon import default_lexicon
from litkit.limits import DeadlineExceeded, Limits, deadline, parse_size
from litkit.models import ParsedText, RawSource
from litkit.shards import read_shard
from litkit.sources import pubmed
from litkit.sources.content_coding import BoundedDecoder, CodingError
from litkit.sources.files import read_limited
from litkit.sources.safexml import MAX_XML_DEPTH, parse_xml

from .hostile import EN, FR, ZH


def _raw(text: str, name: str = "doc.txt", media_type: str = "text/plain") -> RawSource:
    return RawSource(locator=name, data=text.encode("utf-8"), media_type=media_type)


@pytest.mark.parametrize(
    ("text", "size"),
    [("900M", 900 * 2**20), ("1.5G", 3 * 2**29), ("512MiB", 512 * 2**20), ("4096", 4096),
     ("0", 0), ("2k", 2048)],
    ids=["mega", "giga-fraction", "mib-suffix", "bytes", "off", "kilo"],
)  # fmt: skip
def test_sizes_parse_with_binary_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "-5M", "9X"], ids=["word", "negative", "unit"])
def test_a_bad_size_is_refused(text):
    with pytest.raises(ValueError, match="not a size"):
        parse_size(text)


@pytest.mark.parametrize(
    ("text", "limits", "words"),
    [
        (EN * 10, Limits(max_sentences=5), "too many sentences for one document (20; the limit"),
        (FR * 10, Limits(max_sentences=5), "--max-sentences"),
        (ZH * 10, Limits(max_sentences=5), "too many sentences"),
        (EN * 10, Limits(max_chars=100), "the limit is 100, --max-chars"),
        (ZH * 10, Limits(max_chars=50), "text too long"),
    ],
    ids=["en-sentences", "fr-sentences", "zh-sentences", "en-chars", "zh-chars"],
)  # fmt: skip
def test_a_document_past_a_cap_is_refused_with_the_figures(text, limits, words):
    [result] = process_source(_raw(text), limits=limits)
    assert isinstance(result, SourceError)
    assert words in result.reason


def test_documents_under_the_caps_go_through():
    [result] = process_source(_raw(EN * 2), limits=Limits(max_sentences=5, max_chars=1000))
    assert not isinstance(result, SourceError)
    assert len(result.segments) == 4


def test_a_document_past_its_deadline_fails_with_the_stage(monkeypatch):
    def slow(*_args, **_kwargs):
        time.sleep(5)

    monkeypatch.setattr(ingest_module, "process", slow)
    started = time.monotonic()
    [result] = process_source(_raw(EN), limits=Limits(doc_seconds=0.2))
    assert time.monotonic() - started < 3
    assert result.reason == "processing took longer than 0.2 s (--timeout)"


def test_reading_past_the_deadline_fails_too(monkeypatch):
    monkeypatch.setattr(ingest_module, "read", lambda raw: time.sleep(5))
    [result] = process_source(_raw(EN), limits=Limits(doc_seconds=0.2))
    assert result.reason == "reading took longer than 0.2 s (--timeout)"


def test_a_memory_error_is_that_documents_line(monkeypatch):
    def greedy(*_args, **_kwargs):
        raise MemoryError

    monkeypatch.setattr(ingest_module, "process", greedy)
    [result] = process_source(_raw(EN), limits=Limits(max_memory=500 * 2**20))
    assert result.reason == "out of memory (the limit is 500 MB per process; --max-memory)"


def test_nested_deadlines_keep_the_earlier_one():
    with pytest.raises(DeadlineExceeded) as caught, deadline(0.2), deadline(10):
        time.sleep(3)
    assert caught.value.seconds == 0.2


def test_an_inner_deadline_gives_the_outer_one_back():
    with pytest.raises(DeadlineExceeded) as caught, deadline(0.5):
        with deadline(0.1):
            pass
        time.sleep(3)
    assert caught.value.seconds == 0.5


def test_a_deadline_outside_the_main_thread_does_not_interrupt():
    finished = []

    def work():
        with deadline(0.05):
            time.sleep(0.2)
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]


# --- content encoding -------------------------------------------------------------------


def _deflate(data: bytes, raw: bool) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("codings", "encode"),
    [
        (["gzip"], gzip.compress),
        (["deflate"], lambda d: _deflate(d, raw=False)),
        (["deflate"], lambda d: _deflate(d, raw=True)),
        (["gzip", "gzip"], lambda d: gzip.compress(gzip.compress(d))),
        (["deflate", "gzip"], lambda d: gzip.compress(_deflate(d, raw=False))),
        (["identity"], lambda d: d),
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw", "gzip-gzip", "deflate-then-gzip", "identity"],
)
def test_every_layer_is_undone(codings, encode):
    body = (EN + FR + ZH).encode("utf-8") * 50
    decoder = BoundedDecoder(codings, limit=len(body))
    encoded = encode(body)
    assert b"".join(decoder.feed(encoded[i : i + 100]) for i in range(0, len(encoded), 100)) == body


@pytest.mark.parametrize("layers", [1, 2, 3], ids=["gzip-bomb", "stacked-twice", "stacked-3"])
def test_a_bomb_stops_at_the_limit_whatever_the_layers(layers):
    body = b"\0" * (8 * 2**20)
    for _ in range(layers):
        body = gzip.compress(body)
    decoder = BoundedDecoder(["gzip"] * layers, limit=2**20)
    with pytest.raises(CodingError, match="decodes to more than the limit of 1,048,576 bytes"):
        decoder.feed(body)
    assert all(layer.produced <= 2**20 + 1 for layer in decoder._layers)


def test_an_unknown_coding_is_refused_by_name():
    with pytest.raises(CodingError, match="Content-Encoding br cannot be decoded"):
        BoundedDecoder(["br"], limit=100)


# --- HTTP: stacked encodings and total deadline, against a real local server ----------------


def _serve(handler):
    """A one-connection-at-a-time TCP server on 127.0.0.1 running `handler(conn)`."""
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)

    def run():
        try:
            while True:
                conn, _ = server.accept()
                with conn:
                    conn.recv(65536)
                    with contextlib.suppress(OSError):
                        handler(conn)
        except OSError:
            return

    threading.Thread(target=run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.getsockname()[1]}/article"


def _options(**kwargs):
    from litkit.sources.http import FetchOptions

    return FetchOptions(retries=0, **kwargs)


def test_a_stacked_gzip_answer_is_refused_at_max_bytes():
    from litkit.sources.http import fetch_url

    bomb = gzip.compress(gzip.compress(b"\0" * (16 * 2**20)))

    def handler(conn):
        head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip, gzip\r\nContent-Length: {len(bomb)}\r\n"
        conn.sendall(head.encode() + b"Content-Type: text/plain\r\n\r\n" + bomb)

    server, url = _serve(handler)
    with server, pytest.raises(FetchError) as caught:
        fetch_url(url, _options(max_bytes=2**20))
    assert "decodes to more than the limit of 1,048,576 bytes (Content-Encoding gzip, gzip)" in str(
        caught.value
    )


def test_a_gzip_answer_within_the_limit_is_read():
    from litkit.sources.http import fetch_url

    body = (EN * 20).encode()
    packed = gzip.compress(body)

    def handler(conn):
        head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n"
        conn.sendall(head.encode() + b"Content-Type: text/plain\r\n\r\n" + packed)

    server, url = _serve(handler)
    with server:
        assert fetch_url(url, _options()).data == body


@pytest.mark.parametrize(
    "drip",
    [
        [b"H", b"T", b"T", b"P", b"/", b"1", b".", b"1"] * 40,  # headers a byte at a time
        [b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"] * 400,  # endless 103s
        [b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"] + [b"x"] * 400,  # body drip
    ],
    ids=["header-drip", "endless-103", "body-drip"],
)
def test_a_server_that_never_finishes_is_cut_at_the_total_deadline(drip):
    from litkit.sources.http import fetch_url

    def handler(conn):
        for piece in drip:
            conn.sendall(piece)
            time.sleep(0.01)

    server, url = _serve(handler)
    started = time.monotonic()
    with server, pytest.raises(FetchError) as caught:
        fetch_url(url, _options(total_timeout=1.0, read_timeout=5.0))
    assert time.monotonic() - started < 4
    assert "within 1 s" in str(caught.value) or "longer than 1 s" in str(caught.value)


# --- option files, shards -------------------------------------------------------------------


def test_an_endless_device_is_refused_at_the_limit():
    with pytest.raises(SourceError, match="larger than the limit of 1 MB"):
        read_limited("/dev/zero", limit=2**20)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_nobody_writes_to_is_given_up(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"no data for 0\.2 s"):
        read_limited(str(tmp_path / "pipe"), wait=0.2)
    assert time.monotonic() - started < 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_with_a_writer_is_read_whole(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def write():
        with open(pipe, "wb") as handle:
            handle.write(b"123\n456\n")

    thread = threading.Thread(target=write)
    thread.start()
    assert read_limited(str(pipe), wait=5) == b"123\n456\n"
    thread.join()


def test_a_regular_file_past_the_limit_is_refused(tmp_path):
    (tmp_path / "ids.txt").write_bytes(b"1\n" * 2**20)
    with pytest.raises(SourceError, match="larger than the limit"):
        read_limited(str(tmp_path / "ids.txt"), limit=2**20)


def test_an_endless_shard_line_is_skipped_and_the_next_line_read(tmp_path, monkeypatch):
    import litkit.shards as shards

    good = json.dumps({"kind": "error", "version": 1, "locator": "a.png", "reason": "binary"})
    path = tmp_path / "part.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("x" * 5000 + "\n" + good + "\n")
    monkeypatch.setattr(shards, "MAX_SHARD_LINE_CHARS", 1000)
    results = list(read_shard(path))
    assert [type(r).__name__ for r in results] == ["SourceError", "SourceError"]
    assert "shard line longer than" in results[0].reason
    assert results[1].locator == "a.png"


def test_a_deeply_nested_shard_line_is_one_error(tmp_path):
    path = tmp_path / "part.jsonl"
    path.write_text("[" * 100_000 + "\n", "utf-8")
    [result] = list(read_shard(path))
    assert "nested too deeply" in result.reason


# --- nesting depth --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depth", "refused"),
    [(MAX_XML_DEPTH, False), (MAX_XML_DEPTH + 1, True), (100_000, True)],
    ids=["at-the-limit", "one-past", "100k"],
)
def test_xml_nesting_is_capped_while_parsing(depth, refused):
    data = b"<article>" + b"<sec>" * (depth - 1) + b"text" + b"</sec>" * (depth - 1) + b"</article>"
    if refused:
        with pytest.raises(SourceError, match=f"nested more than {MAX_XML_DEPTH} elements deep"):
            parse_xml(data, "deep.xml")
    else:
        assert parse_xml(data, "deep.xml").tag == "article"


@pytest.mark.parametrize(
    "answer",
    [
        b'{"esearchresult": {"count": "many", "idlist": ["1"]}}',
        b'{"esearchresult": {"count": "1", "idlist": "123"}}',
        b'{"esearchresult": ["1", "2"]}',
        b"[" * 100_000 + b"]" * 100_000,
        b"<html>a proxy's login page</html>",
    ],
    ids=["count-not-a-number", "idlist-not-a-list", "result-a-list", "nested-100k", "html"],
)
def test_an_esearch_answer_of_another_shape_is_one_line(answer):
    client = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, content=answer))
    )
    with pytest.raises(FetchError, match="unexpected answer from esearch"):
        pubmed.search("osteomyelitis", client=client, limiter=pubmed.RateLimiter(1000))


def test_a_csv_field_over_128_kb_is_read_whole():
    from litkit.sources.refs import read_csv_export

    long_abstract = (EN * 2000)[:200_000]
    body = f'Title,Abstract,Year\n"A trial","{long_abstract}",2020\n"Another","{EN}",2021\n'
    documents = read_csv_export(_raw(body, "export.csv", "text/csv"))
    assert [type(d).__name__ for d in documents] == ["ParsedText", "ParsedText"]
    assert long_abstract.strip() in documents[0].text
    assert len(documents[0].text) > 131_072


def test_an_html_page_past_the_element_cap_is_refused_before_parsing(monkeypatch):
    import litkit.sources.html as html

    monkeypatch.setattr(html, "MAX_HTML_ELEMENTS", 50)
    page = "<html><body>" + f"<p>{EN}</p>" * 60 + "</body></html>"
    [result] = process_source(_raw(page, "page.html", "text/html"))
    assert result.reason.startswith("HTML page too large to read as one document (62 elements")


# --- the command line -----------------------------------------------------------------------


def _cli(tmp_path, *args):
    from click.testing import CliRunner

    from litkit.cli import cli

    return CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), *args])


def test_pmids_from_an_endless_device_is_one_line(tmp_path):
    result = _cli(tmp_path, "ingest", "--pmids", "/dev/zero")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: /dev/zero: larger than the limit of 32 MB for this file"


def test_a_lexicon_nested_too_deeply_is_one_line(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000, "utf-8")
    (tmp_path / "a.txt").write_text(EN, "utf-8")
    result = _cli(
        tmp_path, "--lexicon", str(tmp_path / "deep.json"), "ingest", str(tmp_path / "a.txt")
    )
    assert result.exit_code == 1
    assert "JSON nested too deeply" in result.output
    assert "Traceback" not in result.output


def test_a_bad_memory_size_is_a_usage_error(tmp_path):
    result = _cli(tmp_path, "ingest", "--max-memory", "lots", "a.txt")
    assert result.exit_code == 2
    assert "not a size: 'lots'" in result.output


def test_the_caps_are_options_of_ingest(tmp_path):
    (tmp_path / "a.txt").write_text(EN * 3, "utf-8")
    (tmp_path / "b.txt").write_text(FR, "utf-8")
    result = _cli(
        tmp_path, "ingest", "--max-sentences", "4", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("failed") and "the limit is 4, --max-sentences" in lines[0]
    assert lines[1].startswith("ingested") and lines[1].endswith("(2 sentences, fr)")


@pytest.mark.parametrize(
    ("option", "default"),
    [("--max-chars N", "10,000,000"), ("--max-sentences N", "50,000"),
     ("--max-memory SIZE", "900 MB"), ("--timeout S", "600 s")],
    ids=["chars", "sentences", "memory", "timeout"],
)  # fmt: skip
def test_the_readme_documents_each_limit_with_the_default_in_force(option, default):
    from litkit import limits

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    section = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in section.splitlines() if f"`ingest {option}" in line)
    assert f"| {default} |" in row
    in_force = {
        "10,000,000": f"{limits.DEFAULT_MAX_CHARS:,}",
        "50,000": f"{limits.DEFAULT_MAX_SENTENCES:,}",
        "900 MB": f"{limits.DEFAULT_MAX_MEMORY // limits.MiB} MB",
        "600 s": f"{limits.DEFAULT_DOC_SECONDS:g} s",
    }
    assert in_force[default] == default


@pytest.mark.skipif(not hasattr(os, "getpid") or os.name != "posix", reason="POSIX limits")
def test_the_memory_ceiling_is_lifted_after_the_command():
    import resource

    from litkit.limits import memory_ceiling

    before = resource.getrlimit(resource.RLIMIT_AS)
    with memory_ceiling(2**42):  # far above this process: applied, harmless
        hard = before[1]
        expected = 2**42 if hard == resource.RLIM_INFINITY else min(2**42, hard)
        assert resource.getrlimit(resource.RLIMIT_AS)[0] == expected
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_lingua_loads_on_first_need_with_the_ceiling_lifted_then_restored(tmp_path: Path) -> None:
    """Under a soft address-space ceiling too low for lingua's models, the first sentence that
    needs the model still gets a language (no abort), and the ceiling is back afterwards."""
    script = tmp_path / "ceiling.py"
    script.write_text(
        textwrap.dedent(
            """
            import resource

            from litkit import langid
            from litkit.limits import _address_space

            ceiling = _address_space() + 60 * 1024 * 1024  # far below the models' ~170 MB
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
            assert not langid._LOADED_MODES
            print(langid.detect_languages(["Aucun traitement."])[0])
            print(bool(langid._LOADED_MODES), resource.getrlimit(resource.RLIMIT_AS)[0] == ceiling)
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["fr", "True", "True"]


def test_an_ingest_that_needs_no_model_never_loads_it(tmp_path: Path) -> None:
    """Running text identified by its function words: lingua's models are not loaded."""
    from litkit import langid

    langs = subprocess.run(
        [sys.executable, "-c",
         "from litkit import langid\n"
         "print(langid.detect_languages(['The patients were treated with the drug and the pain"
         " improved in all of them.'])[0], bool(langid._LOADED_MODES))"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert langs.stdout.split() == ["en", "False"], langs.stderr
    assert hasattr(langid, "load_models")


def _in_a_thread(call):
    """What `call()` returns when run in a thread other than the main one (as on Dask)."""
    results = []
    worker = threading.Thread(target=lambda: results.append(call()))
    worker.start()
    worker.join(30)
    return results[0]


def test_a_document_past_its_deadline_in_a_thread_stops_between_stages(monkeypatch):
    detect = pipeline_module.detect_languages

    def slow(texts, *args):  # no alarm reaches a thread: the next stage boundary stops it
        time.sleep(0.5)
        return detect(texts, *args)

    monkeypatch.setattr(pipeline_module, "detect_languages", slow)
    [result] = _in_a_thread(lambda: process_source(_raw(EN), limits=Limits(doc_seconds=0.2)))
    assert result.reason == "processing took longer than 0.2 s (--timeout)"


def test_a_document_within_its_deadline_in_a_thread_goes_through():
    [result] = _in_a_thread(lambda: process_source(_raw(EN), limits=Limits(doc_seconds=60)))
    assert not isinstance(result, SourceError)


def test_a_thread_deadline_is_checked_between_windows(monkeypatch):
    classify = pipeline_module.classify_window

    def slow(prepared, indexes):
        time.sleep(0.15)
        return classify(prepared, indexes)

    monkeypatch.setattr(pipeline_module, "classify_window", slow)

    def run():
        with pytest.raises(DeadlineExceeded), deadline(0.2):
            pipeline_module.process(ParsedText(EN * 4), "doc", default_lexicon(), window=1)
        return True

    assert _in_a_thread(run)
