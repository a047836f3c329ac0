"""``homeward lists``: handover lists from composing to delivery, and checking a
signed list file with the public key alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from homeward import keys
from homeward.cli.common import console, err_console, open_registry, operator, plain
from homeward.services import answers, lists
from homeward.services.answers import Answer
from homeward.storage.uow import UnitOfWork

app = typer.Typer(help="Handover lists: compose, approve, freeze, export, deliver, verify.",
                  no_args_is_help=True)  # fmt: skip
ListId = Annotated[int, typer.Argument(help="The list's id.")]
Reason = Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the change).")]


@app.command("create")
def create_command(
    title: Annotated[str, typer.Option(help="The list's title.")],
    purpose: Annotated[str, typer.Option(help="What it is for.")],
    channel: Annotated[str, typer.Option(help="Negotiation round, mediator, ICRC...")],
    recipient: Annotated[str, typer.Option(help="Who receives it.")],
    category: Annotated[list[str] | None, typer.Option(help="Search: these categories.")] = None,
    status: Annotated[list[str] | None, typer.Option(help="Search: these statuses.")] = None,
    oblast: Annotated[
        list[str] | None, typer.Option(help="Search: oblast of origin (name or UA-code).")
    ] = None,
    located_in_russia: Annotated[bool, typer.Option(help="Search: located in Russia.")] = False,
    requested: Annotated[
        bool, typer.Option(help="Search: a legal representative asked for the return.")
    ] = False,
) -> None:
    """A new list from a saved search; its first version is a draft."""
    criteria: dict[str, object] = {}
    if category:
        criteria["category"] = category
    if status:
        criteria["status"] = status
    if oblast:
        criteria["oblast"] = oblast
    if located_in_russia:
        criteria["located_in_russia"] = True
    if requested:
        criteria["requested_by_representative"] = True
    with open_registry() as registry, registry.uow(operator()) as uow:
        row = lists.create_list(
            uow, title=title, purpose=purpose, channel=channel, recipient=recipient,
            criteria=criteria,
        )  # fmt: skip
        uow.commit()
    console.print(f"list {row.id} created; version 1 is a draft")


def _case_id(uow: UnitOfWork, case: str) -> int:
    return uow.repos.children.by_case_number(case).id


@app.command("add")
def add_command(list_id: ListId, case: Annotated[str, typer.Argument()], reason: Reason) -> None:
    """Add a child to the draft by hand."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        lists.change_child(uow, list_id, _case_id(uow, case), "add", reason=reason)
        uow.commit()
    console.print(f"{case} added to list {list_id}")


@app.command("remove")
def remove_command(list_id: ListId, case: Annotated[str, typer.Argument()], reason: Reason) -> None:
    """Leave a child out of the draft."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        lists.change_child(uow, list_id, _case_id(uow, case), "remove", reason=reason)
        uow.commit()
    console.print(f"{case} removed from list {list_id}")


@app.command("field")
def field_command(
    list_id: ListId,
    name: Annotated[str, typer.Argument(help=f"One of {', '.join(lists.EXTRA_FIELDS)}.")],
    justification: Annotated[str, typer.Option(help="Why it must be handed over.")],
) -> None:
    """Add a field beyond the "do no harm" profile, with its justification."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        lists.add_field(uow, list_id, name, justification=justification)
        uow.commit()
    console.print(f"{name} added to list {list_id}")


@app.command("show")
def show_command(list_id: ListId) -> None:
    """The draft's entries as they would be handed over, and what to look at first."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        draft = lists.draft_entries(uow, list_id)
        version = lists.current_version(uow, list_id)
    shown = [f for f in draft.fields if f in ("entry_number", "case_number", "family_name_uk",
             "given_name_uk", "birth_date", "category", "legal_representative")]  # fmt: skip
    table = Table(*shown)
    for entry in draft.entries:
        table.add_row(*(plain(entry.get(f) or "") for f in shown))
    console.print(table)
    console.print(f"version {version.number} ({version.status}): {len(draft.entries)} entries")
    if draft.without_representative:
        console.print(
            f"[yellow]{len(draft.without_representative)} without a legal representative who "
            f"asked for the return:[/yellow] {', '.join(draft.without_representative)}"
        )


@app.command("approve")
def approve_command(
    list_id: ListId,
    accept_without_representative: Annotated[
        bool, typer.Option(help="Approve although some entries lack a requesting representative.")
    ] = False,
) -> None:
    """Approve the draft (not its author)."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        version = lists.approve(
            uow, list_id, accept_without_representative=accept_without_representative
        )
        uow.commit()
    console.print(f"version {version.number} of list {list_id} approved")


