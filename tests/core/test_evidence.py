"""Documents and evidence: the store, custody, readiness, packages, tampering."""

from __future__ import annotations

import base64
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from homeward import crypto, keys
from homeward.config import Settings
from homeward.domain.documents import DocumentKind, TravellerRole
from homeward.domain.model import Relationship
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.errors import Forbidden, Invalid, NotFound
from homeward.services import cases, evidence
from homeward.services.registry_app import Registry
from homeward.storage.files import FileStore, StoreError
from tests.factories import make_child

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 900 + b"\n%%EOF\n"
CASE_WORKER = Actor("olena", Role.CASE_WORKER)
VERIFIER = Actor("taras", Role.VERIFIER)
ANALYST = Actor("iryna", Role.ANALYST)


def _case_with_document(
    registry: Registry, data: bytes = PDF, kind: DocumentKind = DocumentKind.BIRTH_CERTIFICATE
) -> tuple[int, str, evidence.DocumentInfo]:
    with registry.uow(CASE_WORKER) as uow:
        child = make_child(uow)
        info = evidence.add_document(
            uow, registry.files, child.id, io.BytesIO(data), kind=kind,
            filename="../../etc/свідоцтво.pdf", media_type="application/pdf",
        )  # fmt: skip
        uow.commit()
        return child.id, child.case_number, info


def _sql(registry: Registry, statement: str) -> None:
    with registry.engine.connect() as conn, conn.begin():
        conn.execute(text(statement))


def test_a_stored_file_reads_back_byte_identical_under_its_hash(registry: Registry) -> None:
    child_id, _, info = _case_with_document(registry)
    assert info.sha256 == __import__("hashlib").sha256(PDF).hexdigest()
    assert info.size == len(PDF) and info.filename == "свідоцтво.pdf"
    with registry.uow(CASE_WORKER) as uow:
        got, stream = evidence.open_document(uow, registry.files, info.id)
        with stream:
            assert stream.read() == PDF
        uow.commit()
    assert got.sha256 == info.sha256
    assert registry.files.check(info.sha256) is None
    assert evidence.verify_store(registry).ok
    # the same bytes twice are stored once
    with registry.uow(CASE_WORKER) as uow:
        again = evidence.add_document(uow, registry.files, child_id, io.BytesIO(PDF),
                                      kind=DocumentKind.OTHER, filename="copy.pdf")  # fmt: skip
        uow.commit()
    assert again.sha256 == info.sha256 and list(registry.files.hashes()) == [info.sha256]


def test_files_encrypted_at_rest_read_back_and_need_their_key(tmp_path: Path) -> None:
    key = os.urandom(32)
    store = FileStore(tmp_path / "files", key, encrypt=True)
    stored = store.put_bytes(PDF)
    on_disk = store.path(stored.sha256).read_bytes()
    assert PDF[:200] not in on_disk and b"%PDF" not in on_disk
    assert store.read_bytes(stored.sha256) == PDF and store.check(stored.sha256) is None
    with pytest.raises(StoreError, match="HOMEWARD_FILE_KEY is not set"):
        FileStore(tmp_path / "files").read_bytes(stored.sha256)
    with pytest.raises(StoreError, match="damaged"):
        FileStore(tmp_path / "files", os.urandom(32)).read_bytes(stored.sha256)


def test_encryption_without_a_key_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="HOMEWARD_FILE_KEY is missing"):
        Settings(data_dir=tmp_path, encrypt_files=True)
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(data_dir=tmp_path, file_key=base64.b64encode(b"short").decode())
    key = base64.b64encode(os.urandom(32)).decode()
    assert Settings(data_dir=tmp_path, encrypt_files=True, file_key=key).file_key_bytes()


def test_a_changed_byte_in_the_store_is_detected(registry: Registry) -> None:
    _, _, info = _case_with_document(registry)
    path = registry.files.path(info.sha256)
    path.chmod(0o640)
    data = bytearray(path.read_bytes())
    data[1000] ^= 1
    path.write_bytes(bytes(data))
    report = evidence.verify_store(registry)
    assert not report.ok
    assert f"file {info.sha256} was changed" in report.problems[0]
    assert f"document {info.id}" in report.problems[0]


