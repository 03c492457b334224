"""Trial arms given to no-difference results about "the groups" (litkit.arms), per language."""

from __future__ import annotations

from functools import cache

import pytest

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
