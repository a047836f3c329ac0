"""What every web server process of one registry shares, and where it is kept.

``homeward serve --workers N`` runs N processes, each with an app of its own.
What one of them learns and the others must know is kept in the registry's
database: the counts behind the sign-in throttle and the public report limit
(``address_events``, see ``homeward.web.ratelimit``) and the imports running
in the background (``import_jobs``, see ``homeward.web.import_jobs``).  Both
tables are outside the audit trail, like a session's last use.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from sqlalchemy import Engine, create_engine

from homeward.config import Settings
from homeward.services.registry_app import Registry

KEY_FILE = "address-events.key"
"""In the data directory: the key of the address digests (32 random bytes)."""


def shared_engine(registry: Registry) -> Engine:
    """The engine for the tables the processes share.

    On PostgreSQL an engine of its own, without the writers' lock every
    Homeward write takes (``homeward.storage.db``): that lock gives the audit
    trail one order of writers, and these tables are not in the trail; an
    import holds it for as long as it matches its records, and its progress
    must be written meanwhile.  On SQLite the registry's engine: the database
    has one writer at a time whichever engine writes."""
    engine = registry.engine
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(engine.url, pool_pre_ping=True, pool_size=2, max_overflow=8)


def address_key(settings: Settings) -> bytes:
    """The key of the address digests, made once per data directory.

    A random key kept beside the uploads rather than in the database: a copy
    of the database alone (a backup, a dump) cannot tell which addresses the
    digests stand for, though an IPv4 address has few enough values that a
    plain SHA-256 of it is undone by trying them all.  Every server process of
    a registry shares its data directory (uploads are kept there), so they all
    read the same key; two making it at once keep whichever was first."""
    folder = Path(settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / KEY_FILE
    if not path.is_file():
        fresh = folder / f".{KEY_FILE}.{secrets.token_hex(8)}"
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
            with contextlib.suppress(FileExistsError):  # never replace another's key
                os.link(fresh, path)
        finally:
            fresh.unlink(missing_ok=True)
    key = path.read_bytes()
    if len(key) < 32:
        raise RuntimeError(f"{path}: the key of the address digests is damaged; remove it")
    return key
