"""Stable hashes for index keys (Python's own `hash` of a str changes between processes)."""

from __future__ import annotations

import xxhash

_SIGN_BIT = 1 << 63
_WRAP = 1 << 64


def h64(text: str) -> int:
    """A signed 64-bit hash, so that it fits a SQL BIGINT on SQLite and PostgreSQL."""
    value = xxhash.xxh3_64_intdigest(text)
    return value - _WRAP if value & _SIGN_BIT else value


def h32(text: str) -> int:
    """An unsigned 32-bit hash, for compact sets and MinHash input."""
    return xxhash.xxh32_intdigest(text)
