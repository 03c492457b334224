"""Trial arms given to no-difference results about "the groups" (litkit.arms), per language."""

from __future__ import annotations

from functools import cache

import pytest

from litkit.arms import group_arms
from litkit.lexicon import Lexicon, default_lexicon
from litkit.models import ParsedText
from litkit.pipeline import process


@cache
def lexicon() -> Lexicon:
    return default_lexicon()


METHODS = {
    "en": "Methods: Forty adults were randomised to methotrexate or placebo.\n",
    "fr": "Méthodes : Quarante adultes ont été randomisés pour recevoir du méthotrexate ou un "
    "placebo.\n",
    "zh": "方法：将40例患者随机分为两组，观察组给予甲氨蝶呤，对照组给予安慰剂。\n",
}
NO_METHODS = {
    "en": "Methods: Forty adults with arthritis were followed for a year.\n",
    "fr": "Méthodes : Quarante adultes atteints d'arthrite ont été suivis pendant un an.\n",
    "zh": "方法：对40例关节炎患者随访一年。\n",
}
NO_DIFFERENCE = {
    "en": "Results: Fatigue scores did not differ between the two groups (p = 0.52).\n",
    "fr": "Résultats : Aucune différence significative entre les deux groupes n'a été observée "
    "pour la fatigue (p = 0,52).\n",
    "zh": "结果：两组患者疲劳评分比较，差异无统计学意义（P>0.05）。\n",
}


def last_pairs(text: str) -> dict[str, str]:
    document = process(ParsedText(text=text), "test", lexicon())
    last = document.segments[-1].assessment
    assert "outcome" in last.types
    return {p.treatment: p.direction for p in last.outcomes}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_a_no_difference_between_groups_goes_to_each_trial_arm(lang):
    pairs = last_pairs(METHODS[lang] + NO_DIFFERENCE[lang])
    assert pairs == {"D008727": "no_difference", "litkit:placebo": "no_difference"}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_without_a_described_trial_the_result_names_no_arm(lang):
    pairs = last_pairs(NO_METHODS[lang] + NO_DIFFERENCE[lang])
    assert "D008727" not in pairs and "litkit:placebo" not in pairs


ASSIGNED = {
    "en": "Methods: The intervention group received methotrexate and the control group "
    "received placebo.\n",
    "fr": "Méthodes : Le groupe expérimental a reçu du méthotrexate, le groupe témoin un "
    "placebo.\n",
    "zh": "方法：对照组给予安慰剂，观察组在对照组基础上加用甲氨蝶呤。\n",
}
FAVOURS_TREATED = {
    "en": "Results: Pain scores were significantly lower in the intervention group than in the "
    "control group.\n",
    "fr": "Résultats : Le taux de réponse était plus élevé dans le groupe expérimental que dans le "
    "groupe témoin.\n",
    "zh": "结果：观察组总有效率显著高于对照组（P<0.05）。\n",
}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_a_result_about_a_role_named_group_goes_to_what_that_group_received(lang):
    pairs = last_pairs(ASSIGNED[lang] + FAVOURS_TREATED[lang])
    assert pairs == {"D008727": "improved"}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_without_an_assignment_a_role_named_group_names_no_intervention(lang):
    pairs = last_pairs(NO_METHODS[lang] + FAVOURS_TREATED[lang])
    assert pairs == {"": "improved"}


@pytest.mark.parametrize(
    ("lang", "texts", "treated", "control"),
    [
        ("en", ["Patients received methotrexate (intervention group) or placebo (control group)."],
         ["D008727"], ["litkit:placebo"]),
        ("fr", ["Le groupe témoin a reçu du méthotrexate, le groupe expérimental du méthotrexate "
                "et de l'infliximab."], ["litkit:infliximab"], []),
        ("zh", ["对照组给予甲氨蝶呤，观察组给予甲氨蝶呤。"], ["D008727"], []),
    ],
    ids=["en-parenthesised", "fr-add-on", "zh-two-doses"],
)  # fmt: skip
def test_group_arms_reads_what_each_group_received(lang, texts, treated, control):
    found = [tuple(lexicon().find_mentions(t)) for t in texts]
    arms = group_arms(texts, [lang] * len(texts), [0] * len(texts), found)
    assert [m.concept_id for m in arms.of("treated")] == treated
    assert [m.concept_id for m in arms.of("control")] == control


