"""Shared helpers of the evaluation scripts: run the `newsroom` CLI, score, cross-validate.

The scripts measure the matcher through the command line, as a newsroom would use it: they
write JSONL inputs into a temporary folder, run `newsroom` as a subprocess with the caller's
environment (so `NEWSROOM_*` settings apply), and score its JSONL output.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "eval"


def newsroom_command() -> list[str]:
    """`.venv/bin/newsroom` of this checkout when it exists, else `python -m bot`."""
    script = REPO / ".venv" / "bin" / "newsroom"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "bot"]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def parse_env(items: Iterable[str]) -> dict[str, str]:
    """`NAME=VALUE` strings from `--env` as a mapping."""
    env = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--env expects NAME=VALUE, got {item!r}")
        env[name] = value
    return env


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, help="Subsample to about N items for a quick run.")
    parser.add_argument("--db", metavar="URL", help="Database URL (default: a temporary SQLite).")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="The shared eval folder.")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="A setting for the CLI on top of the inherited environment (repeatable).",
    )
    parser.add_argument("--cv", action="store_true", help="Also tune by grouped 5-fold CV.")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13, help="Seed of subsampling and folds.")
    parser.add_argument("--jobs", type=int, default=2, help="CLI processes run at once.")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="Keep inputs and outputs here.")


@dataclass(frozen=True)
class Run:
    """One finished CLI run: its output records (in input order) and wall time."""

    records: list[dict[str, Any]]
    seconds: float
    errors: int


def run_newsroom(
    args: Sequence[str], *, workdir: Path, output: Path, env: Mapping[str, str] | None = None
) -> Run:
    """Run `newsroom ARGS` in `workdir`, stdout to `output`; the environment is inherited.

    Exit status 1 means some input lines failed (each gets an {"error"} line); anything else
    non-zero is a crash and stops the evaluation with the CLI's stderr.
    """
    full_env = {**os.environ, **(env or {})}
    started = time.perf_counter()
    with output.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            [*newsroom_command(), *args],
            cwd=workdir,
            env=full_env,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"newsroom {' '.join(args[:1])} failed with status {proc.returncode}")
    records = read_jsonl(output)
    errors = sum(1 for r in records if "error" in r)
    return Run(records, seconds, errors)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")


# Scores ------------------------------------------------------------------------------------


def binary_metrics(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 with True as the positive class."""
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    n = len(gold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": (n - fp - fn) / n if n else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def bcubed_items(
    gold: Sequence[Hashable], pred: Sequence[Hashable]
) -> tuple[list[float], list[float]]:
    """B-cubed precision and recall of each item (average them for the corpus figures)."""
    both = Counter(zip(gold, pred, strict=True))
    gold_size = Counter(gold)
    pred_size = Counter(pred)
    precision = [both[(g, p)] / pred_size[p] for g, p in zip(gold, pred, strict=True)]
    recall = [both[(g, p)] / gold_size[g] for g, p in zip(gold, pred, strict=True)]
    return precision, recall


def bcubed_summary(precision: Sequence[float], recall: Sequence[float]) -> dict[str, float]:
    p = sum(precision) / len(precision) if precision else 0.0
    r = sum(recall) / len(recall) if recall else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# Cross-validation --------------------------------------------------------------------------


def grouped_folds(groups: Sequence[Hashable], k: int, seed: int) -> list[int]:
    """A fold number for each item; all items of a group share a fold, folds near equal.

    Groups are shuffled (seeded), then each goes to the fold with the fewest items so far.
    """
    sizes = Counter(groups)
    order = sorted(sizes, key=str)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda g: -sizes[g])  # stable: big groups first, ties in shuffled order
    load = [0] * k
    fold_of = {}
    for group in order:
        fold = min(range(k), key=load.__getitem__)
        fold_of[group] = fold
        load[fold] += sizes[group]
    return [fold_of[g] for g in groups]


def best_cut(scores: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    """The threshold t maximising accuracy of `score >= t`, and that accuracy.

    t is the midpoint between two consecutive distinct scores, so rounding in the CLI's
    output does not move an item across it.
    """
    ranked = sorted(zip(scores, gold, strict=True), key=lambda x: -x[0])
    n = len(ranked)
    negatives = n - sum(gold)
    best_acc, best_t = negatives / n, ranked[0][0] + 1e-4 if ranked else 1.0
    tp = 0
    for i, (score, label) in enumerate(ranked):
        tp += label
        k = i + 1
        if k < n and ranked[k][0] == score:
            continue
        acc = (tp + negatives - (k - tp)) / n
        if acc > best_acc:
            best_acc = acc
            best_t = (score + ranked[k][0]) / 2 if k < n else score / 2
    return best_t, best_acc


def map_jobs(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> list[Any]:
    """`fn` over items with up to `jobs` at once (each call runs one CLI subprocess)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(fn, items))


# Output ------------------------------------------------------------------------------------


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table; floats with 4 decimals."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.4f}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))


def describe_env(env: Mapping[str, str]) -> str:
    """The NEWSROOM_* settings in effect (inherited plus --env), for the report."""
    merged = {k: v for k, v in os.environ.items() if k.startswith("NEWSROOM_")}
    merged.update(env)
    return ", ".join(f"{k}={v}" for k, v in sorted(merged.items())) or "defaults"
