"""Signing in (password, then a TOTP code or enrolling one), signing out, language."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.services import signin
from homeward.web import i18n
from homeward.web.deps import current_session, read_form, render, safe_next, state
from homeward.web.security import (
    LANGUAGE_COOKIE,
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    client_address,
    csrf_protect,
    set_cookie,
)

router = APIRouter(dependencies=[Depends(csrf_protect)])


def _form_text(form: object, name: str) -> str:
    value = form.get(name) if hasattr(form, "get") else None
    return value if isinstance(value, str) else ""


def _throttled(request: Request, template: str, context: dict[str, object]) -> Response:
    return render(request, template, {**context, "throttled": True}, status_code=429)


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:
    info = current_session(request)
    if info is not None and info.active:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin.html", {"next": safe_next(next)})


@router.post("/signin")
def signin_submit(request: Request, form: FormData = Depends(read_form)) -> Response:
    web = state(request)
    username = _form_text(form, "username")
    next_path = safe_next(_form_text(form, "next"))
    address = client_address(request)
    if web.throttle.blocked(address):
        return _throttled(request, "signin.html", {"next": next_path, "username": username})
    with web.registry.uow(signin.SIGN_IN_ACTOR) as uow:
        started = signin.begin_sign_in(uow, username, _form_text(form, "password"), web.policy)
        uow.commit()
    if started is None:
        web.throttle.failed(address)
        return render(
            request, "signin.html",
            {"next": next_path, "username": username, "refused": True},
            status_code=401,
        )  # fmt: skip
    token, _stage = started
    response = RedirectResponse(f"/signin/code?next={next_path}", status_code=303)
    set_cookie(
        request, response, SESSION_COOKIE, token,
        max_age=int(web.policy.session_lifetime.total_seconds()),
    )  # fmt: skip
    return response


@router.get("/signin/code")
def code_page(request: Request, next: str = "/") -> Response:
    info = current_session(request)
    if info is None:
        return RedirectResponse("/signin", status_code=303)
    if info.active:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin_code.html", {"next": safe_next(next), "session": info})


@router.post("/signin/code")
def code_submit(request: Request, form: FormData = Depends(read_form)) -> Response:
    web = state(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    next_path = safe_next(_form_text(form, "next"))
    address = client_address(request)
    if web.throttle.blocked(address):
        info = current_session(request)
        if info is None:
            return RedirectResponse("/signin", status_code=303)
        return _throttled(request, "signin_code.html", {"next": next_path, "session": info})
    with web.registry.uow(signin.SIGN_IN_ACTOR) as uow:
        fresh = signin.finish_sign_in(uow, token, _form_text(form, "code"), web.policy)
        uow.commit()
    if fresh is None:
        web.throttle.failed(address)
        info = current_session(request)
        if info is None or info.active:
            return RedirectResponse("/signin", status_code=303)
        return render(
            request, "signin_code.html",
            {"next": next_path, "session": info, "refused": True},
            status_code=401,
        )  # fmt: skip
    response = RedirectResponse(next_path, status_code=303)
    set_cookie(
        request, response, SESSION_COOKIE, fresh,
        max_age=int(web.policy.session_lifetime.total_seconds()),
    )  # fmt: skip
    response.delete_cookie(PRESESSION_COOKIE, path="/")
    return response


@router.post("/signout")
def signout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with state(request).registry.uow(signin.SIGN_IN_ACTOR) as uow:
            signin.sign_out(uow, token)
            uow.commit()
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language/{code}")
def choose_language(request: Request, code: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        set_cookie(request, response, LANGUAGE_COOKIE, code, max_age=3600 * 24 * 365)
    return response
