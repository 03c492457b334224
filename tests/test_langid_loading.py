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
documents = json.loads(sys.argv[1])
if sys.argv[2] == "preload":
    langid.load_models()
langs = [langid.detect_languages(texts) for texts in documents]
print(json.dumps([langs, sorted(langid._LOADED_MODES)]))
"""


def _run(documents: list[list[str]], preload: bool) -> tuple[list[list[str]], list[bool]]:
    """The language of every sentence of each document, one document after the other, in one
    fresh interpreter; and the modes it loaded."""
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(documents), "preload" if preload else "lazy"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    langs, modes = json.loads(proc.stdout)
    return langs, modes


# One interpreter per mode runs every language (each a one-sentence document of its own):
# a fresh interpreter that loads the precise models costs ~3 s.


def test_long_undecided_sentences_load_only_the_trigram_models() -> None:
    codes = sorted(LONG)
    assert all(len(LONG[code]) >= SHORT_TEXT_CHARS for code in codes)
    documents = [[LONG[code]] for code in codes]
    langs, modes = _run(documents, preload=False)
    assert modes == [False]  # the low-accuracy mode only, after every language
    assert langs == [[code] for code in codes]
    assert langs == _run(documents, preload=True)[0]


def test_short_texts_load_the_precise_models_with_the_same_answers() -> None:
    codes = sorted(SHORT)
    documents = [[SHORT[code]] for code in codes]  # one-sentence documents
    langs, modes = _run(documents, preload=False)
    assert True in modes
    assert langs == [[code] for code in codes]
    assert langs == _run(documents, preload=True)[0]
