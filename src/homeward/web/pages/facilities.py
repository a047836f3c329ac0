"""Facilities: the list with search in any script, the facility page with the
children held there, and adding or editing a facility."""

from __future__ import annotations

from typing import Any

from babel import Locale
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.roles import Actor, Permission
from homeward.errors import HomewardError
from homeward.services import facilities
from homeward.web.deps import language, page_actor, read_form, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 50
KINDS = {
    "camp": "Camp",
    "institution": "Institution (orphanage, boarding school, hospital)",
    "family_placement_region": "Region of family placement",
    "other": "Other",
}
COUNTRIES = ("UA", "RU", "BY")
"""Offered first; any two-letter code may be typed."""


def country_namer(lang: str) -> Any:
    names = Locale.parse(lang).territories

    def name(code: str | None) -> str:
        return str(names.get(code or "", code or ""))

    return name


def _context(request: Request, **values: Any) -> dict[str, Any]:
    return {"kinds": KINDS, "country_name": country_namer(language(request)), **values}


def _list(request: Request, actor: Actor, q: str, page: int) -> dict[str, Any]:
    page = max(1, page)
    with state(request).registry.uow(actor, write=False) as uow:
        found = facilities.search_facilities(uow, q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, (found.total + PAGE_SIZE - 1) // PAGE_SIZE)
    return _context(request, q=q, found=found, page=page, pages=pages)


@router.get("/facilities")
def facility_list(
    request: Request, q: str = "", page: int = 1, actor: Actor = Depends(page_actor)
) -> Response:
    return render(request, "facilities.html", _list(request, actor, q, page))


@router.get("/facilities/results")
def facility_results(
    request: Request, q: str = "", page: int = 1, actor: Actor = Depends(page_actor)
) -> Response:
    """The list alone, for search as you type."""
    return render(request, "facilities_results.html", _list(request, actor, q, page))


def _form_values(form: FormData) -> dict[str, Any]:
    return {
        name: value.strip() if isinstance(value, str) else None
        for name in facilities.FIELDS
        for value in [form.get(name)]
    }


def _form(
    request: Request, values: dict[str, Any], facility_id: int | None, **extra: Any
) -> dict[str, Any]:
    given = {"error": None, **extra}
    return _context(request, values=values, facility_id=facility_id, countries=COUNTRIES, **given)


@router.get("/facilities/new")
def new_facility(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.MANAGE_FACILITIES)
    values = {"kind": "camp", "country": "RU"}
    return render(request, "facility_form.html", _form(request, values, None))


@router.post("/facilities")
def add_facility(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    actor.require(Permission.MANAGE_FACILITIES)
    values = _form_values(form)
    try:
        with state(request).registry.uow(actor) as uow:
            row = facilities.create_facility(uow, values)
            uow.commit()
    except HomewardError as err:
        context = _form(request, values, None, error=str(err))
        return render(request, "facility_form.html", context, status_code=err.status_code)
    return RedirectResponse(f"/facilities/{row.id}", status_code=303)


@router.get("/facilities/{facility_id}")
def facility_page(
    request: Request, facility_id: int, actor: Actor = Depends(page_actor)
) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        facility = facilities.get_facility(uow, facility_id)
        children = facilities.facility_children(uow, facility_id)
    return render(request, "facility.html", _context(request, facility=facility, children=children))


@router.get("/facilities/{facility_id}/edit")
def edit_facility(
    request: Request, facility_id: int, actor: Actor = Depends(page_actor)
) -> Response:
    actor.require(Permission.MANAGE_FACILITIES)
    with state(request).registry.uow(actor, write=False) as uow:
        values = facilities.get_facility(uow, facility_id)
    return render(request, "facility_form.html", _form(request, values, facility_id))


@router.post("/facilities/{facility_id}")
def save_facility(
    request: Request,
    facility_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    actor.require(Permission.MANAGE_FACILITIES)
    values = _form_values(form)
    try:
        with state(request).registry.uow(actor) as uow:
            facilities.update_facility(uow, facility_id, values)
            uow.commit()
    except HomewardError as err:
        context = _form(request, values, facility_id, error=str(err))
        return render(request, "facility_form.html", context, status_code=err.status_code)
    return RedirectResponse(f"/facilities/{facility_id}", status_code=303)
