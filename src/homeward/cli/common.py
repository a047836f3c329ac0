"""What every command shares: settings, the registry, printing errors."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.console import Console

from homeward.config import Settings
from homeward.domain.roles import Actor, Role
from homeward.errors import HomewardError, Invalid
from homeward.services.registry_app import Registry

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


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
    registry = Registry.open(settings(), migrate_schema=migrate_schema)
    try:
        yield registry
    except HomewardError as err:
        err_console.print(f"[red]error:[/red] {err}")
        raise typer.Exit(1) from err
    finally:
        registry.close()


@contextmanager
def friendly_errors() -> Iterator[None]:
    try:
        yield
    except HomewardError as err:
        err_console.print(f"[red]error:[/red] {err}")
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
