"""The manager's home: their teams, each adviser's caseload, and the young people under each."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import delete

from pathway.extensions import db
from pathway.models import Allocation, TeamManager

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)


def sections(page) -> dict[str, object]:
    root = page.soup.find("main") or page.soup  # a fragment has no <main>
    return {s.find("h2").get_text(strip=True): s for s in root.select("section[aria-labelledby^=team-]")}


def caseload_table(section) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in row.find_all("td")] for row in section.select("table tbody tr")]


def details(section) -> dict[str, list[str]]:
    return {
        d.select_one(".govuk-details__summary-text").get_text(" ", strip=True):
        [" ".join(li.get_text().split()) for li in d.select(".govuk-details__text li")]
        for d in section.find_all("details")
    }


@frozen
def test_manager_sees_their_team_with_caseloads_and_young_people(client, world):
    client.sign_in_as(world.manager)
    page = client.get("/teams")

    assert page.h1 == "Your teams"
    teams = sections(page)
    assert list(teams) == ["North"]
    north = teams["North"]
    assert "2 advisers, 2 young people." in north.get_text(" ", strip=True)
    assert caseload_table(north) == [["Adviser One", "1"], ["Adviser Two", "1"]]
    assert details(north) == {
        "Adviser One's young people (1)": ["Jordan Taylor, 19, allocated 6 January 2025"],
        "Adviser Two's young people (1)": ["Callum Robson, 19, allocated 6 January 2025"],
    }
    links = [a["href"] for a in north.select("details a")]
    assert links == [f"/young-people/{world.person.id}", f"/young-people/{world.colleague_person.id}"]
    # Another team's advisers and young people are not shown.
    for absent in ("South", "Adviser South", "Aisha", "Khan"):
        assert absent not in page.text


@frozen
def test_caseload_counts_only_current_allocations(client, world, make):
    # Aisha moved from Adviser One to Adviser South: she no longer counts for North.
    moved = make.young_person(world.other_adviser, given_name="Moved", family_name="Away", allocated_on=date(2026, 1, 5))
    db.session.add(Allocation(young_person_id=moved.id, adviser_id=world.adviser.id, start_date=date(2025, 1, 6),
                              end_date=date(2026, 1, 4)))
    make.young_person(world.adviser, given_name="Zoe", family_name="Young", dob=date(2008, 11, 23),
                      allocated_on=date(2026, 11, 2))
    db.session.flush()

    client.sign_in_as(world.manager)
    north = sections(client.get("/teams"))["North"]

    assert caseload_table(north) == [["Adviser One", "2"], ["Adviser Two", "1"]]
    assert "2 advisers, 3 young people." in north.get_text(" ", strip=True)
    assert details(north)["Adviser One's young people (2)"] == [
        "Jordan Taylor, 19, allocated 6 January 2025",
        "Zoe Young, 17, allocated 2 November 2026",
    ]
    assert "Moved Away" not in north.get_text(" ", strip=True)


def test_a_manager_of_two_teams_sees_both_in_name_order(client, world, make):
    manager = make.manager(world.south, world.north)
    client.sign_in_as(manager)
    teams = sections(client.get("/teams"))
    assert list(teams) == ["North", "South"]
    assert caseload_table(teams["South"]) == [["Adviser South", "1"]]
    assert list(details(teams["South"])) == ["Adviser South's young people (1)"]
    assert "Aisha Khan" in teams["South"].get_text(" ", strip=True)


def test_advisers_without_young_people_have_no_details_and_inactive_empty_ones_are_hidden(client, make):
    team = make.team("East")
    make.adviser(team, name="Busy Adviser")
    make.adviser(team, name="New Adviser")
    make.adviser(team, name="Gone Adviser", active=False)
    leaver = make.adviser(team, name="Leaving Adviser", active=False)
    make.young_person(leaver, given_name="Still", family_name="Allocated")
    manager = make.manager(team)

    client.sign_in_as(manager)
    east = sections(client.get("/teams"))["East"]

    assert caseload_table(east) == [
        ["Busy Adviser", "0"],
        ["New Adviser", "0"],
        ["Leaving Adviser Inactive", "1"],
    ]
    assert "Gone Adviser" not in east.get_text(" ", strip=True)
    assert list(details(east)) == ["Leaving Adviser's young people (1)"]
    assert "3 advisers, 1 young person." in east.get_text(" ", strip=True)


def test_a_manager_with_no_teams_is_told_so(client, make):
    client.sign_in_as(make.manager())
    page = client.get("/teams")
    assert "You do not manage any teams yet. Ask an administrator to add you to your team." in page.text
    assert sections(page) == {}
    assert page.soup.find("table") is None


def test_removing_a_managed_team_removes_it_from_the_page(client, world):
    db.session.execute(delete(TeamManager).where(TeamManager.user_id == world.manager.id))
    db.session.flush()
    client.sign_in_as(world.manager)
    page = client.get("/teams")
    assert "You do not manage any teams yet." in page.text
    assert "Jordan Taylor" not in page.text


def test_htmx_request_gets_the_fragment_and_a_plain_request_the_page(client, world):
    client.sign_in_as(world.manager)

    fragment = client.get("/teams", htmx=True)
    assert fragment.soup.find("h1") is None
    assert list(sections(fragment)) == ["North"]
    assert "Jordan Taylor" in fragment.text

    full = client.get("/teams")
    assert full.h1 == "Your teams"
    assert list(sections(full)) == ["North"]
    assert "Jordan Taylor" in full.text
