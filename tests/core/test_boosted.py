"""Boosted trees walked with numpy: hand-built trees, the JSON form, and rows at the edges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.boosted import LEAF, Trees

# Tree 0: x0 <= 1.5 ? (x1 <= 0.0 ? -1 : 2) : 3.   Tree 1: a single leaf worth 0.5.
NODES = [
    [
        (0, 1.5, 1, 2, 0.0),
        (1, 0.0, 3, 4, 0.0),
        (LEAF, 0.0, 0, 0, 3.0),
        (LEAF, 0.0, 0, 0, -1.0),
        (LEAF, 0.0, 0, 0, 2.0),
    ],
    [(LEAF, 0.0, 0, 0, 0.5)],
]


def by_hand(row: list[float]) -> float:
    first = (-1.0 if row[1] <= 0.0 else 2.0) if row[0] <= 1.5 else 3.0
    return 0.25 + first + 0.5


def test_each_row_takes_its_own_path():
    trees = Trees.from_nodes(0.25, NODES)
    rows = np.array([[1.0, -2.0], [1.0, 7.0], [1.5, 0.0], [9.0, -1.0]])
    assert trees.decision(rows).tolist() == [by_hand(r) for r in rows.tolist()]


def test_no_rows_no_scores():
    assert Trees.from_nodes(0.0, NODES).decision(np.zeros((0, 2))).shape == (0,)


def test_the_json_form_names_columns_and_gives_the_same_scores():
    columns = ("count", "ratio")
    trees = Trees.from_nodes(0.25, NODES)
    data = trees.to_json(columns)
    assert data["trees"][0]["feature"][:2] == ["count", "ratio"]
    # Another column order in the code: the trees follow the names, not the positions.
    again = Trees.from_json(data, ("ratio", "count"))
    rows = np.array([[1.0, -2.0], [1.0, 7.0], [9.0, -1.0]])
    assert again.decision(rows[:, ::-1]).tolist() == trees.decision(rows).tolist()


def test_an_unknown_column_is_an_error():
    data = Trees.from_nodes(0.0, NODES).to_json(("count", "ratio"))
    with pytest.raises(KeyError):
        Trees.from_json(data, ("count",))


@given(
    st.lists(
        st.tuples(st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=1,
        max_size=30,
    )
)
def test_any_rows_score_as_by_hand(rows):
    scores = Trees.from_nodes(0.25, NODES).decision(np.array(rows, dtype=np.float64))
    assert all(math.isclose(s, by_hand(list(r))) for s, r in zip(scores, rows, strict=True))
