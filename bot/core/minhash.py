"""MinHash signatures of word shingles and their LSH band keys.

A signature of ``NUM_PERM`` 32-bit minima estimates the Jaccard similarity of two shingle sets;
``band_keys`` cuts it into ``BANDS`` bands of ``ROWS`` rows and hashes each band to one 64-bit
key. Two texts whose Jaccard similarity is s share at least one key with probability
1 - (1 - s**ROWS)**BANDS: about 0.98 at s = 0.6 and 0.04 at s = 0.2 with 16 bands of 4 rows.
Storing 16 keys per article in an indexed table makes near-duplicate lookup a handful of
index probes, whatever the number of stored articles.
"""

from __future__ import annotations

import numpy as np
import xxhash

from bot.core.hashing import h64

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 4
# Below this many shingles a text is too short for its shingles to say anything.
MIN_SHINGLES = 8

# One random 64-bit mask per permutation, fixed: signatures must be comparable across runs.
_MASKS = np.random.default_rng(20240620).integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def _mix(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, element-wise (uint64 products wrap, as intended)."""
    x = x ^ (x >> _S33)
    x = x * _C1
    x = x ^ (x >> _S33)
    x = x * _C2
    mixed: np.ndarray = x ^ (x >> _S33)
    return mixed


def shingles(tokens: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """Runs of `size` consecutive tokens, joined by spaces."""
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def signature(items: set[str]) -> np.ndarray | None:
    """The MinHash signature (uint32[NUM_PERM]) of a set of strings, None when too small."""
    if len(items) < MIN_SHINGLES:
        return None
    hashes = np.fromiter((xxhash.xxh3_64_intdigest(s) for s in items), np.uint64, len(items))
    # Each permutation is "xor a mask, then mix": independent enough for MinHash, and vectorised.
    with np.errstate(over="ignore"):
        permuted = _mix(hashes[:, None] ^ _MASKS[None, :])
    minima: np.ndarray = (permuted.min(axis=0) >> np.uint64(32)).astype(np.uint32)
    return minima


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band; the band number is part of the key."""
    rows = sig.reshape(BANDS, ROWS)
    return [h64(f"{band}:{rows[band].tobytes().hex()}") for band in range(BANDS)]
