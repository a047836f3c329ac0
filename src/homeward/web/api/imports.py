"""Imports: a CSV or XLSX file in (previewed, or imported at once or in the
background), the quarantine corrected or discarded, a counterpart's entries
with their candidates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from homeward.domain.model import Category, Reliability, SourceKind
from homeward.domain.roles import Actor, Permission
from homeward.errors import Invalid
from homeward.io.headers import IMPORT_FIELDS
from homeward.services import imports, review
from homeward.web import uploads
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import Page

router = APIRouter(tags=["imports"])

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary",
                                 "description": "CSV or XLSX, at most the import_max_upload_mb "
                                                "setting (50 MB unless set)"},
                        "title": {"type": "string", "description": "The source's name"},
                        "kind": {"type": "string",
                                 "enum": [k.value for k in uploads.UPLOAD_KINDS],
                                 "default": "import_file"},
                        "sheet": {"type": "string", "description": "A workbook's sheet"},
                        "mapping": {"type": "string", "format": "binary",
                                    "description": 'JSON {"header": "field" or null}'},
                        "open_cases": {"type": "boolean", "default": False,
                                       "description": "A case for each row matching none"},
                        "category": {"type": "string", "enum": [c.value for c in Category]},
                        "reliability": {"type": "string", "enum": [r.value for r in Reliability],
                                        "default": "unverified",
                                        "description": "How far the source is trusted"},
                        "preview": {"type": "boolean", "default": False,
                                    "description": "Answer how the file reads; import nothing"},
                    },
                }
            }
        },
    }
}  # fmt: skip


class QuarantineCorrection(BaseModel):
    values: dict[str, str | None] = Field(
        description='The fields to change, e.g. {"birth_date": "28.02.2012"}'
    )
    reason: str


class QuarantineDiscard(BaseModel):
    reason: str


def _flag(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _preview_body(found: uploads.Overview) -> dict[str, Any]:
    shown = found.preview
    return {
        "preview": True, "file_name": found.file.file_name, "sha256": found.file.sha256,
        "size": found.file.size, "file_kind": found.kind, "encoding": found.encoding,
        "delimiter": found.delimiter, "sheet": found.sheet, "header_row": found.header_row,
        "columns": [{"column": c.index + 1, "header": c.header, "field": c.field,
                     "reason": c.reason} for c in shown.columns],
        "sample": [{"row": n, "values": v, "errors": e} for n, v, e in shown.sample],
        "rows_checked": shown.rows_checked, "rows_with_errors": shown.rows_with_errors,
        "errors": shown.errors,
    }  # fmt: skip


@router.post(
    "/imports",
    openapi_extra=_UPLOAD_BODY,
    dependencies=[Depends(uploads.refuse_large_uploads)],
    responses={
        200: {"description": "The preview, or a file imported before: nothing added"},
        201: {"description": "Imported"},
        202: {"description": "Importing in the background: follow the job"},
        413: {"description": "The file is over the size limit"},
    },
)
async def create_import(request: Request, actor: Actor = Depends(api_actor)) -> JSONResponse:
    """Upload a CSV or XLSX file (multipart).  ``preview=true`` answers how it
    reads (encoding, delimiter, columns and their fields, first rows, errors)
    and writes nothing.  Otherwise the file is imported: a small file at once
    (201, or 200 when it was imported before and nothing was added), a larger
    one in the background (202; follow ``GET /imports/jobs/{job_id}``)."""
    actor.require(Permission.IMPORT_FILES)
    web = api_state(request)
    form = await request.form()
    sent = form.get("file")
    if not isinstance(sent, UploadFile):
        raise Invalid("file: a CSV or XLSX file is needed (multipart field 'file')")
    try:
        kind = SourceKind(_text(form.get("kind")) or SourceKind.IMPORT_FILE.value)
        category = Category(_text(form.get("category")) or Category.DEPORTED.value)
        reliability = Reliability(_text(form.get("reliability")) or Reliability.UNVERIFIED.value)
    except ValueError as err:
        raise Invalid(f"kind, category or reliability: {err}") from err
    if kind not in uploads.UPLOAD_KINDS:
        raise Invalid(f"kind: one of {', '.join(k.value for k in uploads.UPLOAD_KINDS)}")
    raw_mapping = form.get("mapping")
    mapping = None
    if isinstance(raw_mapping, UploadFile):
        mapping = uploads.parse_mapping(await raw_mapping.read(1 << 20))
    elif _text(raw_mapping):
        mapping = uploads.parse_mapping(str(raw_mapping).encode())
    sheet = _text(form.get("sheet"))
    stored = await run_in_threadpool(uploads.store_upload, web, sent.file, sent.filename)
    if _flag(form.get("preview")):
        found = await run_in_threadpool(uploads.overview, stored, mapping=mapping, sheet=sheet)
        return JSONResponse(_preview_body(found))
    order = uploads.ImportOrder(
        file=stored, title=_text(form.get("title")), kind=kind, sheet=sheet, mapping=mapping,
        open_cases=_flag(form.get("open_cases")) and kind != SourceKind.COUNTERPART_LIST,
        category=category, reliability=reliability,
    )  # fmt: skip
    job, run_now = uploads.start_job(web, actor, uploads.jobs(request.app.state), order)
    if run_now is not None:
        await run_in_threadpool(run_now)
    body = job.as_dict()
    if not job.finished:
        location = f"/api/v1/imports/jobs/{job.id}"
        return JSONResponse(body, status_code=202, headers={"Location": location})
    if job.error is not None:
        raise Invalid(job.error)
    status = 200 if job.result is not None and job.result.already_imported else 201
    return JSONResponse(body, status_code=status)


@router.get("/imports/jobs/{job_id}")
def import_job(request: Request, job_id: str, actor: Actor = Depends(api_actor)) -> dict[str, Any]:
    """A background import's progress: ``stage`` (reading, matching, done, failed,
    or interrupted when the server process running it stopped: import the file
    again to finish it), rows read so far, and once done its ``result``.  Any
    server process answers for an import any of them runs."""
    actor.require(Permission.IMPORT_FILES)
    return uploads.jobs(request.app.state).get(job_id).as_dict()


@router.get("/imports", response_model=Page)
def list_imports(
    request: Request,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """Imports, newest first, with their figures."""
    jobs = uploads.jobs(request.app.state)
    with api_state(request).registry.uow(actor, write=False) as uow:
        rows = imports.list_imports(uow, limit=limit, offset=offset)
        total = imports.count_imports(uow)
        items = uploads.summaries(uow, rows, jobs)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/imports/{import_id}")
def get_import(
    request: Request, import_id: int, actor: Actor = Depends(api_actor)
) -> dict[str, Any]:
    """One import: its figures, status, how the file was read, its quarantine counts."""
    jobs = uploads.jobs(request.app.state)
    with api_state(request).registry.uow(actor, write=False) as uow:
        row = imports.get_import(uow, import_id)
        live = row.status == "running" and jobs.running(row.file_sha256) is not None
        return {
            **uploads.summary(uow, row, live=live),
            "reading": dict(row.reading or {}),
            "quarantine": imports.quarantine_counts(uow, import_id),
        }


@router.get("/imports/{import_id}/quarantine", response_model=Page)
def quarantine(
    request: Request,
    import_id: int,
    status: str = Query(default="open", description="open, corrected or discarded"),
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0),
    actor: Actor = Depends(api_actor),
) -> Page:
    """Rows that could not be read, each with the reason for every field."""
    with api_state(request).registry.uow(actor, write=False) as uow:
        rows = imports.quarantined(
            uow, import_id=import_id, status=status, limit=limit, offset=offset
        )
        total = imports.quarantine_counts(uow, import_id)[status]
        items = [uploads.quarantine_summary(q) for q in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/imports/{import_id}/quarantine/{quarantine_id}")
def correct(
    request: Request,
    import_id: int,
    quarantine_id: int,
    body: QuarantineCorrection,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:
    """Correct a quarantined row: if it reads now, it becomes a record, matched
    against the registry; if not, 422 says which field still fails."""
    unknown = sorted(set(body.values) - set(IMPORT_FIELDS))
    if unknown:
        raise Invalid(f"values: not fields: {', '.join(unknown)}")
    web = api_state(request)
    with web.registry.uow(actor) as uow:
        imports.get_quarantined(uow, import_id, quarantine_id)
        record = imports.correct(
            uow, quarantine_id, body.values, reason=body.reason, model=web.model,
            thresholds=review.Thresholds.from_settings(web.settings),
        )  # fmt: skip
        uow.commit()
        row = imports.get_quarantined(uow, import_id, quarantine_id)
        return {**uploads.quarantine_summary(row), "record_id": record.id}


@router.post("/imports/{import_id}/quarantine/{quarantine_id}/discard")
def discard(
    request: Request,
    import_id: int,
    quarantine_id: int,
    body: QuarantineDiscard,
    actor: Actor = Depends(api_actor),
) -> dict[str, Any]:
    """Leave a quarantined row out for good (kept, marked discarded, with the reason)."""
    with api_state(request).registry.uow(actor) as uow:
        imports.get_quarantined(uow, import_id, quarantine_id)
        row = imports.discard(uow, quarantine_id, reason=body.reason)
        uow.commit()
        return uploads.quarantine_summary(row)


@router.get("/imports/{import_id}/entries", response_model=Page)
def entries(
    request: Request,
    import_id: int,
    limit: int = Query(default=200, ge=1, le=500),
    actor: Actor = Depends(api_actor),
) -> Page:
    """The import's records (a counterpart's list, say), in file order, each with
    its case, or the cases it may be: proposals waiting for review, else the best
    candidates a search finds."""
    web = api_state(request)
    with web.registry.uow(actor, write=False) as uow:
        row = imports.get_import(uow, import_id)
        found = imports.entries(uow, import_id, limit=limit, model=web.model)
        total = row.rows_imported
    items = [
        {"record_id": e.record_id, "row": e.source_row, "name": e.name,
         "birth_date": e.birth_date, "case_number": e.case_number,
         "candidates": [{"case_number": n, "match_probability": p, "status": s}
                        for n, p, s in e.candidates]}
        for e in found
    ]  # fmt: skip
    return Page(items=items, total=total, limit=limit, offset=0)
