"""``homeward review``: the queue of proposed matches, and ``homeward match train``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from homeward.cli.common import console, err_console, open_registry, operator, plain, settings
from homeward.linkage.model import MatchModel
from homeward.services import review
from homeward.services.review import Action, ReviewItem, ReviewStatus, Thresholds

app = typer.Typer(
    help="Review proposed matches: scan the registry, accept, reject, defer, undo.",
    no_args_is_help=True,
)

_STAGES = {"prepare": "reading records", "compare": "comparing candidates"}
ReasonOption = Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the decision).")]


@app.command()
def scan(
    model_file: Annotated[
        Path | None, typer.Option("--model", help="Model file (default: the settings' model).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Deduplicate the whole registry and fill the review queue."""
    config = settings()
    with open_registry() as registry, registry.uow(operator()) as uow:
        model = MatchModel.load(model_file) if model_file else review.load_model(config)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err_console, disable=quiet, transient=True,
        ) as bar:  # fmt: skip
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage in _STAGES:
                    if stage not in tasks:
                        tasks[stage] = int(bar.add_task(_STAGES[stage], total=total))
                    bar.update(tasks[stage], completed=done)  # type: ignore[arg-type]

            summary = review.scan_registry(
                uow, model=model, thresholds=Thresholds.from_settings(config), progress=progress
            )
        uow.commit()
    found = summary.as_dict()
    console.print(
        f"{found['records']:,} records, {found['candidate_pairs']:,} candidate pairs: "
        f"{found['queued']} queued for review, {found['auto_linked']} linked automatically, "
        f"{found['refreshed']} already waiting (rescored), {found['settled']} decided before "
        f"(left as decided), {found['unlinked_pairs']} pairs of records in no case"
    )


def _statuses(value: str) -> list[str]:
    if value == "all":
        return [s.value for s in ReviewStatus]
    return [s.strip() for s in value.split(",") if s.strip()]


@app.command("list")
def list_command(
    status: Annotated[
        str, typer.Option(help="pending, deferred, accepted, auto_linked, rejected, or all.")
    ] = "pending,deferred",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Proposed matches, most probable first."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        items = review.queue(uow, statuses=_statuses(status), limit=limit, offset=offset)
        counts = review.counts(uow)
    if as_json:
        for item in items:
            console.print_json(json.dumps(item.as_dict(), ensure_ascii=False))
        return
    table = Table("id", "probability", "status", "what", "strongest reasons")
    for item in items:
        what = (
            f"record {item.record_id} → {item.case_number}"
            if item.kind == "record"
            else f"{item.case_number} = {item.other_case_number}?"
        )
        strongest = sorted(
            (f for f in item.fields if f.level != "missing"), key=lambda f: -abs(f.weight)
        )[:2]
        table.add_row(
            str(item.id), f"{item.probability:.3f}", item.status, what,
            "; ".join(f"{f.label} {f.weight:+.1f}" for f in strongest),
        )  # fmt: skip
    console.print(table)
    console.print(", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items()))


@app.command()
def show(candidate_id: Annotated[int, typer.Argument(help="The proposal's id.")]) -> None:
    """One proposal side by side: each field's two values, level, reason and weight."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        item = review.get_item(uow, candidate_id)
    _print_item(item)


def _print_item(item: ReviewItem) -> None:
    left = f"record {item.record_id}" if item.kind == "record" else item.case_number
    right = item.case_number if item.kind == "record" else item.other_case_number or ""
    console.print(
        f"proposed match {item.id}: {left} ~ {right}, probability {item.probability:.4f} "
        f"(weight {item.weight:+.1f}), {item.status.replace('_', ' ')}"
    )
    table = Table("field", left, right, "why", "weight")
    for f in item.fields:
        weight = "" if f.level == "missing" else f"{f.weight:+.1f}" + ("" if f.counted else "*")
        table.add_row(f.label, plain(f.value_a), plain(f.value_b), plain(f.reason), weight)
    console.print(table)
    if any(not f.counted for f in item.fields):
        console.print("* not counted: the given names differ, and siblings share this field")
    console.print(f"scored by the {item.model} model ({item.origin})")
    if item.decided_by:
        console.print(f"decided by {item.decided_by} at {item.decided_at}: {plain(item.reason)}")


def _decide(candidate_id: int, action: Action, reason: str, keep: str | None = None) -> None:
    with open_registry() as registry, registry.uow(operator()) as uow:
        surviving = uow.repos.children.by_case_number(keep).id if keep else None
        row = review.decide(uow, candidate_id, action, reason=reason, surviving_child_id=surviving)
        uow.commit()
    console.print(f"proposed match {row.id}: {row.status.replace('_', ' ')}")


@app.command()
def accept(
    candidate_id: Annotated[int, typer.Argument(help="The proposal's id.")],
    reason: ReasonOption,
    keep: Annotated[
        str | None,
        typer.Option(help="Case number that survives a merge (default: the older case)."),
    ] = None,
) -> None:
    """Link the record to the case, or merge the two cases."""
    _decide(candidate_id, Action.ACCEPT, reason, keep)


@app.command()
def reject(
    candidate_id: Annotated[int, typer.Argument(help="The proposal's id.")], reason: ReasonOption
) -> None:
    """Not the same child: this pair is never proposed again."""
    _decide(candidate_id, Action.REJECT, reason)


@app.command()
def defer(
    candidate_id: Annotated[int, typer.Argument(help="The proposal's id.")], reason: ReasonOption
) -> None:
    """Decide later (it stays in the queue, after the pending ones of its score)."""
    _decide(candidate_id, Action.DEFER, reason)


@app.command()
def undo(
    candidate_id: Annotated[int, typer.Argument(help="The proposal's id.")], reason: ReasonOption
) -> None:
    """Reopen a decided proposal; an acceptance's link or merge is undone."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        row = review.undo(uow, candidate_id, reason=reason)
        uow.commit()
    console.print(f"proposed match {row.id}: pending again")


def train(
    out: Annotated[Path, typer.Option("--out", help="Where to write the trained model (JSON).")],
) -> None:
    """Re-estimate the match model (EM) on the registry's own records.

    Set HOMEWARD_MATCH_MODEL to the file to use it; decisions taken stay as taken.
    """
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        model = review.train_on_registry(uow, start=review.load_model(settings()))
    model.save(out)
    console.print(f"model trained on the registry written to {out} ({review.model_label(model)})")
