"""Documents and evidence files attached to a case: add, read, redact, verify.

The original is kept byte for byte in the file store under its SHA-256 and is
never replaced; a redacted version (or a preview) is a separate *working copy*.
Every add, view, download, redaction and verification is an entry of the audit
trail about the document (entity ``documents``/id): together they are its chain
of custody (:func:`custody_history`).

Evidence is sensitive (domain.md): only roles that may read sensitive values
(case workers, verifiers, the operator) see documents at all; analysts and
partners are refused, and auditors read the custody trail on the audit pages.
"""

from __future__ import annotations

import json
import mimetypes
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO

from sqlalchemy import select

from homeward.domain.documents import DocumentKind
from homeward.domain.roles import Permission
from homeward.errors import Conflict, Invalid, NotFound
from homeward.services.cases import get_child
from homeward.services.records import clean_text
from homeward.storage.files import FileStore
from homeward.storage.tables import AuditRow, DocumentRow
from homeward.storage.uow import UnitOfWork

ENTITY = "documents"


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    child_id: int
    case_number: str
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str
    description: str | None
    record_id: int | None
    event_id: int | None
    source_id: int | None
    added_by: str
    added_at: datetime
    verified_by: str | None
    verified_at: datetime | None
    working_sha256: str | None
    working_media_type: str | None
    working_size: int | None
    working_note: str | None
    version: int

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        for key in ("added_at", "verified_at"):
            if values[key] is not None:
                values[key] = values[key].isoformat()
        return values


def _info(row: DocumentRow, case_number: str) -> DocumentInfo:
    return DocumentInfo(
        id=row.id, child_id=row.child_id, case_number=case_number, kind=row.kind,
        filename=row.filename, media_type=row.media_type, size=row.size, sha256=row.sha256,
        description=row.description, record_id=row.record_id, event_id=row.event_id,
        source_id=row.source_id, added_by=row.added_by, added_at=row.added_at,
        verified_by=row.verified_by, verified_at=row.verified_at,
        working_sha256=row.working_sha256, working_media_type=row.working_media_type,
        working_size=row.working_size, working_note=row.working_note, version=row.version,
    )  # fmt: skip


def safe_filename(name: str | None) -> str:
    """The name a file arrived with, kept for people (never used as a path):
    no directories, no control characters, at most 200 characters."""
    text = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C").strip()
    return text[:200] or "file"


def _media_type(given: str | None, filename: str) -> str:
    text = (given or "").split(";")[0].strip().lower()
    if text and text != "application/octet-stream" and len(text) <= 120 and "/" in text:
        return text
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def _require_reader(uow: UnitOfWork) -> None:
    uow.actor.require(Permission.READ_CASES)
    uow.actor.require(Permission.READ_SENSITIVE)


def _document(uow: UnitOfWork, document_id: int) -> tuple[DocumentRow, str]:
    row = uow.session.get(DocumentRow, document_id)
    if row is None:
        raise NotFound(f"no document {document_id}")
    try:
        child = get_child(uow, row.child_id)
    except NotFound as err:
        raise NotFound(f"no document {document_id}") from err
    return row, child.case_number


def add_document(
    uow: UnitOfWork,
    files: FileStore,
    child_id: int,
    content: BinaryIO,
    *,
    kind: DocumentKind,
    filename: str | None,
    media_type: str | None = None,
    description: str | None = None,
    record_id: int | None = None,
    event_id: int | None = None,
    source_id: int | None = None,
) -> DocumentInfo:
    """Keep a file as evidence of the case ``child_id``.  The bytes go to the
    store first (a file no row names is harmless, and retention removes it); the
    row, and its audit entry, commit with the caller's unit of work."""
    uow.actor.require(Permission.EDIT_CASES)
    _require_reader(uow)
    child = get_child(uow, child_id)
    if record_id is not None and uow.repos.records.get(record_id).child_id != child.id:
        raise Invalid(f"record_id: record {record_id} is not one of case {child.case_number}")
    if event_id is not None and uow.repos.events.get(event_id).child_id != child.id:
        raise Invalid(f"event_id: event {event_id} is not one of case {child.case_number}")
    if source_id is not None:
        uow.repos.sources.get(source_id)
    name = safe_filename(filename)
    stored = files.put(content)
    if stored.size == 0:
        raise Invalid(f"file: {name} is empty")
    row = DocumentRow(
        child_id=child.id, record_id=record_id, event_id=event_id, source_id=source_id,
        kind=DocumentKind(kind).value, sha256=stored.sha256, size=stored.size,
        media_type=_media_type(media_type, name), filename=name,
        description=clean_text(description), added_by=uow.actor.username,
    )  # fmt: skip
    with uow.action("document.add"):
        uow.session.add(row)
    return _info(row, child.case_number)


