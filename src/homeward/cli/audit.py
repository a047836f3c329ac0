"""``homeward audit``: verify the audit trail and take signed checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from homeward.cli.common import console, err_console, open_registry
from homeward.services import audit_trail, evidence

app = typer.Typer(help="Verify the tamper-evident audit trail.", no_args_is_help=True)


@app.command()
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="A checkpoint file from 'audit checkpoint': the log must still hold it."),
    ] = None,
) -> None:
    """Check every entry of the audit trail, replay it against the tables, and
    check every stored file against its document and the trail; exit 1 naming
    the first broken entry, each row changed behind the trail's back and every
    changed file."""
    with open_registry() as registry:
        report = audit_trail.verify_audit(registry, checkpoint)
        rows = audit_trail.verify_rows(registry)
        store = evidence.verify_store(registry)
    if report.ok:
        console.print(
            f"audit trail verified: {report.entries} entries, head {report.head_seq} "
            f"sha256 {report.head_hash}"
        )
    else:
        err_console.print(f"[red]audit trail broken[/red] at {report.problem}")
    if not rows:
        console.print("every table agrees with the audit trail")
    for problem in rows:
        err_console.print(f"[red]changed behind Homeward's back:[/red] {problem}")
    if store.ok:
        console.print(f"file store verified: {store.documents} documents, {store.files} files")
    for problem in store.problems:
        err_console.print(f"[red]file store:[/red] {problem}")
    if not (report.ok and store.ok) or rows:
        raise typer.Exit(1)


@app.command()
def checkpoint(
    out: Annotated[Path, typer.Argument(help="File to write the signed head to.")],
) -> None:
    """Sign the current head of the trail; keep the file away from the database."""
    with open_registry() as registry:
        document = audit_trail.write_checkpoint(registry, out)
    console.print(f"checkpoint of entry {document['seq']} written to {out}")
