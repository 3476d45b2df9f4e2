"""Train the claim-pair model (bot/core/claim_pair_model.json) on ../shared/eval/claims-dev.

    python benchmarks/train_claim_pairs.py            # 5-fold CV grouped by story, then fit all
    python benchmarks/train_claim_pairs.py --no-write # report the held-out folds only

Each body pair's figures are extracted as at ingest, every comparable cross-article pair is a
candidate (``bot.core.alignment.candidates``), and a candidate is positive when it matches a
gold claim pair by the reference scorer's rule. A logistic regression (L2, Newton steps) is
fitted on four folds of stories; the two thresholds are chosen on those folds too; the held-out
fold is then aligned with that model and scored with the reference scorer's matching. The
shipped model is fitted on every story with the thresholds' fold median.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core import alignment  # noqa: E402
from bot.core.alignment import FEATURES, PairModel, align, candidates  # noqa: E402
from bot.core.claims import extract_claims, pair_record  # noqa: E402
from bot.core.vocabulary import Label  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "claims-dev"


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("claims_score", DEV / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORE = _scorer()


def load() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    pairs = [json.loads(line) for line in (DEV / "pairs.jsonl").open() if line.strip()]
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (DEV / "gold.jsonl").open():
        if line.strip():
            row = json.loads(line)
            gold[row["id"]].append(row)
    return pairs, gold


def _record(a: Any, b: Any) -> dict[str, Any]:
    return {
        "a": {"sentence": a.sentence, "value": a.surface},
        "b": {"sentence": b.sentence, "value": b.surface},
    }


def build(pairs: list[dict[str, Any]], gold: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per body pair: its claims, candidate features and labels (1: matches a gold pair)."""
    cache: dict[str, list[Any]] = {}

    def claims_of(text: str) -> list[Any]:
        if text not in cache:
            cache[text] = extract_claims(text)
        return cache[text]

    data = {}
    for p in pairs:
        ca, cb = claims_of(p["a"]["text"]), claims_of(p["b"]["text"])
        index, features = candidates(ca, cb)
        rows = gold.get(p["id"], [])
        y = np.array(
            [any(SCORE.matches(_record(ca[i], cb[j]), g) for g in rows) for i, j in index],
            dtype=np.float64,
        )
        data[p["id"]] = {"group": p["group"], "a": ca, "b": cb, "x": features, "y": y}
    return data


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method; the bias (column 0) is not penalised."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


def predict(data: dict[str, Any], ids: list[str], model: PairModel) -> dict[str, Any]:
    """compare --pairs style records for the given body pairs, aligned with `model`."""
    out = {}
    for pid in ids:
        d = data[pid]
        pairs = align(d["a"], d["b"], model=model)
        out[pid] = {"id": pid, "claim_pairs": [pair_record(p) for p in pairs]}
    return out


def score(
    pred: dict[str, Any], gold: dict[str, list[dict[str, Any]]], ids: list[str]
) -> dict[str, Any]:
    """The reference scorer's figures over `ids`."""
    tp = fp = 0
    found: set[tuple[str, int]] = set()
    matched: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for pid in ids:
        rows = gold.get(pid, [])
        predicted = SCORE.dedup(pred.get(pid, {}).get("claim_pairs", []))
        for c in predicted:
            hits = [k for k, g in enumerate(rows) if SCORE.matches(c, g)]
            for k in hits:
                confusion[(rows[k]["label"], c["label"])] += 1
            if c["label"] != "conflict":
                continue
            fresh = [k for k in hits if rows[k]["label"] == "conflict" and (pid, k) not in found]
            if fresh:
                tp += 1
                found.add((pid, fresh[0]))
            else:
                fp += 1
        for g in rows:
            if any(SCORE.matches(c, g) for c in predicted):
                matched[g["label"]] += 1
    total = Counter(g["label"] for pid in ids for g in gold.get(pid, []))
    clear = [
        (pid, k)
        for pid in ids
        for k, g in enumerate(gold.get(pid, []))
        if g["label"] == "conflict" and not g.get("note")
    ]
    p = tp / max(tp + fp, 1)
    r = len(found) / max(total["conflict"], 1)
    return {
        "tp": tp,
        "fp": fp,
        "conflicts": total["conflict"],
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "clear_found": sum(c in found for c in clear),
        "clear": len(clear),
        "agree_found": matched["agree"],
        "agree": total["agree"],
        "confusion": confusion,
    }


