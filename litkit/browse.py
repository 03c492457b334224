"""Open the database in Datasette, labelled and faceted for evidence review.

Datasette is an optional extra (`pip install 'litkit[browse]'`): it is a web application with
its own dependencies that most users of the command line never need. The metadata (labels,
facets, canned queries) is package data, keyed at run time by the database's name.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import LitkitError

TEMPLATE_DATABASE = "litkit"
STOP_GRACE_S = 10.0  # seconds Datasette gets to stop before it is killed


def metadata_for(db_path: str | Path) -> dict[str, Any]:
    """The Datasette metadata with its database section renamed after this database file."""
    text = (
        resources.files("litkit").joinpath("resources/datasette/metadata.json").read_text("utf-8")
    )
    name = Path(db_path).stem
    # Links in the descriptions name the database as Datasette serves it (the file's stem).
    metadata = json.loads(text.replace("/{database}/", f"/{quote(name)}/"))
    databases = metadata["databases"]
    databases[name] = databases.pop(TEMPLATE_DATABASE)
    return metadata


def plugins_dir() -> Path:
    """The folder of litkit's Datasette plugin (`litkit_match`, for full-text search)."""
    return Path(str(resources.files("litkit").joinpath("resources/datasette/plugins")))


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
        "--setting", "facet_time_limit_ms", "1000", "--plugins-dir", str(plugins_dir()),
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


class _Terminated(Exception):
    """SIGTERM received: unwind so the server is stopped and the temporary folder removed."""


def _on_sigterm(_signum: int, _frame: Any) -> None:
    raise _Terminated


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on host:port (checked before starting Datasette,
    whose own error is pages of server log)."""
    if port == 0:
        return False
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def _stop(process: subprocess.Popen) -> None:
    """Stop the server: politely, then for good after a grace period."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(
    db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
) -> int:
    """Serve the database until interrupted; returns Datasette's exit status (143 after
    SIGTERM). Ctrl-C or SIGTERM stop the Datasette child and remove the temporary folder, so
    no server is left holding the port."""
    import tempfile

    if port_in_use(host, port):
        raise LitkitError(f"port {port} on {host} is already in use; choose another with --port")
    with tempfile.TemporaryDirectory(prefix="litkit-browse-") as workdir:
        (metadata_path,) = prepare(db_path, workdir)
        argv = datasette_command(
            db_path, metadata_path, host=host, port=port, open_browser=open_browser
        )
        try:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread: leave signals to the caller
            previous = None
        process = subprocess.Popen(argv)
        try:
            return process.wait()
        except KeyboardInterrupt:
            return 0
        except _Terminated:
            return 128 + signal.SIGTERM
        finally:
            _stop(process)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
