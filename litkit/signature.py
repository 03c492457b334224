"""MinHash band keys: find the stored documents that may be translations of a new one in one lookup.

A document and its translation mention the same concepts and carry the same numbers and
acronyms (`litkit.link.anchors`), whatever their languages. Their feature sets therefore have a
high Jaccard similarity, and MinHash with locality-sensitive banding turns that into equal keys:
with `BANDS` bands of `ROWS` hashes, two sets of Jaccard similarity J share at least one key with
probability 1 - (1 - J**ROWS)**BANDS (J = 0.8: 0.997; J = 0.5: 0.66; J = 0.3: 0.19). The writer
stores a document's keys and looks up the documents sharing any of them: one indexed read of a
few rows per key, instead of counting shared concepts over every concept of the document.

Written here rather than taken from `datasketch`: its LSH index lives in memory (or Redis), while
ours has to live in the SQLite database beside the documents; the hashing itself is a few lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

BANDS = 8
ROWS = 3
MIN_FEATURES = 3  # fewer shared features than this never make a translation candidate
_PRIME = (1 << 61) - 1  # a Mersenne prime above every 60-bit feature hash
_MASK = (1 << 60) - 1


def _seeds(count: int) -> list[tuple[int, int]]:
    """Fixed (a, b) pairs of the universal hash family h(x) = (a*x + b) mod p: fixed, so the
    keys of a document never change between runs, machines or versions."""
    pairs = []
    for index in range(count):
        digest = hashlib.blake2b(f"litkit-minhash-{index}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8], "big") % (_PRIME - 1) + 1
        b = int.from_bytes(digest[8:], "big") % _PRIME
        pairs.append((a, b))
    return pairs


_HASHES = _seeds(BANDS * ROWS)


def _feature_hash(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big") & _MASK


def band_keys(features: Iterable[str]) -> list[int]:
    """The document's `BANDS` keys (signed 64-bit, as SQLite stores integers); none for fewer
    than `MIN_FEATURES` distinct features, which would collide with too many documents."""
    hashed = sorted({_feature_hash(f) for f in features})
    if len(hashed) < MIN_FEATURES:
        return []
    minima = [min([(a * x + b) % _PRIME for x in hashed]) for a, b in _HASHES]
    keys = []
    for band in range(BANDS):
        rows = minima[band * ROWS : (band + 1) * ROWS]
        payload = ",".join(map(str, [band, *rows])).encode()
        digest = hashlib.blake2b(payload, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
