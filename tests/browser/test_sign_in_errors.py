"""A wrong password: the GOV.UK error summary, an "Error:" title, and a link back to the field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import fill_sign_in_with_keyboard, focused, tab_to

pytestmark = pytest.mark.browser


def test_wrong_password_shows_the_error_summary(page: Page, checked):
    page.goto("/sign-in")
    checked(page)
    fill_sign_in_with_keyboard(page, "manager@northshire.example", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    checked(page)

    expect(page).to_have_title(re.compile(r"^Error: Sign in – "))
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(summary.locator(".govuk-error-summary__list")).to_have_text("Enter a correct email address and password")
    expect(page.locator("#email-error")).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    # GOV.UK Frontend moves focus to the summary, so a screen reader announces it first...
    assert "govuk-error-summary" in focused(page)["classes"]
    # ...and its link takes the keyboard to the field.
    tab_to(page, "Enter a correct email address and password")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "email"
    expect(page.locator("#email")).to_have_value("manager@northshire.example")
    expect(page.locator("#password")).to_have_value("")
