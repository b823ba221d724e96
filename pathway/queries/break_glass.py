"""Break-glass cover: finding a colleague's young person, the grant in force, and the manager's review list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from pathway.extensions import db
from pathway.models import Allocation, BreakGlassGrant, Role, TeamManager, User, YoungPerson

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class CoverCandidate:
    person: YoungPerson
    allocation: Allocation
    adviser: User  # the allocated personal adviser (the colleague being covered)
    cover_until: datetime | None  # when this adviser's current cover ends, if they have it


def _candidates(adviser: User, now: datetime):
    """Young people allocated now to another adviser in this adviser's own team (need to know: the
    people a colleague in the team could be asked to cover), with this adviser's current cover."""
    allocated = aliased(User)
    current_cover = (
        select(func.max(BreakGlassGrant.expires_at))
        .where(BreakGlassGrant.allocation_id == Allocation.id, BreakGlassGrant.adviser_id == adviser.id,
               BreakGlassGrant.team_id == adviser.team_id,
               BreakGlassGrant.granted_at <= now, BreakGlassGrant.expires_at > now)
        .correlate(Allocation)
        .scalar_subquery()
    )
    return (
        select(YoungPerson, Allocation, allocated, current_cover)
        .join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
        .join(allocated, allocated.id == Allocation.adviser_id)
        .where(allocated.team_id == adviser.team_id, allocated.id != adviser.id, allocated.role == Role.ADVISER)
    )


def search_cover_candidates(adviser: User, search: str, now: datetime) -> list[CoverCandidate]:
    """Up to SEARCH_LIMIT young people in the adviser's team (not their own) matching a name or a
    record number. One query."""
    term = search.strip()
    if not term or adviser.team_id is None:
        return []
    query = _candidates(adviser, now)
    if term.isdigit() and len(term) <= 12:
        query = query.where(YoungPerson.id == int(term))
    else:
        term = term.lower()[:100]
        full_name = func.lower(YoungPerson.given_name + " " + YoungPerson.family_name)
        preferred = func.lower(func.coalesce(YoungPerson.preferred_name, "") + " " + YoungPerson.family_name)
        query = query.where(or_(full_name.contains(term, autoescape=True), preferred.contains(term, autoescape=True)))
    query = query.order_by(YoungPerson.family_name, YoungPerson.given_name, YoungPerson.id).limit(SEARCH_LIMIT)
    return [CoverCandidate(p, a, u, until) for p, a, u, until in db.session.execute(query)]


def get_cover_candidate(adviser: User, person_id: int, now: datetime) -> CoverCandidate | None:
    """This young person if the adviser may ask for cover to their record; otherwise None. One query."""
    if adviser.team_id is None:
        return None
    row = db.session.execute(_candidates(adviser, now).where(YoungPerson.id == person_id)).first()
    return CoverCandidate(*row) if row else None


def list_cover_for_review(manager: User, since: datetime) -> list[BreakGlassGrant]:
    """Cover given in the manager's teams since ``since``, not yet reviewed first, newest first. One query."""
    adviser, person = aliased(User), aliased(YoungPerson)
    query = (
        select(BreakGlassGrant)
        .join(adviser, adviser.id == BreakGlassGrant.adviser_id)
        .join(person, person.id == BreakGlassGrant.young_person_id)
        .outerjoin(BreakGlassGrant.reviewed_by)
        .join(TeamManager, TeamManager.team_id == BreakGlassGrant.team_id)
        .where(TeamManager.user_id == manager.id, BreakGlassGrant.granted_at >= since)
        .options(contains_eager(BreakGlassGrant.adviser.of_type(adviser)),
                 contains_eager(BreakGlassGrant.young_person.of_type(person)),
                 contains_eager(BreakGlassGrant.reviewed_by))
        .order_by(BreakGlassGrant.reviewed_at.is_not(None), BreakGlassGrant.granted_at.desc(), BreakGlassGrant.id.desc())
    )
    return list(db.session.scalars(query).unique())


def get_grant_for_manager(manager: User, grant_id: int) -> BreakGlassGrant | None:
    """A grant given in a team this manager manages; otherwise None."""
    return db.session.scalar(
        select(BreakGlassGrant)
        .join(TeamManager, TeamManager.team_id == BreakGlassGrant.team_id)
        .where(BreakGlassGrant.id == grant_id, TeamManager.user_id == manager.id)
    )
