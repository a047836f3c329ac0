"""What a user's pages list: cases page by page, and the work waiting for them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from homeward.domain.roles import Permission
from homeward.domain.status import Status, StatusState, allowed_moves
from homeward.services.access import check_case_access
from homeward.services.cases import VERIFIER_MOVES, get_child
from homeward.services.review import OPEN, ReviewItem, get_item
from homeward.storage.tables import (
    ChildRow,
    HandoverListRow,
    ListVersionRow,
    MatchCandidateRow,
    RecordRow,
    UserRow,
)
from homeward.storage.uow import UnitOfWork

MAX_PAGE = 200


@dataclass
class CasePage:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def _visible_cases(uow: UnitOfWork) -> Select[Any]:
    query = select(ChildRow).where(ChildRow.status != Status.MERGED.value)
    if uow.actor.organisation_scoped:
        query = query.where(ChildRow.organisation_id == uow.actor.organisation_id)
    return query


def case_names(uow: UnitOfWork, child_ids: Collection[int]) -> dict[int, str]:
    """The name each case is shown under: the full name of its first record
    that has one (names are not sensitive; they are what people search for)."""
    if not child_ids:
        return {}
    rows = uow.session.execute(
        select(
            RecordRow.child_id,
            RecordRow.family_name,
            RecordRow.given_name,
            RecordRow.patronymic,
            RecordRow.full_name,
        )
        .where(RecordRow.child_id.in_(list(child_ids)))
        .order_by(RecordRow.id)
    )
    names: dict[int, str] = {}
    for child_id, family, given, patronymic, full in rows:
        if child_id in names or child_id is None:
            continue
        parts = [p for p in (family, given, patronymic) if p]
        name = " ".join(parts) or (full or "")
        if name:
            names[child_id] = name
    return names


def list_cases(
    uow: UnitOfWork,
    *,
    limit: int = 50,
    offset: int = 0,
    status: str | None = None,
    assigned_to: int | None = None,
) -> CasePage:
    """Cases this actor may reach, newest first, one page at a time; only
    those assigned to user ``assigned_to`` when it is given."""
    uow.actor.require(Permission.READ_CASES)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    query = _visible_cases(uow)
    if status:
        query = query.where(ChildRow.status == status)
    if assigned_to is not None:
        query = query.where(ChildRow.assigned_to_id == assigned_to)
    total = int(uow.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = list(uow.session.scalars(query.order_by(ChildRow.id.desc()).limit(limit).offset(offset)))
    names = case_names(uow, [r.id for r in rows])
    assignees = _display_names(uow, {r.assigned_to_id for r in rows if r.assigned_to_id})
    items = [
        {
            "id": r.id,
            "case_number": r.case_number,
            "name": names.get(r.id, ""),
            "category": r.category,
            "status": r.status,
            "status_detail": r.status_detail,
            "assigned_to": assignees.get(r.assigned_to_id) if r.assigned_to_id else None,
            "updated_at": r.updated_at,
        }
        for r in rows
    ]
    return CasePage(items=items, total=total, limit=limit, offset=offset)


def _display_names(uow: UnitOfWork, user_ids: Collection[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = uow.session.execute(
        select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(list(user_ids)))
    )
    return {user_id: name for user_id, name in rows}


@dataclass
class Work:
    """The figures of a user's home page; ``None`` where the role has no say."""

    review_waiting: int | None = None
    assigned_cases: list[dict[str, Any]] = field(default_factory=list)
    lists_awaiting_approval: int | None = None


def my_work(uow: UnitOfWork) -> Work:
    actor = uow.actor
    work = Work()
    if actor.can(Permission.REVIEW_MATCHES):
        work.review_waiting = int(
            uow.session.scalar(
                select(func.count())
                .select_from(MatchCandidateRow)
                .where(MatchCandidateRow.status.in_([s.value for s in OPEN]))
            )
            or 0
        )
    if actor.can(Permission.READ_CASES) and actor.user_id is not None:
        rows = list(
            uow.session.scalars(
                _visible_cases(uow)
                .where(ChildRow.assigned_to_id == actor.user_id)
                .order_by(ChildRow.updated_at.desc())
                .limit(20)
            )
        )
        names = case_names(uow, [r.id for r in rows])
        work.assigned_cases = [
            {"id": r.id, "case_number": r.case_number, "name": names.get(r.id, ""),
             "status": r.status}
            for r in rows
        ]  # fmt: skip
    if actor.can(Permission.APPROVE_LISTS):
        work.lists_awaiting_approval = int(
            uow.session.scalar(
                select(func.count())
                .select_from(ListVersionRow)
                .join(HandoverListRow, HandoverListRow.id == ListVersionRow.list_id)
                .where(ListVersionRow.status == "draft")
                .where(HandoverListRow.author != actor.username)
            )
            or 0
        )
    return work


def case_id(uow: UnitOfWork, case_number: str) -> tuple[int, str]:
    """The id and current number of the case this number names (a merged
    duplicate's number leads to the case it was merged into); a case this
    actor may not reach answers as one that does not exist."""
    uow.actor.require(Permission.READ_CASES)
    child = uow.repos.children.by_case_number(case_number)
    check_case_access(uow.actor, child)
    return child.id, child.case_number


def open_matches_of(uow: UnitOfWork, child_id: int) -> list[ReviewItem]:
    """Proposed matches of this case still waiting for a reviewer (none for
    roles that do not review)."""
    if not uow.actor.can(Permission.REVIEW_MATCHES):
        return []
    rows = uow.repos.match_candidates.of_child(child_id)
    return [get_item(uow, row.id) for row in rows if row.status in {s.value for s in OPEN}]


def status_moves(uow: UnitOfWork, child_id: int) -> list[StatusState]:
    """The status moves this actor may make on this case now (none for roles
    that move no status): what the case page offers."""
    actor = uow.actor
    if not (actor.can(Permission.MOVE_STATUS) or actor.can(Permission.VERIFY_CASES)):
        return []
    child = get_child(uow, child_id)
    if child.status == Status.MERGED.value:
        return []
    moves = allowed_moves(StatusState(Status(child.status), child.status_detail))
    return [
        move
        for move in moves
        if actor.can(
            Permission.VERIFY_CASES if move.status in VERIFIER_MOVES else Permission.MOVE_STATUS
        )
    ]
