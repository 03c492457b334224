"""Sections of a structured paper: methods carry no claims, results report outcomes."""

from __future__ import annotations

import pytest

from litkit.lexicon import default_lexicon
from litkit.models import Assessment, ParsedText
from litkit.pipeline import process
from litkit.sections import (
    comparative_study,
    in_section,
    result_cues,
    segment_sections,
    states_aim,
)
from litkit.vocab import CLAIM_TYPES

ABSTRACTS = {
    "en": (
        "Background\nPsoriasis is a chronic skin disease.\n\n"
        "Methods\nPatients received methotrexate 15 mg weekly or placebo for 12 weeks.\n\n"
        "Results\nThe PASI score fell more in the methotrexate group than in the placebo group "
        "(p = 0.01).\n"
    ),
    "fr": (
        "Contexte\nLe psoriasis est une maladie chronique de la peau.\n\n"
        "Méthodes\nLes patients ont reçu du méthotrexate 15 mg par semaine ou un placebo.\n\n"
        "Résultats\nLe score PASI a davantage baissé dans le groupe méthotrexate que dans le "
        "groupe placebo (p = 0,01).\n"
    ),
    "zh": (
        "背景\n银屑病是一种慢性皮肤病。\n\n"
        "方法\n患者随机分为两组，分别给予甲氨蝶呤每周15 mg或安慰剂治疗12周。\n\n"
        "结果\n甲氨蝶呤组PASI评分下降幅度明显高于安慰剂组(P<0.05)。\n"
    ),
}


@pytest.mark.parametrize("lang", sorted(ABSTRACTS))
def test_methods_carry_no_claim_and_results_are_outcomes(lang: str):
    doc = process(ParsedText(ABSTRACTS[lang]), "a.txt", default_lexicon())
    body = [s for s in doc.segments if s.role == "body"]
    methods, results = body[1], body[2]
    assert methods.assessment.types == ()
    assert "section:methods" in methods.assessment.cues
    assert {"treatment", "outcome"} <= set(results.assessment.types)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("METHODS", "methods"),
        ("Patients and methods", "methods"),
        ("MÉTHODES", "methods"),
        ("资料与方法", "methods"),
        ("Results", "results"),
        ("RÉSULTATS", "results"),
        ("結果", "results"),
        ("Objective", "aims"),
        ("目的", "aims"),
        ("Discussion", None),
    ],
    ids=[
        "en-methods", "en-patients-methods", "fr-methodes", "zh-methods", "en-results",
        "fr-resultats", "zh-hant-results", "en-objective", "zh-aims", "en-discussion",
    ],
)  # fmt: skip
def test_heading_opens_its_section(label: str, kind: str | None):
    sections = segment_sections([label, "A sentence."], ["heading", "body"])
    assert sections == [None, kind]


def test_label_that_runs_into_its_sentence_opens_the_section():
    texts = ["RÉSUMÉ: MÉTHODES: Les patients ont reçu du méthotrexate.", "Une autre phrase."]
    assert segment_sections(texts, ["body", "body"]) == ["methods", "methods"]


def test_sections_end_at_the_next_heading():
    texts = ["Methods", "Patients received X.", "Discussion", "X helped."]
    roles = ["heading", "body", "heading", "body"]
    assert segment_sections(texts, roles) == [None, "methods", None, None]


@pytest.mark.parametrize(
    ("text", "lang", "aim"),
    [
        ("To evaluate the efficacy of rituximab in lupus.", "en", True),
        ("Évaluer l'efficacité du rituximab dans le lupus.", "fr", True),
        ("观察利妥昔单抗治疗狼疮的疗效。", "zh", True),
        ("Rituximab is often used in lupus.", "en", False),
    ],
    ids=["en", "fr", "zh", "en-statement"],
)
def test_statement_of_aim(text: str, lang: str, aim: bool):
    assert states_aim(text) is aim
    typed = Assessment(types=("treatment", "outcome"))
    assert bool(in_section(typed, "aims", text, lang).types) is not aim


@pytest.mark.parametrize(
    ("text", "lang", "cues"),
    [
        ("Mortality was lower in the dexamethasone group (p = 0.03).", "en", {"result", "arm"}),
        ("Symptomatic sites were the femur (35%) and the tibia (20%).", "en", set()),
        ("La survie était significativement plus longue dans le bras A.", "fr", {"result", "arm"}),
        ("两组有效率差异有统计学意义。", "zh", {"result", "arm", "comparison"}),
        ("共纳入58例患者。", "zh", set()),
    ],
    ids=["en-arms", "en-percentages-only", "fr-arms", "zh-arms", "zh-description"],
)
def test_result_cues(text: str, lang: str, cues: set[str]):
    assert result_cues(text, lang) == cues


def test_results_section_adds_outcome_only_for_a_reported_result():
    plain = Assessment(types=("diagnosis",))
    described = in_section(plain, "results", "Sites were the femur (35%).", "en")
    assert described.types == ("diagnosis",)
    compared = in_section(plain, "results", "Pain was lower in group B (p < 0.01).", "en")
    assert compared.types == ("treatment", "outcome")  # the pain measures the result
    assert compared.cues[-1] == "section:results"
    diagnosed = Assessment(types=("diagnosis",), cues=("diagnosis:en:diagnos*",))
    text = "Diagnosis was earlier in group B (p < 0.01)."
    assert in_section(diagnosed, "results", text, "en").types == CLAIM_TYPES


