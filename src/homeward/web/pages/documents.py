"""A case's documents in the browser: add one from the case page, its own page
with the chain of custody, downloads, a working copy and verification; and who
will travel, from the case page's return checklist.

Every route goes through :mod:`homeward.services.evidence`, which decides who
may do what: case workers add documents and working copies, verifiers verify,
and only those two roles see a document at all.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from homeward.domain.roles import Actor, Permission
from homeward.errors import HomewardError, Invalid, NotFound
from homeward.services import evidence, worklist
from homeward.services.evidence import DocumentInfo
from homeward.storage.uow import UnitOfWork
from homeward.web import evidence as ev
from homeward.web.deps import language, page_actor, read_form, render, state
from homeward.web.i18n import Translator
from homeward.web.pages.cases import case_context
from homeward.web.security import csrf_protect

router = APIRouter()
"""No CSRF check for the whole router: the uploads check the announced size
before the CSRF check reads (and spools) the body, so each route names its own."""
CHECKED = [Depends(csrf_protect)]
UPLOAD = [Depends(ev.refuse_large_documents), Depends(csrf_protect)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _version(form: FormData) -> int | None:
    value = _text(form, "version")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _translator(request: Request) -> Translator:
    return Translator(language(request), state(request).settings.time_zone)


def _own_document(uow: UnitOfWork, case_number: str, info: DocumentInfo) -> str:
    """The case number the document's pages live under: the case it belongs to
    (or was merged into).  A number of any other case answers 404, as for a
    document that does not exist."""
    child_id, number = worklist.case_id(uow, case_number)
    owner_id, _ = worklist.case_id(uow, info.case_number)
    if owner_id != child_id:
        raise NotFound(f"no document {info.id} in case {number}")
    return number


# --- the case page's forms ------------------------------------------------------------------


@router.post("/cases/{case_number}/documents", dependencies=UPLOAD)
def add_document(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """Keep a file as evidence of the case, then back to the case's documents;
    a refusal shows the case page again with what was wrong, nothing kept."""
    web = state(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    with web.registry.uow(actor, write=False) as uow:
        child_id, number = worklist.case_id(uow, case_number)
    try:
        actor.require(Permission.EDIT_CASES)
        sent = ev.sent_file(form.get("file"))
        kind = ev.document_kind(form.get("kind"))
        with web.registry.uow(actor) as uow:
            record_id = ev.optional_id(form.get("record_id"), "record")
            source_id = None if record_id is None else _record_source(uow, record_id)
            info = evidence.add_document(
                uow, web.registry.files, child_id, ev.limited(sent.file, web.settings),
                kind=kind, filename=sent.filename, media_type=sent.content_type,
                description=_text(form, "description") or None, record_id=record_id,
                source_id=source_id,
            )  # fmt: skip
            uow.commit()
    except HomewardError as err:
        if err.status_code == 403:
            raise
        context = case_context(request, actor, child_id)
        context.update(upload_error=str(err), upload_values=values)
        return render(request, "case.html", context, status_code=err.status_code)
    return RedirectResponse(f"/cases/{number}?added={info.id}#documents", status_code=303)


def _record_source(uow: UnitOfWork, record_id: int) -> int:
    """The source of the record a document came with: the document's source too."""
    return uow.repos.records.get(record_id).source_id


