"""Case workers and verifiers moving the same case at once: each move is made
on the status the one before left, and no move is lost or made twice."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from homeward.domain.model import SourceKind
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.services import cases
from homeward.services.registry_app import Registry
from homeward.storage.tables import StatusChangeRow
from tests.concurrency import trail
from tests.concurrency.conftest import ReportConflicts
from tests.concurrency.runner import Retries, Writer, at_once
from tests.crash import setups
from tests.crash.invariants import assert_consistent

pytestmark = pytest.mark.concurrency

_S = Status
PATH: list[tuple[Status, str | None]] = [
    (_S.REPORTED, None), (_S.UNDER_VERIFICATION, None), (_S.VERIFIED, None),
    (_S.LOCATED, "russia"), (_S.RETURN_IN_PROGRESS, "requested"),
    (_S.RETURN_IN_PROGRESS, "documents_ready"), (_S.RETURN_IN_PROGRESS, "handover_scheduled"),
    (_S.RETURN_IN_PROGRESS, "in_transit"), (_S.RETURNED, None), (_S.REINTEGRATION, None),
    (_S.CLOSED, "reunited"),
]  # fmt: skip
"""A child's way home, one move at a time."""

NEXT = {PATH[n]: PATH[n + 1] for n in range(len(PATH) - 1)}


def _open_case(registry: Registry, i: int) -> int:
    with registry.uow() as uow:
        source = cases.create_source(uow, kind=SourceKind.REPORT, title="hotline")
        child = setups.open_child(uow, source.id, i, records=1, russian=False)
        uow.commit()
        return child


def _status(registry: Registry, child_id: int) -> tuple[tuple[Status, str | None], int]:
    with registry.uow(write=False) as uow:
        child = uow.repos.children.get(child_id)
        return (Status(child.status), child.status_detail), child.version


def _walker(registry: Registry, child_id: int, n: int, retries: Retries) -> Writer:
    """Reads the case, moves it one step on with the version it read, again
    until the case is closed; a refusal sends it back to read again."""
    actor = Actor(username=f"worker-{n}", role=Role.VERIFIER, user_id=10 + n)

    def walk() -> int:
        made = 0
        while True:
            state, version = _status(registry, child_id)
            if state not in NEXT:
                return made
            status, detail = NEXT[state]

            def move(
                status: Status = status, detail: str | None = detail, seen: int = version
            ) -> None:
                with registry.uow(actor) as uow:
                    cases.move_status(
                        uow, child_id, status, detail=detail, reason=f"{actor.username} moves",
                        expected_version=seen,
                    )  # fmt: skip
                    uow.commit()

            made += retries.attempt(actor.username, move)

    return actor.username, walk


def test_moves_of_one_case_at_once_make_one_unbroken_history(
    registry: Registry, report_conflicts: ReportConflicts
) -> None:
    child_id = _open_case(registry, 0)
    retries = Retries()
    round_ = at_once([_walker(registry, child_id, n, retries) for n in range(6)])
    assert sum(o.result for o in round_.outcomes) == len(PATH) - 1
    with registry.uow(write=False) as uow:
        moves = list(
            uow.session.execute(
                select(StatusChangeRow.from_status, StatusChangeRow.from_detail,
                       StatusChangeRow.to_status, StatusChangeRow.to_detail, StatusChangeRow.actor)
                .where(StatusChangeRow.child_id == child_id)
                .order_by(StatusChangeRow.id)
            )
        )  # fmt: skip
    # Each step once, in order, each from where the last one left the case.
    assert [(m[2], m[3]) for m in moves] == [(s.value, d) for s, d in PATH]
    assert all((m[0], m[1]) == (prev[2], prev[3]) for prev, m in itertools.pairwise(moves))
    # The trail has each move by whoever made it, in the same order.
    inserted = trail.entries(registry, "status_changes", action="case.move_status:insert")
    assert [actor for _, actor, _ in inserted] == [m[4] for m in moves[1:]]
    assert _status(registry, child_id)[0] == PATH[-1]
    assert_consistent(registry, "moves at once")
    report_conflicts("status moves of one case (retrying)", len(retries.conflicts), len(moves) - 1)


def test_the_same_move_by_many_at_once_is_made_once(
    registry: Registry, report_conflicts: ReportConflicts
) -> None:
    """Without a version (a script, a second tab): the first move goes
    through, the others are refused by the status machine, not made twice."""
    child_id = _open_case(registry, 1)

    def mover(n: int) -> Writer:
        actor = Actor(username=f"worker-{n}", role=Role.CASE_WORKER, user_id=10 + n)

        def move() -> None:
            with registry.uow(actor) as uow:
                cases.move_status(uow, child_id, Status.UNDER_VERIFICATION, reason="checking")
                uow.commit()

        return actor.username, move

    round_ = at_once([mover(n) for n in range(6)])
    assert len(round_.succeeded) == 1
    with registry.uow(write=False) as uow:
        changes = uow.repos.status_changes.of_child(child_id)
    assert [c.to_status for c in changes] == [Status.REPORTED, Status.UNDER_VERIFICATION]
    assert changes[-1].actor == round_.succeeded[0].name
    assert_consistent(registry, "the same move at once")
    report_conflicts("the same status move at once", len(round_.conflicts), 1)
