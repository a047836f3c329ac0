"""Evidence packages: a case's files, records and chain of custody in one signed ZIP.

Layout::

    manifest.json                   what the package holds, each file's SHA-256
    manifest.sig                    Ed25519 signature of manifest.json (base64)
    HW-2026-000123/case.json        the case, its records (as received and
                                    normalised), events, relatives, status moves
    HW-2026-000123/custody.json     every audit entry about each document
    HW-2026-000123/files/12-birth-certificate.pdf    originals, byte for byte

A court or prosecutor checks it with the registry's public key alone
(:func:`verify_package`): the signature over the manifest, then every member
against the manifest, and nothing in the ZIP that the manifest does not name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from homeward import keys
from homeward.domain.roles import Actor, Permission
from homeward.errors import Invalid
from homeward.services.case_view import view_case
from homeward.services.evidence.documents import (
    ENTITY,
    case_documents,
    custody_of,
    safe_filename,
)
from homeward.services.registry_app import Registry
from homeward.storage import audit

FORMAT = "homeward-evidence-package"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
BLOCK = 1024 * 1024


@dataclass(frozen=True)
class PackageSummary:
    path: Path
    cases: list[str]
    files: int
    documents: int


@dataclass
class PackageReport:
    path: Path
    cases: list[str] = field(default_factory=list)
    members: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _member_name(case_number: str, document_id: int, filename: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "-", safe_filename(filename), flags=re.UNICODE).strip("-.")
    return f"{case_number}/files/{document_id}-{stem or 'file'}"


def export_package(
    registry: Registry,
    actor: Actor,
    case_numbers: Sequence[str],
    out: Path,
    key: Ed25519PrivateKey,
) -> PackageSummary:
    """Write the evidence package of ``case_numbers`` to ``out`` (never over an
    existing file).  Each document's export is written to its chain of custody
    first, so the custody history in the package ends with this export."""
    out = Path(out)
    if out.exists():
        raise Invalid(f"{out} exists; choose a new name (a package never overwrites)")
    if not case_numbers:
        raise Invalid("name at least one case")
    tmp = out.with_name(out.name + ".partial")
    entries: list[dict[str, Any]] = []
    documents = 0
    try:
        with registry.uow(actor) as uow, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            uow.actor.require(Permission.READ_SENSITIVE)

            def add_bytes(name: str, data: bytes) -> None:
                archive.writestr(name, data)
                entries.append(
                    {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                )

            numbers = []
            for number in dict.fromkeys(n.strip() for n in case_numbers):
                child = uow.repos.children.by_case_number(number)
                numbers.append(child.case_number)
                docs = case_documents(uow, child.id)
                for doc in docs:
                    uow.note("document.export", ENTITY, doc.id, package=out.name, sha256=doc.sha256)
                view = view_case(uow, child.id)
                custody = custody_of(uow, [d.id for d in docs])
                for doc in docs:
                    name = _member_name(child.case_number, doc.id, doc.filename)
                    digest = hashlib.sha256()
                    size = 0
                    with registry.files.open(doc.sha256) as source, archive.open(name, "w") as dest:
                        while block := source.read(BLOCK):
                            digest.update(block)
                            size += len(block)
                            dest.write(block)
                    if digest.hexdigest() != doc.sha256:
                        raise Invalid(
                            f"document {doc.id} ({doc.filename}) no longer matches its hash in "
                            "the store; run 'homeward evidence verify' (no package written)"
                        )
                    entries.append({"path": name, "sha256": doc.sha256, "size": size,
                                    "document_id": doc.id, "kind": doc.kind})  # fmt: skip
                    documents += 1
                case = {
                    "case": view.child,
                    "records": view.records,
                    "events": view.events,
                    "relatives": view.relatives,
                    "status_history": view.status_history,
                    "decisions": view.decisions,
                    "documents": [d.as_dict() for d in docs],
                }
                add_bytes(f"{child.case_number}/case.json", _json(case))
                add_bytes(
                    f"{child.case_number}/custody.json",
                    _json({str(i): [vars(e) for e in items] for i, items in custody.items()}),
                )
            manifest = {
                "format": FORMAT, "version": VERSION, "created_at": audit.timestamp(),
                "created_by": uow.actor.username, "public_key": keys.public_key_text(key),
                "cases": numbers, "files": entries,
            }  # fmt: skip
            body = _json(manifest)
            archive.writestr(MANIFEST, body)
            archive.writestr(SIGNATURE, keys.sign(key, body) + "\n")
            uow.note("evidence.export", "children", None, package=out.name, cases=numbers,
                     manifest_sha256=hashlib.sha256(body).hexdigest())  # fmt: skip
            uow.commit()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    report = verify_package(tmp, keys.public_key_text(key))
    if not report.ok:
        tmp.unlink()
        raise Invalid(f"the package did not verify after writing: {report.problems[0]}")
    os.replace(tmp, out)
    return PackageSummary(out, numbers, len(entries), documents)


def _json(value: Any) -> bytes:
    return (
        json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    ).encode()


_DAMAGED = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error)
"""What reading a changed member raises: a broken stream or CRC, a member
marked encrypted (RuntimeError) or packed by an unknown method
(NotImplementedError), compressed data that no longer inflates (zlib.error)."""


def _listed_files(body: bytes, report: PackageReport) -> dict[str, dict[str, Any]] | None:
    """The files a signed manifest lists, by path; ``None`` (and the problem
    named) when the manifest is not what the format says, signed or not."""
    try:
        manifest = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        report.problems.append("the manifest is not JSON")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        report.problems.append("the manifest is not a Homeward evidence package's")
        return None
    cases, files = manifest.get("cases", []), manifest.get("files", [])
    entries_ok = isinstance(files, list) and all(
        isinstance(e, dict)
        and isinstance(e.get("path"), str)
        and isinstance(e.get("sha256"), str)
        and type(e.get("size")) is int
        for e in files
    )
    if not entries_ok or not isinstance(cases, list):
        report.problems.append("the manifest does not list the cases and files as the format says")
        return None
    report.cases = [str(case) for case in cases]
    return {entry["path"]: entry for entry in files}


def verify_package(path: Path, public_key: str) -> PackageReport:
    """Check a package with the registry's public key alone; every problem named."""
    report = PackageReport(Path(path))
    try:
        archive = zipfile.ZipFile(path)
    except _DAMAGED as err:  # RuntimeError: a ZIP version Python cannot read
        report.problems.append(f"{path} is not a ZIP file ({err})")
        return report
    with archive:
        names = archive.namelist()
        if MANIFEST not in names or SIGNATURE not in names:
            report.problems.append("the package has no signed manifest")
            return report
        try:
            body = archive.read(MANIFEST)
            signature = archive.read(SIGNATURE).decode("ascii", "replace").strip()
        except _DAMAGED as err:
            report.problems.append(f"the manifest is damaged in the ZIP ({err})")
            return report
        if not keys.verify(public_key, body, signature):
            report.problems.append(
                "the manifest's signature does not verify with this public key: the "
                "manifest was changed, or another key signed it"
            )
            return report
        listed = _listed_files(body, report)
        if listed is None:
            return report
        for info in archive.infolist():
            name = info.filename
            if name in (MANIFEST, SIGNATURE):
                continue
            entry = listed.pop(name, None)
            if entry is None:
                report.problems.append(f"{name} is in the package but not in its manifest")
                continue
            report.members += 1
            if info.file_size != entry["size"]:  # said by the ZIP: no need to unpack it
                report.problems.append(
                    f"{name} was changed: it holds {info.file_size:,} bytes, the manifest "
                    f"says {entry['size']:,}"
                )
                continue
            digest, size = hashlib.sha256(), 0
            try:
                with archive.open(info) as member:
                    while block := member.read(BLOCK):
                        digest.update(block)
                        size += len(block)
            except _DAMAGED as err:
                report.problems.append(f"{name} is damaged in the ZIP ({err})")
                continue
            if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
                report.problems.append(
                    f"{name} was changed: it hashes to {digest.hexdigest()}, "
                    f"the manifest says {entry['sha256']}"
                )
        for name in sorted(listed):
            report.problems.append(f"{name} is named in the manifest but missing")
    return report
