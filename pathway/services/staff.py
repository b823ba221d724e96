"""Admin actions on staff accounts and teams. Each commits and is audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update

from pathway.extensions import db
from pathway.models import Role, Team, TeamManager, TokenPurpose, User
from pathway.services import audit
from pathway.services.accounts import find_user_by_email, issue_link, revoke_all_sessions


class StaffProblem(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def invite_staff(*, name: str, email: str, role: Role, team_id: int | None, invited_by: User, today: date) -> User:
    if find_user_by_email(email) is not None:
        raise StaffProblem("email", "There is already an account with this email address")
    if role is Role.ADVISER and not team_id:
        raise StaffProblem("team_id", "Select the adviser's team")
    if team_id and db.session.get(Team, team_id) is None:
        raise StaffProblem("team_id", "Select a team from the list")
    user = User(name=name, email=email, role=role, active=True,
                team_id=team_id if role is Role.ADVISER else None, started_role_on=today)
    db.session.add(user)
    db.session.flush()
    if role is Role.MANAGER and team_id:
        db.session.add(TeamManager(team_id=team_id, user_id=user.id))
    audit.record("create", "user", user.id, fields=["name", "email", "role", "team_id"], user=invited_by)
    issue_link(user, TokenPurpose.INVITATION, created_by=invited_by)
    db.session.commit()
    return user


def resend_invitation(user: User, *, by: User) -> None:
    if not user.active:
        raise StaffProblem("user", "Reactivate their account before sending a new invitation")
    if user.password_hash is not None:
        raise StaffProblem("user", "They have already set a password: they can reset it from the sign-in page")
    issue_link(user, TokenPurpose.INVITATION, created_by=by)
    db.session.commit()


def set_active(user: User, active: bool, *, by: User) -> None:
    if user.id == by.id and not active:
        raise StaffProblem("user", "You cannot deactivate your own account")
    if user.active == active:
        return
    user.active = active
    if not active:
        revoke_all_sessions(user)
    audit.record("activate" if active else "deactivate", "user", user.id, fields=["active"], user=by)
    db.session.commit()


class TeamsConflict(Exception):
    """Someone else changed this user's teams after the form was loaded. Nothing was saved."""


def _claim_teams_version(user: User, expected_version: int | None) -> None:
    """Move the user's teams on from ``expected_version`` (an UPDATE ... WHERE teams_version = expected,
    so of two saves from the same version only one can pass), or raise TeamsConflict. None: no check."""
    if expected_version is None:
        return
    moved = db.session.execute(
        update(User).where(User.id == user.id, User.teams_version == expected_version)
        .values(teams_version=User.teams_version + 1).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise TeamsConflict
    db.session.expire(user, ["teams_version"])


def move_adviser(user: User, team_id: int, *, by: User, expected_version: int | None = None) -> Team:
    team = db.session.get(Team, team_id) if team_id else None
    if team is None:
        raise StaffProblem("team_id", "Select a team from the list")
    if user.role is not Role.ADVISER:
        raise StaffProblem("team_id", "Only advisers belong to a team")
    if expected_version is not None and user.teams_version != expected_version:
        raise TeamsConflict
    if user.team_id != team.id:
        _claim_teams_version(user, expected_version)
        user.team_id = team.id
        audit.record("move_team", "user", user.id, fields=["team_id"], user=by)
        db.session.commit()
    return team


def set_managed_teams(user: User, team_ids: list[int], *, by: User, expected_version: int | None = None) -> None:
    if user.role is not Role.MANAGER:
        raise StaffProblem("team_ids", "Only managers manage teams")
    valid = set(db.session.scalars(select(Team.id).where(Team.id.in_(team_ids or [-1]))))
    if set(team_ids) - valid:
        raise StaffProblem("team_ids", "Select teams from the list")
    _claim_teams_version(user, expected_version)
    db.session.execute(delete(TeamManager).where(TeamManager.user_id == user.id))
    for team_id in sorted(valid):
        db.session.add(TeamManager(team_id=team_id, user_id=user.id))
    audit.record("set_managed_teams", "user", user.id, fields=["managed_teams"], user=by)
    db.session.commit()


def create_team(name: str, *, by: User) -> Team:
    if db.session.scalar(select(Team).where(Team.name == name)) is not None:
        raise StaffProblem("name", "There is already a team with this name")
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    audit.record("create", "team", team.id, fields=["name"], user=by)
    db.session.commit()
    return team
