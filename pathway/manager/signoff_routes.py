"""The sign-off queue (issue 6 section 4): plans waiting for the manager, oldest first, with their quality check."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user

from pathway.access import roles_required
from pathway.manager import bp
from pathway.models import Role
from pathway.queries.oversight import list_sign_off_queue
from pathway.views.render import render_page_or_fragment


@bp.route("/manager/sign-off")
@roles_required(Role.MANAGER)
def sign_off_queue():
    today = date.today()
    queue = list_sign_off_queue(current_user, today)
    # Filter by the adviser who sent the plan: a choice from the queue itself, so no extra query.
    names = {entry.plan.submitted_by_id: entry.submitted_by for entry in queue if entry.plan.submitted_by_id}
    advisers = sorted(((str(i), name) for i, name in names.items()), key=lambda a: (a[1].lower(), a[0]))
    chosen = request.args.get("adviser", "").strip()
    if chosen not in {value for value, _ in advisers}:
        chosen = ""
    shown = [entry for entry in queue if not chosen or str(entry.plan.submitted_by_id) == chosen]
    return render_page_or_fragment(
        "manager/sign_off_queue.html", "manager/_sign_off_queue.html",
        queue=shown, total=len(queue), advisers=advisers, chosen=chosen, today=today,
        title="Plans waiting for sign-off",
    )
