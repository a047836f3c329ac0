"""Bodies the API reads and the page envelope it answers with."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from homeward.domain.documents import DocumentKind, TravellerRole
from homeward.domain.model import Category
from homeward.domain.status import Status
from homeward.services.review import Action


class Page(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class ReportCreate(BaseModel):
    """One report, as typed: every field may be missing."""

    given_name: str | None = None
    family_name: str | None = None
    patronymic: str | None = None
    full_name: str | None = None
    sex: str | None = None
    birth_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    birth_place: str | None = None
    residence: str | None = None
    mother_name: str | None = None
    father_name: str | None = None
    last_known_location: str | None = None
    removal_date: str | None = None
    removal_place: str | None = None
    removal_circumstances: str | None = None
    reporter_name: str | None = None
    reporter_contact: str | None = None
    notes: str | None = None
    title: str | None = Field(default=None, description="The report's source title")


class ReportLink(BaseModel):
    case_number: str
    reason: str


class ReportNewCase(BaseModel):
    category: Category
    reason: str = "new report"


class ReviewDecision(BaseModel):
    action: Action
    reason: str
    version: int | None = Field(
        default=None, description="The version you saw; refused (409) if it changed since"
    )
    keep_case_number: str | None = Field(
        default=None, description="For two cases: the one that survives the merge"
    )


class StatusMove(BaseModel):
    status: Status
    detail: str | None = Field(default=None, description="located: russia, belarus...")
    reason: str
    version: int | None = Field(
        default=None, description="The version you saw; refused (409) if it changed since"
    )


class CaseMerge(BaseModel):
    """Merge this case and another case of the same child."""

    other_case_number: str = Field(description="The other case")
    keep_case_number: str = Field(description="The case number that stays: one of the two")
    reason: str
    version: int | None = Field(
        default=None, description="This case's version you saw; refused (409) if it changed since"
    )
    other_version: int | None = Field(
        default=None, description="The other case's version you saw; refused (409) likewise"
    )


class CaseUnmerge(BaseModel):
    """Undo a merge into this case: the merged case comes back as it was."""

    merged_case_number: str = Field(description="The case that was merged into this one")
    reason: str
    version: int | None = Field(
        default=None, description="This case's version you saw; refused (409) if it changed since"
    )


class CaseSplit(BaseModel):
    """Records of this case that describe another child, out into a new case."""

    record_ids: list[int] = Field(min_length=1)
    reason: str
    version: int | None = Field(
        default=None, description="The version you saw; refused (409) if it changed since"
    )


class CaseAssign(BaseModel):
    """Give the case to a user who works cases, or (``username`` null) take it back."""

    username: str | None = Field(description="The assignee; null to unassign")
    version: int | None = Field(
        default=None, description="The version you saw; refused (409) if it changed since"
    )


# --- documents and return readiness ----------------------------------------------------


class DocumentRead(BaseModel):
    """A document of a case as roles that read evidence see it."""

    id: int
    case_number: str = Field(description="The case it was added to (perhaps merged since)")
    kind: DocumentKind
    filename: str = Field(description="The name it arrived with; never used as a path")
    media_type: str
    size: int = Field(description="Bytes of the original")
    sha256: str = Field(description="SHA-256 of the original, which is never replaced")
    description: str | None
    record_id: int | None
    event_id: int | None
    source_id: int | None
    added_by: str
    added_at: datetime
    verified_by: str | None
    verified_at: datetime | None
    working_sha256: str | None = Field(description="The working (redacted) copy, if any")
    working_media_type: str | None
    working_size: int | None
    working_note: str | None = Field(description="What the working copy redacts, and why")
    version: int = Field(description="Send it back to verify or replace the working copy")


class CustodyEntryRead(BaseModel):
    """One entry of a document's chain of custody (an audit trail entry)."""

    seq: int = Field(description="The entry's number in the audit trail")
    at: str = Field(description="When, ISO 8601 in UTC")
    actor: str
    action: str = Field(
        description="document.add, document.view, document.download, document.export, "
        "document.redact or document.verify"
    )
    details: dict[str, Any] = Field(description="e.g. the copy downloaded and its SHA-256")


class DocumentDetail(DocumentRead):
    custody: list[CustodyEntryRead] = Field(description="Oldest first; this read is the last")


class DocumentList(BaseModel):
    items: list[DocumentRead]
    total: int


class DocumentVerify(BaseModel):
    version: int | None = Field(
        default=None, description="The version you saw; refused (409) if it changed since"
    )


class ChecklistItemRead(BaseModel):
    key: str = Field(
        description="identity_verified, legal_representative, birth_certificate, "
        "proof_of_kinship, authority, return_identity_certificate or traveller"
    )
    state: Literal["met", "unverified", "missing"] = Field(
        description="unverified: a document is there but nobody verified it yet"
    )
    met: bool
    document_ids: list[int] = Field(
        description="The documents behind the line (empty for roles that may not read evidence)"
    )
    detail: str | None = Field(
        description="The case's status, the requesting representative's or the traveller's name"
    )


class ReadinessRead(BaseModel):
    case_number: str
    ready: bool = Field(description="Every line met")
    missing: list[str] = Field(description="The keys of the lines not met")
    items: list[ChecklistItemRead]
    traveller_name: str | None
    traveller_role: TravellerRole | None


class TravellerSet(BaseModel):
    """Who will travel to bring the child home; a relative of the case by id, or
    a name.  Neither says the traveller is not known any more."""

    name: str | None = Field(default=None, max_length=300)
    role: TravellerRole | None = None
    relative_id: int | None = Field(
        default=None, description="A relative of this case; travels under their own name"
    )
    note: str | None = Field(default=None, max_length=4000)
