"""The passport to independence for staff: the adviser confirms or sets answers; the team's manager reads it.

One route serves the page and the htmx fragment. Every form also works as a plain form (303 after POST).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db, htmx
from pathway.models import PassportStatus, Role
from pathway.passport import bp
from pathway.passport.forms import AdviserAnswerForm, ConfirmForm
from pathway.queries.passport import get_group_count, get_item, get_item_view, get_passport
from pathway.services import audit
from pathway.services import passport as passport_service

STAFF = (Role.ADVISER, Role.MANAGER)


def _today() -> date:
    return date.today()


def _item(item_id: int):
    item = get_item(item_id)
    if item is None:
        abort(404)
    return item


def _back(person, item):
    return redirect(url_for("passport.view_passport", person_id=person.id, _anchor=f"item-{item.id}"), code=303)


def _saved_fragment(person, item, *, status: int = 200, problem: str | None = None):
    """htmx: the item again, and its group's progress bar out of band."""
    view = get_item_view(person.id, item)
    body = render_template("passport/_item_saved.html", person=person, view=view, today=_today(),
                           editable=current_user.role is Role.ADVISER, saved=problem is None, problem=problem,
                           count=get_group_count(person.id, item.group))
    return make_response(body, status)


def _answer_form(item, **kwargs) -> AdviserAnswerForm:
    form = AdviserAnswerForm(is_document=item.is_document, **kwargs)
    for name in ("status", "note", "held", "where_kept", "expires_on"):
        if name in form:
            getattr(form, name).id = f"{name}-{item.id}"  # unique if several forms are open on the page
    return form


@bp.route("")
@roles_required(*STAFF)
def view_passport(person_id: int):
    person = get_young_person_for(current_user, person_id)
    page = render_template("passport/passport.html", person=person, groups=get_passport(person.id), today=_today(),
                           editable=current_user.role is Role.ADVISER, confirm_form=ConfirmForm(),
                           title=f"Passport to independence: {person.display_name}")
    audit.record("view", "passport", None, young_person_id=person.id)
    db.session.commit()
    return page


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def update_item(person_id: int, item_id: int):
    person = get_young_person_for(current_user, person_id)
    item = _item(item_id)
    view = get_item_view(person.id, item)
    current = view.current
    data = None
    if current is not None and request.method == "GET":
        data = {"status": current.status.value, "where_kept": current.where_kept or "",
                "held": {True: "yes", False: "no"}.get(current.held), "expires_on": current.expires_on}
    form = _answer_form(item, data=data)
    status = 200
    if form.validate_on_submit():
        try:
            answer_status = PassportStatus(form.status.data)
            if item.is_document:
                passport_service.update_document(
                    person, item, by=current_user, status=answer_status, note=form.note.data or None,
                    facts=passport_service.DocumentFacts(form.held_value, form.where_kept.data or None,
                                                         form.expires_on.data))
            else:
                passport_service.answer_item(person, item, by=current_user, status=answer_status,
                                             note=form.note.data or None)
        except passport_service.PassportProblem as problem:
            db.session.rollback()
            form.status.errors.append(str(problem))
            status = 409
        else:
            if htmx:
                return _saved_fragment(person, item)
            flash(f"“{item.title}” has been saved.", "success")
            return _back(person, item)
    elif form.errors:
        status = 422
    template = "passport/_answer_form.html" if htmx else "passport/answer_form.html"
    return render_template(template, person=person, item=item, view=view, form=form, today=_today(), inline=bool(htmx),
                           title=f"{item.title}: {person.display_name}"), status


@bp.route("/items/<int:item_id>/confirm", methods=["POST"])
@roles_required(Role.ADVISER)
def confirm_item(person_id: int, item_id: int):
    person = get_young_person_for(current_user, person_id)
    item = _item(item_id)
    form = ConfirmForm()
    problem = None
    if form.validate_on_submit():
        try:
            passport_service.confirm_item(person, item, by=current_user)
        except passport_service.PassportProblem as error:
            db.session.rollback()
            problem = str(error)
    else:
        problem = "Something went wrong. Reload the page and try again"
    if htmx:
        return _saved_fragment(person, item, status=409 if problem else 200, problem=problem)
    if problem:
        flash(problem, "error")
    else:
        flash(f"You confirmed “{item.title}”.", "success")
    return _back(person, item)
