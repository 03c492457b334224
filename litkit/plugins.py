"""Plugin hooks: how readers, URL schemes, output formats and commands join litkit.

litkit extends the way llm and datasette do, with pluggy. A plugin is a module with
`@hookimpl` functions; it is found through the `litkit` entry-point group of any installed
distribution (`[project.entry-points.litkit] myplugin = "myplugin"`), or named in the
`LITKIT_PLUGINS` environment variable (comma-separated module names, handy for a plugin that
is a single file on `PYTHONPATH`). The built-in readers, schemes, formats and commands are
registered through the same hooks (`litkit.sources.builtin`, `litkit.output`,
`litkit.commands`), so a plugin can do anything they do, and a plugin registered later wins
over a built-in for the same media type, scheme or format name.

Each hook receives a `register` callable instead of returning values, so one plugin can
register several things and the registries stay plain dicts the rest of litkit reads.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

import pluggy

PROJECT = "litkit"
ENV_PLUGINS = "LITKIT_PLUGINS"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# Built-in plugin modules, registered before any external one, so that an external plugin's
# registration of the same media type, scheme or format replaces the built-in (`collect`).
BUILTIN_PLUGINS = (
    "litkit.sources.builtin",
    "litkit.output",
    "litkit.commands",
)


class LitkitSpecs:
    """The hooks a plugin may implement."""

    @hookspec
    def register_readers(self, register: Callable[..., None]) -> None:
        """Register document readers: `register(media_type, reader, extensions=(".ext",))`.

        `reader(raw: RawSource) -> list[ParsedText | SourceError]`; `extensions` map file
        names to the media type (a hint: the bytes are still sniffed).
        """

    @hookspec
    def register_schemes(self, register: Callable[..., None]) -> None:
        """Register locator schemes: `register(scheme, handler)`.

        `handler(locator, options=None)` yields RawSources or SourceErrors (`pmid:123`,
        `https://...`).
        """

    @hookspec
    def register_output_formats(self, register: Callable[..., None]) -> None:
        """Register text output formats: `register(name, writer, tabular=False)`.

        `writer(records, fp, columns)` writes dict records to a text stream; `tabular`
        formats get the default column selection of `export`.
        """

    @hookspec
    def register_commands(self, cli: Any) -> None:
        """Add Click commands to the `litkit` group: `cli.add_command(command)`."""


_manager: pluggy.PluginManager | None = None


def plugin_manager() -> pluggy.PluginManager:
    """The process-wide manager, built on first use: built-ins, then external plugins."""
    global _manager
    if _manager is None:
        manager = pluggy.PluginManager(PROJECT)
        manager.add_hookspecs(LitkitSpecs)
        for name in BUILTIN_PLUGINS:
            manager.register(importlib.import_module(name), name=name)
        manager.load_setuptools_entrypoints(PROJECT)
        for name in _env_plugin_names():
            if manager.get_plugin(name) is None:
                manager.register(importlib.import_module(name), name=name)
        _manager = manager
    return _manager


def _env_plugin_names() -> list[str]:
    return [n.strip() for n in os.environ.get(ENV_PLUGINS, "").split(",") if n.strip()]


def collect(hook_name: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Call one registration hook; what was registered, in plugin registration order.

    Built-ins come first and external plugins after, each plugin's registrations in the order
    it made them, so a registry that lets a later entry replace an earlier one of the same
    key gives plugins the last word and keeps the built-ins' order for help texts.
    """
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def register(*args: Any, **kwargs: Any) -> None:
        calls.append((args, kwargs))

    call_in_order(hook_name, register=register)
    return calls


def call_in_order(hook_name: str, **kwargs: Any) -> None:
    """Call a hook's implementations in registration order (built-ins first), so that a
    plugin's command replaces a built-in command of the same name, not the reverse."""
    for implementation in getattr(plugin_manager().hook, hook_name).get_hookimpls():
        implementation.function(**kwargs)


def plugin_names() -> list[str]:
    """Names of the registered plugins, built-ins included (for `litkit plugins`)."""
    manager = plugin_manager()
    return sorted(manager.get_name(p) or repr(p) for p in manager.get_plugins())
