"""The young person's passport to independence, on their phone: ticking skills and recording documents.

There is no person id in these URLs: a young person only ever reaches their own passport. Nothing here
lets them confirm an answer; a "confirmed" field in their post is ignored (the service decides it).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.extensions import db, htmx
from pathway.integrity import conflict_page
from pathway.me import bp
from pathway.me.routes import _me
from pathway.models import PassportStatus, Role
from pathway.passport.forms import DocumentForm, StatusForm
from pathway.passport.routes import shown_answer
from pathway.queries.caseloads import get_current_adviser
from pathway.queries.passport import get_group_count, get_item, get_item_view, get_passport
from pathway.services import passport as passport_service
from pathway.services.page_cache import cached_page, versions_for


def _today() -> date:
    return date.today()


def _item(item_id: int, *, document: bool = False):
    item = get_item(item_id)
    if item is None or (document and not item.is_document):
        abort(404)
    return item


def _back(item):
    return redirect(url_for("me.passport", _anchor=f"item-{item.id}"), code=303)


@bp.route("/me/passport")
@roles_required(Role.YOUNG_PERSON)
def passport():
    person = _me()
    today = _today()

    def render() -> tuple[str, None]:
        return render_template("me/passport.html", person=person, groups=get_passport(person.id), today=today,
                               adviser=get_current_adviser(person), title="Your passport to independence"), None

    return cached_page((today, versions_for([person.id])), render)[0]


@bp.route("/me/passport/items/<int:item_id>", methods=["POST"])
@roles_required(Role.YOUNG_PERSON)
def update_passport_item(item_id: int):
    person = _me()
    item = _item(item_id)
    form = StatusForm()
    problem = None
    if form.validate_on_submit():
        try:
            passport_service.answer_item(person, item, by=current_user, status=PassportStatus(form.status.data))
        except passport_service.PassportProblem as error:
            db.session.rollback()
            problem = str(error)
    else:
        problem = "Choose how you are getting on with this"
    if htmx:
        body = render_template("me/_passport_item_saved.html", view=get_item_view(person.id, item), today=_today(),
                               saved=problem is None, problem=problem, count=get_group_count(person.id, item.group))
        return make_response(body, 400 if problem else 200)
    if problem:
        flash(f"{problem}: {item.title}.", "error")
    else:
        flash(f"Saved: {item.title}.", "success")
    return _back(item)


@bp.route("/me/passport/items/<int:item_id>/document", methods=["GET", "POST"])
@roles_required(Role.YOUNG_PERSON)
def edit_passport_document(item_id: int):
    person = _me()
    item = _item(item_id, document=True)
    view = get_item_view(person.id, item)
    current = view.current
    data = None
    if request.method == "GET":
        data = {"version": str(passport_service.answer_version(current))}
        if current is not None:
            data.update({"held": {True: "yes", False: "no"}.get(current.held), "where_kept": current.where_kept or "",
                         "expires_on": current.expires_on})
    form = DocumentForm(data=data)
    status = 200
    if form.validate_on_submit():
        try:
            passport_service.update_document(
                person, item, by=current_user,
                facts=passport_service.DocumentFacts(form.held_value, form.where_kept.data or None, form.expires_on.data),
                expected_version=form.expected_version())
        except passport_service.ItemConflict:
            db.session.rollback()
            now = get_item_view(person.id, item).current
            form.set_version(passport_service.answer_version(now))
            theirs = shown_answer(None, None, now.held if now else None, now.where_kept if now else None,
                                  now.expires_on if now else None, is_document=True, staff=False)
            yours = shown_answer(None, None, form.held_value, form.where_kept.data, form.expires_on.data,
                                 is_document=True, staff=False)
            return conflict_page("me/passport_document.html", theirs=theirs, yours=yours,
                                 cancel_url=url_for("me.passport", _anchor=f"item-{item.id}"),
                                 title=f"Your {item.title.lower()} details were changed somewhere else", person=person,
                                 item=item, view=get_item_view(person.id, item), form=form, today=_today())
        except passport_service.PassportProblem as problem:
            db.session.rollback()
            form.held.errors.append(str(problem))
            status = 409
        else:
            flash(f"Your {item.title.lower()} details have been saved.", "success")
            return _back(item)
    elif form.errors:
        status = 400
    return render_template("me/passport_document.html", person=person, item=item, view=view, form=form,
                           today=_today(), title=item.title), status
