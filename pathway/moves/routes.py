from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db
from pathway.models import Role
from pathway.moves import bp
from pathway.moves.forms import FACTOR_QUESTIONS, MoveRecordForm
from pathway.queries.moves import list_moves_for
from pathway.services import audit
from pathway.services import moves as move_service
from pathway.views.render import render_page_or_fragment

STAFF = (Role.ADVISER, Role.MANAGER)


def _today() -> date:
    return date.today()


@bp.route("")
@roles_required(*STAFF)
def list_moves(person_id: int):
    person = get_young_person_for(current_user, person_id)
    moves = [move_service.summarise_move(move) for move in list_moves_for(person.id)]
    page = render_page_or_fragment(
        "moves/moves.html", "moves/_timeline.html",
        person=person, moves=moves, title=f"Accommodation history: {person.display_name}",
    )
    # Audited after rendering, so the commit does not expire what the page used.
    audit.record("view", "accommodation_move", None, young_person_id=person.id)
    db.session.commit()
    return page


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def record_move(person_id: int):
    person = get_young_person_for(current_user, person_id)
    today = _today()
    form = MoveRecordForm(today=today, date_of_birth=person.date_of_birth)
    if form.validate_on_submit():
        try:
            move_service.record_move(person, form.details(), by=current_user, today=today)
        except move_service.MoveProblem as problem:
            person = get_young_person_for(current_user, person_id)
            field = getattr(form, problem.field or "move_in")
            field.errors = [*field.errors, problem.message]
        else:
            flash("The move has been recorded.", "success")
            return redirect(url_for("moves.list_moves", person_id=person.id), code=303)
    return render_template("moves/record_move.html", person=person, form=form, questions=FACTOR_QUESTIONS,
                           title="Record a move")
