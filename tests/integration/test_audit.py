"""The append-only audit trail."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from sqlalchemy import delete, select, text, update

from pathway.extensions import db
from pathway.models import AuditEvent
from tests.helpers import PageClient


def events_for(person_id):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.young_person_id == person_id).order_by(AuditEvent.id)
    ).all()


def test_viewing_a_record_writes_who_what_when_and_request_id(client, world):
    client.sign_in_as(world.adviser)
    page = client.get(f"/young-people/{world.person.id}")
    [event] = events_for(world.person.id)
    assert (event.user_id, event.role, event.action, event.record_type, event.record_id) == (
        world.adviser.id, "adviser", "view", "young_person", world.person.id)
    assert event.at is not None and event.at.tzinfo is not None
    assert event.request_id == page.response.headers["X-Request-Id"]


def test_changes_record_field_names_not_values(client, world):
    client.sign_in_as(world.adviser)
    client.get("/young-people/new")
    client.post("/young-people/new", {"given_name": "Kai", "family_name": "Lowe", "date_of_birth": ["3", "4", "2008"]}, status=303)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "create")).one()
    assert set(event.changed_field_list) == {"given_name", "family_name", "date_of_birth"}
    assert "Kai" not in (event.changed_fields or "")


def _try(statement):
    with pytest.raises(sqlalchemy.exc.DBAPIError) as failure:
        with db.session.begin_nested():
            db.session.execute(statement)
    assert "append-only" in str(failure.value)


def test_database_refuses_update_and_delete_of_audit_events(world):
    from pathway.services import audit

    audit.record("view", "young_person", world.person.id, young_person_id=world.person.id, user=world.adviser)
    db.session.flush()
    _try(update(AuditEvent).values(action="edited"))
    _try(delete(AuditEvent))
    _try(text("UPDATE audit_event SET user_id = NULL"))
    _try(text("DELETE FROM audit_event WHERE id > 0"))
    assert len(events_for(world.person.id)) == 1


def test_no_code_path_updates_or_deletes_audit_events():
    """A cheap guard: nothing in the package issues update()/delete() against AuditEvent."""
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("pathway").rglob("*.py"))
    assert "update(AuditEvent" not in source
    assert "delete(AuditEvent" not in source


def test_manager_sees_who_has_looked_at_the_record(app, world):
    PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
    manager = PageClient(app).sign_in_as(world.manager)
    page = manager.get(f"/young-people/{world.person.id}/access-log")
    rows = [r.get_text(" ", strip=True) for r in page.soup.select("#access-log tbody tr")]
    assert any("Adviser One" in r and "Looked at the record" in r for r in rows)
    fragment = manager.get(f"/young-people/{world.person.id}/access-log", htmx=True)
    assert fragment.soup.select("#access-log")


def test_young_person_sees_which_staff_looked_and_when(app, world):
    PageClient(app).sign_in_as(world.adviser).get(f"/young-people/{world.person.id}")
    PageClient(app).sign_in_as(world.manager).get(f"/young-people/{world.person.id}")
    page = PageClient(app).sign_in_as(world.person_user).get("/me/who-has-seen-my-record")
    items = [li.get_text(" ", strip=True) for li in page.soup.select("#access-log li")]
    assert len(items) == 2
    assert "Manager North" in items[0] and "Adviser One" in items[1]
    assert all("Looked at your record" in i for i in items)


def test_sign_in_events_are_recorded(client, world):
    client.sign_in_as(world.adviser)
    client.post("/sign-out", status=303)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == world.adviser.id)).all()
    # The password, then the code from their app (two-factor sign-in), then the session.
    assert actions == ["sign_in_password_accepted", "sign_in", "sign_out"]
