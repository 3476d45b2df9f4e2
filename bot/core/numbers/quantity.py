"""The value types: :class:`Quantity` (what the package gives) and the amount being read."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

KINDS = frozenset(
    {"count", "money", "percent", "year", "date", "duration", "distance", "weight", "age"}
    | {"ordinal", "weekday"}
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One numeric expression: where it is, the interval it states, and what it measures."""

    surface: str
    start: int
    end: int
    low: float
    high: float
    value: float
    kind: str
    unit: str
    qualifier: str
    day: date | None = None  # the calendar day a weekday names, when the published day is known


@dataclass(slots=True)
class _Amount:
    """A number as read so far, before qualifiers and year/ordinal rules."""

    start: int
    end: int
    x: float
    scale: float = 1.0
    unscaled: float = 0.0
    kind: str = ""
    unit: str = ""
    currency: str = ""
    low: float = math.nan  # set for vague plurals / "a couple"
    high: float = math.nan
    plain: str = ""  # digit text of a plain integer without separators (a year candidate)
    decade: bool = False
    is_word: bool = False
    skip: bool = False
    trail: str = ""  # a trailing qualifier ("+", "or more")


# No figure a news report states is this large; past it a run of scale words ("a hundred
# hundred hundred ...") is word play or garbage, and its arithmetic would overflow.
MAX_MAGNITUDE = 1e18


def _plausible(q: Quantity) -> bool:
    return all(
        math.isfinite(x) and abs(x) <= MAX_MAGNITUDE for x in (q.low, q.value)
    ) and not math.isnan(q.high)
