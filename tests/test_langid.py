"""Language identification: script, function words, context, document languages."""

from __future__ import annotations

import pytest

from litkit.langid import detect_languages, document_languages

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
