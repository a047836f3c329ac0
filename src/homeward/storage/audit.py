"""The hash-chained audit log: appending entries and verifying the chain.

Each entry's ``hash`` is SHA-256 over its predecessor's hash and its own
content (time, actor, action, entity, before, after), so changing, removing,
inserting or reordering any entry breaks the chain at a place ``verify_chain``
names.  ``seq`` numbers entries 1, 2, 3… without gaps; it is assigned under a
lock held until commit, so the chain has one order on every database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from homeward.storage.db import WRITE_LOCK_KEY, copy_rows, insert_rows
from homeward.storage.tables import AuditRow

GENESIS = "0" * 64

REDACTED_FIELDS = frozenset(
    {
        "reporter_name",
        "reporter_contact",
        "phone",
        "email",
        "address",
        "notes",
        "password_hash",
        "totp_secret",
        "token_hash",
        "raw",
    }
)
"""Sensitive values (and a record's raw copy, which holds them) are logged as a
digest: the log proves they changed without showing them to every reader."""


_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
)
_STRING = json.encoder.encode_basestring  # a string as ``_CANONICAL`` writes it


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces, non-ASCII as it is: one text per value."""
    return _CANONICAL.encode(value)


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    return value


def protect(field: str, value: Any) -> Any:
    if field in REDACTED_FIELDS and value not in (None, ""):
        text = value if isinstance(value, str) else canonical_json(value)
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return jsonable(value)


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), list, dict})


def protect_row(values: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """``{key: protect(key, values.get(key))}`` for many rows at a time: the
    same values, with the plain ones (most of a row) passed through as they are."""
    out: dict[str, Any] = {}
    for key in keys:
        value = values.get(key)
        if key in REDACTED_FIELDS or type(value) not in _PLAIN_TYPES:
            value = protect(key, value)
        out[key] = value
    return out


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | None,
    before: str | None,
    after: str | None,
) -> str:
    items = (prev_hash, at, actor, action, entity_type, entity_id, before, after)
    try:  # canonical_json(list(items)), written out for items that are text or None
        payload = "[" + ",".join("null" if v is None else _STRING(v) for v in items) + "]"
    except TypeError:  # not text: a value changed behind the trail's back, say
        payload = canonical_json(list(items))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class _Head:
    seq: int
    hash: str


def _head(session: Session) -> _Head:
    """The chain's last entry, read once per transaction under the audit lock."""
    head = session.info.get("audit_head")
    if head is None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
        row = session.execute(
            select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        head = _Head(row[0], row[1]) if row else _Head(0, GENESIS)
        session.info["audit_head"] = head
    assert isinstance(head, _Head)
    return head


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Append one entry in the session's transaction and return its ``seq``."""
    return append_many(session, [(actor, action, entity_type, entity_id, before, after)])


Entry = tuple[str, str, str, "str | int | None", "dict[str, Any] | None", "dict[str, Any] | None"]
"""``(actor, action, entity_type, entity_id, before, after)``."""


def append_many(session: Session, entries: Iterable[Entry]) -> int:
    """Append entries in order, in one statement; returns the last ``seq``
    (0 when there was nothing to append)."""
    entries = list(entries)
    if not entries:
        return 0
    head = _head(session)
    at = timestamp()
    rows = []
    for actor, action, entity_type, entity_id, before, after in entries:
        before_text = canonical_json(before) if before is not None else None
        after_text = canonical_json(after) if after is not None else None
        eid = None if entity_id is None else str(entity_id)
        digest = entry_hash(head.hash, at, actor, action, entity_type, eid, before_text, after_text)
        rows.append(
            {
                "seq": head.seq + 1, "at": at, "actor": actor, "action": action,
                "entity_type": entity_type, "entity_id": eid, "before": before_text,
                "after": after_text, "prev_hash": head.hash, "hash": digest,
            }
        )  # fmt: skip
        head.seq, head.hash = head.seq + 1, digest
    connection = session.connection()
    if connection.dialect.name == "postgresql" and len(rows) > 1:
        copy_rows(connection, AuditRow.__table__, list(rows[0]), rows)  # type: ignore[arg-type]
    elif connection.dialect.name == "sqlite" and len(rows) > 1:
        insert_rows(connection, AuditRow.__table__, list(rows[0]), rows)  # type: ignore[arg-type]
    else:
        session.execute(insert(AuditRow), rows)
    return head.seq


def forget_head(session: Session) -> None:
    """After commit or rollback the cached head is stale."""
    session.info.pop("audit_head", None)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str
    """``edited``, ``deleted``, ``inserted``, ``reordered`` or ``truncated``."""
    detail: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.kind}: {self.detail}"


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def iter_entries(session: Session, batch: int = 5000) -> Iterator[AuditRow]:
    last = None
    while True:
        query = select(AuditRow).order_by(AuditRow.seq, AuditRow.id).limit(batch)
        if last is not None:
            query = query.where(AuditRow.seq >= last[0]).where(
                (AuditRow.seq > last[0]) | (AuditRow.id > last[1])
            )
        rows = list(session.scalars(query))
        if not rows:
            return
        yield from rows
        last = (rows[-1].seq, rows[-1].id)


