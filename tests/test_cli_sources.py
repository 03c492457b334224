"""Remote sources through the command line, against local servers on 127.0.0.1 only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from litkit.cli import cli

from .test_http_sources import REMOTE, LocalServer, send, serve

EFETCH = (REMOTE / "efetch_pubmed.xml").read_bytes()
ESEARCH = (REMOTE / "esearch.json").read_bytes()
ARTICLE = (
    "<html><head><title>CRMO et AINS</title></head><body><nav>Accueil</nav><article>"
    "<h1>Traitement de l'OCMR</h1><p>Les AINS sont le traitement de première ligne de l'OCMR."
    " Une rémission a été obtenue chez la plupart des patients.</p></article></body></html>"
).encode()


@pytest.fixture
def eutils(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    with serve() as server:
        server.routes["/eutils/efetch.fcgi"] = lambda h: send(h, 200, EFETCH, "text/xml")
        server.routes["/eutils/esearch.fcgi"] = lambda h: send(h, 200, ESEARCH, "application/json")
        server.routes["/article.html"] = lambda h: send(h, 200, ARTICLE, "text/html")
        server.routes["/huge.html"] = lambda h: send(h, 200, ARTICLE * 200, "text/html")
        monkeypatch.setenv("LITKIT_EUTILS_URL", server.url("/eutils/"))
        yield server


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def documents(db: Path) -> list[dict]:
    from litkit.store import open_db

    return list(open_db(db)["documents"].rows_where(order_by="source"))


def test_the_same_pmid_twice_is_stored_once(tmp_path, eutils):
    db = tmp_path / "a.db"
    first = run(db, "ingest", "pmid:39601234")
    assert first.exit_code == 0, first.output
    second = run(db, "ingest", "pmid:39601234")
    assert "total: 0 ingested, 1 skipped, 0 failed" in second.stderr
    (doc,) = documents(db)
    assert doc["source"] == "pmid:39601234" and doc["pmid"] == "39601234"


def test_pmids_file_fetches_every_id_and_reports_the_unknown(tmp_path, eutils):
    ids = tmp_path / "ids.txt"
    ids.write_text("39601234\n31234567, 30000001\n", "utf-8")
    result = run(tmp_path / "a.db", "ingest", "--pmids", str(ids))
    assert result.exit_code == 1  # 30000001 is not in the recorded efetch answer
    assert "total: 2 ingested, 0 skipped, 1 failed" in result.stderr
    assert "pmid:30000001" in result.stderr
    assert {d["pmid"] for d in documents(tmp_path / "a.db")} == {"39601234", "31234567"}


def test_url_is_ingested_with_its_final_url(tmp_path, eutils):
    url = eutils.url("/article.html")
    result = run(tmp_path / "a.db", "ingest", url)
    assert result.exit_code == 0, result.output
    (doc,) = documents(tmp_path / "a.db")
    assert doc["source"] == url and doc["final_url"] == url
    assert "Accueil" not in doc["text"]


def test_max_bytes_refuses_a_large_body_and_the_batch_goes_on(tmp_path, eutils):
    result = run(
        tmp_path / "a.db", "ingest", "--max-bytes", "5000",
        eutils.url("/huge.html"), eutils.url("/article.html"), eutils.url("/missing"),
    )  # fmt: skip
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 2
    assert any("huge.html" in line for line in failed)
    assert any("404" in line for line in failed)
    assert "total: 1 ingested" in result.stderr


def test_pubmed_search_lists_then_ingests(tmp_path, eutils):
    listed = run(tmp_path / "a.db", "pubmed", "search", "crmo", "--max", "3", "--format", "json")
    assert [r["pmid"] for r in json.loads(listed.stdout)] == ["39601234", "31234567", "30000001"]
    ingested = run(tmp_path / "a.db", "pubmed", "search", "crmo", "--max", "3", "--ingest")
    assert "3 hits for 'crmo'" in ingested.stderr
    assert "total: 2 ingested, 0 skipped, 1 failed" in ingested.stderr


def test_ingest_without_sources_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "ingest"])
    assert result.exit_code == 2
    assert "give at least one source" in result.output
