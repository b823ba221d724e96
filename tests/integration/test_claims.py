"""The staff side of the local offer: the offer page, requests, decisions and payments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import (
    AuditEvent,
    CareEpisode,
    Claim,
    ClaimStatus,
    Entitlement,
    EntitlementVersion,
    Frequency,
    Payment,
    Scope,
    YoungPerson,
)
from pathway.services.offer import change_terms, create_entitlement
from tests.helpers import PageClient, count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
ASKED = ["2", "11", "2026"]
TOMORROW = ["23", "11", "2026"]
LEFT_MESSAGE = "The amount must be £1,840 or less: that is what is left of the £3,000 setting up home allowance"

SETTING_UP_HOME, COUNCIL_TAX, DRIVING = "setting-up-home-allowance", "council-tax-reduction", "driving-lessons"

# This file's own small offer, so its numbers do not move when a shared test catalogue changes.
OFFER = {
    SETTING_UP_HOME: dict(
        name="Setting up home allowance", scope=Scope.NATIONAL, amount_pence=300_000, cap_pence=300_000,
        frequency=Frequency.ONE_OFF, description="Money for the things you need in your first home of your own.",
        how_to_claim="Talk to your personal adviser.", age_from=16, age_under=25,
        categories="relevant,former_relevant"),
    COUNCIL_TAX: dict(
        name="Council tax reduction", scope=Scope.LOCAL, amount_pence=None, frequency=Frequency.YEARLY,
        description="No council tax until you are 25 if you live in Northshire.",
        how_to_claim="Your personal adviser tells the council tax team.", age_from=18, age_under=25,
        in_area_only=True),
    DRIVING: dict(
        name="Driving lessons", scope=Scope.LOCAL, amount_pence=25_000, cap_pence=25_000, frequency=Frequency.ONE_OFF,
        description="Up to £250 towards driving lessons.", how_to_claim="Ask your personal adviser.",
        age_from=17, age_under=25),
}


def build_offer(*slugs: str) -> dict[str, Entitlement]:
    made = {slug: create_entitlement(slug=slug, by=None, position=n, **OFFER[slug])
            for n, slug in enumerate(slugs or OFFER)}
    db.session.commit()
    return made


def make_former_relevant(person: YoungPerson) -> None:
    """Looked after on a care order from 15 until after their 18th birthday: former relevant from 18."""
    dob = person.date_of_birth
    db.session.add(CareEpisode(young_person_id=person.id, start_date=date(dob.year + 15, dob.month, 1),
                               end_date=date(dob.year + 18, dob.month, 28), legal_status="C2"))
    db.session.flush()


def add_claim(person, entitlement, *, requested_on: date, status: ClaimStatus = ClaimStatus.APPROVED,
              approved_pence: int | None = None, decline_reason: str | None = None, payments=()) -> Claim:
    claim = Claim(young_person_id=person.id, entitlement_id=entitlement.id,
                  entitlement_version_id=entitlement.current_version_id, status=status, requested_on=requested_on,
                  decided_on=None if status is ClaimStatus.REQUESTED else requested_on,
                  approved_pence=approved_pence, decline_reason=decline_reason)
    db.session.add(claim)
    db.session.flush()
    db.session.add_all(Payment(claim_id=claim.id, paid_on=day, amount_pence=amount) for day, amount in payments)
    db.session.commit()
    return claim


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def catalogue(world):
    made = build_offer()
    make_former_relevant(world.person)
    world.person.home_postcode = "TS1 3BX"
    db.session.commit()
    return made


@pytest.fixture
def adviser(client, world, catalogue):
    return client.sign_in_as(world.adviser)


def offer_url(person, suffix: str = "") -> str:
    return f"/young-people/{person.id}/offer{suffix}"


def ask(client, person, slug: str = SETTING_UP_HOME, *, day=ASKED, note: str = "Bed, cooker and a fridge", **kwargs):
    client.get(offer_url(person, f"/claims/new?entitlement={slug}"))
    return client.post(offer_url(person, "/claims/new"),
                       {"entitlement": slug, "requested_on": day, "note": note}, **kwargs)


def claims_of(person) -> list[Claim]:
    return list(db.session.scalars(select(Claim).where(Claim.young_person_id == person.id).order_by(Claim.id)))


def decide(client, claim, **data):
    client.get(offer_url_for(claim, "/decision"))
    return client.post(offer_url_for(claim, "/decision"), {"version": str(claim.version), **data})


def approve(client, claim, amount: str, **kwargs):
    return decide(client, claim, decision="approve", amount=amount, **kwargs)


def pay(client, claim, amount: str, *, day=("20", "11", "2026"), note: str = ""):
    client.get(offer_url_for(claim, "/payments/new"))
    return client.post(offer_url_for(claim, "/payments/new"), {"paid_on": list(day), "amount": amount, "note": note})


def offer_url_for(claim, suffix: str) -> str:
    return f"/young-people/{claim.young_person_id}/offer/claims/{claim.id}{suffix}"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- the offer page ---------------------------------------------------------------------------------

def test_the_offer_page_shows_each_decision_with_reasons_and_the_facts(adviser, world):
    page = adviser.get(offer_url(world.person))
    assert page.h1 == "Local offer and claims"
    facts = page.soup.select_one("#offer-facts").get_text(" ", strip=True)
    assert "TS1 3BX" in facts and "Lives in Northshire Yes (from the postcode)" in facts
    home = page.soup.select_one(f"#entitlement-{SETTING_UP_HOME}").get_text(" ", strip=True)
    assert "Can get it now" in home and "£3,000 of £3,000 left" in home
    assert page.soup.select_one(f"#entitlement-{SETTING_UP_HOME} a[href*='claims/new?entitlement=']")
    assert page.soup.select_one("#change-facts")["href"] == offer_url(world.person, "/facts")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "offer")).one()
    assert (event.action, event.young_person_id) == ("view", world.person.id)


def test_reasons_are_shown_when_they_cannot_get_it(adviser, world):
    world.person.home_postcode = "LS1 4AP"
    db.session.commit()
    page = adviser.get(offer_url(world.person))
    tax = page.soup.select_one(f"#entitlement-{COUNCIL_TAX}").get_text(" ", strip=True)
    assert "Cannot get it" in tax
    assert "You live outside Northshire: this is only for people living in Northshire" in tax
    assert "Lives in Northshire No (from the postcode)" in page.soup.select_one("#offer-facts").get_text(" ", strip=True)


def test_the_record_page_links_to_the_offer(adviser, world):
    page = adviser.get(f"/young-people/{world.person.id}")
    assert page.soup.select_one("#open-offer")["href"] == offer_url(world.person)


def test_the_team_manager_sees_the_offer_page(client, world, catalogue):
    client.sign_in_as(world.manager).get(offer_url(world.person))


def test_their_money_summary_is_shown_when_they_have_one(adviser, world):
    from pathway.models import MoneyPeriod
    from pathway.services.money import save_money_plan

    assert adviser.get(offer_url(world.person)).soup.select_one("#money-summary") is None
    save_money_plan(world.person, expected_version=None, period=MoneyPeriod.WEEKLY,
                    amounts={"wages": 20_000, "rent": 15_000, "food": 4_000}, by=world.person_user)
    summary = adviser.get(offer_url(world.person)).soup.select_one("#money-summary").get_text(" ", strip=True)
    assert "£10 a week left" in summary and "Tight" in summary


# --- the journey: request, approve, pay -------------------------------------------------------------

def test_request_approve_and_pay_leaves_what_is_left_of_the_cap(adviser, world, catalogue):
    page = adviser.get(offer_url(world.person, f"/claims/new?entitlement={SETTING_UP_HOME}"))
    assert page.soup.select_one("select[name=entitlement] option[selected]")["value"] == SETTING_UP_HOME
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    entitlement = catalogue[SETTING_UP_HOME]
    assert (claim.status, claim.requested_on, claim.request_note) == (ClaimStatus.REQUESTED, date(2026, 11, 2),
                                                                        "Bed, cooker and a fridge")
    assert claim.entitlement_version_id == entitlement.current_version_id
    assert claim.recorded_by_id == world.adviser.id

    page = adviser.get(offer_url_for(claim, "/decision"))
    assert page.soup.select_one("input[name=amount]")["value"] == "3,000"
    approve(adviser, claim, "£1,160", status=303)
    db.session.refresh(claim)
    assert (claim.status, claim.approved_pence, claim.decided_on, claim.decided_by_id) == (
        ClaimStatus.APPROVED, 116_000, TODAY, world.adviser.id)

    pay(adviser, claim, "500")
    pay(adviser, claim, "660.00", note="Cooker from Currys")
    assert [(p.amount_pence, p.note) for p in claim.payments] == [(50_000, None), (66_000, "Cooker from Currys")]

    page = adviser.get(offer_url(world.person))
    line = page.soup.select_one(f"#entitlement-{SETTING_UP_HOME}")
    assert line.select_one(f"#left-{SETTING_UP_HOME}").get_text(" ", strip=True) == "£1,840 of £3,000 left"
    row = line.select_one(f"#claim-{claim.id}").get_text(" ", strip=True)
    assert "Approved £1,160" in row and "£660 on 20 November 2026: Cooker from Currys" in row
    assert "Record a payment" not in row  # all of it has been paid

    events = db.session.execute(select(AuditEvent.action, AuditEvent.record_type, AuditEvent.young_person_id,
                                       AuditEvent.changed_fields)
                                .where(AuditEvent.record_type.in_(("claim", "payment"))).order_by(AuditEvent.id)).all()
    assert [(a, t) for a, t, _, _ in events] == [("create", "claim"), ("approve", "claim"), ("create", "payment"),
                                                 ("create", "payment")]
    assert {p for _, _, p, _ in events} == {world.person.id}
    assert "approved_pence" in events[1][3] and "amount_pence" in events[2][3]


def test_approving_more_than_is_left_is_refused_and_nothing_changes(adviser, world):
    ask(adviser, world.person, status=303)
    [first] = claims_of(world.person)
    approve(adviser, first, "1160", status=303)
    ask(adviser, world.person, note="A sofa", status=303)
    second = claims_of(world.person)[1]
    page = approve(adviser, second, "£1,840.01", status=400)
    assert page.errors() == [LEFT_MESSAGE]
    assert page.title.startswith("Error: ")
    db.session.refresh(second)
    assert (second.status, second.approved_pence, second.version) == (ClaimStatus.REQUESTED, None, 1)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "approve")) == 1
    approve(adviser, second, "1,840", status=303)
    assert "£0 of £3,000 left" in adviser.get(offer_url(world.person)).text


def test_nothing_left_is_explained(adviser, world):
    ask(adviser, world.person, status=303)
    approve(adviser, claims_of(world.person)[0], "3000", status=303)
    ask(adviser, world.person, status=303)
    page = approve(adviser, claims_of(world.person)[1], "1", status=400)
    assert page.errors() == ["Nothing is left of the £3,000 setting up home allowance: do not approve this request"]


def test_payments_cannot_add_up_to_more_than_was_approved(adviser, world):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    approve(adviser, claim, "1160", status=303)
    pay(adviser, claim, "1000")
    page = pay(adviser, claim, "160.01")
    assert page.status == 400
    assert page.errors() == ["The amount must be £160 or less: that is what is left to pay of the £1,160 approved"]
    assert count(Payment) == 1
    pay(adviser, claim, "160")
    page = pay(adviser, claim, "1")
    assert page.errors() == ["All of the £1,160 approved has been paid"]
    assert count(Payment) == 2


def test_a_declined_request_stores_the_reason(adviser, world):
    ask(adviser, world.person, DRIVING, status=303)
    [claim] = claims_of(world.person)
    page = decide(adviser, claim, decision="decline", decline_reason="")
    assert page.errors() == ["Enter why it is not approved"]
    decide(adviser, claim, decision="decline", decline_reason="You need a provisional licence first.")
    db.session.refresh(claim)
    assert (claim.status, claim.decline_reason, claim.approved_pence) == (
        ClaimStatus.DECLINED, "You need a provisional licence first.", None)
    row = adviser.get(offer_url(world.person)).soup.select_one(f"#claim-{claim.id}").get_text(" ", strip=True)
    assert "Not approved: You need a provisional licence first." in row
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "decline")).one()
    assert event.young_person_id == world.person.id and "decline_reason" in event.changed_fields


def test_a_decision_needs_a_choice(adviser, world):
    ask(adviser, world.person, status=303)
    page = decide(adviser, claims_of(world.person)[0])
    assert page.errors() == ["Select whether to approve the request"]
    page = decide(adviser, claims_of(world.person)[0], decision="maybe")
    assert page.errors() == ["Select whether to approve the request"]


def test_posting_the_same_request_twice_makes_one_open_claim(adviser, world):
    ask(adviser, world.person, status=303)
    page = ask(adviser, world.person, status=200)
    assert page.errors() == ["There is already a request for this waiting for a decision"]
    assert len(claims_of(world.person)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.record_type == "claim")) == 1


def test_an_entitlement_is_chosen_from_the_offer(adviser, world):
    page = ask(adviser, world.person, "not-in-the-offer", status=200)
    assert page.errors() == ["Select what they asked for"]
    assert claims_of(world.person) == []


def test_a_claim_keeps_the_terms_that_applied_when_it_was_asked_for(adviser, world, catalogue):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    approve(adviser, claim, "1160", status=303)
    entitlement = catalogue[SETTING_UP_HOME]
    old_version = claim.entitlement_version_id
    change_terms(entitlement, by=world.admin, amount_pence=350_000, cap_pence=350_000)
    db.session.refresh(claim)
    assert claim.entitlement_version_id == old_version
    assert claim.terms.amount_pence == 300_000 and claim.terms.cap_pence == 300_000
    assert db.session.get(EntitlementVersion, entitlement.current_version_id).amount_pence == 350_000
    row = adviser.get(offer_url(world.person)).soup.select_one(f"#claim-{claim.id}").get_text(" ", strip=True)
    assert "Asked under earlier terms: £3,000, up to £3,000" in row and "Approved £1,160" in row


# --- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "message"), [
    ("-1", "Enter an amount more than £0"),
    ("0", "Enter an amount more than £0"),
    ("0.001", "Enter an amount in pounds and pence, with no more than 2 numbers after the decimal point"),
    ("1e309", "Enter an amount in pounds, like £12.50 or £1,000"),
    ("NaN", "Enter an amount in pounds, like £12.50 or £1,000"),
    ("abc", "Enter an amount in pounds, like £12.50 or £1,000"),
    ("99999999999999999999999", "Enter an amount of £100,000 or less"),
    ("9" * 40, "Enter an amount in pounds, like £12.50 or £1,000"),
    ("100001", "Enter an amount of £100,000 or less"),
    ("", "Enter the amount approved"),
])
def test_bad_amounts_are_refused_with_a_message(adviser, world, typed, message):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    page = approve(adviser, claim, typed)
    assert page.status == 200
    assert page.errors() == [message]
    assert page.title.startswith("Error: ")
    db.session.refresh(claim)
    assert (claim.status, claim.approved_pence) == (ClaimStatus.REQUESTED, None)


@pytest.mark.parametrize("typed", ["-1", "0", "0.001", "1e309", "NaN", "abc", ""])
def test_bad_payment_amounts_are_refused(adviser, world, typed):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    approve(adviser, claim, "100", status=303)
    page = pay(adviser, claim, typed)
    assert page.status == 200 and len(page.errors()) == 1
    assert count(Payment) == 0


def test_an_amount_with_a_pound_sign_and_a_comma_is_accepted(adviser, world):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    approve(adviser, claim, "£1,000", status=303)
    db.session.refresh(claim)
    assert claim.approved_pence == 100_000
    pay(adviser, claim, " £1,000.00 ")
    assert [p.amount_pence for p in claim.payments] == [100_000]


def test_dates_in_the_future_are_refused(adviser, world):
    page = ask(adviser, world.person, day=TOMORROW, status=200)
    assert page.errors() == ["The date they asked must be today or in the past"]
    assert claims_of(world.person) == []
    ask(adviser, world.person, day=["22", "11", "2026"], status=303)
    [claim] = claims_of(world.person)
    approve(adviser, claim, "100", status=303)
    page = pay(adviser, claim, "50", day=TOMORROW)
    assert page.errors() == ["The date it was paid must be today or in the past"]
    page = pay(adviser, claim, "50", day=("21", "11", "2026"))
    assert page.errors() == ["The date it was paid must be on or after the date they asked, 22 November 2026"]
    page = pay(adviser, claim, "50", day=("31", "2", "2026"))
    assert page.errors() == ["The date it was paid must be a real date"]
    assert count(Payment) == 0


def test_a_request_needs_a_date(adviser, world):
    page = ask(adviser, world.person, day=["", "", ""], status=200)
    assert page.errors() == ["Enter the date they asked"]


# --- state and access ------------------------------------------------------------------------------

def test_a_decided_request_cannot_be_decided_again(adviser, world):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    approve(adviser, claim, "100", status=303)
    adviser.get(offer_url_for(claim, "/decision"), status=303)
    response = adviser.post(offer_url_for(claim, "/decision"), {"version": str(claim.version), "decision": "decline",
                                                               "decline_reason": "Changed my mind"})
    assert response.status == 409  # the conflict page: the decision stands, what they typed is shown
    assert "Changed my mind" in response.text
    db.session.refresh(claim)
    assert (claim.status, claim.decline_reason) == (ClaimStatus.APPROVED, None)


def test_a_stale_decision_is_refused(adviser, world, app):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    adviser.get(offer_url_for(claim, "/decision"))
    manager = PageClient(app).sign_in_as(world.manager)
    decide(manager, claim, decision="decline", decline_reason="Not this time")
    response = adviser.post(offer_url_for(claim, "/decision"), {"version": "1", "decision": "approve", "amount": "10"})
    assert response.status == 409
    assert "Not this time" in response.text and response.soup.select_one("form[action$='/decision']") is None
    db.session.refresh(claim)
    assert (claim.status, claim.approved_pence) == (ClaimStatus.DECLINED, None)


def test_payments_only_on_approved_requests(adviser, world):
    ask(adviser, world.person, status=303)
    [claim] = claims_of(world.person)
    adviser.get(offer_url_for(claim, "/payments/new"), status=303)
    adviser.post(offer_url_for(claim, "/payments/new"), {"paid_on": ["20", "11", "2026"], "amount": "10"}, status=303)
    assert count(Payment) == 0


def test_another_young_persons_claim_is_not_found(adviser, world, catalogue):
    other = Claim(young_person_id=world.other_person.id, entitlement_id=catalogue[DRIVING].id,
                  entitlement_version_id=catalogue[DRIVING].current_version_id, requested_on=TODAY,
                  status=ClaimStatus.APPROVED, approved_pence=10_000)
    db.session.add(other)
    db.session.commit()
    for suffix in ("/decision", "/payments/new"):
        url = offer_url(world.person, f"/claims/{other.id}{suffix}")
        adviser.get(url, status=404)
        adviser.post(url, {"decision": "approve", "amount": "1", "version": "1", "paid_on": ["1", "11", "2026"]},
                     status=404)
    assert count(Payment) == 0


@pytest.mark.parametrize("who", ["person_user", "colleague", "other_manager", "admin"])
def test_people_who_may_not_record_claims_get_404(app, world, catalogue, who):
    claim = Claim(young_person_id=world.person.id, entitlement_id=catalogue[DRIVING].id,
                  entitlement_version_id=catalogue[DRIVING].current_version_id, requested_on=TODAY)
    db.session.add(claim)
    db.session.commit()
    client = PageClient(app).sign_in_as(getattr(world, who))
    client.post(offer_url(world.person, "/claims/new"), {"entitlement": DRIVING, "requested_on": ASKED}, status=404)
    client.post(offer_url(world.person, f"/claims/{claim.id}/decision"),
                {"decision": "approve", "amount": "100", "version": "1"}, status=404)
    client.post(offer_url(world.person, "/facts"), {"in_area": "postcode", "version": "1"}, status=404)
    db.session.refresh(claim)
    assert claim.status is ClaimStatus.REQUESTED
    assert len(claims_of(world.person)) == 1


def test_requests_for_something_no_longer_offered_are_still_shown(adviser, world, catalogue):
    claim = add_claim(world.person, catalogue[DRIVING], requested_on=date(2026, 6, 1), approved_pence=20_000,
                      payments=((date(2026, 6, 3), 20_000),))
    catalogue[DRIVING].active = False
    db.session.commit()
    page = adviser.get(offer_url(world.person))
    assert page.soup.select_one(f"#entitlement-{DRIVING}") is None
    row = page.soup.select_one(f"#past-claims #claim-{claim.id}").get_text(" ", strip=True)
    assert "Driving lessons" in row and "Approved £200" in row and "Terms when they asked: £250, up to £250" in row
    page = ask(adviser, world.person, DRIVING, status=200)
    assert page.errors() == ["Select what they asked for"]


def test_the_offer_page_query_count_does_not_grow_with_claims(adviser, world, catalogue):


    def queries() -> int:
        return count_queries(lambda: adviser.get(offer_url(world.person)))

    add_claim(world.person, catalogue[DRIVING], requested_on=date(2026, 6, 1), approved_pence=5_000)
    catalogue[DRIVING].active = False  # its claim is listed under "No longer in the offer"
    db.session.commit()
    small = queries()
    for n in range(4):
        add_claim(world.person, catalogue[SETTING_UP_HOME], requested_on=date(2026, 6, 2 + n), approved_pence=10_000,
                  payments=((date(2026, 7, 1), 5_000), (date(2026, 7, 2), 5_000)))
        add_claim(world.person, catalogue[DRIVING], requested_on=date(2026, 6, 2 + n), approved_pence=1_000,
                  payments=((date(2026, 7, 1), 1_000),))
    large = queries()
    assert small == large, f"{small} queries with 1 claim, {large} with 5"
