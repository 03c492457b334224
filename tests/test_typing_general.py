"""Claim typing beyond one disease: procedures, drug classes, survival, tests and findings of
any specialty, in English, French and Chinese (cases of our own, not gold sentences)."""

from __future__ import annotations

import pytest

from litkit.classify import assess
from litkit.lexicon import default_lexicon


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The patient underwent a total gastrectomy.", "en", {"treatment"}),
        ("She was started on antipsychotic medication.", "en", {"treatment"}),
        ("Radiotherapy was delivered in 30 fractions.", "en", {"treatment"}),
        ("He received haemodialysis three times a week.", "en", {"treatment"}),
        ("La patiente a subi une cholécystectomie.", "fr", {"treatment"}),
        ("Une chimiothérapie adjuvante a été proposée.", "fr", {"treatment"}),
        ("Il a été mis sous antidépresseurs.", "fr", {"treatment"}),
        ("患者接受了化疗。", "zh", {"treatment"}),
        ("术后给予血浆置换。", "zh", {"treatment"}),
        ("患者行针刺治疗。", "zh", {"treatment"}),
    ],
    ids=[
        "en-underwent-surgery", "en-antipsychotic", "en-radiotherapy", "en-dialysis",
        "fr-subi-surgery", "fr-chemotherapy", "fr-antidepressant", "zh-chemotherapy",
        "zh-plasma-exchange", "zh-acupuncture",
    ],
)  # fmt: skip
def test_interventions_of_any_specialty_are_treatment(text: str, lang: str, expected: set[str]):
    assert expected <= set(assess(text, lang).types)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The patient underwent an MRI of the pelvis.", "en"),
        ("Le patient a subi une biopsie cutanée.", "fr"),
    ],
    ids=["en-underwent-test", "fr-subi-biopsy"],
)
def test_undergoing_a_test_is_diagnosis_not_treatment(text: str, lang: str):
    types = assess(text, lang).types
    assert "treatment" not in types and "diagnosis" in types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Overall survival was 18 months.", "en"),
        ("Mortality at 30 days was 4%.", "en"),
        ("No adverse events were reported.", "en"),
        ("La survie médiane était de 18 mois.", "fr"),
        ("La mortalité à 30 jours était de 4 %.", "fr"),
        ("手术成功率为98%。", "zh"),
        ("所有皮瓣均成活。", "zh"),
    ],
    ids=[
        "en-survival", "en-mortality", "en-adverse-events", "fr-survie", "fr-mortalite",
        "zh-success-rate", "zh-survived",
    ],
)  # fmt: skip
def test_survival_mortality_and_success_are_outcomes(text: str, lang: str):
    assert "outcome" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("An echocardiogram showed apical ballooning.", "en"),
        ("Troponin was raised on admission.", "en"),
        ("L'électrocardiogramme montrait un sus-décalage du segment ST.", "fr"),
        ("La créatine phosphokinase était élevée.", "fr"),
        ("心电图提示ST段抬高。", "zh"),
        ("B超检查发现左侧卵巢囊肿。", "zh"),
    ],
    ids=["en-echo", "en-troponin", "fr-ecg", "fr-cpk", "zh-ecg", "zh-ultrasound-cyst"],
)
def test_tests_and_findings_of_any_specialty_are_diagnosis(text: str, lang: str):
    assert "diagnosis" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ces résultats ont été comparés à ceux de la littérature.", "fr"),
        ("The results are summarised below.", "en"),
    ],
    ids=["fr-resultats", "en-results"],
)
def test_the_word_results_is_no_finding(text: str, lang: str):
    assert "diagnosis" not in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("血红蛋白:12g,白细胞正常。", "zh"),
        ("Glucose 6 mmol on admission.", "en"),
    ],
    ids=["zh-haemoglobin", "en-glucose"],
)
def test_a_test_value_is_no_dose(text: str, lang: str):
    assert "treatment" not in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("给予泼尼松 10 mg 口服。", "zh", "treatment"),
        ("Prednisone 10 mg was given daily.", "en", "treatment"),
    ],
    ids=["zh-dose", "en-dose"],
)
def test_a_dose_after_a_drug_is_still_a_dose(text: str, lang: str, expected: str):
    assert expected in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("为了防止术后感染的出现,常规使用抗生素。", "zh"),
        ("Compression stockings are worn to minimise swelling after surgery.", "en"),
    ],
    ids=["zh-prevent", "en-minimise"],
)
def test_prevention_purpose_is_no_outcome(text: str, lang: str):
    types = assess(text, lang).types
    assert "treatment" in types and "outcome" not in types


