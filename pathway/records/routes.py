from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db
from pathway.models import Role
from pathway.queries.audit import list_record_access
from pathway.queries.caseloads import get_record
from pathway.records import bp
from pathway.services import audit, people
from pathway.views.render import render_page_or_fragment

STAFF = (Role.ADVISER, Role.MANAGER)


@bp.route("/young-people/<int:person_id>")
@roles_required(*STAFF)
def view_record(person_id: int):
    person = get_young_person_for(current_user, person_id)
    audit.record("view", "young_person", person.id, young_person_id=person.id)
    db.session.commit()
    person = get_record(person.id)
    return render_template("records/record.html", person=person, today=date.today(), title=person.display_name)


@bp.route("/young-people/<int:person_id>/invite", methods=["POST"])
@roles_required(*STAFF)
def invite(person_id: int):
    person = get_young_person_for(current_user, person_id)
    try:
        people.invite_young_person(person, invited_by=current_user)
    except people.InvitationProblem as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        flash(f"We have emailed {person.display_name} a link to choose a password. It works for 7 days.", "success")
    return redirect(url_for("records.view_record", person_id=person_id), code=303)


@bp.route("/young-people/<int:person_id>/access-log")
@roles_required(Role.MANAGER)
def access_log(person_id: int):
    person = get_young_person_for(current_user, person_id)
    audit.record("view_access_log", "young_person", person.id, young_person_id=person.id)
    db.session.commit()
    events = list_record_access(person.id)
    return render_page_or_fragment(
        "records/access_log.html", "records/_access_log_table.html",
        person=person, events=events, title=f"Who has looked at {person.display_name}'s record",
    )
