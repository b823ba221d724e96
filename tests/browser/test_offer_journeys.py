"""Issue 4's journeys in a real browser at 320 px, axe-core on every page.

- A 19-year-old living outside Northshire sees on their phone that they cannot get the council tax
  reduction and why, asks about the setting up home allowance; their personal adviser sees the
  question, records the request, approves £1,160 and pays it; the young person sees what is left.
- Jo ticks three passport items with one tap each (htmx, no reload) and the progress bar moves; her
  personal adviser confirms one; Jo sees it confirmed.
- The public offer page, signed out, with JavaScript on and off: linkable and printable.
- The manager's offer reach, with the young people who miss out only because they live outside the
  area, at 320 px and at 1280 px.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pathway.demo import DEMO_PASSWORD
from pathway.rules.dates import long_date
from tests.browser.conftest import assert_table_fits
from tests.browser.journey import (  # noqa: F401
    ADVISER,
    JO,
    MANAGER,
    NO_RELOAD,
    STILL_SAME_PAGE,
    click_and_land,
    open_from_menu,
    sign_in,
)

pytestmark = pytest.mark.browser

DYLAN = "dylan.brown@northshire.example"



# --- helpers ---------------------------------------------------------------------------------------








def fill_date(page: Page, day: date) -> None:
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))


def named(text: str) -> re.Pattern:
    """An accessible name with visually hidden words: GOV.UK's visually-hidden class pads them with
    spaces, so "Ask about this<span>: Pay bills</span>" is named "Ask about this : Pay bills"."""
    return re.compile("^" + re.escape(text).replace(":", r"\s*:").replace(r"\ ", r"\s+") + "$")


def banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


# --- the out-of-area 19-year-old -------------------------------------------------------------------


@pytest.fixture
def out_of_area_19(browser_app) -> dict:
    """Dylan Brown from the demo, made into the person the journey needs: 19, former relevant (looked
    after until 18), on Dan Fletcher's caseload, living in Leeds (LS1 4AP, outside Northshire), moved
    into a home of their own a month ago, and able to sign in. Committed to the browser database."""
    from pathway.extensions import db
    from pathway.models import Allocation, CareEpisode, Claim, Entitlement, Role, User, YoungPerson
    from pathway.rules.dates import age_on, birthday
    from pathway.services.passwords import hash_password

    today = date.today()
    with browser_app.app_context():
        person = db.session.scalar(select(YoungPerson).where(YoungPerson.given_name == "Dylan",
                                                             YoungPerson.family_name == "Brown"))
        assert person is not None, "the demo should have Dylan Brown"
        assert age_on(person.date_of_birth, today) == 19, "the demo makes Dylan 19"
        dan = db.session.scalar(select(User).where(User.email == ADVISER))
        adviser_id = db.session.scalar(select(Allocation.adviser_id).where(
            Allocation.young_person_id == person.id, Allocation.end_date.is_(None)))
        assert adviser_id == dan.id, "the demo puts Dylan on Dan Fletcher's caseload"

        episodes = db.session.scalars(select(CareEpisode).where(CareEpisode.young_person_id == person.id)).all()
        eighteenth = birthday(person.date_of_birth, 18)
        if not any(e.end_date == eighteenth for e in episodes):
            db.session.add(CareEpisode(young_person_id=person.id, legal_status="C2", end_reason="E3",
                                       start_date=birthday(person.date_of_birth, 14) + relativedelta(months=2),
                                       end_date=eighteenth))
        person.home_postcode = "LS1 4AP"
        person.in_area_override = None
        person.in_area_override_reason = None
        person.independent_move_on = today - relativedelta(months=1)
        user = db.session.scalar(select(User).where(User.email == DYLAN))
        if user is None:
            user = User(name=person.display_name, email=DYLAN, role=Role.YOUNG_PERSON, active=True,
                        password_hash=hash_password(DEMO_PASSWORD))
            db.session.add(user)
            db.session.flush()
        person.user_id = user.id
        suha = db.session.scalar(select(Entitlement.id).where(Entitlement.slug == "setting-up-home-allowance"))
        assert not db.session.scalar(select(Claim.id).where(Claim.young_person_id == person.id,
                                                           Claim.entitlement_id == suha)), \
            "Dylan should not have had any of the setting up home allowance yet"
        db.session.commit()
        return {"id": person.id, "name": person.display_name, "email": DYLAN}


def test_out_of_area_19_year_old_asks_and_the_adviser_awards_and_pays(new_page, checked, out_of_area_19):
    person_id, name = out_of_area_19["id"], out_of_area_19["name"]
    today = date.today()
    question = "Can I get a sofa and a washing machine for my flat in Leeds?"

    # --- a. On their phone: what they cannot get and why; they ask about the setting up home allowance.
    young = new_page()
    sign_in(young, checked, out_of_area_19["email"], lands_on="**/me")
    click_and_land(young, checked, young.get_by_role("link", name="See what you can get"), "**/me/offer")
    expect(young.locator("h1")).to_have_text("Your care leaver offer")
    cannot = young.locator("section[aria-labelledby=cannot-get]")
    council_tax = cannot.locator("#council-tax-reduction")
    expect(council_tax.locator("h3")).to_have_text("Council tax reduction")
    expect(council_tax).to_contain_text("Why you cannot get this")
    expect(council_tax.locator(".app-offer-reasons")).to_have_text(
        "You live outside Northshire: this is only for people living in Northshire")
    expect(young.locator("section[aria-labelledby=can-get-now] #council-tax-reduction")).to_have_count(0)
    suha = young.locator("section[aria-labelledby=can-get-now] #setting-up-home-allowance")
    expect(suha).to_contain_text("£3,000")
    expect(suha.locator(".app-offer-claims")).to_have_count(0)  # nothing had yet

    click_and_land(young, checked, suha.get_by_role("link", name=named("Ask about this: Setting up home allowance")),
                   "**/me/offer/setting-up-home-allowance/ask")
    expect(young.locator("h1")).to_have_text("Setting up home allowance")
    young.get_by_label("What do you want to ask? (optional)").fill(question)
    click_and_land(young, checked, young.get_by_role("button", name="Send to your personal adviser"),
                   "**/me/offer/setting-up-home-allowance/asked")
    expect(young.locator(".govuk-panel")).to_contain_text("We have told your personal adviser")
    expect(young.locator(".govuk-panel")).to_contain_text("You asked about Setting up home allowance")
    expect(young.locator("#what-happens-next")).to_contain_text("Dan Fletcher")
    expect(young.locator("#your-questions")).to_contain_text(question)
    expect(young.locator("#your-questions")).to_contain_text("Waiting for a reply")

    # --- b. Dan sees the question on his caseload and records the request, the award and the payment.
    dan = new_page()
    sign_in(dan, checked, ADVISER, lands_on="**/caseload")
    questions = dan.get_by_role("region", name="Questions about the offer")
    asked = questions.locator("li", has_text=name)
    expect(asked).to_contain_text(f"{name} asked about Setting up home allowance on {long_date(today)}")
    expect(asked).to_contain_text(question)
    click_and_land(dan, checked, asked.get_by_role("link", name=name), f"**/young-people/{person_id}")
    click_and_land(dan, checked, dan.locator("#open-offer"), f"**/young-people/{person_id}/offer")
    expect(dan.locator("#offer-facts")).to_contain_text("LS1 4AP")
    expect(dan.locator("#offer-facts")).to_contain_text("No (from the postcode)")
    expect(dan.locator("#entitlement-council-tax-reduction")).to_contain_text("Cannot get it")
    line = dan.locator("#entitlement-setting-up-home-allowance")
    expect(line).to_contain_text("Can get it now")
    expect(line.locator("#left-setting-up-home-allowance")).to_have_text("£3,000 of £3,000 left")

    click_and_land(dan, checked, line.get_by_role("link", name="Record a request for Setting up home allowance"),
                   re.compile(r"/offer/claims/new\?entitlement=setting-up-home-allowance$"))
    expect(dan.get_by_label("What they asked for")).to_have_value("setting-up-home-allowance")
    fill_date(dan, today)
    dan.get_by_label("Note (optional)").fill("A sofa and a washing machine for the flat in Leeds")
    click_and_land(dan, checked, dan.get_by_role("button", name="Record the request"),
                   re.compile(rf"/young-people/{person_id}/offer(#entitlement-setting-up-home-allowance)?$"))
    expect(banner(dan)).to_contain_text("The request for Setting up home allowance has been recorded")
    expect(line).to_contain_text("Waiting for a decision")

    click_and_land(dan, checked, line.get_by_role("link", name=re.compile(r"^Decide on the request")),
                   re.compile(r"/offer/claims/\d+/decision$"))
    expect(dan.locator("#left-to-claim")).to_have_text("£3,000 of £3,000")
    dan.get_by_label("Approve", exact=True).check()
    dan.get_by_label("Amount approved, in pounds").fill("£1,160")  # typed with a symbol and a comma
    click_and_land(dan, checked, dan.get_by_role("button", name="Save the decision"),
                   re.compile(rf"/young-people/{person_id}/offer(#claim-\d+)?$"))
    expect(banner(dan)).to_contain_text("Approved: £1,160 of Setting up home allowance")
    expect(line).to_contain_text("Approved £1,160")
    expect(line.locator("#left-setting-up-home-allowance")).to_have_text("£1,840 of £3,000 left")

    click_and_land(dan, checked, line.get_by_role("link", name=re.compile(r"^Record a payment")),
                   re.compile(r"/offer/claims/\d+/payments/new$"))
    expect(dan.locator("#left-to-pay")).to_have_text("£1,160")
    fill_date(dan, today)
    dan.get_by_label("Amount paid, in pounds").fill("£1,160")
    dan.get_by_label("Note (optional)").fill("Sofa and washing machine")
    click_and_land(dan, checked, dan.get_by_role("button", name="Record the payment"),
                   re.compile(rf"/young-people/{person_id}/offer(#claim-\d+)?$"))
    expect(banner(dan)).to_contain_text("A payment of £1,160 has been recorded")
    expect(line).to_contain_text(f"£1,160 on {long_date(today)}: Sofa and washing machine")
    expect(line.get_by_role("link", name=re.compile(r"^Record a payment"))).to_have_count(0)  # all paid
    assert_table_fits(dan, "Requests for Setting up home allowance")

    # --- c. Back on the phone: what they have had, and what is left.
    click_and_land(young, checked, young.get_by_role("link", name="Back to your offer").last,
                   re.compile(r"/me/offer#setting-up-home-allowance$"))
    suha = young.locator("#setting-up-home-allowance")
    expect(suha.locator("#setting-up-home-allowance-left")).to_have_text("£1,840 of £3,000 left")
    had = suha.locator("#setting-up-home-allowance-claims")
    expect(had).to_contain_text(f"Approved £1,160 on {long_date(today)}")
    expect(had.locator(".app-offer-payments")).to_have_text(f"Paid £1,160 on {long_date(today)}")
    expect(suha).to_contain_text(f"You asked about this on {long_date(today)}")

    # Money short each week: My money points to the allowance with what is left of it.
    click_and_land(young, checked, young.get_by_role("link", name="Work out what you have left each week"),
                   "**/me/money")
    young.get_by_label("Each week", exact=True).check()
    young.get_by_label("Universal Credit", exact=True).fill("90")
    young.get_by_label("Rent", exact=True).fill("25")
    young.get_by_label("Gas and electricity", exact=True).fill("30")
    young.get_by_label("Food", exact=True).fill("40")
    young.get_by_label("Phone and internet", exact=True).fill("10")
    click_and_land(young, checked, young.get_by_role("button", name="Save and work out what is left"),
                   re.compile(r"/me/money(#what-is-left)?$"))
    expect(young.locator("#money-totals")).to_contain_text("£15 short")
    expect(young.locator("#money-help")).to_contain_text("Setting up home allowance: £1,840 left")


# --- the passport ----------------------------------------------------------------------------------


@pytest.fixture
def jo_id(browser_app) -> int:
    from pathway.extensions import db
    from pathway.models import YoungPerson

    with browser_app.app_context():
        return db.session.scalar(select(YoungPerson.id).where(YoungPerson.email == JO))


def passport_item(page: Page, title: str):
    return page.locator("li.app-passport-item").filter(
        has=page.get_by_role("heading", name=title, exact=True))


def done_of(page: Page, group: str) -> tuple[int, int]:
    text = page.locator(f"#progress-{group}-text").inner_text()
    found = re.search(r"(\d+) of (\d+) done", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def test_jo_ticks_three_passport_items_and_the_adviser_confirms_one(new_page, checked, jo_id):
    """And a fourth without JavaScript, as a plain form."""
    ticked = ["Make a budget", "Pay bills", "Understand credit and debt"]
    confirmed = "Pay bills"

    # --- a. Jo, on her phone, taps "I can do this" three times: the progress bar moves each time.
    jo = new_page()
    sign_in(jo, checked, JO, lands_on="**/me")
    click_and_land(jo, checked, jo.get_by_role("link", name="Open your passport"), "**/me/passport")
    expect(jo.locator("h1")).to_have_text("Your passport to independence")
    start, total = done_of(jo, "money")
    assert start + len(ticked) <= total, (start, total)
    bar = jo.locator("#progress-money progress")
    expect(bar).to_have_attribute("value", str(start))
    jo.evaluate(NO_RELOAD)
    for n, title in enumerate(ticked, start=1):
        item = passport_item(jo, title)
        expect(item.locator(".app-passport-status")).not_to_have_text("You can do this")
        item.get_by_role("button", name=named(f"I can do this: {title}")).click()
        expect(item.get_by_role("status")).to_contain_text("Saved")
        expect(item.get_by_role("status")).to_contain_text("Your personal adviser will confirm it with you")
        expect(jo.locator("#progress-money-text")).to_have_text(f"Money: {start + n} of {total} done")
        expect(bar).to_have_attribute("value", str(start + n))
        expect(item.get_by_role("button", name=named(f"I can do this: {title}"))).to_have_count(0)
        expect(item).to_contain_text("You said so")
    assert jo.evaluate(STILL_SAME_PAGE), "the page was reloaded: a tap must update it in place"
    assert jo.url.endswith("/me/passport")
    checked(jo)

    # --- b. Dan opens Jo's passport and confirms one of them.
    dan = new_page()
    sign_in(dan, checked, ADVISER, lands_on="**/caseload")
    dan.goto(f"/young-people/{jo_id}")
    checked(dan)
    click_and_land(dan, checked, dan.locator("#open-passport"), f"**/young-people/{jo_id}/passport")
    expect(dan.locator("#group-money .app-passport-progress__text")).to_contain_text(f"{start + 3} of {total} done")
    for title in ticked:
        expect(passport_item(dan, title).locator(".app-passport-unconfirmed")).to_have_text("Not confirmed")
    item = passport_item(dan, confirmed)
    dan.evaluate(NO_RELOAD)
    item.get_by_role("button", name=named(f"Confirm Jo's answer: {confirmed}")).click()
    expect(item.get_by_role("status")).to_contain_text("Saved")
    expect(item).to_contain_text("Confirmed by Dan Fletcher (personal adviser)")
    expect(item.locator(".app-passport-unconfirmed")).to_have_count(0)
    expect(item.get_by_role("button", name=re.compile("^Confirm"))).to_have_count(0)
    assert dan.evaluate(STILL_SAME_PAGE), "confirming must update the item in place"
    checked(dan)
    dan.reload()
    checked(dan)
    item = passport_item(dan, confirmed)
    expect(item).to_contain_text("Confirmed by Dan Fletcher (personal adviser)")
    expect(item.locator(".app-passport-unconfirmed")).to_have_count(0)
    for title in ticked:
        if title != confirmed:
            expect(passport_item(dan, title).locator(".app-passport-unconfirmed")).to_have_text("Not confirmed")

    # --- c. Jo reloads: the one Dan confirmed says so; the bar shows all three ticks.
    jo.reload()
    checked(jo)
    expect(passport_item(jo, confirmed)).to_contain_text("Confirmed by your personal adviser, Dan Fletcher")
    for title in ticked:
        if title != confirmed:
            expect(passport_item(jo, title)).to_contain_text("You said so")
    expect(jo.locator("#progress-money-text")).to_have_text(f"Money: {start + 3} of {total} done")
    expect(jo.locator("#progress-money progress")).to_have_attribute("value", str(start + 3))

    # --- d. Without JavaScript a tap is a plain form: the page comes back at the item, saved.
    plain = new_page(java_script_enabled=False)
    sign_in(plain, checked, JO, lands_on="**/me")
    plain.goto("/me/passport")
    checked(plain)
    home_done, home_total = done_of(plain, "home")
    title = "Keep your home clean"
    click_and_land(plain, checked, passport_item(plain, title).get_by_role("button", name=named(f"I can do this: {title}")),
                   re.compile(r"/me/passport(#item-\d+)?$"))
    expect(plain.locator(".govuk-notification-banner--success")).to_contain_text(f"Saved: {title}.")
    expect(passport_item(plain, title)).to_contain_text("You said so")
    expect(plain.locator("#progress-home-text")).to_have_text(f"Home: {home_done + 1} of {home_total} done")


# --- the public offer page -------------------------------------------------------------------------


def test_the_public_offer_page_signed_out_linkable_printable_and_without_javascript(new_page, checked):
    page = new_page()
    response = page.goto("/offer")
    assert response is not None and response.status == 200
    assert page.url.endswith("/offer"), "no sign-in needed"
    assert "set-cookie" not in response.headers, "the public page should start no session"
    checked(page)
    expect(page.locator("h1")).to_have_text("The care leaver offer")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    national = page.get_by_role("heading", name="From the government (national)", level=2)
    local = page.get_by_role("heading", name="From Northshire Council (local)", level=2)
    expect(national).to_be_visible()
    expect(local).to_be_visible()

    suha = page.locator("section[aria-labelledby=national-offer] #setting-up-home-allowance")
    expect(suha.locator("h3")).to_have_text("Setting up home allowance")
    expect(suha).to_contain_text("£3,000")
    expect(suha.locator(".app-offer-who")).to_contain_text("former relevant care leavers")
    expect(suha.locator(".app-offer-who")).to_contain_text("When you move into your first home of your own.")
    council_tax = page.locator("section[aria-labelledby=local-offer] #council-tax-reduction")
    expect(council_tax.locator("h3")).to_have_text("Council tax reduction")
    expect(council_tax.locator(".app-offer-who")).to_have_text(
        "For care leavers, aged 18 to 24. Only if you live in Northshire.")

    # The contents links and a link straight to one entitlement.
    page.get_by_role("link", name="From Northshire Council (local)").click()
    expect(page).to_have_url(re.compile(r"/offer#local-offer$"))
    expect(local).to_be_in_viewport()
    page.goto("/offer#council-tax-reduction")
    expect(page.locator("#council-tax-reduction")).to_have_count(1)
    expect(page.locator("#council-tax-reduction h3")).to_be_in_viewport()
    checked(page)

    # Printable: the contents and the navigation stay off paper; the offer itself does not.
    page.emulate_media(media="print")
    expect(page.locator("nav.app-contents")).to_be_hidden()
    expect(council_tax).to_be_visible()
    page.emulate_media(media="screen")

    # Without JavaScript: the same page, the same anchors.
    plain = new_page(java_script_enabled=False)
    plain.goto("/offer#council-tax-reduction")
    checked(plain)
    assert not plain.evaluate("() => document.body.classList.contains('js-enabled')"), "JavaScript ran"
    expect(plain.locator("h1")).to_have_text("The care leaver offer")
    expect(plain.locator("#setting-up-home-allowance")).to_contain_text("Who it is for")
    expect(plain.locator("#council-tax-reduction h3")).to_be_in_viewport()


# --- the manager's offer reach ---------------------------------------------------------------------


def open_offer_reach(page: Page, checked) -> int:
    """Helen signs in and opens Offer reach; returns how many miss out only because of where they live."""
    sign_in(page, checked, MANAGER, lands_on="**/manager")
    open_from_menu(page, checked, "Offer reach", "**/manager/offer-reach")
    expect(page.locator("h1")).to_have_text("Offer reach")
    gap = page.locator("#gap-count")
    expect(gap).to_contain_text("something they would get if they lived in Northshire")
    count = int(gap.locator("strong").inner_text())
    assert count >= 2, f"the demo has at least two young people living outside Northshire, not {count}"
    gap_list = page.locator("#gap-list")
    expect(gap_list).to_contain_text("Courtney Kelly")
    expect(gap_list).to_contain_text("Dylan Brown")
    expect(gap_list.locator("tr", has_text="Courtney Kelly")).to_contain_text("Council tax reduction")
    council_tax = page.locator("#reach-council-tax-reduction")
    expect(council_tax.locator("td").last).to_have_text(re.compile(r"^[2-9]\d*$|^\d{2,}$"))
    return count


def test_the_manager_sees_who_misses_out_because_they_live_outside_the_area(page: Page, checked):
    open_offer_reach(page, checked)


@pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900})
def test_offer_reach_on_a_wide_screen(page: Page, checked):
    assert page.viewport_size == {"width": 1280, "height": 900}
    open_offer_reach(page, checked)
    # At 1280 px the tables have room: nothing scrolls sideways.
    for table in ("#gap-list", "#reach"):
        wrapper = page.locator(table).locator("xpath=..")
        sizes = wrapper.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert sizes[0] <= sizes[1], f"{table} is {sizes[0]} px wide in {sizes[1]} px at 1280 px"
