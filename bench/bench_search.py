"""Benchmark of real-time candidate search against a large registry.

Builds a registry with the children and records of ``homeward.synthetic``
(100,000 children and 250,000 records by default) in a temporary SQLite
database, or with ``--database-url postgresql+psycopg://...`` in a PostgreSQL
database of its own that it creates on that server and drops at the end (the
database named in the URL is only used to connect).  Records are filed under
their keys exactly as ``register_record`` files them (the same
``index_rows``), but written in bulk: the audit trail is not written, it is
not what is measured.  Then it times ``homeward.linkage.search.search``, in a
read-only unit of work of its own as a web request would run it, for
``--queries`` records of other sources (Russian records, Latin records,
counterpart lists) of children that have a record in the registry, and reports
the median and 99th percentile latency, and how often the true child is the
first candidate and among the first ten.

Run it with::

    .venv/bin/python bench/bench_search.py                 # 100,000 children, SQLite
    .venv/bin/python bench/bench_search.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_search.py --children 5000 --queries 100

It prints a markdown section and writes it into ``bench/results/search.md``,
replacing the earlier section of the same backend.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, make_url, text

from homeward import synthetic
from homeward.config import Settings, normalise_database_url
from homeward.domain.roles import Actor, Role
from homeward.linkage import search as search_module
from homeward.linkage.search import index_rows, search
from homeward.services.records import birth_year, raw_copy, record_data
from homeward.services.registry_app import Registry
from homeward.storage.tables import ChildRow, RecordKeyRow, RecordRow, SourceRow

RESULTS = Path(__file__).parent / "results" / "search.md"
WORKER = Actor(username="bench", role=Role.CASE_WORKER, user_id=1)
_UKRAINIAN = {"ua_report"}
_NOT_FIELDS = ("child_key", "source", "record_id")
_HEAD = """# Real-time search benchmark

One typed record (a record of another source: Russian record, Latin record,
counterpart list) searched against a registry of synthetic children, timed as a
web request would spend it: a read-only unit of work opened (a new connection on
SQLite, one from the pool on PostgreSQL), ``homeward.linkage.search.search``
called, the unit of work closed; one process, the registry already open.
Written by ``bench/bench_search.py``.
"""


def registry_records(dataset: synthetic.SyntheticDataset, per_child: float) -> list[dict[str, Any]]:
    """The Ukrainian reports, repeated so that a child has ``per_child`` on average."""
    reports = [r for r in dataset.records if r["source"] in _UKRAINIAN]
    wanted = max(0, int(len(dataset.children) * per_child) - len(reports))
    return reports + [reports[i % len(reports)] for i in range(wanted)]


def build(
    registry: Registry, dataset: synthetic.SyntheticDataset, reports: list[dict[str, Any]]
) -> tuple[int, int, int, dict[str, int]]:
    """Write children, records and keys in bulk; returns counts and child ids by key."""
    child_ids = {c.child_key: n for n, c in enumerate(dataset.children, start=1)}
    now = datetime(2026, 11, 25, tzinfo=UTC)
    children = [
        {"id": n, "case_number": f"HW-2026-{n:06d}", "category": "deported", "status": "reported",
         "status_detail": None, "merged_into_id": None, "organisation_id": None,
         "assigned_to_id": None, "created_at": now, "updated_at": now, "version": 1}
        for n in child_ids.values()
    ]  # fmt: skip
    with registry.uow() as uow:
        source = SourceRow(kind="report", title="synthetic registry", created_by="bench")
        uow.session.add(source)
        uow.session.flush()
        source_id = source.id
        uow.commit()
    columns = [c.name for c in RecordRow.__table__.columns]
    records: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    known: dict[tuple[Any, ...], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for record_id, row in enumerate(reports, start=1):
        values = {k: v for k, v in row.items() if v and k not in _NOT_FIELDS}
        signature = tuple(sorted(values.items()))
        if signature not in known:  # a repeated report is read and keyed once
            data = record_data({**values, "document_ids": values.get("document_id", "")})
            fields = data.as_dict()
            known[signature] = (fields, index_rows(0, fields))
        fields, filed = known[signature]
        record = dict.fromkeys(columns)
        record.update(fields)
        record.update(
            id=record_id, child_id=child_ids[row["child_key"]], source_id=source_id,
            source_row=record_id, raw=raw_copy(values), birth_year=birth_year(fields["birth_date"]),
            created_at=now, created_by="bench", version=1,
        )  # fmt: skip
        records.append(record)
        keys.extend({**row, "record_id": record_id} for row in filed)
    tables = (
        (ChildRow.__table__, children),
        (RecordRow.__table__, records),
        (RecordKeyRow.__table__, keys),
    )
    with registry.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table, rows in tables:
                _copy(connection, table, rows)
        else:
            for table, rows in tables:
                for start in range(0, len(rows), 50_000):
                    connection.execute(table.insert(), rows[start : start + 50_000])
    with registry.engine.connect() as connection:  # as autovacuum leaves a loaded table
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        if connection.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("SELECT setval('children_id_seq', max(id)) FROM children"))
            connection.execute(text("SELECT setval('records_id_seq', max(id)) FROM records"))
        else:
            connection.execute(text("ANALYZE"))
    return len(children), len(records), len(keys), child_ids


def _copy(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: the fastest way in, one row at a time through psycopg."""
    names = [c.name for c in table.columns if c.name in rows[0]]
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    cursor = connection.connection.driver_connection.cursor()
    quoted = ", ".join(f'"{n}"' for n in names)
    with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in json_columns else row[n] for n in names])


