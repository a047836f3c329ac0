"""Reading a file's rows: the raw copy and values of a row, the checks a row
must pass, and the preview shown before anything is written."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from homeward.domain.record import RecordData
from homeward.errors import Invalid
from homeward.io.headers import EXTERNAL_ID, ColumnMapping, map_headers
from homeward.io.tabular import open_table
from homeward.services.records import RAW_TYPES, record_data

NAME_FIELDS = ("given_name", "family_name", "full_name")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_cells(
    columns: Sequence[ColumnMapping], cells: Sequence[Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The raw copy (by the file's headers) and the values by field of one row.

    An empty cell beyond the header's columns is left out of the raw copy: it
    says nothing, and a hand-made workbook can put one cell 16,384 columns out
    on every row."""
    raw: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        column = columns[index] if index < len(columns) else None
        if column is None and cell in (None, ""):
            continue
        header = column.header if column and column.header else f"column {index + 1}"
        if header in raw:
            header = f"{header} (column {index + 1})"
        # As ``raw_copy`` keeps a value, without copying the row a second time.
        raw[header] = cell if isinstance(cell, RAW_TYPES) else str(cell)
        if column is not None and column.field and cell not in (None, ""):
            values[column.field] = cell
    return raw, values


def check_row(
    values: Mapping[str, Any], *, today: str | None = None
) -> tuple[RecordData | None, list[str]]:
    """The record a row makes, or the reason for each field that cannot be read."""
    fields = {k: v for k, v in values.items() if k != EXTERNAL_ID}
    try:
        data = record_data(fields)
    except Invalid:
        errors = []
        for name, value in fields.items():
            try:
                record_data({name: value})
            except Invalid as err:
                errors.append(str(err))
        return None, errors
    errors = []
    if not any(getattr(data, name) for name in NAME_FIELDS):
        errors.append("name: the row has no family name, given name or full name")
    today = today or datetime.now(UTC).date().isoformat()
    for name in ("birth_date", "removal_date"):
        value = getattr(data, name)
        if value and value[: len(today)] > today[: len(value)]:
            errors.append(f"{name}: '{values.get(name)}' is in the future")
    return (None, errors) if errors else (data, [])


@dataclass
class Preview:
    """What an import would do, before anything is written."""

    reading: str
    columns: list[ColumnMapping]
    sample: list[tuple[int, dict[str, Any], list[str]]]
    """``(row number, values by field, errors)`` of the first rows."""
    rows_checked: int = 0
    rows_with_errors: int = 0
    errors: list[str] = field(default_factory=list)
    """The first errors found, as ``row N, field: reason``."""

    @property
    def unmapped(self) -> list[ColumnMapping]:
        return [c for c in self.columns if c.field is None]


def preview(
    path: str | Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    sheet: str | None = None,
    sample_rows: int = 5,
    check_rows: int = 2000,
) -> Preview:
    """Read the header and the first rows: the mapping, a sample, the errors."""
    with open_table(path, sheet=sheet, mapping=mapping) as table:
        columns = map_headers(table.headers, mapping)
        result = Preview(table.describe(), columns, [])
        for number, cells in table.rows:
            _, values = row_cells(columns, cells)
            _, errors = check_row(values)
            if len(result.sample) < sample_rows:
                result.sample.append((number, values, errors))
            result.rows_checked += 1
            if errors:
                result.rows_with_errors += 1
                result.errors.extend(
                    f"row {number}, {e}" for e in errors[: 20 - len(result.errors)]
                )
            if result.rows_checked >= check_rows:
                break
    return result
