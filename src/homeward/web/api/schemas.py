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
