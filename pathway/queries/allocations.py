"""Who is allocated to whom: one adviser's caseload for a manager, their reallocations, and the advisers
a manager can reallocate a young person to. Set-based: a fixed number of queries whatever the caseload."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from pathway.extensions import db
from pathway.models import Allocation, Role, Team, TeamManager, User, YoungPerson


@dataclass(frozen=True)
class Reallocation:
    """A young person moved to (direction "in") or away from ("out") one adviser."""

    direction: str  # "in" or "out"
    person: YoungPerson
    on: date
    other: User  # the adviser they came from ("in") or went to ("out")
    reason: str | None
    by: User | None
    visible: bool  # whether the manager can still open their record


def list_reallocations_for_adviser(adviser: User, *, since: date, team_ids: list[int]) -> list[Reallocation]:
    """Young people reallocated to or away from ``adviser`` on or after ``since``, newest first. One query.

    ``team_ids`` are the viewer's teams: a young person whose current adviser is in one of them
    can still be opened (``visible``).
    """
    involved = (
        select(Allocation.young_person_id)
        .where(Allocation.adviser_id == adviser.id,
               or_(Allocation.start_date >= since, Allocation.end_date >= since))
    )
    allocations = db.session.scalars(
        select(Allocation)
        .where(Allocation.young_person_id.in_(involved))
        .options(joinedload(Allocation.adviser), joinedload(Allocation.allocated_by),
                 joinedload(Allocation.young_person))
        .order_by(Allocation.young_person_id, Allocation.start_date, Allocation.id)
    ).all()
    by_person: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        by_person[allocation.young_person_id].append(allocation)
    result: list[Reallocation] = []
    for history in by_person.values():
        current = next((a for a in history if a.end_date is None), None)
        visible = current is not None and current.adviser.team_id in team_ids
        for before, after in zip(history, history[1:], strict=False):
            if before.adviser_id == after.adviser_id or after.start_date < since:
                continue
            if after.adviser_id == adviser.id:
                result.append(Reallocation("in", after.young_person, after.start_date, before.adviser,
                                           after.reason, after.allocated_by, visible))
            elif before.adviser_id == adviser.id:
                result.append(Reallocation("out", after.young_person, after.start_date, after.adviser,
                                           after.reason, after.allocated_by, visible))
    result.sort(key=lambda r: (r.on, r.person.display_name.casefold()), reverse=True)
    return result


@dataclass(frozen=True)
class AdviserChoice:
    adviser: User
    team_name: str
    caseload: int


def list_adviser_choices_for_manager(manager: User, *, exclude_id: int | None = None) -> list[AdviserChoice]:
    """The active advisers in the manager's teams (but not ``exclude_id``), by team then name,
    with how many young people each has now. One query."""
    current = (
        select(Allocation.adviser_id, func.count().label("caseload"))
        .where(Allocation.end_date.is_(None))
        .group_by(Allocation.adviser_id)
        .subquery()
    )
    query = (
        select(User, Team.name, func.coalesce(current.c.caseload, 0))
        .join(Team, Team.id == User.team_id)
        .join(TeamManager, TeamManager.team_id == Team.id)
        .outerjoin(current, current.c.adviser_id == User.id)
        .where(TeamManager.user_id == manager.id, User.role == Role.ADVISER, User.active.is_(True))
        .order_by(Team.name, func.lower(User.name), User.id)
    )
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    return [AdviserChoice(user, team_name, count) for user, team_name, count in db.session.execute(query)]


def get_current_allocation(person_id: int) -> Allocation | None:
    """The young person's current allocation with its adviser (one query), read fresh from the database."""
    return db.session.scalar(
        select(Allocation)
        .where(Allocation.young_person_id == person_id, Allocation.end_date.is_(None))
        .options(joinedload(Allocation.adviser))
        .execution_options(populate_existing=True)
    )

