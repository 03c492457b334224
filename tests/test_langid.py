"""Language identification: script, function words, context, document languages."""

from __future__ import annotations

import re

import pytest

from litkit.langid import (
    SAMPLE_MAX_CHARS,
    detect_languages,
    document_languages,
    sample,
    voting_text,
)

FRENCH_DOC = [
    "L’ostéomyélite chronique multifocale récidivante est une maladie rare de l’enfant.",
    "Le diagnostic repose sur l’IRM et la biopsie osseuse.",
    "Les AINS sont le traitement de première ligne chez la plupart des patients.",
]
ENGLISH_DOC = [
    "Chronic recurrent multifocal osteomyelitis is a rare disease of children.",
    "The diagnosis is based on MRI and on a bone biopsy.",
    "NSAIDs are the first-line treatment in most of the patients.",
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("慢性非细菌性骨髓炎是一种自身炎症性骨病。", "zh", id="zh-simplified"),
        pytest.param("患者發燒三天。", "zh", id="zh-traditional"),
        pytest.param("CRP 45 mg/L,ESR升高。", "zh", id="zh-mostly-latin-letters"),
        pytest.param("MRI显示骨髓水肿。", "zh", id="zh-acronym"),
        pytest.param(
            "Les patients ont été traités par des AINS pendant trois mois.", "fr", id="fr-sentence"
        ),
        pytest.param("Patients were treated with NSAIDs for three months.", "en", id="en-sentence"),
        pytest.param(
            "Methotrexate and infliximab were tried in this patient.", "en", id="en-drug-list"
        ),
        pytest.param(
            "La incidencia varía en función de la localización geográfica.", "es", id="es-sentence"
        ),
        pytest.param(
            "Die Patienten wurden mit NSAR behandelt und das Fieber ist gesunken.",
            "de",
            id="de-sentence",
        ),
        pytest.param(
            "Dětská klinika, Ústav molekulární a translační medicíny LF UP a FN, Olomouc",
            "cs",
            id="cs-affiliation",
        ),
    ],
)
def test_single_sentence_in_neutral_document(sentence: str, expected: str) -> None:
    assert detect_languages([sentence])[0] == expected


@pytest.mark.parametrize(
    "short",
    [
        pytest.param("Bilan : NFS, CRP, VS, ionogramme.", id="acronym-list"),
        pytest.param("IRM", id="acronym"),
        pytest.param("AINS", id="acronym-fr"),
        pytest.param("Fatigue", id="word-shared-with-en"),
        pytest.param("Perte de poids", id="short-heading"),
        pytest.param("Discussion", id="heading"),
        pytest.param("19", id="number"),
        pytest.param("Hu Y W, Liu R, Luo L", id="names"),
        pytest.param("J. Fráňová 2; M. Schüller 2; M. Macků 2", id="foreign-names"),
    ],
)
def test_short_segments_take_the_document_language(short: str) -> None:
    french = detect_languages([FRENCH_DOC[0], short, *FRENCH_DOC[1:]])
    english = detect_languages([ENGLISH_DOC[0], short, *ENGLISH_DOC[1:]])
    assert french[1] == "fr"
    assert english[1] == "en"


def test_mixed_document_keeps_each_language() -> None:
    texts = [
        *ENGLISH_DOC,
        "慢性非细菌性骨髓炎(CNO)由骨骼无菌性炎症引起。",
        "CNO 的诊断需要排除许多疾病。",
    ]
    assert detect_languages(texts) == ["en", "en", "en", "zh", "zh"]


def test_short_line_between_two_zh_sentences_follows_neighbours() -> None:
    texts = [*ENGLISH_DOC, "慢性骨髓炎是一种罕见病。", "MRI", "治疗首选NSAID。"]
    assert detect_languages(texts)[-2] == "zh"


def test_foreign_line_inside_document_is_kept() -> None:
    texts = [
        *ENGLISH_DOC,
        "Pôle de pathologies rhumatismales systémiques et inflammatoires de Louvain.",
    ]
    assert detect_languages(texts)[-1] == "fr"


def test_context_is_the_fallback_when_nothing_is_confident() -> None:
    assert detect_languages(["IRM", "CRP 45"], context="fr") == ["fr", "fr"]
    assert detect_languages(["IRM", "CRP 45"]) == ["und", "und"]  # never English by default


def test_empty_input() -> None:
    assert detect_languages([]) == []


def test_deterministic() -> None:
    texts = [*FRENCH_DOC, "Access keys NCBI Homepage MyNCBI Homepage Main Content", "Fatigue"]
    assert detect_languages(texts) == detect_languages(list(texts))


