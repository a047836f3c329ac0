"""Batch linking: deduplicate one set of records or link two, block, score,
train if asked, and cluster.

Clustering joins pairs at or above the threshold into groups (the records of
one child), strongest pair first, and refuses a join that would put two
records that are *clearly different* into one group: a chain A–B–C does not
make A and C one child when A and C contradict each other.  Two records are
clearly different when their match probability is below ``conflict_below``
*and* their fields speak against one child by at least
:data:`CONTRADICTION_BITS` (a different given name; a different family name
and birth year): a list entry that gives only a family name and a year is
improbable against most records for want of evidence, not because anything
in it disagrees.  The pairs reported are the pairs inside a group whose
own probability reaches the threshold.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from homeward.allocator import release_freed_memory
from homeward.errors import Invalid
from homeward.linkage.blocking import BlockingKeys, _pairs_within
from homeward.linkage.groups import Groups as _Groups
from homeward.linkage.groups import components as _components
from homeward.linkage.model import MatchModel, default_model, probability
from homeward.linkage.prepare import Prepared, prepare
from homeward.linkage.scoring import (
    FloatArray,
    IntArray,
    ValueTable,
    combine,
    contradiction,
    probabilities,
    table_frequency_weights,
)
from homeward.linkage.thin import one_child_weights
from homeward.linkage.training import Patterns, pattern_codes, train
from homeward.names.compare import clear_pair_caches
from homeward.names.translit import skeleton

CHUNK = 250_000
"""Candidate pairs compared per step (bounds memory on large inputs)."""
MAX_GROUP = 200
"""Groups larger than this are not re-scored pair by pair."""
CONTRADICTION_BITS = 4.5
"""A pair below ``conflict_below`` blocks a join only when the negative weights
of its fields add up to at least this many bits (a different given name is
about 5)."""

SKIPPED_KEYS = ("gf:gi:",)
"""Keys a batch run does not block on: given initial × family name adds half of
the candidate pairs of a synthetic registry and two of its 20,000 true pairs
(the other keys find the rest).  Real-time search still uses them."""
ONE_SIDED = ("fy:", "iy:")
"""Keys that pair a *probe* record with the others of its block, not every two
records of the block: family name × year (``fy:``) for a record without a given
name; given initial × family name × year (``iy:``) for a record without a day
of birth (it has no day-and-month key, so a typo in its given name would leave
it with no key it shares with the child's other records)."""
_DATE = 4
_DOCUMENT = 7
MIN_TYPO_DOCUMENT = 5
"""Document numbers of at least this many characters are also filed with each
character left out in turn (``dd:``), so two numbers one character apart (a
typing slip, two neighbours swapped) share a key."""

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


def _score_chunks(
    model: MatchModel, table: ValueTable, left: IntArray, right: IntArray, progress: Progress
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Pattern codes of every candidate pair, compared in chunks."""
    codes = np.empty(len(left), dtype=np.int64)
    for start in range(0, len(left), CHUNK):
        stop = min(start + CHUNK, len(left))
        codes[start:stop] = pattern_codes(table.levels(left[start:stop], right[start:stop]))
        clear_pair_caches()
        progress("compare", stop, len(left))
    return codes


def _clear_preparation_caches() -> None:
    """Let go of what preparing the records cached (a large input fills the
    caches with values that are not met again)."""
    from homeward.linkage import prepare as module
    from homeward.names.normalize import normalize_name, repair_look_alikes
    from homeward.names.parse import parse_full_name

    for cached in (
        module._name_parts, module.read_person_name, module.read_date, module.read_document,
        parse_full_name, normalize_name, repair_look_alikes,
    ):  # fmt: skip
        cached.cache_clear()


def batch_keys(prepared: Prepared) -> frozenset[str]:
    """The blocking keys a batch run uses: all but :data:`SKIPPED_KEYS`, the
    given and family name in either order (``nm:``), so that a source that
    swapped them still meets the others, each document number with one
    character left out (``dd:``), the whole birth date with the first letter of
    the given name and with that of the family name (``di:``, ``df:``: typos in
    both names, or one name missing, and no other key in common), and the
    one-sided keys of :data:`ONE_SIDED`."""
    keys = {k for k in prepared.keys if not k.startswith(SKIPPED_KEYS)}
    given, family = prepared.values[0], prepared.values[1]
    if given and family:
        keys.add("nm:" + "|".join(sorted((given, family))))
    documents = prepared.values[_DOCUMENT]
    for number in documents.split("|") if documents else ():
        if len(number) >= MIN_TYPO_DOCUMENT:
            keys.update(f"dd:{number[:i]}{number[i + 1 :]}" for i in range(len(number)))
    date = prepared.values[_DATE]
    if len(date) == 10:
        for tag, name in (("di", given), ("df", family)):
            letter = skeleton(name)[:1].lower() if name else ""
            if letter:
                keys.add(f"{tag}:{date}|{letter}")
    year = date[:4]
    if year:
        keys.update(f"iy:{k[6:]}|{year}" for k in prepared.keys if k.startswith("gf:gi:"))
    return frozenset(keys)


def _probe(key: str, values: tuple[str, ...]) -> bool:
    """Whether a record is a probe under a one-sided key (:data:`ONE_SIDED`)."""
    if key.startswith("fy:"):
        return not values[0]
    return len(values[_DATE]) < 10


def _prepare_all(
    records: Iterable[Mapping[str, Any]], total: int | None, progress: Progress
) -> tuple[list[tuple[str, ...]], BlockingKeys]:
    """Prepare records one by one, keeping only their values and the hashes of
    their batch keys (not the records, not the key strings)."""
    values: list[tuple[str, ...]] = []
    keys = BlockingKeys()
    chunk_keys: list[int] = []
    chunk_records: list[int] = []
    sided_keys: list[int] = []
    sided_records: list[int] = []
    sided_probes: list[bool] = []
    for r, record in enumerate(records):
        prepared = prepare(record)
        values.append(prepared.values)
        for key in batch_keys(prepared):
            if key.startswith(ONE_SIDED):
                sided_keys.append(hash(key))
                sided_records.append(r)
                sided_probes.append(_probe(key, prepared.values))
            else:
                chunk_keys.append(hash(key))
                chunk_records.append(r)
        done = r + 1
        if done % 5000 == 0:
            keys.add(chunk_keys, chunk_records)
            keys.add_one_sided(sided_keys, sided_records, sided_probes)
            chunk_keys, chunk_records = [], []
            sided_keys, sided_records, sided_probes = [], [], []
            progress("prepare", done, total or done)
    keys.add(chunk_keys, chunk_records)
    keys.add_one_sided(sided_keys, sided_records, sided_probes)
    progress("prepare", len(values), total or len(values))
    return values, keys


def _count(records: Iterable[Mapping[str, Any]]) -> int | None:
    return len(records) if isinstance(records, Sized) else None


class _Counted:
    """Iterate records, counting them (the first set's size is the split)."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self.records = records
        self.count = 0

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        for record in self.records:
            self.count += 1
            yield record


def link(
    records_a: Iterable[Mapping[str, Any]],
    records_b: Iterable[Mapping[str, Any]] | None = None,
    *,
    model: MatchModel | None = None,
    train_model: bool = True,
    threshold: float = 0.5,
    conflict_below: float = 0.01,
    progress: Progress = _no_progress,
) -> LinkResult:
    """Deduplicate ``records_a``, or link it with ``records_b``.

    Record indexes in the result count ``records_a`` first, then ``records_b``.
    The records may be any iterables (a file read row by row): each is
    prepared and then let go.
    """
    if not 0 < threshold <= 1:
        raise Invalid(f"threshold must be in (0, 1], got {threshold}")
    start_model = model or default_model()
    first = _Counted(records_a)
    sizes = (_count(records_a), _count(records_b) if records_b is not None else 0)
    total = None if None in sizes else sum(s or 0 for s in sizes)
    values, keys = _prepare_all(chain(first, records_b or ()), total, progress)
    split_at = first.count if records_b is not None else None
    n_a = first.count
    table = ValueTable(values)
    size = len(values)
    del values
    _clear_preparation_caches()
    release_freed_memory()
    progress("number", 1, 1)
    candidates = keys.candidates(size, split_at=split_at)
    del keys
    release_freed_memory()
    progress("block", 1, 1)
    codes = _score_chunks(start_model, table, candidates.left, candidates.right, progress)
    unique, inverse64 = np.unique(codes, return_inverse=True)
    inverse = inverse64.reshape(-1).astype(np.int32)  # fewer than 2**31 patterns
    del codes, inverse64
    patterns = Patterns.from_codes(unique)
    if train_model:
        n = table.size
        all_pairs = n_a * (n - n_a) if split_at is not None else n_a * (n_a - 1) / 2
        counts = np.bincount(inverse, minlength=len(unique)).astype(np.float64)
        trained = train(
            start_model,
            table,
            Patterns(patterns.levels, counts),
            total_pairs=all_pairs,
            split_at=split_at,
        )
        clear_pair_caches()
        used = replace(trained.model, frequencies=table.frequency_counts())
        progress("train", 1, 1)
    else:
        used = start_model
    frequencies = table.frequencies(used) if used.frequencies else None
    weights = np.empty(len(inverse), dtype=np.float64)
    against = np.empty(len(inverse), dtype=np.float32)
    for start in range(0, len(inverse), CHUNK):
        part = slice(start, min(start + CHUNK, len(inverse)))
        levels = patterns.levels[inverse[part]]
        extra = table_frequency_weights(
            used, table, levels, candidates.left[part], candidates.right[part], frequencies
        )
        weights[part] = combine(levels, used, extra)
        against[part] = contradiction(levels, used, extra)
    one_child_weights(
        used, table, candidates.left, candidates.right, patterns.levels, inverse, weights,
        threshold, split_at, frequencies,
    )  # fmt: skip
    above = np.flatnonzero(probabilities(weights) >= threshold)
    order = above[np.argsort(-weights[above], kind="stable")]
    pairs, groups, refused = _cluster(
        used, table, candidates.left, candidates.right, weights, against, order, threshold,
        conflict_below, split_at, frequencies,
    )  # fmt: skip
    progress("cluster", 1, 1)
    return LinkResult(
        pairs=pairs,
        groups=groups,
        model=used,
        records=table.size,
        candidate_pairs=len(candidates),
        above_threshold=len(above),
        joins_refused=refused,
        stats={
            "blocks": candidates.blocks,
            "large_blocks": candidates.large_blocks,
            "patterns": len(unique),
        },
    )


def _weights_of(
    model: MatchModel,
    table: ValueTable,
    left: IntArray,
    right: IntArray,
    frequencies: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    """Match weights and :func:`~homeward.linkage.scoring.contradiction` of pairs."""
    out = np.empty(len(left), dtype=np.float64)
    against = np.empty(len(left), dtype=np.float64)
    for start in range(0, len(left), CHUNK):
        part = slice(start, min(start + CHUNK, len(left)))
        levels = table.levels(left[part], right[part])
        extra = table_frequency_weights(model, table, levels, left[part], right[part], frequencies)
        out[part] = combine(levels, model, extra)
        against[part] = contradiction(levels, model, extra)
    return out, against


def _all_pairs(labels: IntArray, chosen: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """Every pair of records inside each component whose label is ``chosen``."""
    members = np.flatnonzero(chosen[labels])
    if not len(members):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    members = members[np.argsort(labels[members], kind="stable")]
    sorted_labels = labels[members]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_labels)) + 1))
    sizes = np.diff(np.concatenate((starts, [len(members)])))
    return _pairs_within(members, starts.astype(np.int64), sizes.astype(np.int64))


def _cluster(
    model: MatchModel,
    table: ValueTable,
    left: IntArray,
    right: IntArray,
    weights: np.ndarray[Any, np.dtype[np.float64]],
    against: np.ndarray[Any, np.dtype[np.float32]],
    order: IntArray,
    threshold: float,
    conflict_below: float,
    split_at: int | None,
    frequencies: FloatArray | None,
) -> tuple[list[LinkedPair], list[list[int]], int]:
    """Join the pairs of ``order`` (strongest first) into groups, refusing a join
    that would put two clearly different records into one group.

    Every pair inside a component of the pairs (up to :data:`MAX_GROUP`
    records) is scored once, with numpy, before joining; in a larger
    component only candidate pairs are known."""
    n = table.size
    conflict_weight = float(np.log2(conflict_below / (1 - conflict_below)))
    threshold_weight = float(np.log2(threshold / (1 - threshold))) if threshold < 1 else np.inf
    top_left, top_right, top_weight = left[order], right[order], weights[order]
    labels = _components(n, top_left, top_right)
    sizes = np.bincount(labels, minlength=n)
    small = (sizes > 2) & (sizes <= MAX_GROUP)
    in_left, in_right = _all_pairs(labels, small)
    lo, hi = np.minimum(in_left, in_right), np.maximum(in_left, in_right)
    in_weight, in_against = _weights_of(model, table, lo, hi, frequencies)
    # Pairs whose weight is known: candidates above the threshold (the joins),
    # every pair inside a small component, candidates inside a large one.
    large = sizes > MAX_GROUP
    in_large = large[labels[left]] & (labels[left] == labels[right])
    # A candidate's own weight comes first: it may have been raised
    # (:func:`~homeward.linkage.thin.one_child_weights`).
    known_codes = np.concatenate(
        (top_left * n + top_right, left[in_large] * n + right[in_large], lo * n + hi)
    )
    known_weights = np.concatenate((top_weight, weights[in_large], in_weight))
    known_against = np.concatenate((against[order], against[in_large], in_against))
    known_codes, first = np.unique(known_codes, return_index=True)
    known_weights, known_against = known_weights[first], known_against[first]
    clearly_different = (known_weights < conflict_weight) & (known_against <= -CONTRADICTION_BITS)
    conflicts = known_codes[clearly_different]  # sorted
    groups = _Groups(n)
    refused = 0
    for a, b in zip(top_left.tolist(), top_right.tolist(), strict=True):
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            continue
        ma, mb = groups.members_of(ra), groups.members_of(rb)
        if len(conflicts) and len(ma) + len(mb) > 2 and len(ma) * len(mb) <= MAX_GROUP**2:
            x, y = np.array(ma, dtype=np.int64)[:, None], np.array(mb, dtype=np.int64)[None, :]
            cross = (np.minimum(x, y) * n + np.maximum(x, y)).ravel()
            at = np.minimum(np.searchsorted(conflicts, cross), len(conflicts) - 1)
            if (conflicts[at] == cross).any():
                refused += 1
                continue
        groups.join(a, b)
    out_groups = sorted(
        (sorted(m) for m in groups.members.values() if len(m) > 1), key=lambda m: m[0]
    )
    number = np.full(n, -1, dtype=np.int64)
    for g, members in enumerate(out_groups):
        number[members] = g
    # The pairs inside a group: all of them in a small component, the known
    # pairs in a large one.
    small_groups = np.zeros(len(out_groups) + 1, dtype=bool)
    for g, members in enumerate(out_groups):
        small_groups[g] = not large[labels[members[0]]]
    pair_left, pair_right = _all_pairs(np.where(number >= 0, number, len(out_groups)), small_groups)
    pair_lo, pair_hi = np.minimum(pair_left, pair_right), np.maximum(pair_left, pair_right)
    codes = pair_lo * n + pair_hi
    at = np.minimum(np.searchsorted(known_codes, codes), max(len(known_codes) - 1, 0))
    found = known_codes[at] == codes if len(known_codes) else np.zeros(len(codes), dtype=bool)
    pair_weight = np.where(found, known_weights[at] if len(known_codes) else 0.0, -np.inf)
    big = (number[known_codes // n] >= 0) & (number[known_codes // n] == number[known_codes % n])
    big &= large[labels[known_codes // n]]
    all_codes = np.concatenate((codes[found], known_codes[big]))
    all_weights = np.concatenate((pair_weight[found], known_weights[big]))
    keep = all_weights >= threshold_weight
    all_codes, all_weights = all_codes[keep], all_weights[keep]
    a_arr, b_arr = all_codes // n, all_codes % n
    if split_at is not None:
        cross = (a_arr < split_at) & (b_arr >= split_at)
        a_arr, b_arr, all_weights = a_arr[cross], b_arr[cross], all_weights[cross]
    pairs = [
        LinkedPair(a, b, probability(w), w, int(number[a]))
        for a, b, w in zip(a_arr.tolist(), b_arr.tolist(), all_weights.tolist(), strict=True)
    ]
    return pairs, out_groups, refused


# --- files ---------------------------------------------------------------------


def read_records(path: str | Path) -> list[dict[str, str]]:
    """Read a UTF-8 CSV of the contract's columns; ``record_id`` must be filled
    and unique.  Unknown columns are kept but not used."""
    return list(iter_records(path, []))


def iter_records(path: str | Path, ids: list[str]) -> Iterator[dict[str, str]]:
    """The rows of :func:`read_records` one at a time, each ``record_id``
    appended to ``ids`` (a large file is never held whole)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if "record_id" not in header:
                raise Invalid(f"{path}: no record_id column (the header is {header})")
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                record_id = (row.get("record_id") or "").strip()
                if not record_id:
                    raise Invalid(f"{path}, line {line}: record_id is empty")
                if record_id in seen:
                    raise Invalid(f"{path}, line {line}: record_id {record_id!r} appears twice")
                seen.add(record_id)
                ids.append(record_id)
                row["record_id"] = record_id
                yield {k: v for k, v in row.items() if k is not None}
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
