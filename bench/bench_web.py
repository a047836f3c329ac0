"""Load benchmark of the web app: many case workers at once, on loopback.

Builds the demo registry (``homeward.services.demo.build_demo``: synthetic
children with records from several sources, relatives, facilities and the review
queue its closing scan proposes) in a SQLite file, adds ``--users`` case workers
with known TOTP secrets and an API token each, and starts ``homeward serve`` on
it in a separate process (``homeward serve --workers N``: one server process per
core by default, as a registry on this machine would run it).
Each simulated person signs in with the password and the code (not timed) and
keeps a browser session of their own; then for ``--seconds`` they do, in a mix,
what case workers do all day, pausing ``--think`` seconds on average between
two actions:

- **home**: ``GET /``, the "my work" page;
- **search (as typed)**: ``GET /search/results?q=…``, the htmx fragment the
  search box asks for while a name is typed: once for the first part of the
  name, once for the whole name (a Ukrainian, Russian or Latin spelling of a
  child in the registry);
- **case page**: ``GET /cases/{number}`` of a random case (the read is audited,
  so each one also writes);
- **review queue**: ``GET /review``;
- **API search**: ``GET /api/v1/search?q=…`` with the person's bearer token;
- **filing a report**: the new-report form (``GET /reports/new``), the
  candidates it shows once the names are typed (``POST /reports/candidates``,
  the htmx request) and the report sent (``POST /reports``), each form with its
  CSRF token as the browser sends it.  The report is kept and searched for,
  so it writes, as the case page does.

Each person starts after a pause like the one between two actions, so that
fifty people do not all send their first request in the same millisecond (the
pause is drawn at random: people do not act in step); ``--together`` starts
them all at once instead, to see such a burst.  The load runs on a copy of the
registry, so the reports filed do not pile up in it run after run.

It reports requests, errors and the 50th, 95th and 99th percentile latency per
kind, the throughput, and the server's resident memory (RSS) when it is ready
and at the end.  The load generator runs on the same machine as the server.

Run it with::

    .venv/bin/python bench/bench_web.py                      # 3,000 children, 50 people, 60 s
    .venv/bin/python bench/bench_web.py --children 1000 --seconds 30
    .venv/bin/python bench/bench_web.py --registry /tmp/hw-bench.sqlite3   # built once, reused
    .venv/bin/python bench/bench_web.py --workers 1          # one server process

It prints a markdown section and writes it into ``bench/results/web.md``,
replacing an earlier section of the same title.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import platform
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pyotp
from sqlalchemy import func, select

from homeward.config import Settings
from homeward.domain.roles import Role
from homeward.services import accounts, signin
from homeward.services.demo import build_demo
from homeward.services.registry_app import Registry
from homeward.storage.tables import ChildRow, RecordRow

RESULTS = Path(__file__).parent / "results" / "web.md"
PASSWORD = "bench-password-2026"
KINDS: dict[str, str] = {
    # kind: what the report calls it
    "home": "home page `GET /`",
    "search": "search as typed `GET /search/results` (htmx fragment)",
    "case": "case page `GET /cases/{number}`",
    "review": "review queue `GET /review`",
    "api_search": "API search `GET /api/v1/search`",
    "report_form": "new report form `GET /reports/new`",
    "report_candidates": "candidates while a report is typed `POST /reports/candidates`",
    "report": "filing a report `POST /reports`",
}
SHARES = {"home": 0.15, "search": 0.35, "case": 0.25, "review": 0.10, "api_search": 0.10,
          "report": 0.05}  # fmt: skip
"""Share of the actions; a report is one action of three requests (form,
candidates, sending)."""
TARGETS_MS = {"pages": 200.0, "api_search": 100.0}
"""The 99th percentile the issue asks for at 50 people at once."""
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
_HEAD = """# Web load benchmark

Many case workers at once against `homeward serve --workers N` on the demo
registry, over loopback, each with a browser session of their own (and a bearer
token for the API), doing a mix of home page, search as typed (the htmx
fragment), case pages, the review queue and API search, with a pause between
two actions.  Latency is measured by the client from sending the request to
having read the whole answer.  The load generator runs on the same machine.
Written by `bench/bench_web.py`.

