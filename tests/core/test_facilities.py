"""Facilities: found under any of their spellings, and checked field by field."""

from __future__ import annotations

import pytest

from homeward.domain.roles import Actor, Role
from homeward.errors import Forbidden, Invalid
from homeward.services import facilities
from homeward.services.registry_app import Registry

WORKER = Actor(username="olena", role=Role.CASE_WORKER, user_id=1)
ANALYST = Actor(username="ivan", role=Role.ANALYST, user_id=2)

ARTEK = {
    "name": "табір «Артек»", "name_ru": "лагерь «Артек»", "name_latin": "Artek camp",
    "kind": "camp", "country": "UA", "region": "АР Крим", "settlement": "Гурзуф",
}  # fmt: skip
BOARDING_SCHOOL = {
    "name": "Донецька школа-інтернат № 1", "name_ru": "Донецкая школа-интернат № 1",
    "kind": "institution", "country": "UA", "region": "Донецька область",
    "settlement": "Донецьк",
}  # fmt: skip


def test_a_facility_is_found_by_any_spelling_of_its_name_or_place(registry: Registry) -> None:
    with registry.uow(WORKER) as uow:
        facilities.create_facility(uow, ARTEK)
        facilities.create_facility(uow, BOARDING_SCHOOL)
        uow.commit()
    with registry.uow(ANALYST, write=False) as uow:

        def names(query: str) -> list[str]:
            return [f["name"] for f in facilities.search_facilities(uow, query).items]

        for query in ("Artek", "артек", "лагерь Артек", "Hurzuf", "Gurzuf", "Крим"):
            assert names(query) == ["табір «Артек»"], query
        for query in ("Donetsk", "Донецкая", "школа-інтернат", "Donetska"):
            assert names(query) == ["Донецька школа-інтернат № 1"], query
        assert names("Anapa") == []
        assert len(names("")) == 2


def test_each_wrong_value_is_named_and_nothing_is_stored(registry: Registry) -> None:
    with registry.uow(WORKER) as uow:
        for field, value in [
            ("name", "  "), ("kind", "prison"), ("country", "Russia"), ("latitude", "north"),
            ("longitude", "200"), ("colour", "red"),
        ]:  # fmt: skip
            with pytest.raises(Invalid, match=f"^{field}:"):
                facilities.create_facility(uow, {**ARTEK, field: value})
        row = facilities.create_facility(uow, {**ARTEK, "latitude": "44,55", "country": "ua"})
        assert (row.latitude, row.country) == (44.55, "UA")
        updated = facilities.update_facility(uow, row.id, {"note": "  reported by Yale HRL  "})
        assert updated.note == "reported by Yale HRL" and updated.name == ARTEK["name"]
        uow.commit()
    with registry.uow(ANALYST) as uow, pytest.raises(Forbidden):
        facilities.create_facility(uow, BOARDING_SCHOOL)
