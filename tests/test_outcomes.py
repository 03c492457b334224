"""Outcome direction per treatment (litkit.outcomes): one case table per failure kind, in fr,
en and zh, written as general cases of the rule (not sentences of any evaluation set)."""

from __future__ import annotations

import json
from functools import cache

import pytest

from litkit.classify import assess
from litkit.cues import normalise
from litkit.lexicon import Lexicon, default_lexicon
from litkit.models import OutcomePair
from litkit.outcomes import attribute, outcome_rules, summary


@cache
def lexicon() -> Lexicon:
    return default_lexicon()


def pairs(text: str, lang: str) -> dict[str, str]:
    """{treatment label lowercased, or "": direction} for one outcome sentence."""
    mentions = lexicon().find_mentions(text)
    found = attribute(normalise(text), lang, [(m, (m.start, m.end)) for m in mentions])
    result = {}
    for pair, cues in found:
        assert cues, "every pair names the cues that decided it"
        concept = lexicon().get(pair.treatment) if pair.treatment else None
        result[concept.label.lower() if concept else pair.treatment] = pair.direction
    return result


def cases(*rows: tuple[str, str, dict[str, str]]):
    """A parametrize table with ids "<lang>-<n>"."""
    return pytest.mark.parametrize(
        ("lang", "text", "expected"), rows, ids=[f"{r[0]}-{i}" for i, r in enumerate(rows)]
    )


