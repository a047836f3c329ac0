"""Handover lists: compose, approve, freeze, export, deliver, answers and the tally.

Who may do what is the services' decision (``compose_lists``, ``approve_lists``);
reading a list needs one of the two, since a list names children and where
they are held."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field
from starlette.responses import Response

from homeward import keys
from homeward.domain.model import Category
from homeward.domain.roles import Actor
from homeward.domain.status import Status
from homeward.errors import Invalid, NotFound
from homeward.services import answers, lists, worklist
from homeward.services.answers import Answer
from homeward.storage.tables import ListVersionRow
from homeward.storage.uow import UnitOfWork
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import Page
from homeward.web.pages.lists import MAX_UPLOAD, export_file, tally_file

router = APIRouter(tags=["lists"])

Language = Literal["uk", "en", "ru"]


class ListCriteria(BaseModel):
    """The saved search: every child it finds is on the list (merged duplicates never)."""

    category: list[Category] | None = None
    status: list[Status] | None = None
    oblast: list[str] | None = Field(
        default=None, description="Oblast of origin, by name or code (UA-65)"
    )
    located_in_russia: bool = False
    requested_by_representative: bool = Field(
        default=False, description="A legal representative asked for the return"
    )


class ListCreate(BaseModel):
    title: str
    purpose: str
    channel: str = Field(description="Negotiation round, mediator, ICRC...")
    recipient: str
    languages: list[Language] = Field(default=["uk", "en"])
    criteria: ListCriteria = Field(default_factory=ListCriteria)


class EntryChange(BaseModel):
    case_number: str
    reason: str = Field(description="Kept with the change")


class FieldAdd(BaseModel):
    field: str = Field(description=f"One of {', '.join(lists.EXTRA_FIELDS)}")
    justification: str


class Approval(BaseModel):
    accept_without_representative: bool = Field(
        default=False,
        description="Approve although some entries have no legal representative who asked "
        "for the return (the other side rejects such entries)",
    )


class DeliveryCreate(BaseModel):
    delivered_on: str = Field(description="YYYY-MM-DD, not in the future")
    recipient: str
    channel: str
    note: str | None = None


class AnswerCreate(BaseModel):
    entry_number: int
    answer: Answer
    answered_on: str = Field(description="YYYY-MM-DD, not in the future")
    source: str = Field(description="Who answered, through what")
    detail: str | None = Field(default=None, description="Where the child is; what they dispute")


class MoveConfirmation(BaseModel):
    reason: str


def _version(version: ListVersionRow) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat(timespec="seconds") if value is not None else None

    found: dict[str, Any] = {
        "number": version.number, "status": version.status,
        "created_by": version.created_by, "created_at": when(version.created_at),
        "approved_by": version.approved_by, "approved_at": when(version.approved_at),
        "frozen_by": version.frozen_by, "frozen_at": when(version.frozen_at),
    }  # fmt: skip
    if version.status == "frozen":
        found.update(
            entries=version.entries, sha256=version.content_sha256,
            key_fingerprint=lists.key_fingerprint(version.public_key or ""),
        )  # fmt: skip
    return found


def _summary(uow: UnitOfWork, list_id: int) -> dict[str, Any]:
    row = lists.get_list(uow, list_id)
    versions = lists.versions_of(uow, list_id)
    return {
        "id": row.id, "title": row.title, "purpose": row.purpose, "channel": row.channel,
        "recipient": row.recipient, "languages": row.languages, "criteria": row.criteria,
        "extra_fields": row.extra_fields, "author": row.author,
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "current_version": _version(versions[-1]),
        "versions": [_version(v) for v in versions],
        "changes": [asdict(c) for c in lists.changes_of(uow, list_id)],
    }  # fmt: skip


def _read(request: Request, actor: Actor) -> Any:
    lists.require_reader(actor)
    return api_state(request).registry.uow(actor, write=False)


def _write(request: Request, actor: Actor) -> Any:
    lists.require_reader(actor)
    return api_state(request).registry.uow(actor)


@router.get("/lists", response_model=Page)
def list_lists(
    request: Request,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """Every list with its current version and entry count: drafts (waiting for
    approval) first, then approved, then frozen; newest first within."""
    with _read(request, actor) as uow:
        found = [asdict(item) for item in lists.overview(uow)]
    return Page(items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset)


@router.post("/lists", status_code=201)
def create_list(request: Request, body: ListCreate, actor: Actor = Depends(api_actor)) -> Any:
    """A new list from a saved search; its first version is a draft."""
    criteria = body.criteria.model_dump(exclude_none=True, exclude_defaults=True)
    with _write(request, actor) as uow:
        row = lists.create_list(
            uow, title=body.title, purpose=body.purpose, channel=body.channel,
            recipient=body.recipient, languages=list(body.languages),
            criteria={k: [str(x) for x in v] if isinstance(v, list) else v
                      for k, v in criteria.items()},
        )  # fmt: skip
        uow.commit()
        return _summary(uow, row.id)


@router.get("/lists/{list_id}")
def get_one(request: Request, list_id: int, actor: Actor = Depends(api_actor)) -> Any:
    """The list, its versions (with the SHA-256 of the frozen ones) and the changes by hand."""
    with _read(request, actor) as uow:
        return _summary(uow, list_id)


@router.get("/lists/{list_id}/entries")
def entries(
    request: Request, list_id: int,
    version: int | None = Query(default=None, description="A version; default the current"),
    actor: Actor = Depends(api_actor),
) -> Any:  # fmt: skip
    """The entries of a frozen version exactly as frozen, or of the draft as they
    would be handed over now, with those lacking a requesting representative."""
    with _read(request, actor) as uow:
        versions = lists.versions_of(uow, list_id)
        shown = versions[-1] if version is None else next(
            (v for v in versions if v.number == version), None
        )  # fmt: skip
        if shown is None:
            raise NotFound(f"list {list_id} has no version {version}")
        if shown.status == "frozen":
            fields, found = lists.frozen_entries(shown)
            flagged: list[str] = []
        elif shown is versions[-1]:
            draft = lists.draft_entries(uow, list_id)
            fields, found, flagged = draft.fields, draft.entries, draft.without_representative
        else:
            raise Invalid(f"version: {shown.number} was never frozen")
        return {"version": shown.number, "status": shown.status, "fields": fields,
                "entries": found, "without_representative": flagged}  # fmt: skip


def _change(request: Request, list_id: int, body: EntryChange, actor: Actor, action: str) -> Any:
    with _write(request, actor) as uow:
        child_id, _number = worklist.case_id(uow, body.case_number)
        lists.change_child(uow, list_id, child_id, action, reason=body.reason)
        uow.commit()
        return _summary(uow, list_id)


@router.post("/lists/{list_id}/entries/add")
def add_entry(
    request: Request, list_id: int, body: EntryChange, actor: Actor = Depends(api_actor)
) -> Any:
    """Add a child to the draft by hand, with the reason."""
    return _change(request, list_id, body, actor, "add")


@router.post("/lists/{list_id}/entries/remove")
def remove_entry(
    request: Request, list_id: int, body: EntryChange, actor: Actor = Depends(api_actor)
) -> Any:
    """Leave a child the search brings out of the draft, with the reason."""
    return _change(request, list_id, body, actor, "remove")


@router.post("/lists/{list_id}/fields")
def add_field(
    request: Request, list_id: int, body: FieldAdd, actor: Actor = Depends(api_actor)
) -> Any:
    """A field beyond the "do no harm" profile, with its justification; contacts,
    the reporter, evidence, health data and the like are refused (403)."""
    with _write(request, actor) as uow:
        lists.add_field(uow, list_id, body.field, justification=body.justification)
        uow.commit()
        return _summary(uow, list_id)


@router.post("/lists/{list_id}/approve")
def approve(
    request: Request, list_id: int, body: Approval, actor: Actor = Depends(api_actor)
) -> Any:
    """A verifier who is not the list's author approves the draft (403 for the author)."""
    with _write(request, actor) as uow:
        version = lists.approve(
            uow, list_id, accept_without_representative=body.accept_without_representative
        )
        uow.commit()
        return _version(version)


