"""Reading the audit trail for a concurrency test: which changes went in, in
the order the database took them."""

from __future__ import annotations

from sqlalchemy import select

from homeward.services.registry_app import Registry
from homeward.storage.tables import AuditRow


def entries(
    registry: Registry, entity_type: str, entity_id: int | None = None, *, action: str = ""
) -> list[tuple[int, str, str]]:
    """``(seq, actor, action)`` of the trail's entries about one table (or one
    row of it), oldest first; only actions starting with ``action``."""
    query = select(AuditRow.seq, AuditRow.actor, AuditRow.action).where(
        AuditRow.entity_type == entity_type, AuditRow.action.startswith(action)
    )
    if entity_id is not None:
        query = query.where(AuditRow.entity_id == str(entity_id))
    with registry.uow(write=False) as uow:
        return [(int(s), a, act) for s, a, act in uow.session.execute(query.order_by(AuditRow.seq))]