@cases(
    ("en", "Bisphosphonates should be considered in children not responding to NSAIDs.",
     {"nsaids": "not_improved"}),
    ("en", "Pamidronate is recommended for patients who failed to respond to NSAIDs.",
     {"nsaids": "not_improved"}),
    ("fr", "Les bisphosphonates sont recommandés chez les enfants ne répondant pas aux AINS.",
     {"nsaids": "not_improved"}),
    ("zh", "对非甾体抗炎药治疗无效的患者，推荐使用双膦酸盐。", {"nsaids": "not_improved"}),
)  # fmt: skip
def test_a_recommendation_is_no_result_but_its_non_responders_are(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "In patients refractory to NSAIDs, pamidronate induced remission.",
     {"nsaids": "not_improved", "pamidronate": "improved"}),
    ("fr", "Chez les patients réfractaires aux AINS, le pamidronate a induit une rémission.",
     {"nsaids": "not_improved", "pamidronate": "improved"}),
    ("zh", "对非甾体抗炎药治疗无效的患者，帕米膦酸可诱导缓解。",
     {"nsaids": "not_improved", "pamidronate": "improved"}),
)  # fmt: skip
def test_refractory_to_one_drug_then_another_works(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate failed to improve the bone pain.", {"methotrexate": "not_improved"}),
    ("en", "The pain did not improve with naproxen.", {"naproxen": "not_improved"}),
    ("fr", "Le méthotrexate n'a pas amélioré la douleur osseuse.",
     {"methotrexate": "not_improved"}),
    ("zh", "甲氨蝶呤未能改善患儿的骨痛。", {"methotrexate": "not_improved"}),
    ("zh", "使用萘普生后症状未获缓解。", {"naproxen": "not_improved"}),
)  # fmt: skip
def test_a_negated_improvement_is_not_improved(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "There was no significant difference in remission between pamidronate and naproxen.",
     {"pamidronate": "no_difference", "naproxen": "no_difference"}),
    ("en", "Pamidronate and naproxen showed similar efficacy.",
     {"pamidronate": "no_difference", "naproxen": "no_difference"}),
    ("fr", "Aucune différence significative n'a été observée entre le pamidronate et le naproxène.",
     {"pamidronate": "no_difference", "naproxen": "no_difference"}),
    ("zh", "帕米膦酸与萘普生疗效相似。",
     {"pamidronate": "no_difference", "naproxen": "no_difference"}),
)  # fmt: skip
def test_a_comparison_without_difference_is_no_difference(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Pamidronate was more effective than naproxen.", {"pamidronate": "improved"}),
    ("en", "Compared with naproxen, pamidronate led to faster pain relief.",
     {"pamidronate": "improved"}),
    ("en", "Pain relief lasted more than six months with naproxen.", {"naproxen": "improved"}),
    ("fr", "Par rapport au naproxène, le pamidronate a entraîné un soulagement plus rapide.",
     {"pamidronate": "improved"}),
    ("zh", "与萘普生相比，帕米膦酸更快缓解疼痛。", {"pamidronate": "improved"}),
)  # fmt: skip
def test_the_better_arm_improved_and_the_comparator_gets_no_pair(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Infliximab induced remission in five of six children with refractory CRMO.",
     {"infliximab": "improved"}),
    ("fr", "L'infliximab a permis une rémission chez quatre enfants atteints d'OCMR réfractaire.",
     {"infliximab": "improved"}),
    ("zh", "英夫利昔单抗使难治性CNO患儿获得缓解。", {"infliximab": "improved"}),
)  # fmt: skip
def test_refractory_disease_qualifies_the_patients_not_the_drug(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "NSAIDs were of limited benefit in these patients.", {"nsaids": "not_improved"}),
    ("fr", "Les AINS n'ont apporté qu'un bénéfice limité.", {"nsaids": "not_improved"}),
    ("zh", "非甾体抗炎药疗效有限。", {"nsaids": "not_improved"}),
)  # fmt: skip
def test_limited_benefit_is_not_an_improvement(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "After two infusions of pamidronate he reported no pain.", {"pamidronate": "improved"}),
    ("fr", "Après la méthylprednisolone, la patiente n'a signalé aucune douleur.",
     {"methylprednisolone": "improved"}),
    ("zh", "使用甲泼尼龙后患儿无疼痛。", {"methylprednisolone": "improved"}),
)  # fmt: skip
def test_no_symptom_after_a_drug_is_improved(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "After methylprednisolone, the lesions regressed.", {"methylprednisolone": "improved"}),
    ("fr", "Après la méthylprednisolone, les lésions ont régressé.",
     {"methylprednisolone": "improved"}),
    ("zh", "甲泼尼龙治疗后病灶消退。", {"methylprednisolone": "improved"}),
)  # fmt: skip
def test_the_drug_given_before_a_result_gets_it(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Pamidronate and infliximab both led to remission.",
     {"pamidronate": "improved", "infliximab": "improved"}),
    ("en", "Pamidronate led to remission, but naproxen was ineffective.",
     {"pamidronate": "improved", "naproxen": "not_improved"}),
    ("fr", "Le pamidronate a induit une rémission, mais le naproxène a été inefficace.",
     {"pamidronate": "improved", "naproxen": "not_improved"}),
    ("zh", "帕米膦酸使病情缓解，但萘普生无效。",
     {"pamidronate": "improved", "naproxen": "not_improved"}),
)  # fmt: skip
def test_coordinated_and_contrasted_clauses_attribute_each_drug(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Symptoms improved with every agent except methotrexate.",
     {"methotrexate": "not_improved"}),
    ("fr", "Les symptômes se sont améliorés avec tous les traitements, sauf le méthotrexate.",
     {"methotrexate": "not_improved"}),
    ("zh", "除甲氨蝶呤外，其余药物均有效。", {"methotrexate": "not_improved"}),
)  # fmt: skip
def test_the_exception_gets_the_opposite(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Unlike methotrexate, pamidronate induced remission.",
     {"methotrexate": "not_improved", "pamidronate": "improved"}),
    ("fr", "Contrairement au méthotrexate, le pamidronate a induit une rémission.",
     {"methotrexate": "not_improved", "pamidronate": "improved"}),
    ("zh", "不同于甲氨蝶呤，帕米膦酸使病情缓解。",
     {"methotrexate": "not_improved", "pamidronate": "improved"}),
)  # fmt: skip
def test_unlike_gives_the_opposite_to_the_contrasted_drug(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Bone pain persisted despite naproxen.", {"naproxen": "not_improved"}),
    ("en", "New lesions appeared despite methotrexate.", {"methotrexate": "not_improved"}),
    ("fr", "La douleur a persisté malgré le naproxène.", {"naproxen": "not_improved"}),
    ("zh", "尽管使用萘普生，骨痛仍持续。", {"naproxen": "not_improved"}),
)  # fmt: skip
def test_despite_a_drug_is_its_failure_not_its_harm(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate caused liver toxicity.", {"methotrexate": "worsened"}),
    ("en", "Bone lesions can be exacerbated by repeated surgery.", {"surgery": "worsened"}),
    ("fr", "Le méthotrexate a entraîné des effets indésirables digestifs.",
     {"methotrexate": "worsened"}),
    ("fr", "Des interventions chirurgicales répétées peuvent aggraver les séquelles.",
     {"surgery": "worsened"}),
    ("zh", "甲氨蝶呤引起肝脏不良反应。", {"methotrexate": "worsened"}),
)  # fmt: skip
def test_harm_caused_by_a_treatment_is_worsened(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "We aimed to assess the efficacy of pamidronate.", {"": "uncertain"}),
    ("fr", "Cette étude vise à évaluer l'efficacité du pamidronate.", {"": "uncertain"}),
    ("zh", "本研究旨在评价帕米膦酸的疗效。", {"": "uncertain"}),
)  # fmt: skip
def test_an_aim_gives_its_drug_no_pair(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Pamidronate may be beneficial.", {"pamidronate": "uncertain"}),
    ("en", "About half of the children responded to naproxen.", {"naproxen": "uncertain"}),
    ("fr", "Le pamidronate pourrait être bénéfique.", {"pamidronate": "uncertain"}),
    ("zh", "帕米膦酸可能有效。", {"pamidronate": "uncertain"}),
)  # fmt: skip
def test_a_hedged_or_split_benefit_is_uncertain(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Most children reach remission in adolescence.", {"": "improved"}),
    ("en", "The disease runs a course of flares and remissions.", {"": "not_improved"}),
    ("fr", "La maladie peut laisser des séquelles et des déformations.", {"": "worsened"}),
    ("zh", "本病常反复发作。", {"": "not_improved"}),
)  # fmt: skip
def test_an_outcome_without_a_named_treatment_is_the_course_of_the_disease(lang, text, expected):
    assert pairs(text, lang) == expected


