"""Disjoint sets of ids: the claims linked by a story's claim pairs, grouped."""

from __future__ import annotations

from collections.abc import Iterable


class UnionFind:
    """`union(a, b)` puts two ids in one set; `find(x)` names the set of `x` by one of its ids.

    An id never seen is a set of its own. Paths are halved as they are walked, so a story's
    few thousand pairs are grouped in near-linear time.
    """

    __slots__ = ("_parent",)

    def __init__(self, links: Iterable[tuple[int, int]] = ()):
        self._parent: dict[int, int] = {}
        for a, b in links:
            self.union(a, b)

    def find(self, x: int) -> int:
        parent = self._parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            parent[root] = parent[parent[root]]
            root = parent[root]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[ra] = rb
