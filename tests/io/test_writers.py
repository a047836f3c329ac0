"""Writers: values from outside never run as formulas, and odd characters
never break a file."""

from __future__ import annotations

import csv
import doctest
from pathlib import Path

import openpyxl

import homeward.io.writers
from homeward.io.writers import write_csv, write_xlsx

HOSTILE = ["=1+1", "+7 900", "-2", "@SUM(A1)", "\tTAB", "\rCR", "<script>alert(1)</script>",
           "\u202eRTL", "a\u200bb", "x" * 10_000, "NUL\x00here", "ok"]  # fmt: skip


def test_the_examples_in_the_docstrings_hold() -> None:
    result = doctest.testmod(homeward.io.writers)
    assert result.attempted >= 1 and result.failed == 0


def test_csv_prefixes_every_formula_start_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    write_csv(out, ["value"], [[v] for v in HOSTILE])
    with out.open(encoding="utf-8-sig", newline="") as handle:
        values = [row[0] for row in csv.reader(handle)][1:]
    for written, original in zip(values, HOSTILE, strict=True):
        if original[0] in "=+-@\t\r":
            assert written == "'" + original
        else:
            assert written == original


def test_xlsx_writes_strings_that_never_run_and_opens_whatever_they_hold(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    write_xlsx(out, ["value"], [[v] for v in HOSTILE])
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    expected = [v.replace("\r", "\n") for v in HOSTILE[:9]]  # XML reads a CR as a line feed
    assert [c.value for c in cells][:9] == expected
    assert cells[9].value == "x" * 10_000
    assert cells[10].value == "NUL\ufffdhere"  # XML cannot hold NUL: shown as replaced
