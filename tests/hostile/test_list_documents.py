"""Handover list documents carry a hostile value as text: the CSV with
formulas behind an apostrophe, the XLSX in string cells, the signed JSON
exactly (and still verified), the PDF with the value escaped in the HTML fed
to WeasyPrint and whole on the page: wrapped, never cut at a column's edge or
pushed off the page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from homeward.documents.lists import LANGUAGES, list_html
from homeward.services import lists
from tests.hostile.conftest import Hostile, HostileWorld, fitting
from tests.hostile.html import assert_harmless, squeeze
from tests.hostile.spreadsheets import assert_text_cell, csv_cell_for, csv_rows, xlsx_rows
from tests.hostile.values import PARAMS, fits_a_name, shown

CARRIERS = ("removal_place", "last_known_location", "mother_name", "birth_place",
            "legal_representative")  # fmt: skip
"""The entry fields that hold the value when it fits a name."""
XHTML = "{http://www.w3.org/1999/xhtml}"


def _item(world: HostileWorld, value: str) -> Hostile:
    return next(i for i in world.items.values() if i.value == value)


def _export(world: HostileWorld, item: Hostile, path: Path, **how: str) -> None:
    with world.registry.uow(world.actors["verifier"]) as uow:
        assert lists.export_version(uow, item.list_id, 1, path, **how) == 1
        uow.commit()


def _expected(value: str) -> dict[str, str]:
    if fits_a_name(value):
        return dict.fromkeys(CARRIERS, shown(value))
    return {"legal_representative": "Коваленко Олена"}


@pytest.mark.parametrize("value", PARAMS)
def test_csv_of_a_list_puts_formulas_behind_an_apostrophe(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "list.csv"
    _export(hostile, _item(hostile, value), path, format="csv")
    [row] = csv_rows(path)
    for field, expected in _expected(value).items():
        assert row[field] == csv_cell_for(expected), field


@pytest.mark.parametrize("value", PARAMS)
def test_xlsx_of_a_list_holds_the_value_in_string_cells(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "list.xlsx"
    _export(hostile, _item(hostile, value), path, format="xlsx")
    [row] = xlsx_rows(path)
    for field, expected in _expected(value).items():
        assert_text_cell(row[field], expected)


@pytest.mark.parametrize("value", PARAMS)
def test_signed_json_of_a_list_holds_the_value_exactly_and_verifies(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "list.json"
    _export(hostile, _item(hostile, value), path, format="json")
    document = json.loads(path.read_text(encoding="utf-8"), strict=True)
    content = json.loads(document["content"], strict=True)
    assert content["list"]["purpose"] == shown(value)
    [entry] = content["entries"]
    for field, expected in _expected(value).items():
        assert entry[field] == expected, field
    assert lists.verify_document(path).ok


@pytest.mark.parametrize("value", PARAMS)
def test_the_html_a_list_pdf_is_made_from_escapes_the_value(
    hostile: HostileWorld, value: str
) -> None:
    item = _item(hostile, value)
    with hostile.registry.uow(hostile.actors["verifier"], write=False) as uow:
        version = lists.frozen_version(uow, item.list_id, 1)
    for language in LANGUAGES:
        found = assert_harmless(list_html(version, language=language))
        assert found.scripts == [] and "<style>" in list_html(version, language=language)
        assert squeeze(shown(value)) in found.text
        for expected in _expected(value).values():
            assert squeeze(expected) in found.text


def _pdf_blocks(path: Path) -> list[str]:
    """The text of each block of the PDF as pdftotext finds it (a table cell,
    a heading, a paragraph), its words joined without the spaces between."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    return [
        "".join(word.text or "" for word in block.iter(f"{XHTML}word"))
        for block in ElementTree.fromstring(xhtml).iter(f"{XHTML}block")
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils)")
@pytest.mark.parametrize("value", PARAMS)
def test_a_list_pdf_shows_the_value_whole_in_every_place_it_holds_it(
    hostile: HostileWorld, tmp_path: Path, value: str
) -> None:
    """Title, purpose, channel and recipient on the cover, and each field of
    the entry (two beyond the profile: the columns still fit the page)."""
    path = tmp_path / "list.pdf"
    _export(hostile, _item(hostile, value), path, format="pdf", language="uk")
    blocks = _pdf_blocks(path)
    whole = "".join(shown(value).split())
    if fits_a_name(value):
        assert blocks.count(whole) >= 8, blocks  # cover: 4 places; entry: 4 cells
        assert whole + "(мати)" in blocks
        assert {"Мати", "Місценар."} <= set(blocks)  # the two columns beyond the profile
    else:  # the purpose runs over pages: its blocks, page headers left out, are the value
        assert "".join(b for b in blocks if set(b) <= set(whole)) == whole
        assert fitting(value, "title", "Список") in blocks
