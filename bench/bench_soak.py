"""Soak test of the web app: mixed load for a long time, with imports running.

The same people and mix as ``bench_web.py`` (home page, search as typed, case
pages, review queue, API search; ``--users`` people at once on loopback, each
signed in with password and code), for ``--minutes`` (30 by default), while one
of them uploads a new spreadsheet of ``--import-rows`` synthetic reports through
the API every ``--import-every`` seconds (imported, matched against the
registry, the review queue filled).  Every ``--sample-every`` seconds it reads
the server's resident memory.

At the end it reports requests, errors, p50/p95/p99 per kind and over all, the
imports done, and the server's memory over time; then it checks the registry:
the audit chain verifies, the tables agree with the trail, the file store is
sound.  It exits 1 when any request failed, when a server process's memory
grew by more than ``--max-growth-mb`` between the end of the first tenth of
the run (after warm-up and the first imports) and the end, or when a check
failed.  The bound is per process: each holds its own caches of the names
it has met, and the growth of all of them together is reported beside it.

Run it with::

    .venv/bin/python bench/bench_soak.py                          # 30 minutes, 50 people
    .venv/bin/python bench/bench_soak.py --minutes 3 --users 20   # a quick look

It writes its section into ``bench/results/soak.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
from faker import Faker

sys.path.insert(0, str(Path(__file__).parent))

from bench_web import (
    KINDS,
    Person,
    Setup,
    Tally,
    free_port,
    machine,
    memory_of,
    percentile,
    person_loop,
    prepare,
    process_tree,
    sign_in,
    start_server,
    wait_ready,
)

from homeward.services import audit_trail, evidence
from homeward.services.registry_app import Registry

RESULTS = Path(__file__).parent / "results" / "soak.md"


def spreadsheet(rows: int, seed: int) -> bytes:
    """A CSV of synthetic reports as another agency might send (Ukrainian headers)."""
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Прізвище", "Ім'я", "По батькові", "Стать", "Дата народження",
                     "Місце народження"])  # fmt: skip
    for _ in range(rows):
        male = fake.random.random() < 0.5
        writer.writerow([
            fake.last_name_male() if male else fake.last_name_female(),
            fake.first_name_male() if male else fake.first_name_female(),
            fake.middle_name_male() if male else fake.middle_name_female(),
            "ч" if male else "ж",
            fake.date_between("-17y", "-1y").strftime("%d.%m.%Y"),
            fake.city_name(),
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


async def importer(
    base: str, person: Person, every: float, rows: int, deadline: float, done: dict[str, int]
) -> None:
    """Upload a new file every ``every`` seconds and follow its job to the end."""
    headers = {"Authorization": f"Bearer {person.token}"}
    async with httpx.AsyncClient(base_url=base, timeout=600, headers=headers) as client:
        n = 0
        while time.monotonic() + every < deadline:
            await asyncio.sleep(every)
            n += 1
            files = {"file": (f"agency-{n}.csv", spreadsheet(rows, 9000 + n), "text/csv")}
            answer = await client.post("/api/v1/imports", files=files,
                                       data={"title": f"Agency list {n}"})  # fmt: skip
            if answer.status_code == 202:
                job = answer.headers["Location"].removeprefix("/api/v1")
                while True:
                    await asyncio.sleep(2)
                    state = (await client.get(f"/api/v1{job}")).json()
                    if state.get("stage") in ("done", "failed"):
                        break
                ok = state.get("error") is None
            else:
                ok = answer.status_code in (200, 201)
            done["files" if ok else "failed"] += 1
            done["rows"] += rows if ok else 0


async def soak(args: argparse.Namespace, setup: Setup, pid: int, base: str) -> dict[str, object]:
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in setup.people]
    used: dict[str, int] = {}
    memory: list[tuple[float, float]] = []
    each: list[tuple[float, dict[int, float]]] = []
    imports = {"files": 0, "failed": 0, "rows": 0}
    try:
        gate = asyncio.Semaphore(4)

        async def one(client: httpx.AsyncClient, person: Person) -> None:
            async with gate:
                await sign_in(client, person, used)
            await client.get("/")

        await asyncio.gather(*(one(c, p) for c, p in zip(clients, setup.people, strict=True)))
        tally = Tally()
        started = time.monotonic()
        deadline = started + args.minutes * 60

        def note() -> None:
            now = time.monotonic() - started
            memory.append((now, memory_of(pid)["VmRSS"]))
            each.append((now, {one: rss_of(one) for one in process_tree(pid)}))

        async def sample() -> None:
            while time.monotonic() < deadline:
                note()
                await asyncio.sleep(args.sample_every)

        await asyncio.gather(
            sample(),
            importer(
                base, setup.people[-1], args.import_every, args.import_rows, deadline, imports
            ),
            *(
                person_loop(c, p, setup, tally, deadline, args.think, random.Random(args.seed + i))
                for i, (c, p) in enumerate(zip(clients, setup.people, strict=True))
            ),
        )
        note()
        return {"tally": tally, "memory": memory, "each": each, "imports": imports, "pid": pid,
                "wall": time.monotonic() - started}  # fmt: skip
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def checks(setup: Setup) -> list[str]:
    registry = Registry.open(setup.settings)
    try:
        chain = audit_trail.verify_audit(registry)
        problems = [] if chain.ok else [f"audit chain: {chain.problem}"]
        problems += audit_trail.verify_rows(registry)
        problems += evidence.verify_store(registry).problems
    finally:
        registry.close()
    return problems


def rss_of(pid: int) -> float:
    """Resident memory of one process, in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def growth_by_process(
    each: list[tuple[float, dict[int, float]]], wall: float
) -> dict[int, tuple[float, float | None]]:
    """Each of the server's processes: RSS at the end, and its growth from the
    end of the first tenth (``None`` for a process started later)."""
    settled = next((m for t, m in each if t >= wall / 10), each[0][1])
    end = each[-1][1]
    return {pid: (rss, rss - settled[pid] if pid in settled else None) for pid, rss in end.items()}


