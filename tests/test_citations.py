"""Citations everywhere: short citations on claims and quotes, citation fields from every
reference format, and RIS/BibTeX exports of the studies behind a filter that litkit's own
readers read back as the same records (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litkit.citations import family_name, short_citation
from litkit.models import ParsedText, RawSource
from litkit.sources import jats, pubmed
from litkit.sources.refs import parse_bibtex, parse_ris, read_references, record_meta
from litkit.store import open_db, write_document

from .evidence_helpers import run
from .test_link import CORTICO, claim_document

RIS_RECORD = """TY  - JOUR
ID  - smith2019
TI  - Corticosteroids for bone pain in children
AU  - Smith, Anna
AU  - Dupont, Jean
AU  - Li, Wei
JO  - Pediatric Rheumatology
PY  - 2019
VL  - 17
IS  - 4
SP  - 101
EP  - 108
DO  - 10.1000/xyz.2019.4
AN  - 31000001
C2  - PMC6000001
AB  - Prednisolone improved pain. Pain did not improve with naproxen.
ER  -
"""


@pytest.mark.parametrize(
    ("authors", "year", "title", "expected"),
    [
        (["Sigrun R Hofmann"], 2016, None, "Hofmann 2016"),
        (["Sigrun R Hofmann", "Felix Kapplusch"], 2016, None, "Hofmann and Kapplusch 2016"),
        (["Hofmann, Sigrun", "Kapplusch, F", "Girschick, H"], 2016, None, "Hofmann et al. 2016"),
        (["Hofmann SR", "Kapplusch F", "Girschick HJ"], 2016, None, "Hofmann et al. 2016"),
        (["张伟"], 2022, None, "张伟 2022"),
        ([], 2008, "Bisphosphonates in chronic bone pain", "Bisphosphonates in chronic bone… 2008"),
        ([], None, "Deux cas", "Deux cas n.d."),
        ([], None, None, "Untitled n.d."),
    ],
    ids=["one-author", "two-authors", "three-last-first", "medline-initials", "cjk-name",
         "no-author-title-start", "no-year", "nothing"],
)  # fmt: skip
def test_short_citation_is_how_a_paper_cites_a_study(authors, year, title, expected):
    assert short_citation(authors, year, title) == expected


@pytest.mark.parametrize(
    ("author", "family"),
    [("Anna Smith", "Smith"), ("Smith, Anna", "Smith"), ("van der Berg J", "van der Berg")],
    ids=["first-last", "last-comma-first", "particle-initials"],
)
def test_family_name_of_every_stored_name_order(author, family):
    assert family_name(author) == family


def test_ris_reader_keeps_issue_pages_pmcid_and_record_id():
    meta = record_meta(parse_ris(RIS_RECORD)[0])
    assert (meta.issue, meta.pages, meta.pmcid, meta.record_id) == (
        "4", "101-108", "PMC6000001", "smith2019",
    )  # fmt: skip
    assert (meta.volume, meta.pmid, meta.year) == ("17", "31000001", 2019)


def test_bibtex_reader_keeps_key_number_and_pages():
    entry = "@article{dupont2020,\n title={Un essai}, number = {2}, pages = {5--9}, pmcid={PMC12}}"
    meta = record_meta(parse_bibtex(entry)[0])
    assert (meta.record_id, meta.issue, meta.pmcid) == ("dupont2020", "2", "PMC12")
    assert meta.pages == "5-9"  # BibTeX's `--` range, not the en dash LaTeX typesets


def test_medline_reader_keeps_issue_pages_and_pmcid():
    nbib = "PMID- 123\nTI  - A title\nAB  - An abstract.\nIP  - 3\nPG  - 45-52\nPMC - PMC999\n"
    (parsed,) = read_references(RawSource("x.nbib", nbib.encode()))
    assert isinstance(parsed, ParsedText)
    assert (parsed.meta.issue, parsed.meta.pages, parsed.meta.pmcid) == ("3", "45-52", "PMC999")


def test_pubmed_xml_keeps_issue_pagination_and_pmc_id():
    xml = b"""<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>
<Journal><JournalIssue><Volume>12</Volume><Issue>5</Issue></JournalIssue></Journal>
<ArticleTitle>A title.</ArticleTitle><Pagination><MedlinePgn>33-40</MedlinePgn></Pagination>
<Abstract><AbstractText>Steroids helped.</AbstractText></Abstract></Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pmc">PMC42</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle></PubmedArticleSet>"""
    (parsed,) = pubmed.read_pubmed_xml(RawSource("a.xml", xml))
    assert isinstance(parsed, ParsedText)
    assert (parsed.meta.issue, parsed.meta.pages, parsed.meta.pmcid) == ("5", "33-40", "PMC42")


