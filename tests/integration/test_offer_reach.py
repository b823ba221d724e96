"""Offer reach for managers: eligible, claimed, paid, and who misses out only because they live out of area.

The numbers are worked out by hand on a small fixed world (today is 22 November 2026; Northshire is
TS1-TS8). Team North (world.manager):

- Jordan (world.person), 19, former relevant, TS1 3BX (in area).
- Callum (world.colleague_person), 19, former relevant, LS1 4AP (out of area).
- Casey, 17, still looked after (an eligible child), DL1 1AA (out of area).
- Drew, 19, never looked after (not a care leaver), LS2 7AA (out of area).
- Erin, 19, former relevant, no postcode (unknown).

Team South (world.other_manager): Aisha (world.other_person), 19, former relevant, out of area, with a
paid claim: never counted for North.

Setting up home allowance (16-24, relevant or former relevant): Jordan, Callum, Erin can get it -> 3.
Council tax reduction (18-24, lives in Northshire): Jordan -> 1. Erin is unknown: "needs a decision" -> 2.
  Out of area only: Callum (now) and Casey (from her 18th birthday) -> 2. Drew is not a care leaver.
Driving lessons (17-24, any care leaver): Jordan, Callum, Casey, Erin -> 4.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event

from pathway.extensions import db
from pathway.models import CareEpisode, ClaimStatus
from pathway.queries.offer_reach import get_offer_reach
from tests.helpers import PageClient
from tests.integration.test_claims import (
    COUNCIL_TAX,
    DRIVING,
    SETTING_UP_HOME,
    add_claim,
    build_offer,
    make_former_relevant,
)

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
DOB_19 = date(2007, 5, 17)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def former_relevant(make, adviser, postcode, **names):
    person = make.young_person(adviser, dob=DOB_19, home_postcode=postcode, **names)
    make_former_relevant(person)
    return person


@pytest.fixture
def reach_world(make, world):
    catalogue = build_offer()
    w = world
    w.catalogue = catalogue
    for person, postcode in ((w.person, "TS1 3BX"), (w.colleague_person, "LS1 4AP"), (w.other_person, "LS6 1AA")):
        person.home_postcode = postcode
        make_former_relevant(person)
    w.casey = make.young_person(w.adviser, dob=date(2009, 3, 1), home_postcode="DL1 1AA", given_name="Casey",
                                family_name="Moor")
    db.session.add(CareEpisode(young_person_id=w.casey.id, start_date=date(2023, 1, 9), legal_status="C2"))
    w.drew = make.young_person(w.colleague, dob=DOB_19, home_postcode="LS2 7AA", given_name="Drew", family_name="Ash")
    w.erin = former_relevant(make, w.adviser, None, given_name="Erin", family_name="Bell")
    db.session.commit()
    home, tax, driving = catalogue[SETTING_UP_HOME], catalogue[COUNCIL_TAX], catalogue[DRIVING]
    add_claim(w.person, home, requested_on=date(2026, 10, 1), approved_pence=116_000,
                 payments=((date(2026, 10, 5), 50_000), (date(2026, 10, 20), 66_000)))
    add_claim(w.person, driving, requested_on=date(2026, 10, 2), status=ClaimStatus.DECLINED,
                 decline_reason="Provisional licence first")
    add_claim(w.colleague_person, driving, requested_on=date(2026, 11, 1), status=ClaimStatus.REQUESTED)
    add_claim(w.other_person, home, requested_on=date(2026, 9, 1), approved_pence=300_000,
                 payments=((date(2026, 9, 2), 300_000),))
    _ = tax
    return w


def numbers(reach) -> dict[str, tuple[int, int, int, int]]:
    return {row.entitlement.slug: (row.eligible, row.claimed, row.paid_pence, row.out_of_area) for row in reach.rows}


def test_offer_reach_numbers_worked_out_by_hand(reach_world, app_ctx):
    w = reach_world
    reach = get_offer_reach(w.manager, TODAY)
    assert reach.people_count == 5
    assert numbers(reach) == {
        SETTING_UP_HOME: (3, 1, 116_000, 0),
        COUNCIL_TAX: (2, 0, 0, 2),
        DRIVING: (4, 2, 0, 0),
    }
    assert reach.gap_people_count == 2
    assert sorted((e.person.display_name, e.entitlement.slug, e.would_be.value) for e in reach.gap) == [
        ("Callum Robson", COUNCIL_TAX, "eligible"),
        ("Casey Moor", COUNCIL_TAX, "later"),
    ]


def test_the_other_team_is_counted_only_for_its_own_manager(reach_world, app_ctx):
    reach = get_offer_reach(reach_world.other_manager, TODAY)
    assert reach.people_count == 1
    assert numbers(reach)[SETTING_UP_HOME] == (1, 1, 300_000, 0)
    assert [(e.person.display_name, e.entitlement.slug) for e in reach.gap] == [("Aisha Khan", COUNCIL_TAX)]


def test_an_override_closes_the_gap(reach_world, app_ctx):
    w = reach_world
    w.colleague_person.in_area_override = True
    w.colleague_person.in_area_override_reason = "Placed by us just over the border"
    db.session.commit()
    reach = get_offer_reach(w.manager, TODAY)
    assert numbers(reach)[COUNCIL_TAX] == (3, 0, 0, 1)
    assert [e.person.display_name for e in reach.gap] == ["Casey Moor"]


def test_the_offer_reach_page(reach_world, client):
    w = reach_world
    manager = client.sign_in_as(w.manager)
    home = manager.get("/manager")
    nav = {a.get_text(strip=True): a["href"] for a in home.soup.select(".govuk-service-navigation__item a")}
    assert nav["Offer reach"] == "/manager/offer-reach"
    page = manager.get("/manager/offer-reach")
    assert page.h1 == "Offer reach"
    assert page.soup.select_one("#gap-count").get_text(" ", strip=True).startswith("2 young people miss")
    cells = [td.get_text(strip=True) for td in page.soup.select(f"#reach-{SETTING_UP_HOME} td")]
    assert cells == ["3", "1", "£1,160", "0"]
    cells = [td.get_text(strip=True) for td in page.soup.select(f"#reach-{COUNCIL_TAX} td")]
    assert cells == ["2", "0", "£0", "2"]
    links = {a.get_text(strip=True): a["href"] for a in page.soup.select("#gap-list a")}
    assert links == {"Callum Robson": f"/young-people/{w.colleague_person.id}",
                     "Casey Moor": f"/young-people/{w.casey.id}"}
    assert "Aisha Khan" not in page.text


@pytest.mark.parametrize("who", ["adviser", "person_user", "admin"])
def test_only_managers_see_offer_reach(app, world, who):
    PageClient(app).sign_in_as(getattr(world, who)).get("/manager/offer-reach", status=404)


def test_a_manager_with_no_young_people_sees_empty_numbers(make, client):
    build_offer(DRIVING)
    lonely = make.manager(make.team("Empty"))
    page = client.sign_in_as(lonely).get("/manager/offer-reach")
    assert [td.get_text(strip=True) for td in page.soup.select(f"#reach-{DRIVING} td")] == ["0", "0", "£0", "0"]
    assert page.soup.select_one("#gap-list") is None


def test_the_number_of_queries_does_not_grow_with_the_teams(make, client):
    catalogue = build_offer()
    team = make.team("East")
    manager = make.manager(team)
    adviser = make.adviser(team)

    def add_people(n: int) -> None:
        for i in range(n):
            person = former_relevant(make, adviser, "LS1 4AP" if i % 2 else "TS3 6AB")
            add_claim(person, catalogue[SETTING_UP_HOME], requested_on=date(2026, 10, 1), approved_pence=10_000,
                         payments=((date(2026, 10, 2), 5_000), (date(2026, 10, 3), 5_000)))
            add_claim(person, catalogue[DRIVING], requested_on=date(2026, 10, 1), status=ClaimStatus.REQUESTED)
        db.session.commit()

    signed_in = client.sign_in_as(manager)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            signed_in.get("/manager/offer-reach")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    add_people(2)
    small = queries()
    add_people(6)
    large = queries()
    page = signed_in.get("/manager/offer-reach")
    assert [td.get_text(strip=True) for td in page.soup.select(f"#reach-{SETTING_UP_HOME} td")][:3] == [
        "8", "8", "£800"]
    assert small == large, f"{small} queries for 2 young people, {large} for 8"
