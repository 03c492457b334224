"""Roles of text: readers' roles (JATS, PubMed), rules on plain text, and no claims outside
body and caption sentences."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from litkit.cli import cli
from litkit.lexicon import default_lexicon
from litkit.models import Assessment, ParsedText, RawSource
from litkit.pipeline import process
from litkit.roles import line_role, sentence_heading, without_claims
from litkit.sources import jats, pubmed
from litkit.vocab import CLAIM_ROLES, ROLES

REMOTE = Path(__file__).parent / "fixtures" / "remote"


def roles_of(text: str, reader_roles: tuple[tuple[int, int, str], ...] = ()) -> dict[str, str]:
    """Each sentence of a processed plain text -> its role."""
    doc = process(ParsedText(text, roles=reader_roles), "t.txt", default_lexicon())
    return {s.text.strip(): s.role for s in doc.segments}


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Keywords: psoriasis; methotrexate; biologics", "keywords"),
        ("KEY WORDS: tuberculosis, rifampicin", "keywords"),
        ("Mots-clés : schizophrénie ; clozapine", "keywords"),
        ("Mots clés: polyarthrite rhumatoïde, méthotrexate", "keywords"),
        ("关键词：银屑病；甲氨蝶呤", "keywords"),
        ("[關鍵詞] 結核病; 利福平", "keywords"),
        ("【关键词】精神分裂症；氯氮平", "keywords"),
        (
            "1. Smith J, Brown K. Methotrexate in psoriasis. Br J Dermatol. 2019;12:34–56.",
            "reference",
        ),
        (
            "[12] Martin P, et al. Rifampicine et tuberculose. Rev Mal Respir 2018;35(2):101-9.",
            "reference",
        ),
        (
            "[3] 王明, 李华. 氯氮平治疗难治性精神分裂症[J]. 中华精神科杂志, 2020, 53(4): 12-15.",
            "reference",
        ),
        ("中华皮肤科杂志 2021年3期", "metadata"),
        ("Vol. 12 No. 4 2020 Revue médicale", "metadata"),
        (
            "Lancet Infect Dis. 2021 Mar;21(3):310-318. doi: 10.1016/S1473-3099(20)30001-1.",
            "metadata",
        ),
        ("doi: 10.1000/xyz123", "metadata"),
        ("Copyright © 2022 The Authors.", "metadata"),
        ("Received: 3 May 2021; Accepted: 9 June 2021", "metadata"),
        ("Reçu le 12 janvier 2020 ; accepté le 3 mars 2020", "metadata"),
        ("收稿日期：2022-01-05", "metadata"),
        ("Cited by 14", "metadata"),
        ("12 March 2021", "metadata"),
        ("Dupont A, Martin B, Lee C", "metadata"),
        (
            "Department of Dermatology, Royal Infirmary, University of Leeds, Leeds, UK",
            "affiliation",
        ),
        (
            "Service de pneumologie, Hôpital Bichat, Université Paris Cité, Paris, France",
            "affiliation",
        ),
        ("（复旦大学附属华山医院皮肤科，上海 200040）", "affiliation"),
        ("Correspondence: j.doe@example.org", "metadata"),
        ("Contact: j.doe@example.org", "affiliation"),
    ],
    ids=[
        "en-keywords",
        "en-keywords-caps",
        "fr-mots-cles",
        "fr-mots-cles-no-hyphen",
        "zh-keywords",
        "zh-hant-bracketed-keywords",
        "zh-lenticular-keywords",
        "en-numbered-reference",
        "fr-bracketed-reference",
        "zh-gb7714-reference",
        "zh-journal-issue",
        "fr-volume-number",
        "en-own-citation",
        "doi-line",
        "copyright",
        "en-received",
        "fr-recu",
        "zh-received",
        "cited-by",
        "date-line",
        "en-author-list",
        "en-affiliation",
        "fr-affiliation",
        "zh-affiliation",
        "correspondence",
        "email",
    ],
)
def test_line_roles(line: str, role: str):
    assert line_role(line) == role


@pytest.mark.parametrize(
    "line",
    [
        "Methotrexate reduced the PASI score by 75% in 40 patients, Table 2.",
        "Patients were treated at the Department of Dermatology of a university hospital.",
        "Les patients ont été traités par méthotrexate pendant 12 semaines.",
        "治疗后患者皮损明显好转。",
        "In 2019, 12 patients relapsed.",
        "【主要症状】反复骨痛伴发热",
    ],
    ids=["en-result", "en-hospital-in-prose", "fr-treatment", "zh-outcome", "en-year", "zh-field"],
)
def test_prose_lines_have_no_line_role(line: str):
    assert line_role(line) is None


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("Results", True),
        ("RESULTS:", True),
        ("2. Patients and methods", True),
        ("Matériel et méthodes", True),
        ("RÉSULTATS", True),
        ("[摘要]", True),
        ("目的", True),
        ("1.1 臨床資料", True),
        ("二、治疗经过", True),
        ("Treatment Response in Adult Psoriasis", True),
        ("Fever and bone pain", False),
        ("Douleurs osseuses", False),
        ("患者服药后症状缓解。", False),
        ("【疾病分期】IIIa期", False),
        ("ASPECTS CLINIQUES ET BIOLOGIQUES", True),
        ("3. How should I take this medicine?", True),
        ("Posologie", True),
        ("Possible side effects", True),
        ("用法用量", True),
        ("DO NOT EXCEED THE STATED DOSE.", False),
    ],
    ids=[
        "en-label",
        "en-label-colon",
        "en-numbered",
        "fr-label",
        "fr-caps",
        "zh-bracketed",
        "zh-label",
        "zh-hant-numbered",
        "zh-numbered-chinese",
        "en-title-case",
        "en-list-item",
        "fr-list-item",
        "zh-sentence",
        "zh-field-with-value",
        "fr-upper-case",
        "en-numbered-question",
        "fr-leaflet-label",
        "en-leaflet-label",
        "zh-leaflet-label",
        "en-upper-case-sentence",
    ],
)
def test_sentence_headings(text: str, heading: bool):
    assert sentence_heading(text) is heading


REFERENCE_LISTS = {
    "en": "Methotrexate improved the skin in most patients.\n\nReferences\n"
    "Smith J, Brown K. Methotrexate for psoriasis: two cases responsive to treatment. 2019.\n"
    "Lee A. Adalimumab in plaque psoriasis. J Dermatol 2020;4:1-9.",
    "fr": "Le méthotrexate a amélioré la peau chez la plupart des patients.\n\nRéférences\n"
    "Dupont A. Méthotrexate et psoriasis : deux cas répondant au traitement. 2019.\n"
    "Martin B. Adalimumab dans le psoriasis. Ann Dermatol 2020;4:1-9.",
    "zh": "甲氨蝶呤治疗后大多数患者皮损好转。\n\n参考文献\n"
    "王明. 甲氨蝶呤治疗银屑病两例报告\n"
    "李华. 阿达木单抗治疗斑块状银屑病的疗效. 中华皮肤科杂志, 2020, 4(2): 1-9.",
}


@pytest.mark.parametrize("lang", sorted(REFERENCE_LISTS))
def test_reference_block_after_its_heading(lang: str):
    doc = process(ParsedText(REFERENCE_LISTS[lang]), "t.txt", default_lexicon())
    roles = [s.role for s in doc.segments]
    assert roles[0] == "body" and doc.segments[0].assessment.types
    heading = roles.index("heading")
    assert heading >= 1 and set(roles[heading + 1 :]) == {"reference"}
    references = [s for s in doc.segments if s.role == "reference"]
    assert all(not s.assessment.types for s in references)
    assert any(s.mentions for s in references)  # still found, still searchable


def test_reference_block_ends_at_the_next_heading():
    text = (
        "References\nLee A. Adalimumab. J Dermatol 2020;4:1-9.\n\n"
        "Acknowledgements\nWe thank the nurses."
    )
    roles = roles_of("Patients improved on adalimumab.\n\n" + text)
    assert {role for text, role in roles.items() if "Lee A" in text or "2020;4" in text} == {
        "reference"
    }
    assert roles["Acknowledgements"] == "heading"
    assert roles["We thank the nurses."] == "body"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Rituximab versus cyclophosphamide in lupus nephritis: a randomised trial\n\n"
            "Rituximab improved renal function.",
            "Rituximab versus cyclophosphamide in lupus nephritis: a randomised trial",
        ),
        (
            "La clozapine dans la schizophrénie résistante\n\nLa clozapine a réduit les symptômes.",
            "La clozapine dans la schizophrénie résistante",
        ),
        (
            "氯氮平治疗难治性精神分裂症的疗效观察\n\n治疗后症状明显改善。",
            "氯氮平治疗难治性精神分裂症的疗效观察",
        ),
    ],
    ids=["en", "fr", "zh"],
)
def test_first_unpunctuated_line_is_the_title(text: str, title: str):
    doc = process(ParsedText(text), "t.txt", default_lexicon())
    assert doc.segments[0].text.strip() == title and doc.segments[0].role == "title"
    assert not doc.segments[0].assessment.types
    assert doc.segments[-1].role == "body" and doc.segments[-1].assessment.types


MIXED = (
    "Adalimumab for psoriasis\n\n"
    "Department of Dermatology, City Hospital, University of Lyon, Lyon, France\n"
    "Keywords: adalimumab; methotrexate; psoriasis\n"
    "Br J Dermatol. 2020 May;182(5):1100-1108. doi: 10.1111/bjd.18000.\n\n"
    "Results\n"
    "Adalimumab reduced the PASI score in 30 patients.\n\n"
    "1. Lee A, et al. Methotrexate failure in psoriasis. J Dermatol 2018;4:1-9.\n"
)


def test_no_sentence_outside_body_or_caption_carries_a_claim():
    doc = process(ParsedText(MIXED), "t.txt", default_lexicon())
    roles = {s.role for s in doc.segments}
    assert {"title", "affiliation", "keywords", "metadata", "heading", "reference"} <= roles
    for segment in doc.segments:
        assert segment.role in ROLES
        if segment.role not in CLAIM_ROLES:
            assert segment.assessment.types == () and segment.assessment.outcomes == ()
    body = [s for s in doc.segments if s.role == "body"]
    assert body and all(s.assessment.types for s in body)


def test_without_claims_keeps_body_and_caption_untouched():
    claim = Assessment(types=("treatment",), cues=("treatment:en:given",))
    assert without_claims(claim, "caption") is claim
    stripped = without_claims(claim, "keywords")
    assert stripped.types == () and stripped.cues[-1] == "role:keywords"


def test_reader_roles_win_over_rules():
    text = "Methotrexate improved the skin.\nAdalimumab improved the skin."
    first = len("Methotrexate improved the skin.")
    roles = roles_of(text, ((0, first, "caption"), (first + 1, len(text), "reference")))
    assert roles == {
        "Methotrexate improved the skin.": "caption",
        "Adalimumab improved the skin.": "reference",
    }


def test_jats_reader_marks_title_headings_captions_keywords_affiliations_references():
    (parsed,) = jats.read_jats(
        RawSource("pmc.xml", (REMOTE / "pmc_article.xml").read_bytes(), jats.MEDIA_TYPE)
    )
    assert isinstance(parsed, ParsedText)
    by_text = {parsed.text[s:e]: role for s, e, role in parsed.roles}
    assert (
        by_text["Pamidronate in refractory chronic recurrent multifocal osteomyelitis"] == "title"
    )
    assert by_text["Case presentation"] == "heading"
    assert by_text["Whole-body MRI showing multifocal lesions."] == "caption"
    assert by_text["Keywords: CRMO; Pamidronate"] == "keywords"
    assert by_text["Hôpital Necker-Enfants Malades, Paris, France"] == "affiliation"
    assert by_text["Smith J. CRMO review. 2018."] == "reference"
    assert by_text["We report a boy treated with pamidronate."] == "body"
    doc = process(parsed, "pmc.xml", default_lexicon())
    stored = {s.text: s.role for s in doc.segments}
    assert {role for text, role in stored.items() if "Smith J" in text} == {"reference"}
    assert stored["Whole-body MRI showing multifocal lesions."] == "caption"


def test_pubmed_reader_marks_title_labels_keywords_affiliations():
    raw = RawSource("p.xml", (REMOTE / "efetch_pubmed.xml").read_bytes(), pubmed.MEDIA_TYPE)
    parsed = next(p for p in pubmed.read_pubmed_xml(raw) if isinstance(p, ParsedText))
    by_text = {parsed.text[s:e]: role for s, e, role in parsed.roles}
    assert by_text["METHODS"] == "heading"
    assert by_text["Keywords: Pamidronate"] == "keywords"
    assert "affiliation" in by_text.values() and "title" in by_text.values()
    doc = process(parsed, "p.xml", default_lexicon())
    keywords = [s for s in doc.segments if s.role == "keywords"]  # the label may stand alone
    assert any(s.mentions for s in keywords)
    assert not any(s.assessment.types for s in keywords)


def test_counted_reference_and_cited_by_headings_open_reference_blocks():
    text = (
        "Methotrexate improved the skin in most patients.\n\n"
        "References (12)\n"
        "Adalimumab for Moderate Plaque Psoriasis\n\n"
        "Cited by (40)\n"
        "Biologics in Psoriasis: Responsive to Treatment\n"
        "2021, Dermatology Clinics\n"
    )
    doc = process(ParsedText(text), "t.txt", default_lexicon())
    roles = [s.role for s in doc.segments]
    assert roles == ["body", "heading", "reference", "heading", "reference", "reference"]
    assert not any(s.assessment.types for s in doc.segments[1:])


@pytest.mark.parametrize(
    "line",
    [
        "Smith" + " A." * 400 + "!",
        "A." * 400 + " Smith!",
        " " * 20000 + "x",
        "1. " + "2019;12:34 " * 2000,
        "a@" * 5000,
        "1.1." * 2000,
        "【" * 5000,
    ],
    ids=["initials", "leading-initials", "spaces", "citations", "at-signs", "dots", "brackets"],
)
def test_pathological_lines_are_decided_in_linear_time(line: str):
    """These shapes made an author regex with nested quantifiers backtrack exponentially;
    each must now simply get a role (or none) instead of hanging the ingest worker."""
    assert line_role(line) in (None, *ROLES)
    assert sentence_heading(line) in (True, False)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Lithium improved mood in most patients.\n\n"
            "锂盐治疗老年双相障碍的疗效观察\n\n背景\n双相障碍在老年人中常见。",
            "锂盐治疗老年双相障碍的疗效观察",
        ),
        (
            "Le lithium a amélioré l'humeur.\n\nLithium in Older Adults with Bipolar Disorder\n\n"
            "Abstract\nBipolar disorder is common in older adults.",
            "Lithium in Older Adults with Bipolar Disorder",
        ),
    ],
    ids=["zh-translation", "en-translation"],
)
def test_line_before_an_opening_label_is_a_title(text: str, title: str):
    roles = roles_of(text)
    assert roles[title] == "title"
    assert roles[next(t for t in roles if t.startswith(("Lithium improved", "Le lithium")))] == (
        "body"
    )


@pytest.mark.parametrize(
    "text",
    ["Methylprednisolone led to remission in 3 patients", "甲泼尼龙治疗后3例患者缓解"],
    ids=["en", "zh"],
)
def test_a_one_line_text_is_a_sentence_not_a_title(text: str):
    doc = process(ParsedText(text), "t.txt", default_lexicon())
    assert [s.role for s in doc.segments] == ["body"]
    assert doc.segments[0].assessment.types


def test_roles_are_stored_exported_and_only_body_or_caption_is_a_claim(tmp_path: Path):
    source = tmp_path / "paper.txt"
    source.write_text(MIXED, encoding="utf-8")
    db = tmp_path / "t.db"
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db), "ingest", str(source)], catch_exceptions=False)
    result = runner.invoke(cli, ["--db", str(db), "export", "--all"], catch_exceptions=False)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    schema = json.loads(
        (Path(__file__).parent.parent / "schemas" / "segment.schema.json").read_text()
    )
    validator = jsonschema.validators.validator_for(schema)(schema)  # built once, not per record
    for record in records:
        validator.validate(record)
        assert record["role"] in ROLES
        assert not record["types"] or record["role"] in CLAIM_ROLES
    by_role = {r["role"] for r in records}
    assert {"title", "affiliation", "keywords", "metadata", "reference", "body"} <= by_role
    keywords = [r for r in records if r["role"] == "keywords"]  # the label may stand alone
    assert any("adalimumab" in r["treatments"] for r in keywords)  # still found and searchable
    csv_out = runner.invoke(cli, ["--db", str(db), "export", "--all", "--format", "csv"])
    assert "role" in csv_out.stdout.splitlines()[0].split(",")


@pytest.mark.parametrize(
    "text",
    [
        "Le méthotrexate a amélioré la douleur.Figure 2 Vue largeTélécharger la diapositive"
        "Radiographie du fémur après traitement par méthotrexate",
        "Methotrexate improved the pain.Figure 3 View largeDownload slideRadiograph of the "
        "femur after methotrexate treatment",
        "甲氨蝶呤改善了疼痛。图2 查看大图 下载原图甲氨蝶呤治疗后股骨X线片",
    ],
    ids=["fr", "en", "zh"],
)
def test_figure_viewer_buttons_are_a_metadata_sentence_without_claim(text: str):
    """Buttons kept by clean on a line of their own are page furniture: a sentence of their
    own with the metadata role and no claim, the caption after them stays a sentence."""
    doc = process(ParsedText(text), "t.txt", default_lexicon())
    by_text = {s.text: s for s in doc.segments}
    buttons = [s for s in doc.segments if s.role == "metadata"]
    assert len(buttons) == 1
    assert buttons[0].assessment.types == () and buttons[0].assessment.outcomes == ()
    assert not any(word in s.text for s in doc.segments if s.role != "metadata"
                   for word in ("View large", "Vue large", "查看大图"))  # fmt: skip
    assert len(by_text) == 3
