"""Nothing typed into a plan is lost to a session time-out (issue 3, section 3).

The app serves the browser from a thread of this process, so time-machine moves the server's clock:
the adviser types, the clock jumps past the 30-minute idle limit, they press Save, sign in again and
find what they typed waiting in the same form. The clock is moved only inside each test (a context
manager), so no other test sees it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pathway.demo import DEMO_PASSWORD
from tests.browser.conftest import enter_two_factor_code

pytestmark = pytest.mark.browser

ADVISER = "adviser@northshire.example"
IDLE_TOO_LONG = timedelta(minutes=31)  # SESSION_IDLE_MINUTES is 30

LONG_TEXT = (
    "You told me on Tuesday that the bursary is not stretching to the end of the month, mostly because "
    "the bus to college went up to £3.20 a day. We worked out together that a termly bus pass would save "
    "you about £90 a term, and you want to ask college whether the hardship fund can pay for it.\n\n"
    "You are paying £10 a month towards your phone contract and would like to switch to a SIM-only deal "
    "when it ends in June. You have not got a bank overdraft and you want to keep it that way."
)


@pytest.fixture(scope="module")
def draft_plan(browser_app) -> int:
    """A first plan, just started, for a young person of Dan's who had none: the last of them
    (test_plan_journey's first-plan test takes the first). Returns the young person's id."""
    from pathway.extensions import db
    from pathway.models import Allocation, PathwayPlan, User, YoungPerson
    from pathway.services import plans as plan_service

    with browser_app.app_context():
        dan = db.session.scalar(select(User).where(User.email == ADVISER))
        person = db.session.scalars(
            select(YoungPerson)
            .join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
            .where(Allocation.adviser_id == dan.id,
                   ~select(PathwayPlan.id).where(PathwayPlan.young_person_id == YoungPerson.id).exists())
            .order_by(YoungPerson.id.desc())
        ).first()
        assert person is not None, "the demo should give Dan young people without a plan"
        plan_service.start_plan(person, by=dan, today=date.today())
        return person.id


def sign_in(page: Page, checked) -> None:
    page.goto("/sign-in")
    checked(page)
    page.get_by_label("Email address").fill(ADVISER)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_two_factor_code(page, ADVISER)


def expect_sign_in_with_the_promise(page: Page, checked) -> None:
    page.wait_for_url(re.compile(r"/sign-in(\?.*)?$"))
    checked(page)
    expect(page.locator("h1")).to_have_text("Sign in to Pathway")
    expect(page.locator("main")).to_contain_text("You were signed out because you had not done anything for a while")
    expect(page.locator("main")).to_contain_text("we will bring back what you typed")


def sign_in_again(page: Page) -> None:
    """On the sign-in page the time-out led to."""
    page.get_by_label("Email address").fill(ADVISER)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_two_factor_code(page, ADVISER)


def test_text_typed_in_place_before_the_session_expired_is_there_after_signing_in_again(
        page: Page, checked, draft_plan):
    person_id = draft_plan
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(page, checked)
        page.wait_for_url("**/caseload")
        checked(page)
        page.goto(f"/young-people/{person_id}/plan")
        checked(page)

        # The form opens in place (htmx); they type for a long time, then press Save.
        page.get_by_role("link", name="Change how things are now: Financial support", exact=True).click()
        box = page.locator("#area-finance-situation textarea")
        expect(box).to_be_visible()
        box.fill(LONG_TEXT)
        checked(page)
        traveller.shift(IDLE_TOO_LONG)
        page.locator("#area-finance-form").get_by_role("button", name="Save").click()

        # The htmx save is answered with a redirect to sign in; the typed text is kept on the server.
        expect_sign_in_with_the_promise(page, checked)
        sign_in_again(page)

        # Back on the same form (its own page now), filled in as they left it.
        page.wait_for_url(re.compile(rf"/young-people/{person_id}/plan/areas/finance\?restore=\d+$"))
        checked(page)
        expect(page.locator("main")).to_contain_text("We have brought back what you typed before you were signed out")
        expect(page.get_by_label("How things are now: Financial support")).to_have_value(LONG_TEXT)
        page.get_by_role("button", name="Save").click()

        page.wait_for_url(re.compile(rf"/young-people/{person_id}/plan(#area-finance)?$"))
        checked(page)
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been saved")
        saved = page.locator("#area-finance-situation p").first
        assert saved.inner_text() == LONG_TEXT
        expect(page.locator("#plan-quality")).not_to_contain_text("Describe the current situation for Financial support")


def test_a_target_typed_on_its_own_page_before_the_session_expired_is_there_after_signing_in_again(
        page: Page, checked, draft_plan):
    person_id = draft_plan
    what = "Ask college whether the hardship fund will pay for a termly bus pass"
    how = "You have the bus pass, or a letter from college saying why not"
    due = date.today() + timedelta(days=21)
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(page, checked)
        page.wait_for_url("**/caseload")
        page.goto(f"/young-people/{person_id}/plan/targets/new?area=finance")
        checked(page)
        page.get_by_label("What will happen", exact=True).fill(what)
        page.get_by_label("The young person", exact=True).check()
        page.get_by_label("Day", exact=True).fill(str(due.day))
        page.get_by_label("Month", exact=True).fill(str(due.month))
        page.get_by_label("Year", exact=True).fill(str(due.year))
        page.get_by_label("How we will know it is done", exact=True).fill(how)
        page.get_by_label("In progress", exact=True).check()
        traveller.shift(IDLE_TOO_LONG)
        page.get_by_role("button", name="Save target").click()

        expect_sign_in_with_the_promise(page, checked)
        sign_in_again(page)

        page.wait_for_url(re.compile(rf"/young-people/{person_id}/plan/targets/new\?restore=\d+$"))
        checked(page)
        expect(page.get_by_label("Plan area")).to_have_value("finance")
        expect(page.get_by_label("What will happen", exact=True)).to_have_value(what)
        expect(page.get_by_label("The young person", exact=True)).to_be_checked()
        expect(page.get_by_label("Day", exact=True)).to_have_value(str(due.day))
        expect(page.get_by_label("Month", exact=True)).to_have_value(str(due.month))
        expect(page.get_by_label("Year", exact=True)).to_have_value(str(due.year))
        expect(page.get_by_label("How we will know it is done", exact=True)).to_have_value(how)
        expect(page.get_by_label("In progress", exact=True)).to_be_checked()
        page.get_by_role("button", name="Save target").click()

        page.wait_for_url(re.compile(rf"/young-people/{person_id}/plan(#area-finance)?$"))
        checked(page)
        target = page.locator("#area-finance .govuk-summary-card", has_text=what)
        expect(target).to_contain_text(how)
        expect(target).to_contain_text("In progress")
        expect(target).to_contain_text(f"{due.day} {due:%B %Y}")
