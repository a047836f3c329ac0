"""The public report form (no sign-in) and the triage queue where case workers
decide what each report sent through it is (docs/public.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.model import Category, Relationship
from homeward.domain.roles import Actor
from homeward.errors import Invalid
from homeward.services import triage
from homeward.web.deps import page_actor, read_form, render, state
from homeward.web.ratelimit import public_report_limit
from homeward.web.security import UNSAFE_METHODS, client_address, csrf_protect

MAX_BODY = 96 * 1024
"""The largest form this router reads: every field at its longest, in
Cyrillic, percent-encoded, fits (about 60 KB)."""
HONEYPOT = "website"
"""A field people never see or fill; a program that fills every field does."""


def limit_body(request: Request) -> None:
    """Refuse an oversized form before anything reads it."""
    if request.method not in UNSAFE_METHODS:
        return
    length = request.headers.get("content-length")
    if length is None:
        raise HTTPException(411)
    if not length.isdigit() or int(length) > MAX_BODY:
        raise HTTPException(413)


router = APIRouter(dependencies=[Depends(limit_body), Depends(csrf_protect)])

SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    # (legend, ((field, label, kind), ...)); kind: text, area, sex, relationship
    (
        "The child",
        (
            ("family_name", "Family name", "text"),
            ("given_name", "Given name", "text"),
            ("patronymic", "Patronymic", "text"),
            ("birth_date", "Date of birth", "text"),
            ("sex", "Sex", "sex"),
        ),
    ),
    (
        "How the child was taken",
        (
            ("removal_place", "Where the child was taken from", "text"),
            ("removal_date", "When the child was taken", "text"),
            ("removal_circumstances", "What happened", "area"),
            ("last_known_location", "Last known location", "text"),
        ),
    ),
    (
        "You",
        (
            ("reporter_name", "Your name", "text"),
            ("reporter_relationship", "Your relationship to the child", "relationship"),
            ("reporter_contact", "How to reach you", "text"),
            ("notes", "Anything else we should know", "area"),
        ),
    ),
)
HINTS = {
    "birth_date": "For example 04.03.2012, or 2012 if only the year is known.",
    "removal_place": "Town or village, and oblast.",
    "removal_date": "For example 15.09.2022, or 2022-09.",
    "removal_circumstances": "Who took the child, who was with the child, what you were told.",
    "last_known_location": "The town, camp or institution where the child was last known to be.",
    "reporter_contact": "A telephone number, an e-mail address or a messenger.",
}
SEX_CHOICES = (("m", "Boy"), ("f", "Girl"), ("u", "Not known"))
RELATIONSHIP_LABELS = {
    Relationship.MOTHER: "Mother",
    Relationship.FATHER: "Father",
    Relationship.GRANDMOTHER: "Grandmother",
    Relationship.GRANDFATHER: "Grandfather",
    Relationship.SIBLING: "Brother or sister",
    Relationship.AUNT: "Aunt",
    Relationship.UNCLE: "Uncle",
    Relationship.GUARDIAN: "Guardian",
    Relationship.FOSTER_PARENT: "Foster parent",
    Relationship.OTHER: "Someone else",
}
LABELS = {name: label for _, fields in SECTIONS for name, label, _ in fields}
LABELS["consent"] = "Consent"


def _form_context(
    values: dict[str, str], problems: list[triage.Problem], consent: bool
) -> dict[str, Any]:
    return {
        "sections": SECTIONS,
        "hints": HINTS,
        "values": values,
        "problems": problems,
        "errors": {p.field: p for p in problems},
        "labels": LABELS,
        "limits": triage.LIMITS,
        "sex_choices": SEX_CHOICES,
        "relationships": [(r.value, label) for r, label in RELATIONSHIP_LABELS.items()],
        "consent": consent,
        "honeypot": HONEYPOT,
    }


@router.get("/report")
def report_form(request: Request) -> Response:
    return render(request, "public_report.html", _form_context({}, [], False))


@router.post("/report")
def report_submit(request: Request, form: FormData = Depends(read_form)) -> Response:
    limit = public_report_limit(request)
    address = client_address(request)
    wait = limit.retry_after(address)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        response = render(request, "public_limited.html", {"minutes": minutes}, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    trap = form.get(HONEYPOT)
    if isinstance(trap, str) and trap.strip():
        # A program filled the field people cannot see: thank it, keep nothing.
        limit.hit(address)
        return render(request, "public_thanks.html", {"reference": triage.new_reference()})
    values = triage.public_values(form)
    consent = form.get("consent") == "yes"
    problems = triage.check_public_report(values, consent=consent)
    if problems:
        return render(
            request, "public_report.html", _form_context(values, problems, consent),
            status_code=422,
        )  # fmt: skip
    with state(request).registry.uow(triage.PUBLIC_FORM_ACTOR) as uow:
        received = triage.receive_public_report(uow, values, consent=consent)
        uow.commit()
    limit.hit(address)
    return render(request, "public_thanks.html", {"reference": received.reference})


@router.get("/triage")
def triage_queue(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    with state(request).registry.uow(actor, write=False) as uow:
        items = triage.waiting(uow)
        rejected = triage.rejected(uow)
    return render(
        request, "triage_queue.html",
        {"items": items, "rejected": rejected, "relationships": RELATIONSHIP_LABELS},
    )  # fmt: skip


@router.get("/triage/{record_id}")
def triage_report(request: Request, record_id: int, actor: Actor = Depends(page_actor)) -> Response:
    web = state(request)
    with web.registry.uow(actor) as uow:
        item = triage.open_report(uow, record_id, model=web.model)
        uow.commit()
    return render(
        request, "triage_report.html",
        {"item": item, "record": item.record, "categories": list(Category),
         "relationships": RELATIONSHIP_LABELS, "sexes": dict(SEX_CHOICES)},
    )  # fmt: skip


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/triage/{record_id}/link")
def triage_link(
    request: Request,
    record_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    child_id = _text(form, "child_id")
    if not child_id.isdigit():
        raise Invalid("child_id: choose one of the cases")
    with state(request).registry.uow(actor) as uow:
        child = triage.link(uow, record_id, int(child_id), reason=_text(form, "reason"))
        uow.commit()
    return RedirectResponse(f"/cases/{child.case_number}", status_code=303)


@router.post("/triage/{record_id}/new-case")
def triage_new_case(
    request: Request,
    record_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    try:
        category = Category(_text(form, "category"))
    except ValueError as err:
        raise Invalid("category: choose one of the categories") from err
    with state(request).registry.uow(actor) as uow:
        child = triage.open_case(uow, record_id, category=category, reason=_text(form, "reason"))
        uow.commit()
    return RedirectResponse(f"/cases/{child.case_number}", status_code=303)


@router.post("/triage/{record_id}/reject")
def triage_reject(
    request: Request,
    record_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    with state(request).registry.uow(actor) as uow:
        triage.reject(uow, record_id, reason=_text(form, "reason"))
        uow.commit()
    return RedirectResponse("/triage", status_code=303)
