"""Ground truth pairs and the CSV contract of ``homeward link``."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from homeward.synthetic import (
    CONTRACT_COLUMNS,
    TRUTH_COLUMNS,
    Record,
    SyntheticDataset,
    split_for_link,
    true_link_pairs,
    true_pairs,
    write_csv,
    write_pairs_csv,
)


def _record(record_id: str, child_key: str, source: str = "ua_report") -> Record:
    return {"record_id": record_id, "child_key": child_key, "source": source}


def test_true_pairs_on_a_handmade_example() -> None:
    records = [
        _record("b", "c1"),
        _record("a", "c1"),
        _record("c", "c2"),
        _record("d", "c1"),
        _record("f", "c3"),
        _record("e", "c3"),
    ]
    assert true_pairs(records) == {("a", "b"), ("a", "d"), ("b", "d"), ("e", "f")}


def test_true_link_pairs_on_a_handmade_example() -> None:
    left = [_record("a", "c1"), _record("c", "c2"), _record("x", "c9")]
    right = [_record("b", "c1"), _record("d", "c1"), _record("f", "c3")]
    assert true_link_pairs(left, right) == {("a", "b"), ("a", "d")}


def test_a_record_without_child_key_is_refused() -> None:
    with pytest.raises(ValueError, match="no child_key"):
        true_pairs([{"record_id": "a", "child_key": None}])


def test_dedupe_pairs_count_on_the_dataset(dataset: SyntheticDataset) -> None:
    sizes = Counter(r["child_key"] for r in dataset.records)
    pairs = true_pairs(dataset.records)
    assert len(pairs) == sum(n * (n - 1) // 2 for n in sizes.values())
    assert all(a < b for a, b in pairs)
    keys = {r["record_id"]: r["child_key"] for r in dataset.records}
    assert all(keys[a] == keys[b] for a, b in pairs)


def test_split_for_link(dataset: SyntheticDataset) -> None:
    split = split_for_link(dataset)
    assert {r["source"] for r in split.left} == {"ua_report"}
    assert "ua_report" not in {r["source"] for r in split.right}
    assert len(split.left) + len(split.right) == len(dataset.records)
    left_keys = Counter(r["child_key"] for r in split.left)
    right_keys = Counter(r["child_key"] for r in split.right)
    assert len(split.pairs) == sum(n * right_keys[k] for k, n in left_keys.items())
    left_ids = {r["record_id"] for r in split.left}
    distractor_ids = {r["record_id"] for r in split.right if r["source"] == "russian_only"}
    assert distractor_ids
    for left_id, right_id in split.pairs:
        assert left_id in left_ids
        assert right_id not in distractor_ids


def test_write_csv_follows_the_contract(dataset: SyntheticDataset, tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    records = dataset.records[:50]
    assert write_csv(records, path) == 50
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CONTRACT_COLUMNS
    assert len(rows) == 51
    for row, record in zip(rows[1:], records, strict=True):
        for column, value in zip(CONTRACT_COLUMNS, row, strict=True):
            assert value == (record[column] or "")


def test_write_csv_with_truth_columns(dataset: SyntheticDataset, tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    write_csv(dataset.records[:5], path, columns=TRUTH_COLUMNS)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["child_key"] for r in rows] == [r["child_key"] for r in dataset.records[:5]]
    with pytest.raises(ValueError, match="unknown columns"):
        write_csv(dataset.records[:5], tmp_path / "x.csv", columns=("record_id", "secret"))


def test_write_pairs_csv(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    assert write_pairs_csv({("b", "c"), ("a", "d")}, path) == 2
    assert path.read_text(encoding="utf-8").splitlines() == ["left_id,right_id", "a,d", "b,c"]
