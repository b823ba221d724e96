from __future__ import annotations

from datetime import UTC, date, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.contacts import bp
from pathway.contacts.forms import LONDON, NO_NEW_RISKS, RISKS, YES, ContactRecordForm
from pathway.extensions import db
from pathway.integrity import AlreadySaved
from pathway.models import Role
from pathway.offer.forms import ACTIVITIES
from pathway.queries.contacts import contact_form_context, contacts_page
from pathway.rules.contacts import ContactKind, InTouch, in_touch_after_contact
from pathway.services import audit
from pathway.services import contacts as contact_service

STAFF = (Role.ADVISER, Role.MANAGER)


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return _now().astimezone(LONDON).date()


def _kind_label(kind: str) -> str:
    try:
        return ContactKind(kind).label
    except ValueError:
        return kind


def _in_touch_label(code: str | None) -> str:
    try:
        return InTouch(code).label if code else "Not recorded"
    except ValueError:
        return code or "Not recorded"


def _risks_label(stored: str | None) -> str:
    if not stored:
        return ""
    if stored == NO_NEW_RISKS:
        return "No new risks"
    return ", ".join(RISKS.get(code, code) for code in stored.split(","))


@bp.route("")
@roles_required(*STAFF)
def list_contacts(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = _today()
    data = contacts_page(person, today)
    page = render_template(
        "contacts/contacts.html", person=person, today=today, contacts=data.contacts, summary=data.summary,
        activities=ACTIVITIES, kind_label=_kind_label, in_touch_label=_in_touch_label, risks_label=_risks_label,
        title=f"Contacts and visits: {person.display_name}",
    )
    # Audited after rendering, so the commit does not expire what the page used.
    audit.record("view", "contacts", None, young_person_id=person.id)
    db.session.commit()
    return page


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def record_contact(person_id: int):
    person = get_young_person_for(current_user, person_id)
    now = _now()
    today = now.astimezone(LONDON).date()
    status, accommodation = contact_form_context(person, today)
    data = None
    if request.method == "GET":
        local = now.astimezone(LONDON)
        data = {
            "contact_date": today,
            "contact_time": f"{local.hour:02d}:{local.minute:02d}",
            "reached": YES,
            # ?kind=home_visit preselects the kind, for links such as "Record a visit" on the worklist.
            "kind": request.args.get("kind", "") if request.args.get("kind", "") in set(ContactKind) else None,
            "in_touch": (in_touch_after_contact(status, True) or InTouch.YES).value,
            "activity": person.main_activity or "",
        }
    form = ContactRecordForm(today=today, now=now, date_of_birth=person.date_of_birth, accommodation=accommodation,
                             data=data)
    if form.validate_on_submit():
        try:
            contact_service.record_contact(person, by=current_user, values=form.values(),
                                           form_token=form.submitted_token())
        except AlreadySaved:
            flash("This contact had already been saved, so it has not been saved twice.", "info")
            return redirect(url_for("contacts.list_contacts", person_id=person.id), code=303)
        except contact_service.Conflict:
            form.kind.errors = [*form.kind.errors, "Someone else changed this record at the same time. "
                                                   "Check the details and save again."]
        else:
            flash(f"The {_kind_label(form.kind.data).lower()} has been saved.", "success")
            return redirect(url_for("contacts.list_contacts", person_id=person.id), code=303)
    return render_template("contacts/contact_form.html", person=person, form=form,
                           title="Record a contact or visit")
