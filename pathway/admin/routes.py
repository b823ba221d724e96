from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from pathway.access import roles_required
from pathway.admin import bp
from pathway.admin.forms import AdviserTeamForm, ManagedTeamsForm, StaffInviteForm, TeamForm
from pathway.extensions import db
from pathway.integrity import conflict_page
from pathway.models import Allocation, OutboxEmail, Role, Team, User
from pathway.services import staff
from pathway.views.render import render_page_or_fragment

ADMIN = Role.ADMIN


def _team_choices(blank: str | None = None):
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    choices = [SelectChoice(t.id, t.name) for t in teams]
    return ([SelectChoice(0, blank)] if blank else []) + choices


def _get_staff_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role is Role.YOUNG_PERSON:
        abort(404)
    return user


@bp.route("")
@roles_required(ADMIN)
def home():
    counts = dict(db.session.execute(
        select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)
    ).all())
    teams = db.session.scalar(select(func.count()).select_from(Team))
    return render_template("admin/home.html", counts=counts, team_count=teams, Role=Role, title="Administration")


@bp.route("/users")
@roles_required(ADMIN)
def list_users():
    users = db.session.scalars(
        select(User).where(User.role != Role.YOUNG_PERSON).order_by(User.active.desc(), func.lower(User.name))
        .options(selectinload(User.managed_teams))  # the list shows each manager's teams: no query per row
    ).all()
    teams = {t.id: t for t in db.session.scalars(select(Team))}
    return render_template("admin/users.html", users=users, teams=teams, title="Staff users")


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def invite_staff():
    form = StaffInviteForm()
    form.team_id.choices = _team_choices("No team")
    if form.validate_on_submit():
        try:
            user = staff.invite_staff(
                name=form.name.data, email=form.email.data, role=Role(form.role.data),
                team_id=form.team_id.data or None, invited_by=current_user, today=date.today(),
            )
        except staff.StaffProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors.append(problem.message)
        else:
            flash(f"We have emailed {user.name} an invitation to set their password.", "success")
            return redirect(url_for("admin.list_users"), code=303)
    return render_template("admin/invite_staff.html", form=form, title="Invite a member of staff")


@bp.route("/users/<int:user_id>", methods=["GET"])
@roles_required(ADMIN)
def edit_user(user_id: int):
    return _edit_user_page(_get_staff_user(user_id))


def _edit_user_page(user: User, *, posted=None, theirs: dict | None = None, yours: dict | None = None):
    """The user's page; with ``posted`` (the form sent from a stale page), the 409 conflict page."""
    team_form = AdviserTeamForm(formdata=None, team_id=user.team_id, version=str(user.teams_version))
    managed_form = ManagedTeamsForm(formdata=None, team_ids=[t.id for t in user.managed_teams],
                                    version=str(user.teams_version))
    if isinstance(posted, AdviserTeamForm):
        team_form = posted
    elif isinstance(posted, ManagedTeamsForm):
        managed_form = posted
    for form in (team_form, managed_form):
        form.set_version(user.teams_version)
    team_form.team_id.choices = _team_choices()
    managed_form.team_ids.choices = _team_choices()
    team_form.version.id, managed_form.version.id = "team-version", "managed-teams-version"
    caseload = db.session.scalar(
        select(func.count()).select_from(Allocation).where(Allocation.adviser_id == user.id, Allocation.end_date.is_(None))
    )
    if posted is None:
        return render_template("admin/edit_user.html", user=user, team_form=team_form, managed_form=managed_form,
                               caseload=caseload, title=user.name, conflict=None)
    return conflict_page("admin/edit_user.html", theirs=theirs, yours=yours,
                         cancel_url=url_for("admin.edit_user", user_id=user.id), user=user, team_form=team_form,
                         managed_form=managed_form, caseload=caseload)


def _teams_conflict(user_id: int, form, shown):
    """409: someone else changed this user's teams after the page was opened. Theirs next to yours."""
    db.session.rollback()
    user = _get_staff_user(user_id)
    db.session.refresh(user)
    return _edit_user_page(user, posted=form, theirs=shown(user), yours=shown(form))


