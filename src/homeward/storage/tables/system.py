"""Counters, the audit log, web sessions and API tokens, and what the web
server processes share (address events, import jobs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from homeward.storage.tables.base import Base, utcnow


class CounterRow(Base):
    """Named counters (case serials per year), incremented under a row lock."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class AuditRow(Base):
    """The hash-chained audit log.  Text columns keep the exact bytes that were
    hashed; the database may not reorder them as it would JSON."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)


class WebSessionRow(Base):
    """A browser's sign-in.  The cookie holds a random token; only its SHA-256
    is kept, so reading the table (or the audit log) lets no one sign in.

    ``stage`` is ``second_factor`` (password given, code awaited), ``enrol``
    (password given, a new TOTP secret shown and awaiting its first code, kept
    in ``totp_secret``) or ``active``.  A session ends when it expires, is
    revoked (signing out) or the user's password changes after it began."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    """When the session was last used, to the minute: a session idle longer
    than the settings allow ends.  Kept up to date outside the audit trail,
    which would otherwise gain a row per minute of work."""


class ApiTokenRow(Base):
    """A bearer token of the JSON API.  Acts as its user, with the user's role
    as it is when the token is used; only the token's SHA-256 is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AddressEventRow(Base):
    """Something a client address did that is limited (a failed sign-in, a
    public report), for the limits every web server process shares.

    ``address`` is a keyed digest of the address, never the address itself
    (``homeward.web.ratelimit.AddressEvents``); ``at`` is seconds since the
    epoch.  Written outside the audit trail (a count, not a change to the
    registry) and pruned once older than the longest window of its kind."""

    __tablename__ = "address_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Double)
    __table_args__ = (
        Index("ix_address_events_kind_address_at", "kind", "address", "at"),
        Index("ix_address_events_kind_at", "kind", "at"),
    )


class ImportJobRow(Base):
    """An import run by a web server process, followed by its result page from
    whichever process answers (``homeward.web.import_jobs``).

    ``stage`` is ``waiting``, ``reading``, ``matching``, ``done`` or ``failed``;
    the process running it writes its progress and ``updated_at`` at least every
    few seconds, so a job left unfinished and not updated for long is one whose
    process stopped.  Written outside the audit trail: the import itself (its
    ``imports`` row, records and quarantine) is in the trail."""

    __tablename__ = "import_jobs"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_size: Mapped[int] = mapped_column(BigInteger)
    username: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(20))
    rows_read: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None]
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
