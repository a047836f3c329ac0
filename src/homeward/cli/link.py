"""``homeward link`` (files in, pairs out) and ``homeward match`` (the model)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from homeward.cli.common import console, err_console, friendly_errors, plain
from homeward.linkage.batch import iter_records, pair_rows, write_pairs
from homeward.linkage.batch import link as run_link
from homeward.linkage.model import MatchModel, default_model
from homeward.linkage.scoring import score_pair

app = typer.Typer(help="The match model: explain a pair, show or train the model.")

_STAGES = {"prepare": "reading records", "compare": "comparing candidates"}


def link(
    input_csv: Path = typer.Argument(..., metavar="INPUT.csv", help="Records (UTF-8 CSV)."),
    other_csv: Path | None = typer.Argument(
        None, metavar="[OTHER.csv]", help="Second file: link INPUT against it."
    ),
    out: Path = typer.Option(..., "--out", metavar="PAIRS.csv", help="Where to write pairs."),
    threshold: float = typer.Option(0.5, help="Lowest match probability written."),
    model_file: Path | None = typer.Option(
        None, "--model", metavar="FILE", help="Use this model as it is (no training)."
    ),
    save_model: Path | None = typer.Option(
        None, "--save-model", metavar="FILE", help="Write the model used (trained) as JSON."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Find pairs of records of the same child: within INPUT, or between INPUT
    and OTHER.  Writes record_id_a,record_id_b,match_probability (then
    match_weight and group) for every pair at or above the threshold."""
    with friendly_errors():
        ids: list[str] = []
        records_a = iter_records(input_csv, ids)
        records_b = iter_records(other_csv, ids) if other_csv else None
        model = MatchModel.load(model_file) if model_file else default_model()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err_console, disable=quiet, transient=True,
        ) as bar:  # fmt: skip
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in _STAGES:
                    return
                if stage not in tasks:
                    tasks[stage] = int(bar.add_task(_STAGES[stage], total=total))
                bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

            result = run_link(
                records_a, records_b, model=model, train_model=model_file is None,
                threshold=threshold, progress=progress,
            )  # fmt: skip
        written = write_pairs(out, pair_rows(result, ids, two_files=records_b is not None))
        if save_model:
            result.model.save(save_model)
    if not quiet:
        err_console.print(
            f"{result.records:,} records, {result.candidate_pairs:,} candidate pairs, "
            f"{written:,} pairs written to {out} "
            f"({len(result.groups):,} groups; {result.joins_refused:,} joins refused "
            "as contradicting a group)"
        )


@app.command("explain")
def explain(
    a: str = typer.Argument(..., help='First record as JSON: \'{"given_name": "Олександр"}\'.'),
    b: str = typer.Argument(..., help="Second record as JSON."),
    model_file: Path | None = typer.Option(None, "--model", metavar="FILE"),
) -> None:
    """Score two records and explain every field."""
    with friendly_errors():
        records = []
        for text in (a, b):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise typer.BadParameter(f"not JSON: {error}") from error
            if not isinstance(value, dict):
                raise typer.BadParameter("a record is a JSON object of field names to values")
            records.append(value)
        model = MatchModel.load(model_file) if model_file else default_model()
        scored = score_pair(model, records[0], records[1])
    table = Table("field", "A", "B", "level", "why", "weight")
    for f in scored.fields:
        if f.level == "missing":
            continue
        weight = f"{f.weight:+.1f}" + ("" if f.counted else " (not counted)")
        table.add_row(f.label, plain(f.value_a), plain(f.value_b), f.level, plain(f.reason), weight)
    console.print(table)
    console.print(f"prior {scored.prior_weight:+.1f}")
    console.print(
        f"match weight {scored.weight:+.1f}, probability [bold]{scored.probability:.4f}[/bold]"
    )


@app.command("show")
def show(model_file: Path | None = typer.Option(None, "--model", metavar="FILE")) -> None:
    """Print the model's weights by field and level."""
    with friendly_errors():
        model = MatchModel.load(model_file) if model_file else default_model()
    table = Table("field", "level", "m", "u", "weight")
    for name, levels in model.levels.items():
        for level, probs in levels.items():
            table.add_row(name, level, f"{probs.m:.4g}", f"{probs.u:.4g}", f"{probs.weight:+.2f}")
    console.print(table)
    console.print(f"prior {model.prior:.3g} ({model.prior_weight:+.1f} bits)")


def link_main(args: list[str]) -> None:
    """``homeward link ARGS`` as a command of its own (see :mod:`homeward.cli.main`)."""
    alone = typer.Typer(add_completion=False)
    alone.command()(link)
    typer.main.get_command(alone).main(args=args, prog_name="homeward link")
