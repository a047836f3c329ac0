"""Ground truth for the matching benchmarks: which records describe the same child."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from homeward.synthetic.model import UKRAINIAN_SIDE_SOURCES, Record, SyntheticDataset

Pair = tuple[str, str]


def true_pairs(records: Iterable[Record]) -> set[Pair]:
    """Every pair of record ids that describe the same child, as ``(a, b)`` with
    ``a < b``: the answer a deduplication should give."""
    groups: dict[str, list[str]] = defaultdict(list)
    for record in records:
        groups[_key(record)].append(_id(record))
    pairs: set[Pair] = set()
    for ids in groups.values():
        pairs.update(combinations(sorted(ids), 2))
    return pairs


def true_link_pairs(left: Iterable[Record], right: Iterable[Record]) -> set[Pair]:
    """Every ``(left_id, right_id)`` pair describing the same child: the answer a
    linkage of two record sets should give."""
    by_child: dict[str, list[str]] = defaultdict(list)
    for record in right:
        by_child[_key(record)].append(_id(record))
    return {
        (_id(record), right_id) for record in left for right_id in by_child.get(_key(record), ())
    }


@dataclass(frozen=True, slots=True)
class LinkSplit:
    """Two record sets to link and the pairs a perfect linkage finds."""

    left: list[Record]
    """The Ukrainian side: the Ukrainian reports."""
    right: list[Record]
    """The other side and the mediators: Russian records, counterpart lists, Latin
    records and the distractors."""
    pairs: set[Pair]


def split_for_link(dataset: SyntheticDataset) -> LinkSplit:
    """Split a dataset into the Ukrainian reports and everything else, with the true
    cross pairs between them."""
    left = [r for r in dataset.records if r["source"] in UKRAINIAN_SIDE_SOURCES]
    right = [r for r in dataset.records if r["source"] not in UKRAINIAN_SIDE_SOURCES]
    return LinkSplit(left=left, right=right, pairs=true_link_pairs(left, right))


def _key(record: Record) -> str:
    key = record.get("child_key")
    if not key:
        raise ValueError(f"record {record.get('record_id')!r} has no child_key")
    return key


def _id(record: Record) -> str:
    record_id = record.get("record_id")
    if not record_id:
        raise ValueError("a record has no record_id")
    return record_id