def case_documents(uow: UnitOfWork, child_id: int) -> list[DocumentInfo]:
    """The documents of a case and of the cases merged into it, oldest first;
    for roles that may read evidence (others get an empty list, not an error,
    so a case page can simply leave the section out)."""
    if not uow.actor.can(Permission.READ_SENSITIVE):
        return []
    child = get_child(uow, child_id)
    ids = [child.id, *(c.id for c in uow.repos.children.merged_into(child.id))]
    rows = uow.session.scalars(
        select(DocumentRow).where(DocumentRow.child_id.in_(ids)).order_by(DocumentRow.id)
    )
    return [_info(row, child.case_number) for row in rows]


def get_document(uow: UnitOfWork, document_id: int) -> DocumentInfo:
    """A document's description; the view is written to its chain of custody."""
    _require_reader(uow)
    row, case_number = _document(uow, document_id)
    uow.note("document.view", ENTITY, row.id, sha256=row.sha256)
    return _info(row, case_number)


def open_document(
    uow: UnitOfWork, files: FileStore, document_id: int, *, copy: str = "original"
) -> tuple[DocumentInfo, BinaryIO]:
    """The bytes of a document (``copy`` is ``original`` or ``working``), as a
    stream the caller closes; the download is written to the chain of custody
    (commit the unit of work before sending the bytes)."""
    _require_reader(uow)
    row, case_number = _document(uow, document_id)
    if copy == "original":
        sha = row.sha256
    elif copy == "working":
        sha = row.working_sha256 or row.sha256
    else:
        raise Invalid(f"copy: {copy!r} is neither 'original' nor 'working'")
    stream = files.open(sha)
    uow.note("document.download", ENTITY, row.id, copy=copy, sha256=sha)
    return _info(row, case_number), stream


def set_working_copy(
    uow: UnitOfWork,
    files: FileStore,
    document_id: int,
    content: BinaryIO,
    *,
    note: str,
    media_type: str | None = None,
    expected_version: int | None = None,
) -> DocumentInfo:
    """Keep a redacted version (or a preview) beside the original, saying what
    was redacted and why; the original stays as it was."""
    uow.actor.require(Permission.EDIT_CASES)
    _require_reader(uow)
    reason = clean_text(note)
    if not reason:
        raise Invalid("note: say what was redacted and why (it is kept with the copy)")
    row, case_number = _document(uow, document_id)
    _check_version(row, expected_version)
    stored = files.put(content)
    if stored.size == 0:
        raise Invalid("file: the working copy is empty")
    with uow.action("document.redact"):
        row.working_sha256 = stored.sha256
        row.working_size = stored.size
        row.working_media_type = _media_type(media_type, row.filename)
        row.working_note = reason
    return _info(row, case_number)


def verify_document(
    uow: UnitOfWork, document_id: int, *, expected_version: int | None = None
) -> DocumentInfo:
    """A verifier confirms the document is what it says (checked against the
    original paper, the issuing office, the family)."""
    uow.actor.require(Permission.VERIFY_CASES)
    _require_reader(uow)
    row, case_number = _document(uow, document_id)
    _check_version(row, expected_version)
    if row.verified_at is None:
        with uow.action("document.verify"):
            row.verified_by = uow.actor.username
            row.verified_at = datetime.now(UTC)
    return _info(row, case_number)


def _check_version(row: DocumentRow, expected: int | None) -> None:
    if expected is not None and row.version != expected:
        raise Conflict(
            f"document {row.id} was changed by someone else since you opened it; reload it"
        )


@dataclass(frozen=True)
class CustodyEntry:
    seq: int
    at: str
    actor: str
    action: str
    details: dict[str, Any]


def custody_history(uow: UnitOfWork, document_id: int) -> list[CustodyEntry]:
    """Every audit entry about the document, oldest first: who added, viewed,
    downloaded, exported, redacted or verified it, and when."""
    _require_reader(uow)
    row, _ = _document(uow, document_id)
    return custody_of(uow, [row.id])[row.id]


def custody_of(uow: UnitOfWork, document_ids: list[int]) -> dict[int, list[CustodyEntry]]:
    found: dict[int, list[CustodyEntry]] = {i: [] for i in document_ids}
    if not document_ids:
        return found
    rows = uow.session.scalars(
        select(AuditRow)
        .where(AuditRow.entity_type == ENTITY)
        .where(AuditRow.entity_id.in_([str(i) for i in document_ids]))
        .order_by(AuditRow.seq)
    )
    for entry in rows:
        details = json.loads(entry.after) if entry.after else {}
        found[int(entry.entity_id or 0)].append(
            CustodyEntry(entry.seq, entry.at, entry.actor, entry.action.split(":")[0], details)
        )
    return found
