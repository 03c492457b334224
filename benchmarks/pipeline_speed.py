"""Per-stage wall-clock cost of the per-document pipeline (what an ingest worker does).

Why: `ingest --jobs N` workers run `pipeline.process` plus `search.search_rows`; to know which
stage to speed up (and to check a speed-up), each stage is timed on its own, in the same order
and with the same inputs as the pipeline, on a generated corpus (benchmarks/generate_corpus.py).
Wall clock, no profiler (a profiler inflates Python-heavy stages); each stage's figure is the
best of `--repeat` passes over the whole corpus, so a busy machine inflates it less. The
generated corpus reuses a few hundred demo sentences, so a cache keyed by text would look
far better here than on real articles: the pipeline has none, keep it that way.

    python benchmarks/pipeline_speed.py [--docs 1000] [--repeat 3] [--workdir DIR]

Prints wall and CPU ms per document for: read, clean, segment, langid, roles (sentence roles
and sections), lexicon, classify, study (design, patients, year), search_rows, their sum, and
the whole pipeline run interleaved per document (what a worker does; higher than the sum, see
`whole_pipeline`), plus sentences per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import generate

from litkit.classify import assess
from litkit.clean import clean
from litkit.langid import detect_languages
from litkit.lexicon import default_lexicon
from litkit.pipeline import process
from litkit.roles import segment_roles
from litkit.search import search_rows
from litkit.sections import segment_sections
from litkit.segment import segment
from litkit.sources import read, resolve
from litkit.study import study_facts

STAGES = (
    "read", "clean", "segment", "langid", "roles", "lexicon", "classify", "study", "search_rows",
)  # fmt: skip


def corpus(workdir: Path, docs: int) -> Path:
    """The generated corpus folder (reused when it already holds `docs` documents)."""
    folder = workdir / f"corpus-{docs}"
    if len(list(folder.rglob("*.txt"))) != docs:
        generate(folder, docs)
    return folder


def stage_inputs(folder: Path) -> list[dict[str, Any]]:
    """Run the pipeline once, keeping every stage's input so stages can be timed alone."""
    lexicon = default_lexicon()
    docs = []
    for raw in resolve([str(folder)], recursive=True):
        for parsed in read(raw):
            cleaned = clean(parsed.text)
            spans = [s for s in segment(cleaned.text) if cleaned.text[s.start : s.end].strip()]
            roles = segment_roles(cleaned, spans, parsed.roles)
            texts = [cleaned.text[s.start : s.end] for s in spans]
            langs = detect_languages(texts)
            starts = [s.start for s in spans]
            mentions = [
                tuple(lexicon.find_mentions(t, offset=o))
                for t, o in zip(texts, starts, strict=True)
            ]
            docs.append(
                {
                    "raw": raw,
                    "parsed": parsed,
                    "cleaned": cleaned,
                    "spans": spans,
                    "roles": roles,
                    "texts": texts,
                    "langs": langs,
                    "starts": starts,
                    "mentions": mentions,
                }
            )
    return docs


def stage_functions() -> dict[str, Callable[[dict[str, Any]], object]]:
    """One callable per stage, doing exactly what `pipeline.process` does for that stage."""
    lexicon = default_lexicon()

    def lexicon_stage(d: dict[str, Any]) -> object:
        return lexicon.document_mentions(list(zip(d["texts"], d["starts"], strict=True)))

    def roles_stage(d: dict[str, Any]) -> object:
        roles = segment_roles(d["cleaned"], d["spans"], d["parsed"].roles)
        return segment_sections(d["texts"], roles)

    def classify_stage(d: dict[str, Any]) -> object:
        items = zip(d["texts"], d["langs"], d["mentions"], d["starts"], strict=True)
        return [assess(t, lang, m, offset=o) for t, lang, m, o in items]

    return {
        "read": lambda d: read(d["raw"]),
        "clean": lambda d: clean(d["parsed"].text),
        "segment": lambda d: segment(d["cleaned"].text),
        "langid": lambda d: detect_languages(d["texts"]),
        "roles": roles_stage,
        "lexicon": lexicon_stage,
        "classify": classify_stage,
        "study": lambda d: study_facts(d["cleaned"].text, d["parsed"].meta),
        "search_rows": lambda d: search_rows([(str(i), t) for i, t in enumerate(d["texts"])]),
    }


def whole_pipeline() -> Callable[[dict[str, Any]], object]:
    """Read + `pipeline.process` + `search_rows` per document, as an ingest worker runs them.

    Stage by stage, each stage's code and tables stay hot in the CPU caches; interleaved they
    evict one another, so this figure is higher than the sum of the stages (~0.7 ms/doc
    here) and is the one that predicts a worker's throughput.
    """
    lexicon = default_lexicon()

    def run(d: dict[str, Any]) -> object:
        documents = [process(parsed, d["raw"].locator, lexicon) for parsed in read(d["raw"])]
        return [search_rows([(s.id, s.text) for s in doc.segments]) for doc in documents]

    return run


def time_stage(
    run: Callable[[dict[str, Any]], object], docs: list[dict[str, Any]], repeat: int
) -> tuple[float, float]:
    """Best-of-`repeat` (wall, CPU) seconds for one stage over every document.

    CPU time is reported beside wall time because on a shared machine another process's load
    inflates wall time while leaving CPU time nearly unchanged.
    """
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for d in docs:
            run(d)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "litkit-bench"
    )
    args = parser.parse_args()
    docs = stage_inputs(corpus(args.workdir, args.docs))
    sentences = sum(len(d["texts"]) for d in docs)
    functions = stage_functions()
    totals = [0.0, 0.0]
    count = len(docs)
    print(f"{count} documents, {sentences} sentences ({sentences / count:.1f}/doc)")
    print(f"{'stage':12s} {'wall ms/doc':>12s} {'cpu ms/doc':>11s}")
    for name in STAGES:
        wall, cpu = time_stage(functions[name], docs, args.repeat)
        totals[0] += wall
        totals[1] += cpu
        print(f"{name:12s} {1000 * wall / count:12.3f} {1000 * cpu / count:11.3f}")
    wall, cpu = totals
    print(f"{'sum':12s} {1000 * wall / count:12.3f} {1000 * cpu / count:11.3f}")
    wall, cpu = time_stage(whole_pipeline(), docs, args.repeat)
    print(f"{'interleaved':12s} {1000 * wall / count:12.3f} {1000 * cpu / count:11.3f}")
    print(f"one core, interleaved: {sentences / wall:,.0f} sentences/s wall")


if __name__ == "__main__":
    main()
