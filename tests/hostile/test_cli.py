"""The command line prints hostile values as text: rich markup in a name is
printed as written (``[bold red]x[/]``, not red, and no crash on the lone
``[/]``), and characters a terminal would act on (escape sequences, bell,
NUL, a lone carriage return) or that turn text around (U+202E) are shown as
their escapes, never sent to the terminal."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator

import pytest
from click.testing import Result
from typer.testing import CliRunner

from homeward.cli.common import console, err_console
from homeward.cli.main import app
from homeward.names.normalize import normalize_text
from tests.hostile.conftest import Hostile, HostileWorld
from tests.hostile.values import HOSTILE, PARAMS, fits_a_name, shown

runner = CliRunner()


@pytest.fixture
def cli(hostile: HostileWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileWorld]:
    """The command line on the hostile registry, wide enough that no table
    wraps a value (so a value is found whole in the output)."""
    monkeypatch.setenv("HOMEWARD_DATA_DIR", str(hostile.settings.data_dir))
    monkeypatch.setenv("HOMEWARD_DATABASE_URL", hostile.settings.database_url)
    monkeypatch.setattr(console, "width", 20_000)
    monkeypatch.setattr(err_console, "width", 20_000)
    yield hostile


def visible(value: str) -> str:
    """How a terminal must show a value: every control or format character
    as its Python escape (``\\x1b``, ``\\u202e``), the rest as it is."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch)[0] == "C" else ch
        for ch in value
    )


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    unseen = {ch for ch in result.output if unicodedata.category(ch)[0] == "C" and ch != "\n"}
    assert not unseen, f"sent to the terminal: {sorted(map(repr, unseen))}"
    return result


def _item(world: HostileWorld, value: str) -> Hostile:
    return next(i for i in world.items.values() if i.value == value)


def test_escapes_are_shown_as_written() -> None:
    assert visible(HOSTILE["escape"]) == r"\x1b[2J\x1b]0;pwned\x07Коваленко\x1b[31m"
    assert visible(HOSTILE["rtl_override"]) == r"Коваленко\u202eокнелавок"


@pytest.mark.parametrize("value", PARAMS)
def test_review_show_prints_both_values_as_written(cli: HostileWorld, value: str) -> None:
    item = _item(cli, value)
    shown_item = run("review", "show", str(item.candidate_id))
    assert shown_item.exit_code == 0, shown_item.output
    if fits_a_name(value):
        assert shown(value) in shown_item.output


def test_review_list_prints_the_queue_and_its_json_keeps_values(cli: HostileWorld) -> None:
    table = run("review", "list", "--limit", "100")
    assert table.exit_code == 0, table.output
    pending = re.search(r"(\d+) pending", table.output)
    assert pending and int(pending.group(1)) >= len(HOSTILE)
    listed = run("review", "list", "--limit", "100", "--json")
    assert listed.exit_code == 0, listed.output
    decoder, text, items = json.JSONDecoder(), listed.output.strip(), []
    while text:
        item, end = decoder.raw_decode(text)
        items.append(item)
        text = text[end:].strip()
    values = {f["value_a"] for i in items for f in i["fields"] if f["field"] == "family_name"}
    for value in HOSTILE.values():
        if fits_a_name(value):
            assert shown(value) in values


@pytest.mark.parametrize("value", PARAMS)
def test_report_add_prints_the_case_it_may_be_with_the_value_as_written(
    cli: HostileWorld, value: str
) -> None:
    item = _item(cli, value)
    added = run(
        "report", "add", f"family_name={value}", "given_name=Олександр",
        f"birth_date={item.birth_date}",
    )  # fmt: skip
    if not fits_a_name(value):  # refused: the error says why, as written
        assert added.exit_code == 1
        assert "family_name is 10,000 characters long (at most 200)" in added.output
        return
    assert added.exit_code == 0, added.output
    assert item.case_number in added.output
    if normalize_text(value):  # a name to compare (``=1+2`` has no letter: not compared)
        # the value as typed beside the case's (cleaned) value, when they differ
        typed = visible(value) + ("" if value == shown(value) else f" ~ {shown(value)}")
        assert f"family name: {typed}, identical" in added.output


@pytest.mark.parametrize("value", PARAMS)
def test_lists_show_prints_the_entry_as_written(cli: HostileWorld, value: str) -> None:
    item = _item(cli, value)
    listed = run("lists", "show", str(item.list_id))
    assert listed.exit_code == 0, listed.output
    assert item.case_number in listed.output
    expected = shown(value) if fits_a_name(value) else "Коваленко Олена"
    assert expected in listed.output  # the legal representative, at least


@pytest.mark.parametrize("value", [p for p in PARAMS if "\x00" not in p.values[0]])
def test_import_quarantine_prints_raw_cells_with_their_escapes(
    cli: HostileWorld, value: str
) -> None:
    held = run("import", "quarantine", str(cli.import_id))
    assert held.exit_code == 0, held.output
    assert f"family_name={visible(value)}" in held.output
