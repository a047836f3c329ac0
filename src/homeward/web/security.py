"""Cookies, CSRF tokens and the security headers every answer carries."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from fastapi import Request
from starlette.responses import Response

from homeward.errors import Forbidden
from homeward.web.ratelimit import SIGN_IN_FAILURE, AddressEvents, RateLimit, Window

SESSION_COOKIE = "hw_session"
PRESESSION_COOKIE = "hw_pre"
"""A random value held before signing in, so the sign-in form has a CSRF token too."""
LANGUAGE_COOKIE = "hw_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
        path="/",
    )


def csrf_seed(request: Request) -> str | None:
    """What this browser's CSRF token is derived from: its session token, or
    before signing in its pre-session value.  Neither is ever stored."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)


def csrf_token_for(seed: str) -> str:
    return hashlib.sha256(f"csrf|{seed}".encode()).hexdigest()


def new_presession() -> str:
    return secrets.token_urlsafe(24)


async def csrf_protect(request: Request) -> None:
    """Refuse a form sent without the token of this browser's session: another
    site can make the browser send a form, but cannot read the token."""
    if request.method not in UNSAFE_METHODS:
        return
    seed = csrf_seed(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not seed or not sent or not hmac.compare_digest(sent, csrf_token_for(seed)):
        raise Forbidden("the form is out of date or was not sent from Homeward; reload the page")


class FailureThrottle:
    """Failed sign-ins per client address in a sliding window, counted in the
    database (``address_events``) so that every server process counts the same
    failures: with one count per process, N processes would give N times the
    guesses.

    The account lockout stops guessing one user's password; this stops one
    address from trying a few passwords on many users."""

    def __init__(
        self,
        events: AddressEvents,
        limit: int,
        window_seconds: float = 600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._counts = RateLimit(events, SIGN_IN_FAILURE, [Window(window_seconds, limit)], clock)

    def blocked(self, address: str) -> bool:
        return self._counts.retry_after(address) > 0

    def failed(self, address: str) -> None:
        self._counts.hit(address)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
