"""`litkit browse`: Datasette with litkit's metadata, started on 127.0.0.1 and fetched."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest

from litkit.browse import datasette_command, metadata_for, prepare

from .evidence_helpers import build_demo_db

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
    page = httpx.get(server + "/demo/evidence", timeout=10)
    assert page.status_code == 200
    assert "One row per claim" in page.text
    assert "facet" in page.text and "treatments" in page.text


def test_canned_query_returns_claims_about_a_treatment_as_json(server):
    response = httpx.get(
        server + "/demo/claims_about_treatment.json",
        params={"treatment": "corticosteroids", "_shape": "array"},
        timeout=10,
    )
    assert response.status_code == 200
    rows = response.json()
    assert rows and any("méthylprednisolone" in row["text"] for row in rows)