@bp.route("/users/<int:user_id>/team", methods=["POST"])
@roles_required(ADMIN)
def move_adviser(user_id: int):
    user = _get_staff_user(user_id)
    form = AdviserTeamForm()
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        try:
            if form.expected_version() is None:
                raise staff.TeamsConflict
            team = staff.move_adviser(user, form.team_id.data, by=current_user, expected_version=form.expected_version())
        except staff.TeamsConflict:
            names = {choice.value: choice.label for choice in _team_choices()}
            return _teams_conflict(user.id, form, lambda source: {"Team": names.get(
                source.team_id if isinstance(source, User) else source.team_id.data, "None")})
        except staff.StaffProblem as problem:
            db.session.rollback()
            flash(problem.message, "error")
        else:
            flash(f"{user.name} is now in {team.name}.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.route("/users/<int:user_id>/managed-teams", methods=["POST"])
@roles_required(ADMIN)
def set_managed_teams(user_id: int):
    user = _get_staff_user(user_id)
    form = ManagedTeamsForm()
    form.team_ids.choices = _team_choices()
    if form.validate_on_submit():
        try:
            if form.expected_version() is None:
                raise staff.TeamsConflict
            staff.set_managed_teams(user, form.team_ids.data or [], by=current_user,
                                    expected_version=form.expected_version())
        except staff.TeamsConflict:
            names = {choice.value: choice.label for choice in _team_choices()}

            def shown(source) -> dict[str, str]:
                ids = [t.id for t in source.managed_teams] if isinstance(source, User) else (source.team_ids.data or [])
                return {"Teams they manage": ", ".join(sorted(names.get(i, str(i)) for i in ids)) or "None"}
            return _teams_conflict(user.id, form, shown)
        except staff.StaffProblem as problem:
            db.session.rollback()
            flash(problem.message, "error")
        else:
            flash(f"{user.name}'s teams have been saved.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles_required(ADMIN)
def deactivate_user(user_id: int):
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@roles_required(ADMIN)
def reactivate_user(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):

    user = _get_staff_user(user_id)
    try:
        staff.set_active(user, active, by=current_user)
    except staff.StaffProblem as problem:
        db.session.rollback()
        flash(problem.message, "error")
    else:
        flash(f"{user.name} has been {'reactivated' if active else 'deactivated and signed out'}.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@roles_required(ADMIN)
def resend_invitation(user_id: int):
    user = _get_staff_user(user_id)
    try:
        staff.resend_invitation(user, by=current_user)
    except staff.StaffProblem as problem:
        db.session.rollback()
        flash(problem.message, "error")
    else:
        flash(f"We have emailed {user.name} a new invitation.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.route("/teams")
@roles_required(ADMIN)
def list_teams():
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    adviser_counts = dict(db.session.execute(
        select(User.team_id, func.count()).where(User.role == Role.ADVISER, User.active.is_(True)).group_by(User.team_id)
    ).all())
    from pathway.models import TeamManager

    managers: dict[int, list[str]] = {}
    for team_id, name in db.session.execute(
        select(TeamManager.team_id, User.name).join(User, User.id == TeamManager.user_id).order_by(User.name)
    ):
        managers.setdefault(team_id, []).append(name)
    return render_template("admin/teams.html", teams=teams, adviser_counts=adviser_counts, managers=managers, title="Teams")


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def create_team():
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = staff.create_team(form.name.data, by=current_user)
        except staff.StaffProblem as problem:
            db.session.rollback()
            form.name.errors.append(problem.message)
        else:
            flash(f"{team.name} has been created.", "success")
            return redirect(url_for("admin.list_teams"), code=303)
    return render_template("admin/create_team.html", form=form, title="Create a team")


@bp.route("/outbox")
@roles_required(ADMIN)
def outbox():
    """Emails held in the database when no email service is set up (development and tests only)."""
    if not current_app.config.get("SHOW_OUTBOX"):
        abort(404)
    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(50)).all()
    return render_page_or_fragment("admin/outbox.html", "admin/_outbox_list.html", emails=emails, title="Outbox")

# The passport to independence (issue 4, section 6): the council's list of items.
from pathway.admin import offer_routes  # noqa: E402,F401
from pathway.admin import passport_routes  # noqa: E402,F401
from pathway.admin import supervision_routes  # noqa: E402,F401
from pathway.admin import two_factor_routes  # noqa: E402,F401
