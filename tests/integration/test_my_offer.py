"""'Your offer' on the young person's phone: what they can get now, later, not and why, and what they have had."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event, func, select

from pathway.extensions import db
from pathway.models import AuditEvent, ClaimStatus, OfferQuestion
from pathway.services.offer import offer_for
from tests.helpers import PageClient
from tests.offer_builders import (
    COUNCIL_TAX,
    DRIVING,
    EMERGENCY,
    SETTING_UP_HOME,
    build_catalogue,
    make_former_relevant,
    record_claim,
)

NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TODAY = date(2026, 3, 20)
DOB_19 = date(2006, 10, 10)  # 19 today
DOB_16 = date(2009, 5, 3)  # 16 today: 17 on 3 May 2026, 18 on 3 May 2027


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def catalogue(db_transaction):
    return build_catalogue()


@pytest.fixture
def jordan(world):
    """Jordan: 19, former relevant, moved into a flat in Leeds in January (out of Northshire's area)."""
    person = world.person
    person.date_of_birth = DOB_19
    person.home_postcode = "LS1 4AP"
    person.independent_move_on = date(2026, 1, 15)
    person.main_activity = "F5"
    make_former_relevant(person, dob=DOB_19)
    db.session.commit()
    return person


@pytest.fixture
def me(client, world, frozen, catalogue, jordan) -> PageClient:
    return client.sign_in_as(world.person_user)


def _text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _section_slugs(page, heading_id: str) -> list[str]:
    section = page.soup.find(id=heading_id).find_parent("section")
    return [item["id"] for item in section.select("section.app-offer-item")]


def test_the_19_year_old_out_of_area_sees_the_three_sections_and_why(me):
    page = me.get("/me/offer")

    assert page.h1 == "Your care leaver offer"
    assert page.title.startswith("Your care leaver offer – ")
    assert [_text(h) for h in page.soup.select("main h2.govuk-heading-l")] == [
        "What you can get now", "What you can get later", "What you cannot get, and why"]
    assert _section_slugs(page, "can-get-now") == [SETTING_UP_HOME, "bursary-16-19", DRIVING, EMERGENCY]
    assert _section_slugs(page, "can-get-later") == []
    assert _section_slugs(page, "cannot-get") == ["higher-education-bursary", COUNCIL_TAX]

    council_tax = page.soup.find(id=COUNCIL_TAX)
    reasons = [_text(li) for li in council_tax.select(".app-offer-reasons li")]
    assert reasons == ["You live outside Northshire: this is only for people living in Northshire"]
    assert "Amount varies Each year" in _text(council_tax)

    he = page.soup.find(id="higher-education-bursary")
    assert [_text(li) for li in he.select(".app-offer-reasons li")] == [
        "You are not in higher education: this is for people at university (F1/P1)"]

    home = page.soup.find(id=SETTING_UP_HOME)
    text = _text(home)
    assert home.h3.get_text(strip=True) == "Setting up home allowance"
    assert "£3,000 One-off" in text
    assert "Money for the things you need when you move into your first home of your own." in text
    assert "How to claim Your personal adviser goes through what you need with you" in text
    assert "You can get this until 9 October 2031." in text
    assert "What you have had" not in text  # nothing claimed yet
    ask = home.select("a.govuk-link")[-1]
    assert ask["href"] == f"/me/offer/{SETTING_UP_HOME}/ask"
    assert _text(ask) == "Ask about this : Setting up home allowance"


def test_a_decision_for_the_personal_adviser_says_so(me):
    page = me.get("/me/offer")
    emergency = page.soup.find(id=EMERGENCY)
    assert "Your personal adviser decides this with you" in _text(emergency)
    assert "Amount varies Each time you claim" in _text(emergency)
    # The reason is said once, not also as a bullet.
    assert emergency.select(".app-offer-why li") == []


def test_not_knowing_where_they_live_is_a_question_for_the_adviser_not_a_no(me, jordan):
    jordan.home_postcode = None
    db.session.commit()
    page = me.get("/me/offer")
    assert COUNCIL_TAX in _section_slugs(page, "can-get-now")
    council_tax = _text(page.soup.find(id=COUNCIL_TAX))
    assert "Your personal adviser decides this with you" in council_tax
    assert "We do not know where you live: your personal adviser will check" in council_tax


def test_what_they_will_get_later_shows_the_date(client, make, world, frozen, catalogue):
    from pathway.models import CareEpisode

    person = make.young_person(world.adviser, account=True, dob=DOB_16, home_postcode="TS1 2AB")
    db.session.add(CareEpisode(young_person_id=person.id, start_date=date(2023, 1, 9), legal_status="C2"))
    db.session.commit()
    page = PageClient(client.app).sign_in_as(person.user).get("/me/offer")

    later = _section_slugs(page, "can-get-later")
    assert later == [DRIVING, COUNCIL_TAX]  # soonest first
    driving = _text(page.soup.find(id=DRIVING))
    assert "From 3 May 2026" in driving and "You are 16: this starts at 17" in driving
    council_tax = _text(page.soup.find(id=COUNCIL_TAX))
    assert "From 3 May 2027" in council_tax and "You are 16: this starts at 18" in council_tax
    # Setting up home: an eligible child still in care has not moved into a home of their own.
    assert SETTING_UP_HOME in _section_slugs(page, "cannot-get")


def test_what_they_have_had_and_what_is_left(me, jordan, catalogue):
    home = catalogue[SETTING_UP_HOME]
    record_claim(jordan, home, requested_on=date(2026, 1, 20), approved_pence=116_000,
                 payments=((date(2026, 1, 22), 50_000), (date(2026, 2, 3), 66_000)))
    record_claim(jordan, home, requested_on=date(2026, 2, 10), status=ClaimStatus.DECLINED,
                 decline_reason="You already have a fridge from the first claim.")
    record_claim(jordan, home, requested_on=date(2026, 3, 18), status=ClaimStatus.REQUESTED)
    record_claim(jordan, catalogue[DRIVING], requested_on=date(2026, 3, 1), approved_pence=25_000)

    page = me.get("/me/offer")
    section = page.soup.find(id=SETTING_UP_HOME)
    claims = [_text(li) for li in section.select(".app-offer-claim")]
    assert claims == [
        "Approved £1,160 on 20 January 2026 Paid £500 on 22 January 2026 Paid £660 on 3 February 2026",
        "Not approved: You already have a fridge from the first claim. You asked on 10 February 2026",
        "Waiting for a decision You asked on 18 March 2026",
    ]
    assert _text(section.select_one(".app-offer-left")) == "£1,840 of £3,000 left"
    assert _text(page.soup.find(id=f"{DRIVING}-left")) == "£0 of £250 left"
    # Reading the offer writes nothing.
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.record_type.in_(["claim", "offer_question"]))) == 0


