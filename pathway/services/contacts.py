"""Recording a contact or visit: one user action, its audit events, one commit (or nothing saved)."""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from pathway.extensions import db
from pathway.integrity import check_not_saved, flush_once
from pathway.models import Contact, User, YoungPerson
from pathway.services import audit


class Conflict(Exception):
    """Someone else changed the young person's record at the same moment. Nothing was saved."""


def record_contact(person: YoungPerson, *, by: User, values: dict, form_token: str | None = None) -> Contact:
    """Store a contact and, when a main activity is given, make it the young person's main activity.

    ``values`` are the contact's columns (see ``ContactRecordForm.values``). Commits. The same form
    posted again (same ``form_token``) raises pathway.integrity.AlreadySaved and saves nothing.
    """
    check_not_saved(Contact, form_token)
    contact = Contact(young_person_id=person.id, recorded_by_id=by.id, form_token=form_token, **values)
    db.session.add(contact)
    flush_once(Contact, form_token)
    audit.record("create", "contact", contact.id, young_person_id=person.id, user=by,
                 fields=[name for name, value in values.items() if value is not None])
    activity = values.get("activity")
    if activity and person.main_activity != activity:
        person.main_activity = activity
        audit.record("update", "young_person", person.id, young_person_id=person.id, user=by,
                     fields=["main_activity"])
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict() from None
    return contact
