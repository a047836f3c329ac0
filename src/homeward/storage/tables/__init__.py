"""The database tables (SQLAlchemy 2 declarative).  ``ChildRow`` is the table of
cases, ``Child`` would be the domain object: rows never leave storage/ and
services/ except as plain values.

One module per area; everything is importable from here."""

from __future__ import annotations

from homeward.storage.tables.base import (
    NAMING,
    Base,
    UTCDateTime,
    utcnow,
)
from homeward.storage.tables.evidence import (
    DocumentRow,
    ReturnPlanRow,
)
from homeward.storage.tables.lists import (
    DeliveryRow,
    HandoverListRow,
    ListAnswerRow,
    ListChangeRow,
    ListEntryRow,
    ListVersionRow,
)
from homeward.storage.tables.registry import (
    ChildRow,
    DecisionRow,
    EventRow,
    FacilityRow,
    ImportRow,
    MatchCandidateRow,
    OrganisationRow,
    QuarantineRow,
    RecordKeyRow,
    RecordRow,
    RelativeRow,
    SourceRow,
    StatusChangeRow,
    UserRow,
)
from homeward.storage.tables.system import (
    AddressEventRow,
    ApiTokenRow,
    AuditRow,
    CounterRow,
    ImportJobRow,
    WebSessionRow,
)

__all__ = [
    "NAMING",
    "AddressEventRow",
    "ApiTokenRow",
    "AuditRow",
    "Base",
    "ChildRow",
    "CounterRow",
    "DecisionRow",
    "DeliveryRow",
    "DocumentRow",
    "EventRow",
    "FacilityRow",
    "HandoverListRow",
    "ImportJobRow",
    "ImportRow",
    "ListAnswerRow",
    "ListChangeRow",
    "ListEntryRow",
    "ListVersionRow",
    "MatchCandidateRow",
    "OrganisationRow",
    "QuarantineRow",
    "RecordKeyRow",
    "RecordRow",
    "RelativeRow",
    "ReturnPlanRow",
    "SourceRow",
    "StatusChangeRow",
    "UTCDateTime",
    "UserRow",
    "WebSessionRow",
    "utcnow",
]
