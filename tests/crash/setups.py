"""Registries to kill operations in: many units alike, each a different child.

Every unit is a different child (a name and a date of birth no other unit
shares), so no unit's operation reaches another's: each adds the same rows as
the first, which is how a test knows that a killed and re-run unit added
exactly what an uninterrupted one adds.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from homeward import keys
from homeward.domain.model import Category, EventKind, Relationship, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.services import cases, lists, review
from homeward.services.imports import file_sha256
from homeward.services.records import raw_copy, record_data
from homeward.services.registry_app import Registry
from homeward.storage.tables import (
    ChildRow,
    DecisionRow,
    ImportRow,
    ListVersionRow,
    RecordRow,
)
from homeward.storage.uow import UnitOfWork
from tests.crash.driver import APPROVER
from tests.crash.harness import Unit

COMPOSER = Actor(username="mykola", role=Role.VERIFIER, user_id=4)

FAMILY = [
    ("Коваленко", "Коваленко"), ("Шевчук", "Шевчук"), ("Бондаренко", "Бондаренко"),
    ("Ткаченко", "Ткаченко"), ("Мельник", "Мельник"), ("Кравченко", "Кравченко"),
    ("Олійник", "Олейник"), ("Лисенко", "Лысенко"), ("Руденко", "Руденко"),
    ("Савченко", "Савченко"), ("Петренко", "Петренко"), ("Марченко", "Марченко"),
    ("Гончаренко", "Гончаренко"), ("Левченко", "Левченко"), ("Іваненко", "Иваненко"),
    ("Поліщук", "Полищук"), ("Захарченко", "Захарченко"), ("Мороз", "Мороз"),
]  # fmt: skip
"""Family names as a Ukrainian record and a Russian one write them."""

GIVEN = [
    ("Олександр", "Александр", "m"), ("Ганна", "Анна", "f"), ("Микита", "Никита", "m"),
    ("Марія", "Мария", "f"), ("Дмитро", "Дмитрий", "m"), ("Софія", "София", "f"),
    ("Іван", "Иван", "m"), ("Олена", "Елена", "f"), ("Андрій", "Андрей", "m"),
    ("Катерина", "Екатерина", "f"), ("Богдан", "Богдан", "m"), ("Вікторія", "Виктория", "f"),
    ("Тарас", "Тарас", "m"), ("Юлія", "Юлия", "f"), ("Максим", "Максим", "m"),
]  # fmt: skip

PATRONYMICS = [
    ("Сергійович", "Сергіївна", "Сергеевич", "Сергеевна"),
    ("Іванович", "Іванівна", "Иванович", "Ивановна"),
    ("Петрович", "Петрівна", "Петрович", "Петровна"),
    ("Андрійович", "Андріївна", "Андреевич", "Андреевна"),
    ("Олегович", "Олегівна", "Олегович", "Олеговна"),
    ("Васильович", "Василівна", "Васильевич", "Васильевна"),
    ("Миколайович", "Миколаївна", "Николаевич", "Николаевна"),
    ("Юрійович", "Юріївна", "Юрьевич", "Юрьевна"),
    ("Вікторович", "Вікторівна", "Викторович", "Викторовна"),
    ("Романович", "Романівна", "Романович", "Романовна"),
    ("Павлович", "Павлівна", "Павлович", "Павловна"),
    ("Богданович", "Богданівна", "Богданович", "Богдановна"),
]  # fmt: skip
"""Patronymics: Ukrainian for a boy and a girl, then Russian for a boy and a girl."""

PLACES = ["Маріуполь", "Херсон", "Мелітополь", "Бердянськ", "Ізюм", "Куп'янськ", "Бахмут"]

PEOPLE = len(FAMILY) * len(GIVEN) * len(PATRONYMICS)


def person(i: int, *, russian: bool = False) -> dict[str, str]:
    """Child number ``i`` (below :data:`PEOPLE`): no two numbers share a full
    name or a date of birth."""
    assert 0 <= i < PEOPLE
    family_uk, family_ru = FAMILY[i % len(FAMILY)]
    q = i // len(FAMILY)
    given_uk, given_ru, sex = GIVEN[(i + q) % len(GIVEN)]
    block = len(FAMILY) * len(GIVEN)
    forms = PATRONYMICS[i // block]
    # children who share a given and a family name are born years apart
    born = date(2005, 1, 1) + timedelta(days=400 * (i // block) + i % block)
    return {
        "family_name": family_ru if russian else family_uk,
        "given_name": given_ru if russian else given_uk,
        "patronymic": forms[2 * russian + (sex == "f")],
        "sex": sex,
        "birth_date": born.isoformat(),
        "birth_place": PLACES[i % len(PLACES)],
    }


def add_record(uow: UnitOfWork, source_id: int, child_id: int | None, **values: Any) -> int:
    record = cases.register_record(
        uow, source_id=source_id, data=record_data(values), raw=raw_copy(values),
        child_id=child_id,
    )  # fmt: skip
    return record.id


def open_child(uow: UnitOfWork, source_id: int, i: int, *, records: int, russian: bool) -> int:
    """A case of child ``i`` with ``records`` records, two events and two relatives."""
    child = cases.open_case(uow, category=Category.DEPORTED)
    for n in range(records):
        add_record(uow, source_id, child.id, **person(i, russian=russian and n % 2 == 0))
    cases.add_event(uow, child.id, EventKind.REMOVAL, date="2022-09", place=PLACES[i % 7])
    cases.add_event(uow, child.id, EventKind.SIGHTING, place="Анапа", note="camp")
    mother = f"{person(i)['family_name']} Олена"
    cases.add_relative(
        uow, child.id, full_name=mother, relationship=Relationship.MOTHER,
        is_legal_representative=True, requested_return=True, phone="+380 67 000 00 00",
    )  # fmt: skip
    cases.add_relative(uow, child.id, full_name="Петро", relationship=Relationship.GRANDFATHER)
    return child.id


def merge_units(registry: Registry, count: int) -> list[Unit]:
    """``count`` pairs of cases of one child each: the duplicate (four records)
    is to be merged into the surviving case (two records)."""
    units = []
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.REPORT, title="hotline")
        for i in range(count):
            duplicate = open_child(uow, source.id, i, records=4, russian=True)
            surviving = open_child(uow, source.id, i, records=2, russian=False)
            units.append(Unit(f"merge {i}", {"duplicate": duplicate, "surviving": surviving}))
        uow.commit()
    return units


def merge_progress(registry: Registry, unit: Unit) -> str:
    with registry.uow(write=False) as uow:
        duplicate = uow.repos.children.get(unit.args["duplicate"])
        if duplicate.status != Status.MERGED:
            return "none"
        assert duplicate.merged_into_id == unit.args["surviving"]
        return "done"


NO_AUTO_LINK = review.Thresholds(auto_link=1.0, review=0.05)


def proposal_units(registry: Registry, count: int) -> list[Unit]:
    """``count`` proposals waiting for a reviewer, alternately a record in no
    case for a case (accepting links it) and two cases of one child
    (accepting merges them)."""
    units = []
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.INVESTIGATION, title="camp list")
        for i in range(count):
            child = open_child(uow, source.id, i, records=2, russian=False)
            if i % 2 == 0:
                probe = add_record(uow, source.id, None, **person(i, russian=True))
                kind, pair = "link", review.record_pair(probe, child)
            else:
                other = open_child(uow, source.id, i, records=3, russian=True)
                probe = uow.repos.records.of_child(other)[0].id
                kind, pair = "merge", review.children_pair(child, other)
            review.propose_for_record(uow, probe, thresholds=NO_AUTO_LINK)
            candidate = uow.repos.match_candidates.by_pair(pair)
            assert candidate is not None, f"child {i}: {pair} was not proposed"
            candidate_id = candidate.id
            units.append(Unit(f"accept {kind} {i}", {"candidate": candidate_id}, kind=kind))
        uow.commit()
    return units


def proposal_progress(registry: Registry, unit: Unit) -> str:
    with registry.uow(write=False) as uow:
        row = uow.repos.match_candidates.get(unit.args["candidate"])
        if row.status in review.OPEN:
            return "none"
        assert row.status == review.ReviewStatus.ACCEPTED, row.status
        decision = uow.session.get_one(DecisionRow, row.decision_id)
        if row.record_id is not None:
            assert uow.repos.records.get(row.record_id).child_id == row.child_id
        else:
            other = uow.repos.children.get(decision.other_child_id or 0)
            assert other.merged_into_id == decision.child_id
        return "done"


def list_units(registry: Registry, count: int, children: int) -> list[Unit]:
    """``count`` approved lists of the same ``children`` children, ready to be
    frozen; the registry's signing key is made here, once."""
    keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.REPORT, title="hotline")
        for i in range(children):
            open_child(uow, source.id, i, records=2, russian=i % 3 == 0)
        uow.commit()
    units = []
    for n in range(count):
        with registry.uow(COMPOSER) as uow:
            row = lists.create_list(
                uow, title=f"Round {n + 1}", purpose="children located in Russia",
                channel="mediator", recipient="Mediator's office",
                criteria={"category": [Category.DEPORTED.value]},
            )  # fmt: skip
            uow.commit()
        with registry.uow(APPROVER) as uow:
            lists.approve(uow, row.id)
            uow.commit()
        units.append(Unit(f"freeze list {row.id}", {"list": row.id}))
    return units


