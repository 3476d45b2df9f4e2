"""Emergent headline clustering by `newsroom ingest --jsonl`, scored with B-cubed.

    python benchmarks/eval_emergent.py
    python benchmarks/eval_emergent.py --cv --grid 0.16,0.19,0.22,0.25
    NEWSROOM_SAME_STORY_SHORT=0.2 python benchmarks/eval_emergent.py --limit 500

Each headline is ingested as {"id": articleId, "title": articleHeadline, "text": ""}, in file
order, into a fresh database; the predicted cluster is the story_id the CLI prints, the gold
cluster the claimId.

--cv splits the claims into 5 folds and runs ingest over all headlines once per value of
--grid for --setting (NEWSROOM_SAME_STORY_SHORT by default); the value is chosen on 4 folds'
headlines (mean B-cubed F1) and measured on the 5th's (see cross_validate). --subsets also
ingests each fold's headlines alone per value (slower, and optimistic: fewer claims compete).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _eval_common import (
    Run,
    add_common_args,
    bcubed_items,
    bcubed_summary,
    describe_env,
    grouped_folds,
    map_jobs,
    parse_env,
    print_table,
    run_newsroom,
    sqlite_url,
    write_jsonl,
)

CSV_NAME = "url-versions-2015-06-14-clean-train.csv"


def load(data: Path) -> list[dict[str, str]]:
    with (data / "emergent-train" / CSV_NAME).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def subsample(rows: list[dict[str, str]], limit: int, seed: int) -> list[dict[str, str]]:
    """Whole claims, in shuffled order, until about `limit` headlines; file order kept."""
    claims = sorted({r["claimId"] for r in rows})
    random.Random(seed).shuffle(claims)
    keep: set[str] = set()
    count = 0
    for claim in claims:
        if count >= limit:
            break
        keep.add(claim)
        count += sum(1 for r in rows if r["claimId"] == claim)
    return [r for r in rows if r["claimId"] in keep]


def cluster(rows: list[dict[str, str]], work: Path, name: str, db: str | None, env: dict) -> Run:
    """Ingest the headlines into a fresh database; the run's records are in input order."""
    source = work / f"{name}.jsonl"
    write_jsonl(
        source, ({"id": r["articleId"], "title": r["articleHeadline"], "text": ""} for r in rows)
    )
    return run_newsroom(
        ["ingest", "--jsonl", str(source), "--db", db or sqlite_url(work / f"{name}.db")],
        workdir=work,
        output=work / f"{name}.out.jsonl",
        env=env,
    )