def test_classify_fills_outcomes_and_keeps_direction_as_their_summary():
    text = "In patients refractory to NSAIDs, pamidronate induced remission."
    mentions = lexicon().find_mentions(text)
    result = assess(text, "en", mentions, offset=0)
    assert "outcome" in result.types
    assert {p.direction for p in result.outcomes} == {"not_improved", "improved"}
    assert result.direction == "uncertain"  # the pairs disagree
    assert all(p.cues for p in result.outcomes)
    assert assess("Pamidronate was given.", "en").outcomes == ()


@pytest.mark.parametrize(
    ("directions", "expected"),
    [((), None), (("improved",), "improved"), (("improved", "improved"), "improved"),
     (("improved", "worsened"), "uncertain")],
    ids=["none", "one", "same", "mixed"],
)  # fmt: skip
def test_summary_is_the_shared_direction(directions, expected):
    assert summary([OutcomePair(str(i), d) for i, d in enumerate(directions)]) == expected


@cases(
    ("en", "Naproxen is given to relieve the bone pain.", {"": "uncertain"}),
    ("fr", "Le naproxène est prescrit pour soulager la douleur.", {"": "uncertain"}),
    ("zh", "萘普生用于缓解骨痛。", {"": "uncertain"}),
)  # fmt: skip
def test_a_treatment_purpose_is_no_result(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "When the disease flares, short courses of prednisolone are given.",
     {"": "uncertain"}),
    ("fr", "Lorsque la maladie récidive, la prednisolone est reprise.", {"": "uncertain"}),
    ("zh", "如果病情复发，可再次使用泼尼松龙。", {"": "uncertain"}),
)  # fmt: skip
def test_a_leading_condition_is_no_result_of_the_treatment(lang, text, expected):
    """The flare is the situation, not prednisolone's failure: no pair names the drug."""
    assert pairs(text, lang) == expected


@cases(
    ("en", "The disease is self-limiting, although permanent deformity is common.",
     {"": "worsened"}),
    ("en", "Although self-limiting, the disease can leave lasting sequelae.", {"": "worsened"}),
    ("fr", "La maladie est auto-limitée, bien que des séquelles soient fréquentes.",
     {"": "worsened"}),
    ("zh", "虽然本病有自限性，但常遗留畸形。", {"": "worsened"}),
)  # fmt: skip
def test_the_asserted_clause_decides_a_concession(lang, text, expected):
    assert pairs(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Bone pain persisted despite naproxen."),
     ("fr", "La douleur a persisté malgré le naproxène."),
     ("zh", "尽管使用萘普生，骨痛仍持续。")],
    ids=["en", "fr", "zh"],
)  # fmt: skip
def test_what_a_named_treatment_did_makes_an_outcome_claim(lang, text):
    mentions = lexicon().find_mentions(text)
    result = assess(text, lang, mentions, offset=0)
    assert "outcome" in result.types
    assert [p.direction for p in result.outcomes] == ["not_improved"]


@cases(
    ("en", "The pain came back after stopping naproxen.", {"": "not_improved"}),
    ("en", "The disease flared when methotrexate was stopped.", {"": "not_improved"}),
    ("fr", "Les douleurs sont réapparues après l'arrêt du naproxène.", {"": "not_improved"}),
    ("zh", "甲氨蝶呤停药后疾病复发。", {"": "not_improved"}),
)  # fmt: skip
def test_a_relapse_after_stopping_a_drug_is_no_failure_of_it(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate was discontinued because of side effects.", {"methotrexate": "worsened"}),
    ("en", "Prednisolone did not prevent new lesions.", {"prednisolone": "not_improved"}),
    ("en", "Infliximab was effective in patients who had failed methotrexate.",
     {"infliximab": "improved", "methotrexate": "not_improved"}),
    ("fr", "L'infliximab s'est révélé efficace chez les patients en échec du méthotrexate.",
     {"infliximab": "improved", "methotrexate": "not_improved"}),
    ("zh", "阿达木单抗治疗有效，而依那西普无效。",
     {"adalimumab": "improved", "etanercept": "not_improved"}),
    ("zh", "甲氨蝶呤未能阻止新发病灶。", {"methotrexate": "not_improved"}),
    ("fr", "Les corticoïdes n'ont pas permis de contrôler la maladie.",
     {"corticosteroids": "not_improved"}),
)  # fmt: skip
def test_stopping_for_harm_failing_to_prevent_and_prior_failure(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Children are often given antibiotics for months before the diagnosis is made, "
     "although lasting deformity is common.", {"": "worsened"}),
    ("fr", "Les enfants reçoivent souvent des antibiotiques avant que le diagnostic soit posé, "
     "bien que des séquelles soient fréquentes.", {"": "worsened"}),
    ("zh", "确诊前患儿常接受抗生素治疗，但常遗留畸形。", {"": "worsened"}),
    ("en", "Cases of response to infliximab have been reported.", {"infliximab": "uncertain"}),
    ("fr", "Des cas de réponse à l'infliximab ont été rapportés.", {"infliximab": "uncertain"}),
)  # fmt: skip
def test_history_before_the_diagnosis_and_anecdotal_responses(lang, text, expected):
    assert pairs(text, lang) == expected


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_every_language_compiles_its_outcome_cues(lang):
    assert outcome_rules(lang).lang == lang


