"""Handover lists: compose, approve, freeze, deliver.

A list is a saved search (category, status, located in Russia, has a legal
representative who asked for the child's return) plus children added or
removed by hand, each with a reason.  Its entries carry the "do no harm"
profile of fields; a field beyond it needs a recorded justification, and
contacts, the reporter, evidence, health data and investigation notes can
never be added.

Each version goes draft -> approved (by a verifier who is not its author) ->
frozen.  Freezing writes the entries as they are, the canonical JSON of the
version byte for byte, its SHA-256 and the registry's Ed25519 signature of that
hash: a frozen version is never changed again, and anyone holding the public key
can check an exported copy (:func:`verify_document`).  A new version starts as
a draft and shows its difference from the previous one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from homeward import keys
from homeward.domain.roles import Actor, Permission
from homeward.domain.status import Status
from homeward.errors import Conflict, Forbidden, Invalid, NotFound
from homeward.io.writers import write_table
from homeward.names.given import name_group, resolve_given_name
from homeward.names.parse import parse_full_name
from homeward.names.places import resolve_place
from homeward.names.translit import detect_language, transliterate
from homeward.services.cases import _require_reason, get_child
from homeward.services.records import clean_text, first_value, source_rank
from homeward.storage.tables import (
    ChildRow,
    DeliveryRow,
    EventRow,
    FacilityRow,
    HandoverListRow,
    ListChangeRow,
    ListEntryRow,
    ListVersionRow,
    RecordRow,
    RelativeRow,
    SourceRow,
    utcnow,
)
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


# --- composing -------------------------------------------------------------------------


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
    for name, value in values.items():
        if not clean_text(value):
            raise Invalid(f"{name}: a list needs one")
    with uow.action("list.create"):
        row = HandoverListRow(
            **{k: clean_text(v) for k, v in values.items()}, languages=list(languages),
            criteria=_criteria(criteria), extra_fields=[], author=uow.actor.username,
            organisation_id=uow.actor.organisation_id,
        )  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        uow.session.add(
            ListVersionRow(list_id=row.id, number=1, status="draft", created_by=row.author)
        )
    return row


def _list(uow: UnitOfWork, list_id: int) -> HandoverListRow:
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


def _draft(uow: UnitOfWork, list_id: int) -> ListVersionRow:
    version = current_version(uow, list_id)
    if version.status != "draft":
        raise Conflict(
            f"version {version.number} of list {list_id} is {version.status}; "
            "start a new version to change the list"
        )
    return version


def add_field(uow: UnitOfWork, list_id: int, name: str, *, justification: str) -> None:
    """Add a field beyond the profile; the justification is kept with it."""
    uow.actor.require(Permission.COMPOSE_LISTS)
    if name in FORBIDDEN_FIELDS:
        raise Forbidden(f"{name} can never be on a handover list (it endangers people)")
    if name not in EXTRA_FIELDS:
        raise Invalid(f"field: {name} is not a field a list can carry ({', '.join(EXTRA_FIELDS)})")
    if not clean_text(justification):
        raise Invalid(f"justification: say why {name} must be handed over")
    row = _list(uow, list_id)
    _draft(uow, list_id)
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
    _list(uow, list_id)
    _draft(uow, list_id)
    child = get_child(uow, child_id)
    with uow.action(f"list.{action}_child"):
        uow.session.add(
            ListChangeRow(list_id=list_id, child_id=child.id, action=action,
                          reason=_require_reason(reason), actor=uow.actor.username)
        )  # fmt: skip


def fields_of(row: HandoverListRow) -> list[str]:
    return [*PROFILE, *(f["field"] for f in row.extra_fields)]


def _chosen_children(uow: UnitOfWork, row: HandoverListRow) -> list[ChildRow]:
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
    row = _list(uow, list_id)
    children = _chosen_children(uow, row)
    columns = fields_of(row)
    entries = []
    missing = []
    for number, (child, values) in enumerate(_entry_values(uow, children), start=1):
        values["entry_number"] = number
        entries.append({c: values.get(c) for c in columns})
        if not values.get("legal_representative_requested"):
            missing.append(child.case_number)
    return Draft(columns, entries, missing)


_RU_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "'": "ь", "ʼ": "ь",
                             "’": "ь", "І": "И", "Ї": "И", "Є": "Е", "Ґ": "Г"})  # fmt: skip
"""How Russian documents usually rewrite a Ukrainian name (Олійник → Олийник,
Мар'яна → Марьяна), when no Russian record of the child says how they wrote it."""


def _russian_given(value: str | None) -> str | None:
    if not value:
        return None
    groups = resolve_given_name(value).groups
    if len(groups) == 1:
        forms = name_group(next(iter(groups))).ru
        if forms:
            return forms[0]
    return value.translate(_RU_LETTERS)


def _name_case(word: str) -> str:
    """``олександр`` -> ``Олександр``, ``іванова-петренко`` -> ``Іванова-Петренко``
    (``мар'яна`` -> ``Мар'яна``: nothing after an apostrophe is capitalised)."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _split_full_name(value: str | None) -> dict[str, str | None]:
    """The parts of a full name, for records that did not separate them."""
    if not value:
        return {}
    parsed = parse_full_name(value)
    return {
        "family_name": _name_case(parsed.family) or None,
        "given_name": _name_case(parsed.given) or None,
        "patronymic": _name_case(parsed.patronymic) or None,
    }


_NAME_PARTS = ("family_name", "given_name", "patronymic")


_THEIR_SOURCES = frozenset({"investigation", "counterpart_list"})
"""Sources that write as the other side does: a Cyrillic name from them that
could be either language is taken as Russian."""


def _in_script(value: str, script: str, kind: str) -> bool:
    """Whether a name is written in this script: ``uk`` or ``ru`` (Cyrillic; a
    name that could be either goes by who wrote it, see :data:`_THEIR_SOURCES`)
    or ``latin`` (no Cyrillic letter)."""
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in value)
    if script == "latin":
        return not cyrillic
    if not cyrillic:
        return False
    language = detect_language(value) or ("ru" if kind in _THEIR_SOURCES else "uk")
    return language == script


def _names_in(records: list[tuple[RecordRow, str]], script: str) -> dict[str, str | None]:
    """The family name, given name and patronymic as the records write them in
    one script: each part from the first record that has it, or the parts of the
    first full name in that script when no record separates them."""
    parts: dict[str, str | None] = {
        n: next((getattr(r, n) for r, kind in records
                 if getattr(r, n) and _in_script(getattr(r, n), script, kind)), None)
        for n in _NAME_PARTS
    }  # fmt: skip
    if not (parts["family_name"] or parts["given_name"]):
        full = next(
            (r.full_name for r, kind in records
             if r.full_name and _in_script(r.full_name, script, kind)), None,
        )  # fmt: skip
        parts.update(_split_full_name(full))
    return parts


def _entry_values(
    uow: UnitOfWork, children: list[ChildRow]
) -> list[tuple[ChildRow, dict[str, Any]]]:
    out = []
    for child in children:
        records = list(
            uow.session.execute(
                select(RecordRow, SourceRow.kind)
                .join(SourceRow, RecordRow.source_id == SourceRow.id)
                .where(RecordRow.child_id == child.id)
            )
        )
        records.sort(key=lambda rk: (source_rank(rk[1]), rk[0].id))
        written_by = [(r, kind) for r, kind in records]
        ordered = [r for r, _ in written_by]
        first = partial(first_value, ordered)
        uk, ru, latin = (_names_in(written_by, script) for script in ("uk", "ru", "latin"))
        if not ru["given_name"] and uk["given_name"]:
            ru["given_name"] = _russian_given(uk["given_name"])
        for name in ("family_name", "patronymic"):
            if not ru[name] and uk[name]:
                ru[name] = str(uk[name]).translate(_RU_LETTERS)
        written = " ".join(p for p in (uk["family_name"], uk["given_name"]) if p) or " ".join(
            p for p in (ru["family_name"], ru["given_name"]) if p
        )
        name_latin = (
            transliterate(written).title()
            if written
            else " ".join(p for p in (latin["family_name"], latin["given_name"]) if p)
        )
        events = list(uow.repos.events.of_child(child.id))
        removal = next((e for e in events if e.kind == "removal"), None)
        facility_event = next((e for e in reversed(events) if e.facility_id), None)
        facility = (
            uow.session.get(FacilityRow, facility_event.facility_id) if facility_event else None
        )
        relatives = [r for r in uow.repos.relatives.of_child(child.id) if r.is_legal_representative]
        relatives.sort(key=lambda r: (not r.requested_return, r.id))
        representative = relatives[0] if relatives else None
        values: dict[str, Any] = {
            "case_number": child.case_number,
            "family_name_uk": uk["family_name"], "given_name_uk": uk["given_name"],
            "patronymic_uk": uk["patronymic"],
            "family_name_ru": ru["family_name"], "given_name_ru": ru["given_name"],
            "patronymic_ru": ru["patronymic"],
            "name_latin": name_latin or None,
            "sex": first("sex"), "birth_date": first("birth_date"),
            "removal_place": first("removal_place") or (removal.place if removal else None),
            "removal_date": first("removal_date") or (removal.date if removal else None),
            "institution": facility.name if facility else None,
            "last_known_location": first("last_known_location")
            or (facility_event.place if facility_event else None),
            "category": child.category, "status": child.status,
            "legal_representative": representative.full_name if representative else None,
            "legal_representative_relationship": (
                representative.relationship_ if representative else None
            ),
            "legal_representative_requested": bool(
                representative and representative.requested_return
            ),
            "birth_place": first("birth_place"), "residence": first("residence"),
            "document_ids": "; ".join(dict.fromkeys(d for r in ordered for d in r.document_ids))
            or None,
            "mother_name": first("mother_name"), "father_name": first("father_name"),
        }  # fmt: skip
        out.append((child, values))
    return out


# --- the workflow --------------------------------------------------------------------------


def approve(
    uow: UnitOfWork, list_id: int, *, accept_without_representative: bool = False
) -> ListVersionRow:
    """A verifier who is not the list's author approves the current draft.

    Entries without a legal representative who asked for the return are named,
    and the approval refused, unless the approver accepts them knowingly."""
    uow.actor.require(Permission.APPROVE_LISTS)
    row = _list(uow, list_id)
    version = _draft(uow, list_id)
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
    row = _list(uow, list_id)
    version = current_version(uow, list_id)
    if version.status != "approved":
        raise Conflict(
            f"version {version.number} is {version.status}; only an approved version is frozen"
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


def frozen_version(uow: UnitOfWork, list_id: int, number: int) -> ListVersionRow:
    """Version ``number`` of the list, which must be frozen (``Conflict`` if not)."""
    _list(uow, list_id)
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


def past_day(value: str, name: str) -> date:
    """A day (YYYY-MM-DD) that is not in the future, or ``Invalid`` naming ``name``."""
    try:
        day = date.fromisoformat(value)
    except ValueError as err:
        raise Invalid(f"{name}: '{value}' is not a date (YYYY-MM-DD)") from err
    if day > datetime.now(UTC).date():
        raise Invalid(f"{name}: {value} is in the future")
    return day


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


# --- documents -------------------------------------------------------------------------------


def signed_document(version: ListVersionRow) -> dict[str, Any]:
    """The frozen version as a file anyone can check: the canonical content
    (as text, exactly as hashed), its SHA-256, the signature and the public key."""
    return {
        "format": FORMAT + "+signed",
        "content": version.content,
        "sha256": version.content_sha256,
        "signature": version.signature,
        "public_key": version.public_key,
    }


def export_version(
    uow: UnitOfWork,
    list_id: int,
    number: int,
    path: str | Path,
    *,
    format: str = "json",
    language: str = "uk",
) -> int:
    """Write a frozen version: ``json`` (the signed document), ``csv``, ``xlsx``
    or ``pdf`` (in ``language``: uk, en or ru); returns the entries written.
    An unknown format or PDF language is ``Invalid``, and nothing is written."""
    require_reader(uow.actor)
    check_export(format, language)
    version = frozen_version(uow, list_id, number)
    content = json.loads(version.content or "{}")
    path = Path(path)
    if format == "pdf":
        from homeward.documents.lists import write_list_pdf

        write_list_pdf(
            version, path, language=language, fingerprint=key_fingerprint(version.public_key or "")
        )
        count = len(content["entries"])
    elif format == "json":
        path.write_text(json.dumps(signed_document(version), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")  # fmt: skip
        count = len(content["entries"])
    else:
        fields = content["fields"]
        count = write_table(
            path, format, fields, ([e.get(f) for f in fields] for e in content["entries"])
        )
    uow.note("list.export", "list_versions", version.id, format=format, entries=count,
             sha256=version.content_sha256)  # fmt: skip
    return count


@dataclass(frozen=True)
class Verification:
    ok: bool
    problem: str | None
    sha256: str | None
    public_key: str | None
    entries: int


def verify_document(path: str | Path, public_key: str | None = None) -> Verification:
    """Check a signed list file with the public key alone: the content hashes to
    the SHA-256 it states, and the signature over it is the key's.  Without
    ``public_key`` the key in the file is used (say which key you expect: a
    forger would put their own)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        content = document["content"]
        stated = document["sha256"]
        signature = document["signature"]
        key = public_key or document["public_key"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return Verification(False, f"not a signed Homeward list: {err}", None, None, 0)
    entries = len(json.loads(content).get("entries", [])) if isinstance(content, str) else 0
    actual = hashlib.sha256(content.encode("utf-8")).hexdigest()
    if actual != stated:
        return Verification(
            False,
            f"the content was changed: its SHA-256 is {actual}, the file says {stated}",
            stated,
            key,
            entries,
        )
    if not keys.verify(key, stated.encode("ascii"), signature):
        return Verification(
            False,
            "the signature is not the registry's (wrong key, or changed)",
            stated,
            key,
            entries,
        )
    return Verification(True, None, stated, key, entries)


def key_fingerprint(public_key: str) -> str:
    """A short, readable fingerprint of a public key (SHA-256, first 16 hex digits)."""
    raw = base64.b64decode(public_key)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return " ".join(re.findall("....", digest))


def check_frozen(uow: UnitOfWork) -> list[str]:
    """Every frozen version checked against itself: its stored content hashes to
    its SHA-256, the signature verifies with its public key, and its entries rows
    are exactly the entries of the content.  Returns what is wrong, in words
    (nothing when all is well): a direct edit of the database shows here."""
    uow.actor.require(Permission.READ_AUDIT)
    problems = []
    versions = uow.session.scalars(
        select(ListVersionRow)
        .where(ListVersionRow.status == "frozen")
        .order_by(ListVersionRow.list_id, ListVersionRow.number)
    )
    for version in versions:
        name = f"list {version.list_id} version {version.number}"
        content = version.content or ""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if digest != version.content_sha256:
            problems.append(f"{name}: content changed (SHA-256 {digest}, frozen as "
                            f"{version.content_sha256})")  # fmt: skip
            continue
        if not keys.verify(
            version.public_key or "", digest.encode("ascii"), version.signature or ""
        ):
            problems.append(f"{name}: the signature does not verify")
        frozen = {e["entry_number"]: e for e in json.loads(content).get("entries", [])}
        stored = {
            e.number: e
            for e in uow.session.scalars(
                select(ListEntryRow).where(ListEntryRow.version_id == version.id)
            )
        }
        for number in sorted(set(frozen) | set(stored)):
            if number not in stored:
                problems.append(f"{name}: entry {number} was deleted")
            elif number not in frozen:
                problems.append(f"{name}: entry {number} was added")
            elif stored[number].values != frozen[number]:
                fields = sorted(
                    k for k in set(frozen[number]) | set(stored[number].values)
                    if frozen[number].get(k) != stored[number].values.get(k)
                )  # fmt: skip
                problems.append(f"{name}: entry {number} changed ({', '.join(fields)})")
        if version.entries != len(frozen):
            problems.append(
                f"{name}: entry count changed ({version.entries}, frozen {len(frozen)})"
            )
    return problems


# --- reading lists back -----------------------------------------------------------------------

_STATUS_ORDER = {"draft": 0, "approved": 1, "frozen": 2}


def get_list(uow: UnitOfWork, list_id: int) -> HandoverListRow:
    """The list, or ``NotFound``."""
    require_reader(uow.actor)
    return _list(uow, list_id)


def versions_of(uow: UnitOfWork, list_id: int) -> list[ListVersionRow]:
    """The list's versions, oldest first (the last is the current one)."""
    require_reader(uow.actor)
    _list(uow, list_id)
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
        entries = current.entries if current.status == "frozen" else len(_chosen_children(uow, row))
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
    _list(uow, list_id)
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