def test_review_aim_in_chinese_carries_no_type():
    assert assess("本文从药物、手术和康复等方面对其治疗进展进行综述。", "zh").types == ()


def test_effect_achieved_in_chinese_is_outcome():
    assert "outcome" in assess("针灸对尿潴留起到良好的治疗作用。", "zh").types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Our understanding of the manifestations of sarcoidosis has grown.", "en"),
        ("La compréhension des manifestations de la sarcoïdose a progressé.", "fr"),
        ("近年来我们对系统性红斑狼疮临床表现的认识不断加深。", "zh"),
    ],
    ids=["en", "fr", "zh"],
)
def test_knowledge_of_manifestations_is_no_diagnosis(text: str, lang: str):
    assert "diagnosis" not in assess(text, lang).types


def test_knowledge_of_diagnosis_itself_stays_diagnosis():
    assert "diagnosis" in assess("随着认识的提高,红斑狼疮的早期诊断已经改善。", "zh").types


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("对症处理疗效较好。", {"outcome"}),
        ("患者接受理疗3个月。", {"treatment"}),
    ],
    ids=["straddling-word", "physiotherapy"],
)
def test_physiotherapy_cue_does_not_eat_the_next_word(text: str, expected: set[str]):
    types = set(assess(text, "zh").types)
    assert expected <= types and (expected != {"outcome"} or "treatment" not in types)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("A nicotine patch was applied every morning.", "en", "treatment"),
        ("Une pommade à base de tacrolimus a été appliquée.", "fr", "treatment"),
        ("外用软膏涂抹患处。", "zh", "treatment"),
        ("The cardiomyopathy was fully reversible.", "en", "outcome"),
        ("Les lésions rénales étaient irréversibles.", "fr", "outcome"),
        ("该心肌病是可逆的。", "zh", "outcome"),
    ],
    ids=[
        "en-patch",
        "fr-ointment",
        "zh-ointment",
        "en-reversible",
        "fr-irreversible",
        "zh-reversible",
    ],
)
def test_dosage_forms_are_treatment_and_reversibility_is_outcome(text, lang, expected):
    assert expected in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("電針治療後排尿功能改善。", {"treatment", "outcome"}),
        ("胃鏡檢查發現潰瘍。", {"diagnosis"}),
    ],
    ids=["electroacupuncture", "gastroscopy"],
)
def test_traditional_characters_reach_the_simplified_cues(text: str, expected: set[str]):
    assert expected <= set(assess(text, "zh").types)


def test_traditional_review_aim_carries_no_type():
    assert assess("本文對針灸治療神經源性膀胱的研究進行綜述。", "zh").types == ()


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("She underwent resection of the two hepatic lesions.", "en", ("treatment",)),
        ("Le patient a subi une exérèse des lésions cutanées.", "fr", ("treatment",)),
        ("The patient underwent an MRI which showed lesions of the tibia.", "en", ("diagnosis",)),
    ],
    ids=["en-resected-lesions", "fr-excised-lesions", "en-imaging-finds-lesions"],
)
def test_lesions_a_procedure_is_done_on_are_no_diagnosis(text, lang, expected):
    assert assess(text, lang).types == expected


def test_survival_counted_from_the_diagnosis_is_no_diagnosis():
    text = "She is alive with an overall survival of 6 years from the diagnosis."
    assert "diagnosis" not in assess(text, "en").types


def test_disease_type_field_is_a_diagnosis():
    assert "diagnosis" in assess("【疾病类型】子宫平滑肌瘤", "zh").types


def test_absence_of_data_names_outcomes_as_a_topic():
    text = "Data on the safety of lithium and its impact on renal outcomes is very limited."
    assert "outcome" not in assess(text, "en").types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Si ces troubles persistent, arrêtez ce médicament.", "fr"),
        ("If these symptoms persist, stop the tablets.", "en"),
    ],
    ids=["fr", "en"],
)
def test_leaflet_condition_is_no_outcome(text: str, lang: str):
    types = assess(text, lang).types
    assert "treatment" in types and "outcome" not in types


