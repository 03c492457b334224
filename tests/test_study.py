"""Study facts per document: number of patients, publication year, and the design they settle.

Sentences are written for these tables (general phrasings of each language), never taken from
the evaluation sets."""

from __future__ import annotations

import pytest

from litkit.models import DocumentMeta
from litkit.study import count_patients, study_facts, text_year

COUNT_CASES = [
    # digits
    ("en-digits", "A total of 120 patients were randomised to the two arms.", 120),
    ("en-noun-first-n", "Adults with asthma (n = 64) were enrolled in four centres.", 64),
    ("en-thousands", "We included 12,480 women from the national registry.", 12480),
    ("en-modifiers", "Records of 350 consecutive adult inpatients were reviewed.", 350),
    ("fr-digits", "Au total, 58 enfants ont été inclus dans l'étude.", 58),
    ("fr-thousands", "L'étude a recruté 40 512 femmes enceintes.", 40512),
    ("fr-dot-thousands", "Nous avons inclus 2.345 patients consécutifs.", 2345),
    ("zh-digits", "共纳入120例慢性阻塞性肺疾病患者。", 120),
    ("zh-noun-first", "选择高血压患者86例作为研究对象。", 86),
    ("zh-ming", "共招募受试者 45 名受试者参与研究。", 45),
    # number words
    ("en-words", "Forty-two children with asthma were enrolled.", 42),
    ("en-words-hundred", "One hundred and five participants were recruited.", 105),
    ("fr-words", "Dix-sept enfants ont été inclus.", 17),
    ("fr-words-80", "Quatre-vingt-douze patients ont été recrutés.", 92),
    ("fr-words-et", "Soixante et onze patientes ont été incluses.", 71),
    # Chinese numerals
    ("zh-numeral", "本文报告五例肺结核患儿。", 5),
    ("zh-numeral-tens", "共收集十二例患者的临床资料。", 12),
    ("zh-numeral-hundred", "共纳入一百二十例患者。", 120),
    ("zh-liang", "报告两例罕见病例。", 2),
    ("zh-wei", "共纳入三十位老年患者。", 30),
]


@pytest.mark.parametrize(("case", "text", "count"), COUNT_CASES, ids=[c[0] for c in COUNT_CASES])
def test_patient_counts(case: str, text: str, count: int) -> None:
    assert count_patients(text, family="trial") == count


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Pain improved in 4 of 5 patients. We enrolled 30 patients in total.", 30),
        ("La douleur a diminué chez 3 patients sur 12 patients.", 3),
        ("Of these, 12 patients relapsed. In total, 48 patients were included.", 48),
        ("每组10例患者,共纳入30例。", 30),
        ("Sixty percent of 80 patients improved; 80 patients were enrolled.", 80),
    ],
    ids=["en-of-denominator", "fr-sur-denominator", "en-inclusion-wins", "zh-per-group",
         "en-percent"],
)  # fmt: skip
def test_the_included_count_wins_over_parts_and_wholes(text: str, count: int) -> None:
    assert count_patients(text, family="observational") == count


@pytest.mark.parametrize(
    "text",
    [
        "Smith et al. followed 178 patients for ten years.",
        "Dupont et coll. ont décrit 45 enfants.",
        "王某等[8]对178例患者进行了随访。",
        "A previous series [12] reported 30 patients.",
    ],
    ids=["en-et-al", "fr-et-coll", "zh-deng", "bracket-reference"],
)
def test_counts_of_other_studies_are_not_the_studys(text: str) -> None:
    assert count_patients(text, family="observational") is None


@pytest.mark.parametrize(
    "text",
    [
        "The mean age was 45 years; 3 weeks of treatment; 12 mg daily.",
        "18 名医生参与了评估。",
        "Sixty five percent of pregnant women received antibiotics.",
    ],
    ids=["en-units", "zh-not-patients", "en-percent-of"],
)
def test_numbers_that_count_no_patients(text: str) -> None:
    assert count_patients(text, family="trial") is None


def test_without_a_design_only_an_inclusion_sentence_counts() -> None:
    text = "A large French series of 178 patients was published. Nothing else is said."
    assert count_patients(text, family=None) is None
    assert count_patients("Overall, 40 patients were enrolled.", family=None) == 40


