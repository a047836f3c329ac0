"""The review queue: proposed matches side by side, accepted, rejected or deferred."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.roles import Actor
from homeward.errors import Invalid
from homeward.services import review
from homeward.web.deps import page_actor, read_form, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 50


@router.get("/review")
def queue_page(request: Request, page: int = 1, actor: Actor = Depends(page_actor)) -> Response:
    page = max(1, page)
    with state(request).registry.uow(actor, write=False) as uow:
        items = review.queue(uow, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        counts = review.counts(uow)
    return render(
        request, "review_queue.html",
        {"items": items[:PAGE_SIZE], "more": len(items) > PAGE_SIZE, "page": page,
         "counts": counts},
    )  # fmt: skip


@router.get("/review/{candidate_id}")
def item_page(request: Request, candidate_id: int, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        item = review.get_item(uow, candidate_id)
    return render(request, "review_item.html", {"item": item})


@router.post("/review/{candidate_id}")
def decide(
    request: Request,
    candidate_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    try:
        action = review.Action(str(form.get("action") or ""))
    except ValueError as err:
        raise Invalid("action: accept, reject or defer") from err
    version = form.get("version")
    expected = int(version) if isinstance(version, str) and version.isdigit() else None
    keep = form.get("keep")
    surviving = int(keep) if isinstance(keep, str) and keep.isdigit() else None
    with state(request).registry.uow(actor) as uow:
        review.decide(
            uow, candidate_id, action, reason=str(form.get("reason") or ""),
            expected_version=expected, surviving_child_id=surviving,
        )  # fmt: skip
        uow.commit()
    return RedirectResponse("/review", status_code=303)
