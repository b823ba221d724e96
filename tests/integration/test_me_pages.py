"""The young person's own pages: their personal adviser, and which staff have seen their record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from pathway.extensions import db
from pathway.models import Allocation, Role
from pathway.services import audit
from tests.helpers import PageClient

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
frozen = time_machine.travel(NOON, tick=False)


def log_entries(page) -> list[str]:
    return [" ".join(li.get_text(" ", strip=True).split()) for li in page.soup.select("#access-log li")]


def test_home_shows_their_personal_adviser(client, world):
    client.sign_in_as(world.person_user)
    page = client.get("/me")

    assert page.h1 == "Hello Jordan"
    inset = page.soup.select_one(".govuk-inset-text")
    assert "Adviser One" in inset.get_text(" ", strip=True)
    mail = inset.find("a", href=f"mailto:{world.adviser.email}")
    assert mail.get_text(strip=True) == world.adviser.email
    assert "You do not have a personal adviser" not in page.text
    assert page.soup.find("a", href="/me/who-has-seen-my-record") is not None


def test_home_greets_them_by_their_preferred_name(client, make):
    adviser = make.adviser(name="Sam Adviser")
    person = make.young_person(adviser, account=True, given_name="Jonathan", family_name="Doe", preferred_name="Jonny")
    client.sign_in_as(person.user)
    page = client.get("/me")
    assert page.h1 == "Hello Jonny"
    assert "Jonathan" not in page.text


def test_home_shows_the_current_adviser_not_a_previous_one(client, make):
    team = make.team()
    old, new = make.adviser(team, name="Old Adviser"), make.adviser(team, name="New Adviser")
    person = make.young_person(new, account=True, allocated_on=date(2026, 1, 5))
    db.session.add(Allocation(young_person_id=person.id, adviser_id=old.id, start_date=date(2025, 1, 6),
                              end_date=date(2026, 1, 4)))
    db.session.flush()
    client.sign_in_as(person.user)
    inset = client.get("/me").soup.select_one(".govuk-inset-text").get_text(" ", strip=True)
    assert "New Adviser" in inset
    assert "Old Adviser" not in inset


def test_home_without_an_adviser_says_so(client, make):
    team = make.team()
    old = make.adviser(team, name="Old Adviser")
    person = make.young_person(None, account=True, given_name="Rae")
    db.session.add(Allocation(young_person_id=person.id, adviser_id=old.id, start_date=date(2025, 1, 6),
                              end_date=date(2026, 1, 4)))
    db.session.flush()
    client.sign_in_as(person.user)
    page = client.get("/me")
    assert page.h1 == "Hello Rae"
    assert "You do not have a personal adviser at the moment. Call the leaving care team and ask for one." in page.text
    assert page.soup.select_one(".govuk-inset-text") is None
    assert "Old Adviser" not in page.text


@frozen
def test_who_has_seen_my_record_lists_staff_views_only(client, app, world):
    PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
    PageClient(app).sign_in_as(world.manager).get(f"/young-people/{world.person.id}")
    # Their own actions, and views of someone else's record, are not listed.
    audit.record("view", "young_person", world.person.id, young_person_id=world.person.id, user=world.person_user)
    audit.record("view", "young_person", world.colleague_person.id, young_person_id=world.colleague_person.id,
                 user=world.colleague)
    db.session.flush()

    client.sign_in_as(world.person_user)
    page = client.get("/me/who-has-seen-my-record")

    assert page.h1 == "Who has seen your record"
    assert log_entries(page) == [
        "Manager North manager Looked at your record, 22 November 2026 at 12pm",
        "Adviser One adviser Looked at your record, 22 November 2026 at 12pm",
    ]
    assert "Adviser Two" not in page.text


def test_who_has_seen_my_record_when_nobody_has(client, world):
    client.sign_in_as(world.person_user)
    page = client.get("/me/who-has-seen-my-record")
    assert "No staff have looked at your record yet." in page.text
    assert page.soup.find(id="access-log") is None


def test_young_person_account_without_a_record_gets_not_found(client, make):
    orphan = make.user(Role.YOUNG_PERSON)
    client.sign_in_as(orphan)
    assert client.get("/me", status=404).h1 == "Page not found"
    assert client.get("/me/who-has-seen-my-record", status=404).h1 == "Page not found"


def test_home_links_to_every_part_of_the_young_persons_service(client, world):
    page = client.sign_in_as(world.person_user).get("/me")
    links = {a["href"] for a in page.soup.select("main a")}
    assert {"/me/plan", "/me/offer", "/me/money", "/me/passport", "/me/about-me", "/me/who-has-seen-my-record"} <= links
