"""The README stays true: every command is documented and its Python example runs."""

from __future__ import annotations

import re

import click
import pytest

from litkit.cli import cli

from .conftest import REPO

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


def test_python_api_example_runs(tmp_path, monkeypatch):
    example = re.search(r"## Python API\n\n```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(REPO)
    example = example.replace('"review.db"', repr(str(tmp_path / "review.db")))
    exec(compile(example, "README.md", "exec"), {})
