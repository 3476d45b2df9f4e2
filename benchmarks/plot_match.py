"""Plot match latency against stored articles from ``bench_match.py --json`` output.

    python benchmarks/bench_match.py --sizes 10k,100k,1M --db postgresql+psycopg://... \\
        --keep --json docs/match_latency.json
    python benchmarks/plot_match.py docs/match_latency.json              # docs/match_latency.png
    python benchmarks/plot_match.py pg.json --compare sqlite.json -o docs/match_latency.png

Log-log axes: ``IngestService.match`` p50 and p95, the near-duplicate lookup alone (content
hash, then MinHash bands) p95, and the brute-force rapidfuzz scan p95 (solid where measured,
dashed where extrapolated), with the targets (match p95 10 ms, near-duplicate lookup 1 ms).
``--compare`` (repeatable) adds the match p95 of other runs (say, SQLite) as dotted lines.
Needs matplotlib: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_MATCH_MS = 10.0
TARGET_NEAR_DUP_MS = 1.0


def _series(rows: list[dict[str, Any]], *keys: str) -> list[float]:
    out = []
    for row in rows:
        value: Any = row
        for key in keys:
            value = value[key]
        out.append(float(value))
    return out


def _size_label(n: float) -> str:
    for scale, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= scale:
            return f"{n / scale:g}{suffix}"
    return f"{n:g}"


def _label(report: dict[str, Any]) -> str:
    """The backend of a run, and whether its tables were vacuumed before timing."""
    if report["backend"] != "PostgreSQL":
        return report["backend"]
    return report["backend"] + (", vacuumed" if report.get("vacuum") else ", not vacuumed")


COMPARE_STYLES = (("s:", "tab:purple"), ("v:", "tab:orange"), ("P:", "tab:brown"))


def plot(report: dict[str, Any], out: Path, compare: Sequence[dict[str, Any]] = ()) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter

    rows = sorted(report["rows"], key=lambda r: r["stored"])
    x = [r["stored"] for r in rows]
    backend = _label(report)
    fig, ax = plt.subplots(figsize=(8, 5.2), dpi=150)

    p50 = _series(rows, "match_ms", "p50")
    p95 = _series(rows, "match_ms", "p95")
    near = _series(rows, "near_dup_ms", "both", "p95")
    ax.plot(x, p95, "o-", color="tab:blue", lw=2, label=f"match p95 ({backend})")
    ax.plot(x, p50, "o--", color="tab:blue", lw=1.2, alpha=0.7, label=f"match p50 ({backend})")
    ax.plot(x, near, "^-", color="tab:green", lw=1.5, label="near-duplicate lookup p95")
    for xi, yi in zip(x, p95, strict=True):
        ax.annotate(f"{yi:.1f} ms", (xi, yi), textcoords="offset points", xytext=(6, 6), fontsize=8)

    ticks = set(x)
    for other, (style, color) in zip(compare, COMPARE_STYLES, strict=False):
        crow = sorted(other["rows"], key=lambda r: r["stored"])
        ticks.update(r["stored"] for r in crow)
        ax.plot(
            [r["stored"] for r in crow],
            _series(crow, "match_ms", "p95"),
            style,
            color=color,
            lw=1.2,
            label=f"match p95 ({_label(other)})",
        )

    # Baseline: solid through measured sizes, dashed from the last measured one onwards.
    base = _series(rows, "baseline_ms", "p95")
    measured = [i for i, r in enumerate(rows) if r["baseline_ms"]["how"] == "measured"]
    if measured:
        last = measured[-1]
        ax.plot(
            x[: last + 1],
            base[: last + 1],
            "D-",
            color="tab:red",
            lw=1.5,
            zorder=3,
            label="brute-force rapidfuzz p95 (measured)",
        )
        if last + 1 < len(rows):
            ax.plot(
                x[last:],
                base[last:],
                "D--",
                color="tab:red",
                lw=1.5,
                mfc="white",
                label="brute-force rapidfuzz p95 (extrapolated linearly)",
            )
    else:
        ax.plot(x, base, "D--", color="tab:red", mfc="white", label="rapidfuzz (extrapolated)")
    speedup = base[-1] / p95[-1]
    ax.annotate(
        f"{speedup:,.0f}x\nfaster\n(p95)",
        (x[-1], (base[-1] * p95[-1]) ** 0.5),
        textcoords="offset points",
        xytext=(8, 0),
        fontsize=9,
        color="tab:red",
        va="center",
    )

    ax.axhline(TARGET_MATCH_MS, color="tab:blue", ls=":", lw=1)
    ax.axhline(TARGET_NEAR_DUP_MS, color="tab:green", ls=":", lw=1)
    right = max(ticks) * 2.2
    for y, text, color in (
        (TARGET_MATCH_MS, "target: match p95 10 ms", "tab:blue"),
        (TARGET_NEAR_DUP_MS, "target: near-duplicate lookup p95 1 ms", "tab:green"),
    ):
        ax.text(right / 1.05, y / 1.12, text, fontsize=8, color=color, ha="right", va="top")

    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(FixedLocator(sorted(ticks)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _size_label(v)))
    ax.xaxis.set_minor_locator(FixedLocator([]))
    ax.set_xlim(min(ticks) / 1.6, right)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("stored articles")
    ax.set_ylabel("latency per query article (ms, log)")
    ax.set_title(f"Matching one article against the stored corpus ({report['backend']})")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    machine = report.get("machine", "").split(", load average")[0]
    fig.text(0.01, 0.01, f"{report['queries_per_size']} queries per size; {machine}", fontsize=6)
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path, help="JSON written by bench_match.py --json")
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        default=[],
        help="another run's JSON, its match p95 drawn dotted (up to 3; repeatable)",
    )
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "match_latency.png")
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text())
    compare = [json.loads(path.read_text()) for path in args.compare]
    plot(report, args.out, compare)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
