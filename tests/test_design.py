"""Study-design detection from metadata and text cues, in French, English and Chinese.

Every case is a sentence written for this table: the design words of each language, not
sentences of the evaluation sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from litkit.design import detect_design, feature_scores, resolve
from litkit.models import DocumentMeta
from litkit.vocab import DESIGN_CHOICES, DESIGNS, expand_designs

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "cno"

TEXT_CASES = [
    # randomised trials
    (
        "en-rct",
        "In this randomised, double-blind, placebo-controlled trial, 200 adults with asthma"
        " were randomly assigned to inhaled budesonide.",
        "randomised_trial",
    ),
    (
        "fr-rct",
        "Essai randomisé en double aveugle contre placebo : 96 patients ont été répartis au"
        " hasard entre deux groupes.",
        "randomised_trial",
    ),
    (
        "zh-rct",
        "将120例高血压患者随机分为观察组和对照组,进行随机双盲对照试验。",
        "randomised_trial",
    ),
    # non-randomised trials: a trial that never says it was randomised
    (
        "en-nrct",
        "A single-arm, open-label phase II trial of the new regimen in 40 patients with lymphoma.",
        "non_randomised_trial",
    ),
    (
        "fr-nrct",
        "Essai clinique non randomisé en ouvert chez des adultes traités pour une tuberculose.",
        "non_randomised_trial",
    ),
    ("zh-nrct", "本研究为单臂临床试验,观察组患者接受新方案治疗。", "non_randomised_trial"),
    # retrospective cohorts, including a bare "retrospective study"
    (
        "en-retro",
        "This retrospective study reviewed the medical records of adults admitted with sepsis.",
        "retrospective_cohort",
    ),
    (
        "fr-retro",
        "Étude rétrospective monocentrique à partir des dossiers médicaux des patients opérés.",
        "retrospective_cohort",
    ),
    ("zh-retro", "回顾性分析我院收治的糖尿病足患者的临床资料。", "retrospective_cohort"),
    ("zh-retro-hant", "回顧性分析本院收治的糖尿病足患者的臨床資料。", "retrospective_cohort"),
    # prospective cohorts
    (
        "en-prosp",
        "In this prospective cohort study, pregnant women were followed prospectively until"
        " delivery.",
        "prospective_cohort",
    ),
    (
        "fr-prosp",
        "Étude prospective : une cohorte prospective de nourrissons a été suivie pendant deux ans.",
        "prospective_cohort",
    ),
    ("zh-prosp", "本研究为前瞻性队列研究,前瞻性纳入孕妇并随访至分娩。", "prospective_cohort"),
    # a cohort that does not say which way it looked
    (
        "en-cohort",
        "This population-based cohort study followed adults with psoriasis in a national registry.",
        "cohort",
    ),
    # case-control
    (
        "en-cc",
        "We conducted a case-control study of stroke with matched controls from the same"
        " practices.",
        "case_control",
    ),
    (
        "fr-cc",
        "Étude cas-témoins des facteurs de risque de la tuberculose : 120 soignants malades et"
        " 240 témoins appariés.",
        "case_control",
    ),
    ("zh-cc", "采用1:2配对病例对照研究方法,分析肺癌的危险因素。", "case_control"),
    # case reports
    (
        "en-case",
        "We report the case of a 9-year-old girl who was admitted with fever and a limp.",
        "case_report",
    ),
    (
        "fr-case",
        "Cas clinique. Nous rapportons l'observation d'un garçon âgé de 8 ans hospitalisé pour"
        " une boiterie.",
        "case_report",
    ),
    ("zh-case", "病例报告:患儿,女,9岁,因发热、跛行入院。", "case_report"),
    ("zh-case-age", "患者为一位45岁男性,主诉胸痛3天,急诊入院。", "case_report"),
    # case series named as such
    (
        "en-series",
        "We describe a case series of consecutive cases of scurvy, all of whom were children.",
        "case_series",
    ),
    (
        "fr-series",
        "Série de cas : nous rapportons une série de maladies de Kawasaki de l'adulte (cas"
        " consécutifs).",
        "case_series",
    ),
    ("zh-series", "本文为病例系列研究:对连续收治的12例川崎病患儿进行系列报道。", "case_series"),
    # meta-analyses
    (
        "en-meta",
        "We performed a systematic review and meta-analysis of randomised trials; heterogeneity"
        " was assessed.",
        "meta_analysis",
    ),
    (
        "fr-meta",
        "Revue systématique et méta-analyse des essais contrôlés ; l'hétérogénéité a été évaluée.",
        "meta_analysis",
    ),
    ("zh-meta", "采用Meta分析方法,检索数据库中的随机对照试验,评价异质性。", "meta_analysis"),
    # systematic reviews without pooling
    (
        "en-sr",
        "This systematic review searched MEDLINE and Embase databases and assessed the risk of"
        " bias of included studies.",
        "systematic_review",
    ),
    (
        "fr-sr",
        "Revue systématique : recherche exhaustive dans les bases de données MEDLINE et Embase.",
        "systematic_review",
    ),
    ("zh-sr", "本系统评价检索了中英文数据库。", "systematic_review"),
    # narrative reviews
    (
        "en-review",
        "This narrative review summarises a literature review of tuberculosis treatment.",
        "narrative_review",
    ),
    (
        "fr-review",
        "Revue de la littérature. Cette revue présente une mise au point.",
        "narrative_review",
    ),
    ("zh-review", "本文对该病的研究进展进行综述,并进行文献复习。", "narrative_review"),
    # guidelines
    (
        "en-guideline",
        "Consensus statement and recommendations: guidelines from a Delphi process.",
        "guideline",
    ),
    (
        "fr-guideline",
        "Recommandations de bonne pratique issues d'une conférence de consensus.",
        "guideline",
    ),
    ("zh-guideline", "成人社区获得性肺炎诊疗指南与专家共识。", "guideline"),
    # drug information (leaflets, SmPC, 说明书)
    (
        "en-drug",
        "Package leaflet: information for the user. How to take the tablets; possible side"
        " effects; if you forget to take a dose.",
        "drug_information",
    ),
    (
        "fr-drug",
        "Notice : information de l'utilisateur. Comment prendre ce médicament ? Si vous oubliez"
        " de prendre un comprimé pelliculé, parlez-en à votre pharmacien.",
        "drug_information",
    ),
    (
        "zh-drug",
        "药品说明书 【药品名称】阿莫西林胶囊 【用法用量】口服 "
        "【不良反应】恶心 【禁忌】青霉素过敏者禁用",
        "drug_information",
    ),
    # patient information about a disease
    (
        "en-patient",
        "Patient information: frequently asked questions. Talk to your doctor.",
        "patient_information",
    ),
    (
        "fr-patient",
        "Qu'est-ce que l'asthme ? Votre enfant doit consulter votre médecin.",
        "patient_information",
    ),
    ("zh-patient", "患者须知:什么是高血压?常见问题解答。", "patient_information"),
    ("en-unknown", "Osteomyelitis is an infection of bone.", None),
]


@pytest.mark.parametrize(("case", "text", "design"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_design_from_text(case: str, text: str, design: str | None) -> None:
    assert detect_design(text, DocumentMeta()) == design


def test_every_design_is_reachable_from_text() -> None:
    found = {design for _, _, design in TEXT_CASES if design}
    assert found == set(DESIGNS)


@pytest.mark.parametrize(
    ("text", "design"),
    [
        (
            "The study was a retrospective randomized study of records of mothers.",
            "retrospective_cohort",
        ),
        (
            "A retrospective study: patients were randomly chosen from the registry.",
            "retrospective_cohort",
        ),
    ],
    ids=["en-retrospective-beats-randomized", "en-retrospective-random-sample"],
)
def test_a_retrospective_study_is_not_a_trial(text: str, design: str) -> None:
    meta = DocumentMeta(title="Outcomes of treatment: a retrospective study")
    assert detect_design(text, meta) == design


@pytest.mark.parametrize(
    ("patients", "design"),
    [(1, "case_report"), (2, "case_report"), (3, "case_series"), (12, "case_series")],
    ids=["one", "two", "three", "twelve"],
)
def test_case_report_or_series_by_number_of_patients(patients: int, design: str) -> None:
    text = "We report the case histories; the patient was admitted. A case of scurvy."
    assert detect_design(text, DocumentMeta(), patients=patients) == design


def test_a_case_series_named_as_a_case_report_is_still_decided_by_its_count() -> None:
    scores = feature_scores("Case report. We present a patient.")
    assert resolve("case", scores, patients=5) == "case_series"
    assert resolve("case", scores, patients=None) == "case_report"


@pytest.mark.parametrize(
    ("types", "design"),
    [
        (("Case Reports",), "case_report"),
        (("Journal Article", "Review"), "narrative_review"),
        (("Review", "Systematic Review", "Meta-Analysis"), "meta_analysis"),
        (("Systematic Review",), "systematic_review"),
        (("Clinical Trial", "Randomized Controlled Trial"), "randomised_trial"),
        (("Clinical Trial",), "non_randomised_trial"),
        (("Observational Study",), "cohort"),
        (("Practice Guideline",), "guideline"),
        (("Patient Education Handout",), "patient_information"),
    ],
    ids=["case-reports", "review", "meta", "sr", "rct", "clinical-trial", "observational",
         "guideline", "handout"],
)  # fmt: skip
def test_publication_types_win(types: tuple[str, ...], design: str) -> None:
    assert detect_design("We report a case.", DocumentMeta(publication_types=types)) == design


def test_publication_type_family_is_refined_by_the_text() -> None:
    meta = DocumentMeta(publication_types=("Observational Study",))
    assert detect_design("A retrospective analysis of records.", meta) == "retrospective_cohort"
    meta = DocumentMeta(publication_types=("Case Reports",))
    assert detect_design("Three patients were treated.", meta, patients=3) == "case_series"


def test_title_outweighs_body() -> None:
    meta = DocumentMeta(title="A systematic review of bisphosphonates")
    assert detect_design("Two randomized trials were found.", meta) == "systematic_review"


def test_a_single_design_name_is_not_enough() -> None:
    """A lone "case report" may be another article's title in a list of similar articles."""
    assert detect_design("Similar articles: Osteomyelitis: a case report.") is None


