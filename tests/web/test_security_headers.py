"""Every answer carries the security headers; only static files may be kept by a
browser's cache, and only an answer over HTTPS asks for HTTPS from then on."""

from __future__ import annotations

from fastapi.testclient import TestClient

from homeward.web import create_app
from homeward.web.security import SECURITY_HEADERS
from tests.web.conftest import World


def test_pages_api_and_errors_carry_the_security_headers(app_client: TestClient) -> None:
    for path in ("/signin", "/api/v1/cases", "/no-such-page", "/report"):
        answer = app_client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers[name] == value, (path, name)
        assert answer.headers["Cache-Control"] == "no-store", path
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000", path


def test_static_files_may_be_cached_and_plain_http_gets_no_hsts(world: World) -> None:
    app = create_app(world.settings, registry=world.registry)
    with TestClient(app, base_url="http://testserver") as client:
        page = client.get("/signin")
        assert "Strict-Transport-Security" not in page.headers
        assert page.headers["Cache-Control"] == "no-store"
        static = client.get("/static/homeward.css")
        assert static.status_code == 200
        assert static.headers.get("Cache-Control") != "no-store"
        assert (
            static.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
        )
