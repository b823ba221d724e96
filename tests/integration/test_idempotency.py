"""Double-posting (issue 8 section 6): the same form sent twice saves one row.

Each form that creates a row carries a random hidden form token, stored on the row under a unique
constraint. A double tap, the back button and "send again", or a retry, posts the same token: the
second post finds the row already saved, says so and saves nothing. A new form gets a new token.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.integrity import AlreadySaved
from pathway.models import AuditEvent, CareEpisode, Claim, Contact, OfferQuestion, OutboxEmail
from pathway.models.contact import HelpRequest
from pathway.services import contacts as contact_service
from tests.helpers import PageClient
from tests.integration.form_data import form_data
from tests.offer_builders import SETTING_UP_HOME, build_catalogue

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def catalogue(world):
    made = build_catalogue()
    dob = world.person.date_of_birth  # 17 May 2007: 19 now, former relevant after care from 15 to 18
    db.session.add(CareEpisode(young_person_id=world.person.id, start_date=date(dob.year + 15, dob.month, 1),
                               end_date=date(dob.year + 18, dob.month, 28), legal_status="C2"))
    world.person.home_postcode = "TS1 3BX"
    db.session.commit()
    return made


@pytest.fixture
def adviser(app, world):
    return PageClient(app).sign_in_as(world.adviser)


@pytest.fixture
def young_person(app, world):
    return PageClient(app).sign_in_as(world.person_user)


def count(model, person) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.young_person_id == person.id))


def created_audits(entity: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "create", AuditEvent.record_type == entity))


def post_twice(client, url: str, answers: dict, *, expect_first: int = 303):
    """Open the form once, fill it in, and send exactly the same form twice."""
    data = {**form_data(client.get(url), action=url.split("?")[0]), **answers}
    assert data.get("form_token"), f"{url}: the form has no form token"
    first = client.post(url.split("?")[0], data, status=expect_first)
    second = client.post(url.split("?")[0], data, status=303)
    return data, first, second


def flash_text(client, location: str) -> str:
    return client.get(location).text


# --- a contact or visit -----------------------------------------------------------------------------

VISIT = {
    "contact_date": ["20", "11", "2026"], "contact_time": "14:30", "kind": "home_visit", "reached": "yes",
    "with_whom": "", "seen_alone": "yes", "accommodation_seen": "yes", "home_safe": "yes", "new_risks": "none",
    "wellbeing": "Settled and cheerful.", "next_steps": "Call on Friday.", "young_persons_view": "All good.",
    "in_touch": "YES", "activity": "F5",
}


def test_the_same_visit_posted_twice_is_saved_once(adviser, world):
    url = f"/young-people/{world.person.id}/contacts/new"
    data, first, second = post_twice(adviser, url, VISIT)
    [contact] = db.session.scalars(select(Contact).where(Contact.young_person_id == world.person.id)).all()
    assert contact.form_token == data["form_token"]
    assert contact.wellbeing == "Settled and cheerful."
    assert created_audits("contact") == 1
    # The second post goes to the same place, and says the visit was already saved.
    assert second.response.headers["Location"] == first.response.headers["Location"]
    assert "This contact had already been saved, so it has not been saved twice." in flash_text(
        adviser, second.response.headers["Location"])


def test_a_new_form_is_a_new_visit(adviser, world):
    url = f"/young-people/{world.person.id}/contacts/new"
    post_twice(adviser, url, VISIT)
    post_twice(adviser, url, {**VISIT, "contact_date": ["21", "11", "2026"]})
    assert count(Contact, world.person) == 2


def test_a_form_without_a_token_still_saves(adviser, world):
    """An old page open from before tokens existed (or a client that drops hidden fields) is not refused."""
    url = f"/young-people/{world.person.id}/contacts/new"
    data = {k: v for k, v in form_data(adviser.get(url)).items() if k != "form_token"}
    adviser.post(url, {**data, **VISIT}, status=303)
    adviser.post(url, {**data, **VISIT, "form_token": "not a token <script>"}, status=303)
    tokens = [c.form_token for c in db.session.scalars(select(Contact).order_by(Contact.id))]
    assert len(tokens) == 2
    assert tokens[1] is None  # a token we did not issue is not stored
    assert tokens[0] is None or len(tokens[0]) >= 32  # no token posted: a fresh one, so nothing to clash with


def test_a_token_saved_at_the_same_moment_is_caught_by_the_unique_constraint(app, world, monkeypatch):
    """The race the first look-up cannot see: the row appears between the check and the insert."""
    token = "A" * 32
    contact_service.record_contact(world.person, by=world.adviser, values={"contact_at": NOW, "kind": "phone"},
                                   form_token=token)
    checks = []
    real = contact_service.check_not_saved

    def blind_first_check(model, token):
        checks.append(token)
        if len(checks) > 1:
            real(model, token)

    monkeypatch.setattr(contact_service, "check_not_saved", blind_first_check)
    with pytest.raises(AlreadySaved) as saved:
        contact_service.record_contact(world.person, by=world.adviser, values={"contact_at": NOW, "kind": "phone"},
                                       form_token=token)
    assert saved.value.row.form_token == token
    assert count(Contact, world.person) == 1


# --- a request for an entitlement (a claim) ---------------------------------------------------------

def test_the_same_claim_posted_twice_is_recorded_once(adviser, world, catalogue):
    url = f"/young-people/{world.person.id}/offer/claims/new?entitlement={SETTING_UP_HOME}"
    answers = {"entitlement": SETTING_UP_HOME, "requested_on": ["20", "11", "2026"], "note": "A bed and a cooker"}
    data, first, second = post_twice(adviser, url, answers)
    [claim] = db.session.scalars(select(Claim).where(Claim.young_person_id == world.person.id)).all()
    assert (claim.form_token, claim.request_note) == (data["form_token"], "A bed and a cooker")
    assert created_audits("claim") == 1
    assert second.response.headers["Location"].endswith(f"#claim-{claim.id}")
    page = adviser.get(second.response.headers["Location"])
    assert "This request had already been recorded, so it has not been recorded twice." in page.text
    # Not the "already waiting for a decision" error a second, different request would get.
    assert not page.errors()


# --- the young person's "Ask about this" --------------------------------------------------------------

def test_ask_about_this_tapped_twice_asks_once_and_emails_once(young_person, world, catalogue):
    url = f"/me/offer/{SETTING_UP_HOME}/ask"
    data, first, second = post_twice(young_person, url, {"message": "Can I have it for a sofa?"})
    [question] = db.session.scalars(select(OfferQuestion).where(OfferQuestion.young_person_id == world.person.id)).all()
    assert (question.form_token, question.message) == (data["form_token"], "Can I have it for a sofa?")
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    assert second.response.headers["Location"] == first.response.headers["Location"]
    assert "We already have this question, so we have not sent it twice." in flash_text(
        young_person, second.response.headers["Location"])


# --- the young person's "I need help" -----------------------------------------------------------------

def test_i_need_help_tapped_twice_sends_one_request_and_one_email(young_person, world):
    data, first, second = post_twice(young_person, "/me/help", {
        "topic": "unsafe", "how_to_reach": "07700 900 123", "message": "Someone is outside my flat"})
    [request] = db.session.scalars(select(HelpRequest).where(HelpRequest.young_person_id == world.person.id)).all()
    assert (request.form_token, request.message, request.unsafe) == (
        data["form_token"], "Someone is outside my flat", True)
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    assert "We already have this request, so we have not sent it twice." in flash_text(
        young_person, second.response.headers["Location"])
    # Asking again from a fresh form is a new request.
    post_twice(young_person, "/me/help", {"topic": "money", "message": "Rent"})
    assert count(HelpRequest, world.person) == 2


@pytest.mark.parametrize("url", [
    "/young-people/{person}/contacts/new", "/young-people/{person}/offer/claims/new", "/me/offer/{slug}/ask", "/me/help"])
def test_every_page_load_issues_a_fresh_token(app, world, catalogue, url):
    client = PageClient(app).sign_in_as(world.person_user if url.startswith("/me") else world.adviser)
    url = url.format(person=world.person.id, slug=SETTING_UP_HOME)
    tokens = {form_data(client.get(url))["form_token"] for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 32 for token in tokens)
