"""A new report: typed once, candidate children shown while it is typed, then
linked to a case or given a case of its own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.model import Category
from homeward.domain.roles import Actor, Permission
from homeward.errors import Invalid
from homeward.linkage.search import search
from homeward.services import intake, worklist
from homeward.web.deps import page_actor, read_form, render, state
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])

DATE_HINT = "YYYY-MM-DD, or YYYY-MM, or YYYY"
REPORT_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (field, label, hint): the label and hint are English texts of messages/core.py
    ("family_name", "Family name", ""),
    ("given_name", "Given name", ""),
    ("patronymic", "Patronymic", ""),
    ("sex", "Sex", "m (boy) or f (girl)"),
    ("birth_date", "Date of birth", DATE_HINT),
    ("birth_place", "Place of birth", ""),
    ("residence", "Residence before removal", ""),
    ("mother_name", "Mother's name", ""),
    ("father_name", "Father's name", ""),
    ("removal_date", "Date of removal", DATE_HINT),
    ("removal_place", "Place of removal", ""),
    ("removal_circumstances", "How the child was taken", ""),
    ("last_known_location", "Last known location", ""),
    ("reporter_name", "Who reports", ""),
    ("reporter_contact", "Reporter's contact", ""),
    ("notes", "Notes", ""),
)
FIELD_NAMES = frozenset(name for name, _, _ in REPORT_FIELDS)


def report_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELD_NAMES:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            values[name] = value.strip()
    return values


@router.get("/reports/new")
def new_report(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.CREATE_RECORDS)
    return render(request, "report_new.html", {"fields": REPORT_FIELDS, "values": {}})


@router.post("/reports/candidates")
def live_candidates(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    actor.require(Permission.CREATE_RECORDS)
    values = report_values(form)
    web = state(request)
    found: list[Any] = []
    names: dict[int, str] = {}
    matched = {
        k: v for k, v in values.items() if k not in ("reporter_name", "reporter_contact", "notes")
    }
    if matched:
        with web.registry.uow(actor, write=False) as uow:
            try:
                found = search(uow, matched, model=web.model, limit=5)
            except Invalid:
                found = []  # a date still being typed
            names = worklist.case_names(uow, [c.child_id for c in found if c.child_id])
    return render(request, "_candidates.html", {"found": found, "names": names, "record_id": None})


@router.post("/reports")
def take_report(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    values = report_values(form)
    web = state(request)
    if not values:
        return render(
            request, "report_new.html",
            {"fields": REPORT_FIELDS, "values": values, "error": "The report is empty."},
            status_code=422,
        )  # fmt: skip
    try:
        with web.registry.uow(actor) as uow:
            record_id = intake.take_report(uow, values, model=web.model, find=False).record.id
            uow.commit()
    except Invalid as err:
        field, _, detail = str(err).partition(": ")
        known = field in FIELD_NAMES and detail
        return render(
            request, "report_new.html",
            {"fields": REPORT_FIELDS, "values": values, "error": detail if known else str(err),
             "error_field": field if known else None},
            status_code=422,
        )  # fmt: skip
    with web.registry.uow(actor, write=False) as uow:
        found = intake.report_candidates(uow, values, record_id, model=web.model)
        names = worklist.case_names(uow, [c.child_id for c in found if c.child_id])
    return render(
        request, "report_taken.html",
        {"record_id": record_id, "found": found, "names": names,
         "categories": list(Category)},
    )  # fmt: skip


@router.post("/reports/{record_id}/link")
def link(
    request: Request,
    record_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    child_id = int(str(form.get("child_id") or 0))
    reason = str(form.get("reason") or "")
    with state(request).registry.uow(actor) as uow:
        child = intake.link_report(uow, record_id, child_id, reason=reason)
        uow.commit()
    return RedirectResponse(f"/cases/{child.case_number}", status_code=303)


@router.post("/reports/{record_id}/new-case")
def new_case(
    request: Request,
    record_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    try:
        category = Category(str(form.get("category") or ""))
    except ValueError as err:
        raise Invalid("category: choose one of the categories") from err
    reason = str(form.get("reason") or "new report")
    with state(request).registry.uow(actor) as uow:
        child = intake.open_case_for_report(uow, record_id, category=category, reason=reason)
        uow.commit()
    return RedirectResponse(f"/cases/{child.case_number}", status_code=303)
