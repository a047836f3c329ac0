"""The case pages and their API: merge and undo, split, assignment, the lists
and answers of a child, candidate matches explained in Ukrainian, and a
partner kept to its own organisation's cases."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from homeward import keys
from homeward.domain.roles import Actor, Role
from homeward.domain.status import Status
from homeward.linkage.fields import FIELDS
from homeward.linkage.model import default_model
from homeward.linkage.scoring import score_pair
from homeward.services import answers, cases, lists, review
from homeward.storage.tables import AuditRow
from homeward.web.messages.cases import REASON_WORDS, reason_in_ukrainian, reason_template
from tests.factories import make_child, make_record
from tests.web.conftest import REPORTER, REPORTER_CONTACT, World, api_token, csrf_of, sign_in

SRC = Path(__file__).resolve().parents[2] / "src/homeward"
RUSSIAN_SPELLING: dict[str, Any] = {
    "given_name": "Александр", "patronymic": "Сергеевич", "birth_place": "Мариуполь",
    "mother_name": "Коваленко Елена Петровна",
}  # fmt: skip
"""The world's child as another agency wrote him: a second case of the same boy."""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def second_case(world: World) -> str:
    with world.registry.uow() as uow:
        number = make_child(uow, **RUSSIAN_SPELLING).case_number
        uow.commit()
    return number


def case_of(world: World, number: str) -> dict[str, Any]:
    with world.registry.uow(write=False) as uow:
        child = uow.repos.children.by_case_number(number, follow_merges=False)
        records = [r.id for r in uow.repos.records.of_child(child.id)]
        return {"id": child.id, "status": child.status, "version": child.version,
                "records": records, "assigned_to_id": child.assigned_to_id}  # fmt: skip


def test_two_cases_are_merged_from_the_case_page_and_the_merge_is_undone(
    app_client: TestClient, world: World
) -> None:
    other = second_case(world)
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/cases/{world.child_number}")
    assert f"/cases/{world.child_number}/merge?other={other}" in page.text  # a candidate
    assert "те саме ім’я (Олександр), російська форма" in page.text  # its reason, in Ukrainian
    compare = app_client.get(f"/cases/{world.child_number}/merge", params={"other": other})
    assert compare.status_code == 200
    assert world.child_number in compare.text and other in compare.text
    assert "Коваленко Олександр Сергійович" in compare.text  # side by side
    assert "Коваленко Александр Сергеевич" in compare.text
    merged = app_client.post(
        f"/cases/{world.child_number}/merge",
        data={"other": other, "keep": other, "reason": "one boy, two agencies",
              "version": re.search(r'name="version" value="(\d+)"', compare.text)[1],  # type: ignore[index]
              "other_version": str(case_of(world, other)["version"]),
              "csrf_token": csrf_of(compare.text)},
    )  # fmt: skip
    assert merged.status_code == 303 and merged.headers["location"] == f"/cases/{other}"
    assert case_of(world, world.child_number)["status"] == Status.MERGED
    assert len(case_of(world, other)["records"]) == 2
    surviving = app_client.get(f"/cases/{other}")
    assert "one boy, two agencies" in surviving.text
    assert f'href="/cases/{world.child_number}/merged"' in surviving.text
    gone = app_client.get(f"/cases/{world.child_number}/merged")
    assert f"Цю справу об’єднано зі справою {other}." in gone.text
    decision = re.search(r'name="decision" value="(\d+)"', gone.text)
    assert decision
    undone = app_client.post(
        f"/cases/{other}/unmerge",
        data={"decision": decision[1], "reason": "two boys after all",
              "version": str(case_of(world, other)["version"]),
              "csrf_token": csrf_of(gone.text)},
    )  # fmt: skip
    assert undone.status_code == 303
    assert undone.headers["location"] == f"/cases/{world.child_number}"
    assert case_of(world, world.child_number)["status"] == Status.REPORTED
    assert len(case_of(world, other)["records"]) == 1
    assert f"merge?other={other}" in app_client.get(f"/cases/{world.child_number}").text
    with world.registry.uow() as uow:  # a reviewer says they are two children
        review.scan_registry(uow, thresholds=review.Thresholds(auto_link=1.0, review=0.05))
        [pair] = [i for i in review.queue(uow) if i.kind == "cases"]
        review.decide(uow, pair.id, review.Action.REJECT, reason="two boys")
        uow.commit()
    assert f"merge?other={other}" not in app_client.get(f"/cases/{world.child_number}").text


