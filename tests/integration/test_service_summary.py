"""The service summary PDF (issue 6 section 6): indicators, charts and overdue flags on a date."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from pathway.extensions import db
from pathway.models import AuditEvent
from pathway.models.contact import AccommodationMove, Contact

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def flagged(world):
    """Jordan moved on 1 November and was not visited; Aisha (the other team) likewise."""
    for person in (world.person, world.other_person):
        db.session.add(Contact(young_person_id=person.id, contact_at=datetime(2026, 10, 20, 11, tzinfo=UTC),
                               kind="home_visit", reached=True, in_touch="YES"))
        db.session.add(AccommodationMove(young_person_id=person.id, move_in=date(2026, 11, 1), code="U1"))
    db.session.commit()
    return world


def on(day: date, **extra) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"on-day": day.day, "on-month": day.month, "on-year": day.year,
                                               **extra}.items())
    return query


def pdf_text(response) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return " ".join(text.split())  # words wrap onto new lines in table cells


def test_the_page_says_what_the_pdf_will_hold(client, flagged):
    client.sign_in_as(flagged.manager)
    page = client.get("/manager/service-summary?" + on(date(2026, 11, 10)))
    assert page.h1 == "Service summary"
    contents = page.soup.find(id="summary-contents").get_text(" ", strip=True)
    assert "11 indicators" in contents and "1 flag overdue on that date" in contents
    form = page.soup.find("form", action="/manager/service-summary.pdf")
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"on-day": "10", "on-month": "11", "on-year": "2026"}
    fragment = client.get("/manager/service-summary?" + on(date(2026, 11, 10)), htmx=True)
    assert fragment.soup.find("h1") is None and fragment.soup.find(id="summary-contents") is not None


def test_the_pdf_holds_the_indicators_and_the_flags_overdue_on_that_date_without_names(client, flagged):
    w = flagged
    client.sign_in_as(w.manager)
    response = client.request("get", "/manager/service-summary.pdf?" + on(date(2026, 11, 10)))
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="service-summary-2026-11-10.pdf"'
    text = pdf_text(response)
    assert "Leaving care service summary" in text and "10 November 2026" in text
    assert "Pathway plan in date" in text and "In touch" in text
    assert f"Record {w.person.id}" in text and "Visit within 7 days of the move" in text
    assert "Jordan" not in text and "Aisha" not in text and f"Record {w.other_person.id}" not in text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "service_summary")).all()
    assert [(e.action, e.young_person_id) for e in events] == [("download_pdf", None)]


def test_names_are_included_only_when_asked_and_each_is_audited(client, flagged):
    w = flagged
    client.sign_in_as(w.manager)
    response = client.request("get", "/manager/service-summary.pdf?" + on(date(2026, 11, 10), names="yes"))
    text = pdf_text(response)
    assert "Jordan Taylor" in text and f"Record {w.person.id}" not in text
    named = db.session.scalars(select(AuditEvent.young_person_id).where(
        AuditEvent.record_type == "service_summary", AuditEvent.young_person_id.is_not(None))).all()
    assert named == [w.person.id]


def test_before_the_visit_was_due_nothing_was_overdue(client, flagged):
    client.sign_in_as(flagged.manager)
    text = pdf_text(client.request("get", "/manager/service-summary.pdf?" + on(date(2026, 11, 5))))
    assert "No flags were overdue on that date." in text


@pytest.mark.parametrize("query", ["on-day=31&on-month=4&on-year=2026", "on-day=1&on-month=1&on-year=2027",
                                   "on-day=x&on-month=1&on-year=2026", "on-day=1&on-month=1&on-year=1999"])
def test_bad_dates_get_an_error_message_not_a_pdf(client, flagged, query):
    client.sign_in_as(flagged.manager)
    for url in ("/manager/service-summary?", "/manager/service-summary.pdf?"):
        page = client.get(url + query, status=400)
        assert page.errors and page.title.startswith("Error: ")


@pytest.mark.parametrize("who, query", [("manager", "team={south}"), ("manager", "team=abc"),
                                        ("adviser", ""), ("person_user", ""), ("admin", "")])
def test_others_cannot_get_it(client, flagged, who, query):
    w = flagged
    client.sign_in_as(getattr(w, who))
    q = query.format(south=w.south.id)
    client.get(f"/manager/service-summary?{q}", status=404)
    client.get(f"/manager/service-summary.pdf?{q}", status=404)


def test_the_indicators_page_links_to_the_summary_for_the_same_date(client, flagged):
    client.sign_in_as(flagged.manager)
    page = client.get("/manager/indicators?" + on(date(2026, 11, 10)))
    link = page.soup.find(id="open-service-summary")
    assert link["href"] == "/manager/service-summary?on-day=10&on-month=11&on-year=2026"
    assert client.get(link["href"]).soup.find(id="summary-heading").get_text(strip=True) == "On 10 November 2026"
