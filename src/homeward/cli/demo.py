"""``homeward demo``: a registry of synthetic children to look around in."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from homeward.cli.common import console, friendly_errors, settings
from homeward.cli.web import run_app
from homeward.services.demo import DEMO_PASSWORD, DEMO_USERS, build_demo
from homeward.services.registry_app import Registry


def demo(
    children: Annotated[int, typer.Option(min=10, help="How many synthetic children.")] = 3000,
    seed: Annotated[int, typer.Option(help="Seed of the generator (same seed, same data).")] = 2026,
    keep: Annotated[bool, typer.Option(help="Reuse the demo registry if it exists.")] = False,
    serve: Annotated[bool, typer.Option(help="Serve the web app on it afterwards.")] = True,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
) -> None:
    """Build a separate demo registry (SQLite, in DATA_DIR/demo) full of synthetic
    children, with one user per role, and show it."""
    base = settings()
    demo_settings = base.model_copy(update={"data_dir": base.data_dir / "demo", "database_url": ""})
    database = demo_settings.data_dir / "homeward.sqlite3"
    if database.exists() and not keep:
        for suffix in ("", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
    with friendly_errors():
        registry = Registry.open(demo_settings, migrate_schema=True)
        try:
            with registry.uow(write=False) as uow:
                empty = uow.repos.children.count() == 0
            if empty:
                with Progress(
                    "[progress.description]{task.description}",
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                ) as bar:
                    task = bar.add_task("loading synthetic children", total=children)

                    def advance(done: int, total: int) -> None:
                        bar.update(task, completed=done, total=total)

                    summary = build_demo(registry, children, seed, progress=advance)
                console.print(
                    f"demo registry: {summary.children} cases, {summary.records} records "
                    f"({summary.unlinked_records} waiting to be linked), "
                    f"{summary.facilities} facilities; the scan of the registry queued "
                    f"{summary.review['queued']} proposed matches for review and linked "
                    f"{summary.review['auto_linked']} records automatically"
                )
        finally:
            registry.close()
    users = Table("user", "role", "password", title="Demo users")

    for username, role, _org in DEMO_USERS:
        users.add_row(username, role.value, DEMO_PASSWORD)
    console.print(users)
    if serve:
        console.print(
            "Sign in with a user above; the first sign-in shows a key to add to an "
            "authenticator app (every role signs in with a second factor)."
        )
        run_app(demo_settings, port=port)
        return
    console.print(
        f"The demo registry is at {database}.\n"
        f"Try: HOMEWARD_DATA_DIR={demo_settings.data_dir} homeward review list\n"
        f"     HOMEWARD_DATA_DIR={demo_settings.data_dir} homeward audit verify"
    )
