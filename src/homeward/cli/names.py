"""``homeward names``: look at how Homeward reads and compares names."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from homeward.cli.common import plain
from homeward.names.compare import agrees
from homeward.names.fullname import explain_full_names, full_name_keys
from homeward.names.normalize import normalize_name
from homeward.names.parse import parse_full_name
from homeward.names.translit import to_latin

app = typer.Typer(
    help="Read, transliterate and compare children's names across scripts.",
    no_args_is_help=True,
)

_PART_TITLES = {"given": "given name", "patronymic": "patronymic", "family": "family name"}


def _style(level: str) -> str:
    if level == "missing":
        return "dim"
    return "green" if agrees(level) else ("yellow" if level == "similar" else "red")


@app.command("explain")
def explain(
    a: str = typer.Argument(..., help="First full name, in any script and order."),
    b: str = typer.Argument(..., help="Second full name, in any script and order."),
) -> None:
    """Compare two full names part by part and say why."""
    console = Console()
    for value in (a, b):
        for repair in normalize_name(value).repairs:
            console.print(f"[yellow]repaired:[/yellow] {plain(repair.describe())}")
        reduced = parse_full_name(value).reduced
        if reduced:
            console.print(f"[yellow]read in the nominative:[/yellow] {plain(', '.join(reduced))}")
    explanation = explain_full_names(a, b)
    table = Table(title=f"{plain(a)}  ↔  {plain(b)}")
    table.add_column("part")
    table.add_column("first")
    table.add_column("second")
    table.add_column("level")
    table.add_column("reason")
    for part in explanation.parts:
        level = part.comparison.level
        table.add_row(
            _PART_TITLES[part.part],
            plain(part.a or "—"),
            plain(part.b or "—"),
            f"[{_style(level)}]{level}[/]",
            plain(part.comparison.reason),
        )
    console.print(table)
    overall = explanation.comparison
    console.print(
        f"overall: [{_style(overall.level)}]{overall.level}[/] — {plain(overall.reason)}",
        highlight=False,
    )
    shared = full_name_keys(a) & full_name_keys(b)
    console.print(f"shared search keys: {len(shared)}", highlight=False)


@app.command("parse")
def parse(value: str = typer.Argument(..., help="A full name in any script and order.")) -> None:
    """Show how a full name is split into its parts, with a Latin spelling."""
    console = Console()
    parsed = parse_full_name(value)
    table = Table(title=plain(value))
    table.add_column("part")
    table.add_column("value")
    table.add_column("Latin")
    for key, text in (
        ("given", parsed.given),
        ("patronymic", parsed.patronymic),
        ("family", parsed.family),
    ):
        table.add_row(_PART_TITLES[key], plain(text or "—"), plain(to_latin(text) if text else "—"))
    console.print(table)
    if parsed.reduced:
        console.print(
            f"read in the nominative: {plain(', '.join(parsed.reduced))}", highlight=False
        )
