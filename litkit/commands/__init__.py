"""The `litkit` sub-commands kept out of `litkit.cli`, registered through the plugin hook.

`register_commands` is litkit's own implementation of the hook any plugin may implement
(`litkit.plugins`), so built-in and plugin commands join the main group the same way. The
command modules are imported inside the hook, not here, so importing a helper from
`litkit.commands.common` stays cheap.
"""

from __future__ import annotations

from typing import Any

from litkit.plugins import hookimpl


@hookimpl
def register_commands(cli: Any) -> None:
    """query, export, summarize, browse, load, studies, curate and plugins."""
    from litkit.commands.curate import curate
    from litkit.commands.evidence import COMMANDS
    from litkit.commands.plugins import plugins
    from litkit.commands.scale import load
    from litkit.commands.studies import studies

    for command in (*COMMANDS, load, studies, curate, plugins):
        cli.add_command(command)
