"""``homeward export``: cases out to CSV, XLSX or JSON with a field profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from homeward.cli.common import console, open_registry, operator
from homeward.services import exports

app = typer.Typer(help="Export cases to CSV, XLSX or JSON.", no_args_is_help=True)


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@app.command("cases")
def cases_command(
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    format: Annotated[
        str, typer.Option("--format", help="csv, xlsx or json (default: from --out's suffix).")
    ] = "",
    profile: Annotated[
        str, typer.Option(help=f"Columns: {', '.join(exports.PROFILES)}.")
    ] = "standard",
    fields: Annotated[
        list[str] | None, typer.Option("--fields", help="Columns instead of a profile (a,b,c).")
    ] = None,
    status: Annotated[list[str] | None, typer.Option(help="Only cases with this status.")] = None,
    category: Annotated[list[str] | None, typer.Option(help="Only this category.")] = None,
    case: Annotated[list[str] | None, typer.Option(help="Only these case numbers.")] = None,
) -> None:
    """One row per case; values that a spreadsheet would run as formulas are
    written so that it does not."""
    chosen = format or out.suffix.lstrip(".").lower() or "csv"
    with open_registry() as registry, registry.uow(operator()) as uow:
        result = exports.export_cases(
            uow, out, format=chosen, profile=profile, fields=_split(fields),
            statuses=_split(status), categories=_split(category), case_numbers=_split(case),
        )  # fmt: skip
        uow.commit()
    console.print(
        f"{result.cases:,} cases written to {result.path} ({result.format}, "
        f"{len(result.columns)} columns)"
    )
