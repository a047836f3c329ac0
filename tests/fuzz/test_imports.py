"""Imports of hostile files into the real registry, on SQLite and PostgreSQL:
a refused file changes nothing (no table gains or loses a row, the audit trail
not an entry), and a file that is partly good puts its good rows in as records
and its bad rows in the quarantine, each with its reason."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from homeward.domain.roles import Actor, Role
from homeward.errors import HomewardError, Invalid
from homeward.services import imports
from homeward.services.imports import ImportResult
from homeward.services.registry_app import Registry
from homeward.storage.tables import QuarantineRow, RecordRow
from tests.fuzz.conftest import outcome, table_counts
from tests.fuzz.inputs import (
    ENCODINGS,
    SHEET,
    csv_files,
    into_row,
    nasty_text,
    odd_cells,
    replace_member,
    tampered_workbooks,
)

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
IMPORT_BUDGET = 15.0
"""An import writes and audits every row on a real database: more than a read."""

DB_FUZZ = settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _import(registry: Registry, path: Path, **options: Any) -> ImportResult | HomewardError:
    return outcome(
        lambda: imports.import_file(registry, WORKER, path, match=False, **options),
        f"importing {path.name}",
        IMPORT_BUDGET,
    )


def _check_counts(
    before: dict[str, int], after: dict[str, int], result: ImportResult | HomewardError
) -> None:
    """A refused file changed nothing; an import added exactly what it says."""
    if isinstance(result, HomewardError) or result.already_imported:
        assert after == before, f"{result}: the database changed"
        return
    assert after["records"] - before["records"] == result.imported
    assert after["quarantine"] - before["quarantine"] == result.quarantined
    assert result.rows_read == result.imported + result.quarantined
    assert after["imports"] - before["imports"] == 1


@DB_FUZZ
@given(data=csv_files())
def test_a_broken_csv_is_imported_row_by_row_or_refused_whole(
    registry: Registry, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "список.csv"
    path.write_bytes(data)
    before = table_counts(registry)
    result = _import(registry, path)
    _check_counts(before, table_counts(registry), result)


@DB_FUZZ
@given(data=tampered_workbooks())
def test_a_tampered_workbook_is_imported_row_by_row_or_refused_whole(
    registry: Registry, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "список.xlsx"
    path.write_bytes(data)
    before = table_counts(registry)
    result = _import(registry, path)
    _check_counts(before, table_counts(registry), result)


# --- files partly good ------------------------------------------------------------------

FAMILY = ("Коваленко", "Шевчук", "Бондаренко", "Ткаченко", "Мельник", "Kovalenko", "Дем'яненко")
GIVEN = ("Олександр", "Марія", "Дмитро", "Софія", "Iryna", "Їжак", "Ганна")
DECORATION = ("", "\u200b", "\u200f", "\u0301", "  ", "\t", "\ufeff", "\u202e")
READ_ENCODINGS = [e for e in ENCODINGS if e not in ("utf-16-le", "utf-16-be")]
"""The encodings the reader knows (UTF-16 only with its byte order mark, as
Excel writes it)."""
HEADER = ["ID", "Surname", "Given name", "Date of birth", "Sex", "Place of birth", "Notes"]


@st.composite
def good_rows(draw: st.DrawFn, number: int) -> list[Any]:
    """A row that must become a record: names with invisible marks around and in
    them (cleaned away), a real date, a sex the reader knows."""
    mark = draw(st.sampled_from(DECORATION))
    family = mark + draw(st.sampled_from(FAMILY)) + draw(st.sampled_from(DECORATION))
    given_name = draw(st.sampled_from(GIVEN)) + mark
    day = draw(st.dates().filter(lambda d: 1990 <= d.year <= 2024))
    born = draw(st.sampled_from([day.strftime("%d.%m.%Y"), day.isoformat(), str(day.year)]))
    sex = draw(st.sampled_from(["m", "f", "M", "F", "u", ""]))
    place = draw(st.sampled_from(["м. Маріуполь", "Херсон", "", "Bakhmut\u200b"]))
    notes = draw(st.one_of(nasty_text(30), st.just("Примітка " * 5000)))
    return [f"r{number}", family, given_name, born, sex, place, notes]


@st.composite
def bad_rows(draw: st.DrawFn, number: int, encoding: str) -> list[Any]:
    """A row that must go to the quarantine, for one reason or several (in a
    file of this encoding: a mark it cannot hold would become a '?', a name)."""
    family, given_name, born, sex, place = "Коваленко", "Олег", "01.02.2012", "m", "Херсон"
    how = draw(st.sampled_from(["date", "sex", "no name", "future", "long name", "long place"]))
    if how == "date":
        born = draw(st.sampled_from(["31.02.2012", "32.01.2012", "2012-13-01", "вчора", "1e999",
                                     "29.02.2011", "1700"]))  # fmt: skip
    elif how == "sex":
        sex = draw(st.sampled_from(["q", "?!", "xx", "чж"]))
    elif how == "no name":
        blanks = ["", "\u200b", " ", "\u202e\u200f", "\ufeff\t"]
        kept = [b for b in blanks if b.encode(encoding, "replace").decode(encoding) == b]
        family = given_name = draw(st.sampled_from(kept))
    elif how == "future":
        born = "01.01.2099"
    elif how == "long name":
        family = "Коваленко" * draw(st.integers(30, 80))
    else:
        place = "м. Маріуполь, " * draw(st.integers(25, 60))
    return [f"r{number}", family, given_name, born, sex, place, ""]


@st.composite
def mixed_files(draw: st.DrawFn, workbook: bool | None = None) -> tuple[str, bytes, list[bool]]:
    """A CSV (any encoding and delimiter) or XLSX file of good and bad rows in
    any order; the list says which rows are good."""
    plan = draw(st.lists(st.booleans(), min_size=1, max_size=10))
    if workbook is None:
        workbook = draw(st.booleans())
    encoding = "utf-8" if workbook else draw(st.sampled_from(READ_ENCODINGS))
    rows = [
        draw(good_rows(n)) if good else draw(bad_rows(n, encoding))
        for n, good in enumerate(plan, start=1)
    ]
    if workbook:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADER)
        for row in rows:
            sheet.append([_legal(cell) for cell in row])
        out = io.BytesIO()
        book.save(out)
        return "list.xlsx", out.getvalue(), plan
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([HEADER, *rows])
    return "list.csv", text.getvalue().encode(encoding, "replace"), plan


def _legal(cell: str) -> str:
    """What a workbook can hold (openpyxl refuses control characters)."""
    return "".join(c for c in cell if c in "\t\n\r" or ord(c) >= 32)


@DB_FUZZ
@given(made=mixed_files())
def test_good_rows_become_records_and_bad_rows_wait_in_the_quarantine(
    registry: Registry, tmp_path: Path, made: tuple[str, bytes, list[bool]]
) -> None:
    name, data, plan = made
    path = tmp_path / name
    path.write_bytes(data)
    before = table_counts(registry)
    result = _import(registry, path)
    assert isinstance(result, ImportResult), result
    _check_counts(before, table_counts(registry), result)
    if result.already_imported:
        return
    good = [n + 2 for n, ok in enumerate(plan) if ok]  # the header is row 1
    bad = [n + 2 for n, ok in enumerate(plan) if not ok]
    with registry.uow(WORKER, write=False) as uow:
        records = uow.session.scalars(
            select(RecordRow).where(RecordRow.source_id == result.source_id)
        ).all()
        waiting = uow.session.scalars(
            select(QuarantineRow).where(QuarantineRow.import_id == result.import_id)
        ).all()
    assert sorted(r.source_row for r in records if r.source_row is not None) == good
    assert sorted(q.source_row for q in waiting) == bad
    assert all(q.errors and all(e.strip() for e in q.errors) for q in waiting)
    for record in records:
        assert record.family_name and not any(m in record.family_name for m in "\u200b\u200f\ufeff")


@DB_FUZZ
@given(made=mixed_files(workbook=True), cell=odd_cells(), row=st.integers(1, 10))
def test_an_odd_cell_in_a_table_is_imported_quarantined_or_refused_whole(
    registry: Registry, tmp_path: Path, made: tuple[str, bytes, list[bool]], cell: bytes, row: int
) -> None:
    """Found this way: a number no spreadsheet holds (1e999) stopped an import
    on PostgreSQL, whose JSON has no Infinity."""
    name, data, _ = made
    path = tmp_path / name
    path.write_bytes(replace_member(data, SHEET, lambda xml: into_row(xml, row, cell)))
    before = table_counts(registry)
    result = _import(registry, path)
    _check_counts(before, table_counts(registry), result)


# --- characters no database column takes as they are -----------------------------------


def test_a_nul_deep_in_a_csv_is_stored_or_quarantined(registry: Registry, tmp_path: Path) -> None:
    """The sniffer looks for NULs in the first 4 KB only: one further down reaches
    the rows."""
    lines = ["Прізвище;Ім'я;Примітки"] + [f"Коваленко;Олег;запис {n}" for n in range(300)]
    lines += ["Шев\x00чук;Марія;при\x00мітка", "\x00;\x00;\x00"]
    path = tmp_path / "nul.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    before = table_counts(registry)
    result = _import(registry, path)
    assert isinstance(result, ImportResult), result
    _check_counts(before, table_counts(registry), result)
    assert (result.imported, result.quarantined) == (301, 1)
    with registry.uow(WORKER, write=False) as uow:
        record = uow.session.scalars(
            select(RecordRow).where(RecordRow.source_id == result.source_id)
            .where(RecordRow.source_row == 302)
        ).one()  # fmt: skip
        (waiting,) = uow.session.scalars(
            select(QuarantineRow).where(QuarantineRow.import_id == result.import_id)
        ).all()
    assert (record.family_name, record.notes) == ("Шев чук", "при мітка")
    assert record.raw["Прізвище"] == "Шев\x00чук"  # the raw copy as received
    assert waiting.source_row == 303 and waiting.raw["Ім'я"] == "\x00"


def test_a_workbook_broken_below_the_first_batch_is_refused_whole(
    registry: Registry, tmp_path: Path
) -> None:
    """A cell the workbook cannot give at row 600 used to stop the import there,
    with the first 500 rows written and an import that could never finish (the
    same file broke again; a mended one, with another SHA-256, would import
    those 500 twice).  Every row is now read before any is written."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Прізвище", "Ім'я", "Дата народження"])
    for n in range(700):
        sheet.append(["Коваленко", "Олег", "BROKEN" if n == 598 else "01.02.2012"])
    out = io.BytesIO()
    book.save(out)
    broken = b'<c r="C600" t="n"><v>x</v></c>'
    data = replace_member(
        out.getvalue(),
        SHEET,
        lambda xml: xml.replace(b'<c r="C600" t="inlineStr"><is><t>BROKEN</t></is></c>', broken),
    )
    assert broken in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    path = tmp_path / "broken-below.xlsx"
    path.write_bytes(data)
    before = table_counts(registry)
    refused = _import(registry, path)
    assert isinstance(refused, Invalid)
    assert "broken-below.xlsx: sheet 'Sheet' is damaged after row 599" in str(refused)
    assert table_counts(registry) == before


