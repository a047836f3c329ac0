"""Benchmark of bulk import throughput: rows per second and peak memory.

Writes a CSV of ``--rows`` synthetic records (``homeward.synthetic``: Ukrainian,
Russian and Latin records with full names, parents, places and dates; Windows-1251
with semicolons, as agencies send them, or UTF-8 with ``--utf8``), then times
``homeward.services.imports.import_file`` into an empty registry with matching
switched off (the matching engine is measured by ``bench_link.py``): reading,
cleaning, validation, blocking keys, records, the audit trail and commits.
Besides the time it took, it reports the processor time of this process and
of the worker processes (on a machine shared with other work, the steadier
figure).  The database server's own time is not in it.
The names layer's data is loaded before the clock starts (it is loaded once per
process, whatever is imported).

Run it with::

    .venv/bin/python bench/bench_import.py                  # 100,000 rows, SQLite
    .venv/bin/python bench/bench_import.py --rows 20000
    .venv/bin/python bench/bench_import.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

It prints a markdown report and writes it to ``bench/results/import.md``
(``--results`` to write elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from homeward.config import Settings, normalise_database_url
from homeward.domain.roles import Actor, Role
from homeward.linkage.prepare import prepare
from homeward.names.parse import load_morphology
from homeward.services import imports
from homeward.services.registry_app import Registry
from homeward.synthetic import generate
from homeward.synthetic.csvout import CONTRACT_COLUMNS

RESULTS = Path(__file__).parent / "results" / "import.md"
HEADERS = (
    "ID", "Ім'я", "Прізвище", "По батькові", "ПІБ", "Стать", "Дата народження",
    "Місце народження", "Місце проживання", "Свідоцтво про народження", "Мати", "Батько",
)  # fmt: skip


def write_csv(path: Path, rows: int, seed: int, utf8: bool) -> int:
    dataset = generate(rows // 2 + 100, seed=seed)
    records = dataset.records
    encoding = "utf-8" if utf8 else "cp1251"
    written = 0
    with path.open("w", encoding=encoding, errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        while written < rows:
            for record in records:
                if written == rows:
                    break
                writer.writerow([record.get(c) or "" for c in CONTRACT_COLUMNS])
                written += 1
    return written


def _children_cpu() -> float:
    """User and system time of the finished child processes (the workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--utf8", action="store_true", help="UTF-8 instead of Windows-1251")
    parser.add_argument("--database-url", help="PostgreSQL: a scratch database is made there")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.csv"
        rows = write_csv(path, args.rows, args.seed, args.utf8)
        size_mb = path.stat().st_size / 1e6
        scratch = None
        url = ""
        if args.database_url:
            base = make_url(normalise_database_url(args.database_url))
            scratch = f"hw_bench_import_{uuid.uuid4().hex[:8]}"
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{scratch}"'))
            url = base.set(database=scratch).render_as_string(hide_password=False)
        try:
            registry = Registry.open(
                Settings(data_dir=Path(tmp), database_url=url), migrate_schema=True
            )
            started = time.perf_counter()
            prepare({"full_name": "Коваленко Олександр Сергійович"})  # load the name data
            load_morphology()
            warm_up = time.perf_counter() - started
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            cpu_started, children_started = time.process_time(), _children_cpu()
            started = time.perf_counter()
            result = imports.import_file(
                registry, Actor(username="bench", role=Role.SYSTEM), path, match=False
            )
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            workers_cpu = _children_cpu() - children_started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            backend = registry.engine.dialect.name
            registry.close()
        finally:
            if scratch:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
                admin.dispose()

    command = f".venv/bin/python bench/bench_import.py --rows {args.rows}"
    command += " --utf8" if args.utf8 else ""
    command += " --database-url <PostgreSQL>" if args.database_url else ""
    report = "\n".join(
        [
            f"## {backend}, {rows:,} rows",
            "",
            f"`{command}`",
            "",
            f"Machine: {os.cpu_count()} cores shared with other work, Python "
            f"{platform.python_version()}; load average {os.getloadavg()[0]:.2f} at the end; "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| file | {size_mb:.1f} MB, {'UTF-8' if args.utf8 else 'Windows-1251'}, semicolons |",
            f"| rows read | {result.rows_read:,} |",
            f"| imported / quarantined | {result.imported:,} / {result.quarantined:,} |",
            f"| import time (s) | {seconds:.1f} |",
            f"| rows per second | {result.rows_read / seconds:,.0f} |",
            f"| processor time (s): this process + worker processes | {cpu:.1f} + "
            f"{workers_cpu:.1f} = {cpu + workers_cpu:.1f} |",
            f"| rows per processor-second | {result.rows_read / (cpu + workers_cpu):,.0f} |",
            f"| name data loaded before the clock (s) | {warm_up:.1f} |",
            f"| peak memory of the process (MB) | {peak:,.0f} (before the import: {before:,.0f}) |",
            f"| peak memory of a worker process (MB) | {workers_peak:,.0f} |",
            "",
        ]
    )
    print(report)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    previous = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
    title = "# Import benchmark\n\n"
    body = previous.removeprefix(title)
    sections = [s for s in body.split("\n## ") if s.strip()]
    sections = [s if s.startswith("## ") else "## " + s for s in sections]
    kept = [s for s in sections if not s.startswith(f"## {backend},")]
    args.results.write_text(title + "\n".join([*kept, report]), encoding="utf-8")


if __name__ == "__main__":
    main()
