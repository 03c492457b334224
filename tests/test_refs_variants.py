"""Reference exports as databases really write them: headers, traps and column names."""

from __future__ import annotations

from pathlib import Path

import pytest

from litkit.errors import SkippedRecord, SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import files, read, refs

REFS = Path(__file__).parent / "fixtures" / "refs"


def _read(name: str) -> list[ParsedText | SourceError]:
    return read(files.read_file(str(REFS / name)))


def _docs(name: str) -> list[ParsedText]:
    return [r for r in _read(name) if isinstance(r, ParsedText)]


# ------------------------------------------------------------------------------ RIS


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("ovid.ris", ["Colchicine after myocardial infarction"]),
        (
            "cochrane.ris",
            ["Amoxicillin for acute otitis media in children", "Watchful waiting in otitis media"],
        ),
        ("ovid_export.txt", ["Colchicine after myocardial infarction"]),
    ],
    ids=["ovid-record-numbers", "cochrane-record-headers", "ris-saved-as-txt"],
)
def test_ris_with_record_headers_or_any_extension_is_read(name: str, titles: list[str]) -> None:
    docs = _docs(name)
    assert [d.text.split("\n")[0] for d in docs] == titles
    assert all(d.media_type == refs.RIS for d in docs)


def test_ovid_record_without_abstract_is_skipped_not_failed() -> None:
    results = _read("ovid.ris")
    assert isinstance(results[1], SkippedRecord) and results[1].reason == "no abstract"
    assert results[1].locator.endswith("ovid.ris#2")


def test_cochrane_header_lines_are_not_record_text() -> None:
    first = _docs("cochrane.ris")[0]
    assert "Provider" not in first.text and "Record #" not in first.text
    assert first.meta.year == 2015


def test_web_of_science_year_comes_from_py_not_da() -> None:
    (doc,) = _docs("wos.ris")
    assert doc.meta.year == 2010
    assert doc.meta.doi == "10.1056/nejmoa2215145"  # "[doi]" cut off


@pytest.mark.parametrize(
    ("value", "doi"),
    [
        ("https://doi.org/10.1056/NEJMoa1912388.", "10.1056/nejmoa1912388"),
        ("10.1056/NEJMoa2215145 [doi]", "10.1056/nejmoa2215145"),
        ("doi:10.1016/S0140-6736(15)60690-0;", "10.1016/s0140-6736(15)60690-0"),
        ("DOI 10.1000/abc.1)", "10.1000/abc.1"),
        ("not a doi", None),
    ],
    ids=["doi-org-and-period", "pubmed-suffix", "parentheses-kept", "closing-bracket", "none"],
)
def test_dois_are_cut_to_the_doi(value: str, doi: str | None) -> None:
    assert refs.record_meta({"doi": [value]}).doi == doi


@pytest.mark.parametrize(
    ("record", "year"),
    [
        ({"date": ["SEP 22"], "year": ["2010"]}, 2010),
        ({"date": ["2019/03/04"]}, 2019),
        ({"year": ["2020///"], "date": ["2019"]}, 2020),
        ({"date": ["JAN"]}, None),
    ],
    ids=["py-before-da", "date-alone", "year-first", "no-year"],
)
def test_year_from_year_fields_before_dates(record: dict, year: int | None) -> None:
    assert refs.record_meta(record).year == year


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_escaped_brace_does_not_swallow_later_entries() -> None:
    results = _read("traps.bib")
    assert len(results) == 3
    assert isinstance(results[2], SkippedRecord)


def test_bibtex_accent_keeps_the_following_space() -> None:
    first = _docs("traps.bib")[0]
    assert first.text == (
        "Café au lait spots in CRMO\n"
        "Spots were seen in 10% of children; café au lait macules are benign."
    )
    assert first.meta.authors == ("Marie Thi'ebaux", "Hans Müller")


