"""Documents and evidence: the files of a case with their chain of custody,
return readiness, signed evidence packages, and the check of the file store.

See docs/evidence.md."""

from homeward.services.evidence.documents import (
    CustodyEntry,
    DocumentInfo,
    add_document,
    case_documents,
    custody_history,
    get_document,
    open_document,
    set_working_copy,
    verify_document,
)
from homeward.services.evidence.integrity import StoreReport, verify_store
from homeward.services.evidence.packages import (
    PackageReport,
    PackageSummary,
    export_package,
    verify_package,
)
from homeward.services.evidence.readiness import (
    ChecklistItem,
    Readiness,
    readiness_by_case_number,
    readiness_of,
    return_readiness,
    set_traveller,
)

__all__ = [
    "ChecklistItem",
    "CustodyEntry",
    "DocumentInfo",
    "PackageReport",
    "PackageSummary",
    "Readiness",
    "StoreReport",
    "add_document",
    "case_documents",
    "custody_history",
    "export_package",
    "get_document",
    "open_document",
    "readiness_by_case_number",
    "readiness_of",
    "return_readiness",
    "set_traveller",
    "set_working_copy",
    "verify_document",
    "verify_package",
    "verify_store",
]
