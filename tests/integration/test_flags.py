"""Risk flags for staff (issue 5 section 3): computed from moves and contacts, raised and closed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models.contact import AccommodationMove, Contact, FlagAction

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # a Sunday
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def adviser(client, world):
    return client.sign_in_as(world.adviser)


def add_move(person, move_in: date, code: str = "U1") -> AccommodationMove:
    move = AccommodationMove(young_person_id=person.id, move_in=move_in, code=code)
    db.session.add(move)
    db.session.commit()
    return move


def add_contact(person, at: datetime, kind: str, reached: bool = True) -> Contact:
    contact = Contact(young_person_id=person.id, contact_at=at, kind=kind, reached=reached)
    db.session.add(contact)
    db.session.commit()
    return contact


def flags_url(person, suffix=""):
    return f"/young-people/{person.id}/flags{suffix}"


def open_titles(page) -> list[str]:
    return [h.get_text(" ", strip=True) for h in page.soup.select("#open-flags h3")]


def worklist_row(page, person):
    return page.soup.find(id=f"worklist-{person.id}")


def test_a_move_raises_the_post_move_visit_flag_on_the_worklist_and_the_flags_page(adviser, world):
    add_move(world.person, date(2026, 11, 19))
    row = worklist_row(adviser.get("/caseload"), world.person)
    assert "Visit within 7 days of the move, due 26 November 2026" in row.get_text(" ", strip=True)
    assert "Due soon" in row.get_text(" ", strip=True)

    page = adviser.get(flags_url(world.person))
    assert page.h1 == "Risk flags"
    assert any(t.startswith("Visit within 7 days of the move") for t in open_titles(page))
    text = page.soup.find(id="open-flags").get_text(" ", strip=True)
    assert "CLR 2010 reg 8: visit within 7 days of the move" in text
    assert "Adviser One" in text


def test_an_attempted_visit_leaves_the_flag_open_and_a_visit_that_saw_them_resolves_it(adviser, world):
    add_move(world.person, date(2026, 11, 10))
    add_contact(world.person, datetime(2026, 11, 12, 11, 0, tzinfo=UTC), "attempted_visit", reached=False)
    row = worklist_row(adviser.get("/caseload"), world.person).get_text(" ", strip=True)
    assert "Overdue Visit within 7 days of the move, due 17 November 2026 (5 days overdue)" in row

    add_contact(world.person, datetime(2026, 11, 21, 15, 0, tzinfo=UTC), "home_visit")
    row = worklist_row(adviser.get("/caseload"), world.person).get_text(" ", strip=True)
    assert "Visit within 7 days of the move" not in row
    page = adviser.get(flags_url(world.person))
    assert "Visit within 7 days of the move" not in " ".join(open_titles(page))
    resolved = page.soup.find(id="resolved-flags").get_text(" ", strip=True)
    assert "Visited on 21 November 2026, 4 days late" in resolved


def test_a_visit_dated_before_the_move_does_not_resolve_it(adviser, world):
    add_contact(world.person, datetime(2026, 11, 1, 11, 0, tzinfo=UTC), "home_visit")
    add_move(world.person, date(2026, 11, 19))
    page = adviser.get(flags_url(world.person))
    assert any(t.startswith("Visit within 7 days of the move") for t in open_titles(page))


def test_raise_a_flag_by_hand_needs_a_title_date_and_reason(adviser, world):
    page = adviser.get(flags_url(world.person, "/new"))
    assert page.h1 == "Raise a flag"
    page = adviser.post(flags_url(world.person, "/new"), {"title": "", "due": ["", "", ""], "reason": ""}, status=200)
    assert page.title.startswith("Error: ")
    assert page.errors() == ["Enter what needs to happen", "Enter the date it is due by",
                             "Enter why you are raising the flag"]
    assert db.session.scalars(select(FlagAction)).all() == []

    adviser.post(flags_url(world.person, "/new"), {
        "title": "Check they are safe after the police call", "due": ["20", "11", "2026"],
        "reason": "Police called about a party at the flat"}, status=303)
    page = adviser.get(flags_url(world.person))
    assert open_titles(page) == ["Check they are safe after the police call Overdue"]
    assert "2 days overdue" in page.soup.find(id="open-flags").get_text(" ", strip=True)
    row = worklist_row(adviser.get("/caseload"), world.person).get_text(" ", strip=True)
    assert "Check they are safe after the police call, due 20 November 2026 (2 days overdue)" in row


def test_close_a_flag_needs_a_reason_and_keeps_the_history(adviser, world):
    add_move(world.person, date(2026, 11, 19))
    key = "post_move_visit:2026-11-19"
    url = flags_url(world.person, f"/{key}/close")
    page = adviser.get(url)
    assert page.h1 == "Close a flag"
    page = adviser.post(url, {"reason": "  "}, status=200)
    assert page.errors() == ["Enter why you are closing the flag"]
    assert db.session.scalars(select(FlagAction)).all() == []

    adviser.post(url, {"reason": "Visited by the out-of-hours team"}, status=303)
    actions = db.session.scalars(select(FlagAction)).all()
    assert [(a.flag_key, a.action, a.reason, a.by_id) for a in actions] == [
        (key, "close", "Visited by the out-of-hours team", world.adviser.id)]
    page = adviser.get(flags_url(world.person))
    assert not any(t.startswith("Visit within 7 days") for t in open_titles(page))
    assert "Closed by hand: Visited by the out-of-hours team" in page.soup.find(id="resolved-flags").get_text(" ", strip=True)
    # Closing it again does nothing more.
    adviser.post(url, {"reason": "again"}, status=200)
    assert len(db.session.scalars(select(FlagAction)).all()) == 1


def test_closing_an_unknown_flag_is_404(adviser, world):
    adviser.get(flags_url(world.person, "/post_move_visit:2020-01-01/close"), status=404)


@pytest.mark.parametrize("who", ["other_adviser", "colleague", "other_manager"])
def test_other_staff_get_404_on_the_flags_routes(app, world, who):
    from tests.helpers import PageClient

    client = PageClient(app).sign_in_as(getattr(world, who))
    client.get(flags_url(world.person), status=404)
    client.get(flags_url(world.person, "/new"), status=404)
    client.post(flags_url(world.person, "/new"), {"title": "x", "due": ["1", "1", "2027"], "reason": "x"}, status=404)
    assert db.session.scalars(select(FlagAction)).all() == []


def test_the_team_manager_sees_the_flags(app, world):
    from tests.helpers import PageClient

    PageClient(app).sign_in_as(world.manager).get(flags_url(world.person))
