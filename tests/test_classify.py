"""Claim typing, assertion (negation scope, hedging), attributes and direction, per language."""

from __future__ import annotations

import pytest

from litkit.classify import assess
from litkit.models import Mention

TYPE_CASES = [
    # (lang, sentence, expected types)
    ("en", "Whole-body MRI and bone biopsy confirmed the diagnosis of CNO.", ("diagnosis",)),
    ("en", "The patient was treated with naproxen and then pamidronate.", ("treatment",)),
    ("en", "Most children eventually enter remission.", ("outcome",)),
    ("en", "Pain decreased after the first infusion of pamidronate.", ("treatment", "outcome")),
    ("en", "CNO is a rare autoinflammatory disorder of children.", ()),
    ("en", "This narrative review aims to summarise treatment and diagnosis.", ()),
    ("en", "Bisphosphonate Treatment in Chronic Recurrent Multifocal Osteomyelitis", ()),
    ("fr", "Le diagnostic repose sur l'IRM et la biopsie osseuse.", ("diagnosis",)),
    ("fr", "Le CRMO est généralement traité par des AINS.", ("treatment",)),
    ("fr", "La plupart des enfants finissent par entrer en rémission.", ("outcome",)),
    (
        "fr",
        "Elle a été traitée par prednisolone avec une amélioration rapide.",
        ("treatment", "outcome"),
    ),
    ("fr", "Les symptômes comprennent des douleurs osseuses et de la fièvre.", ("diagnosis",)),
    ("fr", "L'incidence se situe à environ 4 pour 100 000 enfants.", ()),
    ("fr", "Traitement", ()),
    ("zh", "目前诊断主要依靠排除诊断。", ("diagnosis",)),
    ("zh", "患儿接受甲氨蝶呤治疗。", ("treatment",)),
    ("zh", "该病预后良好,多数患儿病情缓解。", ("outcome",)),
    ("zh", "双膦酸盐治疗后疼痛明显减轻。", ("treatment", "outcome")),
    ("zh", "慢性无菌性骨髓炎是一种罕见病。", ()),
    ("zh", "1.1 CRMO 臨床表現", ()),
]


@pytest.mark.parametrize(
    ("lang", "text", "types"),
    TYPE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(TYPE_CASES)],
)
def test_claim_types(lang: str, text: str, types: tuple[str, ...]) -> None:
    assert assess(text, lang).types == types


def test_disease_name_words_are_not_outcome_cues() -> None:
    """'recurrent' inside the disease name is not a relapse."""
    result = assess("Chronic recurrent multifocal osteomyelitis affects children.", "en")
    assert "outcome" not in result.types


NEGATION_CASES = [
    ("en", "Cultures were negative.", True),
    ("en", "There was no response to antibiotics.", True),
    ("en", "Antibiotics are ineffective in CNO.", True),
    ("en", "There is no consensus on the optimal dose of treatment.", False),
    ("en", "Antibiotics were given but no consensus exists on duration.", False),
    ("en", "Patients responded well to NSAIDs.", False),
    ("en", "No fever was reported at presentation.", True),
    ("fr", "La culture donne des résultats négatifs.", True),
    ("fr", "Les épisodes ne répondaient pas au traitement par des analgésiques.", True),
    ("fr", "Il n'y a pas de consensus sur la dose.", False),
    ("fr", "Aucun symptôme constitutionnel.", True),
    ("fr", "Il a reçu des antibiotiques sans aucun effet.", True),
    ("fr", "Le diagnostic est posé avant que la maladie ne soit chronique.", False),
    ("fr", "Les anti-inflammatoires non stéroïdiens sont efficaces.", False),
    ("zh", "长期的抗生素治疗并没有改变疾病的发展。", True),
    ("zh", "细菌培养阴性。", True),
    ("zh", "抗生素治疗无效。", True),
    ("zh", "目前尚无共识。", False),
    ("zh", "非甾体抗炎药治疗有效。", False),
]


@pytest.mark.parametrize(
    ("lang", "text", "negated"),
    NEGATION_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(NEGATION_CASES)],
)
def test_negation(lang: str, text: str, negated: bool) -> None:
    assert assess(text, lang).negated is negated


def test_negation_scope_ends_at_terminator() -> None:
    """'no' scopes forward, but not past 'but', so the effect word after it is not negated."""
    assert assess("No one disputes it, but steroids led to improvement.", "en").negated is False


def test_negation_scope_is_limited_in_tokens() -> None:
    far = "No " + " ".join(["word"] * 12) + " improvement."
    assert assess(far, "en").negated is False
    assert assess("No improvement.", "en").negated is True