How to read it: each server process answers its requests in a pool of threads
that take turns on one processor (Python runs one thread at a time), so requests
that arrive together share it and wait for one another; several processes use
several cores.  The one-person reference, run on the same server just before
the crowd, is what a request costs alone on the machine as it was; the gap
between it and the crowd's figures is time spent waiting.  Server processor
time and memory are those of all its processes together; the jump in memory
after the first requests is the name tables and the match model's lookups,
loaded once per process.
"""


@dataclass
class Person:
    username: str
    secret: str
    token: str = ""


@dataclass
class Setup:
    settings: Settings
    people: list[Person]
    case_numbers: list[str]
    names: list[str]
    reports: list[dict[str, str]]
    """What the simulated people type into the new-report form."""
    children: int
    records: int
    build_seconds: float


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    error_samples: list[str] = field(default_factory=list)


def secret_of(username: str, seed: int) -> str:
    """The same TOTP secret for a bench user on every run, so a built registry
    can be reused."""
    digest = hashlib.sha256(f"homeward-bench|{seed}|{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def prepare(path: Path, children: int, seed: int, users: int) -> Setup:
    settings = Settings(data_dir=path.parent, database_url=f"sqlite:///{path}")
    registry = Registry.open(settings, migrate_schema=True)
    started = time.perf_counter()
    try:
        with registry.uow(write=False) as uow:
            empty = uow.repos.children.count() == 0
        if empty:
            print(f"building the demo registry of {children:,} children in {path} ...")

            def progress(done: int, total: int) -> None:
                print(f"  {done:,} / {total:,}", end="\r", flush=True)

            build_demo(registry, children, seed, progress=progress)
            print()
        build_seconds = time.perf_counter() - started
        people = [Person(f"bench{i:03d}", secret_of(f"bench{i:03d}", seed)) for i in range(users)]
        with registry.uow() as uow:
            for person in people:
                if uow.repos.users.by_username(person.username) is None:
                    accounts.create_user(
                        uow, username=person.username, display_name=person.username,
                        role=Role.CASE_WORKER, password=PASSWORD, totp_secret=person.secret,
                    )  # fmt: skip
            uow.commit()
        for person in people:
            with registry.uow(write=False) as uow:
                user = uow.repos.users.by_username(person.username)
                assert user is not None
                actor = signin.actor_of(user)
            with registry.uow(actor) as uow:
                _row, person.token = signin.create_api_token(uow, "load benchmark")
                uow.commit()
        with registry.uow(write=False) as uow:
            session = uow.session
            numbers = list(
                session.scalars(
                    select(ChildRow.case_number).where(ChildRow.merged_into_id.is_(None))
                )
            )
            rows = session.execute(
                select(RecordRow.given_name, RecordRow.family_name)
                .where(RecordRow.given_name.is_not(None), RecordRow.family_name.is_not(None))
                .order_by(RecordRow.id)
                .limit(5000)
            ).all()
            record_count = session.scalar(select(func.count()).select_from(RecordRow)) or 0
            typed_in = session.execute(
                select(RecordRow.given_name, RecordRow.family_name, RecordRow.sex,
                       RecordRow.birth_date, RecordRow.birth_place)
                .where(RecordRow.given_name.is_not(None), RecordRow.family_name.is_not(None))
                .order_by(RecordRow.id.desc())
                .limit(500)
            ).all()  # fmt: skip
        names = [f"{given} {family}" for given, family in rows]
        reports = [
            {key: value for key, value in (
                ("given_name", given), ("family_name", family), ("sex", sex),
                ("birth_date", born), ("birth_place", place)) if value}
            for given, family, sex, born, place in typed_in
        ]  # fmt: skip
        rng = random.Random(seed)
        rng.shuffle(names)
        return Setup(
            settings=settings, people=people, case_numbers=numbers, names=names,
            reports=reports, children=len(numbers), records=record_count,
            build_seconds=build_seconds,
        )  # fmt: skip
    finally:
        registry.close()


def working_copy(path: Path, folder: Path) -> Settings:
    """The settings of a copy of the registry in ``folder``: the reports the
    load files are kept there, not in the registry that the next run reuses."""
    folder.mkdir()
    copy = folder / path.name
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    return Settings(data_dir=folder, database_url=f"sqlite:///{copy}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOMEWARD_DATA_DIR": str(settings.data_dir),
        "HOMEWARD_DATABASE_URL": settings.database_url,
    }
    command = [sys.executable, "-c", "from homeward.cli.main import main; main()"]
    return subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            err = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the server stopped: {err}")
        try:
            if httpx.get(f"{base}/signin", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer in time")


def process_tree(pid: int) -> list[int]:
    """The server process and every process under it (its workers)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(parents.get(found[-1], []))
    return found


