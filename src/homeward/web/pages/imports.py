"""The imports pages: upload a file, check how it reads and change the column
mapping, import it (in the background when it is large), then correct or
discard the rows set aside, and see who on a counterpart's list the registry knows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from homeward.domain.model import Category, Reliability, SourceKind
from homeward.domain.roles import Actor, Permission
from homeward.errors import HomewardError, Invalid
from homeward.io.headers import IMPORT_FIELDS
from homeward.services import imports, review
from homeward.web import uploads
from homeward.web.deps import page_actor, read_form, render, state
from homeward.web.security import csrf_protect

router = APIRouter()
"""Only the upload route sits here: it checks the size before the CSRF check
reads the body.  Every other route is on ``_pages``, CSRF-checked as a whole."""
_pages = APIRouter(dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 50
ENTRIES_SHOWN = 200

FIELD_LABELS: dict[str, str] = {
    "family_name": "Family name",
    "given_name": "Given name",
    "patronymic": "Patronymic",
    "full_name": "Full name (all parts in one cell)",
    "sex": "Sex",
    "birth_date": "Date of birth",
    "birth_place": "Place of birth",
    "residence": "Residence before removal",
    "document_ids": "Documents (birth certificate, passport)",
    "mother_name": "Mother's name",
    "father_name": "Father's name",
    "last_known_location": "Last known location",
    "removal_date": "Date of removal",
    "removal_place": "Place of removal",
    "removal_circumstances": "How the child was taken",
    "reporter_name": "Who reports",
    "reporter_contact": "Reporter's contact",
    "notes": "Notes",
    "external_id": "The sender's own number for the row",
}
KIND_LABELS: dict[str, str] = {
    SourceKind.IMPORT_FILE: "A file from an agency or NGO",
    SourceKind.COUNTERPART_LIST: "A list from the other side or a mediator",
    SourceKind.INVESTIGATION: "Found by investigators (adoption databases, camp lists)",
    SourceKind.OTHER: "Other",
    SourceKind.REPORT: "Report",
    SourceKind.PUBLIC_REPORT: "Public report",
}
RELIABILITY_LABELS: dict[str, str] = {
    Reliability.CONFIRMED: "Confirmed: checked against documents or other sources",
    Reliability.RELIABLE: "Reliable: a source that has been right before",
    Reliability.USUALLY_RELIABLE: "Usually reliable",
    Reliability.UNVERIFIED: "Not verified yet",
    Reliability.DOUBTFUL: "Doubtful: it may be wrong or made to mislead",
}
"""How far a source is trusted (after the Admiralty grading investigators use)."""
DELIMITER_LABELS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
STATUS_LABELS = {
    "running": "Running",
    "complete": "Complete",
    "interrupted": "Cut short: finish it",
    "open": "Waiting for a correction",
    "corrected": "Corrected",
    "discarded": "Discarded",
}
assert set(FIELD_LABELS) == set(IMPORT_FIELDS)


def _labels(request: Request) -> dict[str, Any]:
    return {
        "field_labels": FIELD_LABELS, "kind_labels": KIND_LABELS,
        "delimiter_labels": DELIMITER_LABELS, "status_labels": STATUS_LABELS,
        "upload_kinds": [k.value for k in uploads.UPLOAD_KINDS], "categories": list(Category),
        "reliability_labels": RELIABILITY_LABELS,
        "limit": uploads.limit_text(state(request).settings),
    }  # fmt: skip


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _order_fields(form: FormData) -> dict[str, Any]:
    """The source details of the upload form, carried through the preview."""
    try:
        kind = SourceKind(_text(form, "kind") or SourceKind.IMPORT_FILE.value)
        category = Category(_text(form, "category") or Category.DEPORTED.value)
        reliability = Reliability(_text(form, "reliability") or Reliability.UNVERIFIED.value)
    except ValueError as err:
        raise Invalid("kind, category or reliability: choose one of the list") from err
    if kind not in uploads.UPLOAD_KINDS:
        raise Invalid("kind: choose one of the list")
    open_cases = _text(form, "open_cases") == "yes"
    return {
        "title": _text(form, "title"), "kind": kind, "sheet": _text(form, "sheet"),
        "open_cases": open_cases and kind != SourceKind.COUNTERPART_LIST, "category": category,
        "reliability": reliability,
    }  # fmt: skip


# --- the list ----------------------------------------------------------------------------


@_pages.get("/imports")
def list_page(request: Request, page: int = 1, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.IMPORT_FILES)
    page = max(1, page)
    web = state(request)
    jobs = uploads.jobs(request.app.state)
    with web.registry.uow(actor, write=False) as uow:
        rows = imports.list_imports(uow, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        total = imports.count_imports(uow)
        found = uploads.summaries(uow, rows, jobs)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request, "imports.html",
        {"imports": found, "page": page, "pages": pages, "total": total, **_labels(request)},
    )  # fmt: skip


# --- upload and preview ------------------------------------------------------------------


@_pages.get("/imports/new")
def new_page(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.IMPORT_FILES)
    return render(request, "import_new.html", {"values": {}, **_labels(request)})


@router.post(
    "/imports/new",
    dependencies=[Depends(uploads.refuse_large_uploads), Depends(csrf_protect)],
)
async def upload(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    actor.require(Permission.IMPORT_FILES)
    web = state(request)
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        order = _order_fields(form)
        sent = form.get("file")
        if not isinstance(sent, UploadFile) or not sent.filename:
            raise Invalid("choose the CSV or XLSX file to import")
        mapping = None
        mapping_file = form.get("mapping")
        if isinstance(mapping_file, UploadFile) and mapping_file.filename:
            mapping = uploads.parse_mapping(await mapping_file.read(1 << 20))
        stored = await run_in_threadpool(uploads.store_upload, web, sent.file, sent.filename)
        found = await run_in_threadpool(
            uploads.overview, stored, mapping=mapping, sheet=order["sheet"]
        )
    except HomewardError as err:
        return render(
            request, "import_new.html",
            {"values": values, "error": str(err), **_labels(request)},
            status_code=err.status_code,
        )  # fmt: skip
    return _preview(request, actor, found, order)


def _preview(
    request: Request, actor: Actor, found: uploads.Overview, order: dict[str, Any]
) -> Response:
    running = uploads.jobs(request.app.state).running(found.file.sha256)
    earlier = None
    with state(request).registry.uow(actor, write=False) as uow:
        row = imports.import_of_file(uow, found.file.sha256)
        if row is not None:
            earlier = uploads.summary(uow, row, live=running is not None)
    return render(
        request, "import_preview.html",
        {"ov": found, "order": order, "running": running, "earlier": earlier,
         "fields": list(FIELD_LABELS), **_labels(request)},
    )  # fmt: skip


@_pages.post("/imports/confirm")
async def confirm(request: Request, actor: Actor = Depends(page_actor)) -> Response:
    """The preview's form: show it again with the mapping chosen, or import."""
    actor.require(Permission.IMPORT_FILES)
    web = state(request)
    form = await request.form()
    order = _order_fields(form)
    stored = uploads.stored_file(web, str(form.get("upload") or ""), _text(form, "file_name"))
    mapping = uploads.mapping_from_form(form)
    if form.get("action") != "import":
        found = await run_in_threadpool(
            uploads.overview, stored, mapping=mapping, sheet=order["sheet"]
        )
        return _preview(request, actor, found, order)
    job_order = uploads.ImportOrder(file=stored, mapping=mapping, **order)
    return await _start(request, actor, job_order)


