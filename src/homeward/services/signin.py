"""Signing in to the web app and the API: passwords, TOTP codes, sessions, tokens.

A sign-in takes two steps.  The password opens a session that can do nothing
but wait for the second factor: a TOTP code, or (for a user without a TOTP
secret yet) the first code of a new secret shown to enrol it.  Wrong passwords
and wrong codes count alike; after ``max_failures`` of them in a row the
account is locked for a while, whatever is typed.  Session cookies and API
tokens are random; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import select, update

from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.errors import Invalid, NotFound
from homeward.services.accounts import password_matches
from homeward.storage.tables import ApiTokenRow, UserRow, WebSessionRow, utcnow
from homeward.storage.uow import UnitOfWork

SECOND_FACTOR = "second_factor"
ENROL = "enrol"
ACTIVE = "active"
ISSUER = "Homeward"
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$LMOc274vh1LlqxZA5nuQiA$"
    "piAlunDA0hfGmRspHeAAnmKTTMNrbNXkHq5iA0pqb0M"
)
"""Checked against when the username is unknown, so an unknown name takes as
long to refuse as a wrong password."""

SIGN_IN_ACTOR = Actor(username="sign-in", role=Role.SYSTEM)
"""Who writes sign-in attempts, sessions and lockouts to the audit trail."""


@dataclass(frozen=True, slots=True)
class Policy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(hours=8)
    idle_timeout: timedelta = timedelta(minutes=30)

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            max_failures=settings.login_max_failures,
            lockout=timedelta(minutes=settings.login_lockout_minutes),
            session_lifetime=timedelta(hours=settings.session_hours),
            idle_timeout=timedelta(minutes=settings.session_idle_minutes),
        )


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session as the web app needs it on each request."""

    session_id: int
    stage: str
    actor: Actor
    display_name: str
    expires_at: datetime
    pending_secret: str | None
    last_seen_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.stage == ACTIVE

    def provisioning_uri(self) -> str | None:
        if self.pending_secret is None:
            return None
        return pyotp.TOTP(self.pending_secret).provisioning_uri(
            name=self.actor.username, issuer_name=ISSUER
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def actor_of(user: UserRow) -> Actor:
    return Actor(
        username=user.username,
        role=Role(user.role),
        user_id=user.id,
        organisation_id=user.organisation_id,
    )


def _locked(user: UserRow, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _count_failure(uow: UnitOfWork, user: UserRow, policy: Policy, why: str) -> None:
    now = utcnow()
    with uow.action("user.sign_in_failed"):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + policy.lockout
            user.failed_logins = 0
    uow.note("user.sign_in_refused", "users", user.id, reason=why)


def begin_sign_in(
    uow: UnitOfWork, username: str, password: str, policy: Policy
) -> tuple[str, str] | None:
    """Check the password; on success open a session waiting for the second
    factor and return ``(token, stage)``.  ``None`` means refused: wrong
    name or password, inactive or locked account (the caller commits, so
    the failure counts)."""
    user = uow.repos.users.by_username(username.strip())
    if user is None or not user.is_active:
        password_matches(_DUMMY_HASH, password)
        return None
    now = utcnow()
    if _locked(user, now):
        uow.note("user.sign_in_refused", "users", user.id, reason="locked")
        return None
    if not password_matches(user.password_hash, password):
        _count_failure(uow, user, policy, "password")
        return None
    token = new_token()
    stage = SECOND_FACTOR if user.totp_secret else ENROL
    with uow.action("session.begin"):
        uow.repos.users.session.add(
            WebSessionRow(
                token_hash=hash_token(token),
                user_id=user.id,
                stage=stage,
                totp_secret=pyotp.random_base32() if stage == ENROL else None,
                created_at=now,
                expires_at=now + policy.session_lifetime,
            )
        )
    return token, stage


def _session_row(
    uow: UnitOfWork, token: str, idle_timeout: timedelta | None = None
) -> tuple[WebSessionRow, UserRow] | None:
    row = uow.session.scalar(
        select(WebSessionRow).where(WebSessionRow.token_hash == hash_token(token))
    )
    if row is None or row.revoked_at is not None:
        return None
    user = uow.repos.users.get(row.user_id)
    now = utcnow()
    if row.expires_at <= now or not user.is_active:
        return None
    seen = row.last_seen_at or row.created_at
    if idle_timeout is not None and now - seen > idle_timeout:
        return None  # left unused too long
    if user.password_changed_at is not None and user.password_changed_at > row.created_at:
        return None  # the password changed since: every earlier session ends
    return row, user


def finish_sign_in(uow: UnitOfWork, token: str, code: str, policy: Policy) -> str | None:
    """Check the second factor of a session begun with the password.  On
    success the session becomes active under a new token (returned), so a
    token seen before the second factor is worth nothing after it."""
    found = _session_row(uow, token)
    if found is None or found[0].stage == ACTIVE:
        return None
    row, user = found
    now = utcnow()
    if _locked(user, now):
        uow.note("user.sign_in_refused", "users", user.id, reason="locked")
        return None
    secret = row.totp_secret if row.stage == ENROL else user.totp_secret
    step = _code_step(secret, code, now) if secret else None
    if step is None or (row.stage != ENROL and step <= (user.totp_last_step or -1)):
        _count_failure(uow, user, policy, "code" if step is None else "code used before")
        return None
    fresh = new_token()
    with uow.action("session.activate"):
        if row.stage == ENROL:
            user.totp_secret = secret
        user.totp_last_step = step
        user.failed_logins = 0
        row.stage = ACTIVE
        row.totp_secret = None
        row.token_hash = hash_token(fresh)
        row.created_at = now
        row.last_seen_at = now
        row.expires_at = now + policy.session_lifetime
    return fresh


def _code_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (the current one or either
    neighbour, for clocks a little apart), or ``None`` for a wrong code."""
    totp = pyotp.TOTP(secret)
    typed = code.strip().replace(" ", "")
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def session_info(
    uow: UnitOfWork, token: str, idle_timeout: timedelta | None = None
) -> SessionInfo | None:
    """The live session of this cookie token, or ``None`` (also when it has
    been idle longer than ``idle_timeout``)."""
    found = _session_row(uow, token, idle_timeout)
    if found is None:
        return None
    row, user = found
    return SessionInfo(
        session_id=row.id,
        stage=row.stage,
        actor=actor_of(user),
        display_name=user.display_name,
        expires_at=row.expires_at,
        pending_secret=row.totp_secret if row.stage == ENROL else None,
        last_seen_at=row.last_seen_at,
    )


TOUCH_EVERY = timedelta(minutes=1)
"""A session's last use is written at most this often."""


def due_for_touch(info: SessionInfo, now: datetime | None = None) -> bool:
    """Whether the session's last use was noted a while ago."""
    return info.last_seen_at is None or (now or utcnow()) - info.last_seen_at >= TOUCH_EVERY


def touch(uow: UnitOfWork, info: SessionInfo, now: datetime | None = None) -> None:
    """Note that a session was used now.  Written outside the audit trail on
    purpose (see ``WebSessionRow``)."""
    uow.session.execute(
        update(WebSessionRow)
        .where(WebSessionRow.id == info.session_id)
        .values(last_seen_at=now or utcnow())
    )


def sign_out(uow: UnitOfWork, token: str) -> None:
    row = uow.session.scalar(
        select(WebSessionRow).where(WebSessionRow.token_hash == hash_token(token))
    )
    if row is not None and row.revoked_at is None:
        with uow.action("session.end"):
            row.revoked_at = utcnow()


# --- API tokens ------------------------------------------------------------------


def create_api_token(
    uow: UnitOfWork, label: str, *, valid_for: timedelta | None = None
) -> tuple[ApiTokenRow, str]:
    """A new bearer token for the acting user; the token itself is shown once."""
    if uow.actor.user_id is None:
        raise Invalid("token: only a signed-in user holds API tokens")
    label = label.strip()
    if not label:
        raise Invalid("label: say what the token is for")
    token = new_token()
    now = utcnow()
    with uow.action("api_token.create"):
        row = ApiTokenRow(
            token_hash=hash_token(token),
            user_id=uow.actor.user_id,
            label=label[:200],
            created_at=now,
            expires_at=now + valid_for if valid_for else None,
        )
        uow.session.add(row)
    return row, token


def api_tokens(uow: UnitOfWork) -> list[ApiTokenRow]:
    """The acting user's tokens, newest first (revoked ones included)."""
    return list(
        uow.session.scalars(
            select(ApiTokenRow)
            .where(ApiTokenRow.user_id == uow.actor.user_id)
            .order_by(ApiTokenRow.id.desc())
        )
    )


def revoke_api_token(uow: UnitOfWork, token_id: int) -> None:
    row = uow.session.get(ApiTokenRow, token_id)
    if row is None or row.user_id != uow.actor.user_id:
        raise NotFound(f"no API token with id {token_id}")
    if row.revoked_at is None:
        with uow.action("api_token.revoke"):
            row.revoked_at = utcnow()


def token_actor(uow: UnitOfWork, token: str) -> Actor | None:
    """Who a bearer token acts as (with the user's role as it is now), or ``None``."""
    row = uow.session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    user = uow.repos.users.get(row.user_id)
    if not user.is_active or _locked(user, utcnow()):
        return None
    return actor_of(user)
