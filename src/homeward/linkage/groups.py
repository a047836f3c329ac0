"""Groups of records joined by pairs: union–find, and connected components."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


class Groups:
    """Union–find over records, each group keeping its members."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def members_of(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ma, mb = self.members_of(ra), self.members_of(rb)
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        self.parent[rb] = ra
        self.members[ra] = ma + mb
        self.members.pop(rb, None)


def components(size: int, left: IntArray, right: IntArray) -> IntArray:
    """Connected components (a label per record) of the graph of pairs."""
    groups = Groups(size)
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        groups.join(a, b)
    return np.array([groups.find(x) for x in range(size)], dtype=np.int64)