async def _start(request: Request, actor: Actor, order: uploads.ImportOrder) -> Response:
    web = state(request)
    job, run_now = uploads.start_job(web, actor, uploads.jobs(request.app.state), order)
    if run_now is not None:
        await run_in_threadpool(run_now)
    return RedirectResponse(f"/imports/jobs/{job.id}", status_code=303)


# --- running and its result --------------------------------------------------------------


def _job_context(request: Request, actor: Actor, job_id: str) -> dict[str, Any]:
    actor.require(Permission.IMPORT_FILES)
    job = uploads.jobs(request.app.state).get(job_id)
    earlier = None
    if job.result is not None and job.result.already_imported:
        with state(request).registry.uow(actor, write=False) as uow:
            row = imports.get_import(uow, job.result.import_id)
            earlier = uploads.summary(uow, row, live=False)
    return {"job": job, "result": job.result, "earlier": earlier, **_labels(request)}


@_pages.get("/imports/jobs/{job_id}")
def job_page(request: Request, job_id: str, actor: Actor = Depends(page_actor)) -> Response:
    return render(request, "import_job.html", _job_context(request, actor, job_id))


@_pages.get("/imports/jobs/{job_id}/status")
def job_status(request: Request, job_id: str, actor: Actor = Depends(page_actor)) -> Response:
    """The progress fragment htmx polls every 2 s; once done it polls no more."""
    return render(request, "import_job_status.html", _job_context(request, actor, job_id))


# --- one import ---------------------------------------------------------------------------


@_pages.get("/imports/{import_id:int}")
def detail_page(request: Request, import_id: int, actor: Actor = Depends(page_actor)) -> Response:
    web = state(request)
    with web.registry.uow(actor, write=False) as uow:
        row = imports.get_import(uow, import_id)
        running = None
        if row.status == "running":
            running = uploads.jobs(request.app.state).running(row.file_sha256)
        summary = uploads.summary(uow, row, live=running is not None)
        reading = dict(row.reading or {})
        counts = imports.quarantine_counts(uow, import_id)
    kept = (web.settings.data_dir / "uploads" / row.file_sha256).is_file()
    return render(
        request, "import_detail.html",
        {"imp": summary, "reading": reading, "counts": counts, "running": running,
         "kept": kept, **_labels(request)},
    )  # fmt: skip


