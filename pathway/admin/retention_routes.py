"""The retention report: records past their retention date, for an administrator to decide about.

Records are kept until the young person's 75th birthday (pathway.rules.retention). This page lists
only the records past that date (record number, name, date of birth, the date, days past) and lets
an administrator delete one, with the record number typed to confirm and a reason. Nothing else of
a record is shown: administrators do not see case records. So a record that is not yet due is, to an
administrator, a record that does not exist: its delete page answers 404 like any other record route
(tests/integration/test_access.py), and shows nothing, not even that the record exists. The service
refuses such a deletion too (RetentionNotDue), and the command line says why.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pathway.access import roles_required
from pathway.admin import bp
from pathway.admin.retention_forms import RecordDeleteForm
from pathway.extensions import db
from pathway.models import RecordDeletion, Role, YoungPerson
from pathway.rules.retention import RetentionNotDue, retention_for
from pathway.services import audit
from pathway.services.retention import DeletionProblem, delete_person, list_due_records

LIST_TITLE = "Records past their retention date"
DELETE_TITLE = "Delete a record"


@bp.route("/retention")
@roles_required(Role.ADMIN)
def retention_report():
    today = date.today()
    due = list_due_records(today)
    recent = db.session.scalars(
        select(RecordDeletion).options(selectinload(RecordDeletion.deleted_by))
        .order_by(RecordDeletion.deleted_at.desc(), RecordDeletion.id.desc()).limit(20)
    ).all()
    page = render_template("admin/retention.html", due=due, recent=recent, today=today, title=LIST_TITLE)
    audit.record_many("view", "retention_report", [r.person_id for r in due])
    db.session.commit()
    return page


@bp.route("/retention/<int:person_id>/delete", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def delete_record(person_id: int):
    person = db.session.get(YoungPerson, person_id)
    if person is None:
        abort(404)
    today = date.today()
    decision = retention_for(person.date_of_birth, today)
    if not decision.due:
        abort(404)
    form = RecordDeleteForm(expected=person.id)
    if form.validate_on_submit():
        try:
            delete_person(person.id, reason=form.reason.data, by=current_user, today=today)
        except RetentionNotDue:  # cannot happen once due (dates only move on); refuse as for any other
            abort(404)
        except DeletionProblem as problem:
            form.reason.errors = [*form.reason.errors, str(problem)]
        else:
            flash(f"Record {person_id} has been deleted. The deletion register keeps the date and your reason.",
                  "success")
            return redirect(url_for("admin.retention_report"), code=303)
    page = render_template("admin/retention_delete.html", form=form, person=person, decision=decision,
                           title=DELETE_TITLE)
    audit.record("view", "retention", person.id, young_person_id=person.id)
    db.session.commit()
    return page, 400 if form.errors else 200
