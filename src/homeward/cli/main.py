"""The ``homeward`` command."""

from __future__ import annotations

import typer

from homeward.cli import admin, audit, demo

app = typer.Typer(
    help="Homeward: trace and return children deported or forcibly transferred.",
    no_args_is_help=True,
)
app.command("init")(admin.init)
app.command("backup")(admin.backup_command)
app.command("restore")(admin.restore_command)
app.command("demo")(demo.demo)
app.add_typer(audit.app, name="audit")


def main() -> None:
    app()
