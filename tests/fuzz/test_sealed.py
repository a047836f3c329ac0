"""Encrypted backups and signed evidence packages, as a court, a prosecutor or
an operator restoring a backup receives them: changed, cut short or forged.
Opening a sealed stream fails only with ``DecryptionError`` (a ``ValueError``,
which the backup reader turns into a refusal) or ``ValueError`` for a secret
key that is not one; checking a package lists its problems and raises nothing."""

from __future__ import annotations

import base64
import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from homeward import crypto, keys
from homeward.services.evidence import verify_package
from homeward.services.evidence.packages import FORMAT, MANIFEST, SIGNATURE
from tests.fuzz.conftest import within

PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
FUZZ = settings(
    max_examples=120,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SEALED_BUDGET = 12.0
"""Trying a passphrase is meant to be slow (scrypt): at most a gigabyte and a
few seconds for the largest work factor a header may ask."""
SECRET, PUBLIC = crypto.generate_identity()
FILE_KEY = b"k" * 32


def _sealed(
    payload: bytes, *, passphrase: str | None = "pw", recipients: tuple[str, ...] = ()
) -> bytes:
    out = io.BytesIO()
    with crypto.seal(out, passphrase=passphrase, recipients=recipients) as writer:
        writer.write(payload)
    return out.getvalue()


def _open(data: bytes, passphrase: str | None, identity: str | None) -> bytes | ValueError:
    """The payload, or the ``ValueError`` (``DecryptionError`` mostly) that says
    why not; anything else fails the test, and so does a hang.  A payload comes
    out whole and unchanged, or not at all."""
    with within(SEALED_BUDGET, "opening a sealed stream"):
        try:
            reader = crypto.open_sealed(io.BytesIO(data), passphrase=passphrase, identity=identity)
            plain = reader.read()
        except ValueError as err:
            assert str(err).strip()
            return err
    assert plain == PAYLOAD, "a changed stream opened to something"
    return plain


b64 = st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode())
# Work factors a header may claim: out of range, or small enough to try fast
# (the largest allowed, 2**20, is in its own test below).
work = st.sampled_from(["-1", "0", "9", "10", "11", "21", "23", "40", "x", "١٠", "9" * 5000])
stanza = st.one_of(
    st.builds(lambda s, n, w: f"-> scrypt {s} {n} {w}", b64, work, b64),
    st.builds(lambda e, w: f"-> x25519 {e} {w}", b64, b64),
    st.builds(
        lambda k, rest: f"-> {k} {rest}",
        st.sampled_from(["age", "", "scrypt"]),
        st.text(max_size=30),
    ),
    st.text(max_size=60),
)
PAYLOAD = bytes(range(256)) * 300
FOR_KEY = _sealed(PAYLOAD, passphrase=None, recipients=(PUBLIC,))
FOR_BOTH = _sealed(PAYLOAD, passphrase="pw", recipients=(PUBLIC,))
"""Real sealed streams, made once (sealing with a passphrase takes scrypt's time)."""


@st.composite
def sealed_streams(draw: st.DrawFn) -> bytes:
    """A sealed stream: a real one changed or cut, or a forged header of any
    stanzas (unknown kinds, work factors out of range, keys of the wrong size,
    too many), with any payload after it."""
    kind = draw(st.sampled_from(["key"] * 9 + ["both"] + ["forged"] * 10))
    if kind != "forged":
        data = bytearray(FOR_KEY if kind == "key" else FOR_BOTH)
        for _ in range(draw(st.integers(0, 3))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data[: draw(st.integers(0, len(data)))])
    lines = draw(st.lists(stanza, max_size=70))
    header = crypto.SEALED_MAGIC + "".join(f"{line}\n" for line in lines).encode("utf-8", "replace")
    end = draw(st.sampled_from([b"--- AAAA\n", b"--- !!\n", b"---", b"", b"--- \xff\n"]))
    return header + end + draw(st.binary(max_size=100))


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=300), sealed_streams()),
    passphrase=st.sampled_from([None, "pw", "wrong"]),
    identity=st.sampled_from([None, SECRET]),
)
def test_a_sealed_stream_opens_or_says_why_not(
    data: bytes, passphrase: str | None, identity: str | None
) -> None:
    if passphrase is None and identity is None:
        passphrase = "pw"
    _open(data, passphrase, identity)


