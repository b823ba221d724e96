"""A young person's full timeline (issue 6 section 4): contacts, moves, plan decisions, allocations and
management oversight, newest first."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from pathway.access import get_young_person_for, roles_required
from pathway.extensions import db
from pathway.models import Role
from pathway.queries.timeline import SOURCES, timeline_for
from pathway.records import bp
from pathway.services import audit
from pathway.views.render import render_page_or_fragment

SHOW = {"all": SOURCES, "oversight": ("oversight",)}


@bp.route("/young-people/<int:person_id>/timeline")
@roles_required(Role.ADVISER, Role.MANAGER)
def timeline(person_id: int):
    person = get_young_person_for(current_user, person_id)
    show = request.args.get("show", "all")
    if show not in SHOW:
        show = "all"
    events = timeline_for(person.id, sources=SHOW[show])
    page = render_page_or_fragment(
        "records/timeline.html", "records/_timeline.html",
        person=person, events=events, show=show, title=f"Timeline: {person.display_name}",
    )
    # Audited after rendering, so the commit does not expire what the page used.
    audit.record("view", "timeline", None, young_person_id=person.id)
    db.session.commit()
    return page
