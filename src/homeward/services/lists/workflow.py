"""The workflow of a version: approve, freeze, start the next one, compare
it with the last, and record deliveries."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from homeward import keys
from homeward.domain.roles import Permission
from homeward.errors import Conflict, Forbidden, Invalid
from homeward.services.lists.compose import draft_entries
from homeward.services.lists.rules import (
    FORMAT,
    current_version,
    draft_version,
    find_list,
    frozen_version,
    past_day,
    require_reader,
)
from homeward.services.records import clean_text
from homeward.storage.tables import (
    ChildRow,
    DeliveryRow,
    EventRow,
    ListEntryRow,
    ListVersionRow,
    utcnow,
)
from homeward.storage.uow import UnitOfWork


def approve(
    uow: UnitOfWork, list_id: int, *, accept_without_representative: bool = False
) -> ListVersionRow:
    """A verifier who is not the list's author approves the current draft.

    Entries without a legal representative who asked for the return are named,
    and the approval refused, unless the approver accepts them knowingly."""
    uow.actor.require(Permission.APPROVE_LISTS)
    row = find_list(uow, list_id)
    version = draft_version(uow, list_id)
    if uow.actor.username in (row.author, version.created_by):
        raise Forbidden("a list is approved by someone other than its author")
    draft = draft_entries(uow, list_id)
    if not draft.entries:
        raise Invalid(f"list {list_id} has no entries")
    if draft.without_representative and not accept_without_representative:
        raise Invalid(
            f"{len(draft.without_representative)} entries have no legal representative who "
            f"asked for the return ({', '.join(draft.without_representative[:10])}"
            f"{'...' if len(draft.without_representative) > 10 else ''}); the other side "
            "rejects such entries: remove them, or approve knowing it"
        )
    with uow.action("list.approve"):
        version.status = "approved"
        version.approved_by, version.approved_at = uow.actor.username, utcnow()
    return version


def canonical(document: Mapping[str, Any]) -> str:
    """The exact text that is hashed and signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def freeze(uow: UnitOfWork, list_id: int, key: Ed25519PrivateKey) -> ListVersionRow:
    """Freeze the approved version: its entries, canonical content, hash and signature."""
    uow.actor.require(Permission.APPROVE_LISTS)
    row = find_list(uow, list_id)
    version = current_version(uow, list_id)
    if version.status != "approved":
        then = (
            f"{version.frozen_by} froze it; start a new version to change the list"
            if version.status == "frozen"
            else "have it approved first"
        )
        raise Conflict(
            f"version {version.number} is {version.status}; only an approved version is "
            f"frozen: {then}"
        )
    draft = draft_entries(uow, list_id)
    frozen_at = utcnow()
    content = canonical(
        {
            "format": FORMAT,
            "list": {"id": row.id, "title": row.title, "purpose": row.purpose,
                     "channel": row.channel, "recipient": row.recipient,
                     "languages": row.languages, "extra_fields": row.extra_fields},
            "version": version.number,
            "approved_by": version.approved_by,
            "frozen_at": frozen_at.isoformat(timespec="seconds"),
            "fields": draft.fields,
            "entries": draft.entries,
        }
    )  # fmt: skip
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    with uow.action("list.freeze"):
        version.status = "frozen"
        version.frozen_by, version.frozen_at = uow.actor.username, frozen_at
        version.content, version.content_sha256 = content, digest
        version.signature = keys.sign(key, digest.encode("ascii"))
        version.public_key = keys.public_key_text(key)
        version.entries = len(draft.entries)
        children = {e["case_number"]: e for e in draft.entries}
        ids = dict(
            uow.session.execute(
                select(ChildRow.case_number, ChildRow.id).where(ChildRow.case_number.in_(children))
            ).all()
        )
        uow.session.add_all(
            ListEntryRow(version_id=version.id, number=e["entry_number"],
                         child_id=ids[e["case_number"]], values=e)
            for e in draft.entries
        )  # fmt: skip
        for entry in draft.entries:
            uow.session.add(
                EventRow(child_id=ids[entry["case_number"]], kind="list_inclusion",
                         date=frozen_at.date().isoformat(),
                         note=f"entry {entry['entry_number']} of '{row.title}', version "
                              f"{version.number}", created_by=uow.actor.username)
            )  # fmt: skip
    return version


def new_version(uow: UnitOfWork, list_id: int) -> ListVersionRow:
    """Start the next version (a draft) after a frozen one."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    version = current_version(uow, list_id)
    if version.status != "frozen":
        raise Conflict(f"version {version.number} is still {version.status}: change it instead")
    with uow.action("list.new_version"):
        new = ListVersionRow(
            list_id=list_id, number=version.number + 1, status="draft",
            created_by=uow.actor.username,
        )  # fmt: skip
        uow.session.add(new)
    return new


@dataclass
class Difference:
    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]
    """Case number -> the fields whose values changed."""


def difference(uow: UnitOfWork, list_id: int, old: int, new: int | None = None) -> Difference:
    """What a version (or the current draft) adds, removes and changes against a frozen one."""
    require_reader(uow.actor)
    before = {
        e["case_number"]: e
        for e in json.loads(frozen_version(uow, list_id, old).content or "{}")["entries"]
    }
    if new is None:
        after_entries = draft_entries(uow, list_id).entries
    else:
        after_entries = json.loads(frozen_version(uow, list_id, new).content or "{}")["entries"]
    after = {e["case_number"]: e for e in after_entries}
    changed = {}
    for number in sorted(set(before) & set(after)):
        fields = [
            k
            for k in after[number]
            if k != "entry_number" and after[number].get(k) != before[number].get(k)
        ]
        if fields:
            changed[number] = fields
    return Difference(sorted(set(after) - set(before)), sorted(set(before) - set(after)), changed)


def deliver(
    uow: UnitOfWork,
    list_id: int,
    number: int,
    *,
    delivered_on: str,
    recipient: str,
    channel: str,
    note: str | None = None,
) -> DeliveryRow:
    """Record that a frozen version was handed over."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    version = frozen_version(uow, list_id, number)
    day = past_day(delivered_on, "delivered_on")
    for name, value in (("recipient", recipient), ("channel", channel)):
        if not clean_text(value):
            raise Invalid(f"{name}: say who received it and how")
    with uow.action("list.deliver"):
        row = DeliveryRow(
            version_id=version.id, delivered_on=day.isoformat(), recipient=clean_text(recipient),
            channel=clean_text(channel), note=clean_text(note), actor=uow.actor.username,
        )  # fmt: skip
        uow.session.add(row)
    return row
