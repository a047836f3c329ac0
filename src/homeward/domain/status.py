"""The status machine of a case (domain.md, "Case categories and status").

reported → under verification → verified (or rejected: duplicate, not eligible,
false) → located (where) or whereabouts unknown → return in progress (requested,
documents ready, handover scheduled, in transit) → returned → reintegration →
closed (reunited, deceased, withdrawn).

Some statuses carry a detail (where a child was located, how far a return has
come, why a case was closed).  A move between two details of one status is a
move too, and is recorded like any other.  Age plays no part here: a child
turning 18 never closes a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from homeward.errors import Invalid, TransitionRefused


class Status(StrEnum):
    REPORTED = "reported"
    UNDER_VERIFICATION = "under_verification"
    VERIFIED = "verified"
    REJECTED = "rejected"
    LOCATED = "located"
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown"
    RETURN_IN_PROGRESS = "return_in_progress"
    RETURNED = "returned"
    REINTEGRATION = "reintegration"
    CLOSED = "closed"
    MERGED = "merged"
    """Not reachable by a move: set by merging a duplicate into another case."""


DETAILS: dict[Status, tuple[str, ...]] = {
    Status.REJECTED: ("duplicate", "not_eligible", "false_report"),
    Status.LOCATED: ("occupied_territory", "russia", "belarus", "third_country"),
    Status.RETURN_IN_PROGRESS: (
        "requested",
        "documents_ready",
        "handover_scheduled",
        "in_transit",
    ),
    Status.CLOSED: ("reunited", "deceased", "withdrawn"),
}
"""Statuses that need a detail, and the details each allows."""

_S = Status
MOVES: dict[Status, frozenset[Status]] = {
    _S.REPORTED: frozenset({_S.UNDER_VERIFICATION, _S.REJECTED, _S.CLOSED}),
    _S.UNDER_VERIFICATION: frozenset({_S.VERIFIED, _S.REJECTED, _S.REPORTED, _S.CLOSED}),
    _S.VERIFIED: frozenset({_S.LOCATED, _S.WHEREABOUTS_UNKNOWN, _S.UNDER_VERIFICATION, _S.CLOSED}),
    # A rejected case can be reopened when new facts arrive.
    _S.REJECTED: frozenset({_S.UNDER_VERIFICATION}),
    # A family may bring a child back by itself, whatever was known of where.
    _S.WHEREABOUTS_UNKNOWN: frozenset({_S.LOCATED, _S.RETURNED, _S.CLOSED}),
    # LOCATED → LOCATED records a new place (another detail).
    _S.LOCATED: frozenset(
        {_S.LOCATED, _S.WHEREABOUTS_UNKNOWN, _S.RETURN_IN_PROGRESS, _S.RETURNED, _S.CLOSED}
    ),
    # A return can stall (back to located) or advance through its details.
    _S.RETURN_IN_PROGRESS: frozenset(
        {_S.RETURN_IN_PROGRESS, _S.LOCATED, _S.WHEREABOUTS_UNKNOWN, _S.RETURNED, _S.CLOSED}
    ),
    _S.RETURNED: frozenset({_S.REINTEGRATION, _S.CLOSED}),
    _S.REINTEGRATION: frozenset({_S.CLOSED}),
    # A closed case is reopened for verification (a death report proved false).
    _S.CLOSED: frozenset({_S.UNDER_VERIFICATION}),
    _S.MERGED: frozenset(),
}
"""For each status, the statuses a case may move to."""

TERMINAL_DETAILS_FROM: dict[str, frozenset[Status]] = {
    # A case is closed as reunited only once the child is back.
    "reunited": frozenset({_S.RETURNED, _S.REINTEGRATION}),
}


@dataclass(frozen=True, slots=True)
class StatusState:
    status: Status
    detail: str | None = None

    def __str__(self) -> str:
        return f"{self.status.value}/{self.detail}" if self.detail else self.status.value


def allowed_moves(current: StatusState) -> list[StatusState]:
    """Every (status, detail) a case in ``current`` may move to, in a stable order."""
    result: list[StatusState] = []
    for target in Status:
        if target not in MOVES[current.status]:
            continue
        details = DETAILS.get(target)
        if not details:
            result.append(StatusState(target))
            continue
        for detail in details:
            state = StatusState(target, detail)
            if state != current and _detail_allowed_from(current.status, detail):
                result.append(state)
    return result


def _detail_allowed_from(current: Status, detail: str) -> bool:
    allowed_from = TERMINAL_DETAILS_FROM.get(detail)
    return allowed_from is None or current in allowed_from


def check_move(current: StatusState, target: Status, detail: str | None) -> StatusState:
    """Return the new state, or refuse the move saying what is allowed instead.

    >>> check_move(StatusState(Status.REPORTED), Status.UNDER_VERIFICATION, None)
    StatusState(status=<Status.UNDER_VERIFICATION: 'under_verification'>, detail=None)
    """
    details = DETAILS.get(target)
    if details:
        if detail is None:
            raise Invalid(f"status '{target}' needs a detail: one of {', '.join(details)}")
        if detail not in details:
            raise Invalid(
                f"'{detail}' is not a detail of status '{target}': one of {', '.join(details)}"
            )
    elif detail is not None:
        raise Invalid(f"status '{target}' takes no detail (got '{detail}')")
    new = StatusState(target, detail)
    allowed = allowed_moves(current)
    if new not in allowed:
        names = ", ".join(str(s) for s in allowed) or "none"
        raise TransitionRefused(
            f"a case in status '{current}' cannot move to '{new}'; allowed: {names}"
        )
    return new
