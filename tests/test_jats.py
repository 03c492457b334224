"""PMC/JATS articles, `pmcid:` sources and safe XML parsing (entity bombs, XXE)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from litkit.errors import FetchError, SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import jats, pubmed
from litkit.sources.safexml import parse_xml, root_name
from tests.test_http_sources import send, serve

REMOTE = Path(__file__).parent / "fixtures" / "remote"
PMC = (REMOTE / "pmc_article.xml").read_bytes()


def read_fixture() -> ParsedText:
    (parsed,) = jats.read_jats(RawSource("pmc_article.xml", PMC, jats.MEDIA_TYPE))
    assert isinstance(parsed, ParsedText)
    return parsed


def test_body_sections_keep_their_titles_as_headings():
    sections = read_fixture().text.split("\n\n")
    assert sections[0] == "Pamidronate in refractory chronic recurrent multifocal osteomyelitis"
    assert sections[1].split("\n") == [
        "Background",
        "CRMO is an autoinflammatory bone disease.",
        "Case presentation",
        "We report a boy treated with pamidronate.",
    ]
    assert sections[2] == "L’OCNB est une maladie osseuse auto-inflammatoire."  # trans-abstract
    assert sections[4].split("\n") == [
        "Case presentation",
        "A 10-year-old boy received naproxen, then pamidronate 1 mg/kg.",
        "Follow-up",
        "No relapse at 12 months.",
    ]


def test_citation_markers_are_removed_with_their_brackets():
    text = read_fixture().text
    assert "Chronic recurrent multifocal osteomyelitis is rare.\n" in text
    assert "Whole-body MRI shows the lesions (Fig. 1)." in text


def test_figure_caption_is_kept_once():
    assert read_fixture().text.count("Whole-body MRI showing multifocal lesions.") == 1


@pytest.mark.parametrize(
    "left_out",
    ["Laboratory values", "12 mg/L", "Table 1"],
    ids=["table-caption", "table-cell", "label"],
)
def test_tables_are_left_out(left_out: str):
    assert left_out not in read_fixture().text


def test_metadata_is_complete():
    meta = read_fixture().meta
    assert meta.title == "Pamidronate in refractory chronic recurrent multifocal osteomyelitis"
    assert (meta.doi, meta.pmid) == ("10.1186/s12969-020-0001-x", "30000001")
    assert (meta.journal, meta.year, meta.volume) == ("Pediatric Rheumatology", 2020, "18")
    assert meta.authors == ("Claire Martin", "Yu Chen")  # the editor is not an author
    assert meta.affiliations == ("Hôpital Necker-Enfants Malades, Paris, France",)
    assert meta.keywords == ("CRMO", "Pamidronate")
    assert meta.publication_types == ("case-report", "Case Report")
    assert meta.declared_language == "en"
    assert meta.url == "https://pmc.ncbi.nlm.nih.gov/articles/PMC7654321/"


def test_namespaced_jats_is_read_too():
    namespaced = PMC.replace(b"<article ", b'<article xmlns="http://jats.nlm.nih.gov" ', 1)
    (parsed,) = jats.read_jats(RawSource("ns.xml", namespaced))
    assert isinstance(parsed, ParsedText)
    assert parsed.text == read_fixture().text


@pytest.mark.parametrize(
    ("path", "reader_media_type"),
    [("pmc_article.xml", jats.MEDIA_TYPE), ("efetch_pubmed.xml", pubmed.MEDIA_TYPE)],
    ids=["jats", "pubmed"],
)
def test_generic_xml_is_dispatched_by_root_element(path: str, reader_media_type: str):
    results = jats.read_xml(RawSource(path, (REMOTE / path).read_bytes(), "application/xml"))
    assert results and all(r.media_type == reader_media_type for r in results)


def test_unknown_xml_is_refused():
    (error,) = jats.read_xml(RawSource("feed.xml", b"<?xml version='1.0'?><rss/>"))
    assert isinstance(error, SourceError) and "<rss>" in error.reason


def test_pmcid_source_fetches_jats_from_eutils(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    with serve() as server:
        server.routes["/efetch.fcgi"] = lambda h: send(h, 200, PMC, "text/xml")
        monkeypatch.setenv("LITKIT_EUTILS_URL", server.url("/"))
        limiter = pubmed.RateLimiter(1000.0)
        (raw,) = list(jats.fetch_pmcid_sources("pmcid:PMC7654321", limiter=limiter))
        assert "db=pmc" in server.requests[0][0] and "id=7654321" in server.requests[0][0]
        (again,) = list(jats.fetch_pmcid_sources("pmcid:7654321", limiter=limiter))
    assert isinstance(raw, RawSource) and raw == again  # deterministic bytes
    assert raw.locator == "pmcid:PMC7654321"
    (parsed,) = jats.read_jats(raw)
    assert parsed.text == read_fixture().text


def test_pmcid_errors_are_yielded(monkeypatch: pytest.MonkeyPatch):
    (bad,) = list(jats.fetch_pmcid_sources("pmcid:abc"))
    assert isinstance(bad, SourceError) and "not a PMC id" in bad.reason
    with serve() as server:
        server.routes["/efetch.fcgi"] = lambda h: send(
            h, 200, b"<pmc-articleset><error>not found</error></pmc-articleset>", "text/xml"
        )
        monkeypatch.setenv("LITKIT_EUTILS_URL", server.url("/"))
        limiter = pubmed.RateLimiter(1000.0)
        (missing,) = list(jats.fetch_pmcid_sources("pmcid:PMC1", limiter=limiter))
    assert isinstance(missing, FetchError) and "not found" in missing.reason


# --- safe XML ----------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""


def external_entity_xml(secret: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY xxe SYSTEM "file://{secret}">]>
<article><front><article-meta><title-group><article-title>&xxe;</article-title>
</title-group></article-meta></front></article>""".encode()


