"""What every command shares: settings, the registry, printing errors."""

from __future__ import annotations

import getpass
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.errors import HomewardError, Invalid

if TYPE_CHECKING:
    from homeward.services.registry_app import Registry

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)
_UNSEEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Characters a terminal acts on (escape sequences, bell, carriage return,
NUL, line breaks) or that turn or hide text (direction overrides, zero-width
characters)."""


def plain(value: object) -> str:
    """Text from outside (names, notes, file names, cells, errors quoting
    them), ready for ``console.print`` and table cells: rich markup in it is
    printed as written (``[bold red]x[/]`` stays that), and each character
    of :data:`_UNSEEN` is shown as its escape (``\\x1b``, ``\\u202e``), so the
    terminal does not act on it and the operator sees it is there."""
    text = "" if value is None else str(value)
    if not text.isprintable():
        text = "".join(
            ch.encode("unicode_escape").decode("ascii")
            if unicodedata.category(ch) in _UNSEEN
            else ch
            for ch in text
        )
    return escape(text)


def settings() -> Settings:
    """The settings in force; a setting that is wrong (or a key that encryption
    needs and is missing) stops the command with a plain message."""
    try:
        return Settings()
    except ValidationError as err:
        for problem in err.errors():
            err_console.print(
                f"[red]error in the settings:[/red] {problem['msg'].removeprefix('Value error, ')}"
            )
        raise typer.Exit(2) from err


@contextmanager
def open_registry(*, migrate_schema: bool = False) -> Iterator[Registry]:
    """The registry for one command; a Homeward error ends the command with its
    message and exit code 1 instead of a traceback."""
    from homeward.services.registry_app import Registry

    registry = Registry.open(settings(), migrate_schema=migrate_schema)
    try:
        yield registry
    except HomewardError as err:
        err_console.print(f"[red]error:[/red] {plain(err)}")
        raise typer.Exit(1) from err
    finally:
        registry.close()


@contextmanager
def friendly_errors() -> Iterator[None]:
    try:
        yield
    except HomewardError as err:
        err_console.print(f"[red]error:[/red] {plain(err)}")
        raise typer.Exit(1) from err


def field_values(pairs: list[str], fields: tuple[str, ...]) -> dict[str, str]:
    """``["family_name=Коваленко", ...]`` as a dict, every name one of ``fields``."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in fields:
            raise Invalid(f"'{pair}': write field=value, with a field of {', '.join(fields)}")
        values[name] = value
    return values


def operator() -> Actor:
    """The person at the command line, named in the audit trail by their login."""
    return Actor(username=f"cli:{getpass.getuser()}", role=Role.SYSTEM)
