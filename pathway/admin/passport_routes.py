"""Administration of the passport to independence: the council's list of skills and documents.

Administrators edit the list only; they never see a young person's answers. Items are retired,
not deleted, so every answer's history stays readable.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.admin import bp
from pathway.extensions import db
from pathway.integrity import conflict_page
from pathway.models import PassportGroup, Role
from pathway.passport.forms import PassportItemForm
from pathway.queries.passport import get_item, list_items
from pathway.services import passport as passport_service


@bp.route("/passport-items")
@roles_required(Role.ADMIN)
def list_passport_items():
    items = list_items(include_retired=True)
    groups = [(g, [i for i in items if i.group is g]) for g in PassportGroup]
    return render_template("admin/passport_items.html", groups=groups, title="Passport to independence items")


@bp.route("/passport-items/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def add_passport_item():
    form = PassportItemForm()
    if form.validate_on_submit():
        item = passport_service.add_item(group=PassportGroup(form.group.data), title=form.title.data,
                                         description=form.description.data or None,
                                         is_document=bool(form.is_document.data), by=current_user)
        flash(f"“{item.title}” has been added to {item.group.label}.", "success")
        return redirect(url_for("admin.list_passport_items", _anchor=f"group-{item.group.value}"), code=303)
    return render_template("admin/passport_item_form.html", form=form, item=None, title="Add a passport item"), (
        400 if form.errors else 200)


def _shown_item(title, description, group, is_document, active) -> dict[str, str]:
    return {"Item": title or "", "Hint": description or "", "Group": group.label,
            "A document": "Yes" if is_document else "No", "In use": "In use" if active else "Retired"}


@bp.route("/passport-items/<int:item_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_passport_item(item_id: int):
    item = get_item(item_id, include_retired=True)
    if item is None:
        abort(404)
    form = PassportItemForm(data=None if request.method == "POST" else {
        "title": item.title, "description": item.description or "", "group": item.group.value,
        "is_document": item.is_document, "active": "yes" if item.active else "no", "version": str(item.version)})
    if form.validate_on_submit():
        try:
            passport_service.update_item(item, group=PassportGroup(form.group.data), title=form.title.data,
                                         description=form.description.data or None,
                                         is_document=bool(form.is_document.data), active=form.active.data == "yes",
                                         by=current_user, expected_version=form.expected_version())
        except passport_service.ItemConflict:
            db.session.rollback()
            item = get_item(item_id, include_retired=True)
            db.session.refresh(item)
            form.set_version(item.version)
            return conflict_page("admin/passport_item_form.html", theirs=_shown_item(
                item.title, item.description, item.group, item.is_document, item.active), yours=_shown_item(
                form.title.data, form.description.data, PassportGroup(form.group.data), bool(form.is_document.data),
                form.active.data == "yes"), cancel_url=url_for("admin.list_passport_items"), form=form, item=item)
        except passport_service.PassportProblem as problem:
            db.session.rollback()
            form.title.errors.append(str(problem))
        else:
            flash(f"“{item.title}” has been saved.", "success")
            return redirect(url_for("admin.list_passport_items", _anchor=f"group-{item.group.value}"), code=303)
    return render_template("admin/passport_item_form.html", form=form, item=item, title="Change a passport item"), (
        400 if form.errors else 200)
