"""FNC-1 related-vs-unrelated accuracy of `newsroom compare --pairs` (headline vs body).

    python benchmarks/eval_fnc1.py                  # background word weights only
    python benchmarks/eval_fnc1.py --corpus --cv    # also with corpus IDF; tune by 5-fold CV
    NEWSROOM_SAME_STORY_MIXED=0.08 python benchmarks/eval_fnc1.py --limit 5000

Each pair is {"id", "a": {"title": headline}, "b": {"text": body}}; predicted related means
relation != "unrelated", gold related means Stance != "unrelated".

--corpus first ingests the bodies (no labels) with `newsroom ingest --jsonl` into --db (a
temporary SQLite file by default) and runs `compare --pairs --db` on it, so term weights use
the corpus's document frequencies, as in production.

--cv reruns compare with NEWSROOM_SAME_STORY_MIXED at 0.5, where its score is the cosine
itself (score = min(1, cosine / (2 * threshold))), then picks that threshold on 4 folds and
measures it on the 5th, folds grouped by Body ID. Pairs judged by another threshold (a stub
body counts as a headline: NEWSROOM_SAME_STORY_SHORT) keep the CLI's verdict. With --limit,
the corpus is the bodies of the sampled pairs.
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
    add_common_args,
    best_cut,
    binary_metrics,
    describe_env,
    grouped_folds,
    parse_env,
    print_table,
    run_newsroom,
    sqlite_url,
    write_jsonl,
)

# With NEWSROOM_SAME_STORY_MIXED at 0.5 the CLI's score of a headline/article pair is
# min(1, cosine); a second run at 0.4 tells those pairs apart from the ones judged with another
# threshold (a stub body is "short": headline/headline, NEWSROOM_SAME_STORY_SHORT),
# whose score does not move: their verdict stays as the CLI gives it.
SWEEP_VALUES = ("0.5", "0.4")


def load(data: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    folder = data / "fnc1-train"
    with (folder / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (folder / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        stances = list(csv.DictReader(handle))
    return bodies, stances


def related(record: dict) -> bool:
    return "error" not in record and record.get("relation") != "unrelated"


def sweepable(records: list[dict], moved: list[dict]) -> tuple[list[float], list[bool | None]]:
    """The cosine of each pair, and None where the MIXED threshold decides, else the verdict."""
    scores, fixed = [], []
    for r, m in zip(records, moved, strict=True):
        if "error" in r:
            scores.append(0.0)
            fixed.append(False)
        elif r["relation"] in ("duplicate", "near_duplicate"):
            scores.append(1.0)
            fixed.append(True)
        elif r["score"] == m["score"]:  # another threshold, or cosine 0 or >= 0.8 either way
            scores.append(float(r["score"]))
            fixed.append(r["relation"] != "unrelated")
        else:
            scores.append(float(r["score"]))
            fixed.append(None)
    return scores, fixed


def cross_validate(
    scores: list[float],
    fixed: list[bool | None],
    gold: list[bool],
    groups: list[str],
    k: int,
    seed: int,
) -> tuple[dict[str, float], list[float], float, float]:
    """Held-out metrics (pooled over folds), each fold's threshold, the all-data threshold.

    Only pairs whose verdict the MIXED threshold decides are swept; the others keep theirs.
    """
    folds = grouped_folds(groups, k, seed)
    predicted = [bool(f) for f in fixed]
    chosen = []

    def cut(items: list[int]) -> tuple[float, float]:
        free = [i for i in items if fixed[i] is None]
        t, acc = best_cut([scores[i] for i in free], [gold[i] for i in free])
        right = acc * len(free) + sum(fixed[i] == gold[i] for i in items if fixed[i] is not None)
        return t, right / len(items)

    for fold in range(k):
        t, _ = cut([i for i, f in enumerate(folds) if f != fold])
        chosen.append(t)
        for i, f in enumerate(folds):
            if f == fold and fixed[i] is None:
                predicted[i] = scores[i] >= t
    final_t, final_acc = cut(list(range(len(scores))))
    return binary_metrics(gold, predicted), chosen, final_t, final_acc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--corpus", action="store_true", help="Also run with IDF from the ingested bodies."
    )
    parser.add_argument(
        "--reuse-db", action="store_true", help="--db already holds the bodies: skip ingesting."
    )
    args = parser.parse_args()
    started = time.perf_counter()
    env = parse_env(args.env)
    bodies, stances = load(args.data)
    if args.limit and args.limit < len(stances):
        picked = sorted(random.Random(args.seed).sample(range(len(stances)), args.limit))
        stances = [stances[i] for i in picked]
    gold = [s["Stance"] != "unrelated" for s in stances]
    groups = [s["Body ID"] for s in stances]
    print(f"FNC-1 train: {len(stances)} pairs, {len(set(groups))} bodies, {sum(gold)} related")
    print(f"settings: {describe_env(env)}")

    with tempfile.TemporaryDirectory(prefix="eval_fnc1_") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        pairs = work / "pairs.jsonl"
        write_jsonl(
            pairs,
            (
                {"id": i, "a": {"title": s["Headline"]}, "b": {"text": bodies[s["Body ID"]]}}
                for i, s in enumerate(stances)
            ),
        )
        modes: list[tuple[str, list[str]]] = [("background", [])]
        ingest_row = None
        if args.corpus:
            db = args.db or sqlite_url(work / "corpus.db")
            if not args.reuse_db:
                used = sorted(set(groups), key=int)
                corpus = work / "bodies.jsonl"
                write_jsonl(corpus, ({"id": b, "title": "", "text": bodies[b]} for b in used))
                run = run_newsroom(
                    ["ingest", "--jsonl", str(corpus), "--db", db],
                    workdir=work,
                    output=work / "ingest.jsonl",
                    env=env,
                )
                ingest_row = (f"ingest {len(used)} bodies", run.seconds, run.errors)
            modes.append(("corpus", ["--db", db]))

        rows = []
        cv_rows = []
        for name, extra in modes:
            run = run_newsroom(
                ["compare", "--pairs", str(pairs), *extra],
                workdir=work,
                output=work / f"compare_{name}.jsonl",
                env=env,
            )
            m = binary_metrics(gold, [related(r) for r in run.records])
            rows.append(
                (name, m["accuracy"], m["precision"], m["recall"], m["f1"], run.errors, run.seconds)
            )
            if args.cv:
                sweeps = [
                    run_newsroom(
                        ["compare", "--pairs", str(pairs), *extra],
                        workdir=work,
                        output=work / f"sweep_{name}_{value}.jsonl",
                        env={**env, "NEWSROOM_SAME_STORY_MIXED": value},
                    ).records
                    for value in SWEEP_VALUES
                ]
                scores, fixed = sweepable(*sweeps)
                cv, chosen, final_t, final_acc = cross_validate(
                    scores, fixed, gold, groups, args.folds, args.seed
                )
                n_other = sum(
                    f is not None and 0.01 < c < 1.0 for f, c in zip(fixed, scores, strict=True)
                )
                spread = f"{min(chosen):.4f}..{max(chosen):.4f}"
                cv_rows.append(
                    (
                        name,
                        cv["accuracy"],
                        cv["precision"],
                        cv["recall"],
                        cv["f1"],
                        f"{statistics.mean(chosen):.4f} ({spread})",
                        final_t,
                        final_acc,
                        n_other,
                    )
                )

    header = ["mode", "accuracy", "precision", "recall", "F1", "errors", "seconds"]
    print_table("newsroom compare --pairs (related = positive)", header, rows)
    if ingest_row:
        print(f"corpus: {ingest_row[0]} in {ingest_row[1]:.1f} s, {ingest_row[2]} errors")
    if cv_rows:
        print_table(
            f"{args.folds}-fold CV grouped by Body ID: NEWSROOM_SAME_STORY_MIXED on the cosine",
            [
                "mode",
                "cv acc",
                "cv prec",
                "cv rec",
                "cv F1",
                "fold thresholds mean (range)",
                "all-data t",
                "in-sample acc",
                "pairs by SHORT",
            ],
            cv_rows,
        )
    print(f"\nwall time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
