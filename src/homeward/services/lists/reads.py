"""Reading lists back: the overview, versions, changes by hand, deliveries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from homeward.domain.roles import Permission
from homeward.services.lists.compose import chosen_children
from homeward.services.lists.rules import find_list, frozen_version, require_reader
from homeward.storage.tables import (
    ChildRow,
    DeliveryRow,
    HandoverListRow,
    ListChangeRow,
    ListVersionRow,
)
from homeward.storage.uow import UnitOfWork

_STATUS_ORDER = {"draft": 0, "approved": 1, "frozen": 2}


def get_list(uow: UnitOfWork, list_id: int) -> HandoverListRow:
    """The list, or ``NotFound``."""
    require_reader(uow.actor)
    return find_list(uow, list_id)


def versions_of(uow: UnitOfWork, list_id: int) -> list[ListVersionRow]:
    """The list's versions, oldest first (the last is the current one)."""
    require_reader(uow.actor)
    find_list(uow, list_id)
    return list(
        uow.session.scalars(
            select(ListVersionRow)
            .where(ListVersionRow.list_id == list_id)
            .order_by(ListVersionRow.number)
        )
    )


@dataclass(frozen=True)
class ListSummary:
    """A list as the overview shows it: its current version and how many entries."""

    id: int
    title: str
    purpose: str
    channel: str
    recipient: str
    author: str
    created_at: str
    status: str
    """Of the current version: ``draft``, ``approved`` or ``frozen``."""
    version: int
    entries: int
    """As frozen, or as the draft would hold them now."""
    last_frozen_version: int | None
    last_frozen_entries: int | None
    awaiting_my_approval: bool
    """A draft this actor may approve: a verifier who did not compose it."""


def overview(uow: UnitOfWork) -> list[ListSummary]:
    """Every list with its current version, drafts (waiting for approval) first,
    then approved ones (waiting to be frozen), then frozen; newest first within."""
    require_reader(uow.actor)
    versions: dict[int, list[ListVersionRow]] = {}
    for version in uow.session.scalars(select(ListVersionRow).order_by(ListVersionRow.number)):
        versions.setdefault(version.list_id, []).append(version)
    found: list[ListSummary] = []
    for row in uow.session.scalars(select(HandoverListRow)):
        mine = versions.get(row.id, [])
        if not mine:
            continue
        current = mine[-1]
        frozen = [v for v in mine if v.status == "frozen"]
        entries = current.entries if current.status == "frozen" else len(chosen_children(uow, row))
        found.append(
            ListSummary(
                id=row.id, title=row.title, purpose=row.purpose, channel=row.channel,
                recipient=row.recipient, author=row.author,
                created_at=row.created_at.isoformat(timespec="seconds"),
                status=current.status, version=current.number, entries=entries,
                last_frozen_version=frozen[-1].number if frozen else None,
                last_frozen_entries=frozen[-1].entries if frozen else None,
                awaiting_my_approval=current.status == "draft"
                and uow.actor.can(Permission.APPROVE_LISTS)
                and uow.actor.username not in (row.author, current.created_by),
            )
        )  # fmt: skip
    found.sort(key=lambda item: (_STATUS_ORDER.get(item.status, 3), -item.id))
    return found


@dataclass(frozen=True)
class ListChange:
    """A child added to a list or left out of it by hand."""

    case_number: str
    action: str
    """``add`` or ``remove``."""
    reason: str
    by: str
    at: str


def changes_of(uow: UnitOfWork, list_id: int) -> list[ListChange]:
    """The children added or left out by hand, each with the reason, oldest first."""
    require_reader(uow.actor)
    find_list(uow, list_id)
    rows = uow.session.execute(
        select(ListChangeRow, ChildRow.case_number)
        .join(ChildRow, ChildRow.id == ListChangeRow.child_id)
        .where(ListChangeRow.list_id == list_id)
        .order_by(ListChangeRow.id)
    ).all()
    return [
        ListChange(case_number=number, action=c.action, reason=c.reason, by=c.actor,
                   at=c.at.isoformat(timespec="seconds"))
        for c, number in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class Delivery:
    """A handover of a frozen version: when, to whom, how, who recorded it."""

    id: int
    delivered_on: str
    recipient: str
    channel: str
    note: str | None
    recorded_by: str


def deliveries_of(uow: UnitOfWork, list_id: int, number: int) -> list[Delivery]:
    """The deliveries of a frozen version, in the order they happened."""
    require_reader(uow.actor)
    version = frozen_version(uow, list_id, number)
    rows = uow.session.scalars(
        select(DeliveryRow)
        .where(DeliveryRow.version_id == version.id)
        .order_by(DeliveryRow.delivered_on, DeliveryRow.id)
    )
    return [
        Delivery(id=d.id, delivered_on=d.delivered_on, recipient=d.recipient,
                 channel=d.channel, note=d.note, recorded_by=d.actor)
        for d in rows
    ]  # fmt: skip


def frozen_entries(version: ListVersionRow) -> tuple[list[str], list[dict[str, Any]]]:
    """The fields and entries of a frozen version exactly as frozen."""
    content = json.loads(version.content or "{}")
    return list(content.get("fields", [])), list(content.get("entries", []))
