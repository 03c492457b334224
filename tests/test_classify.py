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
    """'no' scopes forward, but not past 'but': the effect word after it is not negated."""
    text = "No fever at onset, but steroids led to improvement."
    result = assess(text, "en")
    assert [text[s:e] for s, e in result.negated_spans] == ["fever at onset"]


def test_negation_scope_is_limited_in_tokens() -> None:
    far = "No " + " ".join(["word"] * 12) + " improvement."
    (span,) = assess(far, "en").negated_spans
    assert "improvement" not in far[span[0] : span[1]]
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


def test_negated_span_takes_a_cut_mention_whole() -> None:
    """A lexicon mention that a scope reaches into is negated whole, not cut at max_scope."""
    text = "No " + " ".join(["word"] * 5) + " quux syndrome."
    mention = Mention("f:q", "quux", "finding", "quux syndrome", 28, 41)
    plain = assess(text, "en").negated_spans
    widened = assess(text, "en", [mention]).negated_spans
    assert plain == ((3, 32),)
    assert widened == ((3, 41),)


def test_traditional_chinese_is_read_like_simplified() -> None:
    assert assess("抗生素治療無效。", "zh").types == assess("抗生素治疗无效。", "zh").types


def test_unknown_language_falls_back_without_error() -> None:
    assert "treatment" in assess("Tratamiento con pamidronate.", "es").types


def test_deterministic() -> None:
    text = "Cultures were negative and she was treated with vancomycin for 1 month."
    assert assess(text, "en") == assess(text, "en")


# --- precision rules: what does NOT make a type ---------------------------------------------

BACKGROUND_CASES = [
    # Definitions, pathogenesis, naming: the signs they name describe the disease, not a patient.
    ("en", "CNO is a rare disease whose pathogenesis involves sterile bone lesions.", ()),
    ("en", "The pathophysiology of the sterile osteolysis is poorly understood.", ()),
    ("en", "CNO is a rare disease that presents with bone pain.", ("diagnosis",)),
    ("en", "CNO is a rare disease; MRI is the key test.", ("diagnosis",)),
    (
        "fr",
        "L'OMCR est une maladie rare dont la physiopathologie associe des lésions stériles.",
        (),
    ),
    ("fr", "Il en résulte une activation des ostéoclastes et des ostéolyses.", ()),
    (
        "fr",
        "L'OMCR est une maladie rare qui se manifeste par des douleurs osseuses.",
        ("diagnosis",),
    ),
    ("zh", "慢性无菌性骨髓炎是一种罕见病,其发病机制涉及骨骼病变。", ()),
    ("zh", "该病是一种罕见病,磁共振检查有助于发现病灶。", ("diagnosis",)),
]


@pytest.mark.parametrize(
    ("lang", "text", "types"),
    BACKGROUND_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(BACKGROUND_CASES)],
)
def test_background_signs_are_not_diagnosis(lang: str, text: str, types: tuple[str, ...]) -> None:
    assert assess(text, lang).types == types


PURPOSE_CASES = [
    # The aim of a treatment ("to relieve pain") is neither a result nor a presentation.
    ("en", "NSAIDs are given to relieve pain and swelling.", ("treatment",)),
    ("en", "NSAIDs relieved the pain.", ("treatment", "outcome")),
    ("fr", "Anti-inflammatoires non stéroïdiens pour soulager la douleur.", ("treatment",)),
    ("fr", "Chirurgie pour enlever l'os atteint ou soulager la douleur.", ("treatment",)),
    ("fr", "Les AINS ont soulagé la douleur.", ("treatment", "outcome")),
    ("zh", "使用非甾体抗炎药以缓解疼痛。", ("treatment",)),
    ("zh", "非甾体抗炎药治疗后疼痛缓解。", ("treatment", "outcome")),
]


@pytest.mark.parametrize(
    ("lang", "text", "types"),
    PURPOSE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(PURPOSE_CASES)],
)
def test_purpose_clause_is_not_a_result(lang: str, text: str, types: tuple[str, ...]) -> None:
    assert assess(text, lang).types == types


TOPIC_CASES = [
    # Knowledge or study aims: "improved", "efficacy", "outcomes" name a subject, not a result.
    ("en", "Our knowledge of long-term outcomes has improved.", ()),
    ("en", "Awareness has grown and diagnosis has improved.", ("diagnosis",)),
    ("en", "To assess the efficacy and safety of pamidronate in CRMO.", ("treatment",)),
    ("en", "Pamidronate was effective and safe.", ("treatment", "outcome")),
    ("fr", "Nos connaissances sur le pronostic se sont améliorées.", ()),
    ("fr", "Évaluer l'efficacité et la tolérance du méthotrexate.", ("treatment",)),
    ("fr", "Le méthotrexate a amélioré les symptômes.", ("treatment", "outcome")),
    ("zh", "随着认识的提高,诊断已经大大改善。", ("diagnosis",)),
    ("zh", "评价甲氨蝶呤的疗效。", ("treatment",)),
    ("zh", "甲氨蝶呤治疗后病情改善。", ("treatment", "outcome")),
]


