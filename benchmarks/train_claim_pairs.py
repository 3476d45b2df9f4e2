"""Train the claim-pair model (bot/core/claim_pair_model.json) on ../shared/eval/claims-dev.

    pip install -r requirements-train.lock              # scikit-learn, for training only
    python benchmarks/train_claim_pairs.py              # 5-fold CV grouped by story, then fit all
    python benchmarks/train_claim_pairs.py --no-write   # report the held-out folds only
    python benchmarks/train_claim_pairs.py --deals 3 --without gap   # spread, an ablation

Each body pair's figures are extracted as at ingest, every comparable cross-article pair is a
candidate (``bot.core.alignment.candidates``), and a candidate is positive when it matches a
gold claim pair by the reference scorer's rule. Three models are cross-validated in the same run,
five folds of stories, each held-out fold aligned and scored with the reference scorer's
matching:

- two stages of boosted trees (scikit-learn's histogram gradient boosting; shipped, evaluated
  at run time by ``bot.core.boosted`` with numpy alone): the first over the candidates'
  features, the second, for figures that disagree, over the same features and each
  candidate's first-stage probability beside its rivals' (``alignment.RIVALS``), fitted on
  first-stage probabilities out of fold;
- the first stage alone (shipped until 2026-12-03) and the logistic regression shipped before
  the trees (two weight vectors, for figures that agree and for figures that disagree), the
  baseline rows.

The two thresholds (the probability agreeing figures need to pair, and the higher one a
conflict needs) are chosen on out-of-fold probabilities of the four training folds (an inner
cross-validation by story), never on the fold being scored. The shipped model is fitted on
every story, its thresholds chosen on the outer folds' held-out probabilities.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core import alignment  # noqa: E402
from bot.core.alignment import (  # noqa: E402
    FEATURES,
    PairModel,
    candidates,
    least_probability,
    pair_candidates,
    second_stage_rows,
)
from bot.core.boosted import LEAF, Trees  # noqa: E402
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
_MATCHES: dict[tuple[int, str, str, str, str], bool] = {}


def matches(c: dict[str, Any], g: dict[str, Any]) -> bool:
    """The reference scorer's ``matches``, remembered: the same candidates are scored again
    at every threshold tried (gold rows are loaded once, so a row is known by its id)."""
    a, b = c["a"], c["b"]
    key = (id(g), a["sentence"], a["value"], b["sentence"], b["value"])
    found = _MATCHES.get(key)
    if found is None:
        found = _MATCHES[key] = bool(SCORE.matches(c, g))
    return found


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
            [any(matches(_record(ca[i], cb[j]), g) for g in rows) for i, j in index],
            dtype=np.float64,
        )
        data[p["id"]] = {
            "group": p["group"],
            "a": ca,
            "b": cb,
            "index": index,
            "x": features,
            "y": y,
        }
    return data


# The boosted trees' settings (chosen by held-out F1 among a handful tried on 2026-12-02/03:
# 100-300 trees, 7-15 leaves, learning rate 0.05-0.1, more trees or leaves did not help; an l2
# penalty of 1.0 gave 0.346 over 3 deals against 0.337 without and 0.334 with 5.0).
TREES = {
    "max_iter": 100,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}


def fit_trees(x: np.ndarray, y: np.ndarray) -> Trees:
    """Boosted trees on every candidate (the `compatible` column lets them tell agreeing
    figures from disagreeing ones), exported node by node for ``bot.core.boosted``."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    # One thread: on a machine shared with other jobs OpenMP's waiting threads made a fit
    # 2-3 times slower than one thread alone (the fits are small).
    with threadpool_limits(limits=1):
        clf = HistGradientBoostingClassifier(**TREES, early_stopping=False, random_state=0)
        clf.fit(x, y)
    trees = []
    for (predictor,) in clf._predictors:  # one tree per iteration for two classes
        nodes = []
        for node in predictor.nodes:
            if node["is_leaf"]:
                nodes.append((LEAF, 0.0, 0, 0, float(node["value"])))
            else:
                nodes.append(
                    (
                        int(node["feature_idx"]),
                        float(node["num_threshold"]),
                        int(node["left"]),
                        int(node["right"]),
                        0.0,
                    )
                )
        trees.append(nodes)
    model = Trees.from_nodes(float(np.ravel(clf._baseline_prediction)[0]), trees)
    check = x[: min(len(x), 2000)]
    assert np.allclose(model.decision(check), clf.decision_function(check), atol=1e-9)
    return model


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> np.ndarray:
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


