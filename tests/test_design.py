"""Study-design detection from metadata and text cues, in French, English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from litkit.design import detect_design
from litkit.models import DocumentMeta

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "cno"

TEXT_CASES = [
    (
        "en-case",
        "We report the case of a 9-year-old girl who was admitted with bone pain.",
        "case_report",
    ),
    (
        "fr-case",
        "Cas clinique. Nous rapportons l'observation d'un garçon âgé de 8 ans.",
        "case_report",
    ),
    ("zh-case", "病例报告:患儿,女,9岁,因骨痛入院。", "case_report"),
    ("en-review", "This narrative review summarises a literature review of CNO.", "review"),
    ("fr-review", "Revue de la littérature. Cette revue présente une mise au point.", "review"),
    ("zh-review", "本文对该病进行综述,并进行文献复习。", "review"),
    (
        "en-trial",
        "In this randomized, double-blind, placebo-controlled trial we tested etanercept.",
        "trial",
    ),
    ("fr-trial", "Essai randomisé en double aveugle contre placebo.", "trial"),
    ("zh-trial", "本研究为随机双盲对照试验。", "trial"),
    (
        "en-cohort",
        "We conducted a retrospective multicentre cohort study of 58 children.",
        "cohort",
    ),
    ("fr-cohort", "Étude rétrospective multicentrique d'une cohorte de 40 patients.", "cohort"),
    ("zh-cohort", "回顾性分析多中心队列的临床资料。", "cohort"),
    (
        "en-guideline",
        "Consensus statement and recommendations: guidelines from a Delphi process.",
        "guideline",
    ),
    ("fr-guideline", "Recommandations: conférence de consensus et PNDS.", "guideline"),
    ("zh-guideline", "儿童慢性无菌性骨髓炎诊治专家共识与指南。", "guideline"),
    (
        "en-patient",
        "Patient information: frequently asked questions. Talk to your doctor.",
        "patient_information",
    ),
    (
        "fr-patient",
        "Qu'est-ce que l'OMCR ? Votre enfant doit consulter votre médecin.",
        "patient_information",
    ),
    ("en-unknown", "Osteomyelitis is an infection of bone.", None),
]


@pytest.mark.parametrize(("case", "text", "design"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_design_from_text(case: str, text: str, design: str | None) -> None:
    assert detect_design(text, DocumentMeta()) == design


@pytest.mark.parametrize(
    ("types", "design"),
    [
        (("Case Reports",), "case_report"),
        (("Journal Article", "Review"), "review"),
        (("Randomized Controlled Trial",), "trial"),
        (("Practice Guideline",), "guideline"),
    ],
    ids=["case-reports", "review", "rct", "guideline"],
)
def test_publication_types_win(types: tuple[str, ...], design: str) -> None:
    assert detect_design("We report a case.", DocumentMeta(publication_types=types)) == design


def test_title_outweighs_body() -> None:
    meta = DocumentMeta(title="A systematic review of bisphosphonates")
    assert detect_design("Two randomized trials were found.", meta) == "review"


@pytest.mark.parametrize(
    ("filename", "design"),
    [
        ("holden_crmo_sacral_case_report.fr.txt", "case_report"),
        ("eur_j_pediatr_2024_cno_review.en-zh.txt", "review"),
    ],
    ids=["fr-seed-case-report", "en-zh-seed-review"],
)
def test_seed_documents(filename: str, design: str) -> None:
    text = (CORPUS / filename).read_text(encoding="utf-8")
    assert detect_design(text, DocumentMeta()) == design
