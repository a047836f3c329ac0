"""Handover lists: versions, entries, deliveries and the other side's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from homeward.storage.tables.base import Base, utcnow


class HandoverListRow(Base):
    """A list of children handed over in negotiations: what it is for, and how
    its entries are chosen (a saved search plus additions and removals)."""

    __tablename__ = "handover_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(300))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The saved search: category, status, located in Russia, with a legal representative."""
    extra_fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Fields beyond the profile, each with its justification, who and when."""
    author: Mapped[str] = mapped_column(String(80))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ListChangeRow(Base):
    """A child added to or removed from a list by hand, with the reason."""

    __tablename__ = "list_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("handover_lists.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    action: Mapped[str] = mapped_column(String(10))
    """``add`` or ``remove``."""
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ListVersionRow(Base):
    """One version of a list: draft, approved by someone other than its author,
    then frozen for good with the SHA-256 of its canonical content and the
    registry's Ed25519 signature over that hash."""

    __tablename__ = "list_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("handover_lists.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    """``draft``, ``approved`` or ``frozen``."""
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(80))
    approved_at: Mapped[datetime | None]
    frozen_by: Mapped[str | None] = mapped_column(String(80))
    frozen_at: Mapped[datetime | None]
    content: Mapped[str | None] = mapped_column(Text)
    """The canonical JSON that was frozen, byte for byte."""
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(200))
    public_key: Mapped[str | None] = mapped_column(String(200))
    entries: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("list_id", "number", name="uq_list_versions_number"),)


class ListEntryRow(Base):
    """A child on a frozen version, with the values handed over."""

    __tablename__ = "list_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("version_id", "number", name="uq_list_entries_number"),)


class DeliveryRow(Base):
    """A frozen version handed over: when, to whom, through which channel."""

    __tablename__ = "list_deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    delivered_on: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ListAnswerRow(Base):
    """What the other side or a mediator answered about one entry of a frozen
    version.  Every answer is kept; the latest one counts."""

    __tablename__ = "list_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("list_entries.id"), index=True)
    answer: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    """What they said beyond the answer: where the child is, what they dispute."""
    answered_on: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(300))
    """Who answered, through what (a mediator's letter, the reply file of round 3)."""
    recorded_by: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    applied_by: Mapped[str | None] = mapped_column(String(80))
    """Who confirmed the status move the answer implies (none until confirmed)."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
