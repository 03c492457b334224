"""Throughput of `Lexicon.find_mentions` on typical French, English and Chinese sentences.

Target: >= 50,000 sentences/s on one core. The sentences are built from a fixed template mix
(mostly sentences with zero to three mentions, as in real articles), so runs are comparable.

    .venv/bin/python benchmarks/mention_speed.py [--sentences 200000]
"""

from __future__ import annotations

import argparse
import time

from litkit.lexicon import default_lexicon

SENTENCES = [
    "Five patients with CRMO, all of whom had ongoing pain despite conventional treatment with "
    "non-steroidal anti-inflammatory agents, were treated with pamidronate (1 mg/kg/dose).",
    "The mean age at onset was 9 years and most patients were girls; the diagnostic delay was "
    "about one year in this cohort of children followed at a tertiary centre.",
    "Whole-body MRI showed bone marrow oedema of the distal tibia and the clavicle.",
    "Les AINS constituent le traitement de première ligne de l’ostéomyélite chronique.",
    "La prise en charge est donc généralement symptomatique, et la durée du suivi était de "
    "trois ans en moyenne chez les enfants inclus dans cette étude rétrospective.",
    "Les corticostéroïdes doivent être envisagés chez les patients ne répondant pas aux AINS.",
    "目前CNO的发病机制尚未完全阐明,但长期的抗生素治疗并没有改变疾病的发展。",
    "本研究简要介绍了儿童慢性无菌性骨髓炎的发病机制,重点综述了疾病诊断的研究进展。",
    "In 9/14 (64%) patients termination of therapy was performed due to sustained inactivity.",
    "The authors declare that they have no conflict of interest regarding this publication.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    args = parser.parse_args()

    started = time.perf_counter()
    lexicon = default_lexicon()
    print(f"load+compile: {time.perf_counter() - started:.3f} s ({len(lexicon)} concepts)")

    batch = (SENTENCES * (args.sentences // len(SENTENCES) + 1))[: args.sentences]
    mentions = 0
    started = time.perf_counter()
    for sentence in batch:
        mentions += len(lexicon.find_mentions(sentence))
    elapsed = time.perf_counter() - started
    chars = sum(map(len, batch))
    print(
        f"{len(batch)} sentences, {mentions} mentions in {elapsed:.2f} s: "
        f"{len(batch) / elapsed:,.0f} sentences/s, {chars / elapsed / 1e6:.1f} M chars/s"
    )


if __name__ == "__main__":
    main()
