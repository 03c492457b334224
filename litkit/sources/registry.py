"""The source registries: media type -> reader, scheme -> handler, extension -> media type.

They are plain dicts the readers and the resolver consult, filled on first use from the plugin
hooks (`litkit.plugins`): the built-ins in `litkit.sources.builtin` and those of any installed
plugin. Filling is lazy, not done at import, because a plugin module may itself import
`litkit.sources`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litkit.errors import SourceError
    from litkit.models import ParsedText, RawSource

Reader = Callable[["RawSource"], "list[ParsedText | SourceError]"]
# A handler takes the locator and an optional `options=` keyword (an `http.FetchOptions`).
SchemeHandler = Callable[..., Iterator["RawSource | SourceError"]]

READERS: dict[str, Reader] = {}
SCHEMES: dict[str, SchemeHandler] = {}
# Extension -> media type. A hint only: read() still sniffs the bytes.
MEDIA_TYPES_BY_EXTENSION: dict[str, str] = {}

_loaded = False


def ensure_loaded() -> None:
    """Fill the registries once from the plugin hooks.

    Built-ins come first and installed plugins after, a later registration of a key replacing
    an earlier one, so a plugin overrides a built-in reader or scheme.
    """
    global _loaded
    if _loaded:
        return
    _loaded = True
    from litkit.plugins import collect

    for (media_type, reader), options in collect("register_readers"):
        READERS[media_type.lower()] = reader
        for extension in options.get("extensions", ()):
            MEDIA_TYPES_BY_EXTENSION[extension.lower()] = media_type.lower()
    for (scheme, handler), _ in collect("register_schemes"):
        SCHEMES[scheme.lower()] = handler