LABELLED = {
    "en": "Methods: Group A received methotrexate alone; group B received methotrexate and "
    "infliximab.\nResults: The response rate was higher in group B than in group A.\n",
    "fr": "Méthodes : Le groupe A a reçu du méthotrexate seul ; le groupe B du méthotrexate et de "
    "l'infliximab.\nRésultats : Le taux de réponse était plus élevé dans le groupe B que dans le "
    "groupe A.\n",
    "zh": "方法：A组：单用甲氨蝶呤；B组：甲氨蝶呤联合英夫利西单抗。\n结果：B组总有效率高于A组。\n",
}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_a_lettered_group_goes_to_what_it_received_beyond_the_shared_therapy(lang):
    assert last_pairs(LABELLED[lang]) == {"litkit:infliximab": "improved"}


ALL_GROUPS = {
    "en": "Methods: Patients were randomised to methotrexate or infliximab.\nResults: Pain "
    "improved in both groups.\n",
    "fr": "Méthodes : Les patients ont été randomisés entre méthotrexate et infliximab.\n"
    "Résultats : La douleur s'est améliorée dans les deux groupes.\n",
    "zh": "方法：患者随机分为甲氨蝶呤组和英夫利西单抗组。\n结果：治疗后两组疼痛均有改善。\n",
}
COMPARED_GROUPS = {
    "en": "Results: Pain improved in both groups, more with infliximab than with methotrexate.\n",
    "fr": "Résultats : La douleur s'est améliorée dans les deux groupes, davantage avec "
    "l'infliximab qu'avec le méthotrexate.\n",
    "zh": "结果：两组疼痛均有改善，英夫利西单抗组优于甲氨蝶呤组。\n",
}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_one_result_shared_by_all_groups_goes_to_every_arm(lang):
    pairs = last_pairs(ALL_GROUPS[lang])
    assert pairs == {"D008727": "improved", "litkit:infliximab": "improved"}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_a_comparison_of_the_groups_is_not_shared_by_every_arm(lang):
    pairs = last_pairs(ALL_GROUPS[lang].split("\n")[0] + "\n" + COMPARED_GROUPS[lang])
    assert pairs.get("litkit:infliximab") == "improved"
    assert "D008727" not in pairs


NAMED_GROUPS = {
    "en": "The methotrexate group and the infliximab group were followed for a year.\nResults: "
    "Fatigue scores did not differ between the groups (p = 0.52).\n",
    "fr": "Le groupe méthotrexate et le groupe infliximab ont été suivis un an.\nRésultats : "
    "Aucune différence significative entre les groupes pour la fatigue (p = 0,52).\n",
    "zh": "甲氨蝶呤组和英夫利西单抗组均随访一年。\n结果：两组疲劳评分比较，差异无统计学意义"
    "（P>0.05）。\n",
}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_groups_named_by_their_drug_are_the_arms_of_a_no_difference(lang):
    pairs = last_pairs(NAMED_GROUPS[lang])
    assert pairs == {"D008727": "no_difference", "litkit:infliximab": "no_difference"}


SIMILAR = {
    "en": "Results: The incidence of adverse events was similar in both groups.\n",
    "fr": "Résultats : L'incidence des effets indésirables était similaire dans les deux "
    "groupes.\n",
    "zh": "结果：两组不良反应发生率相似。\n",
}


@pytest.mark.parametrize("lang", ["en", "fr", "zh"])
def test_a_similar_rate_of_harm_in_all_groups_is_no_difference_for_each_arm(lang):
    pairs = last_pairs(METHODS[lang] + SIMILAR[lang])
    assert pairs == {"D008727": "no_difference", "litkit:placebo": "no_difference"}