def test_jats_keeps_issue_pages_and_pmcid():
    xml = b"""<article><front><article-meta><article-id pub-id-type="pmc">77</article-id>
<title-group><article-title>A title</article-title></title-group><volume>3</volume>
<issue>2</issue><fpage>10</fpage><lpage>18</lpage></article-meta></front>
<body><p>Steroids helped.</p></body></article>"""
    (parsed,) = jats.read_jats(RawSource("a.xml", xml, jats.MEDIA_TYPE))
    assert isinstance(parsed, ParsedText)
    assert (parsed.meta.issue, parsed.meta.pages, parsed.meta.pmcid) == ("2", "10-18", "PMC77")


@pytest.fixture
def ris_db(tmp_path: Path) -> Path:
    """A database of one RIS record with full citation metadata."""
    source = tmp_path / "export.ris"
    source.write_text(RIS_RECORD, encoding="utf-8")
    path = tmp_path / "refs.db"
    result = run(path, "ingest", str(source))
    assert result.exit_code == 0, result.output
    return path


def test_every_claim_record_carries_the_short_citation(ris_db):
    result = run(ris_db, "export")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and {r["citation"] for r in records} == {"Smith et al. 2019"}


def test_summary_quotes_carry_the_citation_and_document(ris_db):
    result = run(ris_db, "summarize", "--treatment", "corticosteroids", "--format", "json")
    assert result.exit_code == 0, result.output
    quotes = json.loads(result.stdout)["quotes"]
    assert quotes and all(q["citation"] == "Smith et al. 2019" for q in quotes)
    markdown = run(ris_db, "summarize", "--treatment", "corticosteroids").stdout
    assert "(Smith et al. 2019, `" in markdown


def test_ris_export_reads_back_as_the_same_records(ris_db):
    """Titles, DOIs, years, authors and the citation fields survive export and re-read."""
    before = record_meta(parse_ris(RIS_RECORD)[0])
    exported = run(ris_db, "export", "--format", "ris").stdout
    (record,) = parse_ris(exported)
    after = record_meta(record)
    for name in ("title", "doi", "year", "authors", "journal", "volume", "issue", "pages",
                 "pmid", "pmcid", "record_id"):  # fmt: skip
        assert getattr(after, name) == getattr(before, name), name
    assert "litkit:treatment=prednisolone" in after.keywords  # from the claims, not the title
    assert "litkit:type=outcome" in after.keywords


def test_bibtex_export_reads_back_as_the_same_records(ris_db):
    before = record_meta(parse_ris(RIS_RECORD)[0])
    exported = run(ris_db, "export", "--format", "bibtex").stdout
    (record,) = parse_bibtex(exported)
    after = record_meta(record)
    for name in ("title", "doi", "year", "authors", "journal", "issue", "pages", "record_id"):
        assert getattr(after, name) == getattr(before, name), name
    assert "litkit:treatment=prednisolone" in after.keywords  # from the claims, not the title


def test_reference_export_keeps_only_the_studies_behind_the_filter(tmp_path):
    path = tmp_path / "two.db"
    db = open_db(path)
    helped = ("Steroids helped.", "en", ("outcome",), "improved", [CORTICO])
    assessed = ("Pain was assessed.", "en", ("diagnosis",), None, [])
    write_document(db, claim_document("a.txt", [helped]))
    write_document(db, claim_document("b.txt", [assessed]))
    db.close()
    steroids = ("--treatment", "corticosteroids")
    kept = parse_ris(run(path, "export", "--format", "ris", *steroids).stdout)
    assert [r["title"] for r in kept] == [["a.txt"]]
    both = parse_ris(run(path, "export", "--format", "ris").stdout)
    assert sorted(r["title"][0] for r in both) == ["a.txt", "b.txt"]
    by_type = parse_ris(run(path, "export", "--format", "ris", "--type", "diagnosis").stdout)
    assert [r["title"] for r in by_type] == [["b.txt"]]


def test_reference_export_to_a_file_is_one_line_on_error(ris_db, tmp_path):
    result = run(ris_db, "export", "--format", "ris", "-o", str(tmp_path / "no" / "x.ris"))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "x.ris" in result.output
