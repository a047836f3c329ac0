"""Engines and sessions for SQLite and PostgreSQL."""

from __future__ import annotations

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
        mode = "IMMEDIATE" if conn.get_execution_options().get("homeward_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
