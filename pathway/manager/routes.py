from __future__ import annotations

from datetime import date

from flask import abort, request, url_for
from flask_login import current_user

from pathway.access import get_adviser_for, managed_team_ids, roles_required
from pathway.extensions import htmx
from pathway.manager import bp
from pathway.models import Role
from pathway.models.types import utcnow
from pathway.queries.break_glass import list_cover_for_review
from pathway.queries.plans import count_plans_awaiting_sign_off
from pathway.rules.break_glass import REVIEW_WINDOW_DAYS, review_window_start
from pathway.services.overdue import kind_choices, overdue_report
from pathway.views.render import render_page_or_fragment


def _id_arg(name: str) -> int | None:
    """An optional id from the query string; anything but a whole number is an unknown id (404)."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        abort(404)
    return int(value)


@bp.route("/manager")
@roles_required(Role.MANAGER)
def home():
    """Every open risk flag in the manager's teams, overdue first, grouped by personal adviser."""
    today = date.today()
    team_id, adviser_id = _id_arg("team"), _id_arg("adviser")
    if team_id is not None and team_id not in managed_team_ids(current_user):
        abort(404)
    if adviser_id is not None:
        adviser = get_adviser_for(current_user, adviser_id)
        if team_id is not None and adviser.team_id != team_id:
            abort(404)
    kind = request.args.get("kind") or None
    kinds = kind_choices()
    if kind is not None and kind not in dict(kinds):
        abort(404)
    overdue_only = request.args.get("overdue") == "1"
    report = overdue_report(current_user, today, team_id=team_id, adviser_id=adviser_id, kind=kind,
                            overdue_only=overdue_only)
    filters = {"team": team_id, "adviser": adviser_id, "kind": kind, "overdue": "1" if overdue_only else None}

    def filter_url(**changes) -> str:
        args = {**filters, **changes}
        return url_for("manager.home", **{k: v for k, v in args.items() if v})

    return render_page_or_fragment(
        "manager/home.html", "manager/_overdue.html", report=report, today=today, title="Overdue visits and risk flags",
        team_id=team_id, adviser_id=adviser_id, kind=kind, kinds=kinds, kind_label=dict(kinds).get(kind),
        overdue_only=overdue_only, filter_url=filter_url, filtered=any(filters.values()),
        awaiting=count_plans_awaiting_sign_off(current_user),
        cover=[] if htmx else list_cover_for_review(current_user, review_window_start(utcnow())),
        now=utcnow(), cover_days=REVIEW_WINDOW_DAYS,
    )


from pathway.manager import (  # noqa: E402,F401
    allocation_routes,
    cover_routes,
    export_routes,
    indicator_routes,
    offer_routes,
    oversight_routes,
    summary_routes,
)
