"""Documents and evidence files, and each child's plan for the journey home."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homeward.storage.tables.base import Base, utcnow


class DocumentRow(Base):
    """A file attached to a child (and perhaps to one of its records or events).

    The original is kept byte for byte in the file store under its SHA-256;
    ``working_sha256`` names a separate working copy (a redacted version, a
    preview) once someone makes one, and the original is never replaced."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    kind: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[datetime | None]
    working_sha256: Mapped[str | None] = mapped_column(String(64))
    working_media_type: Mapped[str | None] = mapped_column(String(120))
    working_size: Mapped[int | None] = mapped_column(BigInteger)
    working_note: Mapped[str | None] = mapped_column(Text)
    """Why the working copy differs from the original (what was redacted)."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ReturnPlanRow(Base):
    """Who will travel to bring the child home, and what is still to arrange."""

    __tablename__ = "return_plans"
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    traveller_name: Mapped[str | None] = mapped_column(String(300))
    traveller_relative_id: Mapped[int | None] = mapped_column(ForeignKey("relatives.id"))
    traveller_role: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
