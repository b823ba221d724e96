"""Caseloads and reallocation (issue 6 section 3): the teams overview, one adviser's caseload, and moving
a young person to another personal adviser with a reason and a handover note."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from pathway.access import get_adviser_for, get_young_person_for, managed_team_ids, roles_required
from pathway.manager import bp
from pathway.manager.forms import ReallocateForm
from pathway.models import Role
from pathway.queries.allocations import (
    get_current_allocation,
    list_adviser_choices_for_manager,
    list_reallocations_for_adviser,
)
from pathway.queries.caseloads import list_team_caseloads_for_manager
from pathway.services import allocations
from pathway.views.render import render_page_or_fragment

REALLOCATIONS_SHOWN_FOR = relativedelta(months=12)


@bp.route("/teams")
@roles_required(Role.MANAGER)
def caseloads():
    """The manager's teams, each adviser's caseload and the young people under each."""
    return render_page_or_fragment(
        "manager/caseloads.html", "manager/_caseloads.html",
        teams=list_team_caseloads_for_manager(current_user), today=date.today(), title="Your teams",
    )


@bp.route("/manager/advisers/<int:adviser_id>")
@roles_required(Role.MANAGER)
def adviser_caseload(adviser_id: int):
    """One personal adviser's young people with their next visits and flags, and their recent reallocations."""
    adviser = get_adviser_for(current_user, adviser_id)
    today = date.today()
    return render_page_or_fragment(
        "manager/adviser_caseload.html", "manager/_adviser_caseload.html",
        adviser=adviser, rows=allocations.caseload_for(adviser, today), today=today,
        since=today - REALLOCATIONS_SHOWN_FOR,
        reallocations=list_reallocations_for_adviser(adviser, since=today - REALLOCATIONS_SHOWN_FOR,
                                                     team_ids=managed_team_ids(current_user)),
        title=f"{adviser.name}'s caseload",
    )


@bp.route("/manager/young-people/<int:person_id>/reallocate", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def reallocate(person_id: int):
    """Move a young person to another personal adviser in the manager's teams."""
    person = get_young_person_for(current_user, person_id)
    current = get_current_allocation(person.id)
    choices = list_adviser_choices_for_manager(current_user, exclude_id=current.adviser_id if current else None)
    form = ReallocateForm()
    form.adviser_id.choices = [SelectChoice(c.adviser.id, c.adviser.name) for c in choices]
    new_adviser = None
    if request.method == "POST" and form.adviser_id.data is not None:
        new_adviser = get_adviser_for(current_user, form.adviser_id.data)  # 404 outside the manager's teams
    if form.validate_on_submit() and new_adviser is not None:
        try:
            allocations.reallocate(person, new_adviser, by=current_user, reason=form.reason.data,
                                   handover_note=form.handover_note.data, today=date.today())
        except allocations.ReallocationProblem as problem:
            getattr(form, problem.field).errors.append(problem.message)
        else:
            flash(f"{person.display_name} is now allocated to {new_adviser.name}", "success")
            return redirect(url_for("records.view_record", person_id=person.id), code=303)
    return render_template(
        "manager/reallocate.html", person=person, current=current, choices=choices, form=form,
        choice_hints=[{"hint": {"text": _choice_hint(c)}} for c in choices],
        title=f"Reallocate {person.display_name}",
    )


def _choice_hint(choice) -> str:
    people = "young person" if choice.caseload == 1 else "young people"
    return f"{choice.team_name}: {choice.caseload} {people}"
