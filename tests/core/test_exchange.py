"""PFIF export and import of cases, and the public statistics."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from homeward.domain.model import Category, EventKind, OrganisationKind, Relationship, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Forbidden, Invalid, NotFound
from homeward.io.pfif import check_pfif, read_pfif
from homeward.services import accounts, cases, merging
from homeward.services.pfif import export_pfif, import_pfif, ordered_records
from homeward.services.registry_app import Registry
from homeward.services.statistics import (
    compute_statistics,
    oblast_of_origin,
    statistics_csv,
    statistics_json,
)
from homeward.storage.tables import AuditRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork
from tests.factories import make_child, make_record, make_source

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
VERIFIER = Actor(username="taras", role=Role.VERIFIER, user_id=2)
ANALYST = Actor(username="iryna", role=Role.ANALYST, user_id=3)

SECRETS = ("Петренко", "+380991234567", "+380501112233", "Миру 1", "слідчий", "через знайомих")


def _full_case(uow: UnitOfWork) -> int:
    """A case with a Ukrainian report, a Russian list entry, events, a relative."""
    child = make_child(
        uow,
        reporter_name="Петренко Ігор",
        reporter_contact="+380991234567",
        notes="слідчий: дані з табору",
        residence="м. Маріуполь, Донецька обл.",
        removal_date="2022-04",
        removal_place="Маріуполь",
        last_known_location="Таганрог",
    )
    counterpart = make_source(uow, kind=SourceKind.COUNTERPART_LIST, title="List 18")
    make_record(
        uow,
        source=counterpart,
        child_id=child.id,
        given_name="Александр",
        family_name="Коваленко",
        patronymic="Сергеевич",
        birth_date="2012-03-05",
    )
    make_record(
        uow, child_id=child.id, given_name="Oleksandr", family_name="Kovalenko", patronymic=None
    )
    cases.add_event(uow, child.id, EventKind.REMOVAL, date="2022-04", place="Маріуполь")
    cases.add_event(
        uow, child.id, EventKind.SIGHTING, date="2023-05", place="Таганрог",
        note="через знайомих",
    )  # fmt: skip
    cases.add_relative(
        uow, child.id, full_name="Коваленко Олена", relationship=Relationship.MOTHER,
        is_legal_representative=True, phone="+380501112233", address="Мелітополь, вул. Миру 1",
    )  # fmt: skip
    return child.id


def _move(uow: UnitOfWork, child_id: int, *moves: tuple[Status, str | None]) -> None:
    for status, detail in moves:
        cases.move_status(uow, child_id, status, detail=detail, reason=f"слідчий: {status}")


def _verified_located(uow: UnitOfWork, child_id: int) -> None:
    _move(
        uow, child_id, (Status.UNDER_VERIFICATION, None), (Status.VERIFIED, None),
        (Status.LOCATED, "russia"),
    )  # fmt: skip


def test_export_is_valid_pfif_with_names_notes_and_no_sensitive_field(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        child_id = _full_case(uow)
        _verified_located(uow, child_id)
        uow.commit()
        number = uow.repos.children.get(child_id).case_number
    with registry.uow(WORKER) as uow:
        export = export_pfif(uow)
        uow.commit()
    assert check_pfif(export.document, canonical_order=True) == []
    text = export.document.decode()
    for secret in SECRETS:
        assert secret not in text
    (person,) = read_pfif(export.document)
    fields = person.fields
    assert fields["person_record_id"] == f"homeward/{number}"
    # Ukrainian report first, whatever order the records came in.
    assert fields["full_name"] == "Коваленко Олександр Сергійович"
    assert fields["given_name"] == "Олександр" and fields["family_name"] == "Коваленко"
    alternates = fields["alternate_names"].split("\n")
    assert "Коваленко Александр Сергеевич" in alternates
    assert "Kovalenko Oleksandr" in alternates
    assert fields["sex"] == "male" and fields["date_of_birth"] == "2012-03-04"
    assert fields["home_city"] == "Маріуполь" and fields["home_state"] == "14"
    assert fields["home_country"] == "UA"
    assert "Category: deported" in fields["description"]
    assert "Status: located (russia)" in fields["description"]
    assert "Removed on 2022-04 from Маріуполь" in fields["description"]
    assert fields["author_name"] == "Homeward" and "author_phone" not in fields
    statuses = [n.get("status") for n in person.notes]
    # reported, under verification, verified, located; removal, sighting; location
    assert statuses[:4] == ["information_sought"] * 3 + ["believed_alive"]
    assert statuses[4:6] == ["believed_missing", "believed_alive"]
    located = [n["last_known_location"] for n in person.notes if "last_known_location" in n]
    assert located == ["Russia", "Таганрог", "Таганрог"]
    assert export.cases == 1 and export.notes == len(person.notes) == 7
    assert {n["person_record_id"] for n in person.notes} == {fields["person_record_id"]}
    assert len({n["note_record_id"] for n in person.notes}) == 7


def test_sensitive_fields_need_asking_and_the_permission(registry: Registry) -> None:
    with registry.uow() as uow:
        child_id = _full_case(uow)
        _verified_located(uow, child_id)
        uow.commit()
    with registry.uow(ANALYST) as uow, pytest.raises(Forbidden, match="sensitive"):
        export_pfif(uow, include_sensitive=True)
    with registry.uow(ANALYST) as uow:
        plain = export_pfif(uow).document.decode()
    assert not any(secret in plain for secret in SECRETS)
    with registry.uow(WORKER) as uow:
        full = export_pfif(uow, include_sensitive=True)
        uow.commit()
    assert check_pfif(full.document, canonical_order=True) == []
    text = full.document.decode()
    for secret in SECRETS:
        assert secret in text, secret
    (person,) = read_pfif(full.document)
    assert person.fields["author_name"] == "Петренко Ігор"
    assert person.fields["author_phone"] == "+380991234567"


def test_status_mapping_of_a_return_and_a_death(registry: Registry) -> None:
    with registry.uow() as uow:
        returned = make_child(uow)
        _verified_located(uow, returned.id)
        _move(uow, returned.id, (Status.RETURNED, None), (Status.CLOSED, "reunited"))
        dead = make_child(uow)
        _move(uow, dead.id, (Status.CLOSED, "deceased"))
        rejected = make_child(uow)
        _move(uow, rejected.id, (Status.REJECTED, "false_report"))
        uow.commit()
    with registry.uow() as uow:
        document = export_pfif(uow).document
    first, second, third = read_pfif(document)
    back = first.notes[-2:]
    assert [(n.get("status"), n.get("author_made_contact")) for n in back] == [
        ("believed_alive", "true"),
        ("believed_alive", "true"),
    ]
    assert second.notes[-1]["status"] == "believed_dead"
    assert "status" not in third.notes[-1]  # a rejected report says nothing of the child
    assert all(n.get("status") != "is_note_author" for p in (first, second) for n in p.notes)


def test_partner_exports_only_its_organisation_and_merged_cases_stay_out(
    registry: Registry,
) -> None:
    with registry.uow() as uow:
        ngo = accounts.create_organisation(uow, "NGO A", OrganisationKind.NGO)
        uow.commit()
    partner = Actor(username="a", role=Role.PARTNER, organisation_id=ngo.id)
    with registry.uow(partner) as uow:
        own = cases.open_case(uow, category=Category.MISSING)
        make_record(uow, source=make_source(uow, organisation_id=ngo.id), child_id=own.id)
        uow.commit()
    with registry.uow() as uow:
        other = make_child(uow, given_name="Ганна")
        uow.commit()
    with registry.uow(partner) as uow:
        (person,) = read_pfif(export_pfif(uow).document)
        assert person.fields["person_record_id"].endswith(own.case_number)
        with pytest.raises(NotFound):
            export_pfif(uow, case_numbers=[other.case_number])
    with registry.uow() as uow:
        chosen = read_pfif(export_pfif(uow, case_numbers=[other.case_number]).document)
    assert [p.fields["given_name"] for p in chosen] == ["Ганна"]


def test_every_export_is_audited_with_counts_not_data(registry: Registry) -> None:
    with registry.uow() as uow:
        _full_case(uow)
        uow.commit()
    with registry.uow(WORKER) as uow:
        export = export_pfif(uow, include_sensitive=True)
        uow.commit()
    with registry.uow(write=False) as uow:
        (entry,) = uow.session.scalars(
            select(AuditRow).where(AuditRow.action == "cases.export_pfif")
        ).all()
    assert entry.actor == "olena"
    after = json.loads(entry.after or "{}")
    assert after["cases"] == 1 and after["notes"] == export.notes
    assert after["sensitive"] is True and after["sha256"] == export.sha256
    assert "Коваленко" not in (entry.after or "") and "Петренко" not in (entry.after or "")


def test_round_trip_gives_back_names_dates_and_sex(registry: Registry) -> None:
    with registry.uow() as uow:
        boy = _full_case(uow)
        girl = make_child(
            uow, given_name="Ганна", family_name="Шевченко", patronymic=None, sex="f",
            birth_date="2015",
        )  # fmt: skip
        latin = make_child(uow, given_name="Mykyta", family_name="Bondar", patronymic=None)
        uow.commit()
        expected = {}
        for child_id in (boy, girl.id, latin.id):
            (first, *_) = [r for r in uow.repos.records.of_child(child_id)]
            expected[child_id] = first
    with registry.uow() as uow:
        document = export_pfif(uow).document
    with registry.uow(WORKER) as uow:
        result = import_pfif(uow, document, file_name="export.xml")
        uow.commit()
    assert result.persons == 3 and not result.already_imported
    with registry.uow(write=False) as uow:
        records = [uow.repos.records.get(i) for i in result.record_ids]
        source = uow.repos.sources.get(result.source_id)
    assert source.title == "PFIF from Homeward" and source.kind == "import_file"
    got = [(r.given_name, r.family_name, r.patronymic, r.birth_date, r.sex) for r in records]
    want = [
        (e.given_name, e.family_name, e.patronymic, e.birth_date, e.sex) for e in expected.values()
    ]
    assert got == want
    assert records[0].external_id is not None and records[0].external_id.startswith("homeward/")
    assert records[0].last_known_location == "Таганрог"
    assert "Status: located" not in (records[0].notes or "")  # the boy was never moved
    assert "Event: sighting" in (records[0].notes or "")


PFIF_WITH_HOSTILE_VALUES = """<?xml version="1.0" encoding="UTF-8"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
  <pfif:person>
    <pfif:person_record_id>example.org/p1</pfif:person_record_id>
    <pfif:entry_date>2024-02-01T10:00:00Z</pfif:entry_date>
    <pfif:author_name>Fund &amp; Co</pfif:author_name>
    <pfif:author_email>a@example.org</pfif:author_email>
    <pfif:source_name>Children Search</pfif:source_name>
    <pfif:source_date>2024-02-01T10:00:00Z</pfif:source_date>
    <pfif:full_name>&lt;script&gt;alert(1)&lt;/script&gt; Ковал&#x200F;енко\tМарія</pfif:full_name>
    <pfif:given_name>Марія</pfif:given_name>
    <pfif:family_name>&lt;script&gt;Коваленко</pfif:family_name>
    <pfif:sex>female</pfif:sex>
    <pfif:date_of_birth>2014-07</pfif:date_of_birth>
    <pfif:home_city>Бердянськ</pfif:home_city>
    <pfif:home_state>23</pfif:home_state>
    <pfif:home_country>UA</pfif:home_country>
    <pfif:note>
      <pfif:note_record_id>example.org/n1</pfif:note_record_id>
      <pfif:entry_date>2024-02-02T10:00:00Z</pfif:entry_date>
      <pfif:author_name>Fund</pfif:author_name>
      <pfif:source_date>2024-02-02T10:00:00Z</pfif:source_date>
      <pfif:status>believed_alive</pfif:status>
      <pfif:last_known_location>Анапа, табір</pfif:last_known_location>
      <pfif:text>Seen in a camp &amp; moved</pfif:text>
    </pfif:note>
  </pfif:person>