def test_an_unknown_frame_in_the_data_is_a_clear_error(monkeypatch):
    import litkit.outcomes.rules as outcomes

    real = outcomes.load_cue_data

    def with_typo(lang: str) -> dict:
        data = json.loads(json.dumps(real(lang)))
        data["outcome_direction"]["frames"]["refractroy_to"] = ["refractory to"]
        return data

    outcome_rules.cache_clear()
    monkeypatch.setattr(outcomes, "load_cue_data", with_typo)
    try:
        with pytest.raises(ValueError, match="refractroy_to"):
            outcome_rules("en")
    finally:
        outcome_rules.cache_clear()


@cases(
    ("en", "Patients often receive antibiotics without lasting effect before the diagnosis.",
     {"antibiotics": "not_improved"}),
    ("fr", "Les patients reçoivent des antibiotiques sans effet durable avant le diagnostic.",
     {"antibiotics": "not_improved"}),
    ("zh", "确诊前患儿接受抗生素治疗无效。", {"antibiotics": "not_improved"}),
)  # fmt: skip
def test_a_word_describing_a_treatment_counts_even_in_its_history(lang, text, expected):
    assert pairs(text, lang) == expected


# A comparison that finds no difference lists every compared arm, placebo included.
NO_DIFFERENCE_WITH_PLACEBO = {"naproxen": "no_difference", "placebo": "no_difference"}


@cases(
    ("en", "Naproxen was well tolerated and effective.", {"naproxen": "improved"}),
    ("en", "Naproxen was not superior to placebo.", NO_DIFFERENCE_WITH_PLACEBO),
    ("en", "Adverse events were more frequent with methotrexate.", {"methotrexate": "worsened"}),
    ("fr", "Le naproxène n'était pas supérieur au placebo.", NO_DIFFERENCE_WITH_PLACEBO),
    ("fr", "Le naproxène a été bien toléré et efficace.", {"naproxen": "improved"}),
    ("zh", "萘普生组疼痛缓解率显著高于安慰剂组。", {"naproxen": "improved"}),
    ("zh", "萘普生并不优于安慰剂。", NO_DIFFERENCE_WITH_PLACEBO),
)  # fmt: skip
def test_trial_comparisons_and_tolerability(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "The rash improved, but the bone pain worsened.", {"": "uncertain"}),
    ("en", "The disease is self-limiting but protracted.", {"": "not_improved"}),
    ("fr", "L'éruption s'est améliorée, mais la douleur osseuse s'est aggravée.",
     {"": "uncertain"}),
    ("zh", "皮疹好转，但骨痛加重。", {"": "uncertain"}),
)  # fmt: skip
def test_opposite_results_about_two_subjects_are_mixed(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Mortality was significantly lower with methotrexate.", {"methotrexate": "improved"}),
    ("en", "Relapses were less frequent on methotrexate.", {"methotrexate": "improved"}),
    ("en", "Methotrexate was associated with fewer complications.", {"methotrexate": "improved"}),
    ("en", "Methotrexate did not reduce mortality.", {"methotrexate": "not_improved"}),
    ("en", "Adverse events were more frequent with methotrexate.", {"methotrexate": "worsened"}),
    ("fr", "La mortalité était plus faible sous méthotrexate.", {"methotrexate": "improved"}),
    ("fr", "Moins de complications ont été observées sous méthotrexate.",
     {"methotrexate": "improved"}),
    ("zh", "甲氨蝶呤组不良反应发生率低于对照组。", {"methotrexate": "improved"}),
    ("zh", "甲氨蝶呤组不良反应发生率高于对照组。", {"methotrexate": "worsened"}),
)  # fmt: skip
def test_less_harm_is_a_benefit_and_more_harm_is_harm(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate was well tolerated.", {"methotrexate": "uncertain"}),
    ("en", "Methotrexate was effective and well tolerated.", {"methotrexate": "improved"}),
    ("fr", "Le méthotrexate était bien toléré.", {"methotrexate": "uncertain"}),
    ("fr", "Le méthotrexate était efficace et bien toléré.", {"methotrexate": "improved"}),
    ("zh", "甲氨蝶呤耐受良好。", {"methotrexate": "uncertain"}),
    ("zh", "甲氨蝶呤治疗有效，耐受良好。", {"methotrexate": "improved"}),
)  # fmt: skip
def test_well_tolerated_alone_says_nothing_of_the_disease(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "The efficacy of methotrexate to relieve pain remains uncertain.",
     {"methotrexate": "uncertain"}),
    ("fr", "L'efficacité du méthotrexate pour soulager la douleur reste incertaine.",
     {"methotrexate": "uncertain"}),
    ("zh", "甲氨蝶呤缓解疼痛的疗效尚不明确。", {"methotrexate": "uncertain"}),
)  # fmt: skip
def test_a_hedge_on_a_treatment_purpose_is_uncertain(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate improved the joint pain but not the rash.",
     {"methotrexate": "uncertain"}),
    ("fr", "Le méthotrexate a amélioré la douleur mais pas la fièvre.",
     {"methotrexate": "uncertain"}),
    ("en", "Methotrexate improved the joint pain and the rash.", {"methotrexate": "improved"}),
    ("fr", "Le méthotrexate a amélioré la douleur et la fièvre.", {"methotrexate": "improved"}),
)  # fmt: skip
def test_a_result_taken_back_for_another_measure_is_mixed(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "The muscle weakness improved but resistance and worsening of the skin lesions "
     "were noted.", {"": "uncertain"}),
    ("fr", "La faiblesse musculaire s'est améliorée mais aggravation des lésions cutanées.",
     {"": "uncertain"}),
    ("zh", "疼痛好转，但皮肤病变加重。", {"": "uncertain"}),
)  # fmt: skip
def test_opposite_courses_of_two_findings_are_mixed(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Shorter ventilation in the methotrexate group (p = 0.03).", {"methotrexate"}),
    ("fr", "Durée de ventilation plus courte dans le groupe méthotrexate (p = 0,03).",
     {"methotrexate"}),
    ("zh", "甲氨蝶呤组通气时间更短（P<0.05）。", {"methotrexate"}),
)  # fmt: skip
def test_an_outcome_typed_later_still_gets_its_pairs(lang, text, expected):
    """A results section makes a sentence an outcome after classification: it still says
    what it says of each treatment (at least one pair, as the guide requires)."""
    from dataclasses import replace

    from litkit.classify import with_outcome_pairs

    mentions = lexicon().find_mentions(text)
    before = assess(text, lang, mentions, offset=0)
    typed = replace(before, types=("treatment", "outcome"), outcomes=(), direction=None)
    after = with_outcome_pairs(typed, text, lang, mentions, offset=0)
    assert after.outcomes, "an outcome sentence has at least one pair"
    names = {lexicon().get(p.treatment).label.lower() for p in after.outcomes if p.treatment}
    assert names <= expected
    assert after.direction == summary(after.outcomes)
    untyped = replace(before, types=("treatment",), outcomes=(), direction=None)
    assert with_outcome_pairs(untyped, text, lang, mentions, offset=0) == untyped


