"""What an entry holds: a child's names in Ukrainian, Russian and Latin
letters, and the other fields of the profile, from the case's records."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select

from homeward.names.given import name_group, resolve_given_name
from homeward.names.parse import parse_full_name
from homeward.names.translit import detect_language, transliterate
from homeward.services.records import first_value, source_rank
from homeward.storage.tables import ChildRow, FacilityRow, RecordRow, SourceRow
from homeward.storage.uow import UnitOfWork

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


def entry_values(
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
