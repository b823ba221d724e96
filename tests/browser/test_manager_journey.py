"""Issue 6's journey in a real browser at 320 px, axe-core on every page; then every manager page at 1280 px.

The manager signs in to the overdue list, sees a young person whose post-move visit is overdue, opens
their record, reallocates them to another personal adviser with a handover note; the new adviser signs
in, sees "Read the handover note" on their worklist, and the note is the first thing on the record.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import MANAGER, click_and_land, sign_in

pytestmark = pytest.mark.browser

ADVISER_EMAILS = {
    "Dan Fletcher": "adviser@northshire.example",
    "Sam Okafor": "sam.okafor@northshire.example",
    "Priya Shah": "priya.shah@northshire.example",
}
NOTE = "Moved into Harbour Lodge two weeks ago and has not been visited.\nPlease visit this week: she likes mornings."


def test_manager_sees_an_overdue_post_move_visit_and_reallocates_with_a_handover_note(page: Page, new_page, checked):
    sign_in(page, checked, MANAGER, lands_on="**/manager")
    expect(page.locator("h1")).to_have_text("Overdue visits and risk flags")

    # The overdue post-move visit, through the filters (a plain GET form; htmx swaps the list in place).
    page.get_by_label("Type of flag").select_option("post_move_visit")
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=post_move_visit"))
    checked(page)
    row = page.locator('tr.app-overdue-row[data-kind="post_move_visit"]').first
    expect(row).to_contain_text("Visit within 7 days of the move")
    expect(row).to_contain_text("overdue")
    name = row.locator("th a").first.inner_text().strip()
    person_id = row.get_attribute("data-person")

    click_and_land(page, checked, row.get_by_role("link", name=name), f"**/young-people/{person_id}")
    expect(page.locator("h1")).to_have_text(name)
    current = page.locator("#pa-history, table").filter(has_text="Now").first.inner_text()

    click_and_land(page, checked, page.locator("#open-reallocate"), f"**/young-people/{person_id}/reallocate")
    expect(page.locator("h1")).to_have_text("Reallocate to another personal adviser")
    # Nothing chosen: a GOV.UK error, nothing saved.
    page.get_by_role("button", name="Reallocate").click()
    page.wait_for_load_state("load")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select their new personal adviser")
    checked(page)

    new_adviser = next(n for n in ADVISER_EMAILS if n not in current)
    page.get_by_label(new_adviser).check()
    page.get_by_label("Why they are being reallocated").fill("Dan is over caseload; Priya works near Harbour Lodge")
    page.get_by_label("Handover note (optional)").fill(NOTE)
    click_and_land(page, checked, page.get_by_role("button", name="Reallocate"), f"**/young-people/{person_id}")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"is now allocated to {new_adviser}")

    # The new adviser, on their own phone: the worklist points at the note, and the note comes first.
    page = new_page()
    sign_in(page, checked, ADVISER_EMAILS[new_adviser], lands_on="**/caseload")
    row = page.locator(f"#worklist-{person_id}")
    expect(row).to_contain_text("Read the handover note")
    click_and_land(page, checked, row.get_by_role("link", name=re.compile("Read the handover note")),
                   re.compile(rf"/young-people/{person_id}#handover-note$"))
    banner = page.locator("#handover")
    expect(banner).to_contain_text("Handover note")
    expect(banner).to_contain_text("From Helen Carter")
    expect(page.locator("#handover-note")).to_have_text(NOTE)
    assert banner.bounding_box()["y"] < page.locator("#category").bounding_box()["y"]


MANAGER_PAGES = [
    "/manager", "/manager?overdue=1", "/manager/indicators", "/manager/indicators/in-touch", "/teams",
    "/manager/sign-off", "/manager/supervision", "/manager/care-leaver-return", "/manager/offer-reach",
    "/manager/service-summary",
]


@pytest.mark.parametrize("width", [320, 1280])
def test_every_manager_page_passes_axe(page: Page, checked, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, checked, MANAGER, lands_on="**/manager")
    for url in MANAGER_PAGES:
        page.goto(url)
        checked(page)
        expect(page.locator("h1")).to_be_visible()
    # The pages one click away: an adviser's caseload, a record's timeline, and the forms.
    page.goto("/teams")
    click_and_land(page, checked, page.locator("main a[href^='/manager/advisers/']").first,
                   re.compile(r"/manager/advisers/\d+$"))
    person = page.locator("main a[href^='/young-people/']").first.get_attribute("href")
    for suffix in ("", "/timeline", "/reallocate"):
        url = person + suffix if suffix != "/reallocate" else person.replace("/young-people/", "/manager/young-people/") + "/reallocate"
        page.goto(url)
        checked(page)
    page.goto(person.replace("/young-people/", "/manager/young-people/") + "/oversight")
    checked(page)
    page.goto("/manager/supervision")
    click_and_land(page, checked, page.locator("main a[href$='/supervision']").first,
                   re.compile(r"/manager/advisers/\d+/supervision$"))