@pytest.mark.parametrize(
    ("text", "design", "patients"),
    [
        ("We report the case of a 7-year-old boy admitted with fever. The patient recovered.",
         "case_report", 1),
        ("Nous rapportons deux cas de tuberculose osseuse. La patiente âgée de 9 ans a guéri.",
         "case_report", 2),
        ("Case series: we report a case series of five patients, all of whom had scurvy.",
         "case_series", 5),
        ("本文报告5例肺结核患儿,并进行文献复习。患儿,男,7岁。病例报告。",
         "case_series", 5),
        ("Patient information: what is asthma? Talk to your doctor. 300 patients were enrolled.",
         "patient_information", None),
        ("This narrative review summarises recent advances. A trial enrolled 300 patients.",
         "narrative_review", None),
        ("A meta-analysis of seven trials: in total, 3200 patients were included; heterogeneity.",
         "meta_analysis", 3200),
    ],
    ids=["en-case-report-one", "fr-two-cases-report", "en-five-is-a-series", "zh-five-is-a-series",
         "en-leaflet-no-count", "en-review-no-count", "en-meta-pooled"],
)  # fmt: skip
def test_study_facts_design_and_patients(text: str, design: str, patients: int | None) -> None:
    facts = study_facts(text, DocumentMeta())
    assert (facts.design, facts.patients) == (design, patients)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Title\nPublished in the journal: Rev Med, 12, 2019, No. 3, p. 10-15.\nBody.", 2019),
        ("Title\nPublished: 3 March 2021\nBody text mentions 1998.", 2021),
        ("Titre\nPublié le 12 mai 2018\nLe texte cite 2001.", 2018),
        ("Texte.\nPour citer cet article : Dupont A. Titre. Rev Prat 2016;66:1-5.", 2016),
        ("正文。\n引用本文: 张三, 李四. 标题. 中华医学杂志, 2020, 100(3): 1-5.", 2020),
        ("中华儿科杂志 2023年8期\n正文提到2010年。", 2023),
        ("Body.\n© 2017 The Authors. Published by Elsevier.", 2017),
    ],
    ids=["en-published-in", "en-published", "fr-publie-le", "fr-citer", "zh-yinyong",
         "zh-journal-issue", "copyright"],
)  # fmt: skip
def test_year_from_a_labelled_line(text: str, year: int) -> None:
    assert text_year(text) == year


@pytest.mark.parametrize(
    "text",
    [
        "Patients were treated between 2011 and 2015 in Ghana.",
        "Trials published up to 2019 were searched.",
        "就诊时间 2003年7月,术后恢复良好。",
        "References\nHolden W et al. Clin Infect Dis (2005).",
    ],
    ids=["en-study-period", "en-published-mid-sentence", "zh-month", "reference-year"],
)
def test_a_year_the_text_mentions_is_not_the_publication_year(text: str) -> None:
    assert text_year(text) is None


def test_metadata_year_wins_over_the_text() -> None:
    text = "Body.\nPublished: 3 March 2021"
    assert study_facts(text, DocumentMeta(year=2020)).year == 2020
    assert study_facts(text, DocumentMeta()).year == 2021


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("We screened 2345 patients, of whom 1203 were randomly assigned to the two arms.", 1203),
        ("Of 880 patients assessed for eligibility, 412 were enrolled.", 412),
        ("Of the 1245 patients identified, 980 met the inclusion criteria.", 980),
        ("Sur 300 patients évalués pour l'éligibilité, 150 ont été randomisés.", 150),
        ("共筛查200例患者,排除50例,最终纳入150例。", 150),
    ],
    ids=["en-screened-then-randomised", "en-assessed-then-enrolled", "en-identified-then-met",
         "fr-evalues-then-randomises", "zh-screened-excluded-included"],
)  # fmt: skip
def test_people_screened_or_excluded_are_not_the_sample(text: str, count: int) -> None:
    assert count_patients(text, family="trial") == count


@pytest.mark.parametrize(
    ("text", "design", "patients"),
    [
        ("We report the case of a 6-year-old boy with scurvy. To date, 35 cases have been "
         "reported in the literature.", "case_report", 1),
        ("Cas clinique : nous rapportons le cas d'une patiente âgée de 30 ans. Seuls 12 cas ont "
         "été rapportés dans la littérature.", "case_report", 1),
        ("病例报告:患者,女,30岁,因腹痛入院。国内外共报道20例。", "case_report", 1),
    ],
    ids=["en-cases-in-the-literature", "fr-cas-rapportes", "zh-gongbaodao"],
)  # fmt: skip
def test_cases_reported_by_others_do_not_make_a_series(text, design, patients) -> None:
    facts = study_facts(text, DocumentMeta())
    assert (facts.design, facts.patients) == (design, patients)
