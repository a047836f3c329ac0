"""Candidate pairs: records that share a blocking key.

Comparing every record with every other is out of reach (200,000 records make
20 billion pairs).  Each record is filed under a few keys
(:func:`homeward.linkage.prepare.blocking_keys`), and only records sharing a
key are compared.  A block larger than ``max_block`` records (a very common
name on a very common date) is split into windows of records sorted by their
other keys, so no block costs more than ``max_block²/2`` pairs; the number of
such blocks is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

MAX_BLOCK = 500
"""The largest block paired in full."""
BATCH = 1_000_000
"""Pairs of small blocks made at once."""


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate pairs ``(left[k], right[k])`` with ``left[k] < right[k]``."""

    left: IntArray
    right: IntArray
    blocks: int
    large_blocks: int

    def __len__(self) -> int:
        return len(self.left)


def _ranges(starts: IntArray, sizes: IntArray) -> IntArray:
    """The concatenation of ``range(starts[b], starts[b] + sizes[b])``."""
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.repeat(starts, sizes) + within


def _pairs_within(
    members: IntArray, starts: IntArray, sizes: IntArray
) -> tuple[IntArray, IntArray]:
    """All pairs inside each block ``members[starts[b] : starts[b] + sizes[b]]``."""
    position = _ranges(starts, sizes)
    later = np.repeat(starts + sizes, sizes) - position - 1  # members after each one
    first = np.repeat(position, later)
    second = first + 1 + _ranges(np.zeros(len(later), dtype=np.int64), later)
    return members[first], members[second]


class BlockingKeys:
    """The keys of many records, as 64-bit hashes in numpy arrays (a key string
    is hashed once and not kept): ``(key, record)`` entries, and those of the
    one-sided keys with whether the record is a probe under that key."""

    def __init__(self) -> None:
        self._keys: list[IntArray] = []
        self._records: list[IntArray] = []
        self._sided: list[IntArray] = []

    def add(self, keys: Sequence[int], records: Sequence[int]) -> None:
        if keys:
            self._keys.append(np.array(keys, dtype=np.int64))
            self._records.append(np.array(records, dtype=np.int64))

    def add_one_sided(
        self, keys: Sequence[int], records: Sequence[int], probes: Sequence[bool]
    ) -> None:
        """File ``records[k]`` under the one-sided key ``keys[k]``; a probe is
        paired with every other record of the key's block, the others only
        with its probes."""
        if keys:
            self._sided.append(np.array([keys, records, probes], dtype=np.int64).T)

    def candidates(
        self, size: int, *, split_at: int | None = None, max_block: int = MAX_BLOCK
    ) -> Candidates:
        keys = np.concatenate(self._keys) if self._keys else np.zeros(0, dtype=np.int64)
        records = np.concatenate(self._records) if self._records else np.zeros(0, dtype=np.int64)
        self._keys, self._records = [], []
        sided = np.concatenate(self._sided) if self._sided else np.zeros((0, 3), np.int64)
        self._sided = []
        extra = _one_sided_pairs(sided, split_at)
        return _candidates(keys, records, size, split_at, max_block, extra)


def candidate_pairs(
    keys: Sequence[frozenset[str]],
    *,
    split_at: int | None = None,
    max_block: int = MAX_BLOCK,
    probes: Sequence[bool] | None = None,
    one_sided: tuple[str, ...] = (),
) -> Candidates:
    """Pairs of records that share a key.

    ``split_at``: for linking two sets, records ``[0, split_at)`` are the first
    set and the rest the second; only pairs across the two are returned.

    ``one_sided``: key prefixes whose blocks pair only a *probe* record
    (``probes[r]`` true) with the others: ``fy:`` (family name × year) is for
    records that give no given name, and pairing every two children of one
    surname and year would make most of a large registry's candidates.
    """
    numbers: dict[str, int] = {}
    key_ids: list[int] = []
    record_ids: list[int] = []
    sided: list[tuple[int, int, bool]] = []
    for r, record_keys in enumerate(keys):
        for key in record_keys:
            if one_sided and key.startswith(one_sided):
                if probes is not None:
                    sided.append((hash(key), r, bool(probes[r])))
                continue
            k = numbers.get(key)
            if k is None:
                k = numbers[key] = len(numbers)
            key_ids.append(k)
            record_ids.append(r)
    extra = _one_sided_pairs(np.array(sided, dtype=np.int64).reshape(-1, 3), split_at)
    key_arr = np.asarray(key_ids, dtype=np.int64)
    rec_arr = np.asarray(record_ids, dtype=np.int64)
    return _candidates(key_arr, rec_arr, len(keys), split_at, max_block, extra)