@cases(
    ("en", "The response rate was higher with methotrexate.", {"methotrexate": "improved"}),
    ("en", "Methotrexate was associated with lower quality of life scores.",
     {"methotrexate": "worsened"}),
    ("en", "Methotrexate was associated with a lower remission rate.",
     {"methotrexate": "not_improved"}),
    ("en", "HbA1c decreased more on metformin.", {"metformin": "improved"}),
    ("en", "Metformin was not associated with lower HbA1c.", {"metformin": "not_improved"}),
    ("fr", "Le taux de réponse était plus élevé sous méthotrexate.", {"methotrexate": "improved"}),
    ("fr", "Le méthotrexate était associé à une survie plus faible.",
     {"methotrexate": "worsened"}),
    ("fr", "Le méthotrexate n'était pas associé à une douleur moindre.",
     {"methotrexate": "not_improved"}),
    ("zh", "甲氨蝶呤组总有效率高于对照组。", {"methotrexate": "improved"}),
    ("zh", "甲氨蝶呤组生存率低于对照组。", {"methotrexate": "worsened"}),
    ("zh", "甲氨蝶呤组满意度高。", {"methotrexate": "improved"}),
)  # fmt: skip
def test_the_polarity_of_a_measure_decides_whether_its_change_is_good(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Adverse effects may occur with metformin.", {"metformin": "worsened"}),
    ("fr", "La metformine est susceptible d'avoir des effets indésirables.",
     {"metformin": "worsened"}),
    ("zh", "二甲双胍可能引起不良反应。", {"metformin": "worsened"}),
)  # fmt: skip
def test_a_measure_word_does_not_hide_the_harm_it_names(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Serum ferritin was measured in the methotrexate group.", {"methotrexate": "uncertain"}),
    ("fr", "La ferritine a été mesurée dans le groupe méthotrexate.",
     {"methotrexate": "uncertain"}),
    ("zh", "甲氨蝶呤组测定了血清铁蛋白水平。", {"methotrexate": "uncertain"}),
)  # fmt: skip
def test_a_result_without_a_direction_about_a_named_treatment_is_uncertain(lang, text, expected):
    found = pairs(text, lang)
    assert found == expected


