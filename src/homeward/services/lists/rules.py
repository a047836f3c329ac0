"""What a list may carry and who may read it; finding a list and its versions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from homeward.domain.roles import Actor, Permission
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.storage.tables import HandoverListRow, ListVersionRow
from homeward.storage.uow import UnitOfWork

FORMAT = "homeward-handover-list/1"
PROFILE: tuple[str, ...] = (
    "entry_number", "case_number", "family_name_uk", "given_name_uk", "patronymic_uk",
    "family_name_ru", "given_name_ru", "patronymic_ru", "name_latin", "sex", "birth_date",
    "removal_place", "removal_date", "institution", "last_known_location", "category",
    "legal_representative", "legal_representative_relationship",
)  # fmt: skip
"""The "do no harm" fields every entry carries (domain.md)."""
EXTRA_FIELDS: tuple[str, ...] = (
    "birth_place", "residence", "document_ids", "mother_name", "father_name", "status",
)  # fmt: skip
"""Fields that may be added, each with a recorded justification."""
FORBIDDEN_FIELDS: tuple[str, ...] = (
    "reporter_name", "reporter_contact", "notes", "removal_circumstances", "relatives_address",
    "relatives_phone", "relatives_email", "evidence", "health", "investigation_notes",
)  # fmt: skip
"""Fields no list may ever carry: they endanger people or investigations."""
CRITERIA = ("category", "status", "oblast", "located_in_russia", "requested_by_representative")
EXPORT_FORMATS = ("json", "csv", "xlsx", "pdf")
"""What a frozen version (and its tally) is written as."""
PDF_LANGUAGES = ("uk", "en", "ru")
"""The languages a list's PDF is written in."""


def may_read(actor: Actor) -> bool:
    """Lists name children and where they are held: only the roles that compose
    or approve lists open them (an analyst or an auditor does not)."""
    return actor.can(Permission.READ_CASES) and (
        actor.can(Permission.COMPOSE_LISTS) or actor.can(Permission.APPROVE_LISTS)
    )


def require_reader(actor: Actor) -> None:
    """``Forbidden`` unless the actor may read handover lists (:func:`may_read`)."""
    actor.require(Permission.READ_CASES)
    if not may_read(actor):
        raise Forbidden(f"role '{actor.role}' may not read handover lists")


def check_export(format: str, language: str) -> None:
    """``Invalid`` for a format a list is not written in, or a PDF language it has not."""
    if format not in EXPORT_FORMATS:
        raise Invalid(f"format: one of {', '.join(EXPORT_FORMATS)}, not '{format}'")
    if format == "pdf" and language not in PDF_LANGUAGES:
        raise Invalid(f"language: one of {', '.join(PDF_LANGUAGES)}, not '{language}'")


def find_list(uow: UnitOfWork, list_id: int) -> HandoverListRow:
    row = uow.session.get(HandoverListRow, list_id)
    if row is None:
        raise NotFound(f"no list {list_id}")
    return row


def current_version(uow: UnitOfWork, list_id: int) -> ListVersionRow:
    """The list's latest version (every list has one from its creation)."""
    version = uow.session.scalars(
        select(ListVersionRow)
        .where(ListVersionRow.list_id == list_id)
        .order_by(ListVersionRow.number.desc())
        .limit(1)
    ).one_or_none()
    if version is None:
        raise NotFound(f"no list {list_id}")
    return version


def draft_version(uow: UnitOfWork, list_id: int) -> ListVersionRow:
    version = current_version(uow, list_id)
    if version.status != "draft":
        raise Conflict(
            f"version {version.number} of list {list_id} is {version.status}; "
            "start a new version to change the list"
        )
    return version


def fields_of(row: HandoverListRow) -> list[str]:
    return [*PROFILE, *(f["field"] for f in row.extra_fields)]


def frozen_version(uow: UnitOfWork, list_id: int, number: int) -> ListVersionRow:
    """Version ``number`` of the list, which must be frozen (``Conflict`` if not)."""
    find_list(uow, list_id)
    version = uow.session.scalars(
        select(ListVersionRow)
        .where(ListVersionRow.list_id == list_id)
        .where(ListVersionRow.number == number)
    ).one_or_none()
    if version is None:
        raise NotFound(f"list {list_id} has no version {number}")
    if version.status != "frozen" or version.content is None:
        raise Conflict(f"version {number} of list {list_id} is not frozen")
    return version


def past_day(value: str, name: str) -> date:
    """A day (YYYY-MM-DD) that is not in the future, or ``Invalid`` naming ``name``."""
    try:
        day = date.fromisoformat(value)
    except ValueError as err:
        raise Invalid(f"{name}: '{value}' is not a date (YYYY-MM-DD)") from err
    if day > datetime.now(UTC).date():
        raise Invalid(f"{name}: {value} is in the future")
    return day
