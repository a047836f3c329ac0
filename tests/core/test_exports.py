"""Exports of cases: profiles, roles, and values no spreadsheet runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from homeward.domain.model import OrganisationKind, Relationship, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.errors import Invalid
from homeward.services import accounts, cases, exports
from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow
from tests.factories import make_child, make_record, make_source

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
ANALYST = Actor(username="ivan", role=Role.ANALYST, user_id=2)
HOSTILE = '=HYPERLINK("http://x","click")'


def _registry_with_cases(registry: Registry) -> tuple[str, str]:
    with registry.uow() as uow:
        child = make_child(uow, family_name=HOSTILE, reporter_contact="+380 50 000 00 00")
        russian = make_source(uow, kind=SourceKind.INVESTIGATION, title="camp list")
        make_record(uow, source=russian, child_id=child.id, given_name="Александр",
                    document_ids="I-АБ 123456")  # fmt: skip
        cases.add_relative(
            uow, child.id, full_name="Коваленко Олена Петрівна", relationship=Relationship.MOTHER,
            is_legal_representative=True, requested_return=True, phone="+380 67 111 11 11",
        )  # fmt: skip
        other = make_child(uow, given_name="Марія", family_name="-Шевчук", sex="f")
        uow.commit()
        return child.case_number, other.case_number


def test_csv_is_safe_in_a_spreadsheet_and_keeps_the_report_first(
    registry: Registry, tmp_path: Path
) -> None:
    first, second = _registry_with_cases(registry)
    out = tmp_path / "cases.csv"
    with registry.uow(WORKER) as uow:
        result = exports.export_cases(uow, out, profile="standard")
        uow.commit()
    assert result.cases == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_case = {r["case_number"]: r for r in rows}
    assert by_case[first]["family_name"] == "'" + HOSTILE
    assert by_case[second]["family_name"] == "'-Шевчук"
    assert by_case[first]["given_name"] == "Олександр"  # the report, not the camp list
    assert by_case[first]["document_ids"] == "I-АБ 123456"
    assert by_case[first]["legal_representative"] == "Коваленко Олена Петрівна"
    assert (by_case[first]["records"], by_case[first]["sources"]) == ("2", "2")
    assert "reporter_contact" not in rows[0] and "legal_representative_phone" not in rows[0]
    with registry.uow(write=False) as uow:
        note = uow.session.scalars(select(AuditRow).where(AuditRow.action == "cases.export")).one()
    assert note.actor == "olena" and '"cases":2' in (note.after or "").replace(" ", "")
    assert "Коваленко" not in (note.after or "")  # the trail says what, not the data


def test_xlsx_keeps_the_value_exactly_as_text_never_a_formula(
    registry: Registry, tmp_path: Path
) -> None:
    first, _ = _registry_with_cases(registry)
    out = tmp_path / "cases.xlsx"
    with registry.uow(WORKER) as uow:
        exports.export_cases(uow, out, format="xlsx", profile="minimal", case_numbers=[first])
        uow.commit()
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["family_name"].value == HOSTILE and row["family_name"].data_type == "s"
    assert sheet.max_row == 2


def test_json_keeps_values_exactly(registry: Registry, tmp_path: Path) -> None:
    _registry_with_cases(registry)
    out = tmp_path / "cases.json"
    with registry.uow(WORKER) as uow:
        exports.export_cases(uow, out, format="json", fields=["case_number", "family_name"])
        uow.commit()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {d["family_name"] for d in data} == {HOSTILE, "-Шевчук"}
    assert all(set(d) == {"case_number", "family_name"} for d in data)


def test_sensitive_columns_only_for_roles_that_read_them(
    registry: Registry, tmp_path: Path
) -> None:
    first, _ = _registry_with_cases(registry)
    with registry.uow(ANALYST) as uow, pytest.raises(Invalid, match="may not export"):
        exports.export_cases(uow, tmp_path / "x.csv", profile="full")
    out = tmp_path / "full.json"
    with registry.uow(WORKER) as uow:
        exports.export_cases(uow, out, format="json", profile="full", case_numbers=[first])
        uow.commit()
    [row] = json.loads(out.read_text(encoding="utf-8"))
    assert row["reporter_contact"] == "+380 50 000 00 00"
    assert row["legal_representative_phone"] == "+380 67 111 11 11"
    with registry.uow(WORKER) as uow, pytest.raises(Invalid, match="no such column"):
        exports.export_cases(uow, out, fields=["case_number", "password"])


def test_a_partner_exports_only_its_own_cases(registry: Registry, tmp_path: Path) -> None:
    _registry_with_cases(registry)
    with registry.uow() as uow:
        ngo = accounts.create_organisation(uow, "NGO", OrganisationKind.NGO)
        uow.commit()
    partner = Actor(username="ngo", role=Role.PARTNER, user_id=3, organisation_id=ngo.id)
    with registry.uow(partner) as uow:
        own = make_child(uow, given_name="Богдан")
        uow.commit()
    out = tmp_path / "mine.json"
    with registry.uow(partner) as uow:
        exports.export_cases(uow, out, format="json", profile="minimal")
        uow.commit()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["case_number"] for d in data] == [own.case_number]


def test_the_latin_spelling_follows_the_national_system(registry: Registry, tmp_path: Path) -> None:
    with registry.uow() as uow:
        make_child(uow, family_name="Баранник", given_name="Арсеній")
        uow.commit()
    out = tmp_path / "latin.json"
    with registry.uow(WORKER) as uow:
        exports.export_cases(uow, out, format="json", fields=["latin_name"])
        uow.commit()
    assert json.loads(out.read_text(encoding="utf-8")) == [{"latin_name": "Barannyk Arsenii"}]