@cases(
    ("en", "Walking distance with methotrexate and with placebo (p = 0.41).",
     {"methotrexate": "no_difference", "placebo": "no_difference"}),
    ("en", "Walking distance showed a tendency to improve with methotrexate (p = 0.08).",
     {"methotrexate": "uncertain"}),
    ("en", "Walking distance improved with methotrexate (p = 0.003).",
     {"methotrexate": "improved"}),
    ("fr", "Périmètre de marche sous méthotrexate et sous placebo (p = 0,41).",
     {"methotrexate": "no_difference", "placebo": "no_difference"}),
    ("fr", "Le périmètre de marche montrait une tendance à s'améliorer sous méthotrexate "
     "(p = 0,08).", {"methotrexate": "uncertain"}),
    ("zh", "甲氨蝶呤组与安慰剂组步行距离比较(P＞0.05)。",
     {"methotrexate": "no_difference", "placebo": "no_difference"}),
    ("zh", "甲氨蝶呤组步行距离有改善趋势(P=0.08)。", {"methotrexate": "uncertain"}),
)  # fmt: skip
def test_a_non_significant_p_value_alone_is_no_difference(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Fatigue scores remained unchanged on methotrexate.", {"methotrexate": "not_improved"}),
    ("en", "Hospital stay was shorter with methotrexate.", {"methotrexate": "improved"}),
    ("en", "The cardiomyopathy was reversible.", {"": "improved"}),
    ("fr", "Les scores de fatigue ne changeaient pas sous méthotrexate.",
     {"methotrexate": "not_improved"}),
    ("fr", "La durée de séjour était plus courte sous méthotrexate.",
     {"methotrexate": "improved"}),
    ("fr", "Cette cardiomyopathie est réversible.", {"": "improved"}),
    ("zh", "甲氨蝶呤治疗后疲劳评分未见改变。", {"methotrexate": "not_improved"}),
    ("zh", "甲氨蝶呤组住院时间短于对照组。", {"methotrexate": "improved"}),
    ("zh", "该心肌病是可逆的。", {"": "improved"}),
)  # fmt: skip
def test_unchanged_shorter_and_reversible(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Walking ability with methotrexate (RR 0.92, 95% CI 0.71 to 1.19).",
     {"methotrexate": "no_difference"}),
    ("en", "Mortality was lower with methotrexate (RR 0.52, 95% CI 0.31 to 0.80).",
     {"methotrexate": "improved"}),
    ("fr", "Marche autonome sous méthotrexate (RR : 0,92 ; IC95% : 0,71-1,19).",
     {"methotrexate": "no_difference"}),
    ("zh", "甲氨蝶呤组独立行走（RR 0.92，95%CI 0.71~1.19）。", {"methotrexate": "no_difference"}),
)  # fmt: skip
def test_a_ratio_whose_interval_holds_one_is_no_difference(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Fatigue correlated with ferritin in the methotrexate group (p = 0.01), but not in "
     "the placebo group (p = 0.40).", {"methotrexate": "uncertain", "placebo": "uncertain"}),
    ("fr", "La fatigue était corrélée à la ferritine dans le groupe méthotrexate (p = 0,01), mais "
     "pas dans le groupe placebo (p = 0,40).",
     {"methotrexate": "uncertain", "placebo": "uncertain"}),
)  # fmt: skip
def test_a_p_value_alone_is_no_result_of_an_elliptical_contrast(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate plus infliximab was more effective than methotrexate alone.",
     {"infliximab": "improved"}),
    ("fr", "Le méthotrexate associé à l'infliximab était plus efficace que le méthotrexate seul.",
     {"infliximab": "improved"}),
    ("zh", "甲氨蝶呤组疗效优于安慰剂组。", {"methotrexate": "improved"}),
    ("zh", "甲氨蝶呤联合英夫利西单抗较单独使用甲氨蝶呤效果更佳。", {"infliximab": "improved"}),
    ("zh", "1例行英夫利西单抗治疗后出现危象。", {"infliximab": "worsened"}),
)  # fmt: skip
def test_a_drug_compared_alone_gets_no_pair_and_a_crisis_after_a_drug_is_harm(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "The complication rate with methotrexate was 12.5%, higher than with placebo.",
     {"methotrexate": "worsened"}),
    ("en", "Pain improved more with methotrexate than with placebo.",
     {"methotrexate": "improved"}),
    ("fr", "Le taux de complications sous méthotrexate était de 12,5 %, plus élevé que sous "
     "placebo.", {"methotrexate": "worsened"}),
    ("zh", "甲氨蝶呤组不良反应发生率为12.5%，高于安慰剂组。", {"methotrexate": "worsened"}),
    ("zh", "甲氨蝶呤组总有效率为92.5%，高于安慰剂组。", {"methotrexate": "improved"}),
)  # fmt: skip
def test_a_value_then_the_change_that_compares_it_keeps_the_measure_polarity(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Complications occurred after surgery, and the patient recovered after resuscitation.",
     {"surgery": "worsened", "": "improved"}),
    ("fr", "Des complications sont survenues après la chirurgie, puis le patient s'est rétabli "
     "après la réanimation.", {"surgery": "worsened", "": "improved"}),
    ("zh", "手术后出现并发症，经抢救后痊愈。", {"surgery": "worsened", "": "improved"}),
    # the same result said once more is the named treatment's, not a second pair
    ("en", "The pain resolved with naproxen, and the fever disappeared.", {"naproxen": "improved"}),
    ("fr", "La douleur a disparu sous naproxène, et la fièvre s'est résolue.",
     {"naproxen": "improved"}),
    ("zh", "萘普生治疗后疼痛消失，发热也已缓解。", {"naproxen": "improved"}),
)  # fmt: skip
def test_a_result_clause_naming_no_treatment_beside_named_ones(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Remission was achieved with pamidronate and the disease progressed on methotrexate.",
     {"pamidronate": "improved", "methotrexate": "not_improved"}),
    ("fr", "Une rémission a été obtenue sous pamidronate et la maladie a progressé sous "
     "méthotrexate.", {"pamidronate": "improved", "methotrexate": "not_improved"}),
    ("zh", "帕米膦酸治疗后症状缓解并且甲氨蝶呤治疗后病情进展。",
     {"pamidronate": "improved", "methotrexate": "not_improved"}),
    # two drugs before one result: one clause, not two
    ("en", "Naproxen and pamidronate relieved the pain.",
     {"naproxen": "improved", "pamidronate": "improved"}),
    ("fr", "Le naproxène et le pamidronate ont soulagé la douleur.",
     {"naproxen": "improved", "pamidronate": "improved"}),
    ("zh", "萘普生和帕米膦酸均使疼痛缓解。", {"naproxen": "improved", "pamidronate": "improved"}),
)  # fmt: skip
def test_clauses_joined_by_and_each_keep_their_own_result(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "Long-term corticosteroids may cause osteoporosis in children.",
     {"corticosteroids": "worsened"}),
    ("en", "Isotretinoin increases the risk of depression.", {"isotretinoin": "worsened"}),
    ("en", "Surgery can trigger a flare of the disease.", {"surgery": "worsened"}),
    ("fr", "Le méthotrexate peut provoquer une atteinte hépatique.", {"methotrexate": "worsened"}),
    ("fr", "La chirurgie est un facteur déclenchant de la crise.", {"surgery": "worsened"}),
    ("fr", "Une intervention chirurgicale peut déclencher une poussée de la maladie.",
     {"surgery": "worsened"}),
    ("fr", "Si vous prenez trop de paracétamol, vous pourriez développer une atteinte du foie.",
     {"paracetamol": "worsened"}),
    ("zh", "长期使用糖皮质激素可引起骨质疏松。", {"corticosteroids": "worsened"}),
    ("zh", "甲氨蝶呤可导致肝损害。", {"methotrexate": "worsened"}),
    ("zh", "手术可诱发病情复发。", {"surgery": "worsened"}),
)  # fmt: skip
def test_a_treatment_that_can_cause_or_trigger_harm_makes_an_outcome(lang, text, expected):
    """Patient-leaflet and epidemiology harm ("can cause", "facteur déclenchant", `可引起`) is
    a result of the drug even without an outcome word: the sentence becomes an outcome."""
    result = assess(text, lang, lexicon().find_mentions(text), offset=0)
    assert "outcome" in result.types
    assert pairs(text, lang) == expected