def test_a_cell_far_beyond_the_header_adds_itself_to_the_raw_copy_not_the_empty_ones(
    registry: Registry, tmp_path: Path
) -> None:
    """A hand-made sheet with a cell in column XFD of every row made openpyxl
    give 16,384 cells a row, and each row's raw copy 16,381 empty entries."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Прізвище", "Ім'я", "Примітки"])
    for n in range(3):
        sheet.append(["Коваленко", f"Олег{n}"])
        sheet.cell(row=n + 2, column=16_384, value=f"far {n}")
    path = tmp_path / "far.xlsx"
    book.save(path)
    result = _import(registry, path)
    assert isinstance(result, ImportResult) and result.imported == 3, result
    with registry.uow(WORKER, write=False) as uow:
        raws = [r.raw for r in uow.session.scalars(select(RecordRow).order_by(RecordRow.id))]
    assert raws[0] == {
        "Прізвище": "Коваленко", "Ім'я": "Олег0", "Примітки": None, "column 16384": "far 0",
    }  # fmt: skip


def test_an_infinite_number_in_a_date_column_is_quarantined(
    registry: Registry, tmp_path: Path
) -> None:
    """Found by fuzzing: a workbook cell of 1e999 is read as infinity; the date
    reader raised OverflowError on it, and PostgreSQL refused the raw copy (JSON
    has no Infinity), each stopping the import.  It is now the text 'inf'."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Прізвище", "Ім'я", "Дата народження"])
    sheet.append(["Коваленко", "Олег", 41000])
    sheet.append(["Шевчук", "Марія", 41001])
    out = io.BytesIO()
    book.save(out)
    data = replace_member(
        out.getvalue(), SHEET, lambda xml: xml.replace(b"<v>41001</v>", b"<v>1e999</v>")
    )
    path = tmp_path / "infinite.xlsx"
    path.write_bytes(data)
    result = _import(registry, path)
    assert isinstance(result, ImportResult), result
    assert (result.imported, result.quarantined) == (1, 1)
    with registry.uow(WORKER, write=False) as uow:
        (waiting,) = uow.session.scalars(
            select(QuarantineRow).where(QuarantineRow.import_id == result.import_id)
        ).all()
    assert waiting.raw["Дата народження"] == "inf"
    assert waiting.errors == [
        "birth_date: 'inf' is not a date: the format is not recognised (write for example "
        "2012-03-04 or 04.03.2012)"
    ]