@pytest.mark.parametrize(
    ("langs", "lengths", "expected"),
    [
        pytest.param(["en", "zh", "en"], [100, 50, 100], ("en", ("en", "zh")), id="mixed"),
        pytest.param(["fr", "cs", "fr"], [500, 10, 500], ("fr", ("fr",)), id="tiny-share-dropped"),
        pytest.param(["zh", "en"], [300, 100], ("zh", ("en", "zh")), id="zh-main"),
        pytest.param([], [], ("und", ()), id="empty"),
    ],
)
def test_document_languages(langs, lengths, expected) -> None:
    assert document_languages(langs, lengths) == expected


# --- Issue 14: never English by default -------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("hôpital", "fr", id="fr"),
        pytest.param("children", "en", id="en"),
        pytest.param("Krankenhaus", "de", id="de"),
        pytest.param("enfermedad", "es", id="es"),
        pytest.param("ospedale", "it", id="it"),
        pytest.param("doença", "pt", id="pt"),
        pytest.param("骨髓炎", "zh", id="zh"),
    ],
)
def test_single_word_document(word: str, expected: str) -> None:
    assert detect_languages([word]) == [expected]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        pytest.param("douleur osseuse", "fr", id="fr"),
        pytest.param("weight loss", "en", id="en"),
        pytest.param("keine Besserung", "de", id="de"),
        pytest.param("sin mejoría", "es", id="es"),
        pytest.param("nessun miglioramento", "it", id="it"),
        pytest.param("sem melhora", "pt", id="pt"),
        pytest.param("骨痛", "zh", id="zh"),
    ],
)
def test_two_word_phrase_document(phrase: str, expected: str) -> None:
    assert detect_languages([phrase]) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("Le pamidronate est efficace.", "fr", id="fr-efficace"),
        pytest.param("Cancer non métastasé.", "fr", id="fr-verbless"),
        pytest.param("Aucun traitement.", "fr", id="fr-two-words"),
        pytest.param("No treatment was given.", "en", id="en"),
        pytest.param("Die Behandlung war wirksam.", "de", id="de"),
        pytest.param("El tratamiento fue eficaz.", "es", id="es"),
        pytest.param("Il trattamento è stato efficace.", "it", id="it"),
        pytest.param("O tratamento foi eficaz.", "pt", id="pt"),
        pytest.param("治疗有效。", "zh", id="zh"),
    ],
)
def test_one_sentence_document_is_identified_from_its_own_text(
    sentence: str, expected: str
) -> None:
    assert detect_languages([sentence]) == [expected]


DOCS_BY_LANGUAGE = {
    "fr": [
        "Le patient a été hospitalisé pour une douleur de la hanche droite.",
        "Le traitement par des anti-inflammatoires a été efficace en quelques semaines.",
    ],
    "en": [
        "The patient was admitted for pain in the right hip.",
        "The treatment with anti-inflammatory drugs was effective within a few weeks.",
    ],
    "de": [
        "Der Patient wurde wegen Schmerzen in der rechten Hüfte aufgenommen.",
        "Die Behandlung mit entzündungshemmenden Mitteln war nach wenigen Wochen wirksam.",
    ],
}


@pytest.mark.parametrize("lang", sorted(DOCS_BY_LANGUAGE))
@pytest.mark.parametrize(
    "tag",
    [
        pytest.param("[**Known lastname 4417**]", id="mimic"),
        pytest.param("<PERSON>", id="angle"),
        pytest.param("[NAME]", id="bracket"),
        pytest.param("XXXX", id="xxxx"),
        pytest.param("PATIENT_NAME", id="underscore"),
    ],
)
def test_deidentification_tag_does_not_vote(lang: str, tag: str) -> None:
    first, second = DOCS_BY_LANGUAGE[lang]
    # The tag line and the short line after it both take the document's language.
    assert detect_languages([first, tag, "Fatigue", second]) == [lang] * 4


@pytest.mark.parametrize(
    "tag",
    ["[**Known lastname 4417**]", "<PERSON>", "<DATE>", "[NAME]", "XXXX", "PATIENT_NAME", "*****"],
)
def test_voting_text_drops_placeholders(tag: str) -> None:
    assert not any(c.isalpha() for c in voting_text(f" {tag} "))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("s1 and s2", "en", id="en-s1-s2"),
        pytest.param("s1 et s2 sont normaux", "fr", id="fr-s1-s2"),
        pytest.param("T2 und T3 sind unauffällig", "de", id="de-T2"),
        pytest.param("10mg par jour pendant 3 mois", "fr", id="fr-10mg"),
    ],
)
def test_digit_glued_tokens_do_not_vote(text: str, expected: str) -> None:
    assert detect_languages([text]) == [expected]