HEDGE_CASES = [
    ("en", "Bisphosphonates may be effective in refractory disease.", True),
    ("en", "Bisphosphonates are effective in refractory disease.", False),
    ("fr", "Les corticoïdes pourraient être bénéfiques.", True),
    ("fr", "Les corticoïdes sont bénéfiques.", False),
    ("zh", "双膦酸盐可能有效。", True),
    ("zh", "双膦酸盐治疗有效。", False),
]


@pytest.mark.parametrize(
    ("lang", "text", "hedged"), HEDGE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(HEDGE_CASES)]
)
def test_hedging(lang: str, text: str, hedged: bool) -> None:
    assert assess(text, lang).hedged is hedged


ATTRIBUTE_CASES = [
    (
        "en",
        "Pamidronate 1 mg/kg/dose was given intravenously for 3 months.",
        "1 mg/kg/dose",
        "intravenous",
        "for 3 months",
    ),
    ("en", "Naproxen 10 mg/kg twice daily was given orally.", "10 mg/kg", "oral", None),
    (
        "fr",
        "Méthylprednisolone 30 mg/kg par voie intraveineuse pendant 3 jours.",
        "30 mg/kg",
        "intravenous",
        "pendant 3 jours",
    ),
    (
        "fr",
        "Traitement par adalimumab sous-cutané pendant un mois.",
        None,
        "subcutaneous",
        "pendant un mois",
    ),
    ("zh", "口服萘普生每日 1 g 治疗 6 个月。", "每日 1 g", "oral", "6 个月"),
    ("zh", "静脉输注帕米膦酸 1 mg/kg。", "1 mg/kg", "intravenous", None),
]


@pytest.mark.parametrize(
    ("lang", "text", "dose", "route", "duration"),
    ATTRIBUTE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(ATTRIBUTE_CASES)],
)
def test_attributes(
    lang: str, text: str, dose: str | None, route: str | None, duration: str | None
) -> None:
    result = assess(text, lang)
    assert "treatment" in result.types
    assert (result.dose, result.route, result.duration) == (dose, route, duration)


def test_lab_values_are_not_doses() -> None:
    result = assess("CRP was 30 mg/L at diagnosis.", "en")
    assert result.dose is None
    assert "treatment" not in result.types


DIRECTION_CASES = [
    ("en", "Symptoms improved after treatment with etanercept.", "improved"),
    ("en", "There was no improvement after antibiotics.", "not_improved"),
    ("en", "The disease relapsed after pamidronate was stopped.", "not_improved"),
    ("en", "Etanercept may lead to improvement.", "uncertain"),
    ("fr", "Les AINS apportent une amélioration des symptômes.", "improved"),
    ("fr", "Les antibiotiques sont inefficaces.", "not_improved"),
    ("zh", "治疗后症状明显好转。", "improved"),
    ("zh", "停药后疾病复发。", "not_improved"),
]


@pytest.mark.parametrize(
    ("lang", "text", "direction"),
    DIRECTION_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(DIRECTION_CASES)],
)
def test_direction(lang: str, text: str, direction: str) -> None:
    assert assess(text, lang).direction == direction


def test_direction_only_for_outcomes() -> None:
    assert assess("Pamidronate was given.", "en").direction is None


def test_cues_name_language_and_cue() -> None:
    result = assess("Elle a été traitée par des antibiotiques, pas de réponse.", "fr")
    assert "treatment:fr:trait*" in result.cues
    assert any(c.startswith("negation:fr:") for c in result.cues)


def test_mentions_add_types_and_cues() -> None:
    """A lexicon mention types a sentence even when no cue word is present."""
    mention = Mention("drug:xyz", "xyzumab", "drug_class", "Xyzumab", 100, 107)
    result = assess("Xyzumab was started.", "en", [mention], offset=100)
    assert "treatment" in result.types
    assert "mention:drug_class" in result.cues


def test_disease_mentions_mask_cues_inside_them() -> None:
    text = "Relapsing polychondritis is rare."
    plain = assess(text, "en")
    masked = assess(
        text, "en", [Mention("d:rp", "rp", "disease", "Relapsing polychondritis", 0, 24)]
    )
    assert "outcome" in plain.types
    assert "outcome" not in masked.types


def test_negation_targets_include_mentions() -> None:
    """'no X' is negated when X is a lexicon finding, though X is in no cue list."""
    mention = Mention("f:q", "quux", "finding", "quuxitis", 3, 11)
    assert assess("No quuxitis.", "en", [mention]).negated is True
    assert assess("No quuxitis.", "en").negated is False


def test_traditional_chinese_is_read_like_simplified() -> None:
    assert assess("抗生素治療無效。", "zh").types == assess("抗生素治疗无效。", "zh").types


def test_unknown_language_falls_back_without_error() -> None:
    assert "treatment" in assess("Tratamiento con pamidronate.", "es").types


def test_deterministic() -> None:
    text = "Cultures were negative and she was treated with vancomycin for 1 month."
    assert assess(text, "en") == assess(text, "en")
