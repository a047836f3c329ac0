"""Documents, their chain of custody and return readiness in the browser's pages:
a case worker adds a birth certificate on the case page and downloads it byte for
byte, every opening and download is in its custody table in order, a verifier
verifies it and the checklist says so, a working copy leaves the original alone,
an uploaded web page is only ever downloaded, an oversized file is refused with
nothing kept, and analysts and partners never see a document."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from homeward.domain.documents import DocumentKind
from homeward.domain.roles import SYSTEM_ACTOR
from homeward.domain.status import Status
from homeward.services import cases, evidence, lists
from homeward.storage.tables import DocumentRow
from tests.web.conftest import World, csrf_of, sign_in

PDF = b"%PDF-1.4\n% a birth certificate, scanned\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PDF_NAME = "svidotstvo-kovalenko.pdf"
PDF_SHA = hashlib.sha256(PDF).hexdigest()
PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"


def english(client: TestClient) -> None:
    client.get("/language/en?next=/")


def case_id(world: World) -> int:
    with world.registry.uow(write=False) as uow:
        return uow.repos.children.by_case_number(world.child_number).id


def upload(
    client: TestClient, number: str, content: bytes = PDF, name: str = PDF_NAME,
    kind: str = "birth_certificate", media: str = "application/pdf", **fields: str,
) -> Any:  # fmt: skip
    page = client.get(f"/cases/{number}")
    return client.post(
        f"/cases/{number}/documents",
        files={"file": (name, content, media)},
        data={"kind": kind, "csrf_token": csrf_of(page.text), **fields},
    )


def added_id(answer: Any) -> int:
    assert answer.status_code == 303, answer.text
    found = re.search(r"\?added=(\d+)#documents$", answer.headers["location"])
    assert found, answer.headers["location"]
    return int(found.group(1))


def custody_actions(world: World, document_id: int) -> list[str]:
    with world.registry.uow(SYSTEM_ACTOR, write=False) as uow:
        found = evidence.custody_history(uow, document_id)
    return [e.action + (f"/{e.details['copy']}" if "copy" in e.details else "") for e in found]


def stored_files(world: World) -> list[str]:
    root = world.settings.resolved_files_dir()
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def document_count(world: World) -> int:
    with world.registry.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(DocumentRow)) or 0)


def test_a_case_worker_adds_a_birth_certificate_and_downloads_it_byte_for_byte(
    app_client: TestClient, world: World
) -> None:
    number = world.child_number
    sign_in(app_client, world, "case_worker")
    english(app_client)
    case = app_client.get(f"/cases/{number}").text
    assert "No documents yet." in case and 'name="kind"' in case
    answer = upload(app_client, number, description="issued in Mariupol, 2012, no. I-КИ 123456")
    doc = added_id(answer)

    case = app_client.get(answer.headers["location"]).text
    assert f"Added: {PDF_NAME}" in case
    row = case[case.index('id="documents"') : case.index('id="add-document"')]
    assert "Birth certificate" in row and PDF_NAME in row and "Not verified" in row
    assert "case_worker" in row and "issued in Mariupol" in row
    assert f"/cases/{number}/documents/{doc}" in row

    page = app_client.get(f"/cases/{number}/documents/{doc}")
    assert page.status_code == 200
    assert PDF_SHA in page.text and "application/pdf" in page.text
    assert "Verify the document" not in page.text  # a case worker does not verify

    original = app_client.get(f"/cases/{number}/documents/{doc}/original")
    assert original.status_code == 200 and original.content == PDF
    assert original.headers["content-type"] == "application/pdf"
    assert original.headers["content-disposition"].startswith("attachment;")
    assert PDF_NAME in original.headers["content-disposition"]
    assert original.headers["x-content-type-options"] == "nosniff"

    # Every opening and download is in the custody table, in order, in words.
    again = app_client.get(f"/cases/{number}/documents/{doc}").text
    table = again[again.index('class="custody"') :]
    shown = re.findall(r'<td class="custody-action">([^<]+)</td>', table)
    assert shown == ["Added", "Viewed", "Downloaded the original", "Viewed"]
    assert custody_actions(world, doc) == [
        "document.add", "document.view", "document.download/original", "document.view",
    ]  # fmt: skip

    # The case's audit history counts the document's entries too.
    history = app_client.get(f"/cases/{number}").text
    history = history[history.index('id="history"') :]
    assert "document.add" in history and "document.download" in history


def test_the_pages_speak_ukrainian(app_client: TestClient, world: World) -> None:
    sign_in(app_client, world, "case_worker")
    doc = added_id(upload(app_client, world.child_number))
    case = app_client.get(f"/cases/{world.child_number}").text
    assert "Свідоцтво про народження" in case and "Готовність до повернення" in case
    assert "Є, не підтверджено" in case and "Бракує" in case
    page = app_client.get(f"/cases/{world.child_number}/documents/{doc}").text
    assert "Ланцюг зберігання" in page and "Додано" in page and "Переглянуто" in page


def test_a_verifier_verifies_and_the_checklist_counts_the_certificate(
    app_client: TestClient, world: World
) -> None:
    number = world.child_number
    sign_in(app_client, world, "case_worker")
    doc = added_id(upload(app_client, number))
    english(app_client)
    checklist = app_client.get(f"/cases/{number}").text
    checklist = checklist[checklist.index('id="readiness"') :]
    assert re.search(
        r"Birth certificate</th>\s*<td><span class=\"state state-unverified\">", checklist
    )
    app_client.cookies.clear()

    sign_in(app_client, world, "verifier")
    english(app_client)
    page = app_client.get(f"/cases/{number}/documents/{doc}").text
    assert "Verify the document" in page and 'name="file"' not in page  # no working copy form
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    verified = app_client.post(
        f"/cases/{number}/documents/{doc}/verify",
        data={"csrf_token": csrf_of(page), "version": version.group(1)},
    )
    assert verified.status_code == 303
    page = app_client.get(verified.headers["location"]).text
    assert "Verify the document" not in page
    facts = page[page.index("Verification") : page.index("</dl>")]
    assert "Verified" in facts and "verifier" in facts
    assert custody_actions(world, doc)[-2:] == ["document.verify", "document.view"]
    checklist = app_client.get(f"/cases/{number}").text
    checklist = checklist[checklist.index('id="readiness"') :]
    assert re.search(r"Birth certificate</th>\s*<td><span class=\"state state-met\">", checklist)
    # A second verification with the version seen before is refused: it changed since.
    stale = app_client.post(
        f"/cases/{number}/documents/{doc}/verify",
        data={"csrf_token": csrf_of(page), "version": version.group(1)},
    )
    assert stale.status_code == 409


def test_a_working_copy_keeps_the_original_and_needs_a_note(
    app_client: TestClient, world: World
) -> None:
    number = world.child_number
    sign_in(app_client, world, "case_worker")
    english(app_client)
    doc = added_id(upload(app_client, number))
    page = app_client.get(f"/cases/{number}/documents/{doc}").text
    assert "No working copy yet" in page
    assert app_client.get(f"/cases/{number}/documents/{doc}/working").status_code == 404
    redacted = PDF.replace(b"scanned", b"XXXXXXX")
    token = csrf_of(page)

    def send(note: str) -> Any:
        return app_client.post(
            f"/cases/{number}/documents/{doc}/working",
            files={"file": ("redacted.pdf", redacted, "application/pdf")},
            data={"note": note, "csrf_token": token},
        )

    refused = send("  ")
    assert refused.status_code == 422
    assert "say what was redacted and why" in refused.text and 'id="working-note"' in refused.text
    with world.registry.uow(SYSTEM_ACTOR, write=False) as uow:
        assert evidence.case_documents(uow, case_id(world))[0].working_sha256 is None

    assert send("the mother's address in Melitopol blacked out").status_code == 303
    page = app_client.get(f"/cases/{number}/documents/{doc}").text
    assert "the mother&#39;s address in Melitopol blacked out" in page
    assert hashlib.sha256(redacted).hexdigest() in page and PDF_SHA in page
    working = app_client.get(f"/cases/{number}/documents/{doc}/working")
    assert working.content == redacted
    assert "svidotstvo-kovalenko-working.pdf" in working.headers["content-disposition"]
    assert app_client.get(f"/cases/{number}/documents/{doc}/original").content == PDF
    case = app_client.get(f"/cases/{number}").text
    assert "Working copy" in case[case.index('id="documents"') : case.index('id="add-document"')]
    assert custody_actions(world, doc) == [
        "document.add", "document.view", "document.view", "document.redact", "document.view",
        "document.download/working", "document.download/original",
    ]  # fmt: skip


def test_an_uploaded_web_page_is_only_ever_downloaded(app_client: TestClient, world: World) -> None:
    number = world.child_number
    sign_in(app_client, world, "case_worker")
    for name, content, media in (
        ("statement.html", PAGE, "text/html"),
        (
            "map.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
        ),
        ('a"b;c\r\n.html', PAGE, "text/html"),
    ):
        doc = added_id(upload(app_client, number, content, name, "other", media))
        answer = app_client.get(f"/cases/{number}/documents/{doc}/original")
        assert answer.content == content
        assert answer.headers["content-type"] == "application/octet-stream"
        disposition = answer.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=")
        assert "\r" not in disposition and '"b' not in disposition
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in answer.headers["content-security-policy"]


def test_an_oversized_file_is_refused_and_nothing_is_kept(
    app_client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(world.settings, "max_document_mb", 1)
    number = world.child_number
    sign_in(app_client, world, "case_worker")
    english(app_client)
    assert "At most 1 MB." in app_client.get(f"/cases/{number}").text
    # A little over: its announced size passes, and it is refused as it streams in.
    streamed = upload(app_client, number, b"x" * (1024 * 1024 + 10_000), "scan.pdf")
    assert streamed.status_code == 413
    assert "larger than 1 MB" in streamed.text and 'id="document-error"' in streamed.text
    # Far over: refused on the size announced, before it is read.
    announced = upload(app_client, number, b"x" * (3 * 1024 * 1024), "scan.pdf")
    assert announced.status_code == 413 and "larger than 1 MB" in announced.text
    assert document_count(world) == 0 and stored_files(world) == []
    # The same file at the limit is kept.
    added_id(upload(app_client, number, b"x" * (1024 * 1024), "scan.pdf"))
    assert document_count(world) == 1 and len(stored_files(world)) == 1


def test_a_refused_upload_says_why_and_keeps_what_was_typed(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    english(app_client)
    empty = upload(app_client, world.child_number, b"", "empty.pdf", description="page 2")
    assert empty.status_code == 422
    assert "empty.pdf is empty" in empty.text and ">page 2</textarea>" in empty.text
    wrong = upload(app_client, world.child_number, kind="passport")
    assert wrong.status_code == 422 and "kind: choose one of" in wrong.text
    assert document_count(world) == 0


def test_analysts_and_partners_never_see_a_document(app_client: TestClient, world: World) -> None:
    with world.registry.uow() as uow:
        doc = evidence.add_document(
            uow, world.registry.files, case_id(world), io.BytesIO(PDF),
            kind=DocumentKind.BIRTH_CERTIFICATE, filename=PDF_NAME, media_type="application/pdf",
        ).id  # fmt: skip
        partner_case = uow.repos.children.by_case_number(world.partner_child_number)
        partner_doc = evidence.add_document(
            uow, world.registry.files, partner_case.id, io.BytesIO(b"GIF89a..."),
            kind=DocumentKind.PHOTO, filename="maria-photo.gif",
        ).id  # fmt: skip
        uow.commit()
    for role in ("analyst", "partner"):
        sign_in(app_client, world, role)
        english(app_client)
        own = world.child_number if role == "analyst" else world.partner_child_number
        page = app_client.get(f"/cases/{own}").text
        assert "Return readiness" in page and 'id="documents"' not in page
        for secret in (PDF_NAME, PDF_SHA, "maria-photo.gif", "Add a document"):
            assert secret not in page
        if role == "analyst":  # still sees how far the case is from a return
            checklist = page[page.index('id="readiness"') :]
            assert re.search(
                r"Birth certificate</th>\s*<td><span class=\"state state-unverified\">", checklist
            )
            assert f"/documents/{doc}" not in page
        for url in (
            f"/cases/{own}/documents/{doc}",
            f"/cases/{own}/documents/{partner_doc}",
            f"/cases/{own}/documents/{doc}/original",
            f"/cases/{own}/documents/{partner_doc}/working",
        ):  # fmt: skip
            answer = app_client.get(url)
            assert answer.status_code in (403, 404), (role, url)
            assert PDF_NAME not in answer.text and "maria-photo" not in answer.text
        app_client.cookies.clear()
    assert custody_actions(world, doc) == ["document.add"]  # no refused read was noted


def test_a_document_is_reached_only_under_its_own_case(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    doc = added_id(upload(app_client, world.child_number))
    other = world.partner_child_number  # a case worker reaches it, but the document is not its
    assert app_client.get(f"/cases/{other}/documents/{doc}").status_code == 404
    assert app_client.get(f"/cases/{other}/documents/{doc}/original").status_code == 404
    assert custody_actions(world, doc) == ["document.add"]


def test_a_case_worker_names_who_will_travel(app_client: TestClient, world: World) -> None:
    number = world.child_number
    sign_in(app_client, world, "case_worker")
    english(app_client)
    page = app_client.get(f"/cases/{number}").text
    mother = re.search(r'<option value="(\d+)">Коваленко Олена Петрівна \(Mother\)</option>', page)
    assert mother is not None
    sent = app_client.post(
        f"/cases/{number}/traveller",
        data={"relative_id": mother.group(1), "name": "ignored", "role": "legal_representative",
              "csrf_token": csrf_of(page)},
    )  # fmt: skip
    assert sent.status_code == 303 and sent.headers["location"].endswith("#readiness")
    checklist = app_client.get(f"/cases/{number}").text
    checklist = checklist[checklist.index('id="readiness"') :]
    line = checklist[checklist.index("Who will travel</th>") :]
    line = line[: line.index("</tr>")]
    assert "state-met" in line and "Коваленко Олена Петрівна" in line
    assert "(Legal representative)" in line and "ignored" not in line
    app_client.post(
        f"/cases/{number}/traveller",
        data={"name": "Ірина Лубінець", "role": "official", "csrf_token": csrf_of(page)},
    )
    line = app_client.get(f"/cases/{number}").text
    line = line[line.index("Who will travel</th>") :]
    assert "Ірина Лубінець" in line[: line.index("</tr>")]
    refused = app_client.post(
        f"/cases/{number}/traveller",
        data={"name": "x", "role": "pilot", "csrf_token": csrf_of(page)},
    )
    assert refused.status_code == 422


def _make_ready(world: World) -> None:
    """Everything a return needs, for the world's child: verified, its mother
    asked, four verified documents and a traveller."""
    with world.registry.uow() as uow:
        child_id = case_id(world)
        cases.move_status(uow, child_id, Status.UNDER_VERIFICATION, reason="documents asked")
        cases.move_status(uow, child_id, Status.VERIFIED, reason="the commission met")
        for kind in (
            DocumentKind.BIRTH_CERTIFICATE, DocumentKind.PROOF_OF_KINSHIP,
            DocumentKind.POWER_OF_ATTORNEY, DocumentKind.RETURN_IDENTITY_CERTIFICATE,
        ):  # fmt: skip
            doc = evidence.add_document(
                uow, world.registry.files, child_id, io.BytesIO(kind.value.encode()), kind=kind,
                filename=f"{kind.value}.pdf",
            )  # fmt: skip
            evidence.verify_document(uow, doc.id)
        evidence.set_traveller(uow, child_id, name="Коваленко Олена Петрівна")
        uow.commit()


def test_the_list_composer_marks_who_is_ready_for_return(
    app_client: TestClient, world: World
) -> None:
    with world.registry.uow() as uow:
        made = lists.create_list(
            uow, title="Round 8", purpose="return", channel="mediator", recipient="Ombudsman",
            languages=["uk"], criteria={},
        )  # fmt: skip
        for number in (world.child_number, world.partner_child_number):
            child = uow.repos.children.by_case_number(number)
            lists.change_child(uow, made.id, child.id, "add", reason="asked for")
        uow.commit()
    sign_in(app_client, world, "case_worker")
    english(app_client)

    def cell(number: str) -> str:
        page = app_client.get(f"/lists/{made.id}").text
        row = page[page.index(f'<a href="/cases/{number}">') :]
        row = row[: row.index("</tr>")]
        return row[row.index('class="readiness-cell"') :]

    boy = cell(world.child_number)
    assert "Not ready" in boy and "What is missing (6)" in boy
    assert "Birth certificate" in boy and "Who will travel" in boy
    assert "A legal representative asked for the return" not in boy  # his mother asked
    girl = cell(world.partner_child_number)
    assert "A legal representative asked for the return" in girl
    _make_ready(world)
    boy = cell(world.child_number)
    assert "Ready" in boy and "Not ready" not in boy and "What is missing" not in boy
    assert "Not ready" in cell(world.partner_child_number)
