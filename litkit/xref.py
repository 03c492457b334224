"""Cross-references between claims of different documents, answered at read time.

`same_concept` (claims of other documents about the same treatment or test), `agrees` and
`conflicts` (outcome claims of other documents whose confident pairs about the same treatment
say the same direction, or opposite ones; `litkit.link.stance_relation`) are a pure function of
the stored documents: computed from the claim profiles (`litkit.link.claim_profile`) when a
record is read, complete, with counts, the best ranked first. Written at ingest as capped
pairwise rows, they depended on the order documents came in.

A claim's candidates are the profiles that share one of its treatment/test concepts (or their
ancestors): each is scored once per profile, not once per claim (`same_concept`: Jaccard of the
concepts; `agrees` / `conflicts`: Jaccard of the treatments), and a kind's best claims are the
claims of the best-scored profiles, ties broken by claim id, read from the
`segments(profile, id)` index a few at a time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .link import stance_relation

LINKS_PER_KIND = 5  # the claims of a kind a record lists; the count says how many there are
CLAIM_KINDS = ("agrees", "conflicts", "same_concept")
KINDS = (*CLAIM_KINDS, "translation")
SQL_PARAMS = 500  # ids per IN (...) list


@dataclass(frozen=True)
class Profile:
    """What linking compares of a claim, shared by all claims with the same profile."""

    id: int
    linked: frozenset[str]
    treatments: frozenset[str]
    stance: str | None
    claims: int


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if shared else 0.0


def relations(one: Profile, other: Profile) -> list[tuple[str, float]]:
    """(kind, score) of every kind of link between claims of these two profiles."""
    found = [("same_concept", _jaccard(one.linked, other.linked))]
    if one.stance and other.stance and one.treatments & other.treatments:
        relation = stance_relation(one.stance, other.stance)
        if relation is not None:
            found.append((relation[0], _jaccard(one.treatments, other.treatments)))
    return found


def _chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), SQL_PARAMS):
        yield list(values[start : start + SQL_PARAMS])


class CrossReferences:
    """Cross-references of the claims one read command shows (a query, an export, `explain`).

    Profiles, their related profiles and the first claims of each profile are read once per
    command and shared by all its records. `excluded`: documents a reviewer excluded
    (`litkit.curation`), never reached through another claim."""

    def __init__(self, db: Database, excluded: Iterable[str] = ()) -> None:
        self.db = db
        self.excluded = frozenset(excluded)
        self._profiles: dict[int, Profile] = {}
        # profile -> kind -> [(score, [profile ids])], best score first
        self._related: dict[int, dict[str, list[tuple[float, list[int]]]]] = {}
        self._first: dict[int, list[tuple[str, str]]] = {}  # profile -> first (claim, doc) ids
        self._asked: dict[int, int] = {}  # profile -> how many of its claims were asked for
        self._doc_claims: dict[str, Counter[int]] = {}
        self._excluded_claims: Counter[int] | None = None

    # -- reading profiles ----------------------------------------------------------------------

    def profiles(self, ids: Iterable[int]) -> dict[int, Profile]:
        """Profiles by id (read once)."""
        wanted = sorted(set(ids))
        missing = [pid for pid in wanted if pid not in self._profiles]
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            for pid, linked, treatments, stance, claims in self.db.execute(
                "SELECT id, linked, treatments, stance, claims FROM claim_profiles"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                self._profiles[pid] = Profile(
                    pid, frozenset(json.loads(linked)), frozenset(json.loads(treatments)),
                    stance, claims,
                )  # fmt: skip
        return {pid: self._profiles[pid] for pid in wanted if pid in self._profiles}

    def related(self, pid: int) -> dict[str, list[tuple[float, list[int]]]]:
        """Kind -> [(score, profiles)] of the profiles related to `pid`, best score first."""
        if pid in self._related:
            return self._related[pid]
        profile = self.profiles([pid]).get(pid)
        found: dict[str, dict[float, list[int]]] = {kind: {} for kind in CLAIM_KINDS}
        if profile is not None:
            concepts = sorted(profile.linked)
            others: set[int] = set()
            for chunk in _chunks(concepts):
                marks = ",".join("?" * len(chunk))
                others.update(
                    row[0]
                    for row in self.db.execute(
                        f"SELECT profile_id FROM profile_concepts WHERE concept_id IN ({marks})",
                        chunk,
                    )
                )
            for other in self.profiles(others).values():
                for kind, score in relations(profile, other):
                    found[kind].setdefault(round(score, 4), []).append(other.id)
        self._related[pid] = {
            kind: sorted(((score, sorted(ids)) for score, ids in by_score.items()), reverse=True)
            for kind, by_score in found.items()
        }
        return self._related[pid]

    def _claims_of_document(self, doc_id: str) -> Counter[int]:
        """Profile -> claims of this document with it (they are never linked to each other)."""
        if doc_id not in self._doc_claims:
            self._doc_claims[doc_id] = Counter(
                dict(
                    self.db.execute(
                        "SELECT profile, count(*) FROM segments"
                        " WHERE doc_id = ? AND profile IS NOT NULL GROUP BY profile",
                        [doc_id],
                    ).fetchall()
                )
            )
        return self._doc_claims[doc_id]

    def _claims_excluded(self) -> Counter[int]:
        """Profile -> claims of excluded documents with it."""
        if self._excluded_claims is None:
            self._excluded_claims = Counter()
            for doc_id in sorted(self.excluded):
                self._excluded_claims.update(self._claims_of_document(doc_id))
        return self._excluded_claims

    def _first_claims(self, pid: int, count: int) -> list[tuple[str, str]]:
        """The first `count` (claim id, doc id) of a profile, in claim-id order."""
        known = self._first.get(pid, [])
        if self._asked.get(pid, 0) < count:
            known = self.db.execute(
                "SELECT id, doc_id FROM segments WHERE profile = ? ORDER BY id LIMIT ?",
                [pid, count],
            ).fetchall()
            self._first[pid] = known
            self._asked[pid] = count
        return known[:count]

    # -- a claim's links ---------------------------------------------------------------------

    def links(
        self, doc_id: str, profile: int | None, limit: int = LINKS_PER_KIND
    ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """The best `limit` links of each kind of a claim of `doc_id` with this profile
        (`{kind, claim_id, score}`, best score first, then claim id) and the number of
        claims of each kind."""
        counts = dict.fromkeys(CLAIM_KINDS, 0)
        if profile is None:
            return [], counts
        own = self._claims_of_document(doc_id)
        skipped = self._claims_excluded() if self.excluded else Counter()
        found: list[dict[str, Any]] = []
        for kind, groups in self.related(profile).items():
            for score, pids in groups:
                members = self.profiles(pids)
                counts[kind] += sum(
                    members[p].claims - own[p] - skipped[p] for p in pids if p in members
                )
                taken = sum(1 for link in found if link["kind"] == kind)
                if taken >= limit:
                    continue
                candidates: list[str] = []
                for pid in pids:
                    need = limit + own[pid] + skipped[pid]
                    candidates += [
                        claim
                        for claim, other_doc in self._first_claims(pid, need)
                        if other_doc != doc_id and other_doc not in self.excluded
                    ]
                found += [
                    {"kind": kind, "claim_id": claim, "score": score}
                    for claim in sorted(candidates)[: limit - taken]
                ]
        return found, counts


def claim_links(db: Database, segment_id: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """A stored claim's `same_concept`, `agrees` and `conflicts` links and counts."""
    row = db.execute("SELECT doc_id, profile FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        return [], dict.fromkeys(CLAIM_KINDS, 0)
    return CrossReferences(db).links(row[0], row[1])
