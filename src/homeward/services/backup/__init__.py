"""Backups: one encrypted file holding a consistent copy of every table and
every file of the file store, made while the registry runs, checked before it
gets its name, and restored (on a new machine too) only after the whole file
has been checked.  See docs/backups.md.

A backup made on SQLite restores on PostgreSQL and back.  Version 1 backups
(gzip JSON lines of the database, before files and encryption) still restore.
"""

from homeward.services.backup.format import (
    FORMAT,
    MIN_PASSPHRASE,
    BackupInfo,
    KeyNeeded,
    WrongKey,
    sniff,
)
from homeward.services.backup.keys import check_key, read_identity, write_identity
from homeward.services.backup.reading import check_backup
from homeward.services.backup.restoring import RestoreSummary, restore_backup
from homeward.services.backup.writing import BackupSummary, write_backup

__all__ = [
    "FORMAT",
    "MIN_PASSPHRASE",
    "BackupInfo",
    "BackupSummary",
    "KeyNeeded",
    "RestoreSummary",
    "WrongKey",
    "check_backup",
    "check_key",
    "read_identity",
    "restore_backup",
    "sniff",
    "write_backup",
    "write_identity",
]
