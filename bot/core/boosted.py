"""Gradient-boosted decision trees, evaluated with numpy alone.

The trees are trained elsewhere (``benchmarks/train_claim_pairs.py`` fits them with
scikit-learn, a training-only dependency) and shipped as plain numbers: for each node the
feature it tests, the threshold, its two children and, for a leaf, the value it adds to the
log-odds. A row goes left when its feature is at most the threshold.

Rows are scored without walking the trees (the leaf-elimination scheme of QuickScorer, Lucchese
et al., SIGIR 2015): a tree's leaves are numbered left to right, and every test a row fails
(it goes right) rules out the leaves of that node's left subtree. The leaf a row ends in is the
leftmost leaf no failed test ruled out. So all tests of all trees are made at once, one array
operation each, whatever the trees' depth: a hundred trees of 15 leaves score 500 rows in
about a millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

LEAF = -1  # the feature a leaf "tests": none
MAX_LEAVES = 64  # a tree's leaves are bits of one unsigned integer


@dataclass(frozen=True, slots=True)
class Trees:
    """An additive model of trees over numbered feature columns. The node arrays are trees x
    nodes, padded with leaves worth nothing (a leaf's children are itself); the arrays after
    them are what ``decision`` reads, built from the nodes by ``from_nodes``."""

    baseline: float
    feature: np.ndarray  # int, the column tested; LEAF at a leaf
    threshold: np.ndarray  # float, go left when the column is <= this
    left: np.ndarray  # int, node index within the tree
    right: np.ndarray
    value: np.ndarray  # float, what a leaf adds to the log-odds (0 at inner nodes)
    # The distinct tests (column, threshold) of all trees, and for each tree's inner nodes
    # (inner nodes x trees, padded) the test it makes and the leaves it rules out when a row
    # fails it, one bit per leaf, leftmost leaf lowest; and each tree's leaf values in that
    # order.
    test_column: np.ndarray
    test_threshold: np.ndarray
    node_test: np.ndarray
    node_drops: np.ndarray  # the narrowest unsigned integers that hold a bit per leaf
    leaf_value: np.ndarray

    def decision(self, rows: np.ndarray) -> np.ndarray:
        """The log-odds of each row (rows x columns, the columns the trees were built on)."""
        if len(rows) == 0:
            return np.zeros(0)
        fails = rows[:, self.test_column] > self.test_threshold  # rows x tests
        bits = self.node_drops.dtype.type
        # The leaves each failed test rules out (a passed one, times 0, rules out none), and
        # those of all a tree's nodes together: the leaves left are those none ruled out (a
        # product and an "or" take half the time of np.where picking what each node keeps;
        # the "or" runs across whole rows of trees, a few times faster than along each tree's
        # short run of nodes).
        dropped = fails[:, self.node_test] * self.node_drops  # rows x inner nodes x trees
        alive = ~np.bitwise_or.reduce(dropped, axis=1)  # rows x trees
        lowest = alive & (~alive + bits(1))  # the lowest bit still set
        leaf = np.log2(lowest.astype(np.float64)).astype(np.intp)
        tree = np.arange(leaf.shape[1])
        scores: np.ndarray = self.baseline + self.leaf_value[tree, leaf].sum(axis=1)
        return scores

    def to_json(self, columns: Sequence[str]) -> dict[str, Any]:
        """Plain lists, one entry per tree with its nodes, the tested columns by name."""
        trees = []
        for t in range(self.feature.shape[0]):
            used = _reachable(self.left[t], self.right[t])
            trees.append(
                {
                    "feature": [
                        None if self.feature[t, k] == LEAF else columns[self.feature[t, k]]
                        for k in used
                    ],
                    "threshold": [float(self.threshold[t, k]) for k in used],
                    "left": [int(self.left[t, k]) for k in used],
                    "right": [int(self.right[t, k]) for k in used],
                    "value": [float(self.value[t, k]) for k in used],
                }
            )
        return {"baseline": self.baseline, "trees": trees}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], columns: Sequence[str]) -> Trees:
        """The trees of `data`, their columns looked up by name in `columns` (a column the
        model tests that `columns` lacks is an error, not a silent zero)."""
        position = {name: k for k, name in enumerate(columns)}
        nodes = [
            [
                (
                    LEAF if f is None else position[f],
                    float(th),
                    int(le),
                    int(ri),
                    float(v),
                )
                for f, th, le, ri, v in zip(
                    t["feature"], t["threshold"], t["left"], t["right"], t["value"], strict=True
                )
            ]
            for t in data["trees"]
        ]
        return cls.from_nodes(float(data["baseline"]), nodes)

    @classmethod
    def from_nodes(
        cls, baseline: float, trees: Sequence[Sequence[tuple[int, float, int, int, float]]]
    ) -> Trees:
        """Trees from per-node tuples (feature or LEAF, threshold, left, right, leaf value),
        node 0 the root of each tree."""
        width = max((len(t) for t in trees), default=1)
        shape = (len(trees), width)
        feature = np.full(shape, LEAF, dtype=np.intp)
        threshold = np.zeros(shape)
        left = np.tile(np.arange(width, dtype=np.intp), (len(trees), 1))
        right = left.copy()
        value = np.zeros(shape)
        for t, nodes in enumerate(trees):
            for k, (f, th, le, ri, v) in enumerate(nodes):
                feature[t, k] = f
                if f == LEAF:
                    value[t, k] = v
                else:
                    threshold[t, k], left[t, k], right[t, k] = th, le, ri
        return cls(baseline, feature, threshold, left, right, value, *_tests(trees))


def _tests(
    trees: Sequence[Sequence[tuple[int, float, int, int, float]]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What ``Trees.decision`` reads: the distinct tests, each inner node's test and the
    leaves it rules out when failed, and the leaf values left to right."""
    tests: dict[tuple[int, float], int] = {}
    per_tree: list[list[tuple[int, int]]] = []  # (test, drops) of each inner node
    leaf_values: list[list[float]] = []
    for nodes in trees:
        order = _leaves_left_to_right(nodes)
        if len(order) > MAX_LEAVES:
            raise ValueError(f"a tree of {len(order)} leaves (at most {MAX_LEAVES})")
        bit = {k: i for i, k in enumerate(order)}
        inner = []
        for f, th, le, _ri, _v in nodes:
            if f == LEAF:
                continue
            left_leaves = sum(1 << bit[leaf] for leaf in _leaves_left_to_right(nodes, le))
            test = tests.setdefault((f, th), len(tests))
            inner.append((test, left_leaves))
        per_tree.append(inner)
        leaf_values.append([nodes[k][4] for k in order])
    width = max((len(t) for t in per_tree), default=0) or 1
    n_leaves = max((len(v) for v in leaf_values), default=1)
    bits = next(
        t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if np.iinfo(t).bits >= n_leaves
    )
    node_test = np.zeros((width, len(trees)), dtype=np.intp)
    node_drops = np.zeros((width, len(trees)), dtype=bits)  # padding rules out nothing
    for t, inner in enumerate(per_tree):
        for k, (test, drops) in enumerate(inner):
            node_test[k, t], node_drops[k, t] = test, drops
    leaf_value = np.zeros((len(trees), n_leaves))
    for t, values in enumerate(leaf_values):
        leaf_value[t, : len(values)] = values
    if not tests:
        tests[(0, np.inf)] = 0  # trees of one leaf each: a test no row fails
    test_column = np.array([f for f, _ in tests], dtype=np.intp)
    test_threshold = np.array([th for _, th in tests], dtype=np.float64)
    return test_column, test_threshold, node_test, node_drops, leaf_value


def _leaves_left_to_right(
    nodes: Sequence[tuple[int, float, int, int, float]], root: int = 0
) -> list[int]:
    """The leaves under `root`, leftmost first."""
    out, todo = [], [root]
    while todo:
        k = todo.pop()
        f, _th, le, ri, _v = nodes[k]
        if f == LEAF:
            out.append(k)
        else:
            todo.extend((ri, le))  # the left child is popped first
    return out


def _reachable(left: np.ndarray, right: np.ndarray) -> list[int]:
    """The nodes reachable from the root, in index order (the padding dropped)."""
    seen, todo = {0}, [0]
    while todo:
        k = todo.pop()
        for child in (int(left[k]), int(right[k])):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return sorted(seen)
