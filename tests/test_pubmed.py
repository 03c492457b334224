"""PubMed E-utilities (efetch, esearch) against recorded XML served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from litkit.errors import FetchError, SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import pubmed
from litkit.sources.pubmed import RateLimiter, fetch_pmid_sources, fetch_pmids, search
from tests.test_http_sources import LocalServer, send, serve

REMOTE = Path(__file__).parent / "fixtures" / "remote"
EFETCH = (REMOTE / "efetch_pubmed.xml").read_bytes()


class FakeClock:
    """A clock that only moves when the limiter sleeps, so spacing is exact and instant."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def no_wait() -> RateLimiter:
    clock = FakeClock()
    return RateLimiter(3.0, clock=clock, sleep=clock.sleep)


def query(server: LocalServer, index: int = -1) -> dict[str, list[str]]:
    return parse_qs(urlsplit(server.requests[index][0]).query)


@pytest.fixture
def eutils(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A local E-utilities answering efetch with the recorded two-record XML."""
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    with serve() as server:
        server.routes["/eutils/efetch.fcgi"] = lambda h: send(h, 200, EFETCH, "text/xml")
        monkeypatch.setenv("LITKIT_EUTILS_URL", server.url("/eutils/"))
        yield server


def test_pmid_source_is_fetched_from_the_configured_eutils(eutils: LocalServer):
    (raw,) = list(fetch_pmid_sources("pmid:39601234", limiter=no_wait()))
    assert isinstance(raw, RawSource)
    assert raw.locator == "pmid:39601234"
    assert raw.media_type == pubmed.MEDIA_TYPE
    params = query(eutils)
    assert params["db"] == ["pubmed"] and params["id"] == ["39601234"]
    assert params["tool"] == ["litkit"] and "api_key" not in params


def test_record_with_chinese_other_abstract_reads_fully(eutils: LocalServer):
    (raw,) = list(fetch_pmid_sources("pmid:39601234", limiter=no_wait()))
    (parsed,) = pubmed.read_pubmed_xml(raw)
    assert isinstance(parsed, ParsedText)
    assert parsed.locator == "pmid:39601234"
    blocks = parsed.text.split("\n")
    assert blocks[0] == (
        "Clinical features of chronic nonbacterial osteomyelitis in children: a multicenter study."
    )
    assert "儿童慢性非细菌性骨髓炎的临床特点：多中心研究" in blocks  # vernacular title
    assert blocks[blocks.index("METHODS") + 1].endswith(
        "pamidronate was given to refractory cases."
    )
    abstracts = parsed.text.split("\n\n")
    assert abstracts[2].startswith("目的： 总结儿童慢性非细菌性骨髓炎的临床特点。")  # own block
    assert blocks[-1] == (  # affiliations come last, as their own blocks
        "Department of Pediatrics, Peking Union Medical College Hospital, Beijing 100730, China."
    )
    meta = parsed.meta
    assert meta.pmid == "39601234"
    assert meta.doi == "10.3760/cma.j.cn112140-20231101-00321"
    assert meta.journal == "Zhonghua er ke za zhi = Chinese journal of pediatrics"
    assert (meta.year, meta.volume, meta.declared_language) == (2024, "62", "zh")
    assert meta.authors == ("Li Wang", "Wei Zhang")
    assert meta.affiliations == (
        "Department of Pediatrics, Peking Union Medical College Hospital, Beijing 100730, China.",
    )
    assert meta.keywords == ("Osteomyelitis", "Child", "Pamidronate")
    assert meta.publication_types == ("Journal Article", "Multicenter Study")
    assert meta.title and not meta.title.startswith("[")
    assert meta.url == meta.final_url == "https://pubmed.ncbi.nlm.nih.gov/39601234/"


def test_french_record_medline_date_collective_author_and_french_abstract():
    records = pubmed.read_pubmed_xml(RawSource("export.xml", EFETCH, pubmed.MEDIA_TYPE))
    french = records[1]
    assert isinstance(french, ParsedText)
    assert french.locator == "pmid:31234567"
    assert (french.meta.year, french.meta.declared_language) == (2019, "fr")
    assert french.meta.authors == ("French CNO Study Group",)
    assert french.meta.publication_types == ("Case Reports",)
    assert french.text.split("\n\n")[-1].startswith("Une fillette de 9 ans")


def test_same_pmid_gives_identical_bytes_whatever_the_batch(eutils: LocalServer):
    (alone,) = list(fetch_pmid_sources("pmid:39601234", limiter=no_wait()))
    in_batch = list(fetch_pmids(["31234567", "39601234"], limiter=no_wait()))
    again = list(fetch_pmid_sources("pmid:39601234", limiter=no_wait()))
    assert in_batch[1] == alone == again[0]
    assert pubmed.read_pubmed_xml(alone) == pubmed.read_pubmed_xml(in_batch[1])


def test_unknown_and_malformed_pmids_are_all_reported(eutils: LocalServer):
    results = list(fetch_pmids(["39601234", "pmid:111", "abc", "39601234"], limiter=no_wait()))
    assert [type(r).__name__ for r in results] == ["SourceError", "RawSource", "FetchError"]
    assert results[0].locator == "abc" and "not a PMID" in results[0].reason
    assert results[2].locator == "pmid:111" and results[2].reason == "no such record in PubMed"
    assert query(eutils)["id"] == ["39601234,111"]  # de-duplicated, one request


def test_ids_are_batched_200_per_request(eutils: LocalServer):
    ids = [str(30_000_000 + n) for n in range(250)]
    results = list(fetch_pmids(ids, limiter=no_wait()))
    assert len(results) == 250 and all(isinstance(r, FetchError) for r in results)
    assert [len(query(eutils, i)["id"][0].split(",")) for i in range(2)] == [200, 50]


def test_failed_batch_reports_every_pmid(eutils: LocalServer):
    eutils.routes["/eutils/efetch.fcgi"] = lambda h: send(h, 400, b"bad", "text/plain")
    results = list(fetch_pmid_sources("pmid:1,2", limiter=no_wait()))
    assert [r.locator for r in results] == ["pmid:1", "pmid:2"]
    assert all(isinstance(r, FetchError) and "HTTP 400" in r.reason for r in results)


def test_api_key_is_sent_and_raises_the_rate(eutils: LocalServer, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "secret-key")
    list(fetch_pmid_sources("pmid:39601234", limiter=no_wait()))
    assert query(eutils)["api_key"] == ["secret-key"]
    assert pubmed.default_rate_limiter().interval == pytest.approx(0.1)
    monkeypatch.delenv("NCBI_API_KEY")
    assert pubmed.default_rate_limiter().interval == pytest.approx(1 / 3)


def test_rate_limiter_spaces_calls():
    clock = FakeClock()
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        limiter.wait()
    assert clock.slept == [pytest.approx(1 / 3)] * 3
    clock.now += 10  # after a pause, no wait is needed
    limiter.wait()
    assert len(clock.slept) == 3


def test_search_returns_pmids_from_esearch(eutils: LocalServer):
    body = (REMOTE / "esearch.json").read_bytes()
    eutils.routes["/eutils/esearch.fcgi"] = lambda h: send(h, 200, body, "application/json")
    assert search("crmo", max_results=3, limiter=no_wait()) == [
        "39601234", "31234567", "30000001",
    ]  # fmt: skip
    params = query(eutils)
    assert params["term"] == ["crmo"] and params["retmax"] == ["3"]


def test_search_error_is_a_fetch_error(eutils: LocalServer):
    body = b'{"esearchresult": {"ERROR": "Invalid query"}}'
    eutils.routes["/eutils/esearch.fcgi"] = lambda h: send(h, 200, body, "application/json")
    with pytest.raises(FetchError, match="Invalid query"):
        search("((", limiter=no_wait())


def test_pubmed_xml_without_records_is_an_error():
    raw = RawSource("empty.xml", b"<PubmedArticleSet></PubmedArticleSet>")
    (error,) = pubmed.read_pubmed_xml(raw)
    assert isinstance(error, SourceError) and "no <PubmedArticle>" in error.reason


@pytest.mark.parametrize(
    ("given", "expected"),
    [("pmid:39601234", "39601234"), ("PMID: 123", "123"), (" 42 ", "42"), ("PMC123", None),
     ("10.1000/x", None)],
    ids=["scheme", "label", "bare", "pmcid", "doi"],
)  # fmt: skip
def test_normalise_pmid(given, expected):
    assert pubmed.normalise_pmid(given) == expected


def test_eutils_url_defaults_to_ncbi(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LITKIT_EUTILS_URL", raising=False)
    assert pubmed.eutils_url() == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
