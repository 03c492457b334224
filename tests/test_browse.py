"""`litkit browse`: Datasette with litkit's metadata, started on 127.0.0.1 and fetched."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from litkit.browse import datasette_command, metadata_for, prepare

from .evidence_helpers import build_demo_db, run

pytest.importorskip("datasette")


def test_metadata_is_keyed_by_the_database_name(tmp_path):
    metadata = metadata_for(tmp_path / "my-corpus.db")
    tables = metadata["databases"]["my-corpus"]["tables"]
    assert "lang" in tables["evidence"]["facets"] and "design" in tables["evidence"]["facets"]
    assert "claims_about_treatment" in metadata["databases"]["my-corpus"]["queries"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browse")
    db_path = build_demo_db(folder)
    (metadata_path,) = prepare(db_path, folder)
    port = free_port()
    argv = datasette_command(
        db_path, metadata_path, host="127.0.0.1", port=port, open_browser=False
    )
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/-/versions.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_evidence_page_has_facets(server):
    page = httpx.get(server + "/demo/evidence", timeout=30)
    assert page.status_code == 200
    assert "One row per claim" in page.text
    assert "facet" in page.text and "treatments" in page.text


def test_canned_query_returns_claims_about_a_treatment_as_json(server):
    response = httpx.get(
        server + "/demo/claims_about_treatment.json",
        params={"treatment": "corticosteroids", "_shape": "array"},
        timeout=30,
    )
    assert response.status_code == 200
    rows = response.json()
    assert rows and any("méthylprednisolone" in row["text"] for row in rows)


def test_landing_page_opens_on_the_evidence_and_studies_views(server):
    page = httpx.get(server + "/", timeout=30)
    assert page.status_code == 200
    for view in ("evidence", "studies", "search_sentences"):
        assert f'href="/demo/{view}"' in page.text, view


@pytest.mark.parametrize(
    "internal", ["segment_concepts", "mentions", "claim_concepts", "translation_keys", "documents"]
)
def test_database_page_hides_internal_and_bulky_tables(server, internal):
    tables = httpx.get(server + "/demo.json", timeout=30).json()["tables"]
    shown = {t["name"] for t in tables if not t["hidden"]}
    assert internal not in shown
    assert {"segments", "concepts", "links"} <= shown


def test_studies_view_has_one_row_per_study_without_bulky_columns(server):
    rows = httpx.get(server + "/demo/studies.json", params={"_shape": "array"}, timeout=30).json()
    assert rows and len({r["doc_id"] for r in rows}) == len(rows)
    assert not {"text", "original", "offset_map"} & set(rows[0])
    assert {"title", "year", "design", "patients", "languages", "claims"} <= set(rows[0])


def test_evidence_columns_are_labelled(server):
    page = httpx.get(server + "/demo/evidence", timeout=30)
    assert "Outcome direction: improved" in page.text  # the column's description


@pytest.mark.parametrize(
    ("words", "expected"),
    [("corticosteroides", "corticostéroïdes"), ("骨髓炎", "骨髓炎"), ('")( NEAR', None)],
    ids=["fr-without-accents", "zh-word", "fts-syntax-is-plain-words"],
)
def test_full_text_search_over_sentences(server, words, expected):
    response = httpx.get(
        server + "/demo/search_sentences.json",
        params={"q": words, "_shape": "array"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    rows = response.json()
    if expected is None:
        assert rows == []
    else:
        assert rows and all(expected in row["text"].lower() for row in rows)


def _wait_for(url: str) -> None:
    for _ in range(150):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def test_sigterm_stops_the_server_and_removes_the_temporary_folder(tmp_path):
    db_path = build_demo_db(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    browse = subprocess.Popen(
        [sys.executable, "-m", "litkit", "browse", "--db", str(db_path), "--port", str(port)],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/-/versions.json")
        assert list(scratch.iterdir())  # the metadata's temporary folder
        browse.send_signal(signal.SIGTERM)
        assert browse.wait(timeout=20) == 128 + signal.SIGTERM
    finally:
        if browse.poll() is None:
            browse.kill()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
    assert list(scratch.iterdir()) == []


def test_port_in_use_is_one_line(tmp_path):
    db_path = build_demo_db(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(db_path, "browse", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: port {port} on 127.0.0.1 is already in use; choose another with --port"
    )
