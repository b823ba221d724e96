"""Retention (issue 8 section 8): records are kept until the 75th birthday, then a person decides.

Deletion is refused before the date (service, admin page and command line), allowed after, takes
the whole record in one go and leaves no row pointing at the young person or their account, while
the audit trail keeps every event about them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import AuditEvent, HelpRequest, RecordDeletion, User, YoungPerson
from pathway.queries.audit import list_record_access
from pathway.rules.retention import RetentionNotDue
from pathway.services import audit, subject_access
from pathway.services.retention import DeletionProblem, delete_person, list_due_records
from tests.rights_builders import NOON, OTHER_MESSAGE, build_full_record

# World's young people are born on 17 May 2007: kept until 17 May 2082.
BEFORE = datetime(2082, 5, 16, 12, 0, tzinfo=UTC)
ON_THE_DAY = datetime(2082, 5, 17, 9, 0, tzinfo=UTC)
LEAP_DAY = datetime(2083, 2, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def full_record(clock, make, world):  # the clock first: the record is made at NOON
    build_full_record(make, world)
    return world


def rows_pointing_at(person_id: int, user_id: int | None) -> dict[str, int]:
    """Rows in any table with a foreign key to this young person or this account (found from the schema)."""
    found = {}
    for table in db.metadata.tables.values():
        for fk in table.foreign_keys:
            target = fk.column.table.name
            value = person_id if target == "young_person" else user_id if target == "user" else None
            if value is None:
                continue
            n = db.session.scalar(select(func.count()).select_from(table).where(fk.parent == value))
            if n:
                found[f"{table.name}.{fk.parent.name}"] = n
    return found


def test_report_lists_exactly_the_records_past_their_date(app_ctx, make, world):
    leap = make.young_person(dob=date(2008, 2, 29), given_name="Leap")
    feb28 = make.young_person(dob=date(2008, 2, 28), given_name="February")
    march1 = make.young_person(dob=date(2008, 3, 1), given_name="March")
    young = make.young_person(dob=date(2010, 1, 1), given_name="Young")
    db.session.commit()

    due = list_due_records(LEAP_DAY.date())
    by_id = {r.person_id: r for r in due}
    assert set(by_id) == {world.person.id, world.other_person.id, world.colleague_person.id, leap.id, feb28.id}
    assert march1.id not in by_id and young.id not in by_id
    assert by_id[leap.id].kept_until == date(2083, 2, 28) and by_id[leap.id].days_past == 0
    assert by_id[world.person.id].days_past == (date(2083, 2, 28) - date(2082, 5, 17)).days
    assert by_id[world.person.id].name == "Jordan Taylor"
    assert list_due_records(BEFORE.date()) == []


def test_deletion_is_refused_before_the_75th_birthday(app_ctx, full_record, clock):
    world = full_record
    clock.move_to(BEFORE)
    before = rows_pointing_at(world.person.id, world.person_user.id)
    with pytest.raises(RetentionNotDue, match="must be kept until 17 May 2082"):
        delete_person(world.person.id, reason="Retention period over", by=world.admin, today=BEFORE.date())
    assert db.session.get(YoungPerson, world.person.id) is not None
    assert rows_pointing_at(world.person.id, world.person_user.id) == before
    assert db.session.scalar(select(func.count()).select_from(RecordDeletion)) == 0


def test_deletion_needs_a_reason_and_a_real_record(app_ctx, full_record, clock):
    world = full_record
    clock.move_to(ON_THE_DAY)
    with pytest.raises(DeletionProblem, match="Enter why"):
        delete_person(world.person.id, reason="  ", by=world.admin, today=ON_THE_DAY.date())
    with pytest.raises(DeletionProblem, match="no young person with record number 999999"):
        delete_person(999999, reason="x", by=world.admin, today=ON_THE_DAY.date())
    assert db.session.get(YoungPerson, world.person.id) is not None


def test_deletion_on_the_birthday_leaves_nothing_pointing_at_them(app_ctx, full_record, clock):
    world = full_record
    person_id, user_id = world.person.id, world.person_user.id
    assert len(rows_pointing_at(person_id, user_id)) > 15  # the record really is full
    other_before = rows_pointing_at(world.other_person.id, world.other_person.user_id)
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.young_person_id == person_id))
    clock.move_to(ON_THE_DAY)

    result = delete_person(person_id, reason="Retention period over; no open matters", by=world.admin,
                           today=ON_THE_DAY.date())

    db.session.expire_all()
    assert rows_pointing_at(person_id, user_id) == {}
    assert db.session.get(YoungPerson, person_id) is None
    assert db.session.get(User, user_id) is None
    assert rows_pointing_at(world.other_person.id, world.other_person.user_id) == other_before
    assert db.session.scalar(select(HelpRequest.message)) == OTHER_MESSAGE
    assert db.session.get(User, world.adviser.id) is not None  # staff stay

    # The audit trail keeps every event about them, plus the deletion.
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.young_person_id == person_id)
                                .order_by(AuditEvent.id)).all()
    assert len(events) == audit_before + 1
    assert (events[-1].action, events[-1].user_id, events[-1].record_id) == ("delete_record", world.admin.id,
                                                                             person_id)
    deletion = db.session.scalars(select(RecordDeletion)).one()
    assert (deletion.young_person_id, deletion.kept_until, deletion.deleted_by_id) == (
        person_id, date(2082, 5, 17), world.admin.id)
    assert deletion.reason == "Retention period over; no open matters"
    assert deletion.rows_deleted == result.rows_deleted > 15
    assert "young_person:1" in deletion.tables and "plan_target:" in deletion.tables


def test_admin_page_lists_due_records_and_deletes_with_confirmation(client, full_record, clock):
    world = full_record
    person_id = world.person.id
    clock.move_to(ON_THE_DAY)
    client.sign_in_as(world.admin)
    home = client.get("/admin")
    assert home.soup.find(id="open-retention")["href"] == "/admin/retention"

    page = client.get("/admin/retention")
    assert page.h1 == "Records past their retention date"
    row = page.soup.find(id=f"due-{person_id}")
    assert row.get_text(" ", strip=True) == (
        f"Record {person_id}: Jordan Taylor Delete (Record {person_id}: Jordan Taylor) Record number {person_id} "
        "Date of birth 17 May 2007 Kept until 17 May 2082 (75th birthday) Days past 0")
    url = row.find("a")["href"]
    assert url == f"/admin/retention/{person_id}/delete"

    form = client.get(url)
    assert form.h1 == "Delete a record"
    wrong = client.post(url, {"record_number": "12", "reason": ""}, status=400)
    assert wrong.title.startswith("Error: ")
    assert wrong.errors() == [f"Type the record number, {person_id}, exactly as shown",
                              "Enter why the record is being deleted"]
    assert db.session.get(YoungPerson, person_id) is not None

    done = client.post(url, {"record_number": str(person_id), "reason": "Retention period over"}, status=303)
    assert done.response.headers["Location"].endswith("/admin/retention")
    assert db.session.get(YoungPerson, person_id) is None
    after = client.get("/admin/retention")
    assert f"Record {person_id} has been deleted" in after.text
    assert after.soup.find(id=f"due-{person_id}") is None
    assert "Retention period over" in after.soup.find(id="retention-deleted").get_text(" ", strip=True)
    views = db.session.scalars(select(AuditEvent.record_type).where(AuditEvent.young_person_id == person_id,
                                                                    AuditEvent.action == "view")).all()
    assert "retention_report" in views and "retention" in views


def test_admin_delete_refused_before_the_date_and_without_csrf(client, full_record, clock):
    world = full_record
    person_id = world.person.id
    clock.move_to(BEFORE)
    client.sign_in_as(world.admin)
    page = client.get("/admin/retention")
    assert page.soup.find(id="retention-none").get_text(strip=True) == "No records are past their retention date."
    url = f"/admin/retention/{person_id}/delete"
    # To an administrator a record that is not due does not exist: 404, showing nothing about it.
    assert "Jordan" not in client.get(url, status=404).text
    client.post(url, {"record_number": str(person_id), "reason": "Too early"}, status=404)
    assert db.session.get(YoungPerson, person_id) is not None

    clock.move_to(ON_THE_DAY)
    client.sign_in_as(world.admin)  # a day later: the old session timed out
    assert client.get(url).h1 == "Delete a record"
    client.post(url, {"record_number": str(person_id), "reason": "No token"}, csrf=False, status=400)
    assert db.session.get(YoungPerson, person_id) is not None
    client.get("/admin/retention/999999/delete", status=404)


def test_only_admins_see_the_retention_pages(client, world, clock):
    clock.move_to(ON_THE_DAY)
    client.sign_in_as(world.manager)
    client.get("/admin/retention", status=404)
    client.get(f"/admin/retention/{world.person.id}/delete", status=404)
    client.post(f"/admin/retention/{world.person.id}/delete",
                {"record_number": str(world.person.id), "reason": "x"}, status=404)
    assert db.session.get(YoungPerson, world.person.id) is not None


def test_commands_report_and_delete(app, full_record, clock):
    world = full_record
    person_id = world.person.id
    runner = app.test_cli_runner()
    clock.move_to(BEFORE)
    result = runner.invoke(args=["pathway", "retention-report"])
    assert result.exit_code == 0 and "No records are past their retention date on 2082-05-16." in result.output
    result = runner.invoke(args=["pathway", "retention-report", "--today", "2082-05-17"])
    assert result.exit_code == 0
    assert f"{person_id}\tJordan Taylor\t2007-05-17\t2082-05-17\t0" in result.stdout
    result = runner.invoke(args=["pathway", "retention-report", "--today", "17/05/2082"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output

    refused = runner.invoke(args=["pathway", "delete-person", str(person_id), "--reason", "x", "--yes"])
    assert refused.exit_code == 1
    assert "must be kept until 17 May 2082" in refused.output
    assert db.session.get(YoungPerson, person_id) is not None
    no_reason = runner.invoke(args=["pathway", "delete-person", str(person_id), "--yes"])
    assert no_reason.exit_code == 2

    clock.move_to(ON_THE_DAY)
    declined = runner.invoke(args=["pathway", "delete-person", str(person_id), "--reason", "Due"], input="n\n")
    assert declined.exit_code == 1
    assert db.session.get(YoungPerson, person_id) is not None
    done = runner.invoke(args=["pathway", "delete-person", str(person_id), "--reason", "Due"], input="y\n")
    assert done.exit_code == 0, done.output
    assert f"Deleted record {person_id}" in done.output
    db.session.expire_all()
    assert db.session.get(YoungPerson, person_id) is None
    assert db.session.scalars(select(RecordDeletion.deleted_by_id)).one() is None


def test_a_new_record_never_shows_a_deleted_ones_audit_trail(app_ctx, make, full_record, clock):
    """SQLite can give the next young person the id of the one just deleted (if it was the highest): the
    deleted record's audit events, kept as plain numbers, must not appear in the new one's export."""
    world = full_record
    newest = make.young_person(world.adviser, account=True, given_name="Newest")
    newest_id = newest.id
    audit.record("view", "young_person", newest.id, young_person_id=newest.id, user=world.adviser)
    audit.record("view", "me", None, young_person_id=newest.id, user=newest.user)
    db.session.commit()
    clock.move_to(ON_THE_DAY)
    delete_person(newest.id, reason="Due", by=world.admin, today=ON_THE_DAY.date())
    clock.move_to(ON_THE_DAY + timedelta(hours=1))

    fresh = make.young_person(world.adviser, account=True, given_name="Fresh")
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        assert fresh.id == newest_id  # the case this test is about (PostgreSQL never reuses an id)
    export = subject_access.build_export(fresh, by=None, today=ON_THE_DAY.date())
    assert export["audit_events"] == []
    assert list_record_access(fresh.id) == []  # "who has looked at this record", for staff and for them


@pytest.mark.parametrize(("record_number", "reason", "error"), [
    ("{id}", "x" * 501, "Reason must be 500 characters or fewer"),
    ("{id}", "Due\x00", "Reason must not contain hidden or control characters"),
    ("{id}", "Due \u202e", "Reason must not contain hidden or control characters"),
    ("{id} OR 1=1", "Due", "Type the record number, {id}, exactly as shown"),
    ("x" * 21, "Due", "Record number must be 20 characters or fewer"),
])
def test_admin_delete_refuses_bad_input_and_changes_nothing(client, world, clock, record_number, reason, error):
    person_id = world.person.id
    clock.move_to(ON_THE_DAY)
    client.sign_in_as(world.admin)
    url = f"/admin/retention/{person_id}/delete"
    page = client.post(url, {"record_number": record_number.format(id=person_id), "reason": reason}, status=400)
    assert error.format(id=person_id) in page.errors()
    assert db.session.get(YoungPerson, person_id) is not None
    assert db.session.scalar(select(func.count()).select_from(RecordDeletion)) == 0
