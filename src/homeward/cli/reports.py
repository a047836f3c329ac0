"""``homeward report``: take one report, see who it may be, link it or open a case."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from homeward.cli.common import console, field_values, open_registry, operator, plain, settings
from homeward.domain.model import Category, SourceKind
from homeward.domain.record import RECORD_FIELD_NAMES
from homeward.services import intake, review

app = typer.Typer(help="Take a report and link it to a case or open one.", no_args_is_help=True)


@app.command("add")
def add_command(
    fields: Annotated[
        list[str],
        typer.Argument(help="field=value, e.g. family_name=Коваленко birth_date=04.03.2012"),
    ],
    title: Annotated[str | None, typer.Option(help="Where the report came from.")] = None,
    kind: Annotated[
        SourceKind, typer.Option(help="What kind of source it is.")
    ] = SourceKind.REPORT,
) -> None:
    """Keep the report at once, then show the children it may describe."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        taken = intake.take_report(
            uow,
            field_values(fields, RECORD_FIELD_NAMES),
            title=title,
            kind=kind,
            model=review.load_model(settings()),
        )
        uow.commit()
    console.print(f"report kept as record {taken.record.id}")
    if not taken.candidates:
        console.print("no case matches it; open one with: homeward report new-case "
                      f"{taken.record.id} --category deported")  # fmt: skip
        return
    table = Table("case", "probability", "why")
    for candidate in taken.candidates:
        table.add_row(
            candidate.case_number or f"record {candidate.record_id} (in no case)",
            f"{candidate.probability:.3f}", "\n".join(map(plain, candidate.scored.describe())),
        )  # fmt: skip
    console.print(table)
    console.print(
        f"link it: homeward report link {taken.record.id} CASE --reason ...; "
        f"or: homeward report new-case {taken.record.id}"
    )


@app.command("link")
def link_command(
    record_id: Annotated[int, typer.Argument(help="The report's record id.")],
    case: Annotated[str, typer.Argument(help="The case number it describes.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the link).")],
) -> None:
    """The report describes this case's child."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        child = uow.repos.children.by_case_number(case)
        intake.link_report(uow, record_id, child.id, reason=reason)
        uow.commit()
    console.print(f"record {record_id} linked to {child.case_number}")


@app.command("new-case")
def new_case_command(
    record_id: Annotated[int, typer.Argument(help="The report's record id.")],
    category: Annotated[Category, typer.Option(help="The case's category.")] = Category.DEPORTED,
    reason: Annotated[str, typer.Option("--reason", "-r")] = "new report",
) -> None:
    """No case describes this child yet: open one with the report in it."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        child = intake.open_case_for_report(uow, record_id, category=category, reason=reason)
        uow.commit()
    console.print(f"case {child.case_number} opened with record {record_id}")
