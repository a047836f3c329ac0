"""Reading answers back, each with the move it implies and who confirmed it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from homeward.errors import NotFound
from homeward.services.answers.recording import IMPLIED_MOVES, Answer
from homeward.services.lists import frozen_version, require_reader
from homeward.storage.tables import ListAnswerRow, ListEntryRow, ListVersionRow
from homeward.storage.uow import UnitOfWork


@dataclass(frozen=True)
class AnswerRead:
    """An answer to one entry, the status move it implies, and who confirmed it."""

    id: int
    entry_number: int
    case_number: str | None
    answer: str
    detail: str | None
    answered_on: str
    source: str
    recorded_by: str
    implies: dict[str, str | None] | None
    """``{"status": ..., "detail": ...}`` of the move, if the answer implies one."""
    confirmed_by: str | None
    """Who confirmed the move (it is made only then)."""


def answers_of(uow: UnitOfWork, list_id: int, number: int) -> list[AnswerRead]:
    """Every answer to a frozen version's entries, oldest first."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    rows = uow.session.execute(
        select(ListAnswerRow, ListEntryRow.number, ListEntryRow.values)
        .join(ListEntryRow, ListEntryRow.id == ListAnswerRow.entry_id)
        .where(ListEntryRow.version_id == version.id)
        .order_by(ListAnswerRow.answered_on, ListAnswerRow.id)
    ).all()
    found = []
    for answer, entry_number, values in rows:
        implied = IMPLIED_MOVES.get(Answer(answer.answer))
        found.append(
            AnswerRead(
                id=answer.id, entry_number=entry_number, case_number=values.get("case_number"),
                answer=answer.answer, detail=answer.detail, answered_on=answer.answered_on,
                source=answer.source, recorded_by=answer.recorded_by,
                implies={"status": implied[0].value, "detail": implied[1]} if implied else None,
                confirmed_by=answer.applied_by,
            )
        )  # fmt: skip
    return found


def check_answer_of(uow: UnitOfWork, list_id: int, answer_id: int) -> None:
    """``NotFound`` unless the answer was given to this list: an answer reached
    through a list's address must be one of its own."""
    require_reader(uow.actor)
    found = uow.session.scalar(
        select(ListVersionRow.list_id)
        .join(ListEntryRow, ListEntryRow.version_id == ListVersionRow.id)
        .join(ListAnswerRow, ListAnswerRow.entry_id == ListEntryRow.id)
        .where(ListAnswerRow.id == answer_id)
    )
    if found != list_id:
        raise NotFound(f"list {list_id} has no answer {answer_id}")
