"""The manager's indicators page and the young people behind each indicator (issue 6 section 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import (
    AccommodationMove,
    Allocation,
    AuditEvent,
    Contact,
    PathwayPlan,
    PlanStatus,
    ReviewReason,
    TeamManager,
)
from pathway.services.indicators import indicator_report
from tests.helpers import count_queries

NOON = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
ON = {"on-day": "15", "on-month": "6", "on-year": "2026"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def manager(client, world):
    return client.sign_in_as(world.manager)


def url(path: str = "", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/manager/indicators{path}" + (f"?{query}" if query else "")


def add_contact(person, when: datetime, kind: str = "phone", reached: bool = True, **fields) -> None:
    db.session.add(Contact(young_person_id=person.id, contact_at=when, kind=kind, reached=reached, **fields))
    db.session.commit()


def section(page, key: str) -> str:
    node = page.soup.find(id=f"indicator-{key}")
    assert node is not None, f"no indicator {key}"
    return node.get_text(" ", strip=True)


def names(page, table_id: str) -> list[str]:
    table = page.soup.find(id=table_id)
    return [a.get_text(strip=True) for a in table.select("tbody a")] if table else []


def test_the_page_shows_each_indicator_with_numbers_chart_and_table(manager, world):
    # Jordan (Adviser One) is in touch; Callum (Adviser Two) has nothing recorded; Aisha is in another team.
    add_contact(world.person, datetime(2026, 6, 1, 10, tzinfo=UTC), kind="home_visit", in_touch="YES")
    add_contact(world.other_person, datetime(2026, 6, 1, 10, tzinfo=UTC), kind="home_visit", in_touch="YES")
    page = manager.get(url(**ON))
    assert page.h1 == "Indicators"
    assert "North on 15 June 2026" in page.text
    in_touch = section(page, "in-touch")
    assert "50%" in in_touch and "1 of 2 young people" in in_touch
    assert "Latest in touch status recorded at a contact is YES" in in_touch
    seen = section(page, "seen-within-standard")
    assert "50%" in seen and "1 of 2 young people" in seen
    caseload = section(page, "average-caseload")
    assert "2 young people, 2 active advisers" in caseload
    node = page.soup.find(id="indicator-in-touch")
    svg = node.find("svg")
    assert svg["role"] == "img" and "In touch" in svg.find("title").get_text()
    rows = node.select("details table tbody tr")
    assert len(rows) == 12
    assert rows[0].get_text(" ", strip=True) == "15 June 2026 50%"  # newest first
    assert rows[-1].get_text(" ", strip=True).startswith("15 July 2025")
    link = next(a for a in node.find_all("a") if "See the young people" in a.get_text())
    assert link["href"] == "/manager/indicators/in-touch?on-day=15&on-month=6&on-year=2026"
    assert len(page.soup.select("section.app-indicator")) == 11


def test_the_fragment_for_htmx(manager, world):
    page = manager.get(url(**ON), htmx=True)
    assert page.soup.find(id="indicator-plan-in-date") is not None
    assert page.soup.find("form")["hx-target"] == "#indicators"
    assert page.soup.find("h1") is None


def test_today_by_default(manager, world):
    page = manager.get(url())
    assert "North on 1 July 2026" in page.text
    assert page.soup.find(id="on-day")["value"] == "1"
    assert page.soup.find(id="on-year")["value"] == "2026"


def test_the_young_people_behind_an_indicator(manager, world):
    add_contact(world.person, datetime(2026, 6, 1, 10, tzinfo=UTC), in_touch="YES")
    page = manager.get(url("/in-touch", **ON))
    assert page.h1 == "In touch"
    assert names(page, "met") == ["Jordan Taylor"]
    assert names(page, "not-met") == ["Callum Robson"]
    assert page.soup.find(id="met").find("a")["href"] == f"/young-people/{world.person.id}"
    assert "Adviser One" in page.soup.find(id="met").get_text()
    assert "Adviser Two" in page.soup.find(id="not-met").get_text()
    assert "Aisha" not in page.text
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "indicator")).all()
    assert (event.action, event.user_id, event.changed_fields, event.record_id) == ("view", world.manager.id,
                                                                                   "in-touch", None)
    fragment = manager.get(url("/in-touch", **ON), htmx=True)
    assert names(fragment, "met") == ["Jordan Taylor"]
    assert fragment.soup.find("form")["hx-target"] == "#indicator-people"


def test_an_inactive_advisers_young_people_are_not_allocated(manager, world, make):
    world.colleague.active = False
    db.session.commit()
    page = manager.get(url("/pa-allocated", **ON))
    assert names(page, "met") == ["Jordan Taylor"]
    assert names(page, "not-met") == ["Callum Robson"]
    assert "(account inactive)" in page.soup.find(id="not-met").get_text()


def test_post_move_visit_drill_down(manager, world):
    db.session.add(AccommodationMove(young_person_id=world.person.id, move_in=date(2026, 5, 1), code="U1"))
    db.session.add(AccommodationMove(young_person_id=world.colleague_person.id, move_in=date(2026, 5, 1), code="U1"))
    db.session.commit()
    add_contact(world.person, datetime(2026, 5, 8, 9, tzinfo=UTC), kind="home_visit")  # day 7
    add_contact(world.colleague_person, datetime(2026, 5, 9, 9, tzinfo=UTC), kind="home_visit")  # day 8
    page = manager.get(url(**ON))
    assert "1 of 2 moves" in section(page, "post-move-visit")
    people = manager.get(url("/post-move-visit", **ON))
    assert names(people, "met") == ["Jordan Taylor"]
    assert names(people, "not-met") == ["Callum Robson"]


def test_plan_in_date_from_the_database(manager, world):
    for person, plan_date, status in ((world.person, date(2025, 12, 15), PlanStatus.ACTIVE),
                                      (world.colleague_person, date(2026, 3, 1), PlanStatus.DRAFT)):
        db.session.add(PathwayPlan(young_person_id=person.id, number=1, status=status,
                                   reason=ReviewReason.FIRST_PLAN, plan_date=plan_date))
    db.session.commit()
    page = manager.get(url("/plan-in-date", **ON))
    assert names(page, "met") == ["Jordan Taylor"]  # exactly 6 months old on 15 June
    assert names(page, "not-met") == ["Callum Robson"]  # a draft is not a plan
    later = manager.get(url("/plan-in-date", **{**ON, "on-day": "16"}))
    assert names(later, "met") == []


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("31", "4", "2026", "The date must be a real date"),
    ("2", "7", "2026", "The date must be today or in the past"),
    ("31", "12", "1999", "The date must be on or after 1 January 2000"),
    ("1", "6", "", "The date must include a year"),
    ("", "", "2026", "The date must include a day and month"),
    ("x", "6", "2026", "The date must be a real date"),
    ("1", "6", "26", "The date must be a real date"),
])
def test_bad_dates_are_explained(manager, world, day, month, year, message):
    params = {"on-day": day, "on-month": month, "on-year": year}
    page = manager.get(url(**params), status=400)
    assert page.errors() == [message]
    assert page.title.startswith("Error: ")
    assert message in page.soup.select_one(".govuk-error-message").get_text()
    assert page.soup.select_one(".govuk-input--error") is not None
    assert page.soup.select_one("section.app-indicator") is None
    fragment = manager.get(url(**params), status=400, htmx=True)
    assert fragment.errors() == [message]
    people = manager.get(url("/in-touch", **params), status=400)
    assert people.errors() == [message]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "indicator")) is None


def test_one_team(manager, world, make):
    east = make.team("East")
    db.session.add(TeamManager(team_id=east.id, user_id=world.manager.id))
    east_adviser = make.adviser(east, name="Adviser East")
    make.young_person(east_adviser, given_name="Eve", family_name="East", dob=date(2006, 1, 1))
    db.session.commit()
    everyone = manager.get(url("/in-touch", **ON))
    assert sorted(names(everyone, "not-met")) == ["Callum Robson", "Eve East", "Jordan Taylor"]
    page = manager.get(url(**ON, team=east.id))
    assert "East on 15 June 2026" in page.text
    assert "1 young person, 1 active adviser" in section(page, "average-caseload")
    assert page.soup.find("select", id="team").find("option", selected=True).get_text() == "East"
    people = manager.get(url("/in-touch", **ON, team=east.id))
    assert names(people, "not-met") == ["Eve East"]


def test_other_teams_and_bad_ids_are_not_found(manager, world):
    manager.get(url(**ON, team=world.south.id), status=404)
    manager.get(url("/in-touch", **ON, team=world.south.id), status=404)
    manager.get(url(team="abc"), status=404)
    manager.get(url(team=999999), status=404)
    manager.get(url("/no-such-indicator"), status=404)
    manager.get(url(team=world.south.id, **{"on-day": "31", "on-month": "4", "on-year": "2026"}), status=404)


@pytest.mark.parametrize("who", ["adviser", "person_user", "admin"])
def test_only_managers(client, world, who):
    client.sign_in_as(getattr(world, who))
    client.get(url(), status=404)
    client.get(url("/in-touch"), status=404)


def test_signed_out_goes_to_sign_in(client, world):
    assert client.get(url(), status=302).response.headers["Location"].startswith("/sign-in")


def _add_history(make, world, people: int) -> None:
    for n in range(people):
        person = make.young_person(world.adviser if n % 2 else world.colleague, dob=date(2004 + n % 6, 3, 1 + n),
                                   allocated_on=date(2025, 9, 1))
        db.session.add(Allocation(young_person_id=person.id, adviser_id=world.colleague.id,
                                  start_date=date(2024, 1, 1), end_date=date(2025, 9, 1)))
        db.session.add(AccommodationMove(young_person_id=person.id, move_in=date(2026, 2, 1 + n), code="U1"))
        db.session.add(PathwayPlan(young_person_id=person.id, number=1, status=PlanStatus.ACTIVE,
                                   reason=ReviewReason.FIRST_PLAN, plan_date=date(2026, 1, 1 + n)))
        for month in (1, 3, 5):
            db.session.add(Contact(young_person_id=person.id, contact_at=datetime(2026, month, 2 + n, 10, tzinfo=UTC),
                                   kind="home_visit", reached=True, in_touch="YES", activity="F1"))
        db.session.add(Contact(young_person_id=person.id, contact_at=datetime(2023, 1, 2 + n, 10, tzinfo=UTC),
                               kind="phone", reached=True, in_touch="NO", activity="G5"))
    db.session.commit()


def test_the_number_of_queries_does_not_grow(manager, world, make):
    _add_history(make, world, 2)
    small_page = count_queries(lambda: manager.get(url(**ON)))
    small_people = count_queries(lambda: manager.get(url("/seen-within-standard", **ON)))
    _add_history(make, world, 12)
    assert count_queries(lambda: manager.get(url(**ON))) == small_page
    assert count_queries(lambda: manager.get(url("/seen-within-standard", **ON))) == small_people
    report = indicator_report(world.manager, date(2026, 6, 15))
    assert report.get("seen-within-standard").denominator == 16
    assert report.get("in-touch").numerator == 14  # the 2023 "NO" is older than May's "YES"


def test_in_touch_and_activity_before_the_window(world, make, app_ctx):
    # Recorded 2 years before the date: outside the contacts window, found by the window-function queries.
    add_contact(world.person, datetime(2024, 6, 1, 10, tzinfo=UTC), in_touch="YES", activity="F2")
    add_contact(world.person, datetime(2024, 5, 1, 10, tzinfo=UTC), in_touch="NO", activity="G5")
    add_contact(world.colleague_person, datetime(2024, 6, 1, 10, tzinfo=UTC), in_touch="NO", activity="G6")
    world.colleague_person.main_activity = "F1"  # the record's activity is used only when no contact recorded one
    db.session.commit()
    report = indicator_report(world.manager, date(2026, 6, 15))
    assert report.get("in-touch").numerator_ids == (world.person.id,)
    assert report.get("eet-all-ages").numerator_ids == (world.person.id,)
    assert report.people[world.person.id].adviser_name == "Adviser One"


def test_the_loading_windows_lose_nothing(world, make, app_ctx):
    """Every chart point from the windowed load equals the indicators worked out from five years of facts."""
    from pathway.queries.indicators import list_advisers, load_people_facts
    from pathway.rules import indicators as rules

    codes = ["YES", "NO", None, "REFU"]
    activities = ["F1", "G5", None, "P2", "G4"]
    kinds = ["home_visit", "phone", "visit_elsewhere", "attempted_visit", "office"]
    people = [world.person, world.colleague_person]
    for n, dob in enumerate([date(2004, 2, 29), date(2005, 2, 28), date(2008, 3, 1), date(2010, 11, 30)]):
        people.append(make.young_person(world.adviser if n % 2 else world.colleague, dob=dob,
                                        allocated_on=date(2024, 3, 1 + n)))
    for p_index, person in enumerate(people):
        day = date(2023, 6, 1 + p_index)
        step = 0
        while day < date(2026, 6, 20):
            step += 1
            at = datetime(day.year, day.month, day.day, 23 if step % 5 == 0 else 10, 30, tzinfo=UTC)
            in_touch, activity = codes[step % 4], activities[step % 5]
            if p_index in (2, 3):  # codes recorded only long before the window: those are what count
                in_touch, activity = (None, None) if day >= date(2025, 1, 1) else ("YES", "P1")
            db.session.add(Contact(young_person_id=person.id, contact_at=at, kind=kinds[(step + p_index) % 5],
                                   reached=step % 7 != 0, in_touch=in_touch, activity=activity))
            if step % 6 == p_index % 6:
                db.session.add(AccommodationMove(young_person_id=person.id, move_in=day,
                                                 code=["U1", "D2", "X", "B1"][step % 4]))
            if step % 8 == 0:
                db.session.add(PathwayPlan(young_person_id=person.id, number=step, status=PlanStatus.SUPERSEDED,
                                           reason=ReviewReason.SIX_MONTHLY, plan_date=day))
            day = date.fromordinal(day.toordinal() + 17 + (step * p_index) % 11)
    db.session.commit()
    on = date(2026, 6, 15)
    report = indicator_report(world.manager, on)
    advisers = list_advisers([world.north.id])
    everything = load_people_facts([a.id for a in advisers], on, months=60)
    for i, day in enumerate(rules.series_dates(on)):
        expected = {r.key: r.value for r in rules.compute(everything, advisers, day)}
        assert {r.key: r.series[i][1] for r in report.indicators} == expected, day
    assert report.get("post-move-visit").denominator > 0
    assert {people[2].id, people[3].id} <= set(report.get("in-touch").numerator_ids)
    assert {people[2].id, people[3].id} <= set(report.get("eet-all-ages").numerator_ids)


def test_each_manager_sees_only_their_teams(client, world):
    client.sign_in_as(world.other_manager)
    page = client.get(url("/in-touch", **ON))
    assert names(page, "not-met") == ["Aisha Khan"]
    assert "Jordan" not in page.text and "Callum" not in page.text
    overview = client.get(url(**ON))
    assert "South on 15 June 2026" in overview.text
    assert "0 of 1 young person" in overview.soup.find(id="indicator-in-touch").get_text()


def test_largest_caseload_lists_one_group(manager, world, make):
    make.young_person(world.adviser, given_name="Zoe", family_name="Adams")
    db.session.commit()
    page = manager.get(url("/largest-caseload", **ON))
    assert names(page, "met") == ["Zoe Adams", "Jordan Taylor"]
    assert page.soup.find(id="not-met") is None and page.soup.find(id="not-met-heading") is None
    assert "2 young people: Adviser One" in page.text
    bad = manager.get(url("/largest-caseload", **{**ON, "on-month": "13"}), status=400, htmx=True)
    assert bad.errors() == ["The date must be a real date"]
