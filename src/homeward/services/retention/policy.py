"""The retention policy: what may be removed, after how long, and the one check
every rule passes whatever it selected: nothing of an open case is removed.

Plain values only (no database here), so the command line, the tests and the
documentation can all read the policy as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from homeward.config import Settings
from homeward.domain.status import Status


class Kind(StrEnum):
    """The kinds of things retention removes (docs/retention.md, one section each)."""

    PUBLIC_REPORT = "public_report"
    """A report from the public form that no case worker confirmed."""
    DUPLICATE_PROPOSAL = "duplicate_proposal"
    """A proposed match nobody decided, about a case already settled as a duplicate."""
    ORPHAN_FILE = "orphan_file"
    """A file in the store that no document names."""
    WITHDRAWN_DOCUMENT = "withdrawn_document"
    """A document of a case closed as withdrawn, long ago."""


KIND_TITLES: dict[Kind, str] = {
    Kind.PUBLIC_REPORT: "public reports never confirmed",
    Kind.DUPLICATE_PROPOSAL: "proposals about settled duplicates",
    Kind.ORPHAN_FILE: "files no document names",
    Kind.WITHDRAWN_DOCUMENT: "documents of withdrawn cases",
}


def is_open(status: str, *, duplicate_rule: bool = False) -> bool:
    """Whether a case in ``status`` is open, so that nothing of it may be removed.

    Every status but *closed* is open.  For the duplicate rule a case rejected
    (as a duplicate or otherwise) or merged into another is not open either: a
    merged case keeps nothing of its own (its records, events and relatives
    moved to the surviving case), and a rejected one is out of the work.
    """
    if status == Status.CLOSED:
        return False
    return not (duplicate_rule and status in (Status.REJECTED, Status.MERGED))


@dataclass(frozen=True)
class Policy:
    """The periods in force, in days; 0 turns a rule off (nothing of it is removed)."""

    public_reports_days: int = 365
    """Public reports rejected in triage, counted from the rejection."""
    untriaged_public_reports_days: int = 0
    """Public reports nobody triaged, counted from their arrival (off by default)."""
    duplicate_proposals_days: int = 90
    orphan_files_days: int = 2
    withdrawn_documents_days: int = 3650

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            public_reports_days=settings.retention_public_reports_days,
            untriaged_public_reports_days=settings.retention_untriaged_public_reports_days,
            duplicate_proposals_days=settings.retention_duplicate_proposals_days,
            orphan_files_days=settings.retention_orphan_files_days,
            withdrawn_documents_days=settings.retention_withdrawn_documents_days,
        )

    def as_dict(self) -> dict[str, int]:
        """The periods by the name of their setting (``retention_…``), as the
        audit trail records the policy each run applied."""
        return {
            "retention_public_reports_days": self.public_reports_days,
            "retention_untriaged_public_reports_days": self.untriaged_public_reports_days,
            "retention_duplicate_proposals_days": self.duplicate_proposals_days,
            "retention_orphan_files_days": self.orphan_files_days,
            "retention_withdrawn_documents_days": self.withdrawn_documents_days,
        }


def period(days: int) -> timedelta | None:
    """The period of a rule, or None when the rule is off."""
    return timedelta(days=days) if days > 0 else None


@dataclass(frozen=True)
class RetentionItem:
    """One thing a run would remove: what it is, why, and since when the
    period counts."""

    kind: Kind
    id: str
    """The record, proposal or document id; a file's SHA-256 (or its name, for a
    temporary file)."""
    what: str
    why: str
    since: datetime
    age: timedelta
    files: tuple[str, ...] = ()
    """Store files the item names, removed with it once nothing else names them."""
    size: int | None = None
    """A file's size in bytes."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.value, self.id)

    @property
    def age_days(self) -> int:
        return self.age.days

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.id,
            "what": self.what,
            "why": self.why,
            "since": self.since.isoformat(),
            "age_days": self.age_days,
            "size": self.size,
        }


@dataclass(frozen=True)
class RetentionPlan:
    """What a run would remove at ``now`` under ``policy``, kind by kind."""

    now: datetime
    policy: Policy
    items: tuple[RetentionItem, ...]

    def of_kind(self, kind: Kind) -> list[RetentionItem]:
        return [i for i in self.items if i.kind is kind]

    def counts(self) -> dict[str, int]:
        """How many items of each kind (every kind, none left out)."""
        return {k.value: len(self.of_kind(k)) for k in Kind}

    @property
    def empty(self) -> bool:
        return not self.items


@dataclass
class RetentionResult:
    """What a run removed, and what it left because it was no longer eligible."""

    removed: list[RetentionItem] = field(default_factory=list)
    skipped: list[RetentionItem] = field(default_factory=list)
    """Planned, but no longer eligible when the run re-checked (someone triaged
    the report, reopened the case, a document came to name the file)."""
    files_removed: list[str] = field(default_factory=list)
    files_restored: list[str] = field(default_factory=list)
    """Files an interrupted earlier run had set aside, put back in place."""
    problems: list[str] = field(default_factory=list)
    """Files the run could not delete after the commit (they are out of the
    store's addresses, named ``.retention-<sha256>``; the next run removes them)."""

    def counts(self) -> dict[str, int]:
        return {k.value: sum(1 for i in self.removed if i.kind is k) for k in Kind}
