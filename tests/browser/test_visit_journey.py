"""Issue 5's journeys in a real browser at 320 px, axe-core on every page.

- A personal adviser records a move: "Visit within 7 days of the move" appears on the worklist with
  its due date; an attempted visit leaves it open; a home visit that saw the young person resolves it.
- A young person asks for help from a 320 px phone ("I don't feel safe" shows the emergency numbers
  before anything is sent); their personal adviser sees them first on the worklist, replies, and the
  young person sees the reply.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pathway.rules.dates import long_date
from tests.browser.conftest import assert_table_fits
from tests.browser.journey import ADVISER, JO, click_and_land, sign_in

pytestmark = pytest.mark.browser

POST_MOVE = "Visit within 7 days of the move"


def fill_date(scope, day: date) -> None:
    scope.get_by_label("Day", exact=True).fill(str(day.day))
    scope.get_by_label("Month", exact=True).fill(str(day.month))
    scope.get_by_label("Year", exact=True).fill(str(day.year))


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True).check()


def worklist_row(page: Page, person_id: int):
    return page.locator(f"#worklist-{person_id}")


# --- a move starts the visit clock -----------------------------------------------------------------


@pytest.fixture
def settled_person(browser_app) -> dict:
    """The first of Dan Fletcher's young people by name, other than Jo (and Dylan, whom the offer
    journey changes), with no open flags at all: no recent move, nothing overdue."""
    from pathway.models import User
    from pathway.queries.flags import list_histories_for_adviser
    from pathway.services.flags import worklist_entry

    today = date.today()
    with browser_app.app_context():
        from pathway.extensions import db

        dan = db.session.scalar(select(User).where(User.email == ADVISER))
        jo = db.session.scalar(select(User.id).where(User.email == JO))
        for history in list_histories_for_adviser(dan):
            person = history.person
            if person.user_id == jo:
                continue
            if person.given_name == "Dylan" and person.family_name == "Brown":
                continue
            entry = worklist_entry(history, today)
            if entry.open_flags or any(m.move_in > today - timedelta(days=30) for m in history.moves):
                continue
            return {"id": person.id, "name": person.display_name}
    pytest.fail("the demo should give Dan Fletcher a young person with no open flags")


def test_a_move_starts_the_visit_clock(page: Page, checked, settled_person):
    person_id, name = settled_person["id"], settled_person["name"]
    today = date.today()
    due = long_date(today + timedelta(days=7))

    sign_in(page, checked, ADVISER, lands_on="**/caseload")
    row = worklist_row(page, person_id)
    expect(row).to_contain_text(name)
    expect(row).not_to_contain_text(POST_MOVE)

    # --- the move
    page.goto(f"/young-people/{person_id}/accommodation/new")
    checked(page)
    fill_date(page.get_by_role("group", name="Date they moved in"), today)
    page.get_by_label("Type of accommodation").select_option("U")
    for question in ("Is the accommodation safe?", "Is it in a good state of repair?",
                     "Does it have the facilities they need?", "Is the location suitable for them?",
                     "Does it give them the support they need?", "Is the tenancy or licence suitable?",
                     "Can they afford it?", "Do they think it is suitable?"):
        answer(page, question, "Yes")
    page.get_by_label("Postcode (optional)").fill("TS1 3BX")
    click_and_land(page, checked, page.get_by_role("button", name="Save the move"),
                   f"**/young-people/{person_id}/accommodation")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The move has been recorded.")

    # --- the worklist shows the flag with its due date
    page.goto("/caseload")
    checked(page)
    row = worklist_row(page, person_id)
    expect(row.locator(".app-worklist__flags")).to_contain_text(f"{POST_MOVE}, due {due}")
    assert_table_fits(page, "Worklist")

    # --- an attempted visit does not meet the duty
    click_and_land(page, checked, row.get_by_role("link", name=re.compile(r"^Record a visit\s*:")),
                   f"**/young-people/{person_id}/contacts/new")
    fill_date(page.get_by_role("group", name="Date of the contact"), today)
    page.get_by_label("Time of the contact").fill("00:01")
    answer(page, "Kind of contact", "Attempted visit - not seen")
    click_and_land(page, checked, page.get_by_role("button", name="Save the contact"),
                   re.compile(rf"/young-people/{person_id}/contacts$"))
    page.goto("/caseload")
    checked(page)
    expect(worklist_row(page, person_id).locator(".app-worklist__flags")).to_contain_text(f"{POST_MOVE}, due {due}")

    # --- a home visit that saw them resolves it
    click_and_land(page, checked,
                   worklist_row(page, person_id).get_by_role("link", name=re.compile(r"^Record a visit\s*:")),
                   f"**/young-people/{person_id}/contacts/new")
    fill_date(page.get_by_role("group", name="Date of the contact"), today)
    page.get_by_label("Time of the contact").fill("00:02")
    answer(page, "Kind of contact", "Home visit")
    answer(page, "Did you reach them?", "Yes")
    answer(page, "Were they seen alone? (for visits)", "Yes")
    answer(page, "Did you see their accommodation? (for home visits)", "Yes")
    answer(page, "Is their home safe and suitable?", "Yes")
    page.get_by_label("No new risks", exact=True).check()
    page.get_by_label("How they are: their wellbeing").fill("Settling in well; the flat is warm and clean.")
    page.get_by_label("What happens next").fill("Visit again in six weeks to check on the tenancy.")
    page.get_by_label("In touch status after this contact").select_option("YES")
    page.get_by_label("Main activity").select_option(index=1)
    click_and_land(page, checked, page.get_by_role("button", name="Save the contact"),
                   re.compile(rf"/young-people/{person_id}/contacts$"))

    page.goto("/caseload")
    checked(page)
    expect(worklist_row(page, person_id)).not_to_contain_text(POST_MOVE)

    click_and_land(page, checked,
                   worklist_row(page, person_id).get_by_role("link", name=re.compile(r"^Flags\s*:")),
                   f"**/young-people/{person_id}/flags")
    expect(page.locator("#open-flags")).not_to_contain_text(POST_MOVE)
    resolved = page.locator("#resolved-flags")
    assert_table_fits(page, "Resolved and closed flags")
    # The demo's first move's flag is there too, resolved long ago: this one is told by its due date.
    expect(resolved.locator("tbody tr", has_text=POST_MOVE).filter(has_text=due)).to_have_count(1)


# --- "I need help" -----------------------------------------------------------------------------------


@pytest.fixture
def jo_with_no_open_request(browser_app) -> dict:
    """Jo's demo help request answered, so only the one she sends in the test puts her first."""
    from pathway.extensions import db
    from pathway.models import HelpRequest, User, YoungPerson

    with browser_app.app_context():
        user = db.session.scalar(select(User).where(User.email == JO))
        person = db.session.scalar(select(YoungPerson).where(YoungPerson.user_id == user.id))
        dan = db.session.scalar(select(User).where(User.email == ADVISER))
        for request in db.session.scalars(select(HelpRequest).where(HelpRequest.young_person_id == person.id,
                                                                    HelpRequest.replied_at.is_(None))):
            request.reply = "I have topped up your electric key. Call me if it runs out again."
            request.replied_at = datetime.now(UTC)
            request.replied_by_id = dan.id
        db.session.commit()
        return {"id": person.id, "name": person.display_name}


