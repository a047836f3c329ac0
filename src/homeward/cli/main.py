"""The ``homeward`` command.

``homeward link`` is started on its own (:func:`homeward.cli.link.link_main`):
it needs the matching engine only, and the registry's modules that every other
command loads took 73 MB and half a second before it read a line.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import typer


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["link"]:
        from homeward.cli.link import link_main

        link_main(args[1:])
        return
    build_app()()


@cache
def build_app() -> typer.Typer:
    """Every command of ``homeward``."""
    from homeward.cli import (
        admin,
        audit,
        demo,
        evidence,
        exchange,
        exports,
        imports,
        link,
        lists,
        names,
        reports,
        retention,
        review,
        web,
    )

    app = typer.Typer(
        help="Homeward: trace and return children deported or forcibly transferred.",
        no_args_is_help=True,
    )
    app.command("init")(admin.init)
    app.command("backup")(admin.backup_command)
    app.command("restore")(admin.restore_command)
    app.command("backup-keygen")(admin.backup_keygen)
    app.command("demo")(demo.demo)
    app.add_typer(audit.app, name="audit")
    app.add_typer(evidence.app, name="evidence")
    app.add_typer(names.app, name="names")
    app.command("link")(link.link)
    app.add_typer(link.app, name="match")
    link.app.command("train")(review.train)
    app.add_typer(review.app, name="review")
    app.add_typer(imports.app, name="import")
    app.add_typer(exports.app, name="export")
    app.add_typer(reports.app, name="report")
    app.add_typer(lists.app, name="lists")
    app.add_typer(exchange.app, name="exchange")
    app.add_typer(retention.app, name="retention")
    app.command("serve")(web.serve)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
