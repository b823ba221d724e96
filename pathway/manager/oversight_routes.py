"""Management oversight (issue 6 section 4): notes on a young person's record, and supervision of advisers."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_adviser_for, get_young_person_for, roles_required
from pathway.extensions import db
from pathway.manager import bp
from pathway.manager.oversight_forms import OversightNoteForm, SupervisionForm
from pathway.models import Role
from pathway.queries.oversight import last_supervision_dates, list_supervision_for_manager, list_supervisions_for
from pathway.queries.timeline import kind_label, list_oversight_notes_for
from pathway.rules import supervision as supervision_rules
from pathway.services import audit
from pathway.services import oversight as oversight_service
from pathway.views.render import render_page_or_fragment


def _today() -> date:
    return date.today()


@bp.route("/manager/young-people/<int:person_id>/oversight", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def add_oversight_note(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = _today()
    form = OversightNoteForm(today=today, date_of_birth=person.date_of_birth,
                             data={"noted_on": today} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            oversight_service.add_note(person, by=current_user, kind=form.kind.data, noted_on=form.noted_on.data,
                                       note=form.note.data)
        except (oversight_service.OversightProblem, ValueError) as problem:
            db.session.rollback()
            form.note.errors = [*form.note.errors, str(problem)]
        else:
            flash("Your management oversight note has been added to the record.", "success")
            return redirect(url_for("records.view_record", person_id=person.id, _anchor="oversight"), code=303)
    if request.method == "GET":
        audit.record("view", "oversight_note", None, young_person_id=person.id)
        db.session.commit()
    notes = list_oversight_notes_for(person.id, 3)
    return render_template("manager/oversight_note_form.html", form=form, person=person, notes=notes, kind_label=kind_label,
                           title="Add a management oversight note")


@bp.route("/manager/supervision")
@roles_required(Role.MANAGER)
def supervision():
    today = _today()
    standard = oversight_service.supervision_standard()
    rows = list_supervision_for_manager(current_user, today, **standard.as_kwargs())
    return render_page_or_fragment(
        "manager/supervision.html", "manager/_supervision.html", rows=rows, standard=standard, today=today,
        overdue=sum(1 for row in rows if row.overdue), title="Supervision of personal advisers",
    )


@bp.route("/manager/advisers/<int:adviser_id>/supervision", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def record_supervision(adviser_id: int):
    adviser = get_adviser_for(current_user, adviser_id)
    today = _today()
    form = SupervisionForm(today=today, data={"held_on": today} if request.method == "GET" else None)
    if form.validate_on_submit():
        oversight_service.record_supervision(adviser, by=current_user, held_on=form.held_on.data,
                                             notes=form.notes.data)
        flash(f"Supervision with {adviser.name} on {form.held_on.data.day} {form.held_on.data:%B %Y} has been recorded.",
              "success")
        return redirect(url_for("manager.supervision"), code=303)
    standard = oversight_service.supervision_standard()
    last = last_supervision_dates([adviser.id]).get(adviser.id)
    return render_template(
        "manager/record_supervision.html", form=form, adviser=adviser, last=last,
        due=supervision_rules.supervision_due(last, adviser.started_role_on, today, **standard.as_kwargs()),
        sessions=list_supervisions_for(adviser.id), title=f"Record a supervision with {adviser.name}",
    )


from pathway.manager import signoff_routes  # noqa: E402,F401
