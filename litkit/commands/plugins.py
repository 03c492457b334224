"""`litkit plugins`: which plugins this litkit loaded, to check an installation."""

from __future__ import annotations

import click


@click.command()
def plugins() -> None:
    """List the plugins litkit loaded (built-ins included), one per line."""
    from litkit.plugins import plugin_names

    for name in plugin_names():
        click.echo(name)
