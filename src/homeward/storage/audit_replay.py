"""Replaying the audit trail against the tables: changes made behind its back.

The chain (``audit.verify_chain``) proves no entry was edited, removed or
inserted.  It cannot see an ``UPDATE children SET status = ...`` typed straight
into the database, which leaves the trail intact.  Every change Homeward makes
is in the trail with its values, so the trail can be replayed table by table
(insert, then each update's new values, or a delete) into what each row must
hold now, and compared with what it does hold.  Each difference is named: the
table, the row, the column, the value found and the value recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from homeward.storage.audit import canonical_json, protect
from homeward.storage.tables import AuditRow, Base

NOT_AUDITED_TABLES = frozenset(
    {"audit_log", "record_keys", "counters", "address_events", "import_jobs"}
)
"""The log itself, an index rebuilt from the records, the case-number
counters (a case number is in the trail with its case), and what the web
server processes share: counts of what client addresses did, kept a day at
most for the sign-in and report limits, and the progress of imports running
in the background (the import itself, its rows and its end, is in the trail)."""

NOT_AUDITED_COLUMNS: dict[str, frozenset[str]] = {
    "web_sessions": frozenset({"last_seen_at"}),
}
"""Columns Homeward keeps up to date outside the trail, deliberately (a session's
last use, to the minute, would otherwise add a trail entry per minute of work)."""

_GONE = None


def _set_by_flush(table: Table) -> frozenset[str]:
    """Bookkeeping columns the flush itself sets (``updated_at``, the version
    counter): the trail's entries do not carry their new values, and changing
    them alone changes nothing anyone relies on."""
    return frozenset(c.key for c in table.columns if c.onupdate is not None or c.key == "version")


def _normal(value: Any) -> Any:
    return json.loads(canonical_json(value))


def replayed(session: Session, table: str) -> dict[str, dict[str, Any] | None]:
    """Each row's values as the trail last recorded them; None once deleted."""
    state: dict[str, dict[str, Any] | None] = {}
    query = (
        select(AuditRow.entity_id, AuditRow.action, AuditRow.after)
        .where(AuditRow.entity_type == table)
        .order_by(AuditRow.seq)
        .execution_options(yield_per=5000)
    )
    for entity_id, action, after in session.execute(query):
        op = action.rsplit(":", 1)[-1]
        if entity_id is None or op not in ("insert", "update", "delete"):
            continue  # a read or a note, not a row change
        if op == "delete":
            state[entity_id] = _GONE
            continue
        values = json.loads(after) if after else {}
        current = state.get(entity_id)
        if op == "insert" or current is None:
            state[entity_id] = values
        else:
            current.update(values)
    return state


def table_differences(session: Session, table: Table, limit: int = 50) -> Iterator[str]:
    """What in ``table`` differs from the trail's replay, at most ``limit`` items."""
    name = table.name
    state = replayed(session, name)
    skipped = NOT_AUDITED_COLUMNS.get(name, frozenset()) | _set_by_flush(table)
    keys = [c.name for c in table.primary_key.columns]
    columns = {c.name: c.key for c in table.columns}
    found = 0
    for row in session.execute(select(table).execution_options(yield_per=2000)).mappings():
        row_id = "/".join(str(row[k]) for k in keys)
        recorded = state.pop(row_id, ...)
        problem = None
        if recorded is ...:
            problem = f"{name} {row_id}: not in the audit trail (added behind Homeward's back)"
        elif recorded is _GONE:
            problem = f"{name} {row_id}: the audit trail records its removal, yet it is there"
        else:
            for column, key in columns.items():
                if key not in recorded or key in skipped:
                    continue
                now = _normal(protect(key, row[column]))
                if now != recorded[key]:
                    problem = (
                        f"{name} {row_id}: {key} is {now!r} in the database but the "
                        f"audit trail recorded {recorded[key]!r}"
                    )
                    break
        if problem:
            found += 1
            yield problem
            if found >= limit:
                return
    for row_id, recorded in state.items():
        if recorded is not _GONE:
            found += 1
            yield f"{name} {row_id}: removed behind Homeward's back (the trail records no removal)"
            if found >= limit:
                return


def differences(session: Session, limit: int = 50) -> list[str]:
    """Every audited table replayed and compared; the first ``limit`` problems."""
    problems: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_AUDITED_TABLES:
            continue
        problems += table_differences(session, table, limit - len(problems))
        if len(problems) >= limit:
            break
    return problems
