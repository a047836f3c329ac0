"""Facilities: where children are held, and the children recorded there."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from homeward.domain.model import FacilityKind
from homeward.domain.roles import Actor
from homeward.services import facilities
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import Page

router = APIRouter(tags=["facilities"])


class FacilityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="As Ukrainian sources write it")
    name_ru: str | None = Field(default=None, description="As the other side's documents write it")
    name_latin: str | None = None
    kind: FacilityKind
    country: str = Field(description="Two-letter code; UA for occupied territory of Ukraine")
    region: str | None = None
    settlement: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    note: str | None = None


class FacilityUpdate(BaseModel):
    """The fields to change; those left out stay as they are, ``null`` clears one."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    name_ru: str | None = None
    name_latin: str | None = None
    kind: FacilityKind | None = None
    country: str | None = None
    region: str | None = None
    settlement: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    note: str | None = None


@router.get("/facilities", response_model=Page)
def list_facilities(
    request: Request,
    q: str = Query(default="", description="A name in any script, or a place"),
    limit: int = Query(default=50, ge=1, le=facilities.MAX_PAGE),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """Facilities by name, each with how many children you may reach were recorded there."""
    with api_state(request).registry.uow(actor, write=False) as uow:
        found = facilities.search_facilities(uow, q, limit=limit, offset=offset)
    return Page(items=found.items, total=found.total, limit=found.limit, offset=found.offset)


@router.get("/facilities/{facility_id}")
def get_facility(
    request: Request, facility_id: int, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """The facility and the children whose events point there (a partner: its own only)."""
    with api_state(request).registry.uow(actor, write=False) as uow:
        found = facilities.get_facility(uow, facility_id)
        children = facilities.facility_children(uow, facility_id)
    return {**found, "children": children}


@router.post("/facilities", status_code=201)
def create_facility(
    request: Request, body: FacilityCreate, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    with api_state(request).registry.uow(actor) as uow:
        row = facilities.create_facility(uow, body.model_dump(mode="json"))
        uow.commit()
        return facilities.facility_dict(row)


@router.patch("/facilities/{facility_id}")
def update_facility(
    request: Request, facility_id: int, body: FacilityUpdate, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    with api_state(request).registry.uow(actor) as uow:
        row = facilities.update_facility(
            uow, facility_id, body.model_dump(mode="json", exclude_unset=True)
        )
        uow.commit()
        return facilities.facility_dict(row)
