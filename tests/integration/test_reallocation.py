"""Reallocating a young person to another personal adviser, with a reason and a handover note."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import Allocation, AuditEvent, OutboxEmail
from pathway.services import allocations
from tests.helpers import PageClient, count_queries

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
frozen = time_machine.travel(NOON, tick=False)

NOTE = "Jordan prefers texts, not calls.\nAsk about the college place before Friday."


def url(person) -> str:
    return f"/manager/young-people/{person.id}/reallocate"


def allocations_of(person) -> list[Allocation]:
    return list(db.session.scalars(
        select(Allocation).where(Allocation.young_person_id == person.id).order_by(Allocation.start_date, Allocation.id)
    ))


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count()).select_from(Allocation)),
            db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.record_type == "allocation")),
            db.session.scalar(select(func.count()).select_from(OutboxEmail)))


@frozen
def test_manager_reallocates_with_a_note_and_the_new_adviser_sees_it_first(app, client, world):
    client.sign_in_as(world.manager)
    form = client.get(url(world.person))
    assert form.h1 == "Reallocate to another personal adviser"
    current = " ".join(form.soup.select_one("#current-adviser").get_text().split())
    assert current == "Their personal adviser now is Adviser One, since 6 January 2025."
    # Only the other active advisers in the manager's teams, with team and caseload size.
    radios = {r.find_next("label").get_text(strip=True): r["value"] for r in form.soup.select("input[name=adviser_id]")}
    assert radios == {"Adviser Two": str(world.colleague.id)}
    assert "North: 1 young person" in form.text

    done = client.post(url(world.person), {"adviser_id": str(world.colleague.id), "reason": "Adviser One is on leave",
                                           "handover_note": NOTE})
    assert done.status == 303
    assert done.response.headers["Location"].endswith(f"/young-people/{world.person.id}")
    record = client.get(f"/young-people/{world.person.id}")
    assert "Jordan Taylor is now allocated to Adviser Two" in record.text

    old, new = allocations_of(world.person)
    assert (old.adviser_id, old.start_date, old.end_date) == (world.adviser.id, date(2025, 1, 6), TODAY)
    assert (new.adviser_id, new.start_date, new.end_date) == (world.colleague.id, TODAY, None)
    assert new.reason == "Adviser One is on leave"
    assert new.handover_note == NOTE
    assert new.allocated_by_id == world.manager.id

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "allocation").order_by(AuditEvent.id)).all()
    assert [(e.action, e.record_id, e.user_id) for e in events] == [
        ("update", old.id, world.manager.id), ("create", new.id, world.manager.id)]
    assert events[0].changed_field_list == ["end_date"]
    assert "handover_note" in events[1].changed_field_list and "reason" in events[1].changed_field_list

    email = db.session.scalars(select(OutboxEmail)).one()
    assert email.to == world.colleague.email
    assert "new young person" in email.subject
    assert f"/young-people/{world.person.id}" in email.body
    assert "handover note" in email.body
    for secret in ("college", "texts", "Jordan", "Taylor", "on leave"):
        assert secret not in email.body and secret not in email.subject

    # The record's history, for the manager: newest first, with the reason, who allocated and the count.
    assert record.soup.select_one("#pa-changes").get_text(strip=True) == "1 change of personal adviser."
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in record.soup.select("#adviser-history tbody tr")]
    assert rows == [
        ["Adviser Two Adviser One is on leave. Allocated by Manager North", "22 November 2026", "Now"],
        ["Adviser One First allocation", "6 January 2025", "22 November 2026"],
    ]
    assert record.soup.select_one("#handover") is not None  # managers see it too

    # The new adviser sees the handover note at the top of the record, before the category.
    page = PageClient(app).sign_in_as(world.colleague).get(f"/young-people/{world.person.id}")
    banner = page.soup.select_one("#handover")
    assert "Handover note" in banner.get_text(" ", strip=True)
    assert "From Manager North when Adviser Two took over on 22 November 2026" in banner.get_text(" ", strip=True)
    note = page.soup.select_one("#handover-note")
    assert note.get_text() == NOTE
    assert "app-pre-wrap" in note["class"] and "app-break-words" in note["class"]
    html = page.response.get_data(as_text=True)
    assert html.index('id="handover"') < html.index('id="category"')
    assert page.soup.select_one("#open-reallocate") is None  # advisers cannot reallocate

    # The old adviser can no longer open the record.
    PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}", status=404)


@frozen
def test_the_note_is_not_shown_once_the_allocation_ends(client, world, make, app_ctx):
    third = make.adviser(world.north, name="Adviser Three")
    allocations.reallocate(world.person, world.colleague, by=world.manager, reason="Leave", handover_note=NOTE,
                           today=TODAY)
    allocations.reallocate(world.person, third, by=world.manager, reason="Back from leave", handover_note="  ",
                           today=TODAY)

    history = allocations_of(world.person)
    assert [(a.adviser_id, a.start_date, a.end_date) for a in history] == [
        (world.adviser.id, date(2025, 1, 6), TODAY),
        (world.colleague.id, TODAY, TODAY),  # the earlier same-day allocation ends that day too
        (third.id, TODAY, None),
    ]
    assert history[-1].handover_note is None  # blank is no note

    client.sign_in_as(world.manager)
    page = client.get(f"/young-people/{world.person.id}")
    assert page.soup.select_one("#handover") is None
    assert NOTE.splitlines()[0] not in page.text
    assert page.soup.select_one("#pa-changes").get_text(strip=True) == "2 changes of personal adviser."


@frozen
def test_a_handover_note_is_shown_only_to_the_current_adviser_and_managers(app, world, app_ctx):
    allocations.reallocate(world.person, world.colleague, by=world.manager, reason="Leave", handover_note=NOTE,
                           today=TODAY)
    record = f"/young-people/{world.person.id}"
    PageClient(app).sign_in_as(world.person_user).get(record, status=404)
    PageClient(app).sign_in_as(world.adviser).get(record, status=404)
    assert PageClient(app).sign_in_as(world.colleague).get(record).soup.select_one("#handover-note") is not None
    assert PageClient(app).sign_in_as(world.manager).get(record).soup.select_one("#handover-note") is not None


@frozen
def test_missing_reason_is_an_error_and_nothing_is_saved(client, world):
    client.sign_in_as(world.manager)
    before = counts()
    page = client.post(url(world.person), {"adviser_id": str(world.colleague.id), "reason": "  ", "handover_note": NOTE},
                       status=200)
    assert page.errors() == ["Enter why they are being reallocated"]
    assert page.title.startswith("Error: ")
    assert page.soup.select_one("textarea[name=handover_note]").get_text().strip() == NOTE  # kept, not lost
    assert counts() == before


@frozen
def test_no_adviser_chosen_is_an_error(client, world):
    client.sign_in_as(world.manager)
    before = counts()
    for posted in ({}, {"adviser_id": "abc"}, {"adviser_id": ""}):
        page = client.post(url(world.person), {"reason": "Leave", **posted}, status=200)
        assert page.errors() == ["Select their new personal adviser"]
    assert counts() == before


@frozen
def test_reason_and_note_lengths_are_checked(client, world):
    client.sign_in_as(world.manager)
    before = counts()
    page = client.post(url(world.person), {"adviser_id": str(world.colleague.id), "reason": "x" * 501,
                                           "handover_note": "y" * 5001}, status=200)
    assert page.errors() == ["Why they are being reallocated must be 500 characters or fewer",
                             "Handover note must be 5,000 characters or fewer"]
    assert counts() == before


@frozen
def test_an_inactive_adviser_is_a_clear_error(client, world, make):
    gone = make.adviser(world.north, name="Gone Adviser", active=False)
    client.sign_in_as(world.manager)
    form = client.get(url(world.person))
    assert "Gone Adviser" not in form.text
    before = counts()
    page = client.post(url(world.person), {"adviser_id": str(gone.id), "reason": "Leave"}, status=200)
    assert page.errors() == ["Gone Adviser is no longer an active personal adviser: choose someone else"]
    assert counts() == before
    assert allocations_of(world.person)[0].end_date is None


@frozen
def test_the_same_adviser_is_an_error(client, world):
    client.sign_in_as(world.manager)
    before = counts()
    page = client.post(url(world.person), {"adviser_id": str(world.adviser.id), "reason": "Leave"}, status=200)
    assert page.errors() == ["Adviser One is already Jordan Taylor's personal adviser"]
    assert counts() == before


@frozen
def test_an_adviser_outside_the_managers_teams_is_404(client, world, make):
    client.sign_in_as(world.manager)
    before = counts()
    client.post(url(world.person), {"adviser_id": str(world.other_adviser.id), "reason": "Leave"}, status=404)
    client.post(url(world.person), {"adviser_id": "999999", "reason": "Leave"}, status=404)
    client.post(url(world.person), {"adviser_id": str(world.manager.id), "reason": "Leave"}, status=404)
    assert counts() == before


@frozen
def test_other_managers_advisers_and_young_people_get_404(app, world):
    data = {"adviser_id": str(world.colleague.id), "reason": "Leave"}
    before = counts()
    for who in (world.other_manager, world.adviser, world.colleague, world.admin):
        other = PageClient(app).sign_in_as(who)
        other.get(url(world.person), status=404)
        other.post(url(world.person), data, status=404)
    client = PageClient(app).sign_in_as(world.manager)
    client.get("/manager/young-people/999999/reallocate", status=404)
    client.get(url(world.other_person), status=404)
    assert counts() == before


@frozen
def test_managers_see_the_reallocate_link_and_advisers_do_not(app, client, world):
    client.sign_in_as(world.manager)
    link = client.get(f"/young-people/{world.person.id}").soup.select_one("#open-reallocate")
    assert link["href"] == url(world.person)
    page = PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
    assert page.soup.select_one("#open-reallocate") is None
    assert page.soup.select_one("#pa-changes").get_text(strip=True) == "0 changes of personal adviser."


@frozen
def test_a_failed_email_does_not_undo_the_reallocation(world, app_ctx, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(allocations, "send_email", broken)
    allocations.reallocate(world.person, world.colleague, by=world.manager, reason="Leave", handover_note=None,
                           today=TODAY)
    db.session.expire_all()
    assert [a.adviser_id for a in allocations_of(world.person) if a.end_date is None] == [world.colleague.id]


def test_the_service_refuses_non_advisers(world, app_ctx):
    with pytest.raises(allocations.ReallocationProblem) as problem:
        allocations.reallocate(world.person, world.manager, by=world.manager, reason="Leave", handover_note=None,
                               today=TODAY)
    assert problem.value.field == "adviser_id"
    assert isinstance(problem.value, ValueError)
    assert [a.end_date for a in allocations_of(world.person)] == [None]


@frozen
def test_record_page_query_count_does_not_grow_with_reallocations(client, world, make, app_ctx):
    client.sign_in_as(world.manager)
    record = f"/young-people/{world.person.id}"
    before = count_queries(lambda: client.get(record))
    for n in range(3):
        adviser = make.adviser(world.north, name=f"Extra {n}")
        by = make.manager(world.north, name=f"Deputy {n}")  # a different manager each time: none already loaded
        allocations.reallocate(world.person, adviser, by=by, reason=f"Move {n}", handover_note="note", today=TODAY)
    after = count_queries(lambda: client.get(record))
    assert after == before
