"""The manager's home: every open risk flag in their teams, overdue first, grouped by personal adviser.

Flags come from pathway.services.flag_cache (computed once a day per young person, recomputed when their
history changes), so the page costs the same few queries for a team of 50 or a service of 5,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from pathway.extensions import db
from pathway.models import Allocation, FlagCache, Role, Team, TeamManager, User, YoungPerson
from pathway.rules.flags import FlagKind
from pathway.services.flag_cache import cache_columns, entries_from_rows
from pathway.services.flags import ShownFlag

MANUAL = "manual"
"""The filter value for flags raised by hand (they have no automatic kind)."""

GROUP_LIMIT = 10
"""Rows shown for each adviser on the whole-team list; the adviser's own list shows all of them."""


@dataclass(frozen=True)
class PersonRef:
    """The few columns of a young person the list and the flag rules need (lighter than the whole row)."""

    id: int
    given_name: str
    family_name: str
    preferred_name: str | None
    date_of_birth: date

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"


@dataclass(frozen=True)
class FlagRow:
    """One open flag on the manager's list."""

    person: PersonRef
    adviser: User
    flag: ShownFlag
    days_overdue: int
    person_overdue: int  # how many overdue flags this young person has (2 or more is marked)


@dataclass
class AdviserGroup:
    adviser: User
    rows: list[FlagRow] = field(default_factory=list)
    limit: int | None = None

    @property
    def shown(self) -> list[FlagRow]:
        return self.rows if self.limit is None else self.rows[:self.limit]

    @property
    def hidden(self) -> int:
        return len(self.rows) - len(self.shown)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.days_overdue > 0)

    @property
    def most_overdue(self) -> int:
        return max((r.days_overdue for r in self.rows), default=0)


@dataclass
class OverdueReport:
    today: date
    teams: list[Team]
    advisers: list[User]
    groups: list[AdviserGroup]
    people: int  # young people in scope (after the team and adviser filters)

    @property
    def open(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def overdue(self) -> int:
        return sum(g.overdue for g in self.groups)

    @property
    def people_with_several_overdue(self) -> int:
        return len({r.person.id for g in self.groups for r in g.rows if r.person_overdue >= 2})


def kind_choices() -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in FlagKind] + [(MANUAL, "Raised by hand")]


def _matches(flag: ShownFlag, kind: str | None) -> bool:
    if kind is None:
        return True
    if kind == MANUAL:
        return flag.kind is None
    return flag.kind is not None and flag.kind.value == kind


def overdue_report(manager: User, today: date, *, team_id: int | None = None, adviser_id: int | None = None,
                   kind: str | None = None, overdue_only: bool = False) -> OverdueReport:
    """Open flags for the young people allocated to advisers in the manager's teams.

    ``team_id`` and ``adviser_id`` must already be checked as the manager's (the view 404s otherwise).
    Groups are ordered by most overdue flags first, then by name; rows in a group overdue first
    (most days overdue first), then by due date. Without ``adviser_id``, each group shows its first
    GROUP_LIMIT rows and links to the rest, so the page stays readable (and quick) for a whole service.
    """
    teams = list(db.session.scalars(
        select(Team).join(TeamManager, TeamManager.team_id == Team.id)
        .where(TeamManager.user_id == manager.id).order_by(Team.name)
    ))
    team_ids = [t.id for t in teams] if team_id is None else [team_id]
    advisers = list(db.session.scalars(
        select(User).where(User.team_id.in_([t.id for t in teams]), User.role == Role.ADVISER)
        .order_by(func.lower(User.name), User.id)
    ))
    query = (
        select(YoungPerson.id, YoungPerson.given_name, YoungPerson.family_name, YoungPerson.preferred_name,
               YoungPerson.date_of_birth, Allocation.start_date, *cache_columns(), Allocation.adviser_id)
        .join(Allocation, (Allocation.young_person_id == YoungPerson.id) & Allocation.end_date.is_(None))
        .join(User, User.id == Allocation.adviser_id)
        .outerjoin(FlagCache, FlagCache.young_person_id == YoungPerson.id)
        .where(User.team_id.in_(team_ids))
        .order_by(YoungPerson.id)
    )
    if adviser_id is not None:
        query = query.where(Allocation.adviser_id == adviser_id)
    rows = db.session.execute(query).all() if team_ids else []
    entries = entries_from_rows([(PersonRef(*row[:5]), *row[5:10]) for row in rows], today)
    by_id = {a.id: a for a in advisers}
    groups: dict[int, AdviserGroup] = {}
    for row, entry in zip(rows, entries, strict=True):
        adviser = by_id[row[10]]
        overdue = sum(1 for f in entry.open_flags if f.days_overdue(today) > 0)
        for flag in entry.open_flags:
            late = flag.days_overdue(today)
            if not _matches(flag, kind) or (overdue_only and late == 0):
                continue
            group = groups.setdefault(adviser.id, AdviserGroup(adviser, limit=None if adviser_id else GROUP_LIMIT))
            group.rows.append(FlagRow(entry.person, adviser, flag, late, overdue))
    for group in groups.values():
        group.rows.sort(key=lambda r: (-r.days_overdue, r.flag.due, r.person.family_name.casefold(), r.person.id))
    ordered = sorted(groups.values(), key=lambda g: (-g.overdue, -g.most_overdue, g.adviser.name.casefold()))
    return OverdueReport(today=today, teams=teams, advisers=advisers, groups=ordered, people=len(rows))
