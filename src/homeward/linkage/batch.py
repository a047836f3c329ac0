"""Batch linking: deduplicate one set of records or link two, block, score,
train if asked, and cluster.

Clustering joins pairs at or above the threshold into groups (the records of
one child), strongest pair first, and refuses a join that would put two
records that are *clearly different* (match probability below
``conflict_below``, typically a different sex, birth date and given name) into
one group: a chain A–B–C does not make A and C one child when A and C
contradict each other.  The pairs reported are the pairs inside a group whose
own probability reaches the threshold.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from homeward.errors import Invalid
from homeward.linkage.blocking import candidate_pairs
from homeward.linkage.model import MatchModel, default_model, probability
from homeward.linkage.prepare import prepare
from homeward.linkage.scoring import IntArray, ValueTable, combine, probabilities
from homeward.linkage.training import Patterns, pattern_codes, train

CHUNK = 250_000
"""Candidate pairs compared per step (bounds memory on large inputs)."""
MAX_GROUP = 200
"""Groups larger than this are not re-scored pair by pair."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``."""


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class LinkedPair:
    """Two records (their indexes in the input) judged the same child."""

    a: int
    b: int
    probability: float
    weight: float
    group: int


@dataclass
class LinkResult:
    """What a batch run found, and the figures behind it."""

    pairs: list[LinkedPair]
    groups: list[list[int]]
    model: MatchModel
    records: int
    candidate_pairs: int
    above_threshold: int
    joins_refused: int
    stats: dict[str, Any] = field(default_factory=dict)


class _Groups:
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


