"""Writing tables out: CSV, XLSX and JSON, safe to open in a spreadsheet.

A value that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel, LibreOffice and Google Sheets when it arrives through a
CSV file.  Names, notes and places come from outside (families, the other
side's lists), so every text cell of a CSV that begins so is written with a
leading apostrophe, which spreadsheets show as text and do not run.  In XLSX
the cell is written as a string cell instead, so the value stays exactly as
it is and is still never run; such a cell is also marked "quote prefix", so
that a reader who edits it in Excel or LibreOffice keeps it text.  A cell
holds at most 32,767 characters: a longer value is cut there with a mark
that says so, never silently.  JSON keeps values exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "json")
XLSX_CELL_LIMIT = 32_767
"""The most characters Excel holds in a cell (a longer one makes it repair the file)."""


def spreadsheet_safe(value: Any) -> Any:
    """``"=HYPERLINK(...)"`` -> ``"'=HYPERLINK(...)"``; anything else unchanged.

    >>> spreadsheet_safe("=1+1"), spreadsheet_safe("-Коваленко"), spreadsheet_safe(-3)
    ("'=1+1", "'-Коваленко", -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """UTF-8 with a byte-order mark (so Excel reads Cyrillic right), comma-separated."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([spreadsheet_safe(c) for c in columns])
        for row in rows:
            writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
            count += 1
    return count


def write_xlsx(
    path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "export"
) -> int:
    """A streamed workbook (write-only: rows are not kept in memory); text
    cells are string cells, never formulas."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    bold = Font(bold=True)

    def cell(value: Any, header: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            item = WriteOnlyCell(worksheet, value=None)
            item._value = _xlsx_text(value)  # set as is: the setter would read "=..." as a formula
            item.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                item.quotePrefix = True
        else:
            item = WriteOnlyCell(worksheet, value=value)
        if header:
            item.font = bold
        return item

    worksheet.append([cell(c, header=True) for c in columns])
    count = 0
    for row in rows:
        worksheet.append([cell(v) for v in row])
        count += 1
    workbook.save(path)
    return count


def _xlsx_text(value: str) -> str:
    """XML 1.0 cannot hold most control characters; they become U+FFFD, the
    replacement character, so the file opens and shows where they were.  A
    value longer than a cell holds is cut with a mark saying how long it was.

    >>> cut = _xlsx_text("я" * 40_000)
    >>> len(cut), cut[cut.index('…'):]
    (32767, '… [cut: 40,000 characters, a cell holds 32,767]')
    """
    text = "".join(
        "\ufffd" if (ord(ch) < 32 and ch not in "\t\n\r") or 0xFFFE <= ord(ch) <= 0xFFFF else ch
        for ch in value
    )
    if len(text) > XLSX_CELL_LIMIT:
        mark = f"… [cut: {len(text):,} characters, a cell holds {XLSX_CELL_LIMIT:,}]"
        text = text[: XLSX_CELL_LIMIT - len(mark)] + mark
    return text


def write_json(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """A JSON array of objects, one per row, values exactly as they are."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for row in rows:
            handle.write(",\n" if count else "\n")
            json.dump(dict(zip(columns, row, strict=True)), handle, ensure_ascii=False)
            count += 1
        handle.write("\n]\n" if count else "]\n")
    return count


def write_table(
    path: Path, format: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write rows in ``csv``, ``xlsx`` or ``json``; returns how many."""
    if format == "csv":
        return write_csv(path, columns, rows)
    if format == "xlsx":
        return write_xlsx(path, columns, rows)
    if format == "json":
        return write_json(path, columns, rows)
    raise ValueError(f"format: one of {', '.join(FORMATS)}, not {format!r}")
