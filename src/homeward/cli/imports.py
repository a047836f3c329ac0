"""``homeward import``: files from other agencies in, with a preview, a
quarantine for broken rows, and matching against the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from homeward.cli.common import (
    console,
    err_console,
    field_values,
    open_registry,
    operator,
    plain,
    settings,
)
from homeward.domain.model import Category, Reliability, SourceKind
from homeward.io.headers import IMPORT_FIELDS, read_mapping_file
from homeward.services import imports, review

app = typer.Typer(
    help="Import CSV and XLSX files: preview, import, quarantine, entries.",
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, help="A CSV or XLSX file.")
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping", exists=True, dir_okay=False,
        help='JSON: {"column header": "field" or null}, to override the header rules.',
    ),
]  # fmt: skip
SheetOption = Annotated[str | None, typer.Option(help="The sheet of a workbook (default: first).")]


@app.command("preview")
def preview_command(
    path: FileArgument,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    rows: Annotated[int, typer.Option(min=1, max=100, help="Rows to show.")] = 5,
) -> None:
    """Show how the file would be read: encoding, delimiter, header, the column
    mapping, the first rows and the first errors.  Writes nothing."""
    with open_registry():  # for its error handling; the preview needs no database
        shown = imports.preview(
            path, mapping=read_mapping_file(mapping) if mapping else None, sheet=sheet,
            sample_rows=rows,
        )  # fmt: skip
    console.print(plain(shown.reading))
    columns = Table("column", "header", "field", "why")
    for c in shown.columns:
        columns.add_row(
            str(c.index + 1), plain(c.header), c.field or "(raw copy only)", plain(c.reason)
        )
    console.print(columns)
    fields = [f for f in IMPORT_FIELDS if any(f in values for _, values, _ in shown.sample)]
    sample = Table("row", *fields, "problems")
    for number, values, errors in shown.sample:
        sample.add_row(
            str(number), *(plain(values.get(f, "")) for f in fields), plain("; ".join(errors))
        )
    console.print(sample)
    console.print(
        f"{shown.rows_checked:,} rows checked, {shown.rows_with_errors:,} would be quarantined"
    )
    for error in shown.errors:
        console.print(f"  {plain(error)}")


@app.command("run")
def run_command(
    path: FileArgument,
    kind: Annotated[
        SourceKind, typer.Option(help="What the file is: import_file, counterpart_list...")
    ] = SourceKind.IMPORT_FILE,
    title: Annotated[
        str | None, typer.Option(help="The source's title (default: file name).")
    ] = None,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    match: Annotated[
        bool, typer.Option(help="Match the new records against the registry afterwards.")
    ] = True,
    open_cases: Annotated[
        bool, typer.Option(help="Open a case for each record that matched nothing.")
    ] = False,
    category: Annotated[
        Category, typer.Option(help="Category of cases opened.")
    ] = Category.DEPORTED,
    reliability: Annotated[
        Reliability, typer.Option(help="How far the source is trusted.")
    ] = Reliability.UNVERIFIED,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Import the file: good rows become records, broken rows go to the quarantine,
    and the new records are matched against the registry.  Running it again
    finishes an import that was cut short, and adds nothing to one that finished."""
    if open_cases and kind == SourceKind.COUNTERPART_LIST:
        raise typer.BadParameter("a counterpart's list opens no cases", param_hint="--open-cases")
    config = settings()
    with open_registry() as registry, Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(), console=err_console, disable=quiet, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("importing", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "import":
                bar.update(task, completed=done)
            elif stage == "compare":
                bar.update(task, description="matching against the registry", completed=done)

        result = imports.import_file(
            registry, operator(), path, kind=kind, title=title, reliability=reliability,
            mapping=read_mapping_file(mapping) if mapping else None, sheet=sheet,
            match=match, open_cases=open_cases, category=category,
            model=review.load_model(config), thresholds=review.Thresholds.from_settings(config),
            progress=progress,
        )  # fmt: skip
    console.print(plain(result.describe()))
    if result.quarantined:
        console.print(f"see them with: homeward import quarantine {result.import_id}")


@app.command("list")
def list_command() -> None:
    """Imports, newest first, with their counts."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        rows = imports.list_imports(uow)
    table = Table("id", "file", "status", "imported", "quarantined", "linked", "queued", "started")
    for row in rows:
        table.add_row(
            str(row.id), plain(row.file_name), row.status, f"{row.rows_imported:,}",
            f"{row.rows_quarantined:,}", str(row.summary.get("linked", "")),
            str(row.summary.get("queued", "")), row.started_at.strftime("%Y-%m-%d %H:%M"),
        )  # fmt: skip
    console.print(table)


@app.command("show")
def show_command(
    import_id: Annotated[int, typer.Argument(help="The import's id (homeward import list).")],
    limit: Annotated[int, typer.Option(min=1)] = 200,
) -> None:
    """The import's entries, each with its case or its best candidates (for a
    counterpart's list: who on it the registry knows)."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        found = imports.entries(uow, import_id, limit=limit, model=review.load_model(settings()))
    table = Table("row", "name", "born", "case", "candidates")
    for entry in found:
        table.add_row(
            str(entry.source_row or ""), plain(entry.name), plain(entry.birth_date),
            entry.case_number or "",
            plain("; ".join(f"{n} {p:.2f} ({s})" for n, p, s in entry.candidates)),
        )  # fmt: skip
    console.print(table)


@app.command("quarantine")
def quarantine_command(
    import_id: Annotated[int | None, typer.Argument(help="Only this import's rows.")] = None,
    status: Annotated[str, typer.Option(help="open, corrected or discarded.")] = "open",
) -> None:
    """Rows that could not be read, with the reason for each field."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        rows = imports.quarantined(uow, import_id=import_id, status=status, limit=1000)
    table = Table("id", "import", "row", "problems", "values")
    for row in rows:
        table.add_row(
            str(row.id), str(row.import_id), str(row.source_row), plain("; ".join(row.errors)),
            plain(", ".join(f"{k}={v}" for k, v in row.values.items())),
        )  # fmt: skip
    console.print(table)


@app.command("correct")
def correct_command(
    quarantine_id: Annotated[int, typer.Argument(help="The quarantined row's id.")],
    changes: Annotated[list[str], typer.Argument(help="field=value, e.g. birth_date=28.02.2012")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the row).")],
) -> None:
    """Correct a quarantined row; if it reads now, it becomes a record."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        config = settings()
        record = imports.correct(
            uow, quarantine_id, field_values(changes, IMPORT_FIELDS), reason=reason,
            model=review.load_model(config), thresholds=review.Thresholds.from_settings(config),
        )  # fmt: skip
        uow.commit()
    console.print(f"row {record.source_row} is now record {record.id}")


@app.command("discard")
def discard_command(
    quarantine_id: Annotated[int, typer.Argument(help="The quarantined row's id.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the row).")],
) -> None:
    """Leave a quarantined row out for good (it is kept, marked discarded)."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        row = imports.discard(uow, quarantine_id, reason=reason)
        uow.commit()
    console.print(f"row {row.source_row} of import {row.import_id} discarded")
