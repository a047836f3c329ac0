"""Organisations, users, sources and imports; children, their records and
everything known about them; the review queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from homeward.storage.tables.base import Base, utcnow


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    """The time step of the last TOTP code accepted: no code of that step or
    an earlier one is accepted again, so a code seen over a shoulder or in a
    proxy log cannot be replayed."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SourceRow(Base):
    """Where records came from: a report, an import file, a counterpart list."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    file_name: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    reliability: Mapped[str] = mapped_column(String(40), default="unverified")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)


class ImportRow(Base):
    """One file imported (or being imported) into a source, and what became of its rows.

    A file is known by its SHA-256: importing it again adds nothing, and an
    import cut short (``status`` still ``running``) is finished by running it again."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    """``csv`` or ``xlsx``."""
    reading: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """How the file was read: encoding, delimiter, sheet, header row, column mapping."""
    status: Mapped[str] = mapped_column(String(20))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(80))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The closing figures: linked, queued for review, new children."""


class QuarantineRow(Base):
    """A row of an import that could not be read, with the reason for each field.

    ``raw`` is the row exactly as received; a correction keeps the corrected
    values beside it (``corrected``) and the record it became."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    source_row: Mapped[int] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The row's cells by field, as the column mapping read them."""
    errors: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    """``open``, ``corrected`` (now a record) or ``discarded``."""
    corrected: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("import_id", "source_row", name="uq_quarantine_row"),)


class ChildRow(Base):
    """One real child: a case."""

    __tablename__ = "children"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(32), unique=True)
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40), index=True)
    status_detail: Mapped[str | None] = mapped_column(String(40))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    records: Mapped[list[RecordRow]] = relationship(back_populates="child", order_by="RecordRow.id")
    __mapper_args__ = {"version_id_col": version}


class RecordRow(Base):
    """One source's account of a child, raw as received and normalised."""

    __tablename__ = "records"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    source_row: Mapped[int | None]
    """Row number as the source file shows it (a spreadsheet's row number; the header
    is row 1 when it is the first row), for imports."""
    external_id: Mapped[str | None] = mapped_column(String(200))
    raw: Mapped[dict[str, Any]]
    given_name: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    patronymic: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str | None] = mapped_column(String(400))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer, index=True)
    birth_place: Mapped[str | None] = mapped_column(String(300))
    residence: Mapped[str | None] = mapped_column(String(300))
    document_ids: Mapped[list[str]] = mapped_column(default=list)
    mother_name: Mapped[str | None] = mapped_column(String(300))
    father_name: Mapped[str | None] = mapped_column(String(300))
    last_known_location: Mapped[str | None] = mapped_column(String(300))
    removal_date: Mapped[str | None] = mapped_column(String(10))
    removal_place: Mapped[str | None] = mapped_column(String(300))
    removal_circumstances: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(300))
    reporter_contact: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    repairs: Mapped[list[str]] = mapped_column(default=list)
    """Look-alike letters repaired while reading the record, in words."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    child: Mapped[ChildRow | None] = relationship(back_populates="records")
    source: Mapped[SourceRow] = relationship()
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("source_id", "source_row", name="uq_records_source_row"),)


class RecordKeyRow(Base):
    """A blocking key of a record, for real-time candidate search.

    Derived from the record's fields (``homeward.linkage.prepare``) when the
    record is registered; the case a key leads to is read from ``records`` at
    search time, so links, merges and splits need no update here.  One more
    row per record, under the key ``=``, keeps the record's prepared values
    (``prepared``, a JSON list), so a search scores without preparing the
    registry's records again.  Not audited: it is an index, rebuilt from the
    records.
    """

    __tablename__ = "record_keys"
    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    prepared: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_record_keys_key_record_id", "key", "record_id"),)


class FacilityRow(Base):
    """A known place where children are held."""

    __tablename__ = "facilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str | None] = mapped_column(String(300))
    name_latin: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(200))
    settlement: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventRow(Base):
    """A moment of the child's timeline."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    date: Mapped[str | None] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(String(300))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))


class RelativeRow(Base):
    """A relative or legal representative.  Contacts and address are sensitive."""

    __tablename__ = "relatives"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(300))
    relationship_: Mapped[str] = mapped_column("relationship", String(40))
    is_legal_representative: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_return: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    in_occupied_territory: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatusChangeRow(Base):
    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(40))
    from_detail: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    to_detail: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)


class DecisionRow(Base):
    """A linking decision: a record linked or unlinked, cases merged or split.

    ``payload`` holds what is needed to reverse it exactly; ``reverted_by_id``
    points to the decision that reversed it."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    other_child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))
    record_ids: Mapped[list[str]] = mapped_column(default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))


class MatchCandidateRow(Base):
    """A proposed match and the decision a person (or the auto-link threshold)
    took on it: the review queue.

    Either a record not in any case against a case (``record_id`` and
    ``child_id``), or two cases that may be one child (``child_id`` <
    ``other_child_id``).  ``pair`` names the pair uniquely, so a pair once
    rejected is never proposed again, whatever model scores it later.
    ``explanation`` keeps the per-field reasons as the reviewer saw them."""

    __tablename__ = "match_candidates"
    id: Mapped[int] = mapped_column(primary_key=True)
    pair: Mapped[str] = mapped_column(String(80), unique=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    other_child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    model: Mapped[str] = mapped_column(String(80))
    """Which model scored it: ``default`` or the SHA-256 prefix of a model file."""
    origin: Mapped[str] = mapped_column(String(40))
    """What proposed it: ``scan`` (the whole registry), ``record`` (one record)."""
    status: Mapped[str] = mapped_column(String(20), index=True)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposed_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    """The link or merge an acceptance made (undone with it)."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
