"""litkit.export on its own: which sentences a filter keeps, the record fields, the order.

The golden-file tests (test_export_review.py) check whole exports of the demo corpus; these
check the filter and record logic on small documents written for each case.
"""

from __future__ import annotations

from litkit.export import (
    SQLITE_MAX_PARAMS,
    ExportFilter,
    export_records,
    outcomes_text,
    records_for_segments,
)
from litkit.store import write_document

from .conftest import claim_document

MTX = [("D008727", "methotrexate", "treatment")]
PAIN = [("D010146", "pain", "finding")]


def _corpus(db):
    first = claim_document(
        "a.txt",
        [
            ("Methotrexate was given weekly.", "en", ("treatment",), None, MTX),
            ("Pain improved on methotrexate.", "en", ("outcome",), "improved", MTX + PAIN),
            ("The clinic is in Lyon.", "en", (), None, []),
        ],
    )
    second = claim_document(
        "b.txt",
        [("La douleur n'a pas diminué.", "fr", ("outcome",), "not_improved", PAIN)],
    )
    for document in (first, second):
        write_document(db, document)
    return first, second


def test_claims_only_unless_all_and_in_document_then_sentence_order(db) -> None:
    first, _ = _corpus(db)
    claims = list(export_records(db))
    assert [r["text"] for r in claims if r["doc_id"] == first.id] == [
        "Methotrexate was given weekly.",
        "Pain improved on methotrexate.",
    ]
    everything = list(export_records(db, ExportFilter(all_segments=True)))
    assert len(everything) == len(claims) + 1
    assert "The clinic is in Lyon." in {r["text"] for r in everything}


def test_type_concept_and_direction_filters(db) -> None:
    _corpus(db)
    outcomes = list(export_records(db, ExportFilter(types=("outcome",))))
    assert {r["text"] for r in outcomes} == {
        "Pain improved on methotrexate.",
        "La douleur n'a pas diminué.",
    }
    about_mtx = list(export_records(db, ExportFilter(concept_ids=("D008727",))))
    assert all("D008727" in r["concept_ids"] for r in about_mtx) and len(about_mtx) == 2
    improved = list(export_records(db, ExportFilter(direction="improved")))
    assert [r["text"] for r in improved] == ["Pain improved on methotrexate."]
    not_for_mtx = ExportFilter(direction="not_improved", pair_treatments=("D008727",))
    assert list(export_records(db, not_for_mtx)) == []


def test_outcome_pairs_in_records_and_in_one_cell(db) -> None:
    first, _ = _corpus(db)
    [record] = records_for_segments(db, [first.segments[1].id])
    assert [(p["concept_id"], p["direction"]) for p in record["outcomes"]] == [
        ("D008727", "improved")
    ]
    assert outcomes_text(record["outcomes"]) == f"{record['outcomes'][0]['treatment']}: improved"
    assert outcomes_text([{"treatment": "", "direction": "uncertain"}]) == "(none): uncertain"


def test_more_ids_than_one_sql_statement_takes(db) -> None:
    """Ids are read in batches below SQLite's parameter limit, and the order is kept."""
    sentences = [
        (f"Pain improved in patient {i} on methotrexate.", "en", ("outcome",), "improved", MTX)
        for i in range(SQLITE_MAX_PARAMS + 20)
    ]
    document = claim_document("many.txt", sentences)
    write_document(db, document)
    wanted = [s.id for s in reversed(document.segments)]
    records = records_for_segments(db, wanted)
    assert [r["id"] for r in records] == wanted
