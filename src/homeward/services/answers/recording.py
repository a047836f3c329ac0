"""Recording an answer for one entry, and confirming the status move it implies."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select

from homeward.domain.model import EventKind
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Conflict, Invalid, NotFound
from homeward.services import cases
from homeward.services.cases import _require_reason
from homeward.services.lists import frozen_version, past_day
from homeward.services.records import clean_text
from homeward.storage.tables import ChildRow, EventRow, HandoverListRow, ListAnswerRow, ListEntryRow
from homeward.storage.uow import UnitOfWork


class Answer(StrEnum):
    NO_ANSWER = "no_answer"
    PARTIAL_INFORMATION = "partial_information"
    LOCATED = "located"
    NOT_FOUND = "not_found"
    CLAIMS_NOT_IN_RUSSIA = "claims_not_in_russia"
    CLAIMS_ADULT = "claims_adult"
    AGREED_TO_RETURN = "agreed_to_return"
    RETURNED = "returned"
    DECEASED = "deceased"
    DISPUTED = "disputed"


IMPLIED_MOVES: dict[Answer, tuple[Status, str | None]] = {
    Answer.LOCATED: (Status.LOCATED, "russia"),
    Answer.AGREED_TO_RETURN: (Status.RETURN_IN_PROGRESS, "requested"),
    Answer.RETURNED: (Status.RETURNED, None),
    Answer.DECEASED: (Status.CLOSED, "deceased"),
}
"""The status move an answer implies, once a person confirms it."""


def _entry(uow: UnitOfWork, list_id: int, number: int, entry_number: int) -> ListEntryRow:
    version = frozen_version(uow, list_id, number)
    entry = uow.session.scalars(
        select(ListEntryRow)
        .where(ListEntryRow.version_id == version.id)
        .where(ListEntryRow.number == entry_number)
    ).one_or_none()
    if entry is None:
        raise Invalid(f"version {number} of list {list_id} has no entry {entry_number}")
    return entry


def record_answer(
    uow: UnitOfWork,
    list_id: int,
    number: int,
    entry_number: int,
    answer: Answer,
    *,
    answered_on: str,
    source: str,
    detail: str | None = None,
) -> ListAnswerRow:
    """Keep an answer for one entry and write it on the child's timeline."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    entry = _entry(uow, list_id, number, entry_number)
    day = past_day(answered_on, "answered_on")
    said = clean_text(source)
    if not said:
        raise Invalid("source: say who answered, and through what")
    title = uow.session.get_one(HandoverListRow, list_id).title
    note = (
        f"{answer.value.replace('_', ' ')} (entry {entry_number} of '{title}', version {number}; "
        f"{said})" + (f": {clean_text(detail)}" if clean_text(detail) else "")
    )
    # The entry names the case as it was when the list was frozen; a case merged
    # since is followed in the case it was merged into, where the answer belongs.
    child = uow.repos.children.surviving(uow.repos.children.get(entry.child_id))
    with uow.action("list.answer"):
        # The answer's mark on the timeline is part of recording it (list work), not
        # an edit of the case: whoever may record answers writes it.
        event = EventRow(
            child_id=child.id, kind=EventKind.COUNTERPART_RESPONSE.value,
            date=day.isoformat(), note=note, created_by=uow.actor.username,
        )  # fmt: skip
        uow.session.add(event)
        uow.session.flush()
        row = ListAnswerRow(
            entry_id=entry.id, answer=answer.value, detail=clean_text(detail),
            answered_on=day.isoformat(), source=said, recorded_by=uow.actor.username,
            event_id=event.id,
        )  # fmt: skip
        uow.session.add(row)
    return row


def confirm_move(uow: UnitOfWork, answer_id: int, *, reason: str) -> ChildRow:
    """Make the status move an answer implies, now that a person confirmed it."""
    row = uow.session.get(ListAnswerRow, answer_id)
    if row is None:
        raise NotFound(f"no answer {answer_id}")
    implied = IMPLIED_MOVES.get(Answer(row.answer))
    if implied is None:
        raise Invalid(f"answer '{row.answer}' implies no status move")
    if row.applied_by is not None:
        raise Conflict(f"the move of answer {answer_id} was confirmed by {row.applied_by}")
    entry = uow.session.get_one(ListEntryRow, row.entry_id)
    status, detail = implied
    surviving = uow.repos.children.surviving(uow.repos.children.get(entry.child_id))
    child = cases.move_status(
        uow, surviving.id, status, detail=detail,
        reason=f"{_require_reason(reason)} (answer {answer_id}: {row.answer} from {row.source})",
    )  # fmt: skip
    with uow.action("list.confirm_answer"):
        row.applied_by = uow.actor.username
    return child
