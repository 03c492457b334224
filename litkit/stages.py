"""The declared stage order of litkit's modules: who may import whom.

A module may import modules of its own stage or of an earlier one, never of a later one, so
the pipeline reads top to bottom (a reader never needs the cleaner, the classifier never needs
the database) and a newcomer can tell where a module belongs. `tests/test_architecture.py`
walks every import of the package against this table; a new module must be given a stage
here or that test fails.

Each entry maps a module name (relative to `litkit`) or a package prefix ending in `.` to its
stage (the package itself included); the longest matching entry wins.
"""

from __future__ import annotations

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Facts every stage shares: data classes, errors, the vocabulary, cue and plugin loading.
    (
        "foundation",
        (
            "__init__", "errors", "models", "vocab", "plugins", "display", "mainguard", "cues",
            "signature", "checkpoint", "stages", "scripts", "languages", "limits",
        ),
    ),
    # Boilerplate patterns shared by the readers and the cleaner.
    ("boilerplate", ("boilerplate",)),
    # Where documents come from: locators, fetching, sniffing, one reader per format.
    ("sources", ("sources.",)),
    # Text stages of the pipeline, in pipeline order.
    ("clean", ("clean",)),
    ("segment", ("segment.",)),
    ("langid", ("langid",)),
    ("concepts", ("measures", "inn", "lexicon.", "lexicon_tools", "version")),
    (
        "claims",
        ("assertion", "roles", "sections", "design", "outcomes.", "arms", "classify", "study"),
    ),
    ("pipeline", ("pipeline",)),
    # The database: schema, index, links, the single writer.
    (
        "storage",
        (
            "search", "link.", "xref", "migrations", "rowspill", "plan", "store", "database",
            "citations", "curation",
        ),
    ),
    ("ingest", ("ingest", "reindex", "shards", "evaluate")),
    # Reading the evidence back and rendering it.
    (
        "read",
        (
            "query", "export", "summarize", "summary_markdown", "studies", "stats", "output",
            "browse",
        ),
    ),
    # The command line.
    ("interface", ("commands.", "cli", "__main__")),
)  # fmt: skip

STAGE_NAMES: tuple[str, ...] = tuple(name for name, _ in STAGES)


def stage_of(module: str) -> str | None:
    """The stage of `module` (`litkit.x.y` or `x.y`), or None when it is not declared."""
    name = module.removeprefix("litkit.").removeprefix("litkit")
    name = name or "__init__"
    best: tuple[int, str] | None = None
    for stage, entries in STAGES:
        for entry in entries:
            package = entry.endswith(".")
            matches = name == entry.rstrip(".") or (package and name.startswith(entry))
            if matches and (best is None or len(entry) > best[0]):
                best = (len(entry), stage)
    return best[1] if best else None