def memory_of(pid: int) -> dict[str, float]:
    """Resident memory now and the sum of the peaks, in MiB, of the server's processes."""
    found = {"VmRSS": 0.0, "VmHWM": 0.0}
    for one in process_tree(pid):
        try:
            lines = Path(f"/proc/{one}/status").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, value = line.partition(":")
            if key in found:
                found[key] += int(value.split()[0]) / 1024
    return found


def cpu_seconds(pid: int) -> float:
    """Processor time of the server's processes so far."""
    total = 0
    for one in process_tree(pid):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def sign_in(client: httpx.AsyncClient, person: Person, used: dict[str, int]) -> None:
    page = await client.get("/signin")
    match = CSRF.search(page.text)
    assert match, "the sign-in page has no CSRF token"
    answer = await client.post(
        "/signin",
        data={"username": person.username, "password": PASSWORD, "next": "/",
              "csrf_token": match.group(1)},
    )  # fmt: skip
    assert answer.status_code == 303, f"{person.username}: password refused"
    page = await client.get("/signin/code")
    match = CSRF.search(page.text)
    assert match, "the code page has no CSRF token"
    step = max(int(time.time()) // 30, used.get(person.username, -1) + 1)
    answer = await client.post(
        "/signin/code",
        data={"code": pyotp.TOTP(person.secret).at(step * 30), "next": "/",
              "csrf_token": match.group(1)},
    )  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/", (
        f"{person.username}: code refused"
    )


def typed(name: str) -> list[str]:
    """What the search box sends while a name is typed: htmx asks after a
    pause, so roughly once mid-word and once for the whole name."""
    first, _, rest = name.partition(" ")
    partial = f"{first} {rest[: max(1, len(rest) // 2)]}" if rest else first[: len(first) // 2]
    return [partial, name]


async def person_loop(
    client: httpx.AsyncClient,
    person: Person,
    setup: Setup,
    tally: Tally,
    deadline: float,
    think: float,
    rng: random.Random,
    spread: bool = False,
) -> None:
    """One person's actions until the deadline; ``spread``: begin with a pause."""
    kinds = list(SHARES)
    weights = list(SHARES.values())
    hx = {"HX-Request": "true"}
    bearer = {"Authorization": f"Bearer {person.token}"}

    async def timed(
        kind: str,
        path: str,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            if form is None:
                answer = await client.get(path, params=params, headers=headers)
            else:
                answer = await client.post(path, data=form, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
        except httpx.HTTPError as err:
            tally.errors[kind] += 1
            if len(tally.error_samples) < 10:
                tally.error_samples.append(f"{kind}: {type(err).__name__}")
            return None
        if answer.status_code != 200:
            tally.errors[kind] += 1
            if len(tally.error_samples) < 10:
                tally.error_samples.append(f"{kind}: {answer.status_code}")
            return None
        tally.latencies[kind].append(elapsed)
        return answer

    async def file_report() -> None:
        page = await timed("report_form", "/reports/new")
        match = CSRF.search(page.text) if page is not None else None
        if match is None:
            return
        values = {**rng.choice(setup.reports), "csrf_token": match.group(1)}
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))  # typing the names
        await timed("report_candidates", "/reports/candidates", headers=hx, form=values)
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))  # the rest of the form
        values |= {"reporter_name": "Load benchmark", "notes": f"filed by {person.username}"}
        await timed("report", "/reports", form=values)

    if spread:
        await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        if kind == "home":
            await timed(kind, "/")
        elif kind == "search":
            for q in typed(rng.choice(setup.names)):
                await timed(kind, "/search/results", {"q": q}, hx)
                await asyncio.sleep(0.3)  # htmx's delay between two requests while typing
        elif kind == "case":
            await timed(kind, f"/cases/{rng.choice(setup.case_numbers)}")
        elif kind == "review":
            await timed(kind, "/review")
        elif kind == "report":
            await file_report()
        else:
            await timed(kind, "/api/v1/search", {"q": rng.choice(setup.names)}, bearer)
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


