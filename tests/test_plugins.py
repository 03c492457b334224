"""Plugins extend litkit from outside the package: a reader, an output format, a command.

The plugin here is a module written to a temporary folder, installed the way pip would leave
it (a `.dist-info` folder with an `entry_points.txt` in the `litkit` group) or named in
`LITKIT_PLUGINS`, and litkit runs in a fresh process that finds it on `PYTHONPATH`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = textwrap.dedent(
    '''
    """A toy litkit plugin: `.toy` files hold `title|sentence|sentence...`."""
    import json

    import click

    from litkit.models import DocumentMeta, ParsedText
    from litkit.plugins import hookimpl


    def read_toy(raw):
        title, *sentences = raw.data.decode("utf-8").strip().split("|")
        meta = DocumentMeta(title=title)
        return [ParsedText(text=" ".join(sentences), meta=meta, media_type="application/x-toy")]


    def write_lines(records, fp, columns):
        for record in records:
            fp.write("TOY " + json.dumps(record.get("text"), ensure_ascii=False) + "\\n")


    @hookimpl
    def register_readers(register):
        register("application/x-toy", read_toy, extensions=(".toy",))


    @hookimpl
    def register_output_formats(register):
        register("toylines", write_lines)


    @click.command()
    def hello():
        """Say hello from a plugin."""
        click.echo("hello from toyplugin")


    @hookimpl
    def register_commands(cli):
        cli.add_command(hello)
    '''
)


def _install(folder: Path, *, entry_point: bool) -> dict[str, str]:
    """Write the plugin module (and its distribution metadata) and return the environment."""
    (folder / "toyplugin.py").write_text(PLUGIN, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(folder))
    env.pop("LITKIT_PLUGINS", None)
    if entry_point:
        dist = folder / "toyplugin-0.1.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toyplugin\nVersion: 0.1\n")
        (dist / "entry_points.txt").write_text("[litkit]\ntoyplugin = toyplugin\n")
    else:
        env["LITKIT_PLUGINS"] = "toyplugin"
    return env


def _litkit(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "litkit", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("entry_point", [True, False], ids=["entry-point", "env-variable"])
def test_a_plugin_from_outside_adds_a_reader_a_format_and_a_command(
    tmp_path: Path, entry_point: bool
) -> None:
    plugin_dir = tmp_path / "site"
    plugin_dir.mkdir()
    env = _install(plugin_dir, entry_point=entry_point)
    (tmp_path / "trial.toy").write_text(
        "A toy trial|Methotrexate improved the pain in most children.|No adverse event was seen.",
        encoding="utf-8",
    )
    listed = _litkit(env, tmp_path, "plugins")
    assert "toyplugin" in listed.stdout.split()

    ingested = _litkit(env, tmp_path, "--db", "t.db", "ingest", "trial.toy")
    assert ingested.returncode == 0, ingested.stderr
    assert "1 ingested" in ingested.stderr or "ingested" in ingested.stderr

    exported = _litkit(env, tmp_path, "--db", "t.db", "export", "--all", "--format", "toylines")
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.splitlines()
    assert lines and all(line.startswith("TOY ") for line in lines)
    texts = [json.loads(line[4:]) for line in lines]
    assert "Methotrexate improved the pain in most children." in texts

    queried = _litkit(
        env, tmp_path, "--db", "t.db", "query", "methotrexate", "--format", "toylines"
    )
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.startswith("TOY ")

    hello = _litkit(env, tmp_path, "hello")
    assert hello.stdout.strip() == "hello from toyplugin"


def test_without_the_plugin_the_format_and_extension_are_unknown(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("LITKIT_PLUGINS", None)
    (tmp_path / "trial.toy").write_bytes(b"A toy trial|Methotrexate improved the pain.")
    exported = _litkit(env, tmp_path, "--db", "t.db", "export", "--format", "toylines")
    assert exported.returncode == 2 and "toylines" in exported.stderr


def test_built_in_readers_formats_and_commands_come_through_the_hooks() -> None:
    from litkit.output import output_formats
    from litkit.plugins import plugin_names
    from litkit.sources import MEDIA_TYPES_BY_EXTENSION, READERS, SCHEMES, ensure_loaded

    ensure_loaded()
    assert {"litkit.sources.builtin", "litkit.output", "litkit.commands"} <= set(plugin_names())
    assert {"text/html", "application/pdf", "application/x-bibtex"} <= set(READERS)
    assert MEDIA_TYPES_BY_EXTENSION[".nxml"] == "application/xml"
    assert {"http", "https", "pmid", "pmcid"} <= set(SCHEMES)
    assert output_formats()[:6] == ("table", "csv", "tsv", "json", "jsonl", "md")
