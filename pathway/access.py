"""Who may use what. Deny by default.

Every endpoint declares its audience with @roles_required(...) or @public. A request
to an endpoint that declares nothing is refused, so a forgotten declaration fails closed.
Record-level access goes through get_young_person_for(), which 404s for records the
user may not see.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select

from pathway.extensions import db, htmx
from pathway.models import Allocation, Role, TeamManager, User, YoungPerson

PUBLIC = frozenset({"public"})


def roles_required(*roles: Role) -> Callable:
    """Declare which roles may use a view."""

    def decorate(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Declare a view open to everyone, signed in or not."""
    view.allowed_roles = PUBLIC
    return view


def allowed_roles_for(endpoint: str | None):
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if view is None:
        return None
    if endpoint == "static":
        return PUBLIC
    return getattr(view, "allowed_roles", frozenset())


def check_access():
    """before_request: enforce each endpoint's declaration."""
    if request.endpoint is None:  # no route: let the 404 handler answer
        return None
    allowed = allowed_roles_for(request.endpoint)
    if allowed is PUBLIC:
        return None
    if not current_user.is_authenticated:
        from flask import flash

        from pathway.services.saved_forms import keep_unsent_form, session_timed_out

        if keep_unsent_form():
            flash("You were signed out because you had not done anything for a while. "
                  "Sign in again and we will bring back what you typed.", "info")
        elif not htmx and session_timed_out():
            flash("You were signed out because you had not done anything for a while. Sign in again to carry on.", "info")
        elif not htmx and request.method == "GET":
            flash("Sign in to see this page.", "info")
        target = url_for("auth.sign_in", next=_safe_next())
        if htmx:
            response = current_app.response_class(status=204)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)
    if current_user.role not in allowed:
        abort(404)
    return None


def _safe_next() -> str | None:
    if request.method != "GET":
        return None
    path = request.full_path.rstrip("?")
    return path if path.startswith("/") and not path.startswith("//") else None


def visible_young_people(user: User) -> Select:
    """A select of the young people this user may see (nothing for admins)."""
    query = select(YoungPerson)
    if user.role is Role.YOUNG_PERSON:
        return query.where(YoungPerson.user_id == user.id)
    if user.role is Role.ADVISER:
        return query.join(
            Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None)
        ).where(Allocation.adviser_id == user.id)
    if user.role is Role.MANAGER:
        return (
            query.join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
            .join(User, User.id == Allocation.adviser_id)
            .join(TeamManager, TeamManager.team_id == User.team_id)
            .where(TeamManager.user_id == user.id)
        )
    return query.where(False)


def get_young_person_for(user: User, person_id: int) -> YoungPerson:
    """The young person with this id if the user may see them; otherwise 404."""
    person = db.session.scalar(visible_young_people(user).where(YoungPerson.id == person_id))
    if person is None:
        abort(404)
    return person


def managed_team_ids(user: User) -> list[int]:
    return list(db.session.scalars(select(TeamManager.team_id).where(TeamManager.user_id == user.id)))


def get_adviser_for(user: User, adviser_id: int) -> User:
    """An adviser in a team this manager manages; otherwise 404."""
    adviser = db.session.scalar(
        select(User)
        .join(TeamManager, TeamManager.team_id == User.team_id)
        .where(User.id == adviser_id, User.role == Role.ADVISER, TeamManager.user_id == user.id)
    )
    if adviser is None:
        abort(404)
    return adviser

