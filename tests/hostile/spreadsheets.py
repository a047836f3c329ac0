"""Opening exported files the way their readers do: a CSV as a spreadsheet
reads it, a workbook with openpyxl and as the XML Excel parses."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell

from homeward.io.writers import FORMULA_STARTS


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_cell_for(value: str) -> str:
    """What a CSV cell holding ``value`` must say: a formula start behind an
    apostrophe, which spreadsheets show as text and never run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xlsx_rows(path: Path) -> list[dict[str, Cell]]:
    """Each row's cells by header, after checking that no cell of the file is a
    formula (no ``<f>`` element in any sheet, which is what Excel would run)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), name
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    headers = [str(c.value) for c in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def assert_text_cell(cell: Cell, value: str, written: str | None = None) -> None:
    """A string cell holding ``value``; one whose value was ``written`` (by
    default ``value``) starting like a formula is also marked quote-prefixed,
    so editing it in Excel keeps it text."""
    assert cell.data_type == "s", (cell.data_type, value[:40])
    assert cell.value == value
    assert cell.quotePrefix is (written or value).startswith(FORMULA_STARTS)
