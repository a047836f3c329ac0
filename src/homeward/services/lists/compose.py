"""Composing a list: its criteria, the children added or removed by hand,
the fields beyond the profile, and the entries its draft would hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Forbidden, Invalid
from homeward.names.places import resolve_place
from homeward.services.cases import _require_reason, get_child
from homeward.services.lists.entries import entry_values
from homeward.services.lists.rules import (
    CRITERIA,
    EXTRA_FIELDS,
    FORBIDDEN_FIELDS,
    draft_version,
    fields_of,
    find_list,
    require_reader,
)
from homeward.services.records import clean_text, fitting_text
from homeward.storage.tables import (
    ChildRow,
    HandoverListRow,
    ListChangeRow,
    ListVersionRow,
    RecordRow,
    RelativeRow,
    utcnow,
)
from homeward.storage.uow import UnitOfWork


def _criteria(criteria: Mapping[str, Any] | None) -> dict[str, Any]:
    found = dict(criteria or {})
    unknown = set(found) - set(CRITERIA)
    if unknown:
        raise Invalid(
            f"criteria: unknown {', '.join(sorted(unknown))} (known: {', '.join(CRITERIA)})"
        )
    for name in ("category", "status", "oblast"):
        if name in found and isinstance(found[name], str):
            found[name] = [found[name]]
    if found.get("oblast"):
        codes = []
        for value in found["oblast"]:
            code = str(value) if str(value).startswith("UA-") else resolve_place(value).region
            if code is None:
                raise Invalid(f"oblast: '{value}' is not an oblast Homeward knows")
            codes.append(code)
        found["oblast"] = codes
    return found


def create_list(
    uow: UnitOfWork,
    *,
    title: str,
    purpose: str,
    channel: str,
    recipient: str,
    languages: Sequence[str] = ("uk", "en"),
    criteria: Mapping[str, Any] | None = None,
) -> HandoverListRow:
    """A new list, with its first version as a draft."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    values = {"title": title, "purpose": purpose, "channel": channel, "recipient": recipient}
    cleaned = {name: fitting_text(HandoverListRow, name, value) for name, value in values.items()}
    for name, value in cleaned.items():
        if not value:
            raise Invalid(f"{name}: a list needs one")
    with uow.action("list.create"):
        row = HandoverListRow(
            **cleaned, languages=list(languages),
            criteria=_criteria(criteria), extra_fields=[], author=uow.actor.username,
            organisation_id=uow.actor.organisation_id,
        )  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        uow.session.add(
            ListVersionRow(list_id=row.id, number=1, status="draft", created_by=row.author)
        )
    return row


def add_field(uow: UnitOfWork, list_id: int, name: str, *, justification: str) -> None:
    """Add a field beyond the profile; the justification is kept with it."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    if name in FORBIDDEN_FIELDS:
        raise Forbidden(f"{name} can never be on a handover list (it endangers people)")
    if name not in EXTRA_FIELDS:
        raise Invalid(f"field: {name} is not a field a list can carry ({', '.join(EXTRA_FIELDS)})")
    if not clean_text(justification):
        raise Invalid(f"justification: say why {name} must be handed over")
    row = find_list(uow, list_id)
    draft_version(uow, list_id)
    if any(f["field"] == name for f in row.extra_fields):
        return
    with uow.action("list.add_field"):
        row.extra_fields = [
            *row.extra_fields,
            {"field": name, "justification": clean_text(justification),
             "by": uow.actor.username, "at": utcnow().isoformat(timespec="seconds")},
        ]  # fmt: skip


def change_child(uow: UnitOfWork, list_id: int, child_id: int, action: str, *, reason: str) -> None:
    """Add a child to the list by hand, or remove one its search brings (with a reason)."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    if action not in ("add", "remove"):
        raise Invalid("action: add or remove")
    find_list(uow, list_id)
    draft_version(uow, list_id)
    child = get_child(uow, child_id)
    with uow.action(f"list.{action}_child"):
        uow.session.add(
            ListChangeRow(list_id=list_id, child_id=child.id, action=action,
                          reason=_require_reason(reason), actor=uow.actor.username)
        )  # fmt: skip


def chosen_children(uow: UnitOfWork, row: HandoverListRow) -> list[ChildRow]:
    criteria = row.criteria
    query = select(ChildRow).where(ChildRow.status != Status.MERGED.value)
    if criteria.get("category"):
        query = query.where(ChildRow.category.in_(criteria["category"]))
    if criteria.get("status"):
        query = query.where(ChildRow.status.in_(criteria["status"]))
    if criteria.get("located_in_russia"):
        query = query.where(ChildRow.status == Status.LOCATED.value).where(
            ChildRow.status_detail == "russia"
        )
    if criteria.get("requested_by_representative"):
        query = query.where(
            ChildRow.id.in_(
                select(RelativeRow.child_id)
                .where(RelativeRow.is_legal_representative.is_(True))
                .where(RelativeRow.requested_return.is_(True))
            )
        )
    if uow.actor.organisation_scoped:
        query = query.where(ChildRow.organisation_id == uow.actor.organisation_id)
    chosen = {c.id: c for c in uow.session.scalars(query)} if criteria else {}
    if criteria.get("oblast") and chosen:
        chosen = _from_oblasts(uow, chosen, set(criteria["oblast"]))
    changes = uow.session.scalars(
        select(ListChangeRow).where(ListChangeRow.list_id == row.id).order_by(ListChangeRow.id)
    )
    for change in changes:
        if change.action == "add":
            chosen[change.child_id] = uow.repos.children.get(change.child_id)
        else:
            chosen.pop(change.child_id, None)
    return sorted(chosen.values(), key=lambda c: c.case_number)


def _from_oblasts(
    uow: UnitOfWork, chosen: dict[int, ChildRow], oblasts: set[str]
) -> dict[int, ChildRow]:
    """The children whose oblast of origin (as the statistics count it) is one of these."""
    from homeward.services.pfif import ordered_records
    from homeward.services.statistics import oblast_of_origin

    records: dict[int, list[RecordRow]] = {}
    for record in uow.session.scalars(
        select(RecordRow)
        .where(RecordRow.child_id.in_(list(chosen)))
        .options(selectinload(RecordRow.source))
    ):
        assert record.child_id is not None
        records.setdefault(record.child_id, []).append(record)
    return {
        child_id: child
        for child_id, child in chosen.items()
        if oblast_of_origin(ordered_records(records.get(child_id, []))) in oblasts
    }


@dataclass
class Draft:
    """The entries a version would hold now, and what must be looked at before approval."""

    fields: list[str]
    entries: list[dict[str, Any]]
    without_representative: list[str] = field(default_factory=list)
    """Case numbers with no legal representative who asked for the return: the
    other side rejects such entries."""


def draft_entries(uow: UnitOfWork, list_id: int) -> Draft:
    """The entries the current draft would hand over now, in case-number order."""
    require_reader(uow.actor)
    row = find_list(uow, list_id)
    children = chosen_children(uow, row)
    columns = fields_of(row)
    entries = []
    missing = []
    for number, (child, values) in enumerate(entry_values(uow, children), start=1):
        values["entry_number"] = number
        entries.append({c: values.get(c) for c in columns})
        if not values.get("legal_representative_requested"):
            missing.append(child.case_number)
    return Draft(columns, entries, missing)
