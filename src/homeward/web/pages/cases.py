"""Home, search as you type, the list of cases and the case page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from homeward.domain.roles import Actor
from homeward.domain.status import Status
from homeward.errors import Invalid
from homeward.linkage.search import search
from homeward.services import case_view, cases, worklist
from homeward.web.deps import page_actor, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 50


@router.get("/")
async def home(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        work = worklist.my_work(uow)
    return render(request, "home.html", {"work": work})


def search_values(query: str) -> dict[str, str]:
    """What a search box holds: a name, perhaps with a date of birth."""
    words = query.split()
    dates = [w for w in words if w[:4].isdigit() and len(w) >= 4]
    names = [w for w in words if w not in dates]
    values = {"full_name": " ".join(names)} if names else {}
    if dates:
        values["birth_date"] = dates[0]
    return values


@router.get("/search")
async def search_page(
    request: Request, q: str = "", actor: Actor = Depends(page_actor)
) -> Response:
    found = _search(request, actor, q) if q.strip() else None
    return render(request, "search.html", {"q": q, "found": found})


@router.get("/search/results")
async def search_results(
    request: Request, q: str = "", actor: Actor = Depends(page_actor)
) -> Response:
    found = _search(request, actor, q) if q.strip() else None
    return render(request, "_search_results.html", {"q": q, "found": found})


def _search(request: Request, actor: Actor, q: str) -> list[dict[str, object]]:
    web = state(request)
    with web.registry.uow(actor, write=False) as uow:
        candidates = search(uow, search_values(q[:300]), model=web.model, limit=20)
        names = worklist.case_names(uow, [c.child_id for c in candidates if c.child_id])
    return [
        {
            "candidate": c,
            "name": names.get(c.child_id, "") if c.child_id else "",
            "reasons": [f for f in c.scored.fields if f.level != "missing"],
        }
        for c in candidates
    ]


@router.get("/cases")
async def case_list(
    request: Request, page: int = 1, actor: Actor = Depends(page_actor)
) -> Response:
    page = max(1, page)
    with state(request).registry.uow(actor, write=False) as uow:
        found = worklist.list_cases(uow, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, (found.total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(request, "cases.html", {"found": found, "page": page, "pages": pages})


@router.get("/cases/{case_number}")
async def case_page(
    request: Request, case_number: str, actor: Actor = Depends(page_actor)
) -> Response:
    with state(request).registry.uow(actor) as uow:
        child_id, current_number = worklist.case_id(uow, case_number)
        if current_number != case_number:
            return RedirectResponse(f"/cases/{current_number}", status_code=303)
        view = case_view.view_case(uow, child_id)
        matches = worklist.open_matches_of(uow, child_id)
        moves = worklist.status_moves(uow, child_id)
        uow.commit()  # the read is in the audit trail
    return render(request, "case.html", {"view": view, "matches": matches, "moves": moves})


@router.post("/cases/{case_number}/status")
async def move_status(
    request: Request, case_number: str, actor: Actor = Depends(page_actor)
) -> Response:
    form = await request.form()
    target, _, detail = str(form.get("move") or "").partition("/")
    try:
        status = Status(target)
    except ValueError as err:
        raise Invalid("status: choose one of the moves offered") from err
    version = form.get("version")
    expected = int(version) if isinstance(version, str) and version.isdigit() else None
    with state(request).registry.uow(actor) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        cases.move_status(
            uow, child_id, status, detail=detail or None, reason=str(form.get("reason") or ""),
            expected_version=expected,
        )  # fmt: skip
        uow.commit()
    return RedirectResponse(f"/cases/{number}", status_code=303)
