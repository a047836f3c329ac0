"""Retention: what Homeward stops keeping, and when (docs/retention.md).

Homeward keeps what is reported about a child as evidence, and must not keep
what it has no reason to keep.  Four rules, each with its period in the
settings (``retention_…_days``; 0 turns a rule off):

- reports from the public form that no case worker confirmed (rejected in
  triage; never triaged, when that rule is on);
- proposed matches nobody decided about a case already merged away or
  rejected as a duplicate;
- files in the store that no document names;
- documents of cases closed as withdrawn, long ago.

Nothing that belongs to an open case is ever removed (:func:`is_open`, checked
apart from the rules), no decision is ever removed, and every removal is in
the audit trail.  :func:`plan_retention` shows what would go;
:func:`apply_retention` removes exactly that, re-checked.
"""

from __future__ import annotations

from homeward.services.retention.policy import (
    KIND_TITLES,
    Kind,
    Policy,
    RetentionItem,
    RetentionPlan,
    RetentionResult,
    is_open,
)
from homeward.services.retention.run import apply_retention, plan_retention

__all__ = [
    "KIND_TITLES",
    "Kind",
    "Policy",
    "RetentionItem",
    "RetentionPlan",
    "RetentionResult",
    "apply_retention",
    "is_open",
    "plan_retention",
]
