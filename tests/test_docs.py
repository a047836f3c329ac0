"""Documentation that falls behind the code fails the suite."""

from __future__ import annotations

from pathlib import Path

import typer.main

from homeward.cli.main import app
from homeward.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def command_paths() -> list[str]:
    group = typer.main.get_command(app)
    paths: list[str] = []

    def walk(cmd: object, prefix: str) -> None:
        subcommands = getattr(cmd, "commands", None)
        if not subcommands:
            paths.append(prefix)
            return
        for name, sub in subcommands.items():
            walk(sub, f"{prefix} {name}".strip())

    walk(group, "")
    return paths


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p for p in command_paths() if f"homeward {p}" not in readme]
    assert not missing, f"README.md does not mention: {missing}"


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"HOMEWARD_{name.upper()}" not in doc]
    assert not missing, f"docs/configuration.md does not mention: {missing}"
