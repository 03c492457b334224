"""Open the database in Datasette, labelled and faceted for evidence review.

Datasette is an optional extra (`pip install 'litkit[browse]'`): it is a web application with
its own dependencies that most users of the command line never need. The metadata (labels,
facets, canned queries) is package data, keyed at run time by the database's name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import LitkitError

TEMPLATE_DATABASE = "litkit"


def metadata_for(db_path: str | Path) -> dict[str, Any]:
    """The Datasette metadata with its database section renamed after this database file."""
    text = (
        resources.files("litkit").joinpath("resources/datasette/metadata.json").read_text("utf-8")
    )
    metadata = json.loads(text)
    databases = metadata["databases"]
    databases[Path(db_path).stem] = databases.pop(TEMPLATE_DATABASE)
    return metadata


def datasette_available() -> bool:
    """Whether the `browse` extra is installed."""
    try:
        import datasette  # noqa: F401
    except ImportError:
        return False
    return True


def datasette_command(
    db_path: str | Path, metadata_path: str | Path, *, host: str, port: int, open_browser: bool
) -> list[str]:
    """The argv that serves the database (Datasette opens it read-only, WAL included)."""
    argv = [
        sys.executable, "-m", "datasette", "serve", str(db_path),
        "--metadata", str(metadata_path), "--host", host, "--port", str(port),
        "--setting", "facet_time_limit_ms", "1000",
    ]  # fmt: skip
    if open_browser:
        argv.append("--open")
    return argv


def prepare(db_path: str | Path, workdir: str | Path) -> list[str]:
    """Check the extra and the database, write the metadata file; return the command to run."""
    if not datasette_available():
        raise LitkitError("`litkit browse` needs Datasette: pip install 'litkit[browse]'")
    if not Path(db_path).is_file():
        raise LitkitError(f"{db_path}: no such database (run `litkit ingest` first)")
    metadata_path = Path(workdir) / "litkit-datasette-metadata.json"
    metadata_path.write_text(json.dumps(metadata_for(db_path), indent=1), encoding="utf-8")
    return [str(metadata_path)]


def serve(
    db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
) -> int:
    """Serve the database until interrupted; returns Datasette's exit status."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="litkit-browse-") as workdir:
        (metadata_path,) = prepare(db_path, workdir)
        argv = datasette_command(
            db_path, metadata_path, host=host, port=port, open_browser=open_browser
        )
        try:
            return subprocess.call(argv)
        except KeyboardInterrupt:
            return 0
