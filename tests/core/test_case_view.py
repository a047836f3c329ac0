"""The case page's reads: other cases that may be the same child, found from
what the match index already holds, and the case read once per unit of work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from homeward.domain.roles import Actor, Role
from homeward.linkage import search as search_module
from homeward.linkage.model import default_model
from homeward.linkage.prepare import Prepared, prepare
from homeward.linkage.search import MAX_KEY_LENGTH, record_values, stored_prepared
from homeward.services import case_view
from homeward.services.cases import get_child
from homeward.services.registry_app import Registry
from tests.factories import make_child, make_record

WORKER = Actor("olena", Role.CASE_WORKER)


@pytest.fixture
def three_cases(registry: Registry) -> tuple[int, int, int]:
    """One child reported twice, as two cases (Ukrainian and Latin), and his sister."""
    with registry.uow() as uow:
        ours = make_child(uow, records=2)
        make_record(uow, child_id=ours.id, given_name="Sasha", birth_date="2012")
        latin = make_child(
            uow, given_name="Aleksandr", family_name="Kovalenko", patronymic="Sergeevich",
            birth_place="Mariupol", mother_name="",
        )  # fmt: skip
        sister = make_child(uow, given_name="Марія", birth_date="2014-07-01")
        uow.commit()
        return ours.id, latin.id, sister.id


def test_the_index_gives_back_what_preparing_the_record_gives(
    registry: Registry, three_cases: tuple[int, int, int]
) -> None:
    with registry.uow(WORKER, write=False) as uow:
        records = [r for child in three_cases for r in uow.repos.records.of_child(child)]
        filed = stored_prepared(uow, [r.id for r in records])
        assert set(filed) == {r.id for r in records}
        for record in records:
            fresh = prepare(record_values(record))
            assert filed[record.id].values == fresh.values
            assert filed[record.id].keys == {k for k in fresh.keys if len(k) <= MAX_KEY_LENGTH}
        assert stored_prepared(uow, []) == {}


def test_candidate_cases_from_the_index_are_those_found_by_preparing_again(
    registry: Registry, three_cases: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, latin, _sister = three_cases
    model = default_model()

    def found() -> list[tuple[int, str, float]]:
        with registry.uow(WORKER, write=False) as uow:
            return [
                (c.child_id, c.case_number, round(c.scored.weight, 9))
                for c in case_view.candidate_cases(uow, ours, model=model)
            ]

    calls: list[int] = []

    def counted_prepare(values: Mapping[str, Any]) -> Prepared:
        calls.append(1)
        return prepare(values)

    monkeypatch.setattr(search_module, "prepare", counted_prepare)
    from_index = found()
    assert [child for child, _, _ in from_index][:1] == [latin]
    assert calls == []  # nothing prepared again: the index had it all
    prepared_again: list[list[int]] = []

    def no_index(uow: object, ids: list[int]) -> dict[int, object]:
        prepared_again.append(ids)
        return {}

    monkeypatch.setattr(case_view, "stored_prepared", no_index)
    assert found() == from_index
    assert prepared_again and len(calls) == 3  # each of the case's three records prepared


@contextmanager
def counted_reads(registry: Registry, table: str) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            seen.append(statement)

    event.listen(registry.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(registry.engine, "before_cursor_execute", note)


def test_a_case_is_read_once_per_unit_of_work_however_many_services_ask(
    registry: Registry, three_cases: tuple[int, int, int]
) -> None:
    ours = three_cases[0]
    with registry.uow(WORKER, write=False) as uow, counted_reads(registry, "children") as reads:
        for _ in range(5):
            assert get_child(uow, ours).id == ours
    assert len(reads) == 1
    with registry.uow(WORKER, write=False) as uow, counted_reads(registry, "children") as reads:
        assert get_child(uow, ours).id == ours
    assert len(reads) == 1  # a new unit of work reads it afresh
