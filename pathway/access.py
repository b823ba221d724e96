"""Who may use what. Deny by default.

Every endpoint declares its audience with @roles_required(...) or @public. A request
to an endpoint that declares nothing is refused, so a forgotten declaration fails closed.
Record-level access goes through get_young_person_for(), which 404s for records the
user may not see. A personal adviser also sees a colleague's young person while they hold current
break-glass cover for that record (pathway/services/break_glass.py): the look-up stays one query, the
cover is shown on every page of the record (g.cover_access, read by base.html) and each request made
under it is written to the audit trail. Cover never adds anyone to a caseload: lists and worklists
use visible_young_people(), which knows nothing of cover.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import abort, after_this_request, current_app, g, has_request_context, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, or_, select

from pathway.extensions import db, htmx
from pathway.models import Allocation, BreakGlassGrant, Role, TeamManager, User, YoungPerson
from pathway.models.types import utcnow

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
    """A select of the young people this user may see (nothing for admins).

    This is the caseload: break-glass cover is not in it (see get_young_person_for)."""
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
    """The young person with this id if the user may see them; otherwise 404. One query.

    An adviser holding current break-glass cover for this record gets the same access as the
    allocated personal adviser; the grant is kept in ``g.cover_access`` for the page's banner."""
    if user.role is Role.ADVISER:
        person, grant = _adviser_look_up(user, person_id)
    else:
        person, grant = db.session.scalar(visible_young_people(user).where(YoungPerson.id == person_id)), None
    if person is None:
        abort(404)
    if grant is not None:
        _note_cover_access(grant)
    return person


def _adviser_look_up(user: User, person_id: int) -> tuple[YoungPerson | None, BreakGlassGrant | None]:
    """The young person if allocated to this adviser, or covered by their current break-glass grant.

    A grant counts only under the allocation it was given for (reallocating the young person ends
    it), while the adviser is still in the team it was given in, and until it expires."""
    now = utcnow()
    row = db.session.execute(
        select(YoungPerson, BreakGlassGrant)
        .join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
        .outerjoin(
            BreakGlassGrant,
            (BreakGlassGrant.allocation_id == Allocation.id)
            & (BreakGlassGrant.adviser_id == user.id)
            & (BreakGlassGrant.team_id == user.team_id)
            & (BreakGlassGrant.granted_at <= now)
            & (BreakGlassGrant.expires_at > now),
        )
        .where(YoungPerson.id == person_id, or_(Allocation.adviser_id == user.id, BreakGlassGrant.id.is_not(None)))
        .order_by(BreakGlassGrant.expires_at.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


@dataclass(frozen=True)
class CoverAccess:
    """What a record page shows about the break-glass cover it is seen under (plain values, so a
    commit during the request cannot expire them)."""

    grant_id: int
    young_person_id: int
    reason: str
    granted_at: datetime
    expires_at: datetime


def _note_cover_access(grant: BreakGlassGrant) -> None:
    """Mark this request as made under cover: the banner, and one audit event per request."""
    first = g.get("cover_access") is None
    cover = CoverAccess(grant.id, grant.young_person_id, grant.reason, grant.granted_at, grant.expires_at)
    g.cover_access = cover
    if not first or not has_request_context():
        return

    @after_this_request
    def audit_cover_access(response):
        from pathway.services.audit import record

        # Written in its own transaction, after the view has committed (or not) its own work:
        # anything the view left unsaved (a refused form) is discarded, never saved by this.
        if response.status_code >= 500 or db.session.new or db.session.dirty or db.session.deleted:
            db.session.rollback()
        record("cover_access", "break_glass", cover.grant_id, young_person_id=cover.young_person_id)
        db.session.commit()
        return response


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
