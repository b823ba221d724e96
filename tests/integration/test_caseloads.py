"""The manager's teams overview (/teams) and one personal adviser's caseload, with their reallocations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from pathway.extensions import db
from pathway.models import Allocation
from pathway.models.contact import AccommodationMove
from pathway.services import allocations
from tests.helpers import PageClient, count_queries

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)


def sections(page) -> dict[str, object]:
    root = page.soup.find("main") or page.soup
    return {s.find("h2").get_text(strip=True): s for s in root.select("section[aria-labelledby^=team-]")}


def cells(rows) -> list[list[str]]:
    return [[" ".join(c.get_text(" ", strip=True).split()) for c in row.find_all(["th", "td"])] for row in rows]


def add_move(person, move_in: date, code: str = "U1") -> None:
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=move_in, code=code))
    db.session.flush()


# The teams overview


@frozen
def test_teams_overview_links_each_adviser_to_their_caseload(client, world, make):
    make.adviser(world.north, name="Gone Adviser", active=False)
    client.sign_in_as(world.manager)
    page = client.get("/teams")

    assert page.h1 == "Your teams"
    assert list(sections(page)) == ["North"]
    north = sections(page)["North"]
    assert "2 advisers, 2 young people." in north.get_text(" ", strip=True)
    assert cells(north.select("table tbody tr")) == [["Adviser One", "1"], ["Adviser Two", "1"]]
    links = {a.get_text(strip=True): a["href"] for a in north.select("table a")}
    assert links == {"Adviser One": f"/manager/advisers/{world.adviser.id}",
                     "Adviser Two": f"/manager/advisers/{world.colleague.id}"}
    assert [a["href"] for a in north.select("details a")] == [
        f"/young-people/{world.person.id}", f"/young-people/{world.colleague_person.id}"]
    for absent in ("South", "Adviser South", "Aisha", "Gone Adviser"):
        assert absent not in page.text


@frozen
def test_teams_overview_htmx_gets_the_fragment(client, world):
    client.sign_in_as(world.manager)
    fragment = client.get("/teams", htmx=True)
    assert fragment.soup.find("h1") is None
    assert list(sections(fragment)) == ["North"]
    assert "Jordan Taylor" in fragment.text


def test_teams_overview_for_a_manager_without_teams(client, make):
    client.sign_in_as(make.manager())
    page = client.get("/teams")
    assert "You do not manage any teams yet." in page.text
    assert page.soup.find("table") is None


def test_teams_overview_is_for_managers_only(app, world):
    PageClient(app).sign_in_as(world.adviser).get("/teams", status=404)
    PageClient(app).sign_in_as(world.admin).get("/teams", status=404)


# One adviser's caseload


@frozen
def test_adviser_caseload_shows_their_young_people_with_visits_and_flags(client, world, make):
    overdue = make.young_person(world.adviser, given_name="Amy", family_name="Zed", dob=date(2008, 11, 23),
                                allocated_on=date(2026, 10, 1))
    add_move(overdue, date(2026, 11, 1))  # visit due 8 November: overdue
    soon = make.young_person(world.adviser, given_name="Cat", family_name="Xu", allocated_on=date(2026, 10, 1))
    add_move(soon, date(2026, 11, 20))  # visit due 27 November: open, not overdue
    client.sign_in_as(world.manager)

    page = client.get(f"/manager/advisers/{world.adviser.id}")

    assert page.h1 == "Adviser One's caseload"
    assert "Personal adviser, North" in page.text
    assert page.soup.select_one("#caseload-count").get_text(strip=True) == "Adviser One has 3 young people."
    rows = page.soup.select("#caseload-table tbody tr")
    assert cells(rows) == [
        ["Jordan Taylor Age 19 Reallocate Jordan Taylor", "6 January 2025", "6 March 2025 Overdue", "None open"],
        ["Cat Xu Age 19 Reallocate Cat Xu", "1 October 2026", "27 November 2026", "2 open"],  # visit by 27 Nov, plan review by 4 Jan
        ["Amy Zed Age 17 Reallocate Amy Zed", "1 October 2026", "8 November 2026 Overdue", "2 open, 1 overdue"],  # the visit is late
    ]
    first = rows[0].find("a")
    assert first["href"] == f"/young-people/{world.person.id}"
    assert rows[0].find_all("a")[1]["href"] == f"/manager/young-people/{world.person.id}/reallocate"
    assert "Callum" not in page.text  # another adviser's young person
    assert page.soup.select_one("#no-reallocations") is not None


@frozen
def test_adviser_caseload_htmx_gets_the_fragment(client, world):
    client.sign_in_as(world.manager)
    fragment = client.get(f"/manager/advisers/{world.adviser.id}", htmx=True)
    assert fragment.soup.find("h1") is None
    assert fragment.soup.select_one("#caseload-count").get_text(strip=True) == "Adviser One has 1 young person."
    assert "Jordan Taylor" in fragment.text


@frozen
def test_reallocations_in_and_out_in_the_last_12_months(client, world, make, app_ctx):
    moved_in = make.young_person(world.colleague, given_name="Ina", family_name="Incoming")
    allocations.reallocate(moved_in, world.adviser, by=world.manager, reason="Closer to home", handover_note=None,
                           today=date(2026, 3, 2))
    allocations.reallocate(world.person, world.colleague, by=world.manager, reason="Caseload too high",
                           handover_note=None, today=date(2026, 11, 20))
    # Older than 12 months: not shown.
    old = make.young_person(world.colleague, given_name="Olly", family_name="Old", allocated_on=date(2025, 10, 1))
    db.session.add(Allocation(young_person_id=old.id, adviser_id=world.adviser.id, start_date=date(2025, 1, 1),
                              end_date=date(2025, 10, 1)))
    # Moved out to another team's adviser: named, but the manager can no longer open the record.
    gone = make.young_person(world.other_adviser, given_name="Gia", family_name="Gone", allocated_on=date(2026, 6, 1))
    db.session.add(Allocation(young_person_id=gone.id, adviser_id=world.adviser.id, start_date=date(2025, 1, 1),
                              end_date=date(2026, 6, 1)))
    db.session.flush()
    client.sign_in_as(world.manager)

    page = client.get(f"/manager/advisers/{world.adviser.id}")

    assert page.soup.select_one("#reallocations-heading").get_text(strip=True) == "Reallocations since 22 November 2025"
    rows = page.soup.select("#reallocations tbody tr")
    assert cells(rows) == [
        ["20 November 2026", "Jordan Taylor", "Out to Adviser Two", "Caseload too high By Manager North"],
        ["1 June 2026", "Gia Gone", "Out to Adviser South", "Not recorded"],
        ["2 March 2026", "Ina Incoming", "In from Adviser Two", "Closer to home By Manager North"],
    ]
    assert rows[0].find("a")["href"] == f"/young-people/{world.person.id}"
    assert rows[1].find("a") is None
    assert "Olly" not in page.text
    assert page.soup.select_one("#caseload-count").get_text(strip=True) == "Adviser One has 1 young person."

    # The other side sees the same moves the other way round.
    other = client.get(f"/manager/advisers/{world.colleague.id}")
    assert cells(other.soup.select("#reallocations tbody tr")) == [
        ["20 November 2026", "Jordan Taylor", "In from Adviser One", "Caseload too high By Manager North"],
        ["2 March 2026", "Ina Incoming", "Out to Adviser One", "Closer to home By Manager North"],
    ]


@frozen
def test_an_inactive_advisers_caseload_says_so(client, world, make):
    leaver = make.adviser(world.north, name="Leaving Adviser", active=False)
    make.young_person(leaver, given_name="Still", family_name="Here")
    client.sign_in_as(world.manager)
    page = client.get(f"/manager/advisers/{leaver.id}")
    assert "Inactive Leaving Adviser can no longer sign in." in page.text
    assert "Still Here" in page.text


def test_adviser_caseload_404s(app, client, world):
    client.sign_in_as(world.manager)
    client.get(f"/manager/advisers/{world.other_adviser.id}", status=404)  # another team's adviser
    client.get("/manager/advisers/999999", status=404)
    client.get(f"/manager/advisers/{world.manager.id}", status=404)  # not an adviser
    client.get(f"/manager/advisers/{world.other_adviser.id}", htmx=True, status=404)
    PageClient(app).sign_in_as(world.other_manager).get(f"/manager/advisers/{world.adviser.id}", status=404)
    PageClient(app).sign_in_as(world.adviser).get(f"/manager/advisers/{world.adviser.id}", status=404)


@frozen
def test_adviser_caseload_query_count_does_not_grow_with_the_caseload(client, world, make, app_ctx):
    client.sign_in_as(world.manager)
    small = f"/manager/advisers/{world.adviser.id}"
    big_adviser = make.adviser(world.north, name="Busy Adviser")
    for n in range(6):
        person = make.young_person(world.colleague, given_name=f"P{n}", family_name="Busy")
        add_move(person, date(2026, 11, 1 + n))
        allocations.reallocate(person, big_adviser, by=make.manager(world.north, name=f"Deputy {n}"),
                               reason=f"Move {n}", handover_note=None, today=date(2026, 6, 1 + n))
    gone = make.young_person(world.other_adviser, given_name="Gia", family_name="Gone")
    db.session.add(Allocation(young_person_id=gone.id, adviser_id=big_adviser.id, start_date=date(2026, 1, 1),
                              end_date=date(2026, 2, 1)))
    db.session.flush()
    big = f"/manager/advisers/{big_adviser.id}"

    assert len(client.get(big).soup.select("#caseload-table tbody tr")) == 6
    client.get(small)  # both caseloads' flags are now cached for today
    assert count_queries(lambda: client.get(big)) == count_queries(lambda: client.get(small))
