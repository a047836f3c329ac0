"""Reports: one in, the children it may describe back; then linked or given a case."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from homeward.domain.roles import Actor
from homeward.services import intake, worklist
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import ReportCreate, ReportLink, ReportNewCase

router = APIRouter(tags=["reports"])


def _case(child: Any) -> dict[str, Any]:
    return {"id": child.id, "case_number": child.case_number, "status": child.status}


@router.post("/reports", status_code=201)
def take_report(
    request: Request, body: ReportCreate, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Keep the report at once, as a record of its own source, and answer the
    children it may describe, best first, with the reasons."""
    values = body.model_dump(exclude_none=True, exclude={"title"})
    web = api_state(request)
    with web.registry.uow(actor) as uow:
        taken = intake.take_report(uow, values, title=body.title, model=web.model, find=False)
        uow.commit()
        record_id = taken.record.id
    with web.registry.uow(actor, write=False) as uow:
        found = intake.report_candidates(uow, values, record_id, model=web.model)
    return {"record_id": record_id, "candidates": [c.as_dict() for c in found]}


@router.post("/reports/{record_id}/link")
def link_report(
    request: Request, record_id: int, body: ReportLink, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    with api_state(request).registry.uow(actor) as uow:
        child_id, _ = worklist.case_id(uow, body.case_number)
        child = intake.link_report(uow, record_id, child_id, reason=body.reason)
        uow.commit()
    return _case(child)


@router.post("/reports/{record_id}/case", status_code=201)
def open_case(
    request: Request, record_id: int, body: ReportNewCase, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    with api_state(request).registry.uow(actor) as uow:
        child = intake.open_case_for_report(
            uow, record_id, category=body.category, reason=body.reason
        )
        uow.commit()
    return _case(child)