def test_a_swapped_file_with_its_row_edited_to_match_is_caught_by_the_audit_trail(
    registry: Registry,
) -> None:
    _, _, info = _case_with_document(registry)
    forged = registry.files.put_bytes(b"%PDF forged certificate")
    _sql(registry, f"UPDATE documents SET sha256 = '{forged.sha256}' WHERE id = {info.id}")
    report = evidence.verify_store(registry)
    assert any(
        f"document {info.id}" in p and "sha256" in p and info.sha256 in p for p in report.problems
    ), report.problems


def test_a_document_removed_behind_homewards_back_is_named(registry: Registry) -> None:
    _, _, info = _case_with_document(registry)
    _sql(registry, f"DELETE FROM documents WHERE id = {info.id}")
    problems = evidence.verify_store(registry).problems
    assert problems == [
        f"document {info.id} is gone from the database, but the audit trail records no removal"
    ]


def test_custody_names_every_add_view_download_redaction_and_verification(
    registry: Registry,
) -> None:
    _, _, info = _case_with_document(registry)
    with registry.uow(CASE_WORKER) as uow:
        evidence.get_document(uow, info.id)
        _, stream = evidence.open_document(uow, registry.files, info.id)
        stream.close()
        evidence.set_working_copy(uow, registry.files, info.id, io.BytesIO(b"%PDF redacted"),
                                  note="address of the grandmother blacked out")  # fmt: skip
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        verified = evidence.verify_document(uow, info.id)
        uow.commit()
    assert verified.verified_by == "taras" and verified.working_sha256 != info.sha256
    with registry.uow(CASE_WORKER) as uow:
        _, stream = evidence.open_document(uow, registry.files, info.id, copy="working")
        with stream:
            assert stream.read() == b"%PDF redacted"
        _, stream = evidence.open_document(uow, registry.files, info.id)
        with stream:
            assert stream.read() == PDF  # the original is never replaced
        uow.commit()
        history = evidence.custody_history(uow, info.id)
    actions = [(e.actor, e.action) for e in history]
    assert actions == [
        ("olena", "document.add"),
        ("olena", "document.view"),
        ("olena", "document.download"),
        ("olena", "document.redact"),
        ("taras", "document.verify"),
        ("olena", "document.download"),
        ("olena", "document.download"),
    ]
    assert history[5].details["copy"] == "working"
    assert evidence.verify_store(registry).ok


def test_redaction_needs_a_note(registry: Registry) -> None:
    _, _, info = _case_with_document(registry)
    with registry.uow(CASE_WORKER) as uow, pytest.raises(Invalid, match="say what was redacted"):
        evidence.set_working_copy(uow, registry.files, info.id, io.BytesIO(b"x"), note="  ")


def test_roles_without_evidence_rights_never_reach_a_document(registry: Registry) -> None:
    child_id, _, info = _case_with_document(registry)
    partner = Actor("ngo", Role.PARTNER, organisation_id=999)
    for actor in (ANALYST, partner, Actor("aud", Role.AUDITOR)):
        with registry.uow(actor) as uow:
            with pytest.raises((Forbidden, NotFound)):
                evidence.get_document(uow, info.id)
            with pytest.raises((Forbidden, NotFound)):
                evidence.open_document(uow, registry.files, info.id)
    with registry.uow(ANALYST) as uow:
        assert evidence.case_documents(uow, child_id) == []
    with registry.uow(VERIFIER) as uow, pytest.raises(Forbidden):
        evidence.add_document(uow, registry.files, child_id, io.BytesIO(b"x"),
                              kind=DocumentKind.OTHER, filename="x")  # fmt: skip
    with registry.uow(CASE_WORKER) as uow, pytest.raises(Forbidden):
        evidence.verify_document(uow, info.id)