def test_a_declined_claim_from_an_entitlement_they_can_no_longer_get_still_shows(me, jordan, catalogue):
    record_claim(jordan, catalogue[COUNCIL_TAX], requested_on=date(2026, 2, 1), status=ClaimStatus.DECLINED,
                 decline_reason="You live in Leeds, so Leeds council tax applies.")
    page = me.get("/me/offer")
    council_tax = _text(page.soup.find(id=COUNCIL_TAX))
    assert "Not approved: You live in Leeds, so Leeds council tax applies." in council_tax


def test_an_open_question_is_mentioned_by_the_entitlement(me, jordan, catalogue):
    db.session.add(OfferQuestion(young_person_id=jordan.id, entitlement_id=catalogue[DRIVING].id, message="",
                                 created_at=datetime(2026, 3, 19, 9, 0, tzinfo=UTC)))
    db.session.commit()
    page = me.get("/me/offer")
    assert "You asked about this on 19 March 2026." in _text(page.soup.find(id=DRIVING))
    assert "You asked about this" not in _text(page.soup.find(id=SETTING_UP_HOME))


def test_with_an_empty_catalogue_each_section_says_so(client, world, frozen):
    page = client.sign_in_as(world.person_user).get("/me/offer")
    assert "There is nothing you can get at the moment." in page.text
    assert "There is nothing in the offer that you cannot get." in page.text


def test_navigation_has_your_offer_and_your_money(me):
    page = me.get("/me/offer")
    items = {_text(a): a["href"] for a in page.soup.select(".govuk-service-navigation__item a")}
    assert items["Your offer"] == "/me/offer"
    assert items["Your money"] == "/me/money"
    current = page.soup.select(".govuk-service-navigation__item--active a")
    assert [_text(a) for a in current] == ["Your offer"]