@cases(
    ("en", "Methotrexate was not associated with an increased risk of infection.", {}),
    ("fr", "Le méthotrexate n'augmente pas le risque d'infection.", {}),
    ("zh", "甲氨蝶呤不会导致肝损害。", {}),
)  # fmt: skip
def test_a_harm_said_not_to_happen_is_no_harm(lang, text, expected):
    result = assess(text, lang, lexicon().find_mentions(text), offset=0)
    assert {p.direction for p in result.outcomes} <= {"uncertain"}
    assert "worsened" not in set(pairs(text, lang).values())


@cases(
    ("en", "We report a patient with lung cancer recurrence who was successfully treated with "
     "surgery.", {"surgery": "improved"}),
    ("en", "We report a child with a relapse of the disease who responded well to pamidronate.",
     {"pamidronate": "improved"}),
    ("fr", "Nous rapportons le cas d'une patiente atteinte d'une récidive de cancer du poumon qui "
     "a été traitée avec succès par chirurgie.", {"surgery": "improved"}),
    ("fr", "Nous rapportons un patient présentant une rechute qui a bien répondu au pamidronate.",
     {"pamidronate": "improved"}),
    ("zh", "我们报告一例肺癌复发患者，经手术治疗后成功治愈。", {"surgery": "improved"}),
    ("zh", "一例复发患儿经帕米膦酸治疗后缓解。", {"pamidronate": "improved"}),
    # without a relative pronoun the words after "patients with" may be the result itself
    ("en", "Patients with CNO improved on naproxen.", {"naproxen": "improved"}),
    ("fr", "Les patients avec une CNO se sont améliorés sous naproxène.", {"naproxen": "improved"}),
    # in Chinese a verb before the noun acts on the patients: only a disease state describes
    ("zh", "该方法可改善患者的预后。", {"": "improved"}),
)  # fmt: skip
def test_the_state_that_describes_the_patients_is_no_result(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "At the start of treatment, nausea and diarrhoea may occur.", {"": "worsened"}),
    ("en", "Headache can occur during treatment with methotrexate.", {"methotrexate": "worsened"}),
    ("fr", "En début de traitement, des nausées peuvent survenir.", {"": "worsened"}),
    ("fr", "Des troubles digestifs peuvent se manifester sous méthotrexate.",
     {"methotrexate": "worsened"}),
    ("zh", "治疗初期可能出现恶心、腹泻等胃肠道症状。", {"": "worsened"}),
    ("zh", "甲氨蝶呤治疗期间可出现头痛。", {"methotrexate": "worsened"}),
)  # fmt: skip
def test_a_harm_that_may_occur_on_treatment_is_its_harm_even_unnamed(lang, text, expected):
    """Leaflet side effects ("may occur", "peuvent survenir", `可能出现`): the sentence is an
    outcome, and the harm belongs to the treatment, named or not."""
    result = assess(text, lang, lexicon().find_mentions(text), offset=0)
    assert "outcome" in result.types
    assert pairs(text, lang) == expected