def _score_chunks(
    model: MatchModel, table: ValueTable, left: IntArray, right: IntArray, progress: Progress
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Pattern codes of every candidate pair, compared in chunks."""
    codes = np.empty(len(left), dtype=np.int64)
    for start in range(0, len(left), CHUNK):
        stop = min(start + CHUNK, len(left))
        codes[start:stop] = pattern_codes(table.levels(left[start:stop], right[start:stop]))
        progress("compare", stop, len(left))
    return codes


def link(
    records_a: Sequence[Mapping[str, Any]],
    records_b: Sequence[Mapping[str, Any]] | None = None,
    *,
    model: MatchModel | None = None,
    train_model: bool = True,
    threshold: float = 0.5,
    conflict_below: float = 0.01,
    progress: Progress = _no_progress,
) -> LinkResult:
    """Deduplicate ``records_a``, or link it with ``records_b``.

    Record indexes in the result count ``records_a`` first, then ``records_b``.
    """
    if not 0 < threshold <= 1:
        raise Invalid(f"threshold must be in (0, 1], got {threshold}")
    start_model = model or default_model()
    records = list(records_a) + list(records_b or [])
    split_at = len(records_a) if records_b is not None else None
    prepared = []
    for i, record in enumerate(records, start=1):
        prepared.append(prepare(record))
        if i % 5000 == 0 or i == len(records):
            progress("prepare", i, len(records))
    table = ValueTable([p.values for p in prepared])
    candidates = candidate_pairs([p.keys for p in prepared], split_at=split_at)
    del prepared
    codes = _score_chunks(start_model, table, candidates.left, candidates.right, progress)
    unique, inverse = np.unique(codes, return_inverse=True)
    patterns = Patterns.from_codes(unique)
    if train_model:
        n_a = len(records_a)
        total = n_a * (len(records) - n_a) if split_at is not None else n_a * (n_a - 1) / 2
        counts = np.bincount(inverse, minlength=len(unique)).astype(np.float64)
        trained = train(
            start_model,
            table,
            Patterns(patterns.levels, counts),
            total_pairs=total,
            split_at=split_at,
        )
        used = trained.model
        progress("train", 1, 1)
    else:
        used = start_model
    weights = combine(patterns.levels, used)[inverse]
    above = np.flatnonzero(probabilities(weights) >= threshold)
    order = above[np.argsort(-weights[above], kind="stable")]
    pairs, groups, refused = _cluster(
        used, table, candidates.left, candidates.right, weights, order, threshold, conflict_below,
        split_at,
    )  # fmt: skip
    progress("cluster", 1, 1)
    return LinkResult(
        pairs=pairs,
        groups=groups,
        model=used,
        records=len(records),
        candidate_pairs=len(candidates),
        above_threshold=len(above),
        joins_refused=refused,
        stats={
            "blocks": candidates.blocks,
            "large_blocks": candidates.large_blocks,
            "patterns": len(unique),
        },
    )


def _pair_weights(
    model: MatchModel, table: ValueTable, pairs: list[tuple[int, int]]
) -> dict[tuple[int, int], float]:
    if not pairs:
        return {}
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    weights = combine(table.levels(left, right), model)
    return dict(zip(pairs, weights.tolist(), strict=True))


def _cluster(
    model: MatchModel,
    table: ValueTable,
    left: IntArray,
    right: IntArray,
    weights: np.ndarray[Any, np.dtype[np.float64]],
    order: IntArray,
    threshold: float,
    conflict_below: float,
    split_at: int | None,
) -> tuple[list[LinkedPair], list[list[int]], int]:
    groups = _Groups(table.size)
    known: dict[tuple[int, int], float] = {}
    for k in order.tolist():
        known[(int(left[k]), int(right[k]))] = float(weights[k])
    refused = 0
    conflict_weight = float(np.log2(conflict_below / (1 - conflict_below)))
    for k in order.tolist():
        a, b = int(left[k]), int(right[k])
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            continue
        ma, mb = groups.members_of(ra), groups.members_of(rb)
        if len(ma) + len(mb) > 2 and len(ma) * len(mb) <= MAX_GROUP * MAX_GROUP:
            cross = [(min(x, y), max(x, y)) for x in ma for y in mb]
            missing = [p for p in cross if p not in known]
            known.update(_pair_weights(model, table, missing))
            if any(known[p] < conflict_weight for p in cross):
                refused += 1
                continue
        groups.join(a, b)
    threshold_weight = float(np.log2(threshold / (1 - threshold))) if threshold < 1 else np.inf
    pairs: list[LinkedPair] = []
    out_groups: list[list[int]] = []
    for members in sorted(
        (sorted(m) for m in groups.members.values() if len(m) > 1), key=lambda m: m[0]
    ):
        number = len(out_groups)
        out_groups.append(members)
        if len(members) <= MAX_GROUP:
            inside = list(combinations(members, 2))
        else:  # too large to re-score: the pairs that joined it
            root = groups.find(members[0])
            inside = [p for p in known if groups.find(p[0]) == root]
        if split_at is not None:
            inside = [(a, b) for a, b in inside if a < split_at <= b]
        known.update(_pair_weights(model, table, [p for p in inside if p not in known]))
        for pair in inside:
            weight = known[pair]
            if weight >= threshold_weight:
                pairs.append(LinkedPair(pair[0], pair[1], probability(weight), weight, number))
    return pairs, out_groups, refused


# --- files ---------------------------------------------------------------------


def read_records(path: str | Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV of the contract's columns; ``record_id`` must be filled
    and unique.  Unknown columns are kept but not used."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if "record_id" not in header:
                raise Invalid(f"{path}: no record_id column (the header is {header})")
            rows = []
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                record_id = (row.get("record_id") or "").strip()
                if not record_id:
                    raise Invalid(f"{path}, line {line}: record_id is empty")
                if record_id in seen:
                    raise Invalid(f"{path}, line {line}: record_id {record_id!r} appears twice")
                seen.add(record_id)
                row["record_id"] = record_id
                rows.append({k: v for k, v in row.items() if k is not None})
            return rows
    except UnicodeDecodeError as error:
        raise Invalid(f"{path} is not UTF-8 ({error.reason} at byte {error.start})") from error


def pair_rows(
    result: LinkResult, ids: Sequence[str], *, two_files: bool
) -> Iterator[tuple[str, str, str, str, int]]:
    """Rows of PAIRS.csv: ids, probability, weight and group, strongest first."""
    for pair in sorted(result.pairs, key=lambda p: (-p.weight, p.a, p.b)):
        a, b = ids[pair.a], ids[pair.b]
        if not two_files and b < a:
            a, b = b, a
        yield a, b, f"{pair.probability:.6f}", f"{pair.weight:.2f}", pair.group


def write_pairs(path: str | Path, rows: Iterable[tuple[str, str, str, str, int]]) -> int:
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ("record_id_a", "record_id_b", "match_probability", "match_weight", "group")
        )
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
