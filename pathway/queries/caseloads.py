"""Caseloads for the adviser's and manager's home pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from pathway.extensions import db
from pathway.models import Allocation, Role, Team, TeamManager, User, YoungPerson


@dataclass
class CaseloadRow:
    person: YoungPerson
    allocated_on: date


def list_caseload_for_adviser(adviser: User) -> list[CaseloadRow]:
    """The adviser's current young people, by name. One query."""
    rows = db.session.execute(
        select(YoungPerson, Allocation.start_date)
        .join(Allocation, Allocation.young_person_id == YoungPerson.id)
        .where(Allocation.adviser_id == adviser.id, Allocation.end_date.is_(None))
        .order_by(func.lower(YoungPerson.family_name), func.lower(YoungPerson.given_name), YoungPerson.id)
    ).all()
    return [CaseloadRow(person, start) for person, start in rows]


@dataclass
class AdviserCaseload:
    adviser: User
    rows: list[CaseloadRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class TeamCaseload:
    team: Team
    advisers: list[AdviserCaseload] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(a.count for a in self.advisers)


def list_team_caseloads_for_manager(manager: User) -> list[TeamCaseload]:
    """The manager's teams, their advisers and each adviser's young people. Three queries."""
    teams = list(
        db.session.scalars(
            select(Team).join(TeamManager, TeamManager.team_id == Team.id)
            .where(TeamManager.user_id == manager.id).order_by(Team.name)
        )
    )
    if not teams:
        return []
    team_ids = [t.id for t in teams]
    advisers = list(
        db.session.scalars(
            select(User).where(User.team_id.in_(team_ids), User.role == Role.ADVISER)
            .order_by(User.active.desc(), func.lower(User.name))
        )
    )
    rows = db.session.execute(
        select(Allocation.adviser_id, YoungPerson, Allocation.start_date)
        .join(YoungPerson, YoungPerson.id == Allocation.young_person_id)
        .join(User, User.id == Allocation.adviser_id)
        .where(User.team_id.in_(team_ids), Allocation.end_date.is_(None))
        .order_by(func.lower(YoungPerson.family_name), func.lower(YoungPerson.given_name), YoungPerson.id)
    ).all()
    by_adviser: dict[int, list[CaseloadRow]] = defaultdict(list)
    for adviser_id, person, start in rows:
        by_adviser[adviser_id].append(CaseloadRow(person, start))
    result = {t.id: TeamCaseload(t) for t in teams}
    for adviser in advisers:
        if adviser.active or by_adviser.get(adviser.id):
            result[adviser.team_id].advisers.append(AdviserCaseload(adviser, by_adviser.get(adviser.id, [])))
    return [result[t.id] for t in teams]


def get_record(person_id: int) -> YoungPerson:
    """A young person with allocation history and advisers loaded (two queries)."""
    return db.session.scalar(
        select(YoungPerson)
        .where(YoungPerson.id == person_id)
        .options(selectinload(YoungPerson.allocations).joinedload(Allocation.adviser))
    )


def get_current_adviser(person: YoungPerson) -> User | None:
    return db.session.scalar(
        select(User).join(Allocation, Allocation.adviser_id == User.id)
        .where(Allocation.young_person_id == person.id, Allocation.end_date.is_(None))
    )
