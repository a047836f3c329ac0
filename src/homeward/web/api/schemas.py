"""Bodies the API reads and the page envelope it answers with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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
