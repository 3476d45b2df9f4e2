"""Wording shared by every view: the Slack messages, App Home and the terminal."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` with its noun: "1 story", "1,204 stories" (`many` when the plural is not `one` + s)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