def test_prescription_is_treatment_in_french():
    assert "treatment" in assess("Respectez toujours l'ordonnance de votre médecin.", "fr").types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The ejection fraction was 35% on admission and 55% at discharge.", "en"),
        ("La fraction d'éjection était de 35 % à l'admission et de 55 % au congé.", "fr"),
        ("射血分数入院时为35%,出院时为55%。", "zh"),
    ],
    ids=["en", "fr", "zh"],
)
def test_state_at_discharge_or_last_follow_up_is_an_outcome(text: str, lang: str):
    assert "outcome" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The infiltrate was made of small lymphocytes and rare neutrophils.", "en"),
        ("L'infiltrat est composé de lymphocytes et de rares polynucléaires.", "fr"),
        ("镜下可见大量淋巴细胞及浆细胞浸润。", "zh"),
        ("Les vaisseaux sont de morphologie normale.", "fr"),
    ],
    ids=["en-histology", "fr-histology", "zh-histology", "fr-normal-morphology"],
)
def test_histology_and_morphology_describe_a_diagnosis(text: str, lang: str):
    assert "diagnosis" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("2. QUELLES SONT LES INFORMATIONS A CONNAITRE AVANT DE PRENDRE CE MEDICAMENT ?", "fr"),
        ("5. COMMENT CONSERVER CES COMPRIMES ?", "fr"),
        ("WHAT THIS MEDICINE IS AND WHAT IT IS USED FOR?", "en"),
        ("4. POSSIBLE SIDE EFFECTS OF THE TABLETS.", "en"),
    ],
    ids=["fr-leaflet-before", "fr-leaflet-storage", "en-leaflet-use", "en-side-effects"],
)
def test_a_line_opening_in_capitals_is_a_heading(text: str, lang: str):
    assessment = assess(text, lang)
    assert assessment.types == ()
    assert "no_claim:capitals" in assessment.cues


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("CRP ESR WBC were raised on admission.", "en"),
        ("Le TEP-TDM a montré une fixation osseuse.", "fr"),
        ("MRI of the pelvis showed sacral oedema.", "en"),
    ],
    ids=["en-acronym-run", "fr-one-acronym", "en-one-acronym"],
)
def test_acronyms_at_the_start_do_not_make_a_heading(text: str, lang: str):
    assert "diagnosis" in assess(text, lang).types


def _with_lexicon(text: str, lang: str) -> tuple[str, ...]:
    """Types of `text` with the mentions the shipped lexicon finds in it, as in ingest."""
    mentions = tuple(default_lexicon().document_mentions([(text, 0)])[0])
    return assess(text, lang, mentions, offset=0).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Methotrexate did not change the inflammatory markers.", "en"),
        ("Infliximab did not affect the liver enzymes or the blood count.", "en"),
        ("Le méthotrexate n'a pas modifié les marqueurs inflammatoires.", "fr"),
        ("L'infliximab n'a pas modifié le bilan hépatique.", "fr"),
    ],
    ids=["en-markers", "en-liver-enzymes", "fr-marqueurs", "fr-bilan"],
)
def test_tests_a_treatment_did_not_change_measure_the_result(text: str, lang: str):
    assert _with_lexicon(text, lang) == ("treatment", "outcome")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Antibiotics did not change the course, and the biopsy culture was sterile.", "en"),
        ("Les antibiotiques n'ont pas modifié l'évolution, et la biopsie était stérile.", "fr"),
    ],
    ids=["en-own-clause", "fr-own-clause"],
)
def test_a_test_in_a_clause_of_its_own_still_diagnoses(text: str, lang: str):
    assert "diagnosis" in _with_lexicon(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The serum creatine kinase level was raised.", "en"),
        ("La créatine kinase était élevée à 800 UI/L.", "fr"),
        ("La créatine phosphokinase était normale.", "fr"),
    ],
    ids=["en-creatine-kinase", "fr-creatine-kinase", "fr-creatine-phosphokinase"],
)
def test_a_drug_word_inside_a_test_name_is_no_treatment(text: str, lang: str):
    assert "treatment" not in _with_lexicon(text, lang)


