"""Aggregate figures of the registry."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request

from homeward.domain.roles import Actor
from homeward.services.statistics import compute_statistics, statistics_json
from homeward.web.api import api_actor, api_state

router = APIRouter(tags=["statistics"])


@router.get("/statistics")
def statistics(request: Request, actor: Actor = Depends(api_actor)) -> dict[str, Any]:
    """Children by category, status, oblast of origin and month of return, with the
    "as of" time; counts under 5 are shown as "<5", as on the public pages."""
    with api_state(request).registry.uow(actor, write=False) as uow:
        stats = compute_statistics(uow)
    found: dict[str, Any] = json.loads(statistics_json(stats, public=True))
    return found
