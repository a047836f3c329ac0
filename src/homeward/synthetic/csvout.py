"""Writing records and true pairs as UTF-8 CSV, the input of ``homeward link``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from homeward.synthetic.model import RECORD_FIELDS, TRUTH_FIELDS, Record

CONTRACT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "residence",
    "document_id",
    "mother_name",
    "father_name",
)
"""The columns of ``homeward link INPUT.csv [OTHER.csv]``."""

TRUTH_COLUMNS: tuple[str, ...] = (*CONTRACT_COLUMNS, *TRUTH_FIELDS)
"""The contract columns plus the ground truth, for truth files."""

ALL_COLUMNS: tuple[str, ...] = (*RECORD_FIELDS, *TRUTH_FIELDS)


def write_csv(
    records: Iterable[Record], path: str | Path, columns: Sequence[str] = CONTRACT_COLUMNS
) -> int:
    """Write ``records`` to ``path`` (UTF-8, header row, empty cell for a missing value)
    with the given ``columns``; returns the number of rows written."""
    unknown = [c for c in columns if c not in ALL_COLUMNS]
    if unknown:
        raise ValueError(f"unknown columns {unknown}; known columns are {list(ALL_COLUMNS)}")
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow([record.get(c) or "" for c in columns])
            count += 1
    return count


def write_pairs_csv(pairs: Iterable[tuple[str, str]], path: str | Path) -> int:
    """Write true pairs as ``left_id,right_id`` rows, sorted; returns the row count."""
    rows = sorted(pairs)
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("left_id", "right_id"))
        writer.writerows(rows)
    return len(rows)
