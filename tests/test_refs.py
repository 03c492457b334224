"""Reference-manager exports: one document per record, records without abstract reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from litkit.errors import SkippedRecord, SourceError
from litkit.models import ParsedText, RawSource
from litkit.sources import refs

REMOTE = Path(__file__).parent / "fixtures" / "remote"


def read(name: str, media_type: str | None = None) -> list[ParsedText | SourceError]:
    return refs.read_references(RawSource(name, (REMOTE / name).read_bytes(), media_type))


@pytest.mark.parametrize(
    ("name", "outcomes"),
    [
        ("export.ris", ["doc", "no abstract", "doc"]),
        ("export.nbib", ["doc", "no abstract"]),
        ("export.bib", ["doc", "no abstract"]),
        ("rayyan.csv", ["doc", "no abstract"]),
        ("covidence.csv", ["doc"]),
    ],
    ids=["ris", "nbib", "bibtex", "rayyan", "covidence"],
)
def test_one_result_per_record_and_missing_abstracts_reported(name: str, outcomes: list[str]):
    results = read(name)
    got = ["doc" if isinstance(r, ParsedText) else r.reason for r in results]
    assert got == outcomes
    assert [r.locator for r in results] == [f"{name}#{n}" for n in range(1, len(results) + 1)]


def test_ris_record_text_and_metadata():
    first = read("export.ris")[0]
    assert isinstance(first, ParsedText)
    assert first.text == (
        "Pamidronate for chronic nonbacterial osteomyelitis in children\n"
        "Pamidronate induced remission in 12 of 15 children with refractory disease."
    )
    meta = first.meta
    assert meta.doi == "10.1186/s12969-020-0001-x"  # doi.org prefix removed
    assert (meta.pmid, meta.year, meta.volume) == ("30000001", 2020, "18")
    assert meta.authors == ("Claire Martin", "Yu Chen")
    assert (meta.journal, meta.declared_language) == ("Pediatric Rheumatology", "en")
    assert meta.keywords == ("CRMO", "bisphosphonates")


def test_ris_chinese_record_uses_t1_and_n2():
    third = read("export.ris")[2]
    assert isinstance(third, ParsedText)
    assert third.text == "儿童慢性非细菌性骨髓炎\n非甾体抗炎药为一线治疗。"
    assert (third.meta.year, third.meta.declared_language) == (2022, "zh")


def test_missing_abstract_is_a_skipped_record_not_an_error():
    skipped = read("export.ris")[1]
    assert isinstance(skipped, SkippedRecord)
    assert str(skipped) == "export.ris#2: no abstract"


def test_nbib_continuation_lines_mesh_and_other_abstract():
    first = read("export.nbib", "application/x-research-info-systems")[0]
    assert isinstance(first, ParsedText)
    title, abstract, other = first.text.split("\n")
    assert title.endswith("in children: a multicenter study.")
    assert abstract.endswith("Twenty-eight children were included.")
    assert other == "目的： 总结儿童慢性非细菌性骨髓炎的临床特点。"  # "Publisher:" prefix dropped
    meta = first.meta
    assert (meta.pmid, meta.year, meta.volume) == ("39601234", 2024, "62")
    assert meta.doi == "10.3760/cma.j.cn112140-20231101-00321"
    assert meta.keywords == ("Osteomyelitis", "Child")
    assert meta.publication_types == ("Journal Article", "Multicenter Study")
    assert (meta.authors, meta.declared_language) == (("Li Wang",), "zh")
    assert meta.affiliations[0].startswith("Department of Pediatrics")


def test_bibtex_latex_accents_braces_and_fields():
    first = read("export.bib")[0]
    assert isinstance(first, ParsedText)
    assert first.text == (
        "Pamidronate in CRMO: a Français cohort\n"
        "L'œdème osseux a régressé sous pamidronate — 12/15 enfants."
    )
    meta = first.meta
    assert meta.authors == ("Claire Martin", "Yu Chén")
    assert (meta.pmid, meta.year, meta.doi) == ("30000001", 2020, "10.1186/s12969-020-0001-x")
    assert (meta.journal, meta.declared_language) == ("Pediatric Rheumatology", "fr")
    assert meta.keywords == ("CRMO", "pamidronate")


def test_rayyan_csv_columns():
    first = read("rayyan.csv", "text/csv")[0]
    assert isinstance(first, ParsedText)
    assert first.text == "Naproxen in CNO, a trial\nNSAIDs improved pain in 70% of patients."
    assert first.meta.authors == ("Smith J", "Doe A")
    assert (first.meta.doi, first.meta.year) == ("10.1000/abc", 2018)
    assert first.meta.keywords == ("NSAID", "CNO")


def test_covidence_semicolon_csv():
    (first,) = read("covidence.csv", "text/csv")
    assert isinstance(first, ParsedText)
    assert first.text == "Ostéite chronique\nLes AINS ont été efficaces; aucune rechute."
    assert (first.meta.year, first.meta.doi, first.meta.volume) == (2021, "10.1001/xyz", "3")


def test_csv_without_a_title_column_is_refused():
    raw = RawSource("scores.csv", b"patient,score\n1,3\n", "text/csv")
    (error,) = refs.read_csv_export(raw)
    assert isinstance(error, SourceError) and error.reason == "CSV has no title column to read"


def test_unknown_format_is_refused():
    (error,) = refs.read_references(RawSource("notes.ris", b"just some words\n", None))
    assert isinstance(error, SourceError) and "not a RIS" in error.reason


def test_same_file_gives_same_documents():
    assert read("export.ris")[0] == read("export.ris")[0]


@pytest.mark.parametrize(
    ("latex", "text"),
    [(r"Gr{\"u}nwald", "Grünwald"), (r"\c{c}a", "ça"), (r"na\"{\i}ve", "naïve"),
     (r"{\oe}uvre", "œuvre"), (r"10\% \& more", "10% & more")],
    ids=["umlaut", "cedilla", "dotless-i", "oe", "escapes"],
)  # fmt: skip
def test_latex_to_text(latex: str, text: str):
    assert refs._latex_to_text(latex) == text