def test_bibtex_string_macros_and_concatenation() -> None:
    first, second = _docs("traps.bib")
    assert first.meta.journal == "Journal of Rheumatology"
    assert second.meta.journal == "Pediatric Rheumatology Reviews"
    assert (first.meta.year, first.meta.doi) == (2019, "10.1000/jrh.2019.9")


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"caf\'e au lait", "café au lait"),
        (r"caf\'{e} au lait", "café au lait"),
        (r"{\'E}cole m\`ere", "École mère"),
        (r"Thi\{ebaux\}", "Thiebaux"),
        (r"50\# of", "50# of"),
    ],
    ids=["accent-then-space", "braced-accent", "grouped-accents", "escaped-braces", "hash"],
)
def test_latex_accents_and_escapes(latex: str, text: str) -> None:
    assert refs._latex_to_text(latex) == text


def test_unparseable_bibtex_entry_is_reported_and_the_next_read() -> None:
    text = "@article{a, title={x}\n@article{b, title={Kept}, abstract={Text.}}\n"
    results = refs.read_references(RawSource("x.bib", text.encode(), refs.BIBTEX))
    assert isinstance(results[0], SourceError) and not isinstance(results[0], SkippedRecord)
    assert "could not be parsed" in results[0].reason
    assert isinstance(results[1], ParsedText) and results[1].text == "Kept\nText."


# ---------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    ("name", "title", "year", "doi"),
    [
        ("embase.csv", "Colchicine after myocardial infarction", 2019, "10.1056/nejmoa1912388"),
        ("scopus.csv", "Colchicine in chronic coronary disease", 2020, "10.1056/nejmoa2021372"),
        ("refworks.csv", "Early mobilisation after stroke", 2015, "10.1016/s0140-6736(15)60690-0"),
        ("openalex.csv", "Vitamin D and falls", 2021, "10.1000/oa.1"),
        ("cinahl.csv", "Balance training in older adults", 2018, None),
        ("wos.txt", "Statins after acute coronary syndrome", 2022, "10.1016/s0140-6736(22)00001-1"),
        ("asreview.csv", "Metformin in gestational diabetes", 2008, "10.1056/nejmoa0707943"),
    ],
    ids=["embase-preamble", "scopus", "refworks", "openalex", "cinahl-date", "wos-tab", "asreview"],
)
def test_csv_column_names_of_databases_and_screening_tools(
    name: str, title: str, year: int, doi: str | None
) -> None:
    (doc,) = _docs(name)
    assert doc.text.split("\n")[0] == title
    assert (doc.meta.year, doc.meta.doi) == (year, doi)


def test_scopus_pmid_keywords_and_language() -> None:
    (doc,) = _docs("scopus.csv")
    assert (doc.meta.pmid, doc.meta.declared_language) == ("32865380", "en")
    assert doc.meta.keywords == ("colchicine", "inflammation")


def test_csv_without_abstract_column_skips_each_record() -> None:
    results = _read("pubmed.csv")
    assert [type(r) for r in results] == [SkippedRecord, SkippedRecord]
    assert [r.locator.rsplit("#", 1)[1] for r in results] == ["1", "2"]


def test_sentence_with_commas_is_not_a_csv_header() -> None:
    text = "Title, abstract and keywords were screened by two reviewers.\n"
    assert refs.export_kind(text) is None


@pytest.mark.parametrize("hint", ["text/plain", None], ids=["txt", "stdin"])
def test_utf16_tab_separated_export_is_read(hint: str | None) -> None:
    """Excel's "Unicode text" (UTF-16 with BOM, tab-separated), as Web of Science users save."""
    text = (REFS / "wos.txt").read_text("utf-8").replace("Statins", "Statines é")
    (doc,) = read(RawSource("savedrecs.txt", text.encode("utf-16"), hint))
    assert isinstance(doc, ParsedText) and doc.media_type == refs.CSV
    assert doc.text.startswith("Statines é after acute coronary syndrome\n")


@pytest.mark.parametrize(
    ("name", "hint", "kind"),
    [
        ("ovid.ris", "text/csv", refs.RIS),
        ("traps.bib", "application/x-research-info-systems", refs.BIBTEX),
        ("wos.ris", "application/x-bibtex", refs.RIS),
    ],
    ids=["ris-as-csv", "bibtex-as-ris", "ris-as-bib"],
)
def test_an_export_under_another_exports_extension_is_read_by_content(
    name: str, hint: str, kind: str
) -> None:
    results = read(RawSource(name, (REFS / name).read_bytes(), hint))
    assert isinstance(results[0], ParsedText) and results[0].media_type == kind
