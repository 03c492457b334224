"""litkit: French, English and Chinese medical articles into a cross-referenced evidence base.

The public API: `open_db` to open a database, `ingest` to add sources to it, `export_records`
to read claims back. Everything else is a stage module (see DESIGN in the README).
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"  # the only place: pyproject.toml reads it (tool.setuptools.dynamic)

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