</pfif:pfif>
"""


def test_import_keeps_values_exactly_and_the_same_file_twice_adds_nothing(
    registry: Registry,
) -> None:
    data = PFIF_WITH_HOSTILE_VALUES.encode()
    with registry.uow(WORKER) as uow:
        result = import_pfif(uow, data, file_name="search.xml")
        uow.commit()
    with registry.uow(write=False) as uow:
        (record,) = [uow.repos.records.get(i) for i in result.record_ids]
        source = uow.repos.sources.get(result.source_id)
        assert source.title == "PFIF from Children Search"
    assert record.raw["full_name"] == ("<script>alert(1)</script> Ковал\u200fенко\tМарія")
    assert record.raw["author_name"] == "Fund & Co"
    assert record.raw["note 1/text"] == "Seen in a camp & moved"
    assert record.given_name == "Марія" and record.family_name == "<script>Коваленко"
    assert record.sex == "f" and record.birth_date == "2014-07"
    assert record.residence == "Бердянськ, Запорізька область, UA"
    assert record.reporter_contact == "a@example.org"
    assert record.last_known_location == "Анапа, табір"
    assert record.external_id == "example.org/p1"
    with registry.uow() as uow:
        # the hostile record goes out again as well-formed PFIF
        child = cases.open_case(uow, category=Category.DEPORTED, record_ids=[record.id])
        document = export_pfif(uow, case_numbers=[child.case_number]).document
    assert check_pfif(document) == []
    assert read_pfif(document)[0].fields["family_name"] == "<script>Коваленко"

    with registry.uow(WORKER) as uow:
        again = import_pfif(uow, data, file_name="copy-of-search.xml")
        uow.commit()
    assert again.already_imported and again.source_id == result.source_id
    with registry.uow(write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(RecordRow)) == 1
        assert uow.session.scalar(select(func.count()).select_from(SourceRow)) == 1


def test_import_refuses_bad_files_and_writes_nothing(registry: Registry) -> None:
    bad_sex = PFIF_WITH_HOSTILE_VALUES.replace(">female<", ">girl<").encode()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4"><pfif:person>'
        b"<pfif:full_name>&b;</pfif:full_name></pfif:person></pfif:pfif>"
    )
    for data, complaint in (
        (bad_sex, "person 1 (example.org/p1): sex 'girl'"),
        (laughs, "refused"),
        (PFIF_WITH_HOSTILE_VALUES.replace("1.4", "1.3").encode(), "this is PFIF 1.3"),
        (
            PFIF_WITH_HOSTILE_VALUES.replace(">Марія<", ">" + "Марія" * 50 + "<").encode(),
            "given_name is 250 characters long (at most 200)",
        ),
    ):
        with registry.uow(WORKER) as uow, pytest.raises(Invalid, match=re.escape(complaint)):
            import_pfif(uow, data, file_name="bad.xml")
    with registry.uow(ANALYST) as uow, pytest.raises(Forbidden):
        import_pfif(uow, PFIF_WITH_HOSTILE_VALUES.encode(), file_name="x.xml")
    with registry.uow(write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(SourceRow)) == 0


# --- statistics -------------------------------------------------------------------------


def _registry_for_statistics(registry: Registry) -> dict[str, int]:
    """7 deported children from Donetsk oblast, 2 missing from Kherson oblast
    (one of them returned), 1 of unknown origin, and one merged duplicate."""
    ids: dict[str, int] = {}
    with registry.uow() as uow:
        for n in range(7):
            child = make_child(uow, given_name=f"Дитина{n}", residence="Маріуполь")
            ids[f"donetsk{n}"] = child.id
        for n in range(2):
            child = make_child(
                uow, category=Category.MISSING, birth_place="Херсон", residence=None,
                given_name=f"Херсонець{n}",
            )  # fmt: skip
            ids[f"kherson{n}"] = child.id
        _verified_located(uow, ids["kherson0"])
        _move(uow, ids["kherson0"], (Status.RETURNED, None))
        unknown = make_child(uow, birth_place="Десь", residence=None, given_name="Невідомий")
        ids["unknown"] = unknown.id
        duplicate = make_child(uow, residence="Маріуполь")
        uow.commit()
    with registry.uow() as uow:
        merging.merge_children(uow, ids["donetsk0"], duplicate.id, reason="same child")
        uow.commit()
    return ids


def _rows(table: list[dict[str, object]], breakdown: str) -> dict[str, object]:
    key = {"category": "category", "status": "status", "oblast": "oblast_en", "total": "month"}.get(
        breakdown, "month"
    )
    return {str(r[key]): r["children"] for r in table if r["breakdown"] == breakdown}


def test_statistics_count_children_not_merged_by_category_status_oblast(
    registry: Registry,
) -> None:
    _registry_for_statistics(registry)
    with registry.uow(ANALYST) as uow:
        stats = compute_statistics(uow)
    exact = stats.table(public=False)
    assert _rows(exact, "total") == {"": 10}
    assert _rows(exact, "category") == {
        "deported": 8, "forcibly_transferred": 0, "detained": 0, "missing": 2, "at_risk": 0,
    }  # fmt: skip
    statuses = _rows(exact, "status")
    assert statuses["reported"] == 9 and statuses["returned"] == 1
    assert "merged" not in statuses and sum(int(str(v)) for v in statuses.values()) == 10
    assert _rows(exact, "oblast") == {"Donetsk Oblast": 7, "Kherson Oblast": 2, "unknown": 1}
    donetsk = next(r for r in exact if r["oblast_en"] == "Donetsk Oblast")
    assert donetsk["oblast_code"] == "UA-14" and donetsk["oblast"] == "Донецька область"
    assert list(_rows(exact, "returns_by_month").values()) == [1]
    assert {r["as_of"] for r in exact} == {stats.as_of.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_small_counts_are_suppressed_and_cannot_be_worked_out_from_the_total(
    registry: Registry,
) -> None:
    _registry_for_statistics(registry)
    with registry.uow(ANALYST) as uow:
        public = compute_statistics(uow).table()
    assert _rows(public, "total") == {"": 10}
    # 8 deported and 2 missing: the 2 is hidden, and so is the 8 (else 10 - 8 = 2).
    assert _rows(public, "category") == {
        "deported": "suppressed", "forcibly_transferred": 0, "detained": 0, "missing": "<5",
        "at_risk": 0,
    }  # fmt: skip
    statuses = _rows(public, "status")
    assert statuses["returned"] == "<5" and statuses["reported"] == "suppressed"
    # two small counts hide each other: nothing more is hidden
    assert _rows(public, "oblast") == {"Donetsk Oblast": 7, "Kherson Oblast": "<5", "unknown": "<5"}
    assert list(_rows(public, "returns_by_month").values()) == ["<5"]


def test_statistics_csv_has_the_hxl_row_and_no_child_level_data(registry: Registry) -> None:
    _registry_for_statistics(registry)
    with registry.uow(ANALYST) as uow:
        stats = compute_statistics(uow)
    text = statistics_csv(stats)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Breakdown", "Category", "Status"]
    assert rows[1] == [
        "#meta+breakdown", "#category", "#status", "#adm1+code", "#adm1+name",
        "#adm1+name+i_en", "#date+returned", "#affected+children+num", "#date+reported",
    ]  # fmt: skip
    assert all(tag.startswith("#") for tag in rows[1])
    assert all(not cell.startswith("#") for row in rows[2:] for cell in row)
    assert len(rows) == 2 + len(stats.rows)
    for leak in ("Дитина", "Херсонець", "Коваленко", "HW-", "2012-03-04", "Невідомий"):
        assert leak not in text
    assert "<5" in text and ",1," not in text
    plain = list(csv.reader(io.StringIO(statistics_csv(stats, hxl=False))))
    assert plain[1][0] == "total"
    document = json.loads(statistics_json(stats))
    assert document["suppressed_below"] == 5 and document["total"] == [{"children": 10}]
    assert {"category": "missing", "children": "<5"} in document["category"]
    assert document["hxl"]["children"] == "#affected+children+num"


def test_origin_is_a_place_in_ukraine_never_where_the_child_is_now(registry: Registry) -> None:
    with registry.uow() as uow:
        investigation = make_source(uow, kind=SourceKind.INVESTIGATION, title="Adoption database")
        child = cases.open_case(uow, category=Category.DEPORTED)
        # found first, in Russia, with an adoptive family's region as residence
        make_record(
            uow, source=investigation, child_id=child.id, residence="Ростовская обл.",
            birth_place=None,
        )  # fmt: skip
        make_record(uow, child_id=child.id, residence=None, birth_place="м. Херсон")
        born_abroad = make_child(uow, residence=None, birth_place="г. Ростов-на-Дону")
        uow.commit()
        records = ordered_records(uow.repos.records.of_child(child.id))
        assert oblast_of_origin(records) == "UA-65"
        abroad = ordered_records(uow.repos.records.of_child(born_abroad.id))
        assert oblast_of_origin(abroad) == "outside Ukraine"
    with registry.uow() as uow:
        first, second = read_pfif(export_pfif(uow).document)
    assert (first.fields["home_city"], first.fields["home_state"]) == ("Херсон", "65")
    assert "home_state" not in second.fields and "home_city" not in second.fields


def test_hostile_values_in_the_registry_export_as_well_formed_pfif(registry: Registry) -> None:
    hostile = "<script>alert('x')</script> & Sons"
    with registry.uow() as uow:
        child = make_child(
            uow, family_name=hostile, given_name="Ган\u202eна\x01", notes="a\x00b ]]> &amp;",
            reporter_contact="<b>+380</b>",
        )  # fmt: skip
        cases.add_event(uow, child.id, EventKind.SIGHTING, place="Анапа\x07 & <табір>")
        uow.commit()
    with registry.uow(WORKER) as uow:
        document = export_pfif(uow, include_sensitive=True).document
    assert check_pfif(document, canonical_order=True) == []
    (person,) = read_pfif(document)
    assert person.fields["family_name"] == hostile
    # records keep names without control or direction characters; the raw copy has them
    assert person.fields["given_name"] == "Ганна"
    assert person.fields["author_phone"] == "<b>+380</b>"
    texts = " ".join(n["text"] for n in person.notes)
    assert "a b ]]> &amp;" in texts and "Анапа & <табір>" in texts