def stories(run: Run) -> list[object]:
    """The predicted cluster of each line; a failed line is a cluster of its own."""
    return [r.get("story_id", f"error-{i}") for i, r in enumerate(run.records)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--setting", default="NEWSROOM_SAME_STORY_SHORT", help="Tuned by --cv.")
    parser.add_argument(
        "--grid", default="0.19,0.22,0.25,0.28,0.31,0.34", help="Values of --setting tried."
    )
    parser.add_argument(
        "--subsets", action="store_true", help="With --cv, also ingest each fold alone."
    )
    args = parser.parse_args()
    started = time.perf_counter()
    env = parse_env(args.env)
    rows = load(args.data)
    if args.limit and args.limit < len(rows):
        rows = subsample(rows, args.limit, args.seed)
    gold = [r["claimId"] for r in rows]
    print(f"Emergent train: {len(rows)} headlines, {len(set(gold))} claims")
    print(f"settings: {describe_env(env)}")

    with tempfile.TemporaryDirectory(prefix="eval_emergent_") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        run = cluster(rows, work, "all", args.db, env)
        precision, recall = bcubed_items(gold, stories(run))
        b3 = bcubed_summary(precision, recall)
        n_clusters = len(set(stories(run)))
        print_table(
            "newsroom ingest --jsonl, B-cubed against claimId",
            ["headlines", "precision", "recall", "F1", "clusters", "claims", "errors", "seconds"],
            [
                (
                    len(rows),
                    b3["precision"],
                    b3["recall"],
                    b3["f1"],
                    n_clusters,
                    len(set(gold)),
                    run.errors,
                    run.seconds,
                )
            ],
        )
        if args.cv:
            cross_validate(rows, work, env, args)
    print(f"\nwall time: {time.perf_counter() - started:.1f} s")


def cross_validate(
    rows: list[dict[str, str]], work: Path, env: dict, args: argparse.Namespace
) -> None:
    """Two honest ways to pick --setting on 4 folds of claims and measure it on the 5th.

    full: one run over all headlines per value; B-cubed is a mean over items, so the value is
    chosen on the items of 4 folds' claims and measured on the 5th's (no labels of the 5th
    used; the difficulty is that of the whole set). subsets: each fold's headlines ingested
    alone per value (easier: a fifth of the claims compete).
    """
    grid = [v.strip() for v in args.grid.split(",") if v.strip()]
    k_folds = args.folds
    folds = grouped_folds([r["claimId"] for r in rows], k_folds, args.seed)
    parts = [[r for r, f in zip(rows, folds, strict=True) if f == k] for k in range(k_folds)]

    def one(task: tuple[int, str]) -> tuple[list[float], list[float], int, float]:
        fold, value = task  # fold -1: all headlines
        part = rows if fold < 0 else parts[fold]
        name = f"{'all' if fold < 0 else f'fold{fold}'}_{value}"
        run = cluster(part, work, name, None, {**env, args.setting: value})
        p, r = bcubed_items([x["claimId"] for x in part], stories(run))
        return p, r, len(set(stories(run))), run.seconds

    schemes = [-1, *range(k_folds)] if args.subsets else [-1]
    tasks = [(k, v) for k in schemes for v in grid]
    results = dict(zip(tasks, map_jobs(one, tasks, args.jobs), strict=True))

    def fold_items(values: list[float], k: int) -> list[float]:
        return [x for x, f in zip(values, folds, strict=True) if f == k]

    def full_f1(value: str, k: int) -> float:
        p, r, _, _ = results[(-1, value)]
        return bcubed_summary(fold_items(p, k), fold_items(r, k))["f1"]

    def subset_f1(value: str, k: int) -> float:
        p, r, _, _ = results[(k, value)]
        return bcubed_summary(p, r)["f1"]

    table = []
    for scheme, score in (("full", full_f1), ("subsets", subset_f1))[: 1 + args.subsets]:
        held_p: list[float] = []
        held_r: list[float] = []
        chosen = []
        for k in range(k_folds):
            value = max(
                grid,
                key=lambda v, k=k: statistics.mean(score(v, j) for j in range(k_folds) if j != k),
            )
            chosen.append(value)
            if scheme == "full":
                p, r, _, _ = results[(-1, value)]
                held_p += fold_items(p, k)
                held_r += fold_items(r, k)
            else:
                p, r, _, _ = results[(k, value)]
                held_p += p
                held_r += r
        s = bcubed_summary(held_p, held_r)
        table.append((scheme, " ".join(chosen), s["precision"], s["recall"], s["f1"]))
    print_table(
        f"{k_folds}-fold CV grouped by claimId: {args.setting} chosen on 4 folds, held-out B-cubed",
        ["scheme", "chosen per fold", "precision", "recall", "F1"],
        table,
    )
    grid_rows = []
    for v in grid:
        s = bcubed_summary(*results[(-1, v)][:2])
        row = [v, s["precision"], s["recall"], s["f1"], results[(-1, v)][2]]
        if args.subsets:
            row.append(statistics.mean(subset_f1(v, k) for k in range(k_folds)))
        grid_rows.append(row)
    header = [args.setting, "precision", "recall", "F1", "clusters"]
    print_table(
        "per value, all headlines (in-sample)",
        [*header, "subsets F1"] if args.subsets else header,
        grid_rows,
    )
    best = max(grid_rows, key=lambda row: row[3])[0]
    print(f"chosen on all folds: {args.setting}={best}")
    seconds = sum(x[3] for x in results.values())
    print(f"{len(tasks)} CLI runs, {seconds:.0f} s in total over {args.jobs} jobs")


if __name__ == "__main__":
    main()
