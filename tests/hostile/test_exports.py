"""Case exports (CSV, XLSX, JSON) carry a hostile value so that opening the
file runs nothing: a CSV cell that starts like a formula is behind an
apostrophe, an XLSX cell is a string cell (quote-prefixed when it starts like
a formula) holding the value exactly, JSON holds it exactly; and a value of
10,000 characters arrives whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from homeward.io.writers import XLSX_CELL_LIMIT, write_csv, write_xlsx
from homeward.services import exports
from tests.hostile.conftest import HostileWorld
from tests.hostile.spreadsheets import (
    assert_text_cell,
    csv_cell_for,
    csv_rows,
    xlsx_rows,
)
from tests.hostile.values import HOSTILE, PARAMS, fits_a_name, shown

CARRIERS = ("family_name", "birth_place", "removal_place", "last_known_location", "mother_name")
"""The export columns that hold the value when it fits a name."""
ALWAYS = ("notes", "removal_circumstances")


def _export(world: HostileWorld, value: str, path: Path, format: str) -> list[str]:
    item = next(i for i in world.items.values() if i.value == value)
    with world.registry.uow(world.actors["case_worker"]) as uow:
        result = exports.export_cases(
            uow, path, format=format, profile="full", case_numbers=[item.case_number]
        )
        uow.commit()
    assert result.cases == 1
    return [*ALWAYS, *(CARRIERS if fits_a_name(value) else ())]


@pytest.mark.parametrize("value", PARAMS)
def test_csv_export_puts_formulas_behind_an_apostrophe_and_keeps_the_rest(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "cases.csv"
    columns = _export(hostile, value, path, "csv")
    [row] = csv_rows(path)
    for column in columns:
        assert row[column] == csv_cell_for(shown(value)), column
        assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), column


@pytest.mark.parametrize("value", PARAMS)
def test_xlsx_export_holds_the_value_exactly_in_string_cells(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "cases.xlsx"
    columns = _export(hostile, value, path, "xlsx")
    [row] = xlsx_rows(path)
    for column in columns:
        assert_text_cell(row[column], shown(value))


@pytest.mark.parametrize("value", PARAMS)
def test_json_export_holds_the_value_exactly(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "cases.json"
    columns = _export(hostile, value, path, "json")
    [row] = json.loads(path.read_text(encoding="utf-8"), strict=True)
    for column in columns:
        assert row[column] == shown(value), column


RAW = [*HOSTILE.values(), "я" * 40_000]
"""Every hostile value as received (the writers are also handed text that was
never cleaned: a counterpart's answers, file names), and one longer than a
spreadsheet cell holds."""


def test_the_csv_writer_keeps_raw_values_and_their_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    write_csv(path, ["value", "=header"], [[v, v] for v in RAW])
    rows = csv_rows(path)
    assert list(rows[0]) == ["value", "'=header"]
    assert [r["value"] for r in rows] == [csv_cell_for(v) for v in RAW]


def test_the_xlsx_writer_opens_whatever_raw_values_hold(tmp_path: Path) -> None:
    """Control characters XML cannot hold become U+FFFD (no exception, no
    file Excel must repair); a carriage return is read back as a line feed,
    as XML reads it; a value longer than a cell is cut with a visible mark."""
    path = tmp_path / "raw.xlsx"
    write_xlsx(path, ["value"], [[v] for v in RAW])
    cells = [row["value"] for row in xlsx_rows(path)]
    for cell, value in zip(cells, RAW, strict=True):
        if len(value) > XLSX_CELL_LIMIT:
            assert isinstance(cell.value, str) and len(cell.value) == XLSX_CELL_LIMIT
            assert cell.value.endswith("… [cut: 40,000 characters, a cell holds 32,767]")
            continue
        readable = "".join(
            "\ufffd" if ord(ch) < 32 and ch not in "\t\n\r" else ch for ch in value
        ).replace("\r", "\n")
        assert_text_cell(cell, readable, written=value)
    assert cells[list(HOSTILE).index("nul")].value == "Кова\ufffdленко"
