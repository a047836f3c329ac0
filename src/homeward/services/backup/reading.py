"""Reading a version 2 backup: every frame checked as it streams past.

``PayloadReader`` is used twice over the same file by a restore (first to check
everything, then to write), and once by ``check_backup``; whichever reads, a
row whose line does not add up, a file whose bytes do not hash to its name, or
a trailer that disagrees with what came before is refused with what and where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from homeward.services.backup import legacy
from homeward.services.backup.format import (
    DATA,
    END,
    FILE,
    FORMAT,
    HEADER,
    ROWS,
    TRAILER,
    VERSION,
    BackupInfo,
    FrameReader,
    open_payload,
    sniff,
)

Progress = Callable[[str, int, int], None]


class PayloadReader:
    """Pulls the payload apart in order: header, row batches, files, trailer."""

    def __init__(self, source: BinaryIO, shown: Path) -> None:
        self.frames = FrameReader(source, shown)
        self.shown = shown
        self._pending: tuple[bytes, bytes] | None = None
        first = self._next()
        if first is None or first[0] != HEADER:
            raise self.frames.damaged("it does not begin with its header")
        header = self.frames.json(first[1], "header")
        if header.get("format") != FORMAT:
            raise self.frames.damaged("its header is not a Homeward backup's")
        if header.get("version") != VERSION:
            raise self.frames.damaged(f"backup format {header.get('version')} is not supported")
        self.header = header
        self.tables = set(header.get("tables") or [])
        self.rows: dict[str, int] = {}
        self.files = 0
        self.file_bytes = 0
        self._rows_digest = hashlib.sha256()
        self._files_digest = hashlib.sha256()

    def _next(self) -> tuple[bytes, bytes] | None:
        if self._pending is not None:
            frame, self._pending = self._pending, None
            return frame
        return self.frames.next()

    def _peek(self) -> bytes | None:
        if self._pending is None:
            self._pending = self.frames.next()
        return self._pending[0] if self._pending else None

    def row_batches(self) -> Iterator[list[dict[str, Any]]]:
        """The rows, a frame's worth at a time: ``{"t": table, "r": row}``."""
        while self._peek() == ROWS:
            frame = self._next()
            assert frame is not None
            text = self.frames.rows(frame[1])
            if text and not text.endswith(b"\n"):
                raise self.frames.damaged(f"rows in frame {self.frames.frames} are cut off")
            self._rows_digest.update(text)
            batch = []
            for line in text.split(b"\n")[:-1]:
                try:
                    obj = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as err:
                    raise self.frames.damaged(
                        f"a row in frame {self.frames.frames} is not readable"
                    ) from err
                table = obj.get("t") if isinstance(obj, dict) else None
                if not isinstance(table, str) or table not in self.tables:
                    raise self.frames.damaged(
                        f"a row in frame {self.frames.frames} names no table of the backup"
                    )
                if not isinstance(obj.get("r"), dict):
                    raise self.frames.damaged(
                        f"a row in frame {self.frames.frames} is not readable"
                    )
                self.rows[table] = self.rows.get(table, 0) + 1
                batch.append(obj)
            yield batch

    def stored_files(self) -> Iterator[BackupFile]:
        """Each file of the store, to be read (or left: it is then skipped)."""
        if self._peek() == ROWS:
            raise RuntimeError("read the rows before the files")
        while self._peek() == FILE:
            frame = self._next()
            assert frame is not None
            sha = self.frames.json(frame[1], "file header").get("sha256")
            if not isinstance(sha, str) or len(sha) != 64:
                raise self.frames.damaged(f"frame {self.frames.frames} names no file")
            entry = BackupFile(self, sha)
            yield entry
            entry.drain()

    def finish(self) -> dict[str, Any]:
        """Read the trailer and the end of the stream; check that they agree
        with every row and file read before them."""
        frame = self._next()
        if frame is None:
            raise self.frames.cut_short()
        if frame[0] != TRAILER:
            raise self.frames.damaged(f"frame {self.frames.frames} is out of place")
        trailer = self.frames.json(frame[1], "trailer")
        if self._next() is not None:
            raise self.frames.damaged("there is data after its trailer")
        expected = {k: v for k, v in (trailer.get("rows") or {}).items() if v}
        if expected != self.rows:
            raise self.frames.damaged("the row counts do not match its trailer")
        if trailer.get("rows_sha256") != self._rows_digest.hexdigest():
            raise self.frames.damaged("the rows do not match their checksum in the trailer")
        if (trailer.get("files"), trailer.get("file_bytes")) != (self.files, self.file_bytes):
            raise self.frames.damaged(
                f"it holds {self.files} files of {self.file_bytes} bytes; its trailer says "
                f"{trailer.get('files')} of {trailer.get('file_bytes')}"
            )
        if trailer.get("files_sha256") != self._files_digest.hexdigest():
            raise self.frames.damaged("the list of files does not match its trailer")
        return trailer

    def _file_done(self, sha: str, size: int) -> None:
        self.files += 1
        self.file_bytes += size
        self._files_digest.update(f"{sha} {size}\n".encode("ascii"))


