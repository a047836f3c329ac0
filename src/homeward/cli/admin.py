"""``homeward init``, ``backup``, ``restore``, ``backup-keygen``: the register keeper's
commands."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from homeward.cli.common import console, err_console, friendly_errors, open_registry
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


PASSPHRASE_ENV = "HOMEWARD_BACKUP_PASSPHRASE"
PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help=f"File holding the backup's passphrase (else ${PASSPHRASE_ENV}, else asked).",
    ),
]
IdentityFile = Annotated[
    Path | None,
    typer.Option(
        "--identity", help="Secret key file (backup-keygen) of a backup made for its public key."
    ),
]


def backup_command(
    file: Annotated[Path, typer.Argument(help="Backup file to write (.hwb), or to --verify.")],
    verify: Annotated[
        bool, typer.Option("--verify", help="Check an existing backup file instead of writing one.")
    ] = False,
    passphrase_file: PassphraseFile = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--recipient",
            help="Public key (homeward-public-...) to encrypt for; repeat for several.",
        ),
    ] = None,
    identity: IdentityFile = None,
    no_encryption: Annotated[
        bool,
        typer.Option(
            "--no-encryption", help="Write a backup that is NOT encrypted: anyone can read it."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Write an encrypted backup of the database and the file store while the
    registry runs, checked before it gets its name (or --verify one)."""
    if verify:
        with friendly_errors():
            passphrase, secret = _opening_keys(file, passphrase_file, identity)
            with _progress(quiet) as progress:
                info = backup.check_backup(
                    file, passphrase=passphrase, identity=secret, progress=progress
                )
        sealed = "encrypted" if info.encrypted else "NOT encrypted"
        files = f" and {info.files:,} files ({_mb(info.file_bytes)})" if info.version > 1 else ""
        console.print(
            f"{file}: a sound Homeward backup of {info.total_rows:,} rows{files}, {sealed}, "
            f"format {info.version}, made {info.created_at or 'at an unknown time'}; "
            f"sha256 {info.sha256}",
            highlight=False,
        )
        return
    recipients = list(recipient or [])
    with friendly_errors():
        if identity is not None:
            raise Invalid("--identity opens a backup (with --verify); to write one for a key "
                          "pair, give its public key with --recipient")  # fmt: skip
        passphrase = _writing_passphrase(passphrase_file, recipients, no_encryption)
        if file.exists():
            raise Invalid(f"{file} exists; choose a new name (a backup never overwrites)")
    with open_registry() as registry, _progress(quiet) as progress:
        summary = backup.write_backup(
            registry,
            file,
            passphrase=passphrase,
            recipients=recipients,
            unencrypted=no_encryption,
            progress=progress,
        )
    keys = [k for k in ("a passphrase" if passphrase else "",
                        _count(len(recipients), "public key")) if k]  # fmt: skip
    sealed = f"encrypted for {' and '.join(keys)}" if keys else "NOT ENCRYPTED"
    console.print(
        f"backup written to {file} and checked: {sum(summary.rows.values()):,} rows, "
        f"{summary.files:,} files ({_mb(summary.file_bytes)}), {sealed}; sha256 {summary.sha256}",
        highlight=False,
    )
    if no_encryption:
        err_console.print(
            "[yellow]warning:[/yellow] this backup is not encrypted: anyone who has the file "
            "can read every record, contact and document in it"
        )


def restore_command(
    file: Annotated[Path, typer.Argument(help="Backup file to restore.")],
    yes: Annotated[
        bool, typer.Option("--yes", "--force", help="Replace a database that holds data.")
    ] = False,
    passphrase_file: PassphraseFile = None,
    identity: IdentityFile = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Restore the database and the file store from a backup, after checking
    the whole file: on a new machine, into an empty database."""
    with friendly_errors():
        passphrase, secret = _opening_keys(file, passphrase_file, identity)
        # The key is tried before the database is opened: a wrong one touches nothing.
        backup.check_key(file, passphrase=passphrase, identity=secret)
    with open_registry(migrate_schema=True) as registry:
        with registry.uow(write=False) as uow:
            has_data = uow.repos.children.count() or uow.repos.users.count()
        if has_data and not yes:
            raise Invalid("the database holds data; add --yes to replace it with the backup")
        with _progress(quiet) as progress:
            summary = backup.restore_backup(
                registry, file, passphrase=passphrase, identity=secret, progress=progress
            )
    console.print(
        f"restored {summary.total_rows:,} rows and "
        f"{summary.files_written + summary.files_present:,} files from {file} "
        f"({summary.files_written:,} written to the file store, "
        f"{summary.files_present:,} there already)",
        highlight=False,
    )


def backup_keygen(
    out: Annotated[
        Path, typer.Option("--out", help="File to write the secret key to (never overwritten).")
    ],
) -> None:
    """Make a key pair for backups kept by a partner: print the public key to
    encrypt for (--recipient), and keep the secret key, which alone opens them."""
    with friendly_errors():
        public = backup.write_identity(out)
    err_console.print(
        f"secret key written to {out} (readable by you only). Keep it safe and apart from "
        "the backups: it alone opens backups made for this public key:"
    )
    console.print(public, highlight=False)


def _writing_passphrase(
    passphrase_file: Path | None, recipients: list[str], no_encryption: bool
) -> str | None:
    passphrase = _read_passphrase(passphrase_file)
    if no_encryption:
        if passphrase or recipients:
            given = "--recipient" if recipients else passphrase_file or f"${PASSPHRASE_ENV}"
            raise Invalid(f"--no-encryption asks for an unencrypted backup, but {given} "
                          "gives a key: choose one")  # fmt: skip
        return None
    if passphrase or recipients:
        return passphrase
    if sys.stdin.isatty():
        text: str = typer.prompt(
            f"passphrase for the backup (at least {backup.MIN_PASSPHRASE} characters)",
            hide_input=True,
            confirmation_prompt=True,
            err=True,
        )
        return text
    raise Invalid(
        "a backup is encrypted: give --passphrase-file, set "
        f"{PASSPHRASE_ENV}, or give --recipient PUBLIC_KEY (or --no-encryption for a "
        "backup anyone can read)"
    )


def _opening_keys(
    file: Path, passphrase_file: Path | None, identity: Path | None
) -> tuple[str | None, str | None]:
    """The passphrase and secret key to open ``file`` with, asked for on a
    terminal when the file is encrypted and none was given."""
    passphrase = _read_passphrase(passphrase_file)
    secret = backup.read_identity(identity) if identity else None
    if backup.sniff(file) != "sealed" or passphrase or secret:
        return passphrase, secret
    if sys.stdin.isatty():
        text: str = typer.prompt("passphrase of the backup", hide_input=True, err=True)
        return text, None
    raise backup.KeyNeeded(
        f"{file}: the backup is encrypted; give --passphrase-file, set {PASSPHRASE_ENV}, or "
        "give --identity SECRET_KEY_FILE"
    )


def _read_passphrase(path: Path | None) -> str | None:
    if path is None:
        return os.environ.get(PASSPHRASE_ENV) or None
    try:
        text = path.read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError as err:
        raise Invalid(f"{path}: no such file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise Invalid(f"{path}: cannot read the passphrase ({err})") from err
    if not text:
        raise Invalid(f"{path}: the passphrase file is empty")
    return text


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=True,
        disable=quiet or not err_console.is_terminal,
    ) as bar:  # fmt: skip
        task = bar.add_task("backup", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        yield progress


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _count(n: int, noun: str) -> str:
    if not n:
        return ""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
