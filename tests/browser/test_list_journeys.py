"""What verifiers and case workers do in a real browser with a case's status and
with a handover list, in Ukrainian and in English: a case moved to verified from
its page; a list composed, refused to its own author, approved by a second
verifier, frozen, downloaded as PDF, delivered, answered and reconciled."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Locator, Page, expect

from homeward.domain.roles import Role
from homeward.services import accounts
from tests.browser.conftest import PASSWORD, OpenBrowser, World

pytestmark = pytest.mark.browser

SECOND_VERIFIER = "verifier2"
BOY = "Коваленко Олександр Сергійович"
"""The world's child as a list writes him: his mother asked for his return."""
GIRL = "Шевченко Марія"
"""The partner's child: nobody asked for her return, so the list flags her."""


@pytest.fixture
def second_verifier(world: World) -> str:
    """Another member of the verification commission, with an authenticator."""
    secret = pyotp.random_base32()
    with world.registry.uow() as uow:
        accounts.create_user(
            uow,
            username=SECOND_VERIFIER,
            display_name="Second verifier",
            role=Role.VERIFIER,
            password=PASSWORD,
            totp_secret=secret,
        )
        uow.commit()
    world.secrets[SECOND_VERIFIER] = secret
    return SECOND_VERIFIER


def fact(page: Page, term: str) -> Locator:
    """The value beside ``term`` in the page's first list of facts."""
    dt = page.locator("dl.facts").first.locator("dt").filter(has_text=re.compile(f"^{term}$"))
    return dt.locator("xpath=following-sibling::dd[1]")


def days_ago(n: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=n)).isoformat()