def test_a_case_report_with_a_literature_review_is_a_case_report() -> None:
    assert detect_design("股骨骨髓炎1例报告并文献复习。患者,男,12岁。") == "case_report"
    assert (
        detect_design("Scurvy in a 6-year-old boy: a case report and review of the literature.")
        == "case_report"
    )


def test_coarse_designs_of_older_databases_expand_to_their_group() -> None:
    assert expand_designs(("trial",)) == ("trial", "randomised_trial", "non_randomised_trial")
    assert set(expand_designs(("review",))) >= {"review", "narrative_review", "meta_analysis"}
    assert expand_designs(("case_report",)) == ("case_report",)
    assert set(DESIGNS) < set(DESIGN_CHOICES) and {"trial", "review"} <= set(DESIGN_CHOICES)


@pytest.mark.parametrize(
    ("filename", "design"),
    [
        ("holden_crmo_sacral_case_report.fr.txt", "case_report"),
        ("eur_j_pediatr_2024_cno_review.en-zh.txt", "narrative_review"),
    ],
    ids=["fr-seed-case-report", "en-zh-seed-review"],
)
def test_seed_documents(filename: str, design: str) -> None:
    text = (CORPUS / filename).read_text(encoding="utf-8")
    assert detect_design(text, DocumentMeta(), patients=2) == design


@pytest.mark.parametrize(
    "text",
    [
        "In this article, we review the current evidence on biologics for psoriasis and we "
        "discuss recent developments.",
        "Dans cet article, nous discutons les données actuelles sur la tuberculose : revue de la "
        "littérature.",
        "本文就银屑病生物制剂治疗的研究进展及现状作一综述。",
    ],
    ids=["en", "fr", "zh"],
)
def test_a_review_that_does_not_call_itself_narrative_is_one(text: str) -> None:
    assert detect_design(text) == "narrative_review"