@contextmanager
def database(url: str, sqlite_file: Path | None = None, keep: str = "") -> Iterator[str]:
    """A database for the run: a temporary SQLite file, or a PostgreSQL database
    of its own on the server of ``url``, dropped afterwards."""
    if sqlite_file:
        yield f"sqlite:///{sqlite_file.resolve()}"
        return
    if not url:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        return
    url = normalise_database_url(url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    if keep:  # a database of that name, made the first time and kept
        with admin.connect() as connection:
            known = connection.scalar(
                text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": keep}
            )
            if not known:
                connection.execute(text(f'CREATE DATABASE "{keep}"'))
        admin.dispose()
        yield make_url(url).set(database=keep).render_as_string(False)
        return
    name = f"hw_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _query_values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in _NOT_FIELDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument(
        "--records-per-child", type=float, default=2.5,
        help="Ukrainian records per child in the registry, on average",
    )  # fmt: skip
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true", help="print where queries spend time")
    parser.add_argument(
        "--sqlite-file", type=Path,
        help="keep the SQLite registry in this file, and reuse it when it exists",
    )  # fmt: skip
    parser.add_argument(
        "--postgresql-database", default="", metavar="NAME",
        help="build the registry in database NAME and keep it; reuse it when it holds one",
    )  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    args = parser.parse_args()

    started = time.perf_counter()
    dataset = synthetic.generate(args.children, seed=20_261_125)
    reports = registry_records(dataset, args.records_per_child)
    generated = time.perf_counter() - started
    keep = args.postgresql_database
    with database(args.database_url, args.sqlite_file, keep) as url:
        reuse = (args.sqlite_file is not None and args.sqlite_file.exists()) or (
            bool(keep) and inspect(create_engine(url)).has_table("records")
        )
        settings = Settings(data_dir=Path(tempfile.gettempdir()), database_url=url)
        registry = Registry.open(settings, migrate_schema=not reuse)
        started = time.perf_counter()
        if reuse:
            child_ids = {c.child_key: n for n, c in enumerate(dataset.children, start=1)}
            n_children, n_records, n_keys = len(child_ids), len(reports), 0
        else:
            n_children, n_records, n_keys, child_ids = build(registry, dataset, reports)
        built = time.perf_counter() - started
        registered = {r["child_key"] for r in reports}
        queries = [r for r in dataset.records if r["source"] not in _UKRAINIAN
                   and r["child_key"] in registered][: args.queries]  # fmt: skip
        if registry.engine.dialect.name == "postgresql":
            with registry.engine.connect() as connection:  # the bulk load written out
                connection.execute(text("CHECKPOINT"))
        gc.collect()
        gc.freeze()  # the bench's own data is not what a web worker holds
        profiler = cProfile.Profile() if args.profile else None
        scored: list[int] = []
        read: list[set[int | None]] = []
        candidates = search_module._candidates

        def counted(*a: Any, **k: Any) -> Any:
            found = candidates(*a, **k)
            scored.append(len(found))
            read.append({row.child_id for row in found})
            return found

        search_module._candidates = counted  # type: ignore[assignment]
        with registry.uow(WORKER, write=False) as uow:
            search(uow, _query_values(queries[0]))  # loads the name data once
        times, cpu, first, top10, among = [], [], 0, 0, 0
        for query in queries:
            typed = _query_values(query)
            read.clear()
            if profiler:
                profiler.enable()
            began, began_cpu = time.perf_counter(), time.process_time()
            with registry.uow(WORKER, write=False) as uow:  # as a web request does
                found = search(uow, typed)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            if profiler:
                profiler.disable()
            ranked = [c.child_id for c in found]
            first += ranked[:1] == [child_ids[query["child_key"]]]
            top10 += child_ids[query["child_key"]] in ranked[:10]
            among += any(child_ids[query["child_key"]] in r for r in read)
        registry.close()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    command = "`.venv/bin/python bench/bench_search.py"
    if args.children != 100_000:
        command += f" --children {args.children}"
    if args.queries != 1000:
        command += f" --queries {args.queries}"
    if args.database_url:
        shown = make_url(normalise_database_url(args.database_url)).render_as_string(True)
        command += f" --database-url {shown}"
    command += "`"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = "\n".join(
        [
            f"## {backend}",
            "",
            command,
            "",
            f"Machine: {_cpu()}, {os.cpu_count()} cores "
            f"shared with other work, Python {platform.python_version()}; load average "
            f"{load} (1, 5, 15 min) at the end of the run; {when}.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| children in the registry | {n_children:,} |",
            f"| records in the registry | {n_records:,} |",
            f"| index rows (keys and prepared values) | {n_keys:,} |",
            f"| generate (s) | {generated:.1f} |",
            f"| build registry and keys (s) | {built:.1f} |",
            f"| queries (records of other sources) | {len(times):,} |",
            f"| median latency (ms) | {statistics.median(times):.1f} |",
            f"| 99th percentile latency (ms) | {p99:.1f} |",
            f"| slowest query (ms) | {times[-1]:.1f} |",
            f"| median processor time of this process per query (ms) "
            f"| {statistics.median(cpu):.1f} |",
            f"| records scored per query (median, max) "
            f"| {statistics.median(scored):.0f}, {max(scored)} |",
            f"| true child ranked first | {first / len(times):.1%} |",
            f"| true child among the first ten | {top10 / len(times):.1%} |",
            f"| true child among the records scored | {among / len(times):.1%} |",
        ]
    )  # fmt: skip
    print(section)
    if not args.no_write:
        _write(backend, section)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _write(backend: str, section: str) -> None:
    """Replace this backend's section of the results file, keep the others."""
    sections: dict[str, str] = {}
    if RESULTS.exists():
        for part in RESULTS.read_text(encoding="utf-8").split("\n## ")[1:]:
            name = part.split("\n", 1)[0].strip()
            sections[name] = "## " + part.strip()
    sections[backend] = section
    order = ["SQLite", "PostgreSQL"] + [k for k in sections if k not in ("SQLite", "PostgreSQL")]
    ordered = [sections[k] for k in order if k in sections]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(_HEAD + "\n" + "\n\n".join(ordered) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
