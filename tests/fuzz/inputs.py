"""Hostile inputs, as hypothesis strategies: text no person types but files
carry, CSV files broken in every way agencies' tools break them, workbooks with
odd cells, and workbooks whose XML was tampered with."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference

# Characters that break naive text handling: NUL and other controls, combining
# marks (stress, strike-through), direction and zero-width marks, a BOM inside
# the text, non-characters, letters whose case mapping changes their length,
# digits of other scripts, Cyrillic and Latin look-alikes, apostrophes and
# dashes of every kind, and text of other scripts.
NASTY = (
    "\x00\t\n\r\x0b\x0c\x1b\x7f\x85\xa0\u0301\u0300\u0336\u0308\u200b\u200c\u200d\u200e"
    "\u200f\u202a\u202e\u2066\u2069\ufeff\ufffd\ufffe\uffff\u2028\u2029\u00ad"
    "'’ʼ`´-‐–—―.,;:|\"/\\()[]№#%&<>"
    "İıßǅﬁẞ" "٠١٢٣٤٥٦٧٨٩" "０１２３" "²½"
    "АаІіЇїЄєҐґЁёЫыЭэЪъЙйЩщ" "ABCEHIKMOPTXYaceiopxy" "ąęłńśźżčšž"
    "αβγΣ" "مرحبا" "שלום" "中文" "😀"
)  # fmt: skip

nasty_char = st.one_of(st.sampled_from(NASTY), st.characters())
"""One character: a troublesome one, or any code point but a lone surrogate."""


def nasty_text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(nasty_char, max_size=max_size)


NAMES = (
    "Коваленко Олександр Сергійович", "Шевчук Марія", "KOVALENKO Oleksandr", "Ганна Іваненко",
    "Александр Коваленко", "О. С. Коваленко", "Дем'яненко Юлія", "Їжакевич-Петренко Єва",
)  # fmt: skip
DATES = (
    "04.03.2012", "2012-03-04", "4 березня 2012 р.", "март 2012", "2012", "41000", "00.03.2012",
    "31.02.2012", "2099", "12/31/2012", "1799", "0", "-1", "1e999", "nan", "2012-03-04T10:00Z",
)  # fmt: skip
HEADERS = (
    "Прізвище", "Ім'я", "По батькові", "ПІБ", "ФИО", "Фамилия", "Имя", "Дата народження",
    "Д.н.", "Стать", "Пол", "Місце народження", "surname", "given name", "full name", "dob",
    "sex", "id", "№ п/п", "Відповідь", "Ответ", "answer", "Примітки", "Адреса", "",
)  # fmt: skip

cell_text = st.one_of(
    st.sampled_from(NAMES), st.sampled_from(DATES), st.sampled_from(HEADERS), nasty_text()
)

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8_u")


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file as an agency's tool might have saved it, then broken: any
    delimiter and quoting, any of the encodings (characters it cannot hold
    replaced), BOMs, mixed line ends, NULs, a stray quote, a cut in mid-file."""
    width = draw(st.integers(1, 8))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = draw(
        st.lists(st.lists(cell_text, min_size=0, max_size=width + 2), min_size=0, max_size=12)
    )
    junk_above = draw(st.lists(st.lists(cell_text, max_size=3), max_size=3))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " ", ":", "\x00", "й"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE, None]))
    line_end = draw(st.sampled_from(["\r\n", "\n", "\r", "\n\r"]))
    out = io.StringIO()
    for row in [*junk_above, header, *rows]:
        if quoting is None:  # joined by hand: delimiters and quotes inside cells unescaped
            out.write(delimiter.join(row) + line_end)
        else:
            writer = csv.writer(
                out, delimiter=delimiter, quoting=quoting, escapechar="\\", lineterminator=line_end
            )
            try:
                writer.writerow(row)
            except csv.Error:
                out.write(delimiter.join(row) + line_end)
    text = out.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, "replace")
    if draw(st.booleans()):  # damage: a NUL, a stray quote, a cut, a repeated BOM
        at = draw(st.integers(0, len(data)))
        damage = draw(st.sampled_from([b"\x00", b'"', b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\r"]))
        data = data[:at] + damage + (data[at:] if damage else b"")
    return data


# --- workbooks ---------------------------------------------------------------------------

cell_value = st.one_of(
    cell_text,
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=True, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
    st.dates(min_value=date(1900, 3, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", '=HYPERLINK("http://x","x")', "=A1&B1", "=#REF!"]),
    st.text(st.sampled_from("Ааbb "), min_size=2000, max_size=6000),
)


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """An XLSX workbook made with openpyxl: a header somewhere in the first rows,
    cells of every type Excel has, formulas, long text, merged cells, several
    sheets (some hidden, one a chart sheet)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(draw(st.integers(0, 2))):
        sheet.append([_storable(v) for v in draw(st.lists(cell_value, max_size=3))])
    width = draw(st.integers(1, 6))
    sheet.append(draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width)))
    for row in draw(st.lists(st.lists(cell_value, max_size=width + 2), max_size=8)):
        sheet.append([_storable(v) for v in row])
    for _ in range(draw(st.integers(0, 3))):
        top = draw(st.integers(1, 8))
        left = draw(st.integers(1, 6))
        bottom = top + draw(st.integers(0, 3))
        right = left + draw(st.integers(0, 3))
        with contextlib.suppress(ValueError):  # overlaps one merged before
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    if draw(st.booleans()):
        other = book.create_sheet(draw(st.text(st.characters(categories=["L"]), min_size=1,
                                               max_size=10)))  # fmt: skip
        other.append(["Прізвище", "Ім'я"])
        other.append(["Коваленко", "Олег"])
        other.sheet_state = draw(st.sampled_from(["visible", "hidden", "veryHidden"]))
        if other.sheet_state == "visible" and draw(st.booleans()):
            sheet.sheet_state = "hidden"
    if draw(st.booleans()):
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=3))
        book.create_chartsheet("Діаграма").add_chart(chart)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _storable(value: Any) -> Any:
    """The value as a workbook can hold it (openpyxl refuses control characters
    in text; the tampered workbooks below put them in by hand)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def replace_member(data: bytes, name: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The ZIP with one member's bytes changed (``None`` leaves the member out)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content: bytes | None = source.read(info.filename)
            if info.filename == name:
                content = change(content or b"")
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
MEMBERS = (
    SHEET, "xl/workbook.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml", "_rels/.rels", "xl/sharedStrings.xml", "docProps/core.xml",
)  # fmt: skip

# Cells, rows and sheet-level elements a hand-edited or hostile sheet may hold.
SHEET_SNIPPETS = (
    b'<c r="D2" t="s"><v>999</v></c>', b'<c r="D2" t="s"><v>x</v></c>',
    b'<c r="D2" t="n"><v>x</v></c>', b'<c r="D2"><v>1e999</v></c>', b'<c r="D2"><v>-1e999</v></c>',
    b'<c r="D2"><v>NaN</v></c>', b'<c r="D2" t="b"><v>7</v></c>', b'<c r="D2" t="d"><v>x</v></c>',
    b'<c r="D2" t="d"><v>99999-01-01</v></c>', b'<c r="D2" t="e"><v>#DIV/0!</v></c>',
    b'<c r="D2" t="str"><f>1/0</f><v>#DIV/0!</v></c>',
    b'<c r="!!" t="inlineStr"><is><t>x</t></is></c>',
    b'<c r="D2" t="inlineStr"><is><t>a_x0000_b_xD800_c_xFFFE_</t></is></c>',
    b'<c r="D2" s="99"><v>41000</v></c>', b'<c r="D2" s="-1"><v>1</v></c>',
    b'<c r="XFD2"><v>1</v></c>',
    b'<c r="D2" t="zz"><v>1</v></c>', b"<c><v>1</v></c>", b'<c r="D2"/>', b'<c r="D0"><v>1</v></c>',
)  # fmt: skip
ROW_SNIPPETS = (
    b'<row r="x"><c r="A3"><v>1</v></c></row>', b'<row r="0"/>', b'<row r="-5"/>',
    b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    b'<row r="2147483647"><c r="A2147483647"><v>1</v></c></row>',
    b'<row r="99999999999999999999"/>', b'<row r="2"><c r="B2"><v>2</v></c></row>',
    b'<row spans="1:99999999"><c><v>1</v></c></row>',
)  # fmt: skip
TAIL_SNIPPETS = (
    b'<mergeCells count="1"><mergeCell ref="ZZZZZZ"/></mergeCells>',
    b'<mergeCells count="1"><mergeCell ref="A:B"/></mergeCells>',
    b'<mergeCells count="1"><mergeCell ref="1:2"/></mergeCells>',
    b'<mergeCells count="1"><mergeCell/></mergeCells>',
    b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    b'<mergeCells count="2"><mergeCell ref="B1:A2"/><mergeCell ref="A1:A1"/></mergeCells>',
)  # fmt: skip
DIMENSIONS = (b"A1:XFD1048576", b"A1", b"", b"ZZZZ", b"C3:A1", b"A1:A2147483647")


@st.composite
def tampered_workbooks(draw: st.DrawFn) -> bytes:
    """A workbook whose parts were edited by hand: odd cells, rows and merges put
    into the sheet, its dimension changed, a DOCTYPE added, a part cut short,
    left out, or flipped byte by byte."""
    data = draw(workbooks())
    how = draw(st.sampled_from(["cell", "row", "tail", "dimension", "doctype", "cut", "drop",
                                "flip"]))  # fmt: skip
    member = draw(st.sampled_from(MEMBERS))
    if how == "cell":
        snippet = draw(st.sampled_from(SHEET_SNIPPETS))
        nth = draw(st.integers(0, 20))
        return replace_member(data, SHEET, lambda x: into_row(x, nth, snippet))
    if how == "row":
        snippet = draw(st.sampled_from(ROW_SNIPPETS))
        return replace_member(
            data, SHEET, lambda x: x.replace(b"</sheetData>", snippet + b"</sheetData>")
        )
    if how == "tail":
        snippet = draw(st.sampled_from(TAIL_SNIPPETS))
        return replace_member(data, SHEET, lambda x: _before_margins(x, snippet))
    if how == "dimension":
        ref = draw(st.sampled_from(DIMENSIONS))
        return replace_member(data, SHEET, lambda x: _dimension(x, ref))
    if how == "doctype":
        doctype = draw(st.sampled_from([LAUGHS_DTD, EXTERNAL_DTD]))
        return replace_member(data, member, lambda x: _with_doctype(x, doctype))
    if how == "cut":
        share = draw(st.floats(0, 1))
        return replace_member(data, member, lambda x: x[: int(len(x) * share)])
    if how == "drop":
        return replace_member(data, member, lambda x: None)
    flips = draw(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4))
    return replace_member(data, member, lambda x: _flip(x, flips))


def into_row(xml: bytes, nth: int, cell: bytes) -> bytes:
    """The sheet with ``cell`` put at the end of one of its rows (the last when
    there are fewer than ``nth``)."""
    ends = [i for i in range(len(xml)) if xml.startswith(b"</row>", i)]
    if not ends:
        return xml
    at = ends[min(nth, len(ends) - 1)]
    return xml[:at] + cell + xml[at:]


@st.composite
def odd_cells(draw: st.DrawFn) -> bytes:
    """A cell as a hand-made sheet may hold it: any type, a value that is not of
    that type, a number no spreadsheet can hold, in any column of a data row."""
    column = draw(st.sampled_from(["A", "B", "C", "D", "E", "H", "XFD"]))
    kind = draw(st.sampled_from(["", ' t="n"', ' t="s"', ' t="b"', ' t="d"', ' t="str"', ' t="e"']))
    value = draw(st.sampled_from(["1e999", "NaN", "-inf", "x", "99", "41000", "", "1" * 400,
                                  "2012-03-04T00:00:00", "-1", "1.5"]))  # fmt: skip
    style = draw(st.sampled_from(["", ' s="1"', ' s="999"']))
    return f'<c r="{column}9"{kind}{style}><v>{value}</v></c>'.encode()


def _before_margins(xml: bytes, snippet: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b"</sheetData>" + snippet, 1)


def _dimension(xml: bytes, ref: bytes) -> bytes:
    start = xml.find(b'<dimension ref="')
    if start < 0:
        return xml
    end = xml.find(b'"', start + 16)
    return xml[: start + 16] + ref + xml[end:]


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    at = xml.find(b"?>")
    return xml[: at + 2] + doctype + xml[at + 2 :] if at >= 0 else doctype + xml


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for at, value in flips:
        out[at % len(out)] = value
    return bytes(out)


# --- XML attacks ------------------------------------------------------------------------

LAUGHS_DTD = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>'
)
"""The "billion laughs": entities that expand to each other (here 7**5 copies)."""
EXTERNAL_DTD = b'<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
"""An external entity: reading it would put a server file into the document."""


def any_value() -> st.SearchStrategy[Any]:
    """Any value a reader may be handed: text, numbers of every size, dates and
    times, and things that are none of those."""
    return st.one_of(
        nasty_text(),
        st.sampled_from(DATES),
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.datetimes(),
        st.dates(),
        st.times(),
        st.timedeltas(),
        st.binary(max_size=10),
        st.lists(nasty_text(10), max_size=3),
    )