def test_a_header_may_not_ask_for_more_work_than_a_backup_needs() -> None:
    """Found by fuzzing: a forged header of many passphrase stanzas, each asking
    2**22 rounds of scrypt (4 GB), held a restore for minutes; now one such
    stanza is tried at most, and at most 2**20 rounds."""
    salt, wrapped = base64.b64encode(b"s" * 16).decode(), base64.b64encode(b"w" * 48).decode()
    many = "".join(f"-> scrypt {salt} 20 {wrapped}\n" for _ in range(10))
    data = crypto.SEALED_MAGIC + many.encode() + b"--- AAAA\n"
    refused = _open(data, "pw", None)
    assert isinstance(refused, crypto.DecryptionError) and "more than one passphrase" in str(
        refused
    )
    heavy = crypto.SEALED_MAGIC + f"-> scrypt {salt} 22 {wrapped}\n".encode() + b"--- AAAA\n"
    refused = _open(heavy, "pw", None)  # refused at once, not after 4 GB and 20 seconds
    assert isinstance(refused, crypto.DecryptionError) and "damaged" in str(refused)


@FUZZ
@given(data=st.binary(max_size=400), cut=st.integers(0, 400))
def test_an_encrypted_file_decrypts_or_says_it_was_changed(data: bytes, cut: int) -> None:
    sealed = io.BytesIO()
    crypto.encrypt_file(io.BytesIO(data), sealed, FILE_KEY)
    good = sealed.getvalue()
    for attempt in (good, good[:cut], data):
        with within(5.0, "decrypting a file"):
            try:
                plain = crypto.DecryptingReader(io.BytesIO(attempt), FILE_KEY).read()
            except crypto.DecryptionError:
                assert attempt is not good
                continue
        assert plain == data, "a changed file decrypted to something"


# --- evidence packages ------------------------------------------------------------------

KEY = Ed25519PrivateKey.generate()
PUBLIC_KEY = keys.public_key_text(KEY)


def _package(manifest: Any, members: dict[str, bytes], *, sign: bytes | None = None) -> bytes:
    body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        archive.writestr(MANIFEST, body)
        archive.writestr(SIGNATURE, keys.sign(KEY, sign if sign is not None else body) + "\n")
    return out.getvalue()


def _honest() -> tuple[dict[str, Any], dict[str, bytes]]:
    import hashlib

    members = {"HW-1/case.json": b'{"case": 1}', "HW-1/files/1-birth.pdf": b"%PDF-1.4 " * 300}
    files = [
        {"path": n, "sha256": hashlib.sha256(c).hexdigest(), "size": len(c)}
        for n, c in members.items()
    ]
    return {"format": FORMAT, "version": 1, "cases": ["HW-1"], "files": files}, members


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)  # fmt: skip


@st.composite
def manifests(draw: st.DrawFn) -> Any:
    """A manifest signed with the right key, but not as the format says: not
    JSON, not an object, files that are not a list of entries, entries without
    a path or with a size that is text."""
    manifest, _ = _honest()
    how = draw(st.sampled_from(["honest", "bytes", "any", "files", "entry", "cases"]))
    if how == "bytes":
        return draw(st.binary(max_size=60))
    if how == "any":
        return draw(json_value)
    if how == "files":
        manifest["files"] = draw(json_value)
    elif how == "entry":
        manifest["files"][0] = draw(json_value)
    elif how == "cases":
        manifest["cases"] = draw(json_value)
    return manifest


