"""Issue 3's journey in a real browser at 320 px, axe-core on every page.

The personal adviser reviews Jo's plan (a quality warning, then fixed), sends it; the manager returns
it with comments; the adviser fixes it and sends it again; the manager signs it off; Jo reads it on
her phone and downloads the PDF. And a first plan started for someone who has none, written in place.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from pathway.rules.plan_areas import PlanArea
from tests.browser.journey import ADVISER, JO, MANAGER, NO_RELOAD, STILL_SAME_PAGE, click_and_land, sign_in  # noqa: F401

pytestmark = pytest.mark.browser










def quality(page: Page):
    return page.locator("#plan-quality")


def title(area: str) -> str:
    return PlanArea(area).title


def change_in_place(page: Page, area: str, text: str) -> None:
    """Edit "How things are now" with htmx: the form opens inside the section, and saving swaps
    the section (and the quality panel) without leaving the page."""
    url = page.url
    page.evaluate(NO_RELOAD)
    page.get_by_role("link", name=f"Change how things are now: {title(area)}", exact=True).click()
    box = page.locator(f"#area-{area}-situation textarea")
    expect(box).to_be_visible()
    box.fill(text)
    page.locator(f"#area-{area}-form").get_by_role("button", name="Save").click()
    expect(page.locator(f"#area-{area} textarea")).to_have_count(0)
    expect(page.locator(f"#area-{area}-situation")).to_contain_text(text)
    assert page.url == url, "an in-place edit must not change the address"
    assert page.evaluate(STILL_SAME_PAGE), "the page was reloaded: the edit was not made in place"


def change_on_its_own_page(page: Page, checked, person_id: int, area: str, text: str) -> None:
    """The plain form page, as without JavaScript or from a link opened in a new tab."""
    page.goto(f"/young-people/{person_id}/plan/areas/{area}")
    checked(page)
    page.locator("textarea").fill(text)
    click_and_land(page, checked, page.get_by_role("button", name="Save"),
                   re.compile(rf"/young-people/{person_id}/plan(#area-{area})?$"))
    expect(page.locator(f"#area-{area}-situation")).to_contain_text(text)


def fill_date(page: Page, day: date) -> None:
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))


def add_target(page: Page, checked, person_id: int, area: str, *, what: str, how: str,
               who: str = "The young person", due: date) -> None:
    click_and_land(page, checked, page.get_by_role("link", name=f"Add a target for {title(area)}", exact=True),
                   re.compile(r"/plan/targets/new\?area="))
    expect(page.get_by_label("Plan area")).to_have_value(area)
    page.get_by_label("What will happen", exact=True).fill(what)
    page.get_by_label(who, exact=True).check()
    fill_date(page, due)
    page.get_by_label("How we will know it is done", exact=True).fill(how)
    click_and_land(page, checked, page.get_by_role("button", name="Save target"),
                   re.compile(rf"/young-people/{person_id}/plan(#area-{area})?$"))
    expect(page.locator(f"#area-{area}")).to_contain_text(what)


def add_contingency(page: Page, checked, person_id: int, area: str, *, wrong: str, do: str,
                    who: str) -> None:
    click_and_land(page, checked,
                   page.get_by_role("link", name=f"Add a contingency plan for {title(area)}", exact=True),
                   re.compile(r"/plan/contingencies/new\?area="))
    expect(page.get_by_label("Plan area")).to_have_value(area)
    page.get_by_label("What might go wrong", exact=True).fill(wrong)
    page.get_by_label("What we will do", exact=True).fill(do)
    page.get_by_label("Who will do it", exact=True).fill(who)
    click_and_land(page, checked, page.get_by_role("button", name="Save contingency plan"),
                   re.compile(rf"/young-people/{person_id}/plan(#area-{area})?$"))
    expect(page.locator(f"#area-{area}")).to_contain_text(f"If {wrong}")


def send_for_sign_off(page: Page, checked, person_id: int, *, ready: bool = True) -> None:
    click_and_land(page, checked, page.get_by_role("link", name="Send for sign-off"),
                   f"**/young-people/{person_id}/plan/submit")
    expect(page.locator("h1")).to_have_text("Send the plan for sign-off")
    if ready:
        expect(page.locator("#quality-ok")).to_be_visible()
        expect(page.locator("main")).to_contain_text("The plan is ready.")
    click_and_land(page, checked, page.get_by_role("button", name="Send for sign-off"),
                   re.compile(rf"/young-people/{person_id}/plan$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The plan has been sent to your manager for sign-off")
    expect(page.locator("#plan-details")).to_contain_text("Waiting for sign-off")


def decide(page: Page, checked, person_id: int, *, choice: str, comments: str = "") -> None:
    """The manager, from their sign-off queue: open the plan waiting for them and decide."""
    page.goto("/manager/sign-off")
    checked(page)
    waiting = page.locator("#sign-off-table")
    link = waiting.get_by_role("link", name="Jo Taylor")
    expect(link).to_be_visible()
    click_and_land(page, checked, link, f"**/young-people/{person_id}/plan/decision")
    expect(page.locator("h1")).to_have_text("Sign off the plan")
    page.get_by_label(choice, exact=True).check()
    if comments:
        page.get_by_label("Comments for the personal adviser").fill(comments)
    click_and_land(page, checked, page.get_by_role("button", name="Confirm"),
                   re.compile(rf"/young-people/{person_id}/plan$"))


@pytest.fixture
def jo_id(browser_app) -> int:
    from pathway.extensions import db
    from pathway.models import YoungPerson

    with browser_app.app_context():
        return db.session.scalar(select(YoungPerson.id).where(YoungPerson.email == JO))


def test_a_review_is_written_returned_fixed_signed_off_and_read_on_a_phone(new_page, checked, jo_id):
    today = date.today()
    plan_url = re.compile(rf"/young-people/{jo_id}/plan$")

    # --- a. Dan, Jo's personal adviser, starts a review of her signed-off plan. ---------------------
    dan = new_page()
    sign_in(dan, checked, ADVISER, lands_on="**/caseload")
    click_and_land(dan, checked, dan.locator("#caseload").get_by_role("link", name="Jo Taylor", exact=True),
                   f"**/young-people/{jo_id}")
    click_and_land(dan, checked, dan.locator("#open-plan"), plan_url)
    expect(dan.locator("#plan-details")).to_contain_text("Signed off")
    click_and_land(dan, checked, dan.get_by_role("button", name="Start a review"), plan_url)
    expect(dan.locator(".govuk-notification-banner--success")).to_contain_text(
        "The review has started from the current plan")
    details = dan.locator("#plan-details")
    expect(details).to_contain_text("3 (review)")
    expect(details).to_contain_text("Draft")
    # Everything came over, so nothing blocks sign-off; the only points are targets that ran over
    # since the last plan (the dentist, among others).
    expect(quality(dan).locator(".govuk-error-summary")).to_have_count(0)
    expect(quality(dan)).to_contain_text("Could be better")
    expect(quality(dan)).to_contain_text(f'The target "Register with a dentist" in {title("health")} was due on')
    expect(quality(dan)).not_to_contain_text("is used in")

    # Two areas changed in place (htmx); the quality panel updates with them.
    change_in_place(dan, "health", "He is registered with a GP.")
    warning = quality(dan).locator(".govuk-notification-banner")
    expect(warning).to_contain_text("Could be better")
    expect(warning).to_contain_text('"he" is used in the current situation. Write the plan to the young person')
    expect(dan.locator("#area-health .app-area-issues")).to_contain_text('"he" is used')
    checked(dan)
    change_in_place(dan, "accommodation",
                    "You have moved to a bigger flat with Northshire Housing and you like it.")
    expect(warning).to_contain_text('"he" is used')  # the panel still reads the whole plan

    # Another on its own page; a new target and a holistic contingency through their forms.
    change_on_its_own_page(dan, checked, jo_id, "employment",
                           "You now work twelve hours a week at the garage, on Saturdays and Sundays.")
    add_target(dan, checked, jo_id, "employment",
               what="Ask the garage about an apprenticeship for next September",
               how="You have a date for an interview", due=today + timedelta(days=60))
    add_contingency(dan, checked, jo_id, "family_relationships",
                    wrong="contact with your sister stops", do="Dan asks your sister's carers for a meeting within a week",
                    who="Your personal adviser")

    # The targets that ran over since the last plan get new dates. Changing one keeps its area, who
    # and progress (they are selected on the form), so only the date changes.
    overdue = dan.locator(".govuk-summary-card", has=dan.locator(".govuk-tag", has_text="Overdue"))
    expect(overdue).to_have_count(3)
    for days in (14, 30, 45):
        card = overdue.first
        area = card.evaluate("el => el.closest('section').id.replace('area-', '')")
        what = card.locator("h4").inner_text()
        click_and_land(dan, checked, card.get_by_role("link", name=re.compile(r"^Change target")),
                       re.compile(r"/plan/targets/\d+$"))
        expect(dan.get_by_label("Plan area")).to_have_value(area)
        expect(dan.get_by_label("What will happen", exact=True)).to_have_value(what)
        fill_date(dan, today + timedelta(days=days))
        click_and_land(dan, checked, dan.get_by_role("button", name="Save target"),
                       re.compile(rf"/young-people/{jo_id}/plan(#area-{area})?$"))
        expect(dan.locator(f"#area-{area} .govuk-summary-card", has_text=what)).not_to_contain_text("Overdue")
    expect(overdue).to_have_count(0)
    expect(quality(dan)).not_to_contain_text("was due on")
    expect(quality(dan)).to_contain_text('"he" is used')

    # The third-person text is put right: the warning goes.
    change_on_its_own_page(dan, checked, jo_id, "health", "You are registered with a GP.")
    expect(quality(dan)).not_to_contain_text("Could be better")
    expect(dan.locator("#quality-ok")).to_be_visible()
    expect(dan.locator("#area-health .app-area-issues")).to_have_count(0)

    send_for_sign_off(dan, checked, jo_id)

    # --- b. Helen, the team manager, returns it with comments. ---------------------------------------
    helen = new_page()
    sign_in(helen, checked, MANAGER, lands_on="**/manager")
    expect(helen.locator("#awaiting-sign-off")).to_contain_text("waiting for your sign-off")
    click_and_land(helen, checked, helen.locator("#awaiting-sign-off a"), "**/manager/sign-off")
    expect(helen.locator("#sign-off-table tbody tr").filter(has_text="Jo Taylor")).to_contain_text("version 3")
    comments = "Good review. Add what happens if college does not work out this year."
    decide(helen, checked, jo_id, choice="Return it to the personal adviser with comments", comments=comments)
    expect(helen.locator(".govuk-notification-banner--success")).to_contain_text("returned to the personal adviser")
    helen.goto("/manager/sign-off")
    checked(helen)
    expect(helen.locator("#sign-off-table tbody tr").filter(has_text="Jo Taylor")).to_have_count(0)

    # --- c. Dan signs in again, reads the comments, adds the contingency and sends it again. ---------
    dan.context.close()
    dan = new_page()
    sign_in(dan, checked, ADVISER, lands_on="**/caseload")
    dan.goto(f"/young-people/{jo_id}/plan")
    checked(dan)
    returned = dan.get_by_role("region", name="Returned by Helen Carter")
    expect(returned).to_be_visible()
    expect(returned.locator("#return-comments")).to_have_text(comments)
    expect(dan.locator("#plan-details")).to_contain_text("Draft")
    add_contingency(dan, checked, jo_id, "education_training",
                    wrong="college does not work out this year",
                    do="You and Dan look at Northshire Works traineeships within two weeks",
                    who="You and your personal adviser")
    send_for_sign_off(dan, checked, jo_id)

    # --- d. Helen signs it off. ------------------------------------------------------------------
    decide(helen, checked, jo_id, choice="Sign off the plan")
    expect(helen.locator(".govuk-notification-banner--success")).to_contain_text("The plan has been signed off")
    details = helen.locator("#plan-details")
    expect(details).to_contain_text("Signed off")
    expect(details).to_contain_text("by Helen Carter")
    expect(details).to_contain_text("Next review due")
    expect(helen.locator("#area-health-situation")).to_contain_text("You are registered with a GP.")

    # --- e. Jo reads it on her phone (320 px) and downloads the PDF. ---------------------------------
    jo = new_page()
    sign_in(jo, checked, JO, lands_on="**/me")
    click_and_land(jo, checked, jo.get_by_role("link", name="Read your pathway plan"), "**/me/plan")
    expect(jo.locator("h1")).to_have_text("Your pathway plan")
    expect(jo.locator("#plan-details")).to_contain_text("Helen Carter")
    expect(jo.locator("#plan-details")).to_contain_text("Dan Fletcher")
    expect(jo.locator("#area-health")).to_contain_text("You are registered with a GP.")
    expect(jo.locator("#area-accommodation")).to_contain_text("You have moved to a bigger flat")
    expect(jo.locator("#area-employment")).to_contain_text("Ask the garage about an apprenticeship")
    expect(jo.locator("#area-education_training")).to_contain_text("college does not work out this year")
    expect(jo.locator("#area-family_relationships")).to_contain_text("contact with your sister stops")
    expect(jo.locator("section.app-plan-area")).to_have_count(10)
    # What she needs to do comes first, soonest first: the dentist (45 days) before the garage (60).
    steps = jo.locator("#next-steps-list li")
    expect(jo.locator("#next-steps-list")).to_contain_text("Register with a dentist")
    expect(jo.locator("#next-steps-list")).to_contain_text("Ask the garage about an apprenticeship")
    texts = steps.all_inner_texts()
    dues = [datetime.strptime(re.search(r"By (\d+ \w+ \d{4})", t).group(1), "%d %B %Y").date() for t in texts]
    assert dues == sorted(dues), texts
    assert [t for t in texts if "dentist" in t or "garage" in t][0].startswith("Register with a dentist")
    assert steps.first.evaluate("el => el.getBoundingClientRect().top") < jo.locator("#area-contact_support") \
        .evaluate("el => el.getBoundingClientRect().top"), "what to do next comes before the ten areas"

    with jo.expect_download() as info:
        jo.get_by_role("link", name="Download your plan (PDF)").click()
    download = info.value
    assert download.failure() is None
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Your pathway plan" in text
    assert "You are registered with a GP." in text
    assert "college does not work out this year" in text
    checked(jo)


@pytest.fixture
def without_a_plan(browser_app) -> int:
    """A young person on Dan's caseload with no plan at all: the first of them (the time-out test
    takes the last)."""
    ids = _people_without_a_plan(browser_app)
    assert len(ids) >= 2, "the demo should give Dan several young people without a plan"
    return ids[0]


def _people_without_a_plan(app) -> list[int]:
    from pathway.extensions import db
    from pathway.models import Allocation, PathwayPlan, User, YoungPerson

    with app.app_context():
        dan = db.session.scalar(select(User.id).where(User.email == ADVISER))
        return list(db.session.scalars(
            select(YoungPerson.id)
            .join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
            .where(Allocation.adviser_id == dan,
                   ~select(PathwayPlan.id).where(PathwayPlan.young_person_id == YoungPerson.id).exists())
            .order_by(YoungPerson.id)
        ))


def test_a_first_plan_is_started_and_written_in_place(page: Page, checked, without_a_plan):
    person_id = without_a_plan
    plan_url = re.compile(rf"/young-people/{person_id}/plan$")
    sign_in(page, checked, ADVISER, lands_on="**/caseload")
    page.goto(f"/young-people/{person_id}")
    checked(page)
    click_and_land(page, checked, page.locator("#open-plan"), plan_url)
    expect(page.locator("main")).to_contain_text("does not have a pathway plan yet")
    click_and_land(page, checked, page.get_by_role("button", name="Start the pathway plan"), plan_url)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The first pathway plan has been started")
    expect(page.locator("#plan-details")).to_contain_text("1 (first plan)")

    # Ten empty areas, nine without a target (the contingency area has none), no contingency plan.
    blockers = quality(page).locator(".govuk-error-summary")
    expect(blockers.locator("h2")).to_have_text("20 things to fix before sign-off")
    expect(quality(page)).to_contain_text("No area has the young person's own words")

    change_in_place(page, "finance",
                    "You get the 16-19 bursary and you are saving for a laptop.")
    expect(blockers.locator("h2")).to_have_text("19 things to fix before sign-off")
    expect(blockers).not_to_contain_text(f"Describe the current situation for {title('finance')}.")
    expect(blockers).to_contain_text(f"Add at least one target for {title('finance')}.")
    checked(page)

    # Not ready: the submit page says what to fix and offers no button.
    click_and_land(page, checked, page.get_by_role("link", name="Send for sign-off"), "**/plan/submit")
    expect(page.locator("main")).to_contain_text("Fix the things listed above before you send the plan")
    expect(page.get_by_role("button", name="Send for sign-off")).to_have_count(0)
