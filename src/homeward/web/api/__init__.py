"""The JSON API under ``/api/v1``, with its OpenAPI 3 description at
``/api/v1/openapi.json``.  Every route acts as the user of a bearer token."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from homeward.domain.roles import Actor
from homeward.errors import HomewardError
from homeward.services import signin
from homeward.web.deps import WebState

_bearer = HTTPBearer(auto_error=False, description="An API token made on the account page")


class Unauthorised(Exception):
    pass


def api_state(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web


def api_actor(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Actor:
    """The user a bearer token acts as; 401 without a live token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorised()
    with api_state(request).registry.uow(signin.SIGN_IN_ACTOR, write=False) as uow:
        actor = signin.token_actor(uow, credentials.credentials)
    if actor is None:
        raise Unauthorised()
    return actor


def error_body(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"status": status, "error": message, **extra}, status_code=status)


def create_api(web: WebState) -> FastAPI:
    from homeward.web.api import (
        cases,
        documents,
        facilities,
        imports,
        lists,
        reports,
        review,
        statistics,
    )

    api = FastAPI(
        title="Homeward API",
        version="1",
        description=(
            "Cases, search, reports, documents and return readiness, the review queue and "
            "statistics of the registry."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api.state.web = web

    @api.exception_handler(Unauthorised)
    async def unauthorised(_request: Request, _exc: Unauthorised) -> Response:
        return JSONResponse(
            {"status": 401, "error": "a valid bearer token is needed"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(HomewardError)
    async def homeward_error(_request: Request, exc: HomewardError) -> Response:
        return error_body(exc.status_code, str(exc), kind=type(exc).__name__)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        return error_body(exc.status_code, str(exc.detail))

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    async def out_of_range(_request: Request, _exc: Exception) -> Response:
        # a number no database column can hold (an id of 2**70, say): nothing has it
        return error_body(422, "a number in the request is out of range", kind="Invalid")

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        ]
        return error_body(422, "; ".join(problems), kind="Invalid")

    for module in (cases, documents, reports, review, imports, lists, facilities, statistics):
        api.include_router(module.router)
    return api
