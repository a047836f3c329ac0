"""What the public does in a real browser without signing in, in Ukrainian and in
English: reads the figures (small counts hidden, no child named, the time they
were counted), and sends a report about a child, ending with a reference."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from homeward.domain.model import Category, SourceKind
from homeward.storage.tables import RecordRow, SourceRow
from homeward.web.i18n import Translator
from tests.browser.conftest import OpenBrowser, World
from tests.factories import make_child
from tests.web.conftest import REPORTER, REPORTER_CONTACT

pytestmark = pytest.mark.browser

KHERSON = [("Ярема", "Гнатюк"), ("Зиновій", "Оліфіренко"), ("Северин", "Кобилянчук"),
           ("Мирослава", "Дзюбенко"), ("Устина", "Ґерета"), ("Орест", "Кривохижа")]  # fmt: skip
"""Six deported children from Kherson oblast, with names found nowhere else."""
KHARKIV = [("Богдана", "Їжакевич"), ("Любомир", "Цвях"), ("Ростислава", "Щербанюк"),
           ("Всеволод", "Ґудзь"), ("Злата", "Шпичак")]  # fmt: skip
"""Five missing children from Kharkiv oblast."""
WORLD_NAMES = ["Коваленко", "Олександр", "Шевченко", "Марія", REPORTER, REPORTER_CONTACT]
CHILD = {"family_name": "Тихолаз", "given_name": "Ярополк", "birth_date": "03.05.2013"}
"""The child of the public report: wherever the name shows up afterwards, it leaked."""


def row_of(page: Page, section: str, group: str) -> Locator:
    """The count of ``group`` in the table of the figures' section ``section``."""
    table = page.locator(f"section[aria-labelledby='sec-{section}'] table.stat-table")
    header = table.locator("tbody th").filter(has_text=re.compile(f"^{re.escape(group)}$"))
    return header.locator("xpath=following-sibling::td[1]")


def test_public_figures_without_signing_in(
    open_browser: OpenBrowser, language: str, world: World
) -> None:
    with world.registry.uow() as uow:
        for n, (given, family) in enumerate(KHERSON):
            born = {"birth_date": f"201{n}-02-03", "birth_place": "Херсон"}
            make_child(uow, given_name=given, family_name=family, mother_name="", **born)
        for n, (given, family) in enumerate(KHARKIV):
            born = {"birth_date": f"200{n + 5}-06-07", "birth_place": "Харків"}
            make_child(uow, category=Category.MISSING, given_name=given, family_name=family,
                       mother_name="", **born)  # fmt: skip
        uow.commit()
    person = open_browser(language)
    page, say = person.page, person.say
    tr = Translator(language)
    zone = ZoneInfo(world.settings.time_zone)
    before = datetime.now(UTC)
    # From the sign-in page, where a visitor lands, to the figures.
    page.goto(person.url("/signin"))
    page.get_by_role("link", name=say("Figures"), exact=True).click()
    after = datetime.now(UTC)
    expect(page).to_have_url(person.url("/public/statistics"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say("Children deported or forcibly transferred: the figures")
    )
    # The world's two children and the eleven above.
    expect(page.locator(".stat-total .figure")).to_have_text("13")
    expect(row_of(page, "status", tr.status("reported"))).to_have_text("13")
    expect(row_of(page, "category", tr.category("deported"))).to_have_text("7")
    expect(row_of(page, "category", tr.category("missing"))).to_have_text("6")
    expect(row_of(page, "category", tr.category("detained"))).to_have_text("0")
    # Two children from Donetsk oblast: a count under five is never shown.
    oblasts = page.locator("section[aria-labelledby='sec-oblast'] tbody tr")
    expect(oblasts).to_have_count(3)
    expect(oblasts.filter(has_text=re.compile("Донецьк|Donetsk")).locator("td")).to_have_text("<5")
    expect(page.locator("svg.chart")).to_have_count(3)
    # The time the figures were counted, in the reader's language.
    days = {format_date(t.astimezone(zone).date(), "medium", locale=language)
            for t in (before, after)}  # fmt: skip
    shown_as_of = page.locator("p.hint").first.inner_text()
    prefix = say("As of {when}.", when="@").split("@")[0]
    assert any(f"{prefix}{day}, " in shown_as_of for day in days), shown_as_of
    small = "Counts from 1 to 4 are shown as “{s}”, so that no child can be recognised from them."
    assert say(small, s="<5") in shown_as_of, shown_as_of
    # No child's name, nor anything of the people who reported them, anywhere on the page.
    text, html = page.locator("body").inner_text(), page.content()
    for name in [*WORLD_NAMES, *(n for pair in KHERSON + KHARKIV for n in pair)]:
        assert name not in text and name not in html, name
    person.shot("public-statistics")
    person.assert_clean()


def test_public_report_form_is_sent_and_thanked_with_a_reference(
    open_browser: OpenBrowser, language: str, world: World
) -> None:
    person = open_browser(language)
    page, say = person.page, person.say
    page.goto(person.url("/public/statistics"))
    page.get_by_role("navigation", name=say("Public pages")).get_by_role(
        "link", name=say("Report a child")
    ).click()
    expect(page).to_have_url(person.url("/report"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say("Report a missing or deported child")
    )
    page.get_by_label(say("Family name"), exact=True).fill(CHILD["family_name"])
    page.get_by_label(say("Given name"), exact=True).fill(CHILD["given_name"])
    page.get_by_label(say("Date of birth"), exact=True).fill(CHILD["birth_date"])
    page.get_by_label(say("Sex"), exact=True).select_option(label=say("Boy"))
    page.get_by_label(say("Where the child was taken from"), exact=True).fill(
        "Олешки, Херсонська область"
    )
    page.get_by_label(say("When the child was taken"), exact=True).fill("2022-10")
    page.get_by_label(say("What happened"), exact=True).fill(
        "Забрали з інтернату разом із класом; вчителям сказали, що це відпочинок."
    )
    page.get_by_label(say("Last known location"), exact=True).fill("Анапа, табір «Ласточка»")
    page.get_by_label(say("Your name"), exact=True).fill("Тихолаз Оксана")
    page.get_by_label(say("Your relationship to the child"), exact=True).select_option(
        label=say("Mother")
    )
    page.get_by_label(say("How to reach you"), exact=True).fill("+380 97 765 43 21")
    person.shot("public-report")
    # Sent without consent: the form says what is missing and keeps what was typed.
    send = page.get_by_role("button", name=say("Send the report"))
    send.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(say("Please correct the form"))
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_contain_text(say("Consent"))
    person.answered_on_purpose(422)
    expect(page.get_by_label(say("Given name"), exact=True)).to_have_value(CHILD["given_name"])
    page.get_by_label(say("I agree, and I report what I know to be true.")).check()
    send.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Thank you"))
    reference = page.locator("p.reference")
    expect(reference).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    # The page gives nothing back of what was sent.
    body = page.locator("body").inner_text()
    assert CHILD["family_name"] not in body and "765 43 21" not in body
    # The report waits for a case worker under that reference.
    with world.registry.uow(write=False) as uow:
        [record] = uow.session.scalars(
            select(RecordRow)
            .join(SourceRow, RecordRow.source_id == SourceRow.id)
            .where(SourceRow.kind == SourceKind.PUBLIC_REPORT.value)
        ).all()
    assert record.external_id == reference.inner_text()
    assert (record.family_name, record.given_name) == (CHILD["family_name"], CHILD["given_name"])
    assert record.child_id is None
    person.assert_clean()
