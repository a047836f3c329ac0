"""The audit trail: every change, newest first, each entry with its values
before and after; and verifying that no entry was altered behind Homeward's back."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from homeward.domain.roles import Actor, Permission
from homeward.errors import Invalid
from homeward.services import administration
from homeward.web.deps import page_actor, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = administration.AUDIT_PAGE


def _day(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as err:
        raise Invalid(f"{field}: a date such as 2026-03-04") from err


@router.get("/audit")
def audit_page(
    request: Request,
    table: str = "",
    who: str = "",
    action: str = "",
    row: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
    actor: Actor = Depends(page_actor),
) -> Response:
    actor.require(Permission.READ_AUDIT)
    page = max(1, page)
    web = state(request)
    chosen = administration.AuditFilter(
        table=table[:40], actor=who[:80], action=action[:80], row_id=row[:64],
        date_from=_day(since, "from"), date_to=_day(until, "to"),
    )  # fmt: skip
    with web.registry.uow(actor, write=False) as uow:
        found = administration.audit_entries(
            uow, chosen, zone=ZoneInfo(web.settings.time_zone),
            limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
        )  # fmt: skip
        tables = administration.audit_tables(uow)
    pages = max(1, (found.total + PAGE_SIZE - 1) // PAGE_SIZE)
    query = {"table": table, "who": who, "action": action, "row": row,
             "since": since, "until": until}  # fmt: skip
    kept = {k: v for k, v in query.items() if v}
    return render(
        request,
        "audit.html",
        {
            "found": found, "page": page, "pages": pages, "tables": tables, "query": query,
            "page_link": lambda n: "/audit?" + urlencode({**kept, "page": n}),
        },
    )  # fmt: skip


@router.get("/audit/{seq}")
def audit_entry(request: Request, seq: int, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.READ_AUDIT)
    with state(request).registry.uow(actor, write=False) as uow:
        entry = administration.audit_entry(uow, seq)
    return render(request, "audit_entry.html", {"entry": entry})


@router.post("/audit/verify")
def verify(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """Walk the whole chain.  A POST, so no link prefetcher starts the walk."""
    actor.require(Permission.READ_AUDIT)
    with state(request).registry.uow(actor, write=False) as uow:
        report = administration.verify_trail(uow)
    return render(request, "audit_verify.html", {"report": report})
