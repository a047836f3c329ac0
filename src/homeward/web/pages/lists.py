"""Handover lists in the browser: compose, check the entries, approve, freeze,
download, deliver, record the other side's answers and read the tally.

Every change goes through :mod:`homeward.services.lists` and
:mod:`homeward.services.answers`, which decide who may do what.  Lists hold
children's names: only the roles that compose or approve lists open them.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from homeward import keys
from homeward.domain.roles import Actor
from homeward.errors import HomewardError, Invalid, NotFound
from homeward.services import answers, evidence, lists, worklist
from homeward.services.answers import Answer
from homeward.services.registry_app import Registry
from homeward.web.deps import language, page_actor, read_form, render, state
from homeward.web.evidence import labels as evidence_labels
from homeward.web.i18n import CATEGORY_LABELS, STATUS_LABELS, Translator
from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])

ANSWER_LABELS = {
    "no_answer": "No answer",
    "partial_information": "Partial information",
    "located": "Located",
    "not_found": "Not found",
    "claims_not_in_russia": "Claims the child is not in Russia",
    "claims_adult": "Claims the child is an adult",
    "agreed_to_return": "Agreed to return",
    "returned": "Returned",
    "deceased": "Deceased",
    "disputed": "Disputed",
}
DETAIL_LABELS = {"russia": "in Russia", "requested": "return requested", "deceased": "deceased"}
"""The details of the status moves answers imply."""
VERSION_LABELS = {"draft": "Draft", "approved": "Approved", "frozen": "Frozen"}
FIELD_LABELS = {
    "birth_place": "Place of birth",
    "residence": "Residence before removal",
    "document_ids": "Documents",
    "mother_name": "Mother's name",
    "father_name": "Father's name",
    "status": "Status",
}
MAX_UPLOAD = 20 * 1024 * 1024
FRIENDLY = {
    "someone other than its author": (
        "A list is approved by someone other than its author: ask another verifier."
    ),
    "can never be on a handover list": (
        "This field can never be on a handover list: it endangers people or investigations."
    ),
    "may not approve lists": "Your role may not approve lists: a verifier approves them.",
    "may not compose lists": "Your role may not compose lists.",
}
"""Refusals people meet often, said in their language (the service's words follow)."""


def labels(tr: Translator) -> dict[str, Any]:
    """What the list templates translate values with."""
    return {
        "answer_label": lambda value: tr.label(ANSWER_LABELS, value),
        "version_label": lambda value: tr.label(VERSION_LABELS, value),
        "field_label": lambda value: tr.label(FIELD_LABELS, value),
        "detail_label": lambda value: tr.label(DETAIL_LABELS, value),
        "answer_values": list(ANSWER_LABELS),
        "implied_moves": {a.value: m for a, m in answers.IMPLIED_MOVES.items()},
    }


def _translator(request: Request) -> Translator:
    return Translator(language(request), state(request).settings.time_zone)


def _problem(request: Request, err: HomewardError) -> str:
    tr = _translator(request)
    message = str(err)
    for words, friendly in FRIENDLY.items():
        if words in message:
            return f"{tr.gettext(friendly)} ({message})"
    return message


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


# --- files ---------------------------------------------------------------------------------

EXPORTS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
TALLY_EXPORTS = EXPORTS


def _file(path: Path, format: str, name: str) -> Response:
    return Response(
        path.read_bytes(), media_type=EXPORTS[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


def export_file(
    registry: Registry, actor: Actor, list_id: int, number: int, format: str, language: str
) -> Response:
    """A frozen version as a file, written by the service (which notes the export
    in the audit trail)."""
    lists.check_export(format, language)
    name = f"list-{list_id}-version-{number}" + (f"-{language}" if format == "pdf" else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.{format}"
        with registry.uow(actor) as uow:
            lists.export_version(uow, list_id, number, path, format=format, language=language)
            uow.commit()
        return _file(path, format, path.name)


def tally_file(
    registry: Registry, actor: Actor, list_id: int, number: int, format: str, language: str
) -> Response:
    """The tally of a frozen version as a table or a PDF report (audited)."""
    lists.check_export(format, language)
    name = f"tally-{list_id}-version-{number}" + (f"-{language}" if format == "pdf" else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.{format}"
        with registry.uow(actor) as uow:
            answers.write_tally(uow, list_id, number, str(path), format=format, language=language)
            uow.commit()
        return _file(path, format, path.name)


# --- pages ---------------------------------------------------------------------------------


@router.get("/lists")
def index(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    lists.require_reader(actor)
    with state(request).registry.uow(actor, write=False) as uow:
        found = lists.overview(uow)
    return render(request, "lists.html", {"lists": found, **labels(_translator(request))})


def _new_form(
    request: Request, values: dict[str, Any] | None = None, error: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    statuses = [s for s in STATUS_LABELS if s != "merged"]
    return render(
        request, "list_new.html",
        {"values": values or {"languages": ["uk", "en"]}, "error": error,
         "categories": list(CATEGORY_LABELS), "statuses": statuses},
        status_code=status_code,
    )  # fmt: skip


@router.get("/lists/new")
def new_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    lists.require_reader(actor)
    return _new_form(request)


@router.post("/lists")
def create(
    request: Request, actor: Actor = Depends(page_actor), form: FormData = Depends(read_form)
) -> Response:
    criteria: dict[str, Any] = {}
    for name in ("category", "status"):
        chosen = [v for v in form.getlist(name) if isinstance(v, str) and v]
        if chosen:
            criteria[name] = chosen
    oblasts = [o.strip() for o in _text(form, "oblast").split(",") if o.strip()]
    if oblasts:
        criteria["oblast"] = oblasts
    for name in ("located_in_russia", "requested_by_representative"):
        if form.get(name):
            criteria[name] = True
    languages = [v for v in form.getlist("languages") if v in ("uk", "en", "ru")]
    values = {n: _text(form, n) for n in ("title", "purpose", "channel", "recipient", "oblast")}
    try:
        with state(request).registry.uow(actor) as uow:
            row = lists.create_list(
                uow, title=values["title"], purpose=values["purpose"],
                channel=values["channel"], recipient=values["recipient"],
                languages=languages or ["uk"], criteria=criteria,
            )  # fmt: skip
            uow.commit()
            list_id = row.id
    except HomewardError as err:
        shown = {**values, **criteria, "languages": languages}
        return _new_form(request, shown, _problem(request, err), err.status_code)
    return RedirectResponse(f"/lists/{list_id}", status_code=303)


def _list_page(
    request: Request, actor: Actor, list_id: int, *, number: int | None = None,
    error: str | None = None, status_code: int = 200, extra: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    """The list with one of its versions: the current one, or ``number``."""
    lists.require_reader(actor)
    context: dict[str, Any] = {"error": error, **(extra or {})}
    with state(request).registry.uow(actor, write=False) as uow:
        row = lists.get_list(uow, list_id)
        versions = lists.versions_of(uow, list_id)
        current = versions[-1]
        shown = next((v for v in versions if v.number == number), None) if number else current
        if shown is None:
            raise NotFound(f"list {list_id} has no version {number}")
        context.update(row=row, versions=versions, current=current, shown=shown,
                       changes=lists.changes_of(uow, list_id))  # fmt: skip
        previous = [v for v in versions if v.number < shown.number and v.status == "frozen"]
        if shown.status == "frozen":
            fields, entries = lists.frozen_entries(shown)
            context.update(
                fields=fields, entries=entries,
                flagged=[e["case_number"] for e in entries if not e.get("legal_representative")],
                deliveries=lists.deliveries_of(uow, list_id, shown.number),
                answers=answers.answers_of(uow, list_id, shown.number),
                latest={r[0]: r for r in answers.tally_rows(uow, list_id, shown.number)},
                fingerprint=lists.key_fingerprint(shown.public_key or ""),
            )  # fmt: skip
            if previous:
                context["difference"] = lists.difference(
                    uow, list_id, previous[-1].number, shown.number
                )
        else:
            draft = lists.draft_entries(uow, list_id)
            context.update(fields=draft.fields, entries=draft.entries,
                           flagged=draft.without_representative)  # fmt: skip
            if previous:
                context["difference"] = lists.difference(uow, list_id, previous[-1].number)
        if previous:
            context["previous"] = previous[-1]
        # ready for return or not, for every child of the page in one go
        context["readiness"] = evidence.readiness_by_case_number(
            uow, [e["case_number"] for e in context["entries"]]
        )
    context.update(
        extra_fields=lists.EXTRA_FIELDS, forbidden_fields=lists.FORBIDDEN_FIELDS,
        exports=EXPORTS, tally_exports=TALLY_EXPORTS, today=_today(),
        **labels(_translator(request)), **evidence_labels(_translator(request)),
    )  # fmt: skip
    return render(request, "list.html", context, status_code=status_code)


@router.get("/lists/{list_id}")
def list_page(request: Request, list_id: int, actor: Actor = Depends(page_actor)) -> Response:
    return _list_page(request, actor, list_id)


@router.get("/lists/{list_id}/versions/{number}")
def version_page(
    request: Request, list_id: int, number: int, actor: Actor = Depends(page_actor)
) -> Response:
    return _list_page(request, actor, list_id, number=number)


def _act(
    request: Request, actor: Actor, list_id: int, action: Any, form: FormData, *,
    number: int | None = None, anchor: str = "",
) -> Response:  # fmt: skip
    """Run ``action(uow, form)`` in one transaction; back to the page, or the page
    again with the refusal in words (nothing is changed then)."""
    lists.require_reader(actor)
    try:
        with state(request).registry.uow(actor) as uow:
            action(uow, form)
            uow.commit()
    except HomewardError as err:
        return _list_page(
            request, actor, list_id, number=number, error=_problem(request, err),
            status_code=err.status_code,
        )  # fmt: skip
    target = f"/lists/{list_id}" + (f"/versions/{number}" if number else "")
    return RedirectResponse(target + anchor, status_code=303)


@router.post("/lists/{list_id}/entries/{action}")
def change_entry(
    request: Request,
    list_id: int,
    action: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    def change(uow: Any, form: FormData) -> None:
        case_number = _text(form, "case_number")
        if not case_number:
            raise Invalid("case number: say which child")
        child_id, _number = worklist.case_id(uow, case_number)
        lists.change_child(uow, list_id, child_id, action, reason=_text(form, "reason"))

    return _act(request, actor, list_id, change, form, anchor="#entries")


@router.post("/lists/{list_id}/fields")
def add_field(
    request: Request,
    list_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    def add(uow: Any, form: FormData) -> None:
        lists.add_field(
            uow, list_id, _text(form, "field"), justification=_text(form, "justification")
        )

    return _act(request, actor, list_id, add, form)


@router.post("/lists/{list_id}/approve")
def approve(
    request: Request,
    list_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    def approve_it(uow: Any, form: FormData) -> None:
        lists.approve(
            uow,
            list_id,
            accept_without_representative=bool(form.get("accept_without_representative")),
        )

    return _act(request, actor, list_id, approve_it, form)


@router.post("/lists/{list_id}/freeze")
def freeze(
    request: Request,
    list_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    data_dir = state(request).settings.data_dir

    def freeze_it(uow: Any, _form: FormData) -> None:
        lists.freeze(uow, list_id, keys.load_or_create_signing_key(data_dir / "keys"))

    return _act(request, actor, list_id, freeze_it, form)


@router.post("/lists/{list_id}/versions")
def new_version(
    request: Request,
    list_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    return _act(request, actor, list_id, lambda uow, _form: lists.new_version(uow, list_id), form)


@router.get("/lists/{list_id}/versions/{number}/download")
def download(
    request: Request, list_id: int, number: int, format: str = "pdf", language: str = "uk",
    actor: Actor = Depends(page_actor),
) -> Response:  # fmt: skip
    """A frozen version as a file; the service writes the export to the audit trail."""
    lists.require_reader(actor)
    return export_file(state(request).registry, actor, list_id, number, format, language)


@router.post("/lists/{list_id}/versions/{number}/deliveries")
def deliver(
    request: Request,
    list_id: int,
    number: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    def record(uow: Any, form: FormData) -> None:
        lists.deliver(
            uow, list_id, number, delivered_on=_text(form, "delivered_on"),
            recipient=_text(form, "recipient"), channel=_text(form, "channel"),
            note=_text(form, "note") or None,
        )  # fmt: skip

    return _act(request, actor, list_id, record, form, number=number, anchor="#deliveries")


@router.post("/lists/{list_id}/versions/{number}/answers")
def record_answer(
    request: Request,
    list_id: int,
    number: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    def record(uow: Any, form: FormData) -> None:
        entry = _text(form, "entry_number")
        if not entry.isdigit():
            raise Invalid("entry: choose the entry answered")
        try:
            answer = Answer(_text(form, "answer"))
        except ValueError as err:
            raise Invalid("answer: choose one of the answers offered") from err
        answers.record_answer(
            uow, list_id, number, int(entry), answer, answered_on=_text(form, "answered_on"),
            source=_text(form, "source"), detail=_text(form, "detail") or None,
        )  # fmt: skip

    return _act(request, actor, list_id, record, form, number=number, anchor="#answers")


@router.post("/lists/{list_id}/versions/{number}/answers/import")
def import_answers(
    request: Request,
    list_id: int,
    number: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """The file a mediator returned: each row's answer goes to its entry, by the
    entry number or by names and birth date; what matched nothing is shown."""
    lists.require_reader(actor)
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid("file: choose the file they returned (CSV or XLSX)")
        data = upload.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise Invalid(f"{upload.filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MB")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / (Path(upload.filename).name or "answers")
            path.write_bytes(data)
            with state(request).registry.uow(actor) as uow:
                result = answers.import_answers(
                    uow, list_id, number, str(path), source=_text(form, "source"),
                    answered_on=_text(form, "answered_on") or None,
                )  # fmt: skip
                uow.commit()
    except HomewardError as err:
        return _list_page(
            request, actor, list_id, number=number, error=_problem(request, err),
            status_code=err.status_code,
        )  # fmt: skip
    return _list_page(
        request, actor, list_id, number=number,
        extra={"imported": result, "imported_file": upload.filename},
    )  # fmt: skip


@router.post("/lists/{list_id}/answers/{answer_id}/confirm")
def confirm(
    request: Request,
    list_id: int,
    answer_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    number = _text(form, "version")
    version = int(number) if number.isdigit() else None

    def confirm_it(uow: Any, _form: FormData) -> None:
        answers.check_answer_of(uow, list_id, answer_id)
        answers.confirm_move(uow, answer_id, reason=_text(form, "reason"))

    return _act(request, actor, list_id, confirm_it, form, number=version, anchor="#answers")


@router.get("/lists/{list_id}/versions/{number}/reconciliation")
def reconciliation(
    request: Request, list_id: int, number: int, actor: Actor = Depends(page_actor)
) -> Response:
    lists.require_reader(actor)
    with state(request).registry.uow(actor, write=False) as uow:
        row = lists.get_list(uow, list_id)
        tally = answers.reconcile(uow, list_id, number)
        rows = answers.tally_rows(uow, list_id, number)
    counts = sorted(tally.by_answer.items(), key=lambda item: (-item[1], item[0]))
    unanswered = [r for r in rows if r[9] == 0]
    return render(
        request, "list_reconciliation.html",
        {"row": row, "tally": tally, "rows": rows, "counts": counts, "unanswered": unanswered,
         "tally_exports": TALLY_EXPORTS, **labels(_translator(request))},
    )  # fmt: skip


@router.get("/lists/{list_id}/versions/{number}/reconciliation/download")
def tally_download(
    request: Request, list_id: int, number: int, format: str = "xlsx", language: str = "uk",
    actor: Actor = Depends(page_actor),
) -> Response:  # fmt: skip
    lists.require_reader(actor)
    return tally_file(state(request).registry, actor, list_id, number, format, language)
