"""The HTML pages, one module per area."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from homeward.web.pages import (
        account,
        admin,
        audit,
        auth,
        cases,
        documents,
        facilities,
        imports,
        lists,
        public,
        reports,
        review,
        statistics,
    )

    modules = (
        auth, public, account, cases, documents, reports, review, imports, lists, facilities,
        statistics, audit, admin,
    )  # fmt: skip
    return [module.router for module in modules]
