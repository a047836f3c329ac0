"""Roles, what each may do, and who is acting (domain.md, "Who uses it")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from homeward.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"
    """Register keeper: users, organisations, settings."""
    CASE_WORKER = "case_worker"
    VERIFIER = "verifier"
    ANALYST = "analyst"
    PARTNER = "partner"
    """Partner NGO: sees only what its organisation contributed or was shared with it."""
    AUDITOR = "auditor"
    SYSTEM = "system"
    """The command line run by the operator, and background jobs."""


class Permission(StrEnum):
    READ_CASES = "read_cases"
    READ_SENSITIVE = "read_sensitive"
    """Contacts, addresses, the reporter's identity, evidence."""
    CREATE_RECORDS = "create_records"
    EDIT_CASES = "edit_cases"
    REVIEW_MATCHES = "review_matches"
    MERGE_CASES = "merge_cases"
    VERIFY_CASES = "verify_cases"
    MOVE_STATUS = "move_status"
    COMPOSE_LISTS = "compose_lists"
    APPROVE_LISTS = "approve_lists"
    IMPORT_FILES = "import_files"
    READ_STATISTICS = "read_statistics"
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_FACILITIES = "manage_facilities"


_P = Permission
_ALL = frozenset(Permission)
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {_P.READ_CASES, _P.READ_STATISTICS, _P.READ_AUDIT, _P.MANAGE_USERS, _P.MANAGE_FACILITIES}
    ),
    Role.CASE_WORKER: frozenset(
        {
            _P.READ_CASES,
            _P.READ_SENSITIVE,
            _P.CREATE_RECORDS,
            _P.EDIT_CASES,
            _P.REVIEW_MATCHES,
            _P.MERGE_CASES,
            _P.MOVE_STATUS,
            _P.COMPOSE_LISTS,
            _P.IMPORT_FILES,
            _P.READ_STATISTICS,
            _P.MANAGE_FACILITIES,
        }
    ),
    Role.VERIFIER: frozenset(
        {
            _P.READ_CASES,
            _P.READ_SENSITIVE,
            _P.REVIEW_MATCHES,
            _P.MERGE_CASES,
            _P.VERIFY_CASES,
            _P.MOVE_STATUS,
            _P.COMPOSE_LISTS,
            _P.APPROVE_LISTS,
            _P.READ_STATISTICS,
        }
    ),
    Role.ANALYST: frozenset({_P.READ_CASES, _P.READ_STATISTICS}),
    Role.PARTNER: frozenset({_P.READ_CASES, _P.CREATE_RECORDS, _P.READ_STATISTICS}),
    Role.AUDITOR: frozenset({_P.READ_AUDIT, _P.READ_STATISTICS}),
    Role.SYSTEM: _ALL,
}

ORGANISATION_SCOPED = frozenset({Role.PARTNER})
"""Roles that see only the cases their own organisation contributed or was shared."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a signed-in user, or the operator at the command line."""

    username: str
    role: Role
    user_id: int | None = None
    organisation_id: int | None = None

    def can(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"role '{self.role}' may not {permission.value.replace('_', ' ')}")

    @property
    def organisation_scoped(self) -> bool:
        return self.role in ORGANISATION_SCOPED


SYSTEM_ACTOR = Actor(username="system", role=Role.SYSTEM)
