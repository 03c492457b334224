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

from .link import pairs_relation, parsed_stance, stance_relation
from .link.sentences import StancePairs

LINKS_PER_KIND = 5  # the claims of a kind a record lists; the count says how many there are
CLAIM_KINDS = ("agrees", "conflicts", "same_concept")
KINDS = (*CLAIM_KINDS, "translation")
SQL_PARAMS = 500  # ids per IN (...) list
SQL_COMPOUND = 200  # SELECTs per UNION ALL statement (SQLite allows 500)


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
    """(kind, score) of every kind of link between claims of these two profiles (the
    definition; `CrossReferences.related` computes the same from counts read in SQL)."""
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
        self._claims: dict[int, int] = {}  # profile -> its claims in every document
        self._sizes: dict[int, int] = {}  # profile -> how many concepts it links
        # profile -> (treatments, parsed stance), for profiles with a stance
        self._stances: dict[int, tuple[frozenset[str], StancePairs]] = {}
        # profile -> kind -> [(score, [profile ids])], best score first
        self._related: dict[int, dict[str, list[tuple[float, list[int]]]]] = {}
        self._first: dict[int, list[tuple[str, str]]] = {}  # profile -> first (claim, doc) ids
        self._asked: dict[int, int] = {}  # profile -> how many of its claims were asked for
        self._doc_claims: dict[str, Counter[int]] = {}
        self._totals: dict[int, dict[str, tuple[int, frozenset[int]]]] = {}
        # (profile, other profile) -> the treatment they agree or conflict about
        self._about: dict[tuple[int, int], str] = {}
        self._profile_of_claim: dict[str, int] = {}
        self._excluded_claims: Counter[int] | None = None

    # -- reading profiles ----------------------------------------------------------------------

    def related(self, pid: int) -> dict[str, list[tuple[float, list[int]]]]:
        """Kind -> [(score, profiles)] of the profiles related to `pid`, best score first
        (`relations` of the profile with each profile sharing one of its concepts)."""
        if pid not in self._related:
            self.prefetch([pid])
        return self._related[pid]

    def prefetch(self, pids: Iterable[int]) -> None:
        """Compute the related profiles of all these profiles at once (a read command's
        records), in three statements per chunk instead of three per profile.

        A claim about a drug shares its drug class with a thousand profiles: the concepts
        they share are counted in SQL (`profile_concepts`, joined to each profile's own
        concepts) and their sizes read with `json_array_length`, so only the profiles that may
        agree or conflict (both have a stance) are parsed; parsing every candidate was most of
        a query's time, and one statement per profile most of a direction query's."""
        missing = sorted({pid for pid in pids if pid not in self._related})
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            own = {
                pid: (json.loads(linked), frozenset(json.loads(treatments)), stance, claims)
                for pid, linked, treatments, stance, claims in self.db.execute(
                    "SELECT id, linked, treatments, stance, claims FROM claim_profiles"
                    f" WHERE id IN ({marks})",
                    chunk,
                )
            }
            shared: dict[int, Counter[int]] = {pid: Counter() for pid in own}
            for pid, other, count in self.db.execute(
                "SELECT p.id, c.profile_id, count(*) FROM claim_profiles p, json_each(p.linked) j"
                " JOIN profile_concepts c ON c.concept_id = j.value"
                f" WHERE p.id IN ({marks}) GROUP BY p.id, c.profile_id",
                chunk,
            ):
                shared[pid][other] = count
            self._read_candidates({other for counts in shared.values() for other in counts})
            for pid in chunk:
                self._related[pid] = (
                    self._relate(pid, *own[pid], shared[pid])
                    if pid in own
                    else {kind: [] for kind in CLAIM_KINDS}
                )

    def prefetch_links(
        self, claims: Iterable[tuple[str, int]], limit: int = LINKS_PER_KIND
    ) -> None:
        """Read, in one pass, what `links` will need for these (doc id, profile) claims: their
        related profiles and the first claims of every profile group `links` will reach
        (groups are visited best first until `limit` claims of other, not excluded, documents
        are available). Only what is read changes, never what is found: `links` reads
        anything still missing itself. Why: a direction query's 20 records have 20 different
        profiles, and one statement per profile group was half of its time."""
        wanted_claims = sorted(set(claims))
        self.prefetch(profile for _, profile in wanted_claims)
        skipped = self._claims_excluded() if self.excluded else Counter()
        wanted: dict[int, int] = {}
        for doc_id, profile in wanted_claims:
            own = self._claims_of_document(doc_id)
            for groups in self.related(profile).values():
                available = 0
                for _, pids in groups:
                    if available >= limit:
                        break
                    for other in pids:
                        hidden = own[other] + skipped[other]
                        wanted[other] = max(wanted.get(other, 0), limit + hidden)
                        available += max(0, self._claims[other] - hidden)
        self._first_claims(wanted)

    def _relate(
        self,
        pid: int,
        linked: list[str],
        treatments: frozenset[str],
        stance: str | None,
        claims: int,
        shared: Counter[int],
    ) -> dict[str, list[tuple[float, list[int]]]]:
        """Kind -> [(score, profiles)] of one profile, from the concepts it shares with each
        candidate (`shared`: candidate -> count)."""
        found: dict[str, dict[float, list[int]]] = {kind: {} for kind in CLAIM_KINDS}
        self._claims[pid] = claims
        own_pairs = parsed_stance(stance) if stance else []
        for other in sorted(shared):
            if other not in self._sizes:
                continue
            common = shared[other]
            score = common / (len(linked) + self._sizes[other] - common)
            found["same_concept"].setdefault(round(score, 4), []).append(other)
            if not (own_pairs and other in self._stances):
                continue
            theirs, their_pairs = self._stances[other]
            if not treatments & theirs:
                continue
            relation = pairs_relation(own_pairs, their_pairs)
            if relation is not None:
                score = _jaccard(treatments, theirs)
                found[relation[0]].setdefault(round(score, 4), []).append(other)
                self._about[(pid, other)] = relation[1]
        return {
            kind: sorted(((score, sorted(ids)) for score, ids in by_score.items()), reverse=True)
            for kind, by_score in found.items()
        }

    def _read_candidates(self, ids: Iterable[int]) -> None:
        """Claim counts, concept counts, treatments and stances of profiles not read yet (the
        claims of one query share most of their candidates). SQLite hands them over as one
        JSON array per chunk: one parse instead of two per profile with a stance, which was
        most of the time of a query whose claims name different drugs."""
        missing = sorted(pid for pid in ids if pid not in self._sizes)
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            (rows,) = self.db.execute(
                "SELECT json_group_array(json_array(id, claims, json_array_length(linked),"
                " CASE WHEN stance IS NULL THEN NULL ELSE json(treatments) END, json(stance)))"
                f" FROM claim_profiles WHERE id IN ({marks})",
                chunk,
            ).fetchone()
            for pid, claims, size, treatments, stance in json.loads(rows):
                self._claims[pid] = claims
                self._sizes[pid] = size
                if stance:
                    self._stances[pid] = (
                        frozenset(treatments),
                        [(t, d, frozenset(a)) for t, d, a in stance],
                    )

    def read_documents(self, doc_ids: Iterable[str]) -> None:
        """Read how many claims these documents have per profile, from their rows
        (`documents.profile_counts`, written with them), not from their sentences: a query's
        records come from up to `--limit` documents, and counting their sentences by profile
        was a quarter of a concept query's time. Documents without the column filled are
        counted from their sentences."""
        missing = sorted({doc_id for doc_id in doc_ids if doc_id not in self._doc_claims})
        uncounted = []  # documents stored before `profile_counts` was filled
        for chunk in _chunks(missing):
            marks = ",".join("?" * len(chunk))
            for doc_id, counts in self.db.execute(
                f"SELECT id, profile_counts FROM documents WHERE id IN ({marks})", chunk
            ):
                if counts is None:
                    uncounted.append(doc_id)
                else:
                    self._doc_claims[doc_id] = Counter({p: n for p, n in json.loads(counts)})
        for doc_id in missing:
            self._doc_claims.setdefault(doc_id, Counter())
        for chunk in _chunks(uncounted):
            marks = ",".join("?" * len(chunk))
            for doc_id, pid, count in self.db.execute(
                "SELECT doc_id, profile, count(*) FROM segments"
                f" WHERE doc_id IN ({marks}) AND profile IS NOT NULL GROUP BY doc_id, profile",
                chunk,
            ):
                self._doc_claims[doc_id][pid] = count

    def _claims_of_document(self, doc_id: str) -> Counter[int]:
        """Profile -> claims of this document with it (they are never linked to each other)."""
        if doc_id not in self._doc_claims:
            self.read_documents([doc_id])
        return self._doc_claims[doc_id]

    def _kind_totals(self, pid: int) -> dict[str, tuple[int, frozenset[int]]]:
        """Kind -> (claims of all related profiles, those profiles), of a profile."""
        if pid not in self._totals:
            self._totals[pid] = {
                kind: (
                    sum(self._claims[p] for _, pids in groups for p in pids),
                    frozenset(p for _, pids in groups for p in pids),
                )
                for kind, groups in self.related(pid).items()
            }
        return self._totals[pid]

    def _claims_excluded(self) -> Counter[int]:
        """Profile -> claims of excluded documents with it."""
        if self._excluded_claims is None:
            self._excluded_claims = Counter()
            for doc_id in sorted(self.excluded):
                self._excluded_claims.update(self._claims_of_document(doc_id))
        return self._excluded_claims

    def _first_claims(self, wanted: dict[int, int]) -> dict[int, list[tuple[str, str]]]:
        """Profile -> its first `count` (claim id, doc id), in claim-id order, for each
        (profile, count) wanted: one statement for all the profiles not read far enough
        (a range of `idx_segments_profile` each), not one per profile."""
        missing = sorted(pid for pid, count in wanted.items() if self._asked.get(pid, 0) < count)
        for start in range(0, len(missing), SQL_COMPOUND):
            chunk = missing[start : start + SQL_COMPOUND]
            params: list[Any] = []
            for pid in chunk:
                self._first[pid] = []
                self._asked[pid] = wanted[pid]
                params += [pid, wanted[pid]]
            sql = " UNION ALL ".join(
                ["SELECT * FROM (SELECT profile, id, doc_id FROM segments"
                 " WHERE profile = ? ORDER BY id LIMIT ?)"] * len(chunk)
            )  # fmt: skip
            for pid, claim, doc_id in self.db.execute(sql, params):
                self._first[pid].append((claim, doc_id))
                self._profile_of_claim[claim] = pid
        return {pid: self._first[pid][:count] for pid, count in wanted.items()}

    def treatment_between(self, profile: int, claim_id: str) -> str:
        """The treatment an `agrees` / `conflicts` link of a claim with this profile to
        `claim_id` is about (as `litkit.link.stance_relation` tells it)."""
        return self._about.get((profile, self._profile_of_claim.get(claim_id, 0)), "")

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
        totals = self._kind_totals(profile)
        for kind, groups in self.related(profile).items():
            total, members = totals[kind]
            # The claims of this document and of excluded ones are not links: few profiles.
            counts[kind] = (
                total
                - sum(n for p, n in own.items() if p in members)
                - sum(n for p, n in skipped.items() if p in members)
            )
            taken = 0
            for score, pids in groups:
                if taken >= limit:
                    break
                firsts = self._first_claims({p: limit + own[p] + skipped[p] for p in pids})
                candidates = [
                    claim
                    for pid in pids
                    for claim, other_doc in firsts[pid]
                    if other_doc != doc_id and other_doc not in self.excluded
                ]
                chosen = sorted(candidates)[: limit - taken]
                found += [{"kind": kind, "claim_id": claim, "score": score} for claim in chosen]
                taken += len(chosen)
        return found, counts


def claim_links(db: Database, segment_id: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """A stored claim's `same_concept`, `agrees` and `conflicts` links and counts."""
    row = db.execute("SELECT doc_id, profile FROM segments WHERE id = ?", [segment_id]).fetchone()
    if row is None:
        return [], dict.fromkeys(CLAIM_KINDS, 0)
    return CrossReferences(db).links(row[0], row[1])
