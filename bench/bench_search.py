"""Benchmark of real-time candidate search against a large registry.

Builds a registry in a temporary SQLite database (or the PostgreSQL database of
``--database-url``) with the children and records of ``homeward.synthetic``
(100,000 children and about 250,000 records by default), records filed under
their blocking keys exactly as ``register_record`` files them, but written in
bulk (the audit trail is not written: it is not what is measured).  Then it
times ``homeward.linkage.search.search`` for ``--queries`` records of other
sources (Russian records, Latin records, counterpart lists) and reports the
median and 99th percentile latency, and how often the true child is the first
candidate.

Run it with::

    .venv/bin/python bench/bench_search.py                 # 100,000 children
    .venv/bin/python bench/bench_search.py --children 5000 --queries 100

It prints a markdown table and writes it to ``bench/results/search.md``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from homeward import synthetic
from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.linkage.search import record_keys_of, search
from homeward.services.records import birth_year, raw_copy, record_data
from homeward.services.registry_app import Registry
from homeward.storage.tables import ChildRow, RecordKeyRow, RecordRow, SourceRow

RESULTS = Path(__file__).parent / "results" / "search.md"
WORKER = Actor(username="bench", role=Role.CASE_WORKER, user_id=1)
_UKRAINIAN = {"ua_report"}


def build(
    registry: Registry, dataset: synthetic.SyntheticDataset
) -> tuple[int, int, dict[str, int]]:
    """Write children, records and keys in bulk; returns counts and child ids by key."""
    child_ids: dict[str, int] = {}
    children, records, keys = [], [], []
    with registry.uow() as uow:
        source = SourceRow(kind="report", title="synthetic registry", created_by="bench")
        uow.session.add(source)
        uow.session.flush()
        for number, child in enumerate(dataset.children, start=1):
            child_ids[child.child_key] = number
            children.append(
                {"id": number, "case_number": f"HW-2026-{number:06d}", "category": "deported",
                 "status": "reported", "version": 1}
            )  # fmt: skip
        record_id = 0
        for row in dataset.records:
            if row["source"] not in _UKRAINIAN or row["child_key"] not in child_ids:
                continue
            record_id += 1
            values = {k: v for k, v in row.items() if v and k not in ("child_key", "source")}
            data = record_data({**values, "document_ids": values.get("document_id", "")})
            fields = data.as_dict()
            records.append(
                {"id": record_id, "child_id": child_ids[row["child_key"]], "source_id": source.id,
                 "source_row": record_id, "raw": raw_copy(values), "created_by": "bench",
                 "version": 1, "birth_year": birth_year(data.birth_date), **fields}
            )  # fmt: skip
            keys.extend({"record_id": record_id, "key": k} for k in record_keys_of(fields))
        for table, rows in ((ChildRow, children), (RecordRow, records), (RecordKeyRow, keys)):
            for start in range(0, len(rows), 20_000):
                uow.session.execute(insert(table), rows[start : start + 20_000])
        uow.commit()
    return len(children), len(records), child_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--extra-records", type=float, default=1.5,
        help="Ukrainian records per child beyond the first (about 2.5 in all)",
    )  # fmt: skip
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    config = synthetic.SyntheticConfig()
    started = time.perf_counter()
    dataset = synthetic.generate(args.children, seed=20_261_125, config=config)
    generated = time.perf_counter() - started
    # A registry holds several Ukrainian reports of a child: repeat them.
    reports = [r for r in dataset.records if r["source"] in _UKRAINIAN]
    wanted = int(len(dataset.children) * args.extra_records)
    dataset.records.extend(
        {**reports[i % len(reports)], "record_id": f"{reports[i % len(reports)]['record_id']}-{i}"}
        for i in range(wanted)
    )
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=args.database_url)
        registry = Registry.open(settings, migrate_schema=True)
        started = time.perf_counter()
        n_children, n_records, child_ids = build(registry, dataset)
        built = time.perf_counter() - started
        queries = [r for r in dataset.records if r["source"] not in _UKRAINIAN
                   and r["child_key"] in child_ids][: args.queries]  # fmt: skip
        with registry.uow(WORKER, write=False) as uow:
            search(uow, queries[0])  # loads the name data once
            times, first = [], 0
            for query in queries:
                typed = {k: v for k, v in query.items() if k not in ("child_key", "source")}
                began = time.perf_counter()
                found = search(uow, typed)
                times.append((time.perf_counter() - began) * 1000)
                first += bool(found) and found[0].child_id == child_ids[query["child_key"]]
        registry.close()
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    report = "\n".join(
        [
            "# Real-time search benchmark",
            "",
            f"`.venv/bin/python bench/bench_search.py --children {args.children} "
            f"--queries {args.queries}` ({backend}, one process, 2 cores)",
            "",
            "| measure | value |",
            "|---|---|",
            f"| children in the registry | {n_children:,} |",
            f"| records in the registry | {n_records:,} |",
            f"| generate (s) | {generated:.1f} |",
            f"| build registry and keys (s) | {built:.1f} |",
            f"| queries (records of other sources) | {len(times):,} |",
            f"| median latency (ms) | {statistics.median(times):.1f} |",
            f"| 99th percentile latency (ms) | {p99:.1f} |",
            f"| true child ranked first | {first / len(times):.1%} |",
        ]
    )
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