def test_a_role_without_merge_cases_is_offered_no_merge_and_refused_one(
    app_client: TestClient, world: World
) -> None:
    other = second_case(world)
    sign_in(app_client, world, "analyst")
    page = app_client.get(f"/cases/{world.child_number}")
    assert other in page.text  # the analyst sees the candidate ...
    assert "/merge" not in page.text and 'action="/cases/' not in page.text  # ... and no forms
    assert app_client.get(f"/cases/{world.child_number}/merge?other={other}").status_code == 403
    refused = app_client.post(
        f"/cases/{world.child_number}/merge",
        data={"other": other, "keep": other, "reason": "x", "csrf_token": csrf_of(page.text)},
    )
    assert refused.status_code == 403
    assert case_of(world, other)["status"] == Status.REPORTED


def test_two_records_are_split_into_a_new_case(app_client: TestClient, world: World) -> None:
    with world.registry.uow() as uow:
        child = make_child(uow, given_name="Дмитро", family_name="Шевчук")
        sister = [
            make_record(uow, child_id=child.id, given_name=name, family_name="Шевчук", sex="f",
                        birth_date="2015-06-07").id
            for name in ("Дарина", "Daryna")
        ]  # fmt: skip
        uow.commit()
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/cases/{child.case_number}")
    for record_id in sister:
        assert f'name="record" value="{record_id}"' in page.text
    answer = app_client.post(
        f"/cases/{child.case_number}/split",
        data={"record": [str(r) for r in sister], "reason": "his sister Daryna",
              "version": str(child.version), "csrf_token": csrf_of(page.text)},
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    new_number = answer.headers["location"].removeprefix("/cases/")
    assert new_number != child.case_number
    assert case_of(world, new_number)["records"] == sister
    assert len(case_of(world, child.case_number)["records"]) == 1
    assert "his sister Daryna" in app_client.get(answer.headers["location"]).text


def test_a_form_opened_before_someone_elses_change_is_refused(
    app_client: TestClient, world: World
) -> None:
    other = second_case(world)
    sign_in(app_client, world, "case_worker")
    compare = app_client.get(f"/cases/{world.child_number}/merge", params={"other": other})
    seen = case_of(world, world.child_number)["version"]
    with world.registry.uow(Actor("verifier", Role.VERIFIER)) as uow:
        child_id = case_of(world, world.child_number)["id"]
        cases.move_status(uow, child_id, Status.UNDER_VERIFICATION, reason="documents arrived")
        uow.commit()
    for path, data in (
        ("merge", {"other": other, "keep": other, "reason": "one boy",
                   "other_version": str(case_of(world, other)["version"])}),
        ("assign", {"assignee": ""}),
    ):  # fmt: skip
        answer = app_client.post(
            f"/cases/{world.child_number}/{path}",
            data={**data, "version": str(seen), "csrf_token": csrf_of(compare.text)},
        )
        assert answer.status_code == 409, path
        assert "was changed by someone else since you opened it" in answer.text
        assert "Тим часом змінено" in answer.text
    assert case_of(world, other)["status"] == Status.REPORTED


def test_an_assigned_case_is_on_the_assignees_home_page(
    app_client: TestClient, world: World
) -> None:
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/cases/{world.child_number}")
    options = page.text[page.text.index('id="assignee"') : page.text.index("</select>")]
    assert "Newcomer" in options and "partner user" not in options  # not the NGO's case
    newcomer = re.search(r'<option value="(\d+)">Newcomer', options)
    assert newcomer
    answer = app_client.post(
        f"/cases/{world.child_number}/assign",
        data={"assignee": newcomer[1], "csrf_token": csrf_of(page.text),
              "version": str(case_of(world, world.child_number)["version"])},
    )  # fmt: skip
    assert answer.status_code == 303
    assert "Newcomer" in app_client.get(f"/cases/{world.child_number}").text
    theirs = app_client.get(f"/cases/{world.partner_child_number}").text
    assert "partner user" in theirs  # the NGO's own case may go to its user
    with world.registry.uow(write=False) as uow:
        assigned = select(AuditRow).where(AuditRow.action == "case.assign:update")
        assert uow.session.scalars(assigned).first() is not None
    with world.registry.uow() as uow:  # the newcomer enrols an authenticator
        newcomer_user = uow.repos.users.by_username("newcomer")
        assert newcomer_user is not None
        newcomer_user.totp_secret = world.secrets["newcomer"] = pyotp.random_base32()
        uow.commit()
    app_client.cookies.clear()
    sign_in(app_client, world, "newcomer")
    home = app_client.get("/").text
    mine = home[home.index("Справи, призначені мені") :]
    assert world.child_number in mine and "Коваленко Олександр" in mine
    listed = app_client.get("/cases", params={"mine": "true"}).text
    assert world.child_number in listed and world.partner_child_number not in listed


def test_the_case_page_shows_the_lists_and_answers_of_the_child(
    app_client: TestClient, world: World, tmp_path: Path
) -> None:
    author, approver = Actor("verifier", Role.VERIFIER), Actor("second", Role.VERIFIER)
    child_id = case_of(world, world.child_number)["id"]
    with world.registry.uow(author) as uow:
        row = lists.create_list(
            uow, title="Istanbul round 4", purpose="children in Russia", channel="mediator",
            recipient="Mediator's office", criteria={"located_in_russia": True},
        )  # fmt: skip
        lists.change_child(uow, row.id, child_id, "add", reason="mother asked for him")
        uow.commit()
    with world.registry.uow(approver) as uow:
        lists.approve(uow, row.id)
        lists.freeze(uow, row.id, keys.load_or_create_signing_key(tmp_path / "keys"))
        lists.deliver(uow, row.id, 1, delivered_on="2026-11-01", recipient="Mediator",
                      channel="in person")  # fmt: skip
        uow.commit()
    with world.registry.uow(author) as uow:
        for day, said, detail in (
            ("2026-11-10", answers.Answer.NOT_FOUND, None),
            ("2026-11-15", answers.Answer.LOCATED, "camp near Anapa"),
        ):
            answers.record_answer(uow, row.id, 1, 1, said, answered_on=day,
                                  source="mediator's letter", detail=detail)  # fmt: skip
        uow.commit()
    sign_in(app_client, world, "case_worker")
    page = app_client.get(f"/cases/{world.child_number}").text
    on_lists = page[page.index("Списки для передачі") : page.index("Отримані відповіді")]
    assert "Istanbul round 4" in on_lists and "1 листопада 2026" in on_lists
    assert "Місцеперебування встановлено" in on_lists  # the latest answer counts
    received = page[page.index("Отримані відповіді") :]
    assert received.index("15 листопада 2026") < received.index("10 листопада 2026")
    assert "camp near Anapa" in received
    app_client.cookies.clear()
    sign_in(app_client, world, "analyst")
    page = app_client.get(f"/cases/{world.child_number}").text
    assert "Istanbul round 4" in page and "camp near Anapa" not in page  # not the detail


def test_explanations_are_in_the_pages_language(app_client: TestClient, world: World) -> None:
    other = second_case(world)
    sign_in(app_client, world, "verifier")
    uk = app_client.get(f"/cases/{world.child_number}/merge", params={"other": other}).text
    assert "те саме ім’я (Олександр), російська форма" in uk
    assert '<th scope="row">Ім’я матері</th>' in uk and "Russian form" not in uk
    app_client.get("/language/en")
    en = app_client.get(f"/cases/{world.child_number}/merge", params={"other": other}).text
    assert "same name (Олександр), Russian form" in en
    assert '<th scope="row">Birth place</th>' in en


# --- the API ---------------------------------------------------------------------------


def test_the_api_lists_records_matches_and_merges_splits_and_assigns(
    app_client: TestClient, world: World
) -> None:
    other = second_case(world)
    worker = bearer(api_token(world, "case_worker"))
    records = app_client.get(f"/api/v1/cases/{world.child_number}/records", headers=worker)
    assert records.status_code == 200 and records.json()["total"] == 1
    record_id = records.json()["items"][0]["id"]
    one = app_client.get(f"/api/v1/records/{record_id}", headers=worker).json()
    assert one["case_number"] == world.child_number and one["given_name"] == "Олександр"
    matches = app_client.get(f"/api/v1/cases/{world.child_number}/matches", headers=worker)
    [match] = [m for m in matches.json()["items"] if m["case_number"] == other]
    given = next(f for f in match["fields"] if f["field"] == "given_name")
    assert given["reason"] == "same name (Олександр), Russian form"
    assert given["reason_uk"] == "те саме ім’я (Олександр), російська форма"
    body = {"other_case_number": other, "keep_case_number": world.child_number, "reason": "one boy"}
    analyst = bearer(api_token(world, "analyst"))
    refused = app_client.post(
        f"/api/v1/cases/{world.child_number}/merge", json=body, headers=analyst
    )
    assert refused.status_code == 403
    stale = app_client.post(
        f"/api/v1/cases/{world.child_number}/merge", json={**body, "version": 0}, headers=worker
    )
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["error"]
    merged = app_client.post(f"/api/v1/cases/{world.child_number}/merge", json=body, headers=worker)
    assert merged.status_code == 200 and merged.json()["case_number"] == world.child_number
    assert case_of(world, other)["status"] == Status.MERGED
    theirs = case_of(world, world.child_number)["records"][-1]
    split = app_client.post(
        f"/api/v1/cases/{world.child_number}/split",
        json={"record_ids": [theirs], "reason": "two boys after all"}, headers=worker,
    )  # fmt: skip
    assert split.status_code == 201 and split.json()["case_number"] == other  # the merge undone
    assigned = app_client.post(
        f"/api/v1/cases/{world.child_number}/assign", json={"username": "newcomer"},
        headers=worker,
    )  # fmt: skip
    assert assigned.status_code == 200 and assigned.json()["assigned_to"] == "newcomer"
    newcomer = bearer(api_token(world, "newcomer"))
    mine = app_client.get("/api/v1/cases", params={"mine": "true"}, headers=newcomer).json()
    assert [c["case_number"] for c in mine["items"]] == [world.child_number]
    partner = app_client.post(
        f"/api/v1/cases/{world.child_number}/assign", json={"username": "partner"},
        headers=worker,
    )  # fmt: skip
    assert partner.status_code == 422  # not the NGO's case


def test_each_role_is_answered_as_the_services_allow(app_client: TestClient, world: World) -> None:
    record_id = case_of(world, world.child_number)["records"][0]
    case = f"/api/v1/cases/{world.child_number}"
    readers = {"admin", "case_worker", "verifier", "analyst"}
    routes: list[tuple[str, str, dict[str, Any] | None, set[str], int]] = [
        ("GET", f"{case}/records", None, readers, 200),
        ("GET", f"/api/v1/records/{record_id}", None, readers, 200),
        ("GET", f"{case}/matches", None, readers, 200),
        ("POST", f"{case}/assign", {"username": None}, {"case_worker"}, 200),
        ("POST", f"{case}/split", {"record_ids": [record_id], "reason": "x"},
         {"case_worker", "verifier"}, 422),  # its only record: refused, but not for the role
        ("POST", f"{case}/merge", {"other_case_number": world.partner_child_number,
                                   "keep_case_number": "HW-1999-000999", "reason": "x"},
         {"case_worker", "verifier"}, 404),
    ]  # fmt: skip
    for role in ("admin", "case_worker", "verifier", "analyst", "partner", "auditor"):
        headers = bearer(api_token(world, role))
        for method, path, body, allowed, status in routes:
            answer = app_client.request(method, path, json=body, headers=headers)
            expected = status if role in allowed else 403
            if role == "partner" and method == "GET":
                expected = 404  # another organisation's case, as if there were none
            assert answer.status_code == expected, (role, path, answer.text)
            if role not in ("case_worker", "verifier"):
                assert REPORTER not in answer.text and REPORTER_CONTACT not in answer.text


def test_a_partner_never_reaches_another_organisations_case(
    app_client: TestClient, world: World
) -> None:
    record_id = case_of(world, world.child_number)["records"][0]
    partner = bearer(api_token(world, "partner"))
    for path in (f"/cases/{world.child_number}/records", f"/cases/{world.child_number}/matches",
                 f"/records/{record_id}"):  # fmt: skip
        answer = app_client.get(f"/api/v1{path}", headers=partner)
        assert answer.status_code == 404, path
        assert "Олександр" not in answer.text
    mine = app_client.get(f"/api/v1/cases/{world.partner_child_number}/records", headers=partner)
    assert mine.status_code == 200 and mine.json()["items"][0]["given_name"] == "Марія"
    sign_in(app_client, world, "partner")
    for path in (f"/cases/{world.child_number}", f"/cases/{world.child_number}/merged"):
        page = app_client.get(path)
        assert page.status_code == 404 and "Коваленко" not in page.text


# --- the Ukrainian of every reason the match model gives -----------------------------------

REASON_SOURCES = ("names/compare.py", "names/dates.py", "names/places.py",
                  "linkage/fields.py", "linkage/scoring.py")  # fmt: skip


def _templates(node: ast.expr) -> list[str]:
    """The texts a string expression can take, each value left as ``{}``; a
    conditional between two strings gives both."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if not isinstance(node, ast.JoinedStr):
        return []
    texts = [""]
    for part in node.values:
        choices = ["{}"]
        if isinstance(part, ast.Constant):
            choices = [str(part.value)]
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.IfExp):
            both = _templates(part.value.body) + _templates(part.value.orelse)
            choices = both if len(both) == 2 else choices
        texts = [t + c for t in texts for c in choices]
    return texts


def _assigned_to(node: ast.Assign) -> str:
    """``reason`` for ``reason = …``, ``reasons`` for ``reasons[i] = …``."""
    target = node.targets[0]
    if isinstance(target, ast.Subscript):
        target = target.value
    return target.id if isinstance(target, ast.Name) else ""


def _words_chosen(node: ast.Assign) -> list[str]:
    """``kind = "a common" if … else "a rare"``: both words."""
    if not isinstance(node.value, ast.IfExp):
        return []
    both = _templates(node.value.body) + _templates(node.value.orelse)
    return both if len(both) == 2 and all(both) and not any("{" in w for w in both) else []


def linkage_reasons() -> tuple[set[str], set[str]]:
    """Every reason the names layer and the match model write (values as ``{}``),
    and the words chosen between in them (``"a common" if … else "a rare"``)."""
    reasons: set[str] = set()
    words: set[str] = set()
    for name in REASON_SOURCES:
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Comparison":
                reasons.update(_templates(node.args[1]) if len(node.args) > 1 else [])
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "append":
                if getattr(getattr(node.func, "value", None), "id", "") == "reasons":
                    reasons.update(t for a in node.args for t in _templates(a))
            elif isinstance(node, ast.Assign):
                if _assigned_to(node) in ("SWAPPED", "reasons"):
                    reasons.update(_templates(node.value))
                words.update(_words_chosen(node))
            elif isinstance(node, ast.FunctionDef) and node.name.endswith("_reason"):
                returned = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)]
                for value in (v for v in returned if v is not None):
                    for part in ast.walk(value):
                        if isinstance(part, ast.JoinedStr):
                            reasons.update(_templates(part))
                        elif isinstance(part, ast.Tuple):
                            reasons.update(t for e in part.elts for t in _templates(e))
            elif isinstance(node, ast.FunctionDef) and node.name.startswith("compare"):
                for part in ast.walk(node):  # the reason a comparison builds before giving it
                    if isinstance(part, ast.Assign) and _assigned_to(part) == "reason":
                        reasons.update(_templates(part.value))
    return reasons, words


LATIN = re.compile(r"[A-Za-z]")


def test_every_reason_the_linkage_gives_has_its_ukrainian() -> None:
    from homeward.names import compare, places

    reasons, words = linkage_reasons()
    assert len(reasons) > 50  # the scan sees the reasons, not nothing
    missing = sorted(r for r in reasons if reason_template(r) is None)
    assert not missing, f"no Ukrainian template in messages/cases.py for: {missing}"
    for reason in reasons:  # every value a Cyrillic word: no English may be left
        sample = reason.replace("{}", "Київ")
        assert not LATIN.search(reason_in_ukrainian(sample)), (reason, reason_in_ukrainian(sample))
    kinds = {*compare._ROLE_TEXT.values(), *places._KIND_NOUNS.values(), "region"}
    needed = words | kinds | set(places._QUALIFIER_ORDER) | {f.label for f in FIELDS}
    assert not sorted(needed - REASON_WORDS.keys())
    assert reason_in_ukrainian("same village (Вишневе), Latin spelling, one letter differs") == (
        "те саме село (Вишневе), латинське написання, відрізняється одна літера"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"given_name": "Олександр", "family_name": "Коваленко", "birth_date": "04.03.2012",
          "birth_place": "Бахмут", "mother_name": "Коваленко Олена Петрівна", "sex": "m"},
         {"full_name": "KOVALENKO Aleksandr", "birth_date": "2012-04-03", "sex": "f",
          "birth_place": "Артемовск, Донецкая обл.", "mother_name": "Коваленко Елена"}),
        ({"given_name": "Ганна", "family_name": "Петренко", "patronymic": "Іванівна"},
         {"given_name": "Петренко", "family_name": "Ганна", "patronymic": "Ивановна",
          "birth_date": "2010"}),
    ],
)  # fmt: skip
def test_scored_pairs_read_wholly_in_ukrainian(a: dict[str, str], b: dict[str, str]) -> None:
    for field in score_pair(default_model(), a, b).fields:
        shown = reason_in_ukrainian(field.reason)
        without_values = shown
        for value in (field.value_a, field.value_b, "Aleksandr", "KOVALENKO"):
            without_values = without_values.replace(value, "") if value else without_values
        assert not LATIN.search(without_values), (field.reason, shown)
        assert not LATIN.search(reason_in_ukrainian(field.label))


def test_the_case_page_shows_the_case_s_audit_history(app_client: TestClient, world: World) -> None:
    """Who changed the case and who opened it, newest first, without the values."""
    sign_in(app_client, world, "verifier")
    app_client.get(f"/cases/{world.child_number}")  # an opening, written to the trail
    page = app_client.get(f"/cases/{world.child_number}").text
    history = page.split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "verifier · children.view · children" in history  # the earlier opening
    assert "case.open:insert · children" in history
    assert "record.link:update · records" in history or ":insert · records" in history
    assert REPORTER_CONTACT not in history
    assert history.index("children.view") < history.index("case.open:insert")
