"""Report intake: kept at once, candidates shown, linked or opened as a case."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from homeward.domain.model import Category
from homeward.domain.roles import Actor, Role
from homeward.errors import Conflict, Invalid
from homeward.services import intake
from homeward.services.registry_app import Registry
from homeward.storage.tables import RecordRow
from tests.factories import make_child

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
TYPED = {"full_name": "Kovalenko Oleksandr", "birth_date": "04.03.2012", "sex": "ч",
         "reporter_name": "Олена Коваленко", "reporter_contact": "+380 50 000 00 00"}  # fmt: skip


def _records(registry: Registry) -> int:
    with registry.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(RecordRow)) or 0)


def test_a_report_is_kept_and_the_child_it_describes_comes_first(registry: Registry) -> None:
    with registry.uow() as uow:
        child = make_child(uow)
        make_child(uow, given_name="Марія", sex="f", birth_date="2015-07-21")  # his sister
        uow.commit()
    with registry.uow(WORKER) as uow:
        taken = intake.take_report(uow, TYPED, title="Phone call, hotline")
        uow.commit()
    assert taken.candidates[0].child_id == child.id and taken.candidates[0].probability > 0.9
    assert all(c.record_id != taken.record.id for c in taken.candidates)
    with registry.uow(WORKER) as uow:
        record = uow.repos.records.get(taken.record.id)
        assert record.child_id is None and record.raw["reporter_contact"] == "+380 50 000 00 00"
        assert uow.repos.sources.get(record.source_id).title == "Phone call, hotline"
        intake.link_report(uow, record.id, child.id, reason="same boy: the mother confirmed")
        uow.commit()
    with registry.uow(WORKER) as uow:
        assert uow.repos.records.get(taken.record.id).child_id == child.id
        with pytest.raises(Conflict, match="already in a case"):
            intake.open_case_for_report(uow, taken.record.id, category=Category.DEPORTED)


def test_a_report_kept_first_and_searched_after_finds_the_same_children(
    registry: Registry,
) -> None:
    """A server keeps the report, commits, then searches outside the writers'
    lock: the child is found, the report itself is not."""
    with registry.uow() as uow:
        child = make_child(uow)
        record_id = child.records[0].id
        uow.commit()
    with registry.uow(WORKER) as uow:
        kept = intake.take_report(uow, TYPED, find=False)
        uow.commit()
    assert kept.candidates == []
    with registry.uow(WORKER, write=False) as uow:
        found = intake.report_candidates(uow, TYPED, kept.record.id)
        missed = intake.report_candidates(uow, TYPED, record_id)
    assert [(c.child_id, c.record_id) for c in found] == [(child.id, record_id)]
    # searched for another record, the kept report is a candidate too
    assert kept.record.id in {c.record_id for c in missed}


def test_a_report_nobody_matches_opens_a_case_and_a_broken_one_writes_nothing(
    registry: Registry,
) -> None:
    with registry.uow(WORKER) as uow:
        taken = intake.take_report(uow, {"family_name": "Новенький", "birth_date": "2011"})
        uow.commit()
    assert taken.candidates == []
    with registry.uow(WORKER) as uow:
        child = intake.open_case_for_report(
            uow, taken.record.id, category=Category.MISSING, reason="reported by the school"
        )
        uow.commit()
    assert child.category == "missing"
    before = _records(registry)
    with registry.uow(WORKER) as uow, pytest.raises(Invalid, match="birth_date"):
        intake.take_report(uow, {"family_name": "Шевчук", "birth_date": "31.02.2012"})
    assert _records(registry) == before
