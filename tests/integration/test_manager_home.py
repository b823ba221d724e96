"""The manager's home (issue 6 section 1): open flags in their teams, overdue first, grouped by adviser."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from pathway.extensions import db
from pathway.models.contact import AccommodationMove, Contact
from tests.helpers import count_queries

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def add_move(person, move_in: date, code: str = "U1") -> None:
    db.session.add(AccommodationMove(young_person_id=person.id, move_in=move_in, code=code))
    db.session.commit()


def visit(person, on: date) -> None:
    db.session.add(Contact(young_person_id=person.id, contact_at=datetime(on.year, on.month, on.day, 11, tzinfo=UTC),
                           kind="home_visit", reached=True))
    db.session.commit()


@pytest.fixture
def flagged(world, make):
    """Jordan (Adviser One): moved 1 Nov into unsuitable accommodation, never visited: two overdue flags
    and a plan review due. Callum (Adviser Two): moved 20 Nov, visit due 27 Nov, plan review due. Aisha is in the other manager's team."""
    for person in (world.person, world.colleague_person, world.other_person):
        visit(person, date(2026, 10, 20))
    add_move(world.person, date(2026, 11, 1), "U2")
    add_move(world.colleague_person, date(2026, 11, 20))
    add_move(world.other_person, date(2026, 11, 2))
    return world


def rows(page) -> list[str]:
    return [r.get_text(" ", strip=True) for r in page.soup.select("tr.app-overdue-row")]


def test_the_manager_sees_their_teams_open_flags_overdue_first_grouped_by_adviser(client, flagged):
    w = flagged
    client.sign_in_as(w.manager)
    page = client.get("/manager")
    assert page.h1 == "Overdue visits and risk flags"
    groups = [h.get_text(" ", strip=True) for h in page.soup.select(".app-overdue-group h3")]
    assert groups == ["Adviser One", "Adviser Two"]  # most overdue first
    one = page.soup.find(id=f"group-{w.adviser.id}")
    texts = [r.get_text(" ", strip=True) for r in one.select("tr")[1:]]
    assert texts[0].startswith("Jordan Taylor 2 overdue flags Unsuitable accommodation")
    assert "1 November 2026 21 days overdue" in texts[0]
    assert "Visit within 7 days of the move" in texts[1] and "14 days overdue" in texts[1]
    two = page.soup.find(id=f"group-{w.colleague.id}").get_text(" ", strip=True)
    assert "Callum Robson" in two and "27 November 2026 Not yet due" in two
    assert "Aisha" not in page.text  # another team
    assert page.soup.find(id="overdue-summary").get_text(" ", strip=True).startswith("2 overdue flags,")
    assert "1 with two or more overdue flags" in page.text


def test_each_row_drills_down_to_the_record_and_its_flags(client, flagged):
    w = flagged
    client.sign_in_as(w.manager)
    page = client.get("/manager")
    row = page.soup.select_one(f'tr[data-person="{w.person.id}"]')
    hrefs = [a["href"] for a in row.find_all("a")]
    assert hrefs == [f"/young-people/{w.person.id}", f"/young-people/{w.person.id}/flags"]
    record = client.get(hrefs[0])
    assert record.h1 == "Jordan Taylor"


@pytest.mark.parametrize("query, expected", [
    ("adviser={colleague}", ["Callum Robson", "Callum Robson"]),
    ("kind=unsuitable_accommodation", ["Jordan Taylor"]),
    ("overdue=1", ["Jordan Taylor", "Jordan Taylor"]),
    ("team={north}&kind=post_move_visit", ["Jordan Taylor", "Callum Robson"]),
    ("kind=manual", []),
])
def test_filters_work_as_plain_links_and_with_htmx(client, flagged, query, expected):
    w = flagged
    url = "/manager?" + query.format(colleague=w.colleague.id, north=w.north.id)
    client.sign_in_as(w.manager)
    page = client.get(url)
    names = [r.split(" ")[0] + " " + r.split(" ")[1] for r in rows(page)]
    assert names == expected
    assert page.soup.find("form", attrs={"hx-get": "/manager"}) is not None
    fragment = client.get(url, htmx=True)
    assert fragment.soup.find("h1") is None and fragment.soup.find("form") is None
    assert [r.split(" ")[0] + " " + r.split(" ")[1] for r in rows(fragment)] == expected