@app.command("freeze")
def freeze_command(list_id: ListId) -> None:
    """Freeze the approved version: entries, SHA-256 and the registry's signature."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
        version = lists.freeze(uow, list_id, key)
        uow.commit()
    console.print(
        f"version {version.number} frozen: {version.entries} entries, "
        f"sha256 {version.content_sha256}"
    )


@app.command("new-version")
def new_version_command(list_id: ListId) -> None:
    """Start the next version as a draft."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        version = lists.new_version(uow, list_id)
        uow.commit()
    console.print(f"version {version.number} of list {list_id} is a draft")


@app.command("diff")
def diff_command(
    list_id: ListId,
    old: Annotated[int, typer.Argument(help="A frozen version.")],
    new: Annotated[int | None, typer.Argument(help="Another (default: the draft).")] = None,
) -> None:
    """What a version adds, removes and changes against a frozen one."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        found = lists.difference(uow, list_id, old, new)
    console.print(f"added: {', '.join(found.added) or '-'}")
    console.print(f"removed: {', '.join(found.removed) or '-'}")
    for case, fields in found.changed.items():
        console.print(f"changed: {case}: {', '.join(fields)}")


@app.command("export")
def export_command(
    list_id: ListId,
    version: Annotated[int, typer.Argument(help="A frozen version.")],
    out: Annotated[Path, typer.Option("--out", help="json (signed), csv, xlsx or pdf, by suffix.")],
    language: Annotated[str, typer.Option(help="Of a PDF: uk, en or ru.")] = "uk",
) -> None:
    """Write a frozen version; the JSON file carries the hash and signature."""
    format = out.suffix.lstrip(".").lower() or "json"
    with open_registry() as registry, registry.uow(operator()) as uow:
        count = lists.export_version(uow, list_id, version, out, format=format, language=language)
        uow.commit()
    console.print(f"{count} entries written to {out}")


@app.command("deliver")
def deliver_command(
    list_id: ListId,
    version: Annotated[int, typer.Argument(help="The frozen version handed over.")],
    on: Annotated[str, typer.Option("--on", help="The day (YYYY-MM-DD).")],
    recipient: Annotated[str, typer.Option(help="Who received it.")],
    channel: Annotated[str, typer.Option(help="How it was handed over.")],
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a delivery of a frozen version."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        lists.deliver(uow, list_id, version, delivered_on=on, recipient=recipient,
                      channel=channel, note=note)  # fmt: skip
        uow.commit()
    console.print(f"delivery of version {version} of list {list_id} recorded")


@app.command("public-key")
def public_key_command() -> None:
    """Print the registry's public key (give it to whoever must check a list)."""
    with open_registry() as registry:
        key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    text = keys.public_key_text(key)
    console.print(text)
    console.print(f"fingerprint {lists.key_fingerprint(text)}")


@app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="A signed list file (JSON).")],
    public_key: Annotated[
        str | None, typer.Option(help="The registry's public key (base64); default: the file's.")
    ] = None,
) -> None:
    """Check a signed list file with the public key alone; exit 1 if it was changed."""
    result = lists.verify_document(file, public_key)
    if result.ok:
        assert result.public_key is not None
        console.print(
            f"verified: {result.entries} entries, sha256 {result.sha256}, signed by the key "
            f"with fingerprint {lists.key_fingerprint(result.public_key)}"
        )
        if public_key is None:
            console.print(
                "(checked with the key in the file: compare its fingerprint with the registry's)"
            )
        return
    err_console.print(f"[red]not verified:[/red] {plain(result.problem)}")
    raise typer.Exit(1)