def test_a_verifier_moves_a_case_to_verified_from_its_page(
    open_browser: OpenBrowser, language: str
) -> None:
    person = open_browser(language)
    page, say, status = person.page, person.say, person.status
    number = person.world.child_number
    person.sign_in("verifier", next_path=f"/cases/{number}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(fact(page, say("Status"))).to_have_text(status("reported"))
    move = page.get_by_label(say("New status"))
    # Verified is not offered yet: a reported case is put under verification first.
    verified = re.compile(f"^{status('verified')}$")
    expect(move.locator("option").filter(has_text=verified)).to_have_count(0)
    for target, reason in (
        ("under_verification", "documents requested from the mother"),
        ("verified", "birth certificate and the mother's statement checked"),
    ):
        move.select_option(label=status(target))
        page.get_by_label(say("Reason"), exact=True).fill(reason)
        page.get_by_role("button", name=say("Move"), exact=True).click()
        expect(fact(page, say("Status"))).to_have_text(status(target))
    expect(page).to_have_url(person.url(f"/cases/{number}"))
    # The history keeps both moves, with who and why, the last one last.
    history = page.get_by_role("heading", name=say("Status history")).locator(
        "xpath=following-sibling::ol[1]/li"
    )
    expect(history.last).to_contain_text(
        f"{status('under_verification')} → {status('verified')} · verifier · "
        "birth certificate and the mother's statement checked"
    )
    expect(history.nth(-2)).to_contain_text(
        f"{status('reported')} → {status('under_verification')} · verifier · "
        "documents requested from the mother"
    )
    # From verified, the form offers what comes next, and verified no more.
    expect(move.locator("option").filter(has_text=verified)).to_have_count(0)
    expect(move.locator("option").filter(has_text=re.compile(status("located")))).not_to_have_count(
        0
    )
    person.assert_clean()


def test_a_handover_list_from_composing_to_the_reconciliation(
    open_browser: OpenBrowser, language: str, world: World, second_verifier: str
) -> None:
    boy, girl = world.child_number, world.partner_child_number

    # A verifier composes the list by hand and adds two children, each with a reason.
    author = open_browser(language)
    page, say = author.page, author.say
    author.sign_in("verifier", next_path="/lists")
    page.get_by_role("link", name=say("Compose a new list")).click()
    expect(page).to_have_url(author.url("/lists/new"))
    page.get_by_label(say("Title"), exact=True).fill("Round 3: Anapa camps")
    page.get_by_label(say("Purpose"), exact=True).fill("children seen in the Anapa camps")
    page.get_by_label(say("Channel"), exact=True).fill("mediator")
    page.get_by_label(say("Recipient"), exact=True).fill("Mediator's office")
    page.get_by_role("button", name=say("Compose the draft")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Round 3: Anapa camps")
    list_url = page.url
    assert re.search(r"/lists/\d+$", list_url), list_url
    expect(page.locator("main")).to_contain_text(say("No child is on this list yet."))
    adding = page.locator("form[action$='/entries/add']")
    for number, reason in (
        (boy, "his mother asked for his return"),
        (girl, "seen in the same camp in August"),
    ):
        adding.get_by_label(say("Case number to add")).fill(number)
        adding.get_by_label(say("Reason (kept with the change)")).fill(reason)
        adding.get_by_role("button", name=say("Add to the list")).click()
        expect(page.locator("table.entries")).to_contain_text(number)
    entries = page.locator("table.entries tbody tr")
    expect(entries).to_have_count(2)
    expect(entries.filter(has_text=boy)).to_contain_text(BOY)
    # Nobody asked for the girl's return: the list says so before anyone approves it.
    expect(entries.filter(has_text=girl)).to_contain_text(say("No requesting legal representative"))
    expect(page.locator("main")).to_contain_text("seen in the same camp in August")
    # Its author may not approve it: the page says who does, and offers no button.
    approve = page.locator("section[aria-labelledby='approve-title']")
    expect(approve).to_contain_text(say("You composed this list: another verifier approves it."))
    expect(approve.get_by_role("button")).to_have_count(0)

    # A second verifier approves it, knowing about the girl, and freezes it.
    approver = open_browser(language)
    page = approver.page
    approver.sign_in(second_verifier, next_path=list_url.removeprefix(approver.url("")))
    approve = page.locator("section[aria-labelledby='approve-title']")
    approve.get_by_label(
        say("Approve knowing that {n} entries have no requesting legal representative", n=1)
    ).check()
    approve.get_by_role("button", name=say("Approve version {n}", n=1)).click()
    expect(page.locator("main h2 .badge")).to_have_text(say("Approved"))
    expect(fact(page, say("Versions"))).to_contain_text(say("Approved"))
    page.get_by_role("button", name=say("Freeze version {n}", n=1)).click()
    expect(page.locator("main h2 .badge")).to_have_text(say("Frozen"))
    expect(page.locator("#sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator("table.entries tbody tr")).to_have_count(2)
    # The PDF in the reader's language, as the browser saves it.
    pdf_link = "PDF, українською" if language == "uk" else "PDF, English"
    with page.expect_download() as downloading:
        page.get_by_role("link", name=pdf_link).click()
    download = downloading.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 1000, content[:40]

    # A case worker records the delivery and the other side's answer.
    worker = open_browser(language)
    page = worker.page
    worker.sign_in("case_worker", next_path=list_url.removeprefix(worker.url("")))
    expect(page.locator("main")).to_contain_text(say("Not delivered yet."))
    delivery = page.locator("form[action$='/deliveries']")
    delivery.get_by_label(say("Day"), exact=True).fill(days_ago(4))
    expect(delivery.get_by_label(say("Recipient"), exact=True)).to_have_value("Mediator's office")
    delivery.get_by_label(say("Note"), exact=True).fill("handed over at the meeting in Istanbul")
    delivery.get_by_role("button", name=say("Record the delivery")).click()
    delivered = page.locator("#deliveries").locator("xpath=following-sibling::table[1]")
    expect(delivered).to_contain_text("handed over at the meeting in Istanbul")
    expect(delivered).to_contain_text("case_worker")
    answering = page.locator("form[action$='/answers']")
    entry = answering.get_by_label(say("Entry"), exact=True)
    entry.select_option(label=entry.locator("option").filter(has_text=boy).inner_text())
    answering.get_by_label(say("Answer"), exact=True).select_option(label=say("Located"))
    answering.get_by_label(say("Day of the answer")).fill(days_ago(1))
    answering.get_by_label(say("Source: who answered, through what")).fill("mediator's letter")
    answering.get_by_label(say("Details: where the child is, what they dispute")).fill(
        "Anapa, children's camp"
    )
    answering.get_by_role("button", name=say("Record the answer")).click()
    answered = page.locator("#answers").locator("xpath=following-sibling::table[1]")
    expect(answered.locator("tbody tr")).to_have_count(1)
    expect(answered).to_contain_text(boy)
    expect(answered).to_contain_text("Anapa, children's camp")
    expect(page.locator("table.entries tbody tr").filter(has_text=boy)).to_contain_text(
        say("Located")
    )
    worker.shot("list")

    # The reconciliation: one child located, one without any answer.
    page.get_by_role("link", name=say("Reconciliation: the answers to this version")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(say("Reconciliation"))
    by_answer = page.locator("#by-answer")
    expect(by_answer.locator("tr[data-answer='located'] td.number")).to_have_text("1")
    expect(by_answer.locator("tr[data-answer='no_answer'] td.number")).to_have_text("1")
    expect(by_answer.locator("tfoot .number")).to_have_text("2")
    expect(fact(page, say("Entries"))).to_have_text("2")
    expect(fact(page, say("Delivered"))).to_contain_text(say("{n} days ago", n=4))
    unanswered = page.locator("#unanswered")
    expect(unanswered).to_contain_text("(1)")
    expect(unanswered.locator("xpath=following-sibling::ul[1]")).to_contain_text(girl)
    worker.shot("list-reconciliation")