def test_an_advisers_only_link_filters_to_them(client, flagged):
    w = flagged
    client.sign_in_as(w.manager)
    page = client.get("/manager")
    link = page.soup.find("a", string=f"Only {w.colleague.name}'s flags")
    assert link["href"] == f"/manager?adviser={w.colleague.id}" and link["hx-get"] == link["href"]


@pytest.mark.parametrize("query", ["team={south}", "adviser={other_adviser}", "adviser=999999", "team=abc",
                                   "kind=nonsense", "adviser={admin}", "team=99999999999999999999"])
def test_unknown_or_other_teams_ids_are_not_found(client, flagged, query):
    w = flagged
    client.sign_in_as(w.manager)
    client.get("/manager?" + query.format(south=w.south.id, other_adviser=w.other_adviser.id, admin=w.admin.id),
               status=404)


@pytest.mark.parametrize("who", ["adviser", "person_user", "admin"])
def test_only_managers_see_the_home(client, flagged, who):
    client.sign_in_as(getattr(flagged, who))
    client.get("/manager", status=404)


def test_a_manager_with_no_teams_is_told_so(client, make):
    client.sign_in_as(make.manager(name="New Manager"))
    page = client.get("/manager")
    assert "You do not manage any teams yet" in page.text


def test_a_visit_clears_the_flag_on_the_next_request(client, flagged):
    w = flagged
    client.sign_in_as(w.manager)
    before = rows(client.get(f"/manager?adviser={w.adviser.id}"))
    assert len(before) == 3 and "Visit within 7 days of the move" in before[1]
    visit(w.person, date(2026, 11, 21))
    after = rows(client.get(f"/manager?adviser={w.adviser.id}"))
    assert len(after) == 2 and not any("Visit within 7 days" in r for r in after)
    assert "1 overdue" in client.get(f"/manager?adviser={w.adviser.id}").text


def test_the_query_count_does_not_grow_with_young_people_or_history(client, flagged, make):
    w = flagged
    client.sign_in_as(w.manager)
    cold = count_queries(lambda: client.get("/manager"))
    warm = count_queries(lambda: client.get("/manager"))
    for n in range(12):
        person = make.young_person(w.colleague, given_name=f"Extra{n}", family_name="Person")
        add_move(person, date(2026, 10, 1 + n))
        visit(person, date(2026, 11, 1))
    assert count_queries(lambda: client.get("/manager")) == cold  # 12 new people computed together
    assert count_queries(lambda: client.get("/manager")) == warm
    assert warm < cold


def test_each_adviser_shows_ten_flags_on_the_team_list_and_all_on_their_own(client, flagged, make, monkeypatch):
    from pathway.services import overdue

    monkeypatch.setattr(overdue, "GROUP_LIMIT", 2)
    w = flagged
    client.sign_in_as(w.manager)
    group = client.get("/manager").soup.find(id=f"group-{w.adviser.id}")
    assert len(group.select("tr.app-overdue-row")) == 2
    more = group.find("a", string=f"See all 3 of {w.adviser.name}'s open flags")
    assert more["href"] == f"/manager?adviser={w.adviser.id}"
    assert "(1 more not shown here)" in group.get_text(" ", strip=True)
    own = client.get(more["href"]).soup.find(id=f"group-{w.adviser.id}")
    assert len(own.select("tr.app-overdue-row")) == 3 and own.find("a", string=lambda s: s and "See all" in s) is None