def test_return_readiness_follows_documents_verification_and_traveller(
    registry: Registry,
) -> None:
    child_id, _, birth = _case_with_document(registry)
    with registry.uow(CASE_WORKER) as uow:
        first = evidence.return_readiness(uow, child_id)
    assert not first.ready
    states = {item.key: item.state for item in first.items}
    assert states == {
        "identity_verified": "missing", "legal_representative": "missing",
        "birth_certificate": "unverified", "proof_of_kinship": "missing",
        "authority": "missing", "return_identity_certificate": "missing", "traveller": "missing",
    }  # fmt: skip
    with registry.uow(CASE_WORKER) as uow:
        mother = cases.add_relative(
            uow, child_id, full_name="Коваленко Олена Петрівна", relationship=Relationship.MOTHER,
            is_legal_representative=True, requested_return=True,
        )  # fmt: skip
        ids = [birth.id]
        for kind in (DocumentKind.PROOF_OF_KINSHIP, DocumentKind.GUARDIANSHIP_DECISION,
                     DocumentKind.RETURN_IDENTITY_CERTIFICATE):  # fmt: skip
            ids.append(evidence.add_document(uow, registry.files, child_id,
                                             io.BytesIO(kind.value.encode()), kind=kind,
                                             filename=f"{kind.value}.pdf").id)  # fmt: skip
        uow.flush()
        evidence.set_traveller(uow, child_id, name=None, relative_id=mother.id,
                               role=TravellerRole.LEGAL_REPRESENTATIVE)  # fmt: skip
        uow.commit()
    with registry.uow(VERIFIER) as uow:
        for doc_id in ids:
            evidence.verify_document(uow, doc_id)
        cases.move_status(uow, child_id, Status.UNDER_VERIFICATION, reason="documents in")
        not_yet = evidence.return_readiness(uow, child_id)
        cases.move_status(uow, child_id, Status.VERIFIED, reason="commission decision 12")
        uow.commit()
    assert not_yet.missing == ["identity_verified"]
    with registry.uow(ANALYST) as uow:
        ready = evidence.readiness_of(uow, [child_id])[child_id]
    assert ready.ready and ready.traveller_name == "Коваленко Олена Петрівна"


def _package(registry: Registry, tmp_path: Path) -> tuple[Path, str, str]:
    _, case_number, _ = _case_with_document(registry)
    key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    out = tmp_path / "package.zip"
    summary = evidence.export_package(registry, CASE_WORKER, [case_number], out, key)
    assert summary.documents == 1 and summary.cases == [case_number]
    return out, keys.public_key_text(key), case_number


def test_a_package_is_signed_verified_and_carries_files_records_and_custody(
    registry: Registry, tmp_path: Path
) -> None:
    out, public, case_number = _package(registry, tmp_path)
    report = evidence.verify_package(out, public)
    assert report.ok, report.problems
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        [member] = [n for n in names if "/files/" in n]
        assert archive.read(member) == PDF
        case = json.loads(archive.read(f"{case_number}/case.json"))
        custody = json.loads(archive.read(f"{case_number}/custody.json"))
    assert case["case"]["case_number"] == case_number and case["records"]
    [(doc_id, entries)] = custody.items()
    assert case["documents"][0]["id"] == int(doc_id)
    assert [e["action"] for e in entries] == ["document.add", "document.export"]
    with pytest.raises(Invalid, match="never overwrites"):
        evidence.export_package(registry, CASE_WORKER, [case_number], out,
                                keys.load_or_create_signing_key(tmp_path / "k"))  # fmt: skip


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


