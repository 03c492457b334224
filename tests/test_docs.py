"""The README stays true: every command is documented and its Python example runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from litkit.cli import cli

from .conftest import CORPORA, REPO

README = (REPO / "README.md").read_text("utf-8")


def command_paths(group: click.Group, prefix: str = "litkit") -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        paths.append(path)
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
    return paths


@pytest.mark.parametrize("path", command_paths(cli))
def test_every_command_is_in_the_readme_and_has_help(path):
    words = path.split()
    documented = " ".join(words[:2]) if words[1] == "lexicon" else path
    assert f"`{documented}" in README or f"/ `{words[-1]}" in README, path
    command = cli
    for word in words[1:]:
        command = command.commands[word]
    assert command.help, f"{path} has no help text"


def test_quick_start_is_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def _python_example() -> str:
    return re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S).group(1)


def _run_script(folder: Path, source: str) -> subprocess.CompletedProcess:
    """A script run by Python in a folder holding a copy of the demo corpus, as a user would."""
    shutil.copytree(CORPORA, folder / "corpora")
    script = folder / "example.py"
    script.write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)], cwd=folder, capture_output=True, text=True, timeout=300
    )


def test_python_api_example_runs_exactly_as_printed(tmp_path):
    result = _run_script(tmp_path, _python_example())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    ingested = [line for line in lines if line.startswith("ingested ")]
    assert len(ingested) == len(list((CORPORA / "cno").iterdir()))
    assert not [line for line in lines if line.startswith("failed ")]
    assert len(lines) > len(ingested) + 2  # claims exported and found by the query
    assert (tmp_path / "review.db").exists()


def test_workers_from_a_script_without_main_guard_are_one_clear_error(tmp_path):
    unguarded = (
        "from litkit.ingest import IngestOptions, ingest\n"
        "from litkit.store import open_db\n"
        'db = open_db("review.db")\n'
        'for outcome in ingest(db, ["corpora/cno"], IngestOptions(jobs=2)):\n'
        "    print(outcome.status, outcome.locator)\n"
    )
    result = _run_script(tmp_path, unguarded)
    assert result.returncode != 0
    assert 'has no `if __name__ == "__main__":` guard' in result.stderr
    assert "example.py" in result.stderr
    assert "ingested" not in result.stdout


def test_readme_says_how_to_run_litkit_from_the_venv():
    quick = README.split("## Quick start", 1)[1].split("## Command-line", 1)[0]
    assert ".venv/bin/litkit" in quick and "source .venv/bin/activate" in quick


def test_readme_lexicon_example_is_a_valid_file(tmp_path):
    from click.testing import CliRunner

    section = README.split("## Your own lexicon", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "mine.json"
    path.write_text(example, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lexicon", "check", str(path)])
    assert result.exit_code == 0, result.output
