"""Steps shared by the browser journeys: demo sign-ins, and clicking through to the next page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pathway.demo import DEMO_PASSWORD
from tests.browser.conftest import enter_two_factor_code

ADVISER = "adviser@northshire.example"
MANAGER = "manager@northshire.example"
JO = "jordan@northshire.example"

# Set a marker on the page, then check it is still there: proof that htmx updated in place.
NO_RELOAD = "() => { window.__stillThisPage = true; }"
STILL_SAME_PAGE = "() => window.__stillThisPage === true"


def sign_in(page: Page, checked, email: str, *, lands_on: str | re.Pattern) -> None:
    page.goto("/sign-in")
    checked(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_two_factor_code(page, email, check=checked)  # staff: the 6-digit code from their app
    page.wait_for_url(lands_on)
    checked(page)


def click_and_land(page: Page, checked, locator, url: str | re.Pattern) -> None:
    """Click, wait for the page at `url`, check it. If the form came back instead, say why."""
    locator.click()
    try:
        page.wait_for_url(url, timeout=10_000)
    except PlaywrightTimeoutError:
        errors = page.locator(".govuk-error-summary, .govuk-error-message").all_inner_texts()
        pytest.fail(f"expected {url}, still on {page.url}; errors shown: {errors}", pytrace=False)
    checked(page)


def open_from_menu(page: Page, checked, name: str, url: str | re.Pattern) -> None:
    """Follow a link in the service navigation, opening the "Menu" first on a narrow screen."""
    toggle = page.locator(".govuk-service-navigation__toggle")
    if toggle.is_visible():
        toggle.click()
    click_and_land(page, checked, page.locator(".govuk-service-navigation__list").get_by_role("link", name=name), url)