def test_young_person_asks_for_help_and_the_pa_sees_it_first(new_page, checked, jo_with_no_open_request):
    person_id, name = jo_with_no_open_request["id"], jo_with_no_open_request["name"]
    assert name == "Jo Taylor"
    message = "My landlord says my housing benefit has stopped and I owe two weeks' rent."
    reply = "I have called the housing benefit team: it was a missing form. I will bring it round on Monday."

    # --- Jo, on her phone
    jo = new_page()
    sign_in(jo, checked, JO, lands_on="**/me")
    click_and_land(jo, checked, jo.get_by_role("link", name="I need help"), "**/me/help")
    expect(jo.locator("#emergency-numbers")).to_contain_text("999")
    expect(jo.locator("#emergency-numbers")).to_contain_text("116 123")
    topics = jo.get_by_role("group", name="What do you need help with?")
    topics.get_by_label("I don't feel safe", exact=True).check()
    expect(jo.locator("#emergency-numbers")).to_be_visible()
    expect(jo.get_by_role("link", name="999")).to_be_visible()
    expect(jo.get_by_role("link", name="116 123")).to_be_visible()
    checked(jo)

    topics.get_by_label("Housing", exact=True).check()
    jo.get_by_label("How should we reach you? (optional)").fill("Text me after 5pm")
    jo.get_by_label("Tell us more (optional)").fill(message)
    click_and_land(jo, checked, jo.get_by_role("button", name="Send to my personal adviser"), "**/me/help/sent")
    expect(jo.locator("#what-happens-next")).to_contain_text("Dan Fletcher")
    expect(jo.locator("#what-happens-next")).to_contain_text(re.compile(r"They will reply by \d{1,2} \w+ \d{4}"))

    # --- Dan: Jo first on the worklist, with the help request
    dan = new_page()
    sign_in(dan, checked, ADVISER, lands_on="**/caseload")
    first = dan.locator("#caseload tbody tr").first
    expect(first.locator("th")).to_have_text("Jo Taylor")
    expect(first.locator(".app-worklist__flags")).to_contain_text("Help request")

    click_and_land(dan, checked, first.get_by_role("link", name=re.compile(r"^Flags\s*:")),
                   f"**/young-people/{person_id}/flags")
    open_flags = dan.locator("#open-flags")
    expect(open_flags).to_contain_text(message)
    click_and_land(dan, checked, open_flags.get_by_role("link", name=re.compile(r"^Reply\s*:")),
                   re.compile(r"/reply$"))
    dan.get_by_label("Your reply").fill(reply)
    dan.get_by_role("button", name="Send reply").click()
    dan.wait_for_url(f"**/young-people/{person_id}/flags")
    checked(dan)
    expect(dan.locator(".govuk-notification-banner--success")).to_contain_text("Your reply has been sent")
    assert_table_fits(dan, "Resolved and closed flags")

    dan.goto("/caseload")
    checked(dan)
    expect(dan.locator(f"#worklist-{person_id} .app-worklist__flags")).not_to_contain_text("Help request")

    # --- Jo sees the reply
    jo.goto("/me/help")
    checked(jo)
    requests = jo.locator("#your-requests")
    expect(requests.locator("li", has_text=message)).to_contain_text("Replied")
    expect(requests.locator("li", has_text=message)).to_contain_text(reply)
