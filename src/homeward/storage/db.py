"""Engines and sessions for SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine with Homeward's connection settings.

    SQLite gets WAL (readers never block the writer), foreign keys, a busy
    timeout, and transactions that start with ``BEGIN IMMEDIATE`` when they
    will write, so two writers queue instead of failing half-way (see
    :func:`begin_immediate` for how they queue).
    Connections are pooled: opening one per unit of work cost its pragmas
    each time, and closing the last one checkpointed the WAL.  (Processes
    forked by an import never touch the parent's connections.)
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "check_same_thread": False,
                "factory": WriterConnection,
            },
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
    """Writers take one transaction-scoped lock before they read anything.

    The audit chain needs one order of writers, and taking that lock first,
    always, means no writer can hold a row another waits for while it waits
    for the lock: no deadlock.  A unit of work that will write takes it as its
    transaction begins (as ``BEGIN IMMEDIATE`` does on SQLite), so what it
    checks before writing (the case is not merged, the proposal still waits)
    is still so when it writes; any other transaction takes it before its
    first write.  Readers never take it.
    """

    @event.listens_for(engine, "begin")
    def _lock_writer(conn: Connection) -> None:
        if conn.get_execution_options().get("homeward_write"):
            take_write_lock(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _lock_before_write(
        conn: Connection, cursor: Any, statement: str, _p: Any, _c: Any, _m: bool
    ) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            take_write_lock(conn, cursor)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _unlocked(conn: Connection) -> None:
        conn.info.pop("homeward_locked", None)


def take_write_lock(conn: Connection, cursor: Any = None) -> None:
    """Take the writers' lock on PostgreSQL, once per transaction (the hook
    above does it before the first write; a write that bypasses SQLAlchemy's
    cursor, such as ``COPY``, calls this first)."""
    if conn.info.get("homeward_locked"):
        return
    if cursor is None:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
    else:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
    conn.info["homeward_locked"] = True


def copy_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> None:
    """PostgreSQL: write many rows with ``COPY``, each value bound as SQLAlchemy
    would bind it.  A bulk insert through SQLAlchemy sends one statement with a
    placeholder per value, which the driver parses in Python: for 20,000
    records that parsing cost more than all of the database's own work."""
    take_write_lock(connection)
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            values = (row.get(name) for name in columns)
            copy.write_row(
                [
                    value if process is None or value is None else process(value)
                    for value, process in zip(values, processors, strict=True)
                ]
            )


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> None:
    """SQLite: write many rows with one prepared statement run by the driver
    (``executemany``), each value bound as SQLAlchemy would bind it: none of
    the per-row work of a compiled insert."""
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    batch = [
        tuple(
            value if process is None or value is None else process(value)
            for value, process in zip((row.get(name) for name in columns), processors, strict=True)
        )
        for row in rows
    ]
    if batch:
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(table.c[name].name) for name in columns)
        marks = ", ".join(["?"] * len(columns))
        connection.exec_driver_sql(
            f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", batch
        )


def new_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """PostgreSQL: ``count`` ids from the table's sequence, in increasing order,
    for rows written with :func:`copy_rows`."""
    sequence = connection.exec_driver_sql(
        "SELECT pg_get_serial_sequence(%s, 'id')", (table.name,)
    ).scalar_one()
    found = connection.exec_driver_sql(
        "SELECT nextval(%s) FROM generate_series(1, %s)", (sequence, count)
    )
    return sorted(int(row[0]) for row in found)


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
        if conn.get_execution_options().get("homeward_write"):
            begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN DEFERRED")


SQLITE_RETRY_SECONDS = (0.0005, 0.001, 0.002, 0.004)
"""Pauses between two tries at the write lock held by another process (the
last one repeats): short, where SQLite's own busy handler sleeps up to 0.1 s."""

_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def _forget_writer_locks() -> None:
    # A forked process starts with one thread: a lock held by another thread
    # of its parent would never be released in it.
    global _writer_locks_guard
    _writer_locks.clear()
    _writer_locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_forget_writer_locks)


def writer_lock(path: str) -> threading.Lock:
    """The lock the writers of this process take, one database file at a time."""
    key = os.path.realpath(path)
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.Lock())


class WriterConnection(sqlite3.Connection):
    """A SQLite connection that lets go of its process's writers' lock once
    its transaction has ended (committed, rolled back, or closed)."""

    held: threading.Lock | None = None

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.release_writers()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.release_writers()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.release_writers()

    def release_writers(self) -> None:
        held, self.held = self.held, None
        if held is not None:
            held.release()


def begin_immediate(conn: Connection) -> None:
    """Begin a writing transaction on SQLite, queued behind the other writers.

    SQLite lets one transaction write at a time; another that wants to waits in
    its busy handler, which sleeps in growing steps (up to 0.1 s) and tries
    again, so a writer can sleep on long after the lock was let go, and one
    that keeps missing its turn waits many times as long as the writers before
    it took.  Here the writers of one process wait for each other on a lock
    that wakes the next one as soon as it is let go, and the one at the head
    tries for the database's lock every few milliseconds (writers of other
    processes hold it at times).  As before, a writer that cannot begin within
    the busy timeout fails with "database is locked"."""
    raw = conn.connection.driver_connection
    if not isinstance(raw, WriterConnection) or raw.held is not None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    path = conn.engine.url.database or ""
    lock = writer_lock(path) if path and path != ":memory:" else None
    if lock is not None and lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        raw.held = lock
    try:
        raw.execute("PRAGMA busy_timeout=0")
        try:
            for attempt in range(1_000_000):
                if time.monotonic() >= deadline:
                    break
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as err:
                    if "locked" not in str(err) and "busy" not in str(err):
                        raise
                time.sleep(SQLITE_RETRY_SECONDS[min(attempt, len(SQLITE_RETRY_SECONDS) - 1)])
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # fails as SQLite fails: "database is locked"
        finally:
            raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    except BaseException:
        raw.release_writers()
        raise


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
