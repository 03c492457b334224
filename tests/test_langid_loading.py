"""lingua's models load per mode, on first need (issue 14): a sentence of SHORT_TEXT_CHARS or
more that the function words cannot decide loads only the trigram models of the low-accuracy
mode (0.15 s), a short one all five n-gram orders of the precise mode (2 s); the answers are
those of a process with every model loaded.

Each case runs a fresh interpreter: this process may have loaded the models already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from litkit.langid import SHORT_TEXT_CHARS

# Running text with too few function words for the fast path, so the model decides.
LONG = {
    "en": "chronic recurrent multifocal osteomyelitis presents bone pain swelling fever raised"
    " inflammatory markers whereas magnetic resonance imaging shows multifocal metaphyseal lesions",
    "fr": "ostéomyélite chronique récurrente multifocale douleur osseuse gonflement fièvre"
    " marqueurs inflammatoires élevés imagerie montrant lésions métaphysaires multifocales",
    "de": "chronische rekurrierende multifokale Osteomyelitis zeigt Knochenschmerzen Schwellung"
    " Fieber erhöhte Entzündungswerte sowie multifokale metaphysäre Läsionen",
}
SHORT = {"en": "bone pain swelling fever", "fr": "Aucun traitement.", "de": "Knochenschmerzen"}

_SCRIPT = """
import json, sys
from litkit import langid
texts = json.loads(sys.argv[1])
if sys.argv[2] == "preload":
    langid.load_models()
langs = langid.detect_languages(texts)
print(json.dumps([langs, sorted(langid._LOADED_MODES)]))
"""


def _run(texts: list[str], preload: bool) -> tuple[list[str], list[bool]]:
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(texts), "preload" if preload else "lazy"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    langs, modes = json.loads(proc.stdout)
    return langs, modes


@pytest.mark.parametrize("lang", sorted(LONG), ids=sorted(LONG))
def test_a_long_undecided_sentence_loads_only_the_trigram_models(lang: str) -> None:
    assert len(LONG[lang]) >= SHORT_TEXT_CHARS
    langs, modes = _run([LONG[lang]], preload=False)
    assert modes == [False]  # the low-accuracy mode only
    assert langs == [lang]
    assert langs == _run([LONG[lang]], preload=True)[0]


@pytest.mark.parametrize("lang", sorted(SHORT), ids=sorted(SHORT))
def test_a_short_text_loads_the_precise_models_with_the_same_answers(lang: str) -> None:
    langs, modes = _run([SHORT[lang]], preload=False)  # a one-sentence document
    assert True in modes
    assert langs == [lang]
    assert langs == _run([SHORT[lang]], preload=True)[0]
