"""Documents and return readiness: a case's documents, one with its chain of
custody, the files, a working copy, verification; the return checklist and
who will travel.

Only roles that read sensitive values (case workers, verifiers) reach a
document; every other role is refused with 403 and never learns a name or a
hash.  The readiness of a case is for every role that reads cases.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.documents import DocumentKind
from homeward.domain.roles import Actor, Permission
from homeward.services import evidence, worklist
from homeward.services.evidence import DocumentInfo, Readiness
from homeward.web import evidence as ev
from homeward.web.api import api_actor, api_state
from homeward.web.api.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentRead,
    DocumentVerify,
    ReadinessRead,
    TravellerSet,
)
from homeward.web.deps import WebState

router = APIRouter(tags=["documents"])

_FILE = {"type": "string", "format": "binary"}
_ADD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {**_FILE, "description": "The file, at most max_document_mb "
                                                         "(HOMEWARD_MAX_DOCUMENT_MB, 100 MB)"},
                        "kind": {"type": "string", "enum": [k.value for k in DocumentKind]},
                        "description": {"type": "string"},
                        "record_id": {"type": "integer",
                                      "description": "A record of the case it came with"},
                    },
                }
            }
        },
    }
}  # fmt: skip
_WORKING_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "note"],
                    "properties": {
                        "file": {**_FILE, "description": "The redacted version or preview"},
                        "note": {"type": "string", "description": "What was redacted, and why"},
                        "version": {"type": "integer",
                                    "description": "The document's version you saw (409 if "
                                                   "it changed since)"},
                    },
                }
            }
        },
    }
}  # fmt: skip
_FILE_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The bytes, as an attachment (an image or a PDF keeps its media type; "
        "anything else is application/octet-stream)",
        "content": {t: {"schema": _FILE} for t in ["application/octet-stream", "application/pdf",
                                                   "image/png", "image/jpeg"]},
    },
    404: {"description": "No such document, or (working) no working copy"},
}  # fmt: skip
_UPLOAD_ANSWERS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The file is over max_document_mb; nothing was kept"},
}


def _read(info: DocumentInfo) -> DocumentRead:
    return DocumentRead.model_validate(asdict(info))


def _readiness(case_number: str, found: Readiness, *, sensitive: bool) -> ReadinessRead:
    items = [
        {"key": i.key, "state": i.state, "met": i.met, "detail": i.detail,
         "document_ids": list(i.document_ids) if sensitive else []}
        for i in found.items
    ]  # fmt: skip
    answer = {
        "case_number": case_number, "ready": found.ready, "missing": found.missing,
        "traveller_name": found.traveller_name, "traveller_role": found.traveller_role,
        "items": items,
    }  # fmt: skip
    return ReadinessRead.model_validate(answer)


def _int_field(form: FormData, name: str) -> int | None:
    return ev.optional_id(form.get(name), name)


@router.get("/cases/{case_number}/documents", response_model=DocumentList)
def list_documents(
    request: Request, case_number: str, actor: Actor = Depends(api_actor)
) -> DocumentList:
    """The case's documents (and those of cases merged into it), oldest first."""
    actor.require(Permission.READ_SENSITIVE)
    with api_state(request).registry.uow(actor, write=False) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        found = evidence.case_documents(uow, child_id)
    return DocumentList(items=[_read(d) for d in found], total=len(found))


def _add(web: WebState, actor: Actor, case_number: str, form: FormData) -> DocumentInfo:
    sent = ev.sent_file(form.get("file"))
    kind = ev.document_kind(form.get("kind"))
    record_id = _int_field(form, "record_id")
    description = form.get("description")
    with web.registry.uow(actor) as uow:
        child_id, _number = worklist.case_id(uow, case_number)
        source_id = None if record_id is None else uow.repos.records.get(record_id).source_id
        info = evidence.add_document(
            uow, web.registry.files, child_id, ev.limited(sent.file, web.settings),
            kind=kind, filename=sent.filename, media_type=sent.content_type,
            description=description if isinstance(description, str) else None,
            record_id=record_id, source_id=source_id,
        )  # fmt: skip
        uow.commit()
    return info


@router.post(
    "/cases/{case_number}/documents",
    status_code=201,
    response_model=DocumentRead,
    openapi_extra=_ADD_BODY,
    responses=_UPLOAD_ANSWERS,
    dependencies=[Depends(ev.refuse_large_documents)],
)
async def add_document(
    request: Request, case_number: str, actor: Actor = Depends(api_actor)
) -> DocumentRead:
    """Keep a file as evidence of the case (multipart: ``file``, ``kind``,
    ``description``, ``record_id``).  Answers 201 with the document."""
    actor.require(Permission.EDIT_CASES)
    actor.require(Permission.READ_SENSITIVE)
    form = await request.form()
    info = await run_in_threadpool(_add, api_state(request), actor, case_number, form)
    return _read(info)