def _candidates(
    key_arr: IntArray,
    rec_arr: IntArray,
    size: int,
    split_at: int | None,
    max_block: int,
    extra: tuple[IntArray, IntArray],
) -> Candidates:
    if not len(key_arr) and not len(extra[0]):
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, 0, 0)
    if not len(key_arr):  # one block of one record: no pair
        key_arr, rec_arr = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    order = np.lexsort((rec_arr, key_arr))
    key_arr, rec_arr = key_arr[order], rec_arr[order]
    boundaries = np.flatnonzero(np.diff(key_arr)) + 1
    starts = np.concatenate(([0], boundaries)).astype(np.int64)
    sizes = np.diff(np.concatenate((starts, [len(key_arr)]))).astype(np.int64)
    if split_at is not None:
        # A block with records of one set only makes no cross pair.
        first_set = rec_arr < split_at
        in_first = np.add.reduceat(first_set.astype(np.int64), starts)
        useful = (in_first > 0) & (in_first < sizes)
    else:
        useful = sizes > 1
    large = useful & (sizes > max_block)
    small = useful & ~large
    codes: list[IntArray] = []

    def collect(left: IntArray, right: IntArray) -> None:
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        if split_at is not None:
            keep = (lo < split_at) & (hi >= split_at)
            lo, hi = lo[keep], hi[keep]
        codes.append(lo * size + hi)

    # Small blocks in batches of about BATCH pairs, each batch reduced to one
    # code per pair at once: the pairs of every block are never all held.
    small_starts, small_sizes = starts[small], sizes[small]
    batch_of = np.cumsum(small_sizes * (small_sizes - 1) // 2) // BATCH
    for batch in np.unique(batch_of).tolist():
        chosen = batch_of == batch
        collect(*_pairs_within(rec_arr, small_starts[chosen], small_sizes[chosen]))
    for block_start, block_size in zip(starts[large].tolist(), sizes[large].tolist(), strict=True):
        # Windows of max_block records overlapping by half: near neighbours by
        # record number (records of one file often come in order).
        members = rec_arr[block_start : block_start + block_size]
        step = max(1, max_block // 2)
        for begin in range(0, block_size - 1, step):
            window = members[begin : begin + max_block]
            collect(
                *_pairs_within(window, np.zeros(1, np.int64), np.array([len(window)], np.int64))
            )
    collect(*extra)
    combined = np.concatenate(codes)
    del codes[:]
    combined.sort()
    # np.unique without an inverse hashes, many times slower than sorting here.
    if len(combined):
        combined = combined[np.concatenate(([True], combined[1:] != combined[:-1]))]
    return Candidates(combined // size, combined % size, int(useful.sum()), int(large.sum()))


def _one_sided_pairs(
    entries: npt.NDArray[np.int64], split_at: int | None
) -> tuple[IntArray, IntArray]:
    """Pairs of a probe record with every other record of its block; ``entries``
    are rows ``(key hash, record, 1 if the record is a probe under that key)``."""
    empty = np.zeros(0, dtype=np.int64)
    if not len(entries):
        return empty, empty
    arr = entries[np.lexsort((entries[:, 1], entries[:, 0]))]
    key_arr, rec_arr = arr[:, 0], arr[:, 1]
    is_probe = arr[:, 2].astype(bool)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(key_arr)) + 1))
    stops = np.concatenate((starts[1:], [len(key_arr)]))
    with_probe = np.add.reduceat(is_probe.astype(np.int64), starts) > 0
    lefts, rights = [empty], [empty]
    for start, stop in zip(starts[with_probe].tolist(), stops[with_probe].tolist(), strict=True):
        members = rec_arr[start:stop]
        if len(members) < 2:
            continue
        found = members[is_probe[start:stop]]
        a = np.repeat(found, len(members))
        b = np.tile(members, len(found))
        keep = a != b
        lefts.append(a[keep])
        rights.append(b[keep])
    left, right = np.concatenate(lefts), np.concatenate(rights)
    if split_at is not None:
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        keep = (lo < split_at) & (hi >= split_at)
        left, right = left[keep], right[keep]
    return left, right
