"""Documents and return readiness as the pages and the API handle them: the
upload limit, downloads a browser never renders, and the words for kinds,
checklist lines and custody entries.

An uploaded file streams into the file store and is refused the moment it
passes ``max_document_mb`` (the store removes what it had written, and the
unit of work never commits, so nothing of it is kept).  A download is always an
attachment: an HTML or SVG file someone uploaded must never run in Homeward's
origin, so anything but an image or a PDF is sent as
``application/octet-stream``, with ``nosniff`` and a sandboxing policy.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, cast
from urllib.parse import quote

from babel.numbers import format_decimal
from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import StreamingResponse

from homeward.config import Settings
from homeward.domain.documents import DocumentKind, TravellerRole
from homeward.domain.roles import Permission
from homeward.errors import HomewardError, Invalid, NotFound
from homeward.services import evidence
from homeward.services.evidence import DocumentInfo, Readiness
from homeward.storage.files import FileStore, StoreError
from homeward.storage.uow import UnitOfWork
from homeward.web.deps import state
from homeward.web.i18n import Translator
from homeward.web.uploads import TooLarge

BLOCK = 1024 * 1024
SERVED_AS_IS = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/tiff",
        "image/bmp",
        "image/heic",
        "image/heif",
    }
)
"""Media types a download keeps; everything else (HTML, SVG, scripts, office
files, anything unknown) is sent as ``application/octet-stream``."""
DOWNLOAD_POLICY = "default-src 'none'; sandbox"

KIND_LABELS: dict[str, str] = {
    DocumentKind.BIRTH_CERTIFICATE: "Birth certificate",
    DocumentKind.PROOF_OF_KINSHIP: "Proof of kinship",
    DocumentKind.POWER_OF_ATTORNEY: "Power of attorney",
    DocumentKind.GUARDIANSHIP_DECISION: "Guardianship decision",
    DocumentKind.RETURN_IDENTITY_CERTIFICATE: "Identity certificate for return",
    DocumentKind.PHOTO: "Photo",
    DocumentKind.SCREENSHOT: "Screenshot (adoption database, social network, news)",
    DocumentKind.OTHER: "Other document",
}
CHECKLIST_LABELS: dict[str, str] = {
    "identity_verified": "Identity verified by the commission",
    "legal_representative": "A legal representative asked for the return",
    "birth_certificate": "Birth certificate",
    "proof_of_kinship": "Proof of kinship",
    "authority": "Power of attorney or guardianship decision",
    "return_identity_certificate": "Identity certificate for return",
    "traveller": "Who will travel",
}
STATE_LABELS: dict[str, str] = {
    "met": "Met",
    "unverified": "Present, not verified",
    "missing": "Still missing",
}
TRAVELLER_LABELS: dict[str, str] = {
    TravellerRole.LEGAL_REPRESENTATIVE: "Legal representative",
    TravellerRole.RELATIVE: "Relative",
    TravellerRole.AUTHORISED_PERSON: "Authorised person (power of attorney)",
    TravellerRole.OFFICIAL: "Official (ombudsman's or mediator's staff)",
}
CUSTODY_LABELS: dict[str, str] = {
    "document.add": "Added",
    "document.view": "Viewed",
    "document.download/original": "Downloaded the original",
    "document.download/working": "Downloaded the working copy",
    "document.export": "Exported in an evidence package",
    "document.redact": "Working copy made (redacted)",
    "document.verify": "Verified",
}
assert set(KIND_LABELS) == set(DocumentKind)
assert set(TRAVELLER_LABELS) == set(TravellerRole)


class FileUnavailable(HomewardError):
    """The store cannot give a document's bytes back (missing, damaged, or
    encrypted with a key this server lacks)."""

    status_code = 503


# --- uploads -----------------------------------------------------------------------------


def max_document_bytes(settings: Settings) -> int:
    return settings.max_document_mb * 1024 * 1024


def limit_text(settings: Settings, tr: Translator | None = None) -> str:
    """The upload limit in words: in the page's language, or for error messages."""
    if tr is None:
        return f"{settings.max_document_mb} MB"
    return tr.gettext("{n} MB", n=settings.max_document_mb)


def too_large(settings: Settings) -> TooLarge:
    return TooLarge(
        f"file: larger than {limit_text(settings)}, the most a document may be "
        "(HOMEWARD_MAX_DOCUMENT_MB); nothing was kept"
    )


async def refuse_large_documents(request: Request) -> None:
    """Refuse a body announced as too large before it is read (and parsed)."""
    settings = state(request).settings
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_document_bytes(settings) + 64 * 1024:
        raise too_large(settings)


class LimitedReader:
    """A file read no further than the limit: one byte more and the reading
    stops with 413, so the store drops what it had written."""

    def __init__(self, source: BinaryIO, settings: Settings) -> None:
        self._source = source
        self._settings = settings
        self._limit = max_document_bytes(settings)
        self.read_so_far = 0

    def read(self, size: int = -1) -> bytes:
        block = self._source.read(size)
        self.read_so_far += len(block)
        if self.read_so_far > self._limit:
            raise too_large(self._settings)
        return block


def limited(source: BinaryIO, settings: Settings) -> BinaryIO:
    """``source`` read through a :class:`LimitedReader` (what the store reads)."""
    return cast(BinaryIO, LimitedReader(source, settings))