def test_the_drug_alone_is_still_a_treatment():
    assert "treatment" in _with_lexicon("Creatine supplementation was given for a month.", "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("TOUJOURS RESPECTER L'ORDONNANCE DE VOTRE MEDECIN.", "fr"),
        ("ALWAYS TAKE THE TABLETS EXACTLY AS YOUR DOCTOR HAS TOLD YOU.", "en"),
    ],
    ids=["fr-warning", "en-warning"],
)
def test_a_warning_in_capitals_keeps_its_type(text: str, lang: str):
    assert "treatment" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sarcoidosis is a disease increasingly diagnosed in older adults.", "en"),
        ("Lupus is a disease more frequently diagnosed in women.", "en"),
        ("La sarcoïdose est une maladie de plus en plus diagnostiquée chez l'adulte.", "fr"),
        ("La maladie de Lyme est une maladie diagnostiquée de plus en plus souvent.", "fr"),
    ],
    ids=["en-increasingly", "en-more-frequently", "fr-de-plus-en-plus", "fr-participle-first"],
)
def test_how_often_a_disease_is_diagnosed_is_epidemiology(text: str, lang: str):
    assert "diagnosis" not in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("A biopsy was taken for diagnostic purposes.", "en", ("diagnosis",)),
        ("Surgery for diagnostic purposes is rarely needed.", "en", ("treatment",)),
        ("La chirurgie à des fins diagnostiques est rarement utile.", "fr", ("treatment",)),
        ("Une intervention à visée diagnostique a été réalisée.", "fr", ("treatment",)),
    ],
    ids=["en-biopsy-still-diagnosis", "en-surgery", "fr-fins-diagnostiques", "fr-visee"],
)
def test_a_diagnostic_purpose_is_no_diagnosis_by_itself(text, lang, expected):
    assert assess(text, lang).types == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Lorsque la maladie évolue par poussées, un traitement court est proposé.", "fr"),
        ("In its relapsing-remitting course, a short course of treatment is proposed.", "en"),
    ],
    ids=["fr-poussees", "en-relapsing-remitting"],
)
def test_a_relapsing_course_describes_the_disease_not_an_outcome(text: str, lang: str):
    assert assess(text, lang).types == ("treatment",)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sixty adults were recruited and received either lithium or placebo.", "en"),
        ("Forty children were randomly assigned to intravenous or oral antibiotics.", "en"),
        ("Soixante adultes ont été recrutés et ont reçu du lithium ou un placebo.", "fr"),
        ("Les enfants ont été répartis au hasard entre antibiotiques oraux et intraveineux.", "fr"),
    ],
    ids=["en-recruited", "en-randomly-assigned", "fr-recrutes", "fr-repartis-au-hasard"],
)
def test_recruitment_and_allocation_are_methods(text: str, lang: str):
    assert assess(text, lang).types == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Many patients with this disorder were underdiagnosed.", "en"),
        ("Beaucoup de patients sont sous-diagnostiqués.", "fr"),
    ],
    ids=["en-underdiagnosed", "fr-sous-diagnostiques"],
)
def test_underdiagnosis_is_misdiagnosis_hence_diagnosis(text: str, lang: str):
    assert "diagnosis" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sous colchicine, les crises ont été bien contrôlées.", "fr"),
        ("L'hypertension est restée mal contrôlée malgré trois médicaments.", "fr"),
        ("Tous les patients opérés ont survécu.", "fr"),
        ("Le traitement médical a échoué chez deux patients.", "fr"),
        ("La durée de séjour était plus courte dans le groupe opéré.", "fr"),
        ("Au suivi, les lésions cutanées avaient disparu.", "fr"),
        ("Under colchicine the attacks were well controlled.", "en"),
        ("All operated patients survived.", "en"),
    ],
    ids=[
        "fr-controlees", "fr-controlee", "fr-survecu", "fr-echoue", "fr-duree-de-sejour",
        "fr-au-suivi", "en-controlled", "en-survived",
    ],
)  # fmt: skip
def test_french_participles_of_a_result_are_outcomes(text: str, lang: str):
    assert "outcome" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La présentation clinique associait fièvre et arthralgies.", "fr"),
        ("Le patient se plaignait de douleurs lombaires depuis un mois.", "fr"),
        ("The clinical presentation combined fever and arthralgia.", "en"),
        ("The patient complained of low back pain for a month.", "en"),
    ],
    ids=["fr-presentation", "fr-se-plaignait", "en-presentation", "en-complained"],
)
def test_presentation_and_complaints_are_diagnosis(text: str, lang: str):
    assert "diagnosis" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Un essai contrôlé randomisé a comparé le lithium au placebo.", "fr"),
        ("A randomised controlled trial compared lithium with placebo.", "en"),
    ],
    ids=["fr-essai-controle", "en-controlled-trial"],
)
def test_a_controlled_trial_is_no_outcome(text: str, lang: str):
    assert "outcome" not in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Posologie", "fr"),
        ("4.8 Effets indésirables", "fr"),
        ("Mises en garde et précautions d'emploi", "fr"),
        ("4.2 Posology and method of administration", "en"),
        ("Side effects", "en"),
        ("Overdose", "en"),
    ],
    ids=["fr-posologie", "fr-effets", "fr-mises-en-garde", "en-posology", "en-side", "en-overdose"],
)
def test_leaflet_section_headings_carry_no_type(text: str, lang: str):
    assessment = assess(text, lang)
    assert assessment.types == ()
    assert "no_claim:heading" in assessment.cues


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Les effets indésirables sont rares.", "fr", "outcome"),
        ("La posologie habituelle est de 850 mg deux fois par jour.", "fr", "treatment"),
        ("Side effects were mild.", "en", "outcome"),
    ],
    ids=["fr-effets-sentence", "fr-posologie-sentence", "en-side-effects-sentence"],
)
def test_a_sentence_about_a_leaflet_topic_keeps_its_type(text: str, lang: str, expected: str):
    assert expected in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Figure View large Download slide", "en", ()),
        ("Figure Vue large Télécharger la diapositive", "fr", ()),
        (
            "Figure View large Download: MRI after methotrexate, showing resolution of the oedema.",
            "en",
            ("treatment", "outcome"),
        ),
        (
            "Figure Télécharger: IRM après méthotrexate, montrant une régression de l'œdème.",
            "fr",
            ("treatment", "outcome"),
        ),
    ],
    ids=["en-bare-link", "fr-bare-link", "en-caption-after-link", "fr-caption-after-link"],
)
def test_download_links_do_not_blank_the_caption_they_are_glued_to(text, lang, expected):
    mentions = tuple(default_lexicon().document_mentions([(text, 0)])[0])
    assert assess(text, lang, mentions, offset=0).types == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Stress cardiomyopathy is a reversible condition triggered by emotional stress.", "en"),
        ("Transient synovitis is a self-limiting condition of young children.", "en"),
        ("La myocardite virale est un syndrome réversible déclenché par une infection.", "fr"),
        ("La synovite aiguë transitoire est une affection auto-limitée de l'enfant.", "fr"),
    ],
    ids=["en-reversible", "en-self-limiting", "fr-reversible", "fr-auto-limitee"],
)
def test_the_nature_of_a_disease_in_a_definition_is_no_outcome(text: str, lang: str):
    assert "outcome" not in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The cardiomyopathy was reversible after beta blockers.", "en"),
        ("La cardiomyopathie était réversible après l'arrêt du traitement.", "fr"),
    ],
    ids=["en-result", "fr-result"],
)
def test_reversibility_observed_in_patients_stays_an_outcome(text: str, lang: str):
    assert "outcome" in assess(text, lang).types


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sous corticoïdes, on notait une amélioration de l'atteinte rénale.", "fr"),
        ("Malgré le traitement, aggravation des atteintes cutanées.", "fr"),
        ("Under steroids there was an improvement of the involvement of the kidneys.", "en"),
    ],
    ids=["fr-amelioration-atteinte", "fr-aggravation-atteintes", "en-improvement-involvement"],
)
def test_involvement_that_changes_under_treatment_is_an_outcome_not_a_diagnosis(text, lang):
    assert assess(text, lang).types == ("treatment", "outcome")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("L'atteinte rénale était au premier plan.", "fr"),
        ("Renal involvement was present in two patients.", "en"),
        ("Après amélioration, une biopsie a été réalisée.", "fr"),
    ],
    ids=["fr-atteinte", "en-involvement", "fr-biopsy-after-change"],
)
def test_involvement_alone_is_still_a_diagnosis(text: str, lang: str):
    assert "diagnosis" in assess(text, lang).types
