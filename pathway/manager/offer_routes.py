"""Offer reach: how far the local offer reaches the young people in a manager's teams."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_login import current_user

from pathway.access import roles_required
from pathway.manager import bp
from pathway.models import Role
from pathway.queries.offer_reach import get_offer_reach


@bp.route("/manager/offer-reach")
@roles_required(Role.MANAGER)
def offer_reach():
    today = date.today()
    return render_template("manager/offer_reach.html", reach=get_offer_reach(current_user, today), today=today,
                           title="Offer reach")
