"""Reading the tables agencies send: CSV in any of the encodings they save in,
with any delimiter, and XLSX workbooks, streamed row by row.

What a file is comes from its bytes, not its name: a workbook renamed ``.csv``
is read as a workbook, and an old ``.xls``, a PDF or a binary file gets an
error saying what it is.  A CSV's encoding is UTF-8 (with or without BOM),
UTF-16 (Excel's "Unicode text"), Windows-1251 or KOI8-U, told apart by which
reading gives the letters Ukrainian and Russian use most; its delimiter is
the one of ``, ; TAB |`` that splits the first lines most consistently.

The header row need not be the first: the row among the first 15 whose cells
read most like known headers is taken, and a header split over two rows (a
merged group title above the column names) is read as one.  Rows keep the
number the file shows for them (the header is row 1 when it is the first row),
so a case worker finds "row 17" where the file has it.  A workbook's sheet is
read by :mod:`homeward.io.workbooks`, which trusts nothing the file says about
itself.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from homeward.errors import Invalid
from homeward.io.headers import field_for_header, normalise_header
from homeward.io.workbooks import fill_merged, open_sheet

SAMPLE_BYTES = 1 << 20
"""How much of a CSV is read to tell its encoding and delimiter."""
HEADER_SCAN_ROWS = 15
DELIMITERS = (",", ";", "\t", "|")
EXCEL_MAX_COLUMNS = 16_384
"""The most columns a worksheet has: a CSV line of more cells is no table's."""

# Relative frequency of letters in Ukrainian and Russian text (both, merged).
_LETTER_FREQUENCY = {
    "о": 0.100, "а": 0.080, "е": 0.075, "и": 0.065, "н": 0.065, "т": 0.058, "і": 0.040,
    "р": 0.046, "с": 0.047, "в": 0.045, "л": 0.042, "к": 0.036, "м": 0.031, "д": 0.030,
    "п": 0.027, "у": 0.027, "я": 0.021, "з": 0.019, "ь": 0.017, "ы": 0.012, "г": 0.017,
    "б": 0.016, "ч": 0.013, "й": 0.012, "х": 0.009, "ж": 0.009, "ю": 0.006, "ш": 0.007,
    "ц": 0.005, "щ": 0.004, "э": 0.002, "ф": 0.002, "ъ": 0.0003, "є": 0.004, "ї": 0.006,
    "ґ": 0.0005, "ё": 0.001,
}  # fmt: skip


@dataclass
class Table:
    """An open table: how it was read, its header, and its rows (streamed once)."""

    file_name: str
    kind: str
    """``csv`` or ``xlsx``."""
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    """``(row number as the file shows it, cells)``; blank rows are skipped."""

    def describe(self) -> str:
        how = (
            f"sheet '{self.sheet}'"
            if self.kind == "xlsx"
            else f"encoding {self.encoding}, delimiter {_delimiter_name(self.delimiter)}"
        )
        return f"{self.file_name}: {self.kind.upper()}, {how}, header in row {self.header_row}"


def _delimiter_name(delimiter: str | None) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(
        delimiter or "", repr(delimiter)
    )


