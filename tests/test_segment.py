"""Sentence segmentation: per-language case tables, offsets, bounds."""

from __future__ import annotations

import pytest

from litkit.models import Span
from litkit.segment import MAX_SENTENCE_CHARS, segment


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text)]


CASES = [
    # English abbreviations, initials, decimals, units
    pytest.param(
        "Holden et al. reported two cases. Both improved.",
        ["Holden et al. reported two cases.", "Both improved."],
        id="en-et-al",
    ),
    pytest.param(
        "Use NSAIDs, e.g. naproxen, first. Then steroids.",
        ["Use NSAIDs, e.g. naproxen, first.", "Then steroids."],
        id="en-eg",
    ),
    pytest.param(
        "Pain, i.e. bone pain, is typical. It recurs.",
        ["Pain, i.e. bone pain, is typical.", "It recurs."],
        id="en-ie",
    ),
    pytest.param(
        "See Fig. 2 for MRI. Lesions were lytic.",
        ["See Fig. 2 for MRI.", "Lesions were lytic."],
        id="en-fig",
    ),
    pytest.param(
        "NSAIDs vs. placebo were compared. No difference.",
        ["NSAIDs vs. placebo were compared.", "No difference."],
        id="en-vs",
    ),
    pytest.param(
        "Dr. Smith saw her. She was well.", ["Dr. Smith saw her.", "She was well."], id="en-dr"
    ),
    pytest.param(
        "A. B. Smith described it. The cause is unknown.",
        ["A. B. Smith described it.", "The cause is unknown."],
        id="en-initials",
    ),
    pytest.param(
        "The dose was 2.5 mg/kg. It worked.",
        ["The dose was 2.5 mg/kg.", "It worked."],
        id="en-decimal",
    ),
    pytest.param(
        "CRP was 30 mg/L. The ESR was high.",
        ["CRP was 30 mg/L.", "The ESR was high."],
        id="en-unit-boundary",
    ),
    pytest.param(
        "Details are in Table I. Changes are in Table II.",
        ["Details are in Table I.", "Changes are in Table II."],
        id="en-table-roman",
    ),
    pytest.param(
        "Eur J Pediatr. 2024 Nov 27;184(1):48. doi: 10.1007/s00431-024-05823-w.",
        ["Eur J Pediatr. 2024 Nov 27;184(1):48. doi: 10.1007/s00431-024-05823-w."],
        id="en-citation-line",
    ),
    pytest.param(
        "No change in lesion size.16 Earlier reports agree.",
        ["No change in lesion size.16", "Earlier reports agree."],
        id="en-glued-ref",
    ),
    pytest.param(
        "See https://doi.org/10.1016/j.jpeds.2007.08.047 now.",
        ["See https://doi.org/10.1016/j.jpeds.2007.08.047 now."],
        id="en-url",
    ),
    # French
    pytest.param(
        "Décrit par Giedion et coll. en 1972. La cause reste inconnue.",
        ["Décrit par Giedion et coll. en 1972.", "La cause reste inconnue."],
        id="fr-coll",
    ),
    pytest.param(
        "Le Pr. Durand, cf. réf. 3, a traité la patiente. Elle va bien.",
        ["Le Pr. Durand, cf. réf. 3, a traité la patiente.", "Elle va bien."],
        id="fr-pr-cf",
    ),
    pytest.param(
        "En janv. 2024, la CRP était à 45 mg/L. Les AINS ont été arrêtés.",
        ["En janv. 2024, la CRP était à 45 mg/L.", "Les AINS ont été arrêtés."],
        id="fr-janv-unit",
    ),
    pytest.param(
        "Voir p. 12 et fig. 3. Les lésions étaient lytiques.",
        ["Voir p. 12 et fig. 3.", "Les lésions étaient lytiques."],
        id="fr-p-fig",
    ),
    pytest.param(
        "Les vitesses étaient de mm / h, et la CRP de mg / L. Les résultats suivent.",
        ["Les vitesses étaient de mm / h, et la CRP de mg / L.", "Les résultats suivent."],
        id="fr-spaced-units",
    ),
    pytest.param(
        "les résultats sont négatifs. n’est pas une réponse",
        ["les résultats sont négatifs.", "n’est pas une réponse"],
        id="fr-lowercase-start",
    ),
    pytest.param(
        "la culture & lt. ; mg / L reste",
        ["la culture & lt. ; mg / L reste"],
        id="fr-period-then-semicolon",
    ),
    # run-together sentences
    pytest.param(
        "AINS et analgésiquesCRMO a été rapporté.",
        ["AINS et analgésiques", "CRMO a été rapporté."],
        id="run-acronym",
    ),
    pytest.param(
        "traitement AThe patient improved.",
        ["traitement A", "The patient improved."],
        id="run-capital-letter",
    ),
    pytest.param(
        "par des antibiotiques Les patients sont traités.",
        ["par des antibiotiques", "Les patients sont traités."],
        id="run-fr-article",
    ),
    pytest.param(
        "est tombée à Cependant, des mois plus tard.",
        ["est tombée à", "Cependant, des mois plus tard."],
        id="run-fr-adverb",
    ),
    pytest.param(
        "la lame iliaque supérieurDiscussion",
        ["la lame iliaque supérieur", "Discussion"],
        id="run-glued-heading",
    ),
    pytest.param(
        "McDonald used an iPhone to measure pH, mRNA, siRNA and IgG levels.",
        ["McDonald used an iPhone to measure pH, mRNA, siRNA and IgG levels."],
        id="no-split-mixed-case-words",
    ),
    pytest.param(
        "Bisphosphonate Treatment in Chronic Recurrent Multifocal Osteomyelitis",
        ["Bisphosphonate Treatment in Chronic Recurrent Multifocal Osteomyelitis"],
        id="no-split-title-case",
    ),
    pytest.param(
        "CRMO est Une maladie rare",
        ["CRMO est Une maladie rare"],
        id="no-split-article-after-connector",
    ),
    pytest.param(
        "(5).El agente es S.Aureus, no otro.",
        ["(5).", "El agente es S.Aureus, no otro."],
        id="es-glued-period",
    ),
    # Chinese
    pytest.param(
        "患者发热。MRI显示骨髓水肿！是否需要活检？",
        ["患者发热。", "MRI显示骨髓水肿！", "是否需要活检？"],
        id="zh-terminals",
    ),
    pytest.param(
        "疾病急性期CRP升高；白细胞正常。", ["疾病急性期CRP升高；白细胞正常。"], id="zh-semicolon"
    ),
    pytest.param(
        "首次描述为“慢性骨髓炎。”后来改名。",
        ["首次描述为“慢性骨髓炎。”", "后来改名。"],
        id="zh-closing-quote",
    ),
    pytest.param(
        "治疗有效吗?答案是肯定的!", ["治疗有效吗?", "答案是肯定的!"], id="zh-ascii-terminals"
    ),
    pytest.param(
        "CRP 45 mg/L,ESR升高。随访1.5年。",
        ["CRP 45 mg/L,ESR升高。", "随访1.5年。"],
        id="zh-decimal",
    ),
    pytest.param(
        "目的 分析临床特点。 方法 收集资料。",
        ["目的", "分析临床特点。", "方法", "收集资料。"],
        id="zh-run-in-labels",
    ),
    # lists, headings, hard wraps
    pytest.param(
        "Symptômes :\n\n- Douleurs osseuses\n\n- Fièvre\n* Fatigue\n• Perte de poids",
        ["Symptômes :", "Douleurs osseuses", "Fièvre", "Fatigue", "Perte de poids"],
        id="list-bullets",
    ),
    pytest.param("1. Introduction\n2. Méthodes", ["Introduction", "Méthodes"], id="list-numbered"),
    pytest.param(
        "• First point here. • Second point here.",
        ["First point here.", "Second point here."],
        id="inline-bullets",
    ),
    pytest.param(
        "Objective\n\nTo test the drug.\nResults\nIt worked.",
        ["Objective", "To test the drug.", "Results", "It worked."],
        id="headings",
    ),
    pytest.param(
        "ASPECTS GÉNÉRAUX\nLes ostéites sont rares.",
        ["ASPECTS GÉNÉRAUX", "Les ostéites sont rares."],
        id="heading-then-text",
    ),
    pytest.param(
        "L’ostéomyélite non-bacté-\nrienne est classée aujourd’hui maladie auto-\n"
        "inflammatoire. La\nréponse est innée.",
        [
            "L’ostéomyélite non-bacté-\nrienne est classée aujourd’hui maladie auto-\n"
            "inflammatoire.",
            "La\nréponse est innée.",
        ],
        id="hard-wrap-hyphen",
    ),
    pytest.param(
        "une néoplasie (ostéosarcome, sarcome de\nEwing) ou une histiocytose.",
        ["une néoplasie (ostéosarcome, sarcome de\nEwing) ou une histiocytose."],
        id="hard-wrap-connector-capital",
    ),
    pytest.param(
        "Vol. 2 Formation\nrencier une ostéite.\n\nVol. 2 Formation\nLa suite.",
        ["Vol. 2 Formation", "rencier une ostéite.", "Vol. 2 Formation", "La suite."],
        id="repeated-running-header",
    ),
    pytest.param("", [], id="empty"),
    pytest.param(" \n\n \t", [], id="whitespace-only"),
    pytest.param("-\n摘要:", ["摘要:"], id="marker-only-line-dropped"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_segment_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize("text", [c.values[0] for c in CASES])
def test_spans_are_ordered_stripped_and_non_empty(text: str) -> None:
    spans = segment(text)
    previous_end = 0
    for span in spans:
        assert isinstance(span, Span)
        assert previous_end <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece
        previous_end = span.end


def test_long_unpunctuated_line_is_bounded() -> None:
    line = "ostéomyélite chronique non bactérienne " * 130_000  # about 5 MB
    spans = segment(line)
    assert len(spans) > 1000
    assert max(s.end - s.start for s in spans) <= MAX_SENTENCE_CHARS
    covered = sum(len(line[s.start : s.end].split()) for s in spans)
    assert covered == len(line.split())  # nothing lost at the cuts


def test_long_chinese_without_terminals_is_cut_at_commas() -> None:
    text = "骨髓炎患者，" * 1000
    spans = segment(text)
    assert max(s.end - s.start for s in spans) <= MAX_SENTENCE_CHARS
    assert all(text[s.end - 1] == "，" for s in spans[:-1])


def test_deterministic() -> None:
    text = "Holden et al. reported it. Les AINS sont efficaces. 患者发热。"
    assert segment(text) == segment(text)
