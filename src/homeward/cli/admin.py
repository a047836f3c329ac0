"""``homeward init``, ``backup``, ``restore``: the register keeper's commands."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from homeward.cli.common import console, open_registry
from homeward.domain.model import OrganisationKind
from homeward.domain.roles import Role
from homeward.errors import Invalid
from homeward.services import accounts, backup


def init(
    admin: Annotated[str, typer.Option(help="Username of the first register keeper.")] = "admin",
    organisation: Annotated[
        str, typer.Option(help="Name of the register keeper's organisation.")
    ] = "Register keeper",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="HOMEWARD_ADMIN_PASSWORD", help="First admin's password (asked if not given)."
        ),
    ] = None,
) -> None:
    """Create or migrate the database, and create the first admin if there is none."""
    with open_registry(migrate_schema=True) as registry, registry.uow() as uow:
        url = registry.engine.url.render_as_string(hide_password=True)
        if uow.repos.users.count():
            console.print(f"database ready at {url}; users exist already")
            return
        if password is None:
            password = getpass.getpass(f"password for {admin}: ")
        org = accounts.create_organisation(uow, organisation, OrganisationKind.REGISTER_KEEPER)
        accounts.create_user(
            uow,
            username=admin,
            display_name=admin,
            role=Role.ADMIN,
            password=password,
            organisation_id=org.id,
        )
        uow.commit()
        console.print(f"database ready at {url}; admin '{admin}' created")


def backup_command(
    file: Annotated[Path, typer.Argument(help="Backup file to write (.hwb).")],
    verify: Annotated[
        bool, typer.Option("--verify", help="Check an existing backup file instead of writing one.")
    ] = False,
) -> None:
    """Write a consistent backup while the registry runs (or --verify one)."""
    with open_registry() as registry:
        if verify:
            info = backup.check_backup(file)
            rows = sum(info["trailer"]["rows"].values())
            console.print(f"{file}: a sound Homeward backup of {rows} rows")
            return
        if file.exists():
            raise Invalid(f"{file} exists; choose a new name (a backup never overwrites)")
        summary = backup.write_backup(registry, file)
        console.print(
            f"backup written to {file}: {sum(summary.rows.values())} rows, sha256 {summary.sha256}"
        )


def restore_command(
    file: Annotated[Path, typer.Argument(help="Backup file to restore.")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace a database that holds data.")] = False,
) -> None:
    """Replace the database's content with a backup, after checking the whole file."""
    with open_registry(migrate_schema=True) as registry:
        backup.check_backup(file)
        with registry.uow(write=False) as uow:
            has_data = uow.repos.children.count() or uow.repos.users.count()
        if has_data and not yes:
            raise Invalid("the database holds data; add --yes to replace it with the backup")
        counts = backup.restore_backup(registry, file)
        console.print(f"restored {sum(counts.values())} rows from {file}")
