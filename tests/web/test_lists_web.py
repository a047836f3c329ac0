"""Handover lists in the browser and through the API: the whole journey of a
list from composing to the reconciliation, and who may not take part in it."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import openpyxl
import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.services import accounts, cases, lists
from homeward.storage.tables import AuditRow, ListVersionRow
from tests.factories import make_child
from tests.web.conftest import PASSWORD, RELATIVE_PHONE, World, api_token, csrf_of, sign_in

SECOND_VERIFIER = "verifier2"
REPLY = "№,Прізвище,Answer\n1,,returned\n9,,located\n"
"""A reply by entry number only: one entry answered, one number not on the list."""


class Children:
    """The case numbers of the journey: the world's boy (his mother asked for his
    return), the partner's girl (added by hand), and two deported children the
    search brings, one of whom is left out by hand."""

    def __init__(self, world: World, dmytro: str, hanna: str) -> None:
        self.oleksandr = world.child_number
        self.maria = world.partner_child_number
        self.dmytro = dmytro
        self.hanna = hanna


@pytest.fixture
def children(world: World) -> Children:
    with world.registry.uow() as uow:
        secret = pyotp.random_base32()
        accounts.create_user(
            uow,
            username=SECOND_VERIFIER,
            display_name="Second verifier",
            role=Role.VERIFIER,
            password=PASSWORD,
            totp_secret=secret,
        )
        world.secrets[SECOND_VERIFIER] = secret
        oleksandr = uow.repos.children.by_case_number(world.child_number)
        for status in (Status.UNDER_VERIFICATION, Status.VERIFIED):
            cases.move_status(uow, oleksandr.id, status, reason="checked for the list")
        dmytro = make_child(
            uow,
            given_name="Дмитро",
            family_name="Шевчук",
            patronymic="Іванович",
            birth_date="2010-01-02",
            mother_name="",
        )
        hanna = make_child(
            uow,
            given_name="Ганна",
            family_name="Мельник",
            patronymic="",
            sex="f",
            birth_date="2011-07-08",
            mother_name="",
        )
        uow.commit()
        return Children(world, dmytro.case_number, hanna.case_number)


def open_browser(app_client: TestClient, world: World, username: str) -> TestClient:
    """A browser of its own for one user, on the same app, reading English."""
    client = TestClient(app_client.app, base_url="https://testserver", follow_redirects=False)
    sign_in(client, world, username)
    client.cookies.set("hw_lang", "en")
    return client


def post(client: TestClient, page: str, path: str, **data: object) -> httpx.Response:
    """Send a form of ``page`` as the browser would, with its CSRF token."""
    token = csrf_of(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data})


def days_ago(n: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=n)).isoformat()


def audited(world: World, action: str) -> int:
    with world.registry.uow(write=False) as uow:
        return int(
            uow.session.scalar(
                select(func.count()).select_from(AuditRow).where(AuditRow.action == action)
            )
            or 0
        )


def entry_rows(html: str) -> list[str]:
    body = html.split('<table class="entries">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr[ >].*?</tr>", body.split("<tbody>", 1)[1], flags=re.S)


def test_a_list_from_composing_to_the_reconciliation_in_the_browser(
    app_client: TestClient, world: World, children: Children, tmp_path: Path
) -> None:
    author = open_browser(app_client, world, "verifier")
    worker = open_browser(app_client, world, "case_worker")
    approver = open_browser(app_client, world, SECOND_VERIFIER)

    # Compose: a saved search (deported children) -> the list page.
    made = post(
        author,
        "/lists/new",
        "/lists",
        title="Round 3",
        purpose="children deported to Russia",
        channel="mediator",
        recipient="Mediator's office",
        languages=["uk", "en"],
        category=["deported"],
    )
    assert made.status_code == 303
    page_url = made.headers["location"]
    list_id = int(page_url.rsplit("/", 1)[1])
    page = author.get(page_url)
    assert page.status_code == 200 and "Round 3" in page.text
    rows = entry_rows(page.text)
    assert len(rows) == 3  # the boy, Dmytro and Hanna; the partner's girl is missing, not deported
    dmytro_row = next(r for r in rows if children.dmytro in r)
    assert "Шевчук Дмитро Іванович" in dmytro_row and "Шевчук Дмитрий" in dmytro_row
    assert "No requesting legal representative" in dmytro_row  # flagged before approval
    boy = next(r for r in rows if children.oleksandr in r)
    assert "No requesting legal representative" not in boy and "Kovalenko Oleksandr" in boy
    assert RELATIVE_PHONE not in page.text  # a list never carries a contact

    # Changes by hand, each with a reason; none without one.
    refused = post(
        author, page_url, f"/lists/{list_id}/entries/add", case_number=children.maria, reason=" "
    )
    assert refused.status_code == 422 and "reason" in refused.text
    for action, case, reason in (
        ("add", children.maria, "her mother believes she is in Rostov"),
        ("remove", children.hanna, "already on the ICRC list"),
    ):
        done = post(
            author, page_url, f"/lists/{list_id}/entries/{action}", case_number=case, reason=reason
        )
        assert done.status_code == 303
    page = author.get(page_url)
    rows = entry_rows(page.text)
    assert [children.hanna in r for r in rows] == [False, False, False]
    assert any(children.maria in r for r in rows)
    assert "already on the ICRC list" in page.text and "her mother believes" in page.text

    # A field beyond the profile needs a justification; contacts are never allowed.
    forbidden = post(
        author,
        page_url,
        f"/lists/{list_id}/fields",
        field="reporter_contact",
        justification="they asked",
    )
    assert forbidden.status_code == 403
    assert "can never be on a handover list" in forbidden.text
    added = post(
        author,
        page_url,
        f"/lists/{list_id}/fields",
        field="birth_place",
        justification="the mediator matches on it",
    )
    assert added.status_code == 303
    assert "Маріуполь" in author.get(page_url).text

    # Approval: never the author, never a case worker; knowingly for the flagged entries.
    assert "another verifier approves it" in author.get(page_url).text
    by_author = post(author, page_url, f"/lists/{list_id}/approve")
    assert by_author.status_code == 403
    assert "someone other than its author" in by_author.text
    by_worker = post(worker, page_url, f"/lists/{list_id}/approve")
    assert by_worker.status_code == 403
    unknowing = post(approver, page_url, f"/lists/{list_id}/approve")
    assert unknowing.status_code == 422
    assert "no legal representative" in unknowing.text
    approved = post(
        approver, page_url, f"/lists/{list_id}/approve", accept_without_representative="1"
    )
    assert approved.status_code == 303
    assert post(approver, page_url, f"/lists/{list_id}/freeze").status_code == 303

    # Frozen: the page shows the version's SHA-256, as stored.
    with world.registry.uow(write=False) as uow:
        frozen = uow.session.scalars(
            select(ListVersionRow).where(ListVersionRow.list_id == list_id)
        ).one()
        sha256 = frozen.content_sha256
    page = author.get(page_url)
    assert sha256 and f'<code class="hash" id="sha256">{sha256}</code>' in page.text
    assert "Frozen" in page.text and len(entry_rows(page.text)) == 3

    # Downloads go through the service, which writes each to the audit trail.
    base = f"/lists/{list_id}/versions/1/download"
    pdf = author.get(f"{base}?format=pdf&language=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    sheet = openpyxl.load_workbook(io.BytesIO(author.get(f"{base}?format=xlsx").content))
    cells = {str(c.value) for row in sheet.active.iter_rows() for c in row}
    assert {children.oleksandr, children.maria, children.dmytro} <= cells
    csv_text = author.get(f"{base}?format=csv").content.decode("utf-8-sig")
    assert children.dmytro in csv_text and "birth_place" in csv_text
    signed = tmp_path / "round3.json"
    signed.write_bytes(author.get(f"{base}?format=json").content)
    checked = lists.verify_document(signed)
    assert checked.ok and checked.sha256 == sha256 and checked.entries == 3
    assert audited(world, "list.export") == 4
    assert author.get(f"{base}?format=docx").status_code == 422

    # A delivery, then the other side's answers: one by hand, the rest from their file.
    version_url = f"/lists/{list_id}/versions/1"
    delivered = post(
        author,
        version_url,
        f"{version_url}/deliveries",
        delivered_on=days_ago(5),
        recipient="Mediator's office",
        channel="in person",
    )
    assert delivered.status_code == 303
    assert "in person" in author.get(version_url).text
    said = post(
        worker,
        version_url,
        f"{version_url}/answers",
        entry_number="1",
        answer="located",
        answered_on=days_ago(3),
        source="mediator's letter",
        detail="Anapa, children's camp",
    )
    assert said.status_code == 303
    page = worker.get(version_url)
    assert "Anapa, children&#39;s camp" in page.text and "Confirm the move" in page.text
    answer_id = re.search(r"/answers/(\d+)/confirm", page.text)
    assert answer_id
    confirmed = post(
        worker,
        version_url,
        f"/lists/{list_id}/answers/{answer_id.group(1)}/confirm",
        version="1",
        reason="the mediator confirmed in writing",
    )
    assert confirmed.status_code == 303
    with world.registry.uow(write=False) as uow:
        boy = uow.repos.children.by_case_number(children.oleksandr)
        assert (boy.status, boy.status_detail) == ("located", "russia")

    reply = (
        "№,Прізвище,Ім'я,Дата народження,Відповідь\n"
        "2,,,,Не найден\n"  # by its number only
        ",Коваленко,Александр,2012-03-04,Частичная информация\n"  # by names: entry 1
        ",Іваненко,Петро,2011-01-01,Найден\n"  # nobody on the list
    )
    token = csrf_of(worker.get(version_url).text)
    imported = worker.post(
        f"{version_url}/answers/import",
        data={"csrf_token": token, "source": "reply of round 3"},
        files={"file": ("reply-round3.csv", reply.encode("utf-8"), "text/csv")},
    )
    assert imported.status_code == 200
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", imported.text))
    assert figures["Rows in the file"] == "3" and figures["Answers recorded"] == "2"
    assert figures["Matched by entry number"] == "1"
    assert figures["Matched by names and birth date"] == "1"
    assert figures["Not matched"] == "1" and "row 4: no entry matches its names" in imported.text

    # The reconciliation: the latest answer of each entry counted.
    tally = worker.get(f"{version_url}/reconciliation")
    assert tally.status_code == 200
    counted = dict(
        re.findall(r'data-answer="(\w+)"><td>[^<]*</td><td class="number">(\d+)<', tally.text)
    )
    assert counted == {"partial_information": "1", "not_found": "1", "no_answer": "1"}
    unanswered = tally.text.split('id="unanswered"', 1)[1].split("<h2", 1)[0]
    assert children.dmytro in unanswered and children.maria not in unanswered
    assert "5 days ago" in tally.text
    table = worker.get(f"{version_url}/reconciliation/download?format=csv")
    assert table.status_code == 200 and children.maria in table.content.decode("utf-8-sig")
    assert audited(world, "list.tally_export") == 1

    # The index puts drafts first; this one is frozen with three entries.
    index = author.get("/lists")
    assert "Round 3" in index.text and "Frozen" in index.text


def test_a_new_version_shows_what_it_adds_and_removes(
    app_client: TestClient, world: World, children: Children
) -> None:
    list_id = _frozen_list(world, [children.oleksandr, children.dmytro])
    author = open_browser(app_client, world, "verifier")
    page_url = f"/lists/{list_id}"
    assert post(author, page_url, f"{page_url}/versions").status_code == 303
    post(
        author,
        page_url,
        f"{page_url}/entries/add",
        case_number=children.hanna,
        reason="found in a camp list",
    )
    post(
        author,
        page_url,
        f"{page_url}/entries/remove",
        case_number=children.dmytro,
        reason="returned through Belarus",
    )
    page = author.get(page_url)
    assert "Version 2" in page.text and "Difference from version 1" in page.text
    difference = page.text.split('id="difference-title"', 1)[1].split("</section>", 1)[0]
    added = difference.split("Added", 1)[1].split("Removed", 1)[0]
    removed = difference.split("Removed", 1)[1].split("Changed", 1)[0]
    assert children.hanna in added and children.dmytro not in added
    assert children.dmytro in removed
    # The frozen version 1 is still there, unchanged.
    old = author.get(f"{page_url}/versions/1")
    assert old.status_code == 200 and "This is an earlier version" in old.text
    assert children.dmytro in old.text
    # Drafts waiting for approval come first in the index, before newer frozen lists.
    _frozen_list(world, [children.oleksandr], title="Round 2")
    index = author.get("/lists").text
    assert index.index("Round 3") < index.index("Round 2")


def _frozen_list(world: World, case_numbers: list[str], title: str = "Round 3") -> int:
    """A list composed by hand by the verifier, approved by the second, frozen."""
    author = _actor(world, "verifier")
    approver = _actor(world, SECOND_VERIFIER)
    with world.registry.uow(author) as uow:
        row = lists.create_list(
            uow, title=title, purpose="test", channel="mediator", recipient="Mediator"
        )
        for number in case_numbers:
            child = uow.repos.children.by_case_number(number)
            lists.change_child(uow, row.id, child.id, "add", reason="on the mediator's request")
        uow.commit()
        list_id = row.id
    from homeward import keys

    with world.registry.uow(approver) as uow:
        lists.approve(uow, list_id, accept_without_representative=True)
        lists.freeze(
            uow, list_id, keys.load_or_create_signing_key(world.settings.data_dir / "keys")
        )
        uow.commit()
    return list_id


def _actor(world: World, username: str) -> Actor:
    from homeward.services import signin

    with world.registry.uow(write=False) as uow:
        user = uow.repos.users.by_username(username)
        assert user is not None
        return signin.actor_of(user)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_same_journey_through_the_api(
    app_client: TestClient, world: World, children: Children
) -> None:
    author = bearer(api_token(world, "verifier"))
    worker = bearer(api_token(world, "case_worker"))
    approver = bearer(api_token(world, SECOND_VERIFIER))
    api = "/api/v1/lists"

    spec = app_client.get("/api/v1/openapi.json").json()
    assert "/lists/{list_id}/versions/{number}/answers/import" in spec["paths"]
    assert "ListCreate" in spec["components"]["schemas"]

    made = app_client.post(
        api,
        headers=author,
        json={
            "title": "Round 4",
            "purpose": "deported children",
            "channel": "ICRC",
            "recipient": "ICRC Moscow delegation",
            "criteria": {"category": ["deported"]},
        },
    )
    assert made.status_code == 201, made.text
    list_id = made.json()["id"]
    assert made.json()["current_version"]["status"] == "draft"
    draft = app_client.get(f"{api}/{list_id}/entries", headers=author).json()
    assert len(draft["entries"]) == 3
    assert set(draft["without_representative"]) == {children.dmytro, children.hanna}
    removed = app_client.post(
        f"{api}/{list_id}/entries/remove",
        headers=worker,
        json={"case_number": children.hanna, "reason": "duplicate"},
    )
    assert removed.status_code == 200 and removed.json()["changes"][0]["reason"] == "duplicate"
    no_reason = app_client.post(
        f"{api}/{list_id}/entries/add",
        headers=worker,
        json={"case_number": children.maria, "reason": ""},
    )
    assert no_reason.status_code == 422 and no_reason.json()["kind"] == "Invalid"
    assert (
        app_client.post(
            f"{api}/{list_id}/entries/add",
            headers=worker,
            json={"case_number": children.maria, "reason": "seen in Rostov"},
        ).status_code
        == 200
    )
    health = app_client.post(
        f"{api}/{list_id}/fields",
        headers=author,
        json={"field": "health", "justification": "asked"},
    )
    assert health.status_code == 403 and "never" in health.json()["error"]

    assert app_client.post(f"{api}/{list_id}/approve", headers=author, json={}).status_code == 403
    assert app_client.post(f"{api}/{list_id}/approve", headers=worker, json={}).status_code == 403
    assert app_client.post(f"{api}/{list_id}/approve", headers=approver, json={}).status_code == 422
    approved = app_client.post(
        f"{api}/{list_id}/approve", headers=approver, json={"accept_without_representative": True}
    )
    assert approved.status_code == 200 and approved.json()["approved_by"] == SECOND_VERIFIER
    frozen = app_client.post(f"{api}/{list_id}/freeze", headers=approver)
    assert frozen.status_code == 200 and len(frozen.json()["sha256"]) == 64
    sha256 = frozen.json()["sha256"]

    exported = app_client.get(f"{api}/{list_id}/versions/1/export?format=json", headers=worker)
    assert json.loads(exported.content)["sha256"] == sha256
    pdf = app_client.get(
        f"{api}/{list_id}/versions/1/export?format=pdf&language=ru", headers=worker
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    table = app_client.get(f"{api}/{list_id}/versions/1/export?format=csv", headers=worker)
    assert len(table.text.strip().splitlines()) == 4  # the header and three entries
    assert (
        app_client.get(f"{api}/{list_id}/versions/1/export?format=exe", headers=worker).status_code
        == 422
    )

    delivered = app_client.post(
        f"{api}/{list_id}/versions/1/deliveries",
        headers=worker,
        json={
            "delivered_on": days_ago(2),
            "recipient": "ICRC",
            "channel": "diplomatic mail",
        },
    )
    assert delivered.status_code == 201
    assert (
        app_client.get(f"{api}/{list_id}/versions/1/deliveries", headers=worker).json()["items"][0][
            "channel"
        ]
        == "diplomatic mail"
    )
    answer = app_client.post(
        f"{api}/{list_id}/versions/1/answers",
        headers=worker,
        json={
            "entry_number": 2,
            "answer": "disputed",
            "answered_on": days_ago(1),
            "source": "ICRC note",
            "detail": "they say she is not Ukrainian",
        },
    )
    assert answer.status_code == 201 and answer.json()["case_number"] == children.maria
    future = app_client.post(
        f"{api}/{list_id}/versions/1/answers",
        headers=worker,
        json={
            "entry_number": 1,
            "answer": "located",
            "answered_on": "2999-01-01",
            "source": "x",
        },
    )
    assert future.status_code == 422
    imported = app_client.post(
        f"{api}/{list_id}/versions/1/answers/import",
        headers=worker,
        data={"source": "ICRC reply"},
        files={"file": ("reply.csv", REPLY.encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text
    result = imported.json()
    assert (result["recorded"], result["by_number"]) == (1, 1)
    assert result["not_matched"] == ["row 3: no entry 9 and no names"]

    # A second frozen list with Dmytro: he waits on both, answered on neither.
    _frozen_list(world, [children.dmytro], title="Round 5")
    tally = app_client.get(f"{api}/{list_id}/versions/1/reconciliation", headers=worker).json()
    assert tally["by_answer"] == {"returned": 1, "disputed": 1, "no_answer": 1}
    assert tally["disputed"] == [children.maria]
    assert tally["without_answer"] == [children.dmytro]
    assert tally["waiting_on_several_lists"] == [children.dmytro]
    assert tally["days_since_delivery"] == 2

    page = app_client.get(f"{api}?limit=1", headers=author).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    assert app_client.post(f"{api}/{list_id}/versions", headers=author).status_code == 201
    changed = app_client.get(f"{api}/{list_id}/difference?old=1", headers=author).json()
    assert changed["added"] == [] and changed["removed"] == []


def test_roles_that_do_not_work_on_lists_are_refused(
    app_client: TestClient, world: World, children: Children
) -> None:
    list_id = _frozen_list(world, [children.oleksandr])
    pages = [
        "/lists",
        "/lists/new",
        f"/lists/{list_id}",
        f"/lists/{list_id}/versions/1",
        f"/lists/{list_id}/versions/1/reconciliation",
        f"/lists/{list_id}/versions/1/download?format=csv",
    ]
    api = [
        f"/api/v1/lists/{list_id}",
        f"/api/v1/lists/{list_id}/entries",
        f"/api/v1/lists/{list_id}/versions/1/reconciliation",
        f"/api/v1/lists/{list_id}/versions/1/export?format=json",
    ]
    for role in ("analyst", "partner", "auditor", "admin"):
        client = open_browser(app_client, world, role)
        for path in pages:
            answer = client.get(path)
            assert answer.status_code == 403, (role, path)
            assert children.oleksandr not in answer.text
        made = post(client, "/", "/lists", title="x", purpose="x", channel="x", recipient="x")
        assert made.status_code == 403
        token = bearer(api_token(world, role))
        for path in api:
            assert app_client.get(path, headers=token).status_code == 403, (role, path)
        made = app_client.post(
            "/api/v1/lists",
            headers=token,
            json={"title": "x", "purpose": "x", "channel": "x", "recipient": "x"},
        )
        assert made.status_code == 403
        client.close()
    assert audited(world, "list.export") == 0
    # No form of a list page works without its CSRF token.
    author = open_browser(app_client, world, "verifier")
    assert author.post(f"/lists/{list_id}/versions").status_code == 403
    assert author.get("/lists/999").status_code == 404
    assert author.get(f"/lists/{list_id}/versions/9").status_code == 404
