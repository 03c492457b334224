"""Datasette plugin loaded by `litkit browse` (`--plugins-dir`): litkit's full-text search as
a SQL function, so the canned query `search_sentences` finds French, English and Chinese
words the way `litkit query` does (accents ignored, Chinese words of any length).

FTS5 syntax typed into a browser box would be an error, and Chinese is indexed character by
character (`litkit.search`): `litkit_match(:q)` turns the user's words into a safe MATCH
expression, and into one that matches nothing when there is nothing to search for.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

NOTHING = 'words : "x" NOT words : "x"'  # a MATCH expression no sentence satisfies


def litkit_match(text: Any) -> str:
    """The MATCH expression of a user's search words (`litkit.search.match_expression`)."""
    from litkit.errors import QueryError
    from litkit.search import match_expression

    try:
        return match_expression(str(text or ""))
    except QueryError:
        return NOTHING


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("litkit_match", 1, litkit_match, deterministic=True)
