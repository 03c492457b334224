"""Outcome pairs through the CLI and the links: `--direction`, `explain`, conflicts a reviewer
can trust (never from an uncertain result, a recommendation, an aim or a reference line)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from litkit.link import stance_of, stance_relation
from litkit.store import open_db, write_document
from litkit.vocab import DIRECTIONS
from litkit.xref import CrossReferences

from .conftest import claim_document
from .evidence_helpers import build_demo_db, run

CORTICO = ("D000305", "corticosteroids", "drug_class")
PREDNISOLONE = ("D011239", "prednisolone", "treatment")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("direction"))


def all_links(db) -> list[tuple[str, str, str]]:
    """(claim, kind, other claim) of every link, stored or computed at read time."""
    refs = CrossReferences(db)
    found = [tuple(row) for row in db.execute("SELECT segment_id, kind, other_id FROM links")]
    for claim, doc_id, profile in db.execute(
        "SELECT id, doc_id, profile FROM segments WHERE profile IS NOT NULL"
    ).fetchall():
        links, _ = refs.links(doc_id, profile, limit=10_000)
        found += [(claim, link["kind"], link["claim_id"]) for link in links]
    return found


def records(db, *args):
    result = run(db, *args, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_query_treatment_and_direction_means_that_pair_with_narrower_drugs(demo_db):
    found = records(demo_db, "query", "--treatment", "corticosteroids", "--direction", "improved")
    drugs = {p["treatment"] for r in found for p in r["outcomes"] if p["direction"] == "improved"}
    assert {"methylprednisolone", "prednisolone"} <= drugs
    narrower = {"corticosteroids", "methylprednisolone", "prednisolone"}
    for record in found:
        assert any(
            p["direction"] == "improved" and p["treatment"] in narrower for p in record["outcomes"]
        ), record["text"]


def test_direction_alone_filters_on_any_pair(demo_db):
    found = records(demo_db, "query", "--direction", "not_improved", "--limit", "100")
    assert found
    assert all(any(p["direction"] == "not_improved" for p in r["outcomes"]) for r in found)


def test_export_direction_with_treatment_gives_the_query_claims(demo_db):
    args = ("--treatment", "corticosteroids", "--direction", "improved")
    exported = records(demo_db, "export", *args)
    queried = records(demo_db, "query", *args, "--limit", "1000")
    assert exported and {r["id"] for r in exported} == {r["id"] for r in queried}


def test_direction_choices_are_the_vocabulary_and_a_bad_one_is_one_error_line(demo_db):
    result = run(demo_db, "query", "--direction", "better")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for direction in DIRECTIONS:
        assert direction in result.output


def test_explain_shows_each_pair_with_the_cues_that_decided_it(demo_db):
    found = records(demo_db, "query", "--treatment", "corticosteroids", "--direction", "improved")
    result = run(demo_db, "explain", found[0]["id"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["outcomes"]
    for pair in shown["outcomes"]:
        assert set(pair) == {"treatment", "concept_id", "direction", "cues"}
        assert pair["cues"] and all(c.startswith("outcome:") for c in pair["cues"])


def test_no_demo_conflict_joins_a_recommendation_an_aim_or_a_non_claim_role(demo_db):
    db = open_db(demo_db)
    rows = {
        sid: (json.loads(outcomes), role)
        for sid, outcomes, role in db.execute("SELECT id, outcomes, role FROM segments")
    }
    links = all_links(db)
    for one, other in [(a, b) for a, kind, b in links if kind == "conflicts"]:
        for sid in (one, other):
            pairs, role = rows[sid]
            assert role in ("body", "caption")
            confident = [p for p in pairs if p["direction"] != "uncertain" and p["treatment"]]
            assert any(not any(":within:" in c for c in p["cues"]) for p in confident)
    # The recommendation for NSAID non-responders is true of its patients but links nothing.
    inside = [sid for sid, (pairs, _) in rows.items() if any(
        ":within:" in c for p in pairs for c in p["cues"]
    )]  # fmt: skip
    assert inside
    linked = [a for a, kind, _ in links if kind in ("agrees", "conflicts") and a in inside]
    assert linked == []


def test_export_names_the_treatment_and_both_sources_of_every_conflict(tmp_path):
    db = open_db(tmp_path / "c.db")
    good = claim_document(
        "a.txt",
        [("Prednisolone led to remission.", "en", ("outcome",), "improved", [PREDNISOLONE])],
    )
    bad = claim_document(
        "b.txt", [("Les corticoïdes ont échoué.", "fr", ("outcome",), "not_improved", [CORTICO])]
    )
    write_document(db, good)
    write_document(db, bad)
    db.close()
    found = records(tmp_path / "c.db", "export")
    conflicts = [link for r in found for link in r["links"] if link["kind"] == "conflicts"]
    assert len(conflicts) == 2
    for link in conflicts:
        assert link["treatment"] == "corticosteroids" and link["concept_id"] == "D000305"
        assert {link["source"], link["other_source"]} == {"a.txt", "b.txt"}


def _with_role(doc, role):
    segments = tuple(dataclasses.replace(s, role=role) for s in doc.segments)
    return dataclasses.replace(doc, segments=segments)


@pytest.mark.parametrize(
    ("role", "direction", "linked"),
    [("body", "not_improved", True), ("caption", "worsened", True),
     ("reference", "not_improved", False), ("title", "not_improved", False),
     ("body", "uncertain", False)],
    ids=["body", "caption-harm", "reference", "title", "uncertain"],
)  # fmt: skip
def test_conflicts_only_between_confident_opposite_claim_text(tmp_path, role, direction, linked):
    db = open_db(tmp_path / "r.db")
    good = claim_document(
        "a.txt",
        [("Prednisolone led to remission.", "en", ("outcome",), "improved", [PREDNISOLONE])],
    )
    other = claim_document(
        "b.txt", [("Prednisolone: a failure.", "en", ("outcome",), direction, [PREDNISOLONE])]
    )
    write_document(db, good)
    write_document(db, _with_role(other, role))
    kinds = {kind for _, kind, _ in all_links(db)}
    assert ("conflicts" in kinds) is linked
    assert "agrees" not in kinds


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [([("D1", "improved")], [("D1", "improved")], ("agrees", "D1")),
     ([("D1", "improved")], [("D1", "worsened")], ("conflicts", "D1")),
     ([("D1", "not_improved")], [("D1", "worsened")], None),
     ([("D1", "improved")], [("D2", "not_improved")], None),
     ([("D1", "improved")], [("", "not_improved")], None),
     ([("D1", "no_difference")], [("D1", "improved")], None)],
    ids=["agree", "harm-conflicts", "both-bad", "other-drug", "no-drug", "no-difference"],
)  # fmt: skip
def test_stance_relation(one, other, expected):
    def stance(pairs):
        return stance_of(["outcome"], [(t, d, ()) for t, d in pairs], "body")

    assert stance_relation(stance(one), stance(other)) == expected


def test_a_pair_inside_a_recommendation_gives_no_stance():
    cues = ("outcome:en:refractory_to:not responding to", "outcome:en:within:recommend")
    assert stance_of(["outcome"], [("D1", "not_improved", cues)], "body") is None


def test_summarize_by_treatment_counts_pair_directions(demo_db):
    result = run(demo_db, "summarize", "--by", "treatment", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["treatment"]: r for r in json.loads(result.stdout)}
    cortico = rows["corticosteroids"]
    assert all(isinstance(cortico[d], int) for d in DIRECTIONS)
    assert cortico["improved"] >= rows["methylprednisolone"]["improved"] >= 1
