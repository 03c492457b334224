"""How fast `litkit ingest --jobs N` can go on this machine, and what bounds it (issue 6).

Why: end-to-end figures (ingest_throughput.py) say how fast ingest is, not why it stops
there. This script measures the two parts the end-to-end speed is made of, on the same
generated corpus, and puts them together:

1. **pool**: the worker processes computing write plans, with a main process that only drains
   them (no database at all): the ingest's speed if the single writer cost nothing.
2. **writer**: the single writer (`litkit.ingest.store_results`) storing the same plans into a
   fresh database, timed alone and beside a process that keeps another core busy with the
   pipeline, alternately. Its CPU per document can be higher beside the load: on this 2-vCPU
   VM the pipeline runs 1.3-1.5x slower and the writer 1.0-1.3x when both cores are busy (a
   register-bound loop does not slow down), and end to end both cores are always busy.

Model: end to end, every process shares the cores and keeps them busy, so

    ms per document >= (pool CPU + writer CPU beside the load) / cores

The pool's CPU (workers and the draining main process) is measured with the cores busy too.
The script prints the predicted bound, and the writer's budget: the CPU per document, beside
the load, under which the writer would let the ingest reach the target.

    python benchmarks/ingest_ceiling.py [--docs 1000] [--jobs 2] [--target 5000] [--workdir DIR]

The pool's figure includes the workers' start-up (~0.6 s each), which weighs at 1k documents
and not at 10k. Figures vary with the machine's speed (see benchmarks/README.md); run it
twice.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_throughput import corpus
from writer_cost import plans_for

from litkit.ingest import _process_sources, process_source, store_results
from litkit.lexicon import default_lexicon
from litkit.sources import resolve
from litkit.store import WritePlan, open_db

LOAD_WARMUP_S = 2.0


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process (RUSAGE_SELF) or its reaped children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure_pool(folder: Path, jobs: int) -> dict:
    """Worker processes planning every document; the main process only counts the plans."""
    sources = resolve([str(folder)], recursive=True)
    main_cpu = cpu_seconds(resource.RUSAGE_SELF)
    children_cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    docs = sentences = 0
    for item in _process_sources(sources, jobs, (), plans=True):
        if isinstance(item, WritePlan):
            docs += 1
            sentences += len(item.content[0].values)
    wall = time.perf_counter() - start
    main_cpu = cpu_seconds(resource.RUSAGE_SELF) - main_cpu
    workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - children_cpu  # the pool is shut down
    return {
        "part": "pool (no writer)",
        "jobs": jobs,
        "docs": docs,
        "sentences_per_s": round(sentences / wall),
        "ms_per_doc": round(1000 * wall / docs, 2),
        "workers_cpu_ms_per_doc": round(1000 * workers_cpu / docs, 2),
        "main_cpu_ms_per_doc": round(1000 * main_cpu / docs, 2),
        "sentences_per_doc": round(sentences / docs, 2),
    }


def _write_all(folder: Path, workdir: Path) -> tuple[int, float]:
    """Store the corpus's plans into a fresh database: (documents written, CPU seconds)."""
    plans = plans_for(folder)
    db_path = workdir / "ceiling-writer.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = open_db(db_path)
    cpu = time.process_time()  # the whole process: the checkpointer thread too
    written = sum(1 for outcome in store_results(db, plans) if outcome.status == "ingested")
    cpu = time.process_time() - cpu
    db.conn.close()
    return written, cpu


def _keep_busy(folder: str, stop: Any) -> None:
    """The load: run the pipeline over the corpus until told to stop."""
    lexicon = default_lexicon()
    for raw in itertools.cycle(list(resolve([folder], recursive=True))):
        if stop.is_set():
            return
        process_source(raw, lexicon)


def measure_writer(folder: Path, workdir: Path, rounds: int) -> dict:
    """The writer's CPU per document alone and beside the load, alternated `rounds` times
    (medians), so a change in the machine's speed hits both sides."""
    context = multiprocessing.get_context("spawn")
    alone: list[float] = []
    loaded: list[float] = []
    for _ in range(rounds):
        written, cpu = _write_all(folder, workdir)
        alone.append(cpu / written)
        stop = context.Event()
        load = context.Process(target=_keep_busy, args=(str(folder), stop))
        load.start()
        time.sleep(LOAD_WARMUP_S)  # the load's imports and lexicon, before the timing
        written, cpu = _write_all(folder, workdir)
        loaded.append(cpu / written)
        stop.set()
        load.join()
    alone_ms, loaded_ms = 1000 * statistics.median(alone), 1000 * statistics.median(loaded)
    return {
        "part": "writer",
        "docs": written,
        "cpu_ms_per_doc_alone": round(alone_ms, 2),
        "cpu_ms_per_doc_beside_load": round(loaded_ms, 2),
        "slowdown_beside_load": round(loaded_ms / alone_ms, 2),
    }


def ceiling(pool: dict, writer: dict, cores: int, target: float) -> dict:
    """The model's end-to-end bound and the writer's budget for `target` sentences/s."""
    pool_cpu = pool["workers_cpu_ms_per_doc"] + pool["main_cpu_ms_per_doc"]
    writer_cpu = writer["cpu_ms_per_doc_beside_load"]
    ms_per_doc = (pool_cpu + writer_cpu) / cores
    target_ms = 1000 * pool["sentences_per_doc"] / target
    return {
        "part": "model",
        "predicted_ms_per_doc": round(ms_per_doc, 2),
        "predicted_sentences_per_s": round(1000 * pool["sentences_per_doc"] / ms_per_doc),
        "target_sentences_per_s": target,
        "target_ms_per_doc": round(target_ms, 2),
        "writer_budget_cpu_ms_per_doc": round(cores * target_ms - pool_cpu, 2),
        "writer_cpu_ms_per_doc": writer_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--target", type=float, default=5000.0, help="Sentences per second.")
    parser.add_argument("--rounds", type=int, default=3, help="Writer runs alone and loaded.")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.gettempdir()) / "litkit-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    folder = corpus(workdir, args.docs)
    pool = measure_pool(folder, args.jobs)
    writer = measure_writer(folder, workdir, args.rounds)
    for result in (pool, writer, ceiling(pool, writer, args.cores, args.target)):
        print(json.dumps(result))


if __name__ == "__main__":
    main()