class Logistic:
    """The model shipped before the trees: one weight vector for candidates whose figures
    agree, one for those whose figures disagree."""

    def __init__(self, data: dict[str, Any], ids: list[str], l2: float) -> None:
        x, y = stack(data, ids)
        agree = x[:, FEATURES.index("compatible")] > 0
        self.weights = fit_logistic(x[agree], y[agree], l2)
        self.conflict_weights = fit_logistic(x[~agree], y[~agree], l2)

    def probabilities(self, d: dict[str, Any]) -> np.ndarray:
        x = d["x"]
        agree = x[:, FEATURES.index("compatible")] > 0
        z = np.where(agree, x @ self.weights, x @ self.conflict_weights)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


class OneStage:
    """Boosted trees over the candidates' features alone (the shipped model until
    2026-12-03, the baseline row of the two stages)."""

    def __init__(self, data: dict[str, Any], ids: list[str], l2: float) -> None:
        self.model = PairModel(fit_trees(*stack(data, ids)), 0.5, 0.5)

    def probabilities(self, d: dict[str, Any]) -> np.ndarray:
        return self.model.probabilities(d["x"], d["index"])


def fit_two_stages(data: dict[str, Any], ids: list[str]) -> tuple[Trees, Trees]:
    """The first stage's trees on every candidate of `ids`, and the second stage's on the same
    candidates with their rivals' columns (``alignment.RIVALS``) read off first-stage
    probabilities out of fold (4 folds by story: each story's probabilities come from trees
    that never saw it, as they will at run time)."""
    first = fit_trees(*stack(data, ids))
    held: Probs = {}
    for part in folds(data, ids, 4):
        left_out = set(part)
        others = [i for i in ids if i not in left_out]
        inner = PairModel(fit_trees(*stack(data, others)), 0.5, 0.5)
        held.update({i: inner.probabilities(data[i]["x"], data[i]["index"]) for i in part})
    used = [i for i in ids if len(data[i]["x"])]
    x = np.vstack([second_stage_rows(data[i]["x"], data[i]["index"], held[i]) for i in used])
    y = np.concatenate([data[i]["y"] for i in used])
    return first, fit_trees(x, y)


class Boosted(OneStage):
    """The two stages of trees (``alignment.PairModel``), shipped."""

    def __init__(self, data: dict[str, Any], ids: list[str], l2: float) -> None:
        first, second = fit_two_stages(data, ids)
        self.model = PairModel(first, 0.5, 0.5, second)


MODELS = {"two stages": Boosted, "one stage": OneStage, "logistic": Logistic}


class Fixed:
    """Probabilities computed once for one body pair's candidates, with the two thresholds:
    what ``pair_candidates`` needs of a model."""

    def __init__(self, probs: np.ndarray, pair_threshold: float, conflict_threshold: float):
        self.probs = probs
        self.pair_threshold = pair_threshold
        self.conflict_threshold = conflict_threshold

    def probabilities(self, features: np.ndarray, index: Any) -> np.ndarray:
        return self.probs

    def thresholds(self, features: np.ndarray) -> np.ndarray:
        return least_probability(features, self.pair_threshold, self.conflict_threshold)


Probs = dict[str, np.ndarray]


def predict(data: dict[str, Any], probs: Probs, pair_t: float, conflict_t: float) -> dict[str, Any]:
    """compare --pairs style records for the body pairs of `probs`, at these thresholds."""
    out = {}
    for pid, p in probs.items():
        d = data[pid]
        model = Fixed(p, pair_t, conflict_t)
        pairs = pair_candidates(d["a"], d["b"], d["index"], d["x"], model=model)
        out[pid] = {"id": pid, "claim_pairs": [pair_record(c) for c in pairs]}
    return out


def score(
    pred: dict[str, Any], gold: dict[str, list[dict[str, Any]]], ids: list[str]
) -> dict[str, Any]:
    """The reference scorer's figures over `ids`."""
    tp = fp = unmatched = n_predicted = 0
    found: set[tuple[str, int]] = set()
    matched: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for pid in ids:
        rows = gold.get(pid, [])
        predicted = SCORE.dedup(pred.get(pid, {}).get("claim_pairs", []))
        for c in predicted:
            hits = [k for k, g in enumerate(rows) if matches(c, g)]
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
        unmatched += sum(not any(matches(c, g) for g in rows) for c in predicted)
        n_predicted += len(predicted)
        for g in rows:
            if any(matches(c, g) for c in predicted):
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
        # pairs of any label: their precision and the gold pairs they find
        "pair_precision": 1 - unmatched / max(n_predicted, 1),
        "pair_recall": sum(matched.values()) / max(sum(total.values()), 1),
    }


PRF = ("precision", "recall", "f1")
CONFLICT_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)
PAIR_THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)