@dataclass
class Server:
    """What the server process used while the load ran."""

    pid: int
    memory: dict[str, dict[str, float]] = field(default_factory=dict)
    cpu_start: float = 0.0
    cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    """What the load generator itself used meanwhile, on the same cores."""

    def note(self, moment: str) -> None:
        self.memory[moment] = memory_of(self.pid)


async def run_load(
    base: str,
    setup: Setup,
    seconds: float,
    think: float,
    seed: int,
    server: Server,
    alone_seconds: float,
    spread: bool = True,
) -> tuple[Tally, Tally, float]:
    clients = [
        httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60) for _ in setup.people
    ]
    used: dict[str, int] = {}
    registry = Registry.open(setup.settings)
    with registry.uow(write=False) as uow:
        for person in setup.people:
            user = uow.repos.users.by_username(person.username)
            if user is not None and user.totp_last_step is not None:
                used[person.username] = user.totp_last_step
    registry.close()
    try:
        # Sign in a few at a time (argon2 is meant to be slow): not timed.
        gate = asyncio.Semaphore(4)

        async def one(client: httpx.AsyncClient, person: Person) -> None:
            async with gate:
                await sign_in(client, person, used)
            await client.get("/")  # warm the session, not timed

        await asyncio.gather(*(one(c, p) for c, p in zip(clients, setup.people, strict=True)))
        # The first search loads the name tables and the match model's lookups
        # into the server: once per process, not what a person waits for later.
        warm, name = clients[0], setup.names[0]
        for path, params in (("/search/results", {"q": name}), ("/review", None),
                             (f"/cases/{setup.case_numbers[0]}", None)):  # fmt: skip
            await warm.get(path, params=params, headers={"HX-Request": "true"})
        await warm.get("/api/v1/search", params={"q": name},
                       headers={"Authorization": f"Bearer {setup.people[0].token}"})  # fmt: skip
        server.note("warm")
        # The reference: one person alone on the same server, just before the
        # crowd, so the crowd's figures can be read as ratios on a busy machine.
        alone = Tally()
        if alone_seconds > 0:
            until = time.monotonic() + alone_seconds
            first = setup.people[0]
            await person_loop(clients[0], first, setup, alone, until, think, random.Random(seed))
        tally = Tally()
        server.cpu_start = cpu_seconds(server.pid)
        client_start = time.process_time()
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                person_loop(
                    c, p, setup, tally, deadline, think, random.Random(seed + i), spread=spread
                )
                for i, (c, p) in enumerate(zip(clients, setup.people, strict=True))
            )
        )
        wall = time.monotonic() - started
        server.cpu_seconds = cpu_seconds(server.pid) - server.cpu_start
        server.client_cpu_seconds = time.process_time() - client_start
        server.note("end")
        return alone, tally, wall
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (
        f"{model or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def reference(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{len(values)}, {percentile(values, 50):.0f}, {percentile(values, 99):.0f}"


def report(
    args: argparse.Namespace,
    setup: Setup,
    alone: Tally,
    tally: Tally,
    wall: float,
    server: Server,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    who = "1 person" if len(setup.people) == 1 else f"{len(setup.people)} people"
    processes = "1 server process" if args.workers == 1 else f"{args.workers} server processes"
    start = ", all starting at once" if args.together else ""
    title = f"## {who}, {args.think:g} s between actions{start}, {processes}, SQLite"
    command = " ".join(["bench/bench_web.py", *sys.argv[1:]])
    busy = (
        "**busy with other work when the run began** (the figures are slower than on a "
        "quiet machine; the one-person reference ran on the same busy machine)"
        if load[0][0] > 0.5 * (os.cpu_count() or 1)
        else "quiet when the run began"
    )
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    lines = [
        title,
        "",
        f"`.venv/bin/python {command}`",
        "",
        f"Machine: {machine()}; {busy}: load average "
        f"{', '.join(f'{x:.2f}' for x in load[0])} before and "
        f"{', '.join(f'{x:.2f}' for x in load[1])} after (1, 5, 15 min); "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        f"Registry: {setup.children:,} cases, {setup.records:,} records (demo, "
        f"`--children {args.children}`); {who} signed in as case workers, "
        f"each with a session of their own; {wall:.0f} s of load; "
        + (
            "every person's first request sent at the same moment."
            if args.together
            else f"each person starts after a random pause of up to {args.think:g} s."
        ),
        "",
        "| kind | requests | errors | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | target p99 "
        "| one person alone: requests, p50, p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for kind, label in KINDS.items():
        values = tally.latencies[kind]
        target = TARGETS_MS["api_search"] if kind == "api_search" else TARGETS_MS["pages"]
        p99 = percentile(values, 99)
        verdict = "met" if p99 <= target else "**missed**"
        lines.append(
            f"| {label} | {len(values):,} | {tally.errors[kind]} | {percentile(values, 50):.0f} "
            f"| {percentile(values, 95):.0f} | {p99:.0f} | {max(values, default=0):.0f} "
            f"| ≤ {target:.0f} ms: {verdict} | {reference(alone.latencies[kind])} |"
        )
    every = [v for values in tally.latencies.values() for v in values]
    every_alone = [v for values in alone.latencies.values() for v in values]
    lines += [
        f"| all | {total:,} | {errors} | {percentile(every, 50):.0f} | {percentile(every, 95):.0f} "
        f"| {percentile(every, 99):.0f} | {max(every, default=0):.0f} | "
        f"| {reference(every_alone)} |",
        "",
        "| measure | value |",
        "|---|---|",
        f"| throughput (answered requests per second) | {total / wall:.1f} |",
        f"| server processor time per request (ms) "
        f"| {server.cpu_seconds * 1000 / max(total, 1):.1f} |",
        f"| server processor time, share of one core | {server.cpu_seconds / wall:.0%} |",
        f"| load generator processor time, share of one core "
        f"| {server.client_cpu_seconds / wall:.0%} |",
        f"| server RSS when ready, before sign-ins (MiB) | {server.memory['ready']['VmRSS']:.0f} |",
        f"| server RSS after sign-ins and one request of each kind (MiB) "
        f"| {server.memory['warm']['VmRSS']:.0f} |",
        f"| server RSS at the end (MiB) | {server.memory['end']['VmRSS']:.0f} |",
        f"| server RSS at its peak (MiB) | {server.memory['end']['VmHWM']:.0f} |",
    ]
    if tally.error_samples:
        lines += ["", "Errors seen: " + ", ".join(tally.error_samples)]
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    title = section.splitlines()[0]
    text = RESULTS.read_text() if RESULTS.exists() else _HEAD
    parts = re.split(r"(?m)^(?=## )", text)
    kept = [p for p in parts[1:] if p.splitlines()[0] != title]
    RESULTS.write_text(
        parts[0].rstrip() + "\n\n" + "\n".join(p.rstrip() + "\n" for p in [*kept, section])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=3000, help="demo registry size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--users", type=int, default=50, help="people at once")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="server processes (one per core)"
    )
    parser.add_argument("--seconds", type=float, default=60, help="how long the load lasts")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between two actions of one person (s)")  # fmt: skip
    parser.add_argument(
        "--registry", type=Path, default=None,
        help="SQLite file to build the registry in, or to reuse if it is there",
    )  # fmt: skip
    parser.add_argument(
        "--alone", type=float, default=30,
        help="seconds of one person alone first, as the reference (0: none)",
    )  # fmt: skip
    parser.add_argument(
        "--together", action="store_true",
        help="every person sends a first request at the same moment (a burst)",
    )  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="homeward-bench-web-") as tmp:
        path = args.registry or Path(tmp) / "homeward.sqlite3"
        setup = prepare(path.resolve(), args.children, args.seed, args.users)
        print(f"registry ready: {setup.children:,} cases, {setup.records:,} records "
              f"({setup.build_seconds:.0f} s)")  # fmt: skip
        setup.settings = working_copy(path.resolve(), Path(tmp) / "load")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(setup.settings, port, args.workers)
        server = Server(pid=process.pid)
        try:
            wait_ready(base, process)
            server.note("ready")
            load_before = os.getloadavg()
            load = run_load(
                base, setup, args.seconds, args.think, args.seed, server, args.alone,
                spread=not args.together,
            )  # fmt: skip
            alone, tally, wall = asyncio.run(load)
            load_after = os.getloadavg()
        finally:
            process.terminate()
            process.wait(timeout=30)
    section = report(args, setup, alone, tally, wall, server, (load_before, load_after))
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
