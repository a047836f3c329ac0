"""Search and cases."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from homeward.domain.roles import Actor
from homeward.errors import Invalid
from homeward.linkage.search import search
from homeward.services import case_view, cases, worklist
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import Page, StatusMove
from homeward.web.pages.cases import search_values

router = APIRouter(tags=["cases"])


@router.get("/search")
def search_children(
    request: Request,
    q: str = Query(default="", description="A name in any script, perhaps with a date of birth"),
    given_name: str | None = None,
    family_name: str | None = None,
    birth_date: str | None = None,
    limit: int = Query(default=10, ge=1, le=50),
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:
    """The children a name may be, best first, each with the reasons field by field."""
    values: dict[str, Any] = search_values(q) if q.strip() else {}
    for name, value in (("given_name", given_name), ("family_name", family_name),
                        ("birth_date", birth_date)):  # fmt: skip
        if value:
            values[name] = value
    if not values:
        raise Invalid("q: type a name to search for")
    web = api_state(request)
    with web.registry.uow(actor, write=False) as uow:
        found = search(uow, values, model=web.model, limit=limit)
        names = worklist.case_names(uow, [c.child_id for c in found if c.child_id])
    return {
        "items": [
            {**c.as_dict(), "name": names.get(c.child_id) if c.child_id else None} for c in found
        ]
    }


@router.get("/cases", response_model=Page)
def list_cases(
    request: Request,
    limit: int = Query(default=50, ge=1, le=worklist.MAX_PAGE),
    offset: int = Query(default=0, ge=0),
    status: str | None = None,
    actor: Actor = Depends(api_actor),
) -> Page:
    with api_state(request).registry.uow(actor, write=False) as uow:
        found = worklist.list_cases(uow, limit=limit, offset=offset, status=status)
    items = [{**i, "updated_at": i["updated_at"].isoformat()} for i in found.items]
    return Page(items=items, total=found.total, limit=found.limit, offset=found.offset)


@router.get("/cases/{case_number}")
def get_case(
    request: Request, case_number: str, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """The whole case as this user may see it; the read is written to the audit trail."""
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        view = case_view.view_case(uow, child_id)
        uow.commit()
    return asdict(view)


@router.post("/cases/{case_number}/status")
def move_status(
    request: Request, case_number: str, body: StatusMove, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Move the case to another status, with the reason; a ``version`` that changed
    since answers 409, a move the status machine forbids answers 409 too."""
    with api_state(request).registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        child = cases.move_status(
            uow, child_id, body.status, detail=body.detail, reason=body.reason,
            expected_version=body.version,
        )  # fmt: skip
        uow.commit()
    return case_view.child_summary(child)
