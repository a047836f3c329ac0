"""Documents in a real browser, in Ukrainian and in English: a case worker adds
a birth certificate on the case page, opens its page and downloads it, and the
chain of custody shows who added, viewed and downloaded it; a verifier
verifies it, and the case's return checklist counts the certificate as met;
an analyst sees the checklist but no document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import SCREENSHOTS, Browsing, OpenBrowser

pytestmark = pytest.mark.browser

CERTIFICATE = b"%PDF-1.4\n% birth certificate I-KI 123456, scanned\n" + bytes(range(256)) * 8
CERTIFICATE_NAME = "svidotstvo-kovalenko.pdf"


def section_shot(person: Browsing, locator: Locator, name: str) -> None:
    """A screenshot of one part of a page, under the same rule as ``shot``
    (only with HOMEWARD_SCREENSHOTS, from the SQLite run in Ukrainian)."""
    if not SCREENSHOTS or person.backend != "sqlite" or person.language != "uk":
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(folder / f"{name}.png"))


def checklist_line(page: Page, label: str) -> Locator:
    return page.locator("table.checklist tbody tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )


def custody_actions(page: Page) -> Locator:
    return page.locator("table.custody tbody td.custody-action")


def test_a_birth_certificate_from_upload_to_verified(
    open_browser: OpenBrowser, language: str
) -> None:
    worker = open_browser(language)
    page, say = worker.page, worker.say
    number = worker.world.child_number
    worker.sign_in("case_worker", next_path=f"/cases/{number}")
    documents = page.locator("section.evidence")
    expect(documents.get_by_role("heading", name=f"{say('Documents')} (0)")).to_be_visible()
    birth = checklist_line(page, say("Birth certificate"))
    expect(birth).to_contain_text(say("Still missing"))

    # The case worker adds the scan from the case page.
    documents.get_by_label(say("File"), exact=True).set_input_files(
        files=[{"name": CERTIFICATE_NAME, "mimeType": "application/pdf", "buffer": CERTIFICATE}]
    )
    documents.get_by_label(say("What the document is")).select_option(
        label=say("Birth certificate")
    )
    documents.get_by_label(say("Description (optional)")).fill("issued in Mariupol in 2012")
    documents.get_by_role("button", name=say("Add the document")).click()
    expect(page).to_have_url(re.compile(rf"/cases/{number}\?added=\d+#documents$"))
    expect(documents.get_by_role("status")).to_contain_text(
        say("Added: {name}", name=CERTIFICATE_NAME)
    )
    row = documents.locator("table.documents tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(CERTIFICATE_NAME)
    expect(row).to_contain_text(say("Not verified"))
    expect(row).to_contain_text("case_worker")
    # Present now, but nobody has verified it: the checklist says so.
    expect(birth).to_contain_text(say("Present, not verified"))
    section_shot(worker, documents, "case-documents")
    section_shot(worker, page.locator("section.readiness"), "case-readiness")

    # Its own page: what it is, its hash, and the custody so far.
    documents.get_by_role("link", name=say("Open the document")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Birth certificate"))
    expect(page.locator("#sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(custody_actions(page)).to_have_text([say("Added"), say("Viewed")])
    document_url = page.url
    with page.expect_download() as downloading:
        page.get_by_role("link", name=say("Download the original")).click()
    download = downloading.value
    assert download.suggested_filename == CERTIFICATE_NAME
    assert Path(download.path()).read_bytes() == CERTIFICATE
    page.reload()
    expect(custody_actions(page)).to_have_text(
        [say("Added"), say("Viewed"), say("Downloaded the original"), say("Viewed")]
    )
    expect(page.get_by_role("button", name=say("Verify the document"))).to_have_count(0)
    worker.shot("document")

    # A verifier checks it against the paper and verifies it.
    verifier = open_browser(language)
    page = verifier.page
    verifier.sign_in("verifier", next_path=document_url.removeprefix(verifier.url("")))
    page.get_by_role("button", name=say("Verify the document")).click()
    expect(page).to_have_url(document_url)
    verification = page.locator("dl.facts").first
    expect(verification).to_contain_text(say("Verified"))
    expect(verification).to_contain_text("verifier")
    expect(custody_actions(page).nth(-2)).to_have_text(say("Verified"))
    expect(page.get_by_role("button", name=say("Verify the document"))).to_have_count(0)
    verifier.shot("document-verified")

    # Back on the case: the birth certificate line of the checklist is met.
    page.get_by_role("link", name=f"{say('Case')} {number}").click()
    expect(checklist_line(page, say("Birth certificate"))).to_contain_text(say("Met"))
    expect(page.locator("table.documents")).to_contain_text("verifier")
    expect(page.locator("p.verdict")).to_contain_text(say("Not ready for return"))


def test_an_analyst_sees_the_checklist_but_no_document(
    open_browser: OpenBrowser, language: str
) -> None:
    worker = open_browser(language)
    page, say = worker.page, worker.say
    number = worker.world.child_number
    worker.sign_in("case_worker", next_path=f"/cases/{number}")
    page.locator("section.evidence").get_by_label(say("File"), exact=True).set_input_files(
        files=[{"name": CERTIFICATE_NAME, "mimeType": "application/pdf", "buffer": CERTIFICATE}]
    )
    page.get_by_role("button", name=say("Add the document")).click()
    expect(page.locator("table.documents tbody tr")).to_have_count(1)
    # Who will travel: the mother, chosen from the case's relatives.
    form = page.locator("form.traveller-form")
    form.get_by_label(say("A relative of the case")).select_option(index=1)
    form.get_by_label(say("Travels as")).select_option(label=say("Legal representative"))
    form.get_by_role("button", name=say("Save who will travel")).click()
    expect(checklist_line(page, say("Who will travel"))).to_contain_text("Коваленко Олена Петрівна")
    expect(checklist_line(page, say("Who will travel"))).to_contain_text(say("Met"))

    analyst = open_browser(language)
    page = analyst.page
    analyst.sign_in("analyst", next_path=f"/cases/{number}")
    expect(page.get_by_role("heading", name=say("Return readiness"))).to_be_visible()
    expect(checklist_line(page, say("Birth certificate"))).to_contain_text(
        say("Present, not verified")
    )
    expect(checklist_line(page, say("Who will travel"))).to_contain_text(say("Met"))
    expect(page.locator("section.evidence")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(CERTIFICATE_NAME)
    expect(page.locator("form.traveller-form")).to_have_count(0)