def list_progress(registry: Registry, unit: Unit) -> str:
    with registry.uow(write=False) as uow:
        status = uow.session.scalar(
            select(ListVersionRow.status).where(ListVersionRow.list_id == unit.args["list"])
        )
    return {"approved": "none", "frozen": "done"}[str(status)]


HEADER = ["Прізвище", "Ім'я", "По батькові", "Стать", "Дата народження", "Місце народження"]


def import_units(registry: Registry, folder: Path, count: int, rows: int) -> list[Unit]:
    """``count`` CSV files of ``rows`` rows each (every tenth row broken: a
    31 February), each row a different child, for a registry that already
    holds a case (so the first import is not the first to number one)."""
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.REPORT, title="hotline")
        open_child(uow, source.id, PEOPLE - 1, records=1, russian=False)
        uow.commit()
    folder.mkdir(parents=True, exist_ok=True)
    units = []
    for n in range(count):
        lines = [";".join(HEADER)]
        for r in range(rows):
            p = person(1000 + n * rows + r)
            born = date.fromisoformat(p["birth_date"]).strftime("%d.%m.%Y")
            if r % 10 == 9:
                born = "31.02.2012"
            sex = "ч" if p["sex"] == "m" else "ж"
            cells = [p["family_name"], p["given_name"], p["patronymic"], sex, born]
            lines.append(";".join([*cells, p["birth_place"]]))
        path = folder / f"list-{n + 1:02d}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        units.append(Unit(f"import {path.name}", {"path": str(path), "batch_rows": 20}))
    return units


def import_progress(registry: Registry, unit: Unit) -> str:
    with registry.uow(write=False) as uow:
        row = uow.session.scalar(
            select(ImportRow).where(ImportRow.file_sha256 == file_sha256(unit.args["path"]))
        )
        if row is None:
            return "none"
        records = uow.session.scalar(
            select(func.count()).select_from(RecordRow).where(RecordRow.source_id == row.source_id)
        )
        in_cases = uow.session.scalar(
            select(func.count())
            .select_from(RecordRow)
            .join(ChildRow, RecordRow.child_id == ChildRow.id)
            .where(RecordRow.source_id == row.source_id)
        )
        if row.status != "complete":
            assert in_cases == 0, "cases were opened before the import finished"
            return "partial"
        assert in_cases == records, "a finished import left records in no case"
        return "done"
