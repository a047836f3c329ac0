"""Reading a sheet of an XLSX workbook as rows, whatever was done to the file.

A workbook is a ZIP of XML parts, and the file may come from anyone: made by
hand, cut short, edited with a text editor, or made to exhaust the server.
openpyxl reads it (read-only, streamed); what it raises on a damaged part, an
odd cell or a ZIP it cannot open becomes ``Invalid`` naming the file and the
row.  Nothing the file declares about itself is trusted where it would cost:
the unpacked sizes are checked against the packed ones before anything is
unpacked, the sheet's declared dimension is ignored (rows are as wide as their
cells), and merged ranges fill only the first rows read, where the header is.
"""

from __future__ import annotations

import math
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree

from homeward.errors import Invalid

EXCEL_MAX_ROWS = 1_048_576
"""The most rows a worksheet has: a row numbered beyond is not read."""
MAX_UNPACKED = 1 << 30
"""The most bytes the parts of a workbook may unpack to, together (1 GiB)."""
MAX_RATIO = 100
"""A part that unpacks to more than this many times its packed size, once it
is larger than :data:`RATIO_FROM`, is a ZIP bomb (Apache POI's rule too)."""
RATIO_FROM = 10 << 20

# What openpyxl raises on a damaged or hand-made workbook, found by fuzzing:
# broken ZIP streams, XML that is not well-formed, or cells, rows, styles and
# relations whose values are not what the format says.  Any of them means the
# workbook cannot be read; none escapes as anything but ``Invalid``.
_WORKBOOK_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, SyntaxError, ValueError, TypeError,
    KeyError, IndexError, AttributeError, ArithmeticError, RuntimeError,
)  # fmt: skip


Rows = Iterator[tuple[int, list[Any]]]
"""``(row number as the sheet shows it, cells)``, blank rows left out."""


@contextmanager
def open_sheet(
    path: Path, name: str, sheet: str | None
) -> Iterator[tuple[str, Rows, list[tuple[int, int, int, int]]]]:
    """The sheet asked for (else the first visible one with data): its title,
    its rows, and its merged ranges (min_row, min_col, max_row, max_col)."""
    import openpyxl

    _refuse_zip_bomb(path, name)
    handle = path.open("rb")  # a file object: openpyxl judges a path by its suffix
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except _WORKBOOK_ERRORS as err:
        handle.close()
        raise Invalid(f"{name}: a ZIP file that is not an Excel workbook ({_why(err)})") from err
    try:
        worksheet = _choose_sheet(workbook, sheet, name)
        merges = _merged_ranges(worksheet, name)
        yield worksheet.title, _numbered_rows(worksheet, name), merges
    finally:
        workbook.close()
        handle.close()


def _why(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _refuse_zip_bomb(path: Path, name: str) -> None:
    """Refuse, from the ZIP's directory alone, a workbook whose parts unpack to
    far more than a table could: the sizes there bound what is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except _WORKBOOK_ERRORS as err:  # a ZIP of a version or kind Python cannot read, too
        raise Invalid(f"{name}: a ZIP file that is not an Excel workbook ({_why(err)})") from err
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise Invalid(f"{name}: the workbook unpacks to more than {MAX_UNPACKED >> 20:,} MB")
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            raise Invalid(
                f"{name}: part {part.filename} unpacks to {part.file_size >> 20:,} MB from "
                f"{part.compress_size >> 10:,} KB, as no table does: refused as a ZIP bomb"
            )


def _choose_sheet(workbook: Any, sheet: str | None, name: str) -> Any:
    """The sheet asked for (a table, not a chart), else the first visible one with data."""
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            raise Invalid(f"{name}: no sheet '{sheet}' (sheets: {', '.join(workbook.sheetnames)})")
        chosen = workbook[sheet]
        if chosen not in workbook.worksheets:
            raise Invalid(f"{name}: sheet '{sheet}' is a chart, not a table")
        return chosen
    for worksheet in workbook.worksheets:
        if getattr(worksheet, "sheet_state", "visible") == "visible" and worksheet.max_row:
            return worksheet
    if not workbook.worksheets:
        raise Invalid(f"{name}: the workbook holds charts only, no table")
    return workbook.worksheets[0]


def _numbered_rows(worksheet: Any, name: str) -> Rows:
    """The sheet's rows that hold something, with their numbers.

    The dimension a sheet declares is not trusted (a hand-made one may claim
    16,384 columns and a million rows, and openpyxl would pad every row to it):
    each row is as wide as its last cell (the header's width is given to it
    later), and no row beyond Excel's last is read.
    """
    worksheet.reset_dimensions()
    number = 0
    try:
        for number, row in enumerate(
            worksheet.iter_rows(max_row=EXCEL_MAX_ROWS, values_only=True), start=1
        ):
            if row and not _blank(row):
                yield number, [_finite(cell) for cell in row]
    except _WORKBOOK_ERRORS as err:
        raise Invalid(
            f"{name}: sheet '{worksheet.title}' is damaged after row {number} ({_why(err)})"
        ) from err


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _finite(cell: Any) -> Any:
    """A number Excel cannot hold (``1e999``, ``NaN`` written by hand) as the
    text it reads as: as a float it is no date or number to anyone, and JSON
    (the raw copy, on PostgreSQL) has no word for it."""
    if isinstance(cell, float) and not math.isfinite(cell):
        return str(cell)
    return cell


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _merged_ranges(worksheet: Any, name: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_row, min_col, max_row, max_col), read by streaming the
    sheet's XML (a read-only workbook does not keep them).  Whole columns or
    rows (``A:B``) merge no header cells here."""
    from openpyxl.utils.cell import range_boundaries

    found: list[tuple[int, int, int, int]] = []
    try:
        source = worksheet._get_source()
    except _WORKBOOK_ERRORS as err:
        raise Invalid(f"{name}: sheet '{worksheet.title}' cannot be read ({_why(err)})") from err
    try:
        for _, element in ElementTree.iterparse(source, events=("end",)):
            if element.tag == f"{_MAIN_NS}mergeCell":
                bounds = range_boundaries(element.get("ref", ""))
                min_col, min_row, max_col, max_row = bounds
                if None not in bounds:
                    found.append((min_row, min_col, max_row, max_col))
            elif element.tag == f"{_MAIN_NS}row":
                element.clear()  # stream: keep no rows in memory
    except (ParseError, *_WORKBOOK_ERRORS) as err:
        raise Invalid(f"{name}: the sheet's XML is broken: {_why(err)}") from err
    finally:
        source.close()
    return found


def fill_merged(
    rows: list[tuple[int, list[Any]]], merges: list[tuple[int, int, int, int]]
) -> list[tuple[int, list[Any]]]:
    """Give every cell of a merged range the value of its top-left cell, in the
    rows read (the first few) and no wider than the widest of them: a range
    may claim the whole sheet."""
    by_number = {number: cells for number, cells in rows}
    width = max((len(cells) for cells in by_number.values()), default=0)
    for min_row, min_col, max_row, max_col in merges:
        top = by_number.get(min_row)
        if top is None or len(top) < min_col:
            continue
        value = top[min_col - 1]
        last = min(max_col, width)
        for number, cells in by_number.items():
            if not min_row <= number <= max_row:
                continue
            cells.extend([None] * (last - len(cells)))
            for col in range(min_col, last + 1):
                if cells[col - 1] is None:
                    cells[col - 1] = value
    return rows