def test_a_tampered_package_is_refused_naming_what_changed(
    registry: Registry, tmp_path: Path
) -> None:
    out, public, case_number = _package(registry, tmp_path)
    with zipfile.ZipFile(out) as archive:
        [member] = [n for n in archive.namelist() if "/files/" in n]
        manifest = archive.read("manifest.json")
    forged = tmp_path / "forged.zip"
    _rewrite(out, forged, {member: PDF.replace(b"%%EOF", b"%%EOX")})
    assert evidence.verify_package(forged, public).problems == [
        f"{member} was changed: it hashes to "
        f"{__import__('hashlib').sha256(PDF.replace(b'%%EOF', b'%%EOX')).hexdigest()}, "
        f"the manifest says {__import__('hashlib').sha256(PDF).hexdigest()}"
    ]
    extra = tmp_path / "extra.zip"
    _rewrite(out, extra, {f"{case_number}/files/99-planted.pdf": b"%PDF planted"})
    assert any("not in its manifest" in p for p in evidence.verify_package(extra, public).problems)
    removed = tmp_path / "removed.zip"
    _rewrite(out, removed, {member: None})
    assert any("missing" in p for p in evidence.verify_package(removed, public).problems)
    edited = tmp_path / "edited.zip"
    _rewrite(out, edited, {"manifest.json": manifest.replace(b"olena", b"vasyl")})
    assert "signature does not verify" in evidence.verify_package(edited, public).problems[0]
    other = keys.public_key_text(keys.load_or_create_signing_key(tmp_path / "other"))
    assert "signature does not verify" in evidence.verify_package(out, other).problems[0]


def test_a_package_is_not_written_from_a_damaged_store(registry: Registry, tmp_path: Path) -> None:
    _, case_number, info = _case_with_document(registry)
    path = registry.files.path(info.sha256)
    path.chmod(0o640)
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    key = keys.load_or_create_signing_key(registry.settings.data_dir / "keys")
    with pytest.raises(Invalid, match="no longer matches its hash"):
        evidence.export_package(registry, CASE_WORKER, [case_number], tmp_path / "p.zip", key)
    assert not (tmp_path / "p.zip").exists() and not (tmp_path / "p.zip.partial").exists()


def test_the_stream_cipher_refuses_reordered_and_truncated_chunks() -> None:
    key = os.urandom(32)
    data = os.urandom(3 * crypto.CHUNK + 5)
    sealed = io.BytesIO()
    crypto.encrypt_file(io.BytesIO(data), sealed, key)
    raw = sealed.getvalue()
    size = crypto.CHUNK + crypto.TAG
    head, chunks = raw[: crypto.SALT], raw[crypto.SALT :]
    parts = [chunks[i : i + size] for i in range(0, len(chunks), size)]
    for broken in (
        head + parts[1] + parts[0] + parts[2] + parts[3],  # reordered
        head + b"".join(parts[:3]),  # cut at a chunk boundary
        head + b"".join(parts)[:-1],  # cut inside the last chunk
    ):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_file(io.BytesIO(broken), io.BytesIO(), key)
    out = io.BytesIO()
    crypto.decrypt_file(io.BytesIO(raw), out, key)
    assert out.getvalue() == data


def test_a_sealed_stream_from_before_scrypt_lanes_still_opens() -> None:
    """Backups whose passphrase stanza has no lane count (N = 2**17, p = 1) open."""
    import hashlib
    import hmac

    file_key, salt = os.urandom(32), os.urandom(16)
    wrapped = crypto._wrap(crypto._scrypt("a long escrow passphrase", salt, 17), file_key)
    header = crypto.SEALED_MAGIC + (
        f"-> scrypt {crypto._b64(salt)} 17 {crypto._b64(wrapped)}\n---".encode()
    )
    mac = hmac.new(crypto._hkdf(file_key, b"", b"homeward header"), header, hashlib.sha256)
    out = io.BytesIO(header + b" " + crypto._b64(mac.digest()).encode() + b"\n")
    out.seek(0, io.SEEK_END)
    with crypto.EncryptingWriter(out, file_key) as writer:
        writer.write(b"rows and files")
    reader = crypto.open_sealed(io.BytesIO(out.getvalue()), passphrase="a long escrow passphrase")
    assert reader.read() == b"rows and files"
    with pytest.raises(crypto.WrongKey, match="passphrase is wrong"):
        crypto.open_sealed(io.BytesIO(out.getvalue()), passphrase="another long passphrase")
