"""Every page of the web app, for every role, on real objects.

The routers name every page; each must be listed here with the permission the
domain's role table gives it, so a new page cannot escape the walk.  A role
the page is for gets it (200, or the redirect the page answers with); any
other role gets 403, or 404 where the object is another organisation's, and
never a value only case workers and verifiers may read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from homeward.domain.roles import PERMISSIONS, Permission, Role
from homeward.services import merging, triage
from homeward.web.pages import routers
from tests.factories import make_child
from tests.web.conftest import World, sign_in
from tests.web.test_every_route import (  # noqa: F401 (the fixture)
    EVIDENCE,
    LIST_READERS,
    READERS,
    ROLE_NAMES,
    Walk,
    _leaks,
    allowed,
    walk,
)

P = Permission
ANYONE = frozenset(ROLE_NAMES)
SIGNED_OUT_PAGES = {"/signin", "/signin/code", "/language/{code}"}
"""Pages of signing in: walked by the sign-in tests."""


def page_paths() -> set[str]:
    def routes(router: Any) -> Iterator[APIRoute]:
        for route in router.routes:
            if hasattr(route, "original_router"):
                yield from routes(route.original_router)
            elif isinstance(route, APIRoute):
                yield route

    return {r.path for router in routers() for r in routes(router) if "GET" in r.methods}


# path template -> (URL with the walk's objects, roles it is for, about the world's
# own objects, so a partner of another organisation gets 404)
PAGES: dict[str, tuple[str, frozenset[str], bool]] = {
    "/": ("/", ANYONE, False),
    "/account": ("/account", ANYONE, False),
    "/account/tokens": ("/account/tokens", ANYONE, False),
    "/report": ("/report", ANYONE, False),
    "/public/statistics": ("/public/statistics", ANYONE, False),
    "/public/statistics.csv": ("/public/statistics.csv", ANYONE, False),
    "/triage": ("/triage", allowed(P.CREATE_RECORDS, P.READ_SENSITIVE), False),
    "/triage/{record_id}": ("/triage/{public}", allowed(P.CREATE_RECORDS, P.READ_SENSITIVE), False),
    "/search": ("/search?q=Kovalenko", READERS, False),
    "/search/results": ("/search/results?q=Kovalenko", READERS, False),
    "/cases": ("/cases", READERS, False),
    "/cases/{case_number}": ("/cases/{child}", READERS, True),
    "/cases/{case_number}/merge": (
        "/cases/{child}/merge?other={partner_child}",
        allowed(P.MERGE_CASES),
        True,
    ),
    "/cases/{case_number}/merged": ("/cases/{merged}/merged", READERS, True),
    "/cases/{case_number}/documents/{document_id}": (
        "/cases/{child}/documents/{document}",
        EVIDENCE,
        True,
    ),
    "/cases/{case_number}/documents/{document_id}/original": (
        "/cases/{child}/documents/{document}/original",
        EVIDENCE,
        True,
    ),
    "/cases/{case_number}/documents/{document_id}/working": (
        "/cases/{child}/documents/{document}/working",
        EVIDENCE,
        True,
    ),
    "/reports/new": ("/reports/new", allowed(P.CREATE_RECORDS), False),
    "/review": ("/review", allowed(P.REVIEW_MATCHES), False),
    "/review/{candidate_id}": ("/review/{candidate}", allowed(P.REVIEW_MATCHES), False),
    "/imports": ("/imports", allowed(P.IMPORT_FILES), False),
    "/imports/new": ("/imports/new", allowed(P.IMPORT_FILES), False),
    "/imports/jobs/{job_id}": ("/imports/jobs/{job}", allowed(P.IMPORT_FILES), False),
    "/imports/jobs/{job_id}/status": ("/imports/jobs/{job}/status", allowed(P.IMPORT_FILES), False),
    "/imports/{import_id:int}": ("/imports/{import_}", allowed(P.IMPORT_FILES), False),
    "/imports/{import_id:int}/quarantine": (
        "/imports/{import_}/quarantine",
        allowed(P.IMPORT_FILES),
        False,
    ),
    "/imports/{import_id:int}/entries": (
        "/imports/{import_}/entries",
        allowed(P.IMPORT_FILES),
        False,
    ),
    "/lists": ("/lists", LIST_READERS, False),
    "/lists/new": ("/lists/new", allowed(P.COMPOSE_LISTS), False),
    "/lists/{list_id}": ("/lists/{list}", LIST_READERS, False),
    "/lists/{list_id}/versions/{number}": ("/lists/{list}/versions/1", LIST_READERS, False),
    "/lists/{list_id}/versions/{number}/download": (
        "/lists/{list}/versions/1/download?format=csv",
        LIST_READERS,
        False,
    ),
    "/lists/{list_id}/versions/{number}/reconciliation": (
        "/lists/{list}/versions/1/reconciliation",
        LIST_READERS,
        False,
    ),
    "/lists/{list_id}/versions/{number}/reconciliation/download": (
        "/lists/{list}/versions/1/reconciliation/download?format=csv",
        LIST_READERS,
        False,
    ),
    "/facilities": ("/facilities", READERS, False),
    "/facilities/results": ("/facilities/results?q=Сонячний", READERS, False),
    "/facilities/new": ("/facilities/new", allowed(P.MANAGE_FACILITIES), False),
    "/facilities/{facility_id}": ("/facilities/{facility}", READERS, False),
    "/facilities/{facility_id}/edit": (
        "/facilities/{facility}/edit",
        allowed(P.MANAGE_FACILITIES),
        False,
    ),
    "/statistics": ("/statistics", allowed(P.READ_STATISTICS), False),
    "/statistics.csv": ("/statistics.csv", allowed(P.READ_STATISTICS), False),
    "/statistics.json": ("/statistics.json", allowed(P.READ_STATISTICS), False),
    "/audit": ("/audit", allowed(P.READ_AUDIT), False),
    "/audit/{seq}": ("/audit/1", allowed(P.READ_AUDIT), False),
    "/admin": ("/admin", allowed(P.MANAGE_USERS), False),
    "/admin/users/{user_id}": ("/admin/users/1", allowed(P.MANAGE_USERS), False),
}


def test_every_page_is_walked() -> None:
    served = page_paths() - SIGNED_OUT_PAGES
    walked = set(PAGES)
    assert served == walked, (
        f"not walked: {sorted(served - walked)}; gone: {sorted(walked - served)}"
    )


@pytest.fixture
def pages(walk: Walk) -> dict[str, str]:  # noqa: F811 (the fixture imported above)
    """Each page's URL, on the walk's objects and a public report to triage."""
    with walk.world.registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        public = triage.receive_public_report(
            uow, {"given_name": "Марта", "family_name": "Гнатюк", "reporter_name": "Ганна",
                  "reporter_contact": "+380 50 111 22 33"}, consent=True,
        )  # fmt: skip
        uow.commit()
    with walk.world.registry.uow() as uow:
        duplicate = make_child(uow, given_name="Олександр", family_name="Коваленко")
        survivor = uow.repos.children.by_case_number(walk.world.child_number)
        assert survivor is not None
        merging.merge_children(uow, duplicate.id, survivor.id, reason="the same boy")
        uow.commit()
    ids = {
        **walk.ids,
        "public": public.record_id,
        "partner_child": walk.world.partner_child_number,
        "merged": duplicate.case_number,
    }
    return {path: url.format(**ids) for path, (url, _roles, _scoped) in PAGES.items()}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_opens_the_pages_it_may_and_no_other(
    app_client: TestClient, world: World, pages: dict[str, str], role: str
) -> None:
    sign_in(app_client, world, role)
    sensitive = P.READ_SENSITIVE in PERMISSIONS[Role(role)]
    for path, url in pages.items():
        _url, roles, scoped = PAGES[path]
        answer = app_client.get(url)
        if role in roles and not (scoped and role == "partner"):
            assert answer.status_code in (200, 303), (role, url, answer.status_code)
        else:
            assert answer.status_code in (403, 404), (role, url, answer.status_code)
        if not sensitive:
            assert not _leaks(answer.text), (role, url, _leaks(answer.text))