def sent_file(value: Any, what: str = "file") -> UploadFile:
    """The file of a multipart field, or why there is none."""
    if not isinstance(value, UploadFile) or not value.filename:
        raise Invalid(f"{what}: choose the file to upload")
    return value


def document_kind(value: Any) -> DocumentKind:
    try:
        return DocumentKind(str(value or "").strip())
    except ValueError as err:
        raise Invalid(f"kind: choose one of {', '.join(k.value for k in DocumentKind)}") from err


def traveller_role(value: Any) -> TravellerRole | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return TravellerRole(text)
    except ValueError as err:
        choices = ", ".join(r.value for r in TravellerRole)
        raise Invalid(f"role: choose one of {choices}") from err


def optional_id(value: Any, what: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise Invalid(f"{what}: expected a number, not {text[:40]!r}")
    return int(text)


# --- downloads ---------------------------------------------------------------------------


def served_media_type(media_type: str | None) -> str:
    text = (media_type or "").split(";")[0].strip().lower()
    return text if text in SERVED_AS_IS else "application/octet-stream"


def download_name(info: DocumentInfo, copy: str) -> str:
    """The name a download is saved under: the name it arrived with, and for a
    working copy ``-working`` before the extension its media type suggests."""
    if copy != "working":
        return info.filename
    stem, dot, suffix = info.filename.rpartition(".")
    if not dot:
        stem, suffix = info.filename, ""
    guessed = mimetypes.guess_extension(info.working_media_type or "") or ""
    ext = guessed or (f".{suffix}" if suffix else "")
    return f"{stem}-working{ext}"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII name for old clients and the real one in
    RFC 5987 form; quotes, backslashes and control characters cannot get in."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,10}", ext):
        stem, ext = filename, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._()\- ]+", "_", plain).strip(" ._-")
    plain = (plain if plain.strip("_") else "document") + (f".{ext}" if ext else "")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    try:
        while block := stream.read(BLOCK):
            yield block
    finally:
        stream.close()


def open_for_download(
    uow: UnitOfWork, files: FileStore, document_id: int, copy: str
) -> tuple[DocumentInfo, BinaryIO]:
    """The document's bytes, the download noted in its chain of custody (the
    caller commits before sending).  A working copy that was never made is
    refused rather than quietly replaced by the unredacted original."""
    try:
        info, stream = evidence.open_document(uow, files, document_id, copy=copy)
    except StoreError as err:
        raise FileUnavailable(
            f"document {document_id}: {err}; tell the register keeper (homeward evidence verify)"
        ) from err
    if copy == "working" and info.working_sha256 is None:
        stream.close()  # and the download noted is never committed
        raise NotFound(f"document {document_id} has no working copy; download the original")
    return info, stream


def download(info: DocumentInfo, stream: BinaryIO, copy: str) -> StreamingResponse:
    media = info.working_media_type if copy == "working" else info.media_type
    size = info.working_size if copy == "working" else info.size
    headers = {
        "Content-Disposition": content_disposition(download_name(info, copy)),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": DOWNLOAD_POLICY,
        "Cache-Control": "no-store",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(_chunks(stream), media_type=served_media_type(media), headers=headers)


# --- what the pages show -----------------------------------------------------------------


def size_text(tr: Translator, size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return tr.gettext("{n} bytes", n=size)
    if size < 1024 * 1024:
        return tr.gettext("{n} KB", n=format_decimal(round(size / 1024, 1), locale=tr.lang))
    return tr.gettext("{n} MB", n=format_decimal(round(size / 1024 / 1024, 1), locale=tr.lang))


def custody_key(entry: evidence.CustodyEntry) -> str:
    if entry.action == "document.download":
        return f"document.download/{entry.details.get('copy', 'original')}"
    return entry.action


def labels(tr: Translator) -> dict[str, Callable[..., str]]:
    """What the document and readiness templates translate values with."""
    return {
        "kind_label": lambda value: tr.label(KIND_LABELS, value),
        "checklist_label": lambda value: tr.label(CHECKLIST_LABELS, value),
        "state_label": lambda value: tr.label(STATE_LABELS, value),
        "traveller_label": lambda value: tr.label(TRAVELLER_LABELS, value),
        "custody_label": lambda entry: tr.label(CUSTODY_LABELS, custody_key(entry)),
        "size_text": lambda value: size_text(tr, value),
    }


def case_evidence(uow: UnitOfWork, child_id: int, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The documents (for roles that read evidence; none for others) and the
    return checklist of a case, with the titles of the documents' sources."""
    documents = evidence.case_documents(uow, child_id)
    readiness: Readiness = evidence.return_readiness(uow, child_id)
    sources = {r["source_id"]: r["source_title"] for r in records}
    for doc in documents:
        if doc.source_id is not None and doc.source_id not in sources:
            sources[doc.source_id] = uow.repos.sources.get(doc.source_id).title
    sensitive = uow.actor.can(Permission.READ_SENSITIVE)
    return {
        "documents": documents,
        "readiness": readiness,
        "document_sources": sources,
        "document_kinds": list(KIND_LABELS),
        "traveller_roles": list(TRAVELLER_LABELS),
        "evidence_readable": sensitive,
    }
