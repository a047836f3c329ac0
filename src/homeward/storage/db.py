"""Engines and sessions for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine with Homeward's connection settings.

    SQLite gets WAL (readers never block the writer), foreign keys, a busy
    timeout, and transactions that start with ``BEGIN IMMEDIATE`` when they
    will write, so two writers queue instead of failing half-way.
    Connections are pooled: opening one per unit of work cost its pragmas
    each time, and closing the last one checkpointed the WAL.  (Processes
    forked by an import never touch the parent's connections.)
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, echo=echo, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


WRITE_LOCK_KEY = 7_424_811
"""The PostgreSQL advisory lock every writing transaction holds until it ends."""


def _configure_postgresql(engine: Engine) -> None:
    """Writers take one transaction-scoped lock before their first write.

    The audit chain needs one order of writers, and taking that lock first,
    always, means no writer can hold a row another waits for while it waits
    for the lock: no deadlock.  Readers never take it.  A writer that loaded a
    row before another changed it still fails on the version column.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _lock_before_write(
        conn: Connection, cursor: Any, statement: str, _p: Any, _c: Any, _m: bool
    ) -> None:
        if conn.info.get("homeward_locked") or statement.lstrip()[:6].upper() == "SELECT":
            return
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        conn.info["homeward_locked"] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _unlocked(conn: Connection) -> None:
        conn.info.pop("homeward_locked", None)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("homeward_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
