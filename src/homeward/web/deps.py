"""What page and API routes share: the registry, who is signed in, rendering."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.config import Settings
from homeward.domain.roles import Actor, Permission
from homeward.linkage.model import MatchModel
from homeward.services import signin
from homeward.services.registry_app import Registry
from homeward.web import i18n
from homeward.web.import_jobs import ImportJobs
from homeward.web.ratelimit import AddressEvents
from homeward.web.security import (
    LANGUAGE_COOKIE,
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    FailureThrottle,
    csrf_seed,
    csrf_token_for,
    new_presession,
    set_cookie,
)


@dataclass
class WebState:
    """Built once by ``create_app``; held by the app."""

    settings: Settings
    registry: Registry
    model: MatchModel
    policy: signin.Policy
    templates: Jinja2Templates
    throttle: FailureThrottle
    address_events: AddressEvents
    import_jobs: ImportJobs
    shared_engine: Engine
    """Where the tables every server process shares are written (``web.shared``)."""


class SignInNeeded(Exception):
    """A page asked for by someone not signed in: they are sent to sign in."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


def language(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    for part in accept.split(","):
        code = part.split(";")[0].strip()[:2]
        if code in i18n.LANGUAGES:
            return code
    return i18n.DEFAULT_LANGUAGE


def current_session(request: Request) -> signin.SessionInfo | None:
    """The session of this request's cookie, read once per request."""
    if hasattr(request.state, "session_info"):
        found: signin.SessionInfo | None = request.state.session_info
        return found
    token = request.cookies.get(SESSION_COOKIE)
    info = None
    if token:
        web = state(request)
        with web.registry.uow(signin.SIGN_IN_ACTOR, write=False) as uow:
            info = signin.session_info(uow, token, web.policy.idle_timeout)
        if info is not None and info.active and signin.due_for_touch(info):
            with web.registry.uow(signin.SIGN_IN_ACTOR) as uow:
                signin.touch(uow, info)
                uow.commit()
    request.state.session_info = info
    return info


def page_actor(request: Request) -> Actor:
    """Dependency of every signed-in page: the actor, or off to the sign-in page."""
    info = current_session(request)
    if info is None or not info.active:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        raise SignInNeeded(target)
    return info.actor


async def read_form(request: Request) -> FormData:
    """The form a browser sent, read before a route runs: routes are plain
    functions that FastAPI runs in its thread pool, so their database work
    never holds up the event loop (and every other request with it)."""
    return await request.form()


def safe_next(value: str | None) -> str:
    """Only a path of this site: never another site (``//evil``, ``https://``)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    web = state(request)
    lang = language(request)
    seed = csrf_seed(request)
    fresh_presession = None
    if seed is None:
        fresh_presession = new_presession()
        seed = fresh_presession
    info = current_session(request)
    actor = info.actor if info is not None and info.active else None
    tr = i18n.Translator(lang, web.settings.time_zone)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    values: dict[str, Any] = {
        "_": tr.gettext,
        "tr": tr,
        "lang": lang,
        "languages": i18n.LANGUAGES,
        "language_link": lambda code: f"/language/{code}?{urlencode({'next': here})}",
        "csrf_token": csrf_token_for(seed),
        "user": info if actor is not None else None,
        "actor": actor,
        "can": (lambda name: actor is not None and actor.can(Permission(name))),
        "path": request.url.path,
    }
    values.update(context or {})
    response = web.templates.TemplateResponse(request, template, values, status_code=status_code)
    if fresh_presession is not None:
        set_cookie(request, response, PRESESSION_COOKIE, fresh_presession, max_age=3600 * 12)
    return response