@pytest.mark.parametrize(
    "reader", [pubmed.read_pubmed_xml, jats.read_jats, jats.read_xml], ids=["pubmed", "jats", "xml"]
)
def test_billion_laughs_is_refused_in_little_memory(reader):
    tracemalloc.start()
    try:
        (error,) = reader(RawSource("lolz.xml", BILLION_LAUGHS))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, SourceError)
    assert "entity declarations are refused" in error.reason
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize("reader", [jats.read_jats, jats.read_xml], ids=["jats", "xml"])
def test_external_entity_is_refused_without_reading_the_file(tmp_path: Path, reader):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    opened: list[str] = []
    real_open = open

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("builtins.open", spy_open)
        (error,) = reader(RawSource("xxe.xml", external_entity_xml(secret)))
    assert isinstance(error, SourceError)
    assert "refused" in error.reason and "TOP-SECRET" not in str(error)
    assert str(secret) not in opened


def test_external_dtd_in_doctype_is_allowed_and_not_fetched():
    root = parse_xml(
        b'<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "http://127.0.0.1:9/jats.dtd">'
        b"<article>ok</article>",
        "x.xml",
    )
    assert root.text == "ok"


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"<a><b></a>", "not well-formed"), (b"", "no element found"),
     (b"<a>&nbsp;</a>", "undefined entity")],
    ids=["mismatched", "empty", "undefined-entity"],
)  # fmt: skip
def test_malformed_xml_is_a_source_error(data: bytes, reason: str):
    with pytest.raises(SourceError, match=reason):
        parse_xml(data, "bad.xml")


@pytest.mark.parametrize(
    ("data", "name"),
    [(b'<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE a>\n<PubmedArticleSet>', "PubmedArticleSet"),
     (b"\xef\xbb\xbf<j:article xmlns:j='x'>", "article"), (b"no xml", None)],
    ids=["prolog", "bom-prefix", "none"],
)  # fmt: skip
def test_root_name(data: bytes, name: str | None):
    assert root_name(data) == name