@_pages.post("/imports/{import_id:int}/resume")
async def resume(request: Request, import_id: int, actor: Actor = Depends(page_actor)) -> Response:
    """Finish an import cut short (the server stopped): the rows already written
    are skipped, the rest written, then all matched."""
    web = state(request)
    with web.registry.uow(actor, write=False) as uow:
        row = imports.get_import(uow, import_id)
        source = imports.sources_of(uow, [row])[row.source_id]
        reading = dict(row.reading or {})
        kind = SourceKind(source.kind)
        title = source.title
    stored = uploads.stored_file(web, row.file_sha256, row.file_name)
    mapping = {c["header"]: c["field"] for c in reading.get("columns", []) if c.get("header")}
    order = uploads.ImportOrder(
        file=stored, title=title, kind=kind, sheet=reading.get("sheet"), mapping=mapping or None
    )
    return await _start(request, actor, order)


# --- the quarantine -----------------------------------------------------------------------


def _quarantine(
    request: Request,
    actor: Actor,
    import_id: int,
    status: str,
    page: int,
    failed: dict[int, tuple[str, dict[str, str]]] | None = None,
    status_code: int = 200,
    done: tuple[str, int] | None = None,
) -> Response:
    page = max(1, page)
    with state(request).registry.uow(actor, write=False) as uow:
        summary = uploads.summary(uow, imports.get_import(uow, import_id), live=True)
        rows = imports.quarantined(
            uow, import_id=import_id, status=status, limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )  # fmt: skip
        counts = imports.quarantine_counts(uow, import_id)
        total = counts[status]
        items = [
            {**uploads.quarantine_summary(q), "fields": _correctable(q.values, q.errors)}
            for q in rows
        ]
    return render(
        request, "import_quarantine.html",
        {"imp": summary, "items": items, "status": status, "counts": counts, "page": page,
         "pages": max(1, -(-total // PAGE_SIZE)), "failed": failed or {}, "done": done,
         **_labels(request)},
        status_code=status_code,
    )  # fmt: skip


def _correctable(values: dict[str, Any], errors: list[str]) -> list[str]:
    """The fields a correction form offers: those the row has, and those its reasons name."""
    named = uploads.error_fields(errors)
    return [f for f in FIELD_LABELS if f in values or f in named]


@_pages.get("/imports/{import_id:int}/quarantine")
def quarantine_page(
    request: Request,
    import_id: int,
    status: str = "open",
    page: int = 1,
    corrected: int | None = None,
    discarded: int | None = None,
    actor: Actor = Depends(page_actor),
) -> Response:
    done = (
        ("corrected", corrected) if corrected else ("discarded", discarded) if discarded else None
    )
    return _quarantine(request, actor, import_id, status, page, done=done)


@_pages.post("/imports/{import_id:int}/quarantine/{quarantine_id:int}/correct")
def correct(
    request: Request,
    import_id: int,
    quarantine_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    web = state(request)
    typed = {f: str(form.get(f) or "").strip() for f in IMPORT_FIELDS if f in form}
    try:
        with web.registry.uow(actor) as uow:
            row = imports.get_quarantined(uow, import_id, quarantine_id)
            before = row.values
            changes: dict[str, Any] = {
                f: (v or None) for f, v in typed.items() if v != str(before.get(f) or "")
            }
            record = imports.correct(
                uow, quarantine_id, changes, reason=str(form.get("reason") or ""),
                model=web.model, thresholds=review.Thresholds.from_settings(web.settings),
            )  # fmt: skip
            uow.commit()
            number = record.source_row
    except HomewardError as err:
        if err.status_code not in (409, 422):
            raise
        return _quarantine(
            request, actor, import_id, "open", 1, failed={quarantine_id: (str(err), typed)},
            status_code=err.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/imports/{import_id}/quarantine?corrected={number}", 303)


@_pages.post("/imports/{import_id:int}/quarantine/{quarantine_id:int}/discard")
def discard(
    request: Request,
    import_id: int,
    quarantine_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    try:
        with state(request).registry.uow(actor) as uow:
            imports.get_quarantined(uow, import_id, quarantine_id)
            row = imports.discard(uow, quarantine_id, reason=str(form.get("reason") or ""))
            uow.commit()
            number = row.source_row
    except HomewardError as err:
        if err.status_code not in (409, 422):
            raise
        return _quarantine(
            request, actor, import_id, "open", 1, failed={quarantine_id: (str(err), {})},
            status_code=err.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/imports/{import_id}/quarantine?discarded={number}", 303)


# --- entries and their candidates ---------------------------------------------------------


@_pages.get("/imports/{import_id:int}/entries")
def entries_page(request: Request, import_id: int, actor: Actor = Depends(page_actor)) -> Response:
    web = state(request)
    with web.registry.uow(actor, write=False) as uow:
        summary = uploads.summary(uow, imports.get_import(uow, import_id), live=True)
        found = imports.entries(uow, import_id, limit=ENTRIES_SHOWN, model=web.model)
    return render(
        request, "import_entries.html",
        {"imp": summary, "entries": found, "shown": ENTRIES_SHOWN, **_labels(request)},
    )  # fmt: skip


router.include_router(_pages)
