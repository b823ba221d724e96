""""I need help" (issue 5 section 4): the young person's request, the PA's worklist and reply."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import OutboxEmail
from pathway.models.contact import AccommodationMove, HelpRequest
from tests.helpers import PageClient

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def young_person(app, world):
    return PageClient(app).sign_in_as(world.person_user)


@pytest.fixture
def adviser(app, world):
    return PageClient(app).sign_in_as(world.adviser)


def ask(client, **overrides):
    data = {"topic": "money", "how_to_reach": "07700 900 123 after 5pm", "message": "My rent is late", **overrides}
    return client.post("/me/help", data)


def test_the_form_shows_the_emergency_numbers_before_anything_is_sent(young_person):
    page = young_person.get("/me/help")
    assert page.h1 == "I need help"
    form = page.soup.find("form", attrs={"action": "/me/help"})
    warning = form.find(id="emergency-numbers")
    assert warning is not None and "govuk-warning-text" in warning["class"]
    text = warning.get_text(" ", strip=True)
    assert "999" in text and "116 123" in text
    labels = [label.get_text(strip=True) for label in form.select(".govuk-radios__label")]
    assert labels == ["Money", "Housing", "I don't feel safe", "Health", "Something else"]
    assert "Adviser One" in page.text


def test_unsafe_request_is_stored_emailed_and_confirmed_with_who_replies_today(young_person, world):
    page = ask(young_person, topic="unsafe", message="Someone is at my door")
    assert page.status == 303 and page.response.headers["Location"] == "/me/help/sent"
    request = db.session.scalar(select(HelpRequest))
    assert (request.young_person_id, request.topic, request.unsafe, request.message, request.how_to_reach) == (
        world.person.id, "unsafe", True, "Someone is at my door", "07700 900 123 after 5pm")
    email = db.session.scalar(select(OutboxEmail))
    assert email.to == world.adviser.email
    assert email.subject == "Urgent: Jordan Taylor says they do not feel safe"
    assert "Someone is at my door" not in email.body
    assert f"/young-people/{world.person.id}/flags" in email.body

    sent = young_person.get("/me/help/sent")
    assert "116 123" in sent.text
    assert "We have told your personal adviser, Adviser One. They will reply today." in sent.text


def test_a_normal_request_is_due_the_next_working_day(young_person):
    ask(young_person)
    sent = young_person.get("/me/help/sent")
    assert "They will reply by 24 November 2026." in sent.text


def test_bad_input_is_refused_and_nothing_saved(young_person):
    page = ask(young_person, topic="", message="x" * 2001)
    assert page.status == 200 and page.title.startswith("Error: ")
    assert page.errors() == ["Select what you need help with", "Your message must be 2,000 characters or fewer"]
    page = ask(young_person, topic="<script>")
    assert page.status == 200 and len(page.errors()) == 1  # an unknown topic is refused
    assert db.session.scalars(select(HelpRequest)).all() == []


def test_the_request_is_at_the_top_of_the_worklist_and_the_pa_replies(young_person, adviser, world, make):
    someone = make.young_person(world.adviser, given_name="Amy", family_name="Able")
    db.session.add(AccommodationMove(young_person_id=someone.id, move_in=date(2026, 10, 1), code="U1"))
    db.session.commit()
    ask(young_person, topic="housing", message="My landlord wants me out")

    page = adviser.get("/caseload")
    rows = page.soup.select("table tbody tr")
    assert rows[0]["id"] == f"worklist-{world.person.id}"
    assert "Help request: reply within 1 working day, due 24 November 2026" in rows[0].get_text(" ", strip=True)

    flags = adviser.get(f"/young-people/{world.person.id}/flags")
    assert "My landlord wants me out" in flags.text
    request = db.session.scalar(select(HelpRequest))
    reply_url = f"/young-people/{world.person.id}/help/{request.id}/reply"
    assert flags.soup.find("a", href=reply_url) is not None
    adviser.get(reply_url)
    page = adviser.post(reply_url, {"reply": ""}, status=200)
    assert page.errors() == ["Enter your reply"]
    adviser.post(reply_url, {"reply": "I will call you at 2pm today."}, status=303)
    request = db.session.scalar(select(HelpRequest))
    assert request.replied_at is not None and request.replied_by_id == world.adviser.id

    rows = adviser.get("/caseload").soup.select("table tbody tr")
    assert rows[0]["id"] == f"worklist-{someone.id}"  # answered: the flag has resolved
    mine = young_person.get("/me/help")
    assert "I will call you at 2pm today." in mine.soup.find(id="your-requests").get_text(" ", strip=True)
    assert "Replied" in mine.text


def test_another_young_person_cannot_see_it_and_cannot_post_for_someone_else(app, young_person, world):
    ask(young_person, message="Private words")
    other = PageClient(app).sign_in_as(world.other_person.user)
    assert "Private words" not in other.get("/me/help").text
    other.post("/me/help", {"topic": "money", "message": "mine", "young_person_id": str(world.person.id)},
               status=303)
    theirs = db.session.scalar(select(HelpRequest).where(HelpRequest.message == "mine"))
    assert theirs.young_person_id == world.other_person.id
    # Their adviser may not reply to Jordan's request either.
    request = db.session.scalar(select(HelpRequest).where(HelpRequest.message == "Private words"))
    PageClient(app).sign_in_as(world.other_adviser).post(
        f"/young-people/{world.person.id}/help/{request.id}/reply", {"reply": "x"}, status=404)


def test_the_help_urls_carry_no_ids(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in ("me.need_help", "me.help_sent")]
    assert len(rules) == 2 and all(not r.arguments for r in rules)


def test_staff_cannot_use_the_young_persons_form(adviser):
    adviser.get("/me/help", status=404)


def test_the_young_persons_home_links_to_i_need_help(young_person):
    page = young_person.get("/me")
    assert page.soup.find("a", href="/me/help").get_text(strip=True) == "I need help"
