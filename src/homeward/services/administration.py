"""The register keeper's work on people: users and organisations, roles,
passwords and second factors; a user changing their own password; and the
audit trail as auditors read it.

Every change goes through the unit of work, so each is in the audit trail
with who made it.  Whatever can let someone else in (a new password, a reset
second factor, a disabled account) also ends the user's browser sessions and
revokes their API tokens, so nothing issued before the change keeps working.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from homeward.domain.model import OrganisationKind
from homeward.domain.record import SENSITIVE_FIELDS
from homeward.domain.roles import Permission, Role
from homeward.errors import Conflict, Invalid, NotFound
from homeward.services import accounts, signin
from homeward.services.case_view import RELATIVE_SENSITIVE
from homeward.storage.audit import ChainReport, iter_entries, verify_chain
from homeward.storage.tables import (
    ApiTokenRow,
    AuditRow,
    OrganisationRow,
    UserRow,
    WebSessionRow,
    utcnow,
)
from homeward.storage.uow import UnitOfWork

PERSON_ROLES = tuple(r for r in Role if r != Role.SYSTEM)


@dataclass(frozen=True)
class UserSummary:
    """One user as the administration page lists them."""

    id: int
    username: str
    display_name: str
    email: str | None
    role: str
    organisation_id: int | None
    organisation: str | None
    two_factor: bool
    active: bool
    locked_until: datetime | None
    last_sign_in: datetime | None
    created_at: datetime

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > utcnow()


@dataclass(frozen=True)
class OrganisationSummary:
    id: int
    name: str
    kind: str
    users: int
    created_at: datetime


def _summary(user: UserRow, organisations: dict[int, str], last: datetime | None) -> UserSummary:
    return UserSummary(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        organisation=organisations.get(user.organisation_id) if user.organisation_id else None,
        two_factor=bool(user.totp_secret),
        active=user.is_active,
        locked_until=user.locked_until,
        last_sign_in=last,
        created_at=user.created_at,
    )


def _last_sign_ins(uow: UnitOfWork, user_id: int | None = None) -> dict[int, datetime]:
    """When each user last finished signing in (a session's ``created_at``
    is reset when its second factor is given)."""
    query = (
        select(WebSessionRow.user_id, func.max(WebSessionRow.created_at))
        .where(WebSessionRow.stage == signin.ACTIVE)
        .group_by(WebSessionRow.user_id)
    )
    if user_id is not None:
        query = query.where(WebSessionRow.user_id == user_id)
    found: dict[int, datetime] = {}
    for uid, at in uow.session.execute(query):
        if at is not None:
            # SQLite hands an aggregate back as text, not through the column's type
            moment = datetime.fromisoformat(at) if isinstance(at, str) else at
            found[int(uid)] = moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
    return found


def _organisation_names(uow: UnitOfWork) -> dict[int, str]:
    rows = uow.session.execute(select(OrganisationRow.id, OrganisationRow.name))
    return {int(oid): str(name) for oid, name in rows}


def list_users(uow: UnitOfWork) -> list[UserSummary]:
    uow.actor.require(Permission.MANAGE_USERS)
    names = _organisation_names(uow)
    last = _last_sign_ins(uow)
    users = uow.session.scalars(select(UserRow).order_by(UserRow.username))
    return [_summary(u, names, last.get(u.id)) for u in users]


def get_user(uow: UnitOfWork, user_id: int) -> UserSummary:
    uow.actor.require(Permission.MANAGE_USERS)
    user = uow.repos.users.get(user_id)
    return _summary(user, _organisation_names(uow), _last_sign_ins(uow, user_id).get(user_id))


def list_organisations(uow: UnitOfWork) -> list[OrganisationSummary]:
    uow.actor.require(Permission.MANAGE_USERS)
    counts = {
        oid: int(n)
        for oid, n in uow.session.execute(
            select(UserRow.organisation_id, func.count()).group_by(UserRow.organisation_id)
        )
    }
    rows = uow.session.scalars(select(OrganisationRow).order_by(OrganisationRow.name))
    return [
        OrganisationSummary(r.id, r.name, r.kind, int(counts.get(r.id, 0)), r.created_at)
        for r in rows
    ]


def create_organisation(uow: UnitOfWork, name: str, kind: str) -> OrganisationRow:
    try:
        chosen = OrganisationKind(kind)
    except ValueError as err:
        raise Invalid("kind: choose one of the kinds offered") from err
    return accounts.create_organisation(uow, name, chosen)


def rename_organisation(uow: UnitOfWork, organisation_id: int, name: str) -> OrganisationRow:
    uow.actor.require(Permission.MANAGE_USERS)
    organisation = uow.repos.organisations.get(organisation_id)
    name = accounts.organisation_name(name)
    other = uow.repos.organisations.by_name(name)
    if other is not None and other.id != organisation.id:
        raise Conflict(f"an organisation named '{name}' exists already")
    with uow.action("organisation.rename"):
        organisation.name = name
    return organisation


def _role(value: str) -> Role:
    try:
        role = Role(value)
    except ValueError as err:
        raise Invalid("role: choose one of the roles offered") from err
    if role == Role.SYSTEM:
        raise Invalid("role: 'system' is not a role a person can hold")
    return role


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    display_name: str,
    role: str,
    organisation_id: int | None,
    email: str | None = None,
) -> tuple[UserRow, str]:
    """A new user with a one-time password (returned, to be shown once) and no
    second factor yet: they enrol their authenticator at their first sign-in."""
    password = accounts.one_time_password()
    user = accounts.create_user(
        uow,
        username=username,
        display_name=display_name,
        role=_role(role),
        password=password,
        organisation_id=organisation_id,
        email=(email or "").strip() or None,
    )
    return user, password


def _keeps_an_admin(uow: UnitOfWork, user: UserRow) -> None:
    """Refuse a change that would leave the registry with no active register
    keeper: nobody could then manage users at all."""
    if user.role != Role.ADMIN.value or not user.is_active:
        return
    others = uow.session.scalar(
        select(func.count())
        .select_from(UserRow)
        .where(UserRow.role == Role.ADMIN.value, UserRow.is_active.is_(True))
        .where(UserRow.id != user.id)
    )
    if not others:
        raise Conflict(
            f"{user.username} is the last active register keeper; give another user that role first"
        )


def change_role(uow: UnitOfWork, user_id: int, role: str, organisation_id: int | None) -> UserRow:
    """A new role (and organisation).  Sessions and tokens act with the new
    role from their next request on."""
    uow.actor.require(Permission.MANAGE_USERS)
    user = uow.repos.users.get(user_id)
    chosen = _role(role)
    if chosen == Role.PARTNER and organisation_id is None:
        raise Invalid("organisation: a partner user belongs to an organisation")
    if organisation_id is not None:
        uow.repos.organisations.get(organisation_id)
    if chosen != Role.ADMIN:
        _keeps_an_admin(uow, user)
    with uow.action("user.change_role"):
        user.role = chosen.value
        user.organisation_id = organisation_id
    return user


def end_access(uow: UnitOfWork, user: UserRow, *, keep_session_id: int | None = None) -> int:
    """End the user's browser sessions (but ``keep_session_id``) and revoke
    their API tokens; returns how many were ended."""
    now = utcnow()
    sessions = uow.session.scalars(
        select(WebSessionRow).where(
            WebSessionRow.user_id == user.id,
            WebSessionRow.revoked_at.is_(None),
            WebSessionRow.expires_at > now,
        )
    )
    tokens = uow.session.scalars(
        select(ApiTokenRow).where(ApiTokenRow.user_id == user.id, ApiTokenRow.revoked_at.is_(None))
    )
    ended = 0
    with uow.action("user.end_access"):
        for row in [*sessions, *tokens]:
            if isinstance(row, WebSessionRow) and row.id == keep_session_id:
                continue
            row.revoked_at = now
            ended += 1
    return ended


def set_active(uow: UnitOfWork, user_id: int, active: bool) -> UserRow:
    """Disable (every session and token ends at once) or enable a user."""
    uow.actor.require(Permission.MANAGE_USERS)
    user = uow.repos.users.get(user_id)
    if not active:
        if user.id == uow.actor.user_id:
            raise Conflict("you cannot disable your own account; ask another register keeper")
        _keeps_an_admin(uow, user)
    with uow.action("user.enable" if active else "user.disable"):
        user.is_active = active
    if not active:
        end_access(uow, user)
    return user


def unlock(uow: UnitOfWork, user_id: int) -> UserRow:
    """Lift a lockout after too many failed sign-ins, before it runs out."""
    uow.actor.require(Permission.MANAGE_USERS)
    user = uow.repos.users.get(user_id)
    with uow.action("user.unlock"):
        user.locked_until = None
        user.failed_logins = 0
    return user


def reset_password(uow: UnitOfWork, user_id: int) -> str:
    """A new one-time password for the user (returned, to be shown once); the
    old one stops working and every session and token of theirs ends."""
    uow.actor.require(Permission.MANAGE_USERS)
    user = uow.repos.users.get(user_id)
    password = accounts.one_time_password()
    with uow.action("user.reset_password"):
        user.password_hash = accounts.hash_password(password)
        user.password_changed_at = utcnow()
        user.failed_logins = 0
        user.locked_until = None
    end_access(uow, user)
    return password


def reset_two_factor(uow: UnitOfWork, user_id: int) -> UserRow:
    """Forget the user's authenticator (a lost phone): they enrol a new one at
    their next sign-in.  Their sessions and tokens end, since whoever holds the
    old phone may hold them too."""
    uow.actor.require(Permission.MANAGE_USERS)
    user = uow.repos.users.get(user_id)
    with uow.action("user.reset_two_factor"):
        user.totp_secret = None
    end_access(uow, user)
    return user


def password_set_by_another(uow: UnitOfWork) -> bool:
    """Whether the acting user's password is one a register keeper set (at
    creation or a reset) and they have not chosen their own since."""
    if uow.actor.user_id is None:
        return False
    last = uow.session.scalar(
        select(AuditRow)
        .where(AuditRow.entity_type == "users", AuditRow.entity_id == str(uow.actor.user_id))
        .where(
            AuditRow.action.in_(
                ["user.create:insert", "user.reset_password:update", "user.change_password:update"]
            )
        )
        .order_by(AuditRow.seq.desc())
        .limit(1)
    )
    return last is not None and last.actor != uow.actor.username


class WrongPassword(Invalid):
    """The current password given to change it was wrong."""


def note_wrong_password(uow: UnitOfWork) -> None:
    """Keep in the trail that someone in this user's session tried a wrong
    current password (the refused change itself was rolled back)."""
    uow.note("user.password_change_refused", "users", uow.actor.user_id, reason="current password")


def change_own_password(
    uow: UnitOfWork, current: str, new: str, repeated: str, *, session_id: int | None
) -> str | None:
    """The acting user changes their password.  Every other session and every
    API token of theirs ends; the session they do it from goes on under a new
    token (returned), so a copy of its old cookie is worth nothing either."""
    if uow.actor.user_id is None:
        raise Invalid("password: only a signed-in user has a password to change")
    user = uow.repos.users.get(uow.actor.user_id)
    if not accounts.password_matches(user.password_hash, current):
        raise WrongPassword("current password: it is not your current password")
    if new != repeated:
        raise Invalid("new password: the two copies differ")
    if new == current:
        raise Invalid("new password: it is the same as the current one")
    accounts.check_new_password(new, username=user.username)
    now = utcnow()
    with uow.action("user.change_password"):
        user.password_hash = accounts.hash_password(new)
        user.password_changed_at = now
    end_access(uow, user, keep_session_id=session_id)
    kept = uow.session.get(WebSessionRow, session_id) if session_id is not None else None
    if kept is None or kept.user_id != user.id or kept.revoked_at is not None:
        return None
    fresh = signin.new_token()
    with uow.action("session.renew"):
        kept.token_hash = signin.hash_token(fresh)
        kept.created_at = now  # not before the change: the session stays valid
    return fresh


# --- Reading the audit trail -------------------------------------------------------

AUDIT_PAGE = 50
HIDDEN = "***"
"""What a reader without the right to sensitive values sees in their place."""
SENSITIVE_KEYS = frozenset(SENSITIVE_FIELDS | {"phone", "email", "address", "raw"})
"""Keys hidden wherever they occur, nested ones too (a quarantined row's values)."""
SENSITIVE_BY_TABLE = {"relatives": frozenset(RELATIVE_SENSITIVE), "events": frozenset({"note"})}
"""Columns hidden in one table only: the case page hides the same ones."""


@dataclass(frozen=True)
class AuditFilter:
    table: str = ""
    actor: str = ""
    action: str = ""
    row_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditRow]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    hidden: bool


