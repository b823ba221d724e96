"""The facts the offer's decisions rest on: postcode, the PA's override and its reason, activity, the move."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuditEvent, YoungPerson
from tests.integration.test_claims import COUNCIL_TAX, build_offer, make_former_relevant

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)

GOOD = {"home_postcode": "ts13bx", "in_area": "postcode", "in_area_reason": "", "main_activity": "F5",
        "independent_move_on": ["1", "9", "2026"]}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def adviser(client, world):
    build_offer(COUNCIL_TAX)
    make_former_relevant(world.person)
    db.session.commit()
    return client.sign_in_as(world.adviser)


def facts_url(person) -> str:
    return f"/young-people/{person.id}/offer/facts"


def save(client, person, **changes):
    client.get(facts_url(person))
    return client.post(facts_url(person), {**GOOD, "version": str(person.version), **changes})


def stored(person) -> YoungPerson:
    db.session.refresh(person)
    return person


def test_the_facts_are_saved_normalised_and_audited(adviser, world):
    save(adviser, world.person, status=303)
    person = stored(world.person)
    assert (person.home_postcode, person.in_area_override, person.in_area_override_reason, person.main_activity,
            person.independent_move_on) == ("TS1 3BX", None, None, "F5", date(2026, 9, 1))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "young_person")).one()
    assert event.action == "update" and event.young_person_id == person.id
    assert event.changed_fields == "home_postcode,independent_move_on,main_activity"
    page = adviser.get(f"/young-people/{person.id}/offer")
    facts = page.soup.select_one("#offer-facts").get_text(" ", strip=True)
    assert "TS1 3BX" in facts and "F5: Full-time training or employment" in facts and "1 September 2026" in facts


def test_the_form_shows_what_is_saved(adviser, world):
    world.person.home_postcode = "DL1 1AA"
    world.person.in_area_override = True
    world.person.in_area_override_reason = "Placed by us just over the border"
    db.session.commit()
    page = adviser.get(facts_url(world.person))
    assert page.soup.select_one("input[name=home_postcode]")["value"] == "DL1 1AA"
    assert page.soup.select_one("input[name=in_area][checked]")["value"] == "yes"
    assert "Lives in Northshire" in page.text and "Does not live in Northshire" in page.text
    assert "Placed by us just over the border" in page.soup.select_one("textarea[name=in_area_reason]").text


@pytest.mark.parametrize("postcode", ["TS1", "NOT A POSTCODE", "QS1 3BX", "TS1 3BXX", "<script>"])
def test_a_postcode_must_be_real(adviser, world, postcode):
    page = save(adviser, world.person, home_postcode=postcode)
    assert page.status == 200
    assert page.errors() == ["Enter a real postcode, like TS1 3BX"]
    assert page.title.startswith("Error: ")
    assert stored(world.person).home_postcode is None


def test_overriding_the_postcode_needs_a_reason(adviser, world):
    page = save(adviser, world.person, in_area="no", in_area_reason="  ")
    assert page.errors() == ["Enter why you are overriding the postcode"]
    assert stored(world.person).in_area_override is None
    save(adviser, world.person, in_area="no", in_area_reason="Lives with her nan in Leeds most of the week",
         status=303)
    person = stored(world.person)
    assert (person.in_area_override, person.in_area_override_reason) == (
        False, "Lives with her nan in Leeds most of the week")
    page = adviser.get(f"/young-people/{person.id}/offer")
    facts = page.soup.select_one("#offer-facts").get_text(" ", strip=True)
    assert "Lives in Northshire No (set by a personal adviser: Lives with her nan in Leeds most of the week)" in facts
    tax = page.soup.select_one(f"#entitlement-{COUNCIL_TAX}").get_text(" ", strip=True)
    assert "Cannot get it" in tax and "You live outside Northshire" in tax


def test_going_back_to_the_postcode_clears_the_reason(adviser, world):
    save(adviser, world.person, in_area="yes", in_area_reason="Placed just over the border", status=303)
    save(adviser, world.person, in_area="postcode", in_area_reason="Placed just over the border", status=303)
    person = stored(world.person)
    assert (person.in_area_override, person.in_area_override_reason) == (None, None)


def test_an_unknown_override_or_activity_is_refused(adviser, world):
    page = save(adviser, world.person, in_area="maybe", main_activity="ZZ")
    assert page.errors() == ["Select whether to use the postcode", "Select their main activity from the list"]


def test_the_move_date_cannot_be_in_the_future_or_before_their_16th_birthday(adviser, world):
    page = save(adviser, world.person, independent_move_on=["23", "11", "2026"])
    assert page.errors() == ["The date they moved must be today or in the past"]
    page = save(adviser, world.person, independent_move_on=["16", "5", "2023"])
    assert page.errors() == ["The date they moved must be on or after their 16th birthday, 17 May 2023"]
    page = save(adviser, world.person, independent_move_on=["30", "2", "2026"])
    assert page.errors() == ["The date they moved must be a real date"]
    assert stored(world.person).independent_move_on is None
    save(adviser, world.person, independent_move_on=["", "", ""], status=303)
    assert stored(world.person).independent_move_on is None


def test_saving_nothing_new_writes_nothing(adviser, world):
    save(adviser, world.person, status=303)
    version = stored(world.person).version
    save(adviser, world.person, status=303)
    assert stored(world.person).version == version
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "young_person")).all()) == 1


def test_a_change_by_someone_else_is_a_conflict_and_nothing_is_lost(adviser, world):
    adviser.get(facts_url(world.person))
    opened_at = str(world.person.version)
    # Someone else saves the record in between.
    world.person.home_postcode = "TS2 1AA"
    db.session.commit()
    page = adviser.post(facts_url(world.person), {**GOOD, "version": opened_at})
    assert page.status == 409
    assert page.soup.select_one("#conflict")
    conflict = page.soup.select_one("#conflict").get_text(" ", strip=True)
    assert "TS2 1AA" in conflict and "TS1 3BX" in conflict
    assert page.soup.select_one("input[name=home_postcode]")["value"] == "ts13bx"  # what they typed is kept
    assert stored(world.person).home_postcode == "TS2 1AA"
    assert stored(world.person).main_activity is None
    new_version = page.soup.select_one("input[name=version]")["value"]
    assert new_version == str(world.person.version)
    adviser.post(facts_url(world.person), {**GOOD, "version": new_version}, status=303)
    assert stored(world.person).home_postcode == "TS1 3BX"


def test_a_missing_version_is_a_conflict(adviser, world):
    adviser.get(facts_url(world.person))
    page = adviser.post(facts_url(world.person), {**GOOD, "version": "not a number"})
    assert page.status == 409
    assert stored(world.person).home_postcode is None


def test_the_manager_can_change_the_facts(client, world):
    build_offer(COUNCIL_TAX)
    manager = client.sign_in_as(world.manager)
    save(manager, world.person, status=303)
    assert stored(world.person).home_postcode == "TS1 3BX"