@pytest.mark.parametrize("token", ["s1", "T2", "5mg", "IL6", "2021", "3,5", "C3a"], ids=lambda t: t)
def test_voting_text_drops_digit_glued_tokens(token: str) -> None:
    assert re.findall(r"\w+", voting_text(f"avant {token} après")) == ["avant", "après"]


def test_han_glued_to_digits_stays() -> None:
    assert detect_languages(["公共设施将被收取20年。"]) == ["zh"]


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(["IRM", "CRP 45"], id="acronyms"),
        pytest.param(["19", "2021"], id="numbers"),
        pytest.param(["[**Name**]"], id="placeholder"),
        pytest.param(["J. R. T."], id="initials"),
    ],
)
def test_no_evidence_is_undetermined_not_english(texts: list[str]) -> None:
    assert detect_languages(texts) == ["und"] * len(texts)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(["Perte de poids", "Fièvre"], "fr", id="fr-headings"),
        pytest.param(["Pérdida de peso", "Fiebre alta"], "es", id="es-headings"),
        pytest.param(["Gewichtsverlust", "hohes Fieber"], "de", id="de-headings"),
    ],
)
def test_unsure_document_uses_its_own_guesses(texts: list[str], expected: str) -> None:
    assert detect_languages(texts) == [expected] * len(texts)


def test_names_line_does_not_decide() -> None:
    first, second = DOCS_BY_LANGUAGE["en"]
    names = "Authors: P. Dvořák 1,2; J. Nováková 2; K. Šťastný 3; M. Růžička 2"
    assert detect_languages([first, names, second])[1] == "en"


def test_foreign_sentence_outside_the_model_uses_open_set_fallback() -> None:
    czech = "Pacient byl přijat pro bolest pravé kyčle a léčba byla účinná během několika týdnů."
    assert detect_languages([*DOCS_BY_LANGUAGE["en"], czech])[-1] == "cs"


@pytest.mark.parametrize("size", [SAMPLE_MAX_CHARS, SAMPLE_MAX_CHARS + 1, 5_000_000])
def test_sample_is_bounded_and_deterministic(size: int) -> None:
    text = ("abc def " * (size // 8 + 1))[:size]
    assert len(sample(text)) <= SAMPLE_MAX_CHARS + 2
    assert sample(text) == sample(text)
    if size <= SAMPLE_MAX_CHARS:
        assert sample(text) == text


def test_long_unpunctuated_line_is_identified() -> None:
    line = " ".join(["le traitement des patients a été efficace dans la plupart des cas"] * 5000)
    assert detect_languages([line]) == ["fr"]


@pytest.fixture
def model_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every (text, precise) that the n-gram model is asked about, answers unchanged."""
    from litkit import langid

    calls: list[tuple[str, bool]] = []
    original = langid._model_language

    def recorded(text: str, precise: bool) -> tuple[str | None, float]:
        calls.append((text, precise))
        return original(text, precise)

    monkeypatch.setattr(langid, "_model_language", recorded)
    return calls


def test_trigrams_confirming_the_document_language_spare_the_precise_models(
    model_calls: list[tuple[str, bool]],
) -> None:
    """A short sentence of an English document that trigrams call English is settled without
    the precise mode, whose models cost 2 s and 170 MB to load."""
    texts = [*ENGLISH_DOC[:2], "recurrent lesions appeared in tibial metaphysis", ENGLISH_DOC[2]]
    assert detect_languages(texts) == ["en"] * 4
    assert model_calls and not any(precise for _, precise in model_calls)


@pytest.mark.parametrize(
    ("document", "short", "expected"),
    [
        pytest.param(ENGLISH_DOC, "une nouvelle lésion tibiale droite", "fr", id="fr-in-en"),
        pytest.param(FRENCH_DOC, "zona de dolor en la tibia derecha", "es", id="es-in-fr"),
    ],
)
def test_short_sentence_in_another_language_is_judged_precisely(
    model_calls: list[tuple[str, bool]], document: list[str], short: str, expected: str
) -> None:
    """Where trigrams do not confirm the document's language, the precise mode decides, so a
    short sentence keeps its own language."""
    labels = detect_languages([*document[:2], short, document[2]])
    assert labels[2] == expected
    assert any(precise for _, precise in model_calls)


def test_mixed_document_has_no_prior(model_calls: list[tuple[str, bool]]) -> None:
    """A document in two languages gives no language for trigrams to confirm."""
    texts = [*FRENCH_DOC, *ENGLISH_DOC, "recurrent lesions appeared in tibial metaphysis"]
    assert detect_languages(texts)[-1] == "en"
    asked = [precise for text, precise in model_calls if text.startswith("recurrent lesions")]
    assert asked == [True]
