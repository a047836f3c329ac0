"""The web application: pages for people, the JSON API beside them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DataError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from homeward.config import Settings
from homeward.errors import HomewardError
from homeward.services import signin
from homeward.services.registry_app import Registry
from homeward.services.review import load_model
from homeward.web.deps import SignInNeeded, WebState, render
from homeward.web.import_jobs import ImportJobs
from homeward.web.ratelimit import AddressEvents
from homeward.web.security import SECURITY_HEADERS, FailureThrottle
from homeward.web.shared import address_key, shared_engine

HERE = Path(__file__).parent


class SecurityHeaders:
    """The security headers on every answer, and ``no-store`` on all but the
    static files.  Plain ASGI: it only adds headers as the answer starts, where
    a ``BaseHTTPMiddleware`` would run each request in a task of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings, *, registry: Registry | None = None) -> FastAPI:
    """The whole web app over the registry these settings name.  The database
    must be migrated already (``homeward init``).  Several apps over one
    registry (the processes of ``homeward serve --workers``) share their sign-in
    throttle, report limits and import jobs through its database."""
    from homeward.web.api import create_api
    from homeward.web.pages import routers

    registry = registry or Registry.open(settings)
    shared = shared_engine(registry)
    events = AddressEvents(shared, address_key(settings))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if shared is not registry.engine:
            shared.dispose()

    app = FastAPI(
        title="Homeward", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    app.state.web = WebState(
        settings=settings,
        registry=registry,
        model=load_model(settings),
        policy=signin.Policy.from_settings(settings),
        templates=templates,
        throttle=FailureThrottle(events, settings.login_failures_per_address),
        address_events=events,
        import_jobs=ImportJobs(shared, settings.data_dir / "uploads"),
        shared_engine=shared,
    )

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/signin"})
        return RedirectResponse(f"/signin?next={exc.next_path}", status_code=303)

    @app.exception_handler(HomewardError)
    async def homeward_error(request: Request, exc: HomewardError) -> Response:
        return render(
            request, "error.html", {"status": exc.status_code, "message": str(exc)},
            status_code=exc.status_code,
        )  # fmt: skip

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, _exc: Exception) -> Response:
        return render(
            request, "error.html", {"status": 422, "message": "a number is out of range"},
            status_code=422,
        )  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return render(
            request, "error.html", {"status": exc.status_code, "message": None},
            status_code=exc.status_code,
        )  # fmt: skip

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount("/api/v1", create_api(app.state.web))
    for router in routers():
        app.include_router(router)
    return app


def api_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)
