""""Ask about this": a young person asks their personal adviser about one entitlement; the adviser sees it on
their caseload page and marks it answered."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event, select

from pathway.extensions import db
from pathway.models import Allocation, AuditEvent, OfferQuestion, OutboxEmail
from tests.helpers import PageClient
from tests.offer_builders import DRIVING, SETTING_UP_HOME, build_catalogue

NOON = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
ASK = f"/me/offer/{SETTING_UP_HOME}/ask"


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def catalogue(db_transaction):
    return build_catalogue()


@pytest.fixture
def me(client, world, frozen, catalogue) -> PageClient:
    return client.sign_in_as(world.person_user)


def _questions() -> list[OfferQuestion]:
    return list(db.session.scalars(select(OfferQuestion).order_by(OfferQuestion.id)))


def _audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "offer_question",
                                                            AuditEvent.action == action)))


def _text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def test_asking_stores_the_question_emails_the_adviser_and_confirms(me, world, catalogue):
    page = me.get(ASK)
    assert page.h1 == "Setting up home allowance"
    assert page.title.startswith("Ask about Setting up home allowance – ")
    form = page.soup.find("form", action=ASK)
    assert form.find("textarea", attrs={"name": "message"}) is not None

    response = me.post(ASK, {"message": "Can I use it for a washing machine?\r\nMine broke."}, status=303)
    assert response.response.headers["Location"] == f"/me/offer/{SETTING_UP_HOME}/asked"

    [question] = _questions()
    assert question.young_person_id == world.person.id
    assert question.entitlement_id == catalogue[SETTING_UP_HOME].id
    assert question.message == "Can I use it for a washing machine?\nMine broke."
    assert question.answered_at is None
    [audit] = _audits("create")
    assert audit.young_person_id == world.person.id and audit.user_id == world.person_user.id

    [email] = db.session.scalars(select(OutboxEmail)).all()
    assert email.to == world.adviser.email
    assert email.subject == "Jordan Taylor has a question about the care leaver offer"
    assert "Jordan Taylor has asked about Setting up home allowance." in email.body
    assert "/caseload" in email.body
    assert "washing machine" not in email.body  # what they wrote stays in the service

    confirmation = me.get(f"/me/offer/{SETTING_UP_HOME}/asked")
    assert confirmation.h1 == "We have told your personal adviser"
    assert (_text(confirmation.soup.find(id="what-happens-next"))
            == "We have told your personal adviser, Adviser One. They will reply within 5 working days.")
    [earlier] = confirmation.soup.select("#your-questions li")
    assert "Setting up home allowance : you asked on 20 March 2026. Waiting for a reply" in _text(earlier)
    assert "Can I use it for a washing machine?" in _text(earlier)


def test_an_empty_question_is_fine(me):
    me.post(ASK, {"message": "   "}, status=303)
    [question] = _questions()
    assert question.message == ""


def test_the_adviser_sees_the_question_on_their_caseload_and_marks_it_answered(me, app, world):
    me.post(ASK, {"message": "When can I have it?"}, status=303)
    [question] = _questions()

    adviser = PageClient(app).sign_in_as(world.adviser)
    home = adviser.get("/caseload")
    banner = home.soup.find(id="offer-questions")
    assert _text(banner.find(id="offer-questions-title")) == "Questions about the offer"
    [item] = banner.select("li.app-offer-question")
    assert "Jordan Taylor asked about Setting up home allowance on 20 March 2026" in _text(item)
    assert "When can I have it?" in _text(item)
    assert item.find("a")["href"] == f"/young-people/{world.person.id}"
    form = item.find("form")
    assert form["action"] == f"/offer-questions/{question.id}/answered"

    done = adviser.post(form["action"], status=303)
    assert done.response.headers["Location"] == "/caseload"
    db.session.refresh(question)
    assert question.answered_at is not None and question.answered_by_id == world.adviser.id
    [audit] = _audits("update")
    assert audit.young_person_id == world.person.id and audit.user_id == world.adviser.id

    after = adviser.get("/caseload")
    assert after.soup.find(id="offer-questions") is None
    assert "Jordan Taylor's question about Setting up home allowance is marked as answered." in after.text

    # Twice (a double click) changes nothing more.
    adviser.post(form["action"], status=303)
    assert len(_audits("update")) == 1

    # The young person sees that it was answered.
    earlier = me.get(ASK).soup.select("#earlier-questions li")
    assert [_text(li) for li in earlier] == ["You asked on 20 March 2026: Answered “When can I have it?”"]


@pytest.mark.parametrize("who", ["other_adviser", "colleague"])
def test_another_adviser_cannot_see_or_mark_the_question(me, app, world, who):
    me.post(ASK, {"message": ""}, status=303)
    [question] = _questions()
    other = PageClient(app).sign_in_as(getattr(world, who))
    assert other.get("/caseload").soup.find(id="offer-questions") is None
    other.post(f"/offer-questions/{question.id}/answered", status=404)
    db.session.refresh(question)
    assert question.answered_at is None
    assert _audits("update") == []


@pytest.mark.parametrize("who", ["manager", "admin", "person_user"])
def test_only_advisers_mark_questions_answered(me, app, world, who):
    me.post(ASK, {"message": ""}, status=303)
    [question] = _questions()
    PageClient(app).sign_in_as(getattr(world, who)).post(f"/offer-questions/{question.id}/answered", status=404)
    db.session.refresh(question)
    assert question.answered_at is None


@pytest.mark.parametrize("question_id", ["999999", "99999999999999999999", "0"])
def test_a_question_that_does_not_exist_is_404(app, world, frozen, question_id):
    PageClient(app).sign_in_as(world.adviser).post(f"/offer-questions/{question_id}/answered", status=404)


def test_marking_answered_needs_the_csrf_token(me, app, world):
    me.post(ASK, {"message": ""}, status=303)
    [question] = _questions()
    PageClient(app).sign_in_as(world.adviser).post(f"/offer-questions/{question.id}/answered", csrf=False,
                                                   status=400)
    db.session.refresh(question)
    assert question.answered_at is None


def test_a_young_person_cannot_ask_for_someone_else(me, world):
    me.post(ASK, {"message": "Hi", "young_person_id": str(world.other_person.id),
                  "person_id": str(world.other_person.id)}, status=303)
    [question] = _questions()
    assert question.young_person_id == world.person.id


@pytest.mark.parametrize("slug", ["no-such-thing", "x" * 300, "%00", "SETTING-UP-HOME-ALLOWANCE"])
def test_an_unknown_entitlement_is_404(me, slug):
    me.get(f"/me/offer/{slug}/ask", status=404)
    me.post(f"/me/offer/{slug}/ask", {"message": "?"}, status=404)
    me.get(f"/me/offer/{slug}/asked", status=404)
    assert _questions() == []


def test_a_withdrawn_entitlement_cannot_be_asked_about(me, catalogue):
    catalogue[DRIVING].active = False
    db.session.commit()
    me.get(f"/me/offer/{DRIVING}/ask", status=404)
    me.post(f"/me/offer/{DRIVING}/ask", {"message": "?"}, status=404)
    assert _questions() == []


@pytest.mark.parametrize(("message", "error"), [
    ("x" * 1001, "Your question must be 1,000 characters or fewer"),
    ("Hello\x00there", "Your question must not contain hidden or control characters"),
    ("evil \u202e text", "Your question must not contain hidden or control characters"),
])
def test_bad_questions_are_explained_and_nothing_is_stored(me, message, error):
    page = me.post(ASK, {"message": message}, status=200)
    assert page.errors() == [error]
    assert page.title.startswith("Error: Ask about Setting up home allowance")
    assert _questions() == []
    assert db.session.scalars(select(OutboxEmail)).all() == []


def test_a_question_of_exactly_1000_characters_is_fine(me):
    me.post(ASK, {"message": "y" * 1000}, status=303)
    assert len(_questions()[0].message) == 1000


def test_without_an_adviser_the_question_is_saved_and_they_are_told_who_to_call(me, world):
    world.person.current_allocation.end_date = date(2026, 3, 1)
    db.session.commit()
    me.post(ASK, {"message": ""}, status=303)
    assert len(_questions()) == 1
    assert db.session.scalars(select(OutboxEmail)).all() == []
    page = me.get(f"/me/offer/{SETTING_UP_HOME}/asked")
    assert page.h1 == "We have saved your question"
    assert "Call the leaving care team" in page.text


def test_the_confirmation_page_before_asking_goes_to_the_form(me):
    page = me.get(f"/me/offer/{SETTING_UP_HOME}/asked", status=303)
    assert page.response.headers["Location"] == ASK


def test_the_caseload_page_query_count_does_not_grow_with_questions(app, make, world, frozen, catalogue):
    def count() -> int:
        client = PageClient(app).sign_in_as(world.adviser)
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            client.get("/caseload")
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    db.session.add(OfferQuestion(young_person_id=world.person.id, entitlement_id=catalogue[DRIVING].id, message=""))
    db.session.commit()
    one = count()
    for n in range(5):
        person = make.young_person(world.adviser)
        for slug in (DRIVING, SETTING_UP_HOME):
            db.session.add(OfferQuestion(young_person_id=person.id, entitlement_id=catalogue[slug].id, message=str(n)))
    db.session.commit()
    many = count()
    page = PageClient(app).sign_in_as(world.adviser).get("/caseload")
    assert len(page.soup.select("li.app-offer-question")) == 11
    assert one == many, (one, many)


def test_a_reallocated_young_persons_question_moves_with_them(me, app, world):
    me.post(ASK, {"message": ""}, status=303)
    world.person.current_allocation.end_date = date(2026, 3, 20)
    db.session.flush()
    db.session.add(Allocation(young_person_id=world.person.id, adviser_id=world.colleague.id, start_date=date(2026, 3, 20)))
    db.session.commit()
    assert PageClient(app).sign_in_as(world.adviser).get("/caseload").soup.find(id="offer-questions") is None
    assert PageClient(app).sign_in_as(world.colleague).get("/caseload").soup.find(id="offer-questions") is not None


def test_if_the_email_cannot_be_sent_the_question_is_still_saved(me, monkeypatch):
    from pathway.services import offer_questions

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(offer_questions, "send_email", broken)
    me.post(ASK, {"message": "Still there?"}, status=303)
    assert [q.message for q in _questions()] == ["Still there?"]
    assert len(_audits("create")) == 1
    me.get(f"/me/offer/{SETTING_UP_HOME}/asked")