def per_process(grown: dict[int, tuple[float, float | None]], server: int) -> str:
    parts = []
    for pid, (rss, growth) in sorted(grown.items()):
        role = "supervisor" if pid == server else "worker"
        grew = f"{growth:+.0f}" if growth is not None else "started later"
        parts.append(f"{role} {pid}: {rss:.0f} MiB at the end ({grew})")
    return "; ".join(parts)


def report(args: argparse.Namespace, setup: Setup, result: dict[str, object],
           problems: list[str]) -> tuple[str, bool]:  # fmt: skip
    tally: Tally = result["tally"]  # type: ignore[assignment]
    memory: list[tuple[float, float]] = result["memory"]  # type: ignore[assignment]
    imports: dict[str, int] = result["imports"]  # type: ignore[assignment]
    wall = float(result["wall"])  # type: ignore[arg-type]
    everything = [x for values in tally.latencies.values() for x in values]
    errors = sum(tally.errors.values())
    settled = next((m for t, m in memory if t >= wall / 10), memory[0][1])
    end = memory[-1][1]
    growth = end - settled
    grown = growth_by_process(result["each"], wall)  # type: ignore[arg-type]
    worst = max((g for _, g in grown.values() if g is not None), default=0.0)
    ok = errors == 0 and worst <= args.max_growth_mb and not problems and imports["failed"] == 0
    lines = [
        f"## Soak: {args.users} people for {args.minutes:g} minutes with imports running",
        "",
        f"{machine()}; demo registry of {setup.children:,} children "
        f"({setup.records:,} records) in SQLite; `homeward serve --workers {args.workers}`; "
        f"the load generator on the same machine. Command: `.venv/bin/python "
        f"bench/bench_soak.py --minutes {args.minutes:g} --users {args.users} "
        f"--workers {args.workers}`.",
        "",
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, label in KINDS.items():
        values = tally.latencies[kind]
        lines.append(f"| {label} | {len(values):,} | {tally.errors[kind]} | "
                     f"{percentile(values, 50):.0f} | {percentile(values, 95):.0f} | "
                     f"{percentile(values, 99):.0f} |")  # fmt: skip
    p50, p95, p99 = (percentile(everything, q) for q in (50, 95, 99))
    lines.append(
        f"| **all** | {len(everything):,} | {errors} | {p50:.0f} | {p95:.0f} | {p99:.0f} |"
    )
    lines += [
        "",
        f"Imports meanwhile: {imports['files']} files of {args.import_rows} rows "
        f"({imports['rows']:,} rows), {imports['failed']} failed.",
        "",
        "Server memory (RSS, MiB) over the run: "
        + ", ".join(f"{t / 60:.0f} min {m:.0f}" for t, m in memory[:: max(1, len(memory) // 12)])
        + f"; end {end:.0f}, peak {max(m for _, m in memory):.0f}. Growth from the end of the "
        f"first tenth to the end: {growth:+.0f} MiB, all the server's processes together.",
        "",
        "Each process: "
        + per_process(grown, int(result["pid"]))  # type: ignore[call-overload]
        + f". Largest growth of one process: {worst:+.0f} MiB (bound {args.max_growth_mb:g}).",
        "",
        "After the run: "
        + (
            "the audit chain verifies, every table agrees with the trail, the file store is sound."
            if not problems
            else "PROBLEMS: " + "; ".join(problems[:5])
        ),
        "",
        f"Result: {'passed' if ok else 'FAILED'}"
        + ("" if not tally.error_samples else f" (errors: {', '.join(tally.error_samples)})"),
        "",
    ]
    return "\n".join(lines), ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes")
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--import-every", type=float, default=60.0)
    parser.add_argument("--import-rows", type=int, default=300)
    parser.add_argument("--sample-every", type=float, default=15.0)
    parser.add_argument("--max-growth-mb", type=float, default=150.0)
    parser.add_argument("--registry", type=Path, help="a registry file to build once and reuse")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="homeward-soak-") as tmp:
        path = args.registry or Path(tmp) / "soak.sqlite3"
        setup = prepare(path, args.children, args.seed, args.users)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(setup.settings, port, args.workers)
        try:
            wait_ready(base, server)
            result = asyncio.run(soak(args, setup, server.pid, base))
        finally:
            server.terminate()
            server.wait(timeout=30)
        problems = checks(setup)
        section, ok = report(args, setup, result, problems)
    print(section)
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("# Soak\n\n" + section, encoding="utf-8")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