def f_half(s: dict[str, Any]) -> float:
    p, r = s["precision"], s["recall"]
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def choose_thresholds(
    data: dict[str, Any], gold: dict[str, list[dict[str, Any]]], *runs: Probs
) -> tuple[float, float]:
    """On out-of-fold probabilities (of one or more deals of the stories into folds, the
    figures averaged over them): the conflict threshold with the best conflict F0.5
    (precision counts twice: an editor reads every conflict the bot shows), then the agreeing
    pairs' threshold with the best F1 of pairs of any label (a pair of figures that state
    different things puts a stray figure in the story's claims)."""
    pair_t = 0.3

    def mean(figure: Any, pair_t: float, conflict_t: float) -> float:
        return float(
            np.mean(
                [figure(score(predict(data, p, pair_t, conflict_t), gold, list(p))) for p in runs]
            )
        )

    conflict_t = max(CONFLICT_THRESHOLDS, key=lambda t: mean(f_half, pair_t, t))

    def pairs_f1(s: dict[str, Any]) -> float:
        p, r = s["pair_precision"], s["pair_recall"]
        return 2 * p * r / (p + r) if p + r else 0.0

    return max(PAIR_THRESHOLDS, key=lambda t: mean(pairs_f1, t, conflict_t)), conflict_t


def folds(data: dict[str, Any], ids: list[str], k: int = 5, deal: int = 0) -> list[list[str]]:
    """The story groups of `ids` dealt into k folds by size, largest first (every body pair
    of a story in one fold). Deal 0 is that plain order; another deal shuffles the stories of
    about one size (within a third, on a log scale), seeded by the deal number, so that they
    land in other folds, the same way on every run."""
    sizes = Counter(data[i]["group"] for i in ids)
    buckets: list[set[int]] = [set() for _ in range(k)]
    load = [0] * k
    rng = np.random.default_rng(deal)
    order = {g: (rng.random() if deal else 0.0) for g in sorted(sizes)}
    rough = (lambda n: -round(np.log(n) * 3)) if deal else (lambda n: -n)
    for group, n in sorted(sizes.items(), key=lambda kv: (rough(kv[1]), order[kv[0]], kv[0])):
        i = load.index(min(load))
        buckets[i].add(group)
        load[i] += n
    return [[pid for pid in ids if data[pid]["group"] in b] for b in buckets]


