"""The service summary (issue 6 section 6): choose a date and a team, then download the PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import abort, request
from flask_login import current_user

from pathway.access import roles_required
from pathway.manager import bp
from pathway.manager.indicator_routes import date_query, parse_date_choice, team_id_arg
from pathway.models import Role
from pathway.services.indicators import TeamNotManaged, managed_teams
from pathway.services.service_summary import build_summary, summary_pdf
from pathway.views.render import render_page_or_fragment


def _choices():
    today = date.today()
    team_id = team_id_arg()
    teams = managed_teams(current_user)
    if team_id is not None and team_id not in {t.id for t in teams}:
        abort(404)
    return today, team_id, teams, parse_date_choice(request.args, today), request.args.get("names") == "yes"


def _page(*, today, team_id, teams, choice, names, summary):
    """The page (or its htmx fragment): 200 with what the PDF will hold, 400 with the date's error."""
    page = render_page_or_fragment(
        "manager/service_summary.html", "manager/_service_summary.html", title="Service summary",
        choice=choice, form=choice, teams=teams, team_id=team_id, names=names, summary=summary, today=today,
        query=date_query(choice.on, team_id) if choice.on else {},
    )
    return page, 200 if choice.on is not None else 400


def _summary(choice, team_id, names):
    try:
        return build_summary(current_user, choice.on, team_id=team_id, names=names, now=datetime.now(UTC))
    except TeamNotManaged:
        abort(404)


@bp.route("/manager/service-summary")
@roles_required(Role.MANAGER)
def service_summary():
    """What the PDF will hold on the chosen date, and the button to download it."""
    today, team_id, teams, choice, names = _choices()
    summary = _summary(choice, team_id, names) if choice.on is not None else None
    return _page(today=today, team_id=team_id, teams=teams, choice=choice, names=names, summary=summary)


@bp.route("/manager/service-summary.pdf")
@roles_required(Role.MANAGER)
def service_summary_pdf():
    today, team_id, teams, choice, names = _choices()
    if choice.on is None:
        return _page(today=today, team_id=team_id, teams=teams, choice=choice, names=names, summary=None)
    pdf = summary_pdf(_summary(choice, team_id, names))
    filename = f"service-summary-{choice.on.isoformat()}.pdf"
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": f'attachment; filename="{filename}"'}
