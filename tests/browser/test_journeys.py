"""Each user's main journey at 320 px wide, with the keyboard only, axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pathway.demo import DEMO_PASSWORD
from tests.browser.conftest import (
    assert_table_fits,
    focused,
    press_enter_and_wait,
    sign_in_with_keyboard,
    tab_to,
)
from tests.helpers import PageClient

pytestmark = pytest.mark.browser


@pytest.fixture
def jordan_seen_by_adviser(browser_app) -> None:
    """Dan Fletcher opens Jordan's record (over HTTP, outside the browser), so the young person's
    "who has seen my record" list has staff in it whichever test ran first."""
    from pathway.extensions import db
    from pathway.models import YoungPerson

    with browser_app.app_context():
        jordan_id = db.session.scalar(select(YoungPerson.id).where(YoungPerson.email == "jordan@northshire.example"))
    client = PageClient(browser_app)
    assert client.sign_in("adviser@northshire.example", DEMO_PASSWORD).status == 303
    assert client.get(f"/young-people/{jordan_id}").h1 == "Jo Taylor"


def open_menu(page: Page) -> None:
    """At 320 px the service navigation folds behind a "Menu" button: open it with the keyboard."""
    tab_to(page, "Menu")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-service-navigation__toggle")).to_have_attribute("aria-expanded", "true")


def test_young_person_signs_in_sees_who_has_seen_their_record_and_signs_out(
    page: Page, checked, jordan_seen_by_adviser
):
    page.goto("/")
    checked(page)
    expect(page.locator("h1")).to_have_text("Northshire Council leaving care support")

    # The skip link is the first thing the keyboard reaches, and it moves focus to the content.
    page.keyboard.press("Tab")
    first = focused(page)
    assert "govuk-skip-link" in first["classes"], first
    assert first["text"] == "Skip to main content" and first["href"] == "#main-content", first
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    tab_to(page, "Sign in")
    press_enter_and_wait(page, "**/sign-in")
    checked(page)
    expect(page).to_have_title(re.compile(r"^Sign in – Pathway"))

    tab_to(page, "#email")
    page.keyboard.type("jordan@northshire.example")
    tab_to(page, "#password")
    page.keyboard.type(DEMO_PASSWORD)
    press_enter_and_wait(page, "**/me")
    checked(page)
    expect(page.locator("h1")).to_have_text("Hello Jo")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Dan Fletcher")

    tab_to(page, "See which staff have looked at your record")
    press_enter_and_wait(page, "**/me/who-has-seen-my-record")
    checked(page)
    expect(page.locator("h1")).to_have_text("Who has seen your record")
    expect(page.locator("#access-log")).to_contain_text("Dan Fletcher")
    expect(page.locator("#access-log")).to_contain_text("Looked at your record")

    open_menu(page)
    tab_to(page, "Sign out")
    press_enter_and_wait(page, "**/sign-in")
    checked(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")

    # The session is over on the server too.
    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)me$"))
    checked(page)


def test_adviser_finds_a_young_person_on_their_caseload(page: Page, checked):
    sign_in_with_keyboard(page, "adviser@northshire.example", DEMO_PASSWORD, lands_on="**/caseload", check=checked)
    checked(page)
    expect(page.locator("h1")).to_have_text("Your caseload")
    table = page.locator("#caseload table")
    expect(table).to_contain_text("Jo Taylor")
    expect(table.locator("caption")).to_have_text("10 young people")
    assert_table_fits(page, "Worklist")

    # htmx filters the table as the adviser types.
    tab_to(page, "#q")
    page.keyboard.type("jo")
    expect(table.locator("caption")).to_contain_text("matching")
    expect(table.locator("tbody tr")).to_have_count(1)
    assert focused(page)["id"] == "q", "typing must not lose the focus when the table is swapped"
    assert page.url.endswith("/caseload"), "the search must not change the address"
    checked(page)

    tab_to(page, "Jo Taylor")
    press_enter_and_wait(page, re.compile(r"/young-people/\d+$"))
    checked(page)
    expect(page.locator("h1")).to_have_text("Jo Taylor")
    expect(page.locator("main")).to_contain_text("Jordan Taylor")  # the legal name, on the record


def test_manager_opens_a_record_from_their_team_and_sees_who_has_looked_at_it(page: Page, checked):
    sign_in_with_keyboard(page, "manager@northshire.example", DEMO_PASSWORD, lands_on="**/manager", check=checked)
    checked(page)
    expect(page.locator("h1")).to_have_text("Overdue visits and risk flags")
    page.goto("/teams")  # Caseloads, in the menu
    checked(page)
    expect(page.locator("h1")).to_have_text("Your teams")
    expect(page.get_by_role("heading", name="Leaving Care Team North", level=2)).to_be_visible()

    tab_to(page, re.compile(r"^Dan Fletcher's young people \(\d+\)$"))
    page.keyboard.press("Enter")
    details = page.locator("details", has_text="Dan Fletcher's young people")
    expect(details).to_have_attribute("open", "")
    checked(page)

    tab_to(page, "Jo Taylor")
    press_enter_and_wait(page, re.compile(r"/young-people/\d+$"))
    checked(page)
    expect(page.locator("h1")).to_have_text("Jo Taylor")
    assert_table_fits(page, "Personal adviser history")

    tab_to(page, "Who has looked at this record")
    press_enter_and_wait(page, re.compile(r"/young-people/\d+/access-log$"))
    checked(page)
    expect(page.locator("h1")).to_have_text("Who has looked at Jo Taylor's record")
    # The manager's own look at the record a moment ago is listed (newest first, after this list).
    assert_table_fits(page, "Record access")
    rows = page.locator("#access-log tbody tr")
    expect(rows.first).to_contain_text("Looked at this list")
    expect(rows.filter(has_text="Helen Carter").filter(has_text="Looked at the record").first).to_be_visible()


def test_admin_reaches_staff_and_teams(page: Page, checked):
    sign_in_with_keyboard(page, "admin@northshire.example", DEMO_PASSWORD, lands_on="**/admin", check=checked)
    checked(page)
    expect(page.locator("h1")).to_have_text("Administration")

    tab_to(page, "Manage staff")
    press_enter_and_wait(page, "**/admin/users")
    checked(page)
    expect(page.locator("h1")).to_have_text("Staff users")
    staff = page.locator("main table")
    for name in ("Alex Morgan", "Helen Carter", "Dan Fletcher", "Sam Okafor", "Priya Shah", "Chris Dunn"):
        expect(staff).to_contain_text(name)
    expect(staff).not_to_contain_text("Jo Taylor")  # young people are not staff
    expect(staff.locator("tr", has_text="Chris Dunn")).to_contain_text("Deactivated")
    # Names wrap between words, never inside one (a narrow column once read "Fletch|er").
    link = staff.get_by_role("link", name="Dan Fletcher")
    assert link.evaluate("el => el.getClientRects().length") <= 2

    open_menu(page)
    tab_to(page, "Teams")
    press_enter_and_wait(page, "**/admin/teams")
    checked(page)
    expect(page.locator("h1")).to_have_text("Teams")
    expect(page.locator("main table")).to_contain_text("Leaving Care Team North")
    expect(page.locator("main table")).to_contain_text("Helen Carter")
    assert_table_fits(page, "Teams")