def sniff_kind(head: bytes) -> str:
    """``xlsx`` or ``csv`` from a file's first bytes; anything else is refused."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Invalid(
            "this is an Excel 97-2003 workbook (.xls) or another old Office file: "
            "save it as .xlsx or CSV and import that"
        )
    if head.startswith(b"%PDF"):
        raise Invalid("this is a PDF document, not a table: ask the sender for CSV or XLSX")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head[:4096]:
        raise Invalid("this is a binary file, not a CSV or XLSX table")
    return "csv"


def _cyrillic_score(text: str) -> float:
    letters = [c for c in text.casefold() if "\u0400" <= c <= "\u04ff"]
    if not letters:
        return 0.0
    return sum(_LETTER_FREQUENCY.get(c, 0.0) for c in letters) / len(letters)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV from its first bytes.

    >>> detect_encoding("Прізвище;Ім'я".encode("cp1251"))
    'cp1251'
    >>> detect_encoding("ПРІЗВИЩЕ;ІМ'Я".encode("koi8_u"))
    'koi8_u'
    >>> detect_encoding(codecs.BOM_UTF8 + "Фамилия".encode())
    'utf-8-sig'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        # A sample cut inside a character is still UTF-8.
        if err.start >= len(sample) - 3 and len(sample) >= SAMPLE_BYTES:
            try:
                sample[: err.start].decode("utf-8")
                return "utf-8"
            except UnicodeDecodeError:
                pass
    scores = {enc: _cyrillic_score(sample.decode(enc, "replace")) for enc in ("cp1251", "koi8_u")}
    return max(scores, key=lambda enc: scores[enc])


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the first lines into the same number of fields
    most often (and into the most fields, among equals)."""
    best, best_score = ",", (0.0, 0)
    sample = [line for line in lines if line.strip()][:30]
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:  # a cell too long: the reading proper says where
            continue
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = (counts.count(common) / len(counts), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _find_header(
    head: list[tuple[int, list[Any]]], explicit: Mapping[str, str | None] | None
) -> tuple[int, list[str]]:
    """Index (in ``head``) of the header row, and the headers (two rows joined)."""
    known = {normalise_header(k) for k in explicit or {}}

    def maps(cell: Any) -> bool:
        return normalise_header(cell) in known or field_for_header(cell)[0] is not None

    scores = [sum(maps(c) for c in cells) for _, cells in head]
    if not scores or max(scores) == 0:
        raise Invalid(
            f"no header row found: none of the first {len(head)} rows names a column the way "
            "Homeward knows (Прізвище, Фамилия, surname, ПІБ, Дата народження...); "
            "give a mapping file"
        )
    at = scores.index(max(scores))
    lower = [_text(c) for c in head[at][1]]
    if at == 0:
        return at, lower
    upper = [_text(c) for c in head[at - 1][1]]
    upper += [""] * (len(lower) - len(upper))
    headers = []
    for low, up in zip(lower, upper, strict=False):
        if low and (maps(low) or not maps(up)):
            headers.append(low)
        else:
            headers.append(up or low)
    return at, headers


def _text(cell: Any) -> str:
    return "" if cell is None else " ".join(str(cell).split())


@contextmanager
def open_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    file_name: str | None = None,
) -> Iterator[Table]:
    """Open a CSV or XLSX file for reading row by row (see the module's doc)."""
    path = Path(path)
    name = file_name or path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as err:
        raise Invalid(f"{name}: cannot be read ({err.strerror})") from err
    if not head:
        raise Invalid(f"{name}: the file is empty")
    kind = sniff_kind(head)
    opener = _open_xlsx if kind == "xlsx" else _open_csv
    with opener(path, head, name, sheet, mapping) as table:
        yield table


@contextmanager
def _open_csv(
    path: Path, head: bytes, name: str, sheet: str | None, mapping: Mapping[str, str | None] | None
) -> Iterator[Table]:
    encoding = detect_encoding(head)
    try:
        text_head = head.decode(encoding, "replace")
    except LookupError as err:  # pragma: no cover - the encodings above all exist
        raise Invalid(f"{name}: unknown encoding {encoding}") from err
    delimiter = sniff_delimiter(text_head.splitlines()[:50])
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        numbered = _numbered_csv(csv.reader(handle, delimiter=delimiter), name)
        head_rows = _take_head(numbered)
        at, headers = _find_header(head_rows, mapping)
        rest = chain(head_rows[at + 1 :], numbered)
        yield Table(name, "csv", encoding, delimiter, None, head_rows[at][0], headers, rest)


def _numbered_csv(reader: Iterator[list[str]], name: str) -> Iterator[tuple[int, list[Any]]]:
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > EXCEL_MAX_COLUMNS:
                raise Invalid(
                    f"{name}: line {number} has {len(row):,} cells, more than any table's "
                    f"{EXCEL_MAX_COLUMNS:,} columns (is it a CSV file?)"
                )
            if not _blank(row):
                yield number, list(row)
    except csv.Error as err:
        line = reader.line_num  # type: ignore[attr-defined]
        why = (
            f"a cell of more than {csv.field_size_limit():,} characters (a quote opened "
            "and never closed?)"
            if "field larger than field limit" in str(err)
            else str(err)
        )
        raise Invalid(f"{name}: the CSV is broken near line {line}: {why}") from err


def _take_head(rows: Iterator[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    head = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    return head


@contextmanager
def _open_xlsx(
    path: Path, head: bytes, name: str, sheet: str | None, mapping: Mapping[str, str | None] | None
) -> Iterator[Table]:
    with open_sheet(path, name, sheet) as (title, rows, merges):
        head_rows = fill_merged(_take_head(rows), merges)
        at, headers = _find_header(head_rows, mapping)
        rest = _as_wide_as(chain(head_rows[at + 1 :], rows), len(headers))
        yield Table(name, "xlsx", None, None, title, head_rows[at][0], headers, rest)


def _as_wide_as(
    rows: Iterator[tuple[int, list[Any]]], width: int
) -> Iterator[tuple[int, list[Any]]]:
    """Each row at least as wide as the header: the empty cells at its end are
    cells of the table still (the sheet's declared width is not trusted)."""
    for number, cells in rows:
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
        yield number, cells
