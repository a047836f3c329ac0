"""Facilities: the camps, institutions and regions of family placement where
children are held, and the children whose timeline points there.

A facility is known under several spellings (Ukrainian, Russian, Latin), so a
search compares each word across scripts: ``Artek``, ``Артек`` and ``лагерь
Артек`` find the same camp.  Which children are listed follows the reader's
reach: a partner organisation sees (and counts) only its own cases.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from homeward.domain.model import FacilityKind
from homeward.domain.roles import Permission
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.names.normalize import normalize_text
from homeward.names.translit import skeleton
from homeward.services.worklist import case_names
from homeward.storage.tables import ChildRow, EventRow, FacilityRow
from homeward.storage.uow import UnitOfWork

TEXT_FIELDS = {
    # field: (longest, required)
    "name": (300, True),
    "name_ru": (300, False),
    "name_latin": (300, False),
    "region": (200, False),
    "settlement": (200, False),
    "note": (4000, False),
}
FIELDS = (*TEXT_FIELDS, "kind", "country", "latitude", "longitude")
SEARCHED = ("name", "name_ru", "name_latin", "region", "settlement")
MAX_PAGE = 200


@dataclass(frozen=True)
class FacilityPage:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def _text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{field}: text expected")
    cleaned = " ".join(value.split())
    longest, required = TEXT_FIELDS[field]
    if field == "note":
        cleaned = value.strip()
    if not cleaned:
        if required:
            raise Invalid(f"{field}: a facility needs a name")
        return None
    if len(cleaned) > longest:
        raise Invalid(f"{field}: at most {longest} characters")
    return cleaned


def _coordinate(field: str, value: Any, limit: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError) as err:
        raise Invalid(f"{field}: a number in degrees, such as 44.55") from err
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise Invalid(f"{field}: between -{limit:g} and {limit:g} degrees")
    return number


def facility_values(given: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The checked values of a facility from a form or a request body; each
    problem names its field.  ``partial``: only the fields given (an edit)."""
    values: dict[str, Any] = {}
    for field in FIELDS:
        if field not in given:
            if partial:
                continue
            value = None
        else:
            value = given[field]
        if field in TEXT_FIELDS:
            values[field] = _text(field, value)
        elif field == "kind":
            try:
                values[field] = FacilityKind(str(value)).value
            except ValueError as err:
                kinds = ", ".join(k.value for k in FacilityKind)
                raise Invalid(f"kind: one of {kinds}") from err
        elif field == "country":
            code = value.strip().upper() if isinstance(value, str) else ""
            if len(code) != 2 or not code.isascii() or not code.isalpha():
                raise Invalid("country: the two-letter country code (UA, RU, BY…)")
            values[field] = code
        else:
            limit = 90.0 if field == "latitude" else 180.0
            values[field] = _coordinate(field, value, limit)
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise Invalid(f"{unknown[0]}: not a field of a facility")
    return values


def create_facility(uow: UnitOfWork, given: Mapping[str, Any]) -> FacilityRow:
    uow.actor.require(Permission.MANAGE_FACILITIES)
    values = facility_values(given)
    with uow.action("facility.create"):
        return uow.repos.facilities.add(FacilityRow(**values))


def update_facility(uow: UnitOfWork, facility_id: int, given: Mapping[str, Any]) -> FacilityRow:
    """Change the fields given; the others stay as they are."""
    uow.actor.require(Permission.MANAGE_FACILITIES)
    facility = uow.repos.facilities.get(facility_id)
    values = facility_values(given, partial=True)
    with uow.action("facility.update"):
        for field, value in values.items():
            setattr(facility, field, value)
    return facility


def facility_dict(row: FacilityRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "name_ru": row.name_ru,
        "name_latin": row.name_latin,
        "kind": row.kind,
        "country": row.country,
        "region": row.region,
        "settlement": row.settlement,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "note": row.note,
        "created_at": row.created_at.isoformat(),
    }


def get_facility(uow: UnitOfWork, facility_id: int) -> dict[str, Any]:
    uow.actor.require(Permission.READ_CASES)
    return facility_dict(uow.repos.facilities.get(facility_id))


def _words(text: str) -> list[str]:
    return [w for w in normalize_text(text).replace("«", " ").replace("»", " ").split() if w]


def _keys(row: FacilityRow) -> tuple[str, set[str]]:
    texts = [getattr(row, f) or "" for f in SEARCHED]
    plain = " | ".join(t.casefold() for t in texts)
    return plain, {skeleton(w) for t in texts for w in _words(t)} - {""}


def _matches(query: str, row: FacilityRow) -> bool:
    """Every word of the query begins a word of the facility's names or place,
    in any script; or the query is found as typed."""
    plain, skeletons = _keys(row)
    if query.casefold() in plain:
        return True
    wanted = [skeleton(w) for w in _words(query)]
    wanted = [w for w in wanted if w]
    return bool(wanted) and all(any(s.startswith(w) for s in skeletons) for w in wanted)


def _child_counts(uow: UnitOfWork, facility_ids: Collection[int]) -> dict[int, int]:
    if not facility_ids:
        return {}
    query = (
        select(EventRow.facility_id, func.count(func.distinct(EventRow.child_id)))
        .join(ChildRow, ChildRow.id == EventRow.child_id)
        .where(EventRow.facility_id.in_(list(facility_ids)))
        .where(ChildRow.status != Status.MERGED.value)
        .group_by(EventRow.facility_id)
    )
    if uow.actor.organisation_scoped:
        query = query.where(ChildRow.organisation_id == uow.actor.organisation_id)
    return {int(fid or 0): int(n) for fid, n in uow.session.execute(query)}


def search_facilities(
    uow: UnitOfWork, query: str = "", *, limit: int = 50, offset: int = 0
) -> FacilityPage:
    """Facilities by name, in any script, or by place; all of them without a
    query.  Each with how many children (this reader may reach) were there."""
    uow.actor.require(Permission.READ_CASES)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    rows = list(uow.session.scalars(select(FacilityRow).order_by(FacilityRow.name)))
    query = query.strip()[:200]
    if query:
        rows = [r for r in rows if _matches(query, r)]
    shown = rows[offset : offset + limit]
    counts = _child_counts(uow, [r.id for r in shown])
    items = [{**facility_dict(r), "children": counts.get(r.id, 0)} for r in shown]
    return FacilityPage(items=items, total=len(rows), limit=limit, offset=offset)


def facility_children(uow: UnitOfWork, facility_id: int) -> list[dict[str, Any]]:
    """The children whose events point at the facility, as this reader may
    see them (a partner: its own organisation's only), each with those events.
    A merged duplicate's events count for the case it was merged into."""
    uow.actor.require(Permission.READ_CASES)
    uow.repos.facilities.get(facility_id)
    events = list(
        uow.session.scalars(
            select(EventRow).where(EventRow.facility_id == facility_id).order_by(EventRow.id)
        )
    )
    children: dict[int, ChildRow] = {}
    found: dict[int, list[EventRow]] = {}
    for event in events:
        child = uow.repos.children.surviving(uow.repos.children.get(event.child_id))
        if uow.actor.organisation_scoped and child.organisation_id != uow.actor.organisation_id:
            continue
        children[child.id] = child
        found.setdefault(child.id, []).append(event)
    names = case_names(uow, list(children))
    listed = [
        {
            "case_number": child.case_number,
            "name": names.get(child.id, ""),
            "category": child.category,
            "status": child.status,
            "events": [{"kind": e.kind, "date": e.date, "place": e.place} for e in found[child.id]],
        }
        for child in children.values()
    ]
    return sorted(listed, key=lambda c: c["case_number"])