@router.post("/lists/{list_id}/freeze")
def freeze(request: Request, list_id: int, actor: Actor = Depends(api_actor)) -> Any:
    """Freeze the approved version: its entries, SHA-256 and the registry's signature."""
    key_dir = api_state(request).settings.data_dir / "keys"
    with _write(request, actor) as uow:
        version = lists.freeze(uow, list_id, keys.load_or_create_signing_key(key_dir))
        uow.commit()
        return _version(version)


@router.post("/lists/{list_id}/versions", status_code=201)
def new_version(request: Request, list_id: int, actor: Actor = Depends(api_actor)) -> Any:
    """Start the next version, a draft, after a frozen one."""
    with _write(request, actor) as uow:
        version = lists.new_version(uow, list_id)
        uow.commit()
        return _version(version)


@router.get("/lists/{list_id}/difference")
def difference(
    request: Request, list_id: int,
    old: int = Query(description="A frozen version"),
    new: int | None = Query(default=None, description="Another frozen one; default the draft"),
    actor: Actor = Depends(api_actor),
) -> Any:  # fmt: skip
    """What a version adds, removes and changes (case number -> fields) against a frozen one."""
    with _read(request, actor) as uow:
        found = lists.difference(uow, list_id, old, new)
    return {"old": old, "new": new, "added": found.added, "removed": found.removed,
            "changed": found.changed}  # fmt: skip


