"""MinHash band keys (litkit.signature): how translation candidates are found in one lookup."""

from __future__ import annotations

import random

from litkit.signature import BANDS, MIN_FEATURES, band_keys

FEATURES = [f"c:{i}" for i in range(40)]


def test_fewer_features_than_the_minimum_give_no_key() -> None:
    assert band_keys(FEATURES[: MIN_FEATURES - 1]) == []
    assert band_keys(["c:1", "c:1", "c:2"]) == []  # distinct features count
    assert len(band_keys(FEATURES[:MIN_FEATURES])) == BANDS


def test_keys_ignore_order_and_repetition_and_fit_sqlite_integers() -> None:
    shuffled = FEATURES[:]
    random.Random(4).shuffle(shuffled)
    keys = band_keys(FEATURES)
    assert band_keys(shuffled + FEATURES[:5]) == keys
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_keys_are_stable_across_runs_and_versions() -> None:
    """Stored keys are looked up by later ingests: the hash family must never change."""
    assert band_keys(["a", "b", "c", "d"]) == [
        -3507227679574688334,
        -5254279940803997381,
        -6618159840732753073,
        1914688533667396358,
        1690002326985918698,
        5311310600699794357,
        6294127163055881684,
        3764985782003737913,
    ]


def test_similar_sets_share_a_key_and_unrelated_sets_do_not() -> None:
    base = set(FEATURES)
    near = (base - {"c:0", "c:1", "c:2"}) | {"x:0", "x:1", "x:2"}  # Jaccard ~0.86
    unrelated = {f"u:{i}" for i in range(40)}
    assert set(band_keys(base)) & set(band_keys(near))
    assert not set(band_keys(base)) & set(band_keys(unrelated))


def test_candidates_follow_jaccard_similarity() -> None:
    """Over many random pairs, high similarity almost always collides, low rarely does."""
    rng = random.Random(7)

    def pair(shared: int, total: int = 30) -> tuple[set[str], set[str]]:
        common = {f"s:{rng.random()}" for _ in range(shared)}
        left = common | {f"l:{rng.random()}" for _ in range(total - shared)}
        right = common | {f"r:{rng.random()}" for _ in range(total - shared)}
        return left, right

    def rate(shared: int) -> float:
        hits = 0
        for _ in range(200):
            left, right = pair(shared)
            hits += bool(set(band_keys(left)) & set(band_keys(right)))
        return hits / 200

    assert rate(27) > 0.95  # J ~ 0.82
    assert rate(3) < 0.1  # J ~ 0.05
