"""The ``homeward`` command."""

from __future__ import annotations

import typer

app = typer.Typer(help="Homeward: trace and return children.", no_args_is_help=True)


def main() -> None:
    app()