@pytest.mark.parametrize(
    ("lang", "text", "types"), TOPIC_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(TOPIC_CASES)]
)
def test_outcome_words_as_topics_are_not_results(
    lang: str, text: str, types: tuple[str, ...]
) -> None:
    assert assess(text, lang).types == types


MASK_CASES = [
    # "Recurrent episodes of pain" is a presentation; "at diagnosis" is a date, not a diagnosis.
    ("en", "Signs include recurrent episodes of bone pain.", ("diagnosis",)),
    ("en", "The disease has a relapsing and remitting course.", ("outcome",)),
    ("en", "Median follow-up from the time of diagnosis was 3 years.", ()),
    ("fr", "Les signes comprennent des épisodes récurrents de douleur osseuse.", ("diagnosis",)),
    ("fr", "L'âge médian au moment du diagnostic était de 9 ans.", ()),
    ("zh", "确诊时中位年龄为9岁。", ()),
    ("zh", "症状包括反复发作的骨痛。", ("diagnosis",)),
]


@pytest.mark.parametrize(
    ("lang", "text", "types"), MASK_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(MASK_CASES)]
)
def test_type_masks(lang: str, text: str, types: tuple[str, ...]) -> None:
    assert assess(text, lang).types == types


def test_masks_hide_lexicon_mentions_too() -> None:
    """A lexicon 'relapse' inside 'épisodes récurrents' is no more an outcome than the cue."""
    text = "Elle présente des épisodes récurrents de douleur."
    relapse = Mention("o:relapse", "relapse", "outcome", "récurrents", 27, 37)
    assert text[27:37] == "récurrents"
    assert assess(text, "fr", [relapse]).types == ("diagnosis",)
    outside = "La maladie est récurrente."
    assert (
        "outcome"
        in assess(outside, "fr", [Mention("o:r", "r", "outcome", "récurrente", 15, 25)]).types
    )


WEAK_MENTION_CASES = [
    # (lang, sentence, generic inflammation surface, specific finding surface)
    ("en", "A multifocal inflammatory disease of bone.", "inflammatory", "multifocal"),
    ("fr", "Une maladie inflammatoire multifocale de l'os.", "inflammatoire", "multifocale"),
    ("zh", "一种多灶性的炎症性骨病。", "炎症性", "多灶性"),
]


@pytest.mark.parametrize(
    ("lang", "text", "weak", "specific"),
    WEAK_MENTION_CASES,
    ids=[c[0] for c in WEAK_MENTION_CASES],
)
def test_generic_inflammation_mentions_do_not_type(
    lang: str, text: str, weak: str, specific: str
) -> None:
    """'Inflammatory' is the nature of many diseases, not a sign; 'multifocal' lesions are."""

    def finding(surface: str) -> Mention:
        start = text.index(surface)
        return Mention("f:x", "x", "finding", surface, start, start + len(surface))

    assert assess(text, lang, [finding(weak)]).types == ()
    assert assess(text, lang, [finding(specific)]).types == ("diagnosis",)


SITE_CASES = [
    # A site alone is a presentation; next to a sequela it only says where the sequela is.
    ("en", "The clavicle is often affected.", ("diagnosis",)),
    ("en", "Premature fusion of the clavicle growth plate leads to deformity.", ("outcome",)),
    ("fr", "La clavicule est souvent touchée.", ("diagnosis",)),
    ("zh", "锁骨常受累。", ("diagnosis",)),
]


@pytest.mark.parametrize(
    ("lang", "text", "types"),
    SITE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(SITE_CASES)],
)
def test_anatomy_mentions_are_diagnosis_only_alone(
    lang: str, text: str, types: tuple[str, ...]
) -> None:
    surface = {"en": "clavicle", "fr": "clavicule", "zh": "锁骨"}[lang]
    start = text.index(surface)
    site = Mention("a:clavicle", "clavicle", "anatomy", surface, start, start + len(surface))
    assert assess(text, lang, [site]).types == types


def test_topic_outcomes_are_outcome_cues_of_their_language() -> None:
    """A topic word that is not an outcome cue of the same language would silently do nothing."""
    from litkit.cues import SUPPORTED_LANGS, load_cue_data

    for lang in SUPPORTED_LANGS:
        data = load_cue_data(lang)
        outcome_cues = set(data["types"]["outcome"])
        for context, spec in data["topic_contexts"].items():
            unknown = set(spec["outcomes"]) - outcome_cues
            assert not unknown, (lang, context, unknown)
