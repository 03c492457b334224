"""Content with a generic type (stdin, `.txt`, application/octet-stream) goes to its reader,
and a document read from stdin first keeps every source it is ingested from."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.models import ParsedText, RawSource
from litkit.sources import read, resolve
from litkit.sources.http import fetch_url_sources
from litkit.sources.sniff import structured_type

from .test_http_sources import REMOTE, LocalServer, send, serve

REFS = Path(__file__).parent / "fixtures" / "refs"
JATS = (REMOTE / "pmc_article.xml").read_bytes()
JATS_NO_DECLARATION = b"<!-- saved from PMC -->\n" + JATS.split(b"\n", 2)[2]
PAGE = (
    b"<!DOCTYPE html><html><body class='cookies-not-set'><article><h1>Colchicine</h1>"
    b"<p>Colchicine lowered ischaemic events after myocardial infarction in 4745 adults.</p>"
    b"</article></body></html>"
)
CASES = {
    "jats": (JATS, "application/jats+xml"),
    "jats-without-declaration": (JATS_NO_DECLARATION, "application/jats+xml"),
    "pubmed-xml": ((REMOTE / "efetch_pubmed.xml").read_bytes(), "application/x-pubmed+xml"),
    "ris": ((REMOTE / "export.ris").read_bytes(), "application/x-research-info-systems"),
    "cochrane-ris": ((REFS / "cochrane.ris").read_bytes(), "application/x-research-info-systems"),
    "nbib": ((REMOTE / "export.nbib").read_bytes(), "application/x-medline"),
    "bibtex": ((REMOTE / "export.bib").read_bytes(), "application/x-bibtex"),
    "csv": ((REMOTE / "rayyan.csv").read_bytes(), "text/csv"),
    "csv-preamble": ((REFS / "embase.csv").read_bytes(), "text/csv"),
    "html": (PAGE, "text/html"),
    "pdf": ((REMOTE / "article_fr.pdf").read_bytes(), "application/pdf"),
}


def _first_document(results: list) -> ParsedText:
    return next(r for r in results if isinstance(r, ParsedText))


@pytest.mark.parametrize(("data", "media_type"), CASES.values(), ids=CASES.keys())
def test_each_type_through_stdin_goes_to_its_reader(data: bytes, media_type: str) -> None:
    (raw,) = resolve(["-"], stdin=io.BytesIO(data))
    doc = _first_document(read(raw))
    assert doc.media_type == media_type


@pytest.mark.parametrize(("data", "media_type"), CASES.values(), ids=CASES.keys())
def test_each_type_as_txt_or_octet_stream_file_goes_to_its_reader(
    data: bytes, media_type: str
) -> None:
    for hint in ("text/plain", "application/octet-stream"):
        doc = _first_document(read(RawSource("saved.txt", data, hint)))
        assert doc.media_type == media_type, hint


@pytest.fixture
def octet_server() -> Iterator[LocalServer]:
    with serve() as server:
        for name, (data, _type) in CASES.items():
            octet = "application/octet-stream"
            server.routes[f"/{name}"] = lambda h, d=data, t=octet: send(h, 200, d, t)
            server.routes[f"/{name}.txt"] = lambda h, d=data: send(h, 200, d, "text/plain")
        yield server


@pytest.mark.parametrize("suffix", ["", ".txt"], ids=["octet-stream", "text-plain"])
@pytest.mark.parametrize(("name", "media_type"), [(k, v[1]) for k, v in CASES.items()])
def test_each_type_through_a_local_url_with_a_generic_type(
    octet_server: LocalServer, name: str, media_type: str, suffix: str
) -> None:
    (raw,) = fetch_url_sources(octet_server.url(f"/{name}{suffix}"))
    assert isinstance(raw, RawSource), raw
    doc = _first_document(read(raw))
    assert doc.media_type == media_type


@pytest.mark.parametrize(
    "text",
    [
        b"Colchicine was given to 4745 adults after myocardial infarction.\n",
        b"<p>not a known XML root</p> and text\n",
        b"Title, abstract and keywords were screened twice.\nThen full texts.\n",
        b"We used TY  - JOUR tags in the appendix.\n",
    ],
    ids=["prose", "unknown-markup", "sentence-with-commas", "tag-mid-line"],
)
def test_plain_text_is_not_mistaken_for_a_structured_format(text: bytes) -> None:
    assert structured_type(text) is None


def run(db: Path, *args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin, catch_exceptions=False)


def test_ingest_stdin_with_name_uses_it_as_the_source(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = run(db, "ingest", "-", "--name", "colchicine.html", stdin=PAGE)
    assert result.exit_code == 0, result.output
    assert "ingested  colchicine.html" in result.stderr
    summary = run(db, "summarize", "--doc", "colchicine.html")
    assert summary.exit_code == 0 and "Colchicine" in summary.output


def test_name_without_stdin_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "a.db", "ingest", str(REFS / "wos.ris"), "--name", "x.ris")
    assert result.exit_code == 2 and "--name names standard input" in result.output


def test_known_content_from_a_new_source_records_that_source(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    path = tmp_path / "colchicine.html"
    path.write_bytes(PAGE)
    first = run(db, "ingest", "-", stdin=PAGE)
    assert "ingested  -" in first.stderr
    second = run(db, "ingest", str(path))
    assert second.exit_code == 0 and "skipped   " in second.stderr
    found = run(db, "summarize", "--doc", str(path))
    assert found.exit_code == 0, found.output
    from litkit.store import open_db

    rows = open_db(db).execute("SELECT source FROM document_sources ORDER BY source").fetchall()
    assert [r[0] for r in rows] == ["-", str(path)]


def test_records_without_abstract_are_skipped_and_the_exit_status_is_zero(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = run(db, "ingest", str(REFS / "ovid.ris"))
    assert result.exit_code == 0, result.output
    assert f"skipped   {REFS / 'ovid.ris'}#2 (no abstract)" in result.stderr
    assert "total: 1 ingested, 1 skipped, 0 failed" in result.stderr


def test_an_unreadable_input_still_sets_exit_status_1(tmp_path: Path) -> None:
    result = run(tmp_path / "a.db", "ingest", str(REFS / "ovid.ris"), str(tmp_path / "missing"))
    assert result.exit_code == 1 and "failed    " in result.stderr


def test_reingesting_every_fixture_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    folders = [str(REFS), str(REMOTE), str(REMOTE.parent / "sources")]
    first = run(db, "ingest", *folders)
    assert " 0 failed" in first.stderr, first.stderr
    from litkit.store import open_db

    def counts() -> tuple[int, int, int]:
        connection = open_db(db)
        return tuple(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "segments", "document_sources")
        )

    before = counts()
    second = run(db, "ingest", *folders)
    assert second.exit_code == 0 and "total: 0 ingested" in second.stderr, second.stderr
    assert counts() == before
