"""The review queue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from homeward.domain.roles import Actor
from homeward.services import review, worklist
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import Page, ReviewDecision

router = APIRouter(tags=["review"])


@router.get("/review", response_model=Page)
def review_queue(
    request: Request,
    status: str = Query(default="pending,deferred", description="Comma-separated statuses"),
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """Proposed matches, most probable first."""
    statuses = [s.strip() for s in status.split(",") if s.strip()]
    with api_state(request).registry.uow(actor, write=False) as uow:
        items = review.queue(uow, statuses=statuses, limit=limit, offset=offset)
        counts = review.counts(uow)
    total = sum(counts.get(s, 0) for s in statuses)
    return Page(items=[i.as_dict() for i in items], total=total, limit=limit, offset=offset)


@router.get("/review/{candidate_id}")
def review_item(
    request: Request, candidate_id: int, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    with api_state(request).registry.uow(actor, write=False) as uow:
        return review.get_item(uow, candidate_id).as_dict()


@router.post("/review/{candidate_id}/decision")
def decide(
    request: Request, candidate_id: int, body: ReviewDecision, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """Accept (link or merge), reject (never proposed again) or defer."""
    with api_state(request).registry.uow(actor) as uow:
        keep = worklist.case_id(uow, body.keep_case_number)[0] if body.keep_case_number else None
        review.decide(
            uow, candidate_id, body.action, reason=body.reason,
            surviving_child_id=keep, expected_version=body.version,
        )  # fmt: skip
        uow.commit()
        return review.get_item(uow, candidate_id).as_dict()
