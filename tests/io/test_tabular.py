"""Reading the files agencies really send: encodings, delimiters, headers in
three languages, merged header cells, Excel dates, files that are not tables."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from homeward.errors import Invalid
from homeward.io.headers import map_headers, read_mapping_file
from homeward.io.tabular import detect_encoding, open_table, sniff_delimiter

UA_ROWS = [
    ["№ п/п", "Прізвище", "Ім'я", "По батькові", "Дата народження", "Стать", "Місце народження"],
    ["1", "Коваленко", "Олександр", "Сергійович", "04.03.2012", "ч", "Маріуполь"],
    ["2", "ШЕВЧЕНКО", "МАРІЯ", "ІВАНІВНА", "21.07.2015", "ж", "Херсон"],
]


def _csv(rows: list[list[str]], delimiter: str) -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def _read(path: Path) -> tuple[object, list[tuple[int, list[object]]]]:
    with open_table(path) as table:
        return table, list(table.rows)


def test_windows_1251_semicolons_ukrainian_headers(tmp_path: Path) -> None:
    path = tmp_path / "список.csv"
    path.write_bytes(_csv(UA_ROWS, ";").encode("cp1251"))
    table, rows = _read(path)
    assert (table.encoding, table.delimiter, table.header_row) == ("cp1251", ";", 1)
    assert [m.field for m in map_headers(table.headers)] == [
        None, "family_name", "given_name", "patronymic", "birth_date", "sex", "birth_place",
    ]  # fmt: skip
    assert rows[0] == (2, ["1", "Коваленко", "Олександр", "Сергійович", "04.03.2012", "ч",
                           "Маріуполь"])  # fmt: skip
    assert rows[1][1][1] == "ШЕВЧЕНКО"


def test_koi8_u_in_capitals_is_not_taken_for_windows_1251(tmp_path: Path) -> None:
    rows = [[c.upper() for c in row[1:]] for row in UA_ROWS]  # KOI8 has no "№"
    path = tmp_path / "koi.csv"
    path.write_bytes(_csv(rows, ",").encode("koi8_u"))
    table, read = _read(path)
    assert table.encoding == "koi8_u"
    assert read[0][1][0] == "КОВАЛЕНКО"


def test_utf8_bom_russian_headers_and_a_title_above_the_header(tmp_path: Path) -> None:
    rows = [
        ["Список детей, вывезенных из Херсонской области", "", ""],
        ["", "", ""],
        ["ФИО", "Дата рождения", "Место нахождения"],
        ["Коваленко Александр Сергеевич", "04.03.2012", "Анапа"],
    ]
    path = tmp_path / "дети.csv"
    path.write_bytes(codecs.BOM_UTF8 + _csv(rows, ",").encode())
    table, read = _read(path)
    assert table.encoding == "utf-8-sig" and table.header_row == 3
    assert [m.field for m in map_headers(table.headers)] == [
        "full_name", "birth_date", "last_known_location",
    ]  # fmt: skip
    assert read == [(4, ["Коваленко Александр Сергеевич", "04.03.2012", "Анапа"])]


def test_utf16_tab_separated_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(_csv(UA_ROWS, "\t").encode("utf-16"))
    table, read = _read(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert read[0][1][2] == "Олександр"


def test_quoted_cells_with_delimiters_and_line_breaks_keep_their_row_numbers(
    tmp_path: Path,
) -> None:
    text = (
        'surname,given name,notes\nKovalenko,Oleksandr,"seen in Anapa,\nthen Moscow"\n'
        "Shevchenko,Mariia,\n"
    )
    path = tmp_path / "latin.csv"
    path.write_text(text, encoding="utf-8")
    _, read = _read(path)
    assert read[0] == (2, ["Kovalenko", "Oleksandr", "seen in Anapa,\nthen Moscow"])
    assert read[1][0] == 3


def test_xlsx_with_merged_two_row_header_and_excel_dates(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Діти"
    sheet.append(["Дитина", None, None, "Дата народження", "Примітки"])
    sheet.append(["Прізвище", "Ім'я", "По батькові", None, None])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:D2")
    sheet.merge_cells("E1:E2")
    sheet.append(["Коваленко", "Олександр", "Сергійович", datetime(2012, 3, 4), "=1+1"])
    sheet.append(["Шевченко", "Марія", None, 42206, None])  # an Excel serial: 2015-07-21
    path = tmp_path / "діти.xlsx"
    book.save(path)
    table, read = _read(path)
    assert (table.kind, table.sheet, table.header_row) == ("xlsx", "Діти", 2)
    assert [m.field for m in map_headers(table.headers)] == [
        "family_name", "given_name", "patronymic", "birth_date", "notes",
    ]  # fmt: skip
    assert read[0][0] == 3 and read[0][1][3] == datetime(2012, 3, 4)
    assert read[1] == (4, ["Шевченко", "Марія", None, 42206, None])


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["surname", "given name"])
    sheet.append(["Kovalenko", "Oleksandr"])
    path = tmp_path / "really.csv"
    book.save(path)
    table, read = _read(path)
    assert table.kind == "xlsx" and read == [(2, ["Kovalenko", "Oleksandr"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Excel 97-2003"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x00\x01\x02binary", "binary"),
        (b"", "empty"),
        (b"PK\x03\x04 not really a zip", "not an Excel workbook"),
        (b"a;b;c\n1;2;3\n", "no header row found"),
    ],
)
def test_what_is_not_a_table_says_what_it_is(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(Invalid, match=message), open_table(path) as table:
        list(table.rows)


def test_encoding_and_delimiter_detection_directly() -> None:
    assert detect_encoding("Фамилия,Имя".encode()) == "utf-8"
    assert detect_encoding("фамилия;имя;отчество".encode("cp1251")) == "cp1251"
    assert detect_encoding("фамилия;имя;отчество".encode("koi8_u")) == "koi8_u"
    assert sniff_delimiter(["a;b,c;d", "1;2,3;4"]) == ";"
    assert sniff_delimiter(["a|b|c", "1|2|3"]) == "|"


def test_an_explicit_mapping_wins_and_duplicates_are_reported(tmp_path: Path) -> None:
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text('{"Код дитини": "external_id", "Прізвище": null}', encoding="utf-8")
    mapping = read_mapping_file(mapping_file)
    columns = map_headers(
        ["Код дитини", "Прізвище", "ПІБ", "Дата народження", "Рік народження"], mapping
    )
    assert [c.field for c in columns] == ["external_id", None, "full_name", "birth_date", None]
    assert columns[0].reason == "mapping file"
    assert columns[4].describe() == (
        "column 5 'Рік народження' -> (kept in the raw copy only): "
        "birth_date already comes from column 4"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"Прізвище": "surname_of_child"}', encoding="utf-8")
    with pytest.raises(Invalid, match="is not a field"):
        read_mapping_file(bad)


def test_the_examples_in_the_docstrings_hold() -> None:
    import doctest

    import homeward.io.tabular

    result = doctest.testmod(homeward.io.tabular)
    assert result.attempted >= 3 and result.failed == 0