@pytest.mark.parametrize("who", ["adviser", "manager", "admin"])
@pytest.mark.parametrize("url", ["/me/offer", "/me/money", f"/me/offer/{SETTING_UP_HOME}/ask",
                                 f"/me/offer/{SETTING_UP_HOME}/asked"])
def test_staff_get_404_on_the_young_persons_pages(app, world, frozen, catalogue, who, url):
    PageClient(app).sign_in_as(getattr(world, who)).get(url, status=404)


def test_query_count_does_not_grow_with_the_offer_or_claims(app, make, world, frozen, catalogue):
    from tests.offer_builders import CATALOGUE

    def count(person) -> int:
        client = PageClient(app).sign_in_as(person.user)
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            page = client.get("/me/offer")
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        assert page.soup.select("section.app-offer-item")
        return len(statements)

    small = make.young_person(world.adviser, account=True, dob=DOB_19, independent_move_on=date(2026, 1, 1))
    make_former_relevant(small, dob=DOB_19)
    # One claim with a payment and one question (with none, the payments are not looked up at all).
    record_claim(small, catalogue[DRIVING], requested_on=date(2026, 1, 1), approved_pence=1000,
                 payments=((date(2026, 2, 1), 500),))
    db.session.add(OfferQuestion(young_person_id=small.id, entitlement_id=catalogue[DRIVING].id, message="?"))
    db.session.commit()
    small_count = count(small)

    from pathway.services.offer import create_entitlement

    for n in range(10):
        terms = dict(CATALOGUE[n % len(CATALOGUE)])
        terms.pop("slug")
        create_entitlement(slug=f"extra-{n}", by=None, **terms)
    db.session.commit()
    big = make.young_person(world.adviser, account=True, dob=DOB_19, independent_move_on=date(2026, 1, 1))
    make_former_relevant(big, dob=DOB_19)
    for n, entitlement in enumerate(catalogue.values()):
        record_claim(big, entitlement, requested_on=date(2026, 1, 1 + n), approved_pence=1000,
                     payments=((date(2026, 2, 1), 500), (date(2026, 2, 2), 500)))
        db.session.add(OfferQuestion(young_person_id=big.id, entitlement_id=entitlement.id, message="?"))
    db.session.commit()
    assert len(offer_for(big, TODAY)) == len(CATALOGUE) + 10
    big_count = count(big)
    assert small_count > 3
    assert small_count == big_count, (small_count, big_count)


def test_the_issue_journey_out_of_area_ask_award_pay_and_what_is_left(me, app, world, jordan, catalogue):
    """Issue 4: a 19-year-old living out of area sees the council tax reduction is not for them and why,
    asks about the setting up home allowance, the PA records an award and a payment, and they see what is left."""
    from pathway.models import OutboxEmail

    page = me.get("/me/offer")
    cannot = page.soup.find(id="cannot-get").find_parent("section")
    assert "You live outside Northshire: this is only for people living in Northshire" in _text(
        cannot.find(id=COUNCIL_TAX))

    ask_url = page.soup.find(id=SETTING_UP_HOME).select("a.govuk-link")[-1]["href"]
    me.get(ask_url)
    me.post(ask_url, {"message": "What can I buy with it?"}, status=303)
    [question] = db.session.scalars(select(OfferQuestion)).all()
    assert (question.young_person_id, question.entitlement_id) == (jordan.id, catalogue[SETTING_UP_HOME].id)
    assert db.session.scalars(select(OutboxEmail.to)).all() == [world.adviser.email]

    adviser = PageClient(app).sign_in_as(world.adviser)
    item = adviser.get("/caseload").soup.select_one("#offer-questions li")
    assert "Jordan Taylor asked about Setting up home allowance on 20 March 2026" in _text(item)

    # The adviser's claim pages are elsewhere: the award and payment are recorded directly here.
    record_claim(jordan, catalogue[SETTING_UP_HOME], requested_on=date(2026, 3, 20), approved_pence=116_000,
                 payments=((date(2026, 3, 20), 116_000),))
    page = me.get("/me/offer")
    home = page.soup.find(id=SETTING_UP_HOME)
    assert "Approved £1,160 on 20 March 2026 Paid £1,160 on 20 March 2026" in _text(home)
    assert _text(home.select_one(".app-offer-left")) == "£1,840 of £3,000 left"
    assert "You asked about this on 20 March 2026." in _text(home)
