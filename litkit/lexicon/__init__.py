"""The multilingual concept lexicon and the mention matcher built from it.

The package: `concepts` (the model), `fold` (folding and tokens), `files` (reading, validating
and merging lexicon files), `matcher` (the Lexicon and its mention rules).

One concept (a drug, a drug class, a test, a site, a disease, a finding, an outcome) has one id
whatever the language it is written in, so that claims found in French, English and Chinese
articles can be cross-referenced. The concepts are data (`litkit/resources/lexicon/*.json`,
described by `schemas/lexicon.schema.json`); users extend them with files of the same shape.

Matching works on tokens rather than characters so that it is fast and respects word
boundaries: the text is folded (lowercase, accents stripped, apostrophes/hyphens unified) by a
*length-preserving* character map, so a token's offsets in the folded text are its offsets in
the original. Latin words are whole tokens (their plural `s`/`x` dropped), numbers and Greek
letters are tokens of their own, and every CJK character is a token, which gives substring
matching for Chinese and word matching for French and English with one trie walk.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from litkit.lexicon.concepts import CATEGORIES, KINDS, TREATMENT_CATEGORIES, Concept, Term
from litkit.lexicon.files import check_file
from litkit.lexicon.fold import fold, term_keys
from litkit.lexicon.matcher import Lexicon, treatment_names

__all__ = [
    "CATEGORIES",
    "KINDS",
    "TREATMENT_CATEGORIES",
    "Concept",
    "Lexicon",
    "Term",
    "check_file",
    "default_lexicon",
    "fold",
    "load_lexicon",
    "term_keys",
    "treatment_names",
]


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, compiled once per process."""
    return Lexicon.load()


def load_lexicon(paths: Sequence[str]) -> Lexicon:
    """The default lexicon, or the default merged with the user's files (`--lexicon`), which
    is registered with the version of those files (`litkit.version`, for `litkit reindex`)."""
    if not paths:
        return default_lexicon()
    from litkit.version import register

    return register(Lexicon.load([Path(p) for p in paths]), paths)
