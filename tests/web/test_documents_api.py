"""Documents, their chain of custody and return readiness through the JSON API:
upload, byte-for-byte download, custody in order, a working copy beside the
original, verification by a verifier only, uploads that are web pages served
as plain attachments, the size limit, and analysts and partners kept away
from every document while they still read the checklist."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from homeward.domain.model import Relationship
from homeward.services import cases
from tests.web.conftest import World, api_token
from tests.web.test_documents_pages import (
    PAGE,
    PDF,
    PDF_NAME,
    PDF_SHA,
    document_count,
    stored_files,
)


class Api:
    """The API as one user of the world."""

    def __init__(self, client: TestClient, world: World, role: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {api_token(world, role)}"}

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path, headers=self.headers)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.client.post("/api/v1" + path, headers=self.headers, **kwargs)

    def upload(
        self, number: str, content: bytes = PDF, name: str = PDF_NAME,
        kind: str = "birth_certificate", media: str = "application/pdf", **data: Any,
    ) -> Any:  # fmt: skip
        return self.post(
            f"/cases/{number}/documents",
            files={"file": (name, content, media)}, data={"kind": kind, **data},
        )  # fmt: skip


@pytest.fixture
def worker(app_client: TestClient, world: World) -> Api:
    return Api(app_client, world, "case_worker")


def actions(detail: dict[str, Any]) -> list[str]:
    return [
        e["action"] + (f"/{e['details']['copy']}" if "copy" in e["details"] else "")
        for e in detail["custody"]
    ]


def line(readiness: dict[str, Any], key: str) -> dict[str, Any]:
    [found] = [i for i in readiness["items"] if i["key"] == key]
    return found


def test_upload_download_and_the_chain_of_custody(worker: Api, world: World) -> None:
    number = world.child_number
    made = worker.upload(number, description="issued in Mariupol")
    assert made.status_code == 201, made.text
    doc = made.json()
    assert doc["sha256"] == PDF_SHA and doc["size"] == len(PDF) and doc["filename"] == PDF_NAME
    assert doc["kind"] == "birth_certificate" and doc["case_number"] == number
    assert doc["added_by"] == "case_worker" and doc["verified_at"] is None

    listed = worker.get(f"/cases/{number}/documents").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == doc["id"]

    original = worker.get(f"/documents/{doc['id']}/original")
    assert original.status_code == 200 and original.content == PDF
    assert original.headers["content-type"] == "application/pdf"
    assert original.headers["content-disposition"].startswith("attachment;")
    assert original.headers["x-content-type-options"] == "nosniff"
    assert worker.get(f"/documents/{doc['id']}/working").status_code == 404  # none made yet

    detail = worker.get(f"/documents/{doc['id']}").json()
    assert actions(detail) == ["document.add", "document.download/original", "document.view"]
    assert [e["actor"] for e in detail["custody"]] == ["case_worker"] * 3
    seqs = [e["seq"] for e in detail["custody"]]
    assert seqs == sorted(seqs)


def test_a_working_copy_is_kept_beside_the_original(worker: Api, world: World) -> None:
    doc = worker.upload(world.child_number).json()
    redacted = PDF.replace(b"scanned", b"XXXXXXX")
    path = f"/documents/{doc['id']}/working"
    files = {"file": ("redacted.pdf", redacted, "application/pdf")}
    refused = worker.post(path, files=files, data={"note": ""})
    assert refused.status_code == 422 and "note" in refused.json()["error"]
    stale = worker.post(path, files=files, data={"note": "address", "version": doc["version"] + 5})
    assert stale.status_code == 409
    kept = worker.post(
        path, files=files, data={"note": "the address blacked out", "version": doc["version"]}
    )
    assert kept.status_code == 200, kept.text
    copy = kept.json()
    assert (
        copy["sha256"] == PDF_SHA and copy["working_sha256"] == hashlib.sha256(redacted).hexdigest()
    )
    assert copy["working_note"] == "the address blacked out"
    assert worker.get(path).content == redacted
    assert worker.get(f"/documents/{doc['id']}/original").content == PDF
    detail = worker.get(f"/documents/{doc['id']}").json()
    assert actions(detail) == [
        "document.add", "document.redact", "document.download/working",
        "document.download/original", "document.view",
    ]  # fmt: skip


def test_only_a_verifier_verifies(app_client: TestClient, worker: Api, world: World) -> None:
    number = world.child_number
    doc = worker.upload(number).json()
    assert line(worker.get(f"/cases/{number}/readiness").json(), "birth_certificate") == {
        "key": "birth_certificate", "state": "unverified", "met": False,
        "document_ids": [doc["id"]], "detail": None,
    }  # fmt: skip
    assert worker.post(f"/documents/{doc['id']}/verify", json={}).status_code == 403
    verifier = Api(app_client, world, "verifier")
    stale = verifier.post(f"/documents/{doc['id']}/verify", json={"version": doc["version"] + 1})
    assert stale.status_code == 409
    done = verifier.post(f"/documents/{doc['id']}/verify", json={"version": doc["version"]})
    assert done.status_code == 200, done.text
    assert done.json()["verified_by"] == "verifier" and done.json()["verified_at"]
    readiness = verifier.get(f"/cases/{number}/readiness").json()
    assert line(readiness, "birth_certificate")["state"] == "met"
    assert not readiness["ready"] and "birth_certificate" not in readiness["missing"]
    assert actions(verifier.get(f"/documents/{doc['id']}").json())[-2:] == [
        "document.verify", "document.view",
    ]  # fmt: skip


def test_analysts_and_partners_reach_no_document(
    app_client: TestClient, worker: Api, world: World
) -> None:
    number = world.child_number
    doc = worker.upload(number).json()
    for role in ("analyst", "partner", "auditor", "admin"):
        other = Api(app_client, world, role)
        answers = [
            other.get(f"/cases/{number}/documents"),
            other.get(f"/documents/{doc['id']}"),
            other.get(f"/documents/{doc['id']}/original"),
            other.upload(number),
            other.post(f"/documents/{doc['id']}/verify", json={}),
        ]
        for answer in answers:
            assert answer.status_code in (403, 404), (role, answer.status_code)
            assert PDF_NAME not in answer.text and PDF_SHA not in answer.text
    assert document_count(world) == 1
    assert actions(worker.get(f"/documents/{doc['id']}").json()) == [
        "document.add",
        "document.view",
    ]
    analyst = Api(app_client, world, "analyst").get(f"/cases/{number}/readiness")
    assert analyst.status_code == 200
    assert line(analyst.json(), "birth_certificate") == {
        "key": "birth_certificate", "state": "unverified", "met": False, "document_ids": [],
        "detail": None,
    }  # fmt: skip
    partner = Api(app_client, world, "partner")
    assert partner.get(f"/cases/{number}/readiness").status_code == 404  # not its organisation's
    assert partner.get(f"/cases/{world.partner_child_number}/readiness").status_code == 200


def test_a_web_page_uploaded_is_sent_back_as_a_plain_attachment(worker: Api, world: World) -> None:
    doc = worker.upload(world.child_number, PAGE, "<b>statement</b>.html", "other", "text/html")
    assert doc.status_code == 201 and doc.json()["media_type"] == "text/html"
    answer = worker.get(f"/documents/{doc.json()['id']}/original")
    assert answer.content == PAGE
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.headers["content-disposition"].startswith('attachment; filename="')
    assert "<" not in answer.headers["content-disposition"]
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_an_oversized_upload_is_refused_with_nothing_kept(
    worker: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(world.settings, "max_document_mb", 1)
    number = world.child_number
    for size in (1024 * 1024 + 10_000, 3 * 1024 * 1024):  # streamed, then announced
        refused = worker.upload(number, b"x" * size)
        assert refused.status_code == 413
        assert "larger than 1 MB" in refused.json()["error"]
    doc = worker.upload(number).json()
    too_big = worker.post(
        f"/documents/{doc['id']}/working",
        files={"file": ("big.pdf", b"y" * (1024 * 1024 + 1), "application/pdf")},
        data={"note": "too big"},
    )
    assert too_big.status_code == 413
    assert document_count(world) == 1 and stored_files(world) == [PDF_SHA]
    assert worker.get(f"/documents/{doc['id']}").json()["working_sha256"] is None


def test_bad_uploads_say_what_was_wrong(worker: Api, world: World) -> None:
    number = world.child_number
    assert "kind" in worker.upload(number, kind="passport").json()["error"]
    assert "empty" in worker.upload(number, b"").json()["error"]
    assert worker.upload(number, record_id="x").status_code == 422
    missing = worker.post(f"/cases/{number}/documents", data={"kind": "photo"})
    assert missing.status_code == 422 and "file" in missing.json()["error"]
    assert worker.upload("HW-1999-000999").status_code == 404
    assert document_count(world) == 0


def test_who_will_travel(worker: Api, world: World) -> None:
    number = world.child_number
    with world.registry.uow(write=False) as uow:
        child = uow.repos.children.by_case_number(number)
        [mother] = uow.repos.relatives.of_child(child.id)
        theirs = uow.repos.children.by_case_number(world.partner_child_number)
    with world.registry.uow() as uow:
        stranger = cases.add_relative(
            uow, theirs.id, full_name="Шевченко Петро", relationship=Relationship.FATHER
        )
        uow.commit()
    readiness = worker.get(f"/cases/{number}/readiness").json()
    assert line(readiness, "traveller")["state"] == "missing"
    assert line(readiness, "legal_representative") == {
        "key": "legal_representative", "state": "met", "met": True, "document_ids": [],
        "detail": "Коваленко Олена Петрівна",
    }  # fmt: skip
    set_ = worker.post(
        f"/cases/{number}/traveller",
        json={"relative_id": mother.id, "role": "legal_representative"},
    )
    assert set_.status_code == 200, set_.text
    assert set_.json()["traveller_name"] == "Коваленко Олена Петрівна"
    assert set_.json()["traveller_role"] == "legal_representative"
    assert line(set_.json(), "traveller")["met"]
    wrong = worker.post(f"/cases/{number}/traveller", json={"relative_id": stranger.id})
    assert wrong.status_code == 422 and "relative_id" in wrong.json()["error"]
    cleared = worker.post(f"/cases/{number}/traveller", json={"name": None}).json()
    assert cleared["traveller_name"] is None and "traveller" in cleared["missing"]
    analyst = Api(worker.client, world, "analyst")
    assert analyst.post(f"/cases/{number}/traveller", json={"name": "x"}).status_code == 403


def test_the_openapi_description_names_the_document_schemas(worker: Api) -> None:
    spec = worker.client.get("/api/v1/openapi.json").json()
    answer = spec["paths"]["/documents/{document_id}"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/DocumentDetail")
    body = spec["paths"]["/cases/{case_number}/documents"]["post"]["requestBody"]
    assert body["content"]["multipart/form-data"]["schema"]["required"] == ["file", "kind"]
    states = spec["components"]["schemas"]["ChecklistItemRead"]["properties"]["state"]
    assert states["enum"] == ["met", "unverified", "missing"]
