"""``homeward evidence``: documents and evidence files, their custody, packages."""

from __future__ import annotations

import base64
import mimetypes
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from homeward import keys
from homeward.cli.common import console, err_console, friendly_errors, open_registry, operator
from homeward.domain.documents import DocumentKind
from homeward.services import evidence

app = typer.Typer(
    help="Documents and evidence: add, list, check the file store, export and check packages.",
    no_args_is_help=True,
)


@app.command("new-key")
def new_key() -> None:
    """Print a new random key for HOMEWARD_FILE_KEY (keep it apart from backups)."""
    console.print(base64.b64encode(os.urandom(32)).decode("ascii"), highlight=False)


@app.command("add")
def add(
    case: Annotated[str, typer.Argument(help="The case number (HW-2026-000123).")],
    file: Annotated[
        Path,
        typer.Argument(
            help="The file, kept byte for byte.", exists=True, dir_okay=False, readable=True
        ),
    ],
    kind: Annotated[DocumentKind, typer.Option(help="What the document is.")] = DocumentKind.OTHER,
    description: Annotated[str | None, typer.Option(help="What it shows and whence.")] = None,
    record: Annotated[int | None, typer.Option(help="The case's record it belongs to.")] = None,
) -> None:
    """Keep a file as evidence of a case (its SHA-256 is printed: note it)."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        child = uow.repos.children.by_case_number(case)
        media_type, _ = mimetypes.guess_type(file.name)
        with file.open("rb") as content:
            info = evidence.add_document(
                uow, registry.files, child.id, content, kind=kind, filename=file.name,
                media_type=media_type, description=description, record_id=record,
            )  # fmt: skip
        uow.commit()
    console.print(f"document {info.id} added to {info.case_number}: {info.filename}, "
                  f"{info.size} bytes, sha256 {info.sha256}")  # fmt: skip


@app.command("list")
def list_documents(case: Annotated[str, typer.Argument(help="The case number.")]) -> None:
    """The documents of a case, with their hashes and whether they are verified."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        child = uow.repos.children.by_case_number(case)
        documents = evidence.case_documents(uow, child.id)
        readiness = evidence.return_readiness(uow, child.id)
    table = Table("id", "kind", "file", "bytes", "added", "verified", "sha256")
    for doc in documents:
        table.add_row(str(doc.id), doc.kind, doc.filename, str(doc.size),
                      f"{doc.added_at:%Y-%m-%d} {doc.added_by}",
                      doc.verified_by or "no", doc.sha256[:16] + "…")  # fmt: skip
    console.print(table)
    state = "ready" if readiness.ready else "not ready: " + ", ".join(readiness.missing)
    console.print(f"return readiness of {case}: {state}")


@app.command("custody")
def custody(document: Annotated[int, typer.Argument(help="The document's id.")]) -> None:
    """The chain of custody of one document: every add, view, download, export,
    redaction and verification, oldest first."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        entries = evidence.custody_history(uow, document)
    table = Table("seq", "at", "who", "what")
    for entry in entries:
        table.add_row(str(entry.seq), entry.at, entry.actor, entry.action)
    console.print(table)


@app.command("verify")
def verify(
    package: Annotated[Path | None, typer.Argument(
        help="An evidence package (ZIP) to check; without it, the whole file store is checked.",
    )] = None,
    public_key: Annotated[str | None, typer.Option(
        help="The registry's public key (base64, from 'homeward evidence public-key').",
    )] = None,
) -> None:  # fmt: skip
    """Check a package with the public key alone, or every stored file against
    its hash, its document and the audit trail.  Exit 1 naming each problem."""
    if package is not None:
        if not public_key:
            err_console.print("[red]error:[/red] give --public-key: a package is checked "
                              "with the registry's public key, never with its own")  # fmt: skip
            raise typer.Exit(2)
        report = evidence.verify_package(package, public_key)
        if report.ok:
            console.print(f"{package}: signature valid, {report.members} files intact, "
                          f"cases {', '.join(report.cases)}")  # fmt: skip
            return
        for problem in report.problems:
            err_console.print(f"[red]{problem}[/red]")
        raise typer.Exit(1)
    with open_registry() as registry, Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("checking files", total=None)
        store = evidence.verify_store(
            registry, lambda done, total: bar.update(task, completed=done, total=total)
        )
    if store.ok:
        console.print(f"file store verified: {store.documents} documents, {store.files} files")
        return
    for problem in store.problems:
        err_console.print(f"[red]{problem}[/red]")
    raise typer.Exit(1)


@app.command("export")
def export(
    cases: Annotated[list[str], typer.Argument(help="Case numbers.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The ZIP to write (never overwritten).")],
) -> None:
    """Write a signed evidence package: the cases' files, a manifest of their
    SHA-256 hashes, the custody history and the records."""
    with open_registry() as registry, friendly_errors():
        key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
        summary = evidence.export_package(registry, operator(), cases, out, key)
    console.print(f"{out}: {len(summary.cases)} cases, {summary.documents} documents, "
                  f"{summary.files} files, signed and verified")  # fmt: skip
    console.print(f"check it with: homeward evidence verify {out} "
                  f"--public-key {keys.public_key_text(key)}", highlight=False)  # fmt: skip


@app.command("public-key")
def public_key_command() -> None:
    """Print the registry's public key, which checks evidence packages."""
    with open_registry() as registry:
        key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    console.print(keys.public_key_text(key), highlight=False)