CONFLICT_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def f_half(s: dict[str, Any]) -> float:
    p, r = s["precision"], s["recall"]
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def fit_model(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """The two weight vectors: on compatible candidates, and on incompatible ones."""
    agree = x[:, FEATURES.index("compatible")] > 0
    return fit(x[agree], y[agree], l2), fit(x[~agree], y[~agree], l2)


def choose_thresholds(
    data: dict[str, Any],
    gold: dict[str, list[dict[str, Any]]],
    ids: list[str],
    w: tuple[np.ndarray, np.ndarray],
) -> tuple[float, float]:
    """The conflict threshold with the best conflict F0.5 on `ids` (precision counts twice:
    an editor reads every conflict the bot shows), then the agreeing pairs' threshold finding
    the most agreements (less half the other labels it calls agree)."""
    best: tuple[float, float] | None = None
    pair_t = 0.5
    for conflict_t in CONFLICT_THRESHOLDS:
        s = score(predict(data, ids, PairModel(*w, pair_t, conflict_t)), gold, ids)
        if best is None or f_half(s) > best[0]:
            best = (f_half(s), conflict_t)
    assert best is not None
    conflict_t = best[1]
    best_agree: tuple[float, float] | None = None
    for pair_t in (0.2, 0.3, 0.4, 0.5, 0.6):
        s = score(predict(data, ids, PairModel(*w, pair_t, conflict_t)), gold, ids)
        agree_f = s["agree_found"] - 0.5 * sum(
            v for (g, p), v in s["confusion"].items() if p == "agree" and g != "agree"
        )
        if best_agree is None or agree_f > best_agree[0]:
            best_agree = (agree_f, pair_t)
    assert best_agree is not None
    return best_agree[1], conflict_t


def folds(data: dict[str, Any], k: int = 5) -> list[list[str]]:
    """Story groups dealt into k folds by size, largest first (every body pair of a story in
    one fold)."""
    sizes = Counter(d["group"] for d in data.values())
    buckets: list[list[int]] = [[] for _ in range(k)]
    load = [0] * k
    for group, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        i = load.index(min(load))
        buckets[i].append(group)
        load[i] += n
    return [[pid for pid, d in data.items() if d["group"] in set(b)] for b in buckets]


def stack(data: dict[str, Any], ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    xs = [data[i]["x"] for i in ids if len(data[i]["x"])]
    ys = [data[i]["y"] for i in ids if len(data[i]["x"])]
    return np.vstack(xs), np.concatenate(ys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-write", action="store_true", help="do not write the model file")
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    pairs, gold = load()
    data = build(pairs, gold)
    n_cand = sum(len(d["y"]) for d in data.values())
    n_pos = int(sum(d["y"].sum() for d in data.values()))
    print(
        f"{len(data)} body pairs, {n_cand} candidates ({n_pos} positive), built in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    parts = folds(data)
    held: dict[str, Any] = {}
    curve: dict[float, dict[str, Any]] = {t: {} for t in CONFLICT_THRESHOLDS}
    thresholds = []
    print("\nfold  stories  conflicts  P      R      F1     clear   agree found  thresholds")
    for k, test_ids in enumerate(parts):
        train_ids = [i for p in parts if p is not test_ids for i in p]
        x, y = stack(data, train_ids)
        w = fit_model(x, y, args.l2)
        pair_t, conflict_t = choose_thresholds(data, gold, train_ids, w)
        thresholds.append((pair_t, conflict_t))
        pred = predict(data, test_ids, PairModel(*w, pair_t, conflict_t))
        held.update(pred)
        for t in CONFLICT_THRESHOLDS:
            curve[t].update(predict(data, test_ids, PairModel(*w, pair_t, t)))
        s = score(pred, gold, test_ids)
        stories = len({data[i]["group"] for i in test_ids})
        print(
            f"{k:>4}  {stories:>7}  {s['conflicts']:>9}  {s['precision']:.3f}  {s['recall']:.3f}  "
            f"{s['f1']:.3f}  {s['clear_found']:>2}/{s['clear']:<3}  "
            f"{s['agree_found']:>4}/{s['agree']:<5}"
            f"  {pair_t:.2f} / {conflict_t:.2f}"
        )
    s = score(held, gold, list(data))
    print(
        f"\nheld out, all folds: conflict P {s['precision']:.3f} R {s['recall']:.3f} "
        f"F1 {s['f1']:.3f} ({s['tp']} true, {s['fp']} false of {s['conflicts']}); "
        f"conflicts without a note found {s['clear_found']}/{s['clear']}; "
        f"agreeing gold pairs found {s['agree_found']}/{s['agree']} "
        f"({s['agree_found'] / max(s['agree'], 1):.2f})"
    )
    print("\nheld out at each conflict threshold (for reading; the threshold is chosen on the")
    print("training folds): threshold, precision, recall, F1")
    for t, pred in curve.items():
        c = score(pred, gold, list(data))
        print(f"  {t:.2f}  P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}")
    labels = [str(label) for label in Label]
    print("\nconfusion (gold rows, predicted columns), held out:")
    print("gold \\ predicted".ljust(18) + "".join(f"{lab[:12]:>14}" for lab in labels))
    for g in labels:
        print(g.ljust(18) + "".join(f"{s['confusion'][(g, p)]:>14}" for p in labels))
    x, y = stack(data, list(data))
    w = fit_model(x, y, args.l2)
    pair_t = statistics.median(t[0] for t in thresholds)
    conflict_t = statistics.median(t[1] for t in thresholds)
    model = PairModel(*w, pair_t, conflict_t)
    for name, vector in zip(("agreeing", "disagreeing"), w, strict=True):
        print(
            f"\n{name} figures' weights (all stories): "
            + ", ".join(f"{n} {v:+.2f}" for n, v in zip(FEATURES, vector, strict=True))
        )
    if not args.no_write:
        alignment.MODEL_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n")
        print(
            f"wrote {alignment.MODEL_PATH.relative_to(ROOT)} "
            f"(thresholds {pair_t:.2f} / {conflict_t:.2f})"
        )
    print(f"done in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
