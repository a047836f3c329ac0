"""The HTML pages, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from homeward.web.pages import account, auth, cases, reports, review

    return [auth.router, account.router, cases.router, reports.router, review.router]
