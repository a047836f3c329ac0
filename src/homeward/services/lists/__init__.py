"""Handover lists: compose, approve, freeze, deliver.

A list is a saved search (category, status, located in Russia, has a legal
representative who asked for the child's return) plus children added or
removed by hand, each with a reason.  Its entries carry the "do no harm"
profile of fields; a field beyond it needs a recorded justification, and
contacts, the reporter, evidence, health data and investigation notes can
never be added.

Each version goes draft -> approved (by a verifier who is not its author) ->
frozen.  Freezing writes the entries as they are, the canonical JSON of the
version byte for byte, its SHA-256 and the registry's Ed25519 signature of that
hash: a frozen version is never changed again, and anyone holding the public key
can check an exported copy (:func:`verify_document`).  A new version starts as
a draft and shows its difference from the previous one.
"""

from __future__ import annotations

from homeward.services.lists.compose import (
    Draft,
    add_field,
    change_child,
    create_list,
    draft_entries,
)
from homeward.services.lists.documents import (
    Verification,
    check_frozen,
    export_version,
    key_fingerprint,
    signed_document,
    verify_document,
)
from homeward.services.lists.reads import (
    Delivery,
    ListChange,
    ListSummary,
    changes_of,
    deliveries_of,
    frozen_entries,
    get_list,
    overview,
    versions_of,
)
from homeward.services.lists.rules import (
    CRITERIA,
    EXPORT_FORMATS,
    EXTRA_FIELDS,
    FORBIDDEN_FIELDS,
    FORMAT,
    PDF_LANGUAGES,
    PROFILE,
    check_export,
    current_version,
    fields_of,
    frozen_version,
    may_read,
    past_day,
    require_reader,
)
from homeward.services.lists.workflow import (
    Difference,
    approve,
    canonical,
    deliver,
    difference,
    freeze,
    new_version,
)

__all__ = [
    "CRITERIA",
    "EXPORT_FORMATS",
    "EXTRA_FIELDS",
    "FORBIDDEN_FIELDS",
    "FORMAT",
    "PDF_LANGUAGES",
    "PROFILE",
    "Delivery",
    "Difference",
    "Draft",
    "ListChange",
    "ListSummary",
    "Verification",
    "add_field",
    "approve",
    "canonical",
    "change_child",
    "changes_of",
    "check_export",
    "check_frozen",
    "create_list",
    "current_version",
    "deliver",
    "deliveries_of",
    "difference",
    "draft_entries",
    "export_version",
    "fields_of",
    "freeze",
    "frozen_entries",
    "frozen_version",
    "get_list",
    "key_fingerprint",
    "may_read",
    "new_version",
    "overview",
    "past_day",
    "require_reader",
    "signed_document",
    "verify_document",
    "versions_of",
]
