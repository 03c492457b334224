"""Every ingest process and worker pays its imports: libraries that only some inputs need are
imported when such an input is first read (issue 14), not when litkit starts.

Each case runs a fresh interpreter (this test process has imported everything already).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LAZY = ("bs4", "soupsieve", "httpx", "trafilatura")

_SCRIPT = """
import sys
from click.testing import CliRunner
from litkit.cli import cli
result = CliRunner().invoke(cli, ["--db", sys.argv[1], "ingest", *sys.argv[2:]])
assert result.exit_code == 0, result.output
print(",".join(sorted(m for m in {lazy} if m in sys.modules)))
"""


def _imported(tmp_path: Path, files: dict[str, str]) -> set[str]:
    """The lazy libraries imported by a fresh `litkit ingest` of these files (name: content)."""
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    script = _SCRIPT.format(lazy=repr(LAZY))
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "t.db"), *(str(tmp_path / n) for n in files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(filter(None, proc.stdout.strip().split(",")))


TEXT_FILES = {
    "en.txt": "Methotrexate improved the pain of patients with chronic osteomyelitis.",
    "fr.md": "# Résultats\n\nLe méthotrexate a amélioré la douleur des patients.",
    "zh.txt": "甲氨蝶呤改善了慢性骨髓炎患者的疼痛。",
}


def test_text_ingest_imports_no_html_or_http_library(tmp_path: Path) -> None:
    # one fresh interpreter for every text kind (each start costs seconds of model loading)
    assert _imported(tmp_path, TEXT_FILES) == set()


def test_html_ingest_imports_the_html_reader_on_first_page(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Essai</title></head><body><article><p>Le méthotrexate a amélioré "
        "la douleur des patients atteints d’ostéomyélite chronique.</p></article></body></html>"
    )
    assert {"bs4", "soupsieve"} <= _imported(tmp_path, {"page.html": page})
