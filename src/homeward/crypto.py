"""Encryption for files at rest and for backups, streamed in 64 KiB chunks.

The payload is encrypted as age's STREAM construction does it: a random salt
derives a per-stream key from the file key (HKDF-SHA256), and each chunk is
sealed with ChaCha20-Poly1305 under a nonce made of its counter and a flag
that marks the last chunk, so reordering, truncating or extending the stream
is detected as surely as a changed byte.  Memory stays at one chunk whatever
the size.

A *sealed* stream (a backup) carries the file key in its header, wrapped once
per recipient: for a passphrase (scrypt) or for an X25519 public key (a key
pair made by ``generate_identity``, the private half kept by whoever escrows
the backup).  A MAC over the header, keyed from the file key, makes any change
to it fail as a wrong key would not: the reader says which it was.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

CHUNK = 64 * 1024
TAG = 16
SALT = 16
KEY = 32
SEALED_MAGIC = b"homeward-sealed/1\n"
SCRYPT_LOG_N = 15
SCRYPT_P = 4
"""scrypt with N = 2**15, r = 8, p = 4: the same work per guess as N = 2**17 with
p = 1 (four passes over 32 MiB), in a quarter of the memory, so that a backup
made with a passphrase stays within 200 MB (bench/bench_backup.py)."""
SCRYPT_MAX_LOG_N = 20
"""The most work a header may ask of the reader: 2**20 rounds take a gigabyte
and a few seconds (2**22, four gigabytes, would stop a small server)."""
PUBLIC_PREFIX = "homeward-public-"
SECRET_PREFIX = "HOMEWARD-SECRET-"


class DecryptionError(ValueError):
    """The data was changed, cut short, or the key is not the one it was made with."""


class WrongKey(DecryptionError):
    """No key given opens this sealed stream (a wrong passphrase or identity)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY, salt=salt, info=info).derive(key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only binary file that encrypts what is written to ``out``.

    ``close()`` seals the last chunk (and does not close ``out``); a stream
    that is never closed cannot be decrypted, so a half-written file is never
    mistaken for a whole one."""

    def __init__(self, out: BinaryIO, file_key: bytes) -> None:
        salt = os.urandom(SALT)
        out.write(salt)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, salt, b"homeward stream"))
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.closed:
            raise ValueError("write to a closed encrypted stream")
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._counter, last), plain, None))
        self._counter += 1

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._out.flush()
            self.closed = True

    def __enter__(self) -> EncryptingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DecryptingReader:
    """A read-only binary file that decrypts ``source`` as it is read.

    Raises ``DecryptionError`` at the first chunk that does not authenticate,
    and at the end if the stream was cut short."""

    def __init__(self, source: BinaryIO, file_key: bytes) -> None:
        salt = source.read(SALT)
        if len(salt) != SALT:
            raise DecryptionError("the encrypted data is cut short (no header)")
        self._aead = ChaCha20Poly1305(_hkdf(file_key, salt, b"homeward stream"))
        self._source = source
        self._next = source.read(CHUNK + TAG)
        self._counter = 0
        self._plain = b""
        self._done = False
        self.closed = False

    def _advance(self) -> None:
        sealed = self._next
        if len(sealed) < TAG:
            raise DecryptionError("the encrypted data is cut short")
        self._next = self._source.read(CHUNK + TAG)
        last = not self._next
        try:
            self._plain = self._aead.decrypt(_nonce(self._counter, last), sealed, None)
        except InvalidTag as err:
            if not last:
                raise DecryptionError(f"chunk {self._counter} was changed") from err
            raise DecryptionError(
                f"chunk {self._counter} was changed, or the data was cut short there"
            ) from err
        self._counter += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        parts = []
        wanted = size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            if not self._plain:
                if self._done:
                    break
                self._advance()
                continue
            take = self._plain if wanted is None else self._plain[:wanted]
            self._plain = self._plain[len(take) :]
            parts.append(take)
            if wanted is not None:
                wanted -= len(take)
        return b"".join(parts)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> DecryptingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def encrypt_file(source: BinaryIO, out: BinaryIO, file_key: bytes) -> None:
    with EncryptingWriter(out, file_key) as writer:
        while block := source.read(CHUNK):
            writer.write(block)


def decrypt_file(source: BinaryIO, out: BinaryIO, file_key: bytes) -> None:
    reader = DecryptingReader(source, file_key)
    while block := reader.read(CHUNK):
        out.write(block)


# --- sealed streams: a header of wrapped keys, then the encrypted payload -------


def generate_identity() -> tuple[str, str]:
    """A new X25519 key pair as text: (secret, public).  Give the public key to
    ``seal``; keep the secret one (it alone opens the backup)."""
    private = X25519PrivateKey.generate()
    secret = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return SECRET_PREFIX + _b64(secret), public_key_of(SECRET_PREFIX + _b64(secret))


def public_key_of(secret: str) -> str:
    private = _identity(secret)
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return PUBLIC_PREFIX + _b64(raw)


def _identity(secret: str) -> X25519PrivateKey:
    text = secret.strip()
    if not text.startswith(SECRET_PREFIX):
        raise ValueError(f"not a Homeward secret key (it starts with {SECRET_PREFIX!r})")
    try:
        return X25519PrivateKey.from_private_bytes(_unb64(text[len(SECRET_PREFIX) :]))
    except ValueError as err:
        raise ValueError("the secret key is damaged") from err


def _recipient(public: str) -> X25519PublicKey:
    text = public.strip()
    if not text.startswith(PUBLIC_PREFIX):
        raise ValueError(f"not a Homeward public key (it starts with {PUBLIC_PREFIX!r})")
    try:
        return X25519PublicKey.from_public_bytes(_unb64(text[len(PUBLIC_PREFIX) :]))
    except ValueError as err:
        raise ValueError("the public key is damaged") from err


def _wrap(wrap_key: bytes, file_key: bytes) -> bytes:
    return ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)


def _unwrap(wrap_key: bytes, wrapped: bytes) -> bytes | None:
    try:
        return ChaCha20Poly1305(wrap_key).decrypt(b"\x00" * 12, wrapped, None)
    except InvalidTag:
        return None


def _scrypt(passphrase: str, salt: bytes, log_n: int, p: int = 1) -> bytes:
    if not 10 <= log_n <= SCRYPT_MAX_LOG_N or not p >= 1 or 2**log_n * p > 2**SCRYPT_MAX_LOG_N:
        raise DecryptionError(f"an unreasonable scrypt work factor ({log_n}, {p})")
    return Scrypt(salt=salt, length=KEY, n=2**log_n, r=8, p=p).derive(passphrase.encode("utf-8"))


def _x25519_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return _hkdf(shared, ephemeral + recipient, b"homeward x25519")


def seal(
    out: BinaryIO, *, passphrase: str | None = None, recipients: Sequence[str] = ()
) -> EncryptingWriter:
    """Write a sealed stream's header to ``out`` and return the writer of its
    payload: it opens with ``passphrase``, or with the secret key of any of
    ``recipients`` (public keys from ``generate_identity``)."""
    if not passphrase and not recipients:
        raise ValueError("a sealed stream needs a passphrase or a public key")
    file_key = os.urandom(KEY)
    lines = []
    if passphrase:
        salt = os.urandom(SALT)
        wrapped = _wrap(_scrypt(passphrase, salt, SCRYPT_LOG_N, SCRYPT_P), file_key)
        lines.append(f"-> scrypt {_b64(salt)} {SCRYPT_LOG_N} {_b64(wrapped)} {SCRYPT_P}\n")
    for public in recipients:
        recipient = _recipient(public)
        ephemeral = X25519PrivateKey.generate()
        eph_raw = ephemeral.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        rec_raw = recipient.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        wrap_key = _x25519_key(ephemeral.exchange(recipient), eph_raw, rec_raw)
        lines.append(f"-> x25519 {_b64(eph_raw)} {_b64(_wrap(wrap_key, file_key))}\n")
    header = SEALED_MAGIC + "".join(lines).encode("ascii") + b"---"
    mac = hmac.new(_hkdf(file_key, b"", b"homeward header"), header, hashlib.sha256).digest()
    out.write(header + b" " + _b64(mac).encode("ascii") + b"\n")
    return EncryptingWriter(out, file_key)


def is_sealed(head: bytes) -> bool:
    return head.startswith(SEALED_MAGIC)


def open_sealed(
    source: BinaryIO, *, passphrase: str | None = None, identity: str | None = None
) -> DecryptingReader:
    """Read a sealed stream's header from ``source`` and return the reader of
    its payload.  ``WrongKey`` when neither the passphrase nor the identity
    opens it; ``DecryptionError`` when the header was changed."""
    if source.read(len(SEALED_MAGIC)) != SEALED_MAGIC:
        raise DecryptionError("this is not an encrypted Homeward backup")
    stanzas: list[list[str]] = []
    header = bytearray(SEALED_MAGIC)
    while True:
        line = source.readline(4096)
        if not line.endswith(b"\n"):
            raise DecryptionError("the encrypted header is damaged or cut short")
        if line.startswith(b"--- "):
            header += b"---"
            mac = line[4:].strip()
            break
        if not line.startswith(b"-> ") or len(stanzas) > 64:
            raise DecryptionError("the encrypted header is damaged")
        header += line
        stanzas.append(line[3:].decode("ascii", "replace").split())
    file_key = _find_file_key(stanzas, passphrase, identity)
    expected = hmac.new(_hkdf(file_key, b"", b"homeward header"), bytes(header), hashlib.sha256)
    try:
        given = _unb64(mac.decode("ascii"))
    except (ValueError, UnicodeDecodeError) as err:
        raise DecryptionError("the encrypted header is damaged") from err
    if not hmac.compare_digest(expected.digest(), given):
        raise DecryptionError("the encrypted header was changed")
    return DecryptingReader(source, file_key)


def _find_file_key(stanzas: list[list[str]], passphrase: str | None, identity: str | None) -> bytes:
    private = _identity(identity) if identity else None
    kinds = {s[0] for s in stanzas if s}
    if sum(1 for s in stanzas if s[:1] == ["scrypt"]) > 1:
        # Homeward writes one; each costs a gigabyte and seconds to try, so a
        # header of many would hold the reader for minutes.
        raise DecryptionError("the encrypted header is damaged (more than one passphrase)")
    try:
        for stanza in stanzas:
            if stanza[:1] == ["scrypt"] and passphrase and len(stanza) in (4, 5):
                salt, log_n, wrapped = _unb64(stanza[1]), int(stanza[2]), _unb64(stanza[3])
                lanes = int(stanza[4]) if len(stanza) == 5 else 1
                key = _unwrap(_scrypt(passphrase, salt, log_n, lanes), wrapped)
            elif stanza[:1] == ["x25519"] and private is not None and len(stanza) == 3:
                eph_raw, wrapped = _unb64(stanza[1]), _unb64(stanza[2])
                rec_raw = private.public_key().public_bytes(
                    serialization.Encoding.Raw, serialization.PublicFormat.Raw
                )
                shared = private.exchange(X25519PublicKey.from_public_bytes(eph_raw))
                key = _unwrap(_x25519_key(shared, eph_raw, rec_raw), wrapped)
            else:
                continue
            if key is not None:
                return key
    except ValueError as err:
        raise DecryptionError("the encrypted header is damaged") from err
    if passphrase and "scrypt" in kinds:
        raise WrongKey("the passphrase is wrong")
    if identity and "x25519" in kinds:
        raise WrongKey("the secret key is not one this was encrypted for")
    opens = " or ".join(
        {"scrypt": "a passphrase", "x25519": "a secret key"}.get(k, k) for k in sorted(kinds)
    )
    raise WrongKey(f"this is opened with {opens}")