@app.command("answer")
def answer_command(
    list_id: ListId,
    version: Annotated[int, typer.Argument(help="The frozen version answered.")],
    entry: Annotated[int, typer.Argument(help="The entry number.")],
    answer: Annotated[Answer, typer.Argument(help="What they answered.")],
    on: Annotated[str, typer.Option("--on", help="The day of the answer (YYYY-MM-DD).")],
    source: Annotated[str, typer.Option(help="Who answered, through what.")],
    detail: Annotated[
        str | None, typer.Option(help="Where the child is; what they dispute.")
    ] = None,
) -> None:
    """Record the other side's answer for one entry (it goes on the child's timeline)."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        row = answers.record_answer(uow, list_id, version, entry, answer, answered_on=on,
                                    source=source, detail=detail)  # fmt: skip
        uow.commit()
    implied = answers.IMPLIED_MOVES.get(answer)
    console.print(f"answer {row.id} recorded for entry {entry}")
    if implied:
        console.print(
            f"it implies the move to {implied[0].value}{'/' + implied[1] if implied[1] else ''}: "
            f"confirm it with homeward lists confirm {row.id} --reason ..."
        )


@app.command("confirm")
def confirm_command(
    answer_id: Annotated[int, typer.Argument(help="The answer's id.")], reason: Reason
) -> None:
    """Make the status move an answer implies, once someone has confirmed it."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        child = answers.confirm_move(uow, answer_id, reason=reason)
        uow.commit()
    console.print(f"{child.case_number} is now {child.status}")


@app.command("tally")
def tally_command(
    list_id: ListId,
    version: Annotated[int, typer.Argument(help="A frozen version.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write it: csv, xlsx, json, or pdf (a report)."),
    ] = None,
    language: Annotated[str, typer.Option(help="Of a PDF: uk, en or ru.")] = "uk",
) -> None:
    """The figures negotiators quote for a version."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        tally = answers.reconcile(uow, list_id, version)
        if out is not None:
            answers.write_tally(
                uow, list_id, version, str(out), format=out.suffix.lstrip(".").lower() or "csv",
                language=language,
            )  # fmt: skip
            uow.commit()
    console.print(f"{plain(tally.title)}, version {tally.version}: {plain(tally.sentence())}")
    if tally.delivered_on:
        console.print(f"delivered {tally.delivered_on}, {tally.days_since_delivery} days ago")
    else:
        console.print("not delivered yet")
    if tally.disputed:
        console.print(f"disputed: {', '.join(tally.disputed)}")
    if tally.on_their_lists:
        console.print(f"named on the other side's own lists too: {', '.join(tally.on_their_lists)}")
    if tally.waiting_on_several_lists:
        console.print(
            "on several lists, answered on none: " + ", ".join(tally.waiting_on_several_lists)
        )


@app.command("answers-import")
def answers_import_command(
    list_id: ListId,
    version: Annotated[int, typer.Argument(help="The frozen version answered.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX.")],
    source: Annotated[str, typer.Option(help="Who answered, through what.")],
    on: Annotated[str | None, typer.Option("--on", help="The day of the answers.")] = None,
) -> None:
    """Record the answers of the file the other side returned, matched by entry
    number, or by names and birth date when they renumbered or respelled."""
    with open_registry() as registry, registry.uow(operator()) as uow:
        result = answers.import_answers(
            uow, list_id, version, str(file), source=source, answered_on=on
        )
        uow.commit()
    console.print(
        f"{result.rows} rows: {result.recorded} answers recorded ({result.by_number} by entry "
        f"number, {result.by_identity} by names and birth date), {len(result.problems)} not"
    )
    for problem in result.problems:
        console.print(f"  {plain(problem)}")


@app.command("check")
def check_command() -> None:
    """Check every frozen version against its hash, signature and entries; exit 1
    naming what was changed."""
    with open_registry() as registry, registry.uow(operator(), write=False) as uow:
        problems = lists.check_frozen(uow)
    if not problems:
        console.print("every frozen list version is as it was frozen")
        return
    for problem in problems:
        err_console.print(f"[red]{problem}[/red]")
    raise typer.Exit(1)
