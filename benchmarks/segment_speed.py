"""Sentences per second of litkit.segment on French, English and Chinese text, and the time a
5 MB line without punctuation takes (it must stay linear and bounded).

Usage: .venv/bin/python benchmarks/segment_speed.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from litkit.segment import segment

SAMPLES = {
    "fr": (
        "Le diagnostic repose sur l’IRM (fig. 3) et la biopsie, cf. Pr. Durand et al. "
        "La CRP était de 45 mg/L. Les AINS sont le traitement de première ligne, p. ex. "
        "le naproxène 2.5 mg/kg. En janv. 2024, 12 patients ont été inclus.\n"
    ),
    "en": (
        "Patients were treated with NSAIDs, e.g. naproxen, vs. placebo (Fig. 2). "
        "Dr. A. B. Smith et al. reported remission in 2.5 years. CRP was 30 mg/L. "
        "The ESR was 40 mm/h. Pamidronate was given i.e. monthly.\n"
    ),
    "zh": (
        "慢性非细菌性骨髓炎是一种自身炎症性骨病。患者常表现为骨痛；部分伴有发热。"
        "MRI显示骨髓水肿！治疗首选NSAID吗？CRP 45 mg/L,ESR升高。\n"
    ),
}


def main() -> int:
    for lang, sample in SAMPLES.items():
        text = sample * 20_000
        started = time.perf_counter()
        spans = segment(text)
        elapsed = time.perf_counter() - started
        print(
            f"{lang}: {len(text) / 1e6:5.1f} MB  {len(spans):7d} sentences  "
            f"{len(spans) / elapsed:9.0f} sentences/s"
        )
    line = "ostéomyélite chronique non bactérienne " * (5_000_000 // 39)
    started = time.perf_counter()
    spans = segment(line)
    elapsed = time.perf_counter() - started
    longest = max(s.end - s.start for s in spans)
    print(f"5 MB unpunctuated line: {elapsed:.2f} s, {len(spans)} spans, longest {longest} chars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
