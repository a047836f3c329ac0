"""The ``homeward`` command."""

from __future__ import annotations

import typer

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


def main() -> None:
    app()