def stack(data: dict[str, Any], ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    xs = [data[i]["x"] for i in ids if len(data[i]["x"])]
    ys = [data[i]["y"] for i in ids if len(data[i]["x"])]
    return np.vstack(xs), np.concatenate(ys)


def out_of_fold(data: dict[str, Any], parts: list[list[str]], kind: Any, l2: float) -> Probs:
    """Each body pair's candidate probabilities from a model fitted on the other parts."""
    probs: Probs = {}
    for test_ids in parts:
        train_ids = [i for p in parts if p is not test_ids for i in p]
        model = kind(data, train_ids, l2)
        probs.update({i: model.probabilities(data[i]) for i in test_ids})
    return probs


def cross_validate(
    data: dict[str, Any],
    gold: dict[str, list[dict[str, Any]]],
    parts: list[list[str]],
    kind: Any,
    l2: float,
    show: bool,
) -> tuple[dict[str, Any], Probs]:
    """Held-out records of every fold (thresholds from the inner folds of its training
    stories) and the outer out-of-fold probabilities."""
    held: dict[str, Any] = {}
    outer: Probs = {}
    for k, test_ids in enumerate(parts):
        train_ids = [i for p in parts if p is not test_ids for i in p]
        inner = out_of_fold(data, folds(data, train_ids, 4), kind, l2)
        pair_t, conflict_t = choose_thresholds(data, gold, inner)
        model = kind(data, train_ids, l2)
        probs = {i: model.probabilities(data[i]) for i in test_ids}
        outer.update(probs)
        pred = predict(data, probs, pair_t, conflict_t)
        held.update(pred)
        if show:
            s = score(pred, gold, test_ids)
            stories = len({data[i]["group"] for i in test_ids})
            print(
                f"{k:>4}  {stories:>7}  {s['conflicts']:>9}  {s['precision']:.3f}  "
                f"{s['recall']:.3f}  {s['f1']:.3f}  {s['clear_found']:>2}/{s['clear']:<3}  "
                f"{s['agree_found']:>4}/{s['agree']:<5}  {pair_t:.2f} / {conflict_t:.2f}"
            )
    return held, outer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-write", action="store_true", help="do not write the model file")
    ap.add_argument("--l2", type=float, default=1.0, help="the logistic baseline's penalty")
    ap.add_argument(
        "--deals",
        type=int,
        default=1,
        help="cross-validate on this many deals of the stories into folds (the first is the "
        "one reported in detail; more give the spread of the held-out figures)",
    )
    ap.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="FEATURE",
        choices=FEATURES,
        help="set this feature to 0 everywhere (to measure what it brings; implies --no-write)",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    pairs, gold = load()
    data = build(pairs, gold)
    for name in args.without:
        for d in data.values():
            d["x"][:, FEATURES.index(name)] = 0.0
    n_cand = sum(len(d["y"]) for d in data.values())
    n_pos = int(sum(d["y"].sum() for d in data.values()))
    print(
        f"{len(data)} body pairs, {n_cand} candidates ({n_pos} positive), built in "
        f"{time.perf_counter() - t0:.1f} s"
        + (f"; without {', '.join(args.without)}" if args.without else "")
    )
    ids = list(data)
    results: dict[str, list[tuple[dict[str, Any], Probs]]] = {}
    shipped = next(iter(MODELS))
    for name, kind in MODELS.items():
        if name == shipped:
            print(f"\n{name}, each fold held out:")
            print("fold  stories  conflicts  P      R      F1     clear   agree found  thresholds")
        results[name] = []
        for deal in range(args.deals):
            parts = folds(data, ids, deal=deal)
            show = name == shipped and deal == 0
            held, outer = cross_validate(data, gold, parts, kind, args.l2, show)
            results[name].append((score(held, gold, ids), outer))
    print("\nheld out, all folds (5 folds by story, thresholds from inner folds):")
    print(
        "model               conflict P  R      F1     true  false  no-note found  agree found"
        "        pairs P  R"
    )
    for name, runs in results.items():
        s = runs[0][0]
        print(
            f"{name:<20}{s['precision']:>10.3f}  {s['recall']:.3f}  {s['f1']:.3f}  "
            f"{s['tp']:>4}  {s['fp']:>5}  {s['clear_found']:>6}/{s['clear']:<6}  "
            f"{s['agree_found']:>5}/{s['agree']} ({s['agree_found'] / max(s['agree'], 1):.2f})"
            f"  {s['pair_precision']:.3f}  {s['pair_recall']:.3f}"
        )
    if args.deals > 1:
        print(f"\nover {args.deals} deals of the stories into folds: mean (lowest-highest)")
        print("model               conflict P           R                    F1")
        for name, runs in results.items():
            cells = []
            for key in ("precision", "recall", "f1"):
                v = [r[0][key] for r in runs]
                cells.append(f"{np.mean(v):.3f} ({min(v):.3f}-{max(v):.3f})")
            print(f"{name:<20}" + "  ".join(f"{c:<19}" for c in cells))
    s = results[shipped][0][0]
    # Thresholds chosen per fold move the figures above by a few hundredths from one deal to
    # the next; at fixed thresholds the models' out-of-fold probabilities compare directly.
    print(
        f"\nheld out at each fixed conflict threshold (out-of-fold probabilities, mean of "
        f"{args.deals} deal{'s' if args.deals > 1 else ''}): P / R / F1"
    )
    print("threshold  " + "".join(f"{name:<26}" for name in results))
    for t in CONFLICT_THRESHOLDS:
        cells = []
        for runs in results.values():
            got = [score(predict(data, o, 0.3, t), gold, ids) for _, o in runs]
            cells.append(" / ".join(f"{np.mean([g[k] for g in got]):.3f}" for k in PRF))
        print(f"  {t:.2f}     " + "".join(f"{c:<26}" for c in cells))
    labels = [str(label) for label in Label]
    print(f"\nconfusion of {shipped} (gold rows, predicted columns), held out:")
    print("gold \\ predicted".ljust(18) + "".join(f"{lab[:12]:>14}" for lab in labels))
    for g in labels:
        print(g.ljust(18) + "".join(f"{s['confusion'][(g, p)]:>14}" for p in labels))
    # The shipped thresholds: on the held-out probabilities of every deal run.
    pair_t, conflict_t = choose_thresholds(data, gold, *(o for _, o in results[shipped]))
    first, second = fit_two_stages(data, ids)
    model = PairModel(first, pair_t, conflict_t, second)
    if not (args.no_write or args.without):
        alignment.MODEL_PATH.write_text(json.dumps(model.to_json()) + "\n")
        print(
            f"\nwrote {alignment.MODEL_PATH.relative_to(ROOT)} ({first.feature.shape[0]} + "
            f"{second.feature.shape[0]} trees, thresholds {pair_t:.2f} / {conflict_t:.2f})"
        )
    print(f"done in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
