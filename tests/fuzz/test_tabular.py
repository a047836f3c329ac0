"""CSV and XLSX files, read as an import reads them: whatever the bytes, the
reader gives rows or says what is wrong with the file, never anything else,
and never takes more than a moment."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference

from homeward.errors import Invalid
from homeward.io.tabular import open_table
from homeward.services.imports import preview
from tests.fuzz.conftest import outcome
from tests.fuzz.inputs import (
    SHEET,
    csv_files,
    replace_member,
    tampered_workbooks,
    workbooks,
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    # No "explain" phase: it traces every line, which makes a reading many
    # times slower than it is and the time budget meaningless.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _read_all(path: Path, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    with open_table(path, sheet=sheet) as table:
        assert table.headers, "a table opened without a header"
        rows = list(table.rows)
    numbers = [number for number, _ in rows]
    assert numbers == sorted(set(numbers)), "row numbers repeat or go backwards"
    assert all(number > table.header_row for number in numbers)
    return rows


def _file(tmp_path: Path, data: bytes, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data)
    outcome(lambda: _read_all(path), "reading arbitrary bytes")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_after_a_zip_signature_are_refused_as_a_workbook(
    tmp_path: Path, data: bytes
) -> None:
    path = _file(tmp_path, b"PK\x03\x04" + data, "list.xlsx")
    result = outcome(lambda: _read_all(path), "reading a false ZIP")
    assert isinstance(result, Invalid)


@FUZZ
@given(data=csv_files())
def test_broken_csv_files_are_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data)
    outcome(lambda: _read_all(path), "reading a CSV file")
    outcome(lambda: preview(path), "previewing a CSV file")


@settings(FUZZ, max_examples=60)
@given(data=workbooks())
def test_workbooks_with_odd_cells_are_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data, "list.xlsx")
    outcome(lambda: _read_all(path), "reading a workbook")
    outcome(lambda: _read_all(path, sheet="Діаграма"), "reading a chart sheet as a table")
    outcome(lambda: preview(path), "previewing a workbook")


@settings(FUZZ, max_examples=120)
@given(data=tampered_workbooks())
def test_tampered_workbooks_are_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data, "list.xlsx")
    outcome(lambda: _read_all(path), "reading a tampered workbook")


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "members",
    [
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
        {"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"},
        {"a.txt": "Прізвище;Ім'я\nКоваленко;Олег\n".encode()},
        {},
    ],
    ids=["opendocument", "word", "plain-zip", "empty-zip"],
)
def test_a_zip_that_is_no_workbook_is_refused(tmp_path: Path, members: dict[str, bytes]) -> None:
    path = _file(tmp_path, _zip(members), "list.xlsx")
    result = outcome(lambda: _read_all(path), "reading a ZIP that is no workbook")
    assert isinstance(result, Invalid)
    # An empty ZIP is its closing record alone: not even a ZIP to the reader.
    assert ("not an Excel workbook" if members else "binary file") in str(result)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    """A sheet of 60 MB that packs into a few hundred kilobytes: the reader
    refuses it from the ZIP's directory, without reading the sheet."""
    book = openpyxl.Workbook()
    book.active.append(["Прізвище", "Ім'я"])
    base = io.BytesIO()
    book.save(base)
    padding = b"<row/>" * (60 * 1024 * 1024 // 6)
    data = replace_member(
        base.getvalue(), SHEET, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding)
    )
    path = _file(tmp_path, data, "bomb.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    result = outcome(lambda: _read_all(path), "reading a ZIP bomb")
    assert isinstance(result, Invalid)
    assert "bomb.xlsx" in str(result)


# --- what fuzzing found, each with the smallest input that showed it ------------------------


def _workbook(rows: list[list[Any]], chart: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if chart:
        bars = BarChart()
        bars.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
        book.create_chartsheet("Діаграма").add_chart(bars)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NAMES_TABLE = [["Прізвище", "Ім'я"], ["Коваленко", "Олег"]]


def _in_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    return replace_member(data, SHEET, lambda xml: xml.replace(old, new, 1))


def test_a_line_longer_than_a_cell_may_be_is_refused_with_its_line(tmp_path: Path) -> None:
    """A quote opened and never closed swallows the rest of the file into one
    cell; the delimiter sniffer raised csv.Error on it."""
    path = _file(tmp_path, "Прізвище;Ім'я\nКоваленко;\"Олег\n".encode() + b"x" * 140_000)
    refused = outcome(lambda: _read_all(path), "reading an unclosed quote")
    assert isinstance(refused, Invalid)
    assert "list.csv: the CSV is broken near line" in str(refused)
    assert "quote opened and never closed" in str(refused)


def test_a_chart_sheet_asked_for_is_refused_as_no_table(tmp_path: Path) -> None:
    path = _file(tmp_path, _workbook(NAMES_TABLE, chart=True), "list.xlsx")
    refused = outcome(lambda: _read_all(path, sheet="Діаграма"), "reading a chart sheet")
    assert isinstance(refused, Invalid) and "sheet 'Діаграма' is a chart, not a table" in str(
        refused
    )
    assert _read_all(path) == [(2, ["Коваленко", "Олег"])]


def test_a_workbook_of_charts_only_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([1])
    bars = BarChart()
    bars.add_data(Reference(sheet, min_col=1, min_row=1, max_row=1))
    book.create_chartsheet("Діаграма").add_chart(bars)
    book.remove(sheet)
    out = io.BytesIO()
    book.save(out)
    path = _file(tmp_path, out.getvalue(), "charts.xlsx")
    refused = outcome(lambda: _read_all(path), "reading charts only")
    assert isinstance(refused, Invalid) and "charts.xlsx: the workbook holds charts only" in str(
        refused
    )


@pytest.mark.parametrize("ref", [b"ZZZZZZ", b"A:B", b"1:2", b""])
def test_a_merged_range_that_names_no_cells_is_refused(tmp_path: Path, ref: bytes) -> None:
    """A range of whole columns or rows, or no range at all: ValueError or
    TypeError from the merge reader (ours, then openpyxl's), now a refusal."""
    merge = b'<mergeCells count="1"><mergeCell ref="' + ref + b'"/></mergeCells>'
    data = _in_sheet(_workbook(NAMES_TABLE), b"</sheetData>", b"</sheetData>" + merge)
    path = _file(tmp_path, data, "list.xlsx")
    refused = outcome(lambda: _read_all(path), "reading odd merges")
    assert isinstance(refused, Invalid) and str(refused).startswith("list.xlsx: ")


BAD_CELLS = (
    b'<c r="C2" t="n"><v>x</v></c>', b'<c r="C2" t="s"><v>99</v></c>',
    b'<c r="C2" t="d"><v>x</v></c>', b'<c r="C2" t="b"><v>x</v></c>', b'<c r="!!"><v>1</v></c>',
)  # fmt: skip


@pytest.mark.parametrize("cell", BAD_CELLS)
def test_a_cell_the_workbook_cannot_give_is_refused_with_its_row(
    tmp_path: Path, cell: bytes
) -> None:
    data = _in_sheet(_workbook(NAMES_TABLE), b"</row></sheetData>", cell + b"</row></sheetData>")
    path = _file(tmp_path, data, "list.xlsx")
    refused = outcome(lambda: _read_all(path), "reading a bad cell")
    assert isinstance(refused, Invalid)
    assert "list.xlsx: sheet 'Sheet' is damaged after row 1" in str(refused)


@pytest.mark.parametrize(
    "member", ["xl/styles.xml", "xl/_rels/workbook.xml.rels", SHEET, "xl/workbook.xml"]
)
def test_a_part_of_the_workbook_that_is_not_xml_is_refused(tmp_path: Path, member: str) -> None:
    data = replace_member(_workbook(NAMES_TABLE), member, lambda xml: b"<garbage")
    path = _file(tmp_path, data, "list.xlsx")
    refused = outcome(lambda: _read_all(path), "reading a part that is not XML")
    assert isinstance(refused, Invalid) and str(refused).startswith("list.xlsx: ")


def test_a_merge_or_dimension_claiming_the_whole_sheet_costs_nothing(tmp_path: Path) -> None:
    """A merged range A1:XFD1048576 filled a million rows' worth of cells, and a
    dimension of the whole sheet made openpyxl pad every row to 16,384 cells."""
    data = _workbook(NAMES_TABLE)
    data = _in_sheet(data, b'<dimension ref="A1:B2"', b'<dimension ref="A1:XFD1048576"')
    merges = b"".join(b'<mergeCell ref="A%d:XFD1048576"/>' % n for n in range(3, 300))
    data = _in_sheet(
        data, b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>7</v></c></row></sheetData>'
        b'<mergeCells count="297">' + merges + b"</mergeCells>",
    )  # fmt: skip
    path = _file(tmp_path, data, "list.xlsx")
    rows = outcome(lambda: _read_all(path), "reading a sheet that claims everything", 3.0)
    assert rows == [(2, ["Коваленко", "Олег"]), (1_048_576, [7, None])]  # as wide as the header
