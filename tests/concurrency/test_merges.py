"""Merges of the same cases at once, while others add to those cases: no case
half-merged, nothing added to a case that was merged away, and the merges
that went through are those some order of them one by one allows."""

from __future__ import annotations

from itertools import permutations

import pytest
from sqlalchemy import select

from homeward.domain.model import EventKind, Relationship, SourceKind
from homeward.domain.roles import Actor, Role
from homeward.services import cases, merging
from homeward.services.registry_app import Registry
from homeward.storage.tables import DecisionRow
from tests.concurrency.conftest import ReportConflicts
from tests.concurrency.runner import Writer, at_once
from tests.crash import setups
from tests.crash.invariants import assert_consistent

pytestmark = pytest.mark.concurrency

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)


def _merger(registry: Registry, duplicate: int, surviving: int) -> Writer:
    actor = Actor(username=f"merger-{duplicate}-{surviving}", role=Role.VERIFIER, user_id=2)

    def merge() -> int:
        with registry.uow(actor) as uow:
            decision = merging.merge_children(uow, duplicate, surviving, reason="the same child")
            uow.commit()
            return decision.id

    return f"merge {duplicate} into {surviving}", merge


def _adders(registry: Registry, child_ids: list[int], loose: list[int]) -> list[Writer]:
    """A case worker adds an event, a relative and a record to each case, as
    forms opened before the merges would."""
    writers: list[Writer] = []
    for child_id, record_id in zip(child_ids, loose, strict=True):

        def event(child_id: int = child_id) -> None:
            with registry.uow(WORKER) as uow:
                cases.add_event(uow, child_id, EventKind.SIGHTING, place="Таганрог")
                uow.commit()

        def relative(child_id: int = child_id) -> None:
            with registry.uow(WORKER) as uow:
                cases.add_relative(
                    uow, child_id, full_name="Ірина Бондаренко", relationship=Relationship.AUNT
                )
                uow.commit()

        def link(child_id: int = child_id, record_id: int = record_id) -> None:
            with registry.uow(WORKER) as uow:
                cases.link_record(uow, record_id, child_id, reason="the aunt's report")
                uow.commit()

        writers += [
            (f"event for case {child_id}", event),
            (f"relative for case {child_id}", relative),
            (f"link record {record_id} to case {child_id}", link),
        ]
    return writers


def test_merges_of_the_same_cases_at_once_leave_no_case_half_merged(
    registry: Registry, report_conflicts: ReportConflicts
) -> None:
    conflicts = succeeded = 0
    for round_number in range(3):
        first = 100 * round_number
        with registry.uow() as uow:
            source = cases.create_source(uow, kind=SourceKind.REPORT, title="hotline")
            children = [
                setups.open_child(uow, source.id, first, records=2, russian=n % 2 == 1)
                for n in range(3)
            ]
            loose = [
                setups.add_record(uow, source.id, None, **setups.person(first)) for _ in children
            ]
            uow.commit()
        writers = [_merger(registry, a, b) for a, b in permutations(children, 2)]
        round_ = at_once(writers + _adders(registry, children, loose))
        conflicts += len(round_.conflicts)
        succeeded += len(round_.succeeded)
        assert_consistent(registry, f"round {round_number} of merges at once")
        # The merges that went through, in the order the database took them,
        # were each allowed where they came: neither case merged already.
        merges = sorted(o.result for o in round_.succeeded if o.name.startswith("merge"))
        assert merges, "no merge went through"
        merged_into: dict[int, int] = {}
        with registry.uow(write=False) as uow:
            for decision in uow.session.scalars(
                select(DecisionRow).where(DecisionRow.id.in_(merges)).order_by(DecisionRow.id)
            ):
                duplicate, surviving = decision.other_child_id, decision.child_id
                assert duplicate is not None and surviving is not None
                assert duplicate not in merged_into and surviving not in merged_into
                merged_into[duplicate] = surviving
            for child_id in children:
                child = uow.repos.children.get(child_id)
                assert child.merged_into_id == merged_into.get(child_id)
            # What the case worker added went through to a case still open, or was refused.
            for record_id in loose:
                holder = uow.repos.records.get(record_id).child_id
                assert holder is None or holder not in merged_into
    report_conflicts("merges of the same cases, with additions", conflicts, succeeded)
