"""Plain functions that make what tests need: ``make_child(uow, **overrides)``."""

from __future__ import annotations

from typing import Any

from homeward.domain.model import Category, SourceKind
from homeward.services import cases
from homeward.services.records import raw_copy, record_data
from homeward.storage.tables import ChildRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork

DEFAULT_RECORD = {
    "given_name": "Олександр",
    "family_name": "Коваленко",
    "patronymic": "Сергійович",
    "sex": "m",
    "birth_date": "2012-03-04",
    "birth_place": "Маріуполь",
    "mother_name": "Коваленко Олена Петрівна",
}


def make_source(uow: UnitOfWork, **overrides: Any) -> SourceRow:
    values: dict[str, Any] = {"kind": SourceKind.REPORT, "title": "Report by phone"}
    values.update(overrides)
    return cases.create_source(uow, **values)


def make_record(
    uow: UnitOfWork, source: SourceRow | None = None, child_id: int | None = None, **fields: Any
) -> RecordRow:
    values = {**DEFAULT_RECORD, **fields}
    source = source or make_source(uow)
    return cases.register_record(
        uow, source_id=source.id, data=record_data(values), raw=raw_copy(values), child_id=child_id
    )


def make_child(
    uow: UnitOfWork, *, records: int = 1, category: Category = Category.DEPORTED, **fields: Any
) -> ChildRow:
    child = cases.open_case(uow, category=category)
    for _ in range(records):
        make_record(uow, child_id=child.id, **fields)
    return child
