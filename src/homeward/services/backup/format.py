"""The backup file format, version 2: how its bytes are laid out and opened.

A file is either *sealed* (``homeward.crypto.seal``: a header of wrapped keys,
then the payload encrypted in authenticated 64 KiB chunks) or, only when asked
for explicitly, the bare payload.  The payload is::

    homeward-backup/2\\n
    frame*            each: kind (1 byte), length (4 bytes, big-endian), body

    H   header (JSON): format, version, schema revision, time, tables
    R*  rows: zlib-compressed JSON lines, one row each (as in version 1)
    ( F  file begins (JSON: its SHA-256)
      D* the file's bytes, as they were, at most 1 MiB a frame
      E  file ends (JSON: its SHA-256 and size) )*   one group per stored file
    T   trailer (JSON): row counts, the SHA-256 of all row lines, the number
        of files, their total size, and a SHA-256 over the list of
        "<sha256> <size>" lines (the manifest of files)

Frames have no sizes known in advance, so the database and every file are
streamed: nothing holds more than one frame.  Version 1 (gzip JSON lines, no
files, not encrypted) is still read for restores; see ``legacy``.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, cast

from homeward import crypto
from homeward.errors import Invalid

FORMAT = "homeward-backup"
VERSION = 2
MAGIC = b"homeward-backup/2\n"
GZIP_MAGIC = b"\x1f\x8b"

HEADER = b"H"
ROWS = b"R"
FILE = b"F"
DATA = b"D"
END = b"E"
TRAILER = b"T"
KINDS = {HEADER, ROWS, FILE, DATA, END, TRAILER}

FRAME_HEAD = struct.Struct(">cI")
FILE_BLOCK = 1024 * 1024
ROWS_TEXT = 1024 * 1024
"""Row lines are gathered to about this much text before a frame is written."""
MAX_FRAME = 64 * 1024 * 1024
"""No frame a writer makes comes near this; a longer one is damage, refused
before it is read into memory."""
MIN_PASSPHRASE = 12

Kind = Literal["v1", "sealed", "plain"]


class WrongKey(Invalid):
    """The passphrase or secret key given does not open the backup."""


class KeyNeeded(Invalid):
    """The backup is encrypted and no passphrase or secret key was given."""


@dataclass(frozen=True)
class BackupInfo:
    """What a check of a whole backup found (``check_backup``)."""

    path: Path
    version: int
    encrypted: bool
    schema_revision: str | None
    created_at: str | None
    rows: dict[str, int]
    files: int = 0
    file_bytes: int = 0
    sha256: str = ""
    """Of the whole backup file, to compare with what the writer printed."""
    header: dict[str, Any] = field(default_factory=dict)
    trailer: dict[str, Any] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def sniff(path: Path) -> Kind:
    """Which kind of backup a file is, from its first bytes; a foreign or empty
    file is refused here, before anything asks for a key."""
    path = Path(path)
    if not path.is_file():
        raise Invalid(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(max(len(MAGIC), len(crypto.SEALED_MAGIC)))
    if not head:
        raise Invalid(f"{path}: empty file, not a Homeward backup")
    if crypto.is_sealed(head):
        return "sealed"
    if head.startswith(MAGIC):
        return "plain"
    if head.startswith(GZIP_MAGIC):
        return "v1"
    raise Invalid(f"{path}: not a Homeward backup")


class HashingReader:
    """Passes reads through and hashes every byte read: the SHA-256 of the whole
    file comes out of the same pass that checks it."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._source.readline(size)
        self.digest.update(data)
        return data

    def drain(self) -> None:
        while self.read(FILE_BLOCK):
            pass


class HashingWriter:
    """Passes writes through to ``out`` and hashes them."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self.digest = hashlib.sha256()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.digest.update(data)
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()


def open_error(path: Path | str, err: Exception) -> Invalid:
    """A crypto failure said in the reader's terms: which file, and what."""
    if isinstance(err, crypto.WrongKey):
        return WrongKey(f"{path}: {err}")
    return Invalid(f"{path}: the backup is damaged or incomplete: {err}")


