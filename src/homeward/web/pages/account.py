"""The signed-in user's own account: their password and their API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.roles import Actor
from homeward.errors import HomewardError
from homeward.services import accounts, administration, signin
from homeward.web.deps import current_session, page_actor, read_form, render, state
from homeward.web.security import SESSION_COOKIE, csrf_protect, set_cookie

router = APIRouter(dependencies=[Depends(csrf_protect)])


def _account(request: Request, actor: Actor, **extra: object) -> dict[str, object]:
    with state(request).registry.uow(actor, write=False) as uow:
        me = uow.repos.users.get(actor.user_id) if actor.user_id is not None else None
        organisation = (
            uow.repos.organisations.get(me.organisation_id) if me and me.organisation_id else None
        )
        return {
            "me": me,
            "organisation": organisation.name if organisation else None,
            "min_length": accounts.MIN_PASSWORD_LENGTH,
            "error": None,
            "changed": request.query_params.get("changed") == "1",
            "set_by_another": administration.password_set_by_another(uow),
            **extra,
        }


@router.get("/account")
def account_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    return render(request, "account.html", _account(request, actor))


@router.post("/account/password")
def change_password(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    """Current password, new one twice.  The other sessions and every API token
    end; this browser stays signed in under a new cookie."""
    web = state(request)
    info = current_session(request)
    try:
        with web.registry.uow(actor) as uow:
            fresh = administration.change_own_password(
                uow, str(form.get("current") or ""), str(form.get("new") or ""),
                str(form.get("repeat") or ""), session_id=info.session_id if info else None,
            )  # fmt: skip
            uow.commit()
    except HomewardError as err:
        if isinstance(err, administration.WrongPassword):
            with web.registry.uow(actor) as uow:
                administration.note_wrong_password(uow)
                uow.commit()
        context = _account(request, actor, error=str(err))
        return render(request, "account.html", context, status_code=err.status_code)
    response = RedirectResponse("/account?changed=1", status_code=303)
    if fresh is not None:
        set_cookie(
            request, response, SESSION_COOKIE, fresh,
            max_age=int(web.policy.session_lifetime.total_seconds()),
        )  # fmt: skip
    return response


@router.get("/account/tokens")
def tokens_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        tokens = signin.api_tokens(uow)
    return render(request, "tokens.html", {"tokens": tokens, "new_token": None})


@router.post("/account/tokens")
def create_token(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    with state(request).registry.uow(actor) as uow:
        _row, token = signin.create_api_token(uow, str(form.get("label") or ""))
        uow.commit()
        tokens = signin.api_tokens(uow)
    return render(request, "tokens.html", {"tokens": tokens, "new_token": token})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor) as uow:
        signin.revoke_api_token(uow, token_id)
        uow.commit()
    return RedirectResponse("/account/tokens", status_code=303)
