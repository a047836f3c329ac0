"""Who works a case: a case is assigned to one person, who then finds it on
their home page ("Cases assigned to me").

Case workers (permission ``edit_cases``) assign and unassign.  A case goes
to an active user who works cases: a case worker, or a partner organisation's
user for a case of that organisation only (a partner never sees another
organisation's cases, so it could not work them).  Each change is a change of
the case row, in the audit trail with who made it, and it moves the case's
version: a form opened before someone else's change is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from homeward.domain.roles import Permission, Role
from homeward.domain.status import Status
from homeward.errors import Conflict, Invalid
from homeward.services.cases import check_version, get_child
from homeward.storage.tables import ChildRow, UserRow
from homeward.storage.uow import UnitOfWork

WORKING_ROLES = (Role.CASE_WORKER, Role.PARTNER)
"""Roles whose users work cases (a partner only its own organisation's)."""


@dataclass(frozen=True, slots=True)
class Assignee:
    """A person a case can be given to, as a select shows them."""

    id: int
    username: str
    display_name: str
    role: str
    organisation_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "organisation_id": self.organisation_id,
        }


def _assignee(user: UserRow) -> Assignee:
    return Assignee(user.id, user.username, user.display_name, user.role, user.organisation_id)


def _may_work(user: UserRow, child: ChildRow) -> bool:
    if not user.is_active or user.role not in WORKING_ROLES:
        return False
    if user.role == Role.PARTNER:
        return user.organisation_id is not None and user.organisation_id == child.organisation_id
    return True


def assignable_users(uow: UnitOfWork, child_id: int) -> list[Assignee]:
    """The people this case can be assigned to, by name; empty for a role
    that assigns nothing."""
    if not uow.actor.can(Permission.EDIT_CASES):
        return []
    child = get_child(uow, child_id)
    users = uow.session.scalars(
        select(UserRow)
        .where(UserRow.is_active.is_(True))
        .where(UserRow.role.in_([r.value for r in WORKING_ROLES]))
        .order_by(UserRow.display_name, UserRow.username)
    )
    return [_assignee(u) for u in users if _may_work(u, child)]


def assignee_of(uow: UnitOfWork, child_id: int) -> Assignee | None:
    """Who the case is assigned to, if anyone."""
    child = get_child(uow, child_id)
    if child.assigned_to_id is None:
        return None
    return _assignee(uow.repos.users.get(child.assigned_to_id))


def assign(
    uow: UnitOfWork, child_id: int, user_id: int, *, expected_version: int | None = None
) -> ChildRow:
    """Give the case to this user; the previous assignee, if any, no longer has it."""
    uow.actor.require(Permission.EDIT_CASES)
    child = get_child(uow, child_id)
    check_version(child, expected_version)
    if child.status == Status.MERGED:
        raise Conflict(f"case {child.case_number} was merged; assign the case it was merged into")
    user = uow.repos.users.find(user_id)
    if user is None or not _may_work(user, child):
        raise Invalid(
            f"assignee: case {child.case_number} goes to an active case worker"
            + (", or to a user of its own organisation" if child.organisation_id else "")
        )
    if child.assigned_to_id == user.id:
        return child
    with uow.action("case.assign"):
        child.assigned_to_id = user.id
    return child


def unassign(uow: UnitOfWork, child_id: int, *, expected_version: int | None = None) -> ChildRow:
    """Take the case back from whoever has it."""
    uow.actor.require(Permission.EDIT_CASES)
    child = get_child(uow, child_id)
    check_version(child, expected_version)
    if child.assigned_to_id is None:
        return child
    with uow.action("case.unassign"):
        child.assigned_to_id = None
    return child
