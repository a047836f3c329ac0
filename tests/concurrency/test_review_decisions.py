"""Reviewers deciding the same proposed match at once: one decision per
moment, each made on what the one before left, none lost."""

from __future__ import annotations

import pytest

from homeward.domain.roles import Actor, Role
from homeward.services import review
from homeward.services.registry_app import Registry
from homeward.services.review import Action, ReviewStatus
from tests.concurrency import trail
from tests.concurrency.conftest import ReportConflicts
from tests.concurrency.runner import Writer, at_once
from tests.crash import setups
from tests.crash.invariants import assert_consistent

pytestmark = pytest.mark.concurrency

ACTIONS = [Action.ACCEPT, Action.REJECT, Action.DEFER, Action.ACCEPT, Action.DEFER, Action.REJECT]


def _decider(
    registry: Registry, candidate: int, n: int, action: Action, version: int | None
) -> Writer:
    actor = Actor(username=f"reviewer-{n}", role=Role.VERIFIER, user_id=10 + n)

    def decide() -> None:
        with registry.uow(actor) as uow:
            review.decide(
                uow, candidate, action, reason=f"reviewer {n} decides",
                expected_version=version,
            )  # fmt: skip
            uow.commit()

    return f"{actor.username} {action.value}s", decide


def test_reviewers_deciding_one_pair_at_once_leave_one_serial_history(
    registry: Registry, report_conflicts: ReportConflicts
) -> None:
    """Half the reviewers say which version they saw (as the web page does),
    half do not (as a script might): either way, each decision that went
    through was made on the state the previous one left, and is in the trail."""
    conflicts = succeeded = 0
    for unit in setups.proposal_units(registry, 2):  # a record for a case, two cases
        candidate = unit.args["candidate"]
        with registry.uow(write=False) as uow:
            version = uow.repos.match_candidates.get(candidate).version
        writers = [
            _decider(registry, candidate, n, action, version if n % 2 == 0 else None)
            for n, action in enumerate(ACTIONS)
        ]
        round_ = at_once(writers)
        conflicts += len(round_.conflicts)
        succeeded += len(round_.succeeded)
        # The trail names every decision that went through, once, in the order taken.
        decided = [
            (actor, action.removeprefix("match.").removesuffix(":update"))
            for _, actor, action in trail.entries(
                registry, "match_candidates", candidate, action="match."
            )
            if action != "match.propose:insert"
        ]
        made = {o.name.split()[0]: o.name.split()[1][:-1] for o in round_.succeeded}
        assert sorted(decided) == sorted(made.items()), (decided, made)
        # Replayed in that order, each was allowed where it came: a decided pair is
        # not decided again, and a reviewer who named a version saw that version.
        status, seen = ReviewStatus.PENDING, version
        for actor, action in decided:
            n = int(actor.rsplit("-", 1)[1])
            assert status in review.OPEN, f"{actor} {action}ed a pair already {status}"
            if n % 2 == 0:
                assert seen == version, f"{actor} decided on version {version}, it was {seen}"
            status, seen = review._DECIDED[Action(action)], seen + 1
        assert any(a != Action.DEFER for _, a in decided), "nobody decided"
        with registry.uow(write=False) as uow:
            row = uow.repos.match_candidates.get(candidate)
        assert (row.status, row.version) == (status, seen)
    assert_consistent(registry, "reviewers deciding at once")
    report_conflicts("review decisions on one pair", conflicts, succeeded)
