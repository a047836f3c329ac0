"""Every page that shows names and notes shows a hostile value as text: its
markup escaped, no element or handler of its own, the Content Security Policy
in place, and the value whole (not cut short)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from homeward.web.security import CONTENT_SECURITY_POLICY
from tests.hostile.conftest import FITS, Hostile, HostileWorld, fitting
from tests.hostile.html import assert_harmless, squeeze
from tests.hostile.values import LONG, PARAMS, fits_a_name, shown

Page = Callable[[HostileWorld, Hostile], tuple[str, str, str | None]]
"""``(user, path, text the page must show)`` for one hostile value."""


def _name(item: Hostile) -> str:
    return shown(item.value) if fits_a_name(item.value) else "Довгий"


def _search(world: HostileWorld, item: Hostile) -> tuple[str, str, str | None]:
    """The value typed into the search box finds its case (each value's case
    has a birth date of its own), and the results name it."""
    if not fits_a_name(item.value):  # the box reads 300 characters: only the query comes back
        return "case_worker", f"/search/results?q={quote(item.value)}", shown(item.value)
    query = f"{item.value} Олександр {item.birth_date}"
    found = f"{_name(item)} Олександр Сергійович · {item.case_number}"
    return "case_worker", f"/search/results?q={quote(query)}", found


def _public(item: Hostile) -> str | None:
    return shown(item.value) if item.public_record_id else None


PAGES: dict[str, Page] = {
    "case": lambda w, i: ("case_worker", f"/cases/{i.case_number}", shown(i.value)),
    "case_list": lambda w, i: ("case_worker", "/cases", _name(i)),
    "search": _search,
    "review_queue": lambda w, i: ("case_worker", "/review", None),
    "review_item": lambda w, i: ("case_worker", f"/review/{i.candidate_id}", _name(i)),
    "lists": lambda w, i: ("verifier", "/lists", shown(fitting(i.value, "title", "Список"))),
    "list": lambda w, i: ("verifier", f"/lists/{i.list_id}", shown(i.value)),
    "list_version": lambda w, i: ("verifier", f"/lists/{i.list_id}/versions/1", shown(i.value)),
    "reconciliation": lambda w, i: (
        "verifier",
        f"/lists/{i.list_id}/versions/1/reconciliation",
        shown(fitting(i.value, "title", "Список")),
    ),
    "import_quarantine": lambda w, i: (
        "case_worker",
        f"/imports/{w.import_id}/quarantine",
        None if "\x00" in i.value else squeeze(i.value),
    ),
    "import_entries": lambda w, i: (
        "case_worker",
        f"/imports/{w.import_id}/entries",
        shown(i.value) if fits_a_name(i.value) and "\x00" not in i.value else None,
    ),
    "audit_entry": lambda w, i: ("auditor", f"/audit/{i.audit_seq}", _name(i)),
    "triage_queue": lambda w, i: ("case_worker", "/triage", _public(i)),
    "triage_report": lambda w, i: (
        "case_worker",
        f"/triage/{i.public_record_id}",
        _public(i),
    ),
}


CASES = [
    pytest.param(param.values[0], page, id=f"{param.id}-{page}")
    for param in PARAMS
    for page in PAGES
    # the public form refuses a value this long (tested below): no report to open
    if not (page == "triage_report" and len(str(param.values[0])) > FITS["public"])
]


@pytest.mark.parametrize(("value", "page"), CASES)
def test_the_page_shows_the_value_as_text_and_runs_nothing_of_it(
    hostile: HostileWorld, clients: dict[str, TestClient], value: str, page: str
) -> None:
    item = next(i for i in hostile.items.values() if i.value == value)
    user, path, expected = PAGES[page](hostile, item)
    answer = clients[user].get(path)
    assert answer.status_code == 200, (path, answer.text[:500])
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert answer.headers["content-type"].startswith("text/html")
    found = assert_harmless(answer.text)
    if expected is not None:
        assert squeeze(expected) in found.text, (page, expected[:80])


def test_the_public_form_refuses_a_value_too_long_and_shows_it_back_as_text(
    hostile: HostileWorld, clients: dict[str, TestClient]
) -> None:
    anyone = clients["auditor"]
    form = anyone.get("/report")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = anyone.post("/report", data={
        "family_name": LONG, "given_name": '"><img src=x onerror=alert(1)>',
        "reporter_name": "Мати", "reporter_contact": "+380671112233", "consent": "yes",
        "csrf_token": token,
    })  # fmt: skip
    assert answer.status_code == 422
    found = assert_harmless(answer.text)
    assert f"Задовго: щонайбільше {FITS['public']} символів." in found.text
    assert '"><img src=x onerror=alert(1)>' in found.attributes