def _content_hash(row: AuditRow) -> str:
    return entry_hash(
        row.prev_hash,
        row.at,
        row.actor,
        row.action,
        row.entity_type,
        row.entity_id,
        row.before,
        row.after,
    )


def verify_chain(
    entries: Iterable[AuditRow], expect_head: tuple[int, str] | None = None
) -> ChainReport:
    """Walk the log in ``seq`` order and name the first entry that breaks it.

    ``expect_head`` is a (seq, hash) checkpoint taken earlier: the log must
    still contain it, which shows a truncated or replaced tail.
    """
    prev: AuditRow | None = None
    count = 0
    seen: dict[str, int] = {}
    problem: ChainProblem | None = None
    for row in entries:
        count += 1
        if problem is None:
            expected_seq = prev.seq + 1 if prev else 1
            expected_prev = prev.hash if prev else GENESIS
            problem = _check(row, prev, expected_seq, expected_prev, seen)
            at_checkpoint = expect_head is not None and row.seq == expect_head[0]
            if problem is None and at_checkpoint and row.hash != expect_head[1]:  # type: ignore[index]
                problem = ChainProblem(
                    row.seq, "edited", "differs from the checkpoint taken earlier"
                )
        seen[row.hash] = row.seq
        prev = row
    if problem is None and expect_head and (prev is None or prev.seq < expect_head[0]):
        last = prev.seq if prev else 0
        problem = ChainProblem(
            last + 1,
            "truncated",
            f"the checkpoint names entry {expect_head[0]}, the log ends at {last}",
        )
    return ChainReport(
        entries=count,
        head_seq=prev.seq if prev else 0,
        head_hash=prev.hash if prev else GENESIS,
        problem=problem,
    )


def _check(
    row: AuditRow,
    prev: AuditRow | None,
    expected_seq: int,
    expected_prev: str,
    seen: dict[str, int],
) -> ChainProblem | None:
    if row.seq == (prev.seq if prev else None):
        return ChainProblem(row.seq, "inserted", "a second entry carries this number")
    if row.hash != _content_hash(row):
        return ChainProblem(row.seq, "edited", "its content no longer matches its hash")
    if row.seq > expected_seq:
        missing = (
            f"entry {expected_seq}"
            if row.seq == expected_seq + 1
            else f"entries {expected_seq}–{row.seq - 1}"
        )
        return ChainProblem(row.seq, "deleted", f"{missing} missing before it")
    if row.seq < expected_seq:
        return ChainProblem(row.seq, "reordered", f"comes after entry {expected_seq - 1}")
    if row.prev_hash != expected_prev:
        if prev is not None and row.prev_hash == prev.prev_hash:
            return ChainProblem(
                prev.seq,
                "inserted",
                f"not part of the chain: entry {row.seq} follows its predecessor",
            )
        if row.prev_hash in seen:
            return ChainProblem(
                row.seq,
                "reordered",
                f"it follows entry {seen[row.prev_hash]}, not {expected_seq - 1}",
            )
        return ChainProblem(
            row.seq,
            "reordered",
            "it does not follow the entry before it (entries were moved or replaced)",
        )
    return None