@cases(
    ("en", "Two years later she developed new lung metastases, which were treated with surgery.",
     {"": "not_improved"}),
    ("en", "A follow-up scan showed new bone lesions, and he started methotrexate.",
     {"": "not_improved"}),
    ("fr", "Deux ans plus tard, elle a développé de nouvelles métastases pulmonaires, qui ont été "
     "traitées par chirurgie.", {"": "not_improved"}),
    ("fr", "Le scanner a montré une nouvelle lésion osseuse, et il a débuté le méthotrexate.",
     {"": "not_improved"}),
    ("zh", "两年后出现新发肺转移灶，遂给予手术治疗。", {"": "not_improved"}),
    ("zh", "复查发现新发骨病灶，改用甲氨蝶呤治疗。", {"": "not_improved"}),
)  # fmt: skip
def test_a_progression_then_the_treatment_given_for_it(lang, text, expected):
    """New metastases or lesions are the disease's course (not_improved); the treatment
    started for them afterwards has no result yet, so no pair; the sentence is an outcome."""
    result = assess(text, lang, lexicon().find_mentions(text), offset=0)
    assert "outcome" in result.types
    assert pairs(text, lang) == expected


@cases(
    ("en", "The lesions became smaller after methotrexate.", {"methotrexate": "improved"}),
    ("en", "He started methotrexate, and the lesions resolved.", {"methotrexate": "improved"}),
    ("fr", "Les lésions étaient plus petites sous méthotrexate.", {"methotrexate": "improved"}),
    ("fr", "Il a débuté le méthotrexate et les lésions ont disparu.",
     {"methotrexate": "improved"}),
    ("zh", "给予甲氨蝶呤治疗后病灶缩小。", {"methotrexate": "improved"}),
    ("zh", "遂给予甲氨蝶呤治疗，病灶消失。", {"methotrexate": "improved"}),
)  # fmt: skip
def test_a_shrinking_burden_or_a_result_after_the_start_is_the_treatment_s(lang, text, expected):
    result = assess(text, lang, lexicon().find_mentions(text), offset=0)
    assert "outcome" in result.types
    assert pairs(text, lang) == expected


@cases(
    ("en", "The pain worsened, so methotrexate was given and the pain resolved.",
     {"methotrexate": "improved"}),
    ("en", "The fever persisted, and pamidronate induced remission.", {"pamidronate": "improved"}),
    ("fr", "La douleur s'est aggravée, le méthotrexate a été introduit et la douleur a disparu.",
     {"methotrexate": "improved"}),
    ("zh", "患者疼痛加重，给予甲氨蝶呤治疗后缓解。", {"methotrexate": "improved"}),
)  # fmt: skip
def test_the_reason_stated_before_a_treatment_is_no_pair_of_its_own(lang, text, expected):
    assert pairs(text, lang) == expected


@cases(
    ("en", "No new metastases developed after surgery.", {"surgery": "improved"}),
    ("fr", "Aucune nouvelle métastase n'est apparue après la chirurgie.", {"surgery": "improved"}),
    ("zh", "帕米膦酸治疗后未出现肺转移。", {"pamidronate": "improved"}),
)  # fmt: skip
def test_a_progression_said_not_to_happen_is_a_held_disease(lang, text, expected):
    result = assess(text, lang, lexicon().find_mentions(text), offset=0)
    assert "outcome" in result.types
    assert pairs(text, lang) == expected