@pytest.mark.parametrize(
    ("text", "lang", "aim"),
    [
        ("To assess the safety of lithium in older adults.", "en", True),
        ("Évaluer la tolérance du lithium chez le sujet âgé.", "fr", True),
        ("探讨锂盐在老年患者中的安全性。", "zh", True),
        ("Observe the wound daily.", "en", False),
    ],
    ids=["en", "fr", "zh", "en-imperative"],
)
def test_unmistakable_aim_carries_no_claim_in_any_section(text: str, lang: str, aim: bool):
    typed = Assessment(types=("treatment", "outcome"))
    assert bool(in_section(typed, None, text, lang).types) is not aim


def test_conclusion_judging_a_treatment_is_an_outcome():
    treated = Assessment(types=("treatment",))
    text = "Lithium is a reasonable option in older adults."
    assert in_section(treated, "conclusions", text, "en").types == ("treatment", "outcome")
    assert in_section(treated, None, text, "en").types == ("treatment",)


@pytest.mark.parametrize(
    "text",
    ["Lithium versus Placebo in Older Adults", "锂盐治疗老年双相障碍的疗效观察"],
    ids=["en-title", "zh-title"],
)
def test_unpunctuated_lines_gain_no_type_from_their_section(text: str):
    treated = Assessment(types=("treatment",))
    assert in_section(treated, "conclusions", text, "en") is treated


def test_enumerator_run_into_the_next_item_still_ends_a_sentence():
    text = "(1) Relapse was less frequent in the lithium group (p = 0.02). (2)"
    assert "outcome" in in_section(Assessment(), "results", text, "en").types


def test_anatomical_lower_and_upper_are_no_comparison():
    assert result_cues("Lesions were in the lower limbs and upper jaw.", "en") == set()


@pytest.mark.parametrize(
    ("methods", "comparative"),
    [
        ("Patients were randomised to lithium or placebo.", True),
        ("Les nourrissons ont été répartis au hasard en deux groupes.", True),
        ("患者随机分为两组。", True),
        ("We reviewed the charts of 40 consecutive patients.", False),
    ],
    ids=["en-randomised", "fr-au-hasard", "zh-random", "en-chart-review"],
)
def test_comparative_study_is_read_from_its_methods(methods: str, comparative: bool):
    texts = ["Methods", methods, "Results", "Relapse was rare."]
    sections = segment_sections(texts, ["heading", "body", "heading", "body"])
    assert comparative_study(texts, sections) is comparative


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("There was no difference in pain scores at 5 minutes.", "en"),
        ("La durée des pleurs était similaire : 97 contre 110 secondes.", "fr"),
        ("两组疼痛评分差异无统计学意义。", "zh"),
    ],
    ids=["en", "fr", "zh"],
)
def test_comparison_in_a_comparative_study_is_about_the_arms(text: str, lang: str):
    result = in_section(Assessment(), "results", text, lang, comparative=True)
    assert result.types == ("treatment", "outcome")
    alone = in_section(Assessment(), "results", "Relapse was similar at 5 years.", "en")
    assert alone.types == ("outcome",)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Both groups had comparable age (p = 0.71) and disease duration (p = 0.52).", "en"),
        ("Les caractéristiques initiales étaient comparables (p = 0,6).", "fr"),
        ("两组患者一般资料比较差异无统计学意义(P>0.05),具有可比性。", "zh"),
    ],
    ids=["en", "fr", "zh"],
)
def test_baseline_characteristics_are_no_result(text: str, lang: str):
    assert in_section(Assessment(), "results", text, lang, comparative=True).types == ()


def test_aim_of_a_treatment_in_conclusions_is_no_outcome():
    aimed = Assessment(types=("treatment",), cues=("purpose:zh:为了防止",))
    text = "为了防止术后感染,应常规使用抗生素。"
    assert in_section(aimed, "conclusions", text, "zh").types == ("treatment",)


def test_baseline_sentence_in_results_carries_no_type_at_all():
    typed = Assessment(types=("diagnosis",), cues=("diagnosis:en:involvement",))
    text = "Both groups had comparable age (p = 0.7) and organ involvement (p = 0.5)."
    assert in_section(typed, "results", text, "en").types == ()


def test_trial_abbreviations_make_a_study_comparative():
    texts = ["Méthodes", "Nous avons inclus 18 ECR.", "Résultats", "Le risque a baissé."]
    sections = segment_sections(texts, ["heading", "body", "heading", "body"])
    assert comparative_study(texts, sections)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Memory scores improved significantly compared to baseline.", "en"),
        ("与基线相比,疼痛评分显著降低。", "zh"),
    ],
    ids=["en", "zh"],
)
def test_change_from_baseline_is_a_result(text: str, lang: str):
    assert "outcome" in in_section(Assessment(), "results", text, lang).types


def test_a_comparison_being_made_is_a_method_not_a_result():
    stated = Assessment(cues=("evaluation:fr:ont été comparés",))
    text = "Ces résultats ont été comparés à ceux de 31 patients témoins."
    assert in_section(stated, "results", text, "fr").types == ()
