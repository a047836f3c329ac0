"""Merging duplicates and splitting them back out, reversibly and recorded."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.domain.model import EventKind, Relationship
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Conflict, Forbidden, Invalid
from homeward.services import accounts, cases, merging
from homeward.services.registry_app import Registry
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


def snapshot(registry: Registry) -> dict[str, Any]:
    """What a person would see of every case: numbers, statuses, whose records."""
    with registry.uow(write=False) as uow:
        from sqlalchemy import select

        from homeward.storage.tables import ChildRow, EventRow, RecordRow, RelativeRow

        s = uow.session
        return {
            "children": sorted(
                (c.case_number, c.status, c.status_detail, c.merged_into_id)
                for c in s.scalars(select(ChildRow))
            ),
            "records": sorted((r.id, r.child_id) for r in s.scalars(select(RecordRow))),
            "events": sorted((e.id, e.child_id) for e in s.scalars(select(EventRow))),
            "relatives": sorted((r.id, r.child_id) for r in s.scalars(select(RelativeRow))),
        }


@pytest.fixture
def two_cases(registry: Registry) -> tuple[int, int]:
    with registry.uow(WORKER) as uow:
        a = make_child(uow, records=2, given_name="Олександр")
        cases.move_status(uow, a.id, Status.UNDER_VERIFICATION, reason="check")
        cases.add_event(uow, a.id, EventKind.REMOVAL, date="2022-09", place="Олешки")
        cases.add_relative(uow, a.id, full_name="Олена", relationship=Relationship.MOTHER)
        b = make_child(uow, records=1, given_name="Александр")
        uow.commit()
    return a.id, b.id


def test_merge_moves_everything_and_points_the_old_number(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, b = two_cases
    with registry.uow(WORKER) as uow:
        old_number = uow.repos.children.get(a).case_number
        merging.merge_children(uow, a, b, reason="same child, Russian spelling")
        uow.commit()
    with registry.uow(write=False) as uow:
        assert uow.repos.children.by_case_number(old_number).id == b
        assert len(uow.repos.records.of_child(b)) == 3
        assert len(uow.repos.events.of_child(b)) == 1
        duplicate = uow.repos.children.get(a)
        assert (duplicate.status, duplicate.merged_into_id) == ("merged", b)
        (decision,) = [d for d in uow.repos.decisions.of_child(b) if d.kind == "merge"]
        assert decision.actor == "olena" and decision.reason == "same child, Russian spelling"


def test_merge_then_split_restores_the_original_state(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, b = two_cases
    before = snapshot(registry)
    with registry.uow(WORKER) as uow:
        moved = [r.id for r in uow.repos.records.of_child(a)]
        merging.merge_children(uow, a, b, reason="looked the same")
        uow.commit()
    assert snapshot(registry) != before
    with registry.uow(WORKER) as uow:
        restored = merging.split_child(uow, b, moved, reason="different birth certificates")
        uow.commit()
    assert restored.id == a
    assert snapshot(registry) == before
    with registry.uow(write=False) as uow:
        kinds = [(d.kind, d.reverted_by_id is not None) for d in uow.repos.decisions.of_child(b)]
    assert ("merge", True) in kinds and ("unmerge", False) in kinds


def test_split_of_other_records_opens_a_new_case(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, _ = two_cases
    with registry.uow(WORKER) as uow:
        first, second = [r.id for r in uow.repos.records.of_child(a)]
        new = merging.split_child(uow, a, [second], reason="twin brother")
        uow.commit()
    assert new.id != a and new.status == "reported"
    with registry.uow(write=False) as uow:
        assert [r.id for r in uow.repos.records.of_child(a)] == [first]
        assert [r.id for r in uow.repos.records.of_child(new.id)] == [second]


def test_split_refuses_to_empty_a_case_or_take_foreign_records(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, b = two_cases
    with registry.uow(WORKER) as uow:
        own = [r.id for r in uow.repos.records.of_child(a)]
        foreign = [r.id for r in uow.repos.records.of_child(b)]
        with pytest.raises(Invalid, match="at least one record"):
            merging.split_child(uow, a, own, reason="x")
        with pytest.raises(Invalid, match="do not belong"):
            merging.split_child(uow, a, foreign, reason="x")


def test_merging_twice_or_into_itself_is_refused(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, b = two_cases
    with registry.uow(WORKER) as uow:
        with pytest.raises(Invalid):
            merging.merge_children(uow, a, a, reason="x")
        merging.merge_children(uow, a, b, reason="x")
        with pytest.raises(Conflict, match="already merged"):
            merging.merge_children(uow, a, b, reason="x")


def test_undo_twice_is_refused(registry: Registry, two_cases: tuple[int, int]) -> None:
    a, b = two_cases
    with registry.uow(WORKER) as uow:
        decision = merging.merge_children(uow, a, b, reason="x")
        merging.unmerge(uow, decision.id, reason="mistake")
        with pytest.raises(Conflict, match="already undone"):
            merging.unmerge(uow, decision.id, reason="again")


def test_a_failure_mid_merge_leaves_nothing_half_written(
    registry: Registry, two_cases: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = two_cases
    before = snapshot(registry)

    def explode(*_args: object, **_kw: object) -> None:
        raise RuntimeError("power cut")

    # Records have moved by the time the status is set: fail right there.
    monkeypatch.setattr(merging, "_set_status", explode)
    with registry.uow(WORKER) as uow, pytest.raises(RuntimeError):
        merging.merge_children(uow, a, b, reason="x")
        uow.commit()
    assert snapshot(registry) == before


def test_a_verifier_splits_a_case_though_it_registers_no_records(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, _ = two_cases
    verifier = Actor(username="taras", role=Role.VERIFIER, user_id=2)
    with registry.uow(verifier) as uow:
        _first, second = [r.id for r in uow.repos.records.of_child(a)]
        new = merging.split_child(uow, a, [second], reason="another girl of the same name")
        uow.commit()
    with registry.uow(write=False) as uow:
        assert [r.id for r in uow.repos.records.of_child(new.id)] == [second]
    partner = Actor(username="ngo", role=Role.PARTNER, user_id=3, organisation_id=1)
    with registry.uow(partner) as uow, pytest.raises(Forbidden):
        merging.split_child(uow, a, [second], reason="no")


def test_the_case_worker_of_a_merged_duplicate_goes_on_with_the_child(
    registry: Registry, two_cases: tuple[int, int]
) -> None:
    a, b = two_cases
    with registry.uow() as uow:
        worker = accounts.create_user(
            uow, username="olena", display_name="Олена", role=Role.CASE_WORKER, password="x" * 14
        )
        uow.repos.children.get(b).assigned_to_id = worker.id
        uow.commit()
    with registry.uow(WORKER) as uow:
        merge = merging.merge_children(uow, b, a, reason="same boy")
        uow.commit()
    with registry.uow(write=False) as uow:
        assert uow.repos.children.get(a).assigned_to_id == worker.id
    with registry.uow(WORKER) as uow:
        merging.unmerge(uow, merge.id, reason="not the same boy after all")
        uow.commit()
    with registry.uow(write=False) as uow:
        assert uow.repos.children.get(a).assigned_to_id is None
        assert uow.repos.children.get(b).assigned_to_id == worker.id
