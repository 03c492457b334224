"""Negation and hedging of any finding, with their spans, per language (issue 12).

Each table is a failure kind, written as general cases of the kind: a cue's scope over
words that no lexicon knows, inflected cues, pseudo-negations, possibilities (negation
inside a hedge), terminators, absence of knowledge, and negative comparisons. A case gives
the words expected in the negated (or hedged) spans, so a sentence that is negated for the
wrong words fails too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litkit.assertion import assess_assertion
from litkit.classify import assess

from .evidence_helpers import run
from .test_cli import make_gold


def negated_words(text: str, lang: str) -> list[str]:
    """The negated stretches of a sentence, as text."""
    return [text[s:e] for s, e in assess(text, lang).negated_spans]


def hedged_words(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in assess(text, lang).hedged_spans]


def ids(cases: list[tuple]) -> list[str]:
    return [f"{c[0]}-{i}" for i, c in enumerate(cases)]


# Any finding: the scope negates words no lexicon lists (signs, exam findings, lab results).
ANY_FINDING = [
    ("en", "No palpable lymph nodes.", ["palpable lymph nodes"]),
    ("en", "The child was not febrile.", ["febrile"]),
    ("en", "There was no joint effusion on examination.", ["joint effusion on examination"]),
    ("en", "Her liver enzymes were not elevated.", ["elevated"]),
    ("en", "Without any weight loss.", ["weight loss"]),
    ("fr", "Il n'existe pas d'adénopathie palpable.", ["existe pas d'adénopathie palpable"]),
    ("fr", "Aucune éruption cutanée.", ["éruption cutanée"]),
    ("fr", "Le bilan exclut une leucémie.", ["leucémie"]),
    ("fr", "Absence de perte de poids.", ["perte de poids"]),
    ("zh", "查体未见皮疹。", ["皮疹"]),
    ("zh", "无淋巴结肿大。", ["淋巴结肿大"]),
    ("zh", "患儿否认外伤史。", ["外伤史"]),
    ("zh", "血培养未检出细菌。", ["细菌"]),
]


@pytest.mark.parametrize(("lang", "text", "words"), ANY_FINDING, ids=ids(ANY_FINDING))
def test_a_scope_negates_any_finding(lang: str, text: str, words: list[str]) -> None:
    assert negated_words(text, lang) == words
    assert assess(text, lang).negated is True


# Inflections and the usual clinical forms of each language.
INFLECTED = [
    ("en", "She denies nausea.", ["nausea"]),
    ("en", "He denied chest pain.", ["chest pain"]),
    ("en", "The boy was denying any limp.", ["limp"]),
    ("en", "Tests were negative for tuberculosis.", ["tuberculosis"]),
    ("en", "The biopsy ruled out lymphoma.", ["lymphoma"]),
    ("en", "The scan rules out a fracture.", ["fracture"]),
    ("en", "Septic arthritis was ruled out.", ["Septic arthritis"]),
    ("en", "The patient remained free of seizures.", ["seizures"]),
    ("fr", "Le patient nie toute douleur thoracique.", ["douleur thoracique"]),
    ("fr", "Les hémocultures sont négatives.", ["hémocultures sont négatives"]),
    ("fr", "Une tuberculose a été exclue.", ["tuberculose"]),
    ("fr", "L'enfant est resté indemne de récidive.", ["récidive"]),
    ("zh", "PCR检测结果呈阴性。", ["PCR检测结果"]),
    ("zh", "已排除结核感染。", ["结核感染"]),
    ("zh", "患者没有出现关节肿胀。", ["出现关节肿胀"]),
]


@pytest.mark.parametrize(("lang", "text", "words"), INFLECTED, ids=ids(INFLECTED))
def test_inflected_and_clinical_cue_forms(lang: str, text: str, words: list[str]) -> None:
    assert negated_words(text, lang) == words


# "no longer" / "ne ... plus": a negation, not a pseudo one.
NO_LONGER = [
    ("en", "After the second course she could no longer walk unaided.", True),
    ("fr", "Après trois mois, l'enfant ne boitait plus.", True),
    ("zh", "治疗后患儿不再发热。", True),
]


@pytest.mark.parametrize(("lang", "text", "negated"), NO_LONGER, ids=ids(NO_LONGER))
def test_no_longer_negates(lang: str, text: str, negated: bool) -> None:
    assert assess(text, lang).negated is negated


# Pseudo-negations: a negation word that negates nothing.
PSEUDO = [
    ("en", "Not only the knee but also the ankle was swollen."),
    ("en", "The isolate was a gram-negative rod."),
    ("en", "Ibuprofen, with or without paracetamol, was given."),
    ("en", "Levels above the upper limit of normal were recorded."),
    ("fr", "Non seulement le genou mais aussi la cheville étaient gonflés."),
    ("fr", "Les bacilles gram négatifs ont été cultivés."),
    ("fr", "La CRP atteignait trois fois la normale."),
    ("zh", "不仅膝关节肿胀，踝关节也肿胀。"),
    ("zh", "患者为未婚女性。"),
    ("zh", "非手术治疗为首选。"),
]


@pytest.mark.parametrize(("lang", "text"), PSEUDO, ids=ids(PSEUDO))
def test_pseudo_negations_negate_nothing(lang: str, text: str) -> None:
    assert negated_words(text, lang) == []


# A negated possibility is a hedge, not a negation.
POSSIBILITY = [
    ("en", "An abscess cannot be ruled out.", ["abscess"]),
    ("en", "Malignancy could not be excluded on imaging.", ["Malignancy"]),
    ("fr", "La biopsie ne permet pas d'exclure un lymphome.", ["lymphome"]),
    ("fr", "Une infection n'est pas exclue.", ["infection"]),
    ("zh", "不除外骨髓炎。", ["骨髓炎"]),
    ("zh", "尚不能排除肿瘤。", ["肿瘤"]),
]


@pytest.mark.parametrize(("lang", "text", "words"), POSSIBILITY, ids=ids(POSSIBILITY))
def test_a_negated_possibility_is_hedged_not_negated(
    lang: str, text: str, words: list[str]
) -> None:
    result = assess(text, lang)
    assert result.negated is False
    assert result.hedged is True
    assert hedged_words(text, lang) == words


# Terminators: a scope stops at "but", "otherwise", "however" and their kin.
TERMINATED = [
    ("en", "Mild swelling of the wrist, otherwise unremarkable.", []),
    ("en", "Slight cough but no wheezing.", ["wheezing"]),
    ("en", "No rash; however, the joints were tender.", ["rash"]),
    ("en", "There was no fever, although the pain persisted.", ["fever"]),
    ("fr", "Discrète toux mais pas de sibilants.", ["sibilants"]),
    ("fr", "Pas de fièvre, cependant la douleur persistait.", ["fièvre"]),
    ("fr", "Légère boiterie, par ailleurs normal.", []),
    ("zh", "轻度咳嗽，但无喘息。", ["喘息"]),
    ("zh", "无发热，然而疼痛持续。", ["发热"]),
]


@pytest.mark.parametrize(("lang", "text", "words"), TERMINATED, ids=ids(TERMINATED))
def test_scope_ends_at_a_terminator(lang: str, text: str, words: list[str]) -> None:
    assert negated_words(text, lang) == words


# Absence of knowledge is not a negated finding (gold guide).
NO_KNOWLEDGE = [
    ("en", "There are no randomized trials of this drug in children."),
    ("en", "No consensus exists on the duration of therapy."),
    ("en", "Its mechanism is not known."),
    ("fr", "Il n'y a pas de consensus sur la durée du traitement."),
    ("fr", "Aucune étude n'a comparé ces deux schémas."),
    ("zh", "目前尚无共识。"),
    ("zh", "其发病机制尚不清楚。"),
]


@pytest.mark.parametrize(("lang", "text"), NO_KNOWLEDGE, ids=ids(NO_KNOWLEDGE))
def test_absence_of_knowledge_is_not_negated(lang: str, text: str) -> None:
    assert assess(text, lang).negated is False


# A negated verb of knowing or of keeping pace states what is not known, not a finding.
UNKNOWN = [
    ("en", "The best duration of bisphosphonate therapy has not been established."),
    ("en", "Progress in imaging has not been paralleled by progress in treatment."),
    ("en", "Its long-term safety in children has not been studied."),
    ("fr", "La dose optimale n'a pas été établie chez l'enfant."),
    ("fr", "L'efficacité à long terme n'a pas été évaluée."),
    ("fr", "Une atteinte du rachis cervical n'a jamais été décrite."),
    ("zh", "其最佳疗程尚未明确。"),
    ("zh", "影像学的进步并没有得到同步的治疗进展。"),
    ("zh", "该病在成人中鲜有报道。"),
]


@pytest.mark.parametrize(("lang", "text"), UNKNOWN, ids=ids(UNKNOWN))
def test_a_negated_verb_of_knowing_is_not_negated(lang: str, text: str) -> None:
    assert negated_words(text, lang) == []


# A sentence framed as the state of the literature ("to our knowledge ...") reports what
# others have or have not described; the same negation without the frame is a finding.
LITERATURE = [
    ("en", "To our knowledge, no child has been treated with this agent before.", False),
    ("en", "No such lesion has been seen in the mandible, to the best of our knowledge.", False),
    ("en", "No child has been treated with this agent before.", True),
    ("fr", "À notre connaissance, aucun adulte n'a reçu ce traitement.", False),
    ("fr", "A notre connaissance, il n'existe que des cas isolés et aucune série.", False),
    ("fr", "Aucun adulte n'a reçu ce traitement.", True),
    ("zh", "据我们所知，目前尚无儿童使用该药的病例。", False),
    ("zh", "据笔者所知，国内没有类似病例。", False),
    ("zh", "患儿没有发热。", True),
]


@pytest.mark.parametrize(("lang", "text", "negated"), LITERATURE, ids=ids(LITERATURE))
def test_negation_under_a_literature_frame_is_no_finding(
    lang: str, text: str, negated: bool
) -> None:
    result = assess(text, lang)
    assert result.negated is negated
    if not negated:
        assert any(c.startswith("literature:") for c in result.cues)


# A French "ne ... pas" whose verb addresses the reader ("ne prenez pas") is an instruction;
# the same negation about a patient is a finding.
INSTRUCTIONS = [
    ("fr", "Ne prenez pas deux comprimés le même jour.", False),
    ("fr", "N'arrêtez pas le traitement de vous-même.", False),
    ("fr", "Vous ne devez pas dépasser la dose prescrite.", False),
    ("fr", "Le patient ne prenait pas son traitement.", True),
    ("fr", "Les douleurs ne cédaient pas sous paracétamol.", True),
]


@pytest.mark.parametrize(("lang", "text", "negated"), INSTRUCTIONS, ids=ids(INSTRUCTIONS))
def test_a_negated_instruction_to_the_reader_is_no_finding(
    lang: str, text: str, negated: bool
) -> None:
    assert assess(text, lang).negated is negated


# Spanish has no full cue file: its own assertion cues (resources/es/assertion.json) negate findings
# and know its pseudo-negations, where English cues would take "no hay consenso" as "no".
SPANISH = [
    ("es", "La paciente no presentaba fiebre.", True),
    ("es", "Los hemocultivos fueron negativos.", True),
    ("es", "Sin respuesta a los antibióticos.", True),
    ("es", "No hay consenso sobre la duración del tratamiento.", False),
    ("es", "No existen ensayos aleatorizados en niños.", False),
    ("es", "Se indicaron antiinflamatorios no esteroideos.", False),
    ("es", "Hasta donde sabemos, ningún adulto ha recibido este fármaco.", False),
]


@pytest.mark.parametrize(("lang", "text", "negated"), SPANISH, ids=ids(SPANISH))
def test_spanish_takes_its_own_assertion_cues(lang: str, text: str, negated: bool) -> None:
    assert assess(text, lang).negated is negated


def test_a_language_without_cues_shares_the_english_assertion_rules() -> None:
    from litkit.assertion import assertion_rules

    assert assertion_rules("de") is assertion_rules("en")
    assert assertion_rules("es").lang == "es"


# A comparison worded as a negative finding is negated; one worded positively is not.
COMPARISONS = [
    ("en", "Pain scores did not differ between the two arms.", True),
    ("en", "There was no significant difference in relapse rates.", True),
    ("en", "Relapse rates were similar in both arms.", False),
    ("en", "There was no increase in adverse events with the higher dose.", True),
    ("fr", "Aucune différence significative n'a été observée entre les groupes.", True),
    ("fr", "Les taux de rechute étaient comparables.", False),
    ("zh", "两组复发率差异无统计学意义。", True),
    ("zh", "两组疗效相似。", False),
]


@pytest.mark.parametrize(("lang", "text", "negated"), COMPARISONS, ids=ids(COMPARISONS))
def test_negative_comparisons_are_negated(lang: str, text: str, negated: bool) -> None:
    assert assess(text, lang).negated is negated


# A negation inside a condition ("if ... not") or an obligation ("should", "doit") states no
# finding: it describes whom a recommendation is for, or how to take a drug.
CONDITIONAL = [
    ("en", "If pain does not settle within a week, an MRI is advised."),
    ("fr", "Si la fièvre ne cède pas, une ponction est indiquée."),
    ("zh", "如果症状没有缓解，应复查MRI。"),
    ("en", "Steroids should be considered in children not responding to NSAIDs."),
    ("fr", "Le traitement doit être poursuivi sans interruption pendant six mois."),
    ("zh", "一旦治疗无效，应更换药物。"),
]


@pytest.mark.parametrize(("lang", "text"), CONDITIONAL, ids=ids(CONDITIONAL))
def test_negation_in_a_condition_is_no_finding(lang: str, text: str) -> None:
    assert assess(text, lang).negated is False


NAMES = [
    ("en", "Serum NO levels rose after treatment."),
    ("en", "Scores on the Positive and Negative Syndrome Scale improved."),
]


@pytest.mark.parametrize(("lang", "text"), NAMES, ids=ids(NAMES))
def test_a_cue_word_inside_a_name_or_acronym_is_no_negation(lang: str, text: str) -> None:
    assert assess(text, lang).negated is False


def test_a_cue_word_in_an_all_capitals_sentence_still_negates() -> None:
    assert negated_words("NO PLEURAL EFFUSION.", "en") == ["PLEURAL EFFUSION"]


def test_one_negated_finding_among_affirmed_ones_gets_its_own_span() -> None:
    text = "Fever and limp were present, but there was no swelling."
    result = assess(text, "en")
    assert result.negated is True
    assert negated_words(text, "en") == ["swelling"]


def test_spans_are_shifted_to_document_offsets() -> None:
    text = "Denies headache."
    assert assess(text, "en").negated_spans == ((7, 15),)
    assert assess(text, "en", offset=100).negated_spans == ((107, 115),)
    assert assess(text, "en", offset=100).hedged_spans == ()


def test_a_scope_of_function_words_only_negates_nothing() -> None:
    """'not' followed only by 'the' / 'of' covers no finding."""
    assert assess_assertion("it is not of the", "en").negated is False


def test_cues_name_the_negation_that_decided() -> None:
    cues = assess("She denies nausea.", "en").cues
    assert "negation:en:denies" in cues


def test_french_ne_without_its_particle_is_no_negation() -> None:
    """The expletive 'ne' ("avant qu'il ne soit") has no 'pas' / 'plus' after it."""
    assert assess("Il faut traiter avant que la lésion ne s'étende.", "fr").negated is False


# --- spans stored, exported and explained ----------------------------------------------


@pytest.fixture
def negated_db(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = "The girl had knee pain for two weeks.\nShe denies fever and night sweats.\n"
    (folder / "case.txt").write_text(text, "utf-8")
    db = tmp_path / "spans.db"
    assert run(db, "ingest", str(folder)).exit_code == 0
    return db


def exported(db: Path, *args: str) -> list[dict]:
    result = run(db, "export", "--all", "--format", "jsonl", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_carries_spans_into_the_clean_text(negated_db: Path) -> None:
    records = exported(negated_db)
    (denies,) = [r for r in records if r["negated"]]
    assert denies["negated_spans"]
    for start, end in denies["negated_spans"]:
        assert denies["start"] <= start < end <= denies["end"]
    words = [
        denies["text"][s - denies["start"] : e - denies["start"]]
        for s, e in denies["negated_spans"]
    ]
    assert words == ["fever and night sweats"]
    assert all(r["negated_spans"] == [] for r in records if not r["negated"])


@pytest.mark.parametrize("fmt", ["csv", "tsv", "md"])
def test_tabular_exports_have_span_columns(negated_db: Path, fmt: str) -> None:
    result = run(negated_db, "export", "--all", "--format", fmt)
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert "negated_spans" in header
    assert "hedged_spans" in header


def test_explain_shows_the_negated_words(negated_db: Path) -> None:
    (denies,) = [r for r in exported(negated_db) if r["negated"]]
    shown = json.loads(run(negated_db, "explain", denies["id"]).stdout)
    assert shown["negated_spans"] == denies["negated_spans"]
    assert shown["negated_text"] == ["fever and night sweats"]
    assert shown["hedged_text"] == []


# --- eval: negated-class scores and their floor -----------------------------------------


def test_eval_reports_negated_class_scores(tmp_path: Path) -> None:
    gold = make_gold(tmp_path)
    result = run(tmp_path / "unused.db", "eval", str(gold), "--format", "json")
    assert result.exit_code == 0, result.output
    metrics = {r["metric"]: r for r in json.loads(result.stdout) if r["scope"] == "all"}
    assert metrics["negation_recall"]["value"] == 1.0
    assert metrics["negation_precision"]["value"] == 1.0
    assert metrics["negation_f1"]["value"] == 1.0
    assert metrics["negation_f1"]["n"] == 1  # gold negated sentences


def test_eval_negation_f1_floor_fails_the_run(tmp_path: Path) -> None:
    gold = make_gold(tmp_path)
    rows = [json.loads(line) for line in (gold / "gold.jsonl").read_text("utf-8").splitlines()]
    rows[1]["negated"] = True  # a gold negation the system cannot find: F1 drops to 2/3
    (gold / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    db = tmp_path / "unused.db"
    failing = run(db, "eval", str(gold), "--min-negation-f1", "0.9")
    assert failing.exit_code == 1
    assert "below floor: negation_f1 0.6667 < 0.9" in failing.output
    assert run(db, "eval", str(gold), "--min-negation-f1", "0.6").exit_code == 0


# French cue families taken from public rule sets (EDS-NLP, medkit, FastConText): a
# particle standing alone, "ne" with up to three words before its particle, refuting verbs
# and participles, and "non" before a participle.
FRENCH_NEGATION = [
    ("fr", "Pas suffisant pour une arthrite septique.", ["suffisant pour une arthrite septique"]),
    ("fr", "L'enfant ne boite plus du tout.", ["boite"]),
    ("fr", "L'enfant ne court vraiment presque jamais.", ["court vraiment presque"]),
    ("fr", "La scintigraphie infirme une fracture de fatigue.", ["fracture de fatigue"]),
    ("fr", "Une tumeur osseuse a été écartée.", ["tumeur osseuse"]),
    ("fr", "Leucémie infirmée par le myélogramme.", ["Leucémie"]),
    ("fr", "Foyer non visualisé.", ["visualisé"]),
    ("fr", "Un examen éliminant une ostéomyélite.", ["ostéomyélite"]),
]


@pytest.mark.parametrize(("lang", "text", "words"), FRENCH_NEGATION, ids=ids(FRENCH_NEGATION))
def test_french_negation_cue_families(lang: str, text: str, words: list[str]) -> None:
    assert negated_words(text, lang) == words


# Near-misses of those families: "non" before an adjective qualifies, a particle closed by a
# "ne" already counted, an instruction, comparatives, "no doubt" / "no objection".
FRENCH_NOT_NEGATED = [
    ("fr", "Des signes non spécifiques d'inflammation."),
    ("fr", "Une atteinte osseuse et non pas articulaire."),
    ("fr", "N'arrêtez pas le traitement."),
    ("fr", "Le suivi a duré pas moins de deux ans."),
    ("fr", "Il n'y a pas de doute sur le diagnostic de SAPHO."),
    ("fr", "Aucune objection à la reprise du sport."),
    ("fr", "Le traitement a été toléré sans difficulté."),
    ("fr", "Le patient ne prend que du paracétamol."),
]


@pytest.mark.parametrize(("lang", "text"), FRENCH_NOT_NEGATED, ids=ids(FRENCH_NOT_NEGATED))
def test_french_near_misses_negate_nothing(lang: str, text: str) -> None:
    assert negated_words(text, lang) == []


# A diagnosis that is not ruled out is possible: hedged, never negated.
FRENCH_NOT_RULED_OUT = [
    ("fr", "La radiographie ne permet pas d'éliminer une fracture.", ["fracture"]),
    ("fr", "Sans exclure une origine tumorale.", ["origine tumorale"]),
    ("fr", "Une infection n'est pas complètement éliminée.", ["infection"]),
    ("fr", "Le scanner, n'infirmant pas une spondylodiscite.", ["spondylodiscite"]),
    ("fr", "Une borréliose pas écartée.", ["borréliose"]),
]


@pytest.mark.parametrize(
    ("lang", "text", "words"), FRENCH_NOT_RULED_OUT, ids=ids(FRENCH_NOT_RULED_OUT)
)
def test_french_diagnosis_not_ruled_out_is_hedged(lang: str, text: str, words: list[str]) -> None:
    assert negated_words(text, lang) == []
    assert any(w in h for w in words for h in hedged_words(text, lang))


# Hypotheses: suspicion, hypothetical frames, the conditional mood of -er verbs and être.
HYPOTHESES = [
    ("fr", "Suspicion d'ostéomyélite chronique.", "ostéomyélite"),
    ("fr", "En supposant que la fièvre persiste.", "fièvre"),
    ("fr", "Au cas où une uvéite apparaîtrait.", "uvéite"),
    ("fr", "A moins qu'une infection soit démontrée.", "infection"),
    ("fr", "Le pamidronate soulagerait les douleurs.", "douleurs"),
    ("fr", "Ce traitement réduirait les poussées.", "poussées"),
    ("fr", "Une biopsie permettrait de préciser la nature de la lésion.", "préciser"),
    ("zh", "双膦酸盐未必能缓解骨痛。", "骨痛"),
    ("fr", "Si la douleur récidive, une IRM est réalisée.", "douleur"),
    ("zh", "结核待排。", "结核"),
    ("zh", "考虑慢性骨髓炎。", "慢性骨髓炎"),
    ("zh", "疑诊为朗格汉斯细胞组织细胞增生症。", "朗格汉斯"),
]


@pytest.mark.parametrize(("lang", "text", "word"), HYPOTHESES, ids=ids(HYPOTHESES))
def test_hypotheses_are_hedged(lang: str, text: str, word: str) -> None:
    result = assess(text, lang)
    assert not result.negated
    assert any(word in h for h in hedged_words(text, lang))


CERTAIN = [
    ("fr", "Même si le patient est jeune, la biopsie montre une ostéite."),
    ("fr", "La patiente tolérait bien le traitement."),
    ("zh", "患儿右胫骨骨髓炎诊断明确。"),
]


@pytest.mark.parametrize(("lang", "text"), CERTAIN, ids=ids(CERTAIN))
def test_certain_statements_are_not_hedged(lang: str, text: str) -> None:
    assert hedged_words(text, lang) == []


# A form field whose value is a negation negates its label.
FIELDS = [
    ("fr", "Adénopathies : absentes", ["Adénopathies"]),
    ("fr", "Fièvre : non, toux : oui", ["Fièvre"]),
    ("fr", "Sérologie de Lyme : négative.", ["Sérologie de Lyme"]),
    ("zh", "淋巴结：无", ["淋巴结"]),
    ("zh", "HLA-B27：阴性。", ["HLA-B27"]),
]


@pytest.mark.parametrize(("lang", "text", "words"), FIELDS, ids=ids(FIELDS))
def test_a_negative_form_value_negates_its_label(lang: str, text: str, words: list[str]) -> None:
    spans = negated_words(text, lang)
    assert len(spans) == 1 and spans[0].startswith(words[0])


def test_a_field_value_with_more_words_is_no_negative_value() -> None:
    assert negated_words("Fièvre : non mesurée à l'admission", "fr") != ["Fièvre"]


# Chinese cue families (forward, backward, pseudo, terminators).
CHINESE = [
    ("zh", "双肺未闻及干湿啰音。", ["干湿啰音"]),
    ("zh", "腹部未扪及包块。", ["包块"]),
    ("zh", "感染性骨髓炎已被排除。", ["感染性骨髓炎"]),
    ("zh", "患儿低热，但无关节肿胀。", ["关节肿胀"]),
    ("zh", "患儿无明显诱因出现左踝疼痛。", []),
    ("zh", "诊断需排除感染和肿瘤。", []),
]


@pytest.mark.parametrize(("lang", "text", "words"), CHINESE, ids=ids(CHINESE))
def test_chinese_negation_cue_families(lang: str, text: str, words: list[str]) -> None:
    assert negated_words(text, lang) == words


def test_negation_eval_scores_hedging_and_skips_unlabelled(tmp_path: Path) -> None:
    """benchmarks/negation_eval.py reads a hedged column; an empty label is not scored."""
    import subprocess
    import sys

    rows = [
        "# lang\tsentence\ttarget\tnegated\thedged",
        "fr\tAucune adénopathie.\tadénopathie\ttrue\t",
        "fr\tUne adénopathie.\tadénopathie\tfalse\tfalse",
        "fr\tSuspicion d'arthrite.\tarthrite\t\ttrue",
    ]
    path = tmp_path / "set.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "negation_eval.py"
    out = subprocess.run(
        [sys.executable, str(script), str(path), "--format", "tsv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "negated: scored 2  gold 1  predicted 1" in out
    assert "hedged: scored 2  gold 1  predicted 1" in out
    assert "hedged precision 1.000  recall 1.000  F1 1.000" in out


def test_a_field_negation_names_its_value_as_cue() -> None:
    text = "Adénopathies : absentes"
    result = assess_assertion(text.lower(), "fr")
    assert "negation:fr:field absentes" in result.cues
