"""With JavaScript off the service still works: plain links, a GET search form, a visible menu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pathway.demo import DEMO_PASSWORD
from tests.browser.conftest import press_enter_and_wait, sign_in_with_keyboard, tab_to

pytestmark = pytest.mark.browser


def test_adviser_searches_their_caseload_without_javascript(new_page, checked):
    page = new_page(java_script_enabled=False)
    sign_in_with_keyboard(page, "adviser@northshire.example", DEMO_PASSWORD, lands_on="**/caseload", check=checked)
    checked(page)
    assert not page.evaluate("() => document.body.classList.contains('js-enabled')"), "JavaScript ran"
    expect(page.locator("h1")).to_have_text("Your caseload")
    # No "Menu" button without JavaScript: the navigation is simply there.
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    # The Sign out button looks like the navigation links beside it, not like plain text.
    link_colour = page.get_by_role("link", name="Account").evaluate("el => getComputedStyle(el).color")
    expect(sign_out).to_have_css("color", link_colour)

    tab_to(page, "#q")
    page.keyboard.type("jo")
    press_enter_and_wait(page, re.compile(r"/caseload\?q=jo$"))
    checked(page)
    table = page.locator("#caseload table")
    expect(table.locator("caption")).to_have_text("1 young person matching “jo”")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Jo Taylor")
    expect(page.locator("#q")).to_have_value("jo")

    tab_to(page, "Jo Taylor")
    press_enter_and_wait(page, re.compile(r"/young-people/\d+$"))
    checked(page)
    expect(page.locator("h1")).to_have_text("Jo Taylor")

    tab_to(page, "Sign out")
    press_enter_and_wait(page, "**/sign-in")
    checked(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