@contextmanager
def open_payload(
    path: Path, *, passphrase: str | None, identity: str | None, shown: Path | None = None
) -> Iterator[tuple[BinaryIO, HashingReader, bool]]:
    """The decrypted payload of a version 2 backup, after its magic line; the
    reader that hashes the file's bytes; and whether it was encrypted."""
    shown = shown or path
    with path.open("rb") as raw:
        hashing = HashingReader(raw)
        payload: BinaryIO
        if sniff(path) == "sealed":
            if not passphrase and not identity:
                raise KeyNeeded(f"{shown}: the backup is encrypted; give its passphrase or the "
                                "secret key it was made for")  # fmt: skip
            try:
                payload = cast(
                    BinaryIO,
                    crypto.open_sealed(
                        cast(BinaryIO, hashing),
                        passphrase=passphrase or None,
                        identity=identity or None,
                    ),
                )
            except crypto.DecryptionError as err:
                raise open_error(shown, err) from err
            except ValueError as err:  # a secret key that is not one
                raise Invalid(f"the secret key: {err}") from err
            encrypted = True
        else:
            payload = cast(BinaryIO, hashing)
            encrypted = False
        try:
            magic = payload.read(len(MAGIC))
        except crypto.DecryptionError as err:
            raise open_error(shown, err) from err
        if magic != MAGIC:
            raise Invalid(f"{shown}: encrypted, but what it holds is not a Homeward backup")
        yield payload, hashing, encrypted


class FrameWriter:
    """Writes frames to the payload stream (encrypting or not)."""

    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink

    def frame(self, kind: bytes, body: bytes | memoryview) -> None:
        self._sink.write(FRAME_HEAD.pack(kind, len(body)))
        self._sink.write(body)

    def json(self, kind: bytes, obj: dict[str, Any]) -> None:
        self.frame(kind, json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def rows(self, text: bytes) -> None:
        self.frame(ROWS, zlib.compress(text, 6))


class FrameReader:
    """Reads frames, one at a time, saying where the stream broke if it did."""

    def __init__(self, source: BinaryIO, shown: Path) -> None:
        self._source = source
        self._shown = shown
        self.frames = 0

    def _read(self, size: int) -> bytes:
        try:
            return self._source.read(size)
        except crypto.DecryptionError as err:
            raise open_error(self._shown, err) from err

    def next(self) -> tuple[bytes, bytes] | None:
        """The next (kind, body), or None at the end of the stream."""
        head = self._read(FRAME_HEAD.size)
        if not head:
            return None
        if len(head) != FRAME_HEAD.size:
            raise self.cut_short()
        kind, length = FRAME_HEAD.unpack(head)
        if kind not in KINDS or length > MAX_FRAME:
            raise self.damaged(f"frame {self.frames + 1} is not one a backup holds")
        body = self._read(length)
        if len(body) != length:
            raise self.cut_short()
        self.frames += 1
        return kind, body

    def cut_short(self) -> Invalid:
        return Invalid(f"{self._shown}: the backup is incomplete: it ends in the middle of "
                       f"frame {self.frames + 1}, before its trailer")  # fmt: skip

    def damaged(self, what: str) -> Invalid:
        return Invalid(f"{self._shown}: the backup is damaged: {what}")

    def json(self, body: bytes, what: str) -> dict[str, Any]:
        try:
            obj = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise self.damaged(f"the {what} (frame {self.frames}) is not readable") from err
        if not isinstance(obj, dict):
            raise self.damaged(f"the {what} (frame {self.frames}) is not readable")
        return obj

    def rows(self, body: bytes) -> bytes:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(body, MAX_FRAME)
        except zlib.error as err:
            raise self.damaged(f"rows in frame {self.frames} do not decompress ({err})") from err
        if inflater.unconsumed_tail or not inflater.eof:
            raise self.damaged(f"rows in frame {self.frames} do not decompress")
        return text
