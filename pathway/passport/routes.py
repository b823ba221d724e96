"""The passport to independence for staff: the adviser confirms or sets answers; the team's manager reads it.

One route serves the page and the htmx fragment. Every form also works as a plain form (303 after POST).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db, htmx
from pathway.integrity import conflict_page
from pathway.models import PassportStatus, Role
from pathway.passport import bp
from pathway.passport.forms import AdviserAnswerForm, ConfirmForm
from pathway.queries.passport import get_group_count, get_item, get_item_view, get_passport
from pathway.services import audit
from pathway.services import passport as passport_service
from pathway.views.formatting import govuk_date

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
    for name in ("status", "note", "held", "where_kept", "expires_on", "version"):
        if name in form:
            getattr(form, name).id = f"{name}-{item.id}"  # unique if several forms are open on the page
    return form


def shown_answer(status_label: str | None, note: str | None, held: bool | None, where_kept: str | None,
                 expires_on, *, is_document: bool, staff: bool = True) -> dict[str, str]:
    """An answer as the conflict page lists it (the adviser's questions, or the young person's)."""
    shown = {"How they are getting on": status_label or "Not started", "Note": note or ""} if staff else {}
    if is_document:
        shown.update({"Do they have it?" if staff else "Do you have it?": {True: "Yes", False: "No"}.get(held, "Not given"),
                      "Where it is kept": where_kept or "", "Expiry date": govuk_date(expires_on) or ""})
    return shown


def _answer_conflict(person, item, form):
    """409: someone else answered this item after the form was opened. Theirs next to yours."""
    now = get_item_view(person.id, item).current
    form.set_version(passport_service.answer_version(now))
    theirs = shown_answer(now.status.staff_label if now else None, now.note if now else None,
                          now.held if now else None, now.where_kept if now else None, now.expires_on if now else None,
                          is_document=item.is_document)
    status = form.status.data
    yours = shown_answer(PassportStatus(status).staff_label if status in {s.value for s in PassportStatus} else None,
                         form.note.data, form.held_value if item.is_document else None,
                         form.where_kept.data if item.is_document else None,
                         form.expires_on.data if item.is_document else None, is_document=item.is_document)
    template = "passport/_answer_form.html" if htmx else "passport/answer_form.html"
    return conflict_page(template, theirs=theirs, yours=yours, person=person, item=item,
                         view=get_item_view(person.id, item), form=form, today=_today(), inline=bool(htmx),
                         cancel_url=url_for("passport.view_passport", person_id=person.id, _anchor=f"item-{item.id}"))


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
    if request.method == "GET":
        data = {"version": str(passport_service.answer_version(current))}
        if current is not None:
            data.update({"status": current.status.value, "where_kept": current.where_kept or "",
                         "held": {True: "yes", False: "no"}.get(current.held), "expires_on": current.expires_on})
    form = _answer_form(item, data=data)
    status = 200
    if form.validate_on_submit():
        try:
            answer_status = PassportStatus(form.status.data)
            if item.is_document:
                passport_service.update_document(
                    person, item, by=current_user, status=answer_status, note=form.note.data or None,
                    facts=passport_service.DocumentFacts(form.held_value, form.where_kept.data or None,
                                                         form.expires_on.data),
                    expected_version=form.expected_version())
            else:
                passport_service.answer_item(person, item, by=current_user, status=answer_status,
                                             note=form.note.data or None, expected_version=form.expected_version())
        except passport_service.ItemConflict:
            db.session.rollback()
            return _answer_conflict(person, item, form)
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
        status = 400
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