class BackupFile:
    """One stored file inside the backup, read as a stream (``FileStore.put``
    reads it).  The last read checks its SHA-256 and size before it says the
    file is over, so bytes that do not match their name never look complete."""

    def __init__(self, reader: PayloadReader, sha256: str) -> None:
        self.sha256 = sha256
        self._reader = reader
        self._digest = hashlib.sha256()
        self._size = 0
        self._block = memoryview(b"")
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._block:
            if self._done:
                return b""
            self._fill()
        take = len(self._block) if size is None or size < 0 else size
        data = bytes(self._block[:take])
        self._block = self._block[take:]
        return data

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        frames = self._reader.frames
        frame = self._reader._next()
        if frame is None:
            raise frames.cut_short()
        kind, body = frame
        if kind == DATA:
            self._digest.update(body)
            self._size += len(body)
            self._block = memoryview(body)
            return
        if kind != END:
            raise frames.damaged(f"file {self.sha256} has no end (frame {frames.frames})")
        end = frames.json(body, "file's end")
        actual = self._digest.hexdigest()
        if actual != self.sha256 or end.get("sha256") != self.sha256:
            raise frames.damaged(f"file {self.sha256}: its bytes hash to {actual}")
        if end.get("size") != self._size:
            raise frames.damaged(
                f"file {self.sha256} holds {self._size} bytes; its end says {end.get('size')}"
            )
        self._reader._file_done(self.sha256, self._size)
        self._done = True

    def drain(self) -> None:
        while not self._done:
            self._block = memoryview(b"")
            self._fill()
        self._block = memoryview(b"")


def check_backup(
    path: Path,
    *,
    passphrase: str | None = None,
    identity: str | None = None,
    progress: Progress | None = None,
    shown: Path | None = None,
) -> BackupInfo:
    """Read the whole backup and check every row and file in it, writing
    nothing; what it holds.  ``WrongKey`` when the key does not open it,
    ``KeyNeeded`` when it is encrypted and no key was given, ``Invalid``
    naming the problem when it is damaged, cut short or not a backup."""
    path = Path(path)
    shown = shown or path
    if sniff(path) == "v1":
        return legacy.check(path)
    with open_payload(path, passphrase=passphrase, identity=identity, shown=shown) as opened:
        payload, hashing, encrypted = opened
        reader = PayloadReader(payload, shown)
        expected_files = int(reader.header.get("files_listed") or 0)
        for _ in reader.row_batches():
            if progress:
                progress("checking rows", sum(reader.rows.values()), 0)
        for _ in reader.stored_files():
            if progress:
                progress("checking files", reader.files + 1, expected_files)
        trailer = reader.finish()
        hashing.drain()
    return BackupInfo(
        path=path,
        version=VERSION,
        encrypted=encrypted,
        schema_revision=reader.header.get("schema_revision"),
        created_at=reader.header.get("created_at"),
        rows=dict(reader.rows),
        files=reader.files,
        file_bytes=reader.file_bytes,
        sha256=hashing.digest.hexdigest(),
        header=reader.header,
        trailer=trailer,
    )
