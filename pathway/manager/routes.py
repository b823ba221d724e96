from __future__ import annotations

from datetime import date

from flask_login import current_user

from pathway.access import roles_required
from pathway.manager import bp
from pathway.models import Role
from pathway.queries.caseloads import list_team_caseloads_for_manager
from pathway.queries.plans import list_plans_awaiting_sign_off
from pathway.views.render import render_page_or_fragment


@bp.route("/teams")
@roles_required(Role.MANAGER)
def home():
    teams = list_team_caseloads_for_manager(current_user)
    return render_page_or_fragment(
        "manager/home.html", "manager/_teams.html", teams=teams, today=date.today(), title="Your teams",
        awaiting=list_plans_awaiting_sign_off(current_user),
    )
from pathway.manager import offer_routes  # noqa: E402,F401
from pathway.manager import allocation_routes, export_routes, indicator_routes, oversight_routes  # noqa: E402,F401
