"""Counters, the audit log, web sessions and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
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
