"""The signed-in user's own API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from homeward.domain.roles import Actor
from homeward.services import signin
from homeward.web.deps import page_actor, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.get("/account/tokens")
async def tokens_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        tokens = signin.api_tokens(uow)
    return render(request, "tokens.html", {"tokens": tokens, "new_token": None})


@router.post("/account/tokens")
async def create_token(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    form = await request.form()
    with state(request).registry.uow(actor) as uow:
        _row, token = signin.create_api_token(uow, str(form.get("label") or ""))
        uow.commit()
        tokens = signin.api_tokens(uow)
    return render(request, "tokens.html", {"tokens": tokens, "new_token": token})


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(
    request: Request, token_id: int, actor: Actor = Depends(page_actor)
) -> Response:
    with state(request).registry.uow(actor) as uow:
        signin.revoke_api_token(uow, token_id)
        uow.commit()
    return RedirectResponse("/account/tokens", status_code=303)
