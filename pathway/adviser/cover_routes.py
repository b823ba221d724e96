"""Break-glass cover: a personal adviser covering for an absent colleague finds one of the team's young
people and opens their record by stating a reason. Access lasts BREAK_GLASS_HOURS (24 by default)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pathway.access import roles_required
from pathway.adviser import bp
from pathway.adviser.cover_forms import CoverRequestForm
from pathway.models import Role
from pathway.models.types import utcnow
from pathway.queries.break_glass import get_cover_candidate, search_cover_candidates
from pathway.services import break_glass as service
from pathway.views.formatting import govuk_datetime


def _hours() -> int:
    return int(current_app.config.get("BREAK_GLASS_HOURS", 24))


@bp.route("/cover")
@roles_required(Role.ADVISER)
def search_cover():
    """Find a young person allocated to a colleague in your team."""
    search = (request.args.get("q") or "").strip()[:100]
    results = search_cover_candidates(current_user, search, utcnow()) if search else []
    return render_template(
        "adviser/cover_search.html", search=search, results=results, searched=bool(search),
        has_team=current_user.team_id is not None, hours=_hours(), title="Cover for a colleague",
    )


@bp.route("/cover/<int:person_id>", methods=["GET", "POST"])
@roles_required(Role.ADVISER)
def request_cover(person_id: int):
    """Say why you need the record; cover access starts at once and is reviewed by your manager."""
    now = utcnow()
    candidate = get_cover_candidate(current_user, person_id, now)
    if candidate is None:
        abort(404)
    if candidate.cover_until is not None:
        flash(f"You already have cover access to {candidate.person.display_name}'s record "
              f"until {govuk_datetime(candidate.cover_until)}.", "info")
        return redirect(url_for("records.view_record", person_id=person_id), code=303)
    form = CoverRequestForm()
    if form.validate_on_submit():
        grant = service.grant_cover(current_user, candidate, form.reason.data, now=now, hours=_hours())
        flash(f"You have cover access to {candidate.person.display_name}'s record until "
              f"{govuk_datetime(grant.expires_at)}. Your manager will review it.", "success")
        return redirect(url_for("records.view_record", person_id=person_id), code=303)
    return render_template(
        "adviser/cover_request.html", form=form, candidate=candidate, person=candidate.person, hours=_hours(),
        title=f"Cover access to {candidate.person.display_name}'s record",
    )
