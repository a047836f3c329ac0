"""The file store: documents and evidence kept content-addressed by SHA-256.

A file lives at ``<root>/<ab>/<cd>/<sha256>`` where ``ab``/``cd`` are the first
hex digits of its hash, written once (to a temporary name, fsynced, then
renamed) and never changed: storing the same bytes twice stores them once.
With a key the file is encrypted at rest (``homeward.crypto``), and the name
is still the hash of the original bytes, so a file's identity never depends on
how it is kept.  Reading streams; nothing holds a whole file in memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from homeward import crypto
from homeward.config import Settings

ENCRYPTED_MAGIC = b"homeward-file/1\n"
BLOCK = 1024 * 1024


class StoreError(Exception):
    """A file is missing, damaged, or encrypted with a key this store lacks."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


def _is_hash(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


class FileStore:
    """Put, open and check files by their SHA-256."""

    def __init__(self, root: Path, key: bytes | None = None, *, encrypt: bool = False) -> None:
        if encrypt and key is None:
            raise StoreError("encryption of the file store is on but no key is set")
        self.root = Path(root)
        self._key = key
        self._encrypt = encrypt

    @classmethod
    def from_settings(cls, settings: Settings) -> FileStore:
        return cls(
            settings.resolved_files_dir(), settings.file_key_bytes(), encrypt=settings.encrypt_files
        )

    def path(self, sha256: str) -> Path:
        if not _is_hash(sha256):
            raise StoreError(f"{sha256!r} is not a SHA-256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put(self, source: BinaryIO) -> StoredFile:
        """Store what ``source`` holds; its hash and size.  Streams."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sealer = None
                if self._encrypt and self._key is not None:
                    out.write(ENCRYPTED_MAGIC)
                    sealer = crypto.EncryptingWriter(out, self._key)
                while block := source.read(BLOCK):
                    digest.update(block)
                    size += len(block)
                    (sealer or out).write(block)
                if sealer is not None:
                    sealer.close()
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.exists():
                tmp.unlink()
                # Stored again just now: the retention grace period for files no
                # document names yet counts from this moment, not the first upload.
                os.utime(target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
                os.chmod(target, 0o440)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return StoredFile(sha, size)

    def put_bytes(self, data: bytes) -> StoredFile:
        return self.put(io.BytesIO(data))

    def open(self, sha256: str) -> BinaryIO:
        """The original bytes of a stored file, as a stream (close it)."""
        path = self.path(sha256)
        try:
            handle = path.open("rb")
        except FileNotFoundError as err:
            raise StoreError(f"file {sha256} is missing from the store") from err
        head = handle.read(len(ENCRYPTED_MAGIC))
        if head == ENCRYPTED_MAGIC:
            if self._key is None:
                handle.close()
                raise StoreError(f"file {sha256} is encrypted and HOMEWARD_FILE_KEY is not set")
            try:
                return cast(BinaryIO, _Closing(crypto.DecryptingReader(handle, self._key), handle))
            except crypto.DecryptionError as err:
                handle.close()
                raise StoreError(f"file {sha256} is damaged: {err}") from err
        handle.seek(0)
        return handle

    def read_bytes(self, sha256: str) -> bytes:
        with self.open(sha256) as stream:
            return _read_all(stream, sha256)

    def check(self, sha256: str) -> str | None:
        """What is wrong with a stored file, or None when its bytes still hash to
        its name."""
        digest = hashlib.sha256()
        try:
            with self.open(sha256) as stream:
                while block := _read(stream, sha256):
                    digest.update(block)
        except StoreError as err:
            return str(err)
        if digest.hexdigest() != sha256:
            return f"file {sha256} was changed: its content now hashes to {digest.hexdigest()}"
        return None

    def remove(self, sha256: str) -> bool:
        path = self.path(sha256)
        if not path.exists():
            return False
        path.unlink()
        return True

    def hashes(self) -> Iterator[str]:
        """Every file in the store, by hash, in order."""
        if not self.root.exists():
            return
        for first in sorted(self.root.iterdir()):
            if not first.is_dir() or len(first.name) != 2:
                continue
            for second in sorted(first.iterdir()):
                for path in sorted(second.iterdir()):
                    if _is_hash(path.name):
                        yield path.name


def _read(stream: BinaryIO, sha256: str) -> bytes:
    try:
        return stream.read(BLOCK)
    except crypto.DecryptionError as err:
        raise StoreError(f"file {sha256} is damaged: {err}") from err


def _read_all(stream: BinaryIO, sha256: str) -> bytes:
    parts = []
    while block := _read(stream, sha256):
        parts.append(block)
    return b"".join(parts)


class _Closing:
    """A decrypting reader that closes its underlying file with it."""

    def __init__(self, reader: crypto.DecryptingReader, handle: BinaryIO) -> None:
        self._reader = reader
        self._handle = handle

    def read(self, size: int = -1) -> bytes:
        return self._reader.read(size)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> _Closing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
