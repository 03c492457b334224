"""The JSON Schemas say exactly what litkit.vocab (and the lexicon's categories) say.

A claim type, direction, role or design added to the vocabulary and not to the schemas (or
the reverse) would make valid exports fail validation, or let invalid ones through.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from litkit.lexicon import CATEGORIES
from litkit.vocab import CLAIM_TYPES, DESIGN_CHOICES, DIRECTIONS, ROLES

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def _at(document: dict[str, Any], pointer: str) -> list[Any]:
    node: Any = document
    for part in pointer.strip("/").split("/"):
        node = node[part]
    return list(node["enum"])


CASES = {
    "segment-types": ("segment", "properties/types/items", list(CLAIM_TYPES)),
    "segment-direction": ("segment", "properties/direction", [*DIRECTIONS, None]),
    "segment-pair-direction": (
        "segment",
        "properties/outcomes/items/properties/direction",
        list(DIRECTIONS),
    ),
    "segment-role": ("segment", "properties/role", list(ROLES)),
    "segment-design": ("segment", "properties/design", [*DESIGN_CHOICES, None]),
    "segment-category": (
        "segment",
        "properties/concepts/items/properties/category",
        list(CATEGORIES),
    ),
    "summary-types": ("summary", "$defs/quote/properties/types/items", list(CLAIM_TYPES)),
    "summary-direction": ("summary", "$defs/quote/properties/direction", [*DIRECTIONS, None]),
    "lexicon-category": ("lexicon", "$defs/concept/properties/category", list(CATEGORIES)),
}


@pytest.mark.parametrize(("schema", "pointer", "expected"), CASES.values(), ids=CASES.keys())
def test_schema_enums_are_the_vocabulary(schema: str, pointer: str, expected: list[Any]) -> None:
    document = json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
    assert _at(document, pointer) == expected


def test_summary_document_directions_extend_the_vocabulary() -> None:
    document = json.loads((SCHEMAS / "summary.schema.json").read_text(encoding="utf-8"))
    pointer = "$defs/document/properties/treatments/items/properties/direction"
    assert _at(document, pointer) == [*DIRECTIONS, "mixed", "no outcome"]