@router.get(
    "/lists/{list_id}/versions/{number}/export",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/csv": {}, "application/json": {}}}},
)
def export(
    request: Request, list_id: int, number: int,
    format: Literal["json", "csv", "xlsx", "pdf"] = "json", language: Language = "uk",
    actor: Actor = Depends(api_actor),
) -> Response:  # fmt: skip
    """A frozen version as a file: ``json`` (the signed document), ``csv``, ``xlsx``,
    or ``pdf`` in ``language``.  Every export is written to the audit trail."""
    lists.require_reader(actor)
    return export_file(api_state(request).registry, actor, list_id, number, format, language)


@router.get("/lists/{list_id}/versions/{number}/deliveries")
def list_deliveries(
    request: Request, list_id: int, number: int, actor: Actor = Depends(api_actor)
) -> Any:
    """The handovers of a frozen version, in the order they happened."""
    with _read(request, actor) as uow:
        return {"items": [asdict(d) for d in lists.deliveries_of(uow, list_id, number)]}


@router.post("/lists/{list_id}/versions/{number}/deliveries", status_code=201)
def deliver(
    request: Request, list_id: int, number: int, body: DeliveryCreate,
    actor: Actor = Depends(api_actor),
) -> Any:  # fmt: skip
    """Record that a frozen version was handed over: when, to whom, how."""
    with _write(request, actor) as uow:
        row = lists.deliver(
            uow, list_id, number, delivered_on=body.delivered_on, recipient=body.recipient,
            channel=body.channel, note=body.note,
        )  # fmt: skip
        uow.commit()
        return next(asdict(d) for d in lists.deliveries_of(uow, list_id, number) if d.id == row.id)


@router.get("/lists/{list_id}/versions/{number}/answers")
def list_answers(
    request: Request, list_id: int, number: int, actor: Actor = Depends(api_actor)
) -> Any:
    """Every answer to the version, oldest first, with the status move it implies
    and who confirmed it."""
    with _read(request, actor) as uow:
        return {"items": [asdict(a) for a in answers.answers_of(uow, list_id, number)]}


