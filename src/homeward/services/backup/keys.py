"""Keys for backups: a key pair for escrow, and an early check that a key
opens a backup before anything (a database schema, a file) is touched."""

from __future__ import annotations

import os
from pathlib import Path

from homeward import crypto
from homeward.errors import Invalid
from homeward.services.backup.format import Kind, open_payload, sniff


def check_key(path: Path, *, passphrase: str | None = None, identity: str | None = None) -> Kind:
    """The kind of backup ``path`` is, once the key given has opened it (only
    its header and first chunk are read: the whole file is checked later).
    ``KeyNeeded`` or ``WrongKey`` otherwise."""
    kind = sniff(path)
    if kind != "v1":
        with open_payload(Path(path), passphrase=passphrase, identity=identity):
            pass
    return kind


def write_identity(out: Path) -> str:
    """Make a key pair for escrow: the secret key goes to ``out`` (readable by
    its owner only; an existing file is never replaced); the public key, which
    backups are encrypted for, is returned."""
    out = Path(out)
    secret, public = crypto.generate_identity()
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as err:
        raise Invalid(f"{out} exists; a secret key is never overwritten") from err
    except OSError as err:
        raise Invalid(f"{out}: cannot write the secret key ({err.strerror})") from err
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(out, 0o600)  # whatever the umask
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return public


def read_identity(path: Path) -> str:
    """The secret key kept in ``path``, checked to be one."""
    try:
        secret = Path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError as err:
        raise Invalid(f"{path}: no such file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise Invalid(f"{path}: not a Homeward secret key ({err})") from err
    try:
        crypto.public_key_of(secret)
    except ValueError as err:
        raise Invalid(f"{path}: {err}") from err
    return secret
