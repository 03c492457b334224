"""Every `litkit` sub-command, one module per theme, registered through the plugin hook.

`litkit.cli` holds only the main group (its options and error handling).

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
    """Every built-in command: ingest, reindex, query, export, summarize, studies, curate,
    stats, eval, explain, lexicon, pubmed, migrate, load, browse and plugins."""
    from litkit.commands.curate import curate
    from litkit.commands.database import migrate
    from litkit.commands.evidence import COMMANDS
    from litkit.commands.ingest import ingest, reindex
    from litkit.commands.inspect import eval_command, explain, stats
    from litkit.commands.lexicon import lexicon
    from litkit.commands.plugins import plugins
    from litkit.commands.pubmed import pubmed
    from litkit.commands.scale import load
    from litkit.commands.studies import studies

    for command in (
        ingest,
        reindex,
        *COMMANDS,
        studies,
        curate,
        stats,
        eval_command,
        explain,
        lexicon,
        pubmed,
        migrate,
        load,
        plugins,
    ):
        cli.add_command(command)
