"""A manager reviews the break-glass cover given in their teams (listed on their home page)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.manager import bp
from pathway.models import Role
from pathway.models.types import utcnow
from pathway.queries.break_glass import get_grant_for_manager
from pathway.services import break_glass as service


@bp.route("/manager/cover/<int:grant_id>/reviewed", methods=["POST"])
@roles_required(Role.MANAGER)
def review_cover(grant_id: int):
    grant = get_grant_for_manager(current_user, grant_id)
    if grant is None:
        abort(404)
    name = grant.young_person.display_name
    adviser = grant.adviser.name
    if service.mark_reviewed(grant, by=current_user, now=utcnow()):
        flash(f"You have reviewed {adviser}'s cover access to {name}'s record.", "success")
    return redirect(url_for("manager.home", _anchor="cover-access"), code=303)
