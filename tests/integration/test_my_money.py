""""Your money": weekly or monthly income and costs, what is left, and help when it is short."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuditEvent, MoneyPeriod, MoneyPlan
from pathway.services import money as money_service
from tests.helpers import PageClient
from tests.offer_builders import COUNCIL_TAX, DRIVING, EMERGENCY, SETTING_UP_HOME, build_catalogue, make_former_relevant

NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DOB_19 = date(2006, 10, 10)
BLANK = {name: "" for name in MoneyPlan.INCOME + MoneyPlan.COSTS}


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def me(client, world, frozen) -> PageClient:
    return client.sign_in_as(world.person_user)


def _plan() -> MoneyPlan | None:
    return db.session.scalar(select(MoneyPlan))


def _audits() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "money_plan")
                                   .order_by(AuditEvent.id)))


def _text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _totals(page) -> dict[str, str]:
    rows = page.soup.select("#money-totals .govuk-summary-list__row")
    return {_text(r.select_one(".govuk-summary-list__key")): _text(r.select_one(".govuk-summary-list__value"))
            for r in rows}


def _post(client, version: str = "", period: str = "weekly", status: int | None = None, **amounts):
    return client.post("/me/money", {"period": period, "version": version, **BLANK, **amounts}, status=status)


def _form_version(page) -> str:
    return page.soup.find("input", attrs={"name": "version"})["value"]


def test_a_new_money_plan_starts_blank_and_weekly(me):
    page = me.get("/me/money")
    assert page.h1 == "Your money"
    assert page.soup.find("input", attrs={"name": "period", "value": "weekly"}).has_attr("checked")
    assert page.soup.find(id="what-is-left") is None
    for name in MoneyPlan.INCOME + MoneyPlan.COSTS:
        box = page.soup.find("input", attrs={"name": name})
        assert box["value"] == "" and box["inputmode"] == "decimal"
    assert page.soup.find(id="rent").find_previous("label").get_text(strip=True) == "Rent"
    assert _plan() is None


def test_saving_stores_pence_audits_and_shows_what_is_left(me, world):
    page = me.get("/me/money")
    response = _post(me, _form_version(page), wages="£1,000", universal_credit="12.50", bursaries="0",
                     rent="85", energy="15.5", food="40", phone="£10.00", status=303)
    assert response.response.headers["Location"] == "/me/money#what-is-left"

    plan = _plan()
    assert plan.young_person_id == world.person.id
    assert plan.period is MoneyPeriod.WEEKLY
    assert (plan.wages, plan.universal_credit, plan.bursaries, plan.other_income) == (100_000, 1250, 0, 0)
    assert (plan.rent, plan.energy, plan.food, plan.phone, plan.travel, plan.debts, plan.other_costs) == (
        8500, 1550, 4000, 1000, 0, 0, 0)
    [audit] = _audits()
    assert audit.action == "create" and audit.young_person_id == world.person.id
    assert audit.user_id == world.person_user.id

    page = me.get("/me/money")
    assert "Your money plan has been saved. Your personal adviser can see it." in page.text
    assert _totals(page) == {
        "Money coming in": "£1,012.50 a week",
        "Money going out": "£150.50 a week",
        "Left each week": "£862",
        "Left each month": "£3,735.33",
    }
    # The boxes show what is saved, in pounds.
    assert page.soup.find("input", attrs={"name": "wages"})["value"] == "1,000"
    assert page.soup.find("input", attrs={"name": "energy"})["value"] == "15.50"
    assert page.soup.find("input", attrs={"name": "bursaries"})["value"] == ""
    assert page.soup.find(id="money-short") is None and page.soup.find(id="money-tight") is None


def test_a_change_is_saved_on_the_same_row_and_audited_with_the_fields(me):
    _post(me, wages="100", status=303)
    plan = _plan()
    _post(me, str(plan.version), period="monthly", wages="400", rent="300", status=303)
    db.session.refresh(plan)
    assert (plan.period, plan.wages, plan.rent, plan.version) == (MoneyPeriod.MONTHLY, 40_000, 30_000, 2)
    update = _audits()[-1]
    assert update.action == "update"
    assert set(update.changed_fields.split(",")) == {"period", "wages", "rent"}
    page = me.get("/me/money")
    assert _totals(page)["Money coming in"] == "£400 a month"
    assert _totals(page)["Left each week"] == "£23.08"  # £100 a month is £1,200 a year, over 52 weeks
    assert _totals(page)["Left each month"] == "£100"


@pytest.mark.parametrize(("typed", "error"), [
    ("-1", "Rent must be £0 or more"),
    ("£-85", "Rent must be £0 or more"),
    ("\u221285", "Rent must be £0 or more"),
    ("0.001", "Enter rent in pounds and pence, like 85.50, with no more than 2 numbers after the decimal point"),
    ("1e309", "Enter rent as an amount in pounds, like 85 or 85.50"),
    ("NaN", "Enter rent as an amount in pounds, like 85 or 85.50"),
    ("inf", "Enter rent as an amount in pounds, like 85 or 85.50"),
    ("abc", "Enter rent as an amount in pounds, like 85 or 85.50"),
    ("85,50", "Enter rent as an amount in pounds, like 85 or 85.50"),
    ("100001", "Rent must be £100,000 or less"),
    ("9" * 40, "Rent must be £100,000 or less"),
])
def test_bad_amounts_are_explained_and_nothing_changes(me, typed, error):
    _post(me, wages="200", rent="85", status=303)
    plan = _plan()
    before = (plan.version, plan.rent, plan.wages)

    page = _post(me, str(plan.version), wages="300", rent=typed, status=200)
    assert page.errors() == [error]
    assert page.title.startswith("Error: Your money")
    assert page.soup.find(id="rent-error") is not None
    assert page.soup.find("input", attrs={"name": "rent"})["value"] == typed[:40]
    assert page.soup.find("input", attrs={"name": "wages"})["value"] == "300"  # what they typed is kept
    db.session.refresh(plan)
    assert (plan.version, plan.rent, plan.wages) == before
    assert len(_audits()) == 1


def test_every_bad_box_is_named_with_its_own_words(me):
    page = _post(me, universal_credit="lots", energy="-5", debts="0.001", status=200)
    assert page.errors() == [
        "Enter Universal Credit as an amount in pounds, like 85 or 85.50",
        "Gas and electricity must be £0 or more",
        "Enter debts in pounds and pence, like 85.50, with no more than 2 numbers after the decimal point",
    ]
    assert [a["href"] for a in page.soup.select(".govuk-error-summary__list a")] == [
        "#universal_credit", "#energy", "#debts"]
    assert _plan() is None


@pytest.mark.parametrize("typed", ["0", "£0", "0.00", " ", ""])
def test_zero_or_blank_is_nothing(me, typed):
    _post(me, wages="100", rent=typed, status=303)
    assert _plan().rent == 0


@pytest.mark.parametrize("typed", ["£1,000", "1000", "1,000.00", " £ 1000 "])
def test_pounds_with_a_symbol_and_commas_are_accepted(me, typed):
    _post(me, wages=typed, status=303)
    assert _plan().wages == 100_000


@pytest.mark.parametrize("period", ["", "yearly", "x" * 100])
def test_the_period_must_be_weekly_or_monthly(me, period):
    page = _post(me, period=period, wages="100", status=200)
    assert page.errors() == ["Select each week or each month"]
    assert _plan() is None


def test_a_save_from_an_old_page_is_refused_and_nothing_is_lost(me, app, world):
    _post(me, wages="200", rent="85", status=303)
    old_page = me.get("/me/money")
    old_version = _form_version(old_page)

    # Saved again on their other phone.
    other_phone = PageClient(app).sign_in_as(world.person_user)
    _post(other_phone, old_version, wages="250", rent="90", status=303)

    page = _post(me, old_version, wages="210", rent="80", food="30", status=409)
    assert "Your money plan was changed somewhere else" in _text(page.soup.find(id="conflict"))
    # What they typed is still there; what is saved now is shown; nothing of theirs was saved.
    assert page.soup.find("input", attrs={"name": "food"})["value"] == "30"
    assert page.soup.find("input", attrs={"name": "wages"})["value"] == "210"
    assert _totals(page)["Money coming in"] == "£250 a week"
    plan = _plan()
    assert (plan.wages, plan.rent, plan.food, plan.version) == (25_000, 9000, 0, 2)

    # Saving again, from the page they were given, works.
    _post(me, _form_version(page), wages="210", rent="80", food="30", status=303)
    db.session.refresh(plan)
    assert (plan.wages, plan.rent, plan.food, plan.version) == (21_000, 8000, 3000, 3)


def test_a_first_save_racing_another_first_save_is_a_conflict(me, app, world):
    page = me.get("/me/money")
    PageClient(app).sign_in_as(world.person_user).post(
        "/me/money", {"period": "weekly", "version": "", **BLANK, "wages": "50"}, status=303)
    _post(me, _form_version(page), wages="60", status=409)
    assert _plan().wages == 5000


# --- when money is short or tight --------------------------------------------------------------------

@pytest.fixture
def offer(world):
    """Jordan is 19, former relevant, working, and has moved into a flat in Northshire."""
    catalogue = build_catalogue()
    person = world.person
    person.date_of_birth = DOB_19
    person.home_postcode = "TS1 2AB"
    person.independent_move_on = date(2026, 1, 15)
    person.main_activity = "F5"
    make_former_relevant(person, dob=DOB_19)
    db.session.commit()
    return catalogue


def test_when_money_is_short_it_points_to_help_they_can_get_now(me, offer):
    _post(me, wages="100", rent="90", food="40", status=303)
    page = me.get("/me/money")
    assert _totals(page)["Left each week"] == "£30 short"
    assert "You are spending £30 a week more than you have coming in." in _text(page.soup.find(id="money-short"))

    emergency = page.soup.find(id="emergency-help")
    assert emergency.find("a")["href"] == f"/me/offer#{EMERGENCY}"
    assert "Call your personal adviser, or the leaving care duty line." in _text(emergency)
    help_links = {_text(a): a["href"] for a in page.soup.select("#money-help a")}
    assert help_links["Setting up home allowance"] == f"/me/offer#{SETTING_UP_HOME}"
    assert help_links["Council tax reduction"] == f"/me/offer#{COUNCIL_TAX}"
    assert help_links["Driving lessons"] == f"/me/offer#{DRIVING}"
    assert "Emergency payment" not in help_links  # shown on its own, above
    items = [_text(li) for li in page.soup.select("#money-help li")]
    assert "Setting up home allowance : £3,000 (one-off)" in items
    assert "Council tax reduction : amount varies (each year)" in items
    # Only what they can get now: not the higher education bursary.
    assert "Higher education bursary" not in help_links


def test_when_money_is_tight_it_says_so_and_shows_what_is_left_of_a_capped_entitlement(me, offer, world):
    from tests.offer_builders import record_claim

    record_claim(world.person, offer[SETTING_UP_HOME], requested_on=date(2026, 1, 20), approved_pence=116_000)
    record_claim(world.person, offer[DRIVING], requested_on=date(2026, 1, 20), approved_pence=25_000)
    _post(me, wages="100", rent="85", status=303)
    page = me.get("/me/money")
    assert page.soup.find(id="money-tight") is not None and page.soup.find(id="money-short") is None
    items = [_text(li) for li in page.soup.select("#money-help li")]
    assert "Setting up home allowance : £1,840 left (one-off)" in items
    assert not any(item.startswith("Driving lessons") for item in items)  # used up


def test_with_enough_left_there_is_no_warning(me, offer):
    _post(me, wages="100", rent="80", status=303)  # £20 a week left: not tight
    page = me.get("/me/money")
    assert page.soup.find(id="money-tight") is None and page.soup.find(id="money-help") is None


def test_staff_can_get_the_summary_for_their_own_pages(me, world):
    assert money_service.money_summary(world.person) is None
    _post(me, period="monthly", wages="1,200", rent="600", food="150", status=303)
    summary = money_service.money_summary(world.person)
    assert (summary.period, summary.income_pence, summary.costs_pence) == (MoneyPeriod.MONTHLY, 120_000, 75_000)
    assert summary.monthly_left_pence == 45_000
    assert summary.weekly_left_pence == 10_385  # £450 a month = £5,400 a year / 52
    assert summary.state == "ok"


@pytest.mark.parametrize(("left_weekly", "state"), [(-1, "short"), (0, "tight"), (1999, "tight"), (2000, "ok")])
def test_short_and_tight_boundaries(left_weekly, state):
    summary = money_service.summarise(MoneyPeriod.WEEKLY, {"wages": 10_000 + left_weekly, "rent": 10_000})
    assert summary.state == state


def test_the_save_service_refuses_negative_amounts(world):
    with pytest.raises(ValueError):
        money_service.save_money_plan(world.person, expected_version=None, period=MoneyPeriod.WEEKLY,
                                      amounts={"rent": -1}, by=world.person_user)
    assert _plan() is None
