"""Helpers shared by the benchmarks: percentiles, plain-text tables, a machine line.

Benchmarks are scripts (``python benchmarks/bench_x.py``), not tests: they print tables and
measure their baseline in the same run, so the numbers compare like with like.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence

import numpy as np


def percentiles_ms(seconds: Sequence[float], qs: Sequence[float] = (50, 95, 99)) -> list[float]:
    """Percentiles of durations given in seconds, in milliseconds."""
    if not seconds:
        return [float("nan")] * len(qs)
    return [float(v) * 1e3 for v in np.percentile(np.asarray(seconds, dtype=np.float64), qs)]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> str:
    """A fixed-width table: text left-aligned, numbers right-aligned."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            if value != value:  # NaN
                return "-"
            return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) if rows else False
        for i in range(len(headers))
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = []
    if title:
        out.append(title)
    out.append(line(list(headers)))
    out.append("  ".join("-" * w for w in widths))
    out.extend(line(r) for r in cells)
    return "\n".join(out)


def machine() -> str:
    """One line describing where the numbers were measured."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}, load average {load}"
    )


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"