@router.get("/documents/{document_id}", response_model=DocumentDetail)
def get_document(
    request: Request, document_id: int, actor: Actor = Depends(api_actor)
) -> DocumentDetail:
    """One document with its chain of custody; this read is written to it."""
    with api_state(request).registry.uow(actor) as uow:
        info = evidence.get_document(uow, document_id)
        custody = evidence.custody_history(uow, document_id)
        uow.commit()
    return DocumentDetail.model_validate({**asdict(info), "custody": [asdict(e) for e in custody]})


def _download(request: Request, actor: Actor, document_id: int, copy: str) -> Response:
    web = api_state(request)
    with web.registry.uow(actor) as uow:
        info, stream = ev.open_for_download(uow, web.registry.files, document_id, copy)
        try:
            uow.commit()  # the download is in the chain of custody before a byte leaves
        except BaseException:
            stream.close()
            raise
    return ev.download(info, stream, copy)


@router.get("/documents/{document_id}/original", response_class=Response, responses=_FILE_ANSWER)
def download_original(
    request: Request, document_id: int, actor: Actor = Depends(api_actor)
) -> Response:
    """The original, byte for byte."""
    return _download(request, actor, document_id, "original")


@router.get("/documents/{document_id}/working", response_class=Response, responses=_FILE_ANSWER)
def download_working(
    request: Request, document_id: int, actor: Actor = Depends(api_actor)
) -> Response:
    """The working (redacted) copy; 404 when none was made."""
    return _download(request, actor, document_id, "working")


def _working(web: WebState, actor: Actor, document_id: int, form: FormData) -> DocumentInfo:
    sent = ev.sent_file(form.get("file"))
    note = form.get("note")
    with web.registry.uow(actor) as uow:
        info = evidence.set_working_copy(
            uow, web.registry.files, document_id, ev.limited(sent.file, web.settings),
            note=note if isinstance(note, str) else "", media_type=sent.content_type,
            expected_version=_int_field(form, "version"),
        )  # fmt: skip
        uow.commit()
    return info


@router.post(
    "/documents/{document_id}/working",
    response_model=DocumentRead,
    openapi_extra=_WORKING_BODY,
    responses=_UPLOAD_ANSWERS,
    dependencies=[Depends(ev.refuse_large_documents)],
)
async def add_working_copy(
    request: Request, document_id: int, actor: Actor = Depends(api_actor)
) -> DocumentRead:
    """Keep a redacted version beside the original (multipart: ``file``,
    ``note``, ``version``); the original stays as it was."""
    actor.require(Permission.EDIT_CASES)
    actor.require(Permission.READ_SENSITIVE)
    form = await request.form()
    info = await run_in_threadpool(_working, api_state(request), actor, document_id, form)
    return _read(info)


@router.post("/documents/{document_id}/verify", response_model=DocumentRead)
def verify_document(
    request: Request,
    document_id: int,
    body: DocumentVerify | None = None,
    actor: Actor = Depends(api_actor),
) -> DocumentRead:
    """A verifier confirms the document is what it says (checked against the
    paper, the issuing office or the family)."""
    version = body.version if body is not None else None
    with api_state(request).registry.uow(actor) as uow:
        info = evidence.verify_document(uow, document_id, expected_version=version)
        uow.commit()
    return _read(info)


@router.get("/cases/{case_number}/readiness", response_model=ReadinessRead, tags=["readiness"])
def case_readiness(
    request: Request, case_number: str, actor: Actor = Depends(api_actor)
) -> ReadinessRead:
    """The return checklist: each line met, unverified (a document nobody has
    verified yet) or missing, and who will travel."""
    with api_state(request).registry.uow(actor, write=False) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        found = evidence.return_readiness(uow, child_id)
    return _readiness(number, found, sensitive=actor.can(Permission.READ_SENSITIVE))


@router.post("/cases/{case_number}/traveller", response_model=ReadinessRead, tags=["readiness"])
def set_traveller(
    request: Request, case_number: str, body: TravellerSet, actor: Actor = Depends(api_actor)
) -> ReadinessRead:
    """Say who will travel to bring the child home; answers the checklist."""
    with api_state(request).registry.uow(actor) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        found = evidence.set_traveller(
            uow, child_id, name=body.name, role=body.role, relative_id=body.relative_id,
            note=body.note,
        )  # fmt: skip
        uow.commit()
    return _readiness(number, found, sensitive=actor.can(Permission.READ_SENSITIVE))
