"""Answers to handover lists, and the tallies negotiators quote.

The other side or a mediator answers for each entry of a frozen version: no
answer, partial information, located (where), not found, claims the child is
not in Russia, claims the child is an adult, agreed to return, returned,
deceased, or disputed; with the date and who said it.  Every answer is kept
(the latest counts) and written on the child's timeline as a counterpart
response.  Where an answer implies a status move (located, agreed to return,
returned, deceased), the move waits for a person to confirm it
(:func:`confirm_move`): the other side's word is not yet a fact.

:func:`reconcile` gives the tallies of a version ("of 339: partial information
on 62, no answer on 212, 6 returned"), days since delivery, the disputed
entries, and the children on several lists still without an answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import select

from homeward.domain.model import EventKind
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Conflict, Invalid
from homeward.services import cases
from homeward.services.cases import _require_reason
from homeward.services.lists import frozen_version
from homeward.services.records import clean_text
from homeward.storage.tables import (
    ChildRow,
    DeliveryRow,
    HandoverListRow,
    ListAnswerRow,
    ListEntryRow,
    ListVersionRow,
)
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
    try:
        day = date.fromisoformat(answered_on)
    except ValueError as err:
        raise Invalid(f"answered_on: '{answered_on}' is not a date (YYYY-MM-DD)") from err
    if day > datetime.now(UTC).date():
        raise Invalid("answered_on: an answer cannot come from the future")
    said = clean_text(source)
    if not said:
        raise Invalid("source: say who answered, and through what")
    title = uow.session.get_one(HandoverListRow, list_id).title
    event = cases.add_event(
        uow, entry.child_id, EventKind.COUNTERPART_RESPONSE, date=day.isoformat(),
        note=f"{answer.value.replace('_', ' ')} (entry {entry_number} of '{title}', version "
        f"{number}; {said})" + (f": {clean_text(detail)}" if clean_text(detail) else ""),
    )  # fmt: skip
    with uow.action("list.answer"):
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
        raise Invalid(f"no answer {answer_id}")
    implied = IMPLIED_MOVES.get(Answer(row.answer))
    if implied is None:
        raise Invalid(f"answer '{row.answer}' implies no status move")
    if row.applied_by is not None:
        raise Conflict(f"the move of answer {answer_id} was confirmed by {row.applied_by}")
    entry = uow.session.get_one(ListEntryRow, row.entry_id)
    status, detail = implied
    child = cases.move_status(
        uow, entry.child_id, status, detail=detail,
        reason=f"{_require_reason(reason)} (answer {answer_id}: {row.answer} from {row.source})",
    )  # fmt: skip
    with uow.action("list.confirm_answer"):
        row.applied_by = uow.actor.username
    return child


@dataclass
class Tally:
    """The figures of one frozen version."""

    list_id: int
    title: str
    version: int
    entries: int
    by_answer: dict[str, int]
    """The latest answer of each entry (``no_answer`` for entries nobody answered)."""
    delivered_on: str | None
    days_since_delivery: int | None
    disputed: list[str] = field(default_factory=list)
    """Case numbers whose latest answer disputes the entry."""
    waiting_on_several_lists: list[str] = field(default_factory=list)
    """Children on this and other frozen lists, with no answer on any of them."""

    def sentence(self) -> str:
        """``of 339: partial information on 62, no answer on 212, returned 6``"""
        parts = [f"{a.replace('_', ' ')} {n}" for a, n in sorted(
            self.by_answer.items(), key=lambda item: -item[1])]  # fmt: skip
        return f"of {self.entries}: " + ", ".join(parts)


def reconcile(uow: UnitOfWork, list_id: int, number: int, *, today: date | None = None) -> Tally:
    uow.actor.require(Permission.READ_CASES)
    version = frozen_version(uow, list_id, number)
    entries = list(
        uow.session.scalars(select(ListEntryRow).where(ListEntryRow.version_id == version.id))
    )
    latest: dict[int, ListAnswerRow] = {}
    for answer in uow.session.scalars(
        select(ListAnswerRow)
        .where(ListAnswerRow.entry_id.in_([e.id for e in entries]))
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ):
        latest[answer.entry_id] = answer
    counts = Counter(latest[e.id].answer if e.id in latest else "no_answer" for e in entries)
    deliveries = list(
        uow.session.scalars(
            select(DeliveryRow.delivered_on)
            .where(DeliveryRow.version_id == version.id)
            .order_by(DeliveryRow.delivered_on)
        )
    )
    first = deliveries[0] if deliveries else None
    today = today or datetime.now(UTC).date()
    disputed = sorted(
        str(e.values.get("case_number"))
        for e in entries
        if e.id in latest and latest[e.id].answer == Answer.DISPUTED
    )
    return Tally(
        list_id, uow.session.get_one(HandoverListRow, list_id).title, number, len(entries),
        dict(counts), first, (today - date.fromisoformat(first)).days if first else None,
        disputed, _waiting_everywhere(uow, [e.child_id for e in entries if e.id not in latest]),
    )  # fmt: skip


def _waiting_everywhere(uow: UnitOfWork, child_ids: list[int]) -> list[str]:
    """Of these children, those on more than one frozen list and answered on none."""
    if not child_ids:
        return []
    rows = uow.session.execute(
        select(ListEntryRow.child_id, ListEntryRow.id, ListVersionRow.list_id)
        .join(ListVersionRow, ListEntryRow.version_id == ListVersionRow.id)
        .where(ListEntryRow.child_id.in_(child_ids))
    ).all()
    answered = set(
        uow.session.scalars(
            select(ListAnswerRow.entry_id).where(ListAnswerRow.entry_id.in_([r[1] for r in rows]))
        )
    )
    lists_of: dict[int, set[int]] = {}
    touched: set[int] = set()
    for child_id, entry_id, list_id in rows:
        lists_of.setdefault(child_id, set()).add(list_id)
        if entry_id in answered:
            touched.add(child_id)
    waiting = [c for c, found in lists_of.items() if len(found) > 1 and c not in touched]
    numbers = uow.session.scalars(
        select(ChildRow.case_number).where(ChildRow.id.in_(waiting)).order_by(ChildRow.case_number)
    )
    return list(numbers)