@router.post("/lists/{list_id}/versions/{number}/answers", status_code=201)
def record_answer(
    request: Request, list_id: int, number: int, body: AnswerCreate,
    actor: Actor = Depends(api_actor),
) -> Any:  # fmt: skip
    """Record the other side's answer for one entry (it goes on the child's timeline)."""
    with _write(request, actor) as uow:
        row = answers.record_answer(
            uow, list_id, number, body.entry_number, body.answer,
            answered_on=body.answered_on, source=body.source, detail=body.detail,
        )  # fmt: skip
        uow.commit()
        return next(asdict(a) for a in answers.answers_of(uow, list_id, number) if a.id == row.id)


@router.post("/lists/{list_id}/versions/{number}/answers/import")
async def import_answers(
    request: Request, list_id: int, number: int,
    file: UploadFile = File(description="The file they returned: CSV or XLSX"),
    source: str = Form(description="Who answered, through what"),
    answered_on: str | None = Form(default=None, description="YYYY-MM-DD; default today"),
    actor: Actor = Depends(api_actor),
) -> Any:  # fmt: skip
    """Record the answers of a returned file, matched by entry number or by names
    and birth date; rows that match nothing are reported, not guessed."""
    lists.require_reader(actor)
    data = await file.read(MAX_UPLOAD + 1)
    name = Path(file.filename or "answers.csv").name
    if len(data) > MAX_UPLOAD:
        raise Invalid(f"{name}: larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with _write(request, actor) as uow:
            result = answers.import_answers(
                uow, list_id, number, str(path), source=source, answered_on=answered_on or None
            )
            uow.commit()
    return {
        "rows": result.rows, "recorded": result.recorded, "by_number": result.by_number,
        "by_identity": result.by_identity, "not_matched": result.problems,
        "assigned": {str(row): entry for row, entry in sorted(result.assigned.items())},
    }  # fmt: skip


@router.post("/lists/{list_id}/answers/{answer_id}/confirm")
def confirm(
    request: Request, list_id: int, answer_id: int, body: MoveConfirmation,
    actor: Actor = Depends(api_actor),
) -> Any:  # fmt: skip
    """Make the status move an answer implies, now that a person confirmed it."""
    with _write(request, actor) as uow:
        answers.check_answer_of(uow, list_id, answer_id)
        child = answers.confirm_move(uow, answer_id, reason=body.reason)
        uow.commit()
        return {"case_number": child.case_number, "status": child.status,
                "status_detail": child.status_detail}  # fmt: skip


@router.get("/lists/{list_id}/versions/{number}/reconciliation")
def reconciliation(
    request: Request, list_id: int, number: int, actor: Actor = Depends(api_actor)
) -> Any:
    """The figures negotiators quote: the latest answer of every entry counted, the
    delivery and the days since, disputed entries, children on several lists and
    answered on none, children the other side's own lists name; then every entry."""
    with _read(request, actor) as uow:
        tally = answers.reconcile(uow, list_id, number)
        rows = answers.tally_rows(uow, list_id, number)
    return {
        "list_id": tally.list_id, "title": tally.title, "version": tally.version,
        "entries": tally.entries, "by_answer": tally.by_answer, "sentence": tally.sentence(),
        "delivered_on": tally.delivered_on, "days_since_delivery": tally.days_since_delivery,
        "disputed": tally.disputed, "waiting_on_several_lists": tally.waiting_on_several_lists,
        "on_their_lists": tally.on_their_lists,
        "without_answer": [r[1] for r in rows if r[9] == 0],
        "rows": [dict(zip(answers.TALLY_COLUMNS, r, strict=True)) for r in rows],
    }  # fmt: skip


@router.get(
    "/lists/{list_id}/versions/{number}/reconciliation/export",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/csv": {}, "application/json": {}}}},
)
def reconciliation_export(
    request: Request, list_id: int, number: int,
    format: Literal["json", "csv", "xlsx", "pdf"] = "xlsx", language: Language = "uk",
    actor: Actor = Depends(api_actor),
) -> Response:  # fmt: skip
    """The tally as a table (the counts first, then every entry) or a PDF report."""
    lists.require_reader(actor)
    return tally_file(api_state(request).registry, actor, list_id, number, format, language)