@router.post("/cases/{case_number}/traveller", dependencies=CHECKED)
def set_traveller(
    request: Request,
    case_number: str,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """Who will travel: a relative of the case (under their own name), or
    someone else by name; neither says it is no longer known."""
    actor.require(Permission.EDIT_CASES)
    relative_id = ev.optional_id(form.get("relative_id"), "relative")
    name = None if relative_id is not None else _text(form, "name") or None
    if name is not None and len(name) > 300:
        raise Invalid("name of who will travel: at most 300 characters")
    with state(request).registry.uow(actor) as uow:
        child_id, number = worklist.case_id(uow, case_number)
        evidence.set_traveller(
            uow, child_id, name=name, role=ev.traveller_role(form.get("role")),
            relative_id=relative_id,
        )  # fmt: skip
        uow.commit()
    return RedirectResponse(f"/cases/{number}#readiness", status_code=303)


# --- the document page ----------------------------------------------------------------------


def _document_page(
    request: Request, actor: Actor, case_number: str, document_id: int, *,
    error: str | None = None, values: dict[str, Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    """The document, its files and its chain of custody; opening it is written
    to that chain (the view is the last entry shown)."""
    web = state(request)
    with web.registry.uow(actor) as uow:
        info = evidence.get_document(uow, document_id)
        number = _own_document(uow, case_number, info)
        if number != case_number:
            return RedirectResponse(f"/cases/{number}/documents/{document_id}", status_code=303)
        custody = evidence.custody_history(uow, document_id)
        source_title = (
            uow.repos.sources.get(info.source_id).title if info.source_id is not None else None
        )
        uow.commit()
    tr = _translator(request)
    return render(
        request, "document.html",
        {"document": info, "case_number": number, "custody": custody,
         "source_title": source_title, "error": error, "values": values or {},
         "document_limit": ev.limit_text(web.settings, tr), **ev.labels(tr)},
        status_code=status_code,
    )  # fmt: skip


@router.get("/cases/{case_number}/documents/{document_id}", dependencies=CHECKED)
def document_page(
    request: Request, case_number: str, document_id: int, actor: Actor = Depends(page_actor)
) -> Response:
    return _document_page(request, actor, case_number, document_id)


def _download(
    request: Request, actor: Actor, case_number: str, document_id: int, copy: str
) -> Response:
    """The bytes as an attachment; the download is committed to the chain of
    custody before the first byte leaves."""
    web = state(request)
    with web.registry.uow(actor) as uow:
        info, stream = ev.open_for_download(uow, web.registry.files, document_id, copy)
        try:
            _own_document(uow, case_number, info)
            uow.commit()
        except BaseException:
            stream.close()
            raise
    return ev.download(info, stream, copy)


@router.get("/cases/{case_number}/documents/{document_id}/original", dependencies=CHECKED)
def download_original(
    request: Request, case_number: str, document_id: int, actor: Actor = Depends(page_actor)
) -> Response:
    return _download(request, actor, case_number, document_id, "original")


@router.get("/cases/{case_number}/documents/{document_id}/working", dependencies=CHECKED)
def download_working(
    request: Request, case_number: str, document_id: int, actor: Actor = Depends(page_actor)
) -> Response:
    return _download(request, actor, case_number, document_id, "working")


@router.post("/cases/{case_number}/documents/{document_id}/working", dependencies=UPLOAD)
def add_working_copy(
    request: Request,
    case_number: str,
    document_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """A redacted version beside the original, with what was redacted and why."""
    web = state(request)
    note = _text(form, "note")
    try:
        actor.require(Permission.EDIT_CASES)
        sent = ev.sent_file(form.get("file"))
        with web.registry.uow(actor) as uow:
            info = evidence.set_working_copy(
                uow, web.registry.files, document_id, ev.limited(sent.file, web.settings),
                note=note, media_type=sent.content_type, expected_version=_version(form),
            )  # fmt: skip
            _own_document(uow, case_number, info)  # another case's document stays as it was
            uow.commit()
    except HomewardError as err:
        if err.status_code in (403, 404):
            raise
        return _document_page(
            request, actor, case_number, document_id, error=str(err), values={"note": note},
            status_code=err.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/cases/{case_number}/documents/{document_id}", status_code=303)


@router.post("/cases/{case_number}/documents/{document_id}/verify", dependencies=CHECKED)
def verify(
    request: Request,
    case_number: str,
    document_id: int,
    actor: Actor = Depends(page_actor),
    form: FormData = Depends(read_form),
) -> Response:
    """A verifier confirms the document is what it says."""
    with state(request).registry.uow(actor) as uow:
        info = evidence.verify_document(uow, document_id, expected_version=_version(form))
        number = _own_document(uow, case_number, info)
        uow.commit()
    return RedirectResponse(f"/cases/{number}/documents/{document_id}", status_code=303)
