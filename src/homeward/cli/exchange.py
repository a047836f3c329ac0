"""``homeward exchange``: PFIF 1.4 export and import, public statistics (HXL)."""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from homeward.cli.common import (
    console,
    err_console,
    friendly_errors,
    open_registry,
    operator,
    plain,
    settings,
)
from homeward.errors import Invalid
from homeward.io.pfif import check_pfif
from homeward.services import pfif, review, statistics

app = typer.Typer(
    help="Exchange with other registries and publish: PFIF 1.4 files, statistics with HXL tags.",
    no_args_is_help=True,
)


class StatsFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


def _write(path: Path, data: bytes, *, private: bool) -> Path:
    """Write next to the target and rename, so a reader never sees half a file.
    A file with sensitive fields is readable by its owner only."""
    path = path.expanduser()
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(name, 0o600 if private else 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


@app.command("pfif-export")
def pfif_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The PFIF file to write.")],
    case: Annotated[
        list[str] | None,
        typer.Option("--case", "-c", help="A case number (repeat for more); default: all cases."),
    ] = None,
    include_sensitive: Annotated[
        bool,
        typer.Option(
            "--include-sensitive",
            help="Add the reporter, contacts, reasons, notes and relatives (kept to the owner).",
        ),
    ] = False,
    domain: Annotated[
        str, typer.Option(help="Domain of the record ids: DOMAIN/CASE-NUMBER.")
    ] = pfif.DEFAULT_DOMAIN,
) -> None:
    """Write cases as PFIF 1.4 persons with their notes; the export is audited."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        export = pfif.export_pfif(
            uow, case_numbers=case or None, include_sensitive=include_sensitive, domain=domain
        )
        if not out.parent.expanduser().is_dir():
            raise Invalid(f"--out: the folder {out.parent} does not exist")
        uow.commit()
        _write(out, export.document, private=include_sensitive)
    console.print(f"{out}: {export.describe()}")
    if include_sensitive:
        err_console.print(
            "[yellow]this file holds contacts and investigation notes: "
            "hand it over only to those entitled to them[/yellow]"
        )


@app.command("pfif-import")
def pfif_import(
    file: Annotated[Path, typer.Argument(help="A PFIF 1.4 file.", exists=True, dir_okay=False)],
    match: Annotated[
        bool, typer.Option("--match/--no-match", help="Match the new records against the registry.")
    ] = True,
) -> None:
    """Import a PFIF 1.4 file: a new source, one record per person, matched against
    the registry (sure matches linked, likely ones queued for review). A file
    imported before adds nothing."""
    config = settings()
    with open_registry() as registry:
        with registry.uow(operator()) as uow:
            result = pfif.import_pfif_file(uow, file)
            uow.commit()
        console.print(plain(result.describe()))
        if not match or result.already_imported:
            return
        with registry.uow(operator()) as uow:
            found = review.match_records(
                uow,
                result.record_ids,
                model=review.load_model(config),
                thresholds=review.Thresholds.from_settings(config),
            ).as_dict()
            uow.commit()
    console.print(
        f"{found['auto_linked']} linked to cases, {found['queued']} queued for review "
        "(homeward review list)"
    )


@app.command("pfif-check")
def pfif_check(
    file: Annotated[Path, typer.Argument(help="A PFIF 1.4 file.", exists=True, dir_okay=False)],
    canonical_order: Annotated[
        bool,
        typer.Option(
            "--canonical-order",
            help="Also check the specification's field order (as Homeward writes).",
        ),
    ] = False,
) -> None:
    """Check a file against the PFIF 1.4 rules; exit 1 listing what breaks them."""
    errors = check_pfif(file.read_bytes(), canonical_order=canonical_order)
    if errors:
        for error in errors[:50]:
            console.print(error, markup=False)
        if len(errors) > 50:
            console.print(f"... and {len(errors) - 50} more")
        raise typer.Exit(1)
    console.print(f"{file}: keeps the PFIF 1.4 rules")


@app.command("stats")
def stats(
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    format: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.CSV,
    hxl: Annotated[
        bool, typer.Option("--hxl/--no-hxl", help="A row of HXL hashtags under the header (CSV).")
    ] = True,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact", help="Counts under 5 as they are: for internal use, not to publish."
        ),
    ] = False,
) -> None:
    """Children by category, status, oblast of origin and month of return."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        figures = statistics.compute_statistics(uow)
    with friendly_errors():
        if format == StatsFormat.JSON:
            text = statistics.statistics_json(figures, public=not exact)
        else:
            text = statistics.statistics_csv(figures, hxl=hxl, public=not exact)
        if not out.parent.expanduser().is_dir():
            raise Invalid(f"--out: the folder {out.parent} does not exist")
        _write(out, text.encode("utf-8"), private=exact)
    total = next(r.children for r in figures.rows if r.breakdown == "total")
    console.print(
        f"{out}: {total:,} children as of {figures.as_of:%Y-%m-%d %H:%M} UTC"
        + ("; exact counts, not for publication" if exact else "; counts under 5 shown as <5")
    )
