"""Every route of the JSON API, for every role.

The OpenAPI description names every route; each must be listed here with the
permission the domain's role table gives it, so a new route cannot escape the
walk.  The allowed roles do the work (composing and freezing a list, importing
a file, keeping a report, adding a facility) and read every route; every other
role reads every route and tries every change with a valid request, and gets
403 (or 404 where the object is another organisation's), never a field it may
not see, and changes nothing in the registry.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from homeward.domain.roles import PERMISSIONS, Permission, Role
from homeward.storage.tables import Base
from tests.web.conftest import (
    RELATIVE_PHONE,
    REPORTER,
    REPORTER_CONTACT,
    ROLES,
    World,
    api_token,
)

P = Permission
ROLE_NAMES = [r.value for r in ROLES]
DOCUMENT = b"%PDF-1.4\n% the mother's statement, scanned\n%%EOF\n"
DOCUMENT_NAME = "zayava-materi-kovalenko.pdf"
SECRETS = (
    REPORTER, REPORTER_CONTACT, RELATIVE_PHONE, "seen in Anapa", DOCUMENT_NAME,
    hashlib.sha256(DOCUMENT).hexdigest(),
)  # fmt: skip
"""What only roles that read sensitive fields may ever receive (a document's
name and hash among them: evidence)."""
WATCHED_TABLES = (
    "children", "records", "sources", "relatives", "events", "status_changes", "decisions",
    "match_candidates", "handover_lists", "list_changes", "list_versions", "list_entries",
    "list_deliveries", "list_answers", "facilities", "imports", "quarantine", "users",
    "documents", "return_plans",
)  # fmt: skip
"""Tables a refused request must leave as they were (the audit log and
sessions may grow: refusals and reads are noted)."""
CSV = (
    "Прізвище;Ім'я;По батькові;Дата народження;Стать\n"
    "Бондаренко;Софія;Андріївна;12.05.2013;ж\n"
    "Ткачук;Богдан;;31.02.2012;ч\n"
)


def allowed(*needed: Permission, any_of: tuple[Permission, ...] = ()) -> frozenset[str]:
    """The roles the domain's table gives every ``needed`` permission (and one
    of ``any_of``)."""
    return frozenset(
        role.value
        for role in ROLES
        if all(p in PERMISSIONS[role] for p in needed)
        and (not any_of or any(p in PERMISSIONS[role] for p in any_of))
    )


@dataclass
class Walk:
    """The objects the routes are walked on: made by the roles allowed to."""

    world: World
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)

    def call(self, role: str, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        return self.client.request(method, "/api/v1" + path, headers=headers, **kwargs)

    def ok(self, role: str, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        answer = self.call(role, method, path, **kwargs)
        assert answer.status_code == status, (role, method, path, answer.text)
        return answer.json()


@pytest.fixture
def walk(app_client: TestClient, world: World) -> Walk:
    done = Walk(world, app_client, {role: api_token(world, role) for role in ROLE_NAMES})
    child = world.child_number
    report = done.ok(
        "case_worker", "POST", "/reports", 201,
        json={"given_name": "Оксана", "family_name": "Левченко", "birth_date": "2015-02-03",
              "reporter_name": REPORTER, "reporter_contact": REPORTER_CONTACT},
    )  # fmt: skip
    records = done.ok("case_worker", "GET", f"/cases/{child}/records")
    made = done.ok(
        "case_worker", "POST", "/lists", 201,
        json={"title": "Round 7", "purpose": "return", "channel": "mediator",
              "recipient": "Ombudsman", "criteria": {}},
    )  # fmt: skip
    list_id = made["id"]
    done.ok(
        "case_worker", "POST", f"/lists/{list_id}/entries/add",
        json={"case_number": child, "reason": "mother asks for his return"},
    )  # fmt: skip
    done.ok("verifier", "POST", f"/lists/{list_id}/approve", json={})
    done.ok("verifier", "POST", f"/lists/{list_id}/freeze")
    done.ok(
        "verifier", "POST", f"/lists/{list_id}/versions/1/deliveries", 201,
        json={"delivered_on": "2026-11-20", "recipient": "Ombudsman", "channel": "mediator"},
    )  # fmt: skip
    answer = done.ok(
        "verifier", "POST", f"/lists/{list_id}/versions/1/answers", 201,
        json={"entry_number": 1, "answer": "located", "answered_on": "2026-11-22",
              "source": "mediator", "detail": "Anapa"},
    )  # fmt: skip
    facility = done.ok(
        "case_worker", "POST", "/facilities", 201,
        json={"name": "Табір «Сонячний»", "kind": "camp", "country": "RU"},
    )  # fmt: skip
    imported = done.ok(
        "case_worker", "POST", "/imports", 201,
        files={"file": ("agency.csv", io.BytesIO(CSV.encode("cp1251")), "text/csv")},
        data={"title": "Agency list"},
    )  # fmt: skip
    import_id = imported["result"]["import_id"]
    [held] = done.ok("case_worker", "GET", f"/imports/{import_id}/quarantine")["items"]
    document = done.ok(
        "case_worker", "POST", f"/cases/{child}/documents", 201,
        files={"file": (DOCUMENT_NAME, io.BytesIO(DOCUMENT), "application/pdf")},
        data={"kind": "proof_of_kinship"},
    )["id"]  # fmt: skip
    done.ok(
        "case_worker", "POST", f"/documents/{document}/working",
        files={"file": ("redacted.pdf", io.BytesIO(DOCUMENT + b" "), "application/pdf")},
        data={"note": "her address blacked out"},
    )  # fmt: skip
    done.ok("verifier", "POST", f"/documents/{document}/verify", json={})
    done.ok("case_worker", "POST", f"/cases/{child}/traveller", json={"relative_id": None,
            "name": "Коваленко Олена Петрівна", "role": "legal_representative"})  # fmt: skip
    done.ids.update(
        child=child, record=records["items"][0]["id"], report=report["record_id"],
        list=list_id, answer=answer["id"], facility=facility["id"], import_=import_id,
        job=imported["job_id"], held=held["id"], candidate=world.candidate_id,
        document=document,
    )  # fmt: skip
    return done


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    roles: frozenset[str]
    """Who the domain lets use it."""
    body: Callable[[Walk], dict[str, Any]] | None = None
    scoped: bool = False
    """About the world's own child or objects made by its case workers, so a
    partner (of another organisation) is answered 404 even where it holds the
    permission."""

    def url(self, walk: Walk) -> str:
        ids = walk.ids
        return self.path.format(
            child=ids["child"], record=ids["record"], report=ids["report"], list=ids["list"],
            answer=ids["answer"], facility=ids["facility"], import_=ids["import_"],
            job=ids["job"], held=ids["held"], candidate=ids["candidate"], version=1,
            document=ids["document"],
        )  # fmt: skip


def _report(_walk: Walk) -> dict[str, Any]:
    return {"given_name": "Іван", "family_name": "Сидоренко", "birth_date": "2011"}


READERS = allowed(P.READ_CASES)
LIST_READERS = allowed(P.READ_CASES, any_of=(P.COMPOSE_LISTS, P.APPROVE_LISTS))
LINKERS = allowed(any_of=(P.CREATE_RECORDS, P.REVIEW_MATCHES))
"""Linking a report to a case is what a reviewer does too."""
EVIDENCE = allowed(P.READ_CASES, P.READ_SENSITIVE)
"""Documents are evidence: only the roles that read sensitive values reach them."""
ROUTES = [
    Route("GET", "/search?q=Kovalenko", READERS),
    Route("GET", "/cases", READERS),
    Route("GET", "/cases/{child}", READERS, scoped=True),
    Route("GET", "/cases/{child}/records", READERS, scoped=True),
    Route("GET", "/records/{record}", READERS, scoped=True),
    Route("GET", "/cases/{child}/matches", READERS, scoped=True),
    Route("GET", "/review", allowed(P.REVIEW_MATCHES)),
    Route("GET", "/review/{candidate}", allowed(P.REVIEW_MATCHES)),
    Route("GET", "/imports", allowed(P.IMPORT_FILES)),
    Route("GET", "/imports/jobs/{job}", allowed(P.IMPORT_FILES)),
    Route("GET", "/imports/{import_}", allowed(P.IMPORT_FILES)),
    Route("GET", "/imports/{import_}/quarantine", allowed(P.IMPORT_FILES)),
    Route("GET", "/imports/{import_}/entries", allowed(P.IMPORT_FILES)),
    Route("GET", "/lists", LIST_READERS),
    Route("GET", "/lists/{list}", LIST_READERS),
    Route("GET", "/lists/{list}/entries", LIST_READERS),
    Route("GET", "/lists/{list}/difference?old=1&new=1", LIST_READERS),
    Route("GET", "/lists/{list}/versions/{version}/export?format=csv", LIST_READERS),
    Route("GET", "/lists/{list}/versions/{version}/deliveries", LIST_READERS),
    Route("GET", "/lists/{list}/versions/{version}/answers", LIST_READERS),
    Route("GET", "/lists/{list}/versions/{version}/reconciliation", LIST_READERS),
    Route("GET", "/lists/{list}/versions/{version}/reconciliation/export?format=csv", LIST_READERS),
    Route("GET", "/facilities", READERS),
    Route("GET", "/facilities/{facility}", READERS),
    Route("GET", "/statistics", allowed(P.READ_STATISTICS)),
    Route("GET", "/cases/{child}/documents", EVIDENCE, scoped=True),
    Route("GET", "/documents/{document}", EVIDENCE, scoped=True),
    Route("GET", "/documents/{document}/original", EVIDENCE, scoped=True),
    Route("GET", "/documents/{document}/working", EVIDENCE, scoped=True),
    Route("GET", "/cases/{child}/readiness", READERS, scoped=True),
    # changes: each with a request the allowed roles could make
    Route("POST", "/cases/{child}/status", allowed(P.MOVE_STATUS), scoped=True,
          body=lambda w: {"status": "under_verification", "reason": "walk"}),
    Route("POST", "/cases/{child}/merge", allowed(P.MERGE_CASES), scoped=True,
          body=lambda w: {"other_case_number": w.world.partner_child_number,
                          "keep_case_number": w.ids["child"], "reason": "walk"}),
    Route("POST", "/cases/{child}/unmerge", allowed(P.MERGE_CASES), scoped=True,
          body=lambda w: {"merged_case_number": w.world.partner_child_number,
                          "reason": "walk"}),
    Route("POST", "/cases/{child}/split", allowed(P.MERGE_CASES), scoped=True,
          body=lambda w: {"record_ids": [w.ids["record"]], "reason": "walk"}),
    Route("POST", "/cases/{child}/assign", allowed(P.EDIT_CASES), scoped=True,
          body=lambda w: {"username": "case_worker"}),
    Route("POST", "/cases/{child}/documents", allowed(P.EDIT_CASES, P.READ_SENSITIVE),
          scoped=True),
    Route("POST", "/documents/{document}/working", allowed(P.EDIT_CASES, P.READ_SENSITIVE),
          scoped=True),
    Route("POST", "/documents/{document}/verify", allowed(P.VERIFY_CASES, P.READ_SENSITIVE),
          scoped=True, body=lambda w: {}),
    Route("POST", "/cases/{child}/traveller", allowed(P.EDIT_CASES), scoped=True,
          body=lambda w: {"name": "walk", "role": "official"}),
    Route("POST", "/reports", allowed(P.CREATE_RECORDS), body=_report),
    Route("POST", "/reports/{report}/link", LINKERS, scoped=True,
          body=lambda w: {"case_number": w.ids["child"], "reason": "walk"}),
    Route("POST", "/reports/{report}/case", allowed(P.CREATE_RECORDS), scoped=True,
          body=lambda w: {"category": "deported", "reason": "walk"}),
    Route("POST", "/review/{candidate}/decision", allowed(P.REVIEW_MATCHES),
          body=lambda w: {"action": "reject", "reason": "walk"}),
    Route("POST", "/imports", allowed(P.IMPORT_FILES)),
    Route("POST", "/imports/{import_}/quarantine/{held}", allowed(P.IMPORT_FILES),
          body=lambda w: {"values": {"birth_date": "28.02.2012"}, "reason": "walk"}),
    Route("POST", "/imports/{import_}/quarantine/{held}/discard", allowed(P.IMPORT_FILES),
          body=lambda w: {"reason": "walk"}),
    Route("POST", "/lists", allowed(P.COMPOSE_LISTS),
          body=lambda w: {"title": "t", "purpose": "p", "channel": "c", "recipient": "r"}),
    Route("POST", "/lists/{list}/entries/add", allowed(P.COMPOSE_LISTS),
          body=lambda w: {"case_number": w.world.partner_child_number, "reason": "walk"}),
    Route("POST", "/lists/{list}/entries/remove", allowed(P.COMPOSE_LISTS),
          body=lambda w: {"case_number": w.ids["child"], "reason": "walk"}),
    Route("POST", "/lists/{list}/fields", allowed(P.COMPOSE_LISTS),
          body=lambda w: {"field": "residence", "justification": "walk"}),
    Route("POST", "/lists/{list}/approve", allowed(P.APPROVE_LISTS), body=lambda w: {}),
    Route("POST", "/lists/{list}/freeze", allowed(P.APPROVE_LISTS)),
    Route("POST", "/lists/{list}/versions", allowed(P.COMPOSE_LISTS)),
    Route("POST", "/lists/{list}/versions/{version}/deliveries", allowed(P.COMPOSE_LISTS),
          body=lambda w: {"delivered_on": "2026-11-21", "recipient": "x", "channel": "y"}),
    Route("POST", "/lists/{list}/versions/{version}/answers", allowed(P.COMPOSE_LISTS),
          body=lambda w: {"entry_number": 1, "answer": "returned", "answered_on": "2026-11-23",
                          "source": "walk"}),
    Route("POST", "/lists/{list}/versions/{version}/answers/import", allowed(P.COMPOSE_LISTS)),
    Route("POST", "/lists/{list}/answers/{answer}/confirm", allowed(P.MOVE_STATUS),
          body=lambda w: {"reason": "walk"}),
    Route("POST", "/facilities", allowed(P.MANAGE_FACILITIES),
          body=lambda w: {"name": "Інтернат", "kind": "institution", "country": "RU"}),
    Route("PATCH", "/facilities/{facility}", allowed(P.MANAGE_FACILITIES),
          body=lambda w: {"note": "walk"}),
]  # fmt: skip
UPLOADS = {
    "/cases/{child}/documents": lambda: {
        "files": {"file": ("walk.pdf", io.BytesIO(b"%PDF walk"), "application/pdf")},
        "data": {"kind": "photo"},
    },
    "/documents/{document}/working": lambda: {
        "files": {"file": ("walk.pdf", io.BytesIO(b"%PDF walk"), "application/pdf")},
        "data": {"note": "walk"},
    },
    "/imports": lambda: {
        "files": {"file": ("other.csv", io.BytesIO(CSV.encode("utf-8") + b"\n"), "text/csv")}
    },
    "/lists/{list}/versions/{version}/answers/import": lambda: {
        "files": {"file": ("reply.csv", io.BytesIO(b"No,Answer\n1,returned\n"), "text/csv")},
        "data": {"source": "walk"},
    },
}


def _template(path: str) -> str:
    """``/cases/{case_number}/status`` and ``/cases/{child}/status`` alike."""
    parts = [("{}" if p.startswith("{") else p) for p in path.split("?")[0].split("/")]
    return "/".join(parts)


def test_every_route_of_the_api_is_walked(app_client: TestClient) -> None:
    spec = app_client.get("/api/v1/openapi.json").json()
    served = {
        (method.upper(), _template(path))
        for path, operations in spec["paths"].items()
        for method in operations
    }
    walked = {(r.method, _template(r.path)) for r in ROUTES}
    assert served == walked, (
        f"not walked: {sorted(served - walked)}; gone: {sorted(walked - served)}"
    )


def _snapshot(world: World) -> dict[str, list[tuple[Any, ...]]]:
    with world.registry.uow(write=False) as uow:
        out = {}
        for name in WATCHED_TABLES:
            table = Base.metadata.tables[name]
            rows = uow.session.execute(select(table).order_by(*table.primary_key.columns))
            out[name] = [tuple(row) for row in rows]
        return out


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _requests(walk: Walk, route: Route) -> Iterator[dict[str, Any]]:
    upload = UPLOADS.get(route.path)
    if upload is not None:
        yield upload()
    elif route.body is not None:
        yield {"json": route.body(walk)}
    else:
        yield {}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_reads_what_it_may_and_changes_nothing_it_may_not(walk: Walk, role: str) -> None:
    sensitive = P.READ_SENSITIVE in PERMISSIONS[Role(role)]
    for route in (r for r in ROUTES if r.method == "GET"):
        answer = walk.call(role, "GET", route.url(walk))
        if role in route.roles and not (route.scoped and role == "partner"):
            assert answer.status_code == 200, (role, route.path, answer.text)
        else:
            assert answer.status_code in (403, 404), (role, route.path, answer.status_code)
            assert "error" in answer.json()
        if not sensitive:
            assert not _leaks(answer.text), (role, route.path, _leaks(answer.text))

    before = _snapshot(walk.world)
    refused = 0
    for route in (r for r in ROUTES if r.method != "GET"):
        if role in route.roles and not (route.scoped and role == "partner"):
            continue  # the fixture and the area tests do these
        for request in _requests(walk, route):
            answer = walk.call(role, route.method, route.url(walk), **request)
            assert answer.status_code in (403, 404), (role, route.path, answer.text)
            assert not _leaks(answer.text)
            refused += 1
    assert _snapshot(walk.world) == before, f"{role} changed the registry"
    if role in ("analyst", "auditor"):
        assert refused == len([r for r in ROUTES if r.method != "GET"])