@dataclass(frozen=True)
class AuditEntry:
    row: AuditRow
    changes: list[FieldChange]
    last_seq: int
    """The newest entry's number, so a reader knows whether a next one exists."""

    @property
    def hidden(self) -> bool:
        return any(c.hidden for c in self.changes)


def _stamp(day: date, zone: ZoneInfo) -> str:
    """The audit log's time text of a local midnight, to compare with ``at``."""
    moment = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def audit_entries(
    uow: UnitOfWork,
    chosen: AuditFilter,
    *,
    zone: ZoneInfo,
    limit: int = AUDIT_PAGE,
    offset: int = 0,
) -> AuditPage:
    """Entries newest first; dates are whole days in the registry's time zone."""
    uow.actor.require(Permission.READ_AUDIT)
    query = select(AuditRow)
    if chosen.table.strip():
        query = query.where(AuditRow.entity_type == chosen.table.strip())
    if chosen.actor.strip():
        query = query.where(AuditRow.actor == chosen.actor.strip())
    if chosen.action.strip():
        query = query.where(AuditRow.action.startswith(chosen.action.strip(), autoescape=True))
    if chosen.row_id.strip():
        query = query.where(AuditRow.entity_id == chosen.row_id.strip())
    if chosen.date_from is not None:
        query = query.where(AuditRow.at >= _stamp(chosen.date_from, zone))
    if chosen.date_to is not None:
        query = query.where(AuditRow.at < _stamp(chosen.date_to + timedelta(days=1), zone))
    total = int(uow.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = uow.session.scalars(query.order_by(AuditRow.seq.desc()).limit(limit).offset(offset))
    return AuditPage(items=list(rows), total=total, limit=limit, offset=offset)


def audit_tables(uow: UnitOfWork) -> list[str]:
    """The tables the trail has entries for, to choose from."""
    uow.actor.require(Permission.READ_AUDIT)
    found = uow.session.scalars(select(AuditRow.entity_type).distinct())
    return sorted(found)


def _mask(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        hidden = False
        masked: dict[str, Any] = {}
        for key, inner in value.items():
            if key in SENSITIVE_KEYS and inner not in (None, ""):
                masked[key], hidden = HIDDEN, True
            else:
                masked[key], inner_hidden = _mask(inner)
                hidden = hidden or inner_hidden
        return masked, hidden
    if isinstance(value, list):
        parts = [_mask(v) for v in value]
        return [p[0] for p in parts], any(p[1] for p in parts)
    return value, False


def audit_entry(uow: UnitOfWork, seq: int) -> AuditEntry:
    """One entry with its values before and after, field by field.  A reader
    who may not read sensitive values gets them hidden, as on the case page."""
    uow.actor.require(Permission.READ_AUDIT)
    row = uow.session.scalar(select(AuditRow).where(AuditRow.seq == seq))
    if row is None:
        raise NotFound(f"no audit entry numbered {seq}")
    before = _load(row.before)
    after = _load(row.after)
    sensitive = uow.actor.can(Permission.READ_SENSITIVE)
    by_table = SENSITIVE_BY_TABLE.get(row.entity_type, frozenset())
    changes = []
    for name in sorted({*before, *after}):
        old, new = before.get(name), after.get(name)
        hidden = False
        if not sensitive:
            if name in SENSITIVE_KEYS | by_table:
                hidden = any(v not in (None, "") for v in (old, new))
                old, new = (
                    (HIDDEN if old not in (None, "") else old),
                    (HIDDEN if new not in (None, "") else new),
                )
            else:
                (old, hidden_old), (new, hidden_new) = _mask(old), _mask(new)
                hidden = hidden_old or hidden_new
        changes.append(FieldChange(name, old, new, hidden))
    last = int(uow.session.scalar(select(func.max(AuditRow.seq))) or 0)
    return AuditEntry(row=row, changes=changes, last_seq=last)


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


def verify_trail(uow: UnitOfWork) -> ChainReport:
    """Walk the whole chain and name the first entry that breaks it."""
    uow.actor.require(Permission.READ_AUDIT)
    return verify_chain(iter_entries(uow.session))
