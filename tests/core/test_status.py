"""The status machine, checked against the moves of domain.md written out by hand."""

from __future__ import annotations

import itertools

import pytest

from homeward.domain.status import DETAILS, Status, StatusState, allowed_moves, check_move
from homeward.errors import Invalid, TransitionRefused

# Every allowed move, from domain.md's flow, as "from -> to" (details spelled out).
LOC = ["located/occupied_territory", "located/russia", "located/belarus", "located/third_country"]
REJ = ["rejected/duplicate", "rejected/not_eligible", "rejected/false_report"]
RIP = [
    "return_in_progress/requested",
    "return_in_progress/documents_ready",
    "return_in_progress/handover_scheduled",
    "return_in_progress/in_transit",
]
CLOSE_NOT_REUNITED = ["closed/deceased", "closed/withdrawn"]
CLOSE_ALL = ["closed/reunited", *CLOSE_NOT_REUNITED]

EXPECTED: dict[str, list[str]] = {
    "reported": ["under_verification", *REJ, *CLOSE_NOT_REUNITED],
    "under_verification": ["reported", "verified", *REJ, *CLOSE_NOT_REUNITED],
    "verified": ["under_verification", *LOC, "whereabouts_unknown", *CLOSE_NOT_REUNITED],
    "whereabouts_unknown": [*LOC, "returned", *CLOSE_NOT_REUNITED],
    "returned": ["reintegration", *CLOSE_ALL],
    "reintegration": CLOSE_ALL,
    "merged": [],
}
for r in REJ:
    EXPECTED[r] = ["under_verification"]
for loc in LOC:
    EXPECTED[loc] = [
        *(x for x in LOC if x != loc), "whereabouts_unknown", *RIP, "returned", *CLOSE_NOT_REUNITED
    ]  # fmt: skip
for rip in RIP:
    EXPECTED[rip] = [
        *LOC, "whereabouts_unknown", *(x for x in RIP if x != rip), "returned", *CLOSE_NOT_REUNITED
    ]  # fmt: skip
for c in CLOSE_ALL:
    EXPECTED[c] = ["under_verification"]


def parse(state: str) -> StatusState:
    status, _, detail = state.partition("/")
    return StatusState(Status(status), detail or None)


def all_states() -> list[StatusState]:
    states = []
    for status in Status:
        for detail in DETAILS.get(status, (None,)):
            states.append(StatusState(status, detail))
    return states


def test_every_state_has_expectations() -> None:
    assert {str(s) for s in all_states()} == set(EXPECTED)


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c, targets in EXPECTED.items() for t in targets],
)
def test_allowed_move_is_accepted(current: str, target: str) -> None:
    new = parse(target)
    assert check_move(parse(current), new.status, new.detail) == new


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (str(c), str(t))
        for c, t in itertools.product(all_states(), all_states())
        if str(t) not in EXPECTED[str(c)]
    ],
)
def test_refused_move_names_current_and_allowed(current: str, target: str) -> None:
    new = parse(target)
    with pytest.raises(TransitionRefused) as caught:
        check_move(parse(current), new.status, new.detail)
    message = str(caught.value)
    assert f"'{current}'" in message
    allowed = EXPECTED[current]
    assert ("allowed: none" in message) if not allowed else all(a in message for a in allowed)


def test_allowed_moves_matches_the_table() -> None:
    for state in all_states():
        assert sorted(str(s) for s in allowed_moves(state)) == sorted(EXPECTED[str(state)])


def test_status_needing_a_detail_refuses_none() -> None:
    with pytest.raises(Invalid, match="needs a detail"):
        check_move(StatusState(Status.VERIFIED), Status.LOCATED, None)


def test_unknown_detail_is_refused_with_the_choices() -> None:
    with pytest.raises(Invalid, match="occupied_territory, russia, belarus, third_country"):
        check_move(StatusState(Status.VERIFIED), Status.LOCATED, "moon")


def test_status_without_details_refuses_one() -> None:
    with pytest.raises(Invalid, match="takes no detail"):
        check_move(StatusState(Status.REPORTED), Status.UNDER_VERIFICATION, "fast")


def test_no_detail_closes_a_case_for_age() -> None:
    # Turning 18 never closes a case: there is no such reason to close.
    assert all("adult" not in d and "18" not in d for d in DETAILS[Status.CLOSED])
    with pytest.raises(Invalid):
        check_move(StatusState(Status.LOCATED, "russia"), Status.CLOSED, "adult")
