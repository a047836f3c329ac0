"""Version 1 backups (gzip JSON lines of the database, not encrypted, no files):
no longer written, still checked and restored, so that every backup made
before version 2 still brings its registry back.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from homeward.errors import Invalid
from homeward.services.backup.format import FORMAT, BackupInfo

VERSION = 1


def _lines(path: Path) -> Iterator[str]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            yield from handle
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as err:
        raise Invalid(f"{path}: not a Homeward backup, or damaged ({err})") from err


def check(path: Path) -> BackupInfo:
    """Read the whole file and check it against its trailer."""
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    trailer: dict[str, Any] | None = None
    counts: dict[str, int] = {}
    for number, line in enumerate(_lines(path), start=1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise Invalid(f"{path}: line {number} is damaged ({err.msg})") from err
        if trailer is not None:
            raise Invalid(f"{path}: data after the end marker (line {number})")
        if header is None:
            if not isinstance(obj, dict) or obj.get("format") != FORMAT:
                raise Invalid(f"{path}: not a Homeward backup")
            if obj.get("version") != VERSION:
                raise Invalid(f"{path}: backup format {obj.get('version')} is not supported")
            header = obj
        elif obj.get("end"):
            trailer = obj
            continue
        else:
            counts[obj["t"]] = counts.get(obj["t"], 0) + 1
        digest.update(line.encode("utf-8"))
    if header is None:
        raise Invalid(f"{path}: empty file, not a Homeward backup")
    if trailer is None:
        raise Invalid(f"{path}: the backup is incomplete (no end marker)")
    if trailer.get("sha256") != digest.hexdigest():
        raise Invalid(f"{path}: the backup is damaged (checksum does not match)")
    expected = {k: v for k, v in trailer["rows"].items() if v}
    if expected != counts:
        raise Invalid(f"{path}: the backup is damaged (row counts do not match)")
    with path.open("rb") as handle:
        file_sha = hashlib.file_digest(handle, "sha256").hexdigest()
    return BackupInfo(
        path=path,
        version=VERSION,
        encrypted=False,
        schema_revision=header.get("schema_revision"),
        created_at=header.get("created_at"),
        rows=counts,
        sha256=file_sha,
        header=header,
        trailer=trailer,
    )


def rows(path: Path) -> Iterator[dict[str, Any]]:
    """Every row of a checked file: ``{"t": table, "r": row}``."""
    for line in _lines(path):
        obj = json.loads(line)
        if "t" in obj:
            yield obj
