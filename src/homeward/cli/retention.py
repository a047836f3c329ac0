"""``homeward retention``: what Homeward stops keeping, shown before it is removed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from homeward.cli.common import console, open_registry, operator
from homeward.errors import Invalid
from homeward.services import retention
from homeward.services.retention import KIND_TITLES, Kind, RetentionItem, RetentionPlan

app = typer.Typer(
    help="Retention: show what the retention rules would remove, and remove it.",
    no_args_is_help=True,
)

_PERIODS = {
    Kind.PUBLIC_REPORT: ("public_reports_days", "untriaged_public_reports_days"),
    Kind.DUPLICATE_PROPOSAL: ("duplicate_proposals_days",),
    Kind.ORPHAN_FILE: ("orphan_files_days",),
    Kind.WITHDRAWN_DOCUMENT: ("withdrawn_documents_days",),
}
_PERIOD_LABELS = {
    "public_reports_days": "after rejection",
    "untriaged_public_reports_days": "untriaged",
}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _days(value: int) -> str:
    return "off" if value == 0 else f"{value} days"


def _policy_text(plan: RetentionPlan, kind: Kind) -> str:
    parts = []
    for name in _PERIODS[kind]:
        value = _days(getattr(plan.policy, name))
        label = _PERIOD_LABELS.get(name)
        parts.append(f"{value} {label}" if label else value)
    return ", ".join(parts)


def _print_plan(plan: RetentionPlan, *, title: str) -> None:
    counts = plan.counts()
    summary = Table("kind", "kept for", "to remove", title=title)
    for kind in Kind:
        summary.add_row(KIND_TITLES[kind], _policy_text(plan, kind), str(counts[kind.value]))
    console.print(summary)
    if plan.empty:
        console.print("nothing to remove")
        return
    console.print(_items_table(plan.items, "what would be removed"))


def _items_table(items: tuple[RetentionItem, ...] | list[RetentionItem], title: str) -> Table:
    table = Table("kind", "id", "what", "why", "age", title=title)
    for item in items:
        shown = item.id if len(item.id) <= 20 else item.id[:16] + "…"
        table.add_row(KIND_TITLES[item.kind], shown, item.what, item.why, f"{item.age_days} days")
    return table


def _as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as err:
        raise Invalid(f"--as-of: '{value}' is not a date (2026-05-01) or a time") from err
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@app.command()
def show(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Show what would be removed on this date instead of now (2026-05-01)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
) -> None:
    """What the retention rules would remove now, kind by kind.  Changes nothing."""
    with open_registry() as registry:
        plan = retention.plan_retention(registry, _as_of(as_of))
    if as_json:
        document = {
            "as_of": plan.now.isoformat(),
            "policy": plan.policy.as_dict(),
            "counts": plan.counts(),
            "items": [item.as_dict() for item in plan.items],
        }
        console.print_json(json.dumps(document, ensure_ascii=False))
        return
    _print_plan(plan, title=f"retention as of {plan.now:%Y-%m-%d %H:%M} UTC")


@app.command()
def apply(
    yes: Annotated[bool, typer.Option("--yes", help="Remove without asking.")] = False,
) -> None:
    """Show what the retention rules would remove now, ask, then remove it."""
    with open_registry() as registry:
        plan = retention.plan_retention(registry)
        _print_plan(plan, title=f"retention as of {plan.now:%Y-%m-%d %H:%M} UTC")
        if plan.empty:
            return
        if not yes and not typer.confirm(
            f"Remove {_count(len(plan.items), 'item')}?", default=False
        ):
            console.print("nothing removed")
            return
        result = retention.apply_retention(registry, plan, operator())
    if result.removed:
        console.print(_items_table(result.removed, "removed"))
    counts = result.counts()
    console.print(
        "removed: "
        + ", ".join(f"{counts[k.value]} {KIND_TITLES[k]}" for k in Kind)
        + f"; {_count(len(result.files_removed), 'file')} left the store"
    )
    if result.skipped:
        console.print(
            f"{_count(len(result.skipped), 'planned item')} no longer eligible, kept: "
            + ", ".join(f"{i.kind.value} {i.id}" for i in result.skipped)
        )
    if result.files_restored:
        console.print(
            f"{_count(len(result.files_restored), 'file')} set aside by an interrupted run "
            "put back in place"
        )
    for problem in result.problems:
        console.print(f"[yellow]warning:[/yellow] {problem}")
