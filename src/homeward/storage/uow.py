"""The unit of work: one transaction, its repositories, and its audit trail.

Every row a unit of work inserts, changes or deletes is written to the audit
log in the same transaction, with the actor and the action in force; reads
worth recording (a child's full record) are appended explicitly.  Either all
of it commits or none of it does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from types import TracebackType
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from homeward.domain.roles import SYSTEM_ACTOR, Actor
from homeward.errors import Conflict, Invalid
from homeward.storage import audit
from homeward.storage.db import copy_rows, insert_rows, new_ids
from homeward.storage.repositories import Repositories
from homeward.storage.tables import AuditRow, Base, RecordKeyRow

_NOT_AUDITED = (AuditRow, RecordKeyRow)
_INDEX_TABLES = frozenset({RecordKeyRow.__tablename__})


class UnitOfWork:
    """``with UnitOfWork(sessions, actor) as uow: ...; uow.commit()``.

    Leaving the block without ``commit()`` (or by an exception) rolls back.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor = SYSTEM_ACTOR,
        *,
        write: bool = True,
        case_prefix: str = "HW",
    ) -> None:
        self._sessions = sessions
        self.case_prefix = case_prefix
        self.actor = actor
        self.write = write
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def __enter__(self) -> UnitOfWork:
        session = self._sessions()
        session.info["actor"] = self.actor.username
        session.info["action"] = "change"
        if self.write:
            session.connection(execution_options={"homeward_write": True})
        self._session = session
        self.repos = Repositories(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() ends the transaction (rolling back what was not committed)
        # and detaches the rows without expiring them, so they stay readable.
        session = self.session
        audit.forget_head(session)
        session.close()
        self._session = None

    def commit(self) -> None:
        session = self.session
        try:
            session.commit()
        except StaleDataError as err:
            session.rollback()
            raise Conflict(
                "someone else changed this case while you were editing it; "
                "reload it and make your change again"
            ) from err
        except OperationalError as err:
            session.rollback()
            if "locked" in str(err).lower():
                raise Conflict("the database is busy; try again in a moment") from err
            raise
        finally:
            audit.forget_head(session)

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError as err:
            raise Conflict(
                "someone else changed this case while you were editing it; "
                "reload it and make your change again"
            ) from err

    @contextmanager
    def action(self, name: str) -> Iterator[None]:
        """Label the audit entries of the changes made inside the block."""
        session = self.session
        previous = session.info.get("action", "change")
        session.info["action"] = name
        try:
            yield
            session.flush()
        finally:
            session.info["action"] = previous

    def insert_many(self, table: type[Base], rows: list[dict[str, Any]], *, key: str) -> list[int]:
        """Insert many rows in a few statements, audited exactly as the ORM would
        audit them (one ``<action>:insert`` entry per row, every column); returns
        their ids in the order given.  For bulk imports: no ORM objects are built.
        Columns left out take their Python-side defaults.

        ``key`` names a column whose values are distinct among ``rows`` (a row
        number): the ids come back tagged with it, so the database may return
        them in any order and still insert many rows per statement."""
        if not rows:
            return []
        columns = table.__table__.columns
        defaults: dict[frozenset[str], dict[str, Any]] = {}
        full = []
        for row in rows:
            given = frozenset(row)
            missing = defaults.get(given)
            if missing is None:
                missing = defaults[given] = {
                    c.key: c.default for c in columns if c.key not in given and not c.primary_key
                }
            values = dict(row)
            for name, default in missing.items():
                if default is None:
                    values[name] = None
                elif default.is_callable:
                    values[name] = default.arg({})
                else:
                    values[name] = default.arg
            if values.get("version", 0) is None:
                values["version"] = 1
            full.append(values)
        core = Base.metadata.tables[table.__tablename__]
        self.session.flush()  # the changes made before come first, as in the audit trail
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            ids = new_ids(connection, core, len(full))
            for values, row_id in zip(full, ids, strict=True):
                values["id"] = row_id
            copy_rows(connection, core, [c.key for c in columns], full)
        else:
            # The writers' lock is held from the transaction's start (BEGIN
            # IMMEDIATE), so the rows above the largest id are these rows.
            quote = connection.dialect.identifier_preparer.quote
            name, key_column = quote(core.name), quote(core.c[key].name)
            last = connection.exec_driver_sql(f"SELECT max(id) FROM {name}").scalar()
            insert_rows(connection, core, [c.key for c in columns if not c.primary_key], full)
            found = connection.exec_driver_sql(
                f"SELECT id, {key_column} FROM {name} WHERE id > ?", (last or 0,)
            )
            by_key = {tag: int(row_id) for row_id, tag in found}
            ids = [by_key[values[key]] for values in full]
        action = self.session.info.get("action", "change")
        names = [c.key for c in columns]
        [primary] = [c.key for c in columns if c.primary_key]
        entries = []
        for row_id, values in zip(ids, full, strict=True):
            after = audit.protect_row(values, names)
            after[primary] = row_id
            entries.append(
                (self.actor.username, f"{action}:insert", table.__tablename__, str(row_id),
                 None, after)
            )  # fmt: skip
        audit.append_many(self.session, entries)
        return ids

    def insert_index_rows(
        self, table: type[Base], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert many rows of an index table (one that is not audited, such as
        ``record_keys``), given as tuples in ``columns`` order, straight through
        the driver: ``COPY`` on PostgreSQL, ``executemany`` on SQLite; none of
        the per-row work of a mapped insert."""
        if table.__tablename__ not in _INDEX_TABLES:
            raise ValueError(f"{table.__tablename__} is audited: use insert_many")
        batch = [tuple(row) for row in rows]
        if not batch:
            return
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            core = Base.metadata.tables[table.__tablename__]
            rows_by_name = (dict(zip(columns, row, strict=True)) for row in batch)
            copy_rows(connection, core, columns, rows_by_name)
            return
        names = ", ".join(columns)
        marks = ", ".join(["?"] * len(columns))
        connection.exec_driver_sql(
            f"INSERT INTO {table.__tablename__} ({names}) VALUES ({marks})", batch
        )

    def record_view(self, entity_type: str, entity_id: int | str, what: str = "view") -> None:
        """Append a read to the audit log (a child's full record was shown)."""
        audit.append(
            self.session,
            actor=self.actor.username,
            action=f"{entity_type}.{what}",
            entity_type=entity_type,
            entity_id=entity_id,
        )

    def note(
        self, action: str, entity_type: str, entity_id: int | str | None, **after: Any
    ) -> None:
        """Append a fact that is not a row change (an export, a failed sign-in)."""
        audit.append(
            self.session,
            actor=self.actor.username,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            after=after or None,
        )


def _row_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    return {
        attr.key: audit.protect(attr.key, getattr(obj, attr.key))
        for attr in state.mapper.column_attrs
    }


def _changed_values(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attr.key] = audit.protect(attr.key, old)
        after[attr.key] = audit.protect(attr.key, new)
    return before, after


def _primary_key(obj: Base) -> str:
    values = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in values)


def _audited(objects: Iterable[object]) -> list[Base]:
    return [o for o in objects if isinstance(o, Base) and not isinstance(o, _NOT_AUDITED)]


@cache
def _column_limits(row_type: type[Base]) -> list[tuple[str, int]]:
    found = []
    for attr in inspect(row_type).column_attrs:
        length = getattr(attr.columns[0].type, "length", None)
        if isinstance(length, int):
            found.append((attr.key, length))
    return found


@event.listens_for(Session, "before_flush")
def _refuse_values_too_long(session: Session, _context: Any, _instances: Any) -> None:
    """A text longer than its column is refused here, naming the field, alike
    on every database: SQLite would keep it, PostgreSQL would fail the whole
    transaction with an error nobody could act on.  Services check the fields
    people type first (``records.fitting_text``); this catches every other."""
    if session.info.get("actor") is None:
        return
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Base):
            continue
        for key, limit in _column_limits(type(obj)):
            value = getattr(obj, key, None)
            if isinstance(value, str) and len(value) > limit:
                raise Invalid(f"{key} is {len(value):,} characters long (at most {limit:,})")


@event.listens_for(Session, "after_flush")
def _audit_changes(session: Session, _context: Any) -> None:
    actor = session.info.get("actor")
    if actor is None:
        return  # not a Homeward unit of work (migrations, backups)
    action = session.info.get("action", "change")
    changes: list[tuple[str, Base, dict[str, Any] | None, dict[str, Any] | None]] = []
    changes += [("insert", obj, None, _row_values(obj)) for obj in _audited(session.new)]
    for obj in _audited(session.dirty):
        old, new = _changed_values(obj)
        if new:
            changes.append(("update", obj, old, new))
    changes += [("delete", obj, _row_values(obj), None) for obj in _audited(session.deleted)]
    audit.append_many(
        session,
        [
            (actor, f"{action}:{op}", obj.__tablename__, _primary_key(obj), before, after)
            for op, obj, before, after in changes
        ],
    )