def _tamper_member(data: bytes, how: str, at: int, value: int) -> bytes:
    """Change the member whose local header starts at or after ``at`` the way a
    careless or hostile hand would: mark it encrypted, give it an unknown
    compression method, or change a byte of its compressed data."""
    out = bytearray(data)
    start = out.find(b"PK\x03\x04", at % max(len(out), 1))
    if start < 0:
        start = out.find(b"PK\x03\x04")
    name_length, extra_length = struct.unpack_from("<HH", out, start + 26)
    name = bytes(out[start + 30 : start + 30 + name_length])
    central = out.find(b"PK\x01\x02")
    while central >= 0 and out[central + 46 : central + 46 + len(name)] != name:
        central = out.find(b"PK\x01\x02", central + 4)
    if how == "encrypted":
        flags = struct.unpack_from("<H", out, start + 6)[0] | 0x1
        struct.pack_into("<H", out, start + 6, flags)
        struct.pack_into("<H", out, central + 8, flags)
    elif how == "method":
        struct.pack_into("<H", out, start + 8, 99)
        struct.pack_into("<H", out, central + 10, 99)
    else:
        packed = struct.unpack_from("<I", out, start + 18)[0]
        position = start + 30 + name_length + extra_length + at % max(packed, 1)
        out[position] ^= value or 1
    return bytes(out)


@FUZZ
@given(
    manifest=manifests(),
    tamper=st.sampled_from(["none", "encrypted", "method", "byte"]),
    at=st.integers(0, 10_000),
    value=st.integers(0, 255),
    extra=st.dictionaries(
        st.sampled_from(["../evil", "HW-1/case.json", "x"]), st.binary(max_size=20)
    ),
)
def test_a_signed_package_is_checked_whatever_it_holds(
    tmp_path: Path, manifest: Any, tamper: str, at: int, value: int, extra: dict[str, bytes]
) -> None:
    _, members = _honest()
    data = _package(manifest, {**members, **extra})
    if tamper != "none":
        data = _tamper_member(data, tamper, at, value)
    path = tmp_path / "package.zip"
    path.write_bytes(data)
    with within(5.0, "checking a package"):
        report = verify_package(path, PUBLIC_KEY)
    if manifest == _honest()[0] and tamper == "none" and not extra:
        assert report.ok, report.problems
    assert all(p.strip() for p in report.problems)


@FUZZ
@given(data=st.binary(max_size=600))
def test_any_bytes_are_checked_as_a_package(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "package.zip"
    path.write_bytes(data)
    with within(5.0, "checking a package"):
        report = verify_package(path, PUBLIC_KEY)
    assert not report.ok


@pytest.mark.parametrize("how", ["encrypted", "method", "byte"])
def test_a_tampered_member_is_named_not_a_crash(tmp_path: Path, how: str) -> None:
    """Found by fuzzing: a member marked encrypted, given an unknown compression
    method, or with a changed byte in its compressed data made the check raise
    (RuntimeError, NotImplementedError, zlib.error) instead of naming it."""
    manifest, members = _honest()
    data = _package(manifest, members)
    start = data.find(b"HW-1/files/1-birth.pdf") - 30
    path = tmp_path / "package.zip"
    path.write_bytes(_tamper_member(data, how, start, 0x55))
    assert zipfile.ZipFile(path).namelist()  # the ZIP's directory still reads
    with within(5.0, "checking a package"):
        report = verify_package(path, PUBLIC_KEY)
    assert not report.ok
    assert any("HW-1/files/1-birth.pdf" in p for p in report.problems), report.problems


def test_a_signed_manifest_nested_too_deep_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    _, members = _honest()
    path = tmp_path / "package.zip"
    path.write_bytes(_package(b"[" * 100_000 + b"]" * 100_000, members))
    with within(5.0, "checking a package"):
        report = verify_package(path, PUBLIC_KEY)
    assert report.problems == ["the manifest is not JSON"]
